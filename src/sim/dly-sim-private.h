/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the simulator's server, its jobs and its dialect handlers.
 * Jobs and results are touched only from the simulator's main context; settings, faults and
 * statistics sit behind the DlySim lock because the public API may be used from any thread. */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "dly-sim.h"
#include "dly-sim-renderer.h"

G_BEGIN_DECLS

typedef enum
{
  DLY_SIM_LTXV_TASK,
  DLY_SIM_LTX2_SERVER,
  DLY_SIM_APIXO,
  DLY_SIM_RUNPOD,
  DLY_SIM_SEGMIND,
  DLY_SIM_N_DIALECTS,
  DLY_SIM_ANY = DLY_SIM_N_DIALECTS,
} DlySimDialect;

const char *dly_sim_dialect_name  (DlySimDialect  dialect);
gboolean    dly_sim_dialect_parse (const char    *name,
                                   DlySimDialect *dialect);

/* A snapshot of the settings, taken once per request so a request sees one consistent set. */
typedef struct
{
  double   job_seconds;
  char    *api_key;
  guint64  max_render_pixels;
  guint64  download_rate;
  guint    latency_ms;
  gboolean credits_exhausted;
  gboolean redirect_results;
  gboolean graceful_failures;
  double   result_retention;
  gboolean apixo_http_errors;
} DlySimSettings;

void dly_sim_settings_clear (DlySimSettings *settings);

typedef struct
{
  gboolean timeout;
  char    *code;
  char    *message;
} DlySimJobFault;

void dly_sim_job_fault_clear (DlySimJobFault *fault);

/* --- DlySim internals (dly-sim.c) ------------------------------------------------------ */

GMainContext   *dly_sim_get_context         (DlySim          *self);
DlySimRenderer *dly_sim_get_renderer        (DlySim          *self);
SoupSession    *dly_sim_get_session         (DlySim          *self);
GCancellable   *dly_sim_get_cancellable     (DlySim          *self);
void            dly_sim_get_settings        (DlySim          *self,
                                             DlySimSettings  *settings);
void            dly_sim_count               (DlySim          *self,
                                             DlySimDialect    dialect,
                                             DlySimCounter    counter);
/* TRUE when no key is required or @offered is the key. */
gboolean        dly_sim_check_key           (DlySim          *self,
                                             const char      *offered);
gboolean        dly_sim_take_job_fault      (DlySim          *self,
                                             DlySimDialect    dialect,
                                             DlySimJobFault  *fault);
gboolean        dly_sim_take_malformed      (DlySim          *self,
                                             DlySimDialect    dialect);
gboolean        dly_sim_take_truncate       (DlySim          *self,
                                             DlySimDialect    dialect);
/* Spends one credit; FALSE when the credits are exhausted. @remaining may be NULL. */
gboolean        dly_sim_take_credit         (DlySim          *self,
                                             double          *remaining);
double          dly_sim_get_credits         (DlySim          *self);
char           *dly_sim_main_url            (DlySim          *self,
                                             const char      *path);
char           *dly_sim_cdn_url             (DlySim          *self,
                                             const char      *path);

/* Results are keyed by their path on the CDN host, without the leading slash. Publishing
 * returns the URL a client is given: the CDN's, or the API host's redirect to it. */
char           *dly_sim_publish_result      (DlySim          *self,
                                             DlySimDialect    dialect,
                                             const char      *cdn_path,
                                             DlySimRender    *render);
char           *dly_sim_result_url          (DlySim          *self,
                                             const char      *cdn_path);
DlySimRender   *dly_sim_lookup_result       (DlySim          *self,
                                             const char      *cdn_path,
                                             DlySimDialect   *dialect);

typedef struct _DlySimJob DlySimJob;

void            dly_sim_add_job             (DlySim          *self,
                                             DlySimJob       *job);
DlySimJob      *dly_sim_lookup_job          (DlySim          *self,
                                             DlySimDialect    dialect,
                                             const char      *id);
GList          *dly_sim_list_jobs           (DlySim          *self,
                                             DlySimDialect    dialect);

/* --- HTTP helpers (dly-sim-http.c) ------------------------------------------------------ */

/* Pausing that survives the client going away: dly_sim_unpause() returns FALSE (and does
 * nothing) once the message is finished. */
void        dly_sim_pause             (SoupServerMessage *msg);
gboolean    dly_sim_unpause           (SoupServerMessage *msg);

