/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dly-backend.h"
#include "dly-error.h"

/* Status and submit answers are small JSON; anything bigger is not what the dialect says. */
#define MAX_SMALL_BODY (4 * 1024 * 1024)
#define POLL_TIMEOUT_SECONDS 30
#define DEFAULT_SUBMIT_TIMEOUT_SECONDS 120

typedef struct
{
  char *base_url;
  GUri *base_uri;
  char *api_key;   /* owned; never logged, never readable as a property */
} DlyBackendPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (DlyBackend, dly_backend, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_API_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GQuark dly_backend_params_quark (void);
GQuark dly_backend_auth_headers_quark (void);

G_DEFINE_QUARK (dly-backend-params, dly_backend_params)
G_DEFINE_QUARK (dly-backend-auth-headers, dly_backend_auth_headers)

static void
dly_backend_finalize (GObject *object)
{
  DlyBackend *self = DLY_BACKEND (object);
  DlyBackendPrivate *priv = dly_backend_get_instance_private (self);

  g_free (priv->base_url);
  g_clear_pointer (&priv->base_uri, g_uri_unref);
  if (priv->api_key != NULL)
    memset (priv->api_key, 0, strlen (priv->api_key));
  g_free (priv->api_key);

  G_OBJECT_CLASS (dly_backend_parent_class)->finalize (object);
}

static void
dly_backend_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DlyBackend *self = DLY_BACKEND (object);
  DlyBackendPrivate *priv = dly_backend_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, priv->base_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_base_url (DlyBackend *self,
              const char *base_url)
{
  DlyBackendPrivate *priv = dly_backend_get_instance_private (self);
  g_autofree char *trimmed = g_strdup (base_url ? base_url : "");
  gsize len;

  /* "http://host:8000/" and "http://host:8000" are the same backend. */
  g_strstrip (trimmed);
  len = strlen (trimmed);
  while (len > 0 && trimmed[len - 1] == '/')
    trimmed[--len] = '\0';

  g_free (priv->base_url);
  priv->base_url = g_steal_pointer (&trimmed);
  g_clear_pointer (&priv->base_uri, g_uri_unref);
  priv->base_uri = g_uri_parse (priv->base_url, G_URI_FLAGS_ENCODED, NULL);
}

static void
dly_backend_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DlyBackend *self = DLY_BACKEND (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      set_base_url (self, g_value_get_string (value));
      break;
    case PROP_API_KEY:
      dly_backend_set_api_key (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
dly_backend_real_choose_mode (DlyBackend *self,
                              DlyRequest *request,
                              DlyMode    *mode,
                              GError    **error)
{
  DlyModeFlags modes = dly_backend_get_modes (self);
  gboolean has_image = dly_request_get_image (request) != NULL;
  gboolean has_audio = dly_request_get_audio (request) != NULL;
  DlyMode wanted;

  if (has_image && has_audio)
    wanted = DLY_MODE_LIP_SYNC;
  else if (has_audio)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("An audio input needs an image too (lip-sync animates a portrait to the audio)"));
      return FALSE;
    }
  else if (has_image)
    wanted = (modes & DLY_MODE_FLAG_IMAGE_TO_VIDEO) ? DLY_MODE_IMAGE_TO_VIDEO
                                                     : DLY_MODE_AUDIO_GENERATION;
  else
    wanted = DLY_MODE_TEXT_TO_VIDEO;

  if (!(modes & DLY_MODE_TO_FLAG (wanted)))
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("%s does not do %s; remove or add inputs to choose another mode"),
                   dly_backend_get_label (self), dly_mode_get_label (wanted));
      return FALSE;
    }
  *mode = wanted;
  return TRUE;
}

static SoupMessage *
dly_backend_real_build_result (DlyBackend            *self,
                               const DlyRemoteStatus *status,
                               GError               **error)
{
  if (status->result_uri == NULL)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("%s said the job succeeded but gave no video location"),
                   dly_backend_get_label (self));
      return NULL;
    }
  return dly_backend_new_message (self, SOUP_METHOD_GET, status->result_uri);
}

static SoupMessage *
dly_backend_real_build_check (DlyBackend *self)
{
  return dly_backend_new_message (self, SOUP_METHOD_GET, "/");
}

static char *
dly_backend_real_parse_check (DlyBackend  *self,
                              SoupMessage *message,
                              GBytes      *body,
                              GError     **error)
{
  guint status = soup_message_get_status (message);

  /* Any HTTP answer but an auth failure proves the server is there. */
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      dly_backend_set_http_error (self, message, body, NULL, error);
      return NULL;
    }
  return g_strdup_printf (_("Reachable (HTTP %u)"), status);
}

