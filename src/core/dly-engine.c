/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "dly-download.h"
#include "dly-engine.h"
#include "dly-error.h"

#define DEFAULT_CONCURRENCY 2

struct _DlyEngine
{
  GObject       parent_instance;

  SoupSession  *session;
  DlyLedger    *ledger;
  GListStore   *jobs;          /* of DlyJob, newest first */
  GHashTable   *runners;       /* job id → Runner*, the jobs this process is driving */
  GHashTable   *slots;         /* base URL → Slots* */
  GQueue        waiting;       /* Runner* waiting for a slot, oldest first */
  GCancellable *cancellable;   /* cancelled on dispose */

  DlyBackendResolver resolver;
  gpointer           resolver_data;
  GDestroyNotify     resolver_destroy;

  guint         poll_initial_ms;
  guint         poll_max_ms;
  guint         retry_base_ms;
  guint         retry_max_ms;
  guint         max_retries;
  guint         job_timeout_s;
  gint64        max_result_bytes;
};

G_DEFINE_FINAL_TYPE (DlyEngine, dly_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_POLL_INITIAL_MS,
  PROP_POLL_MAX_MS,
  PROP_RETRY_BASE_MS,
  PROP_RETRY_MAX_MS,
  PROP_MAX_RETRIES,
  PROP_JOB_TIMEOUT,
  PROP_MAX_RESULT_BYTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  JOB_FINISHED,
  JOB_RELEASED,
  JOB_RETRYING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  guint limit;
  guint running;
} Slots;

/* One job being driven by this process. Reference-counted because network callbacks may
 * arrive after the job was cancelled or finished. */
typedef struct
{
  gatomicrefcount  ref_count;
  DlyEngine       *engine;        /* weak: a ledger write may complete after the engine is gone */
  DlyJob          *job;
  DlyBackend      *backend;
  GCancellable    *cancellable;
  DlyRemoteStatus *inline_result; /* a synchronous backend's open video body */
  guint            timer_id;
  guint            poll_interval_ms;
  guint            attempt;       /* consecutive transient failures of the current step */
  gboolean         holds_slot;
  gboolean         done;
  gint64           last_progress_save;
} Runner;

static void runner_submit   (Runner *runner);
static void runner_poll     (Runner *runner);
static void runner_download (Runner *runner);
static void runner_finish   (Runner *runner, DlyJobState state, int code, const char *message);
static void pump_queue      (DlyEngine *self);

static Runner *
runner_ref (Runner *runner)
{
  g_atomic_ref_count_inc (&runner->ref_count);
  return runner;
}

static void
runner_unref (Runner *runner)
{
  if (!g_atomic_ref_count_dec (&runner->ref_count))
    return;
  g_clear_handle_id (&runner->timer_id, g_source_remove);
  g_clear_weak_pointer (&runner->engine);
  g_clear_object (&runner->job);
  g_clear_object (&runner->backend);
  g_clear_object (&runner->cancellable);
  g_clear_pointer (&runner->inline_result, dly_remote_status_free);
  g_free (runner);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Runner, runner_unref)

static Runner *
runner_new (DlyEngine  *self,
            DlyJob     *job,
            DlyBackend *backend)
{
  Runner *runner = g_new0 (Runner, 1);

  g_atomic_ref_count_init (&runner->ref_count);
  g_set_weak_pointer (&runner->engine, self);
  runner->job = g_object_ref (job);
  runner->backend = backend ? g_object_ref (backend) : NULL;
  runner->cancellable = g_cancellable_new ();
  runner->poll_interval_ms = self->poll_initial_ms;
  return runner;
}

/* Environment tuning, for tests and benchmarks of the CLI (which cannot set properties). */
static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    return (guint) value;
  return fallback;
}

static void
dly_engine_dispose (GObject *object)
{
  DlyEngine *self = DLY_ENGINE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->runners != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      /* Jobs stay as the ledger has them: resumable by the next process. */
      g_hash_table_iter_init (&iter, self->runners);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Runner *runner = value;

          runner->done = TRUE;
          g_cancellable_cancel (runner->cancellable);
          g_clear_handle_id (&runner->timer_id, g_source_remove);
        }
      g_hash_table_remove_all (self->runners);
    }
  g_queue_clear_full (&self->waiting, (GDestroyNotify) runner_unref);
  if (self->resolver_destroy != NULL)
    g_clear_pointer (&self->resolver_data, self->resolver_destroy);
  g_clear_object (&self->jobs);
  g_clear_object (&self->ledger);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (dly_engine_parent_class)->dispose (object);
}

static void
dly_engine_finalize (GObject *object)
{
  DlyEngine *self = DLY_ENGINE (object);

  g_clear_pointer (&self->runners, g_hash_table_unref);
  g_clear_pointer (&self->slots, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dly_engine_parent_class)->finalize (object);
}

