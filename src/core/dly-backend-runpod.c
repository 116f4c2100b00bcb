/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "runpod" dialect: the LTX-2 worker on a RunPod serverless endpoint
 * (seeds/runpod-ltx2-worker.md, RunPod's queue API in backend-notes.md §2). The base URL is
 * https://api.runpod.ai/v2/ENDPOINT_ID; POST /run, GET /status/{id}, POST /cancel/{id},
 * GET /health. /runsync is never used: RunPod caps it at 300 s, far below generation time,
 * and keeps its result for one minute only.
 *
 * The worker has two modes, chosen from the inputs: lip-sync (image + audio) and audio
 * generation (image + duration). It nests its own verdict in the job's output:
 * {"status":"COMPLETED","output":{"status":"success","output":{"video_url":...}}}; a
 * COMPLETED job whose output.status is anything else failed. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dly-backend-runpod.h"
#include "dly-error.h"

#define SUBMIT_TIMEOUT_SECONDS 60
#define MAX_SEED G_GINT64_CONSTANT (9007199254740991)

struct _DlyBackendRunpod
{
  DlyBackend parent_instance;
};

G_DEFINE_FINAL_TYPE (DlyBackendRunpod, dly_backend_runpod, DLY_TYPE_BACKEND)

static const char * const quality_presets[] = { "fast", "high", "ultra", NULL };

/* JSON helpers */

static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  return object ? json_object_get_member (object, name) : NULL;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
get_number (JsonObject *object,
            const char *name,
            double     *number)
{
  JsonNode *node = get_member (object, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *number = json_node_get_double (node);
  return TRUE;
}

static char *
node_to_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
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

/* RunPod's errors are {"error": "..."}; gateways may say {"message": ...} or plain text. */
static char *
error_words (GBytes *body)
{
  g_autoptr(JsonObject) object = dly_backend_parse_json_object (body, NULL);
  const char *names[] = { "error", "message", "detail", NULL };

  for (guint i = 0; object != NULL && names[i] != NULL; i++)
    {
      char *text = node_to_text (get_member (object, names[i]));

      if (text != NULL && *text != '\0')
        return text;
      g_free (text);
    }
  return NULL;
}

static void
set_http_error (DlyBackend  *self,
                SoupMessage *message,
                GBytes      *body,
                GError     **error)
{
  g_autofree char *words = error_words (body);

  dly_backend_set_http_error (self, message, body, words, error);
}

/* Job objects */

/* What a progress_update() call put in `output` while the job runs: a fraction, a
 * percentage, a note, or an object holding those. */
static void
read_progress (DlyBackend      *self,
               JsonNode        *output,
               DlyRemoteStatus *status)
{
  double number;

  if (output == NULL || JSON_NODE_HOLDS_NULL (output))
    return;
  if (JSON_NODE_HOLDS_VALUE (output))
    {
      GType type = json_node_get_value_type (output);

      if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
        {
          number = json_node_get_double (output);
          status->progress = number <= 1.0 ? CLAMP (number, 0, 1) : CLAMP (number / 100, 0, 1);
        }
      else if (type == G_TYPE_STRING)
        status->message = dly_backend_redact (self, json_node_get_string (output));
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (output))
    {
      JsonObject *object = json_node_get_object (output);
      const char *note = get_string (object, "message");

      if (get_number (object, "progress", &number) || get_number (object, "percent", &number)
          || get_number (object, "percentage", &number))
        status->progress = number <= 1.0 ? CLAMP (number, 0, 1) : CLAMP (number / 100, 0, 1);
      if (note == NULL)
        note = get_string (object, "stage");
      if (note != NULL)
        status->message = dly_backend_redact (self, note);
    }
}

/* "1280x736, 8.2s, seed 1769452070347": what the worker says of the take, for the job list. */
static char *
describe_take (JsonObject *result)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *resolution = get_string (result, "resolution");
  const char *duration = get_string (result, "duration");
  JsonNode *seed = get_member (result, "seed");

  if (resolution != NULL)
    g_string_append (text, resolution);
  if (duration != NULL)
    g_string_append_printf (text, "%s%s", text->len ? ", " : "", duration);
  if (seed != NULL && JSON_NODE_HOLDS_VALUE (seed) && json_node_get_value_type (seed) == G_TYPE_INT64)
    g_string_append_printf (text, _("%sseed %" G_GINT64_FORMAT), text->len ? ", " : "",
                            json_node_get_int (seed));
  if (text->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
is_success_word (const char *word)
{
  return g_ascii_strcasecmp (word, "success") == 0 || g_ascii_strcasecmp (word, "succeeded") == 0
         || g_ascii_strcasecmp (word, "completed") == 0 || g_ascii_strcasecmp (word, "ok") == 0;
}

/* A COMPLETED job: RunPod finished running the handler, which is not the same as the worker
 * having made a video. */
static void
read_completed (DlyBackend      *self,
                JsonObject      *job,
                DlyRemoteStatus *status)
{
  const char *label = dly_backend_get_label (self);
  JsonNode *output_node = get_member (job, "output");
  JsonObject *output = output_node && JSON_NODE_HOLDS_OBJECT (output_node)
                       ? json_node_get_object (output_node) : NULL;
  const char *word = get_string (output, "status");
  JsonObject *result = get_object (output, "output");
  const char *url = get_string (result, "video_url");
  g_autofree char *reason = NULL;

  /* A worker that returns the result without the nesting is read the same way. */
  if (url == NULL && word == NULL)
    {
      url = get_string (output, "video_url");
      result = output;
    }

  if (url != NULL && (word == NULL || is_success_word (word)) && dly_request_location_is_url (url))
    {
      status->state = DLY_REMOTE_STATE_SUCCEEDED;
      status->progress = 1.0;
      status->result_uri = g_strdup (url);
      status->message = describe_take (result);
      return;
    }

  status->state = DLY_REMOTE_STATE_FAILED;
  if (output == NULL)
    {
      g_autofree char *text = node_to_text (output_node);
      g_autofree char *top = node_to_text (get_member (job, "error"));

      if (top != NULL)
        reason = g_strdup (top);
      else if (text != NULL)
        reason = g_strdup_printf (_("%s finished the job but the worker returned “%s” instead of a "
                                    "video"), label, text);
      else
        reason = g_strdup_printf (_("%s finished the job but the worker returned nothing"), label);
    }
  else if (word != NULL && is_success_word (word))
    reason = g_strdup_printf (_("The worker reported success but gave no video_url (when its "
                                "storage upload fails it returns the video inline, which Dailies "
                                "cannot take): %s"),
                              url ? url : "");
  else
    {
      const char *names[] = { "error", "message", "detail", NULL };

      for (guint i = 0; reason == NULL && names[i] != NULL; i++)
        {
          reason = node_to_text (get_member (output, names[i]));
          if (reason == NULL)
            reason = node_to_text (get_member (result, names[i]));
        }
      if (reason == NULL)
        reason = node_to_text (get_member (job, "error"));
      if (reason == NULL)
        reason = g_strdup_printf (_("The worker reported “%s” without saying why"),
                                  word ? word : "");
    }
  status->message = dly_backend_redact (self, reason);
}

static DlyRemoteStatus *
parse_job (DlyBackend *self,
           JsonObject *job,
           gboolean    submitted,
           GError    **error)
{
  const char *label = dly_backend_get_label (self);
  const char *word = get_string (job, "status");
  g_autoptr(DlyRemoteStatus) status = dly_remote_status_new (DLY_REMOTE_STATE_QUEUED);

  if (word == NULL)
    {
      /* The submit's answer matters for its id; the first poll says the rest. */
      if (!submitted)
        {
          g_autofree char *text = object_to_text (job);

          g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                       _("%s answered without a job status: “%s”"), label, text);
          return NULL;
        }
    }
  else if (g_ascii_strcasecmp (word, "IN_QUEUE") == 0)
    status->state = DLY_REMOTE_STATE_QUEUED;
  else if (g_ascii_strcasecmp (word, "IN_PROGRESS") == 0 || g_ascii_strcasecmp (word, "RUNNING") == 0)
    {
      /* An output while in progress is the worker's progress report, never the result. */
      status->state = DLY_REMOTE_STATE_RUNNING;
      read_progress (self, get_member (job, "output"), status);
    }
  else if (g_ascii_strcasecmp (word, "COMPLETED") == 0)
    read_completed (self, job, status);
  else if (g_ascii_strcasecmp (word, "FAILED") == 0)
    {
      g_autofree char *reason = node_to_text (get_member (job, "error"));

      status->state = DLY_REMOTE_STATE_FAILED;
      status->message = dly_backend_redact (self, reason);
      if (status->message == NULL)
        status->message = g_strdup_printf (_("%s reported the job failed without saying why"),
                                           label);
    }
  else if (g_ascii_strcasecmp (word, "TIMED_OUT") == 0)
    {
      g_autofree char *reason = node_to_text (get_member (job, "error"));
      g_autofree char *text = dly_backend_redact (self, reason);

      status->state = DLY_REMOTE_STATE_FAILED;
      if (text != NULL)
        status->message = g_strdup_printf (_("%s timed the job out: %s"), label, text);
      else
        status->message = g_strdup_printf (_("%s timed the job out: it waited in the queue longer "
                                             "than its time to live, or its worker stopped "
                                             "reporting"),
                                           label);
    }
  else if (g_ascii_strcasecmp (word, "CANCELLED") == 0 || g_ascii_strcasecmp (word, "CANCELED") == 0)
    status->state = DLY_REMOTE_STATE_CANCELLED;
  else
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("%s reported the job status “%s”, which its API does not describe"),
                   label, word);
      return NULL;
    }

  status->remote_id = g_strdup (get_string (job, "id"));
  status->detail_json = object_to_text (job);
  return g_steal_pointer (&status);
}