static void
dly_backend_class_init (DlyBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dly_backend_finalize;
  object_class->get_property = dly_backend_get_property;
  object_class->set_property = dly_backend_set_property;

  klass->choose_mode = dly_backend_real_choose_mode;
  klass->build_result = dly_backend_real_build_result;
  klass->build_check = dly_backend_real_build_check;
  klass->parse_check = dly_backend_real_parse_check;
  klass->uses_negative_prompt = TRUE;
  klass->image_inputs = DLY_INPUT_FILE;
  klass->submit_timeout = DEFAULT_SUBMIT_TIMEOUT_SECONDS;
  /* A self-hosted server lives wherever its owner put it. */
  klass->url_template = "http://HOST:PORT";
  klass->url_placeholder = "HOST:PORT";

  /** DlyBackend:base-url: the backend's root URL, without a trailing slash. */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /** DlyBackend:api-key: the key sent to the backend's own host; write-only. */
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dly_backend_init (DlyBackend *self)
{
}

void
dly_backend_class_install_param (DlyBackendClass *klass,
                                 GParamSpec      *pspec)
{
  GType type = G_TYPE_FROM_CLASS (klass);
  GPtrArray *params = g_type_get_qdata (type, dly_backend_params_quark ());

  if (params == NULL)
    {
      params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_param_spec_unref);
      g_type_set_qdata (type, dly_backend_params_quark (), params);
    }
  g_ptr_array_add (params, pspec);
}

/* Accessors */

const char *
dly_backend_get_dialect (DlyBackend *self)
{
  g_return_val_if_fail (DLY_IS_BACKEND (self), NULL);
  return DLY_BACKEND_GET_CLASS (self)->dialect;
}

const char *
dly_backend_get_label (DlyBackend *self)
{
  g_return_val_if_fail (DLY_IS_BACKEND (self), NULL);
  return DLY_BACKEND_GET_CLASS (self)->label;
}

const char *
dly_backend_get_base_url (DlyBackend *self)
{
  DlyBackendPrivate *priv = dly_backend_get_instance_private (self);

  g_return_val_if_fail (DLY_IS_BACKEND (self), NULL);
  return priv->base_url;
}

GUri *
dly_backend_get_base_uri (DlyBackend *self)
{
  DlyBackendPrivate *priv = dly_backend_get_instance_private (self);

  g_return_val_if_fail (DLY_IS_BACKEND (self), NULL);
  return priv->base_uri;
}

void
dly_backend_set_api_key (DlyBackend *self,
                         const char *api_key)
{
  DlyBackendPrivate *priv = dly_backend_get_instance_private (self);

  g_return_if_fail (DLY_IS_BACKEND (self));
  if (priv->api_key != NULL)
    memset (priv->api_key, 0, strlen (priv->api_key));
  g_free (priv->api_key);
  priv->api_key = (api_key != NULL && *api_key != '\0') ? g_strdup (api_key) : NULL;
}

gboolean
dly_backend_has_api_key (DlyBackend *self)
{
  DlyBackendPrivate *priv = dly_backend_get_instance_private (self);

  g_return_val_if_fail (DLY_IS_BACKEND (self), FALSE);
  return priv->api_key != NULL;
}

DlyModeFlags
dly_backend_get_modes (DlyBackend *self)
{
  g_return_val_if_fail (DLY_IS_BACKEND (self), 0);
  return DLY_BACKEND_GET_CLASS (self)->modes;
}

DlyInputKinds
dly_backend_get_image_inputs (DlyBackend *self)
{
  g_return_val_if_fail (DLY_IS_BACKEND (self), 0);
  return DLY_BACKEND_GET_CLASS (self)->image_inputs;
}

DlyInputKinds
dly_backend_get_audio_inputs (DlyBackend *self)
{
  g_return_val_if_fail (DLY_IS_BACKEND (self), 0);
  return DLY_BACKEND_GET_CLASS (self)->audio_inputs;
}

gboolean
dly_backend_uses_negative_prompt (DlyBackend *self)
{
  g_return_val_if_fail (DLY_IS_BACKEND (self), FALSE);
  return DLY_BACKEND_GET_CLASS (self)->uses_negative_prompt;
}

guint
dly_backend_get_max_loras (DlyBackend *self)
{
  g_return_val_if_fail (DLY_IS_BACKEND (self), 0);
  return DLY_BACKEND_GET_CLASS (self)->max_loras;
}

gboolean
dly_backend_has_remote_cancel (DlyBackend *self)
{
  g_return_val_if_fail (DLY_IS_BACKEND (self), FALSE);
  return DLY_BACKEND_GET_CLASS (self)->remote_cancel;
}

