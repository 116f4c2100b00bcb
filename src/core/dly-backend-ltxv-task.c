/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "ltxv-task" dialect: a FastAPI server in front of a Celery queue that runs LTX-Video
 * (seeds/ltxv-task-api.md). Multipart POST /generate, GET /status/{id}, GET /video/{name}. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dly-backend-ltxv-task.h"
#include "dly-error.h"
#include "dly-selfhosted-private.h"

struct _DlyBackendLtxvTask
{
  DlyBackend parent_instance;
};

G_DEFINE_FINAL_TYPE (DlyBackendLtxvTask, dly_backend_ltxv_task, DLY_TYPE_BACKEND)

/* Helpers */

/* "task_results/x.mp4" → "/video/x.mp4". The server's path is not ours to follow: only its
 * last component names the video, and only under /video/. */
static char *
video_path_from_result (const char *result)
{
  const char *name = result;
  g_autofree char *escaped = NULL;

  for (const char *p = result; *p != '\0'; p++)
    {
      if (*p == '/' || *p == '\\')
        name = p + 1;
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        return NULL;
    }
  if (*name == '\0' || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return NULL;
  escaped = g_uri_escape_string (name, NULL, FALSE);
  return g_strconcat ("/video/", escaped, NULL);
}

/* A failure's "result" is the error text; some servers pass Celery's exception through as
 * {"exc_type": ..., "exc_message": ...}. */
static char *
failure_text (JsonNode *result)
{
  if (result == NULL || JSON_NODE_HOLDS_NULL (result))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (result) && json_node_get_value_type (result) == G_TYPE_STRING)
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (result)));

      return *text != '\0' ? g_steal_pointer (&text) : NULL;
    }
  if (JSON_NODE_HOLDS_OBJECT (result))
    {
      JsonObject *object = json_node_get_object (result);
      JsonNode *exc = json_object_get_member (object, "exc_message");
      const char *type = dly_selfhosted_get_string (object, "exc_type");

      if (exc != NULL && JSON_NODE_HOLDS_ARRAY (exc) && json_array_get_length (json_node_get_array (exc)) > 0)
        exc = json_array_get_element (json_node_get_array (exc), 0);
      if (exc != NULL && JSON_NODE_HOLDS_VALUE (exc) && json_node_get_value_type (exc) == G_TYPE_STRING)
        {
          if (type != NULL)
            return g_strdup_printf ("%s: %s", type, json_node_get_string (exc));
          return g_strdup (json_node_get_string (exc));
        }
    }
  return json_to_string (result, FALSE);
}

/* Vfuncs */

static SoupMessage *
dly_backend_ltxv_task_build_submit (DlyBackend *self,
                                    DlyRequest *request,
                                    DlyMode     mode,
                                    GError    **error)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMessage) message = NULL;
  const char *negative = dly_request_get_negative_prompt (request);
  const char *image = dly_request_get_image (request);

  soup_multipart_append_form_string (multipart, "prompt", dly_request_get_prompt (request));
  /* Sent even when unset, so that the take does not depend on the server's own default. */
  soup_multipart_append_form_string (multipart, "negative_prompt",
                                     negative ? negative : DLY_LTXV_TASK_DEFAULT_NEGATIVE_PROMPT);
  dly_selfhosted_append_form_params (self, request, mode, multipart);

  if (mode == DLY_MODE_IMAGE_TO_VIDEO && image != NULL)
    {
      g_autofree char *filename = NULL;
      const char *content_type = NULL;
      g_autoptr(GBytes) bytes = NULL;

      bytes = dly_selfhosted_load_image (self, image,
                                         DLY_IMAGE_FORMAT_JPEG | DLY_IMAGE_FORMAT_PNG,
                                         DLY_LTXV_TASK_MAX_IMAGE_SIZE,
                                         &filename, &content_type, error);
      if (bytes == NULL)
        return NULL;
      soup_multipart_append_form_file (multipart, "image", filename, content_type, bytes);
    }

  message = dly_backend_new_message (self, SOUP_METHOD_POST, "/generate");
  if (message == NULL)
    return NULL;
  dly_selfhosted_set_multipart_body (message, multipart);
  return g_steal_pointer (&message);
}

static DlyRemoteStatus *
dly_backend_ltxv_task_parse_submit (DlyBackend  *self,
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

  status = dly_remote_status_new (DLY_REMOTE_STATE_QUEUED);
  status->remote_id = g_steal_pointer (&task_id);
  status->detail_json = dly_selfhosted_object_to_text (object);
  return status;
}

