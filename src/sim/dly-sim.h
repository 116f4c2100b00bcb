/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DlySim: the backend simulator. A real HTTP server (libsoup) that speaks the five dialects
 * of shared/seeds/, renders real MP4 files for every generation, and injects faults.
 *
 * Hosts. The API listens on 127.0.0.1:PORT. Results of the hosted dialects (apixo's CDN,
 * RunPod's storage) are served by a second server, the "CDN", on 127.0.0.2:CDNPORT (or on a
 * second port of 127.0.0.1 where 127.0.0.2 cannot be bound), so that a client can be shown to
 * never send a key to a foreign host: the CDN records every request's headers.
 *
 * Base URL of each dialect (what a client is configured with) and the paths it appends:
 *
 *   ltxv-task    http://127.0.0.1:PORT
 *                  POST /generate (multipart)          GET /status/{task_id}
 *                  GET  /video/{basename of result}
 *   ltx2-server  http://127.0.0.1:PORT
 *                  POST /v1/video/async_t2v (JSON)     POST /v1/video/async_i2v (multipart)
 *                  GET  /v1/video/tasks/{task_id}      GET  /outputs/{file} (the "url")
 *                  GET  /health    POST /v1/video/t2v, /v1/video/i2v (legacy, synchronous)
 *   apixo        http://127.0.0.1:PORT                 (real: https://api.apixo.ai)
 *                  POST /api/v1/generateTask/ltx-2-19b
 *                  GET  /api/v1/statusTask/ltx-2-19b?taskId=ID
 *                  result URLs point at the CDN host
 *   runpod       http://127.0.0.1:PORT/v2/sim-endpoint (real: https://api.runpod.ai/v2/ENDPOINT)
 *                  POST /run   GET /status/{id}   POST /cancel/{id}   GET /health
 *                  POST /runsync (exists; waits up to ?wait= ms, default 90000)
 *                  any endpoint id is accepted; video_url points at the CDN host
 *   segmind      http://127.0.0.1:PORT                 (real: https://api.segmind.com)
 *                  POST /v1/ltx-video (JSON; the answer's body is the MP4)
 *
 * Control (no key, never faulted): /_sim/config, /_sim/stats, /_sim/reset, /_sim/blob/{bytes},
 * /_sim/fixtures/image.png, /_sim/fixtures/audio.wav, /_sim/assets/{name}. See dailies-sim.c.
 *
 * Threads. dly_sim_start() serves on the caller's thread-default main context: the caller
 * must iterate it (async clients in the same thread work). dly_sim_start_in_thread() serves
 * from a private thread, so that blocking clients work too. Every setter, fault and getter
 * below may be called from any thread. Renders always run in worker threads.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DLY_SIM_DIALECT_LTXV_TASK   "ltxv-task"
#define DLY_SIM_DIALECT_LTX2_SERVER "ltx2-server"
#define DLY_SIM_DIALECT_APIXO       "apixo"
#define DLY_SIM_DIALECT_RUNPOD      "runpod"
#define DLY_SIM_DIALECT_SEGMIND     "segmind"

/* The endpoint id in the RunPod base URL; any other id works as well. */
#define DLY_SIM_RUNPOD_ENDPOINT     "sim-endpoint"

/**
 * DlySimCounter:
 * @DLY_SIM_COUNT_SUBMITS: generation requests accepted or refused (not injected HTTP faults)
 * @DLY_SIM_COUNT_STATUS: status polls
 * @DLY_SIM_COUNT_DOWNLOADS: result downloads started, on either host (segmind: each video body)
 * @DLY_SIM_COUNT_CANCELS: cancel requests
 * @DLY_SIM_COUNT_FAULTS: requests answered by an injected HTTP error burst
 */
typedef enum
{
  DLY_SIM_COUNT_SUBMITS,
  DLY_SIM_COUNT_STATUS,
  DLY_SIM_COUNT_DOWNLOADS,
  DLY_SIM_COUNT_CANCELS,
  DLY_SIM_COUNT_FAULTS,
  DLY_SIM_N_COUNTERS,
} DlySimCounter;

#define DLY_TYPE_SIM (dly_sim_get_type ())
G_DECLARE_FINAL_TYPE (DlySim, dly_sim, DLY, SIM, GObject)

DlySim            *dly_sim_new                     (void);
DlySim            *dly_sim_new_with_cache_dir      (const char  *cache_dir);

/* port 0 picks a free port. */
gboolean           dly_sim_start                   (DlySim      *self,
                                                    guint16      port,
                                                    GError     **error);
gboolean           dly_sim_start_in_thread         (DlySim      *self,
                                                    guint16      port,
                                                    GError     **error);
void               dly_sim_stop                    (DlySim      *self);
gboolean           dly_sim_is_running              (DlySim      *self);

const char *const *dly_sim_list_dialects           (void);
/* NULL for an unknown dialect or a stopped simulator. */
const char        *dly_sim_get_base_url            (DlySim      *self,
                                                    const char  *dialect);
guint16            dly_sim_get_port                (DlySim      *self);
/* http://127.0.0.1:PORT and the CDN's http://HOST:PORT. */
const char        *dly_sim_get_url                 (DlySim      *self);
const char        *dly_sim_get_cdn_url             (DlySim      *self);

/* Settings; each is also a property of the same name (job-seconds, api-key, ...). */
void               dly_sim_set_job_seconds         (DlySim      *self,
                                                    double       seconds);
double             dly_sim_get_job_seconds         (DlySim      *self);
/* NULL: no key needed. Else apixo and runpod want "Authorization: Bearer KEY" (runpod
 * also takes the bare key) and segmind wants "x-api-key: KEY". ltxv-task and ltx2-server
 * have no authentication in their documents and never ask for one. */
void               dly_sim_set_api_key             (DlySim      *self,
                                                    const char  *api_key);
void               dly_sim_set_max_render_pixels   (DlySim      *self,
                                                    guint64      pixels);
guint64            dly_sim_get_max_render_pixels   (DlySim      *self);
/* Bytes per second for every result and blob download; 0 is unlimited. */
void               dly_sim_set_download_rate       (DlySim      *self,
                                                    guint64      bytes_per_second);
/* Added before every dialect request is answered. */
void               dly_sim_set_latency_ms          (DlySim      *self,
                                                    guint        milliseconds);
/* apixo: code 400 "Insufficient credits"; segmind: 406; runpod: 402. */
void               dly_sim_set_credits_exhausted   (DlySim      *self,
                                                    gboolean     exhausted);
/* Result URLs point at the API host, which answers 302 to the CDN host. */
void               dly_sim_set_redirect_results    (DlySim      *self,
                                                    gboolean     redirect);
/* runpod: injected job failures are reported as COMPLETED with output.status "FAILED". */
void               dly_sim_set_graceful_failures   (DlySim      *self,
                                                    gboolean     graceful);
/* runpod: /status answers 404 this long after a job ended (default 1800 s, as /run). */
void               dly_sim_set_result_retention    (DlySim      *self,
                                                    double       seconds);
/* apixo: envelope errors (401, 400...) carry the same HTTP status instead of HTTP 200. */
void               dly_sim_set_apixo_http_errors   (DlySim      *self,
                                                    gboolean     http_errors);

/* Counted faults. @dialect NULL means "whichever dialect comes first". */
void               dly_sim_fail_next_jobs          (DlySim      *self,
                                                    const char  *dialect,
                                                    guint        count,
                                                    const char  *message,
                                                    const char  *code);
void               dly_sim_time_out_next_jobs      (DlySim      *self,
                                                    const char  *dialect,
                                                    guint        count);
/* The next @count requests are answered @status in the dialect's own error shape, with
 * Retry-After (or segmind's x-rate-limit-reset-at-utc on 429) when @retry_after > 0.
 * Bursts queue up: 3×503 then 2×429 is two calls. */
void               dly_sim_inject_http_errors      (DlySim      *self,
                                                    const char  *dialect,
                                                    guint        status,
                                                    guint        count,
                                                    guint        retry_after);
/* The body is cut after half its length and the connection closed. */
void               dly_sim_truncate_next_downloads (DlySim      *self,
                                                    const char  *dialect,
                                                    guint        count);
void               dly_sim_malform_next_status     (DlySim      *self,
                                                    const char  *dialect,
                                                    guint        count);
/* The same keys as POST /_sim/config. */
gboolean           dly_sim_configure               (DlySim      *self,
                                                    JsonObject  *config,
                                                    GError     **error);
JsonNode          *dly_sim_dup_config              (DlySim      *self);
/* Clears faults, counted faults and statistics; jobs and results stay. */
void               dly_sim_reset                   (DlySim      *self);

/* Serves @bytes at /_sim/assets/@name on both hosts; returns the CDN URL. */
char              *dly_sim_add_asset               (DlySim      *self,
                                                    const char  *name,
                                                    GBytes      *bytes,
                                                    const char  *content_type);

/* Statistics. */
guint              dly_sim_get_count               (DlySim      *self,
                                                    const char  *dialect,
                                                    DlySimCounter counter);
guint              dly_sim_get_cdn_request_count   (DlySim      *self);
/* Whether any request the CDN host received carried header @name (any case). */
gboolean           dly_sim_cdn_saw_header          (DlySim      *self,
                                                    const char  *name);
JsonNode          *dly_sim_dup_stats               (DlySim      *self);

G_END_DECLS