guint
dly_backend_get_submit_timeout (DlyBackend *self)
{
  g_return_val_if_fail (DLY_IS_BACKEND (self), 0);
  return DLY_BACKEND_GET_CLASS (self)->submit_timeout;
}

/* Parameters */

GParamSpec **
dly_backend_list_params (DlyBackend *self,
                         guint      *n_params)
{
  GPtrArray *params;

  g_return_val_if_fail (DLY_IS_BACKEND (self), NULL);

  params = g_type_get_qdata (G_OBJECT_TYPE (self), dly_backend_params_quark ());
  if (params == NULL)
    {
      *n_params = 0;
      return NULL;
    }
  *n_params = params->len;
  return (GParamSpec **) params->pdata;
}

GParamSpec *
dly_backend_find_param (DlyBackend *self,
                        const char *name)
{
  guint n = 0;
  GParamSpec **params = dly_backend_list_params (self, &n);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (g_param_spec_get_name (params[i]), name) == 0)
      return params[i];
  return NULL;
}

gboolean
dly_backend_get_param_value (DlyBackend *self,
                             DlyRequest *request,
                             const char *name,
                             GValue     *value)
{
  GParamSpec *pspec = dly_backend_find_param (self, name);
  const GValue *set;

  g_return_val_if_fail (pspec != NULL, FALSE);

  set = dly_request_get_param (request, name);
  if (set != NULL && dly_param_validate (pspec, set, value, NULL))
    return TRUE;
  if (dly_param_is_optional (pspec))
    return FALSE;
  g_value_init (value, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_param_value_set_default (pspec, value);
  return TRUE;
}

gint64
dly_backend_get_param_int (DlyBackend *self,
                           DlyRequest *request,
                           const char *name)
{
  g_auto(GValue) value = G_VALUE_INIT;

  if (!dly_backend_get_param_value (self, request, name, &value))
    return 0;
  return g_value_get_int64 (&value);
}

double
dly_backend_get_param_double (DlyBackend *self,
                              DlyRequest *request,
                              const char *name)
{
  g_auto(GValue) value = G_VALUE_INIT;

  if (!dly_backend_get_param_value (self, request, name, &value))
    return 0;
  return g_value_get_double (&value);
}

const char *
dly_backend_get_param_string (DlyBackend *self,
                              DlyRequest *request,
                              const char *name)
{
  g_auto(GValue) value = G_VALUE_INIT;
  const char *result;

  if (!dly_backend_get_param_value (self, request, name, &value))
    return NULL;
  /* Strings live either in the request or in the pspec's default: both outlive the call. */
  result = g_value_get_string (&value);
  if (result == NULL)
    return NULL;
  {
    const GValue *set = dly_request_get_param (request, name);

    if (set != NULL && G_VALUE_HOLDS_STRING (set) && g_strcmp0 (g_value_get_string (set), result) == 0)
      return g_value_get_string (set);
    return g_value_get_string (g_param_spec_get_default_value (dly_backend_find_param (self, name)));
  }
}

/* Mode and validation */

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

gboolean
dly_backend_choose_mode (DlyBackend *self,
                         DlyRequest *request,
                         DlyMode    *mode,
                         GError    **error)
{
  g_return_val_if_fail (DLY_IS_BACKEND (self), FALSE);
  return DLY_BACKEND_GET_CLASS (self)->choose_mode (self, request, mode, error);
}

static gboolean
check_input (DlyBackend   *self,
             const char   *location,
             DlyInputKinds accepted,
             const char   *what,
             GError      **error)
{
  gboolean is_url = dly_request_location_is_url (location);

  if (location == NULL)
    return TRUE;
  if (accepted == DLY_INPUT_NONE)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("%s takes no %s input; remove it"), dly_backend_get_label (self), what);
      return FALSE;
    }
  if (is_url && !(accepted & DLY_INPUT_URL))
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("%s uploads the %s from a local file and cannot fetch a URL; download “%s” "
                     "and give its path instead"),
                   dly_backend_get_label (self), what, location);
      return FALSE;
    }
  if (!is_url && !(accepted & DLY_INPUT_FILE))
    {
      if (strstr (location, "://") != NULL)
        g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                     _("The %s “%s” must be an http:// or https:// URL"), what, location);
      else
        g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                     _("%s takes the %s only as an http(s) URL, not as the local file “%s”. "
                       "Put the file where the backend can fetch it and give its URL, or use a "
                       "backend that takes files (ltxv-task, ltx2-server)"),
                     dly_backend_get_label (self), what, location);
      return FALSE;
    }
  return TRUE;
}

