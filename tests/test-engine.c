/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The engine end to end: real HTTP over loopback to the in-process simulator, a real SQLite
 * ledger in an isolated XDG_DATA_HOME, real MP4 files checked by GStreamer. */
#include "config.h"

#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include "dly-engine.h"
#include "dly-error.h"
#include "dly-sim.h"

typedef struct
{
  DlySim    *sim;
  DlyEngine *engine;
  char      *dir;
} Fixture;

/* Iterates the main context until @done says so; fails the test after a generous limit. */
static void
iterate_until (gboolean (*done) (gpointer),
               gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for the engine");
    }
}

static gboolean
job_is_finished (gpointer data)
{
  return dly_job_is_finished (DLY_JOB (data));
}

static gboolean
job_has_remote_state (gpointer data)
{
  DlyJobState state = dly_job_get_state (DLY_JOB (data));

  return state == DLY_JOB_STATE_WAITING || state == DLY_JOB_STATE_RUNNING || dly_job_is_finished (data);
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *opened = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (dly_engine_open_finish (DLY_ENGINE (source), result, &error));
  g_assert_no_error (error);
  *opened = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_flushed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DlyJob) job = dly_ledger_load_job_finish (DLY_LEDGER (source), result, NULL);

  *(gboolean *) user_data = TRUE;
}

/* The ledger works in order: once a read queued now completes, every earlier write has
 * reached the file, as it would have before a process was killed. */
static void
flush_ledger (DlyEngine *engine)
{
  gboolean flushed = FALSE;

  dly_ledger_load_job_async (dly_engine_get_ledger (engine), "flush", NULL, on_flushed, &flushed);
  iterate_until (flag_is_set, &flushed);
}

static DlyEngine *
open_engine (void)
{
  DlyEngine *engine = dly_engine_new (NULL);
  gboolean opened = FALSE;

  /* Fast steps keep the suite short; the behaviour under test is the same. */
  g_object_set (engine, "poll-initial-ms", 50, "poll-max-ms", 200, "retry-base-ms", 20,
                "retry-max-ms", 200, "max-retries", 5, NULL);
  dly_engine_open_async (engine, NULL, on_opened, &opened);
  iterate_until (flag_is_set, &opened);
  return engine;
}

static void
fixture_setup (Fixture      *fixture,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = dly_sim_new ();
  g_assert_true (dly_sim_start (fixture->sim, 0, &error));
  g_assert_no_error (error);
  dly_sim_set_job_seconds (fixture->sim, 0.3);
  fixture->engine = open_engine ();
  fixture->dir = g_build_filename (g_get_user_data_dir (), "out", NULL);
  g_mkdir_with_parents (fixture->dir, 0755);
}

static void
fixture_teardown (Fixture      *fixture,
                  gconstpointer data)
{
  g_clear_object (&fixture->engine);
  dly_sim_stop (fixture->sim);
  g_clear_object (&fixture->sim);
  g_free (fixture->dir);
}

static DlyBackend *
backend_for (Fixture    *fixture,
             const char *dialect)
{
  g_autoptr(GError) error = NULL;
  DlyBackend *backend = dly_backend_new_for_dialect (dialect, dly_sim_get_base_url (fixture->sim, dialect),
                                                     &error);

  g_assert_no_error (error);
  return backend;
}

/* Small sizes that every self-hosted dialect accepts: multiples of 64, 8k+1 frames. */
static DlyRequest *
small_request (const char *prompt)
{
  DlyRequest *request = dly_request_new ();

  dly_request_set_prompt (request, prompt);
  dly_request_set_param_int (request, "width", 256);
  dly_request_set_param_int (request, "height", 192);
  dly_request_set_param_int (request, "num_frames", 9);
  return request;
}

static DlyJob *
submit (Fixture    *fixture,
        const char *dialect,
        DlyRequest *request,
        const char *name)
{
  g_autoptr(DlyBackend) backend = backend_for (fixture, dialect);
  g_autofree char *output = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  DlyJob *job = dly_engine_submit (fixture->engine, backend, request, NULL, NULL, output, &error);

  g_assert_no_error (error);
  g_assert_nonnull (job);
  return g_object_ref (job);
}

/* The file is an MP4 that GStreamer decodes at the requested size. */
static void
assert_video (const char *path,
              guint       width,
              guint       height)
{
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (20 * GST_SECOND, NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscovererInfo) info = gst_discoverer_discover_uri (discoverer, uri, &error);
  GList *streams;

  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);
  streams = gst_discoverer_info_get_video_streams (info);
  g_assert_nonnull (streams);
  g_assert_cmpuint (gst_discoverer_video_info_get_width (streams->data), ==, width);
  g_assert_cmpuint (gst_discoverer_video_info_get_height (streams->data), ==, height);
  gst_discoverer_stream_info_list_free (streams);
}

