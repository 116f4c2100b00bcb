/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ltx2-server: the local LTX-2 server of seeds/ltx2-server.md.
 *   POST /v1/video/async_t2v (JSON), /v1/video/async_i2v (form with an image)
 *        -> {task_id, status: "processing", message}
 *   GET  /v1/video/tasks/{id} -> {status: processing} | {status: completed, url} |
 *                                {status: failed, error}
 *   GET  /outputs/{file}, GET /health, and the legacy synchronous /v1/video/t2v and /i2v,
 *        which answer the completed task ({task_id, status, url}) or 500 {"detail"}.
 * Width and height must be multiples of 64 (the two-stage pipeline); pydantic says so
 * with a 422 {"detail":[...]}. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "dly-sim-private.h"

#define DIALECT    DLY_SIM_LTX2_SERVER
#define CDN_PREFIX "ltx2-server/"
#define MAX_SIDE   4096
#define MAX_FRAMES 1000

static const char *const file_fields[] = { "image", NULL };

/* The request's fields, from a JSON object or from a form: one set of rules for both. */
typedef struct
{
  JsonObject *json;
  GHashTable *form;
  JsonArray  *details;
} Fields;

static JsonNode *
input_node (Fields     *fields,
            const char *name)
{
  if (fields->json != NULL)
    return json_node_copy (json_object_get_member (fields->json, name));
  return json_node_init_string (json_node_alloc (), g_hash_table_lookup (fields->form, name));
}

static gboolean
has_field (Fields     *fields,
           const char *name)
{
  if (fields->json != NULL)
    return json_object_has_member (fields->json, name)
           && !json_object_get_null_member (fields->json, name);
  return g_hash_table_contains (fields->form, name);
}

static void
get_int (Fields     *fields,
         const char *name,
         gint64     *value)
{
  gboolean present, ok;

  if (!has_field (fields, name))
    return;

  if (fields->json != NULL)
    ok = dly_sim_json_get_int (fields->json, name, value, &present);
  else
    ok = dly_sim_parse_int (g_hash_table_lookup (fields->form, name), value);

  if (!ok)
    dly_sim_detail_add (fields->details, "int_parsing", name,
                        "Input should be a valid integer, unable to parse string as an integer",
                        input_node (fields, name));
}

static void
get_double (Fields     *fields,
            const char *name,
            double     *value)
{
  gboolean present, ok;

  if (!has_field (fields, name))
    return;

  if (fields->json != NULL)
    ok = dly_sim_json_get_double (fields->json, name, value, &present);
  else
    ok = dly_sim_parse_double (g_hash_table_lookup (fields->form, name), value);

  if (!ok)
    dly_sim_detail_add (fields->details, "float_parsing", name,
                        "Input should be a valid number, unable to parse string as a number",
                        input_node (fields, name));
}

static const char *
get_prompt (Fields *fields)
{
  if (!has_field (fields, "prompt"))
    {
      dly_sim_detail_add (fields->details, "missing", "prompt", "Field required", NULL);
      return NULL;
    }
  if (fields->json != NULL
      && json_node_get_value_type (json_object_get_member (fields->json, "prompt"))
         != G_TYPE_STRING)
    {
      dly_sim_detail_add (fields->details, "string_type", "prompt",
                          "Input should be a valid string", input_node (fields, "prompt"));
      return NULL;
    }
  return fields->json ? json_object_get_string_member (fields->json, "prompt")
                      : g_hash_table_lookup (fields->form, "prompt");
}

static void
check_multiple_of_64 (Fields     *fields,
                      const char *name,
                      gint64      value)
{
  g_autofree char *message = NULL;

  if (value > 0 && value <= MAX_SIDE && value % 64 == 0)
    return;

  message = g_strdup_printf ("Value error, %s must be a positive multiple of 64 (at most %d)",
                             name, MAX_SIDE);
  dly_sim_detail_add (fields->details, "value_error", name, message,
                      json_node_init_int (json_node_alloc (), value));
}

static void
frame_rate_to_fraction (double  rate,
                        gint   *n,
                        gint   *d)
{
  gint num = (gint) floor (rate * 1000.0 + 0.5);
  gint den = 1000;
  gint a = num, b = den;

  while (b != 0)
    {
      gint t = a % b;

      a = b;
      b = t;
    }
  *n = num / a;
  *d = den / a;
}

static char *
output_url (DlySim    *self,
            DlySimJob *job)
{
  g_autofree char *path = g_strconcat ("/outputs/", job->cdn_path + strlen (CDN_PREFIX), NULL);

  return dly_sim_main_url (self, path);
}

static void
take_string_member (JsonObject *object,
                    const char *member,
                    char       *value)
{
  json_object_set_string_member (object, member, value);
  g_free (value);
}

