/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "apixo" dialect: apixo's hosted LTX-2 19B (seeds/apixo-ltx2.md). A JSON POST to
 * /api/v1/generateTask/ltx-2-19b, then GET /api/v1/statusTask/ltx-2-19b?taskId=ID until the
 * task's state is success or failed. Every answer is the envelope {code, message, data}, and a
 * code other than 200 is an error even when the HTTP status is 200. The finished task's
 * resultJson is a JSON *string* holding {"resultUrls": [...]}, on apixo's CDN. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dly-backend-apixo.h"
#include "dly-error.h"

#define GENERATE_PATH "/api/v1/generateTask/ltx-2-19b"
#define STATUS_PATH   "/api/v1/statusTask/ltx-2-19b"

/* Creating a task is quick; generation happens afterwards and is polled. */
#define SUBMIT_TIMEOUT_SECONDS 60

/* JSON numbers beyond 2^53 lose precision in the JavaScript services behind these APIs. */
#define MAX_SEED G_GINT64_CONSTANT (9007199254740991)

struct _DlyBackendApixo
{
  DlyBackend parent_instance;
};

G_DEFINE_FINAL_TYPE (DlyBackendApixo, dly_backend_apixo, DLY_TYPE_BACKEND)

static const char * const resolutions[] = { "480p", "720p", "1080p", NULL };
/* The document shows 16:9 and 9:16; square is the other shape LTX-2 services offer. */
static const char * const aspect_ratios[] = { "16:9", "9:16", "1:1", NULL };
static const char * const providers[] = { "auto", "value", "official", NULL };

/* JSON helpers */

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The envelope's code may come as 200 or "200". */
static gboolean
get_code (JsonObject *object,
          gint64     *code)
{
  JsonNode *node = object ? json_object_get_member (object, "code") : NULL;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *code = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *code = (gint64) json_node_get_double (node);
  else if (type == G_TYPE_STRING)
    return g_ascii_string_to_signed (json_node_get_string (node), 10, 0, 999, code, NULL);
  else
    return FALSE;
  return TRUE;
}

static char *
node_to_text (JsonNode *node)
{
  return node ? json_to_string (node, FALSE) : NULL;
}

static char *
object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static char *
body_start (GBytes *body)
{
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  g_autofree char *text = g_utf8_make_valid (data ? data : "", MIN (size, 120));

  return g_strdup (g_strstrip (text));
}

static guint
retry_after_ms (SoupMessage *message)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                    "Retry-After");
  guint64 seconds;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, 86400, &seconds, NULL))
    return (guint) seconds * 1000;
  return 0;
}

/* Errors. apixo's own words are kept: "Insufficient credits" says more than any code. */
static void
set_envelope_error (DlyBackend  *self,
                    SoupMessage *message,
                    GBytes      *body,
                    JsonObject  *envelope,
                    GError     **error)
{
  const char *label = dly_backend_get_label (self);
  guint http_status = soup_message_get_status (message);
  const char *words = get_string (envelope, "message");
  g_autofree char *text = words ? dly_backend_redact (self, words) : NULL;
  g_autofree char *lower = g_utf8_strdown (text ? text : "", -1);
  gint64 code = http_status;
  GError *local = NULL;

  if (!get_code (envelope, &code) || code == 200)
    code = http_status;

  /* The document's own example is code 400 "Insufficient credits". */
  if (code == 402 || strstr (lower, "credit") != NULL || strstr (lower, "balance") != NULL)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_CREDITS,
                   _("%s says the account is out of credits (code %" G_GINT64_FORMAT ": %s). "
                     "Top it up and try again"),
                   label, code, text ? text : _("no message"));
      return;
    }

  /* A real HTTP failure: the base class knows Retry-After and every status. */
  if (!SOUP_STATUS_IS_SUCCESSFUL (http_status))
    {
      dly_backend_set_http_error (self, message, body, text, error);
      return;
    }

  if (text == NULL)
    text = g_strdup (_("no message"));
  if (code == 401 || code == 403)
    local = g_error_new (DLY_ERROR, DLY_ERROR_AUTH,
                         _("%s refused the API key (code %" G_GINT64_FORMAT ": %s). Check the key "
                           "stored for this backend"),
                         label, code, text);
  else if (code == 404)
    local = g_error_new (DLY_ERROR, DLY_ERROR_NOT_FOUND,
                         _("%s does not know this task (code %" G_GINT64_FORMAT ": %s)"),
                         label, code, text);
  else if (code == 408 || code == 429 || code >= 500)
    {
      local = g_error_new (DLY_ERROR, DLY_ERROR_TRANSIENT,
                           _("%s is busy or failing (code %" G_GINT64_FORMAT ": %s)"),
                           label, code, text);
      dly_error_set_retry_after (local, retry_after_ms (message));
    }
  else if (code >= 400)
    local = g_error_new (DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                         _("%s rejected the request (code %" G_GINT64_FORMAT ": %s)"),
                         label, code, text);
  else
    local = g_error_new (DLY_ERROR, DLY_ERROR_PROTOCOL,
                         _("%s answered with code %" G_GINT64_FORMAT ", which its API does not "
                           "describe: %s"),
                         label, code, text);
  g_propagate_error (error, local);
}

