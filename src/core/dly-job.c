/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dly-enums.h"
#include "dly-error.h"
#include "dly-job.h"

struct _DlyJob
{
  GObject     parent_instance;

  char       *id;
  DlyRequest *request;
  char       *dialect;
  char       *base_url;
  char       *profile;
  char       *api_key_env;
  char       *output_path;
  DlyJobState state;
  double      progress;
  char       *remote_id;
  char       *result_uri;
  char       *message;
  int         error_code;
  guint       submit_count;
  gint64      created_at;
  gint64      started_at;
  gint64      finished_at;
};

G_DEFINE_FINAL_TYPE (DlyJob, dly_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_REQUEST,
  PROP_DIALECT,
  PROP_BASE_URL,
  PROP_PROFILE,
  PROP_OUTPUT_PATH,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_REMOTE_ID,
  PROP_MESSAGE,
  PROP_ERROR_CODE,
  PROP_STARTED_AT,
  PROP_FINISHED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dly_job_finalize (GObject *object)
{
  DlyJob *self = DLY_JOB (object);

  g_free (self->id);
  g_clear_object (&self->request);
  g_free (self->dialect);
  g_free (self->base_url);
  g_free (self->profile);
  g_free (self->api_key_env);
  g_free (self->output_path);
  g_free (self->remote_id);
  g_free (self->result_uri);
  g_free (self->message);

  G_OBJECT_CLASS (dly_job_parent_class)->finalize (object);
}

static void
dly_job_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  DlyJob *self = DLY_JOB (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_REQUEST: g_value_set_object (value, self->request); break;
    case PROP_DIALECT: g_value_set_string (value, self->dialect); break;
    case PROP_BASE_URL: g_value_set_string (value, self->base_url); break;
    case PROP_PROFILE: g_value_set_string (value, self->profile); break;
    case PROP_OUTPUT_PATH: g_value_set_string (value, self->output_path); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_PROGRESS: g_value_set_double (value, self->progress); break;
    case PROP_REMOTE_ID: g_value_set_string (value, self->remote_id); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    case PROP_ERROR_CODE: g_value_set_int (value, self->error_code); break;
    case PROP_STARTED_AT: g_value_set_int64 (value, self->started_at); break;
    case PROP_FINISHED_AT: g_value_set_int64 (value, self->finished_at); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_job_class_init (DlyJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dly_job_finalize;
  object_class->get_property = dly_job_get_property;

  /* Read-only for everyone but the engine, which uses the setters below. */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_REQUEST] = g_param_spec_object ("request", NULL, NULL, DLY_TYPE_REQUEST, flags);
  properties[PROP_DIALECT] = g_param_spec_string ("dialect", NULL, NULL, NULL, flags);
  properties[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL, NULL, flags);
  properties[PROP_PROFILE] = g_param_spec_string ("profile", NULL, NULL, NULL, flags);
  properties[PROP_OUTPUT_PATH] = g_param_spec_string ("output-path", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, DLY_TYPE_JOB_STATE,
                                              DLY_JOB_STATE_QUEUED, flags);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1, 1, -1, flags);
  properties[PROP_REMOTE_ID] = g_param_spec_string ("remote-id", NULL, NULL, NULL, flags);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, flags);
  properties[PROP_ERROR_CODE] = g_param_spec_int ("error-code", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_STARTED_AT] = g_param_spec_int64 ("started-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FINISHED_AT] = g_param_spec_int64 ("finished-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dly_job_init (DlyJob *self)
{
  self->progress = -1;
  self->error_code = -1;
}

DlyJob *
dly_job_new (const char *id,
             DlyRequest *request,
             const char *dialect,
             const char *base_url,
             const char *profile,
             const char *api_key_env,
             const char *output_path,
             gint64      created_at)
{
  DlyJob *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (DLY_IS_REQUEST (request), NULL);

  self = g_object_new (DLY_TYPE_JOB, NULL);
  self->id = g_strdup (id);
  self->request = g_object_ref (request);
  self->dialect = g_strdup (dialect);
  self->base_url = g_strdup (base_url);
  self->profile = g_strdup (profile);
  self->api_key_env = g_strdup (api_key_env);
  self->output_path = g_strdup (output_path);
  self->created_at = created_at;
  return self;
}

#define GETTER(type, name, field) \
  type dly_job_get_##name (DlyJob *self) \
  { \
    g_return_val_if_fail (DLY_IS_JOB (self), (type) 0); \
    return self->field; \
  }

GETTER (const char *, id, id)
GETTER (DlyRequest *, request, request)
GETTER (const char *, dialect, dialect)
GETTER (const char *, base_url, base_url)
GETTER (const char *, profile, profile)
GETTER (const char *, api_key_env, api_key_env)
GETTER (const char *, output_path, output_path)
GETTER (DlyJobState, state, state)
GETTER (double, progress, progress)
GETTER (const char *, remote_id, remote_id)
GETTER (const char *, result_uri, result_uri)
GETTER (const char *, message, message)
GETTER (int, error_code, error_code)
GETTER (guint, submit_count, submit_count)
GETTER (gint64, created_at, created_at)
GETTER (gint64, started_at, started_at)
GETTER (gint64, finished_at, finished_at)

#undef GETTER

static void
set_string (DlyJob     *self,
            char      **field,
            const char *value,
            int         prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  if (prop != PROP_0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
dly_job_set_state (DlyJob     *self,
                   DlyJobState state)
{
  g_return_if_fail (DLY_IS_JOB (self));
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
dly_job_set_progress (DlyJob *self,
                      double  progress)
{
  g_return_if_fail (DLY_IS_JOB (self));
  progress = progress < 0 ? -1 : CLAMP (progress, 0, 1);
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

void
dly_job_set_remote_id (DlyJob     *self,
                       const char *remote_id)
{
  g_return_if_fail (DLY_IS_JOB (self));
  set_string (self, &self->remote_id, remote_id, PROP_REMOTE_ID);
}

void
dly_job_set_result_uri (DlyJob     *self,
                        const char *result_uri)
{
  g_return_if_fail (DLY_IS_JOB (self));
  set_string (self, &self->result_uri, result_uri, PROP_0);
}

void
dly_job_set_message (DlyJob     *self,
                     const char *message)
{
  g_return_if_fail (DLY_IS_JOB (self));
  set_string (self, &self->message, message, PROP_MESSAGE);
}

void
dly_job_set_error_code (DlyJob *self,
                        int     code)
{
  g_return_if_fail (DLY_IS_JOB (self));
  if (self->error_code == code)
    return;
  self->error_code = code;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_CODE]);
}

void
dly_job_set_output_path (DlyJob     *self,
                         const char *output_path)
{
  g_return_if_fail (DLY_IS_JOB (self));
  set_string (self, &self->output_path, output_path, PROP_OUTPUT_PATH);
}

void
dly_job_set_submit_count (DlyJob *self,
                          guint   count)
{
  g_return_if_fail (DLY_IS_JOB (self));
  self->submit_count = count;
}

void
dly_job_set_started_at (DlyJob *self,
                        gint64  when)
{
  g_return_if_fail (DLY_IS_JOB (self));
  if (self->started_at == when)
    return;
  self->started_at = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED_AT]);
}

void
dly_job_set_finished_at (DlyJob *self,
                         gint64  when)
{
  g_return_if_fail (DLY_IS_JOB (self));
  if (self->finished_at == when)
    return;
  self->finished_at = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED_AT]);
}

