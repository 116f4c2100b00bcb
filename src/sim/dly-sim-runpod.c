/* SPDX-License-Identifier: GPL-3.0-or-later */
/* runpod: RunPod Serverless queue endpoints (backend-notes §2) running the LTX-2 worker of
 * seeds/runpod-ltx2-worker.md, under /v2/{endpoint_id}/:
 *   POST /run {"input":{...}} -> {id, status: IN_QUEUE}      POST /runsync (?wait= ms)
 *   GET  /status/{id} -> {delayTime, executionTime, id, status, output?, error?}
 *   POST /cancel/{id} -> {id, status}                         GET /health
 * Statuses IN_QUEUE, IN_PROGRESS (with a progress "output" that is not a result), COMPLETED
 * (output {status: "success", output: {video_url, ...}}), FAILED {error}, CANCELLED,
 * TIMED_OUT. A job's id answers 404 once its retention time after the end has passed.
 * The worker validates its input itself, so a bad input is a FAILED job, not an HTTP error.
 * Mode 1 (image_url + audio_url) muxes the fetched audio; mode 2 (image_url + duration)
 * makes a tone of that length. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "dly-sim-private.h"

#define DIALECT        DLY_SIM_RUNPOD
#define BUCKET         "dramaland-public"
#define FRAME_RATE     30
/* LTX-2's audio latents run at 25 per second. */
#define AUDIO_RATE     25
#define WORKER_ID      "sim-worker-1"
#define DEFAULT_WAIT   90000

static guint output_counter;

static gboolean
job_expired (DlySim    *self,
             DlySimJob *job,
             gint64     now)
{
  DlySimSettings settings = { 0 };
  gint64 end_us = dly_sim_job_get_end_us (job, now);
  gboolean expired;

  if (end_us < 0)
    return FALSE;

  dly_sim_get_settings (self, &settings);
  expired = now > end_us + (gint64) (settings.result_retention * G_USEC_PER_SEC);
  dly_sim_settings_clear (&settings);
  return expired;
}

static JsonObject *
result_output (DlySimJob *job,
               gint64     execution_ms)
{
  JsonObject *inner = json_object_new ();
  JsonObject *outer = json_object_new ();
  DlySimRender *render = job->render;
  g_autofree char *resolution = g_strdup_printf ("%ux%u", render->width, render->height);
  g_autofree char *duration = g_strdup_printf ("%.1fs", render->duration);
  g_autofree char *gcs_url = g_strconcat ("gs://", job->cdn_path, NULL);

  json_object_set_string_member (inner, "video_url", job->result_url);
  json_object_set_string_member (inner, "gcs_url", gcs_url);
  json_object_set_string_member (inner, "video_filename",
                                 json_object_get_string_member (job->extra, "video_filename"));
  json_object_set_int_member (inner, "video_size_bytes", render->size);
  json_object_set_string_member (inner, "resolution", resolution);
  json_object_set_string_member (inner, "duration", duration);
  json_object_set_int_member (inner, "frames", render->n_frames);
  if (json_object_has_member (job->extra, "audio_frames"))
    json_object_set_int_member (inner, "audio_frames",
                                json_object_get_int_member (job->extra, "audio_frames"));
  json_object_set_int_member (inner, "fps", FRAME_RATE);
  json_object_set_int_member (inner, "seed", json_object_get_int_member (job->extra, "seed"));
  json_object_set_string_member (inner, "quality_preset",
                                 json_object_get_string_member (job->extra, "quality_preset"));
  if (json_object_has_member (job->extra, "mode"))
    json_object_set_string_member (inner, "mode",
                                   json_object_get_string_member (job->extra, "mode"));
  json_object_set_double_member (inner, "generation_time", execution_ms / 1000.0);

  json_object_set_string_member (outer, "status", "success");
  json_object_set_object_member (outer, "output", inner);
  return outer;
}