/* Reads the envelope of a successful answer and points @data into it; sets @error from the
 * envelope's code (or the HTTP status) otherwise. */
static JsonObject *
parse_envelope (DlyBackend  *self,
                SoupMessage *message,
                GBytes      *body,
                JsonObject **data,
                GError     **error)
{
  g_autoptr(JsonObject) envelope = NULL;
  g_autoptr(GError) local = NULL;
  guint http_status = soup_message_get_status (message);
  JsonNode *data_node;
  gint64 code = 200;

  envelope = dly_backend_parse_json_object (body, &local);
  if (envelope == NULL || !SOUP_STATUS_IS_SUCCESSFUL (http_status)
      || (get_code (envelope, &code) && code != 200))
    {
      if (envelope == NULL && SOUP_STATUS_IS_SUCCESSFUL (http_status))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      set_envelope_error (self, message, body, envelope, error);
      return NULL;
    }

  data_node = json_object_get_member (envelope, "data");
  if (data_node == NULL || !JSON_NODE_HOLDS_OBJECT (data_node))
    {
      g_autofree char *text = object_to_text (envelope);

      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("%s answered success without the data its API describes: “%s”"),
                   dly_backend_get_label (self), text);
      return NULL;
    }
  *data = json_node_get_object (data_node);
  return g_steal_pointer (&envelope);
}

/* resultJson is documented as a string to parse a second time; an object already parsed
 * (a proxy that decoded it) is read the same way. The first URL is the take. */
static char *
parse_result_json (DlyBackend *self,
                   JsonObject *data,
                   GError    **error)
{
  const char *label = dly_backend_get_label (self);
  JsonNode *node = json_object_get_member (data, "resultJson");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *result = NULL;
  JsonNode *urls;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("%s said the task succeeded but sent no resultJson"), label);
      return NULL;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    result = json_node_get_object (node);
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      JsonNode *root;

      if (!json_parser_load_from_data (parser, text, -1, NULL)
          || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_autofree char *start = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), 80));

          g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                       _("%s sent a resultJson that is not a JSON object: “%s”"), label, start);
          return NULL;
        }
      result = json_node_get_object (root);
    }
  else
    {
      g_autofree char *text = node_to_text (node);

      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("%s sent a resultJson that is neither a JSON string nor an object: %s"),
                   label, text);
      return NULL;
    }

  urls = json_object_get_member (result, "resultUrls");
  if (urls != NULL && JSON_NODE_HOLDS_ARRAY (urls))
    {
      JsonArray *array = json_node_get_array (urls);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
              && dly_request_location_is_url (json_node_get_string (element)))
            return g_strdup (json_node_get_string (element));
        }
    }
  else if (urls != NULL && JSON_NODE_HOLDS_VALUE (urls)
           && json_node_get_value_type (urls) == G_TYPE_STRING
           && dly_request_location_is_url (json_node_get_string (urls)))
    return g_strdup (json_node_get_string (urls));

  {
    g_autofree char *text = object_to_text (result);

    g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                 _("%s said the task succeeded but its resultJson has no video URL: “%s”"),
                 label, text);
  }
  return NULL;
}

/* "CONTENT_VIOLATION: Content does not meet safety guidelines", exactly as apixo says it. */
static char *
failure_text (DlyBackend *self,
              JsonObject *data)
{
  const char *code = get_string (data, "failCode");
  const char *text = get_string (data, "failMsg");
  g_autofree char *joined = NULL;

  if (code != NULL && *code != '\0' && text != NULL && *text != '\0')
    joined = g_strdup_printf ("%s: %s", code, text);
  else if (code != NULL && *code != '\0')
    joined = g_strdup (code);
  else if (text != NULL && *text != '\0')
    joined = g_strdup (text);
  else
    return g_strdup_printf (_("%s reported the task failed without saying why"),
                            dly_backend_get_label (self));
  return dly_backend_redact (self, joined);
}