static void
dly_engine_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DlyEngine *self = DLY_ENGINE (object);

  switch (prop_id)
    {
    case PROP_POLL_INITIAL_MS: g_value_set_uint (value, self->poll_initial_ms); break;
    case PROP_POLL_MAX_MS: g_value_set_uint (value, self->poll_max_ms); break;
    case PROP_RETRY_BASE_MS: g_value_set_uint (value, self->retry_base_ms); break;
    case PROP_RETRY_MAX_MS: g_value_set_uint (value, self->retry_max_ms); break;
    case PROP_MAX_RETRIES: g_value_set_uint (value, self->max_retries); break;
    case PROP_JOB_TIMEOUT: g_value_set_uint (value, self->job_timeout_s); break;
    case PROP_MAX_RESULT_BYTES: g_value_set_int64 (value, self->max_result_bytes); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_uint_property (DlyEngine *self,
                   guint     *field,
                   guint      value,
                   int        prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
dly_engine_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DlyEngine *self = DLY_ENGINE (object);

  switch (prop_id)
    {
    case PROP_POLL_INITIAL_MS:
      set_uint_property (self, &self->poll_initial_ms, g_value_get_uint (value), prop_id);
      break;
    case PROP_POLL_MAX_MS:
      set_uint_property (self, &self->poll_max_ms, g_value_get_uint (value), prop_id);
      break;
    case PROP_RETRY_BASE_MS:
      set_uint_property (self, &self->retry_base_ms, g_value_get_uint (value), prop_id);
      break;
    case PROP_RETRY_MAX_MS:
      set_uint_property (self, &self->retry_max_ms, g_value_get_uint (value), prop_id);
      break;
    case PROP_MAX_RETRIES:
      set_uint_property (self, &self->max_retries, g_value_get_uint (value), prop_id);
      break;
    case PROP_JOB_TIMEOUT:
      set_uint_property (self, &self->job_timeout_s, g_value_get_uint (value), prop_id);
      break;
    case PROP_MAX_RESULT_BYTES:
      if (self->max_result_bytes != g_value_get_int64 (value))
        {
          self->max_result_bytes = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_engine_class_init (DlyEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dly_engine_dispose;
  object_class->finalize = dly_engine_finalize;
  object_class->get_property = dly_engine_get_property;
  object_class->set_property = dly_engine_set_property;

  /** DlyEngine:poll-initial-ms: the first status check comes this soon after submitting. */
  properties[PROP_POLL_INITIAL_MS] = g_param_spec_uint ("poll-initial-ms", NULL, NULL, 10, 600000, 500, flags);
  /** DlyEngine:poll-max-ms: status checks back off to this interval, never longer. */
  properties[PROP_POLL_MAX_MS] = g_param_spec_uint ("poll-max-ms", NULL, NULL, 10, 600000, 4000, flags);
  /** DlyEngine:retry-base-ms: the first wait after a transient failure; doubles each time. */
  properties[PROP_RETRY_BASE_MS] = g_param_spec_uint ("retry-base-ms", NULL, NULL, 1, 600000, 1000, flags);
  /** DlyEngine:retry-max-ms: the longest wait between retries. */
  properties[PROP_RETRY_MAX_MS] = g_param_spec_uint ("retry-max-ms", NULL, NULL, 1, 3600000, 30000, flags);
  /** DlyEngine:max-retries: consecutive transient failures tolerated per step. */
  properties[PROP_MAX_RETRIES] = g_param_spec_uint ("max-retries", NULL, NULL, 0, 1000, 6, flags);
  /** DlyEngine:job-timeout: seconds after the first submit before a job is given up. */
  properties[PROP_JOB_TIMEOUT] = g_param_spec_uint ("job-timeout", NULL, NULL, 1, G_MAXUINT, 7200, flags);
  /** DlyEngine:max-result-bytes: a result larger than this is stopped. */
  properties[PROP_MAX_RESULT_BYTES] = g_param_spec_int64 ("max-result-bytes", NULL, NULL, 1, G_MAXINT64,
                                                          (gint64) 4 * 1024 * 1024 * 1024, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlyEngine::job-finished:
   * A job reached succeeded, failed, cancelled or unknown, and the ledger has it.
   */
  signals[JOB_FINISHED] = g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, DLY_TYPE_JOB);
  /**
   * DlyEngine::job-released:
   * The engine stopped driving an unfinished job without changing its state: its backend
   * could not be made here (a missing profile or key; the job's message says which), or
   * another process claimed its submission first. Nothing was sent by this process.
   */
  signals[JOB_RELEASED] = g_signal_new ("job-released", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, DLY_TYPE_JOB);
  /**
   * DlyEngine::job-retrying:
   * @message: what went wrong, in the backend's or the network's words
   * @delay_ms: how long until the step is tried again
   *
   * A transient failure (unreachable, 429, 5xx): the job waits and tries the step again.
   * The app shows these as passing notices; the job's message says the same.
   */
  signals[JOB_RETRYING] = g_signal_new ("job-retrying", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 3, DLY_TYPE_JOB,
                                        G_TYPE_STRING, G_TYPE_UINT);
}

static void
dly_engine_init (DlyEngine *self)
{
  self->jobs = g_list_store_new (DLY_TYPE_JOB);
  self->runners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) runner_unref);
  self->slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->waiting);

  self->poll_initial_ms = env_uint ("DAILIES_POLL_INITIAL_MS", 500);
  self->poll_max_ms = env_uint ("DAILIES_POLL_MAX_MS", 4000);
  self->retry_base_ms = env_uint ("DAILIES_RETRY_BASE_MS", 1000);
  self->retry_max_ms = env_uint ("DAILIES_RETRY_MAX_MS", 30000);
  self->max_retries = env_uint ("DAILIES_MAX_RETRIES", 6);
  self->job_timeout_s = env_uint ("DAILIES_JOB_TIMEOUT_S", 7200);
  self->max_result_bytes = (gint64) env_uint ("DAILIES_MAX_RESULT_MB", 4096) * 1024 * 1024;

  /* Polls must not queue behind a long download or a synchronous generation on one host. */
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "user-agent", "Dailies/" PACKAGE_VERSION " ",
                                "max-conns", 64,
                                "max-conns-per-host", 16,
                                NULL);
}

DlyEngine *
dly_engine_new (const char *ledger_path)
{
  DlyEngine *self = g_object_new (DLY_TYPE_ENGINE, NULL);

  self->ledger = dly_ledger_new (ledger_path);
  return self;
}

SoupSession *
dly_engine_get_session (DlyEngine *self)
{
  g_return_val_if_fail (DLY_IS_ENGINE (self), NULL);
  return self->session;
}

DlyLedger *
dly_engine_get_ledger (DlyEngine *self)
{
  g_return_val_if_fail (DLY_IS_ENGINE (self), NULL);
  return self->ledger;
}

GListModel *
dly_engine_get_jobs (DlyEngine *self)
{
  g_return_val_if_fail (DLY_IS_ENGINE (self), NULL);
  return G_LIST_MODEL (self->jobs);
}

