/* SPDX-License-Identifier: GPL-3.0-or-later */
/* segmind: Segmind's synchronous v1 API for LTX-Video (seeds/segmind-ltx-video.md,
 * backend-notes §3). POST /v1/ltx-video with "x-api-key" and a JSON body; the answer's body
 * is the MP4 itself (Content-Type video/mp4). Failures are {"error": "..."} with 400, 401,
 * 404, 406 (insufficient credits, or a body that is not JSON), 429, 500 and 504; every
 * answer to a known key carries x-remaining-credits. target_size is the long side;
 * aspect_ratio is ignored when an image is given (the image's shape wins). */

#include "config.h"

#include <string.h>

#include "dly-sim-private.h"

#define DIALECT    DLY_SIM_SEGMIND
#define MODEL_PATH "/v1/ltx-video"
#define FRAME_RATE 24

static const char *const aspect_ratios[] = {
  "1:1", "1:2", "2:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "9:21", "21:9",
  NULL
};
static const gint64 lengths[] = { 97, 129, 161, 193, 225, 257 };
static const gint64 target_sizes[] = { 512, 576, 640, 704, 768, 832, 896, 960, 1024 };

static gboolean
in_list (gint64        value,
         const gint64 *list,
         gsize         n)
{
  for (gsize i = 0; i < n; i++)
    if (list[i] == value)
      return TRUE;
  return FALSE;
}

static void
set_credits_header (DlySim            *self,
                    SoupServerMessage *msg)
{
  g_autofree char *text = g_strdup_printf ("%.2f", dly_sim_get_credits (self));

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "x-remaining-credits", text);
}

static void
on_input_failed (DlySimJob       *job,
                 DlySimInputKind  kind,
                 const char      *url,
                 const GError    *error)
{
  g_autofree char *message = g_strdup_printf ("Could not fetch the image: %s", error->message);

  /* The code carries the HTTP status the synchronous answer will have. */
  dly_sim_job_fail (job, "400", message);
}

static void
on_generation_done (DlySimJob *job,
                    gpointer   user_data)
{
  SoupServerMessage *msg = user_data;
  DlySim *self = job->sim;
  DlySimPhase phase;

  if (self == NULL || !dly_sim_unpause (msg))
    return;

  set_credits_header (self, msg);
  phase = dly_sim_job_get_phase (job, g_get_monotonic_time (), NULL);

  if (phase == DLY_SIM_PHASE_SUCCEEDED)
    {
      dly_sim_count (self, DIALECT, DLY_SIM_COUNT_DOWNLOADS);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "x-credits-consumed", "1.00");
      dly_sim_serve_render (self, msg, DIALECT, job->render);
    }
  else if (phase == DLY_SIM_PHASE_TIMED_OUT)
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_GATEWAY_TIMEOUT, "Request timed out");
    }
  else
    {
      gint64 status = 500;

      if (job->fail_code != NULL && !dly_sim_parse_int (job->fail_code, &status))
        status = 500;
      dly_sim_reply_error (msg, DIALECT, (guint) status,
                           job->fail_message ? job->fail_message : "Internal server error");
    }
}

static void
reply_bad_request (SoupServerMessage *msg,
                   const char        *message)
{
  dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_BAD_REQUEST, message);
}

