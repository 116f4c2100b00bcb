/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dailies-sim: the backend simulator as a program, for the demo backend, for testing the CLI
 * from another process, and for benchmarks. Listens on 127.0.0.1 only.
 *
 * Prints one line per dialect, "DIALECT URL", then "cdn URL" and "control URL", and a line
 * "ready" once it serves; a parent process can read the port from there with --port 0.
 * Faults can also be changed while it runs: POST /_sim/config (see dly-sim.h). */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>
#include <gst/gst.h>

#include "dly-sim.h"

static int      opt_port = 8000;
static double   opt_job_seconds = -1;
static char    *opt_api_key;
static gint64   opt_max_pixels = -1;
static gint64   opt_download_rate;
static int      opt_latency_ms;
static gboolean opt_credits_exhausted;
static gboolean opt_redirect;
static gboolean opt_graceful;
static double   opt_retention = -1;
static gboolean opt_apixo_http_errors;
static int      opt_fail_next;
static char    *opt_fail_message;
static char    *opt_fail_code;
static int      opt_timeout_next;
static int      opt_content_violation;
static int      opt_http_503;
static int      opt_http_429;
static int      opt_retry_after = 1;
static int      opt_truncate_next;
static int      opt_malformed_next;
static char    *opt_dialect;
static char    *opt_cache_dir;
static gboolean opt_quiet;