DlyJob *
dly_engine_lookup_job (DlyEngine  *self,
                       const char *id)
{
  guint n;

  g_return_val_if_fail (DLY_IS_ENGINE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlyJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      if (g_strcmp0 (dly_job_get_id (job), id) == 0)
        return job;   /* the store keeps it alive */
    }
  return NULL;
}

guint
dly_engine_get_n_active (DlyEngine *self)
{
  g_return_val_if_fail (DLY_IS_ENGINE (self), 0);
  return g_hash_table_size (self->runners);
}

char *
dly_engine_default_output_path (DlyEngine  *self,
                                const char *job_id)
{
  g_autofree char *name = g_strconcat (job_id, ".mp4", NULL);

  return g_build_filename (g_get_user_data_dir (), "dailies", "takes", name, NULL);
}

/* Opening */

static void
on_history_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DlyEngine *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) jobs = NULL;
  GError *error = NULL;

  jobs = dly_ledger_load_finish (DLY_LEDGER (source), result, &error);
  if (jobs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* One splice: a list of 10,000 takes appears in one items-changed. */
  g_list_store_splice (self->jobs, g_list_model_get_n_items (G_LIST_MODEL (self->jobs)), 0,
                       jobs->pdata, jobs->len);
  g_task_return_boolean (task, TRUE);
}

