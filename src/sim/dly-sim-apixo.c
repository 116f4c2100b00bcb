/* SPDX-License-Identifier: GPL-3.0-or-later */
/* apixo: the hosted LTX-2 API of seeds/apixo-ltx2.md.
 *   POST /api/v1/generateTask/ltx-2-19b           -> {code, message, data: {taskId}}
 *   GET  /api/v1/statusTask/ltx-2-19b?taskId=ID   -> {code, message, data: {taskId, state,
 *        resultJson (a JSON *string*), failCode, failMsg, createTime, completeTime, costTime}}
 * Authorization: Bearer KEY. Errors live in the envelope's code, under HTTP 200 (unless
 * apixo-http-errors is set): 400 for bad requests and "Insufficient credits", 401 for keys.
 * image_urls are fetched for real (INVALID_IMAGE_URL when that fails), LoRA URLs are probed
 * (INVALID_LORA_URL), results are served by the CDN host, and a callback_url gets the status
 * envelope POSTed to it when the task ends. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "dly-sim-private.h"

#define DIALECT       DLY_SIM_APIXO
#define MODEL         "ltx-2-19b"
#define GENERATE_PATH "/api/v1/generateTask/" MODEL
#define STATUS_PATH   "/api/v1/statusTask/" MODEL
#define CDN_PREFIX    "apixo/"
#define FRAME_RATE    25
#define MAX_LORAS     3

static const char *const modes[] = {
  "text-to-video", "image-to-video", "text-to-video-LoRA", "image-to-video-LoRA", NULL
};

static void
reply_envelope_error (DlySim            *self,
                      SoupServerMessage *msg,
                      guint              code,
                      const char        *message)
{
  DlySimSettings settings = { 0 };
  JsonObject *reply = json_object_new ();

  dly_sim_get_settings (self, &settings);

  json_object_set_int_member (reply, "code", code);
  json_object_set_string_member (reply, "message", message);
  json_object_set_null_member (reply, "data");
  dly_sim_reply_object (msg, settings.apixo_http_errors ? code : SOUP_STATUS_OK, reply);

  dly_sim_settings_clear (&settings);
}

static void
reply_success (SoupServerMessage *msg,
               JsonObject        *data,
               gboolean           malformed)
{
  JsonObject *reply = json_object_new ();

  json_object_set_int_member (reply, "code", 200);
  json_object_set_string_member (reply, "message", "success");
  json_object_set_object_member (reply, "data", data);
  if (malformed)
    dly_sim_reply_malformed (msg, SOUP_STATUS_OK, reply);
  else
    dly_sim_reply_object (msg, SOUP_STATUS_OK, reply);
}

static gboolean
parse_aspect_ratio (const char *text,
                    double     *ratio)
{
  g_auto (GStrv) parts = NULL;
  gint64 w, h;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, ":", -1);
  if (g_strv_length (parts) != 2 || !dly_sim_parse_int (parts[0], &w)
      || !dly_sim_parse_int (parts[1], &h) || w <= 0 || h <= 0 || w > 64 || h > 64)
    return FALSE;

  *ratio = (double) w / h;
  return *ratio >= 0.25 && *ratio <= 4.0;
}

static guint
snap32 (double value)
{
  guint snapped = (guint) ceil (value / 32.0 - 0.5) * 32;

  return MAX (snapped, 32);
}

/* "720p" at 16:9 is 1280×704: the short side is the resolution, both snapped to LTX's 32
 * (halves round down, so 720p never grows to 736). */
static void
size_for (guint   lines,
          double  ratio,
          guint  *width,
          guint  *height)
{
  if (ratio >= 1.0)
    {
      *height = snap32 (lines);
      *width = snap32 (lines * ratio);
    }
  else
    {
      *width = snap32 (lines);
      *height = snap32 (lines / ratio);
    }
}

