/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ledger's subcommands: wait, resume, jobs, cancel. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dly-cli.h"
#include "dly-error.h"

#define PROMPT_COLUMN_WIDTH 32

/* Whether the dialect can ask its backend to stop a job (not every one can). */
static gboolean
dialect_has_remote_cancel (const char *dialect)
{
  GType type = dly_backend_type_for_dialect (dialect);
  DlyBackendClass *klass;
  gboolean remote_cancel;

  if (type == G_TYPE_INVALID)
    return FALSE;
  klass = g_type_class_ref (type);
  remote_cancel = klass->remote_cancel;
  g_type_class_unref (klass);
  return remote_cancel;
}

static GOptionContext *
new_context (const char *parameter,
             const char *summary,
             const char *details)
{
  GOptionContext *context = g_option_context_new (parameter);
  g_autofree char *description = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  description = details ? g_strdup_printf ("%s\n\n%s", details, dly_cli_exit_codes_help ())
                        : g_strdup (dly_cli_exit_codes_help ());
  g_option_context_set_description (context, description);
  return context;
}

static int
fail (const GError *error)
{
  dly_cli_printerr ("%s", error->message);
  return dly_cli_exit_code_for_error (error);
}

static DlyEngine *
open_engine (int *code)
{
  g_autoptr(GError) error = NULL;
  DlyEngine *engine = dly_cli_open_engine (&error);

  if (engine == NULL)
    {
      dly_cli_printerr (_("Cannot open the job ledger: %s"), error->message);
      *code = DLY_CLI_EXIT_FAILED;
    }
  return engine;
}

/* Takes exactly one JOB_ID argument. */
static const char *
single_job_id (int    argc,
               char **argv)
{
  if (argc == 2)
    return argv[1];
  if (argc < 2)
    dly_cli_printerr (_("Give the JOB_ID; `dailies-cli jobs` lists them"));
  else
    dly_cli_printerr (_("Unexpected argument “%s”"), argv[2]);
  return NULL;
}