static void
on_ledger_opened (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable;
  GError *error = NULL;

  if (!dly_ledger_open_finish (DLY_LEDGER (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  cancellable = g_task_get_cancellable (task);   /* before the steal: argument order is unspecified */
  dly_ledger_load_async (DLY_LEDGER (source), cancellable, on_history_loaded, g_steal_pointer (&task));
}

void
dly_engine_open_async (DlyEngine          *self,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (DLY_IS_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_engine_open_async);
  dly_ledger_open_async (self->ledger, cancellable, on_ledger_opened, task);
}

gboolean
dly_engine_open_finish (DlyEngine    *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Slots: how many jobs run at once on one backend. */

static Slots *
get_slots (DlyEngine  *self,
           const char *base_url)
{
  Slots *slots = g_hash_table_lookup (self->slots, base_url);

  if (slots == NULL)
    {
      slots = g_new0 (Slots, 1);
      slots->limit = DEFAULT_CONCURRENCY;
      g_hash_table_insert (self->slots, g_strdup (base_url), slots);
    }
  return slots;
}

void
dly_engine_set_concurrency (DlyEngine  *self,
                            const char *base_url,
                            guint       limit)
{
  g_return_if_fail (DLY_IS_ENGINE (self));
  g_return_if_fail (base_url != NULL);

  get_slots (self, base_url)->limit = MAX (limit, 1);
  pump_queue (self);
}

static void
release_slot (Runner *runner)
{
  Slots *slots;

  if (!runner->holds_slot)
    return;
  runner->holds_slot = FALSE;
  slots = get_slots (runner->engine, dly_job_get_base_url (runner->job));
  if (slots->running > 0)
    slots->running--;
}

static void
pump_queue (DlyEngine *self)
{
  GList *l = self->waiting.head;

  while (l != NULL)
    {
      GList *next = l->next;
      Runner *runner = l->data;
      Slots *slots = get_slots (self, dly_job_get_base_url (runner->job));

      if (runner->done)
        {
          g_queue_delete_link (&self->waiting, l);
          runner_unref (runner);
        }
      else if (slots->running < slots->limit)
        {
          g_queue_delete_link (&self->waiting, l);
          slots->running++;
          runner->holds_slot = TRUE;
          runner_submit (runner);
          runner_unref (runner);
        }
      l = next;
    }
}

/* Timing */

static guint
backoff_delay (Runner       *runner,
               const GError *error)
{
  DlyEngine *self = runner->engine;
  guint shift = MIN (runner->attempt > 0 ? runner->attempt - 1 : 0, 16);
  guint64 delay = MIN ((guint64) self->retry_base_ms << shift, self->retry_max_ms);
  guint retry_after = error ? dly_error_get_retry_after (error) : 0;

  /* ±20 % jitter so that many jobs hit by one outage do not come back in lockstep. */
  delay = delay * (80 + g_random_int_range (0, 41)) / 100;
  if (retry_after > delay)
    delay = MIN (retry_after, 10 * 60 * 1000);
  return (guint) MAX (delay, 1);
}

static void
schedule (Runner     *runner,
          guint       delay_ms,
          void      (*step) (Runner *))
{
  g_clear_handle_id (&runner->timer_id, g_source_remove);
  /* One-shot: a void step cast to GSourceFunc returned garbage, and a non-zero one repeated it. */
  runner->timer_id = g_timeout_add_once (delay_ms, (GSourceOnceFunc) (void (*) (void)) step, runner);
}

static gboolean
past_deadline (Runner *runner)
{
  gint64 started = dly_job_get_started_at (runner->job);

  return started > 0
         && g_get_real_time () - started > (gint64) runner->engine->job_timeout_s * G_USEC_PER_SEC;
}

/* Ledger writes: every state change reaches the database before the next network step. */

typedef void (*RunnerStep) (Runner *runner);

typedef struct
{
  Runner    *runner;
  RunnerStep next;
} SaveThen;

static void
on_saved_then (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SaveThen *save = user_data;
  g_autoptr(Runner) runner = save->runner;
  RunnerStep next = save->next;
  g_autoptr(GError) error = NULL;

  g_free (save);
  if (!dly_ledger_save_finish (DLY_LEDGER (source), result, &error))
    {
      if (!runner->done)
        {
          g_autofree char *message = g_strdup_printf (_("The job could not be recorded, so it was "
                                                        "stopped before going further: %s"),
                                                      error->message);

          g_warning ("%s", message);
          runner_finish (runner, DLY_JOB_STATE_FAILED, DLY_ERROR_RESULT, message);
        }
      return;
    }
  if (!runner->done && next != NULL)
    next (runner);
}

static void
save_then (Runner    *runner,
           RunnerStep next)
{
  SaveThen *save = g_new0 (SaveThen, 1);

  save->runner = runner_ref (runner);
  save->next = next;
  dly_ledger_save_async (runner->engine->ledger, runner->job, NULL, on_saved_then, save);
}

/* Finishing */

static void
on_finish_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Runner) runner = user_data;
  g_autoptr(GError) error = NULL;

  if (!dly_ledger_save_finish (DLY_LEDGER (source), result, &error))
    g_warning ("Could not record the end of job %s: %s", dly_job_get_id (runner->job), error->message);
  if (runner->engine != NULL)
    g_signal_emit (runner->engine, signals[JOB_FINISHED], 0, runner->job);
}

static void
runner_finish (Runner     *runner,
               DlyJobState state,
               int         code,
               const char *message)
{
  DlyEngine *self = runner->engine;
  DlyJob *job = runner->job;

  if (runner->done)
    return;
  runner->done = TRUE;
  g_clear_handle_id (&runner->timer_id, g_source_remove);
  g_cancellable_cancel (runner->cancellable);
  release_slot (runner);

  dly_job_set_error_code (job, state == DLY_JOB_STATE_SUCCEEDED ? -1 : code);
  if (message != NULL || state == DLY_JOB_STATE_SUCCEEDED)
    dly_job_set_message (job, message);
  if (state == DLY_JOB_STATE_SUCCEEDED)
    dly_job_set_progress (job, 1.0);
  dly_job_set_finished_at (job, g_get_real_time ());
  dly_job_set_state (job, state);

  dly_ledger_save_async (self->ledger, job, NULL, on_finish_saved, runner_ref (runner));
  g_hash_table_remove (self->runners, dly_job_get_id (job));
  pump_queue (self);
}

static void
finish_with_error (Runner       *runner,
                   const GError *error)
{
  DlyJobState state = DLY_JOB_STATE_FAILED;
  int code = error->domain == DLY_ERROR ? error->code : DLY_ERROR_TRANSPORT;

  if (g_error_matches (error, DLY_ERROR, DLY_ERROR_UNKNOWN_SUBMISSION))
    state = DLY_JOB_STATE_UNKNOWN;
  else if (g_error_matches (error, DLY_ERROR, DLY_ERROR_CANCELLED))
    state = DLY_JOB_STATE_CANCELLED;
  else if (code == DLY_ERROR_TRANSIENT)
    code = DLY_ERROR_TRANSPORT;   /* retries ran out */
  runner_finish (runner, state, code, error->message);
}

/* Transient failures wait and try the step again, up to max-retries in a row. */
static gboolean
retry_later (Runner       *runner,
             const GError *error,
             RunnerStep    step)
{
  g_autofree char *message = NULL;
  guint delay;

  runner->attempt++;
  if (runner->attempt > runner->engine->max_retries || past_deadline (runner))
    return FALSE;
  delay = backoff_delay (runner, error);
  message = g_strdup_printf (_("%s — trying again in %.1f s (%u of %u)"), error->message,
                             delay / 1000.0, runner->attempt, runner->engine->max_retries);
  dly_job_set_message (runner->job, message);
  schedule (runner, delay, step);
  g_signal_emit (runner->engine, signals[JOB_RETRYING], 0, runner->job, error->message, delay);
  return TRUE;
}

/* Submitting */

static void
on_submitted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Runner) runner = user_data;
  DlyJob *job = runner->job;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;

  status = dly_backend_submit_finish (DLY_BACKEND (source), result, &error);
  if (runner->done)
    return;

  if (status == NULL)
    {
      if (dly_error_is_transient (error))
        {
          /* It certainly did not arrive: back to queued, so a crash now resubmits safely. */
          if (retry_later (runner, error, runner_submit))
            {
              dly_job_set_state (job, DLY_JOB_STATE_QUEUED);
              save_then (runner, NULL);
              return;
            }
        }
      finish_with_error (runner, error);
      return;
    }

  runner->attempt = 0;
  dly_job_set_message (job, status->message);
  if (status->remote_id != NULL)
    dly_job_set_remote_id (job, status->remote_id);

  switch (status->state)
    {
    case DLY_REMOTE_STATE_SUCCEEDED:
      dly_job_set_result_uri (job, status->result_uri);
      if (status->result_stream != NULL)
        runner->inline_result = g_steal_pointer (&status);
      dly_job_set_state (job, DLY_JOB_STATE_DOWNLOADING);
      save_then (runner, runner_download);
      break;
    case DLY_REMOTE_STATE_FAILED:
      runner_finish (runner, DLY_JOB_STATE_FAILED, DLY_ERROR_BACKEND_FAILED,
                     status->message ? status->message : _("The backend refused the job without saying why"));
      break;
    case DLY_REMOTE_STATE_CANCELLED:
      runner_finish (runner, DLY_JOB_STATE_CANCELLED, DLY_ERROR_CANCELLED, status->message);
      break;
    case DLY_REMOTE_STATE_QUEUED:
    case DLY_REMOTE_STATE_RUNNING:
    case DLY_REMOTE_STATE_EXPIRED:
    default:
      if (dly_job_get_remote_id (job) == NULL)
        {
          runner_finish (runner, DLY_JOB_STATE_UNKNOWN, DLY_ERROR_PROTOCOL,
                         _("The backend accepted the job but gave no id to follow it by; check the "
                           "backend before submitting again"));
          return;
        }
      dly_job_set_state (job, status->state == DLY_REMOTE_STATE_RUNNING ? DLY_JOB_STATE_RUNNING
                                                                         : DLY_JOB_STATE_WAITING);
      if (status->progress >= 0)
        dly_job_set_progress (job, status->progress);
      runner->poll_interval_ms = runner->engine->poll_initial_ms;
      save_then (runner, runner_poll);
      break;
    }
}

