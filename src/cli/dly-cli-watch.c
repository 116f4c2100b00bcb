/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Following jobs to their end: what `generate`, `wait` and `resume` share. */
#include "config.h"

#include <signal.h>
#include <unistd.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "dly-cli.h"

/* How long we keep asking the ledger to catch up with a job before exiting anyway. */
#define LEDGER_RETRY_MS 50
#define LEDGER_MAX_TRIES 100
/* Without a terminal, progress is printed in steps so that logs stay short. */
#define PROGRESS_STEP_PERCENT 10
/* How often we check that the engine still drives the jobs we wait for. */
#define WATCHDOG_SECONDS 1

typedef struct
{
  DlyCliWatch *watch;
  DlyJob      *job;
  char        *short_id;
  DlyJobState  last_state;
  int          last_percent;
  char        *last_message;
  char        *last_remote_id;
  gboolean     done;
  gboolean     restarting;     /* resumed from a finished state: that state is not the end */
  int          forced_code;    /* the engine could not make its backend, or let it go; else -1 */
  gboolean     checking;       /* a ledger read is in flight */
  guint        retry_source;
  guint        message_source;
  guint        n_tries;
  gulong       notify_handler;
} WatchEntry;

struct _DlyCliWatch
{
  DlyEngine    *engine;
  GMainLoop    *loop;
  GPtrArray    *entries;
  JsonArray    *records;
  gboolean      json;
  gboolean      json_array;
  gboolean      detach;
  gboolean      interrupted;
  gboolean      tty;
  gboolean      line_open;     /* a progress line is being redrawn on the terminal */
  guint         n_pending;
  guint         sigint_source;
  guint         sigterm_source;
  guint         watchdog_source;
  gulong        finished_handler;
  gulong        released_handler;
};

static void entry_check (WatchEntry *entry);

static void
watch_entry_free (gpointer data)
{
  WatchEntry *entry = data;

  g_clear_handle_id (&entry->retry_source, g_source_remove);
  g_clear_handle_id (&entry->message_source, g_source_remove);
  g_clear_signal_handler (&entry->notify_handler, entry->job);
  g_clear_object (&entry->job);
  g_free (entry->short_id);
  g_free (entry->last_message);
  g_free (entry->last_remote_id);
  g_free (entry);
}