int
dly_cli_wait (int    argc,
              char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the final job record as JSON on stdout"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyEngine) engine = NULL;
  g_autoptr(DlyJob) job = NULL;
  g_autoptr(DlyCliWatch) watch = NULL;
  const char *id;
  gboolean was_finished;
  int code = DLY_CLI_EXIT_OK;

  context = new_context (N_("JOB_ID"),
                         _("Waits for a job of the ledger and writes its video to the --output path\n"
                           "given when it was submitted. JOB_ID may be a unique prefix. A job that\n"
                           "was never sent is sent now; one that may have been sent without an id\n"
                           "coming back is not."),
                         _("Ctrl+C leaves the job running; wait again to pick it up."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!dly_cli_parse_options (context, &argc, &argv))
    return DLY_CLI_EXIT_INVALID;
  if ((id = single_job_id (argc, argv)) == NULL)
    return DLY_CLI_EXIT_INVALID;

  if ((engine = open_engine (&code)) == NULL)
    return code;
  if ((job = dly_cli_find_job (engine, id, &error)) == NULL)
    return fail (error);

  was_finished = dly_job_is_finished (job);
  /* A job cut off by a lost connection is resumable although it "failed". */
  if (dly_job_is_resumable (job))
    {
      if (!dly_cli_check_job_key (job, &error) || !dly_engine_resume (engine, job, &error))
        return fail (error);
    }

  watch = dly_cli_watch_new (engine, json, FALSE);
  dly_cli_watch_add (watch, job, was_finished && dly_job_is_resumable (job));
  return dly_cli_watch_run (watch);
}

int
dly_cli_resume (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the final records of the resumed jobs as a JSON array on stdout"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DlyEngine) engine = NULL;
  g_autoptr(DlyCliWatch) watch = NULL;
  g_autoptr(GPtrArray) unfinished = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *jobs;
  int early_code = DLY_CLI_EXIT_OK;
  guint n_watched = 0;
  int code = DLY_CLI_EXIT_OK;

  context = new_context (NULL,
                         _("Resumes every unfinished job of the ledger and waits for all of them.\n"
                           "Jobs with a remote id are polled again and their videos downloaded to\n"
                           "their --output paths; jobs never sent are sent; a job whose submission\n"
                           "may have reached the backend without an id coming back becomes\n"
                           "“unknown” and is not resubmitted."),
                         _("With several jobs, the exit status is theirs when they all agree, else 1."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!dly_cli_parse_options (context, &argc, &argv))
    return DLY_CLI_EXIT_INVALID;
  if (argc > 1)
    {
      dly_cli_printerr (_("Unexpected argument “%s”; to pick up one job, use "
                          "`dailies-cli wait JOB_ID`"), argv[1]);
      return DLY_CLI_EXIT_INVALID;
    }

  if ((engine = open_engine (&code)) == NULL)
    return code;

  /* Collect first: resuming can reorder the job list under us. */
  jobs = dly_engine_get_jobs (engine);
  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(DlyJob) job = g_list_model_get_item (jobs, i);

      if (dly_job_is_resumable (job))
        g_ptr_array_add (unfinished, g_steal_pointer (&job));
    }

  watch = dly_cli_watch_new (engine, json, FALSE);
  dly_cli_watch_set_json_array (watch, TRUE);
  for (guint i = 0; i < unfinished->len; i++)
    {
      DlyJob *job = g_ptr_array_index (unfinished, i);
      gboolean was_finished = dly_job_is_finished (job);
      g_autoptr(GError) error = NULL;

      if (!dly_cli_check_job_key (job, &error) || !dly_engine_resume (engine, job, &error))
        {
          int job_code = dly_cli_exit_code_for_error (error);

          dly_cli_printerr ("%s", error->message);
          early_code = early_code == DLY_CLI_EXIT_OK || early_code == job_code
                       ? job_code : DLY_CLI_EXIT_FAILED;
          continue;
        }
      dly_cli_watch_add (watch, job, was_finished && dly_job_is_resumable (job));
      n_watched++;
    }

  if (unfinished->len == 0)
    {
      g_printerr (_("Nothing to resume: every job of the ledger has finished.\n"));
      if (json)
        g_print ("[]\n");
      return DLY_CLI_EXIT_OK;
    }

  code = dly_cli_watch_run (watch);
  if (code == DLY_CLI_EXIT_INTERRUPTED || early_code == DLY_CLI_EXIT_OK)
    return code;
  if (n_watched == 0 || code == DLY_CLI_EXIT_OK || code == early_code)
    return early_code;
  return DLY_CLI_EXIT_FAILED;
}

static char *
format_age (gint64 created_at,
            gint64 now)
{
  gint64 seconds = MAX (0, (now - created_at) / G_USEC_PER_SEC);

  if (created_at <= 0)
    return g_strdup ("-");
  if (seconds < 60)
    return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);
  if (seconds < 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", seconds / 60);
  if (seconds < 86400)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h", seconds / 3600);
  return g_strdup_printf ("%" G_GINT64_FORMAT "d", seconds / 86400);
}

/* The prompt's start, on one line. */
static char *
format_prompt (const char *prompt)
{
  g_autofree char *flat = g_strdup (prompt ? prompt : "");
  glong length;

  g_strdelimit (flat, "\t\r\n", ' ');
  length = g_utf8_strlen (flat, -1);
  if (length <= PROMPT_COLUMN_WIDTH)
    return g_steal_pointer (&flat);
  {
    g_autofree char *start = g_utf8_substring (flat, 0, PROMPT_COLUMN_WIDTH - 1);

    return g_strconcat (start, "…", NULL);
  }
}

static void
print_table (GPtrArray *rows,
             guint      n_columns)
{
  g_autofree glong *widths = g_new0 (glong, n_columns);

  for (guint r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);

      for (guint c = 0; c < n_columns; c++)
        widths[c] = MAX (widths[c], g_utf8_strlen (row[c], -1));
    }

  for (guint r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < n_columns; c++)
        {
          g_string_append (line, row[c]);
          if (c + 1 < n_columns)
            {
              glong pad = widths[c] - g_utf8_strlen (row[c], -1) + 2;

              for (glong p = 0; p < pad; p++)
                g_string_append_c (line, ' ');
            }
        }
      g_print ("%s\n", line->str);
    }
}