static void
on_claimed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Runner) runner = user_data;
  g_autoptr(GError) error = NULL;
  gboolean claimed;

  claimed = dly_ledger_transition_finish (DLY_LEDGER (source), result, &error);
  if (runner->done)
    return;
  if (error != NULL)
    {
      runner_finish (runner, DLY_JOB_STATE_FAILED, DLY_ERROR_RESULT, error->message);
      return;
    }
  if (!claimed)
    {
      /* Another process (the app or another dailies-cli) is already sending this job. */
      runner->done = TRUE;
      release_slot (runner);
      dly_job_set_submit_count (runner->job, dly_job_get_submit_count (runner->job) - 1);
      dly_job_set_message (runner->job, _("Another Dailies process is submitting this job"));
      g_hash_table_remove (runner->engine->runners, dly_job_get_id (runner->job));
      pump_queue (runner->engine);
      g_signal_emit (runner->engine, signals[JOB_RELEASED], 0, runner->job);
      return;
    }

  dly_job_set_state (runner->job, DLY_JOB_STATE_SUBMITTING);
  dly_backend_submit_async (runner->backend, runner->engine->session, dly_job_get_request (runner->job),
                            runner->cancellable, on_submitted, runner_ref (runner));
}

static void
runner_submit (Runner *runner)
{
  DlyJob *job = runner->job;

  runner->timer_id = 0;
  if (runner->done)
    return;
  if (dly_job_get_started_at (job) == 0)
    dly_job_set_started_at (job, g_get_real_time ());
  dly_job_set_submit_count (job, dly_job_get_submit_count (job) + 1);
  /* "submitting" is recorded before anything is sent, and only if the ledger still says
   * "queued": a crash from here on leaves a job that resume treats as possibly sent, and
   * two processes never both send it. */
  dly_ledger_transition_async (runner->engine->ledger, job, DLY_JOB_STATE_QUEUED,
                               DLY_JOB_STATE_SUBMITTING, NULL, on_claimed, runner_ref (runner));
}

/* Polling */

static void on_polled (GObject *source, GAsyncResult *result, gpointer user_data);

static void
schedule_next_poll (Runner *runner)
{
  guint delay = runner->poll_interval_ms;

  /* Soon after submitting, then back off geometrically to a cap: a short job is seen
   * finished quickly, and a long one costs few requests. */
  runner->poll_interval_ms = MIN (runner->engine->poll_max_ms, runner->poll_interval_ms * 3 / 2 + 1);
  schedule (runner, delay, runner_poll);
}

static void
on_ledger_checked (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Runner) runner = user_data;
  g_autoptr(DlyJob) stored = dly_ledger_load_job_finish (DLY_LEDGER (source), result, NULL);

  if (runner->done)
    return;
  /* `dailies-cli cancel` in another process speaks through the ledger. */
  if (stored != NULL && dly_job_get_state (stored) == DLY_JOB_STATE_CANCELLED)
    {
      runner_finish (runner, DLY_JOB_STATE_CANCELLED, DLY_ERROR_CANCELLED, dly_job_get_message (stored));
      return;
    }
  dly_backend_poll_async (runner->backend, runner->engine->session, dly_job_get_remote_id (runner->job),
                          runner->cancellable, on_polled, runner_ref (runner));
}

static void
runner_poll (Runner *runner)
{
  runner->timer_id = 0;
  if (runner->done)
    return;
  if (past_deadline (runner))
    {
      g_autofree char *message =
        g_strdup_printf (_("The job did not finish within %u minutes; the backend may have lost it "
                           "(a task server reports unknown jobs as pending forever)"),
                         runner->engine->job_timeout_s / 60);

      runner_finish (runner, DLY_JOB_STATE_FAILED, DLY_ERROR_TIMEOUT, message);
      return;
    }
  dly_ledger_load_job_async (runner->engine->ledger, dly_job_get_id (runner->job), NULL,
                             on_ledger_checked, runner_ref (runner));
}

static void
on_polled (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Runner) runner = user_data;
  DlyJob *job = runner->job;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;
  DlyJobState before = dly_job_get_state (job);
  DlyJobState after;

  status = dly_backend_poll_finish (DLY_BACKEND (source), result, &error);
  if (runner->done)
    return;

  if (status == NULL)
    {
      /* A garbled status answer is retried like a dropped connection. */
      if ((dly_error_is_transient (error) || g_error_matches (error, DLY_ERROR, DLY_ERROR_PROTOCOL))
          && retry_later (runner, error, runner_poll))
        return;
      if (g_error_matches (error, DLY_ERROR, DLY_ERROR_NOT_FOUND))
        {
          g_autofree char *message =
            g_strdup_printf (_("The backend no longer knows this job; results are kept only for a "
                               "while (%s)"), error->message);

          runner_finish (runner, DLY_JOB_STATE_FAILED, DLY_ERROR_NOT_FOUND, message);
          return;
        }
      finish_with_error (runner, error);
      return;
    }

  runner->attempt = 0;
  switch (status->state)
    {
    case DLY_REMOTE_STATE_SUCCEEDED:
      dly_job_set_result_uri (job, status->result_uri);
      dly_job_set_message (job, status->message);
      dly_job_set_progress (job, -1);
      dly_job_set_state (job, DLY_JOB_STATE_DOWNLOADING);
      save_then (runner, runner_download);
      return;
    case DLY_REMOTE_STATE_FAILED:
      runner_finish (runner, DLY_JOB_STATE_FAILED, DLY_ERROR_BACKEND_FAILED,
                     status->message ? status->message : _("The backend reported a failure without saying why"));
      return;
    case DLY_REMOTE_STATE_CANCELLED:
      runner_finish (runner, DLY_JOB_STATE_CANCELLED, DLY_ERROR_CANCELLED,
                     status->message ? status->message : _("Cancelled on the backend"));
      return;
    case DLY_REMOTE_STATE_EXPIRED:
      runner_finish (runner, DLY_JOB_STATE_FAILED, DLY_ERROR_NOT_FOUND,
                     status->message ? status->message : _("The backend dropped the job before it ran"));
      return;
    case DLY_REMOTE_STATE_QUEUED:
    case DLY_REMOTE_STATE_RUNNING:
    default:
      break;
    }

  after = status->state == DLY_REMOTE_STATE_RUNNING ? DLY_JOB_STATE_RUNNING : DLY_JOB_STATE_WAITING;
  dly_job_set_state (job, after);
  dly_job_set_progress (job, status->progress);
  if (status->message != NULL)
    dly_job_set_message (job, status->message);

  if (after != before || g_get_monotonic_time () - runner->last_progress_save > 5 * G_USEC_PER_SEC)
    {
      runner->last_progress_save = g_get_monotonic_time ();
      save_then (runner, schedule_next_poll);
    }
  else
    schedule_next_poll (runner);
}