static JsonObject *
status_object (DlySimJob *job,
               gint64     now)
{
  JsonObject *object = json_object_new ();
  gint64 queue_end = job->created_us + job->queue_us;
  gint64 end_us = dly_sim_job_get_end_us (job, now);
  gint64 delay_ms, execution_ms;
  double progress = 0;
  DlySimPhase phase = dly_sim_job_get_phase (job, now, &progress);

  /* Times in milliseconds: in the queue, then on the worker. */
  delay_ms = (MIN (now, queue_end) - job->created_us) / 1000;
  if (phase == DLY_SIM_PHASE_CANCELLED)
    delay_ms = (MIN (job->cancelled_us, queue_end) - job->created_us) / 1000;
  execution_ms = (MAX (0, (end_us >= 0 ? end_us : now) - queue_end)) / 1000;

  json_object_set_string_member (object, "id", job->id);

  switch (phase)
    {
    case DLY_SIM_PHASE_QUEUED:
      json_object_set_int_member (object, "delayTime", delay_ms);
      json_object_set_string_member (object, "status", "IN_QUEUE");
      break;

    case DLY_SIM_PHASE_RUNNING:
      {
        /* What progress_update() sends; clients must not take it for a result. */
        JsonObject *output = json_object_new ();
        int percent = (int) floor (progress * 100);
        g_autofree char *message = g_strdup_printf ("Denoising step %d of 8",
                                                    MIN (8, 1 + percent * 8 / 100));

        json_object_set_string_member (output, "status", "processing");
        json_object_set_int_member (output, "progress", percent);
        json_object_set_string_member (output, "message", message);
        json_object_set_int_member (object, "delayTime", delay_ms);
        json_object_set_int_member (object, "executionTime", execution_ms);
        json_object_set_object_member (object, "output", output);
        json_object_set_string_member (object, "status", "IN_PROGRESS");
        json_object_set_string_member (object, "workerId", WORKER_ID);
      }
      break;

    case DLY_SIM_PHASE_SUCCEEDED:
      json_object_set_int_member (object, "delayTime", delay_ms);
      json_object_set_int_member (object, "executionTime", execution_ms);
      json_object_set_object_member (object, "output", result_output (job, execution_ms));
      json_object_set_string_member (object, "status", "COMPLETED");
      json_object_set_string_member (object, "workerId", WORKER_ID);
      break;

    case DLY_SIM_PHASE_FAILED:
      json_object_set_int_member (object, "delayTime", delay_ms);
      json_object_set_int_member (object, "executionTime", execution_ms);
      if (job->graceful)
        {
          /* The worker caught its own exception and returned it as its output. */
          JsonObject *output = json_object_new ();

          json_object_set_string_member (output, "status", "FAILED");
          json_object_set_string_member (output, "error", job->fail_message);
          json_object_set_object_member (object, "output", output);
          json_object_set_string_member (object, "status", "COMPLETED");
        }
      else
        {
          json_object_set_string_member (object, "error", job->fail_message);
          json_object_set_string_member (object, "status", "FAILED");
        }
      json_object_set_string_member (object, "workerId", WORKER_ID);
      break;

    case DLY_SIM_PHASE_TIMED_OUT:
      json_object_set_int_member (object, "delayTime", delay_ms);
      json_object_set_int_member (object, "executionTime", execution_ms);
      json_object_set_string_member (object, "error", job->fail_message);
      json_object_set_string_member (object, "status", "TIMED_OUT");
      break;

    case DLY_SIM_PHASE_CANCELLED:
    default:
      json_object_set_int_member (object, "delayTime", delay_ms);
      json_object_set_int_member (object, "executionTime", execution_ms);
      json_object_set_string_member (object, "status", "CANCELLED");
      break;
    }

  return object;
}

