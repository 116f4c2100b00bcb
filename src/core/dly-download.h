/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/**
 * dly_download_async:
 * @session: the engine's session (may be NULL when @stream is given)
 * @message: the request for the video, or NULL when @stream is already open
 * @stream: an open video body (synchronous backends), or NULL
 * @destination: the final path; the body goes to a temporary file beside it first
 * @max_bytes: a runaway body is stopped here
 * @progress: called on the main context with bytes so far and the total (-1 if unknown)
 *
 * Streams a result to disk without holding it in memory, checks that it is an MP4 (an
 * ftyp box) and complete (the announced length), and renames it into place. Nothing the
 * server says chooses the file name. On failure the temporary file is removed.
 */
typedef void (*DlyDownloadProgress) (goffset  received,
                                     goffset  total,
                                     gpointer user_data);

void     dly_download_async  (SoupSession         *session,
                              SoupMessage         *message,
                              GInputStream        *stream,
                              goffset              expected_size,
                              const char          *destination,
                              goffset              max_bytes,
                              DlyDownloadProgress  progress,
                              gpointer             progress_data,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
/* Returns the number of bytes written. */
goffset  dly_download_finish (GAsyncResult        *result,
                              GError             **error);

/* TRUE when @header (the first bytes of a file) starts with an MP4/ISO-BMFF box. */
gboolean dly_download_looks_like_mp4 (const guint8 *header,
                                      gsize         length);

G_END_DECLS