/* Downloading */

static void
on_download_progress (goffset  received,
                      goffset  total,
                      gpointer user_data)
{
  Runner *runner = user_data;

  if (total > 0)
    dly_job_set_progress (runner->job, (double) received / total);
}

static void
on_downloaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Runner) runner = user_data;
  g_autoptr(GError) error = NULL;
  gboolean was_inline = runner->inline_result != NULL;

  g_clear_pointer (&runner->inline_result, dly_remote_status_free);
  if (dly_download_finish (result, &error) < 0)
    {
      if (runner->done)
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* A synchronous backend's body cannot be fetched again; a URL can. */
      if (!was_inline && dly_error_is_transient (error) && retry_later (runner, error, runner_download))
        return;
      if (g_error_matches (error, DLY_ERROR, DLY_ERROR_NOT_FOUND))
        {
          g_autofree char *message =
            g_strdup_printf (_("The video expired on the backend before it could be downloaded (%s)"),
                             error->message);

          runner_finish (runner, DLY_JOB_STATE_FAILED, DLY_ERROR_NOT_FOUND, message);
          return;
        }
      if (error->domain != DLY_ERROR)
        {
          runner_finish (runner, DLY_JOB_STATE_FAILED, DLY_ERROR_RESULT, error->message);
          return;
        }
      finish_with_error (runner, error);
      return;
    }
  if (runner->done)
    return;
  runner_finish (runner, DLY_JOB_STATE_SUCCEEDED, -1, dly_job_get_message (runner->job));
}

static void
runner_download (Runner *runner)
{
  DlyJob *job = runner->job;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  DlyRemoteStatus *inline_result = runner->inline_result;

  runner->timer_id = 0;
  if (runner->done)
    return;

  if (inline_result == NULL)
    {
      g_autoptr(DlyRemoteStatus) status = dly_remote_status_new (DLY_REMOTE_STATE_SUCCEEDED);

      status->remote_id = g_strdup (dly_job_get_remote_id (job));
      status->result_uri = g_strdup (dly_job_get_result_uri (job));
      message = dly_backend_create_result_message (runner->backend, status, &error);
      if (message == NULL)
        {
          finish_with_error (runner, error);
          return;
        }
    }

  dly_job_set_progress (job, 0);
  dly_download_async (runner->engine->session, message,
                      inline_result ? inline_result->result_stream : NULL,
                      inline_result ? inline_result->result_size : -1,
                      dly_job_get_output_path (job), runner->engine->max_result_bytes,
                      on_download_progress, runner, runner->cancellable, on_downloaded,
                      runner_ref (runner));
}

/* Submitting and resuming */

static void
start_runner (DlyEngine *self,
              Runner    *runner)
{
  DlyJob *job = runner->job;
  DlyJobState state = dly_job_get_state (job);
  Slots *slots = get_slots (self, dly_job_get_base_url (job));

  g_hash_table_replace (self->runners, g_strdup (dly_job_get_id (job)), runner_ref (runner));

  if (state == DLY_JOB_STATE_QUEUED)
    {
      g_queue_push_tail (&self->waiting, runner_ref (runner));
      pump_queue (self);
      return;
    }

  /* A job that already runs on the backend occupies it whatever the limit says. */
  slots->running++;
  runner->holds_slot = TRUE;
  runner->poll_interval_ms = self->poll_initial_ms;
  if (state == DLY_JOB_STATE_DOWNLOADING && dly_job_get_result_uri (job) != NULL)
    runner_download (runner);
  else
    {
      if (state == DLY_JOB_STATE_DOWNLOADING || state == DLY_JOB_STATE_FAILED)
        dly_job_set_state (job, DLY_JOB_STATE_WAITING);
      dly_job_set_error_code (job, -1);
      dly_job_set_finished_at (job, 0);
      runner_poll (runner);
    }
}

static char *
new_job_id (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_steal_pointer (&uuid);
}

static DlyJob *
new_job (DlyEngine  *self,
         DlyBackend *backend,
         DlyRequest *request,
         const char *profile,
         const char *api_key_env,
         const char *output_path)
{
  g_autofree char *id = new_job_id ();
  g_autofree char *default_path = NULL;
  g_autoptr(DlyRequest) copy = dly_request_copy (request);

  if (output_path == NULL)
    output_path = default_path = dly_engine_default_output_path (self, id);
  return dly_job_new (id, copy, dly_backend_get_dialect (backend),
                      dly_backend_get_base_url (backend), profile, api_key_env, output_path,
                      g_get_real_time ());
}

/* For a job already in the list. */
static void
launch_job (DlyEngine  *self,
            DlyJob     *job,
            DlyBackend *backend)
{
  g_autoptr(Runner) runner = runner_new (self, job, backend);

  /* The job is in the ledger as "queued" before its runner may claim it. */
  dly_ledger_save_async (self->ledger, job, NULL, NULL, NULL);
  start_runner (self, runner);
}