gboolean
dly_backend_validate (DlyBackend *self,
                      DlyRequest *request,
                      DlyMode    *mode,
                      GError    **error)
{
  DlyBackendClass *klass;
  DlyMode chosen;
  g_auto(GStrv) names = NULL;
  const char *prompt;

  g_return_val_if_fail (DLY_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (DLY_IS_REQUEST (request), FALSE);
  klass = DLY_BACKEND_GET_CLASS (self);

  if (klass->needs_api_key && !dly_backend_has_api_key (self))
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("%s needs an API key: store one in the backend's profile or name the "
                     "environment variable that holds it with --api-key-env"),
                   dly_backend_get_label (self));
      return FALSE;
    }

  names = dly_request_list_params (request);
  for (guint i = 0; names[i] != NULL; i++)
    {
      GParamSpec *pspec = dly_backend_find_param (self, names[i]);

      if (pspec == NULL)
        {
          g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                       _("%s has no parameter “%s”; `dailies-cli backends` lists its parameters"),
                       dly_backend_get_label (self), names[i]);
          return FALSE;
        }
      if (!dly_param_validate (pspec, dly_request_get_param (request, names[i]), NULL, error))
        return FALSE;
    }

  if (!check_input (self, dly_request_get_image (request), klass->image_inputs, _("image"), error)
      || !check_input (self, dly_request_get_audio (request), klass->audio_inputs, _("audio"), error))
    return FALSE;

  if (dly_request_get_n_loras (request) > klass->max_loras)
    {
      if (klass->max_loras == 0)
        g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                     _("%s takes no LoRAs; remove them"), dly_backend_get_label (self));
      else
        g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                     _("%s takes at most %u LoRAs, not %u"), dly_backend_get_label (self),
                     klass->max_loras, dly_request_get_n_loras (request));
      return FALSE;
    }
  for (guint i = 0; i < dly_request_get_n_loras (request); i++)
    {
      const char *url = dly_request_get_lora (request, i, NULL);

      if (!dly_request_location_is_url (url))
        {
          g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                       _("A LoRA must be an http(s) URL the backend can download, not “%s”"), url);
          return FALSE;
        }
    }

  if (!klass->choose_mode (self, request, &chosen, error))
    return FALSE;

  prompt = dly_request_get_prompt (request);
  if (is_blank (prompt)
      && chosen != DLY_MODE_LIP_SYNC && chosen != DLY_MODE_AUDIO_GENERATION)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("Write a prompt: describe the shot, the action and the camera"));
      return FALSE;
    }

  if (klass->validate != NULL && !klass->validate (self, request, chosen, error))
    return FALSE;

  if (mode != NULL)
    *mode = chosen;
  return TRUE;
}

/* Messages and credentials */

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

gboolean
dly_backend_is_own_host (DlyBackend *self,
                         GUri       *uri)
{
  GUri *base = dly_backend_get_base_uri (self);

  if (base == NULL || uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;
  return g_ascii_strcasecmp (g_uri_get_scheme (base), g_uri_get_scheme (uri)) == 0
         && g_ascii_strcasecmp (g_uri_get_host (base), g_uri_get_host (uri)) == 0
         && effective_port (base) == effective_port (uri);
}

/* A redirect to another host must not carry the key: drop every header that apply_auth
 * added as soon as the message is re-sent elsewhere. */
static void
on_message_restarted (SoupMessage *message,
                      DlyBackend  *self)
{
  const char * const *names = g_object_get_qdata (G_OBJECT (message), dly_backend_auth_headers_quark ());
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  if (names == NULL || dly_backend_is_own_host (self, soup_message_get_uri (message)))
    return;
  for (guint i = 0; names[i] != NULL; i++)
    soup_message_headers_remove (headers, names[i]);
}

static GHashTable *
header_names (SoupMessageHeaders *headers)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_hash_table_add (names, g_ascii_strdown (name, -1));
  return names;
}

static void
apply_auth (DlyBackend  *self,
            SoupMessage *message)
{
  DlyBackendPrivate *priv = dly_backend_get_instance_private (self);
  DlyBackendClass *klass = DLY_BACKEND_GET_CLASS (self);
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GStrvBuilder) added = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer name;

  if (priv->api_key == NULL || klass->apply_auth == NULL)
    return;
  if (!dly_backend_is_own_host (self, soup_message_get_uri (message)))
    return;

  before = header_names (headers);
  klass->apply_auth (self, message, priv->api_key);
  after = header_names (headers);

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    if (!g_hash_table_contains (before, name))
      g_strv_builder_add (added, name);
  g_object_set_qdata_full (G_OBJECT (message), dly_backend_auth_headers_quark (),
                           g_strv_builder_end (added), (GDestroyNotify) g_strfreev);
  g_signal_connect_object (message, "restarted", G_CALLBACK (on_message_restarted), self, 0);
}