static char *
make_png (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, "input.png", NULL);
  g_autofree char *description =
    g_strdup_printf ("videotestsrc num-buffers=1 pattern=ball ! video/x-raw,width=320,height=240 ! "
                     "videoconvert ! pngenc ! filesink location=\"%s\"", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return g_steal_pointer (&path);
}

static void
run_text_to_video (Fixture    *fixture,
                   const char *dialect)
{
  g_autoptr(DlyRequest) request = small_request ("A paper boat drifts down a rain gutter, close-up");
  g_autoptr(DlyJob) job = submit (fixture, dialect, request, "t2v.mp4");

  g_assert_cmpint (dly_job_get_state (job), <=, DLY_JOB_STATE_SUBMITTING);
  iterate_until (job_is_finished, job);
  g_assert_cmpint (dly_job_get_state (job), ==, DLY_JOB_STATE_SUCCEEDED);
  g_assert_nonnull (dly_job_get_remote_id (job));
  g_assert_cmpuint (dly_sim_get_count (fixture->sim, dialect, DLY_SIM_COUNT_SUBMITS), ==, 1);
  /* libsoup may resend a GET whose kept-alive connection the server had closed. */
  g_assert_cmpuint (dly_sim_get_count (fixture->sim, dialect, DLY_SIM_COUNT_DOWNLOADS), >=, 1);
  assert_video (dly_job_get_output_path (job), 256, 192);
  g_assert_true (g_list_model_get_n_items (dly_engine_get_jobs (fixture->engine)) == 1);
}

static void
test_ltxv_task_t2v (Fixture      *fixture,
                    gconstpointer data)
{
  run_text_to_video (fixture, "ltxv-task");
}

static void
test_ltx2_server_t2v (Fixture      *fixture,
                      gconstpointer data)
{
  run_text_to_video (fixture, "ltx2-server");
}

static void
run_image_to_video (Fixture    *fixture,
                    const char *dialect)
{
  g_autofree char *png = make_png (fixture);
  g_autoptr(DlyRequest) request = small_request ("The ball rolls slowly to the right");
  g_autoptr(DlyJob) job = NULL;

  dly_request_set_image (request, png);
  job = submit (fixture, dialect, request, "i2v.mp4");
  iterate_until (job_is_finished, job);
  g_assert_cmpint (dly_job_get_state (job), ==, DLY_JOB_STATE_SUCCEEDED);
  assert_video (dly_job_get_output_path (job), 256, 192);
}

static void
test_ltxv_task_i2v (Fixture      *fixture,
                    gconstpointer data)
{
  run_image_to_video (fixture, "ltxv-task");
}

static void
test_ltx2_server_i2v (Fixture      *fixture,
                      gconstpointer data)
{
  run_image_to_video (fixture, "ltx2-server");
}

static void
test_backend_failure (Fixture      *fixture,
                      gconstpointer data)
{
  g_autoptr(DlyRequest) request = small_request ("A storm over a wheat field");
  g_autoptr(DlyJob) job = NULL;

  dly_sim_fail_next_jobs (fixture->sim, "ltx2-server", 1, "CUDA out of memory on GPU 0", NULL);
  job = submit (fixture, "ltx2-server", request, "fail.mp4");
  iterate_until (job_is_finished, job);
  g_assert_cmpint (dly_job_get_state (job), ==, DLY_JOB_STATE_FAILED);
  g_assert_cmpint (dly_job_get_error_code (job), ==, DLY_ERROR_BACKEND_FAILED);
  g_assert_nonnull (strstr (dly_job_get_message (job), "CUDA out of memory on GPU 0"));
  g_assert_false (g_file_test (dly_job_get_output_path (job), G_FILE_TEST_EXISTS));
}

