/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "dly-download.h"
#include "dly-error.h"

/* Big enough to keep up with curl on loopback, small enough not to stall the main loop. */
#define CHUNK_SIZE (256 * 1024)

typedef struct
{
  SoupSession        *session;
  SoupMessage        *message;
  GInputStream       *input;
  GOutputStream      *output;
  char               *destination;
  char               *temp_path;
  goffset             expected;
  goffset             received;
  goffset             max_bytes;
  gboolean            checked_header;
  /* One read and one write are in flight at once, so the network and the disk overlap. */
  gboolean            reading;
  gboolean            eof;
  GBytes             *pending;   /* read, not yet being written */
  GBytes             *writing;   /* being written */
  GError             *error;     /* the first failure, reported once nothing is in flight */
  DlyDownloadProgress progress;
  gpointer            progress_data;
} Download;

static void
download_free (Download *download)
{
  g_clear_object (&download->session);
  g_clear_object (&download->message);
  g_clear_object (&download->input);
  g_clear_object (&download->output);
  g_clear_pointer (&download->pending, g_bytes_unref);
  g_clear_pointer (&download->writing, g_bytes_unref);
  g_clear_error (&download->error);
  if (download->temp_path != NULL)
    g_unlink (download->temp_path);   /* only still set when the download failed */
  g_free (download->temp_path);
  g_free (download->destination);
  g_free (download);
}

gboolean
dly_download_looks_like_mp4 (const guint8 *header,
                             gsize         length)
{
  static const char * const boxes[] = { "ftyp", "styp", "moov", "mdat", "free", "skip", "wide" };

  if (length < 8)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (boxes); i++)
    if (memcmp (header + 4, boxes[i], 4) == 0)
      return TRUE;
  return FALSE;
}

static void fail (GTask *task, GError *error);
static void pump (GTask *task);

/* Cleanup after failure happens in a thread: unlinking can block on a slow disk. */
static void
unlink_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Download *download = task_data;

  if (download->output != NULL)
    g_output_stream_close (download->output, NULL, NULL);
  if (download->temp_path != NULL)
    g_unlink (download->temp_path);
  g_clear_pointer (&download->temp_path, g_free);
  g_task_return_boolean (task, TRUE);
}

static void
on_unlinked (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = g_object_steal_data (G_OBJECT (task), "dly-error");

  g_task_return_error (task, error);
}

static void
fail (GTask  *task,
      GError *error)
{
  Download *download = g_task_get_task_data (task);
  g_autoptr(GTask) cleanup = g_task_new (NULL, NULL, on_unlinked, task);

  g_object_set_data (G_OBJECT (task), "dly-error", error);
  g_task_set_task_data (cleanup, download, NULL);
  g_task_run_in_thread (cleanup, unlink_thread);
}

static void
finish_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Download *download = task_data;
  GError *error = NULL;
  int fd = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (download->output));

  /* The rename makes the take visible: only a complete, flushed file may get its name. */
  if (fsync (fd) != 0 || !g_output_stream_close (download->output, NULL, &error))
    {
      if (error == NULL)
        error = g_error_new (G_IO_ERROR, g_io_error_from_errno (errno), _("Cannot write %s: %s"),
                             download->temp_path, g_strerror (errno));
      g_task_return_error (task, error);
      return;
    }
  if (g_rename (download->temp_path, download->destination) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Cannot move the video into place at %s: %s"),
                               download->destination, g_strerror (saved));
      return;
    }
  g_clear_pointer (&download->temp_path, g_free);
  g_task_return_boolean (task, TRUE);
}

static void
on_finished (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail (g_steal_pointer (&task), error);
      return;
    }
  g_task_return_int (task, download->received);
}

static void
complete (GTask *task)
{
  Download *download = g_task_get_task_data (task);
  g_autoptr(GTask) finish = NULL;

  if (download->expected > 0 && download->received != download->expected)
    {
      g_autofree char *got = g_format_size_full (download->received, G_FORMAT_SIZE_LONG_FORMAT);
      g_autofree char *want = g_format_size_full (download->expected, G_FORMAT_SIZE_LONG_FORMAT);

      fail (task, g_error_new (DLY_ERROR, DLY_ERROR_TRANSIENT,
                               _("The video arrived incomplete (%s of %s)"), got, want));
      return;
    }
  if (!download->checked_header)
    {
      fail (task, g_error_new (DLY_ERROR, DLY_ERROR_RESULT,
                               _("The backend sent an empty or too short file instead of a video")));
      return;
    }
  finish = g_task_new (NULL, g_task_get_cancellable (task), on_finished, task);
  g_task_set_task_data (finish, download, NULL);
  g_task_run_in_thread (finish, finish_thread);
}

static void
record_error (Download *download,
              GError   *error)
{
  if (download->error == NULL)
    download->error = error;
  else
    g_error_free (error);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    record_error (download, error);
  g_clear_pointer (&download->writing, g_bytes_unref);
  pump (task);
}