int
dly_cli_jobs (int    argc,
              char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the jobs as a JSON array of job records"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DlyEngine) engine = NULL;
  GListModel *jobs;
  guint n_jobs;
  int code = DLY_CLI_EXIT_OK;

  context = new_context (NULL,
                         _("Lists the jobs of the ledger, newest first: id, state, age, backend, the\n"
                           "start of the prompt and the output file. The ledger is shared with the\n"
                           "Dailies app and lives under $XDG_DATA_HOME/dailies/."),
                         NULL);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!dly_cli_parse_options (context, &argc, &argv))
    return DLY_CLI_EXIT_INVALID;
  if (argc > 1)
    {
      dly_cli_printerr (_("Unexpected argument “%s”"), argv[1]);
      return DLY_CLI_EXIT_INVALID;
    }

  if ((engine = open_engine (&code)) == NULL)
    return code;

  jobs = dly_engine_get_jobs (engine);
  n_jobs = g_list_model_get_n_items (jobs);

  if (json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      g_autofree char *text = NULL;

      for (guint i = 0; i < n_jobs; i++)
        {
          g_autoptr(DlyJob) job = g_list_model_get_item (jobs, i);

          json_array_add_element (array, dly_job_to_json (job));
        }
      json_node_set_array (node, array);
      text = json_to_string (node, TRUE);
      g_print ("%s\n", text);
      return DLY_CLI_EXIT_OK;
    }

  if (n_jobs == 0)
    {
      g_printerr (_("The ledger has no jobs yet.\n"));
      return DLY_CLI_EXIT_OK;
    }

  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
    gint64 now = g_get_real_time ();
    char **header = g_new0 (char *, 7);

    header[0] = g_strdup (_("ID"));
    header[1] = g_strdup (_("STATE"));
    header[2] = g_strdup (_("AGE"));
    header[3] = g_strdup (_("BACKEND"));
    header[4] = g_strdup (_("PROMPT"));
    header[5] = g_strdup (_("OUTPUT"));
    g_ptr_array_add (rows, header);

    for (guint i = 0; i < n_jobs; i++)
      {
        g_autoptr(DlyJob) job = g_list_model_get_item (jobs, i);
        char **row = g_new0 (char *, 7);
        const char *profile = dly_job_get_profile (job);
        double progress = dly_job_get_progress (job);
        DlyJobState state = dly_job_get_state (job);

        row[0] = dly_cli_short_id (dly_job_get_id (job));
        if (!dly_job_state_is_finished (state) && progress >= 0)
          row[1] = g_strdup_printf ("%s %d%%", dly_job_state_to_string (state),
                                    (int) (progress * 100.0 + 0.5));
        else
          row[1] = g_strdup (dly_job_state_to_string (state));
        row[2] = format_age (dly_job_get_created_at (job), now);
        row[3] = g_strdup (profile != NULL ? profile : dly_job_get_dialect (job));
        row[4] = format_prompt (dly_request_get_prompt (dly_job_get_request (job)));
        row[5] = g_strdup (dly_job_get_output_path (job) ? dly_job_get_output_path (job) : "-");
        g_ptr_array_add (rows, row);
      }
    print_table (rows, 6);
  }
  return DLY_CLI_EXIT_OK;
}

int
dly_cli_cancel (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the final job record as JSON on stdout"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyEngine) engine = NULL;
  g_autoptr(DlyJob) job = NULL;
  g_autoptr(DlyCliWatch) watch = NULL;
  g_autofree char *short_id = NULL;
  const char *id;
  int code = DLY_CLI_EXIT_OK;

  context = new_context (N_("JOB_ID"),
                         _("Cancels a job of the ledger, wherever it runs: on the backend where the\n"
                           "dialect has a cancel request, and in the ledger, so that the process\n"
                           "waiting for it (generate, wait, the app) stops and reports it\n"
                           "cancelled. Exits 0 once the job is cancelled."),
                         _("A backend without a cancel request may still finish the job; it is then\n"
                           "not downloaded."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!dly_cli_parse_options (context, &argc, &argv))
    return DLY_CLI_EXIT_INVALID;
  if ((id = single_job_id (argc, argv)) == NULL)
    return DLY_CLI_EXIT_INVALID;

  if ((engine = open_engine (&code)) == NULL)
    return code;
  if ((job = dly_cli_find_job (engine, id, &error)) == NULL)
    return fail (error);
  short_id = dly_cli_short_id (dly_job_get_id (job));

  if (dly_job_get_state (job) == DLY_JOB_STATE_CANCELLED)
    {
      g_printerr (_("%s was already cancelled\n"), short_id);
      if (json)
        {
          g_autoptr(JsonNode) node = dly_job_to_json (job);
          g_autofree char *text = json_to_string (node, TRUE);

          g_print ("%s\n", text);
        }
      return DLY_CLI_EXIT_OK;
    }
  if (dly_job_is_finished (job) && !dly_job_is_resumable (job))
    {
      dly_cli_printerr (_("Job %s has already finished (%s); there is nothing to cancel"),
                        short_id, dly_job_state_to_string (dly_job_get_state (job)));
      return DLY_CLI_EXIT_INVALID;
    }

  if (dly_job_get_remote_id (job) != NULL
      && !dialect_has_remote_cancel (dly_job_get_dialect (job)))
    g_printerr (_("%s: the %s dialect has no cancel request, so the backend may still "
                  "finish the job; it will not be downloaded\n"),
                short_id, dly_job_get_dialect (job));

  dly_engine_cancel (engine, job);

  watch = dly_cli_watch_new (engine, json, FALSE);
  dly_cli_watch_add (watch, job, FALSE);
  code = dly_cli_watch_run (watch);

  switch (code)
    {
    case DLY_CLI_EXIT_CANCELLED:
      return DLY_CLI_EXIT_OK;
    case DLY_CLI_EXIT_INTERRUPTED:
      return code;
    default:
      dly_cli_printerr (_("Job %s finished before it could be cancelled"), short_id);
      return DLY_CLI_EXIT_FAILED;
    }
}