static const GOptionEntry entries[] = {
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port,
    "Port on 127.0.0.1 (0 picks a free one; default 8000)", "N" },
  { "job-seconds", 'j', 0, G_OPTION_ARG_DOUBLE, &opt_job_seconds,
    "Seconds from submit to result: a quarter queued, the rest running (default 5)", "S" },
  { "api-key", 'k', 0, G_OPTION_ARG_STRING, &opt_api_key,
    "Key that apixo, runpod and segmind requests must carry", "KEY" },
  { "max-render-pixels", 0, 0, G_OPTION_ARG_INT64, &opt_max_pixels,
    "Scale down frames larger than this many pixels (default 921600)", "N" },
  { "download-rate", 0, 0, G_OPTION_ARG_INT64, &opt_download_rate,
    "Serve every download at this many bytes per second", "BPS" },
  { "latency-ms", 0, 0, G_OPTION_ARG_INT, &opt_latency_ms,
    "Delay every API answer by this many milliseconds", "MS" },
  { "credits-exhausted", 0, 0, G_OPTION_ARG_NONE, &opt_credits_exhausted,
    "Refuse generations for lack of credits (apixo 400, segmind 406, runpod 402)", NULL },
  { "redirect-results", 0, 0, G_OPTION_ARG_NONE, &opt_redirect,
    "Result URLs answer 302 to the CDN host", NULL },
  { "graceful-failures", 0, 0, G_OPTION_ARG_NONE, &opt_graceful,
    "runpod reports failures as COMPLETED with output.status FAILED", NULL },
  { "retention", 0, 0, G_OPTION_ARG_DOUBLE, &opt_retention,
    "runpod: seconds a finished job stays visible (default 1800)", "S" },
  { "apixo-http-errors", 0, 0, G_OPTION_ARG_NONE, &opt_apixo_http_errors,
    "apixo: envelope errors also set the HTTP status", NULL },
  { "fail-next", 0, 0, G_OPTION_ARG_INT, &opt_fail_next,
    "Fail the next N jobs", "N" },
  { "fail-message", 0, 0, G_OPTION_ARG_STRING, &opt_fail_message,
    "Message of those failures", "TEXT" },
  { "fail-code", 0, 0, G_OPTION_ARG_STRING, &opt_fail_code,
    "apixo failCode of those failures", "CODE" },
  { "timeout-next", 0, 0, G_OPTION_ARG_INT, &opt_timeout_next,
    "Time out the next N jobs (runpod TIMED_OUT, segmind 504)", "N" },
  { "content-violation", 0, 0, G_OPTION_ARG_INT, &opt_content_violation,
    "Fail the next N jobs with CONTENT_VIOLATION", "N" },
  { "http-503", 0, 0, G_OPTION_ARG_INT, &opt_http_503,
    "Answer the next N API requests 503", "N" },
  { "http-429", 0, 0, G_OPTION_ARG_INT, &opt_http_429,
    "Then answer N API requests 429", "N" },
  { "retry-after", 0, 0, G_OPTION_ARG_INT, &opt_retry_after,
    "Retry-After seconds of those answers (default 1)", "S" },
  { "truncate-next", 0, 0, G_OPTION_ARG_INT, &opt_truncate_next,
    "Cut the next N downloads in half", "N" },
  { "malformed-next", 0, 0, G_OPTION_ARG_INT, &opt_malformed_next,
    "Answer the next N status polls with broken JSON", "N" },
  { "fault-dialect", 0, 0, G_OPTION_ARG_STRING, &opt_dialect,
    "Limit the counted faults above to one dialect", "DIALECT" },
  { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_cache_dir,
    "Keep renders here across runs (default: a temporary directory)", "DIR" },
  { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet,
    "Print only the URLs", NULL },
  { NULL }
};

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
dialect_is_known (const char *name)
{
  return name == NULL || g_strv_contains (dly_sim_list_dialects (), name);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DlySim) sim = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  const char *const *dialects;

  context = g_option_context_new ("— simulate the LTX video backends Dailies speaks to");
  g_option_context_set_summary (context,
                                "Serves ltxv-task, ltx2-server, apixo, runpod and segmind on "
                                "127.0.0.1 with synthetic clips (no AI model).");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("dailies-sim: %s\n", error->message);
      return EXIT_FAILURE;
    }

  if (opt_port < 0 || opt_port > G_MAXUINT16)
    {
      g_printerr ("dailies-sim: --port must be from 0 to 65535\n");
      return EXIT_FAILURE;
    }
  if (!dialect_is_known (opt_dialect))
    {
      g_printerr ("dailies-sim: unknown dialect “%s”\n", opt_dialect);
      return EXIT_FAILURE;
    }

  gst_init (NULL, NULL);

  sim = dly_sim_new_with_cache_dir (opt_cache_dir);
  if (opt_job_seconds >= 0)
    dly_sim_set_job_seconds (sim, opt_job_seconds);
  dly_sim_set_api_key (sim, opt_api_key);
  if (opt_max_pixels >= 0)
    dly_sim_set_max_render_pixels (sim, opt_max_pixels);
  if (opt_download_rate > 0)
    dly_sim_set_download_rate (sim, opt_download_rate);
  if (opt_latency_ms > 0)
    dly_sim_set_latency_ms (sim, opt_latency_ms);
  dly_sim_set_credits_exhausted (sim, opt_credits_exhausted);
  dly_sim_set_redirect_results (sim, opt_redirect);
  dly_sim_set_graceful_failures (sim, opt_graceful);
  if (opt_retention >= 0)
    dly_sim_set_result_retention (sim, opt_retention);
  dly_sim_set_apixo_http_errors (sim, opt_apixo_http_errors);
  if (opt_fail_next > 0)
    dly_sim_fail_next_jobs (sim, opt_dialect, opt_fail_next, opt_fail_message, opt_fail_code);
  if (opt_timeout_next > 0)
    dly_sim_time_out_next_jobs (sim, opt_dialect, opt_timeout_next);
  if (opt_content_violation > 0)
    dly_sim_fail_next_jobs (sim, opt_dialect, opt_content_violation,
                            "Content does not meet safety guidelines", "CONTENT_VIOLATION");
  if (opt_http_503 > 0)
    dly_sim_inject_http_errors (sim, opt_dialect, 503, opt_http_503, MAX (0, opt_retry_after));
  if (opt_http_429 > 0)
    dly_sim_inject_http_errors (sim, opt_dialect, 429, opt_http_429, MAX (0, opt_retry_after));
  if (opt_truncate_next > 0)
    dly_sim_truncate_next_downloads (sim, opt_dialect, opt_truncate_next);
  if (opt_malformed_next > 0)
    dly_sim_malform_next_status (sim, opt_dialect, opt_malformed_next);

  if (!dly_sim_start (sim, (guint16) opt_port, &error))
    {
      g_printerr ("dailies-sim: cannot listen on 127.0.0.1:%d: %s\n", opt_port, error->message);
      return EXIT_FAILURE;
    }

  if (!opt_quiet)
    g_print ("dailies-sim %s: synthetic clips, no AI model\n", PACKAGE_VERSION);
  dialects = dly_sim_list_dialects ();
  for (guint i = 0; dialects[i] != NULL; i++)
    g_print ("%-12s %s\n", dialects[i], dly_sim_get_base_url (sim, dialects[i]));
  g_print ("%-12s %s\n", "cdn", dly_sim_get_cdn_url (sim));
  g_print ("%-12s %s/_sim/\n", "control", dly_sim_get_url (sim));
  g_print ("ready\n");
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);

  dly_sim_stop (sim);
  return EXIT_SUCCESS;
}