/* One line on stderr; on a terminal, @transient lines (progress) redraw in place. */
static void
emit (DlyCliWatch *watch,
      gboolean     transient,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static void
emit (DlyCliWatch *watch,
      gboolean     transient,
      const char  *format,
      ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  if (watch->tty && transient)
    {
      g_printerr ("\r\033[K%s", text);
      watch->line_open = TRUE;
      return;
    }
  if (watch->line_open)
    {
      g_printerr ("\r\033[K");
      watch->line_open = FALSE;
    }
  g_printerr ("%s\n", text);
}

static void
entry_done (WatchEntry *entry)
{
  DlyCliWatch *watch = entry->watch;

  if (entry->done)
    return;
  entry->done = TRUE;
  g_clear_handle_id (&entry->retry_source, g_source_remove);
  g_clear_handle_id (&entry->message_source, g_source_remove);
  g_clear_signal_handler (&entry->notify_handler, entry->job);

  g_assert (watch->n_pending > 0);
  if (--watch->n_pending == 0)
    g_main_loop_quit (watch->loop);
}

static void
print_outcome (WatchEntry *entry)
{
  DlyCliWatch *watch = entry->watch;
  DlyJob *job = entry->job;
  const char *message = dly_job_get_message (job);

  switch (dly_job_get_state (job))
    {
    case DLY_JOB_STATE_SUCCEEDED:
      emit (watch, FALSE, _("%s succeeded: %s (%.1f s)"), entry->short_id,
            dly_job_get_output_path (job), dly_job_get_elapsed (job));
      break;
    case DLY_JOB_STATE_CANCELLED:
      emit (watch, FALSE, _("%s cancelled"), entry->short_id);
      break;
    case DLY_JOB_STATE_UNKNOWN:
      emit (watch, FALSE,
            _("%s unknown: the submission may have reached the backend at %s, but no job id "
              "came back. It is not resubmitted automatically, since every submission can "
              "cost money: check the backend before generating again."),
            entry->short_id, dly_job_get_base_url (job));
      if (message != NULL && *message != '\0')
        emit (watch, FALSE, "%s %s", entry->short_id, message);
      break;
    case DLY_JOB_STATE_FAILED:
      emit (watch, FALSE, _("%s failed: %s"), entry->short_id,
            message != NULL && *message != '\0' ? message : _("no reason given"));
      break;
    case DLY_JOB_STATE_QUEUED:
    case DLY_JOB_STATE_SUBMITTING:
    case DLY_JOB_STATE_WAITING:
    case DLY_JOB_STATE_RUNNING:
    case DLY_JOB_STATE_DOWNLOADING:
    default:
      g_assert_not_reached ();
    }

  if (watch->json)
    json_array_add_element (watch->records, dly_job_to_json (job));
}

static void
print_detached (WatchEntry *entry)
{
  DlyCliWatch *watch = entry->watch;
  const char *id = dly_job_get_id (entry->job);

  if (watch->interrupted)
    {
      if (dly_job_get_state (entry->job) == DLY_JOB_STATE_QUEUED)
        emit (watch, FALSE, _("%s was not sent yet; `dailies-cli wait %s` sends it and picks it up"),
              entry->short_id, id);
      else
        emit (watch, FALSE, _("%s keeps running; `dailies-cli wait %s` picks it up"),
              entry->short_id, id);
    }
  else
    emit (watch, FALSE, _("%s submitted (remote id %s); `dailies-cli wait %s` picks it up"),
          entry->short_id, dly_job_get_remote_id (entry->job), id);

  if (watch->json)
    json_array_add_element (watch->records, dly_job_to_json (entry->job));
  else if (!watch->interrupted)
    g_print ("%s\n", id);
}

static gboolean
retry_check_cb (gpointer user_data)
{
  WatchEntry *entry = user_data;

  entry->retry_source = 0;
  entry_check (entry);
  return G_SOURCE_REMOVE;
}

/* The ledger runs its SQL in order on one thread: once our read returns, every save the
 * engine queued before it has reached the database. We exit only when the ledger agrees
 * with what we print, so that `wait` and `resume` in another process see the same job. */
static void
ledger_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  WatchEntry *entry = user_data;
  DlyJob *job = entry->job;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyJob) stored = dly_ledger_load_job_finish (DLY_LEDGER (source), result, &error);
  gboolean finished = dly_job_is_finished (job);
  gboolean agrees;

  entry->checking = FALSE;
  if (entry->done)
    return;

  if (stored == NULL)
    agrees = FALSE;
  else if (finished)
    agrees = dly_job_get_state (stored) == dly_job_get_state (job);
  else if (dly_job_get_remote_id (job) == NULL)
    /* Interrupted while queued (never sent, or back after a refused submit): leave only
     * once the ledger says queued too, or resume would take it for possibly sent. */
    agrees = dly_job_get_state (stored) == DLY_JOB_STATE_QUEUED;
  else
    agrees = dly_job_get_remote_id (stored) != NULL;

  if (!agrees && ++entry->n_tries < LEDGER_MAX_TRIES)
    {
      entry->retry_source = g_timeout_add (LEDGER_RETRY_MS, retry_check_cb, entry);
      return;
    }
  if (!agrees)
    dly_cli_printerr (_("The ledger did not record the last state of job %s: %s"),
                      entry->short_id,
                      error ? error->message : dly_job_state_to_string (dly_job_get_state (job)));

  if (finished)
    print_outcome (entry);
  else
    print_detached (entry);
  entry_done (entry);
}