DlyJob *
dly_engine_submit (DlyEngine  *self,
                   DlyBackend *backend,
                   DlyRequest *request,
                   const char *profile,
                   const char *api_key_env,
                   const char *output_path,
                   GError    **error)
{
  g_autoptr(DlyJob) job = NULL;

  g_return_val_if_fail (DLY_IS_ENGINE (self), NULL);
  g_return_val_if_fail (DLY_IS_BACKEND (backend), NULL);
  g_return_val_if_fail (DLY_IS_REQUEST (request), NULL);

  /* Everything that can be checked without sending is checked now. */
  if (!dly_backend_validate (backend, request, NULL, error))
    return NULL;

  job = new_job (self, backend, request, profile, api_key_env, output_path);
  g_list_store_insert (self->jobs, 0, job);
  launch_job (self, job, backend);
  return job;
}

GPtrArray *
dly_engine_submit_all (DlyEngine  *self,
                       DlyBackend *backend,
                       GPtrArray  *requests,
                       const char *profile,
                       const char *api_key_env,
                       GError    **error)
{
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) newest_first = NULL;

  g_return_val_if_fail (DLY_IS_ENGINE (self), NULL);
  g_return_val_if_fail (DLY_IS_BACKEND (backend), NULL);
  g_return_val_if_fail (requests != NULL, NULL);

  for (guint i = 0; i < requests->len; i++)
    if (!dly_backend_validate (backend, g_ptr_array_index (requests, i), NULL, error))
      return NULL;

  jobs = g_ptr_array_new_full (requests->len, g_object_unref);
  newest_first = g_ptr_array_new_full (requests->len, NULL);
  for (guint i = 0; i < requests->len; i++)
    g_ptr_array_add (jobs, new_job (self, backend, g_ptr_array_index (requests, i), profile,
                                    api_key_env, NULL));
  for (guint i = jobs->len; i > 0; i--)
    g_ptr_array_add (newest_first, g_ptr_array_index (jobs, i - 1));
  g_list_store_splice (self->jobs, 0, 0, newest_first->pdata, newest_first->len);

  for (guint i = 0; i < jobs->len; i++)
    launch_job (self, g_ptr_array_index (jobs, i), backend);
  return g_steal_pointer (&jobs);
}

static void
on_backend_resolved (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Runner) runner = user_data;
  DlyEngine *self = runner->engine;
  g_autoptr(GError) error = NULL;
  DlyBackend *backend = g_task_propagate_pointer (G_TASK (result), &error);

  if (runner->done)
    {
      g_clear_object (&backend);
      return;
    }
  if (backend == NULL)
    {
      g_hash_table_remove (self->runners, dly_job_get_id (runner->job));
      dly_job_set_message (runner->job, error->message);
      g_signal_emit (self, signals[JOB_RELEASED], 0, runner->job);
      return;
    }
  runner->backend = backend;
  g_hash_table_remove (self->runners, dly_job_get_id (runner->job));
  start_runner (self, runner);
}

static void
default_resolver (DlyEngine *self,
                  DlyJob    *job,
                  GTask     *task,
                  gpointer   user_data)
{
  GError *error = NULL;
  g_autoptr(DlyBackend) backend = dly_backend_new_for_dialect (dly_job_get_dialect (job),
                                                               dly_job_get_base_url (job), &error);
  const char *env = dly_job_get_api_key_env (job);

  if (backend != NULL && env != NULL)
    {
      const char *key = g_getenv (env);

      if (key == NULL || *key == '\0')
        {
          dly_engine_resolve_done (task, NULL,
                                   g_error_new (DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                                                _("The API key for this job came from the environment "
                                                  "variable %s, which is not set now"), env));
          return;
        }
      dly_backend_set_api_key (backend, key);
    }
  dly_engine_resolve_done (task, backend, error);
}

void
dly_engine_resolve_done (GTask      *task,
                         DlyBackend *backend,
                         GError     *error)
{
  if (backend != NULL)
    g_task_return_pointer (task, g_object_ref (backend), g_object_unref);
  else
    g_task_return_error (task, error ? error : g_error_new_literal (DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                                                                    _("No backend for this job")));
  g_object_unref (task);
}

void
dly_engine_set_backend_resolver (DlyEngine         *self,
                                 DlyBackendResolver resolver,
                                 gpointer           user_data,
                                 GDestroyNotify     destroy)
{
  g_return_if_fail (DLY_IS_ENGINE (self));

  if (self->resolver_destroy != NULL)
    g_clear_pointer (&self->resolver_data, self->resolver_destroy);
  self->resolver = resolver;
  self->resolver_data = user_data;
  self->resolver_destroy = destroy;
}

static void
resolve_backend (DlyEngine *self,
                 Runner    *runner)
{
  GTask *task = g_task_new (self, runner->cancellable, on_backend_resolved, runner_ref (runner));

  g_task_set_source_tag (task, resolve_backend);
  /* Hold the place so that a second resume of the same job does nothing. */
  g_hash_table_replace (self->runners, g_strdup (dly_job_get_id (runner->job)), runner_ref (runner));
  if (self->resolver != NULL)
    self->resolver (self, runner->job, task, self->resolver_data);
  else
    default_resolver (self, runner->job, task, NULL);
}

gboolean
dly_engine_resume (DlyEngine *self,
                   DlyJob    *job,
                   GError   **error)
{
  g_autoptr(Runner) runner = NULL;
  DlyJobState state;

  g_return_val_if_fail (DLY_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (DLY_IS_JOB (job), FALSE);

  if (g_hash_table_contains (self->runners, dly_job_get_id (job)))
    return TRUE;
  if (!dly_job_is_resumable (job))
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT, _("The job is %s; there is nothing to resume"),
                   dly_job_state_to_string (dly_job_get_state (job)));
      return FALSE;
    }

  state = dly_job_get_state (job);
  if ((state == DLY_JOB_STATE_SUBMITTING || state == DLY_JOB_STATE_DOWNLOADING)
      && dly_job_get_remote_id (job) == NULL && dly_job_get_result_uri (job) == NULL)
    {
      /* Never sent again on our own: each submission may cost the user money. */
      dly_job_set_state (job, DLY_JOB_STATE_UNKNOWN);
      dly_job_set_error_code (job, DLY_ERROR_UNKNOWN_SUBMISSION);
      dly_job_set_message (job, state == DLY_JOB_STATE_SUBMITTING
                                  ? _("Dailies stopped while submitting this job, before the backend "
                                      "answered. It may have been created there; check the backend, "
                                      "and submit it again only if it is not")
                                  : _("Dailies stopped while receiving this video from a backend that "
                                      "sends it only once; submit it again to get it"));
      dly_job_set_finished_at (job, g_get_real_time ());
      dly_ledger_save_async (self->ledger, job, NULL, NULL, NULL);
      g_signal_emit (self, signals[JOB_FINISHED], 0, job);
      return TRUE;
    }

  runner = runner_new (self, job, NULL);
  resolve_backend (self, runner);
  return TRUE;
}