static JsonObject *
status_data (DlySim    *self,
             DlySimJob *job)
{
  JsonObject *data = json_object_new ();
  gint64 now = g_get_monotonic_time ();
  gint64 end_us = dly_sim_job_get_end_us (job, now);
  const char *state;

  json_object_set_string_member (data, "taskId", job->id);

  switch (dly_sim_job_get_phase (job, now, NULL))
    {
    case DLY_SIM_PHASE_QUEUED:
      state = "pending";
      break;
    case DLY_SIM_PHASE_RUNNING:
      state = "processing";
      break;
    case DLY_SIM_PHASE_SUCCEEDED:
      {
        g_autoptr (JsonBuilder) builder = json_builder_new ();
        g_autoptr (JsonNode) node = NULL;
        g_autofree char *text = NULL;

        state = "success";
        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "resultUrls");
        json_builder_begin_array (builder);
        json_builder_add_string_value (builder, job->result_url);
        json_builder_end_array (builder);
        json_builder_end_object (builder);
        node = json_builder_get_root (builder);
        text = json_to_string (node, FALSE);
        /* A string holding JSON, to be parsed a second time, as the document says. */
        json_object_set_string_member (data, "resultJson", text);
      }
      break;
    case DLY_SIM_PHASE_FAILED:
    case DLY_SIM_PHASE_TIMED_OUT:
    case DLY_SIM_PHASE_CANCELLED:
    default:
      state = "failed";
      json_object_set_string_member (data, "failCode",
                                     job->fail_code ? job->fail_code
                                     : job->timed_out ? "GENERATION_TIMEOUT"
                                     : "GENERATION_FAILED");
      json_object_set_string_member (data, "failMsg",
                                     job->fail_message ? job->fail_message : "Task failed");
      break;
    }

  json_object_set_string_member (data, "state", state);
  json_object_set_int_member (data, "createTime", job->created_ms);
  if (end_us >= 0)
    {
      gint64 complete_ms = dly_sim_job_us_to_unix_ms (job, end_us);

      json_object_set_int_member (data, "completeTime", complete_ms);
      json_object_set_int_member (data, "costTime", complete_ms - job->created_ms);
    }
  return data;
}

static void
on_input_failed (DlySimJob       *job,
                 DlySimInputKind  kind,
                 const char      *url,
                 const GError    *error)
{
  g_autofree char *message = NULL;

  if (kind == DLY_SIM_INPUT_LORA)
    {
      message = g_strdup_printf ("Cannot download LoRA model: %s (%s)", url, error->message);
      dly_sim_job_fail (job, "INVALID_LORA_URL", message);
    }
  else
    {
      message = g_strdup_printf ("Cannot access image URL: %s (%s)", url, error->message);
      dly_sim_job_fail (job, "INVALID_IMAGE_URL", message);
    }
}

static void
on_callback_sent (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    g_debug ("apixo callback failed: %s", error->message);
}

static void
on_task_done (DlySimJob *job,
              gpointer   user_data)
{
  const char *url = json_object_get_string_member_with_default (job->extra, "callback_url",
                                                                NULL);
  g_autoptr (SoupMessage) message = NULL;
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (GBytes) body = NULL;
  JsonObject *envelope = json_object_new ();
  char *text;

  if (url == NULL || job->sim == NULL)
    return;

  message = soup_message_new (SOUP_METHOD_POST, url);
  if (message == NULL)
    return;

  json_object_set_int_member (envelope, "code", 200);
  json_object_set_string_member (envelope, "message", "success");
  json_object_set_object_member (envelope, "data", status_data (job->sim, job));
  json_node_take_object (node, envelope);
  text = json_to_string (node, FALSE);
  body = g_bytes_new_take (text, strlen (text));

  soup_message_set_request_body_from_bytes (message, "application/json", body);
  soup_session_send_and_read_async (dly_sim_get_session (job->sim), message,
                                    G_PRIORITY_DEFAULT, dly_sim_get_cancellable (job->sim),
                                    on_callback_sent, NULL);
}

static const char *
get_string (JsonObject *object,
            const char *member,
            const char *fallback,
            gboolean   *ok)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return fallback;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *ok = FALSE;
      return NULL;
    }
  return json_node_get_string (node);
}

