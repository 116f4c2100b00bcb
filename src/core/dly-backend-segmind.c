/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "segmind" dialect: Segmind's synchronous LTX-Video API (seeds/segmind-ltx-video.md).
 * One long POST to /v1/ltx-video with `x-api-key`, whose answer is the video itself when it
 * succeeds and a JSON error when it does not. The base class tells the two apart by the
 * Content-Type (inline_result) and hands a video body straight to the download; everything
 * else arrives here. There is no job id, no polling and no cancel request: cancelling aborts
 * the request. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dly-backend-segmind.h"
#include "dly-error.h"

#define MODEL_PATH "/v1/ltx-video"

/* Generation happens while the request is open: a long take at 1024 px takes minutes. */
#define SUBMIT_TIMEOUT_SECONDS 900

#define MAX_SEED G_GINT64_CONSTANT (9007199254740991)

struct _DlyBackendSegmind
{
  DlyBackend parent_instance;
};

G_DEFINE_FINAL_TYPE (DlyBackendSegmind, dly_backend_segmind, DLY_TYPE_BACKEND)

static const gint64 lengths[] = { 97, 129, 161, 193, 225, 257 };
static const gint64 target_sizes[] = { 512, 576, 640, 704, 768, 832, 896, 960, 1024 };
/* The model page lists ten and "+3 more"; the model's own schema has these thirteen. */
static const char * const aspect_ratios[] = {
  "1:1", "1:2", "2:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "9:21", "21:9",
  NULL
};

/* Helpers */

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return *json_node_get_string (node) ? g_strdup (json_node_get_string (node)) : NULL;
  return json_to_string (node, FALSE);
}

static char *
object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static gboolean
content_type_is (SoupMessage *message,
                 const char  *prefix)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (message),
                                                            NULL);

  return type != NULL && g_ascii_strncasecmp (type, prefix, strlen (prefix)) == 0;
}

/* Segmind's error bodies are {"error": "..."}; some gateways say "message" or "detail". */
static char *
error_words (JsonObject *object)
{
  const char *names[] = { "error", "message", "detail", NULL };

  for (guint i = 0; object != NULL && names[i] != NULL; i++)
    {
      char *text = member_text (object, names[i]);

      if (text != NULL)
        return text;
    }
  return NULL;
}

static void
set_http_error (DlyBackend  *self,
                SoupMessage *message,
                GBytes      *body,
                GError     **error)
{
  const char *label = dly_backend_get_label (self);
  guint status = soup_message_get_status (message);
  g_autoptr(JsonObject) object = dly_backend_parse_json_object (body, NULL);
  g_autofree char *words = error_words (object);
  /* A 405 comes as an HTML page: its status line says more than its markup. */
  gboolean html = content_type_is (message, "text/html");

  if (words == NULL && html)
    words = g_strdup (soup_message_get_reason_phrase (message));

  if (status == SOUP_STATUS_NOT_ACCEPTABLE && words == NULL)
    {
      /* Segmind's documented meaning of a bare 406. */
      g_set_error (error, DLY_ERROR, DLY_ERROR_CREDITS,
                   _("%s says the account is out of credits (HTTP 406). Top it up and try again"),
                   label);
      return;
    }
  if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE)
    {
      g_autofree char *text = words ? dly_backend_redact (self, words) : NULL;

      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   status == SOUP_STATUS_GONE
                   ? _("%s has retired this model (HTTP %u%s%s); check the profile’s URL")
                   : _("%s has no LTX-Video model at this URL (HTTP %u%s%s); check the profile’s URL"),
                   label, status, text ? ": " : "", text ? text : "");
      return;
    }
  dly_backend_set_http_error (self, message, html ? NULL : body, words, error);
}

/* The base URL may be the service (https://api.segmind.com) or the model's own URL. */
static SoupMessage *
new_model_message (DlyBackend *self)
{
  const char *base = dly_backend_get_base_url (self);

  if (g_str_has_suffix (base, "/ltx-video"))
    return dly_backend_new_message (self, SOUP_METHOD_POST, base);
  return dly_backend_new_message (self, SOUP_METHOD_POST, MODEL_PATH);
}

/* Vfuncs */

