/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "ltx2-server" dialect: a self-hosted LTX-2 server (seeds/ltx2-server.md). JSON POST
 * /v1/video/async_t2v or multipart /v1/video/async_i2v, GET /v1/video/tasks/{id}, and the
 * video at the absolute `url` the finished task names. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dly-backend-ltx2-server.h"
#include "dly-error.h"
#include "dly-selfhosted-private.h"

/* The first request after idle reloads the model: 60–120 s by the document. */
#define SUBMIT_TIMEOUT_SECONDS 150

struct _DlyBackendLtx2Server
{
  DlyBackend parent_instance;
};

G_DEFINE_FINAL_TYPE (DlyBackendLtx2Server, dly_backend_ltx2_server, DLY_TYPE_BACKEND)

/* Helpers */

static gboolean
host_is (const char *host,
         gboolean    any)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (!any && g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return FALSE;
  return any ? g_inet_address_get_is_any (address) : g_inet_address_get_is_loopback (address);
}

/* The finished task's `url`. It is absolute and may name another host than the base URL (a
 * LAN address when the profile says localhost): that is accepted, and the base class sends no
 * credentials there. A relative one is resolved against the base URL. A server that builds
 * its URLs from the address it listens on may say 0.0.0.0, or localhost while being reached
 * over the LAN; neither can be fetched from here, so those are rebased onto the base URL. */
static char *
resolve_result_url (DlyBackend *self,
                    const char *url,
                    GError    **error)
{
  const char *label = dly_backend_get_label (self);
  GUri *base = dly_backend_get_base_uri (self);
  g_autofree char *base_dir = g_strconcat (dly_backend_get_base_url (self), "/", NULL);
  g_autofree char *resolved = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (base != NULL && *url != '\0')
    resolved = g_uri_resolve_relative (base_dir, url,
                                       G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (resolved != NULL)
    uri = g_uri_parse (resolved, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0
          && g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0))
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("%s gave a video location that is not an http(s) URL: “%s”"), label, url);
      return NULL;
    }

  host = g_uri_get_host (uri);
  if (host_is (host, TRUE)
      || (host_is (host, FALSE) && !host_is (g_uri_get_host (base), FALSE)))
    {
      g_autoptr(GUri) rebased = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (base), NULL,
                                             g_uri_get_host (base), g_uri_get_port (base),
                                             g_uri_get_path (uri), g_uri_get_query (uri), NULL);

      return g_uri_to_string (rebased);
    }
  return g_steal_pointer (&resolved);
}

/* Status words: the document has processing, completed and failed. The submit's answer says
 * "Task queued" with status processing: the server does not tell waiting from running, so a
 * fresh task is queued and a polled one running. queued, pending and running are read as
 * they say, in case a server uses them. */
static DlyRemoteStatus *
parse_task (DlyBackend *self,
            JsonObject *object,
            gboolean    submitted,
            GError    **error)
{
  const char *label = dly_backend_get_label (self);
  const char *word = dly_selfhosted_get_string (object, "status");
  g_autoptr(DlyRemoteStatus) status = dly_remote_status_new (DLY_REMOTE_STATE_QUEUED);
  g_autofree char *text = dly_selfhosted_object_to_text (object);

  if (word == NULL)
    {
      /* A submit's answer matters for its task id; the first poll says the rest. */
      if (!submitted)
        {
          g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                       _("%s answered without a status word: “%s”"), label, text);
          return NULL;
        }
    }
  else if (g_ascii_strcasecmp (word, "processing") == 0)
    status->state = submitted ? DLY_REMOTE_STATE_QUEUED : DLY_REMOTE_STATE_RUNNING;
  else if (g_ascii_strcasecmp (word, "running") == 0)
    status->state = DLY_REMOTE_STATE_RUNNING;
  else if (g_ascii_strcasecmp (word, "queued") == 0 || g_ascii_strcasecmp (word, "pending") == 0)
    status->state = DLY_REMOTE_STATE_QUEUED;
  else if (g_ascii_strcasecmp (word, "completed") == 0)
    {
      const char *url = dly_selfhosted_get_string (object, "url");

      if (url == NULL)
        {
          g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                       _("%s said the task completed but gave no url: “%s”"), label, text);
          return NULL;
        }
      status->result_uri = resolve_result_url (self, url, error);
      if (status->result_uri == NULL)
        return NULL;
      status->state = DLY_REMOTE_STATE_SUCCEEDED;
      status->progress = 1.0;
    }
  else if (g_ascii_strcasecmp (word, "failed") == 0)
    {
      const char *reason = dly_selfhosted_get_string (object, "error");
      g_autofree char *detail = reason ? NULL : dly_selfhosted_error_text_from_object (object);

      status->state = DLY_REMOTE_STATE_FAILED;
      status->message = dly_backend_redact (self, reason ? reason : detail);
      if (status->message == NULL)
        status->message = g_strdup_printf (_("%s reported the task failed without saying why"),
                                           label);
    }
  else if (!submitted)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("%s reported the status “%s”, which its API does not describe"),
                   label, word);
      return NULL;
    }

  status->detail_json = g_steal_pointer (&text);
  return g_steal_pointer (&status);
}

