/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The self-hosted dialects (ltxv-task, ltx2-server) as encoders and decoders: what they send
 * and how they read every answer their documents describe, and many they do not.
 *
 * Nothing leaves the machine. Each test runs a SoupServer on 127.0.0.1 that records the
 * request and gives a canned answer, and the client session uses it as its HTTP proxy, so the
 * backends can have realistic base URLs (a LAN address, localhost) while every byte stays on
 * loopback (plain http only: the server does not tunnel CONNECT). The server is also how
 * answers get an HTTP status: libsoup has no public way to give a client message one. */
#include "config.h"

#include "dly-test-backend.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dly-backend-ltx2-server.h"
#include "dly-backend-ltxv-task.h"
#include "dly-error.h"

#define LAN_BASE "http://192.168.1.26:8004"
#define NBSP "\xc2\xa0"

typedef struct
{
  SoupServer         *server;
  SoupSession        *session;
  DlyBackend         *backend;

  /* The last request the server saw. */
  guint               n_requests;
  char               *method;
  char               *path;
  SoupMessageHeaders *request_headers;
  GBytes             *request_body;

  /* The answer it gives. */
  guint               status;
  char               *content_type;
  char               *body;
  char               *retry_after;
} Fixture;

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *fx = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  fx->n_requests++;
  g_free (fx->method);
  fx->method = g_strdup (soup_server_message_get_method (msg));
  g_free (fx->path);
  fx->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  g_clear_pointer (&fx->request_headers, soup_message_headers_unref);
  fx->request_headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  g_clear_pointer (&fx->request_body, g_bytes_unref);
  fx->request_body = soup_message_body_flatten (body);

  soup_server_message_set_status (msg, fx->status, NULL);
  if (fx->retry_after != NULL)
    soup_message_headers_append (soup_server_message_get_response_headers (msg), "Retry-After",
                                 fx->retry_after);
  soup_server_message_set_response (msg, fx->content_type, SOUP_MEMORY_COPY, fx->body,
                                    strlen (fx->body));
}

static void
respond (Fixture    *fx,
         guint       status,
         const char *content_type,
         const char *body)
{
  fx->status = status;
  g_free (fx->content_type);
  fx->content_type = g_strdup (content_type);
  g_free (fx->body);
  fx->body = g_strdup (body);
}

static void
respond_json (Fixture    *fx,
              const char *body)
{
  respond (fx, 200, "application/json", body);
}

static DlyBackend *
new_backend (const char *dialect,
             const char *base_url)
{
  g_autoptr(GError) error = NULL;
  DlyBackend *backend = dly_backend_new_for_dialect (dialect, base_url, &error);

  g_assert_no_error (error);
  g_assert_nonnull (backend);
  return backend;
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

  fx->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fx->server, NULL, on_request, fx, NULL);
  soup_server_listen_local (fx->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fx->server);
  g_assert_nonnull (uris);
  proxy = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  resolver = g_simple_proxy_resolver_new (proxy, NULL);
  fx->session = soup_session_new_with_options ("proxy-resolver", resolver, NULL);
  fx->backend = new_backend (dialect, LAN_BASE);
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
  g_clear_pointer (&fx->request_headers, soup_message_headers_unref);
  g_clear_pointer (&fx->request_body, g_bytes_unref);
  g_free (fx->content_type);
  g_free (fx->body);
  g_free (fx->retry_after);
}

/* Polls with @body as a 200 JSON answer and expects a status. */
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

/* Polls with the given answer and expects an error of @code; returns its message. */
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
  status = dly_test_run_poll (fx->backend, fx->session, "abc123", &error);
  g_assert_null (status);
  g_assert_error (error, DLY_ERROR, code);
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

/* Multipart bodies, read back with libsoup's own parser. */

static SoupMultipart *
captured_multipart (Fixture *fx)
{
  SoupMultipart *multipart;

  g_assert_nonnull (fx->request_headers);
  multipart = soup_multipart_new_from_message (fx->request_headers, fx->request_body);
  g_assert_nonnull (multipart);
  return multipart;
}

/* The part named @name (NULL if none), with its file name and type. */
static GBytes *
form_part (SoupMultipart *multipart,
           const char    *name,
           char         **filename,
           char         **content_type)
{
  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers;
      GBytes *body;
      g_autofree char *disposition = NULL;
      g_autoptr(GHashTable) params = NULL;

      g_assert_true (soup_multipart_get_part (multipart, i, &headers, &body));
      g_assert_true (soup_message_headers_get_content_disposition (headers, &disposition, &params));
      g_assert_cmpstr (disposition, ==, "form-data");
      if (g_strcmp0 (g_hash_table_lookup (params, "name"), name) != 0)
        continue;
      if (filename != NULL)
        *filename = g_strdup (g_hash_table_lookup (params, "filename"));
      if (content_type != NULL)
        *content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
      return g_bytes_ref (body);
    }
  return NULL;
}

static char *
form_field (SoupMultipart *multipart,
            const char    *name)
{
  g_autoptr(GBytes) body = form_part (multipart, name, NULL, NULL);
  gsize size;
  const char *data;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &size);
  return g_strndup (data, size);
}

static GStrv
form_names (SoupMultipart *multipart)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers;
      GBytes *body;
      g_autofree char *disposition = NULL;
      g_autoptr(GHashTable) params = NULL;

      soup_multipart_get_part (multipart, i, &headers, &body);
      soup_message_headers_get_content_disposition (headers, &disposition, &params);
      g_strv_builder_add (builder, g_hash_table_lookup (params, "name"));
    }
  return g_strv_builder_end (builder);
}

static void
assert_strv_equal (GStrv               actual,
                   const char * const *expected)
{
  g_autofree char *a = g_strjoinv (",", actual);
  g_autofree char *e = g_strjoinv (",", (char **) expected);

  g_assert_cmpstr (a, ==, e);
}

/* Input files, in the test's own (isolated, removed afterwards) cache directory. */

static const guint8 png_bytes[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1,
  0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
};
static const guint8 jpeg_bytes[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0 };
static const guint8 webp_bytes[] = { 'R', 'I', 'F', 'F', 26, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' ' };
static const guint8 gif_bytes[] = { 'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0 };

static char *
write_file (const char   *name,
            const guint8 *data,
            gsize         size)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);

  g_assert_no_errno (g_mkdir_with_parents (g_get_user_cache_dir (), 0700));
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);
  return path;
}

/* A file of @size bytes that starts with @head; sparse, so a big one costs nothing. */
static char *
write_sized_file (const char   *name,
                  const guint8 *head,
                  gsize         head_size,
                  goffset       size)
{
  char *path = write_file (name, head, head_size);
  FILE *file = fopen (path, "r+b");

  g_assert_nonnull (file);
  g_assert_no_errno (fseeko (file, size - 1, SEEK_SET));
  g_assert_cmpint (fputc (0, file), ==, 0);
  g_assert_no_errno (fclose (file));
  return path;
}

/* Submits a request with @image and expects INVALID_INPUT before anything is sent. */
static char *
submit_image_error (Fixture    *fx,
                    const char *image)
{
  g_autoptr(DlyRequest) request = new_request ("A cat walking in the garden");
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;
  guint before = fx->n_requests;

  dly_request_set_image (request, image);
  respond_json (fx, "{\"task_id\": \"should-not-be-asked\"}");
  status = dly_test_run_submit (fx->backend, fx->session, request, &error);
  g_assert_null (status);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  g_assert_cmpuint (fx->n_requests, ==, before);  /* nothing was sent */
  return g_strdup (error->message);
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

static void
assert_int_param (DlyBackend *backend,
                  const char *name,
                  gint64      minimum,
                  gint64      maximum,
                  gint64      default_value,
                  guint       multiple,
                  gboolean    frame_count)
{
  GParamSpec *pspec = dly_backend_find_param (backend, name);

  g_assert_nonnull (pspec);
  g_assert_true (G_IS_PARAM_SPEC_INT64 (pspec));
  g_assert_cmpint (G_PARAM_SPEC_INT64 (pspec)->minimum, ==, minimum);
  g_assert_cmpint (G_PARAM_SPEC_INT64 (pspec)->maximum, ==, maximum);
  g_assert_cmpint (G_PARAM_SPEC_INT64 (pspec)->default_value, ==, default_value);
  g_assert_cmpuint (dly_param_get_multiple_of (pspec), ==, multiple);
  g_assert_cmpint (dly_param_is_frame_count (pspec), ==, frame_count);
  g_assert_false (dly_param_is_optional (pspec));
}

static void
assert_double_param (DlyBackend  *backend,
                     const char  *name,
                     double       minimum,
                     double       maximum,
                     double       default_value,
                     DlyModeFlags modes)
{
  GParamSpec *pspec = dly_backend_find_param (backend, name);

  g_assert_nonnull (pspec);
  g_assert_true (G_IS_PARAM_SPEC_DOUBLE (pspec));
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->minimum, ==, minimum);
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->maximum, ==, maximum);
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->default_value, ==, default_value);
  g_assert_cmpint (dly_param_get_modes (pspec), ==, modes);
}