/* pending, processing, success, failed; a few synonyms read the same way. */
static DlyRemoteStatus *
parse_task (DlyBackend *self,
            JsonObject *data,
            GError    **error)
{
  const char *state = get_string (data, "state");
  g_autoptr(DlyRemoteStatus) status = dly_remote_status_new (DLY_REMOTE_STATE_QUEUED);

  if (state == NULL)
    {
      g_autofree char *text = object_to_text (data);

      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("%s answered a status query without a state: “%s”"),
                   dly_backend_get_label (self), text);
      return NULL;
    }

  if (g_ascii_strcasecmp (state, "pending") == 0 || g_ascii_strcasecmp (state, "queued") == 0
      || g_ascii_strcasecmp (state, "waiting") == 0)
    status->state = DLY_REMOTE_STATE_QUEUED;
  else if (g_ascii_strcasecmp (state, "processing") == 0 || g_ascii_strcasecmp (state, "running") == 0)
    status->state = DLY_REMOTE_STATE_RUNNING;
  else if (g_ascii_strcasecmp (state, "success") == 0 || g_ascii_strcasecmp (state, "succeeded") == 0
           || g_ascii_strcasecmp (state, "completed") == 0)
    {
      status->result_uri = parse_result_json (self, data, error);
      if (status->result_uri == NULL)
        return NULL;
      status->state = DLY_REMOTE_STATE_SUCCEEDED;
      status->progress = 1.0;
    }
  else if (g_ascii_strcasecmp (state, "failed") == 0 || g_ascii_strcasecmp (state, "fail") == 0
           || g_ascii_strcasecmp (state, "error") == 0)
    {
      status->state = DLY_REMOTE_STATE_FAILED;
      status->message = failure_text (self, data);
    }
  else
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("%s reported the state “%s”, which its API does not describe"),
                   dly_backend_get_label (self), state);
      return NULL;
    }

  status->remote_id = g_strdup (get_string (data, "taskId"));
  status->detail_json = object_to_text (data);
  return g_steal_pointer (&status);
}

/* Vfuncs */

static gboolean
dly_backend_apixo_choose_mode (DlyBackend *self,
                               DlyRequest *request,
                               DlyMode    *mode,
                               GError    **error)
{
  if (dly_request_get_audio (request) != NULL)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("%s takes no audio input; remove it, or use a RunPod LTX-2 worker for "
                     "lip-sync"),
                   dly_backend_get_label (self));
      return FALSE;
    }
  *mode = dly_request_get_image (request) != NULL ? DLY_MODE_IMAGE_TO_VIDEO : DLY_MODE_TEXT_TO_VIDEO;
  return TRUE;
}

static gboolean
dly_backend_apixo_validate (DlyBackend *self,
                            DlyRequest *request,
                            DlyMode     mode,
                            GError    **error)
{
  for (guint i = 0; i < dly_request_get_n_loras (request); i++)
    {
      double scale = 0;
      const char *url = dly_request_get_lora (request, i, &scale);

      /* apixo recommends 0.5–2.0 but states no limit, so only nonsense is refused. */
      if (!isfinite (scale) || scale <= 0 || scale > 10)
        {
          g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                       _("The LoRA “%s” needs a scale above 0 (apixo recommends 0.5–2.0), not %g"),
                       url, scale);
          return FALSE;
        }
    }
  return TRUE;
}

static const char *
apixo_mode_name (DlyMode  mode,
                 gboolean lora)
{
  if (mode == DLY_MODE_IMAGE_TO_VIDEO)
    return lora ? "image-to-video-LoRA" : "image-to-video";
  return lora ? "text-to-video-LoRA" : "text-to-video";
}

