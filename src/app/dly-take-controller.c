/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>

#include "dly-error.h"
#include "dly-take-controller.h"

struct _DlyTakeController
{
  GObject          parent_instance;

  DlyEngine       *engine;   /* owned */
  DlyProfileStore *store;    /* owned */
  DlyDemo         *demo;     /* owned */
  GCancellable    *cancellable;

  gboolean         loaded;
  gboolean         busy;
};

G_DEFINE_FINAL_TYPE (DlyTakeController, dly_take_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_PROFILE_STORE,
  PROP_LOADED,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_busy (DlyTakeController *self)
{
  gboolean busy = self->engine != NULL && dly_engine_get_n_active (self->engine) > 0;

  if (busy == self->busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
apply_concurrency (DlyTakeController *self,
                   DlyProfile        *profile)
{
  dly_engine_set_concurrency (self->engine, dly_profile_get_base_url (profile),
                              dly_profile_get_effective_concurrency (profile));
}

/* A profile added or edited in Manage Backends takes effect for the jobs already waiting. */
static void
on_store_items_changed_cb (GListModel        *store,
                           guint              position,
                           guint              removed,
                           guint              added,
                           DlyTakeController *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(DlyProfile) profile = g_list_model_get_item (store, i);

      apply_concurrency (self, profile);
    }
}

static void
on_engine_job_done_cb (DlyEngine         *engine,
                       DlyJob            *job,
                       DlyTakeController *self)
{
  update_busy (self);
}

/* Making a job's backend: from the demo, from a saved profile (its key from the keyring or
 * the environment), or from the job itself (dialect, URL, key variable). Shared by the
 * engine's resolver (resume, cancel), submissions and retries. */

typedef struct
{
  char          *profile_name;
  char          *dialect;
  char          *base_url;
  char          *api_key_env;
} BackendSpec;

static void
backend_spec_free (BackendSpec *spec)
{
  g_free (spec->profile_name);
  g_free (spec->dialect);
  g_free (spec->base_url);
  g_free (spec->api_key_env);
  g_free (spec);
}

static BackendSpec *
backend_spec_for_job (DlyJob *job)
{
  BackendSpec *spec = g_new0 (BackendSpec, 1);

  spec->profile_name = g_strdup (dly_job_get_profile (job));
  spec->dialect = g_strdup (dly_job_get_dialect (job));
  spec->base_url = g_strdup (dly_job_get_base_url (job));
  spec->api_key_env = g_strdup (dly_job_get_api_key_env (job));
  return spec;
}

static void
on_profile_backend_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DlyTakeController *self = g_task_get_source_object (task);
  GError *error = NULL;
  DlyBackend *backend;

  backend = dly_profile_store_create_backend_finish (DLY_PROFILE_STORE (source), result, &error);
  if (backend == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->engine != NULL)
    dly_engine_set_concurrency (self->engine, dly_backend_get_base_url (backend),
                                dly_profile_get_effective_concurrency (g_task_get_task_data (task)));
  g_task_return_pointer (task, backend, g_object_unref);
}

static void
make_backend_async (DlyTakeController  *self,
                    BackendSpec        *spec,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(DlyBackend) backend = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, make_backend_async);

  if (g_strcmp0 (spec->profile_name, DLY_DEMO_PROFILE_NAME) == 0)
    {
      DlyProfile *profile;

      /* The simulator lives in this process; its port changed when the app restarted, so
       * the demo's jobs are pointed at wherever it runs now. It costs nothing to start. */
      profile = dly_take_controller_start_demo (self, &error);
      if (profile == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      backend = dly_backend_new_for_dialect (dly_profile_get_dialect (profile),
                                             dly_profile_get_base_url (profile), &error);
    }
  else if (spec->profile_name != NULL)
    {
      DlyProfile *profile = dly_profile_store_lookup (self->store, spec->profile_name);

      if (profile == NULL)
        {
          g_task_return_new_error (task, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                                   _("The backend “%s” is no longer set up; add it again "
                                     "in Manage Backends to go on with this take"),
                                   spec->profile_name);
          return;
        }
      g_task_set_task_data (task, g_object_ref (profile), g_object_unref);
      dly_profile_store_create_backend_async (self->store, profile, cancellable,
                                              on_profile_backend_cb, g_steal_pointer (&task));
      return;
    }
  else
    {
      backend = dly_backend_new_for_dialect (spec->dialect, spec->base_url, &error);
      if (backend != NULL && spec->api_key_env != NULL)
        {
          const char *key = g_getenv (spec->api_key_env);

          if (key == NULL || *key == '\0')
            {
              g_clear_object (&backend);
              g_set_error (&error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                           _("The API key for this take came from the environment variable "
                             "%s, which is not set now"), spec->api_key_env);
            }
          else
            dly_backend_set_api_key (backend, key);
        }
    }

  if (backend == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&backend), g_object_unref);
}