static SoupMessage *
dly_backend_ltxv_task_build_poll (DlyBackend *self,
                                  const char *remote_id)
{
  g_autofree char *escaped = g_uri_escape_string (remote_id, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/status/", escaped, NULL);

  return dly_backend_new_message (self, SOUP_METHOD_GET, path);
}

/* Celery's state names. STARTED needs task_track_started; RETRY means it runs again after
 * an error; RECEIVED and REJECTED are Celery states that event-aware servers may report. */
static const struct
{
  const char     *word;
  DlyRemoteState  state;
} celery_states[] = {
  { "PENDING", DLY_REMOTE_STATE_QUEUED },
  { "RECEIVED", DLY_REMOTE_STATE_QUEUED },
  { "STARTED", DLY_REMOTE_STATE_RUNNING },
  { "RETRY", DLY_REMOTE_STATE_RUNNING },
  { "SUCCESS", DLY_REMOTE_STATE_SUCCEEDED },
  { "FAILURE", DLY_REMOTE_STATE_FAILED },
  { "REJECTED", DLY_REMOTE_STATE_FAILED },
  { "REVOKED", DLY_REMOTE_STATE_CANCELLED },
};

static DlyRemoteStatus *
dly_backend_ltxv_task_parse_poll (DlyBackend  *self,
                                  const char  *remote_id,
                                  SoupMessage *message,
                                  GBytes      *body,
                                  GError     **error)
{
  const char *label = dly_backend_get_label (self);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *text = NULL;
  const char *word;
  JsonNode *result;
  gboolean known = FALSE;

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      dly_selfhosted_set_http_error (self, message, body, error);
      return NULL;
    }
  object = dly_backend_parse_json_object (body, error);
  if (object == NULL)
    return NULL;
  text = dly_selfhosted_object_to_text (object);

  task_id = dly_selfhosted_get_task_id (object);
  if (task_id != NULL && remote_id != NULL && g_strcmp0 (task_id, remote_id) != 0)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("%s answered about task “%s” when asked about “%s”"),
                   label, task_id, remote_id);
      return NULL;
    }

  word = dly_selfhosted_get_string (object, "status");
  if (word == NULL)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("%s answered without a status word: “%s”"), label, text);
      return NULL;
    }
  status = dly_remote_status_new (DLY_REMOTE_STATE_QUEUED);
  for (guint i = 0; i < G_N_ELEMENTS (celery_states) && !known; i++)
    if (g_ascii_strcasecmp (word, celery_states[i].word) == 0)
      {
        status->state = celery_states[i].state;
        known = TRUE;
      }
  if (!known)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("%s reported the status “%s”, which its API does not describe"),
                   label, word);
      return NULL;
    }

  result = json_object_get_member (object, "result");
  switch (status->state)
    {
    case DLY_REMOTE_STATE_SUCCEEDED:
      {
        const char *path = dly_selfhosted_get_string (object, "result");

        if (path == NULL)
          {
            g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                         _("%s said %s but gave no result path: “%s”"), label, word, text);
            return NULL;
          }
        status->result_uri = video_path_from_result (path);
        if (status->result_uri == NULL)
          {
            g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                         _("%s gave the unusable result path “%s”: it must end in a file name"),
                         label, path);
            return NULL;
          }
        status->progress = 1.0;
        break;
      }
    case DLY_REMOTE_STATE_FAILED:
      {
        g_autofree char *reason = failure_text (result);

        /* Tracebacks can be long: the message is kept short and valid, the detail keeps all. */
        status->message = reason ? dly_backend_redact (self, reason) : NULL;
        if (status->message == NULL)
          status->message = g_strdup_printf (_("%s reported %s without saying why"), label, word);
        break;
      }
    case DLY_REMOTE_STATE_RUNNING:
      {
        /* RETRY carries the error that made the task run again. */
        g_autofree char *reason = failure_text (result);

        status->message = reason ? dly_backend_redact (self, reason) : NULL;
        break;
      }
    case DLY_REMOTE_STATE_QUEUED:
    case DLY_REMOTE_STATE_CANCELLED:
    case DLY_REMOTE_STATE_EXPIRED:
    default:
      break;
    }

  status->detail_json = g_steal_pointer (&text);
  return g_steal_pointer (&status);
}

/* FastAPI serves its OpenAPI description unless the app turned it off: it proves the server
 * is there and says whether it is this dialect, without creating any work. */
static SoupMessage *
dly_backend_ltxv_task_build_check (DlyBackend *self)
{
  return dly_backend_new_message (self, SOUP_METHOD_GET, "/openapi.json");
}

