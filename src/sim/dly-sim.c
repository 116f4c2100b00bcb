/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DlySim: the two servers (API and CDN), routing, settings and faults, statistics and the
 * /_sim/ control API. The dialects live in dly-sim-<dialect>.c, jobs in dly-sim-job.c. */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "dly-sim-private.h"

#define DEFAULT_JOB_SECONDS       5.0
#define DEFAULT_MAX_RENDER_PIXELS (1280 * 720)
#define DEFAULT_RETENTION_SECONDS 1800.0
#define DEFAULT_CREDITS           1000.0
#define MAX_CDN_LOG               1000
#define MAX_ASSET_BYTES           (64 * 1024 * 1024)

typedef struct
{
  DlySimDialect dialect;
  guint         status;
  guint         count;
  guint         retry_after;
} HttpBurst;

typedef struct
{
  DlySimDialect dialect;
  DlySimRender *render;
} Result;

typedef struct
{
  GBytes *bytes;
  char   *content_type;
} Asset;

struct _DlySim
{
  GObject         parent_instance;

  char           *cache_dir;
  DlySimRenderer *renderer;

  /* Owned by the serving context (the caller's, or the private thread's). */
  GMainContext   *context;
  GMainLoop      *loop;
  GThread        *thread;
  SoupServer     *server;
  SoupServer     *cdn;
  SoupSession    *session;
  GCancellable   *cancellable;
  GHashTable     *jobs[DLY_SIM_N_DIALECTS];
  GHashTable     *results;
  GPtrArray      *delayed;        /* latency timers of requests not answered yet */
  gboolean        running;
  guint16         port;
  char           *url;
  char           *cdn_url;
  char           *runpod_url;

  /* Behind the lock: may be read and written from any thread. */
  GMutex          lock;
  DlySimSettings  settings;
  double          credits;
  DlySimJobFault  fail[DLY_SIM_N_DIALECTS + 1];
  guint           fail_count[DLY_SIM_N_DIALECTS + 1];
  GQueue          http_errors;
  guint           truncate[DLY_SIM_N_DIALECTS + 1];
  guint           malformed[DLY_SIM_N_DIALECTS + 1];
  guint           counts[DLY_SIM_N_DIALECTS][DLY_SIM_N_COUNTERS];
  guint           blob_downloads;
  guint           cdn_requests;
  GPtrArray      *cdn_log;
  GHashTable     *assets;
};

G_DEFINE_FINAL_TYPE (DlySim, dly_sim, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CACHE_DIR,
  PROP_JOB_SECONDS,
  PROP_API_KEY,
  PROP_MAX_RENDER_PIXELS,
  PROP_DOWNLOAD_RATE,
  PROP_LATENCY_MS,
  PROP_CREDITS_EXHAUSTED,
  PROP_REDIRECT_RESULTS,
  PROP_GRACEFUL_FAILURES,
  PROP_RESULT_RETENTION,
  PROP_APIXO_HTTP_ERRORS,
  PROP_PORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const dialect_names[] = {
  DLY_SIM_DIALECT_LTXV_TASK,
  DLY_SIM_DIALECT_LTX2_SERVER,
  DLY_SIM_DIALECT_APIXO,
  DLY_SIM_DIALECT_RUNPOD,
  DLY_SIM_DIALECT_SEGMIND,
  NULL
};

static const char *const counter_names[] = {
  "submits", "status", "downloads", "cancels", "faults",
};

G_STATIC_ASSERT (G_N_ELEMENTS (counter_names) == DLY_SIM_N_COUNTERS);

const char *
dly_sim_dialect_name (DlySimDialect dialect)
{
  if (dialect < DLY_SIM_N_DIALECTS)
    return dialect_names[dialect];
  return "any";
}

gboolean
dly_sim_dialect_parse (const char    *name,
                       DlySimDialect *dialect)
{
  if (name == NULL || g_str_equal (name, "any"))
    {
      *dialect = DLY_SIM_ANY;
      return TRUE;
    }
  for (guint i = 0; i < DLY_SIM_N_DIALECTS; i++)
    if (g_str_equal (name, dialect_names[i]))
      {
        *dialect = i;
        return TRUE;
      }
  return FALSE;
}

const char *const *
dly_sim_list_dialects (void)
{
  return dialect_names;
}

void
dly_sim_settings_clear (DlySimSettings *settings)
{
  g_clear_pointer (&settings->api_key, g_free);
}

void
dly_sim_job_fault_clear (DlySimJobFault *fault)
{
  g_clear_pointer (&fault->code, g_free);
  g_clear_pointer (&fault->message, g_free);
  fault->timeout = FALSE;
}

static void
result_free (gpointer data)
{
  Result *result = data;

  dly_sim_render_unref (result->render);
  g_free (result);
}

static void
asset_free (gpointer data)
{
  Asset *asset = data;

  g_bytes_unref (asset->bytes);
  g_free (asset->content_type);
  g_free (asset);
}

/* --- internals for the other files ----------------------------------------------------- */

GMainContext *
dly_sim_get_context (DlySim *self)
{
  return self->context;
}

DlySimRenderer *
dly_sim_get_renderer (DlySim *self)
{
  return self->renderer;
}

SoupSession *
dly_sim_get_session (DlySim *self)
{
  return self->session;
}

GCancellable *
dly_sim_get_cancellable (DlySim *self)
{
  return self->cancellable;
}

void
dly_sim_get_settings (DlySim         *self,
                      DlySimSettings *settings)
{
  g_mutex_lock (&self->lock);
  *settings = self->settings;
  settings->api_key = g_strdup (self->settings.api_key);
  g_mutex_unlock (&self->lock);
}

void
dly_sim_count (DlySim        *self,
               DlySimDialect  dialect,
               DlySimCounter  counter)
{
  g_return_if_fail (dialect < DLY_SIM_N_DIALECTS);

  g_mutex_lock (&self->lock);
  self->counts[dialect][counter]++;
  g_mutex_unlock (&self->lock);
}

gboolean
dly_sim_check_key (DlySim     *self,
                   const char *offered)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = self->settings.api_key == NULL
       || (offered != NULL && g_str_equal (offered, self->settings.api_key));
  g_mutex_unlock (&self->lock);
  return ok;
}

/* The dialect's own counter goes first, so a scoped fault is never eaten by another dialect. */
static guint *
pick_counter (guint         *counters,
              DlySimDialect  dialect)
{
  if (dialect < DLY_SIM_N_DIALECTS && counters[dialect] > 0)
    return &counters[dialect];
  if (counters[DLY_SIM_ANY] > 0)
    return &counters[DLY_SIM_ANY];
  return NULL;
}

gboolean
dly_sim_take_job_fault (DlySim         *self,
                        DlySimDialect   dialect,
                        DlySimJobFault *fault)
{
  guint *counter;
  gboolean taken = FALSE;

  g_mutex_lock (&self->lock);
  counter = pick_counter (self->fail_count, dialect);
  if (counter != NULL)
    {
      DlySimJobFault *source = &self->fail[counter - self->fail_count];

      (*counter)--;
      fault->timeout = source->timeout;
      fault->code = g_strdup (source->code);
      fault->message = g_strdup (source->message);
      taken = TRUE;
    }
  g_mutex_unlock (&self->lock);
  return taken;
}

static gboolean
take_counted (DlySim        *self,
              guint         *counters,
              DlySimDialect  dialect)
{
  guint *counter;

  g_mutex_lock (&self->lock);
  counter = pick_counter (counters, dialect);
  if (counter != NULL)
    (*counter)--;
  g_mutex_unlock (&self->lock);
  return counter != NULL;
}

gboolean
dly_sim_take_malformed (DlySim        *self,
                        DlySimDialect  dialect)
{
  return take_counted (self, self->malformed, dialect);
}

gboolean
dly_sim_take_truncate (DlySim        *self,
                       DlySimDialect  dialect)
{
  return take_counted (self, self->truncate, dialect);
}

