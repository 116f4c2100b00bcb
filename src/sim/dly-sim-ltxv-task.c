/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ltxv-task: the FastAPI + Celery server of seeds/ltxv-task-api.md.
 *   POST /generate (form)  ->  {"task_id"}
 *   GET  /status/{id}      ->  {task_id, status: PENDING|STARTED|SUCCESS|FAILURE, result}
 *   GET  /video/{file}     ->  the MP4
 * Validation errors are FastAPI's 422 {"detail":[...]}; an unknown id is PENDING forever,
 * because that is what Celery says of ids it never saw. */

#include "config.h"

#include <string.h>

#include "dly-sim-private.h"

#define DIALECT     DLY_SIM_LTXV_TASK
#define CDN_PREFIX  "ltxv-task/"
#define RESULT_DIR  "task_results/"
/* The document names no frame rate; LTX-Video's own output is 24 fps. */
#define FRAME_RATE  24
#define MAX_SIDE    4096
#define MAX_FRAMES  1000

static const char *const file_fields[] = { "image", NULL };

static gboolean
form_int (GHashTable *fields,
          const char *name,
          gint64     *value,
          JsonArray  *details)
{
  const char *text = g_hash_table_lookup (fields, name);

  /* An empty form field is an omitted one, as browsers send them. */
  if (text == NULL || *text == '\0')
    return TRUE;
  if (dly_sim_parse_int (text, value))
    return TRUE;

  dly_sim_detail_add (details, "int_parsing", name,
                      "Input should be a valid integer, unable to parse string as an integer",
                      json_node_init_string (json_node_alloc (), text));
  return FALSE;
}

static void
handle_generate (DlySim            *self,
                 SoupServerMessage *msg)
{
  g_autoptr (GHashTable) fields = NULL;
  g_autoptr (GHashTable) files = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DlySimJob) job = NULL;
  g_autofree char *id = NULL;
  g_autofree char *file = NULL;
  g_autofree char *result = NULL;
  DlySimRenderSpec *spec;
  JsonArray *details;
  JsonObject *reply;
  const char *prompt;
  const char *negative;
  GBytes *image;
  gint64 width = 1280, height = 720, num_frames = 120, seed = 42;

  dly_sim_count (self, DIALECT, DLY_SIM_COUNT_SUBMITS);

  if (!dly_sim_parse_form (msg, file_fields, &fields, &files, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        {
          dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_BAD_REQUEST,
                               "There was an error parsing the body");
          return;
        }
      /* FastAPI reads a body that is not a form as no fields at all. */
      fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_bytes_unref);
    }

  details = json_array_new ();
  prompt = g_hash_table_lookup (fields, "prompt");
  if (prompt == NULL)
    dly_sim_detail_add (details, "missing", "prompt", "Field required", NULL);
  form_int (fields, "width", &width, details);
  form_int (fields, "height", &height, details);
  form_int (fields, "num_frames", &num_frames, details);
  form_int (fields, "seed", &seed, details);

  if (json_array_get_length (details) > 0)
    {
      dly_sim_reply_details (msg, details);
      return;
    }
  json_array_unref (details);

  negative = g_hash_table_lookup (fields, "negative_prompt");
  image = g_hash_table_lookup (files, "image");
  if (image != NULL && g_bytes_get_size (image) == 0)
    image = NULL;

  id = g_uuid_string_random ();
  file = g_strdup_printf ("result_%.8s%.4s.mp4", id, id + 9);
  result = g_strconcat (RESULT_DIR, file, NULL);

  spec = dly_sim_render_spec_new (DLY_SIM_RENDER_MP4);
  spec->width = CLAMP (width, 1, MAX_SIDE);
  spec->height = CLAMP (height, 1, MAX_SIDE);
  spec->n_frames = CLAMP (num_frames, 1, MAX_FRAMES);
  spec->fps_n = FRAME_RATE;
  spec->fps_d = 1;
  spec->prompt = g_strdup (prompt);
  spec->seed = (guint64) seed;
  spec->caption = g_strdup_printf ("ltxv-task · %s · seed %" G_GINT64_FORMAT,
                                   image ? "image-to-video" : "text-to-video", seed);

  job = dly_sim_job_new (self, DIALECT, id, spec);
  job->cdn_path = g_strconcat (CDN_PREFIX, file, NULL);
  json_object_set_string_member (job->extra, "result", result);
  if (negative != NULL)
    json_object_set_string_member (job->extra, "negative_prompt", negative);

  /* The form accepted them, but the model cannot: the Celery task fails, as it would. */
  if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE)
    dly_sim_job_fail (job, NULL, "ValueError: width and height must be between 1 and 4096");
  else if (num_frames <= 0 || num_frames > MAX_FRAMES)
    dly_sim_job_fail (job, NULL, "ValueError: num_frames must be between 1 and 1000");
  else
    {
      if (image != NULL)
        dly_sim_job_add_input (job, DLY_SIM_INPUT_IMAGE, NULL, image);
      dly_sim_job_start (job, NULL);
    }

  reply = json_object_new ();
  json_object_set_string_member (reply, "task_id", id);
  dly_sim_reply_object (msg, SOUP_STATUS_OK, reply);
}