static char *
dly_backend_ltxv_task_parse_check (DlyBackend  *self,
                                   SoupMessage *message,
                                   GBytes      *body,
                                   GError     **error)
{
  const char *label = dly_backend_get_label (self);
  guint code = soup_message_get_status (message);
  g_autoptr(JsonObject) object = NULL;
  JsonNode *paths_node;
  JsonNode *info_node;
  JsonObject *paths;
  const char *title = NULL;
  const char *version = NULL;
  g_autofree char *what = NULL;

  if (code == SOUP_STATUS_UNAUTHORIZED || code == SOUP_STATUS_FORBIDDEN || code >= 500)
    {
      dly_selfhosted_set_http_error (self, message, body, error);
      return NULL;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (code))
    return g_strdup_printf (_("Reachable (HTTP %u for /openapi.json, so the API could not be "
                              "confirmed)"),
                            code);

  object = dly_backend_parse_json_object (body, NULL);
  paths_node = object ? json_object_get_member (object, "paths") : NULL;
  if (paths_node == NULL || !JSON_NODE_HOLDS_OBJECT (paths_node))
    return g_strdup_printf (_("Reachable (HTTP %u), but /openapi.json is not an OpenAPI "
                              "description, so the API could not be confirmed"),
                            code);

  info_node = json_object_get_member (object, "info");
  if (info_node != NULL && JSON_NODE_HOLDS_OBJECT (info_node))
    {
      title = dly_selfhosted_get_string (json_node_get_object (info_node), "title");
      version = dly_selfhosted_get_string (json_node_get_object (info_node), "version");
    }
  paths = json_node_get_object (paths_node);
  if (!json_object_has_member (paths, "/generate"))
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("The server at %s (“%s”) has no /generate endpoint: it is not an %s. "
                     "Check the URL and the dialect"),
                   dly_backend_get_base_url (self), title ? title : "?", label);
      return NULL;
    }
  what = version ? g_strdup_printf ("“%s” %s", title ? title : "FastAPI", version)
                 : g_strdup_printf ("“%s”", title ? title : "FastAPI");
  if (json_object_has_member (paths, "/status/{task_id}"))
    return g_strdup_printf (_("%s found: %s with /generate and /status/{task_id}"), label, what);
  return g_strdup_printf (_("%s found: %s with /generate"), label, what);
}

static void
dly_backend_ltxv_task_class_init (DlyBackendLtxvTaskClass *klass)
{
  DlyBackendClass *backend_class = DLY_BACKEND_CLASS (klass);
  GParamSpec *pspec;

  backend_class->dialect = "ltxv-task";
  backend_class->label = _("LTX-Video task server");
  backend_class->description = _("A self-hosted FastAPI and Celery server running LTX-Video, "
                                 "with jobs at /generate and /status");
  backend_class->modes = DLY_MODE_FLAG_TEXT_TO_VIDEO | DLY_MODE_FLAG_IMAGE_TO_VIDEO;
  backend_class->image_inputs = DLY_INPUT_FILE;
  backend_class->audio_inputs = DLY_INPUT_NONE;
  backend_class->uses_negative_prompt = TRUE;
  backend_class->needs_api_key = FALSE;
  backend_class->max_loras = 0;
  /* Celery can revoke a task, but the document gives no HTTP request for it. */
  backend_class->remote_cancel = FALSE;
  backend_class->inline_result = FALSE;

  backend_class->build_submit = dly_backend_ltxv_task_build_submit;
  backend_class->parse_submit = dly_backend_ltxv_task_parse_submit;
  backend_class->build_poll = dly_backend_ltxv_task_build_poll;
  backend_class->parse_poll = dly_backend_ltxv_task_parse_poll;
  backend_class->build_check = dly_backend_ltxv_task_build_check;
  backend_class->parse_check = dly_backend_ltxv_task_parse_check;

  /* The document's defaults, 1280×720 and 120 frames, are not sizes LTX-Video works in
   * (multiples of 32, 8k+1 frames): the model pads up to the next valid size and crops back
   * (backend-notes §1, §8). So the server takes any size, and rejecting its own defaults
   * would be wrong: no multiple or 8k+1 rule here, only ranges that a single-GPU server can
   * plausibly render, with the LTX rule in the tooltip. */
  pspec = dly_param_int ("width", _("Width"),
                         _("Video width. LTX-Video works in multiples of 32; the server pads "
                           "other widths up to the next one. 1280×720 or less works best"),
                         64, 2048, 1280);
  dly_param_set_unit (pspec, "px");
  dly_backend_class_install_param (backend_class, pspec);

  pspec = dly_param_int ("height", _("Height"),
                         _("Video height. LTX-Video works in multiples of 32; the server pads "
                           "other heights up to the next one (720 becomes 736)"),
                         64, 2048, 720);
  dly_param_set_unit (pspec, "px");
  dly_backend_class_install_param (backend_class, pspec);

  /* LTX-Video's quality falls off past 257 frames; 513 leaves room for newer checkpoints. */
  pspec = dly_param_int ("num_frames", _("Frames"),
                         _("Number of frames. LTX-Video makes 8k+1 frames (97, 121, 161, 257); "
                           "the server pads other counts up to the next one. Best below 257"),
                         9, 513, 120);
  dly_param_set_unit (pspec, _("frames"));
  dly_backend_class_install_param (backend_class, pspec);

  /* numpy seeds must fit in 32 bits, and LTX-Video seeds numpy with it. */
  pspec = dly_param_int ("seed", _("Seed"),
                         _("The same seed, prompt and settings give the same take"),
                         0, G_MAXUINT32, 42);
  dly_backend_class_install_param (backend_class, pspec);
}

static void
dly_backend_ltxv_task_init (DlyBackendLtxvTask *self)
{
}