static GStrv
param_names (DlyBackend *backend)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;
  GParamSpec **params = dly_backend_list_params (backend, &n);

  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, g_param_spec_get_name (params[i]));
  return g_strv_builder_end (builder);
}

/* Both dialects */

static void
test_registry (void)
{
  g_auto(GStrv) dialects = dly_backend_list_dialects ();
  g_autoptr(DlyBackend) task = new_backend ("ltxv-task", "http://localhost:8000/");
  g_autoptr(DlyBackend) ltx2 = new_backend ("ltx2-server", LAN_BASE);

  g_assert_true (g_strv_contains ((const char * const *) dialects, "ltxv-task"));
  g_assert_true (g_strv_contains ((const char * const *) dialects, "ltx2-server"));
  g_assert_true (DLY_IS_BACKEND_LTXV_TASK (task));
  g_assert_true (DLY_IS_BACKEND_LTX2_SERVER (ltx2));
  g_assert_cmpstr (dly_backend_get_dialect (task), ==, "ltxv-task");
  g_assert_cmpstr (dly_backend_get_dialect (ltx2), ==, "ltx2-server");
  g_assert_cmpstr (dly_backend_get_base_url (task), ==, "http://localhost:8000");
}

/* ltxv-task: the class */

static void
test_ltxv_class (void)
{
  g_autoptr(DlyBackend) backend = new_backend ("ltxv-task", LAN_BASE);
  g_auto(GStrv) names = param_names (backend);
  const char * const expected[] = { "width", "height", "num_frames", "seed", NULL };

  g_assert_cmpstr (dly_backend_get_label (backend), ==, "LTX-Video task server");
  g_assert_cmpint (dly_backend_get_modes (backend), ==,
                   DLY_MODE_FLAG_TEXT_TO_VIDEO | DLY_MODE_FLAG_IMAGE_TO_VIDEO);
  g_assert_cmpint (dly_backend_get_image_inputs (backend), ==, DLY_INPUT_FILE);
  g_assert_cmpint (dly_backend_get_audio_inputs (backend), ==, DLY_INPUT_NONE);
  g_assert_true (dly_backend_uses_negative_prompt (backend));
  g_assert_false (dly_backend_has_remote_cancel (backend));
  g_assert_cmpuint (dly_backend_get_max_loras (backend), ==, 0);
  g_assert_false (DLY_BACKEND_GET_CLASS (backend)->needs_api_key);
  g_assert_false (DLY_BACKEND_GET_CLASS (backend)->inline_result);
  g_assert_null (DLY_BACKEND_GET_CLASS (backend)->build_cancel);

  assert_strv_equal (names, expected);
  /* The document's own defaults, though not LTX sizes: no rule may reject them. */
  assert_int_param (backend, "width", 64, 2048, 1280, 0, FALSE);
  assert_int_param (backend, "height", 64, 2048, 720, 0, FALSE);
  assert_int_param (backend, "num_frames", 9, 513, 120, 0, FALSE);
  assert_int_param (backend, "seed", 0, G_MAXUINT32, 42, 0, FALSE);
  g_assert_cmpstr (dly_param_get_unit (dly_backend_find_param (backend, "width")), ==, "px");
  /* The LTX rule reaches the user as a hint. */
  assert_contains (g_param_spec_get_blurb (dly_backend_find_param (backend, "height")), "32");
  assert_contains (g_param_spec_get_blurb (dly_backend_find_param (backend, "num_frames")), "8k+1");
}