static void
test_transient_faults_survived (Fixture      *fixture,
                                gconstpointer data)
{
  g_autoptr(DlyRequest) request = small_request ("Neon signs flicker in the rain");
  g_autoptr(DlyJob) job = NULL;

  dly_sim_inject_http_errors (fixture->sim, "ltxv-task", 503, 2, 0);
  dly_sim_inject_http_errors (fixture->sim, "ltxv-task", 429, 1, 1);
  job = submit (fixture, "ltxv-task", request, "transient.mp4");
  iterate_until (job_is_finished, job);
  g_assert_cmpint (dly_job_get_state (job), ==, DLY_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (dly_sim_get_count (fixture->sim, "ltxv-task", DLY_SIM_COUNT_FAULTS), ==, 3);
  /* Refused submissions never arrived: exactly one job was created. */
  g_assert_cmpuint (dly_sim_get_count (fixture->sim, "ltxv-task", DLY_SIM_COUNT_SUBMITS), ==, 1);
  g_assert_cmpuint (dly_job_get_submit_count (job), ==, 4);
}

static void
test_malformed_status_and_truncated_download (Fixture      *fixture,
                                              gconstpointer data)
{
  g_autoptr(DlyRequest) request = small_request ("A kettle boils on a gas stove");
  g_autoptr(DlyJob) job = NULL;

  dly_sim_malform_next_status (fixture->sim, "ltx2-server", 2);
  dly_sim_truncate_next_downloads (fixture->sim, "ltx2-server", 1);
  job = submit (fixture, "ltx2-server", request, "glitches.mp4");
  iterate_until (job_is_finished, job);
  g_assert_cmpint (dly_job_get_state (job), ==, DLY_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (dly_sim_get_count (fixture->sim, "ltx2-server", DLY_SIM_COUNT_DOWNLOADS), >=, 2);
  assert_video (dly_job_get_output_path (job), 256, 192);
}

static void
test_cancel (Fixture      *fixture,
             gconstpointer data)
{
  g_autoptr(DlyRequest) request = small_request ("A very long take");
  g_autoptr(DlyJob) job = NULL;

  dly_sim_set_job_seconds (fixture->sim, 30);
  job = submit (fixture, "ltx2-server", request, "cancel.mp4");
  iterate_until (job_has_remote_state, job);
  dly_engine_cancel (fixture->engine, job);
  iterate_until (job_is_finished, job);
  g_assert_cmpint (dly_job_get_state (job), ==, DLY_JOB_STATE_CANCELLED);
  g_assert_cmpint (dly_job_get_error_code (job), ==, DLY_ERROR_CANCELLED);
  g_assert_cmpuint (dly_engine_get_n_active (fixture->engine), ==, 0);
}

/* The engine is dropped mid-job, as a killed process would be; a new one resumes from the
 * ledger and finishes without a second submission. */
static void
test_resume_after_crash (Fixture      *fixture,
                         gconstpointer data)
{
  g_autoptr(DlyRequest) request = small_request ("A heron waits in the shallows");
  g_autoptr(DlyJob) job = NULL;
  g_autofree char *id = NULL;
  g_autofree char *output = NULL;
  DlyJob *resumed;

  dly_sim_set_job_seconds (fixture->sim, 1.5);
  job = submit (fixture, "ltxv-task", request, "resumed.mp4");
  iterate_until (job_has_remote_state, job);
  id = g_strdup (dly_job_get_id (job));
  output = g_strdup (dly_job_get_output_path (job));
  flush_ledger (fixture->engine);
  g_clear_object (&fixture->engine);

  fixture->engine = open_engine ();
  resumed = dly_engine_lookup_job (fixture->engine, id);
  g_assert_nonnull (resumed);
  g_assert_true (dly_job_is_resumable (resumed));
  g_assert_nonnull (dly_job_get_remote_id (resumed));
  g_assert_cmpuint (dly_engine_resume_all (fixture->engine), ==, 1);
  iterate_until (job_is_finished, resumed);
  g_assert_cmpint (dly_job_get_state (resumed), ==, DLY_JOB_STATE_SUCCEEDED);
  g_assert_cmpstr (dly_job_get_output_path (resumed), ==, output);
  g_assert_cmpuint (dly_sim_get_count (fixture->sim, "ltxv-task", DLY_SIM_COUNT_SUBMITS), ==, 1);
  assert_video (output, 256, 192);
}

/* A job the ledger left in "submitting" with no id may have reached the backend: it becomes
 * unknown and is never sent again on its own. */
static void
test_unknown_is_never_resubmitted (Fixture      *fixture,
                                   gconstpointer data)
{
  g_autoptr(DlyRequest) request = small_request ("A train crosses a viaduct");
  g_autoptr(DlyJob) stale = dly_job_new ("stale-job", request, "ltx2-server",
                                         dly_sim_get_base_url (fixture->sim, "ltx2-server"), NULL,
                                         NULL, "/tmp/never.mp4", g_get_real_time ());
  DlyJob *job;

  dly_job_set_state (stale, DLY_JOB_STATE_SUBMITTING);
  dly_ledger_save_async (dly_engine_get_ledger (fixture->engine), stale, NULL, NULL, NULL);
  flush_ledger (fixture->engine);
  g_clear_object (&fixture->engine);

  fixture->engine = open_engine ();
  job = dly_engine_lookup_job (fixture->engine, "stale-job");
  g_assert_nonnull (job);
  dly_engine_resume_all (fixture->engine);
  g_assert_cmpint (dly_job_get_state (job), ==, DLY_JOB_STATE_UNKNOWN);
  g_assert_nonnull (strstr (dly_job_get_message (job), "check the backend"));
  g_assert_cmpuint (dly_sim_get_count (fixture->sim, "ltx2-server", DLY_SIM_COUNT_SUBMITS), ==, 0);
  g_assert_false (dly_job_is_resumable (job));
}

/* Celery reports an id it never heard of as PENDING, forever: only the overall time limit
 * ends such a job. */
static void
test_celery_pending_forever_times_out (Fixture      *fixture,
                                       gconstpointer data)
{
  g_autoptr(DlyRequest) request = small_request ("Fog rolls over a harbour");
  g_autoptr(DlyJob) lost = dly_job_new ("lost-job", request, "ltxv-task",
                                        dly_sim_get_base_url (fixture->sim, "ltxv-task"), NULL, NULL,
                                        "/tmp/lost.mp4", g_get_real_time ());
  DlyJob *job;

  dly_job_set_state (lost, DLY_JOB_STATE_WAITING);
  dly_job_set_remote_id (lost, "a-task-this-server-never-had");
  dly_job_set_started_at (lost, g_get_real_time ());
  dly_ledger_save_async (dly_engine_get_ledger (fixture->engine), lost, NULL, NULL, NULL);
  flush_ledger (fixture->engine);
  g_clear_object (&fixture->engine);

  fixture->engine = open_engine ();
  g_object_set (fixture->engine, "job-timeout", 2, NULL);
  job = dly_engine_lookup_job (fixture->engine, "lost-job");
  g_assert_true (dly_engine_resume (fixture->engine, job, NULL));
  iterate_until (job_is_finished, job);
  g_assert_cmpint (dly_job_get_state (job), ==, DLY_JOB_STATE_FAILED);
  g_assert_cmpint (dly_job_get_error_code (job), ==, DLY_ERROR_TIMEOUT);
  g_assert_cmpuint (dly_sim_get_count (fixture->sim, "ltxv-task", DLY_SIM_COUNT_STATUS), >, 2);
  g_assert_cmpuint (dly_sim_get_count (fixture->sim, "ltxv-task", DLY_SIM_COUNT_SUBMITS), ==, 0);
}

static void
test_unreachable (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyBackend) backend = NULL;
  g_autoptr(DlyRequest) request = small_request ("Nobody is listening");
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetSocketAddress) any = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string ("127.0.0.1", 0));
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  DlyJob *job;

  /* A port that was free a moment ago and has nobody listening on it. */
  g_assert_true (g_socket_bind (socket, G_SOCKET_ADDRESS (any), FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  g_object_set (fixture->engine, "max-retries", 2, NULL);
  backend = dly_backend_new_for_dialect ("ltx2-server", url, &error);
  job = dly_engine_submit (fixture->engine, backend, request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  iterate_until (job_is_finished, job);
  g_assert_cmpint (dly_job_get_state (job), ==, DLY_JOB_STATE_FAILED);
  g_assert_cmpint (dly_job_get_error_code (job), ==, DLY_ERROR_TRANSPORT);
  g_assert_nonnull (strstr (dly_job_get_message (job), url));
}

static void
test_invalid_is_never_sent (Fixture      *fixture,
                            gconstpointer data)
{
  g_autoptr(DlyBackend) backend = backend_for (fixture, "ltx2-server");
  g_autoptr(DlyRequest) request = small_request ("Invalid width");
  g_autoptr(GError) error = NULL;

  dly_request_set_param_int (request, "width", 250);
  g_assert_null (dly_engine_submit (fixture->engine, backend, request, NULL, NULL, NULL, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "multiple of 64"));
  g_assert_cmpuint (g_list_model_get_n_items (dly_engine_get_jobs (fixture->engine)), ==, 0);
  g_assert_cmpuint (dly_sim_get_count (fixture->sim, NULL, DLY_SIM_COUNT_SUBMITS), ==, 0);
}

static gboolean
all_finished (gpointer data)
{
  GPtrArray *jobs = data;

  for (guint i = 0; i < jobs->len; i++)
    if (!dly_job_is_finished (g_ptr_array_index (jobs, i)))
      return FALSE;
  return TRUE;
}

static void
test_concurrency_limit (Fixture      *fixture,
                        gconstpointer data)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  guint peak = 0;
  const char *url = dly_sim_get_base_url (fixture->sim, "ltx2-server");

  dly_engine_set_concurrency (fixture->engine, url, 1);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(DlyRequest) request = small_request ("One at a time");
      g_autofree char *name = g_strdup_printf ("serial-%u.mp4", i);
      g_ptr_array_add (jobs, submit (fixture, "ltx2-server", request, name));
    }
  /* With a limit of one, two of the three wait locally and none has been sent. */
  g_assert_cmpuint (dly_engine_get_n_active (fixture->engine), ==, 3);
  while (!all_finished (jobs))
    {
      guint sent = 0;

      for (guint i = 0; i < jobs->len; i++)
        {
          DlyJobState state = dly_job_get_state (g_ptr_array_index (jobs, i));

          if (state != DLY_JOB_STATE_QUEUED && !dly_job_state_is_finished (state))
            sent++;
        }
      peak = MAX (peak, sent);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (peak, ==, 1);
  for (guint i = 0; i < jobs->len; i++)
    g_assert_cmpint (dly_job_get_state (g_ptr_array_index (jobs, i)), ==, DLY_JOB_STATE_SUCCEEDED);
}

static void
on_items_changed_count (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        guint      *changes)
{
  (*changes)++;
}

/* Several takes at once: all or nothing, in one change of the list, newest first, and sent
 * in request order. */
static void
test_submit_all (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr(DlyBackend) backend = backend_for (fixture, "ltx2-server");
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *list = dly_engine_get_jobs (fixture->engine);
  guint changes = 0;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("Take %u of three", i);

      g_ptr_array_add (requests, small_request (prompt));
    }
  /* One invalid request: nothing is queued, nothing is sent. */
  dly_request_set_param_int (g_ptr_array_index (requests, 2), "width", 250);
  g_assert_null (dly_engine_submit_all (fixture->engine, backend, requests, NULL, NULL, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);

  dly_request_set_param_int (g_ptr_array_index (requests, 2), "width", 256);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_count), &changes);
  jobs = dly_engine_submit_all (fixture->engine, backend, requests, "Studio", NULL, &error);
  g_signal_handlers_disconnect_by_func (list, on_items_changed_count, &changes);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 3);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(DlyJob) listed = g_list_model_get_item (list, 2 - i);
      g_autofree char *prompt = g_strdup_printf ("Take %u of three", i);

      g_assert_true (listed == g_ptr_array_index (jobs, i));
      g_assert_cmpstr (dly_request_get_prompt (dly_job_get_request (listed)), ==, prompt);
      g_assert_cmpstr (dly_job_get_profile (listed), ==, "Studio");
    }

  iterate_until (all_finished, jobs);
  for (guint i = 0; i < jobs->len; i++)
    g_assert_cmpint (dly_job_get_state (g_ptr_array_index (jobs, i)), ==, DLY_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (dly_sim_get_count (fixture->sim, NULL, DLY_SIM_COUNT_SUBMITS), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gst_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/engine/ltxv-task/text-to-video", test_ltxv_task_t2v);
  ADD ("/engine/ltxv-task/image-to-video", test_ltxv_task_i2v);
  ADD ("/engine/ltx2-server/text-to-video", test_ltx2_server_t2v);
  ADD ("/engine/ltx2-server/image-to-video", test_ltx2_server_i2v);
  ADD ("/engine/backend-failure", test_backend_failure);
  ADD ("/engine/transient-faults-survived", test_transient_faults_survived);
  ADD ("/engine/malformed-status-and-truncated-download", test_malformed_status_and_truncated_download);
  ADD ("/engine/cancel", test_cancel);
  ADD ("/engine/resume-after-crash", test_resume_after_crash);
  ADD ("/engine/unknown-is-never-resubmitted", test_unknown_is_never_resubmitted);
  ADD ("/engine/celery-pending-forever-times-out", test_celery_pending_forever_times_out);
  ADD ("/engine/unreachable", test_unreachable);
  ADD ("/engine/invalid-is-never-sent", test_invalid_is_never_sent);
  ADD ("/engine/concurrency-limit", test_concurrency_limit);
  ADD ("/engine/submit-all", test_submit_all);
#undef ADD
  return g_test_run ();
}