static SoupMessage *
dly_backend_apixo_build_submit (DlyBackend *self,
                                DlyRequest *request,
                                DlyMode     mode,
                                GError    **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) message = NULL;
  guint n_loras = dly_request_get_n_loras (request);
  g_auto(GValue) seed = G_VALUE_INIT;

  json_builder_begin_object (builder);
  /* Always polled: a callback needs a public HTTPS server, which a desktop is not. */
  json_builder_set_member_name (builder, "request_type");
  json_builder_add_string_value (builder, "async");
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, dly_backend_get_param_string (self, request, "provider"));

  json_builder_set_member_name (builder, "input");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, apixo_mode_name (mode, n_loras > 0));
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, dly_request_get_prompt (request));
  json_builder_set_member_name (builder, "resolution");
  json_builder_add_string_value (builder, dly_backend_get_param_string (self, request, "resolution"));
  json_builder_set_member_name (builder, "duration");
  json_builder_add_int_value (builder, dly_backend_get_param_int (self, request, "duration"));
  /* The image decides the shape of an image-to-video take (the document's example omits it). */
  if (mode == DLY_MODE_TEXT_TO_VIDEO)
    {
      json_builder_set_member_name (builder, "aspect_ratio");
      json_builder_add_string_value (builder, dly_backend_get_param_string (self, request, "aspect_ratio"));
    }
  if (mode == DLY_MODE_IMAGE_TO_VIDEO)
    {
      json_builder_set_member_name (builder, "image_urls");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, dly_request_get_image (request));
      json_builder_end_array (builder);
    }
  if (dly_backend_get_param_value (self, request, "seed", &seed))
    {
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, g_value_get_int64 (&seed));
    }
  if (n_loras > 0)
    {
      json_builder_set_member_name (builder, "loras");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_loras; i++)
        {
          double scale = 1.0;
          const char *url = dly_request_get_lora (request, i, &scale);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, url);
          json_builder_set_member_name (builder, "scale");
          json_builder_add_double_value (builder, scale);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  message = dly_backend_new_message (self, SOUP_METHOD_POST, GENERATE_PATH);
  if (message == NULL)
    return NULL;
  root = json_builder_get_root (builder);
  dly_backend_set_json_body (message, root);
  return g_steal_pointer (&message);
}

