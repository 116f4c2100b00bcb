/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dly-cli.h"
#include "dly-error.h"

#define SHORT_ID_LENGTH 8

const char *
dly_cli_exit_codes_help (void)
{
  return _("Exit status:\n"
           "  0    success\n"
           "  1    the backend reported a failure (its message is on stderr), or the job\n"
           "       is “unknown”: its submission may have reached the backend but no id came\n"
           "       back; it is never resubmitted automatically, check the backend\n"
           "  2    invalid input or usage; nothing was sent\n"
           "  3    the backend could not be reached, or the connection kept failing, after\n"
           "       retries\n"
           "  4    the job was cancelled\n"
           "  130  interrupted by SIGINT or SIGTERM: the job keeps running on the backend\n"
           "       and `dailies-cli wait JOB_ID` picks it up\n"
           "\n"
           "A failed job maps to a status by its error: unreachable backend or transport\n"
           "failure → 3; invalid input → 2; the backend's failure, authentication, credits,\n"
           "job not found, time limit, protocol or result errors → 1.");
}

void
dly_cli_printerr (const char *format,
                  ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("dailies-cli: %s\n", text);
}

gboolean
dly_cli_parse_options (GOptionContext  *context,
                       int             *argc,
                       char          ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      dly_cli_printerr ("%s", error->message);
      g_printerr (_("Try “%s --help”.\n"), (*argv)[0]);
      return FALSE;
    }
  return TRUE;
}

int
dly_cli_exit_code_for_error (const GError *error)
{
  if (error == NULL)
    return DLY_CLI_EXIT_OK;
  if (error->domain == G_OPTION_ERROR)
    return DLY_CLI_EXIT_INVALID;
  if (error->domain != DLY_ERROR)
    return DLY_CLI_EXIT_FAILED;

  switch ((DlyError) error->code)
    {
    case DLY_ERROR_INVALID_INPUT:
      return DLY_CLI_EXIT_INVALID;
    case DLY_ERROR_TRANSIENT:
    case DLY_ERROR_TRANSPORT:
      return DLY_CLI_EXIT_TRANSPORT;
    case DLY_ERROR_CANCELLED:
      return DLY_CLI_EXIT_CANCELLED;
    case DLY_ERROR_BACKEND_FAILED:
    case DLY_ERROR_AUTH:
    case DLY_ERROR_CREDITS:
    case DLY_ERROR_PROTOCOL:
    case DLY_ERROR_NOT_FOUND:
    case DLY_ERROR_TIMEOUT:
    case DLY_ERROR_UNKNOWN_SUBMISSION:
    case DLY_ERROR_RESULT:
    default:
      return DLY_CLI_EXIT_FAILED;
    }
}

int
dly_cli_exit_code_for_job (DlyJob *job)
{
  switch (dly_job_get_state (job))
    {
    case DLY_JOB_STATE_SUCCEEDED:
      return DLY_CLI_EXIT_OK;
    case DLY_JOB_STATE_CANCELLED:
      return DLY_CLI_EXIT_CANCELLED;
    case DLY_JOB_STATE_FAILED:
      {
        int code = dly_job_get_error_code (job);
        g_autoptr(GError) error = NULL;

        if (code < 0)
          return DLY_CLI_EXIT_FAILED;
        error = g_error_new_literal (DLY_ERROR, code, "");
        return dly_cli_exit_code_for_error (error);
      }
    case DLY_JOB_STATE_UNKNOWN:
    case DLY_JOB_STATE_QUEUED:
    case DLY_JOB_STATE_SUBMITTING:
    case DLY_JOB_STATE_WAITING:
    case DLY_JOB_STATE_RUNNING:
    case DLY_JOB_STATE_DOWNLOADING:
    default:
      return DLY_CLI_EXIT_FAILED;
    }
}

void
dly_cli_await_init (DlyCliAwait *await)
{
  await->loop = g_main_loop_new (NULL, FALSE);
  await->result = NULL;
}

void
dly_cli_await_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DlyCliAwait *await = user_data;

  await->result = g_object_ref (result);
  g_main_loop_quit (await->loop);
}