guint
dly_engine_resume_all (DlyEngine *self)
{
  guint n, resumed = 0;

  g_return_val_if_fail (DLY_IS_ENGINE (self), 0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  /* Oldest first, so they reach the backend's queue in their original order. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(DlyJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i - 1);

      if (dly_job_is_resumable (job) && dly_engine_resume (self, job, NULL))
        resumed++;
    }
  return resumed;
}

/* Cancelling and removing */

typedef struct
{
  DlyEngine *engine;
  DlyJob    *job;
} CancelData;

static void
cancel_data_free (CancelData *data)
{
  g_object_unref (data->engine);
  g_object_unref (data->job);
  g_free (data);
}

static void
mark_cancelled (DlyEngine  *self,
                DlyJob     *job,
                const char *message)
{
  dly_job_set_message (job, message);
  dly_job_set_error_code (job, DLY_ERROR_CANCELLED);
  dly_job_set_finished_at (job, g_get_real_time ());
  dly_job_set_state (job, DLY_JOB_STATE_CANCELLED);
  dly_ledger_save_async (self->ledger, job, NULL, NULL, NULL);
  g_signal_emit (self, signals[JOB_FINISHED], 0, job);
}

static void
on_remote_cancelled (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CancelData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!dly_backend_cancel_finish (DLY_BACKEND (source), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cancelled here, but the backend did not confirm: %s"),
                                                  error->message);
      mark_cancelled (data->engine, data->job, message);
    }
  else
    mark_cancelled (data->engine, data->job, _("Cancelled"));
  cancel_data_free (data);
}

/* With the job's backend in hand (or not), stops it remotely where the dialect can. */
static void
cancel_with_backend (CancelData *data,
                     DlyBackend *backend,
                     DlyJobState state)
{
  DlyEngine *self = data->engine;
  DlyJob *job = data->job;
  const char *remote_id = dly_job_get_remote_id (job);

  if (remote_id != NULL && backend != NULL && dly_backend_has_remote_cancel (backend))
    {
      dly_backend_cancel_async (backend, self->session, remote_id, NULL, on_remote_cancelled, data);
      return;
    }
  if (state == DLY_JOB_STATE_SUBMITTING)
    mark_cancelled (self, job, _("Cancelled while submitting; the backend may still have started it"));
  else if (remote_id != NULL && backend != NULL)
    mark_cancelled (self, job, _("Cancelled here; this backend has no way to stop a job, so it may "
                                 "still run there"));
  else if (remote_id != NULL)
    mark_cancelled (self, job, _("Cancelled here; the backend could not be reached to stop it, so "
                                 "it may still run there"));
  else
    mark_cancelled (self, job, _("Cancelled"));
  cancel_data_free (data);
}

static void
on_cancel_backend_resolved (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  CancelData *data = user_data;
  g_autoptr(DlyBackend) backend = g_task_propagate_pointer (G_TASK (result), NULL);

  cancel_with_backend (data, backend, dly_job_get_state (data->job));
}

void
dly_engine_cancel (DlyEngine *self,
                   DlyJob    *job)
{
  Runner *runner;
  g_autoptr(DlyBackend) backend = NULL;
  DlyJobState state;
  CancelData *data;

  g_return_if_fail (DLY_IS_ENGINE (self));
  g_return_if_fail (DLY_IS_JOB (job));

  if (dly_job_is_finished (job) && !dly_job_is_resumable (job))
    return;

  state = dly_job_get_state (job);
  runner = g_hash_table_lookup (self->runners, dly_job_get_id (job));
  if (runner != NULL && runner->backend != NULL)
    backend = g_object_ref (runner->backend);
  if (runner != NULL)
    {
      /* Abort whatever is in flight; its callbacks see `done` and stop. */
      runner->done = TRUE;
      g_clear_handle_id (&runner->timer_id, g_source_remove);
      g_cancellable_cancel (runner->cancellable);
      release_slot (runner);
      g_hash_table_remove (self->runners, dly_job_get_id (job));
      pump_queue (self);
    }

  data = g_new0 (CancelData, 1);
  data->engine = g_object_ref (self);
  data->job = g_object_ref (job);

  /* A job of the ledger that this process is not driving: its backend, with its key from
   * the profile or the environment, comes from the resolver, as for a resume. */
  if (backend == NULL && dly_job_get_remote_id (job) != NULL)
    {
      GTask *task = g_task_new (self, NULL, on_cancel_backend_resolved, data);

      g_task_set_source_tag (task, dly_engine_cancel);
      if (self->resolver != NULL)
        self->resolver (self, job, task, self->resolver_data);
      else
        default_resolver (self, job, task, NULL);
      return;
    }
  cancel_with_backend (data, backend, state);
}

void
dly_engine_remove (DlyEngine *self,
                   DlyJob    *job)
{
  guint position;

  g_return_if_fail (DLY_IS_ENGINE (self));
  g_return_if_fail (DLY_IS_JOB (job));

  if (!dly_job_is_finished (job))
    dly_engine_cancel (self, job);
  if (g_list_store_find (self->jobs, job, &position))
    g_list_store_remove (self->jobs, position);
  dly_ledger_remove_async (self->ledger, dly_job_get_id (job), NULL, NULL, NULL);
}