static void
on_sync_done (DlySimJob *job,
              gpointer   user_data)
{
  SoupServerMessage *msg = user_data;
  JsonObject *reply;

  if (!dly_sim_unpause (msg))
    return;

  if (dly_sim_job_get_phase (job, g_get_monotonic_time (), NULL) != DLY_SIM_PHASE_SUCCEEDED)
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                           job->fail_message ? job->fail_message : "Generation failed");
      return;
    }

  reply = json_object_new ();
  json_object_set_string_member (reply, "task_id", job->id);
  json_object_set_string_member (reply, "status", "completed");
  take_string_member (reply, "url", output_url (job->sim, job));
  dly_sim_reply_object (msg, SOUP_STATUS_OK, reply);
}

static void
handle_submit (DlySim            *self,
               SoupServerMessage *msg,
               gboolean           image_to_video,
               gboolean           synchronous)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GHashTable) form = NULL;
  g_autoptr (GHashTable) files = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DlySimJob) job = NULL;
  g_autofree char *id = NULL;
  g_autofree char *file = NULL;
  Fields fields = { 0 };
  DlySimRenderSpec *spec;
  const char *prompt;
  GBytes *image = NULL;
  gint64 height = 512, width = 768, num_frames = 121, steps = 40, seed = 42;
  double frame_rate = 25.0, cfg_video = 3.0, stg_video = 1.0, cfg_audio = 7.0, modality = 3.0;

  dly_sim_count (self, DIALECT, DLY_SIM_COUNT_SUBMITS);

  fields.details = json_array_new ();

  if (image_to_video)
    {
      if (!dly_sim_parse_form (msg, file_fields, &form, &files, &error))
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
            {
              json_array_unref (fields.details);
              dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_BAD_REQUEST,
                                   "There was an error parsing the body");
              return;
            }
          form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_bytes_unref);
        }
      fields.form = form;
      image = g_hash_table_lookup (files, "image");
      if (image == NULL)
        dly_sim_detail_add (fields.details, "missing", "image", "Field required", NULL);
    }
  else
    {
      root = dly_sim_parse_json_body (msg, &error);
      if (root == NULL)
        {
          JsonObject *ctx = json_object_new ();

          json_object_set_string_member (ctx, "error", error->message);
          dly_sim_detail_add (fields.details, "json_invalid", NULL, "JSON decode error", NULL);
          json_object_set_object_member (json_array_get_object_element (fields.details, 0),
                                         "ctx", ctx);
          dly_sim_reply_details (msg, fields.details);
          return;
        }
      if (!JSON_NODE_HOLDS_OBJECT (root))
        {
          dly_sim_detail_add (fields.details, "model_attributes_type", NULL,
                              "Input should be a valid dictionary or object to extract fields "
                              "from", json_node_copy (root));
          dly_sim_reply_details (msg, fields.details);
          return;
        }
      fields.json = json_node_get_object (root);
    }

  prompt = get_prompt (&fields);
  get_int (&fields, "height", &height);
  get_int (&fields, "width", &width);
  get_int (&fields, "num_frames", &num_frames);
  get_double (&fields, "frame_rate", &frame_rate);
  get_int (&fields, "num_inference_steps", &steps);
  get_int (&fields, "seed", &seed);
  get_double (&fields, "cfg_scale_video", &cfg_video);
  get_double (&fields, "stg_scale_video", &stg_video);
  get_double (&fields, "cfg_scale_audio", &cfg_audio);
  get_double (&fields, "modality_scale", &modality);

  if (json_array_get_length (fields.details) == 0)
    {
      check_multiple_of_64 (&fields, "height", height);
      check_multiple_of_64 (&fields, "width", width);
      if (num_frames < 1 || num_frames > MAX_FRAMES)
        dly_sim_detail_add (fields.details, "value_error", "num_frames",
                            "Value error, num_frames must be between 1 and 1000",
                            json_node_init_int (json_node_alloc (), num_frames));
      if (frame_rate <= 0 || frame_rate > 120)
        dly_sim_detail_add (fields.details, "value_error", "frame_rate",
                            "Value error, frame_rate must be above 0 and at most 120",
                            json_node_init_double (json_node_alloc (), frame_rate));
    }

  if (json_array_get_length (fields.details) > 0)
    {
      dly_sim_reply_details (msg, fields.details);
      return;
    }
  json_array_unref (fields.details);

  id = dly_sim_random_hex (12);
  file = g_strdup_printf ("ltx2_%s.mp4", id);

  spec = dly_sim_render_spec_new (DLY_SIM_RENDER_MP4);
  spec->width = width;
  spec->height = height;
  spec->n_frames = num_frames;
  frame_rate_to_fraction (frame_rate, &spec->fps_n, &spec->fps_d);
  spec->prompt = g_strdup (prompt);
  spec->seed = (guint64) seed;
  spec->caption = g_strdup_printf ("ltx2-server · %s · seed %" G_GINT64_FORMAT,
                                   image_to_video ? "image-to-video" : "text-to-video", seed);

  job = dly_sim_job_new (self, DIALECT, id, spec);
  job->cdn_path = g_strconcat (CDN_PREFIX, file, NULL);
  if (image != NULL)
    dly_sim_job_add_input (job, DLY_SIM_INPUT_IMAGE, NULL, image);
  dly_sim_job_start (job, NULL);

  if (synchronous)
    {
      /* The legacy endpoints hold the connection until the video exists. */
      dly_sim_pause (msg);
      dly_sim_job_when_done (job, on_sync_done, g_object_ref (msg), g_object_unref);
    }
  else
    {
      JsonObject *reply = json_object_new ();

      json_object_set_string_member (reply, "task_id", id);
      json_object_set_string_member (reply, "status", "processing");
      json_object_set_string_member (reply, "message",
                                     "Task queued. Poll GET /v1/video/tasks/{task_id}");
      dly_sim_reply_object (msg, SOUP_STATUS_OK, reply);
    }
}