/* Vfuncs */

static SoupMessage *
build_t2v (DlyBackend *self,
           DlyRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) message = NULL;
  GParamSpec **params;
  guint n_params = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, dly_request_get_prompt (request));

  params = dly_backend_list_params (self, &n_params);
  for (guint i = 0; i < n_params; i++)
    {
      const char *name = g_param_spec_get_name (params[i]);
      g_auto(GValue) value = G_VALUE_INIT;

      if (!(dly_param_get_modes (params[i]) & DLY_MODE_FLAG_TEXT_TO_VIDEO)
          || !dly_backend_get_param_value (self, request, name, &value))
        continue;
      json_builder_set_member_name (builder, name);
      /* Integers stay integers: a pydantic int field may refuse 121.0. */
      if (G_VALUE_HOLDS_INT64 (&value))
        json_builder_add_int_value (builder, g_value_get_int64 (&value));
      else if (G_VALUE_HOLDS_DOUBLE (&value))
        json_builder_add_double_value (builder, g_value_get_double (&value));
      else if (G_VALUE_HOLDS_BOOLEAN (&value))
        json_builder_add_boolean_value (builder, g_value_get_boolean (&value));
      else
        json_builder_add_string_value (builder, g_value_get_string (&value));
    }
  json_builder_end_object (builder);

  message = dly_backend_new_message (self, SOUP_METHOD_POST, "/v1/video/async_t2v");
  if (message == NULL)
    return NULL;
  root = json_builder_get_root (builder);
  dly_backend_set_json_body (message, root);
  return g_steal_pointer (&message);
}

static SoupMessage *
build_i2v (DlyBackend *self,
           DlyRequest *request,
           GError    **error)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *filename = NULL;
  const char *content_type = NULL;

  /* The document names no formats: these are the ones its image loader (PIL) reads that
   * people actually have; the content decides, not the name. */
  bytes = dly_selfhosted_load_image (self, dly_request_get_image (request),
                                     DLY_IMAGE_FORMAT_JPEG | DLY_IMAGE_FORMAT_PNG
                                     | DLY_IMAGE_FORMAT_WEBP | DLY_IMAGE_FORMAT_BMP
                                     | DLY_IMAGE_FORMAT_GIF,
                                     DLY_LTX2_SERVER_MAX_IMAGE_SIZE,
                                     &filename, &content_type, error);
  if (bytes == NULL)
    return NULL;

  soup_multipart_append_form_string (multipart, "prompt", dly_request_get_prompt (request));
  /* cfg_scale_audio and modality_scale are text-to-video only: their modes leave them out. */
  dly_selfhosted_append_form_params (self, request, DLY_MODE_IMAGE_TO_VIDEO, multipart);
  soup_multipart_append_form_file (multipart, "image", filename, content_type, bytes);

  message = dly_backend_new_message (self, SOUP_METHOD_POST, "/v1/video/async_i2v");
  if (message == NULL)
    return NULL;
  dly_selfhosted_set_multipart_body (message, multipart);
  return g_steal_pointer (&message);
}

static SoupMessage *
dly_backend_ltx2_server_build_submit (DlyBackend *self,
                                      DlyRequest *request,
                                      DlyMode     mode,
                                      GError    **error)
{
  if (mode == DLY_MODE_IMAGE_TO_VIDEO)
    return build_i2v (self, request, error);
  return build_t2v (self, request);
}

