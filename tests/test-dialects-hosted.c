/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The hosted dialects (apixo, runpod, segmind) as encoders and decoders: what each sends, and
 * how it reads every answer its document describes and many it does not.
 *
 * Nothing leaves the machine: the client session uses a SoupServer on 127.0.0.1 as its HTTP
 * proxy, so the backends keep realistic host names (api.apixo.test, a CDN host) while every
 * byte stays on loopback. The server records each request with the host it was meant for and
 * gives a canned answer; requests for the CDN host get a small video. */
#include "config.h"

#include "dly-test-backend.h"

#include <string.h>

#include "dly-backend-apixo.h"
#include "dly-backend-runpod.h"
#include "dly-backend-segmind.h"
#include "dly-error.h"

#define API_KEY "sk-test-Secret-Key-0123456789"

#define APIXO_BASE   "http://api.apixo.test"
#define RUNPOD_BASE  "http://api.runpod.test/v2/abc123"
#define SEGMIND_BASE "http://api.segmind.test"
#define CDN_HOST     "cdn.results.test"
#define CDN_VIDEO    "http://" CDN_HOST "/takes/video.mp4"

/* Not a real MP4: the dialects never look inside. */
#define VIDEO_BYTES "\0\0\0\x18" "ftypmp42 fake video body"
#define VIDEO_SIZE  (sizeof VIDEO_BYTES - 1)

typedef struct
{
  SoupServer         *server;
  SoupSession        *session;
  DlyBackend         *backend;

  /* The last request to the API host. */
  guint               n_requests;
  char               *method;
  char               *path;
  char               *query;
  SoupMessageHeaders *request_headers;
  GBytes             *request_body;

  /* Every request to the CDN host: the headers it carried. */
  GPtrArray          *cdn_headers;

  /* The API host's answer. */
  guint               status;
  char               *content_type;
  GBytes             *body;
  char               *extra_header;
  char               *extra_value;
} Fixture;

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *fx = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);

  if (g_strcmp0 (g_uri_get_host (uri), CDN_HOST) == 0)
    {
      g_ptr_array_add (fx->cdn_headers,
                       soup_message_headers_ref (soup_server_message_get_request_headers (msg)));
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "video/mp4", SOUP_MEMORY_STATIC, VIDEO_BYTES,
                                        VIDEO_SIZE);
      return;
    }

  fx->n_requests++;
  g_free (fx->method);
  fx->method = g_strdup (soup_server_message_get_method (msg));
  g_free (fx->path);
  fx->path = g_strdup (g_uri_get_path (uri));
  g_free (fx->query);
  fx->query = g_strdup (g_uri_get_query (uri));
  g_clear_pointer (&fx->request_headers, soup_message_headers_unref);
  fx->request_headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  g_clear_pointer (&fx->request_body, g_bytes_unref);
  fx->request_body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  if (fx->status >= 300 && fx->status < 400)
    {
      soup_server_message_set_redirect (msg, fx->status, CDN_VIDEO);
      return;
    }
  soup_server_message_set_status (msg, fx->status, NULL);
  if (fx->extra_header != NULL)
    soup_message_headers_append (response_headers, fx->extra_header, fx->extra_value);
  if (fx->content_type == NULL)
    soup_server_message_set_response (msg, NULL, SOUP_MEMORY_COPY, NULL, 0);
  else
    soup_server_message_set_response (msg, fx->content_type, SOUP_MEMORY_COPY,
                                      g_bytes_get_data (fx->body, NULL), g_bytes_get_size (fx->body));
}

static void
respond_bytes (Fixture    *fx,
               guint       status,
               const char *content_type,
               const char *data,
               gsize       size)
{
  fx->status = status;
  g_free (fx->content_type);
  fx->content_type = g_strdup (content_type);
  g_clear_pointer (&fx->body, g_bytes_unref);
  fx->body = g_bytes_new (data, size);
  g_clear_pointer (&fx->extra_header, g_free);
  g_clear_pointer (&fx->extra_value, g_free);
}

static void
respond (Fixture    *fx,
         guint       status,
         const char *content_type,
         const char *body)
{
  respond_bytes (fx, status, content_type, body, body ? strlen (body) : 0);
}

static void
respond_json (Fixture    *fx,
              const char *body)
{
  respond (fx, 200, "application/json", body);
}

static void
respond_header (Fixture    *fx,
                const char *name,
                const char *value)
{
  g_free (fx->extra_header);
  fx->extra_header = g_strdup (name);
  g_free (fx->extra_value);
  fx->extra_value = g_strdup (value);
}

static DlyBackend *
new_backend (const char *dialect,
             const char *base_url,
             const char *api_key)
{
  g_autoptr(GError) error = NULL;
  DlyBackend *backend = dly_backend_new_for_dialect (dialect, base_url, &error);

  g_assert_no_error (error);
  g_assert_nonnull (backend);
  dly_backend_set_api_key (backend, api_key);
  return backend;
}

static const char *
base_for (const char *dialect)
{
  if (g_strcmp0 (dialect, "apixo") == 0)
    return APIXO_BASE;
  if (g_strcmp0 (dialect, "runpod") == 0)
    return RUNPOD_BASE;
  return SEGMIND_BASE;
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  const char *dialect = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *proxy = NULL;
  g_autoptr(GProxyResolver) resolver = NULL;

  fx->cdn_headers = g_ptr_array_new_with_free_func ((GDestroyNotify) soup_message_headers_unref);
  fx->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fx->server, NULL, on_request, fx, NULL);
  soup_server_listen_local (fx->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fx->server);
  proxy = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  resolver = g_simple_proxy_resolver_new (proxy, NULL);
  fx->session = soup_session_new_with_options ("proxy-resolver", resolver, NULL);
  fx->backend = new_backend (dialect, base_for (dialect), API_KEY);
  respond (fx, 500, "text/plain", "no answer set");
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_clear_object (&fx->backend);
  g_clear_object (&fx->session);
  soup_server_disconnect (fx->server);
  g_clear_object (&fx->server);
  g_free (fx->method);
  g_free (fx->path);
  g_free (fx->query);
  g_clear_pointer (&fx->request_headers, soup_message_headers_unref);
  g_clear_pointer (&fx->request_body, g_bytes_unref);
  g_ptr_array_unref (fx->cdn_headers);
  g_free (fx->content_type);
  g_clear_pointer (&fx->body, g_bytes_unref);
  g_free (fx->extra_header);
  g_free (fx->extra_value);
}

/* Running operations */

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static GBytes *
fetch (Fixture     *fx,
       SoupMessage *message,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  soup_session_send_and_read_async (fx->session, message, G_PRIORITY_DEFAULT, NULL, on_done, &result);
  return soup_session_send_and_read_finish (fx->session, wait_for (&result), error);
}

static DlyRemoteStatus *
submit_ok (Fixture    *fx,
           DlyRequest *request)
{
  g_autoptr(GError) error = NULL;
  DlyRemoteStatus *status = dly_test_run_submit (fx->backend, fx->session, request, &error);

  g_assert_no_error (error);
  g_assert_nonnull (status);
  return status;
}

/* Submits @request against the given answer and expects an error of @code. */
static char *
submit_error (Fixture    *fx,
              DlyRequest *request,
              guint       http_status,
              const char *content_type,
              const char *body,
              int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;

  if (content_type != NULL || body != NULL)
    respond (fx, http_status, content_type, body);
  status = dly_test_run_submit (fx->backend, fx->session, request, &error);
  g_assert_null (status);
  g_assert_error (error, DLY_ERROR, code);
  g_assert_null (strstr (error->message, API_KEY));
  return g_strdup (error->message);
}

static DlyRemoteStatus *
poll_json (Fixture    *fx,
           const char *remote_id,
           const char *body)
{
  g_autoptr(GError) error = NULL;
  DlyRemoteStatus *status;

  respond_json (fx, body);
  status = dly_test_run_poll (fx->backend, fx->session, remote_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  return status;
}

static char *
poll_error (Fixture    *fx,
            guint       http_status,
            const char *content_type,
            const char *body,
            int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;

  respond (fx, http_status, content_type, body);
  status = dly_test_run_poll (fx->backend, fx->session, "job-1", &error);
  g_assert_null (status);
  g_assert_error (error, DLY_ERROR, code);
  g_assert_null (strstr (error->message, API_KEY));
  return g_strdup (error->message);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack ? haystack : "(null)", needle);
}

static DlyRequest *
new_request (const char *prompt)
{
  DlyRequest *request = dly_request_new ();

  dly_request_set_prompt (request, prompt);
  return request;
}