static DlyBackend *
make_backend_finish (DlyTakeController  *self,
                     GAsyncResult       *result,
                     GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The engine's resolver */

static void
on_resolver_backend_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *engine_task = user_data;
  GError *error = NULL;
  g_autoptr(DlyBackend) backend = make_backend_finish (DLY_TAKE_CONTROLLER (source), result,
                                                       &error);

  /* Consumes the engine's task. */
  dly_engine_resolve_done (engine_task, backend, error);
}

static void
resolve_job_backend (DlyEngine *engine,
                     DlyJob    *job,
                     GTask     *task,
                     gpointer   user_data)
{
  DlyTakeController *self = user_data;
  BackendSpec *spec = backend_spec_for_job (job);

  make_backend_async (self, spec, g_task_get_cancellable (task), on_resolver_backend_cb, task);
  backend_spec_free (spec);
}

/* GObject */

static void
dly_take_controller_constructed (GObject *object)
{
  DlyTakeController *self = DLY_TAKE_CONTROLLER (object);

  G_OBJECT_CLASS (dly_take_controller_parent_class)->constructed (object);

  if (self->engine == NULL)
    self->engine = dly_engine_new (NULL);
  if (self->store == NULL)
    self->store = dly_profile_store_new ();

  /* Cleared in dispose: the engine may outlive us (a test keeps it), and must not call back. */
  dly_engine_set_backend_resolver (self->engine, resolve_job_backend, self, NULL);
  g_signal_connect_object (self->engine, "job-finished", G_CALLBACK (on_engine_job_done_cb),
                           self, G_CONNECT_DEFAULT);
  g_signal_connect_object (self->engine, "job-released", G_CALLBACK (on_engine_job_done_cb),
                           self, G_CONNECT_DEFAULT);
  g_signal_connect_object (self->store, "items-changed", G_CALLBACK (on_store_items_changed_cb),
                           self, G_CONNECT_DEFAULT);
}

static void
dly_take_controller_dispose (GObject *object)
{
  DlyTakeController *self = DLY_TAKE_CONTROLLER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->engine != NULL)
    dly_engine_set_backend_resolver (self->engine, NULL, NULL, NULL);
  g_clear_object (&self->engine);
  g_clear_object (&self->store);
  /* Stops the simulator's thread, after the engine, whose requests it may be answering. */
  g_clear_object (&self->demo);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dly_take_controller_parent_class)->dispose (object);
}

static void
dly_take_controller_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DlyTakeController *self = DLY_TAKE_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_PROFILE_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_take_controller_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DlyTakeController *self = DLY_TAKE_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    case PROP_PROFILE_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_take_controller_class_init (DlyTakeControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dly_take_controller_constructed;
  object_class->dispose = dly_take_controller_dispose;
  object_class->get_property = dly_take_controller_get_property;
  object_class->set_property = dly_take_controller_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, DLY_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY
                         | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE_STORE] =
    g_param_spec_object ("profile-store", NULL, NULL, DLY_TYPE_PROFILE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY
                         | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dly_take_controller_init (DlyTakeController *self)
{
  self->cancellable = g_cancellable_new ();
  self->demo = dly_demo_new ();
}

DlyTakeController *
dly_take_controller_new (DlyEngine       *engine,
                         DlyProfileStore *store)
{
  g_return_val_if_fail (engine == NULL || DLY_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (store == NULL || DLY_IS_PROFILE_STORE (store), NULL);

  return g_object_new (DLY_TYPE_TAKE_CONTROLLER,
                       "engine", engine,
                       "profile-store", store,
                       NULL);
}

DlyEngine *
dly_take_controller_get_engine (DlyTakeController *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_CONTROLLER (self), NULL);
  return self->engine;
}

DlyProfileStore *
dly_take_controller_get_profile_store (DlyTakeController *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_CONTROLLER (self), NULL);
  return self->store;
}

DlyDemo *
dly_take_controller_get_demo (DlyTakeController *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_CONTROLLER (self), NULL);
  return self->demo;
}

gboolean
dly_take_controller_get_loaded (DlyTakeController *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_CONTROLLER (self), FALSE);
  return self->loaded;
}

gboolean
dly_take_controller_get_busy (DlyTakeController *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_CONTROLLER (self), FALSE);
  return self->busy;
}

/* Opening: the ledger and the profiles load side by side; jobs resume once both are in,
 * since a resumed job's backend comes from its profile. */

typedef struct
{
  guint   pending;
  GError *error;   /* the first failure */
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_error (&data->error);
  g_free (data);
}