SoupMessage *
dly_backend_new_message (DlyBackend *self,
                         const char *method,
                         const char *path_or_url)
{
  DlyBackendPrivate *priv = dly_backend_get_instance_private (self);
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessage *message;

  g_return_val_if_fail (DLY_IS_BACKEND (self), NULL);
  g_return_val_if_fail (path_or_url != NULL, NULL);

  if (strstr (path_or_url, "://") != NULL)
    url = g_strdup (path_or_url);
  else if (path_or_url[0] == '/')
    url = g_strconcat (priv->base_url, path_or_url, NULL);
  else
    url = g_strconcat (priv->base_url, "/", path_or_url, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL
      || (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0
          && g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0))
    return NULL;

  message = soup_message_new_from_uri (method, uri);
  apply_auth (self, message);
  return message;
}

/* Text from the backend, made safe to show: valid UTF-8, trimmed, short, and never
 * containing the key (some servers echo it back in their errors). */
static char *
backend_text (DlyBackend *self,
              const char *text,
              gssize      length)
{
  DlyBackendPrivate *priv = dly_backend_get_instance_private (self);
  g_autofree char *valid = NULL;
  g_autoptr(GString) result = NULL;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, length);
  g_strstrip (valid);
  if (*valid == '\0')
    return NULL;
  if (g_utf8_strlen (valid, -1) > 500)
    {
      char *end = g_utf8_offset_to_pointer (valid, 500);

      *end = '\0';
      result = g_string_new (valid);
      g_string_append (result, "…");
    }
  else
    result = g_string_new (valid);
  if (priv->api_key != NULL && strlen (priv->api_key) >= 4)
    g_string_replace (result, priv->api_key, "[key hidden]", 0);
  return g_string_free (g_steal_pointer (&result), FALSE);
}

static guint
parse_retry_after (SoupMessage *message)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  guint64 seconds;

  if (value == NULL)
    value = soup_message_headers_get_one (headers, "x-rate-limit-reset-at-utc");
  if (value == NULL)
    return 0;
  if (g_ascii_string_to_unsigned (value, 10, 0, 86400, &seconds, NULL))
    return (guint) seconds * 1000;
  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

    if (when == NULL)
      when = g_date_time_new_from_iso8601 (value, utc);
    if (when != NULL)
      {
        GTimeSpan delta = g_date_time_difference (when, now);

        if (delta > 0 && delta < G_TIME_SPAN_DAY)
          return (guint) (delta / 1000);
      }
  }
  return 0;
}

void
dly_backend_set_http_error (DlyBackend  *self,
                            SoupMessage *message,
                            GBytes      *body,
                            const char  *backend_message,
                            GError     **error)
{
  guint status = soup_message_get_status (message);
  const char *label = dly_backend_get_label (self);
  g_autofree char *text = NULL;
  GError *local = NULL;

  if (backend_message != NULL)
    text = backend_text (self, backend_message, -1);
  else if (body != NULL && g_bytes_get_size (body) > 0)
    {
      gsize size;
      const char *data = g_bytes_get_data (body, &size);

      text = backend_text (self, data, size);
    }
  if (text == NULL)
    text = g_strdup (soup_message_get_reason_phrase (message) ? soup_message_get_reason_phrase (message)
                                                              : soup_status_get_phrase (status));
  switch (dly_error_code_for_http_status (status, text))
    {
    case DLY_ERROR_AUTH:
      local = g_error_new (DLY_ERROR, DLY_ERROR_AUTH,
                           _("%s refused the API key (HTTP %u: %s). Check the key stored for this backend"),
                           label, status, text);
      break;
    case DLY_ERROR_CREDITS:
      local = g_error_new (DLY_ERROR, DLY_ERROR_CREDITS,
                           _("%s says the account is out of credits (HTTP %u: %s). Top it up and try again"),
                           label, status, text);
      break;
    case DLY_ERROR_NOT_FOUND:
      local = g_error_new (DLY_ERROR, DLY_ERROR_NOT_FOUND,
                           _("%s no longer has it (HTTP %u: %s)"), label, status, text);
      break;
    case DLY_ERROR_TRANSIENT:
      local = g_error_new (DLY_ERROR, DLY_ERROR_TRANSIENT,
                           _("%s is busy or failing (HTTP %u: %s)"), label, status, text);
      dly_error_set_retry_after (local, parse_retry_after (message));
      break;
    case DLY_ERROR_INVALID_INPUT:
      local = g_error_new (DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                           _("%s rejected the request (HTTP %u: %s)"), label, status, text);
      break;
    default:
      local = g_error_new (DLY_ERROR, DLY_ERROR_PROTOCOL,
                           _("%s answered HTTP %u, which this dialect does not describe: %s"),
                           label, status, text);
    }
  g_propagate_error (error, local);
}