static void
handle_generate (DlySim            *self,
                 SoupServerMessage *msg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (DlySimJob) job = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *mode_text = NULL;
  JsonObject *body, *input, *data;
  JsonArray *image_urls = NULL, *loras = NULL;
  DlySimRenderSpec *spec;
  const char *request_type, *callback_url, *provider, *prompt, *mode, *resolution, *aspect;
  gboolean ok = TRUE, present, image_mode, lora_mode;
  double duration = 5, ratio = 16.0 / 9.0;
  gint64 seed = g_random_int ();
  guint lines, width, height, n_frames;

  dly_sim_count (self, DIALECT, DLY_SIM_COUNT_SUBMITS);

  root = dly_sim_parse_json_body (msg, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reply_envelope_error (self, msg, 400, "Invalid request body: expected a JSON object");
      return;
    }
  body = json_node_get_object (root);

  request_type = get_string (body, "request_type", "async", &ok);
  callback_url = get_string (body, "callback_url", NULL, &ok);
  provider = get_string (body, "provider", "auto", &ok);
  if (!ok || (!g_str_equal (request_type, "async") && !g_str_equal (request_type, "callback")))
    {
      reply_envelope_error (self, msg, 400, "request_type must be async or callback");
      return;
    }
  if (g_str_equal (request_type, "callback") && (callback_url == NULL || *callback_url == '\0'))
    {
      reply_envelope_error (self, msg, 400,
                            "callback_url is required when request_type is callback");
      return;
    }
  if (!g_str_equal (provider, "auto") && !g_str_equal (provider, "value")
      && !g_str_equal (provider, "official"))
    {
      reply_envelope_error (self, msg, 400, "provider must be auto, value or official");
      return;
    }

  input = json_object_get_member (body, "input") != NULL
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "input"))
          ? json_object_get_object_member (body, "input") : NULL;
  if (input == NULL)
    {
      reply_envelope_error (self, msg, 400, "input is required");
      return;
    }

  prompt = get_string (input, "prompt", NULL, &ok);
  if (!ok || prompt == NULL || *prompt == '\0')
    {
      reply_envelope_error (self, msg, 400, "input.prompt is required");
      return;
    }

  if (json_object_has_member (input, "image_urls")
      && !json_object_get_null_member (input, "image_urls"))
    {
      JsonNode *node = json_object_get_member (input, "image_urls");

      image_urls = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      for (guint i = 0; image_urls != NULL && i < json_array_get_length (image_urls); i++)
        if (json_node_get_value_type (json_array_get_element (image_urls, i)) != G_TYPE_STRING)
          image_urls = NULL;
      if (image_urls == NULL)
        {
          reply_envelope_error (self, msg, 400, "input.image_urls must be an array of URLs");
          return;
        }
      if (json_array_get_length (image_urls) == 0)
        image_urls = NULL;
    }

  if (json_object_has_member (input, "loras") && !json_object_get_null_member (input, "loras"))
    {
      JsonNode *node = json_object_get_member (input, "loras");

      loras = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      for (guint i = 0; loras != NULL && i < json_array_get_length (loras); i++)
        {
          JsonNode *item = json_array_get_element (loras, i);
          JsonObject *lora = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
          double scale = 1.0;
          gboolean lora_ok = TRUE;

          if (lora == NULL || get_string (lora, "path", NULL, &lora_ok) == NULL || !lora_ok
              || !dly_sim_json_get_double (lora, "scale", &scale, &present))
            loras = NULL;
        }
      if (loras == NULL)
        {
          reply_envelope_error (self, msg, 400,
                                "input.loras must be an array of {\"path\", \"scale\"}");
          return;
        }
      if (json_array_get_length (loras) > MAX_LORAS)
        {
          reply_envelope_error (self, msg, 400, "At most 3 LoRA models can be used at once");
          return;
        }
      if (json_array_get_length (loras) == 0)
        loras = NULL;
    }

  /* A missing mode is read from the inputs rather than refused. */
  mode = get_string (input, "mode", NULL, &ok);
  if (mode == NULL && ok)
    {
      mode_text = g_strdup_printf ("%s%s", image_urls ? "image-to-video" : "text-to-video",
                                   loras ? "-LoRA" : "");
      mode = mode_text;
    }
  if (!ok || !g_strv_contains (modes, mode))
    {
      reply_envelope_error (self, msg, 400,
                            "input.mode must be text-to-video, image-to-video, "
                            "text-to-video-LoRA or image-to-video-LoRA");
      return;
    }
  image_mode = g_str_has_prefix (mode, "image-");
  lora_mode = g_str_has_suffix (mode, "-LoRA");
  if (image_mode && image_urls == NULL)
    {
      reply_envelope_error (self, msg, 400, "input.image_urls is required for image-to-video");
      return;
    }
  if (lora_mode && loras == NULL)
    {
      reply_envelope_error (self, msg, 400, "input.loras is required for LoRA modes");
      return;
    }

  resolution = get_string (input, "resolution", "720p", &ok);
  if (!ok || (!g_str_equal (resolution, "480p") && !g_str_equal (resolution, "720p")
              && !g_str_equal (resolution, "1080p")))
    {
      reply_envelope_error (self, msg, 400, "input.resolution must be 480p, 720p or 1080p");
      return;
    }
  lines = g_str_equal (resolution, "480p") ? 480 : g_str_equal (resolution, "720p") ? 720 : 1080;

  if (!dly_sim_json_get_double (input, "duration", &duration, &present)
      || duration < 5 || duration > 20)
    {
      reply_envelope_error (self, msg, 400, "input.duration must be from 5 to 20 seconds");
      return;
    }

  aspect = get_string (input, "aspect_ratio", "16:9", &ok);
  if (!ok || !parse_aspect_ratio (aspect, &ratio))
    {
      reply_envelope_error (self, msg, 400, "input.aspect_ratio must look like 16:9");
      return;
    }

  if (!dly_sim_json_get_int (input, "seed", &seed, &present))
    {
      reply_envelope_error (self, msg, 400, "input.seed must be an integer");
      return;
    }

  if (!dly_sim_take_credit (self, NULL))
    {
      reply_envelope_error (self, msg, 400, "Insufficient credits");
      return;
    }

  size_for (lines, ratio, &width, &height);
  /* LTX-2 makes 8k+1 frames; the duration is rounded to the nearest such count. */
  n_frames = 8 * (guint) floor (duration * FRAME_RATE / 8.0 + 0.5) + 1;

  {
    g_autofree char *hex = dly_sim_random_hex (16);

    task_id = g_strconcat ("task_", hex, NULL);
  }

  spec = dly_sim_render_spec_new (DLY_SIM_RENDER_MP4);
  spec->width = width;
  spec->height = height;
  spec->n_frames = n_frames;
  spec->fps_n = FRAME_RATE;
  spec->fps_d = 1;
  spec->prompt = g_strdup (prompt);
  spec->seed = (guint64) seed;
  spec->caption = g_strdup_printf ("apixo · %s · %s · seed %" G_GINT64_FORMAT, mode,
                                   resolution, seed);

  job = dly_sim_job_new (self, DIALECT, task_id, spec);
  job->cdn_path = g_strdup_printf (CDN_PREFIX "%s.mp4", task_id);
  json_object_set_string_member (job->extra, "mode", mode);
  if (g_str_equal (request_type, "callback"))
    json_object_set_string_member (job->extra, "callback_url", callback_url);

  /* Every picture must be reachable, even if only the first is animated. */
  for (guint i = 0; image_mode && i < json_array_get_length (image_urls); i++)
    dly_sim_job_add_input (job, DLY_SIM_INPUT_IMAGE,
                           json_array_get_string_element (image_urls, i), NULL);
  for (guint i = 0; lora_mode && i < json_array_get_length (loras); i++)
    dly_sim_job_add_input (job, DLY_SIM_INPUT_LORA,
                           json_object_get_string_member (json_array_get_object_element (loras,
                                                                                         i),
                                                          "path"),
                           NULL);
  dly_sim_job_start (job, on_input_failed);

  if (json_object_has_member (job->extra, "callback_url"))
    dly_sim_job_when_done (job, on_task_done, NULL, NULL);

  data = json_object_new ();
  json_object_set_string_member (data, "taskId", task_id);
  reply_success (msg, data, FALSE);
}