static void
on_input_failed (DlySimJob       *job,
                 DlySimInputKind  kind,
                 const char      *url,
                 const GError    *error)
{
  g_autofree char *message = g_strdup_printf ("Failed to download %s: %s",
                                              kind == DLY_SIM_INPUT_AUDIO ? "audio" : "image",
                                              error->message);

  dly_sim_job_fail (job, NULL, message);
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* What the worker's handler checks, in its order. A refusal is the job's error. */
static char *
validate_worker_input (JsonObject  *input,
                       gboolean    *lip_sync,
                       double      *duration,
                       gint64      *width,
                       gint64      *height,
                       const char **quality)
{
  gboolean present;
  const char *image_url = string_member (input, "image_url");
  const char *audio_url = string_member (input, "audio_url");

  if (image_url == NULL || *image_url == '\0')
    return g_strdup ("Missing required parameter: image_url");

  *quality = string_member (input, "quality_preset");
  if (*quality == NULL)
    *quality = "high";
  if (!g_str_equal (*quality, "fast") && !g_str_equal (*quality, "high")
      && !g_str_equal (*quality, "ultra"))
    return g_strdup_printf ("Invalid quality_preset: %s (use fast, high or ultra)", *quality);

  if (!dly_sim_json_get_int (input, "width", width, &present) || *width < 64 || *width > 4096)
    return g_strdup ("width must be an integer from 64 to 4096");
  if (!dly_sim_json_get_int (input, "height", height, &present) || *height < 64
      || *height > 4096)
    return g_strdup ("height must be an integer from 64 to 4096");

  *lip_sync = audio_url != NULL && *audio_url != '\0';
  if (*lip_sync)
    return NULL;

  if (!dly_sim_json_get_double (input, "duration", duration, &present))
    return g_strdup ("Duration must be a number of seconds");
  if (!present)
    return g_strdup ("Either audio_url (lip-sync) or duration (audio generation) is required");
  if (*duration < 1)
    return g_strdup ("Duration must be at least 1 second");
  if (*duration > 30)
    return g_strdup ("Duration cannot exceed 30 seconds");
  return NULL;
}

static void
reply_status (SoupServerMessage *msg,
              DlySimJob         *job)
{
  dly_sim_reply_object (msg, SOUP_STATUS_OK, status_object (job, g_get_monotonic_time ()));
}

typedef struct
{
  SoupServerMessage *msg;
  DlySimJob         *job;
  GSource           *timer;
  gboolean           answered;
} SyncWait;

static void
sync_wait_clear (gpointer data)
{
  SyncWait *wait = data;

  g_source_unref (wait->timer);
  g_object_unref (wait->msg);
  dly_sim_job_unref (wait->job);
}

/* Shared by the job's waiter and the timer: freed by whichever lets go last. */
static void
sync_wait_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, sync_wait_clear);
}

static void
sync_answer (SyncWait *wait)
{
  if (wait->answered)
    return;
  wait->answered = TRUE;
  g_source_destroy (wait->timer);
  if (dly_sim_unpause (wait->msg))
    reply_status (wait->msg, wait->job);
}

static void
on_sync_done (DlySimJob *job,
              gpointer   user_data)
{
  sync_answer (user_data);
}

static gboolean
on_sync_timeout (gpointer user_data)
{
  /* /runsync gives up waiting and returns the job as it is; the client then polls. */
  sync_answer (user_data);
  return G_SOURCE_REMOVE;
}