/* Decides whether the entry is done: finished, or (detaching) safely recorded. */
static void
entry_check (WatchEntry *entry)
{
  DlyCliWatch *watch = entry->watch;
  DlyJob *job = entry->job;
  DlyJobState state = dly_job_get_state (job);

  if (entry->done || entry->checking || entry->retry_source != 0)
    return;

  if (entry->restarting && dly_job_is_finished (job))
    return;
  if (!dly_job_is_finished (job))
    {
      if (!(watch->detach || watch->interrupted))
        return;
      /* --detach waits for the backend's id. So does an interrupt during a submit, since
       * leaving then would make the job unknown; a job never sent can simply stay queued. */
      if (dly_job_get_remote_id (job) == NULL
          && !(watch->interrupted && state == DLY_JOB_STATE_QUEUED))
        return;
    }

  entry->checking = TRUE;
  dly_ledger_load_job_async (dly_engine_get_ledger (watch->engine), dly_job_get_id (job),
                             NULL, ledger_read_cb, entry);
}

static gboolean
print_message_cb (gpointer user_data)
{
  WatchEntry *entry = user_data;
  const char *message = dly_job_get_message (entry->job);

  entry->message_source = 0;
  if (entry->done || dly_job_is_finished (entry->job))
    return G_SOURCE_REMOVE;
  if (message != NULL && *message != '\0' && g_strcmp0 (message, entry->last_message) != 0)
    {
      emit (entry->watch, FALSE, "%s %s", entry->short_id, message);
      g_free (entry->last_message);
      entry->last_message = g_strdup (message);
    }
  return G_SOURCE_REMOVE;
}

static void
print_changes (WatchEntry *entry)
{
  DlyCliWatch *watch = entry->watch;
  DlyJob *job = entry->job;
  DlyJobState state = dly_job_get_state (job);
  const char *remote_id = dly_job_get_remote_id (job);
  const char *message = dly_job_get_message (job);
  double progress = dly_job_get_progress (job);

  if (dly_job_state_is_finished (state))
    return;   /* the outcome line says it all */

  if (state != entry->last_state)
    {
      entry->last_state = state;
      entry->last_percent = -1;
      if (state == DLY_JOB_STATE_SUBMITTING)
        emit (watch, FALSE, _("%s submitting to %s at %s"), entry->short_id,
              dly_job_get_dialect (job), dly_job_get_base_url (job));
      else if (remote_id != NULL && g_strcmp0 (remote_id, entry->last_remote_id) != 0)
        emit (watch, FALSE, _("%s %s (remote id %s)"), entry->short_id,
              dly_job_state_to_string (state), remote_id);
      else
        emit (watch, FALSE, "%s %s", entry->short_id, dly_job_state_to_string (state));
      g_free (entry->last_remote_id);
      entry->last_remote_id = g_strdup (remote_id);
    }

  /* The engine sets a failure's message just before the final state: wait for the state
   * to settle, so that the outcome line says it once. */
  if (message != NULL && *message != '\0' && g_strcmp0 (message, entry->last_message) != 0
      && entry->message_source == 0)
    entry->message_source = g_idle_add (print_message_cb, entry);

  if (progress >= 0)
    {
      int percent = (int) (CLAMP (progress, 0.0, 1.0) * 100.0 + 0.5);
      gboolean worth_it = watch->tty ? percent != entry->last_percent
                                     : (entry->last_percent < 0
                                        || percent >= entry->last_percent + PROGRESS_STEP_PERCENT
                                        || (percent == 100 && entry->last_percent != 100));

      if (worth_it)
        {
          entry->last_percent = percent;
          emit (watch, TRUE, "%s %s %d%%", entry->short_id, dly_job_state_to_string (state),
                percent);
        }
    }
}

static void
on_job_notify_cb (DlyJob     *job,
                  GParamSpec *pspec,
                  WatchEntry *entry)
{
  if (entry->restarting && !dly_job_is_finished (job))
    entry->restarting = FALSE;
  print_changes (entry);
  entry_check (entry);
}