static void
handle_status (DlySim            *self,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  const char *task_id = query ? g_hash_table_lookup (query, "taskId") : NULL;
  DlySimJob *job;

  dly_sim_count (self, DIALECT, DLY_SIM_COUNT_STATUS);

  if (task_id == NULL || *task_id == '\0')
    {
      reply_envelope_error (self, msg, 400, "taskId is required");
      return;
    }

  job = dly_sim_lookup_job (self, DIALECT, task_id);
  if (job == NULL)
    {
      reply_envelope_error (self, msg, 404, "Task not found");
      return;
    }

  reply_success (msg, status_data (self, job), dly_sim_take_malformed (self, DIALECT));
}

void
dly_sim_apixo_handle (DlySim            *self,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *key = dly_sim_dup_bearer (msg, FALSE);

  if (!g_str_equal (path, GENERATE_PATH) && !g_str_equal (path, STATUS_PATH))
    {
      if (g_str_has_prefix (path, "/api/v1/generateTask/")
          || g_str_has_prefix (path, "/api/v1/statusTask/"))
        reply_envelope_error (self, msg, 404, "Model not found");
      else
        dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_NOT_FOUND, "Not Found");
      return;
    }

  if (!dly_sim_check_key (self, key))
    {
      if (g_str_equal (path, GENERATE_PATH))
        dly_sim_count (self, DIALECT, DLY_SIM_COUNT_SUBMITS);
      else
        dly_sim_count (self, DIALECT, DLY_SIM_COUNT_STATUS);
      reply_envelope_error (self, msg, 401, "Invalid or missing API key");
      return;
    }

  if (g_str_equal (path, GENERATE_PATH) && method == SOUP_METHOD_POST)
    handle_generate (self, msg);
  else if (g_str_equal (path, STATUS_PATH) && method == SOUP_METHOD_GET)
    handle_status (self, msg, query);
  else
    dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
}