static gboolean
take_http_error (DlySim        *self,
                 DlySimDialect  dialect,
                 HttpBurst     *out)
{
  gboolean taken = FALSE;

  g_mutex_lock (&self->lock);
  for (GList *l = self->http_errors.head; l != NULL; l = l->next)
    {
      HttpBurst *burst = l->data;

      if (burst->dialect != DLY_SIM_ANY && burst->dialect != dialect)
        continue;

      *out = *burst;
      taken = TRUE;
      if (--burst->count == 0)
        {
          g_queue_delete_link (&self->http_errors, l);
          g_free (burst);
        }
      break;
    }
  g_mutex_unlock (&self->lock);
  return taken;
}

gboolean
dly_sim_take_credit (DlySim *self,
                     double *remaining)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = !self->settings.credits_exhausted && self->credits >= 1.0;
  if (ok)
    self->credits -= 1.0;
  if (remaining != NULL)
    *remaining = ok ? self->credits : 0.0;
  g_mutex_unlock (&self->lock);
  return ok;
}

double
dly_sim_get_credits (DlySim *self)
{
  double credits;

  g_mutex_lock (&self->lock);
  credits = self->settings.credits_exhausted ? 0.0 : self->credits;
  g_mutex_unlock (&self->lock);
  return credits;
}

char *
dly_sim_main_url (DlySim     *self,
                  const char *path)
{
  return g_strconcat (self->url, path, NULL);
}

char *
dly_sim_cdn_url (DlySim     *self,
                 const char *path)
{
  return g_strconcat (self->cdn_url, path, NULL);
}

char *
dly_sim_result_url (DlySim     *self,
                    const char *cdn_path)
{
  gboolean redirect;

  g_mutex_lock (&self->lock);
  redirect = self->settings.redirect_results;
  g_mutex_unlock (&self->lock);

  if (redirect)
    return g_strconcat (self->url, "/_sim/results/", cdn_path, NULL);
  return g_strconcat (self->cdn_url, "/", cdn_path, NULL);
}

char *
dly_sim_publish_result (DlySim        *self,
                        DlySimDialect  dialect,
                        const char    *cdn_path,
                        DlySimRender  *render)
{
  Result *result = g_new0 (Result, 1);

  result->dialect = dialect;
  result->render = dly_sim_render_ref (render);
  g_hash_table_replace (self->results, g_strdup (cdn_path), result);

  return dly_sim_result_url (self, cdn_path);
}

DlySimRender *
dly_sim_lookup_result (DlySim        *self,
                       const char    *cdn_path,
                       DlySimDialect *dialect)
{
  Result *result;

  if (self->results == NULL)
    return NULL;

  result = g_hash_table_lookup (self->results, cdn_path);
  if (result == NULL)
    return NULL;
  if (dialect != NULL)
    *dialect = result->dialect;
  return result->render;
}

void
dly_sim_add_job (DlySim    *self,
                 DlySimJob *job)
{
  g_hash_table_replace (self->jobs[job->dialect], g_strdup (job->id), dly_sim_job_ref (job));
}

DlySimJob *
dly_sim_lookup_job (DlySim        *self,
                    DlySimDialect  dialect,
                    const char    *id)
{
  if (self->jobs[dialect] == NULL || id == NULL)
    return NULL;
  return g_hash_table_lookup (self->jobs[dialect], id);
}

GList *
dly_sim_list_jobs (DlySim        *self,
                   DlySimDialect  dialect)
{
  if (self->jobs[dialect] == NULL)
    return NULL;
  return g_hash_table_get_values (self->jobs[dialect]);
}

/* --- settings --------------------------------------------------------------------------- */

#define DEFINE_SETTER(name, type, field, prop)                       \
  void                                                               \
  dly_sim_set_##name (DlySim *self,                                  \
                      type    value)                                 \
  {                                                                  \
    gboolean changed;                                                \
                                                                     \
    g_return_if_fail (DLY_IS_SIM (self));                            \
                                                                     \
    g_mutex_lock (&self->lock);                                      \
    changed = self->settings.field != value;                         \
    self->settings.field = value;                                    \
    g_mutex_unlock (&self->lock);                                    \
                                                                     \
    if (changed)                                                     \
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);  \
  }

DEFINE_SETTER (job_seconds, double, job_seconds, PROP_JOB_SECONDS)
DEFINE_SETTER (max_render_pixels, guint64, max_render_pixels, PROP_MAX_RENDER_PIXELS)
DEFINE_SETTER (download_rate, guint64, download_rate, PROP_DOWNLOAD_RATE)
DEFINE_SETTER (latency_ms, guint, latency_ms, PROP_LATENCY_MS)
DEFINE_SETTER (credits_exhausted, gboolean, credits_exhausted, PROP_CREDITS_EXHAUSTED)
DEFINE_SETTER (redirect_results, gboolean, redirect_results, PROP_REDIRECT_RESULTS)
DEFINE_SETTER (graceful_failures, gboolean, graceful_failures, PROP_GRACEFUL_FAILURES)
DEFINE_SETTER (result_retention, double, result_retention, PROP_RESULT_RETENTION)
DEFINE_SETTER (apixo_http_errors, gboolean, apixo_http_errors, PROP_APIXO_HTTP_ERRORS)

#undef DEFINE_SETTER

double
dly_sim_get_job_seconds (DlySim *self)
{
  double value;

  g_return_val_if_fail (DLY_IS_SIM (self), 0);

  g_mutex_lock (&self->lock);
  value = self->settings.job_seconds;
  g_mutex_unlock (&self->lock);
  return value;
}

guint64
dly_sim_get_max_render_pixels (DlySim *self)
{
  guint64 value;

  g_return_val_if_fail (DLY_IS_SIM (self), 0);

  g_mutex_lock (&self->lock);
  value = self->settings.max_render_pixels;
  g_mutex_unlock (&self->lock);
  return value;
}

void
dly_sim_set_api_key (DlySim     *self,
                     const char *api_key)
{
  gboolean changed;

  g_return_if_fail (DLY_IS_SIM (self));

  if (api_key != NULL && *api_key == '\0')
    api_key = NULL;

  g_mutex_lock (&self->lock);
  changed = g_strcmp0 (self->settings.api_key, api_key) != 0;
  if (changed)
    {
      g_free (self->settings.api_key);
      self->settings.api_key = g_strdup (api_key);
    }
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_KEY]);
}

static gboolean
parse_dialect_or_warn (const char    *name,
                       DlySimDialect *dialect)
{
  if (dly_sim_dialect_parse (name, dialect))
    return TRUE;
  g_critical ("dailies-sim: unknown dialect “%s”", name);
  return FALSE;
}

void
dly_sim_fail_next_jobs (DlySim     *self,
                        const char *dialect,
                        guint       count,
                        const char *message,
                        const char *code)
{
  DlySimDialect d;

  g_return_if_fail (DLY_IS_SIM (self));
  if (!parse_dialect_or_warn (dialect, &d))
    return;

  g_mutex_lock (&self->lock);
  dly_sim_job_fault_clear (&self->fail[d]);
  self->fail[d].message = g_strdup (message ? message : "Generation failed (injected fault)");
  self->fail[d].code = g_strdup (code);
  self->fail_count[d] = count;
  g_mutex_unlock (&self->lock);
}

void
dly_sim_time_out_next_jobs (DlySim     *self,
                            const char *dialect,
                            guint       count)
{
  DlySimDialect d;

  g_return_if_fail (DLY_IS_SIM (self));
  if (!parse_dialect_or_warn (dialect, &d))
    return;

  g_mutex_lock (&self->lock);
  dly_sim_job_fault_clear (&self->fail[d]);
  self->fail[d].timeout = TRUE;
  self->fail[d].message = g_strdup ("Generation timeout");
  self->fail_count[d] = count;
  g_mutex_unlock (&self->lock);
}