/* Vfuncs */

static gboolean
dly_backend_runpod_choose_mode (DlyBackend *self,
                                DlyRequest *request,
                                DlyMode    *mode,
                                GError    **error)
{
  gboolean has_image = dly_request_get_image (request) != NULL;
  gboolean has_audio = dly_request_get_audio (request) != NULL;

  if (!has_image)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   has_audio
                   ? _("The RunPod LTX-2 worker lip-syncs a portrait to the audio: give a portrait "
                       "image URL as well")
                   : _("The RunPod LTX-2 worker animates a portrait image: give an image URL, "
                       "with an audio URL for lip-sync or alone to generate the audio too"));
      return FALSE;
    }
  *mode = has_audio ? DLY_MODE_LIP_SYNC : DLY_MODE_AUDIO_GENERATION;
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static SoupMessage *
dly_backend_runpod_build_submit (DlyBackend *self,
                                 DlyRequest *request,
                                 DlyMode     mode,
                                 GError    **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) message = NULL;
  const char *prompt = dly_request_get_prompt (request);
  const char *negative = dly_request_get_negative_prompt (request);
  GParamSpec **params;
  guint n_params = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "input");
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "image_url");
  json_builder_add_string_value (builder, dly_request_get_image (request));
  if (mode == DLY_MODE_LIP_SYNC)
    {
      json_builder_set_member_name (builder, "audio_url");
      json_builder_add_string_value (builder, dly_request_get_audio (request));
    }
  /* Without a prompt the worker uses its own ("A person speaks naturally..."). */
  if (!is_blank (prompt))
    {
      json_builder_set_member_name (builder, "prompt_positive");
      json_builder_add_string_value (builder, prompt);
    }
  /* Only audio generation documents a negative prompt (and it does little at CFG 1). */
  if (mode == DLY_MODE_AUDIO_GENERATION && !is_blank (negative))
    {
      json_builder_set_member_name (builder, "prompt_negative");
      json_builder_add_string_value (builder, negative);
    }

  /* Parameters carry the worker's own names. Unset optional ones are left out, so that the
   * quality preset decides the LoRA strengths it documents. */
  params = dly_backend_list_params (self, &n_params);
  for (guint i = 0; i < n_params; i++)
    {
      const char *name = g_param_spec_get_name (params[i]);
      g_auto(GValue) value = G_VALUE_INIT;

      if (!(dly_param_get_modes (params[i]) & DLY_MODE_TO_FLAG (mode))
          || !dly_backend_get_param_value (self, request, name, &value))
        continue;
      json_builder_set_member_name (builder, name);
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
  json_builder_end_object (builder);

  message = dly_backend_new_message (self, SOUP_METHOD_POST, "/run");
  if (message == NULL)
    return NULL;
  root = json_builder_get_root (builder);
  dly_backend_set_json_body (message, root);
  return g_steal_pointer (&message);
}