static gboolean
dly_backend_segmind_choose_mode (DlyBackend *self,
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

static SoupMessage *
dly_backend_segmind_build_submit (DlyBackend *self,
                                  DlyRequest *request,
                                  DlyMode     mode,
                                  GError    **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) message = NULL;
  const char *negative = dly_request_get_negative_prompt (request);
  g_auto(GValue) seed = G_VALUE_INIT;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, dly_request_get_prompt (request));
  /* Without one, Segmind uses its own ("low quality, worst quality, deformed, distorted"). */
  if (negative != NULL && *negative != '\0')
    {
      json_builder_set_member_name (builder, "negative_prompt");
      json_builder_add_string_value (builder, negative);
    }
  if (mode == DLY_MODE_IMAGE_TO_VIDEO)
    {
      json_builder_set_member_name (builder, "image");
      json_builder_add_string_value (builder, dly_request_get_image (request));
    }
  else
    {
      /* Segmind ignores the aspect ratio when an image is given. */
      json_builder_set_member_name (builder, "aspect_ratio");
      json_builder_add_string_value (builder, dly_backend_get_param_string (self, request, "aspect_ratio"));
    }
  json_builder_set_member_name (builder, "cfg");
  json_builder_add_double_value (builder, dly_backend_get_param_double (self, request, "cfg"));
  json_builder_set_member_name (builder, "steps");
  json_builder_add_int_value (builder, dly_backend_get_param_int (self, request, "steps"));
  json_builder_set_member_name (builder, "length");
  json_builder_add_int_value (builder, dly_backend_get_param_int (self, request, "length"));
  json_builder_set_member_name (builder, "target_size");
  json_builder_add_int_value (builder, dly_backend_get_param_int (self, request, "target_size"));
  if (dly_backend_get_param_value (self, request, "seed", &seed))
    {
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, g_value_get_int64 (&seed));
    }
  json_builder_end_object (builder);

  message = new_model_message (self);
  if (message == NULL)
    return NULL;
  root = json_builder_get_root (builder);
  dly_backend_set_json_body (message, root);
  return g_steal_pointer (&message);
}

/* A 2xx answer that is not a video. The document promises the video itself; a JSON answer
 * holding a URL or base64 data (as some Segmind models give with base64=true) is taken too. */
static DlyRemoteStatus *
parse_json_success (DlyBackend  *self,
                    JsonObject  *object,
                    GError     **error)
{
  const char *names[] = { "video", "output", "video_url", "url", "base64", NULL };
  g_autoptr(DlyRemoteStatus) status = dly_remote_status_new (DLY_REMOTE_STATE_SUCCEEDED);
  g_autofree char *words = error_words (object);
  JsonNode *output;

  if (words != NULL)
    {
      status->state = DLY_REMOTE_STATE_FAILED;
      status->message = dly_backend_redact (self, words);
      status->detail_json = object_to_text (object);
      return g_steal_pointer (&status);
    }

  /* Replicate-style {"output": ["https://..."]}. */
  output = json_object_get_member (object, "output");
  if (output != NULL && JSON_NODE_HOLDS_ARRAY (output) && json_array_get_length (json_node_get_array (output)) > 0)
    {
      JsonNode *first = json_array_get_element (json_node_get_array (output), 0);

      if (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_STRING
          && dly_request_location_is_url (json_node_get_string (first)))
        {
          status->result_uri = g_strdup (json_node_get_string (first));
          return g_steal_pointer (&status);
        }
    }

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *text = get_string (object, names[i]);
      gsize size = 0;
      guchar *data;

      if (text == NULL || *text == '\0')
        continue;
      if (dly_request_location_is_url (text))
        {
          status->result_uri = g_strdup (text);
          return g_steal_pointer (&status);
        }
      if (g_str_has_prefix (text, "data:"))
        text = strchr (text, ',') ? strchr (text, ',') + 1 : text;
      data = g_base64_decode (text, &size);
      if (size > 8)
        {
          status->result_size = size;
          status->result_stream = g_memory_input_stream_new_from_data (data, size, g_free);
          return g_steal_pointer (&status);
        }
      g_free (data);
    }

  {
    g_autofree char *text = object_to_text (object);
    g_autofree char *start = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), 120));

    g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                 _("%s answered success with JSON instead of a video, and no video in it: “%s”"),
                 dly_backend_get_label (self), start);
  }
  return NULL;
}

static DlyRemoteStatus *
dly_backend_segmind_parse_submit (DlyBackend  *self,
                                  SoupMessage *message,
                                  GBytes      *body,
                                  GError     **error)
{
  g_autoptr(JsonObject) object = NULL;
  const char *type;

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      set_http_error (self, message, body, error);
      return NULL;
    }

  object = dly_backend_parse_json_object (body, NULL);
  if (object != NULL)
    return parse_json_success (self, object, error);

  type = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);
  g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
               _("%s answered success with “%s” content instead of a video"),
               dly_backend_get_label (self), type ? type : _("untyped"));
  return NULL;
}

/* There is no job to poll: the submit's answer is the result. */
static SoupMessage *
dly_backend_segmind_build_poll (DlyBackend *self,
                                const char *remote_id)
{
  return NULL;
}

/* Segmind has no health or account route in this API. An empty request is refused before
 * any generation (the prompt is required) and still goes through the key check: it proves
 * reachability and credentials and costs nothing. */