static void
handle_generate (DlySim            *self,
                 SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (DlySimJob) job = NULL;
  g_autofree char *id = NULL;
  JsonObject *body;
  JsonNode *node;
  DlySimRenderSpec *spec;
  const char *prompt, *aspect = "3:2", *image = NULL;
  gint64 length = 97, target_size = 640, steps = 30, seed = g_random_int ();
  double cfg = 3;
  gboolean present;

  dly_sim_count (self, DIALECT, DLY_SIM_COUNT_SUBMITS);

  /* The gateway checks the type before it reads the body. */
  if (content_type == NULL || g_ascii_strcasecmp (content_type, "application/json") != 0)
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_NOT_ACCEPTABLE, "Invalid content type");
      return;
    }

  root = dly_sim_parse_json_body (msg, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reply_bad_request (msg, "Invalid JSON body");
      return;
    }
  body = json_node_get_object (root);

  node = json_object_get_member (body, "prompt");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING
      || *json_node_get_string (node) == '\0')
    {
      reply_bad_request (msg, "prompt is required");
      return;
    }
  prompt = json_node_get_string (node);

  node = json_object_get_member (body, "negative_prompt");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node)
      && json_node_get_value_type (node) != G_TYPE_STRING)
    {
      reply_bad_request (msg, "negative_prompt must be a string");
      return;
    }

  node = json_object_get_member (body, "aspect_ratio");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (json_node_get_value_type (node) != G_TYPE_STRING
          || !g_strv_contains (aspect_ratios, json_node_get_string (node)))
        {
          reply_bad_request (msg, "aspect_ratio must be one of 1:1, 1:2, 2:1, 2:3, 3:2, 3:4, "
                                  "4:3, 4:5, 5:4, 9:16, 16:9, 9:21, 21:9");
          return;
        }
      aspect = json_node_get_string (node);
    }

  node = json_object_get_member (body, "image");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (json_node_get_value_type (node) != G_TYPE_STRING)
        {
          reply_bad_request (msg, "image must be a URL");
          return;
        }
      image = json_node_get_string (node);
      if (*image == '\0')
        image = NULL;
    }

  if (!dly_sim_json_get_double (body, "cfg", &cfg, &present) || cfg < 1 || cfg > 20)
    {
      reply_bad_request (msg, "cfg must be a number from 1 to 20");
      return;
    }
  if (!dly_sim_json_get_int (body, "steps", &steps, &present) || steps < 1 || steps > 50)
    {
      reply_bad_request (msg, "steps must be an integer from 1 to 50");
      return;
    }
  if (!dly_sim_json_get_int (body, "length", &length, &present)
      || !in_list (length, lengths, G_N_ELEMENTS (lengths)))
    {
      reply_bad_request (msg, "length must be one of 97, 129, 161, 193, 225, 257");
      return;
    }
  if (!dly_sim_json_get_int (body, "target_size", &target_size, &present)
      || !in_list (target_size, target_sizes, G_N_ELEMENTS (target_sizes)))
    {
      reply_bad_request (msg, "target_size must be one of 512, 576, 640, 704, 768, 832, 896, "
                              "960, 1024");
      return;
    }
  if (!dly_sim_json_get_int (body, "seed", &seed, &present))
    {
      reply_bad_request (msg, "seed must be an integer");
      return;
    }

  if (!dly_sim_take_credit (self, NULL))
    {
      set_credits_header (self, msg);
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_NOT_ACCEPTABLE, "Insufficient credits");
      return;
    }

  spec = dly_sim_render_spec_new (DLY_SIM_RENDER_MP4);
  if (image != NULL)
    {
      spec->fit_long_side = target_size;
    }
  else
    {
      g_auto (GStrv) parts = g_strsplit (aspect, ":", 2);
      double w = g_ascii_strtod (parts[0], NULL), h = g_ascii_strtod (parts[1], NULL);

      /* target_size is the long side; the short one follows the ratio, on LTX's 32 grid. */
      if (w >= h)
        {
          spec->width = target_size;
          spec->height = MAX (32, (guint) (target_size * h / w / 32.0 + 0.5) * 32);
        }
      else
        {
          spec->height = target_size;
          spec->width = MAX (32, (guint) (target_size * w / h / 32.0 + 0.5) * 32);
        }
    }
  spec->n_frames = length;
  spec->fps_n = FRAME_RATE;
  spec->fps_d = 1;
  spec->prompt = g_strdup (prompt);
  spec->seed = (guint64) seed;
  spec->caption = g_strdup_printf ("segmind · %s · seed %" G_GINT64_FORMAT,
                                   image ? "image-to-video" : "text-to-video", seed);

  id = g_uuid_string_random ();
  job = dly_sim_job_new (self, DIALECT, id, spec);
  if (image != NULL)
    dly_sim_job_add_input (job, DLY_SIM_INPUT_IMAGE, image, NULL);
  dly_sim_job_start (job, on_input_failed);

  /* Synchronous: the connection is held until the video exists. */
  dly_sim_pause (msg);
  dly_sim_job_when_done (job, on_generation_done, g_object_ref (msg), g_object_unref);
}

void
dly_sim_segmind_handle (DlySim            *self,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "x-api-key");

  if (!g_str_equal (path, MODEL_PATH))
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_NOT_FOUND, "Model not found");
      return;
    }

  if (!dly_sim_check_key (self, key))
    {
      dly_sim_count (self, DIALECT, DLY_SIM_COUNT_SUBMITS);
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_UNAUTHORIZED,
                           "Unauthorized: invalid or missing API key");
      return;
    }

  if (method != SOUP_METHOD_POST)
    {
      /* Segmind's gateway answers 405 with an HTML page, not JSON. */
      static const char page[] = "<html><body><h1>405 Method Not Allowed</h1></body></html>";

      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page,
                                        sizeof page - 1);
      return;
    }

  set_credits_header (self, msg);
  handle_generate (self, msg);
}