static char *
validate_error (DlyBackend *backend,
                DlyRequest *request)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (dly_backend_validate (backend, request, NULL, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  return g_strdup (error->message);
}

static DlyMode
validate_ok (DlyBackend *backend,
             DlyRequest *request)
{
  g_autoptr(GError) error = NULL;
  DlyMode mode = 0;

  g_assert_true (dly_backend_validate (backend, request, &mode, &error));
  g_assert_no_error (error);
  return mode;
}

/* The captured request body as JSON. */
static JsonObject *
sent_json (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_nonnull (fx->request_body);
  g_assert_cmpstr (soup_message_headers_get_content_type (fx->request_headers, NULL), ==,
                   "application/json");
  object = dly_backend_parse_json_object (fx->request_body, &error);
  g_assert_no_error (error);
  return object;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
assert_members (JsonObject         *object,
                const char * const *expected)
{
  g_autoptr(GList) names = json_object_get_members (object);
  g_autoptr(GPtrArray) array = g_ptr_array_new ();
  g_autoptr(GString) actual = g_string_new (NULL);
  g_auto(GStrv) sorted = g_strdupv ((char **) expected);
  g_autofree char *wanted = NULL;

  for (GList *l = names; l != NULL; l = l->next)
    g_ptr_array_add (array, l->data);
  g_ptr_array_sort (array, compare_names);
  for (guint i = 0; i < array->len; i++)
    g_string_append_printf (actual, "%s%s", i ? "," : "", (char *) g_ptr_array_index (array, i));
  qsort (sorted, g_strv_length (sorted), sizeof (char *), compare_names);
  wanted = g_strjoinv (",", sorted);
  g_assert_cmpstr (actual->str, ==, wanted);
}

static GParamSpec *
find_param (DlyBackend *backend,
            const char *name)
{
  GParamSpec *pspec = dly_backend_find_param (backend, name);

  if (pspec == NULL)
    g_error ("%s has no parameter %s", dly_backend_get_dialect (backend), name);
  return pspec;
}

static void
assert_int_range (DlyBackend *backend,
                  const char *name,
                  gint64      minimum,
                  gint64      maximum,
                  gint64      default_value,
                  gboolean    optional)
{
  GParamSpec *pspec = find_param (backend, name);

  g_assert_true (G_IS_PARAM_SPEC_INT64 (pspec));
  g_assert_cmpint (G_PARAM_SPEC_INT64 (pspec)->minimum, ==, minimum);
  g_assert_cmpint (G_PARAM_SPEC_INT64 (pspec)->maximum, ==, maximum);
  g_assert_cmpint (G_PARAM_SPEC_INT64 (pspec)->default_value, ==, default_value);
  g_assert_cmpint (dly_param_is_optional (pspec), ==, optional);
}

static void
assert_double_range (DlyBackend *backend,
                     const char *name,
                     double      minimum,
                     double      maximum,
                     double      default_value,
                     gboolean    optional)
{
  GParamSpec *pspec = find_param (backend, name);

  g_assert_true (G_IS_PARAM_SPEC_DOUBLE (pspec));
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->minimum, ==, minimum);
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->maximum, ==, maximum);
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->default_value, ==, default_value);
  g_assert_cmpint (dly_param_is_optional (pspec), ==, optional);
}

static void
assert_choices (DlyBackend         *backend,
                const char         *name,
                const char * const *choices,
                const char         *default_value)
{
  GParamSpec *pspec = find_param (backend, name);
  g_autofree char *actual = g_strjoinv (",", (char **) dly_param_get_choices (pspec));
  g_autofree char *expected = g_strjoinv (",", (char **) choices);

  g_assert_cmpstr (actual, ==, expected);
  g_assert_cmpstr (g_value_get_string (g_param_spec_get_default_value (pspec)), ==, default_value);
}

static void
assert_int_choices (DlyBackend   *backend,
                    const char   *name,
                    const gint64 *values,
                    guint         n_values,
                    gint64        default_value)
{
  GParamSpec *pspec = find_param (backend, name);
  guint n = 0;
  const gint64 *actual = dly_param_get_int_choices (pspec, &n);

  g_assert_cmpuint (n, ==, n_values);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (actual[i], ==, values[i]);
  g_assert_cmpint (G_PARAM_SPEC_INT64 (pspec)->default_value, ==, default_value);
}

static const char *
bearer (void)
{
  return "Bearer " API_KEY;
}

/* All three */

static void
test_registry (void)
{
  g_auto(GStrv) dialects = dly_backend_list_dialects ();
  const char *hosted[] = { "apixo", "runpod", "segmind" };

  for (guint i = 0; i < G_N_ELEMENTS (hosted); i++)
    {
      g_autoptr(DlyBackend) backend = new_backend (hosted[i], base_for (hosted[i]), NULL);

      g_assert_true (g_strv_contains ((const char * const *) dialects, hosted[i]));
      g_assert_cmpstr (dly_backend_get_dialect (backend), ==, hosted[i]);
      g_assert_cmpint (dly_backend_get_image_inputs (backend), ==, DLY_INPUT_URL);
      g_assert_true (DLY_BACKEND_GET_CLASS (backend)->needs_api_key);
      g_assert_nonnull (DLY_BACKEND_GET_CLASS (backend)->description);
    }
  g_assert_cmpint (dly_backend_type_for_dialect ("apixo"), ==, DLY_TYPE_BACKEND_APIXO);
  g_assert_cmpint (dly_backend_type_for_dialect ("runpod"), ==, DLY_TYPE_BACKEND_RUNPOD);
  g_assert_cmpint (dly_backend_type_for_dialect ("segmind"), ==, DLY_TYPE_BACKEND_SEGMIND);
}

/* A local file never leaves: the message says which backends take files. */
static void
test_local_files_refused (Fixture       *fx,
                          gconstpointer  data)
{
  const char *dialect = data;
  g_autoptr(DlyRequest) request = new_request ("A woman turns to the camera and smiles");
  g_autofree char *message = NULL;

  dly_request_set_image (request, "/home/me/Pictures/portrait.png");
  respond_json (fx, "{}");
  message = submit_error (fx, request, 0, NULL, NULL, DLY_ERROR_INVALID_INPUT);
  g_assert_cmpuint (fx->n_requests, ==, 0);
  assert_contains (message, "only as an http(s) URL");
  assert_contains (message, "/home/me/Pictures/portrait.png");
  assert_contains (message, "ltxv-task, ltx2-server");
  g_test_message ("%s: %s", dialect, message);

  if (g_strcmp0 (dialect, "runpod") == 0)
    {
      g_autofree char *audio_message = NULL;

      dly_request_set_image (request, "https://example.com/portrait.jpg");
      dly_request_set_audio (request, "speech.wav");
      audio_message = submit_error (fx, request, 0, NULL, NULL, DLY_ERROR_INVALID_INPUT);
      assert_contains (audio_message, "audio");
      assert_contains (audio_message, "speech.wav");
      g_assert_cmpuint (fx->n_requests, ==, 0);
    }
}

static void
test_key_required (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("A lighthouse in a storm, waves crashing");
  g_autofree char *message = NULL;

  dly_request_set_image (request, "https://example.com/portrait.jpg");
  dly_backend_set_api_key (fx->backend, NULL);
  message = submit_error (fx, request, 0, NULL, NULL, DLY_ERROR_INVALID_INPUT);
  assert_contains (message, "needs an API key");
  g_assert_cmpuint (fx->n_requests, ==, 0);
}

/* A backend that echoes the key in its error text never gets it shown. */
static void
test_key_redacted (Fixture       *fx,
                   gconstpointer  data)
{
  const char *dialect = data;
  g_autoptr(DlyRequest) request = new_request ("A lighthouse in a storm, waves crashing");
  g_autofree char *message = NULL;

  dly_request_set_image (request, "https://example.com/portrait.jpg");
  if (g_strcmp0 (dialect, "runpod") == 0)
    dly_request_set_audio (request, "https://example.com/speech.mp3");
  if (g_strcmp0 (dialect, "apixo") == 0)
    message = submit_error (fx, request, 200, "application/json",
                            "{\"code\":401,\"message\":\"Invalid key " API_KEY "\",\"data\":null}",
                            DLY_ERROR_AUTH);
  else
    message = submit_error (fx, request, 401, "application/json",
                            "{\"error\":\"Invalid key " API_KEY "\"}", DLY_ERROR_AUTH);
  assert_contains (message, "[key hidden]");
}

/* A result on another host is fetched without the key, and a redirect from the API host to
 * another host drops it (libsoup drops only Authorization by itself; segmind's x-api-key
 * is dropped by the base class). */
static void
test_no_key_to_foreign_host (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(DlyRemoteStatus) status = dly_remote_status_new (DLY_REMOTE_STATE_SUCCEEDED);
  g_autoptr(GError) error = NULL;
  const char *own_paths[] = { "/takes/own.mp4", NULL };
  guint codes[] = { 301, 302, 303, 307 };

  /* Directly on the CDN. */
  {
    g_autoptr(SoupMessage) message = NULL;
    g_autoptr(GBytes) bytes = NULL;

    status->result_uri = g_strdup (CDN_VIDEO);
    message = dly_backend_create_result_message (fx->backend, status, &error);
    g_assert_no_error (error);
    g_assert_null (soup_message_headers_get_one (soup_message_get_request_headers (message),
                                                 "Authorization"));
    g_assert_null (soup_message_headers_get_one (soup_message_get_request_headers (message),
                                                 "x-api-key"));
    bytes = fetch (fx, message, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (bytes), ==, VIDEO_SIZE);
  }

  /* On the API host, which redirects to the CDN. */
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(SoupMessage) message = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *own = g_strconcat (dly_backend_get_base_url (fx->backend), own_paths[0], NULL);

      g_clear_pointer (&status->result_uri, g_free);
      status->result_uri = g_strdup (own);
      respond (fx, codes[i], NULL, NULL);
      message = dly_backend_create_result_message (fx->backend, status, &error);
      g_assert_no_error (error);
      bytes = fetch (fx, message, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (message), ==, 200);
      g_assert_cmpuint (g_bytes_get_size (bytes), ==, VIDEO_SIZE);
      /* The API host did get the key. */
      g_assert_nonnull (fx->request_headers);
      g_assert_true (soup_message_headers_get_one (fx->request_headers, "Authorization") != NULL
                     || soup_message_headers_get_one (fx->request_headers, "x-api-key") != NULL);
    }

  g_assert_cmpuint (fx->cdn_headers->len, ==, 1 + G_N_ELEMENTS (codes));
  for (guint i = 0; i < fx->cdn_headers->len; i++)
    {
      SoupMessageHeaders *headers = g_ptr_array_index (fx->cdn_headers, i);
      SoupMessageHeadersIter iter;
      const char *name, *value;

      g_assert_null (soup_message_headers_get_one (headers, "Authorization"));
      g_assert_null (soup_message_headers_get_one (headers, "x-api-key"));
      soup_message_headers_iter_init (&iter, headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        g_assert_null (strstr (value, API_KEY));
    }
}