void
dly_sim_inject_http_errors (DlySim     *self,
                            const char *dialect,
                            guint       status,
                            guint       count,
                            guint       retry_after)
{
  DlySimDialect d;
  HttpBurst *burst;

  g_return_if_fail (DLY_IS_SIM (self));
  g_return_if_fail (status >= 400 && status <= 599);
  if (!parse_dialect_or_warn (dialect, &d) || count == 0)
    return;

  burst = g_new0 (HttpBurst, 1);
  burst->dialect = d;
  burst->status = status;
  burst->count = count;
  burst->retry_after = retry_after;

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->http_errors, burst);
  g_mutex_unlock (&self->lock);
}

void
dly_sim_truncate_next_downloads (DlySim     *self,
                                 const char *dialect,
                                 guint       count)
{
  DlySimDialect d;

  g_return_if_fail (DLY_IS_SIM (self));
  if (!parse_dialect_or_warn (dialect, &d))
    return;

  g_mutex_lock (&self->lock);
  self->truncate[d] = count;
  g_mutex_unlock (&self->lock);
}

void
dly_sim_malform_next_status (DlySim     *self,
                             const char *dialect,
                             guint       count)
{
  DlySimDialect d;

  g_return_if_fail (DLY_IS_SIM (self));
  if (!parse_dialect_or_warn (dialect, &d))
    return;

  g_mutex_lock (&self->lock);
  self->malformed[d] = count;
  g_mutex_unlock (&self->lock);
}

void
dly_sim_reset (DlySim *self)
{
  g_return_if_fail (DLY_IS_SIM (self));

  g_mutex_lock (&self->lock);
  for (guint i = 0; i <= DLY_SIM_N_DIALECTS; i++)
    {
      dly_sim_job_fault_clear (&self->fail[i]);
      self->fail_count[i] = 0;
      self->truncate[i] = 0;
      self->malformed[i] = 0;
    }
  g_queue_clear_full (&self->http_errors, g_free);
  memset (self->counts, 0, sizeof self->counts);
  self->blob_downloads = 0;
  self->cdn_requests = 0;
  g_ptr_array_set_size (self->cdn_log, 0);
  self->credits = DEFAULT_CREDITS;
  g_mutex_unlock (&self->lock);

  g_object_freeze_notify (G_OBJECT (self));
  dly_sim_set_api_key (self, NULL);
  dly_sim_set_download_rate (self, 0);
  dly_sim_set_latency_ms (self, 0);
  dly_sim_set_credits_exhausted (self, FALSE);
  dly_sim_set_redirect_results (self, FALSE);
  dly_sim_set_graceful_failures (self, FALSE);
  dly_sim_set_apixo_http_errors (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

/* --- JSON configuration ----------------------------------------------------------------- */

static gboolean
config_error (GError    **error,
              const char *member,
              const char *expected)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” must be %s", member,
               expected);
  return FALSE;
}