/* The reason phrase for @status, including those libsoup 3.2 does not know. */
const char *dly_sim_status_phrase     (guint              status);
/* Take ownership of @object. */
void        dly_sim_reply_object      (SoupServerMessage *msg,
                                       guint              status,
                                       JsonObject        *object);
/* The first half of the JSON text, for the malformed-JSON fault. */
void        dly_sim_reply_malformed   (SoupServerMessage *msg,
                                       guint              status,
                                       JsonObject        *object);
/* A dialect's own error shape: {"detail"} (ltxv-task, ltx2-server), {"code","message","data"}
 * (apixo, with the HTTP status @status), {"error"} (runpod, segmind). */
void        dly_sim_reply_error       (SoupServerMessage *msg,
                                       DlySimDialect      dialect,
                                       guint              status,
                                       const char        *message);
JsonNode   *dly_sim_parse_json_body   (SoupServerMessage *msg,
                                       GError           **error);
/* multipart/form-data or application/x-www-form-urlencoded. @fields maps names to strings,
 * @files names to GBytes (parts with a filename, or any part named in @file_fields). */
gboolean    dly_sim_parse_form        (SoupServerMessage *msg,
                                       const char *const *file_fields,
                                       GHashTable       **fields,
                                       GHashTable       **files,
                                       GError           **error);
/* The credential in "Authorization: Bearer X"; with @allow_bare also "Authorization: X". */
char       *dly_sim_dup_bearer        (SoupServerMessage *msg,
                                       gboolean           allow_bare);

/* FastAPI-style validation errors: {"detail":[{type,loc:["body",field],msg,input}]}. */
void        dly_sim_detail_add        (JsonArray         *details,
                                       const char        *type,
                                       const char        *field,
                                       const char        *message,
                                       JsonNode          *input);
void        dly_sim_reply_details     (SoupServerMessage *msg,
                                       JsonArray         *details);

/* Streams a file or a blob with Range support and the download faults (rate, truncation). */
void        dly_sim_serve_render      (DlySim            *self,
                                       SoupServerMessage *msg,
                                       DlySimDialect      dialect,
                                       DlySimRender      *render);
void        dly_sim_serve_blob        (DlySim            *self,
                                       SoupServerMessage *msg,
                                       guint64            size);
void        dly_sim_serve_bytes       (SoupServerMessage *msg,
                                       GBytes            *bytes,
                                       const char        *content_type);

/* GET @url (http, https or data:). Errors are in DLY_SIM_FETCH_ERROR with the HTTP status as
 * the code (0 for transport errors) and "404 Not Found" style messages. With @probe_only
 * the body is not read (LoRA files are large) and an empty GBytes is returned. */
#define DLY_SIM_FETCH_ERROR (dly_sim_fetch_error_quark ())
GQuark      dly_sim_fetch_error_quark (void);
void        dly_sim_fetch_async       (DlySim            *self,
                                       const char        *url,
                                       gboolean           probe_only,
                                       GCancellable      *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer           user_data);
GBytes     *dly_sim_fetch_finish      (GAsyncResult      *result,
                                       GError           **error);

/* Integer and number fields that accept JSON numbers and numeric strings, as pydantic's lax
 * mode does. FALSE when present but not convertible; absent leaves *value untouched. */
gboolean    dly_sim_json_get_int      (JsonObject        *object,
                                       const char        *member,
                                       gint64            *value,
                                       gboolean          *present);
gboolean    dly_sim_json_get_double   (JsonObject        *object,
                                       const char        *member,
                                       double            *value,
                                       gboolean          *present);
gboolean    dly_sim_parse_int         (const char        *text,
                                       gint64            *value);
gboolean    dly_sim_parse_double      (const char        *text,
                                       double            *value);
char       *dly_sim_random_hex        (guint              n_chars);

/* --- jobs (dly-sim-job.c) --------------------------------------------------------------- */

typedef enum
{
  DLY_SIM_PHASE_QUEUED,
  DLY_SIM_PHASE_RUNNING,
  DLY_SIM_PHASE_SUCCEEDED,
  DLY_SIM_PHASE_FAILED,
  DLY_SIM_PHASE_TIMED_OUT,
  DLY_SIM_PHASE_CANCELLED,
} DlySimPhase;

#define DLY_SIM_PHASE_IS_TERMINAL(p) ((p) >= DLY_SIM_PHASE_SUCCEEDED)

