/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ledger against a real SQLite file in an isolated XDG_DATA_HOME. */
#include "config.h"

#include <sqlite3.h>
#ifdef __linux__
#include <errno.h>
#include <sys/resource.h>
#endif

#include "dly-ledger.h"

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

/* Runs the main loop until the async call started by @start completes. */
#define AWAIT(wait, call) \
  G_STMT_START { \
    (wait)->loop = g_main_loop_new (NULL, FALSE); \
    g_clear_object (&(wait)->result); \
    call; \
    g_main_loop_run ((wait)->loop); \
    g_main_loop_unref ((wait)->loop); \
  } G_STMT_END

static DlyJob *
make_job (const char *id,
          gint64      created_at)
{
  g_autoptr(DlyRequest) request = dly_request_new ();

  dly_request_set_prompt (request, "A lighthouse at dusk, waves crash below");
  dly_request_set_param_int (request, "width", 768);
  dly_request_set_param_double (request, "frame_rate", 24.0);
  dly_request_add_lora (request, "https://example.com/a.safetensors", 0.8);
  return dly_job_new (id, request, "ltx2-server", "http://127.0.0.1:8000", NULL, "MY_KEY_VAR",
                      "/tmp/out.mp4", created_at);
}

static DlyLedger *
open_ledger (Wait *wait)
{
  g_autofree char *path = dly_ledger_get_default_path ();
  DlyLedger *ledger = dly_ledger_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (dly_ledger_get_path (ledger), ==, path);
  AWAIT (wait, dly_ledger_open_async (ledger, NULL, on_done, wait));
  g_assert_true (dly_ledger_open_finish (ledger, wait->result, &error));
  g_assert_no_error (error);
  return ledger;
}