static gboolean
config_bool (JsonObject  *config,
             const char  *member,
             gboolean    *value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (config, member);

  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return config_error (error, member, "true or false");
  *value = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
config_number (JsonObject  *config,
               const char  *member,
               double       min,
               double      *value,
               GError     **error)
{
  gboolean present;

  if (!dly_sim_json_get_double (config, member, value, &present) || *value < min)
    return config_error (error, member, "a number not below the minimum");
  return TRUE;
}

typedef struct
{
  guint         count;
  DlySimDialect dialect;
  const char   *message;
  const char   *code;
  guint         status;
  guint         retry_after;
} CountedFault;

/* A counted fault is a bare count or an object {count, dialect, ...}. */
static gboolean
config_counted (JsonNode      *node,
                const char    *member,
                CountedFault  *fault,
                GError       **error)
{
  JsonObject *object;
  gint64 value = 1;
  gboolean present;

  memset (fault, 0, sizeof *fault);
  fault->dialect = DLY_SIM_ANY;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      JsonObject *wrapper = json_object_new ();
      gboolean ok;

      json_object_set_member (wrapper, "count", json_node_copy (node));
      ok = dly_sim_json_get_int (wrapper, "count", &value, &present) && value >= 0;
      json_object_unref (wrapper);
      if (!ok)
        return config_error (error, member, "a count or an object");
      fault->count = value;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return config_error (error, member, "a count or an object");

  object = json_node_get_object (node);
  if (!dly_sim_json_get_int (object, "count", &value, &present) || value < 0 || value > G_MAXINT)
    return config_error (error, member, "an object with a non-negative “count”");
  fault->count = value;

  if (json_object_has_member (object, "dialect")
      && !json_object_get_null_member (object, "dialect")
      && (json_node_get_value_type (json_object_get_member (object, "dialect")) != G_TYPE_STRING
          || !dly_sim_dialect_parse (json_object_get_string_member (object, "dialect"),
                                     &fault->dialect)))
    return config_error (error, member, "an object whose “dialect” is a known dialect");

  fault->message = json_object_get_string_member_with_default (object, "message", NULL);
  fault->code = json_object_get_string_member_with_default (object, "code", NULL);

  value = 503;
  if (!dly_sim_json_get_int (object, "status", &value, &present) || value < 400 || value > 599)
    return config_error (error, member, "an object with an HTTP error “status”");
  fault->status = value;

  value = 0;
  if (!dly_sim_json_get_int (object, "retry_after", &value, &present) || value < 0
      || value > 86400)
    return config_error (error, member, "an object with “retry_after” in seconds");
  fault->retry_after = value;

  return TRUE;
}

static gboolean
apply_config (DlySim      *self,
              JsonObject  *config,
              gboolean     dry_run,
              GError     **error)
{
  g_autoptr (GList) members = json_object_get_members (config);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;
      JsonNode *node = json_object_get_member (config, member);
      gboolean flag;
      double number;
      CountedFault fault;

      if (g_str_equal (member, "reset"))
        {
          if (!config_bool (config, member, &flag, error))
            return FALSE;
          if (!dry_run && flag)
            dly_sim_reset (self);
        }
      else if (g_str_equal (member, "job_seconds"))
        {
          if (!config_number (config, member, 0, &number, error))
            return FALSE;
          if (!dry_run)
            dly_sim_set_job_seconds (self, number);
        }
      else if (g_str_equal (member, "api_key"))
        {
          if (!JSON_NODE_HOLDS_NULL (node) && json_node_get_value_type (node) != G_TYPE_STRING)
            return config_error (error, member, "a string or null");
          if (!dry_run)
            dly_sim_set_api_key (self, JSON_NODE_HOLDS_NULL (node) ? NULL
                                                                   : json_node_get_string (node));
        }
      else if (g_str_equal (member, "max_render_pixels"))
        {
          if (!config_number (config, member, 0, &number, error))
            return FALSE;
          if (!dry_run)
            dly_sim_set_max_render_pixels (self, (guint64) number);
        }
      else if (g_str_equal (member, "download_rate"))
        {
          if (!config_number (config, member, 0, &number, error))
            return FALSE;
          if (!dry_run)
            dly_sim_set_download_rate (self, (guint64) number);
        }
      else if (g_str_equal (member, "latency_ms"))
        {
          if (!config_number (config, member, 0, &number, error) || number > 600000)
            return config_error (error, member, "milliseconds up to 600000");
          if (!dry_run)
            dly_sim_set_latency_ms (self, (guint) number);
        }
      else if (g_str_equal (member, "credits"))
        {
          if (!config_number (config, member, 0, &number, error))
            return FALSE;
          if (!dry_run)
            {
              g_mutex_lock (&self->lock);
              self->credits = number;
              g_mutex_unlock (&self->lock);
            }
        }
      else if (g_str_equal (member, "credits_exhausted"))
        {
          if (!config_bool (config, member, &flag, error))
            return FALSE;
          if (!dry_run)
            dly_sim_set_credits_exhausted (self, flag);
        }
      else if (g_str_equal (member, "redirect_results"))
        {
          if (!config_bool (config, member, &flag, error))
            return FALSE;
          if (!dry_run)
            dly_sim_set_redirect_results (self, flag);
        }
      else if (g_str_equal (member, "graceful_failures"))
        {
          if (!config_bool (config, member, &flag, error))
            return FALSE;
          if (!dry_run)
            dly_sim_set_graceful_failures (self, flag);
        }
      else if (g_str_equal (member, "result_retention_seconds"))
        {
          if (!config_number (config, member, 0, &number, error))
            return FALSE;
          if (!dry_run)
            dly_sim_set_result_retention (self, number);
        }
      else if (g_str_equal (member, "apixo_http_errors"))
        {
          if (!config_bool (config, member, &flag, error))
            return FALSE;
          if (!dry_run)
            dly_sim_set_apixo_http_errors (self, flag);
        }
      else if (g_str_equal (member, "fail_next") || g_str_equal (member, "timeout_next")
               || g_str_equal (member, "content_violation_next")
               || g_str_equal (member, "truncate_next") || g_str_equal (member, "malformed_next"))
        {
          const char *dialect;

          if (!config_counted (node, member, &fault, error))
            return FALSE;
          if (dry_run)
            continue;

          dialect = fault.dialect == DLY_SIM_ANY ? NULL : dly_sim_dialect_name (fault.dialect);
          if (g_str_equal (member, "fail_next"))
            dly_sim_fail_next_jobs (self, dialect, fault.count, fault.message, fault.code);
          else if (g_str_equal (member, "timeout_next"))
            dly_sim_time_out_next_jobs (self, dialect, fault.count);
          else if (g_str_equal (member, "content_violation_next"))
            dly_sim_fail_next_jobs (self, dialect, fault.count,
                                    "Content does not meet safety guidelines",
                                    "CONTENT_VIOLATION");
          else if (g_str_equal (member, "truncate_next"))
            dly_sim_truncate_next_downloads (self, dialect, fault.count);
          else
            dly_sim_malform_next_status (self, dialect, fault.count);
        }
      else if (g_str_equal (member, "http_errors"))
        {
          g_autoptr (GList) items = NULL;

          if (JSON_NODE_HOLDS_ARRAY (node))
            items = json_array_get_elements (json_node_get_array (node));
          else if (JSON_NODE_HOLDS_OBJECT (node))
            items = g_list_append (NULL, node);
          else
            return config_error (error, member, "an object or an array of objects");

          for (GList *i = items; i != NULL; i = i->next)
            {
              if (!JSON_NODE_HOLDS_OBJECT (i->data))
                return config_error (error, member, "an object or an array of objects");
              if (!config_counted (i->data, member, &fault, error))
                return FALSE;
              if (!dry_run)
                dly_sim_inject_http_errors (self,
                                            fault.dialect == DLY_SIM_ANY
                                              ? NULL : dly_sim_dialect_name (fault.dialect),
                                            fault.status, fault.count, fault.retry_after);
            }
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Unknown setting “%s”", member);
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
dly_sim_configure (DlySim      *self,
                   JsonObject  *config,
                   GError     **error)
{
  g_return_val_if_fail (DLY_IS_SIM (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  /* Validate everything first, so a typo does not leave half a configuration behind. */
  if (!apply_config (self, config, TRUE, error))
    return FALSE;
  return apply_config (self, config, FALSE, error);
}

static JsonObject *
counts_by_dialect (const guint *counters)
{
  JsonObject *object = json_object_new ();

  for (guint i = 0; i <= DLY_SIM_N_DIALECTS; i++)
    if (counters[i] > 0)
      json_object_set_int_member (object, dly_sim_dialect_name (i), counters[i]);
  return object;
}

JsonNode *
dly_sim_dup_config (DlySim *self)
{
  JsonObject *object = json_object_new ();
  JsonObject *pending = json_object_new ();
  JsonArray *bursts = json_array_new ();
  JsonNode *node;

  g_return_val_if_fail (DLY_IS_SIM (self), NULL);

  g_mutex_lock (&self->lock);
  json_object_set_double_member (object, "job_seconds", self->settings.job_seconds);
  json_object_set_boolean_member (object, "api_key_required", self->settings.api_key != NULL);
  json_object_set_int_member (object, "max_render_pixels", self->settings.max_render_pixels);
  json_object_set_int_member (object, "download_rate", self->settings.download_rate);
  json_object_set_int_member (object, "latency_ms", self->settings.latency_ms);
  json_object_set_double_member (object, "credits", self->credits);
  json_object_set_boolean_member (object, "credits_exhausted", self->settings.credits_exhausted);
  json_object_set_boolean_member (object, "redirect_results", self->settings.redirect_results);
  json_object_set_boolean_member (object, "graceful_failures", self->settings.graceful_failures);
  json_object_set_double_member (object, "result_retention_seconds",
                                 self->settings.result_retention);
  json_object_set_boolean_member (object, "apixo_http_errors", self->settings.apixo_http_errors);

  json_object_set_object_member (pending, "fail_next", counts_by_dialect (self->fail_count));
  json_object_set_object_member (pending, "truncate_next", counts_by_dialect (self->truncate));
  json_object_set_object_member (pending, "malformed_next", counts_by_dialect (self->malformed));
  for (GList *l = self->http_errors.head; l != NULL; l = l->next)
    {
      HttpBurst *burst = l->data;
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "dialect", dly_sim_dialect_name (burst->dialect));
      json_object_set_int_member (item, "status", burst->status);
      json_object_set_int_member (item, "count", burst->count);
      json_object_set_int_member (item, "retry_after", burst->retry_after);
      json_array_add_object_element (bursts, item);
    }
  json_object_set_array_member (pending, "http_errors", bursts);
  g_mutex_unlock (&self->lock);

  json_object_set_object_member (object, "pending", pending);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* --- statistics ------------------------------------------------------------------------- */

guint
dly_sim_get_count (DlySim        *self,
                   const char    *dialect,
                   DlySimCounter  counter)
{
  DlySimDialect d;
  guint value = 0;

  g_return_val_if_fail (DLY_IS_SIM (self), 0);
  g_return_val_if_fail (counter < DLY_SIM_N_COUNTERS, 0);

  if (!dly_sim_dialect_parse (dialect, &d))
    return 0;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < DLY_SIM_N_DIALECTS; i++)
    if (d == DLY_SIM_ANY || d == i)
      value += self->counts[i][counter];
  g_mutex_unlock (&self->lock);
  return value;
}

guint
dly_sim_get_cdn_request_count (DlySim *self)
{
  guint value;

  g_return_val_if_fail (DLY_IS_SIM (self), 0);

  g_mutex_lock (&self->lock);
  value = self->cdn_requests;
  g_mutex_unlock (&self->lock);
  return value;
}

gboolean
dly_sim_cdn_saw_header (DlySim     *self,
                        const char *name)
{
  gboolean seen = FALSE;

  g_return_val_if_fail (DLY_IS_SIM (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->cdn_log->len && !seen; i++)
    {
      JsonObject *entry = g_ptr_array_index (self->cdn_log, i);
      JsonObject *headers = json_object_get_object_member (entry, "headers");
      g_autoptr (GList) names = json_object_get_members (headers);

      for (GList *l = names; l != NULL && !seen; l = l->next)
        seen = g_ascii_strcasecmp (l->data, name) == 0;
    }
  g_mutex_unlock (&self->lock);
  return seen;
}

JsonNode *
dly_sim_dup_stats (DlySim *self)
{
  JsonObject *object = json_object_new ();
  JsonObject *dialects = json_object_new ();
  JsonObject *cdn = json_object_new ();
  JsonObject *renders = json_object_new ();
  JsonArray *log = json_array_new ();
  JsonNode *node;

  g_return_val_if_fail (DLY_IS_SIM (self), NULL);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < DLY_SIM_N_DIALECTS; i++)
    {
      JsonObject *counts = json_object_new ();

      for (guint c = 0; c < DLY_SIM_N_COUNTERS; c++)
        json_object_set_int_member (counts, counter_names[c], self->counts[i][c]);
      json_object_set_object_member (dialects, dialect_names[i], counts);
    }
  json_object_set_int_member (cdn, "requests", self->cdn_requests);
  for (guint i = 0; i < self->cdn_log->len; i++)
    json_array_add_object_element (log,
                                   json_object_ref (g_ptr_array_index (self->cdn_log, i)));
  json_object_set_array_member (cdn, "log", log);
  json_object_set_int_member (object, "blob_downloads", self->blob_downloads);
  g_mutex_unlock (&self->lock);

  json_object_set_int_member (renders, "rendered",
                              dly_sim_renderer_get_n_rendered (self->renderer));
  json_object_set_int_member (renders, "cache_hits",
                              dly_sim_renderer_get_n_cache_hits (self->renderer));

  json_object_set_object_member (object, "dialects", dialects);
  json_object_set_object_member (object, "cdn", cdn);
  json_object_set_object_member (object, "renders", renders);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* --- assets ----------------------------------------------------------------------------- */

char *
dly_sim_add_asset (DlySim     *self,
                   const char *name,
                   GBytes     *bytes,
                   const char *content_type)
{
  Asset *asset;

  g_return_val_if_fail (DLY_IS_SIM (self), NULL);
  g_return_val_if_fail (name != NULL && *name != '\0' && strchr (name, '/') == NULL, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  asset = g_new0 (Asset, 1);
  asset->bytes = g_bytes_ref (bytes);
  asset->content_type = g_strdup (content_type ? content_type : "application/octet-stream");

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->assets, g_strdup (name), asset);
  g_mutex_unlock (&self->lock);

  if (self->cdn_url == NULL)
    return NULL;
  return g_strdup_printf ("%s/_sim/assets/%s", self->cdn_url, name);
}

static gboolean
serve_asset (DlySim            *self,
             SoupServerMessage *msg,
             const char        *name)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *content_type = NULL;
  Asset *asset;

  g_mutex_lock (&self->lock);
  asset = g_hash_table_lookup (self->assets, name);
  if (asset != NULL)
    {
      bytes = g_bytes_ref (asset->bytes);
      content_type = g_strdup (asset->content_type);
    }
  g_mutex_unlock (&self->lock);

  if (bytes == NULL)
    return FALSE;

  dly_sim_serve_bytes (msg, bytes, content_type);
  return TRUE;
}

/* --- fixtures --------------------------------------------------------------------------- */

typedef struct
{
  DlySim            *self;
  SoupServerMessage *msg;
} FixtureOp;

static void
on_fixture_rendered (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  FixtureOp *op = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (DlySimRender) render = NULL;

  render = dly_sim_renderer_render_finish (DLY_SIM_RENDERER (source), result, &error);

  /* The client may have gone while the fixture was made. */
  if (dly_sim_unpause (op->msg))
    {
      if (render == NULL)
        dly_sim_reply_error (op->msg, DLY_SIM_ANY, 500, error->message);
      else
        dly_sim_serve_render (op->self, op->msg, DLY_SIM_ANY, render);
    }

  g_object_unref (op->msg);
  g_object_unref (op->self);
  g_free (op);
}

static guint
query_uint (GHashTable *query,
            const char *name,
            guint       fallback,
            guint       min,
            guint       max)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;
  gint64 value;

  if (text == NULL || !dly_sim_parse_int (text, &value))
    return fallback;
  return CLAMP (value, (gint64) min, (gint64) max);
}

static void
serve_fixture (DlySim            *self,
               SoupServerMessage *msg,
               const char        *name,
               GHashTable        *query)
{
  g_autoptr (DlySimRenderSpec) spec = NULL;
  const char *text = query ? g_hash_table_lookup (query, "text") : NULL;
  FixtureOp *op;

  if (g_str_equal (name, "image.png"))
    {
      spec = dly_sim_render_spec_new (DLY_SIM_RENDER_PNG);
      spec->width = query_uint (query, "width", 320, 16, 4096);
      spec->height = query_uint (query, "height", 240, 16, 4096);
      spec->prompt = g_strdup (text ? text : "dailies-sim image fixture");
    }
  else if (g_str_equal (name, "audio.wav"))
    {
      const char *seconds = query ? g_hash_table_lookup (query, "seconds") : NULL;
      double value = 2.0;

      spec = dly_sim_render_spec_new (DLY_SIM_RENDER_WAV);
      if (seconds != NULL && dly_sim_parse_double (seconds, &value))
        value = CLAMP (value, 0.1, 120.0);
      spec->tone_seconds = value;
    }
  else
    {
      dly_sim_reply_error (msg, DLY_SIM_ANY, 404, "No such fixture");
      return;
    }

  spec->seed = query_uint (query, "seed", 1, 0, G_MAXUINT);

  op = g_new0 (FixtureOp, 1);
  op->self = g_object_ref (self);
  op->msg = g_object_ref (msg);
  dly_sim_pause (msg);
  dly_sim_renderer_render_async (self->renderer, spec, NULL, on_fixture_rendered, op);
}

/* --- the CDN host ----------------------------------------------------------------------- */

static void
record_cdn_request (DlySim            *self,
                    SoupServerMessage *msg,
                    const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  JsonObject *entry = json_object_new ();
  JsonObject *fields = json_object_new ();

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    json_object_set_string_member (fields, name, value);

  json_object_set_string_member (entry, "method", soup_server_message_get_method (msg));
  json_object_set_string_member (entry, "path", path);
  json_object_set_object_member (entry, "headers", fields);

  g_mutex_lock (&self->lock);
  self->cdn_requests++;
  if (self->cdn_log->len >= MAX_CDN_LOG)
    g_ptr_array_remove_index (self->cdn_log, 0);
  g_ptr_array_add (self->cdn_log, entry);
  g_mutex_unlock (&self->lock);
}

static void
on_cdn_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  DlySim *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  DlySimDialect dialect;
  DlySimRender *render;

  record_cdn_request (self, msg, path);

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  if (g_str_has_prefix (path, "/_sim/fixtures/"))
    {
      serve_fixture (self, msg, path + strlen ("/_sim/fixtures/"), query);
      return;
    }
  if (g_str_has_prefix (path, "/_sim/assets/"))
    {
      if (!serve_asset (self, msg, path + strlen ("/_sim/assets/")))
        soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  render = dly_sim_lookup_result (self, path + 1, &dialect);
  if (render == NULL)
    {
      /* Storage buckets answer a bare 404 for a missing object. */
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "No such object.", strlen ("No such object."));
      return;
    }

  dly_sim_count (self, dialect, DLY_SIM_COUNT_DOWNLOADS);
  dly_sim_serve_render (self, msg, dialect, render);
}

/* --- control API ------------------------------------------------------------------------ */

static guint64
parse_size (const char *text,
            gboolean   *ok)
{
  char *end = NULL;
  guint64 value;
  guint64 unit = 1;

  errno = 0;
  value = g_ascii_strtoull (text, &end, 10);
  *ok = errno == 0 && end != text;
  if (!*ok)
    return 0;

  if (g_ascii_strcasecmp (end, "k") == 0 || g_ascii_strcasecmp (end, "kb") == 0)
    unit = 1000;
  else if (g_ascii_strcasecmp (end, "m") == 0 || g_ascii_strcasecmp (end, "mb") == 0)
    unit = 1000 * 1000;
  else if (g_ascii_strcasecmp (end, "g") == 0 || g_ascii_strcasecmp (end, "gb") == 0)
    unit = 1000 * 1000 * 1000;
  else if (g_ascii_strcasecmp (end, "kib") == 0)
    unit = 1024;
  else if (g_ascii_strcasecmp (end, "mib") == 0)
    unit = 1024 * 1024;
  else if (g_ascii_strcasecmp (end, "gib") == 0)
    unit = 1024 * 1024 * 1024;
  else if (*end != '\0')
    *ok = FALSE;

  if (value > G_MAXUINT64 / unit)
    *ok = FALSE;
  return value * unit;
}

static void
reply_node (SoupServerMessage *msg,
            JsonNode          *node)
{
  JsonObject *object = json_node_dup_object (node);

  json_node_unref (node);
  dly_sim_reply_object (msg, 200, object);
}

static void
handle_control (DlySim            *self,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  const char *rest = path + strlen ("/_sim/");

  if (g_str_equal (rest, "") && method == SOUP_METHOD_GET)
    {
      JsonObject *object = json_object_new ();
      JsonObject *urls = json_object_new ();

      for (guint i = 0; i < DLY_SIM_N_DIALECTS; i++)
        json_object_set_string_member (urls, dialect_names[i],
                                       dly_sim_get_base_url (self, dialect_names[i]));
      json_object_set_string_member (object, "name", "dailies-sim");
      json_object_set_string_member (object, "version", PACKAGE_VERSION);
      json_object_set_object_member (object, "dialects", urls);
      json_object_set_string_member (object, "cdn", self->cdn_url);
      dly_sim_reply_object (msg, 200, object);
    }
  else if (g_str_equal (rest, "config") && method == SOUP_METHOD_GET)
    {
      reply_node (msg, dly_sim_dup_config (self));
    }
  else if (g_str_equal (rest, "config") && (method == SOUP_METHOD_POST
                                            || method == SOUP_METHOD_PUT))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) node = dly_sim_parse_json_body (msg, &error);

      if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "The configuration must be a JSON object");

      if (error == NULL)
        dly_sim_configure (self, json_node_get_object (node), &error);

      if (error != NULL)
        dly_sim_reply_error (msg, DLY_SIM_ANY, 400, error->message);
      else
        reply_node (msg, dly_sim_dup_config (self));
    }
  else if (g_str_equal (rest, "reset") && method == SOUP_METHOD_POST)
    {
      dly_sim_reset (self);
      reply_node (msg, dly_sim_dup_config (self));
    }
  else if (g_str_equal (rest, "stats") && method == SOUP_METHOD_GET)
    {
      reply_node (msg, dly_sim_dup_stats (self));
    }
  else if (g_str_has_prefix (rest, "blob/") && (method == SOUP_METHOD_GET
                                                || method == SOUP_METHOD_HEAD))
    {
      gboolean ok;
      guint64 size = parse_size (rest + strlen ("blob/"), &ok);

      if (!ok || size < 64 || size > G_GUINT64_CONSTANT (1) << 40)
        {
          dly_sim_reply_error (msg, DLY_SIM_ANY, 400,
                               "The blob size must be a byte count from 64 bytes to 1 TiB");
          return;
        }
      g_mutex_lock (&self->lock);
      self->blob_downloads++;
      g_mutex_unlock (&self->lock);
      dly_sim_serve_blob (self, msg, size);
    }
  else if (g_str_has_prefix (rest, "fixtures/") && method == SOUP_METHOD_GET)
    {
      serve_fixture (self, msg, rest + strlen ("fixtures/"), query);
    }
  else if (g_str_has_prefix (rest, "assets/"))
    {
      const char *name = rest + strlen ("assets/");

      if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
        {
          if (!serve_asset (self, msg, name))
            dly_sim_reply_error (msg, DLY_SIM_ANY, 404, "No such asset");
        }
      else if ((method == SOUP_METHOD_PUT || method == SOUP_METHOD_POST) && *name != '\0'
               && strchr (name, '/') == NULL)
        {
          SoupMessageBody *body = soup_server_message_get_request_body (msg);
          g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
          const char *type =
            soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg),
                                                   NULL);
          g_autofree char *url = NULL;
          JsonObject *object;

          if (g_bytes_get_size (bytes) > MAX_ASSET_BYTES)
            {
              dly_sim_reply_error (msg, DLY_SIM_ANY, 413, "Assets are limited to 64 MiB");
              return;
            }
          url = dly_sim_add_asset (self, name, bytes, type);
          object = json_object_new ();
          json_object_set_string_member (object, "url", url);
          dly_sim_reply_object (msg, 201, object);
        }
      else
        {
          dly_sim_reply_error (msg, DLY_SIM_ANY, 405, "Method Not Allowed");
        }
    }
  else if (g_str_has_prefix (rest, "results/") && (method == SOUP_METHOD_GET
                                                   || method == SOUP_METHOD_HEAD))
    {
      const char *cdn_path = rest + strlen ("results/");
      g_autofree char *target = NULL;

      if (dly_sim_lookup_result (self, cdn_path, NULL) == NULL)
        {
          dly_sim_reply_error (msg, DLY_SIM_ANY, 404, "Not Found");
          return;
        }
      /* The API host hands downloads to storage, as hosted backends do. */
      target = g_strconcat (self->cdn_url, "/", cdn_path, NULL);
      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, target);
    }
  else
    {
      dly_sim_reply_error (msg, DLY_SIM_ANY, 404, "Not Found");
    }
}