char *
dly_backend_redact (DlyBackend *self,
                    const char *text)
{
  g_return_val_if_fail (DLY_IS_BACKEND (self), NULL);
  return backend_text (self, text, -1);
}

JsonObject *
dly_backend_parse_json_object (GBytes  *body,
                               GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  JsonNode *root;

  if (data == NULL || size == 0 || !json_parser_load_from_data (parser, data, size, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *start = g_utf8_make_valid (data ? data : "", MIN (size, 80));

      g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                   _("The backend answered something that is not the JSON object its API "
                     "describes: “%s”"), g_strstrip (start));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

void
dly_backend_set_json_body (SoupMessage *message,
                           JsonNode    *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr(GBytes) bytes = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (g_steal_pointer (&text), length);
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);
}

/* Network operations: one generic operation that sends a message with a time limit,
 * reads the (small) answer, classifies failures and hands the answer to the dialect. */

typedef enum
{
  OP_SUBMIT,
  OP_POLL,
  OP_CANCEL,
  OP_CHECK,
} OpKind;

typedef struct
{
  OpKind        kind;
  SoupSession  *session;
  SoupMessage  *message;
  DlyRequest   *request;
  DlyMode       mode;
  char         *remote_id;
  GCancellable *cancellable;       /* ours: cancelled by the caller's or by the timeout */
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  guint         timeout_seconds;
  guint         timeout_id;
  gboolean      timed_out;
  GInputStream *stream;
  GByteArray   *body;
} Op;

static void
op_free (Op *op)
{
  g_clear_handle_id (&op->timeout_id, g_source_remove);
  if (op->caller_handler != 0)
    g_cancellable_disconnect (op->caller_cancellable, op->caller_handler);
  g_clear_object (&op->caller_cancellable);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->session);
  g_clear_object (&op->message);
  g_clear_object (&op->request);
  g_clear_object (&op->stream);
  g_clear_pointer (&op->body, g_byte_array_unref);
  g_free (op->remote_id);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static gboolean
on_op_timeout (gpointer data)
{
  Op *op = data;

  op->timeout_id = 0;
  op->timed_out = TRUE;
  g_cancellable_cancel (op->cancellable);
  return G_SOURCE_REMOVE;
}

static Op *
op_new (OpKind        kind,
        SoupSession  *session,
        guint         timeout_seconds,
        GCancellable *cancellable)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->session = g_object_ref (session);
  op->cancellable = g_cancellable_new ();
  op->timeout_seconds = timeout_seconds;
  if (cancellable != NULL)
    {
      op->caller_cancellable = g_object_ref (cancellable);
      op->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                  op->cancellable, NULL);
    }
  return op;
}

/* Errors that prove the request never left: it is safe to send it again. */
static gboolean
error_before_sending (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND)
         || error->domain == G_RESOLVER_ERROR
         || error->domain == G_TLS_ERROR;
}

static GError *
classify_transport_error (DlyBackend *self,
                          Op         *op,
                          GError     *error)
{
  const char *label = dly_backend_get_label (self);
  const char *url = dly_backend_get_base_url (self);
  GError *result;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !op->timed_out)
    return g_error_new_literal (DLY_ERROR, DLY_ERROR_CANCELLED, _("Cancelled"));

  if (op->kind == OP_SUBMIT && !op->timed_out && error_before_sending (error))
    result = g_error_new (DLY_ERROR, DLY_ERROR_TRANSIENT, _("Could not reach %s at %s: %s"),
                          label, url, error->message);
  else if (op->kind == OP_SUBMIT && op->timed_out)
    result = g_error_new (DLY_ERROR, DLY_ERROR_UNKNOWN_SUBMISSION,
                          _("%s did not answer the submission within %u s. The job may have been "
                            "created there; check the backend before submitting it again"),
                          label, op->timeout_seconds);
  else if (op->kind == OP_SUBMIT)
    result = g_error_new (DLY_ERROR, DLY_ERROR_UNKNOWN_SUBMISSION,
                          _("The connection to %s broke after the submission was sent (%s). The "
                            "job may have been created there; check the backend before submitting "
                            "it again"),
                          label, error->message);
  else if (op->timed_out)
    result = g_error_new (DLY_ERROR, DLY_ERROR_TRANSIENT, _("%s did not answer within %u s"),
                          label, op->timeout_seconds);
  else
    result = g_error_new (DLY_ERROR, DLY_ERROR_TRANSIENT, _("Could not reach %s at %s: %s"),
                          label, url, error->message);
  return result;
}

static void op_read_more (GTask *task);