static void
handle_run (DlySim            *self,
            SoupServerMessage *msg,
            GHashTable        *query,
            gboolean           synchronous)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (DlySimJob) job = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *id = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *file = NULL;
  g_autofree char *refusal = NULL;
  JsonObject *input;
  DlySimRenderSpec *spec;
  gboolean lip_sync = FALSE, present;
  double duration = 0;
  gint64 width = 1280, height = 736, seed;
  const char *quality = "high";
  const char *prompt;

  dly_sim_count (self, DIALECT, DLY_SIM_COUNT_SUBMITS);

  root = dly_sim_parse_json_body (msg, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_BAD_REQUEST, "Invalid JSON body");
      return;
    }
  if (json_object_get_member (json_node_get_object (root), "input") == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (root), "input")))
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_BAD_REQUEST,
                           "The request body must have an \"input\" object");
      return;
    }
  input = json_object_get_object_member (json_node_get_object (root), "input");

  if (!dly_sim_take_credit (self, NULL))
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_PAYMENT_REQUIRED,
                           "Insufficient credits: add funds to your RunPod account");
      return;
    }

  {
    g_autofree char *uuid = g_uuid_string_random ();

    id = g_strconcat (uuid, "-u1", NULL);
  }
  stamp = g_date_time_format (now, "%Y%m%d_%H%M%S");
  file = g_strdup_printf ("%s_ltx2_output_%05u-audio.mp4", stamp,
                          (guint) g_atomic_int_add (&output_counter, 1) % 100000 + 1);

  refusal = validate_worker_input (input, &lip_sync, &duration, &width, &height, &quality);

  seed = (gint64) (g_random_double () * 1e12);
  if (!dly_sim_json_get_int (input, "seed", &seed, &present))
    seed = (gint64) (g_random_double () * 1e12);

  prompt = string_member (input, "prompt_positive");
  spec = dly_sim_render_spec_new (DLY_SIM_RENDER_MP4);
  spec->width = width;
  spec->height = height;
  spec->fps_n = FRAME_RATE;
  spec->fps_d = 1;
  spec->seed = (guint64) seed;
  spec->max_seconds = 30;
  spec->prompt = g_strdup (prompt ? prompt : (lip_sync ? "A person speaks naturally"
                                                        : "A person speaking naturally"));
  spec->caption = g_strdup_printf ("runpod · %s · %s · seed %" G_GINT64_FORMAT,
                                   lip_sync ? "lip-sync" : "audio generation", quality, seed);
  if (!lip_sync && refusal == NULL)
    {
      spec->n_frames = (guint) floor (duration * FRAME_RATE + 0.5) + 1;
      spec->tone_seconds = duration;
    }

  job = dly_sim_job_new (self, DIALECT, id, spec);
  job->cdn_path = g_strdup_printf (BUCKET "/ugc_media/%s/ltx2_videos/%s", id, file);
  json_object_set_string_member (job->extra, "video_filename", file);
  json_object_set_int_member (job->extra, "seed", seed);
  json_object_set_string_member (job->extra, "quality_preset", quality);
  if (!lip_sync)
    {
      json_object_set_string_member (job->extra, "mode", "audio_gen");
      json_object_set_int_member (job->extra, "audio_frames",
                                  (gint64) floor (duration * AUDIO_RATE + 0.5));
    }

  if (refusal != NULL)
    dly_sim_job_fail (job, NULL, refusal);
  else
    {
      dly_sim_job_add_input (job, DLY_SIM_INPUT_IMAGE, string_member (input, "image_url"), NULL);
      if (lip_sync)
        dly_sim_job_add_input (job, DLY_SIM_INPUT_AUDIO, string_member (input, "audio_url"),
                               NULL);
      dly_sim_job_start (job, on_input_failed);
    }

  if (synchronous)
    {
      const char *wait_text = query ? g_hash_table_lookup (query, "wait") : NULL;
      gint64 wait_ms = DEFAULT_WAIT;
      SyncWait *wait = g_atomic_rc_box_new0 (SyncWait);

      if (wait_text != NULL && dly_sim_parse_int (wait_text, &wait_ms))
        wait_ms = CLAMP (wait_ms, 1000, 300000);

      wait->msg = g_object_ref (msg);
      wait->job = dly_sim_job_ref (job);
      wait->timer = g_timeout_source_new (wait_ms);
      g_source_set_callback (wait->timer, on_sync_timeout, g_atomic_rc_box_acquire (wait),
                             sync_wait_unref);
      g_source_attach (wait->timer, dly_sim_get_context (self));

      dly_sim_pause (msg);
      dly_sim_job_when_done (job, on_sync_done, wait, sync_wait_unref);
      return;
    }

  {
    JsonObject *reply = json_object_new ();

    json_object_set_string_member (reply, "id", id);
    json_object_set_string_member (reply, "status", "IN_QUEUE");
    dly_sim_reply_object (msg, SOUP_STATUS_OK, reply);
  }
}

static DlySimJob *
lookup_live (DlySim            *self,
             SoupServerMessage *msg,
             const char        *id)
{
  DlySimJob *job = dly_sim_lookup_job (self, DIALECT, id);

  if (job == NULL || job_expired (self, job, g_get_monotonic_time ()))
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_NOT_FOUND, "request does not exist");
      return NULL;
    }
  return job;
}

static void
handle_status (DlySim            *self,
               SoupServerMessage *msg,
               const char        *id)
{
  DlySimJob *job;

  dly_sim_count (self, DIALECT, DLY_SIM_COUNT_STATUS);

  job = lookup_live (self, msg, id);
  if (job == NULL)
    return;

  if (dly_sim_take_malformed (self, DIALECT))
    dly_sim_reply_malformed (msg, SOUP_STATUS_OK, status_object (job, g_get_monotonic_time ()));
  else
    reply_status (msg, job);
}