/* --- the API host ----------------------------------------------------------------------- */

static gboolean
route (const char    *path,
       DlySimDialect *dialect,
       DlySimHandler *handler)
{
  if (g_str_equal (path, "/generate") || g_str_has_prefix (path, "/status/")
      || g_str_has_prefix (path, "/video/"))
    {
      *dialect = DLY_SIM_LTXV_TASK;
      *handler = dly_sim_ltxv_task_handle;
    }
  else if (g_str_has_prefix (path, "/v1/video/") || g_str_has_prefix (path, "/outputs/")
           || g_str_equal (path, "/health"))
    {
      *dialect = DLY_SIM_LTX2_SERVER;
      *handler = dly_sim_ltx2_server_handle;
    }
  else if (g_str_has_prefix (path, "/api/"))
    {
      *dialect = DLY_SIM_APIXO;
      *handler = dly_sim_apixo_handle;
    }
  else if (g_str_has_prefix (path, "/v2/"))
    {
      *dialect = DLY_SIM_RUNPOD;
      *handler = dly_sim_runpod_handle;
    }
  else if (g_str_has_prefix (path, "/v1/"))
    {
      *dialect = DLY_SIM_SEGMIND;
      *handler = dly_sim_segmind_handle;
    }
  else
    {
      return FALSE;
    }
  return TRUE;
}

