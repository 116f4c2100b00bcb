/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Streaming results to disk, against a real HTTP server on loopback. */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "dly-download.h"
#include "dly-error.h"

typedef struct
{
  SoupServer     *server;
  GSocketService *raw;         /* speaks broken HTTP on purpose */
  char           *base;
  char           *raw_base;
  GBytes         *video;
  char           *dir;
} Fixture;

/* An ISO-BMFF header followed by filler: enough for the MP4 check, sizeable enough to
 * need many reads. */
static GBytes *
make_video (gsize size)
{
  static const guint8 ftyp[] = { 0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm',
                                 0, 0, 2, 0, 'i', 's', 'o', 'm', 'i', 's', 'o', '2' };
  guint8 *data = g_malloc (size);

  memcpy (data, ftyp, sizeof ftyp);
  for (gsize i = sizeof ftyp; i < size; i++)
    data[i] = (guint8) (i * 31);
  return g_bytes_new_take (data, size);
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Fixture *fixture = user_data;

  if (g_str_equal (path, "/good"))
    soup_server_message_set_response (msg, "video/mp4", SOUP_MEMORY_COPY,
                                      g_bytes_get_data (fixture->video, NULL),
                                      g_bytes_get_size (fixture->video));
  else if (g_str_equal (path, "/html"))
    soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                      "<html>Gateway says hi</html>", 28);
  else if (g_str_equal (path, "/redirect"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/good");
  else if (g_str_equal (path, "/busy"))
    soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  if (soup_server_message_get_status (msg) == 0)
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

/* Announces 100000 bytes, sends 4096 of a video, hangs up. Runs in its own thread: the
 * client under test shares the main loop. */
static gboolean
on_raw_run (GThreadedSocketService *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 gpointer           user_data)
{
  Fixture *fixture = user_data;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 100000\r\n\r\n";
  char buffer[4096];

  /* The request is small; one read takes it. */
  g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, g_bytes_get_data (fixture->video, NULL), 4096, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
fixture_setup (Fixture      *fixture,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  guint16 port;

  fixture->video = make_video (3 * 1024 * 1024 + 17);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, handle, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));

  fixture->raw = g_threaded_socket_service_new (2);
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (fixture->raw), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->raw, "run", G_CALLBACK (on_raw_run), fixture);
  fixture->raw_base = g_strdup_printf ("http://127.0.0.1:%u", port);

  fixture->dir = g_build_filename (g_get_user_data_dir (), "takes", NULL);
}

static void
fixture_teardown (Fixture      *fixture,
                  gconstpointer data)
{
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_socket_service_stop (fixture->raw);
  g_clear_object (&fixture->raw);
  g_free (fixture->base);
  g_free (fixture->raw_base);
  g_bytes_unref (fixture->video);
  g_free (fixture->dir);
}

typedef struct
{
  GMainLoop *loop;
  goffset    written;
  GError    *error;
  guint      progress_calls;
} Outcome;

static void
on_progress (goffset  received,
             goffset  total,
             gpointer user_data)
{
  Outcome *outcome = user_data;

  outcome->progress_calls++;
  g_assert_cmpint (received, <=, total > 0 ? total : G_MAXINT64);
}

static void
on_downloaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->written = dly_download_finish (result, &outcome->error);
  g_main_loop_quit (outcome->loop);
}

static Outcome
run_download (Fixture      *fixture,
              const char   *url,
              GInputStream *stream,
              goffset       max_bytes,
              const char   *name)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = url ? soup_message_new ("GET", url) : NULL;
  g_autofree char *destination = g_build_filename (fixture->dir, name, NULL);
  Outcome outcome = { g_main_loop_new (NULL, FALSE), 0, NULL, 0 };

  dly_download_async (session, message, stream, stream ? (goffset) g_bytes_get_size (fixture->video) : -1,
                      destination, max_bytes, on_progress, &outcome, NULL, on_downloaded, &outcome);
  g_main_loop_run (outcome.loop);
  g_main_loop_unref (outcome.loop);
  return outcome;
}

/* No temporary file may be left behind, whatever happened. */
static guint
count_files (Fixture *fixture)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
assert_file_is_video (Fixture    *fixture,
                      const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (fixture->video, NULL), g_bytes_get_size (fixture->video));
}