static void
handle_task (DlySim            *self,
             SoupServerMessage *msg,
             const char        *id)
{
  DlySimJob *job = dly_sim_lookup_job (self, DIALECT, id);
  JsonObject *reply;

  dly_sim_count (self, DIALECT, DLY_SIM_COUNT_STATUS);

  if (job == NULL)
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_NOT_FOUND, "Task not found");
      return;
    }

  reply = json_object_new ();
  switch (dly_sim_job_get_phase (job, g_get_monotonic_time (), NULL))
    {
    case DLY_SIM_PHASE_QUEUED:
    case DLY_SIM_PHASE_RUNNING:
      json_object_set_string_member (reply, "status", "processing");
      break;
    case DLY_SIM_PHASE_SUCCEEDED:
      json_object_set_string_member (reply, "status", "completed");
      take_string_member (reply, "url", output_url (self, job));
      break;
    case DLY_SIM_PHASE_FAILED:
    case DLY_SIM_PHASE_TIMED_OUT:
    case DLY_SIM_PHASE_CANCELLED:
    default:
      json_object_set_string_member (reply, "status", "failed");
      json_object_set_string_member (reply, "error",
                                     job->fail_message ? job->fail_message : "cancelled");
      break;
    }

  if (dly_sim_take_malformed (self, DIALECT))
    dly_sim_reply_malformed (msg, SOUP_STATUS_OK, reply);
  else
    dly_sim_reply_object (msg, SOUP_STATUS_OK, reply);
}

static void
handle_output (DlySim            *self,
               SoupServerMessage *msg,
               const char        *file)
{
  g_autofree char *cdn_path = g_strconcat (CDN_PREFIX, file, NULL);
  DlySimRender *render = dly_sim_lookup_result (self, cdn_path, NULL);
  DlySimSettings settings = { 0 };

  dly_sim_count (self, DIALECT, DLY_SIM_COUNT_DOWNLOADS);

  if (*file == '\0' || strchr (file, '/') != NULL || render == NULL)
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_NOT_FOUND, "Not Found");
      return;
    }

  dly_sim_get_settings (self, &settings);
  if (settings.redirect_results)
    {
      g_autofree char *location = dly_sim_cdn_url (self, "/");
      g_autofree char *target = g_strconcat (location, cdn_path, NULL);

      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, target);
    }
  else
    {
      dly_sim_serve_render (self, msg, DIALECT, render);
    }
  dly_sim_settings_clear (&settings);
}

void
dly_sim_ltx2_server_handle (DlySim            *self,
                            SoupServerMessage *msg,
                            const char        *path,
                            GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean post = method == SOUP_METHOD_POST;
  gboolean get = method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD;

  if (g_str_equal (path, "/v1/video/async_t2v") && post)
    handle_submit (self, msg, FALSE, FALSE);
  else if (g_str_equal (path, "/v1/video/async_i2v") && post)
    handle_submit (self, msg, TRUE, FALSE);
  else if (g_str_equal (path, "/v1/video/t2v") && post)
    handle_submit (self, msg, FALSE, TRUE);
  else if (g_str_equal (path, "/v1/video/i2v") && post)
    handle_submit (self, msg, TRUE, TRUE);
  else if (g_str_has_prefix (path, "/v1/video/tasks/") && get)
    handle_task (self, msg, path + strlen ("/v1/video/tasks/"));
  else if (g_str_has_prefix (path, "/outputs/") && get)
    handle_output (self, msg, path + strlen ("/outputs/"));
  else if (g_str_equal (path, "/health") && get)
    {
      JsonObject *reply = json_object_new ();

      json_object_set_string_member (reply, "status", "ok");
      json_object_set_boolean_member (reply, "model_loaded", TRUE);
      dly_sim_reply_object (msg, SOUP_STATUS_OK, reply);
    }
  else if (g_str_has_prefix (path, "/v1/video/") && !post && !get)
    dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
  else
    dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_NOT_FOUND, "Not Found");
}