static void
reply_injected (DlySim            *self,
                SoupServerMessage *msg,
                DlySimDialect      dialect,
                const HttpBurst   *burst)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  dly_sim_reply_error (msg, dialect, burst->status, dly_sim_status_phrase (burst->status));

  if (burst->retry_after > 0)
    {
      /* Segmind's gateway names the moment the limit resets and sends no Retry-After. */
      if (dialect == DLY_SIM_SEGMIND && burst->status == 429)
        {
          g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
          g_autoptr (GDateTime) reset = g_date_time_add_seconds (now, burst->retry_after);
          g_autofree char *text = g_date_time_format (reset, "%Y-%m-%dT%H:%M:%SZ");

          soup_message_headers_replace (headers, "x-rate-limit-reset-at-utc", text);
        }
      else
        {
          g_autofree char *text = g_strdup_printf ("%u", burst->retry_after);

          soup_message_headers_replace (headers, "Retry-After", text);
        }
    }
}

typedef struct
{
  DlySim            *self;
  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;
  DlySimHandler      handler;
  GSource           *source;
} Deferred;

static void
deferred_free (gpointer data)
{
  Deferred *deferred = data;

  g_object_unref (deferred->self);
  g_object_unref (deferred->msg);
  g_free (deferred->path);
  g_clear_pointer (&deferred->query, g_hash_table_unref);
  g_free (deferred);
}