static void
open_step_done (GTask *task)
{
  DlyTakeController *self = g_task_get_source_object (task);
  OpenData *data = g_task_get_task_data (task);
  guint n_profiles;

  if (--data->pending > 0)
    return;

  n_profiles = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n_profiles; i++)
    {
      g_autoptr(DlyProfile) profile = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      apply_concurrency (self, profile);
    }

  /* The ledger could not be read: nothing to resume, and the error says why. */
  if (data->error == NULL || data->error->domain != G_IO_ERROR)
    {
      guint resumed = dly_engine_resume_all (self->engine);

      if (resumed > 0)
        g_debug ("Resumed %u unfinished takes", resumed);
    }
  update_busy (self);

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_engine_opened_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!dly_engine_open_finish (DLY_ENGINE (source), result, &error))
    {
      g_prefix_error (&error, _("The list of takes could not be opened: "));
      if (data->error == NULL)
        {
          /* Marks it as the ledger's, so that nothing is resumed from it. */
          data->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, error->message);
        }
    }
  open_step_done (task);
}

static void
on_store_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!dly_profile_store_load_finish (DLY_PROFILE_STORE (source), result, &error)
      && data->error == NULL)
    data->error = g_steal_pointer (&error);
  open_step_done (task);
}

void
dly_take_controller_open_async (DlyTakeController  *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (DLY_IS_TAKE_CONTROLLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_take_controller_open_async);
  data = g_new0 (OpenData, 1);
  data->pending = 2;
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);

  dly_engine_open_async (self->engine, cancellable, on_engine_opened_cb, g_object_ref (task));
  dly_profile_store_load_async (self->store, cancellable, on_store_loaded_cb, g_object_ref (task));
}

gboolean
dly_take_controller_open_finish (DlyTakeController  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The demo */

DlyProfile *
dly_take_controller_start_demo (DlyTakeController  *self,
                                GError            **error)
{
  DlyProfile *profile;

  g_return_val_if_fail (DLY_IS_TAKE_CONTROLLER (self), NULL);

  if (!dly_demo_start (self->demo, error))
    return NULL;
  profile = dly_demo_get_profile (self->demo);
  if (dly_profile_store_lookup (self->store, DLY_DEMO_PROFILE_NAME) != profile
      && !dly_profile_store_add_transient (self->store, profile, error))
    return NULL;
  apply_concurrency (self, profile);
  return profile;
}

gboolean
dly_take_controller_has_demo_takes (DlyTakeController *self)
{
  GListModel *jobs;
  guint n;

  g_return_val_if_fail (DLY_IS_TAKE_CONTROLLER (self), FALSE);

  jobs = dly_engine_get_jobs (self->engine);
  n = g_list_model_get_n_items (jobs);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlyJob) job = g_list_model_get_item (jobs, i);

      if (dly_demo_is_demo_job (job))
        return TRUE;
    }
  return FALSE;
}

gboolean
dly_take_controller_has_own_profiles (DlyTakeController *self)
{
  guint n;

  g_return_val_if_fail (DLY_IS_TAKE_CONTROLLER (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlyProfile) profile = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (!dly_profile_store_is_transient (self->store, dly_profile_get_name (profile)))
        return TRUE;
    }
  return FALSE;
}

/* Submitting */

typedef struct
{
  DlyProfile *profile;
  GPtrArray  *requests;
} SubmitData;

static void
submit_data_free (SubmitData *data)
{
  g_clear_object (&data->profile);
  g_clear_pointer (&data->requests, g_ptr_array_unref);
  g_free (data);
}