static void
op_finish_parse (GTask *task)
{
  DlyBackend *self = g_task_get_source_object (task);
  DlyBackendClass *klass = DLY_BACKEND_GET_CLASS (self);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&op->body));
  GError *error = NULL;

  g_clear_handle_id (&op->timeout_id, g_source_remove);

  switch (op->kind)
    {
    case OP_SUBMIT:
      {
        DlyRemoteStatus *status = klass->parse_submit (self, op->message, body, &error);

        /* A gateway that timed out had already forwarded the submission. */
        if (error != NULL && dly_error_is_transient (error)
            && soup_message_get_status (op->message) == SOUP_STATUS_GATEWAY_TIMEOUT)
          {
            g_autofree char *text = g_strdup (error->message);

            g_clear_error (&error);
            error = g_error_new (DLY_ERROR, DLY_ERROR_UNKNOWN_SUBMISSION,
                                 _("%s. The job may have been created; check the backend before "
                                   "submitting it again"), text);
          }
        if (error != NULL)
          g_task_return_error (task, error);
        else
          g_task_return_pointer (task, status, (GDestroyNotify) dly_remote_status_free);
        break;
      }
    case OP_POLL:
      {
        DlyRemoteStatus *status = klass->parse_poll (self, op->remote_id, op->message, body, &error);

        if (error != NULL)
          g_task_return_error (task, error);
        else
          {
            if (status->remote_id == NULL)
              status->remote_id = g_strdup (op->remote_id);
            g_task_return_pointer (task, status, (GDestroyNotify) dly_remote_status_free);
          }
        break;
      }
    case OP_CANCEL:
      if (SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (op->message)))
        g_task_return_boolean (task, TRUE);
      else
        {
          dly_backend_set_http_error (self, op->message, body, NULL, &error);
          g_task_return_error (task, error);
        }
      break;
    case OP_CHECK:
      {
        char *text = klass->parse_check (self, op->message, body, &error);

        if (error != NULL)
          g_task_return_error (task, error);
        else
          g_task_return_pointer (task, text, g_free);
        break;
      }
    default:
      g_assert_not_reached ();
    }
}

static void
on_op_read (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DlyBackend *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (chunk == NULL)
    {
      g_task_return_error (task, classify_transport_error (self, op, error));
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      op_finish_parse (task);
      return;
    }
  g_byte_array_append (op->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (op->body->len > MAX_SMALL_BODY)
    {
      g_task_return_new_error (task, DLY_ERROR, DLY_ERROR_PROTOCOL,
                               _("%s sent a %u-byte answer where its API describes a short JSON "
                                 "object"),
                               dly_backend_get_label (self), op->body->len);
      return;
    }
  op_read_more (g_steal_pointer (&task));
}

static void
op_read_more (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (op->stream, 64 * 1024, G_PRIORITY_DEFAULT, op->cancellable,
                                   on_op_read, task);
}

static gboolean
is_video_content_type (const char *content_type)
{
  return content_type != NULL
         && (g_ascii_strncasecmp (content_type, "video/", 6) == 0
             || g_ascii_strncasecmp (content_type, "application/octet-stream", 24) == 0);
}

static void
on_op_sent (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DlyBackend *self = g_task_get_source_object (task);
  DlyBackendClass *klass = DLY_BACKEND_GET_CLASS (self);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  op->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (op->stream == NULL)
    {
      g_task_return_error (task, classify_transport_error (self, op, error));
      return;
    }

  /* A synchronous backend answers with the video itself: hand the open body over, told
   * apart by its Content-Type, never by sniffing. */
  headers = soup_message_get_response_headers (op->message);
  if (op->kind == OP_SUBMIT && klass->inline_result
      && SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (op->message))
      && is_video_content_type (soup_message_headers_get_content_type (headers, NULL)))
    {
      DlyRemoteStatus *status = dly_remote_status_new (DLY_REMOTE_STATE_SUCCEEDED);

      g_clear_handle_id (&op->timeout_id, g_source_remove);
      status->result_stream = g_steal_pointer (&op->stream);
      status->result_size = soup_message_headers_get_content_length (headers);
      if (status->result_size == 0 && soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
        status->result_size = -1;
      g_task_return_pointer (task, status, (GDestroyNotify) dly_remote_status_free);
      return;
    }

  op->body = g_byte_array_new ();
  op_read_more (g_steal_pointer (&task));
}

static void
op_send (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (op->timeout_seconds > 0)
    op->timeout_id = g_timeout_add_seconds (op->timeout_seconds, on_op_timeout, op);
  soup_session_send_async (op->session, op->message, G_PRIORITY_DEFAULT, op->cancellable,
                           on_op_sent, task);
}

/* Submit: the message is built in a worker thread because it may read input files. */

static void
build_submit_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  DlyBackend *self = source_object;
  Op *op = task_data;
  GError *error = NULL;
  SoupMessage *message;

  message = DLY_BACKEND_GET_CLASS (self)->build_submit (self, op->request, op->mode, &error);
  if (message == NULL)
    {
      if (error == NULL)
        error = g_error_new (DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                             _("The backend URL %s cannot take this request"),
                             dly_backend_get_base_url (self));
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, message, g_object_unref);
}