static DlyRemoteStatus *
dly_backend_runpod_parse_submit (DlyBackend  *self,
                                 SoupMessage *message,
                                 GBytes      *body,
                                 GError     **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      set_http_error (self, message, body, error);
      return NULL;
    }

  object = dly_backend_parse_json_object (body, NULL);
  if (object != NULL)
    status = parse_job (self, object, TRUE, NULL);
  if (status == NULL || status->remote_id == NULL || *status->remote_id == '\0')
    {
      /* A 2xx answer without an id: the job may exist and run (and be billed) all the same. */
      g_autofree char *start = body_start (body);

      g_set_error (error, DLY_ERROR, DLY_ERROR_UNKNOWN_SUBMISSION,
                   _("%s accepted the submission but its answer has no job id (“%s”). The job "
                     "may have been created; check the endpoint before submitting it again"),
                   dly_backend_get_label (self), start);
      return NULL;
    }
  return g_steal_pointer (&status);
}

static char *
job_path (const char *operation,
          const char *remote_id)
{
  g_autofree char *escaped = g_uri_escape_string (remote_id, NULL, TRUE);

  return g_strconcat ("/", operation, "/", escaped, NULL);
}

static SoupMessage *
dly_backend_runpod_build_poll (DlyBackend *self,
                               const char *remote_id)
{
  g_autofree char *path = job_path ("status", remote_id);

  return dly_backend_new_message (self, SOUP_METHOD_GET, path);
}