static void
handle_cancel (DlySim            *self,
               SoupServerMessage *msg,
               const char        *id)
{
  DlySimJob *job;
  JsonObject *reply;
  JsonObject *status;

  dly_sim_count (self, DIALECT, DLY_SIM_COUNT_CANCELS);

  job = lookup_live (self, msg, id);
  if (job == NULL)
    return;

  /* A finished job stays finished; the answer says what it is. */
  dly_sim_job_cancel (job);

  status = status_object (job, g_get_monotonic_time ());
  reply = json_object_new ();
  json_object_set_string_member (reply, "id", job->id);
  json_object_set_string_member (reply, "status", json_object_get_string_member (status,
                                                                                 "status"));
  json_object_unref (status);
  dly_sim_reply_object (msg, SOUP_STATUS_OK, reply);
}

static void
handle_health (DlySim            *self,
               SoupServerMessage *msg)
{
  g_autoptr (GList) jobs = dly_sim_list_jobs (self, DIALECT);
  gint64 now = g_get_monotonic_time ();
  guint completed = 0, failed = 0, in_progress = 0, in_queue = 0;
  JsonObject *reply = json_object_new ();
  JsonObject *counts = json_object_new ();
  JsonObject *workers = json_object_new ();

  for (GList *l = jobs; l != NULL; l = l->next)
    switch (dly_sim_job_get_phase (l->data, now, NULL))
      {
      case DLY_SIM_PHASE_QUEUED:
        in_queue++;
        break;
      case DLY_SIM_PHASE_RUNNING:
        in_progress++;
        break;
      case DLY_SIM_PHASE_SUCCEEDED:
        completed++;
        break;
      case DLY_SIM_PHASE_FAILED:
      case DLY_SIM_PHASE_TIMED_OUT:
        failed++;
        break;
      case DLY_SIM_PHASE_CANCELLED:
      default:
        break;
      }

  json_object_set_int_member (counts, "completed", completed);
  json_object_set_int_member (counts, "failed", failed);
  json_object_set_int_member (counts, "inProgress", in_progress);
  json_object_set_int_member (counts, "inQueue", in_queue);
  json_object_set_int_member (counts, "retried", 0);
  json_object_set_int_member (workers, "idle", in_progress > 0 ? 0 : 1);
  json_object_set_int_member (workers, "initializing", 0);
  json_object_set_int_member (workers, "ready", 1);
  json_object_set_int_member (workers, "running", in_progress);
  json_object_set_int_member (workers, "throttled", 0);
  json_object_set_int_member (workers, "unhealthy", 0);
  json_object_set_object_member (reply, "jobs", counts);
  json_object_set_object_member (reply, "workers", workers);
  dly_sim_reply_object (msg, SOUP_STATUS_OK, reply);
}

void
dly_sim_runpod_handle (DlySim            *self,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto (GStrv) parts = g_strsplit (path, "/", 0);
  g_autofree char *key = dly_sim_dup_bearer (msg, TRUE);
  guint n_parts = g_strv_length (parts);
  const char *op;
  const char *id;

  /* "", "v2", endpoint, op[, id] */
  if (n_parts < 4 || *parts[2] == '\0')
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_NOT_FOUND, "Not Found");
      return;
    }
  op = parts[3];
  id = n_parts > 4 ? parts[4] : NULL;

  if (!dly_sim_check_key (self, key))
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_UNAUTHORIZED,
                           "Unauthorized: missing or invalid API key");
      return;
    }

  if ((g_str_equal (op, "run") || g_str_equal (op, "runsync")) && n_parts == 4)
    {
      if (method == SOUP_METHOD_POST)
        handle_run (self, msg, query, g_str_equal (op, "runsync"));
      else
        dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_METHOD_NOT_ALLOWED,
                             "Method Not Allowed");
    }
  else if (g_str_equal (op, "status") && n_parts == 5 && *id != '\0')
    {
      if (method == SOUP_METHOD_GET || method == SOUP_METHOD_POST)
        handle_status (self, msg, id);
      else
        dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_METHOD_NOT_ALLOWED,
                             "Method Not Allowed");
    }
  else if (g_str_equal (op, "cancel") && n_parts == 5 && *id != '\0')
    {
      if (method == SOUP_METHOD_POST)
        handle_cancel (self, msg, id);
      else
        dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_METHOD_NOT_ALLOWED,
                             "Method Not Allowed");
    }
  else if (g_str_equal (op, "health") && n_parts == 4 && method == SOUP_METHOD_GET)
    {
      handle_health (self, msg);
    }
  else
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_NOT_FOUND, "Not Found");
    }
}