static SoupMessage *
dly_backend_segmind_build_check (DlyBackend *self)
{
  g_autoptr(SoupMessage) message = new_model_message (self);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) empty = json_object_new ();

  if (message == NULL)
    return NULL;
  json_node_set_object (root, empty);
  dly_backend_set_json_body (message, root);
  return g_steal_pointer (&message);
}

static char *
dly_backend_segmind_parse_check (DlyBackend  *self,
                                 SoupMessage *message,
                                 GBytes      *body,
                                 GError     **error)
{
  guint status = soup_message_get_status (message);
  const char *credits = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                      "x-remaining-credits");
  g_autofree char *credits_note = credits ? g_strdup_printf (_("; remaining credits: %s"), credits)
                                          : g_strdup ("");
  g_autoptr(GError) local = NULL;

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return g_strdup_printf (_("Reachable; the API key was accepted%s"), credits_note);

  set_http_error (self, message, body, &local);
  if (g_error_matches (local, DLY_ERROR, DLY_ERROR_INVALID_INPUT)
      && (status == SOUP_STATUS_BAD_REQUEST || status == 422))
    return g_strdup_printf (_("Reachable; the API key was accepted (an empty request was refused "
                              "as it should be: %s)%s"),
                            local->message, credits_note);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

static void
dly_backend_segmind_apply_auth (DlyBackend  *self,
                                SoupMessage *message,
                                const char  *api_key)
{
  soup_message_headers_replace (soup_message_get_request_headers (message), "x-api-key", api_key);
}

static void
dly_backend_segmind_class_init (DlyBackendSegmindClass *klass)
{
  DlyBackendClass *backend_class = DLY_BACKEND_CLASS (klass);
  GParamSpec *pspec;

  backend_class->dialect = "segmind";
  backend_class->url_template = "https://api.segmind.com";
  backend_class->url_placeholder = NULL;
  backend_class->label = "Segmind";
  backend_class->description = _("Segmind’s hosted LTX-Video: text or image to video in one long "
                                 "request; needs a Segmind API key");
  backend_class->modes = DLY_MODE_FLAG_TEXT_TO_VIDEO | DLY_MODE_FLAG_IMAGE_TO_VIDEO;
  backend_class->image_inputs = DLY_INPUT_URL;
  backend_class->audio_inputs = DLY_INPUT_NONE;
  backend_class->uses_negative_prompt = TRUE;
  backend_class->needs_api_key = TRUE;
  backend_class->max_loras = 0;
  backend_class->remote_cancel = FALSE;
  backend_class->inline_result = TRUE;
  backend_class->submit_timeout = SUBMIT_TIMEOUT_SECONDS;

  backend_class->choose_mode = dly_backend_segmind_choose_mode;
  backend_class->build_submit = dly_backend_segmind_build_submit;
  backend_class->parse_submit = dly_backend_segmind_parse_submit;
  backend_class->build_poll = dly_backend_segmind_build_poll;
  backend_class->build_check = dly_backend_segmind_build_check;
  backend_class->parse_check = dly_backend_segmind_parse_check;
  backend_class->apply_auth = dly_backend_segmind_apply_auth;

  pspec = dly_param_choice ("aspect_ratio", _("Aspect ratio"),
                            _("Shape of a text-to-video take; ignored when an image is given"),
                            aspect_ratios, "3:2");
  dly_param_set_modes (pspec, DLY_MODE_FLAG_TEXT_TO_VIDEO);
  dly_backend_class_install_param (backend_class, pspec);

  dly_backend_class_install_param (backend_class,
    dly_param_double ("cfg", _("Guidance"), _("How strongly the video follows the prompt"),
                      1, 20, 3));
  dly_backend_class_install_param (backend_class,
    dly_param_int ("steps", _("Steps"), _("More steps are slower and usually cleaner"),
                   1, 50, 30));

  pspec = dly_param_int_choice ("length", _("Length"),
                                _("Frames in the take, at 24 fps (97 is about 4 s, 257 about 10 s)"),
                                lengths, G_N_ELEMENTS (lengths), 97);
  dly_param_set_unit (pspec, _("frames"));
  dly_backend_class_install_param (backend_class, pspec);

  pspec = dly_param_int_choice ("target_size", _("Target size"),
                                _("Target size of the output video, in pixels"),
                                target_sizes, G_N_ELEMENTS (target_sizes), 640);
  dly_param_set_unit (pspec, "px");
  dly_backend_class_install_param (backend_class, pspec);

  pspec = dly_param_int ("seed", _("Seed"),
                         _("The same seed, prompt and parameters give the same take; unset for a "
                           "random one"),
                         0, MAX_SEED, 0);
  dly_param_set_optional (pspec);
  dly_backend_class_install_param (backend_class, pspec);
}

static void
dly_backend_segmind_init (DlyBackendSegmind *self)
{
}