static void
test_ledger_round_trip (void)
{
  Wait wait = { 0 };
  g_autoptr(DlyLedger) ledger = open_ledger (&wait);
  g_autoptr(DlyJob) older = make_job ("job-older", 1000);
  g_autoptr(DlyJob) newer = make_job ("job-newer", 2000);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  DlyJob *loaded;
  DlyRequest *request;
  double scale = 0;

  dly_job_set_state (newer, DLY_JOB_STATE_RUNNING);
  dly_job_set_remote_id (newer, "remote-42");
  dly_job_set_progress (newer, 0.5);
  dly_job_set_message (newer, "rendering");

  AWAIT (&wait, dly_ledger_save_async (ledger, older, NULL, on_done, &wait));
  g_assert_true (dly_ledger_save_finish (ledger, wait.result, &error));
  AWAIT (&wait, dly_ledger_save_async (ledger, newer, NULL, on_done, &wait));
  g_assert_true (dly_ledger_save_finish (ledger, wait.result, &error));

  AWAIT (&wait, dly_ledger_load_async (ledger, NULL, on_done, &wait));
  jobs = dly_ledger_load_finish (ledger, wait.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 2);

  /* Newest first, every field as saved. */
  loaded = g_ptr_array_index (jobs, 0);
  g_assert_cmpstr (dly_job_get_id (loaded), ==, "job-newer");
  g_assert_cmpint (dly_job_get_state (loaded), ==, DLY_JOB_STATE_RUNNING);
  g_assert_cmpstr (dly_job_get_remote_id (loaded), ==, "remote-42");
  g_assert_cmpfloat (dly_job_get_progress (loaded), ==, 0.5);
  g_assert_cmpstr (dly_job_get_message (loaded), ==, "rendering");
  g_assert_cmpstr (dly_job_get_api_key_env (loaded), ==, "MY_KEY_VAR");
  g_assert_cmpstr (dly_job_get_output_path (loaded), ==, "/tmp/out.mp4");
  g_assert_cmpint (dly_job_get_created_at (loaded), ==, 2000);
  request = dly_job_get_request (loaded);
  g_assert_cmpstr (dly_request_get_prompt (request), ==, "A lighthouse at dusk, waves crash below");
  g_assert_cmpint (g_value_get_int64 (dly_request_get_param (request, "width")), ==, 768);
  g_assert_cmpfloat (g_value_get_double (dly_request_get_param (request, "frame_rate")), ==, 24.0);
  g_assert_cmpuint (dly_request_get_n_loras (request), ==, 1);
  g_assert_cmpstr (dly_request_get_lora (request, 0, &scale), ==, "https://example.com/a.safetensors");
  g_assert_cmpfloat (scale, ==, 0.8);
  g_assert_cmpstr (dly_job_get_id (g_ptr_array_index (jobs, 1)), ==, "job-older");

  /* An update replaces the row rather than adding one. */
  dly_job_set_state (older, DLY_JOB_STATE_SUCCEEDED);
  AWAIT (&wait, dly_ledger_save_async (ledger, older, NULL, on_done, &wait));
  g_assert_true (dly_ledger_save_finish (ledger, wait.result, &error));
  AWAIT (&wait, dly_ledger_load_job_async (ledger, "job-older", NULL, on_done, &wait));
  {
    g_autoptr(DlyJob) one = dly_ledger_load_job_finish (ledger, wait.result, &error);

    g_assert_nonnull (one);
    g_assert_cmpint (dly_job_get_state (one), ==, DLY_JOB_STATE_SUCCEEDED);
  }

  AWAIT (&wait, dly_ledger_remove_async (ledger, "job-older", NULL, on_done, &wait));
  g_assert_true (dly_ledger_remove_finish (ledger, wait.result, &error));
  AWAIT (&wait, dly_ledger_load_job_async (ledger, "job-older", NULL, on_done, &wait));
  g_assert_null (dly_ledger_load_job_finish (ledger, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
}

static void
test_ledger_wal (void)
{
  Wait wait = { 0 };
  g_autoptr(DlyLedger) ledger = open_ledger (&wait);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_clear_object (&wait.result);
  g_assert_cmpint (sqlite3_open (dly_ledger_get_path (ledger), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* Two ledgers on one file stand for the app and the CLI: only one may claim a job. */
static void
test_ledger_transition_claims_once (void)
{
  Wait wait = { 0 };
  g_autoptr(DlyLedger) first = open_ledger (&wait);
  g_autoptr(DlyLedger) second = open_ledger (&wait);
  g_autoptr(DlyJob) job = make_job ("job-claim", 3000);
  g_autoptr(GError) error = NULL;

  AWAIT (&wait, dly_ledger_save_async (first, job, NULL, on_done, &wait));
  g_assert_true (dly_ledger_save_finish (first, wait.result, &error));

  AWAIT (&wait, dly_ledger_transition_async (first, job, DLY_JOB_STATE_QUEUED, DLY_JOB_STATE_SUBMITTING,
                                             NULL, on_done, &wait));
  g_assert_true (dly_ledger_transition_finish (first, wait.result, &error));
  g_assert_no_error (error);

  AWAIT (&wait, dly_ledger_transition_async (second, job, DLY_JOB_STATE_QUEUED, DLY_JOB_STATE_SUBMITTING,
                                             NULL, on_done, &wait));
  g_assert_false (dly_ledger_transition_finish (second, wait.result, &error));
  g_assert_no_error (error);

  AWAIT (&wait, dly_ledger_load_job_async (second, "job-claim", NULL, on_done, &wait));
  {
    g_autoptr(DlyJob) stored = dly_ledger_load_job_finish (second, wait.result, &error);

    g_assert_cmpint (dly_job_get_state (stored), ==, DLY_JOB_STATE_SUBMITTING);
  }
  g_clear_object (&wait.result);
}

/* A cancel written by another process is final: a process still driving the job may not
 * write it back to running, though it may record how it really ended. */
static void
test_ledger_cancel_is_final (void)
{
  Wait wait = { 0 };
  g_autoptr(DlyLedger) canceller = open_ledger (&wait);
  g_autoptr(DlyLedger) driver = open_ledger (&wait);
  g_autoptr(DlyJob) job = make_job ("job-cancelled", 5000);
  g_autoptr(GError) error = NULL;

  dly_job_set_state (job, DLY_JOB_STATE_CANCELLED);
  AWAIT (&wait, dly_ledger_save_async (canceller, job, NULL, on_done, &wait));
  g_assert_true (dly_ledger_save_finish (canceller, wait.result, &error));

  dly_job_set_state (job, DLY_JOB_STATE_RUNNING);
  AWAIT (&wait, dly_ledger_save_async (driver, job, NULL, on_done, &wait));
  g_assert_true (dly_ledger_save_finish (driver, wait.result, &error));
  AWAIT (&wait, dly_ledger_load_job_async (driver, "job-cancelled", NULL, on_done, &wait));
  {
    g_autoptr(DlyJob) stored = dly_ledger_load_job_finish (driver, wait.result, &error);

    g_assert_cmpint (dly_job_get_state (stored), ==, DLY_JOB_STATE_CANCELLED);
  }

  dly_job_set_state (job, DLY_JOB_STATE_SUCCEEDED);
  AWAIT (&wait, dly_ledger_save_async (driver, job, NULL, on_done, &wait));
  g_assert_true (dly_ledger_save_finish (driver, wait.result, &error));
  AWAIT (&wait, dly_ledger_load_job_async (driver, "job-cancelled", NULL, on_done, &wait));
  {
    g_autoptr(DlyJob) stored = dly_ledger_load_job_finish (driver, wait.result, &error);

    g_assert_cmpint (dly_job_get_state (stored), ==, DLY_JOB_STATE_SUCCEEDED);
  }
  g_clear_object (&wait.result);
}

static void
test_ledger_unwritable (void)
{
  Wait wait = { 0 };
  g_autoptr(DlyLedger) ledger = dly_ledger_new ("/proc/dailies-cannot-be-here/ledger.sqlite");
  g_autoptr(GError) error = NULL;

  AWAIT (&wait, dly_ledger_open_async (ledger, NULL, on_done, &wait));
  g_assert_false (dly_ledger_open_finish (ledger, wait.result, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/proc/dailies-cannot-be-here"));
  g_clear_object (&wait.result);
}

static void
test_job_json_has_no_key (void)
{
  g_autoptr(DlyJob) job = make_job ("job-json", 4000);
  g_autoptr(JsonNode) node = dly_job_to_json (job);
  g_autofree char *text = json_to_string (node, FALSE);
  JsonObject *object = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "job-json");
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "queued");
  g_assert_true (json_object_has_member (object, "remote_id"));
  g_assert_true (json_object_has_member (object, "elapsed_seconds"));
  g_assert_true (json_object_has_member (object, "message"));
  g_assert_cmpstr (json_object_get_string_member (object, "output_path"), ==, "/tmp/out.mp4");
  /* The variable's name may appear nowhere a key could be mistaken for it, and no key exists. */
  g_assert_null (strstr (text, "api_key"));
}

/* The ledger's thread gives way to the window: on Linux it runs at nice 10, and the
 * thread that made the ledger keeps its own priority. */
static void
test_ledger_thread_priority (void)
{
#ifdef __linux__
  Wait wait = { 0 };
  int own_nice = getpriority (PRIO_PROCESS, 0);
  g_autoptr(DlyLedger) ledger = open_ledger (&wait);
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  gboolean found = FALSE;

  g_assert_nonnull (tasks);
  while ((tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *comm = NULL;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL)
          || !g_str_equal (g_strstrip (comm), "dailies-ledger"))
        continue;
      found = TRUE;
      errno = 0;
      g_assert_cmpint (getpriority (PRIO_PROCESS, (id_t) g_ascii_strtoull (tid, NULL, 10)), ==,
                       MIN (own_nice + 10, 19));
      g_assert_cmpint (errno, ==, 0);
    }
  g_assert_true (found);
  g_assert_cmpint (getpriority (PRIO_PROCESS, 0), ==, own_nice);
#else
  g_test_skip ("Threads have their own priority on Linux only");
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ledger/round-trip", test_ledger_round_trip);
  g_test_add_func ("/ledger/wal", test_ledger_wal);
  g_test_add_func ("/ledger/transition-claims-once", test_ledger_transition_claims_once);
  g_test_add_func ("/ledger/cancel-is-final", test_ledger_cancel_is_final);
  g_test_add_func ("/ledger/unwritable", test_ledger_unwritable);
  g_test_add_func ("/ledger/thread-priority", test_ledger_thread_priority);
  g_test_add_func ("/job/json-has-no-key", test_job_json_has_no_key);
  return g_test_run ();
}