/* apixo */

static void
test_apixo_class (void)
{
  g_autoptr(DlyBackend) backend = new_backend ("apixo", APIXO_BASE, API_KEY);
  DlyBackendClass *klass = DLY_BACKEND_GET_CLASS (backend);
  const char *resolutions[] = { "480p", "720p", "1080p", NULL };
  const char *providers[] = { "auto", "value", "official", NULL };
  const char *ratios[] = { "16:9", "9:16", "1:1", NULL };

  g_assert_cmpstr (dly_backend_get_label (backend), ==, "apixo");
  g_assert_cmpint (dly_backend_get_modes (backend), ==,
                   DLY_MODE_FLAG_TEXT_TO_VIDEO | DLY_MODE_FLAG_IMAGE_TO_VIDEO | DLY_MODE_FLAG_LORA);
  g_assert_cmpint (dly_backend_get_audio_inputs (backend), ==, DLY_INPUT_NONE);
  g_assert_cmpuint (dly_backend_get_max_loras (backend), ==, 3);
  g_assert_false (dly_backend_has_remote_cancel (backend));
  g_assert_false (dly_backend_uses_negative_prompt (backend));
  g_assert_false (klass->inline_result);

  assert_choices (backend, "resolution", resolutions, "720p");
  assert_int_range (backend, "duration", 5, 20, 10, FALSE);
  g_assert_cmpstr (dly_param_get_unit (find_param (backend, "duration")), ==, "s");
  assert_choices (backend, "aspect_ratio", ratios, "16:9");
  g_assert_cmpint (dly_param_get_modes (find_param (backend, "aspect_ratio")), ==,
                   DLY_MODE_FLAG_TEXT_TO_VIDEO);
  assert_int_range (backend, "seed", 0, G_GINT64_CONSTANT (9007199254740991), 0, TRUE);
  assert_choices (backend, "provider", providers, "auto");
}

static void
test_apixo_validate (void)
{
  g_autoptr(DlyBackend) backend = new_backend ("apixo", APIXO_BASE, API_KEY);
  g_autoptr(DlyRequest) request = new_request ("A futuristic city with flying cars at sunset");
  g_autofree char *message = NULL;

  g_assert_cmpint (validate_ok (backend, request), ==, DLY_MODE_TEXT_TO_VIDEO);
  dly_request_set_image (request, "https://example.com/ref.jpg");
  g_assert_cmpint (validate_ok (backend, request), ==, DLY_MODE_IMAGE_TO_VIDEO);

  dly_request_set_param_int (request, "duration", 21);
  message = validate_error (backend, request);
  assert_contains (message, "duration");
  g_clear_pointer (&message, g_free);
  dly_request_set_param_int (request, "duration", 4);
  g_free (validate_error (backend, request));
  dly_request_set_param_int (request, "duration", 20);
  validate_ok (backend, request);

  dly_request_set_param_string (request, "resolution", "4k");
  message = validate_error (backend, request);
  assert_contains (message, "480p, 720p, 1080p");
  g_clear_pointer (&message, g_free);
  dly_request_unset_param (request, "resolution");

  dly_request_set_param_string (request, "provider", "cheapest");
  g_free (validate_error (backend, request));
  dly_request_unset_param (request, "provider");

  /* Up to three LoRAs, each a URL with a positive scale. */
  dly_request_add_lora (request, "https://huggingface.co/a/style.safetensors?download=true", 1.2);
  dly_request_add_lora (request, "https://huggingface.co/b/fx.safetensors?download=true", 0.8);
  dly_request_add_lora (request, "https://huggingface.co/c/look.safetensors?download=true", 2.0);
  validate_ok (backend, request);
  dly_request_add_lora (request, "https://huggingface.co/d/more.safetensors?download=true", 1.0);
  message = validate_error (backend, request);
  assert_contains (message, "at most 3 LoRAs");
  g_clear_pointer (&message, g_free);

  dly_request_clear_loras (request);
  dly_request_add_lora (request, "https://huggingface.co/a/style.safetensors", 0);
  message = validate_error (backend, request);
  assert_contains (message, "scale");
  g_clear_pointer (&message, g_free);
  dly_request_clear_loras (request);
  dly_request_add_lora (request, "/models/style.safetensors", 1.0);
  g_free (validate_error (backend, request));
  dly_request_clear_loras (request);

  /* No audio, and a prompt is needed. */
  dly_request_set_audio (request, "https://example.com/speech.mp3");
  message = validate_error (backend, request);
  assert_contains (message, "no audio");
  g_clear_pointer (&message, g_free);
  dly_request_set_audio (request, NULL);
  dly_request_set_prompt (request, "   ");
  g_free (validate_error (backend, request));
}

static void
test_apixo_submit_t2v (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("a futuristic city with flying cars at sunset");
  g_autoptr(DlyRemoteStatus) status = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonObject *input;
  const char *top[] = { "request_type", "provider", "input", NULL };
  const char *fields[] = { "mode", "prompt", "resolution", "duration", "aspect_ratio", NULL };

  dly_request_set_negative_prompt (request, "blurry");  /* apixo has none: never sent */
  respond_json (fx, "{\"code\":200,\"message\":\"success\",\"data\":{\"taskId\":\"task_12345678\"}}");
  status = submit_ok (fx, request);
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_QUEUED);
  g_assert_cmpstr (status->remote_id, ==, "task_12345678");

  g_assert_cmpstr (fx->method, ==, "POST");
  g_assert_cmpstr (fx->path, ==, "/api/v1/generateTask/ltx-2-19b");
  g_assert_cmpstr (soup_message_headers_get_one (fx->request_headers, "Authorization"), ==, bearer ());
  body = sent_json (fx);
  assert_members (body, top);
  g_assert_cmpstr (json_object_get_string_member (body, "request_type"), ==, "async");
  g_assert_cmpstr (json_object_get_string_member (body, "provider"), ==, "auto");
  input = json_object_get_object_member (body, "input");
  assert_members (input, fields);
  g_assert_cmpstr (json_object_get_string_member (input, "mode"), ==, "text-to-video");
  g_assert_cmpstr (json_object_get_string_member (input, "prompt"), ==,
                   "a futuristic city with flying cars at sunset");
  g_assert_cmpstr (json_object_get_string_member (input, "resolution"), ==, "720p");
  g_assert_cmpint (json_object_get_int_member (input, "duration"), ==, 10);
  g_assert_cmpstr (json_object_get_string_member (input, "aspect_ratio"), ==, "16:9");
}

static void
test_apixo_submit_i2v_lora (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("make it cinematic with slow pan and dramatic lighting");
  g_autoptr(DlyRemoteStatus) status = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonObject *input, *lora;
  JsonArray *loras, *images;
  const char *fields[] = { "mode", "prompt", "resolution", "duration", "image_urls", "seed",
                           "loras", NULL };

  dly_request_set_image (request, "https://example.com/ref.jpg");
  dly_request_add_lora (request, "https://huggingface.co/username/model.safetensors?download=true", 1.2);
  dly_request_add_lora (request, "https://huggingface.co/user2/magic.safetensors?download=true", 0.8);
  dly_request_set_param_string (request, "provider", "official");
  dly_request_set_param_string (request, "resolution", "1080p");
  dly_request_set_param_int (request, "duration", 8);
  dly_request_set_param_int (request, "seed", 54248617);
  dly_request_set_param_string (request, "aspect_ratio", "9:16");  /* not sent with an image */
  respond_json (fx, "{\"code\":200,\"message\":\"success\",\"data\":{\"taskId\":\"task_2\"}}");
  status = submit_ok (fx, request);
  g_assert_cmpstr (status->remote_id, ==, "task_2");

  body = sent_json (fx);
  g_assert_cmpstr (json_object_get_string_member (body, "provider"), ==, "official");
  g_assert_cmpstr (json_object_get_string_member (body, "request_type"), ==, "async");
  g_assert_false (json_object_has_member (body, "callback_url"));
  input = json_object_get_object_member (body, "input");
  assert_members (input, fields);
  g_assert_cmpstr (json_object_get_string_member (input, "mode"), ==, "image-to-video-LoRA");
  g_assert_cmpstr (json_object_get_string_member (input, "resolution"), ==, "1080p");
  g_assert_cmpint (json_object_get_int_member (input, "duration"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (input, "seed"), ==, 54248617);
  images = json_object_get_array_member (input, "image_urls");
  g_assert_cmpuint (json_array_get_length (images), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (images, 0), ==, "https://example.com/ref.jpg");
  loras = json_object_get_array_member (input, "loras");
  g_assert_cmpuint (json_array_get_length (loras), ==, 2);
  lora = json_array_get_object_element (loras, 0);
  g_assert_cmpstr (json_object_get_string_member (lora, "path"), ==,
                   "https://huggingface.co/username/model.safetensors?download=true");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (lora, "scale"), 1.2, 1e-9);
  lora = json_array_get_object_element (loras, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (lora, "scale"), 0.8, 1e-9);

  /* Text with LoRAs, and image without. */
  dly_request_set_image (request, NULL);
  g_clear_pointer (&status, dly_remote_status_free);
  status = submit_ok (fx, request);
  g_clear_pointer (&body, json_object_unref);
  body = sent_json (fx);
  input = json_object_get_object_member (body, "input");
  g_assert_cmpstr (json_object_get_string_member (input, "mode"), ==, "text-to-video-LoRA");
  g_assert_cmpstr (json_object_get_string_member (input, "aspect_ratio"), ==, "9:16");
  g_assert_false (json_object_has_member (input, "image_urls"));

  dly_request_set_image (request, "https://example.com/ref.jpg");
  dly_request_clear_loras (request);
  g_clear_pointer (&status, dly_remote_status_free);
  status = submit_ok (fx, request);
  g_clear_pointer (&body, json_object_unref);
  body = sent_json (fx);
  input = json_object_get_object_member (body, "input");
  g_assert_cmpstr (json_object_get_string_member (input, "mode"), ==, "image-to-video");
  g_assert_false (json_object_has_member (input, "loras"));
}