GAsyncResult *
dly_cli_await_result (DlyCliAwait *await)
{
  if (await->result == NULL)
    g_main_loop_run (await->loop);
  return await->result;
}

void
dly_cli_await_clear (DlyCliAwait *await)
{
  g_clear_pointer (&await->loop, g_main_loop_unref);
  g_clear_object (&await->result);
}

static void
profile_resolved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyBackend) backend = dly_cli_resolve_profile_finish (result, &error);

  dly_engine_resolve_done (task, backend, g_steal_pointer (&error));
}

/* The engine asks for a backend when it picks up a job of the ledger. */
static void
resolve_job_backend (DlyEngine *engine,
                     DlyJob    *job,
                     GTask     *task,
                     gpointer   user_data)
{
  g_autoptr(DlyBackend) backend = NULL;
  GError *error = NULL;

  if (dly_job_get_profile (job) != NULL)
    {
      dly_cli_resolve_profile_async (engine, dly_job_get_profile (job), NULL,
                                     g_task_get_cancellable (task),
                                     profile_resolved_cb, g_object_ref (task));
      return;
    }

  backend = dly_backend_new_for_dialect (dly_job_get_dialect (job),
                                         dly_job_get_base_url (job), &error);
  if (backend != NULL && dly_job_get_api_key_env (job) != NULL)
    {
      if (!dly_cli_check_job_key (job, &error))
        g_clear_object (&backend);
      else
        dly_backend_set_api_key (backend, g_getenv (dly_job_get_api_key_env (job)));
    }

  dly_engine_resolve_done (task, backend, error);
}

DlyEngine *
dly_cli_open_engine (GError **error)
{
  g_autoptr(DlyEngine) engine = dly_engine_new (NULL);
  DlyCliAwait await;
  gboolean ok;

  dly_engine_set_backend_resolver (engine, resolve_job_backend, NULL, NULL);

  dly_cli_await_init (&await);
  dly_engine_open_async (engine, NULL, dly_cli_await_cb, &await);
  ok = dly_engine_open_finish (engine, dly_cli_await_result (&await), error);
  dly_cli_await_clear (&await);

  return ok ? g_steal_pointer (&engine) : NULL;
}

char *
dly_cli_short_id (const char *id)
{
  if (id == NULL)
    return g_strdup ("");
  return g_strndup (id, SHORT_ID_LENGTH);
}

DlyJob *
dly_cli_find_job (DlyEngine  *engine,
                  const char *id_or_prefix,
                  GError    **error)
{
  GListModel *jobs = dly_engine_get_jobs (engine);
  g_autoptr(DlyJob) found = NULL;
  guint n_matches = 0;
  gsize len = strlen (id_or_prefix);

  if (len == 0)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT, _("The job id is empty"));
      return NULL;
    }

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(DlyJob) job = g_list_model_get_item (jobs, i);
      const char *id = dly_job_get_id (job);

      if (g_strcmp0 (id, id_or_prefix) == 0)
        return g_steal_pointer (&job);
      if (g_str_has_prefix (id, id_or_prefix))
        {
          n_matches++;
          g_set_object (&found, job);
        }
    }

  if (n_matches == 1)
    return g_steal_pointer (&found);

  if (n_matches == 0)
    g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                 _("No job “%s” in the ledger; `dailies-cli jobs` lists them"), id_or_prefix);
  else
    g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                 _("“%s” matches %u jobs; give more of the id"), id_or_prefix, n_matches);
  return NULL;
}

gboolean
dly_cli_check_job_key (DlyJob  *job,
                       GError **error)
{
  const char *variable = dly_job_get_api_key_env (job);
  const char *key;

  if (variable == NULL)
    return TRUE;

  key = g_getenv (variable);
  if (key == NULL || *key == '\0')
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("Job %s takes its API key from $%s, which is not set here; "
                     "export it and try again"),
                   dly_job_get_id (job), variable);
      return FALSE;
    }
  return TRUE;
}