static DlyRemoteStatus *
dly_backend_ltx2_server_parse_submit (DlyBackend  *self,
                                      SoupMessage *message,
                                      GBytes      *body,
                                      GError     **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *task_id = NULL;
  DlyRemoteStatus *status;

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      dly_selfhosted_set_http_error (self, message, body, error);
      return NULL;
    }

  /* The server took the job (2xx) but we cannot tell which it is: it may exist there. */
  object = dly_backend_parse_json_object (body, NULL);
  if (object == NULL || (task_id = dly_selfhosted_get_task_id (object)) == NULL)
    {
      g_autofree char *text = object ? dly_selfhosted_object_to_text (object)
                                     : dly_selfhosted_body_start (body);

      g_set_error (error, DLY_ERROR, DLY_ERROR_UNKNOWN_SUBMISSION,
                   _("%s accepted the submission (HTTP %u) but its answer has no task_id: “%s”. "
                     "The job may have been created there; check the backend before "
                     "submitting it again"),
                   dly_backend_get_label (self), soup_message_get_status (message), text);
      return NULL;
    }

  status = parse_task (self, object, TRUE, error);
  if (status != NULL)
    status->remote_id = g_steal_pointer (&task_id);
  return status;
}

static SoupMessage *
dly_backend_ltx2_server_build_poll (DlyBackend *self,
                                    const char *remote_id)
{
  g_autofree char *escaped = g_uri_escape_string (remote_id, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/v1/video/tasks/", escaped, NULL);

  return dly_backend_new_message (self, SOUP_METHOD_GET, path);
}

static DlyRemoteStatus *
dly_backend_ltx2_server_parse_poll (DlyBackend  *self,
                                    const char  *remote_id,
                                    SoupMessage *message,
                                    GBytes      *body,
                                    GError     **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *task_id = NULL;

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      dly_selfhosted_set_http_error (self, message, body, error);
      return NULL;
    }
  object = dly_backend_parse_json_object (body, error);
  if (object == NULL)
    return NULL;

  task_id = dly_selfhosted_get_task_id (object);
  if (task_id != NULL && remote_id != NULL && g_strcmp0 (task_id, remote_id) != 0)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("%s answered about task “%s” when asked about “%s”"),
                   dly_backend_get_label (self), task_id, remote_id);
      return NULL;
    }
  return parse_task (self, object, FALSE, error);
}

static SoupMessage *
dly_backend_ltx2_server_build_check (DlyBackend *self)
{
  return dly_backend_new_message (self, SOUP_METHOD_GET, "/health");
}

static char *
dly_backend_ltx2_server_parse_check (DlyBackend  *self,
                                     SoupMessage *message,
                                     GBytes      *body,
                                     GError     **error)
{
  const char *label = dly_backend_get_label (self);
  guint code = soup_message_get_status (message);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) facts = NULL;
  g_autoptr(GList) members = NULL;

  if (code == SOUP_STATUS_NOT_FOUND)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("The server at %s answers but has no /health (HTTP 404): it is not an %s. "
                     "Check the URL and the dialect"),
                   dly_backend_get_base_url (self), label);
      return NULL;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (code))
    {
      dly_selfhosted_set_http_error (self, message, body, error);
      return NULL;
    }

  object = dly_backend_parse_json_object (body, NULL);
  if (object == NULL)
    {
      g_autofree char *text = dly_selfhosted_body_start (body);

      return g_strdup_printf (_("%s is up (HTTP %u): “%s”"), label, code, text);
    }

  /* Whatever the server reports ({"status": "ok", "model_loaded": false, ...}), in one line. */
  builder = g_strv_builder_new ();
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);
      g_autofree char *value = NULL;
      g_autofree char *fact = NULL;

      if (!JSON_NODE_HOLDS_VALUE (node) && !JSON_NODE_HOLDS_NULL (node))
        continue;
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        value = g_strdup (json_node_get_string (node));
      else
        value = json_to_string (node, FALSE);
      fact = g_strdup_printf ("%s: %s", (const char *) l->data, value);
      g_strv_builder_add (builder, fact);
    }
  facts = g_strv_builder_end (builder);
  if (facts[0] == NULL)
    return g_strdup_printf (_("%s is up (HTTP %u)"), label, code);
  {
    g_autofree char *joined = g_strjoinv (", ", facts);
    g_autofree char *safe = dly_backend_redact (self, joined);

    return g_strdup_printf (_("%s is up: %s"), label, safe);
  }
}