static void
test_apixo_submit_errors (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("A red fox running through fresh snow");
  char *message;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;

  /* The envelope's code decides, under HTTP 200. */
  message = submit_error (fx, request, 200, "application/json",
                          "{\"code\":400,\"message\":\"Insufficient credits\",\"data\":null}",
                          DLY_ERROR_CREDITS);
  assert_contains (message, "Insufficient credits");
  g_free (message);
  message = submit_error (fx, request, 200, "application/json",
                          "{\"code\":401,\"message\":\"Invalid or missing API Key\",\"data\":null}",
                          DLY_ERROR_AUTH);
  assert_contains (message, "Invalid or missing API Key");
  g_free (message);
  message = submit_error (fx, request, 200, "application/json",
                          "{\"code\":402,\"message\":\"Payment required\",\"data\":null}",
                          DLY_ERROR_CREDITS);
  g_free (message);
  message = submit_error (fx, request, 200, "application/json",
                          "{\"code\":\"400\",\"message\":\"duration must be between 5 and 20\",\"data\":null}",
                          DLY_ERROR_INVALID_INPUT);
  assert_contains (message, "duration must be between 5 and 20");
  g_free (message);
  message = submit_error (fx, request, 200, "application/json",
                          "{\"code\":429,\"message\":\"Rate limit exceeded\",\"data\":null}",
                          DLY_ERROR_TRANSIENT);
  assert_contains (message, "Rate limit exceeded");
  g_free (message);
  message = submit_error (fx, request, 200, "application/json",
                          "{\"code\":500,\"message\":\"internal error\",\"data\":null}",
                          DLY_ERROR_TRANSIENT);
  g_free (message);

  /* The same envelopes under real HTTP statuses. */
  message = submit_error (fx, request, 400, "application/json",
                          "{\"code\":400,\"message\":\"Insufficient credits\",\"data\":null}",
                          DLY_ERROR_CREDITS);
  g_free (message);
  message = submit_error (fx, request, 401, "application/json",
                          "{\"code\":401,\"message\":\"Invalid API key\",\"data\":null}",
                          DLY_ERROR_AUTH);
  assert_contains (message, "Invalid API key");
  g_free (message);
  respond (fx, 429, "application/json", "{\"code\":429,\"message\":\"Too many\",\"data\":null}");
  respond_header (fx, "Retry-After", "7");
  status = dly_test_run_submit (fx->backend, fx->session, request, &error);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_TRANSIENT);
  g_assert_cmpuint (dly_error_get_retry_after (error), ==, 7000);
  g_clear_error (&error);
  message = submit_error (fx, request, 503, "text/html", "<html>Service Unavailable</html>",
                          DLY_ERROR_TRANSIENT);
  g_free (message);

  /* A 2xx answer without a task id may still have created (and billed) the task. */
  message = submit_error (fx, request, 200, "application/json",
                          "{\"code\":200,\"message\":\"success\",\"data\":null}",
                          DLY_ERROR_UNKNOWN_SUBMISSION);
  assert_contains (message, "check apixo");
  g_free (message);
  message = submit_error (fx, request, 200, "application/json",
                          "{\"code\":200,\"message\":\"success\",\"data\":{\"id\":\"x\"}}",
                          DLY_ERROR_UNKNOWN_SUBMISSION);
  g_free (message);
  message = submit_error (fx, request, 200, "text/html", "<html>Welcome</html>",
                          DLY_ERROR_UNKNOWN_SUBMISSION);
  g_free (message);
}