static void
on_submit_backend_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DlyTakeController *self = g_task_get_source_object (task);
  SubmitData *data = g_task_get_task_data (task);
  g_autoptr(DlyBackend) backend = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) jobs = NULL;
  const char *key_env = NULL;
  GError *error = NULL;

  backend = dly_profile_store_create_backend_finish (DLY_PROFILE_STORE (source), result, &error);
  if (backend == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->engine == NULL || g_task_return_error_if_cancelled (task))
    return;

  /* All or nothing: a batch of variations half sent is harder to reason about than none. */
  for (guint i = 0; i < data->requests->len; i++)
    {
      g_autoptr(DlyRequest) request = dly_request_copy (g_ptr_array_index (data->requests, i));
      DlyMode mode;

      if (!dly_profile_apply_defaults (data->profile, backend, request, &error)
          || !dly_backend_validate (backend, request, &mode, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (requests, g_steal_pointer (&request));
    }

  apply_concurrency (self, data->profile);
  if (dly_profile_get_key_source (data->profile) == DLY_KEY_SOURCE_ENV)
    key_env = dly_profile_get_key_env (data->profile);

  jobs = dly_engine_submit_all (self->engine, backend, requests,
                               dly_profile_get_name (data->profile), key_env, &error);
  if (jobs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  update_busy (self);
  g_task_return_pointer (task, g_steal_pointer (&jobs), (GDestroyNotify) g_ptr_array_unref);
}

void
dly_take_controller_submit_async (DlyTakeController  *self,
                                  DlyProfile         *profile,
                                  GPtrArray          *requests,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  SubmitData *data;

  g_return_if_fail (DLY_IS_TAKE_CONTROLLER (self));
  g_return_if_fail (DLY_IS_PROFILE (profile));
  g_return_if_fail (requests != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_take_controller_submit_async);
  data = g_new0 (SubmitData, 1);
  data->profile = g_object_ref (profile);
  data->requests = g_ptr_array_ref (requests);
  g_task_set_task_data (task, data, (GDestroyNotify) submit_data_free);

  if (requests->len == 0)
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func (g_object_unref),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  dly_profile_store_create_backend_async (self->store, profile, cancellable,
                                          on_submit_backend_cb, g_steal_pointer (&task));
}

GPtrArray *
dly_take_controller_submit_finish (DlyTakeController  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Retrying */

DlyRetryCost
dly_take_controller_get_retry_cost (DlyTakeController *self,
                                    DlyJob            *job)
{
  GType type;
  DlyBackendClass *klass;
  DlyRetryCost cost;

  g_return_val_if_fail (DLY_IS_TAKE_CONTROLLER (self), DLY_RETRY_COST_PAID);
  g_return_val_if_fail (DLY_IS_JOB (job), DLY_RETRY_COST_PAID);

  if (dly_job_get_state (job) == DLY_JOB_STATE_UNKNOWN)
    return DLY_RETRY_COST_MAY_BE_RUNNING;
  if (dly_demo_is_demo_job (job))
    return DLY_RETRY_COST_FREE;

  type = dly_backend_type_for_dialect (dly_job_get_dialect (job));
  if (type == G_TYPE_INVALID)
    return DLY_RETRY_COST_PAID;   /* a dialect this version does not know: assume the worst */
  klass = g_type_class_ref (type);
  /* The hosted services are the ones that take keys, and they bill per generation. */
  cost = klass->needs_api_key ? DLY_RETRY_COST_PAID : DLY_RETRY_COST_FREE;
  g_type_class_unref (klass);
  return cost;
}

static void
on_retry_backend_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DlyTakeController *self = DLY_TAKE_CONTROLLER (source);
  DlyJob *old = g_task_get_task_data (task);
  g_autoptr(DlyBackend) backend = NULL;
  g_autoptr(DlyRequest) request = NULL;
  DlyJob *job;
  GError *error = NULL;

  backend = make_backend_finish (self, result, &error);
  if (backend == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->engine == NULL || g_task_return_error_if_cancelled (task))
    return;

  request = dly_request_copy (dly_job_get_request (old));
  job = dly_engine_submit (self->engine, backend, request, dly_job_get_profile (old),
                           dly_job_get_api_key_env (old), NULL, &error);
  update_busy (self);
  if (job == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (job), g_object_unref);
}

void
dly_take_controller_retry_async (DlyTakeController  *self,
                                 DlyJob             *job,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  BackendSpec *spec;

  g_return_if_fail (DLY_IS_TAKE_CONTROLLER (self));
  g_return_if_fail (DLY_IS_JOB (job));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_take_controller_retry_async);
  g_task_set_task_data (task, g_object_ref (job), g_object_unref);

  spec = backend_spec_for_job (job);
  make_backend_async (self, spec, cancellable, on_retry_backend_cb, g_steal_pointer (&task));
  backend_spec_free (spec);
}

DlyJob *
dly_take_controller_retry_finish (DlyTakeController  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
dly_take_controller_dup_backend_name (DlyTakeController *self,
                                      DlyJob            *job)
{
  GType type;
  DlyBackendClass *klass;
  char *name;

  g_return_val_if_fail (DLY_IS_TAKE_CONTROLLER (self), NULL);
  g_return_val_if_fail (DLY_IS_JOB (job), NULL);

  if (dly_job_get_profile (job) != NULL)
    return g_strdup (dly_job_get_profile (job));

  type = dly_backend_type_for_dialect (dly_job_get_dialect (job));
  if (type == G_TYPE_INVALID)
    return g_strdup (dly_job_get_dialect (job));
  klass = g_type_class_ref (type);
  name = g_strdup (klass->label != NULL ? klass->label : dly_job_get_dialect (job));
  g_type_class_unref (klass);
  return name;
}
