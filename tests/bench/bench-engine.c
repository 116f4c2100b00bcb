/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmarks of the engine against dailies-sim running as its own process, each against a
 * reference measured in the same run. They report; they never fail on timing.
 *
 *  download: a 500 MB result through the engine's downloader vs curl on the same URL
 *            (throughput ratio, and this process's peak RSS growth while it ran)
 *  polling:  a job of known duration: how late the engine saw it finish and how many status
 *            requests it made, vs a loop that sleeps 10 s between polls as the documents do */
#include "config.h"

#include <glib/gstdio.h>

#include "dly-download.h"
#include "dly-engine.h"

static char *sim_url;        /* http://127.0.0.1:PORT */
static char *workdir;

static gint64
read_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], field))
      return g_ascii_strtoll (lines[i] + strlen (field) + 1, NULL, 10);
  return -1;
}

/* Resets the peak-RSS counter so VmHWM measures only what follows. */
static void
reset_peak_rss (void)
{
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static GSubprocess *
start_sim (const char *sim_path)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *sim = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, sim_path, "--port", "0",
                                       "--job-seconds", "23", NULL);
  g_autoptr(GDataInputStream) out = NULL;
  char *line;

  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL)
    {
      if (g_str_has_prefix (line, "ltx2-server "))
        sim_url = g_strstrip (g_strdup (line + strlen ("ltx2-server ")));
      if (g_str_equal (line, "ready"))
        {
          g_free (line);
          break;
        }
      g_free (line);
    }
  g_assert_nonnull (sim_url);
  return sim;
}

typedef struct
{
  GMainLoop *loop;
  goffset    bytes;
  GError    *error;
} Done;

static void
on_downloaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Done *done = user_data;

  done->bytes = dly_download_finish (result, &done->error);
  g_main_loop_quit (done->loop);
}

static void
bench_download (void)
{
  const goffset size = 500 * 1000 * 1000;
  g_autofree char *url = g_strdup_printf ("%s/_sim/blob/%" G_GOFFSET_FORMAT, sim_url, size);
  g_autofree char *engine_file = g_build_filename (workdir, "engine.mp4", NULL);
  g_autofree char *curl_file = g_build_filename (workdir, "curl.mp4", NULL);
  g_autoptr(DlyEngine) engine = dly_engine_new (NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  Done done = { g_main_loop_new (NULL, FALSE), 0, NULL };
  gint64 rss_before, rss_peak, start, engine_us, curl_us;
  g_autoptr(GError) error = NULL;
  int curl_status = 0;
  g_autofree char *curl_cmd = g_strdup_printf ("curl -s -o %s %s", curl_file, url);

  /* Warm both paths once (sockets, page cache), then measure. */
  g_spawn_command_line_sync (curl_cmd, NULL, NULL, &curl_status, NULL);

  rss_before = read_status_kb ("VmRSS:");
  reset_peak_rss ();
  start = g_get_monotonic_time ();
  dly_download_async (dly_engine_get_session (engine), message, NULL, -1, engine_file, 0, NULL, NULL,
                      NULL, on_downloaded, &done);
  g_main_loop_run (done.loop);
  engine_us = g_get_monotonic_time () - start;
  rss_peak = read_status_kb ("VmHWM:");
  g_assert_no_error (done.error);
  g_assert_cmpint (done.bytes, ==, size);

  start = g_get_monotonic_time ();
  g_assert_true (g_spawn_command_line_sync (curl_cmd, NULL, NULL, &curl_status, &error));
  curl_us = g_get_monotonic_time () - start;
  g_assert_no_error (error);

  g_print ("download 500 MB: engine %.2f s (%.0f MB/s), curl %.2f s (%.0f MB/s), "
           "throughput ratio engine/curl %.2f (goal >= 0.9)\n",
           engine_us / 1e6, size / (engine_us / 1e6) / 1e6, curl_us / 1e6, size / (curl_us / 1e6) / 1e6,
           (double) curl_us / engine_us);
  g_print ("download 500 MB: peak RSS growth %.1f MB (goal <= 16 MB)\n",
           MAX (0, rss_peak - rss_before) / 1024.0);
  g_unlink (engine_file);
  g_unlink (curl_file);
  g_main_loop_unref (done.loop);
}

/* The documents' loop: submit, then sleep 10 s between status requests. */
typedef struct
{
  SoupSession *session;
  char        *task_id;
  gint64       submitted;
  gint64       seen_done;
  guint        requests;
  GMainLoop   *loop;
} SleepLoop;

static void sleep_loop_poll (SleepLoop *state);

static void
on_sleep_loop_status (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  SleepLoop *state = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  state->requests++;
  if (body != NULL && g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "completed"))
    {
      state->seen_done = g_get_monotonic_time ();
      g_main_loop_quit (state->loop);
      return;
    }
  g_timeout_add_once (10000, (GSourceOnceFunc) sleep_loop_poll, state);
}