static void
test_apixo_poll_states (Fixture       *fx,
                        gconstpointer  data)
{
  DlyRemoteStatus *status;

  status = poll_json (fx, "task_12345678",
                      "{\"code\":200,\"message\":\"success\",\"data\":{\"taskId\":\"task_12345678\","
                      "\"state\":\"pending\",\"createTime\":1767965610929}}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_QUEUED);
  g_assert_cmpstr (status->remote_id, ==, "task_12345678");
  dly_remote_status_free (status);
  g_assert_cmpstr (fx->method, ==, "GET");
  g_assert_cmpstr (fx->path, ==, "/api/v1/statusTask/ltx-2-19b");
  g_assert_cmpstr (fx->query, ==, "taskId=task_12345678");
  g_assert_cmpstr (soup_message_headers_get_one (fx->request_headers, "Authorization"), ==, bearer ());

  status = poll_json (fx, "task_12345678",
                      "{\"code\":200,\"message\":\"success\",\"data\":{\"taskId\":\"task_12345678\","
                      "\"state\":\"processing\"}}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_RUNNING);
  dly_remote_status_free (status);

  /* resultJson is a string holding JSON. */
  status = poll_json (fx, "task_12345678",
                      "{\"code\":200,\"message\":\"success\",\"data\":{\"taskId\":\"task_12345678\","
                      "\"state\":\"success\",\"resultJson\":\"{\\\"resultUrls\\\":"
                      "[\\\"https://r2.apixo.ai/video.mp4\\\"]}\",\"createTime\":1767965610929,"
                      "\"completeTime\":1767965652317,\"costTime\":41388}}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpstr (status->result_uri, ==, "https://r2.apixo.ai/video.mp4");
  assert_contains (status->detail_json, "costTime");
  dly_remote_status_free (status);

  /* A proxy that decoded it already. */
  status = poll_json (fx, "t",
                      "{\"code\":200,\"data\":{\"state\":\"success\",\"resultJson\":"
                      "{\"resultUrls\":[\"https://r2.apixo.ai/b.mp4\"]}}}");
  g_assert_cmpstr (status->result_uri, ==, "https://r2.apixo.ai/b.mp4");
  dly_remote_status_free (status);

  /* failCode and failMsg as apixo says them. */
  status = poll_json (fx, "task_12345678",
                      "{\"code\":200,\"message\":\"success\",\"data\":{\"taskId\":\"task_12345678\","
                      "\"state\":\"failed\",\"failCode\":\"CONTENT_VIOLATION\","
                      "\"failMsg\":\"Content does not meet safety guidelines\"}}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_FAILED);
  g_assert_cmpstr (status->message, ==, "CONTENT_VIOLATION: Content does not meet safety guidelines");
  dly_remote_status_free (status);

  status = poll_json (fx, "t",
                      "{\"code\":200,\"data\":{\"state\":\"failed\",\"failCode\":\"INVALID_IMAGE_URL\"}}");
  g_assert_cmpstr (status->message, ==, "INVALID_IMAGE_URL");
  dly_remote_status_free (status);
  status = poll_json (fx, "t",
                      "{\"code\":200,\"data\":{\"state\":\"failed\",\"failMsg\":\"Cannot download LoRA model\"}}");
  g_assert_cmpstr (status->message, ==, "Cannot download LoRA model");
  dly_remote_status_free (status);
  status = poll_json (fx, "t", "{\"code\":200,\"data\":{\"state\":\"failed\"}}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_FAILED);
  assert_contains (status->message, "without saying why");
  dly_remote_status_free (status);

  /* Ids are escaped in the query. */
  status = poll_json (fx, "task 1&x=2", "{\"code\":200,\"data\":{\"state\":\"pending\"}}");
  g_assert_cmpstr (fx->query, ==, "taskId=task%201%26x%3D2");
  dly_remote_status_free (status);
}

static void
test_apixo_poll_malformed (Fixture       *fx,
                           gconstpointer  data)
{
  char *message;

  /* resultJson that is not a string, or not JSON. */
  message = poll_error (fx, 200, "application/json",
                        "{\"code\":200,\"data\":{\"state\":\"success\",\"resultJson\":42}}",
                        DLY_ERROR_PROTOCOL);
  assert_contains (message, "neither a JSON string nor an object");
  g_free (message);
  message = poll_error (fx, 200, "application/json",
                        "{\"code\":200,\"data\":{\"state\":\"success\",\"resultJson\":\"https://r2.apixo.ai/v.mp4\"}}",
                        DLY_ERROR_PROTOCOL);
  assert_contains (message, "not a JSON object");
  g_free (message);
  message = poll_error (fx, 200, "application/json",
                        "{\"code\":200,\"data\":{\"state\":\"success\",\"resultJson\":\"{\\\"resultUrls\\\":[]}\"}}",
                        DLY_ERROR_PROTOCOL);
  assert_contains (message, "no video URL");
  g_free (message);
  message = poll_error (fx, 200, "application/json",
                        "{\"code\":200,\"data\":{\"state\":\"success\"}}", DLY_ERROR_PROTOCOL);
  g_free (message);

  /* Envelope errors under HTTP 200. */
  message = poll_error (fx, 200, "application/json",
                        "{\"code\":400,\"message\":\"taskId is required\",\"data\":null}",
                        DLY_ERROR_INVALID_INPUT);
  assert_contains (message, "taskId is required");
  g_free (message);
  message = poll_error (fx, 200, "application/json",
                        "{\"code\":404,\"message\":\"task not found\",\"data\":null}",
                        DLY_ERROR_NOT_FOUND);
  g_free (message);
  message = poll_error (fx, 200, "application/json",
                        "{\"code\":401,\"message\":\"Invalid API key\",\"data\":null}",
                        DLY_ERROR_AUTH);
  g_free (message);

  /* Not what the dialect describes. */
  message = poll_error (fx, 200, "application/json", "{\"code\":200,\"data\":{\"state\":\"exploded\"}}",
                        DLY_ERROR_PROTOCOL);
  assert_contains (message, "exploded");
  g_free (message);
  message = poll_error (fx, 200, "application/json", "{\"code\":200,\"data\":{\"taskId\":\"t\"}}",
                        DLY_ERROR_PROTOCOL);
  g_free (message);
  message = poll_error (fx, 200, "application/json", "{\"code\":200,\"data\":\"pending\"}",
                        DLY_ERROR_PROTOCOL);
  g_free (message);
  message = poll_error (fx, 200, "application/json", "[1,2,3]", DLY_ERROR_PROTOCOL);
  g_free (message);
  message = poll_error (fx, 200, "text/plain", "", DLY_ERROR_PROTOCOL);
  g_free (message);
  message = poll_error (fx, 502, "text/html", "<html>Bad Gateway</html>", DLY_ERROR_TRANSIENT);
  g_free (message);
}

static void
test_apixo_check (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  respond_json (fx, "{\"code\":404,\"message\":\"task not found\",\"data\":null}");
  text = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_no_error (error);
  assert_contains (text, "Reachable");
  assert_contains (text, "task not found");
  g_assert_cmpstr (fx->path, ==, "/api/v1/statusTask/ltx-2-19b");
  g_assert_cmpstr (soup_message_headers_get_one (fx->request_headers, "Authorization"), ==, bearer ());
  g_clear_pointer (&text, g_free);

  respond_json (fx, "{\"code\":401,\"message\":\"Invalid or missing API Key\",\"data\":null}");
  text = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_null (text);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_AUTH);
  assert_contains (error->message, "Invalid or missing API Key");
}

/* runpod */

static void
test_runpod_class (void)
{
  g_autoptr(DlyBackend) backend = new_backend ("runpod", RUNPOD_BASE, API_KEY);
  const char *presets[] = { "fast", "high", "ultra", NULL };
  GParamSpec *duration;

  g_assert_cmpstr (dly_backend_get_label (backend), ==, "RunPod");
  g_assert_cmpint (dly_backend_get_modes (backend), ==,
                   DLY_MODE_FLAG_LIP_SYNC | DLY_MODE_FLAG_AUDIO_GENERATION);
  g_assert_cmpint (dly_backend_get_audio_inputs (backend), ==, DLY_INPUT_URL);
  g_assert_cmpuint (dly_backend_get_max_loras (backend), ==, 0);
  g_assert_true (dly_backend_has_remote_cancel (backend));
  g_assert_true (dly_backend_uses_negative_prompt (backend));

  assert_choices (backend, "quality_preset", presets, "high");
  assert_double_range (backend, "duration", 1, 30, 5, FALSE);
  duration = find_param (backend, "duration");
  g_assert_cmpint (dly_param_get_modes (duration), ==, DLY_MODE_FLAG_AUDIO_GENERATION);
  assert_int_range (backend, "width", 256, 2048, 1280, TRUE);
  assert_int_range (backend, "height", 256, 2048, 736, TRUE);
  g_assert_cmpuint (dly_param_get_multiple_of (find_param (backend, "height")), ==, 32);
  assert_int_range (backend, "seed", 0, G_GINT64_CONSTANT (9007199254740991), 0, TRUE);
  assert_double_range (backend, "lora_camera", 0, 1, 0.3, TRUE);
  assert_double_range (backend, "lora_distilled", 0.4, 0.8, 0.6, TRUE);
  assert_double_range (backend, "lora_detailer", 0.5, 1.0, 1.0, TRUE);
  assert_int_range (backend, "img_compression", 0, 50, 23, TRUE);
  assert_double_range (backend, "img_strength", 0, 1, 1.0, TRUE);
}

static void
test_runpod_modes (void)
{
  g_autoptr(DlyBackend) backend = new_backend ("runpod", RUNPOD_BASE, API_KEY);
  g_autoptr(DlyRequest) request = dly_request_new ();
  char *message;

  /* No prompt is needed: the worker has its own. */
  message = validate_error (backend, request);
  assert_contains (message, "portrait image");
  g_free (message);
  dly_request_set_audio (request, "https://example.com/speech.mp3");
  message = validate_error (backend, request);
  assert_contains (message, "portrait image URL as well");
  g_free (message);

  dly_request_set_image (request, "https://example.com/portrait.jpg");
  g_assert_cmpint (validate_ok (backend, request), ==, DLY_MODE_LIP_SYNC);

  dly_request_set_audio (request, NULL);
  g_assert_cmpint (validate_ok (backend, request), ==, DLY_MODE_AUDIO_GENERATION);
  dly_request_set_param_double (request, "duration", 5.0);
  g_assert_cmpint (validate_ok (backend, request), ==, DLY_MODE_AUDIO_GENERATION);
  dly_request_set_param_double (request, "duration", 30.5);
  message = validate_error (backend, request);
  assert_contains (message, "duration");
  g_free (message);
  dly_request_set_param_double (request, "duration", 0.5);
  g_free (validate_error (backend, request));
  dly_request_set_param_double (request, "duration", 1);
  validate_ok (backend, request);

  dly_request_set_param_double (request, "lora_distilled", 0.9);
  g_free (validate_error (backend, request));
  dly_request_unset_param (request, "lora_distilled");
  dly_request_set_param_int (request, "img_compression", 51);
  g_free (validate_error (backend, request));
  dly_request_unset_param (request, "img_compression");
  dly_request_set_param_int (request, "width", 1000);
  message = validate_error (backend, request);
  assert_contains (message, "multiple of 32");
  g_free (message);
  dly_request_unset_param (request, "width");
  dly_request_set_param_string (request, "quality_preset", "max");
  g_free (validate_error (backend, request));
  dly_request_unset_param (request, "quality_preset");

  dly_request_add_lora (request, "https://huggingface.co/a/b.safetensors", 1.0);
  message = validate_error (backend, request);
  assert_contains (message, "no LoRAs");
  g_free (message);
}

static void
test_runpod_submit_lip_sync (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(DlyRequest) request = dly_request_new ();
  g_autoptr(DlyRemoteStatus) status = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonObject *input;
  const char *top[] = { "input", NULL };
  const char *fields[] = { "image_url", "audio_url", "quality_preset", NULL };
  const char *more[] = { "image_url", "audio_url", "quality_preset", "prompt_positive",
                         "lora_camera", "seed", "width", "height", NULL };

  dly_request_set_image (request, "https://example.com/portrait.jpg");
  dly_request_set_audio (request, "https://example.com/speech.mp3");
  dly_request_set_param_double (request, "duration", 8);  /* not for lip-sync: not sent */
  dly_request_set_negative_prompt (request, "blurry");    /* lip-sync has none */
  respond_json (fx, "{\"id\":\"job-1\",\"status\":\"IN_QUEUE\"}");
  status = submit_ok (fx, request);
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_QUEUED);
  g_assert_cmpstr (status->remote_id, ==, "job-1");

  /* /run, never /runsync. */
  g_assert_cmpstr (fx->method, ==, "POST");
  g_assert_cmpstr (fx->path, ==, "/v2/abc123/run");
  g_assert_cmpstr (soup_message_headers_get_one (fx->request_headers, "Authorization"), ==, bearer ());
  body = sent_json (fx);
  assert_members (body, top);
  input = json_object_get_object_member (body, "input");
  assert_members (input, fields);
  g_assert_cmpstr (json_object_get_string_member (input, "image_url"), ==,
                   "https://example.com/portrait.jpg");
  g_assert_cmpstr (json_object_get_string_member (input, "audio_url"), ==,
                   "https://example.com/speech.mp3");
  g_assert_cmpstr (json_object_get_string_member (input, "quality_preset"), ==, "high");

  dly_request_set_prompt (request, "A person speaks naturally with perfect lip synchronization");
  dly_request_set_param_double (request, "lora_camera", 0);
  dly_request_set_param_int (request, "seed", 1769452070347);
  dly_request_set_param_int (request, "width", 736);
  dly_request_set_param_int (request, "height", 1280);
  g_clear_pointer (&status, dly_remote_status_free);
  status = submit_ok (fx, request);
  g_clear_pointer (&body, json_object_unref);
  body = sent_json (fx);
  input = json_object_get_object_member (body, "input");
  assert_members (input, more);
  g_assert_cmpstr (json_object_get_string_member (input, "prompt_positive"), ==,
                   "A person speaks naturally with perfect lip synchronization");
  g_assert_cmpfloat (json_object_get_double_member (input, "lora_camera"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (input, "seed"), ==, 1769452070347);
  g_assert_cmpint (json_object_get_int_member (input, "width"), ==, 736);
  g_assert_cmpint (json_object_get_int_member (input, "height"), ==, 1280);
}

static void
test_runpod_submit_audio_generation (Fixture       *fx,
                                     gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("A person speaking about nature");
  g_autoptr(DlyRemoteStatus) status = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonObject *input;
  const char *fields[] = { "image_url", "duration", "prompt_positive", "prompt_negative",
                           "quality_preset", "lora_distilled", "lora_detailer", "img_compression",
                           "img_strength", NULL };

  dly_request_set_negative_prompt (request, "blurry, low quality");
  dly_request_set_image (request, "https://example.com/portrait.jpg");
  dly_request_set_param_double (request, "duration", 5.0);
  dly_request_set_param_string (request, "quality_preset", "ultra");
  dly_request_set_param_double (request, "lora_distilled", 0.8);
  dly_request_set_param_double (request, "lora_detailer", 0.5);
  dly_request_set_param_int (request, "img_compression", 0);
  dly_request_set_param_double (request, "img_strength", 0.7);
  respond_json (fx, "{\"id\":\"job-2\",\"status\":\"IN_QUEUE\"}");
  status = submit_ok (fx, request);
  g_assert_cmpstr (status->remote_id, ==, "job-2");

  body = sent_json (fx);
  input = json_object_get_object_member (body, "input");
  assert_members (input, fields);
  g_assert_false (json_object_has_member (input, "audio_url"));
  /* The worker needs a duration and has no default: without one, 5 s is sent. */
  {
    g_autoptr(DlyRequest) plain = dly_request_new ();
    g_autoptr(DlyRemoteStatus) plain_status = NULL;
    g_autoptr(JsonObject) plain_body = NULL;
    JsonObject *plain_input;

    dly_request_set_image (plain, "https://example.com/portrait.jpg");
    plain_status = submit_ok (fx, plain);
    plain_body = sent_json (fx);
    plain_input = json_object_get_object_member (plain_body, "input");
    g_assert_cmpfloat (json_object_get_double_member (plain_input, "duration"), ==, 5.0);
  }
  g_assert_cmpfloat (json_object_get_double_member (input, "duration"), ==, 5.0);
  g_assert_cmpstr (json_object_get_string_member (input, "prompt_positive"), ==,
                   "A person speaking about nature");
  g_assert_cmpstr (json_object_get_string_member (input, "prompt_negative"), ==,
                   "blurry, low quality");
  g_assert_cmpstr (json_object_get_string_member (input, "quality_preset"), ==, "ultra");
  g_assert_cmpfloat (json_object_get_double_member (input, "lora_distilled"), ==, 0.8);
  g_assert_cmpint (json_object_get_int_member (input, "img_compression"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (input, "img_strength"), ==, 0.7);
}

static void
test_runpod_submit_errors (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(DlyRequest) request = dly_request_new ();
  char *message;

  dly_request_set_image (request, "https://example.com/portrait.jpg");
  dly_request_set_audio (request, "https://example.com/speech.mp3");

  message = submit_error (fx, request, 401, "application/json", "{\"error\":\"Unauthorized\"}",
                          DLY_ERROR_AUTH);
  assert_contains (message, "Unauthorized");
  g_free (message);
  message = submit_error (fx, request, 401, NULL, NULL, DLY_ERROR_AUTH);
  g_free (message);
  message = submit_error (fx, request, 402, "application/json",
                          "{\"error\":\"Insufficient balance\"}", DLY_ERROR_CREDITS);
  assert_contains (message, "Insufficient balance");
  g_free (message);
  message = submit_error (fx, request, 400, "application/json",
                          "{\"error\":\"Input payload exceeds 10 MB\"}", DLY_ERROR_INVALID_INPUT);
  assert_contains (message, "Input payload exceeds 10 MB");
  g_free (message);
  message = submit_error (fx, request, 429, "application/json", "{\"error\":\"rate limited\"}",
                          DLY_ERROR_TRANSIENT);
  g_free (message);
  message = submit_error (fx, request, 500, "text/plain", "oops", DLY_ERROR_TRANSIENT);
  g_free (message);
  message = submit_error (fx, request, 200, "application/json", "{\"status\":\"IN_QUEUE\"}",
                          DLY_ERROR_UNKNOWN_SUBMISSION);
  assert_contains (message, "no job id");
  g_free (message);
  message = submit_error (fx, request, 200, "text/plain", "ok", DLY_ERROR_UNKNOWN_SUBMISSION);
  g_free (message);
}

static void
test_runpod_poll_states (Fixture       *fx,
                         gconstpointer  data)
{
  DlyRemoteStatus *status;

  status = poll_json (fx, "job-1", "{\"id\":\"job-1\",\"status\":\"IN_QUEUE\",\"delayTime\":120}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_QUEUED);
  g_assert_cmpstr (fx->method, ==, "GET");
  g_assert_cmpstr (fx->path, ==, "/v2/abc123/status/job-1");
  g_assert_cmpstr (soup_message_headers_get_one (fx->request_headers, "Authorization"), ==, bearer ());
  dly_remote_status_free (status);

  status = poll_json (fx, "job-1", "{\"id\":\"job-1\",\"status\":\"IN_PROGRESS\"}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_RUNNING);
  g_assert_cmpfloat (status->progress, ==, -1);
  dly_remote_status_free (status);
  status = poll_json (fx, "job-1", "{\"id\":\"job-1\",\"status\":\"RUNNING\"}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_RUNNING);
  dly_remote_status_free (status);

  /* An output while in progress is progress. */
  status = poll_json (fx, "job-1",
                      "{\"id\":\"job-1\",\"status\":\"IN_PROGRESS\",\"output\":"
                      "{\"progress\":0.4,\"message\":\"sampling step 4/8\"}}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_RUNNING);
  g_assert_cmpfloat (status->progress, ==, 0.4);
  g_assert_cmpstr (status->message, ==, "sampling step 4/8");
  dly_remote_status_free (status);
  status = poll_json (fx, "job-1", "{\"id\":\"job-1\",\"status\":\"IN_PROGRESS\",\"output\":65}");
  g_assert_cmpfloat (status->progress, ==, 0.65);
  dly_remote_status_free (status);
  status = poll_json (fx, "job-1",
                      "{\"id\":\"job-1\",\"status\":\"IN_PROGRESS\",\"output\":\"Loading models\"}");
  g_assert_cmpstr (status->message, ==, "Loading models");
  dly_remote_status_free (status);
  /* ... even when it looks like the result. */
  status = poll_json (fx, "job-1",
                      "{\"id\":\"job-1\",\"status\":\"IN_PROGRESS\",\"output\":{\"status\":\"success\","
                      "\"output\":{\"video_url\":\"https://storage.googleapis.com/b/early.mp4\"}}}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_RUNNING);
  g_assert_null (status->result_uri);
  dly_remote_status_free (status);

  /* The worker's own verdict, nested. */
  status = poll_json (fx, "job-1",
                      "{\"id\":\"job-1\",\"status\":\"COMPLETED\",\"delayTime\":5,\"executionTime\":120500,"
                      "\"output\":{\"status\":\"success\",\"output\":{"
                      "\"video_url\":\"https://storage.googleapis.com/dramaland-public/ugc_media/job-1/ltx2_videos/a.mp4\","
                      "\"gcs_url\":\"gs://dramaland-public/ugc_media/job-1/ltx2_videos/a.mp4\","
                      "\"resolution\":\"1280x736\",\"duration\":\"8.2s\",\"frames\":248,\"fps\":30,"
                      "\"seed\":1769452070347,\"quality_preset\":\"fast\",\"generation_time\":120.5}}}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpstr (status->result_uri, ==,
                   "https://storage.googleapis.com/dramaland-public/ugc_media/job-1/ltx2_videos/a.mp4");
  assert_contains (status->message, "1280x736");
  assert_contains (status->message, "1769452070347");
  dly_remote_status_free (status);

  /* A flat result is read the same way. */
  status = poll_json (fx, "job-1",
                      "{\"id\":\"job-1\",\"status\":\"COMPLETED\",\"output\":"
                      "{\"video_url\":\"https://storage.googleapis.com/b/flat.mp4\"}}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpstr (status->result_uri, ==, "https://storage.googleapis.com/b/flat.mp4");
  dly_remote_status_free (status);

  /* COMPLETED, but the worker failed. */
  status = poll_json (fx, "job-1",
                      "{\"id\":\"job-1\",\"status\":\"COMPLETED\",\"output\":{\"status\":\"FAILED\","
                      "\"error\":\"Failed to download audio\"}}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_FAILED);
  g_assert_cmpstr (status->message, ==, "Failed to download audio");
  dly_remote_status_free (status);
  status = poll_json (fx, "job-1",
                      "{\"id\":\"job-1\",\"status\":\"COMPLETED\",\"output\":{\"error\":\"Generation timeout\"}}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_FAILED);
  g_assert_cmpstr (status->message, ==, "Generation timeout");
  dly_remote_status_free (status);
  status = poll_json (fx, "job-1",
                      "{\"id\":\"job-1\",\"status\":\"COMPLETED\",\"output\":{\"status\":\"error\"}}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_FAILED);
  assert_contains (status->message, "error");
  dly_remote_status_free (status);
  status = poll_json (fx, "job-1",
                      "{\"id\":\"job-1\",\"status\":\"COMPLETED\",\"output\":{\"status\":\"success\","
                      "\"output\":{\"video_base64\":\"AAAA\"}}}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_FAILED);
  assert_contains (status->message, "no video_url");
  dly_remote_status_free (status);
  status = poll_json (fx, "job-1", "{\"id\":\"job-1\",\"status\":\"COMPLETED\"}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_FAILED);
  assert_contains (status->message, "returned nothing");
  dly_remote_status_free (status);

  status = poll_json (fx, "job-1",
                      "{\"id\":\"job-1\",\"status\":\"FAILED\",\"error\":\"Failed to download image: 404 Not Found\"}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_FAILED);
  g_assert_cmpstr (status->message, ==, "Failed to download image: 404 Not Found");
  dly_remote_status_free (status);
  status = poll_json (fx, "job-1", "{\"id\":\"job-1\",\"status\":\"TIMED_OUT\"}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_FAILED);
  assert_contains (status->message, "timed the job out");
  dly_remote_status_free (status);
  status = poll_json (fx, "job-1", "{\"id\":\"job-1\",\"status\":\"CANCELLED\"}");
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_CANCELLED);
  dly_remote_status_free (status);
}

static void
test_runpod_poll_errors (Fixture       *fx,
                         gconstpointer  data)
{
  char *message;

  /* Gone after the retention. */
  message = poll_error (fx, 404, "application/json", "{\"error\":\"job not found\"}",
                        DLY_ERROR_NOT_FOUND);
  assert_contains (message, "30 minutes");
  assert_contains (message, "job not found");
  g_free (message);
  message = poll_error (fx, 404, NULL, NULL, DLY_ERROR_NOT_FOUND);
  g_free (message);

  message = poll_error (fx, 200, "application/json", "{\"id\":\"job-1\",\"status\":\"DANCING\"}",
                        DLY_ERROR_PROTOCOL);
  assert_contains (message, "DANCING");
  g_free (message);
  message = poll_error (fx, 200, "application/json", "{\"id\":\"job-1\"}", DLY_ERROR_PROTOCOL);
  g_free (message);
  message = poll_error (fx, 200, "text/html", "<html>hi</html>", DLY_ERROR_PROTOCOL);
  g_free (message);
  message = poll_error (fx, 401, "application/json", "{\"error\":\"Unauthorized\"}", DLY_ERROR_AUTH);
  g_free (message);
  message = poll_error (fx, 503, "text/plain", "busy", DLY_ERROR_TRANSIENT);
  g_free (message);
}

static void
test_runpod_cancel_and_check (Fixture       *fx,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  respond_json (fx, "{\"id\":\"job-1\",\"status\":\"CANCELLED\"}");
  g_assert_true (dly_test_run_cancel (fx->backend, fx->session, "job-1", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fx->method, ==, "POST");
  g_assert_cmpstr (fx->path, ==, "/v2/abc123/cancel/job-1");
  g_assert_cmpstr (soup_message_headers_get_one (fx->request_headers, "Authorization"), ==, bearer ());

  respond_json (fx, "{\"jobs\":{\"completed\":12,\"failed\":1,\"inProgress\":2,\"inQueue\":3,"
                    "\"retried\":0},\"workers\":{\"idle\":1,\"running\":2}}");
  text = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fx->path, ==, "/v2/abc123/health");
  assert_contains (text, "1 idle, 2 running");
  assert_contains (text, "3 in queue, 2 in progress");
  g_clear_pointer (&text, g_free);

  respond (fx, 401, NULL, NULL);
  text = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_null (text);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_AUTH);
  g_clear_error (&error);

  respond (fx, 404, "text/plain", "404 page not found");
  text = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_NOT_FOUND);
  assert_contains (error->message, "ENDPOINT_ID");
}

/* segmind */

static void
test_segmind_class (void)
{
  g_autoptr(DlyBackend) backend = new_backend ("segmind", SEGMIND_BASE, API_KEY);
  DlyBackendClass *klass = DLY_BACKEND_GET_CLASS (backend);
  const char *ratios[] = { "1:1", "1:2", "2:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16",
                           "16:9", "9:21", "21:9", NULL };
  const gint64 lengths[] = { 97, 129, 161, 193, 225, 257 };
  const gint64 sizes[] = { 512, 576, 640, 704, 768, 832, 896, 960, 1024 };

  g_assert_cmpstr (dly_backend_get_label (backend), ==, "Segmind");
  g_assert_cmpint (dly_backend_get_modes (backend), ==,
                   DLY_MODE_FLAG_TEXT_TO_VIDEO | DLY_MODE_FLAG_IMAGE_TO_VIDEO);
  g_assert_true (klass->inline_result);
  g_assert_null (klass->build_cancel);
  g_assert_false (dly_backend_has_remote_cancel (backend));
  g_assert_cmpuint (dly_backend_get_submit_timeout (backend), >=, 600);

  g_assert_cmpuint (g_strv_length ((char **) ratios), ==, 13);
  assert_choices (backend, "aspect_ratio", ratios, "3:2");
  assert_double_range (backend, "cfg", 1, 20, 3, FALSE);
  assert_int_range (backend, "steps", 1, 50, 30, FALSE);
  assert_int_choices (backend, "length", lengths, G_N_ELEMENTS (lengths), 97);
  assert_int_choices (backend, "target_size", sizes, G_N_ELEMENTS (sizes), 640);
  assert_int_range (backend, "seed", 0, G_GINT64_CONSTANT (9007199254740991), 0, TRUE);
}

static void
test_segmind_validate (void)
{
  g_autoptr(DlyBackend) backend = new_backend ("segmind", SEGMIND_BASE, API_KEY);
  g_autoptr(DlyRequest) request = new_request ("A woman looks down and to her right, then back up");
  char *message;

  g_assert_cmpint (validate_ok (backend, request), ==, DLY_MODE_TEXT_TO_VIDEO);
  dly_request_set_image (request, "https://example.com/first-frame.png");
  g_assert_cmpint (validate_ok (backend, request), ==, DLY_MODE_IMAGE_TO_VIDEO);

  dly_request_set_param_int (request, "length", 100);
  message = validate_error (backend, request);
  assert_contains (message, "97, 129, 161, 193, 225, 257");
  g_free (message);
  dly_request_set_param_int (request, "length", 257);
  dly_request_set_param_int (request, "target_size", 600);
  g_free (validate_error (backend, request));
  dly_request_set_param_int (request, "target_size", 1024);
  dly_request_set_param_string (request, "aspect_ratio", "7:3");
  g_free (validate_error (backend, request));
  dly_request_set_param_string (request, "aspect_ratio", "21:9");
  dly_request_set_param_double (request, "cfg", 20.5);
  g_free (validate_error (backend, request));
  dly_request_set_param_double (request, "cfg", 1);
  dly_request_set_param_int (request, "steps", 51);
  g_free (validate_error (backend, request));
  dly_request_set_param_int (request, "steps", 50);
  validate_ok (backend, request);

  dly_request_set_audio (request, "https://example.com/a.mp3");
  g_free (validate_error (backend, request));
}

static void
test_segmind_submit_video (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("A woman with dark hair pulled back looks down and to her right");
  g_autoptr(DlyRemoteStatus) status = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GBytes) video = NULL;
  g_autoptr(GError) error = NULL;
  const char *fields[] = { "prompt", "aspect_ratio", "cfg", "steps", "length", "target_size", NULL };
  const char *i2v_fields[] = { "prompt", "negative_prompt", "image", "cfg", "steps", "length",
                               "target_size", "seed", NULL };

  respond_bytes (fx, 200, "video/mp4", VIDEO_BYTES, VIDEO_SIZE);
  status = submit_ok (fx, request);
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_SUCCEEDED);
  g_assert_null (status->remote_id);
  g_assert_nonnull (status->result_stream);
  g_assert_cmpint (status->result_size, ==, VIDEO_SIZE);
  video = g_input_stream_read_bytes (status->result_stream, 4096, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (video, NULL), g_bytes_get_size (video), VIDEO_BYTES, VIDEO_SIZE);

  g_assert_cmpstr (fx->method, ==, "POST");
  g_assert_cmpstr (fx->path, ==, "/v1/ltx-video");
  g_assert_cmpstr (soup_message_headers_get_one (fx->request_headers, "x-api-key"), ==, API_KEY);
  g_assert_null (soup_message_headers_get_one (fx->request_headers, "Authorization"));
  body = sent_json (fx);
  assert_members (body, fields);
  g_assert_cmpstr (json_object_get_string_member (body, "aspect_ratio"), ==, "3:2");
  g_assert_cmpfloat (json_object_get_double_member (body, "cfg"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (body, "steps"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (body, "length"), ==, 97);
  g_assert_cmpint (json_object_get_int_member (body, "target_size"), ==, 640);

  /* Image to video: no aspect ratio (Segmind ignores it), and the negative prompt. */
  dly_request_set_image (request, "https://example.com/first-frame.png");
  dly_request_set_negative_prompt (request, "low quality, worst quality, deformed, distorted");
  dly_request_set_param_string (request, "aspect_ratio", "16:9");
  dly_request_set_param_int (request, "seed", 2357108);
  dly_request_set_param_int (request, "length", 161);
  dly_request_set_param_int (request, "target_size", 768);
  dly_request_set_param_double (request, "cfg", 3.5);
  g_clear_pointer (&status, dly_remote_status_free);
  status = submit_ok (fx, request);
  g_clear_pointer (&body, json_object_unref);
  body = sent_json (fx);
  assert_members (body, i2v_fields);
  g_assert_cmpstr (json_object_get_string_member (body, "image"), ==, "https://example.com/first-frame.png");
  g_assert_cmpint (json_object_get_int_member (body, "seed"), ==, 2357108);
  g_assert_cmpint (json_object_get_int_member (body, "length"), ==, 161);
  g_assert_cmpint (json_object_get_int_member (body, "target_size"), ==, 768);
  g_assert_cmpfloat (json_object_get_double_member (body, "cfg"), ==, 3.5);

  /* The model's own URL as the base URL. */
  g_clear_object (&fx->backend);
  fx->backend = new_backend ("segmind", SEGMIND_BASE "/v1/ltx-video/", API_KEY);
  g_clear_pointer (&status, dly_remote_status_free);
  status = submit_ok (fx, request);
  g_assert_cmpstr (fx->path, ==, "/v1/ltx-video");
}

static void
test_segmind_errors (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("A woman looks down and to her right, then back up");
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;
  char *message;

  message = submit_error (fx, request, 406, "application/json",
                          "{\"error\":\"Insufficient credits\"}", DLY_ERROR_CREDITS);
  assert_contains (message, "Insufficient credits");
  g_free (message);
  message = submit_error (fx, request, 406, NULL, NULL, DLY_ERROR_CREDITS);
  g_free (message);
  message = submit_error (fx, request, 406, "application/json",
                          "{\"error\":\"Invalid content type\"}", DLY_ERROR_INVALID_INPUT);
  assert_contains (message, "Invalid content type");
  g_free (message);
  message = submit_error (fx, request, 401, "application/json",
                          "{\"error\":\"Unauthorized: invalid API key\"}", DLY_ERROR_AUTH);
  assert_contains (message, "invalid API key");
  g_free (message);
  message = submit_error (fx, request, 403, "application/json",
                          "{\"error\":\"Insufficient permissions\"}", DLY_ERROR_AUTH);
  g_free (message);
  message = submit_error (fx, request, 400, "application/json",
                          "{\"error\":\"prompt: field required\"}", DLY_ERROR_INVALID_INPUT);
  assert_contains (message, "prompt: field required");
  g_free (message);
  message = submit_error (fx, request, 404, "application/json",
                          "{\"error\":\"Model not found\"}", DLY_ERROR_INVALID_INPUT);
  assert_contains (message, "Model not found");
  g_free (message);
  message = submit_error (fx, request, 405, "text/html",
                          "<html><body><h1>405 Not Allowed</h1></body></html>", DLY_ERROR_INVALID_INPUT);
  g_assert_null (strstr (message, "<html>"));
  g_free (message);
  message = submit_error (fx, request, 500, "application/json",
                          "{\"error\":\"Internal server error\"}", DLY_ERROR_TRANSIENT);
  g_free (message);
  message = submit_error (fx, request, 502, "text/plain", "Bad Gateway", DLY_ERROR_TRANSIENT);
  g_free (message);
  /* A gateway timeout after the request went in: it may have run. */
  message = submit_error (fx, request, 504, "application/json", "{\"error\":\"Timeout\"}",
                          DLY_ERROR_UNKNOWN_SUBMISSION);
  g_free (message);

  respond (fx, 429, "application/json", "{\"error\":\"Too many requests\"}");
  respond_header (fx, "x-rate-limit-reset-at-utc", "30");
  status = dly_test_run_submit (fx->backend, fx->session, request, &error);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_TRANSIENT);
  g_assert_cmpuint (dly_error_get_retry_after (error), ==, 30000);
  g_clear_error (&error);
  /* As Segmind's gateway sends it: the moment the limit resets. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) reset = g_date_time_add_seconds (now, 20);
    g_autofree char *text = g_date_time_format (reset, "%Y-%m-%dT%H:%M:%SZ");

    respond (fx, 429, "application/json", "{\"error\":\"Too many requests\"}");
    respond_header (fx, "x-rate-limit-reset-at-utc", text);
    status = dly_test_run_submit (fx->backend, fx->session, request, &error);
    g_assert_error (error, DLY_ERROR, DLY_ERROR_TRANSIENT);
    g_assert_cmpuint (dly_error_get_retry_after (error), >, 15000);
    g_assert_cmpuint (dly_error_get_retry_after (error), <=, 20000);
    g_clear_error (&error);
  }

  /* JSON under 200: an error, a URL, base64, or nothing usable. */
  respond_json (fx, "{\"error\":\"NSFW content detected\"}");
  status = submit_ok (fx, request);
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_FAILED);
  g_assert_cmpstr (status->message, ==, "NSFW content detected");
  g_clear_pointer (&status, dly_remote_status_free);

  respond_json (fx, "{\"output\":[\"https://segmind-outputs.test/v.mp4\"]}");
  status = submit_ok (fx, request);
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpstr (status->result_uri, ==, "https://segmind-outputs.test/v.mp4");
  g_clear_pointer (&status, dly_remote_status_free);

  {
    g_autofree char *encoded = g_base64_encode ((const guchar *) VIDEO_BYTES, VIDEO_SIZE);
    g_autofree char *json = g_strdup_printf ("{\"video\":\"%s\"}", encoded);
    g_autoptr(GBytes) video = NULL;

    respond_json (fx, json);
    status = submit_ok (fx, request);
    g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_SUCCEEDED);
    g_assert_nonnull (status->result_stream);
    video = g_input_stream_read_bytes (status->result_stream, 4096, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (video, NULL), g_bytes_get_size (video), VIDEO_BYTES, VIDEO_SIZE);
    g_clear_pointer (&status, dly_remote_status_free);
  }

  message = submit_error (fx, request, 200, "application/json", "{\"status\":\"ok\"}",
                          DLY_ERROR_PROTOCOL);
  g_free (message);
  message = submit_error (fx, request, 200, "text/plain", "done", DLY_ERROR_PROTOCOL);
  assert_contains (message, "text/plain");
  g_free (message);
}

static void
test_segmind_cancel_and_check (Fixture       *fx,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;

  /* Cancelling aborts the request: nothing is sent. */
  g_assert_true (dly_test_run_cancel (fx->backend, fx->session, "anything", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fx->n_requests, ==, 0);

  /* Polling has nothing to ask. */
  status = dly_test_run_poll (fx->backend, fx->session, "anything", &error);
  g_assert_null (status);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_cmpuint (fx->n_requests, ==, 0);

  respond (fx, 400, "application/json", "{\"error\":\"prompt is required\"}");
  respond_header (fx, "x-remaining-credits", "12.5");
  text = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_no_error (error);
  assert_contains (text, "Reachable");
  assert_contains (text, "12.5");
  g_assert_cmpstr (fx->path, ==, "/v1/ltx-video");
  g_assert_cmpstr (soup_message_headers_get_one (fx->request_headers, "x-api-key"), ==, API_KEY);
  body = sent_json (fx);
  g_assert_cmpuint (json_object_get_size (body), ==, 0);
  g_clear_pointer (&text, g_free);

  respond (fx, 401, "application/json", "{\"error\":\"Invalid API key\"}");
  text = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_null (text);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_AUTH);
  g_clear_error (&error);

  respond (fx, 406, "application/json", "{\"error\":\"Insufficient credits\"}");
  text = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_CREDITS);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, dialect) \
  g_test_add (path, Fixture, dialect, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/hosted/registry", test_registry);
  ADD ("/hosted/apixo/local-files-refused", test_local_files_refused, "apixo");
  ADD ("/hosted/runpod/local-files-refused", test_local_files_refused, "runpod");
  ADD ("/hosted/segmind/local-files-refused", test_local_files_refused, "segmind");
  ADD ("/hosted/apixo/key-required", test_key_required, "apixo");
  ADD ("/hosted/runpod/key-required", test_key_required, "runpod");
  ADD ("/hosted/segmind/key-required", test_key_required, "segmind");
  ADD ("/hosted/apixo/key-redacted", test_key_redacted, "apixo");
  ADD ("/hosted/runpod/key-redacted", test_key_redacted, "runpod");
  ADD ("/hosted/segmind/key-redacted", test_key_redacted, "segmind");
  ADD ("/hosted/apixo/no-key-to-foreign-host", test_no_key_to_foreign_host, "apixo");
  ADD ("/hosted/runpod/no-key-to-foreign-host", test_no_key_to_foreign_host, "runpod");
  ADD ("/hosted/segmind/no-key-to-foreign-host", test_no_key_to_foreign_host, "segmind");

  g_test_add_func ("/apixo/class", test_apixo_class);
  g_test_add_func ("/apixo/validate", test_apixo_validate);
  ADD ("/apixo/submit/text-to-video", test_apixo_submit_t2v, "apixo");
  ADD ("/apixo/submit/image-to-video-lora", test_apixo_submit_i2v_lora, "apixo");
  ADD ("/apixo/submit/errors", test_apixo_submit_errors, "apixo");
  ADD ("/apixo/poll/states", test_apixo_poll_states, "apixo");
  ADD ("/apixo/poll/malformed", test_apixo_poll_malformed, "apixo");
  ADD ("/apixo/check", test_apixo_check, "apixo");

  g_test_add_func ("/runpod/class", test_runpod_class);
  g_test_add_func ("/runpod/modes", test_runpod_modes);
  ADD ("/runpod/submit/lip-sync", test_runpod_submit_lip_sync, "runpod");
  ADD ("/runpod/submit/audio-generation", test_runpod_submit_audio_generation, "runpod");
  ADD ("/runpod/submit/errors", test_runpod_submit_errors, "runpod");
  ADD ("/runpod/poll/states", test_runpod_poll_states, "runpod");
  ADD ("/runpod/poll/errors", test_runpod_poll_errors, "runpod");
  ADD ("/runpod/cancel-and-check", test_runpod_cancel_and_check, "runpod");

  g_test_add_func ("/segmind/class", test_segmind_class);
  g_test_add_func ("/segmind/validate", test_segmind_validate);
  ADD ("/segmind/submit/video", test_segmind_submit_video, "segmind");
  ADD ("/segmind/submit/errors", test_segmind_errors, "segmind");
  ADD ("/segmind/cancel-and-check", test_segmind_cancel_and_check, "segmind");

#undef ADD

  return g_test_run ();
}