double
dly_job_get_elapsed (DlyJob *self)
{
  gint64 end;

  g_return_val_if_fail (DLY_IS_JOB (self), 0);
  end = self->finished_at ? self->finished_at : g_get_real_time ();
  return MAX (0, end - self->created_at) / (double) G_USEC_PER_SEC;
}

gboolean
dly_job_is_finished (DlyJob *self)
{
  g_return_val_if_fail (DLY_IS_JOB (self), FALSE);
  return dly_job_state_is_finished (self->state);
}

gboolean
dly_job_is_resumable (DlyJob *self)
{
  g_return_val_if_fail (DLY_IS_JOB (self), FALSE);

  if (!dly_job_state_is_finished (self->state))
    return TRUE;
  /* Lost contact is not a verdict: the job may still finish on the backend. */
  return self->state == DLY_JOB_STATE_FAILED && self->remote_id != NULL
         && self->error_code == DLY_ERROR_TRANSPORT;
}

JsonNode *
dly_job_to_json (DlyJob *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (DLY_IS_JOB (self), NULL);

#define ADD_STRING(name, value) \
  G_STMT_START { \
    json_builder_set_member_name (builder, name); \
    if ((value) != NULL) \
      json_builder_add_string_value (builder, value); \
    else \
      json_builder_add_null_value (builder); \
  } G_STMT_END

  json_builder_begin_object (builder);
  ADD_STRING ("id", self->id);
  ADD_STRING ("remote_id", self->remote_id);
  ADD_STRING ("state", dly_job_state_to_string (self->state));
  ADD_STRING ("output_path", self->output_path);
  json_builder_set_member_name (builder, "elapsed_seconds");
  json_builder_add_double_value (builder, dly_job_get_elapsed (self));
  ADD_STRING ("message", self->message);
  ADD_STRING ("backend", self->dialect);
  ADD_STRING ("base_url", self->base_url);
  ADD_STRING ("profile", self->profile);
  json_builder_set_member_name (builder, "progress");
  json_builder_add_double_value (builder, self->progress);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_int_value (builder, self->created_at / G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "finished_at");
  if (self->finished_at)
    json_builder_add_int_value (builder, self->finished_at / G_USEC_PER_SEC);
  else
    json_builder_add_null_value (builder);
  ADD_STRING ("prompt", dly_request_get_prompt (self->request));
  json_builder_set_member_name (builder, "request");
  json_builder_add_value (builder, dly_request_to_json (self->request));
  json_builder_end_object (builder);
#undef ADD_STRING

  return json_builder_get_root (builder);
}