static DlyRemoteStatus *
dly_backend_runpod_parse_poll (DlyBackend  *self,
                               const char  *remote_id,
                               SoupMessage *message,
                               GBytes      *body,
                               GError     **error)
{
  g_autoptr(JsonObject) object = NULL;
  guint http_status = soup_message_get_status (message);

  if (http_status == SOUP_STATUS_NOT_FOUND)
    {
      g_autofree char *words = error_words (body);
      g_autofree char *text = words ? dly_backend_redact (self, words) : NULL;

      g_set_error (error, DLY_ERROR, DLY_ERROR_NOT_FOUND,
                   _("%s no longer knows the job %s (HTTP 404%s%s). It keeps a finished job "
                     "for 30 minutes only, and drops jobs whose time to live ran out"),
                   dly_backend_get_label (self), remote_id, text ? ": " : "", text ? text : "");
      return NULL;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (http_status))
    {
      set_http_error (self, message, body, error);
      return NULL;
    }

  object = dly_backend_parse_json_object (body, error);
  if (object == NULL)
    return NULL;
  return parse_job (self, object, FALSE, error);
}

static SoupMessage *
dly_backend_runpod_build_cancel (DlyBackend *self,
                                 const char *remote_id)
{
  g_autofree char *path = job_path ("cancel", remote_id);

  return dly_backend_new_message (self, SOUP_METHOD_POST, path);
}

/* /health costs nothing, needs the key, and says whether any worker is there to run a job. */
static SoupMessage *
dly_backend_runpod_build_check (DlyBackend *self)
{
  return dly_backend_new_message (self, SOUP_METHOD_GET, "/health");
}

static gint64
count (JsonObject *object,
       const char *name)
{
  double number = 0;

  return get_number (object, name, &number) ? (gint64) number : 0;
}

static char *
dly_backend_runpod_parse_check (DlyBackend  *self,
                                SoupMessage *message,
                                GBytes      *body,
                                GError     **error)
{
  g_autoptr(JsonObject) object = NULL;
  JsonObject *jobs, *workers;

  if (soup_message_get_status (message) == SOUP_STATUS_NOT_FOUND)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_NOT_FOUND,
                   _("%s has no endpoint at %s (HTTP 404); the URL should be "
                     "https://api.runpod.ai/v2/ENDPOINT_ID"),
                   dly_backend_get_label (self), dly_backend_get_base_url (self));
      return NULL;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      set_http_error (self, message, body, error);
      return NULL;
    }
  object = dly_backend_parse_json_object (body, error);
  if (object == NULL)
    return NULL;

  jobs = get_object (object, "jobs");
  workers = get_object (object, "workers");
  return g_strdup_printf (_("Reachable; the API key was accepted. Workers: %" G_GINT64_FORMAT
                            " idle, %" G_GINT64_FORMAT " running. Jobs: %" G_GINT64_FORMAT
                            " in queue, %" G_GINT64_FORMAT " in progress"),
                          count (workers, "idle"), count (workers, "running"),
                          count (jobs, "inQueue"), count (jobs, "inProgress"));
}