static DlyRemoteStatus *
dly_backend_apixo_parse_submit (DlyBackend  *self,
                                SoupMessage *message,
                                GBytes      *body,
                                GError     **error)
{
  g_autoptr(JsonObject) envelope = NULL;
  g_autoptr(GError) local = NULL;
  DlyRemoteStatus *status;
  JsonObject *data = NULL;
  const char *task_id;

  envelope = parse_envelope (self, message, body, &data, &local);
  task_id = data ? get_string (data, "taskId") : NULL;
  if (envelope != NULL && task_id != NULL && *task_id != '\0')
    {
      status = dly_remote_status_new (DLY_REMOTE_STATE_QUEUED);
      status->remote_id = g_strdup (task_id);
      status->detail_json = object_to_text (data);
      return status;
    }

  /* A 2xx answer without a task id: the task may exist and be billed all the same. */
  if (SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message))
      && (local == NULL || g_error_matches (local, DLY_ERROR, DLY_ERROR_PROTOCOL)))
    {
      g_autofree char *start = body_start (body);

      g_set_error (error, DLY_ERROR, DLY_ERROR_UNKNOWN_SUBMISSION,
                   _("%s accepted the submission but its answer has no taskId (“%s”). The task "
                     "may have been created; check apixo before submitting it again"),
                   dly_backend_get_label (self), start);
      return NULL;
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

static SoupMessage *
dly_backend_apixo_build_poll (DlyBackend *self,
                              const char *remote_id)
{
  g_autofree char *escaped = g_uri_escape_string (remote_id, NULL, TRUE);
  g_autofree char *path = g_strconcat (STATUS_PATH "?taskId=", escaped, NULL);

  return dly_backend_new_message (self, SOUP_METHOD_GET, path);
}

static DlyRemoteStatus *
dly_backend_apixo_parse_poll (DlyBackend  *self,
                              const char  *remote_id,
                              SoupMessage *message,
                              GBytes      *body,
                              GError     **error)
{
  g_autoptr(JsonObject) envelope = NULL;
  JsonObject *data = NULL;

  envelope = parse_envelope (self, message, body, &data, error);
  if (envelope == NULL)
    return NULL;
  return parse_task (self, data, error);
}

/* apixo documents no health route: a status query for a task that does not exist costs
 * nothing and still says whether the key is accepted. */
static SoupMessage *
dly_backend_apixo_build_check (DlyBackend *self)
{
  return dly_backend_apixo_build_poll (self, "dailies-connection-check");
}

static char *
dly_backend_apixo_parse_check (DlyBackend  *self,
                               SoupMessage *message,
                               GBytes      *body,
                               GError     **error)
{
  g_autoptr(JsonObject) envelope = NULL;
  g_autoptr(GError) local = NULL;
  JsonObject *data = NULL;

  envelope = parse_envelope (self, message, body, &data, &local);
  if (envelope != NULL)
    return g_strdup_printf (_("Reachable; the API key was accepted (a status query answered "
                              "HTTP %u)"),
                            soup_message_get_status (message));
  if (g_error_matches (local, DLY_ERROR, DLY_ERROR_AUTH)
      || g_error_matches (local, DLY_ERROR, DLY_ERROR_CREDITS)
      || g_error_matches (local, DLY_ERROR, DLY_ERROR_TRANSIENT)
      || g_error_matches (local, DLY_ERROR, DLY_ERROR_PROTOCOL))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  /* "Task not found" and the like: the server is there and did not refuse the key. */
  return g_strdup_printf (_("Reachable; the API key was not refused (a status query for a "
                            "made-up task answered: %s)"),
                          local->message);
}

static void
dly_backend_apixo_apply_auth (DlyBackend  *self,
                              SoupMessage *message,
                              const char  *api_key)
{
  g_autofree char *value = g_strconcat ("Bearer ", api_key, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", value);
}

static void
dly_backend_apixo_class_init (DlyBackendApixoClass *klass)
{
  DlyBackendClass *backend_class = DLY_BACKEND_CLASS (klass);
  GParamSpec *pspec;

  backend_class->dialect = "apixo";
  backend_class->url_template = "https://api.apixo.ai";
  backend_class->url_placeholder = NULL;
  backend_class->label = "apixo";
  backend_class->description = _("apixo’s hosted LTX-2 19B: text or image to video, with up to "
                                 "three LoRAs; needs an apixo API key");
  backend_class->modes = DLY_MODE_FLAG_TEXT_TO_VIDEO | DLY_MODE_FLAG_IMAGE_TO_VIDEO
                         | DLY_MODE_FLAG_LORA;
  backend_class->image_inputs = DLY_INPUT_URL;
  backend_class->audio_inputs = DLY_INPUT_NONE;
  backend_class->uses_negative_prompt = FALSE;
  backend_class->needs_api_key = TRUE;
  backend_class->max_loras = 3;
  backend_class->remote_cancel = FALSE;
  backend_class->inline_result = FALSE;
  backend_class->submit_timeout = SUBMIT_TIMEOUT_SECONDS;

  backend_class->choose_mode = dly_backend_apixo_choose_mode;
  backend_class->validate = dly_backend_apixo_validate;
  backend_class->build_submit = dly_backend_apixo_build_submit;
  backend_class->parse_submit = dly_backend_apixo_parse_submit;
  backend_class->build_poll = dly_backend_apixo_build_poll;
  backend_class->parse_poll = dly_backend_apixo_parse_poll;
  backend_class->build_check = dly_backend_apixo_build_check;
  backend_class->parse_check = dly_backend_apixo_parse_check;
  backend_class->apply_auth = dly_backend_apixo_apply_auth;

  dly_backend_class_install_param (backend_class,
    dly_param_choice ("resolution", _("Resolution"),
                      _("480p is fast for previews, 720p balanced, 1080p the best and slowest"),
                      resolutions, "720p"));

  pspec = dly_param_int ("duration", _("Duration"),
                         _("Length of the take; apixo bills per second"), 5, 20, 10);
  dly_param_set_unit (pspec, "s");
  dly_backend_class_install_param (backend_class, pspec);

  pspec = dly_param_choice ("aspect_ratio", _("Aspect ratio"),
                            _("Shape of a text-to-video take; an image sets its own"),
                            aspect_ratios, "16:9");
  dly_param_set_modes (pspec, DLY_MODE_FLAG_TEXT_TO_VIDEO);
  dly_backend_class_install_param (backend_class, pspec);

  pspec = dly_param_int ("seed", _("Seed"),
                         _("The same seed, prompt and parameters give the same take; unset for "
                           "a random one"),
                         0, MAX_SEED, 0);
  dly_param_set_optional (pspec);
  dly_backend_class_install_param (backend_class, pspec);

  dly_backend_class_install_param (backend_class,
    dly_param_choice ("provider", _("Provider"),
                      _("How apixo routes the task: auto, value (cheaper) or official"),
                      providers, "auto"));
}

static void
dly_backend_apixo_init (DlyBackendApixo *self)
{
}