static void
dly_backend_ltx2_server_class_init (DlyBackendLtx2ServerClass *klass)
{
  DlyBackendClass *backend_class = DLY_BACKEND_CLASS (klass);
  GParamSpec *pspec;

  backend_class->dialect = "ltx2-server";
  backend_class->label = _("LTX-2 server");
  backend_class->description = _("A self-hosted LTX-2 server that makes video with sound, with "
                                 "asynchronous tasks at /v1/video");
  backend_class->modes = DLY_MODE_FLAG_TEXT_TO_VIDEO | DLY_MODE_FLAG_IMAGE_TO_VIDEO;
  backend_class->image_inputs = DLY_INPUT_FILE;
  backend_class->audio_inputs = DLY_INPUT_NONE;
  /* Its API has no negative prompt. */
  backend_class->uses_negative_prompt = FALSE;
  backend_class->needs_api_key = FALSE;
  backend_class->max_loras = 0;
  backend_class->remote_cancel = FALSE;
  backend_class->inline_result = FALSE;
  backend_class->submit_timeout = SUBMIT_TIMEOUT_SECONDS;

  backend_class->build_submit = dly_backend_ltx2_server_build_submit;
  backend_class->parse_submit = dly_backend_ltx2_server_parse_submit;
  backend_class->build_poll = dly_backend_ltx2_server_build_poll;
  backend_class->parse_poll = dly_backend_ltx2_server_parse_poll;
  backend_class->build_check = dly_backend_ltx2_server_build_check;
  backend_class->parse_check = dly_backend_ltx2_server_parse_check;

  /* Multiples of 64: the document says so, and it is LTX-2's two-stage (upscaling) rule.
   * The top is 4K-class; what fits depends on the server's GPU. */
  pspec = dly_param_int ("height", _("Height"),
                         _("Video height, a multiple of 64"),
                         64, 3840, 512);
  dly_param_set_multiple_of (pspec, 64);
  dly_param_set_unit (pspec, "px");
  dly_backend_class_install_param (backend_class, pspec);

  pspec = dly_param_int ("width", _("Width"),
                         _("Video width, a multiple of 64"),
                         64, 3840, 768);
  dly_param_set_multiple_of (pspec, 64);
  dly_param_set_unit (pspec, "px");
  dly_backend_class_install_param (backend_class, pspec);

  /* LTX-2 makes up to about 20 s: 505 = 8·63+1 frames. */
  pspec = dly_param_int ("num_frames", _("Frames"),
                         _("Number of frames, 8k+1: 49 ≈ 2 s, 97 ≈ 4 s, 121 ≈ 5 s"),
                         9, 505, 121);
  dly_param_set_frame_count (pspec);
  dly_param_set_unit (pspec, _("frames"));
  dly_backend_class_install_param (backend_class, pspec);

  /* 25, as the parameter reference and the image-to-video field list both say; the 24.0 in
   * the text-to-video example is one request's value, not the server's default. Since it is
   * always sent, a take made here matches one made with the server's own default. */
  pspec = dly_param_double ("frame_rate", _("Frame rate"),
                            _("Frames per second of the output video"),
                            1.0, 60.0, 25.0);
  dly_param_set_unit (pspec, "fps");
  dly_backend_class_install_param (backend_class, pspec);

  pspec = dly_param_int ("num_inference_steps", _("Steps"),
                         _("Denoising steps: 20 is faster, 40 better"),
                         1, 100, 40);
  dly_backend_class_install_param (backend_class, pspec);

  /* numpy seeds must fit in 32 bits. */
  pspec = dly_param_int ("seed", _("Seed"),
                         _("The same seed, prompt and settings give the same take"),
                         0, G_MAXUINT32, 42);
  dly_backend_class_install_param (backend_class, pspec);

  /* Guidance of 1 means none (what distilled checkpoints use); below 1 pushes away from the
   * prompt, which nobody wants. */
  pspec = dly_param_double ("cfg_scale_video", _("Video guidance"),
                            _("How closely the video follows the prompt (CFG)"),
                            1.0, 20.0, 3.0);
  dly_backend_class_install_param (backend_class, pspec);

  pspec = dly_param_double ("stg_scale_video", _("Spatiotemporal guidance"),
                            _("Spatiotemporal guidance (STG) strength; 0 turns it off"),
                            0.0, 10.0, 1.0);
  dly_backend_class_install_param (backend_class, pspec);

  pspec = dly_param_double ("cfg_scale_audio", _("Audio guidance"),
                            _("How closely the sound follows the prompt (CFG); text-to-video only"),
                            1.0, 20.0, 7.0);
  dly_param_set_modes (pspec, DLY_MODE_FLAG_TEXT_TO_VIDEO);
  dly_backend_class_install_param (backend_class, pspec);

  pspec = dly_param_double ("modality_scale", _("Audio–video guidance"),
                            _("How strongly sound and picture follow each other; text-to-video "
                              "only"),
                            1.0, 20.0, 3.0);
  dly_param_set_modes (pspec, DLY_MODE_FLAG_TEXT_TO_VIDEO);
  dly_backend_class_install_param (backend_class, pspec);
}

static void
dly_backend_ltx2_server_init (DlyBackendLtx2Server *self)
{
}