static void
test_download_good (Fixture      *fixture,
                    gconstpointer data)
{
  g_autofree char *url = g_strconcat (fixture->base, "/good", NULL);
  Outcome outcome = run_download (fixture, url, NULL, 0, "good.mp4");

  g_assert_no_error (outcome.error);
  g_assert_cmpint (outcome.written, ==, g_bytes_get_size (fixture->video));
  g_assert_cmpuint (outcome.progress_calls, >, 1);
  assert_file_is_video (fixture, "good.mp4");
  g_assert_cmpuint (count_files (fixture), ==, 1);
}

static void
test_download_redirect (Fixture      *fixture,
                        gconstpointer data)
{
  g_autofree char *url = g_strconcat (fixture->base, "/redirect", NULL);
  Outcome outcome = run_download (fixture, url, NULL, 0, "redirected.mp4");

  g_assert_no_error (outcome.error);
  assert_file_is_video (fixture, "redirected.mp4");
}

static void
test_download_from_stream (Fixture      *fixture,
                           gconstpointer data)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (fixture->video);
  Outcome outcome = run_download (fixture, NULL, stream, 0, "inline.mp4");

  g_assert_no_error (outcome.error);
  assert_file_is_video (fixture, "inline.mp4");
}

static void
test_download_not_mp4 (Fixture      *fixture,
                       gconstpointer data)
{
  g_autofree char *url = g_strconcat (fixture->base, "/html", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "html.mp4", NULL);
  Outcome outcome = run_download (fixture, url, NULL, 0, "html.mp4");

  g_assert_error (outcome.error, DLY_ERROR, DLY_ERROR_RESULT);
  g_assert_nonnull (strstr (outcome.error->message, "Gateway says hi"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (fixture), ==, 0);
  g_error_free (outcome.error);
}

static void
test_download_too_large (Fixture      *fixture,
                         gconstpointer data)
{
  g_autofree char *url = g_strconcat (fixture->base, "/good", NULL);
  Outcome outcome = run_download (fixture, url, NULL, 1024 * 1024, "big.mp4");

  g_assert_error (outcome.error, DLY_ERROR, DLY_ERROR_RESULT);
  g_assert_cmpuint (count_files (fixture), ==, 0);
  g_error_free (outcome.error);
}

static void
test_download_truncated (Fixture      *fixture,
                         gconstpointer data)
{
  g_autofree char *url = g_strconcat (fixture->raw_base, "/cut", NULL);
  Outcome outcome = run_download (fixture, url, NULL, 0, "cut.mp4");

  /* A broken body is worth another try, and leaves nothing behind. */
  g_assert_error (outcome.error, DLY_ERROR, DLY_ERROR_TRANSIENT);
  g_assert_cmpuint (count_files (fixture), ==, 0);
  g_error_free (outcome.error);
}

static void
test_download_http_errors (Fixture      *fixture,
                           gconstpointer data)
{
  g_autofree char *missing = g_strconcat (fixture->base, "/missing", NULL);
  g_autofree char *busy = g_strconcat (fixture->base, "/busy", NULL);
  Outcome outcome = run_download (fixture, missing, NULL, 0, "missing.mp4");

  g_assert_error (outcome.error, DLY_ERROR, DLY_ERROR_NOT_FOUND);
  g_clear_error (&outcome.error);
  outcome = run_download (fixture, busy, NULL, 0, "busy.mp4");
  g_assert_error (outcome.error, DLY_ERROR, DLY_ERROR_TRANSIENT);
  g_clear_error (&outcome.error);
  g_assert_cmpuint (count_files (fixture), ==, 0);
}

static void
test_looks_like_mp4 (void)
{
  static const guint8 mp4[] = { 0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'm', 'p', '4', '2' };
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0 };

  g_assert_true (dly_download_looks_like_mp4 (mp4, sizeof mp4));
  g_assert_false (dly_download_looks_like_mp4 (png, sizeof png));
  g_assert_false (dly_download_looks_like_mp4 (mp4, 6));
  g_assert_false (dly_download_looks_like_mp4 ((const guint8 *) "{\"error\": \"x\"}", 14));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/download/good", test_download_good);
  ADD ("/download/redirect", test_download_redirect);
  ADD ("/download/from-stream", test_download_from_stream);
  ADD ("/download/not-mp4", test_download_not_mp4);
  ADD ("/download/too-large", test_download_too_large);
  ADD ("/download/truncated", test_download_truncated);
  ADD ("/download/http-errors", test_download_http_errors);
#undef ADD
  g_test_add_func ("/download/looks-like-mp4", test_looks_like_mp4);
  return g_test_run ();
}