static void
handle_status (DlySim            *self,
               SoupServerMessage *msg,
               const char        *id)
{
  DlySimJob *job = dly_sim_lookup_job (self, DIALECT, id);
  JsonObject *reply = json_object_new ();
  const char *status = "PENDING";

  dly_sim_count (self, DIALECT, DLY_SIM_COUNT_STATUS);

  json_object_set_string_member (reply, "task_id", id);

  switch (job ? dly_sim_job_get_phase (job, g_get_monotonic_time (), NULL)
              : DLY_SIM_PHASE_QUEUED)
    {
    case DLY_SIM_PHASE_QUEUED:
      json_object_set_null_member (reply, "result");
      break;
    case DLY_SIM_PHASE_RUNNING:
      status = "STARTED";
      json_object_set_null_member (reply, "result");
      break;
    case DLY_SIM_PHASE_SUCCEEDED:
      status = "SUCCESS";
      json_object_set_string_member (reply, "result",
                                     json_object_get_string_member (job->extra, "result"));
      break;
    case DLY_SIM_PHASE_CANCELLED:
      status = "REVOKED";
      json_object_set_null_member (reply, "result");
      break;
    case DLY_SIM_PHASE_FAILED:
    case DLY_SIM_PHASE_TIMED_OUT:
    default:
      status = "FAILURE";
      json_object_set_string_member (reply, "result", job->fail_message);
      break;
    }
  json_object_set_string_member (reply, "status", status);

  if (dly_sim_take_malformed (self, DIALECT))
    dly_sim_reply_malformed (msg, SOUP_STATUS_OK, reply);
  else
    dly_sim_reply_object (msg, SOUP_STATUS_OK, reply);
}

static void
handle_video (DlySim            *self,
              SoupServerMessage *msg,
              const char        *file)
{
  g_autofree char *cdn_path = g_strconcat (CDN_PREFIX, file, NULL);
  DlySimRender *render = dly_sim_lookup_result (self, cdn_path, NULL);
  DlySimSettings settings = { 0 };

  dly_sim_count (self, DIALECT, DLY_SIM_COUNT_DOWNLOADS);

  if (*file == '\0' || strchr (file, '/') != NULL || render == NULL)
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_NOT_FOUND, "Video not found");
      return;
    }

  dly_sim_get_settings (self, &settings);
  if (settings.redirect_results)
    {
      g_autofree char *target = dly_sim_cdn_url (self, "/" CDN_PREFIX);
      g_autofree char *location = g_strconcat (target, file, NULL);

      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location);
    }
  else
    {
      dly_sim_serve_render (self, msg, DIALECT, render);
    }
  dly_sim_settings_clear (&settings);
}

void
dly_sim_ltxv_task_handle (DlySim            *self,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (path, "/generate"))
    {
      if (method == SOUP_METHOD_POST)
        handle_generate (self, msg);
      else
        dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
    }
  else if (g_str_has_prefix (path, "/status/") && method == SOUP_METHOD_GET)
    {
      handle_status (self, msg, path + strlen ("/status/"));
    }
  else if (g_str_has_prefix (path, "/video/")
           && (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD))
    {
      handle_video (self, msg, path + strlen ("/video/"));
    }
  else if (method != SOUP_METHOD_GET)
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
    }
  else
    {
      dly_sim_reply_error (msg, DIALECT, SOUP_STATUS_NOT_FOUND, "Not Found");
    }
}