/* Checks a chunk that arrived; returns FALSE and records why when the download must stop. */
static gboolean
accept_chunk (Download *download,
              GBytes   *chunk)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (chunk, &size);

  if (!download->checked_header)
    {
      if (!dly_download_looks_like_mp4 (data, size))
        {
          g_autofree char *start = g_utf8_make_valid ((const char *) data, MIN (size, 60));

          record_error (download, g_error_new (DLY_ERROR, DLY_ERROR_RESULT,
                                               _("The backend sent something that is not an MP4 video: “%s”"),
                                               g_strstrip (start)));
          return FALSE;
        }
      download->checked_header = TRUE;
    }

  download->received += size;
  if (download->received > download->max_bytes)
    {
      g_autofree char *limit = g_format_size (download->max_bytes);

      record_error (download, g_error_new (DLY_ERROR, DLY_ERROR_RESULT,
                                           _("The video is larger than the limit of %s; the download was stopped"),
                                           limit));
      return FALSE;
    }
  if (download->progress != NULL)
    download->progress (download->received, download->expected, download->progress_data);
  return TRUE;
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  download->reading = FALSE;
  if (chunk == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* A broken body heals by downloading again. */
          GError *transient = g_error_new (DLY_ERROR, DLY_ERROR_TRANSIENT,
                                           _("The download broke off: %s"), error->message);

          g_clear_error (&error);
          error = transient;
        }
      record_error (download, error);
    }
  else if (g_bytes_get_size (chunk) == 0)
    download->eof = TRUE;
  else if (accept_chunk (download, chunk))
    download->pending = g_steal_pointer (&chunk);
  pump (task);
}

/* Keeps one read and one write going; completes or fails once both have settled. */
static void
pump (GTask *task)
{
  Download *download = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (download->error != NULL)
    {
      if (!download->reading && download->writing == NULL)
        fail (task, g_steal_pointer (&download->error));
      return;
    }

  if (download->writing == NULL && download->pending != NULL)
    {
      download->writing = g_steal_pointer (&download->pending);
      g_output_stream_write_all_async (download->output, g_bytes_get_data (download->writing, NULL),
                                       g_bytes_get_size (download->writing), G_PRIORITY_DEFAULT,
                                       cancellable, on_written, task);
    }
  if (!download->reading && !download->eof && download->pending == NULL)
    {
      download->reading = TRUE;
      g_input_stream_read_bytes_async (download->input, CHUNK_SIZE, G_PRIORITY_DEFAULT, cancellable,
                                       on_read, task);
    }
  if (download->eof && !download->reading && download->writing == NULL && download->pending == NULL)
    complete (task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  GError *error = NULL;
  guint status;

  download->input = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (download->input == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GError *transient = g_error_new (DLY_ERROR, DLY_ERROR_TRANSIENT,
                                           _("Could not download the video from %s: %s"),
                                           g_uri_get_host (soup_message_get_uri (download->message)),
                                           error->message);
          g_clear_error (&error);
          error = transient;
        }
      fail (task, error);
      return;
    }

  status = soup_message_get_status (download->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *reason = soup_message_get_reason_phrase (download->message);

      fail (task, g_error_new (DLY_ERROR, dly_error_code_for_http_status (status, reason),
                               _("Downloading the video failed (HTTP %u: %s)"), status,
                               reason ? reason : soup_status_get_phrase (status)));
      return;
    }
  if (download->expected < 0)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (download->message);

      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
        download->expected = soup_message_headers_get_content_length (headers);
    }
  pump (task);
}

/* Opening the temporary file touches the disk: a worker thread does it. */
static void
prepare_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Download *download = task_data;
  g_autofree char *dir = g_path_get_dirname (download->destination);
  g_autofree char *base = g_path_get_basename (download->destination);
  g_autofree char *template = NULL;
  int fd;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Cannot create the folder %s: %s"), dir, g_strerror (saved));
      return;
    }
  /* Beside the destination, so that the final rename stays on one file system. */
  template = g_strdup_printf ("%s/.%s.XXXXXX.part", dir, base);
  fd = g_mkstemp_full (template, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Cannot write in %s: %s"), dir, g_strerror (saved));
      return;
    }
  download->temp_path = g_steal_pointer (&template);
  download->output = g_unix_output_stream_new (fd, TRUE);
  g_task_return_boolean (task, TRUE);
}

static void
on_prepared (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail (task, error);
      return;
    }
  if (download->input != NULL)
    pump (task);
  else
    soup_session_send_async (download->session, download->message, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (task), on_sent, task);
}

void
dly_download_async (SoupSession         *session,
                    SoupMessage         *message,
                    GInputStream        *stream,
                    goffset              expected_size,
                    const char          *destination,
                    goffset              max_bytes,
                    DlyDownloadProgress  progress,
                    gpointer             progress_data,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task;
  g_autoptr(GTask) prepare = NULL;
  Download *download;

  g_return_if_fail (message != NULL || stream != NULL);
  g_return_if_fail (message == NULL || SOUP_IS_SESSION (session));
  g_return_if_fail (destination != NULL);

  download = g_new0 (Download, 1);
  download->session = session ? g_object_ref (session) : NULL;
  download->message = message ? g_object_ref (message) : NULL;
  download->input = stream ? g_object_ref (stream) : NULL;
  download->destination = g_strdup (destination);
  download->expected = expected_size;
  download->max_bytes = max_bytes > 0 ? max_bytes : G_MAXINT64;
  download->progress = progress;
  download->progress_data = progress_data;

  /* The task's own reference is dropped when it returns; callbacks borrow it meanwhile. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_download_async);
  g_task_set_task_data (task, download, (GDestroyNotify) download_free);

  prepare = g_task_new (NULL, cancellable, on_prepared, task);
  g_task_set_task_data (prepare, download, NULL);
  g_task_run_in_thread (prepare, prepare_thread);
}

goffset
dly_download_finish (GAsyncResult *result,
                     GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);
  return g_task_propagate_int (G_TASK (result), error);
}