static void
on_submit_built (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->message = g_task_propagate_pointer (G_TASK (result), &error);
  if (op->message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  op_send (g_steal_pointer (&task));
}

void
dly_backend_submit_async (DlyBackend          *self,
                          SoupSession         *session,
                          DlyRequest          *request,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) build = NULL;
  g_autoptr(DlyRequest) copy = NULL;
  GError *error = NULL;
  DlyMode mode;
  Op *op;

  g_return_if_fail (DLY_IS_BACKEND (self));
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (DLY_IS_REQUEST (request));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_backend_submit_async);

  if (!dly_backend_validate (self, request, &mode, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  op = op_new (OP_SUBMIT, session, dly_backend_get_submit_timeout (self), cancellable);
  /* The worker thread gets its own copy: the caller may edit the request meanwhile. */
  copy = dly_request_copy (request);
  op->request = g_object_ref (copy);
  op->mode = mode;
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  build = g_task_new (self, cancellable, on_submit_built, g_steal_pointer (&task));
  g_task_set_source_tag (build, build_submit_thread);
  g_task_set_task_data (build, op, NULL);
  g_task_run_in_thread (build, build_submit_thread);
}

DlyRemoteStatus *
dly_backend_submit_finish (DlyBackend   *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dly_backend_poll_async (DlyBackend          *self,
                        SoupSession         *session,
                        const char          *remote_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (DLY_IS_BACKEND (self));
  g_return_if_fail (remote_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_backend_poll_async);
  op = op_new (OP_POLL, session, POLL_TIMEOUT_SECONDS, cancellable);
  op->remote_id = g_strdup (remote_id);
  op->message = DLY_BACKEND_GET_CLASS (self)->build_poll (self, remote_id);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  if (op->message == NULL)
    {
      g_task_return_new_error (task, DLY_ERROR, DLY_ERROR_PROTOCOL,
                               _("Cannot ask %s about the job “%s”"),
                               dly_backend_get_label (self), remote_id);
      return;
    }
  op_send (g_steal_pointer (&task));
}

DlyRemoteStatus *
dly_backend_poll_finish (DlyBackend   *self,
                         GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dly_backend_cancel_async (DlyBackend          *self,
                          SoupSession         *session,
                          const char          *remote_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  DlyBackendClass *klass;
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (DLY_IS_BACKEND (self));
  klass = DLY_BACKEND_GET_CLASS (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_backend_cancel_async);
  /* Dialects without a cancel request stop by aborting the request, which the caller does. */
  if (remote_id == NULL || klass->build_cancel == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  op = op_new (OP_CANCEL, session, POLL_TIMEOUT_SECONDS, cancellable);
  op->remote_id = g_strdup (remote_id);
  op->message = klass->build_cancel (self, remote_id);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  if (op->message == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  op_send (g_steal_pointer (&task));
}

gboolean
dly_backend_cancel_finish (DlyBackend   *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

SoupMessage *
dly_backend_create_result_message (DlyBackend            *self,
                                   const DlyRemoteStatus *status,
                                   GError               **error)
{
  SoupMessage *message;

  g_return_val_if_fail (DLY_IS_BACKEND (self), NULL);
  g_return_val_if_fail (status != NULL, NULL);

  message = DLY_BACKEND_GET_CLASS (self)->build_result (self, status, error);
  if (message == NULL && error != NULL && *error == NULL)
    g_set_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL,
                 _("%s gave a video location that is not an http(s) URL: “%s”"),
                 dly_backend_get_label (self), status->result_uri ? status->result_uri : "");
  return message;
}

void
dly_backend_check_async (DlyBackend          *self,
                         SoupSession         *session,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (DLY_IS_BACKEND (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_backend_check_async);
  op = op_new (OP_CHECK, session, POLL_TIMEOUT_SECONDS, cancellable);
  op->message = DLY_BACKEND_GET_CLASS (self)->build_check (self);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  if (op->message == NULL)
    {
      g_task_return_new_error (task, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                               _("“%s” is not an http(s) URL"), dly_backend_get_base_url (self));
      return;
    }
  op_send (g_steal_pointer (&task));
}

char *
dly_backend_check_finish (DlyBackend   *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