static void
on_engine_job_finished_cb (DlyEngine   *engine,
                           DlyJob      *job,
                           DlyCliWatch *watch)
{
  for (guint i = 0; i < watch->entries->len; i++)
    {
      WatchEntry *entry = g_ptr_array_index (watch->entries, i);

      if (entry->job != job || entry->done)
        continue;
      /* Released without finishing: the engine could not make the job's backend here (a
       * profile or key that is missing), or another process claimed it. Nothing was sent by
       * this process; the job stays as it was. */
      if (!dly_job_is_finished (job) || entry->restarting)
        {
          const char *message = dly_job_get_message (job);

          dly_cli_printerr (_("Cannot pick up job %s: %s"), entry->short_id,
                            message != NULL ? message : _("no backend for it"));
          entry->forced_code = DLY_CLI_EXIT_INVALID;   /* nothing was sent */
          entry_done (entry);
          continue;
        }
      entry_check (entry);
    }
}

/* The engine lets a job go without finishing it when another process claimed its submit
 * first. Nothing more will happen to it here: say so rather than wait forever. */
static gboolean
on_watchdog_cb (gpointer user_data)
{
  DlyCliWatch *watch = user_data;

  if (dly_engine_get_n_active (watch->engine) > 0)
    return G_SOURCE_CONTINUE;

  for (guint i = 0; i < watch->entries->len; i++)
    {
      WatchEntry *entry = g_ptr_array_index (watch->entries, i);

      if (entry->done || entry->checking || entry->retry_source != 0
          || (dly_job_is_finished (entry->job) && !entry->restarting))
        continue;
      dly_cli_printerr (_("Job %s is no longer followed by this process (%s); "
                          "`dailies-cli jobs` shows where it stands"),
                        entry->short_id,
                        dly_job_get_message (entry->job) ? dly_job_get_message (entry->job)
                                                         : _("no reason given"));
      entry->forced_code = DLY_CLI_EXIT_FAILED;
      entry_done (entry);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_signal_cb (gpointer user_data)
{
  DlyCliWatch *watch = user_data;

  if (watch->interrupted)
    {
      /* The second time, the user means it: the ledger keeps whatever it has. */
      emit (watch, FALSE, _("Quitting now."));
      g_main_loop_quit (watch->loop);
      return G_SOURCE_CONTINUE;
    }

  watch->interrupted = TRUE;
  for (guint i = 0; i < watch->entries->len; i++)
    {
      WatchEntry *entry = g_ptr_array_index (watch->entries, i);

      if (entry->done)
        continue;
      if (dly_job_get_state (entry->job) == DLY_JOB_STATE_SUBMITTING
          && dly_job_get_remote_id (entry->job) == NULL)
        emit (watch, FALSE,
              _("%s: waiting for the backend to acknowledge the submission before detaching "
                "(interrupt again to quit now; the job would become unknown)"),
              entry->short_id);
      entry_check (entry);
    }
  return G_SOURCE_CONTINUE;
}

DlyCliWatch *
dly_cli_watch_new (DlyEngine *engine,
                   gboolean   json,
                   gboolean   detach)
{
  DlyCliWatch *watch = g_new0 (DlyCliWatch, 1);

  watch->engine = g_object_ref (engine);
  watch->loop = g_main_loop_new (NULL, FALSE);
  watch->entries = g_ptr_array_new_with_free_func (watch_entry_free);
  watch->records = json_array_new ();
  watch->json = json;
  watch->detach = detach;
  watch->tty = isatty (STDERR_FILENO);
  watch->finished_handler = g_signal_connect (engine, "job-finished",
                                              G_CALLBACK (on_engine_job_finished_cb), watch);
  watch->released_handler = g_signal_connect (engine, "job-released",
                                              G_CALLBACK (on_engine_job_finished_cb), watch);
  return watch;
}

void
dly_cli_watch_add (DlyCliWatch *watch,
                   DlyJob      *job,
                   gboolean     restarting)
{
  WatchEntry *entry = g_new0 (WatchEntry, 1);

  entry->restarting = restarting;
  entry->forced_code = -1;
  entry->watch = watch;
  entry->job = g_object_ref (job);
  entry->short_id = dly_cli_short_id (dly_job_get_id (job));
  entry->last_state = (DlyJobState) -1;
  entry->last_percent = -1;
  entry->last_remote_id = g_strdup (dly_job_get_remote_id (job));
  entry->notify_handler = g_signal_connect (job, "notify", G_CALLBACK (on_job_notify_cb), entry);
  g_ptr_array_add (watch->entries, entry);
  watch->n_pending++;
}

int
dly_cli_watch_run (DlyCliWatch *watch)
{
  int code = DLY_CLI_EXIT_OK;
  gboolean same_failure = TRUE;
  int first_failure = DLY_CLI_EXIT_OK;

  watch->sigint_source = g_unix_signal_add (SIGINT, on_signal_cb, watch);
  watch->sigterm_source = g_unix_signal_add (SIGTERM, on_signal_cb, watch);
  watch->watchdog_source = g_timeout_add_seconds (WATCHDOG_SECONDS, on_watchdog_cb, watch);

  for (guint i = 0; i < watch->entries->len; i++)
    {
      WatchEntry *entry = g_ptr_array_index (watch->entries, i);

      print_changes (entry);
      entry_check (entry);
    }

  if (watch->n_pending > 0)
    g_main_loop_run (watch->loop);

  g_clear_handle_id (&watch->sigint_source, g_source_remove);
  g_clear_handle_id (&watch->sigterm_source, g_source_remove);
  g_clear_handle_id (&watch->watchdog_source, g_source_remove);

  if (watch->json && json_array_get_length (watch->records) > 0)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      if (watch->json_array || json_array_get_length (watch->records) > 1)
        {
          node = json_node_new (JSON_NODE_ARRAY);
          json_node_set_array (node, watch->records);
        }
      else
        node = json_node_copy (json_array_get_element (watch->records, 0));
      text = json_to_string (node, TRUE);
      g_print ("%s\n", text);
    }

  if (watch->interrupted)
    return DLY_CLI_EXIT_INTERRUPTED;

  /* One job: its own code. Several: theirs if they agree, else 1 (see --help). */
  for (guint i = 0; i < watch->entries->len; i++)
    {
      WatchEntry *entry = g_ptr_array_index (watch->entries, i);
      int entry_code;

      if (!entry->done)
        continue;
      if (entry->forced_code >= 0)
        entry_code = entry->forced_code;
      else if (!dly_job_is_finished (entry->job))
        continue;   /* detached: submitted fine */
      else
        entry_code = dly_cli_exit_code_for_job (entry->job);
      if (entry_code == DLY_CLI_EXIT_OK)
        continue;
      if (first_failure == DLY_CLI_EXIT_OK)
        first_failure = entry_code;
      else if (entry_code != first_failure)
        same_failure = FALSE;
    }
  if (first_failure != DLY_CLI_EXIT_OK)
    code = same_failure ? first_failure : DLY_CLI_EXIT_FAILED;

  return code;
}

void
dly_cli_watch_set_json_array (DlyCliWatch *watch,
                              gboolean     json_array)
{
  watch->json_array = json_array;
}

void
dly_cli_watch_free (DlyCliWatch *watch)
{
  g_clear_handle_id (&watch->sigint_source, g_source_remove);
  g_clear_handle_id (&watch->sigterm_source, g_source_remove);
  g_clear_handle_id (&watch->watchdog_source, g_source_remove);
  g_clear_signal_handler (&watch->finished_handler, watch->engine);
  g_clear_signal_handler (&watch->released_handler, watch->engine);
  g_clear_pointer (&watch->entries, g_ptr_array_unref);
  g_clear_pointer (&watch->records, json_array_unref);
  g_clear_pointer (&watch->loop, g_main_loop_unref);
  g_clear_object (&watch->engine);
  g_free (watch);
}