static gboolean
on_latency_elapsed (gpointer user_data)
{
  Deferred *deferred = user_data;

  if (deferred->self->delayed != NULL)
    g_ptr_array_remove_fast (deferred->self->delayed, deferred->source);

  /* Unpause first: a handler that waits for its job pauses again, which wins. */
  if (!dly_sim_unpause (deferred->msg))
    return G_SOURCE_REMOVE;
  if (deferred->self->running)
    deferred->handler (deferred->self, deferred->msg, deferred->path, deferred->query);
  else
    soup_server_message_set_status (deferred->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_api_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  DlySim *self = user_data;
  DlySimDialect dialect;
  DlySimHandler handler;
  HttpBurst burst;
  guint latency_ms;

  if (g_str_has_prefix (path, "/_sim/"))
    {
      handle_control (self, msg, path, query);
      return;
    }

  if (!route (path, &dialect, &handler))
    {
      dly_sim_reply_error (msg, DLY_SIM_LTXV_TASK, 404, "Not Found");
      return;
    }

  if (take_http_error (self, dialect, &burst))
    {
      dly_sim_count (self, dialect, DLY_SIM_COUNT_FAULTS);
      reply_injected (self, msg, dialect, &burst);
      return;
    }

  g_mutex_lock (&self->lock);
  latency_ms = self->settings.latency_ms;
  g_mutex_unlock (&self->lock);

  if (latency_ms > 0)
    {
      Deferred *deferred = g_new0 (Deferred, 1);
      GSource *source = g_timeout_source_new (latency_ms);

      deferred->self = g_object_ref (self);
      deferred->msg = g_object_ref (msg);
      deferred->path = g_strdup (path);
      deferred->query = query ? g_hash_table_ref (query) : NULL;
      deferred->handler = handler;
      deferred->source = source;

      dly_sim_pause (msg);
      g_source_set_callback (source, on_latency_elapsed, deferred, deferred_free);
      g_source_attach (source, self->context);
      g_ptr_array_add (self->delayed, source);
      return;
    }

  handler (self, msg, path, query);
}

/* --- lifecycle -------------------------------------------------------------------------- */

static void
drop_source (gpointer data)
{
  g_source_destroy (data);
  g_source_unref (data);
}

static char *
first_uri (SoupServer *server,
           guint16    *port)
{
  GSList *uris = soup_server_get_uris (server);
  char *text = NULL;

  if (uris != NULL)
    {
      GUri *uri = uris->data;

      *port = g_uri_get_port (uri);
      text = g_strdup_printf ("http://%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return text;
}

static gboolean
listen_on (SoupServer  *server,
           const char  *address,
           guint16      port,
           GError     **error)
{
  g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr (GSocketAddress) socket_address = g_inet_socket_address_new (inet, port);

  return soup_server_listen (server, socket_address, 0, error);
}

static gboolean
start_servers (DlySim   *self,
               guint16   port,
               GError  **error)
{
  g_autoptr (GError) cdn_error = NULL;
  guint16 cdn_port = 0;

  self->server = soup_server_new ("server-header", "dailies-sim/" PACKAGE_VERSION " ", NULL);
  self->cdn = soup_server_new ("server-header", "dailies-sim-cdn/" PACKAGE_VERSION " ", NULL);

  if (!listen_on (self->server, "127.0.0.1", port, error))
    {
      g_clear_object (&self->server);
      g_clear_object (&self->cdn);
      return FALSE;
    }

  /* A second loopback address makes the CDN a foreign host for the client's key policy. */
  if (!listen_on (self->cdn, "127.0.0.2", 0, &cdn_error))
    {
      g_debug ("127.0.0.2 is unavailable (%s); the CDN shares 127.0.0.1", cdn_error->message);
      g_clear_error (&cdn_error);
      if (!listen_on (self->cdn, "127.0.0.1", 0, error))
        {
          soup_server_disconnect (self->server);
          g_clear_object (&self->server);
          g_clear_object (&self->cdn);
          return FALSE;
        }
    }

  soup_server_add_handler (self->server, NULL, on_api_request, self, NULL);
  soup_server_add_handler (self->cdn, NULL, on_cdn_request, self, NULL);

  self->url = first_uri (self->server, &self->port);
  self->cdn_url = first_uri (self->cdn, &cdn_port);
  self->runpod_url = g_strconcat (self->url, "/v2/" DLY_SIM_RUNPOD_ENDPOINT, NULL);

  self->session = soup_session_new_with_options ("timeout", 60,
                                                 "user-agent", "dailies-sim/" PACKAGE_VERSION,
                                                 NULL);
  self->cancellable = g_cancellable_new ();
  self->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, result_free);
  self->delayed = g_ptr_array_new_with_free_func (drop_source);
  for (guint i = 0; i < DLY_SIM_N_DIALECTS; i++)
    self->jobs[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) dly_sim_job_unref);
  self->running = TRUE;
  return TRUE;
}

/* Runs in the serving context: the servers, session and job sources belong to it. */
static void
stop_servers (DlySim *self)
{
  self->running = FALSE;

  g_cancellable_cancel (self->cancellable);

  for (guint i = 0; i < DLY_SIM_N_DIALECTS; i++)
    {
      if (self->jobs[i] != NULL)
        {
          GHashTableIter iter;
          gpointer value;

          g_hash_table_iter_init (&iter, self->jobs[i]);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            dly_sim_job_detach (value);
        }
      g_clear_pointer (&self->jobs[i], g_hash_table_unref);
    }
  g_clear_pointer (&self->results, g_hash_table_unref);
  g_clear_pointer (&self->delayed, g_ptr_array_unref);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  if (self->cdn != NULL)
    soup_server_disconnect (self->cdn);
  g_clear_object (&self->server);
  g_clear_object (&self->cdn);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
}

gboolean
dly_sim_start (DlySim   *self,
               guint16   port,
               GError  **error)
{
  g_return_val_if_fail (DLY_IS_SIM (self), FALSE);
  g_return_val_if_fail (!self->running && self->thread == NULL, FALSE);

  self->context = g_main_context_ref_thread_default ();
  if (!start_servers (self, port, error))
    {
      g_clear_pointer (&self->context, g_main_context_unref);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  DlySim  *self;
  guint16  port;
  GMutex   mutex;
  GCond    cond;
  gboolean done;
  gboolean ok;
  GError  *error;
} ThreadStart;

static gpointer
serve_in_thread (gpointer data)
{
  ThreadStart *start = data;
  DlySim *self = start->self;
  gboolean ok;

  g_main_context_push_thread_default (self->context);

  ok = start_servers (self, start->port, &start->error);

  g_mutex_lock (&start->mutex);
  start->ok = ok;
  start->done = TRUE;
  g_cond_signal (&start->cond);
  g_mutex_unlock (&start->mutex);
  /* @start belongs to the starting thread from here on. */

  if (ok)
    {
      g_main_loop_run (self->loop);
      stop_servers (self);
      /* Let the sockets and sources that were just dropped finish with their callbacks. */
      while (g_main_context_iteration (self->context, FALSE))
        ;
    }

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

gboolean
dly_sim_start_in_thread (DlySim   *self,
                         guint16   port,
                         GError  **error)
{
  ThreadStart start = { 0 };

  g_return_val_if_fail (DLY_IS_SIM (self), FALSE);
  g_return_val_if_fail (!self->running && self->thread == NULL, FALSE);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);

  start.self = self;
  start.port = port;
  g_mutex_init (&start.mutex);
  g_cond_init (&start.cond);

  self->thread = g_thread_new ("dailies-sim", serve_in_thread, &start);

  g_mutex_lock (&start.mutex);
  while (!start.done)
    g_cond_wait (&start.cond, &start.mutex);
  g_mutex_unlock (&start.mutex);

  g_mutex_clear (&start.mutex);
  g_cond_clear (&start.cond);

  if (!start.ok)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
      g_clear_pointer (&self->context, g_main_context_unref);
      g_propagate_error (error, start.error);
      return FALSE;
    }
  return TRUE;
}

void
dly_sim_stop (DlySim *self)
{
  g_return_if_fail (DLY_IS_SIM (self));

  if (self->thread != NULL)
    {
      g_main_loop_quit (self->loop);
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
    }
  else if (self->running)
    {
      stop_servers (self);
    }

  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->cdn_url, g_free);
  g_clear_pointer (&self->runpod_url, g_free);
  self->port = 0;
}