static void
dly_backend_runpod_apply_auth (DlyBackend  *self,
                               SoupMessage *message,
                               const char  *api_key)
{
  g_autofree char *value = g_strconcat ("Bearer ", api_key, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", value);
}

static void
install_optional (DlyBackendClass *klass,
                  GParamSpec      *pspec,
                  const char      *unit)
{
  dly_param_set_optional (pspec);
  if (unit != NULL)
    dly_param_set_unit (pspec, unit);
  dly_backend_class_install_param (klass, pspec);
}

static void
dly_backend_runpod_class_init (DlyBackendRunpodClass *klass)
{
  DlyBackendClass *backend_class = DLY_BACKEND_CLASS (klass);
  GParamSpec *pspec;

  backend_class->dialect = "runpod";
  backend_class->url_template = "https://api.runpod.ai/v2/ENDPOINT_ID";
  backend_class->url_placeholder = "ENDPOINT_ID";
  backend_class->label = "RunPod";
  backend_class->description = _("The LTX-2 worker on a RunPod serverless endpoint: lip-sync a "
                                 "portrait to audio, or animate it and generate the audio; needs "
                                 "a RunPod API key");
  backend_class->modes = DLY_MODE_FLAG_LIP_SYNC | DLY_MODE_FLAG_AUDIO_GENERATION;
  backend_class->image_inputs = DLY_INPUT_URL;
  backend_class->audio_inputs = DLY_INPUT_URL;
  backend_class->uses_negative_prompt = TRUE;
  backend_class->needs_api_key = TRUE;
  backend_class->max_loras = 0;
  backend_class->remote_cancel = TRUE;
  backend_class->inline_result = FALSE;
  backend_class->submit_timeout = SUBMIT_TIMEOUT_SECONDS;

  backend_class->choose_mode = dly_backend_runpod_choose_mode;
  backend_class->build_submit = dly_backend_runpod_build_submit;
  backend_class->parse_submit = dly_backend_runpod_parse_submit;
  backend_class->build_poll = dly_backend_runpod_build_poll;
  backend_class->parse_poll = dly_backend_runpod_parse_poll;
  backend_class->build_cancel = dly_backend_runpod_build_cancel;
  backend_class->build_check = dly_backend_runpod_build_check;
  backend_class->parse_check = dly_backend_runpod_parse_check;
  backend_class->apply_auth = dly_backend_runpod_apply_auth;

  dly_backend_class_install_param (backend_class,
    dly_param_choice ("quality_preset", _("Quality"),
                      _("fast for iteration (8 steps, light detail), high for production, ultra "
                        "for the most detail (12 steps, slower)"),
                      quality_presets, "high"));

  /* The worker requires it in audio generation and has no default of its own, so it is
   * always sent there, with the document's example length unless the user sets one; lip-sync
   * takes the audio's length. */
  pspec = dly_param_double ("duration", _("Duration"),
                            _("Length of the generated video and audio (audio generation only; "
                              "lip-sync follows the audio)"),
                            1, 30, 5);
  dly_param_set_modes (pspec, DLY_MODE_FLAG_AUDIO_GENERATION);
  dly_param_set_unit (pspec, "s");
  dly_backend_class_install_param (backend_class, pspec);

  /* LTX-2 needs multiples of 32; the worker's own default is 1280×736. */
  pspec = dly_param_int ("width", _("Width"), _("Output width"), 256, 2048, 1280);
  dly_param_set_multiple_of (pspec, 32);
  install_optional (backend_class, pspec, "px");
  pspec = dly_param_int ("height", _("Height"), _("Output height"), 256, 2048, 736);
  dly_param_set_multiple_of (pspec, 32);
  install_optional (backend_class, pspec, "px");

  install_optional (backend_class,
                    dly_param_int ("seed", _("Seed"),
                                   _("The same seed and inputs give the same take; unset for a "
                                     "random one"),
                                   0, MAX_SEED, 0),
                    NULL);
  install_optional (backend_class,
                    dly_param_double ("lora_camera", _("Camera push-in"),
                                      _("Strength of the slow dolly-in camera LoRA; 0 disables it"),
                                      0, 1, 0.3),
                    NULL);
  install_optional (backend_class,
                    dly_param_double ("lora_distilled", _("Distilled LoRA"),
                                      _("Inference acceleration; lower is faster. Unset: the "
                                        "quality preset decides"),
                                      0.4, 0.8, 0.6),
                    NULL);
  install_optional (backend_class,
                    dly_param_double ("lora_detailer", _("Detailer LoRA"),
                                      _("Detail enhancement; higher is more detail. Unset: the "
                                        "quality preset decides"),
                                      0.5, 1.0, 1.0),
                    NULL);
  install_optional (backend_class,
                    dly_param_int ("img_compression", _("First-frame compression"),
                                   _("Lower keeps the portrait sharper but may freeze the first "
                                     "frames"),
                                   0, 50, 23),
                    NULL);
  install_optional (backend_class,
                    dly_param_double ("img_strength", _("First-frame strength"),
                                      _("How strongly the portrait is injected as the first frame; "
                                        "lower gives the animation more freedom"),
                                      0, 1, 1.0),
                    NULL);
}

static void
dly_backend_runpod_init (DlyBackendRunpod *self)
{
}