typedef enum
{
  DLY_SIM_INPUT_IMAGE,
  DLY_SIM_INPUT_AUDIO,
  DLY_SIM_INPUT_LORA,
} DlySimInputKind;

typedef void (*DlySimJobFunc)        (DlySimJob       *job,
                                      gpointer         user_data);
/* Called once, for the first input that cannot be fetched; sets the dialect's failure. */
typedef void (*DlySimInputFailedFunc) (DlySimJob      *job,
                                       DlySimInputKind kind,
                                       const char     *url,
                                       const GError   *error);

struct _DlySimJob
{
  gatomicrefcount       ref_count;
  DlySim               *sim;            /* unowned; NULL once the simulator stopped */
  DlySimDialect         dialect;
  char                 *id;

  gint64                created_us;     /* monotonic */
  gint64                created_ms;     /* Unix milliseconds */
  gint64                queue_us;       /* how long it stays queued */
  gint64                run_us;         /* then how long it runs, at least */

  DlySimRenderSpec     *spec;
  GPtrArray            *inputs;
  guint                 pending_inputs;
  DlySimInputFailedFunc on_input_failed;
  DlySimRender         *render;
  gint64                ready_us;       /* when the render finished */
  char                 *cdn_path;       /* where the result is published, or NULL */
  char                 *result_url;     /* what a client is told, once published */

  gboolean              failed;
  gboolean              timed_out;
  gboolean              planned;        /* failure injected at submit: nothing is rendered */
  gboolean              graceful;       /* runpod: report as COMPLETED + output.status */
  gint64                fail_visible_us;
  char                 *fail_code;
  char                 *fail_message;

  gboolean              cancelled;
  gint64                cancelled_us;

  JsonObject           *extra;          /* dialect-specific facts (modes, seeds...) */
  GPtrArray            *waiters;
  GPtrArray            *sources;
};

DlySimJob  *dly_sim_job_new             (DlySim                *sim,
                                         DlySimDialect          dialect,
                                         const char            *id,
                                         DlySimRenderSpec      *spec);
DlySimJob  *dly_sim_job_ref             (DlySimJob             *job);
void        dly_sim_job_unref           (DlySimJob             *job);
void        dly_sim_job_detach          (DlySimJob             *job);
void        dly_sim_job_add_input       (DlySimJob             *job,
                                         DlySimInputKind        kind,
                                         const char            *url,
                                         GBytes                *bytes);
/* Fetches the inputs, then renders (unless a failure was injected). */
void        dly_sim_job_start           (DlySimJob             *job,
                                         DlySimInputFailedFunc  on_input_failed);
/* A failure found while working; shown once the job left the queue. */
void        dly_sim_job_fail            (DlySimJob             *job,
                                         const char            *code,
                                         const char            *message);
void        dly_sim_job_cancel          (DlySimJob             *job);
DlySimPhase dly_sim_job_get_phase       (DlySimJob             *job,
                                         gint64                 now_us,
                                         double                *progress);
/* Monotonic time the job reached its terminal phase, or -1 if it has not. */
gint64      dly_sim_job_get_end_us      (DlySimJob             *job,
                                         gint64                 now_us);
gint64      dly_sim_job_us_to_unix_ms   (DlySimJob             *job,
                                         gint64                 monotonic_us);
/* @func runs once the job is terminal (at once if it already is). */
void        dly_sim_job_when_done       (DlySimJob             *job,
                                         DlySimJobFunc          func,
                                         gpointer               user_data,
                                         GDestroyNotify         destroy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlySimJob, dly_sim_job_unref)

/* --- dialects --------------------------------------------------------------------------- */

typedef void (*DlySimHandler) (DlySim            *self,
                               SoupServerMessage *msg,
                               const char        *path,
                               GHashTable        *query);

void dly_sim_ltxv_task_handle   (DlySim *self, SoupServerMessage *msg, const char *path,
                                 GHashTable *query);
void dly_sim_ltx2_server_handle (DlySim *self, SoupServerMessage *msg, const char *path,
                                 GHashTable *query);
void dly_sim_apixo_handle       (DlySim *self, SoupServerMessage *msg, const char *path,
                                 GHashTable *query);
void dly_sim_runpod_handle      (DlySim *self, SoupServerMessage *msg, const char *path,
                                 GHashTable *query);
void dly_sim_segmind_handle     (DlySim *self, SoupServerMessage *msg, const char *path,
                                 GHashTable *query);

G_END_DECLS