gboolean
dly_sim_is_running (DlySim *self)
{
  g_return_val_if_fail (DLY_IS_SIM (self), FALSE);
  return self->running;
}

const char *
dly_sim_get_base_url (DlySim     *self,
                      const char *dialect)
{
  DlySimDialect d;

  g_return_val_if_fail (DLY_IS_SIM (self), NULL);

  if (self->url == NULL || dialect == NULL || !dly_sim_dialect_parse (dialect, &d)
      || d == DLY_SIM_ANY)
    return NULL;
  return d == DLY_SIM_RUNPOD ? self->runpod_url : self->url;
}

guint16
dly_sim_get_port (DlySim *self)
{
  g_return_val_if_fail (DLY_IS_SIM (self), 0);
  return self->port;
}

const char *
dly_sim_get_url (DlySim *self)
{
  g_return_val_if_fail (DLY_IS_SIM (self), NULL);
  return self->url;
}

const char *
dly_sim_get_cdn_url (DlySim *self)
{
  g_return_val_if_fail (DLY_IS_SIM (self), NULL);
  return self->cdn_url;
}

DlySim *
dly_sim_new (void)
{
  return g_object_new (DLY_TYPE_SIM, NULL);
}

DlySim *
dly_sim_new_with_cache_dir (const char *cache_dir)
{
  return g_object_new (DLY_TYPE_SIM, "cache-dir", cache_dir, NULL);
}

static void
dly_sim_constructed (GObject *object)
{
  DlySim *self = DLY_SIM (object);

  G_OBJECT_CLASS (dly_sim_parent_class)->constructed (object);

  self->renderer = dly_sim_renderer_new (self->cache_dir);
}

static void
dly_sim_dispose (GObject *object)
{
  DlySim *self = DLY_SIM (object);

  dly_sim_stop (self);

  G_OBJECT_CLASS (dly_sim_parent_class)->dispose (object);
}

static void
dly_sim_finalize (GObject *object)
{
  DlySim *self = DLY_SIM (object);

  g_clear_object (&self->renderer);
  g_free (self->cache_dir);
  dly_sim_settings_clear (&self->settings);
  for (guint i = 0; i <= DLY_SIM_N_DIALECTS; i++)
    dly_sim_job_fault_clear (&self->fail[i]);
  g_queue_clear_full (&self->http_errors, g_free);
  g_ptr_array_unref (self->cdn_log);
  g_hash_table_unref (self->assets);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (dly_sim_parent_class)->finalize (object);
}

static void
dly_sim_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  DlySim *self = DLY_SIM (object);

  g_mutex_lock (&self->lock);
  switch (prop_id)
    {
    case PROP_CACHE_DIR:
      g_value_set_string (value, self->cache_dir);
      break;
    case PROP_JOB_SECONDS:
      g_value_set_double (value, self->settings.job_seconds);
      break;
    case PROP_API_KEY:
      g_value_set_string (value, self->settings.api_key);
      break;
    case PROP_MAX_RENDER_PIXELS:
      g_value_set_uint64 (value, self->settings.max_render_pixels);
      break;
    case PROP_DOWNLOAD_RATE:
      g_value_set_uint64 (value, self->settings.download_rate);
      break;
    case PROP_LATENCY_MS:
      g_value_set_uint (value, self->settings.latency_ms);
      break;
    case PROP_CREDITS_EXHAUSTED:
      g_value_set_boolean (value, self->settings.credits_exhausted);
      break;
    case PROP_REDIRECT_RESULTS:
      g_value_set_boolean (value, self->settings.redirect_results);
      break;
    case PROP_GRACEFUL_FAILURES:
      g_value_set_boolean (value, self->settings.graceful_failures);
      break;
    case PROP_RESULT_RETENTION:
      g_value_set_double (value, self->settings.result_retention);
      break;
    case PROP_APIXO_HTTP_ERRORS:
      g_value_set_boolean (value, self->settings.apixo_http_errors);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  g_mutex_unlock (&self->lock);
}

static void
dly_sim_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  DlySim *self = DLY_SIM (object);

  switch (prop_id)
    {
    case PROP_CACHE_DIR:
      self->cache_dir = g_value_dup_string (value);
      break;
    case PROP_JOB_SECONDS:
      dly_sim_set_job_seconds (self, g_value_get_double (value));
      break;
    case PROP_API_KEY:
      dly_sim_set_api_key (self, g_value_get_string (value));
      break;
    case PROP_MAX_RENDER_PIXELS:
      dly_sim_set_max_render_pixels (self, g_value_get_uint64 (value));
      break;
    case PROP_DOWNLOAD_RATE:
      dly_sim_set_download_rate (self, g_value_get_uint64 (value));
      break;
    case PROP_LATENCY_MS:
      dly_sim_set_latency_ms (self, g_value_get_uint (value));
      break;
    case PROP_CREDITS_EXHAUSTED:
      dly_sim_set_credits_exhausted (self, g_value_get_boolean (value));
      break;
    case PROP_REDIRECT_RESULTS:
      dly_sim_set_redirect_results (self, g_value_get_boolean (value));
      break;
    case PROP_GRACEFUL_FAILURES:
      dly_sim_set_graceful_failures (self, g_value_get_boolean (value));
      break;
    case PROP_RESULT_RETENTION:
      dly_sim_set_result_retention (self, g_value_get_double (value));
      break;
    case PROP_APIXO_HTTP_ERRORS:
      dly_sim_set_apixo_http_errors (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_sim_class_init (DlySimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = dly_sim_constructed;
  object_class->dispose = dly_sim_dispose;
  object_class->finalize = dly_sim_finalize;
  object_class->get_property = dly_sim_get_property;
  object_class->set_property = dly_sim_set_property;

  /* Where renders are kept; NULL for a private directory removed with the simulator. */
  properties[PROP_CACHE_DIR] =
    g_param_spec_string ("cache-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* From submit to result: the first quarter queued, the rest running. */
  properties[PROP_JOB_SECONDS] =
    g_param_spec_double ("job-seconds", NULL, NULL, 0, 86400, DEFAULT_JOB_SECONDS, rw);
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL, rw);
  properties[PROP_MAX_RENDER_PIXELS] =
    g_param_spec_uint64 ("max-render-pixels", NULL, NULL, 0, G_MAXUINT64,
                         DEFAULT_MAX_RENDER_PIXELS, rw);
  properties[PROP_DOWNLOAD_RATE] =
    g_param_spec_uint64 ("download-rate", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  properties[PROP_LATENCY_MS] =
    g_param_spec_uint ("latency-ms", NULL, NULL, 0, 600000, 0, rw);
  properties[PROP_CREDITS_EXHAUSTED] =
    g_param_spec_boolean ("credits-exhausted", NULL, NULL, FALSE, rw);
  properties[PROP_REDIRECT_RESULTS] =
    g_param_spec_boolean ("redirect-results", NULL, NULL, FALSE, rw);
  properties[PROP_GRACEFUL_FAILURES] =
    g_param_spec_boolean ("graceful-failures", NULL, NULL, FALSE, rw);
  properties[PROP_RESULT_RETENTION] =
    g_param_spec_double ("result-retention", NULL, NULL, 0, 7 * 86400.0,
                         DEFAULT_RETENTION_SECONDS, rw);
  properties[PROP_APIXO_HTTP_ERRORS] =
    g_param_spec_boolean ("apixo-http-errors", NULL, NULL, FALSE, rw);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dly_sim_init (DlySim *self)
{
  g_mutex_init (&self->lock);
  self->settings.job_seconds = DEFAULT_JOB_SECONDS;
  self->settings.max_render_pixels = DEFAULT_MAX_RENDER_PIXELS;
  self->settings.result_retention = DEFAULT_RETENTION_SECONDS;
  self->credits = DEFAULT_CREDITS;
  g_queue_init (&self->http_errors);
  self->cdn_log = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->assets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, asset_free);
}