static void
test_ltxv_validate (void)
{
  g_autoptr(DlyBackend) backend = new_backend ("ltxv-task", LAN_BASE);
  g_autoptr(DlyRequest) request = new_request ("A cat walking in the garden");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  DlyMode mode;

  /* The documented example, every value spelt out. */
  dly_request_set_param_int (request, "width", 1280);
  dly_request_set_param_int (request, "height", 720);
  dly_request_set_param_int (request, "num_frames", 120);
  dly_request_set_param_int (request, "seed", 42);
  g_assert_true (dly_backend_validate (backend, request, &mode, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mode, ==, DLY_MODE_TEXT_TO_VIDEO);

  /* An image makes it image-to-video; the file itself is read only when submitting. */
  dly_request_set_image (request, "/nonexistent/still.png");
  g_assert_true (dly_backend_validate (backend, request, &mode, &error));
  g_assert_cmpint (mode, ==, DLY_MODE_IMAGE_TO_VIDEO);

  dly_request_set_image (request, "https://example.com/still.png");
  message = validate_error (backend, request);
  assert_contains (message, "https://example.com/still.png");
  assert_contains (message, "local file");
  g_clear_pointer (&message, g_free);
  dly_request_set_image (request, NULL);

  dly_request_set_param_int (request, "width", 32);
  message = validate_error (backend, request);
  assert_contains (message, "width must be between 64 and 2048, not 32");
  g_clear_pointer (&message, g_free);
  dly_request_set_param_int (request, "width", 1280);

  dly_request_set_param_int (request, "num_frames", 600);
  message = validate_error (backend, request);
  assert_contains (message, "num_frames must be between 9 and 513, not 600");
  g_clear_pointer (&message, g_free);
  dly_request_unset_param (request, "num_frames");

  dly_request_set_param_int (request, "seed", -1);
  message = validate_error (backend, request);
  assert_contains (message, "seed must be between 0 and 4294967295, not -1");
  g_clear_pointer (&message, g_free);
  dly_request_unset_param (request, "seed");

  dly_request_set_param_double (request, "guidance_scale", 3.0);
  message = validate_error (backend, request);
  assert_contains (message, "no parameter “guidance_scale”");
  g_clear_pointer (&message, g_free);
  dly_request_unset_param (request, "guidance_scale");

  dly_request_set_param_string (request, "height", "tall");
  message = validate_error (backend, request);
  assert_contains (message, "“tall” is not a valid value for height");
  g_clear_pointer (&message, g_free);
  dly_request_unset_param (request, "height");

  dly_request_set_audio (request, "/tmp/voice.wav");
  dly_request_set_image (request, "/tmp/face.png");
  message = validate_error (backend, request);
  assert_contains (message, "takes no audio input");
  g_clear_pointer (&message, g_free);
  dly_request_set_audio (request, NULL);
  dly_request_set_image (request, NULL);

  dly_request_add_lora (request, "https://example.com/style.safetensors", 0.8);
  message = validate_error (backend, request);
  assert_contains (message, "takes no LoRAs");
  g_clear_pointer (&message, g_free);
  dly_request_clear_loras (request);

  dly_request_set_prompt (request, "  ");
  message = validate_error (backend, request);
  assert_contains (message, "Write a prompt");
}

static void
test_ltxv_param_parse (void)
{
  g_autoptr(DlyBackend) backend = new_backend ("ltxv-task", LAN_BASE);
  GParamSpec *width = dly_backend_find_param (backend, "width");
  GParamSpec *frames = dly_backend_find_param (backend, "num_frames");
  GParamSpec *seed = dly_backend_find_param (backend, "seed");
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  /* --set num_frames=120: the document's default parses as it is. */
  g_assert_true (dly_param_parse (frames, "120", &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_value_get_int64 (&value), ==, 120);
  g_value_unset (&value);

  g_assert_true (dly_param_parse (width, "720", &value, &error));
  g_assert_cmpint (g_value_get_int64 (&value), ==, 720);
  g_value_unset (&value);

  g_assert_true (dly_param_parse (seed, "4294967295", &value, &error));
  g_assert_cmpint (g_value_get_int64 (&value), ==, G_MAXUINT32);
  g_value_unset (&value);

  g_assert_false (dly_param_parse (width, "1280px", &value, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  assert_contains (error->message, "“1280px” is not a valid value for width: expected 64–2048");
  g_clear_error (&error);

  g_assert_false (dly_param_parse (width, "4096", &value, &error));
  assert_contains (error->message, "width must be between 64 and 2048, not 4096");
  g_clear_error (&error);

  g_assert_false (dly_param_parse (seed, "4294967296", &value, &error));
  assert_contains (error->message, "seed must be between 0 and 4294967295");
  g_clear_error (&error);

  g_assert_false (dly_param_parse (frames, "", &value, &error));
  assert_contains (error->message, "is not a valid value for num_frames");
}

/* ltxv-task: submitting */

static void
test_ltxv_build_submit (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("A cat walking in the garden");
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *type;

  message = DLY_BACKEND_GET_CLASS (fx->backend)->build_submit (fx->backend, request,
                                                               DLY_MODE_TEXT_TO_VIDEO, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);
  g_assert_cmpstr (soup_message_get_method (message), ==, "POST");
  uri = g_uri_to_string (soup_message_get_uri (message));
  g_assert_cmpstr (uri, ==, LAN_BASE "/generate");
  type = soup_message_headers_get_content_type (soup_message_get_request_headers (message), &params);
  g_assert_cmpstr (type, ==, "multipart/form-data");
  g_assert_nonnull (g_hash_table_lookup (params, "boundary"));
  /* No key for this dialect: nothing to leak. */
  g_assert_null (soup_message_headers_get_one (soup_message_get_request_headers (message),
                                               "Authorization"));
}

static void
test_ltxv_submit_t2v (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("A cat walking in the garden");
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_auto(GStrv) names = NULL;
  const char * const expected[] = { "prompt", "negative_prompt", "width", "height",
                                    "num_frames", "seed", NULL };
  struct { const char *name, *value; } fields[] = {
    { "prompt", "A cat walking in the garden" },
    { "negative_prompt", DLY_LTXV_TASK_DEFAULT_NEGATIVE_PROMPT },
    { "width", "1280" }, { "height", "720" }, { "num_frames", "120" }, { "seed", "42" },
  };

  respond_json (fx, "{\"task_id\": \"abc123-def456-ghi789\"}");
  status = dly_test_run_submit (fx->backend, fx->session, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_QUEUED);
  g_assert_cmpstr (status->remote_id, ==, "abc123-def456-ghi789");
  assert_contains (status->detail_json, "abc123-def456-ghi789");

  g_assert_cmpstr (fx->method, ==, "POST");
  g_assert_cmpstr (fx->path, ==, "/generate");
  g_assert_cmpstr (soup_message_headers_get_one (fx->request_headers, "Host"), ==,
                   "192.168.1.26:8004");
  multipart = captured_multipart (fx);
  names = form_names (multipart);
  assert_strv_equal (names, expected);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = form_field (multipart, fields[i].name);

      g_assert_cmpstr (value, ==, fields[i].value);
    }
}

static void
test_ltxv_submit_i2v (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("Animate this scene with gentle movement");
  g_autofree char *path = write_file ("still.png", png_bytes, sizeof png_bytes);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *negative = NULL;
  g_autofree char *width = NULL;
  g_autofree char *frames = NULL;
  g_autofree char *seed = NULL;

  dly_request_set_image (request, path);
  dly_request_set_negative_prompt (request, "worst quality, blurry, distorted");
  dly_request_set_param_int (request, "width", 704);
  dly_request_set_param_string (request, "num_frames", "97");  /* as --set gives it */
  dly_request_set_param_double (request, "seed", 7.0);         /* as JSON may give it */

  respond_json (fx, "{\"task_id\": 31337}");
  status = dly_test_run_submit (fx->backend, fx->session, request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->remote_id, ==, "31337");

  multipart = captured_multipart (fx);
  image = form_part (multipart, "image", &filename, &content_type);
  g_assert_nonnull (image);
  g_assert_cmpstr (filename, ==, "still.png");
  g_assert_cmpstr (content_type, ==, "image/png");
  g_assert_cmpmem (g_bytes_get_data (image, NULL), g_bytes_get_size (image),
                   png_bytes, sizeof png_bytes);
  negative = form_field (multipart, "negative_prompt");
  g_assert_cmpstr (negative, ==, "worst quality, blurry, distorted");
  width = form_field (multipart, "width");
  g_assert_cmpstr (width, ==, "704");
  frames = form_field (multipart, "num_frames");
  g_assert_cmpstr (frames, ==, "97");
  seed = form_field (multipart, "seed");
  g_assert_cmpstr (seed, ==, "7");
}

static void
test_ltxv_submit_file_uri_jpeg (Fixture       *fx,
                                gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("Add wind effects");
  g_autofree char *path = write_file ("photo.JPG", jpeg_bytes, sizeof jpeg_bytes);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *content_type = NULL;

  dly_request_set_image (request, uri);
  respond_json (fx, "{\"task_id\": \"t-1\"}");
  status = dly_test_run_submit (fx->backend, fx->session, request, &error);
  g_assert_no_error (error);
  multipart = captured_multipart (fx);
  image = form_part (multipart, "image", &filename, &content_type);
  g_assert_nonnull (image);
  g_assert_cmpstr (filename, ==, "photo.JPG");
  g_assert_cmpstr (content_type, ==, "image/jpeg");
}

static void
test_ltxv_image_errors (Fixture       *fx,
                        gconstpointer  data)
{
  static const guint8 text[] = "this is not an image\n";
  g_autofree char *missing = g_build_filename (g_get_user_cache_dir (), "missing.png", NULL);
  g_autofree char *notes = write_file ("notes.png", text, sizeof text - 1);
  g_autofree char *gif = write_file ("anim.gif", gif_bytes, sizeof gif_bytes);
  g_autofree char *empty = write_file ("empty.jpg", (const guint8 *) "", 0);
  g_autofree char *huge = write_sized_file ("huge.png", png_bytes, sizeof png_bytes,
                                            DLY_LTXV_TASK_MAX_IMAGE_SIZE + 1);
  g_autofree char *bigger = write_sized_file ("bigger.jpg", jpeg_bytes, sizeof jpeg_bytes,
                                              12 * 1024 * 1024);
  g_autofree char *message = NULL;

  message = submit_image_error (fx, missing);
  assert_contains (message, missing);
  assert_contains (message, "does not exist");
  g_clear_pointer (&message, g_free);

  /* Named .png, but the content decides. */
  message = submit_image_error (fx, notes);
  assert_contains (message, notes);
  assert_contains (message, "not in a format LTX-Video task server takes (JPEG, PNG)");
  g_clear_pointer (&message, g_free);

  /* A real image, but not one the document allows. */
  message = submit_image_error (fx, gif);
  assert_contains (message, "(JPEG, PNG)");
  g_clear_pointer (&message, g_free);

  message = submit_image_error (fx, empty);
  assert_contains (message, empty);
  assert_contains (message, "is empty");
  g_clear_pointer (&message, g_free);

  message = submit_image_error (fx, huge);
  assert_contains (message, huge);
  /* g_format_size() puts a no-break space before the unit. */
  assert_contains (message, "is 10.0" NBSP "MiB (10485761 bytes); LTX-Video task server takes "
                            "images of at most 10.0" NBSP "MiB");
  g_clear_pointer (&message, g_free);

  message = submit_image_error (fx, bigger);
  assert_contains (message, "is 12.0" NBSP "MiB; LTX-Video task server takes images of at most "
                            "10.0" NBSP "MiB");
  g_clear_pointer (&message, g_free);

  message = submit_image_error (fx, g_get_user_cache_dir ());
  assert_contains (message, "is not a regular file");
}

static void
test_ltxv_image_size_limit (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("A slow pan");
  g_autofree char *path = write_sized_file ("limit.png", png_bytes, sizeof png_bytes,
                                            DLY_LTXV_TASK_MAX_IMAGE_SIZE);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) message = NULL;

  /* Exactly 10 MiB is still allowed. */
  dly_request_set_image (request, path);
  message = DLY_BACKEND_GET_CLASS (fx->backend)->build_submit (fx->backend, request,
                                                               DLY_MODE_IMAGE_TO_VIDEO, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);
}

static void
test_ltxv_submit_errors (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("A cat walking in the garden");
  struct
  {
    guint       status;
    const char *content_type;
    const char *body;
    int         code;
    const char *says;
  } cases[] = {
    /* FastAPI's validation error, in one line, without "body". */
    { 422, "application/json",
      "{\"detail\":[{\"loc\":[\"body\",\"width\"],\"msg\":\"value is not a valid integer\","
      "\"type\":\"type_error.integer\"},{\"loc\":[\"body\",\"prompt\"],\"msg\":\"field required\"}]}",
      DLY_ERROR_INVALID_INPUT,
      "(HTTP 422: width: value is not a valid integer; prompt: field required)" },
    { 422, "application/json", "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"Field required\"}]}",
      DLY_ERROR_INVALID_INPUT, "(HTTP 422: body: Field required)" },
    { 400, "application/json", "{\"detail\":\"Image must be JPG or PNG\"}",
      DLY_ERROR_INVALID_INPUT, "(HTTP 400: Image must be JPG or PNG)" },
    { 500, "text/html", "<html><body><h1>Internal Server Error</h1></body></html>",
      DLY_ERROR_TRANSIENT, "HTTP 500" },
    { 502, "text/plain", "", DLY_ERROR_TRANSIENT, "HTTP 502" },
    /* Taken (2xx), but which job? It may exist: never resubmit silently. */
    { 200, "text/html", "<!DOCTYPE html><title>Welcome</title>",
      DLY_ERROR_UNKNOWN_SUBMISSION, "no task_id: “<!DOCTYPE html>" },
    { 200, "application/json", "{\"id\": \"abc\"}", DLY_ERROR_UNKNOWN_SUBMISSION,
      "no task_id: “{\"id\":\"abc\"}”" },
    { 200, "application/json", "{\"task_id\": \"\"}", DLY_ERROR_UNKNOWN_SUBMISSION, "no task_id" },
    { 200, "application/json", "{\"task_id\": null}", DLY_ERROR_UNKNOWN_SUBMISSION, "no task_id" },
    { 200, "application/json", "", DLY_ERROR_UNKNOWN_SUBMISSION, "no task_id" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlyRemoteStatus) status = NULL;

      respond (fx, cases[i].status, cases[i].content_type, cases[i].body);
      status = dly_test_run_submit (fx->backend, fx->session, request, &error);
      g_assert_null (status);
      g_assert_error (error, DLY_ERROR, cases[i].code);
      assert_contains (error->message, cases[i].says);
    }
}

/* ltxv-task: polling */

static void
test_ltxv_poll_states (Fixture       *fx,
                       gconstpointer  data)
{
  const char *id = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";
  g_autoptr(DlyRemoteStatus) pending = NULL;
  g_autoptr(DlyRemoteStatus) started = NULL;
  g_autoptr(DlyRemoteStatus) retry = NULL;
  g_autoptr(DlyRemoteStatus) success = NULL;
  g_autoptr(DlyRemoteStatus) failure = NULL;
  g_autoptr(DlyRemoteStatus) silent_failure = NULL;
  g_autoptr(DlyRemoteStatus) exception = NULL;
  g_autoptr(DlyRemoteStatus) revoked = NULL;
  g_autoptr(DlyRemoteStatus) lowercase = NULL;
  g_autoptr(DlyRemoteStatus) no_id = NULL;
  g_autoptr(SoupMessage) poll = NULL;

  pending = poll_json (fx, id, "{\"task_id\": \"a1b2c3d4-e5f6-7890-abcd-ef1234567890\", "
                               "\"status\": \"PENDING\", \"result\": null}");
  g_assert_cmpstr (fx->method, ==, "GET");
  g_assert_cmpstr (fx->path, ==, "/status/a1b2c3d4-e5f6-7890-abcd-ef1234567890");
  g_assert_cmpint (pending->state, ==, DLY_REMOTE_STATE_QUEUED);
  g_assert_cmpstr (pending->remote_id, ==, id);
  g_assert_null (pending->result_uri);
  assert_contains (pending->detail_json, "PENDING");

  started = poll_json (fx, id, "{\"task_id\": \"a1b2c3d4-e5f6-7890-abcd-ef1234567890\", "
                               "\"status\": \"STARTED\", \"result\": null}");
  g_assert_cmpint (started->state, ==, DLY_REMOTE_STATE_RUNNING);
  g_assert_null (started->message);

  retry = poll_json (fx, id, "{\"status\": \"RETRY\", \"result\": \"CUDA out of memory\"}");
  g_assert_cmpint (retry->state, ==, DLY_REMOTE_STATE_RUNNING);
  g_assert_cmpstr (retry->message, ==, "CUDA out of memory");

  success = poll_json (fx, id, "{\"task_id\": \"a1b2c3d4-e5f6-7890-abcd-ef1234567890\", "
                               "\"status\": \"SUCCESS\", \"result\": \"task_results/result_xyz123.mp4\"}");
  g_assert_cmpint (success->state, ==, DLY_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpstr (success->result_uri, ==, "/video/result_xyz123.mp4");
  g_assert_cmpfloat (success->progress, ==, 1.0);

  failure = poll_json (fx, id, "{\"task_id\": \"a1b2c3d4-e5f6-7890-abcd-ef1234567890\", "
                               "\"status\": \"FAILURE\", \"result\": \"Error message description\"}");
  g_assert_cmpint (failure->state, ==, DLY_REMOTE_STATE_FAILED);
  g_assert_cmpstr (failure->message, ==, "Error message description");

  silent_failure = poll_json (fx, id, "{\"status\": \"FAILURE\", \"result\": null}");
  g_assert_cmpint (silent_failure->state, ==, DLY_REMOTE_STATE_FAILED);
  g_assert_cmpstr (silent_failure->message, ==, "LTX-Video task server reported FAILURE without saying why");

  exception = poll_json (fx, id, "{\"status\": \"FAILURE\", \"result\": {\"exc_type\": \"ValueError\", "
                                 "\"exc_message\": [\"height must be positive\"]}}");
  g_assert_cmpstr (exception->message, ==, "ValueError: height must be positive");

  revoked = poll_json (fx, id, "{\"status\": \"REVOKED\", \"result\": null}");
  g_assert_cmpint (revoked->state, ==, DLY_REMOTE_STATE_CANCELLED);

  lowercase = poll_json (fx, id, "{\"status\": \"success\", \"result\": \"task_results/b.mp4\"}");
  g_assert_cmpint (lowercase->state, ==, DLY_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpstr (lowercase->result_uri, ==, "/video/b.mp4");

  /* An id that would break the path stays in one segment. (SoupServer itself refuses any
   * path with "/../" once decoded, so this one has none.) */
  no_id = poll_json (fx, "a/b?c=1#d e", "{\"status\": \"PENDING\"}");
  g_assert_cmpstr (no_id->remote_id, ==, "a/b?c=1#d e");
  g_assert_cmpstr (fx->path, ==, "/status/a/b?c=1#d e");  /* as the server decodes it */
  poll = DLY_BACKEND_GET_CLASS (fx->backend)->build_poll (fx->backend, "a/b?c=1#d e");
  g_assert_cmpstr (g_uri_get_path (soup_message_get_uri (poll)), ==, "/status/a%2Fb%3Fc%3D1%23d%20e");
  g_assert_null (g_uri_get_query (soup_message_get_uri (poll)));
}

static void
test_ltxv_poll_malformed (Fixture       *fx,
                          gconstpointer  data)
{
  struct
  {
    guint       status;
    const char *content_type;
    const char *body;
    int         code;
    const char *says;
  } cases[] = {
    { 200, "application/json", "{\"status\": \"PROGRESS\", \"result\": {\"percent\": 40}}",
      DLY_ERROR_PROTOCOL, "the status “PROGRESS”, which its API does not describe" },
    { 200, "application/json", "{\"status\": \"\"}", DLY_ERROR_PROTOCOL, "the status “”" },
    { 200, "application/json", "{\"status\": 3}", DLY_ERROR_PROTOCOL, "without a status word" },
    { 200, "application/json", "{\"task_id\": \"abc123\", \"result\": null}", DLY_ERROR_PROTOCOL,
      "without a status word: “{\"task_id\":\"abc123\",\"result\":null}”" },
    { 200, "application/json", "[\"SUCCESS\"]", DLY_ERROR_PROTOCOL, "not the JSON object" },
    { 200, "application/json", "", DLY_ERROR_PROTOCOL, "not the JSON object" },
    { 200, "application/json", "{\"status\": \"SUCC", DLY_ERROR_PROTOCOL, "“{\"status\": \"SUCC”" },
    { 200, "text/html", "<html><body>502 Bad Gateway</body></html>", DLY_ERROR_PROTOCOL,
      "“<html><body>502 Bad Gateway" },
    { 200, "application/json", "{\"status\": \"SUCCESS\", \"result\": null}", DLY_ERROR_PROTOCOL,
      "said SUCCESS but gave no result path" },
    { 200, "application/json", "{\"status\": \"SUCCESS\", \"result\": 42}", DLY_ERROR_PROTOCOL,
      "gave no result path" },
    { 200, "application/json", "{\"task_id\": \"zzz\", \"status\": \"SUCCESS\", \"result\": \"a.mp4\"}",
      DLY_ERROR_PROTOCOL, "about task “zzz” when asked about “abc123”" },
    { 404, "application/json", "{\"detail\": \"Not Found\"}", DLY_ERROR_NOT_FOUND,
      "(HTTP 404: Not Found)" },
    { 500, "text/html", "<h1>Internal Server Error</h1>", DLY_ERROR_TRANSIENT, "HTTP 500" },
    { 503, "text/plain", "", DLY_ERROR_TRANSIENT, "HTTP 503" },
    { 422, "application/json",
      "{\"detail\":[{\"loc\":[\"path\",\"task_id\"],\"msg\":\"invalid id\"}]}",
      DLY_ERROR_INVALID_INPUT, "task_id: invalid id" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = poll_error (fx, cases[i].status, cases[i].content_type,
                                             cases[i].body, cases[i].code);

      assert_contains (message, cases[i].says);
    }
}

static void
test_ltxv_result_paths (Fixture       *fx,
                        gconstpointer  data)
{
  struct
  {
    const char *result;
    const char *uri;  /* NULL: refused */
  } cases[] = {
    { "task_results/result_xyz.mp4", "/video/result_xyz.mp4" },
    { "result_xyz.mp4", "/video/result_xyz.mp4" },
    /* Only the last component counts: nothing can climb out of /video/. */
    { "../../etc/passwd", "/video/passwd" },
    { "task_results/../x.mp4", "/video/x.mp4" },
    { "/abs/path/take.mp4", "/video/take.mp4" },
    { "C:\\\\results\\\\take.mp4", "/video/take.mp4" },
    /* Kept inside one path segment. */
    { "task_results/my take?x=1#y.mp4", "/video/my%20take%3Fx%3D1%23y.mp4" },
    { "task_results/%2e%2e", "/video/%252e%252e" },
    { "", NULL },
    { ".", NULL },
    { "..", NULL },
    { "task_results/..", NULL },
    { "task_results/", NULL },
    { "/", NULL },
    { "task_results/a\\nb.mp4", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"status\": \"SUCCESS\", \"result\": \"%s\"}",
                                               cases[i].result);
      g_autoptr(GError) error = NULL;
      g_autoptr(DlyRemoteStatus) status = NULL;

      respond_json (fx, body);
      status = dly_test_run_poll (fx->backend, fx->session, "abc123", &error);
      if (cases[i].uri != NULL)
        {
          g_autoptr(SoupMessage) download = NULL;
          g_autofree char *uri = NULL;

          g_assert_no_error (error);
          g_assert_cmpstr (status->result_uri, ==, cases[i].uri);
          /* The download stays on the backend's own host. */
          download = dly_backend_create_result_message (fx->backend, status, &error);
          g_assert_no_error (error);
          uri = g_uri_to_string (soup_message_get_uri (download));
          g_assert_true (g_str_has_prefix (uri, LAN_BASE "/video/"));
          g_assert_cmpstr (g_uri_get_path (soup_message_get_uri (download)), ==, cases[i].uri);
        }
      else
        {
          g_assert_null (status);
          g_assert_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL);
          assert_contains (error->message, "unusable result path");
        }
    }
}

static void
test_ltxv_check (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *no_docs = NULL;
  g_autofree char *html = NULL;

  respond_json (fx, "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"LTX-Video API\", "
                    "\"version\": \"1.0.0\"}, \"paths\": {\"/generate\": {}, "
                    "\"/status/{task_id}\": {}, \"/video/{filename}\": {}}}");
  found = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fx->method, ==, "GET");
  g_assert_cmpstr (fx->path, ==, "/openapi.json");
  g_assert_cmpstr (found, ==, "LTX-Video task server found: “LTX-Video API” 1.0.0 with "
                              "/generate and /status/{task_id}");

  respond_json (fx, "{\"paths\": {\"/generate\": {}}}");
  partial = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (partial, ==, "LTX-Video task server found: “FastAPI” with /generate");

  /* Docs turned off: the server still answered. */
  respond (fx, 404, "application/json", "{\"detail\": \"Not Found\"}");
  no_docs = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_no_error (error);
  assert_contains (no_docs, "Reachable (HTTP 404");

  respond (fx, 200, "text/html", "<html>It works!</html>");
  html = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_no_error (error);
  assert_contains (html, "is not an OpenAPI description");

  /* Another FastAPI app: the wrong URL or dialect. */
  respond_json (fx, "{\"info\": {\"title\": \"ComfyUI\"}, \"paths\": {\"/prompt\": {}}}");
  g_assert_null (dly_test_run_check (fx->backend, fx->session, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL);
  assert_contains (error->message, "(“ComfyUI”) has no /generate endpoint");
  g_clear_error (&error);

  /* RunPod's proxy while the pod is down. */
  respond (fx, 502, "text/html", "<html>Bad Gateway</html>");
  g_assert_null (dly_test_run_check (fx->backend, fx->session, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_TRANSIENT);
}

/* ltx2-server: the class */

static void
test_ltx2_class (void)
{
  g_autoptr(DlyBackend) backend = new_backend ("ltx2-server", LAN_BASE);
  g_auto(GStrv) names = param_names (backend);
  const char * const expected[] = { "height", "width", "num_frames", "frame_rate",
                                    "num_inference_steps", "seed", "cfg_scale_video",
                                    "stg_scale_video", "cfg_scale_audio", "modality_scale",
                                    NULL };

  g_assert_cmpstr (dly_backend_get_label (backend), ==, "LTX-2 server");
  g_assert_cmpint (dly_backend_get_modes (backend), ==,
                   DLY_MODE_FLAG_TEXT_TO_VIDEO | DLY_MODE_FLAG_IMAGE_TO_VIDEO);
  g_assert_cmpint (dly_backend_get_image_inputs (backend), ==, DLY_INPUT_FILE);
  g_assert_cmpint (dly_backend_get_audio_inputs (backend), ==, DLY_INPUT_NONE);
  g_assert_false (dly_backend_uses_negative_prompt (backend));
  g_assert_false (dly_backend_has_remote_cancel (backend));
  g_assert_cmpuint (dly_backend_get_submit_timeout (backend), ==, 150);
  g_assert_false (DLY_BACKEND_GET_CLASS (backend)->needs_api_key);

  assert_strv_equal (names, expected);
  assert_int_param (backend, "height", 64, 3840, 512, 64, FALSE);
  assert_int_param (backend, "width", 64, 3840, 768, 64, FALSE);
  assert_int_param (backend, "num_frames", 9, 505, 121, 0, TRUE);
  assert_int_param (backend, "num_inference_steps", 1, 100, 40, 0, FALSE);
  assert_int_param (backend, "seed", 0, G_MAXUINT32, 42, 0, FALSE);
  assert_double_param (backend, "frame_rate", 1.0, 60.0, 25.0, DLY_MODE_FLAG_ALL);
  assert_double_param (backend, "cfg_scale_video", 1.0, 20.0, 3.0, DLY_MODE_FLAG_ALL);
  assert_double_param (backend, "stg_scale_video", 0.0, 10.0, 1.0, DLY_MODE_FLAG_ALL);
  assert_double_param (backend, "cfg_scale_audio", 1.0, 20.0, 7.0, DLY_MODE_FLAG_TEXT_TO_VIDEO);
  assert_double_param (backend, "modality_scale", 1.0, 20.0, 3.0, DLY_MODE_FLAG_TEXT_TO_VIDEO);
  g_assert_cmpstr (dly_param_get_unit (dly_backend_find_param (backend, "frame_rate")), ==, "fps");
}

static void
test_ltx2_validate (void)
{
  g_autoptr(DlyBackend) backend = new_backend ("ltx2-server", LAN_BASE);
  g_autoptr(DlyRequest) request = new_request ("A cinematic wide shot of a sunset over the ocean");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  DlyMode mode;

  g_assert_true (dly_backend_validate (backend, request, &mode, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mode, ==, DLY_MODE_TEXT_TO_VIDEO);

  dly_request_set_param_int (request, "width", 700);
  message = validate_error (backend, request);
  g_assert_cmpstr (message, ==, "width must be a multiple of 64: 700 is not; try 640 or 704");
  g_clear_pointer (&message, g_free);
  dly_request_set_param_int (request, "width", 1280);
  g_assert_true (dly_backend_validate (backend, request, NULL, &error));

  dly_request_set_param_int (request, "height", 720);
  message = validate_error (backend, request);
  g_assert_cmpstr (message, ==, "height must be a multiple of 64: 720 is not; try 704 or 768");
  g_clear_pointer (&message, g_free);
  dly_request_unset_param (request, "height");

  dly_request_set_param_int (request, "num_frames", 120);
  message = validate_error (backend, request);
  g_assert_cmpstr (message, ==, "num_frames must be 8k+1 frames: 120 is not; try 113 or 121");
  g_clear_pointer (&message, g_free);
  dly_request_set_param_int (request, "num_frames", 513);
  message = validate_error (backend, request);
  assert_contains (message, "num_frames must be between 9 and 505, not 513");
  g_clear_pointer (&message, g_free);
  dly_request_set_param_int (request, "num_frames", 49);
  g_assert_true (dly_backend_validate (backend, request, NULL, &error));

  dly_request_set_param_double (request, "frame_rate", 0.5);
  message = validate_error (backend, request);
  g_assert_cmpstr (message, ==, "frame_rate must be between 1 and 60, not 0.5");
  g_clear_pointer (&message, g_free);
  dly_request_set_param_double (request, "frame_rate", 24.0);

  dly_request_set_param_double (request, "num_inference_steps", 20.5);
  message = validate_error (backend, request);
  g_assert_cmpstr (message, ==, "num_inference_steps must be a whole number, not 20.5");
  g_clear_pointer (&message, g_free);
  dly_request_unset_param (request, "num_inference_steps");

  dly_request_set_param_double (request, "guidance_scale", 3.0);
  message = validate_error (backend, request);
  assert_contains (message, "LTX-2 server has no parameter “guidance_scale”");
  g_clear_pointer (&message, g_free);
  dly_request_unset_param (request, "guidance_scale");

  dly_request_set_image (request, "http://192.168.1.10/still.jpg");
  message = validate_error (backend, request);
  assert_contains (message, "cannot fetch a URL");
  assert_contains (message, "http://192.168.1.10/still.jpg");
  g_clear_pointer (&message, g_free);

  dly_request_set_image (request, "/home/me/still.jpg");
  g_assert_true (dly_backend_validate (backend, request, &mode, &error));
  g_assert_cmpint (mode, ==, DLY_MODE_IMAGE_TO_VIDEO);
}

static void
test_ltx2_param_parse (void)
{
  g_autoptr(DlyBackend) backend = new_backend ("ltx2-server", LAN_BASE);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_true (dly_param_parse (dly_backend_find_param (backend, "frame_rate"), "23.976",
                                  &value, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (g_value_get_double (&value), ==, 23.976);
  g_value_unset (&value);

  g_assert_true (dly_param_parse (dly_backend_find_param (backend, "num_frames"), "97",
                                  &value, &error));
  g_assert_cmpint (g_value_get_int64 (&value), ==, 97);
  g_value_unset (&value);

  g_assert_false (dly_param_parse (dly_backend_find_param (backend, "num_frames"), "100",
                                   &value, &error));
  g_assert_cmpstr (error->message, ==, "num_frames must be 8k+1 frames: 100 is not; try 97 or 105");
  g_clear_error (&error);

  g_assert_false (dly_param_parse (dly_backend_find_param (backend, "width"), "1000",
                                   &value, &error));
  g_assert_cmpstr (error->message, ==, "width must be a multiple of 64: 1000 is not; try 960 or 1024");
  g_clear_error (&error);

  g_assert_false (dly_param_parse (dly_backend_find_param (backend, "cfg_scale_audio"), "seven",
                                   &value, &error));
  assert_contains (error->message, "“seven” is not a valid value for cfg_scale_audio: expected 1–20");
}

/* ltx2-server: submitting */

static JsonObject *
captured_json (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_cmpstr (soup_message_headers_get_content_type (fx->request_headers, NULL), ==,
                   "application/json");
  object = dly_backend_parse_json_object (fx->request_body, &error);
  g_assert_no_error (error);
  return object;
}

static void
assert_json_int (JsonObject *object,
                 const char *name,
                 gint64      expected)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, expected);
}

static void
assert_json_double (JsonObject *object,
                    const char *name,
                    double      expected)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (node), ==, expected);
}

static void
test_ltx2_submit_t2v (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("A cinematic wide shot of a sunset over the ocean");
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;
  g_autoptr(JsonObject) sent = NULL;
  g_autoptr(SoupMessage) message = NULL;

  /* No negative prompt in this API: it is not sent, whatever the request says. */
  dly_request_set_negative_prompt (request, "blurry");
  dly_request_set_param_double (request, "frame_rate", 24.0);
  dly_request_set_param_int (request, "seed", 1234);

  message = DLY_BACKEND_GET_CLASS (fx->backend)->build_submit (fx->backend, request,
                                                               DLY_MODE_TEXT_TO_VIDEO, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (soup_message_get_method (message), ==, "POST");
  g_assert_cmpstr (g_uri_get_path (soup_message_get_uri (message)), ==, "/v1/video/async_t2v");

  respond_json (fx, "{\"task_id\": \"abc123\", \"status\": \"processing\", "
                    "\"message\": \"Task queued. Poll GET /v1/video/tasks/{task_id}\"}");
  status = dly_test_run_submit (fx->backend, fx->session, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, DLY_REMOTE_STATE_QUEUED);
  g_assert_cmpstr (status->remote_id, ==, "abc123");
  assert_contains (status->detail_json, "Task queued");

  g_assert_cmpstr (fx->path, ==, "/v1/video/async_t2v");
  sent = captured_json (fx);
  g_assert_cmpuint (json_object_get_size (sent), ==, 11);
  g_assert_cmpstr (json_object_get_string_member (sent, "prompt"), ==,
                   "A cinematic wide shot of a sunset over the ocean");
  g_assert_false (json_object_has_member (sent, "negative_prompt"));
  assert_json_int (sent, "height", 512);
  assert_json_int (sent, "width", 768);
  assert_json_int (sent, "num_frames", 121);
  assert_json_double (sent, "frame_rate", 24.0);
  assert_json_int (sent, "num_inference_steps", 40);
  assert_json_int (sent, "seed", 1234);
  assert_json_double (sent, "cfg_scale_video", 3.0);
  assert_json_double (sent, "stg_scale_video", 1.0);
  assert_json_double (sent, "cfg_scale_audio", 7.0);
  assert_json_double (sent, "modality_scale", 3.0);
}

static void
test_ltx2_submit_i2v (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("The woman turns to the camera and smiles");
  g_autofree char *path = write_file ("portrait.jpg", jpeg_bytes, sizeof jpeg_bytes);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *content_type = NULL;
  g_auto(GStrv) names = NULL;
  const char * const expected[] = { "prompt", "height", "width", "num_frames", "frame_rate",
                                    "num_inference_steps", "seed", "cfg_scale_video",
                                    "stg_scale_video", "image", NULL };
  struct { const char *name, *value; } fields[] = {
    { "prompt", "The woman turns to the camera and smiles" },
    { "height", "512" }, { "width", "768" }, { "num_frames", "97" }, { "frame_rate", "25" },
    { "num_inference_steps", "20" }, { "seed", "42" }, { "cfg_scale_video", "3.5" },
    { "stg_scale_video", "1" },
  };

  dly_request_set_image (request, path);
  dly_request_set_param_int (request, "num_frames", 97);
  dly_request_set_param_int (request, "num_inference_steps", 20);
  dly_request_set_param_double (request, "cfg_scale_video", 3.5);
  /* Text-to-video only: accepted, and left out of an image-to-video request. */
  dly_request_set_param_double (request, "cfg_scale_audio", 5.0);

  respond_json (fx, "{\"task_id\": \"def456\", \"status\": \"processing\"}");
  status = dly_test_run_submit (fx->backend, fx->session, request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->remote_id, ==, "def456");

  g_assert_cmpstr (fx->method, ==, "POST");
  g_assert_cmpstr (fx->path, ==, "/v1/video/async_i2v");
  multipart = captured_multipart (fx);
  names = form_names (multipart);
  assert_strv_equal (names, expected);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = form_field (multipart, fields[i].name);

      g_assert_cmpstr (value, ==, fields[i].value);
    }
  image = form_part (multipart, "image", &filename, &content_type);
  g_assert_cmpstr (filename, ==, "portrait.jpg");
  g_assert_cmpstr (content_type, ==, "image/jpeg");
  g_assert_cmpmem (g_bytes_get_data (image, NULL), g_bytes_get_size (image),
                   jpeg_bytes, sizeof jpeg_bytes);
}

static void
test_ltx2_image_formats (Fixture       *fx,
                         gconstpointer  data)
{
  static const guint8 riff_wav[] = { 'R', 'I', 'F', 'F', 26, 0, 0, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' ' };
  g_autofree char *webp = write_file ("frame.webp", webp_bytes, sizeof webp_bytes);
  g_autofree char *wav = write_file ("frame.webp.wav", riff_wav, sizeof riff_wav);
  g_autofree char *missing = g_build_filename (g_get_user_cache_dir (), "gone.jpg", NULL);
  g_autofree char *huge = write_sized_file ("huge.jpg", jpeg_bytes, sizeof jpeg_bytes,
                                            DLY_LTX2_SERVER_MAX_IMAGE_SIZE + 1);
  g_autoptr(DlyRequest) request = new_request ("Slow push in");
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyRemoteStatus) status = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autofree char *message = NULL;

  dly_request_set_image (request, webp);
  respond_json (fx, "{\"task_id\": \"w1\", \"status\": \"processing\"}");
  status = dly_test_run_submit (fx->backend, fx->session, request, &error);
  g_assert_no_error (error);
  multipart = captured_multipart (fx);
  image = form_part (multipart, "image", NULL, &content_type);
  g_assert_cmpstr (content_type, ==, "image/webp");

  message = submit_image_error (fx, wav);
  assert_contains (message, wav);
  assert_contains (message, "not in a format LTX-2 server takes (JPEG, PNG, WebP, BMP, GIF)");
  g_clear_pointer (&message, g_free);

  message = submit_image_error (fx, missing);
  assert_contains (message, "The image “");
  assert_contains (message, "gone.jpg” does not exist");
  g_clear_pointer (&message, g_free);

  message = submit_image_error (fx, huge);
  assert_contains (message, "(52428801 bytes); LTX-2 server takes images of at most 50.0" NBSP "MiB");
}

static void
test_ltx2_submit_answers (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(DlyRequest) request = new_request ("A cinematic wide shot");
  g_autoptr(DlyRemoteStatus) bare = NULL;
  g_autoptr(DlyRemoteStatus) failed = NULL;
  g_autoptr(DlyRemoteStatus) odd = NULL;
  g_autoptr(GError) error = NULL;

  /* Only the id matters at submit time; the first poll says the rest. */
  respond_json (fx, "{\"task_id\": \"t1\"}");
  bare = dly_test_run_submit (fx->backend, fx->session, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bare->state, ==, DLY_REMOTE_STATE_QUEUED);

  respond_json (fx, "{\"task_id\": \"t2\", \"status\": \"warming-up\"}");
  odd = dly_test_run_submit (fx->backend, fx->session, request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (odd->remote_id, ==, "t2");
  g_assert_cmpint (odd->state, ==, DLY_REMOTE_STATE_QUEUED);

  respond_json (fx, "{\"task_id\": \"t3\", \"status\": \"failed\", \"error\": \"CUDA out of memory\"}");
  failed = dly_test_run_submit (fx->backend, fx->session, request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (failed->state, ==, DLY_REMOTE_STATE_FAILED);
  g_assert_cmpstr (failed->message, ==, "CUDA out of memory");

  respond (fx, 422, "application/json",
           "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"prompt\"],\"msg\":\"Field required\","
           "\"input\":{}},{\"type\":\"int_parsing\",\"loc\":[\"body\",\"num_frames\"],"
           "\"msg\":\"Input should be a valid integer\",\"input\":\"x\"}]}");
  g_assert_null (dly_test_run_submit (fx->backend, fx->session, request, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  assert_contains (error->message, "LTX-2 server rejected the request (HTTP 422: prompt: Field "
                                   "required; num_frames: Input should be a valid integer)");
  g_clear_error (&error);

  respond (fx, 503, "application/json", "{\"detail\": \"Model is loading\"}");
  g_assert_null (dly_test_run_submit (fx->backend, fx->session, request, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_TRANSIENT);
  assert_contains (error->message, "Model is loading");
  g_clear_error (&error);

  respond_json (fx, "{\"status\": \"processing\", \"message\": \"Task queued.\"}");
  g_assert_null (dly_test_run_submit (fx->backend, fx->session, request, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_UNKNOWN_SUBMISSION);
  assert_contains (error->message, "no task_id");
  g_clear_error (&error);

  respond (fx, 200, "text/plain", "Internal error");
  g_assert_null (dly_test_run_submit (fx->backend, fx->session, request, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_UNKNOWN_SUBMISSION);
  assert_contains (error->message, "“Internal error”");
}

/* ltx2-server: polling */

static void
test_ltx2_poll_states (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(DlyRemoteStatus) processing = NULL;
  g_autoptr(DlyRemoteStatus) completed = NULL;
  g_autoptr(DlyRemoteStatus) failed = NULL;
  g_autoptr(DlyRemoteStatus) failed_detail = NULL;
  g_autoptr(DlyRemoteStatus) failed_silent = NULL;
  g_autoptr(DlyRemoteStatus) queued = NULL;
  g_autoptr(DlyRemoteStatus) running = NULL;
  g_autoptr(SoupMessage) download = NULL;
  g_autoptr(GError) error = NULL;

  processing = poll_json (fx, "abc123", "{\"status\": \"processing\"}");
  g_assert_cmpstr (fx->method, ==, "GET");
  g_assert_cmpstr (fx->path, ==, "/v1/video/tasks/abc123");
  g_assert_cmpint (processing->state, ==, DLY_REMOTE_STATE_RUNNING);
  g_assert_cmpstr (processing->remote_id, ==, "abc123");

  completed = poll_json (fx, "abc123", "{\"status\": \"completed\", "
                                       "\"url\": \"http://192.168.1.26:8004/outputs/ltx2_abc123.mp4\"}");
  g_assert_cmpint (completed->state, ==, DLY_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpstr (completed->result_uri, ==, "http://192.168.1.26:8004/outputs/ltx2_abc123.mp4");
  download = dly_backend_create_result_message (fx->backend, completed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_path (soup_message_get_uri (download)), ==, "/outputs/ltx2_abc123.mp4");

  failed = poll_json (fx, "abc123", "{\"status\": \"failed\", \"error\": \"error message\"}");
  g_assert_cmpint (failed->state, ==, DLY_REMOTE_STATE_FAILED);
  g_assert_cmpstr (failed->message, ==, "error message");

  failed_detail = poll_json (fx, "abc123", "{\"status\": \"failed\", \"detail\": \"OOM\"}");
  g_assert_cmpstr (failed_detail->message, ==, "OOM");

  failed_silent = poll_json (fx, "abc123", "{\"status\": \"failed\"}");
  g_assert_cmpstr (failed_silent->message, ==, "LTX-2 server reported the task failed without saying why");

  queued = poll_json (fx, "abc123", "{\"status\": \"queued\"}");
  g_assert_cmpint (queued->state, ==, DLY_REMOTE_STATE_QUEUED);
  running = poll_json (fx, "abc123", "{\"task_id\": \"abc123\", \"status\": \"Running\"}");
  g_assert_cmpint (running->state, ==, DLY_REMOTE_STATE_RUNNING);
}

static void
test_ltx2_result_urls (Fixture       *fx,
                       gconstpointer  data)
{
  struct
  {
    const char *base;
    const char *url;
    const char *expected;  /* NULL: refused */
  } cases[] = {
    /* Another host than the base URL is accepted as it is. */
    { "http://localhost:8004", "http://192.168.1.26:8004/outputs/a.mp4",
      "http://192.168.1.26:8004/outputs/a.mp4" },
    { LAN_BASE, "https://cdn.example.com/outputs/a.mp4?sig=1", "https://cdn.example.com/outputs/a.mp4?sig=1" },
    /* Relative: resolved against the base. */
    { LAN_BASE, "/outputs/a.mp4", LAN_BASE "/outputs/a.mp4" },
    { LAN_BASE, "outputs/a.mp4", LAN_BASE "/outputs/a.mp4" },
    { "http://gpu.lan/ltx", "outputs/a.mp4", "http://gpu.lan/ltx/outputs/a.mp4" },
    /* Addresses that cannot be fetched from here: rebased onto the base. */
    { LAN_BASE, "http://0.0.0.0:8004/outputs/a.mp4", LAN_BASE "/outputs/a.mp4" },
    { "http://gpu.example.com:8080", "http://localhost:8004/outputs/a.mp4?x=1",
      "http://gpu.example.com:8080/outputs/a.mp4?x=1" },
    { LAN_BASE, "http://127.0.0.1:8004/outputs/a.mp4", LAN_BASE "/outputs/a.mp4" },
    /* ...but a local base keeps a local URL. */
    { "http://localhost:8004", "http://127.0.0.1:8004/outputs/a.mp4",
      "http://127.0.0.1:8004/outputs/a.mp4" },
    { LAN_BASE, "file:///etc/passwd", NULL },
    { LAN_BASE, "ftp://192.168.1.26/a.mp4", NULL },
    { LAN_BASE, "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"status\": \"completed\", \"url\": \"%s\"}",
                                               cases[i].url);
      g_autoptr(GError) error = NULL;
      g_autoptr(DlyRemoteStatus) status = NULL;

      g_clear_object (&fx->backend);
      fx->backend = new_backend ("ltx2-server", cases[i].base);
      respond_json (fx, body);
      status = dly_test_run_poll (fx->backend, fx->session, "abc123", &error);
      if (cases[i].expected != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (status->result_uri, ==, cases[i].expected);
        }
      else
        {
          g_assert_null (status);
          g_assert_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL);
          assert_contains (error->message, "not an http(s) URL");
        }
    }
}

static void
test_ltx2_poll_malformed (Fixture       *fx,
                          gconstpointer  data)
{
  struct
  {
    guint       status;
    const char *content_type;
    const char *body;
    int         code;
    const char *says;
  } cases[] = {
    { 200, "application/json", "{\"status\": \"exploded\"}", DLY_ERROR_PROTOCOL,
      "the status “exploded”, which its API does not describe" },
    { 200, "application/json", "{\"url\": \"http://x/a.mp4\"}", DLY_ERROR_PROTOCOL,
      "without a status word" },
    { 200, "application/json", "{\"status\": true}", DLY_ERROR_PROTOCOL, "without a status word" },
    { 200, "application/json", "{\"status\": \"completed\"}", DLY_ERROR_PROTOCOL,
      "completed but gave no url" },
    { 200, "application/json", "{\"status\": \"completed\", \"url\": 7}", DLY_ERROR_PROTOCOL,
      "gave no url" },
    { 200, "application/json", "{\"task_id\": \"other\", \"status\": \"processing\"}",
      DLY_ERROR_PROTOCOL, "about task “other” when asked about “abc123”" },
    { 200, "text/html", "<!doctype html><h1>nginx</h1>", DLY_ERROR_PROTOCOL,
      "“<!doctype html><h1>nginx</h1>”" },
    { 200, "application/json", "", DLY_ERROR_PROTOCOL, "not the JSON object" },
    { 200, "application/json", "null", DLY_ERROR_PROTOCOL, "not the JSON object" },
    { 404, "application/json", "{\"detail\": \"Task not found\"}", DLY_ERROR_NOT_FOUND,
      "LTX-2 server no longer has it (HTTP 404: Task not found)" },
    { 500, "text/plain", "Internal Server Error", DLY_ERROR_TRANSIENT,
      "(HTTP 500: Internal Server Error)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = poll_error (fx, cases[i].status, cases[i].content_type,
                                             cases[i].body, cases[i].code);

      assert_contains (message, cases[i].says);
    }
}

static void
test_ltx2_check (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *healthy = NULL;
  g_autofree char *text = NULL;
  g_autofree char *empty = NULL;

  respond_json (fx, "{\"status\": \"ok\", \"model_loaded\": false, \"gpu\": \"RTX 4090\", "
                    "\"queue\": [1, 2]}");
  healthy = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fx->method, ==, "GET");
  g_assert_cmpstr (fx->path, ==, "/health");
  g_assert_cmpstr (healthy, ==, "LTX-2 server is up: status: ok, model_loaded: false, gpu: RTX 4090");

  respond (fx, 200, "text/plain", "OK\n");
  text = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "LTX-2 server is up (HTTP 200): “OK”");

  respond_json (fx, "{}");
  empty = dly_test_run_check (fx->backend, fx->session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (empty, ==, "LTX-2 server is up (HTTP 200)");

  respond (fx, 404, "application/json", "{\"detail\": \"Not Found\"}");
  g_assert_null (dly_test_run_check (fx->backend, fx->session, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL);
  assert_contains (error->message, "has no /health (HTTP 404)");
  g_clear_error (&error);

  respond (fx, 503, "application/json", "{\"status\": \"loading\", \"detail\": \"Model is loading\"}");
  g_assert_null (dly_test_run_check (fx->backend, fx->session, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_TRANSIENT);
  assert_contains (error->message, "Model is loading");
}

int
main (int   argc,
      char *argv[])
{
  /* Loopback only; the GNOME proxy resolver would look for GSettings schemas that the
   * isolated XDG directories hide, and abort. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/dialects/registry", test_registry);

#define ADD(path, func, dialect) \
  g_test_add (path, Fixture, dialect, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/ltxv-task/class", test_ltxv_class);
  g_test_add_func ("/ltxv-task/validate", test_ltxv_validate);
  g_test_add_func ("/ltxv-task/param-parse", test_ltxv_param_parse);
  ADD ("/ltxv-task/build-submit", test_ltxv_build_submit, "ltxv-task");
  ADD ("/ltxv-task/submit/text-to-video", test_ltxv_submit_t2v, "ltxv-task");
  ADD ("/ltxv-task/submit/image-to-video", test_ltxv_submit_i2v, "ltxv-task");
  ADD ("/ltxv-task/submit/file-uri-jpeg", test_ltxv_submit_file_uri_jpeg, "ltxv-task");
  ADD ("/ltxv-task/submit/image-errors", test_ltxv_image_errors, "ltxv-task");
  ADD ("/ltxv-task/submit/image-size-limit", test_ltxv_image_size_limit, "ltxv-task");
  ADD ("/ltxv-task/submit/errors", test_ltxv_submit_errors, "ltxv-task");
  ADD ("/ltxv-task/poll/states", test_ltxv_poll_states, "ltxv-task");
  ADD ("/ltxv-task/poll/malformed", test_ltxv_poll_malformed, "ltxv-task");
  ADD ("/ltxv-task/poll/result-paths", test_ltxv_result_paths, "ltxv-task");
  ADD ("/ltxv-task/check", test_ltxv_check, "ltxv-task");

  g_test_add_func ("/ltx2-server/class", test_ltx2_class);
  g_test_add_func ("/ltx2-server/validate", test_ltx2_validate);
  g_test_add_func ("/ltx2-server/param-parse", test_ltx2_param_parse);
  ADD ("/ltx2-server/submit/text-to-video", test_ltx2_submit_t2v, "ltx2-server");
  ADD ("/ltx2-server/submit/image-to-video", test_ltx2_submit_i2v, "ltx2-server");
  ADD ("/ltx2-server/submit/image-formats", test_ltx2_image_formats, "ltx2-server");
  ADD ("/ltx2-server/submit/answers", test_ltx2_submit_answers, "ltx2-server");
  ADD ("/ltx2-server/poll/states", test_ltx2_poll_states, "ltx2-server");
  ADD ("/ltx2-server/poll/result-urls", test_ltx2_result_urls, "ltx2-server");
  ADD ("/ltx2-server/poll/malformed", test_ltx2_poll_malformed, "ltx2-server");
  ADD ("/ltx2-server/check", test_ltx2_check, "ltx2-server");

#undef ADD

  return g_test_run ();
}