static void
sleep_loop_poll (SleepLoop *state)
{
  g_autofree char *url = g_strdup_printf ("%s/v1/video/tasks/%s", sim_url, state->task_id);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);

  soup_session_send_and_read_async (state->session, message, G_PRIORITY_DEFAULT, NULL,
                                    on_sleep_loop_status, state);
}

static void
on_engine_job_finished (DlyEngine *engine,
                        DlyJob    *job,
                        gint64    *seen)
{
  *seen = g_get_monotonic_time ();
}

static gboolean
quit_when_both (gpointer data)
{
  GMainLoop *loop = data;

  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
bench_polling (void)
{
  const double job_seconds = 23;
  g_autoptr(DlyEngine) engine = dly_engine_new (NULL);
  g_autoptr(DlyBackend) backend = dly_backend_new_for_dialect ("ltx2-server", sim_url, NULL);
  g_autoptr(DlyRequest) request = dly_request_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = g_build_filename (workdir, "poll.mp4", NULL);
  SleepLoop loop_state = { 0 };
  gint64 engine_submitted, engine_seen = 0;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  DlyJob *job;

  dly_request_set_prompt (request, "A slow pan across a bookshelf");
  dly_request_set_param_int (request, "width", 256);
  dly_request_set_param_int (request, "height", 192);
  dly_request_set_param_int (request, "num_frames", 9);

  /* The reference loop's job, submitted by hand with the document's JSON. */
  loop_state.session = soup_session_new ();
  loop_state.loop = loop;
  {
    g_autofree char *url = g_strdup_printf ("%s/v1/video/async_t2v", sim_url);
    g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
    static const char body[] = "{\"prompt\":\"A slow pan\",\"width\":256,\"height\":192,\"num_frames\":9}";
    g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(JsonNode) node = NULL;

    soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    answer = soup_session_send_and_read (loop_state.session, message, NULL, &error);
    g_assert_no_error (error);
    node = json_from_string (g_bytes_get_data (answer, NULL), &error);
    g_assert_no_error (error);
    loop_state.task_id = g_strdup (json_object_get_string_member (json_node_get_object (node), "task_id"));
    loop_state.submitted = g_get_monotonic_time ();
    g_timeout_add_once (10000, (GSourceOnceFunc) sleep_loop_poll, &loop_state);
  }

  g_signal_connect (engine, "job-finished", G_CALLBACK (on_engine_job_finished), &engine_seen);
  engine_submitted = g_get_monotonic_time ();
  job = dly_engine_submit (engine, backend, request, NULL, NULL, output, &error);
  g_assert_no_error (error);

  g_main_loop_run (loop);   /* the sleep loop quits it */
  while (engine_seen == 0)
    g_main_context_iteration (NULL, TRUE);
  g_timeout_add (10, quit_when_both, loop);
  g_main_loop_run (loop);

  g_assert_cmpint (dly_job_get_state (job), ==, DLY_JOB_STATE_SUCCEEDED);
  /* The simulator counted every status request; the engine's are the ones the loop did not make. */
  {
    g_autofree char *url = g_strdup_printf ("%s/_sim/stats", sim_url);
    g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
    g_autoptr(GBytes) answer = soup_session_send_and_read (loop_state.session, message, NULL, &error);
    g_autoptr(JsonNode) node = NULL;
    JsonObject *dialect;
    gint64 total;

    g_assert_no_error (error);
    node = json_from_string (g_bytes_get_data (answer, NULL), &error);
    g_assert_no_error (error);
    dialect = json_object_get_object_member (json_object_get_object_member (json_node_get_object (node), "dialects"),
                                             "ltx2-server");
    total = json_object_get_int_member (dialect, "status");

    /* The result is known job_seconds after submission; the engine's "seen" also includes
     * downloading the small file, which only counts against it. */
    g_print ("polling, %.0f s job: engine saw it %.2f s after it finished with %" G_GINT64_FORMAT
             " status requests; 10 s sleep loop: %.2f s after, %u status requests\n",
             job_seconds, (engine_seen - engine_submitted) / 1e6 - job_seconds,
             total - loop_state.requests,
             (loop_state.seen_done - loop_state.submitted) / 1e6 - job_seconds, loop_state.requests);
  }
  g_free (loop_state.task_id);
  g_object_unref (loop_state.session);
}

int
main (int   argc,
      char *argv[])
{
  const char *sim_path = g_getenv ("DAILIES_SIM");
  g_autoptr(GSubprocess) sim = NULL;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  if (sim_path == NULL)
    {
      g_printerr ("Set DAILIES_SIM to the dailies-sim executable\n");
      return 1;
    }
  workdir = g_dir_make_tmp ("dailies-bench-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", workdir, TRUE);
  sim = start_sim (sim_path);

  if (argc < 2 || g_str_equal (argv[1], "download"))
    bench_download ();
  if (argc < 2 || g_str_equal (argv[1], "polling"))
    bench_polling ();

  g_subprocess_force_exit (sim);
  return 0;
}
