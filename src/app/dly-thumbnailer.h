/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DLY_TYPE_THUMBNAILER (dly_thumbnailer_get_type ())
G_DECLARE_FINAL_TYPE (DlyThumbnailer, dly_thumbnailer, DLY, THUMBNAILER, GObject)

/* Width of the thumbnails made, in pixels: twice the take list's picture, for HiDPI. */
#define DLY_THUMBNAILER_WIDTH 192

/**
 * DlyThumbnailer:
 *
 * First-frame pictures of takes, for the take list. A request is decoded with GStreamer in a
 * small pool of worker threads (at most two decodes at once) and comes back on the main
 * context as a #GdkTexture. Pictures are kept in memory (the few hundred used last) and on
 * disk as PNG under $XDG_CACHE_HOME/dailies/thumbnails/KEY.png, so that a take is decoded
 * once, ever, until its file changes.
 *
 * Requests wait in a queue until a worker is free; a request whose cancellable is cancelled
 * leaves the queue at once, so that a list scrolled quickly past thousands of takes decodes
 * only those that stayed on screen. A missing or unreadable file is an error, remembered
 * for the session, never a crash.
 */

DlyThumbnailer *dly_thumbnailer_get_default   (void);

/* @cache_dir: where the PNGs go, or NULL for $XDG_CACHE_HOME/dailies/thumbnails. */
DlyThumbnailer *dly_thumbnailer_new           (const char          *cache_dir);
const char     *dly_thumbnailer_get_cache_dir (DlyThumbnailer      *self);

/* The picture for @key if it is in memory (transfer full), else NULL. Never touches the
 * disk, so a row being bound can show a known picture in the same frame. */
GdkTexture     *dly_thumbnailer_lookup        (DlyThumbnailer      *self,
                                               const char          *key);

/**
 * dly_thumbnailer_load_async:
 * @key: names the picture in the caches (a job id); one file per key
 * @video_path: the video whose first frame is wanted
 *
 * Errors: G_IO_ERROR_NOT_FOUND when the video is missing, DLY_PLAYER_ERROR codes when it
 * cannot be decoded, G_IO_ERROR_CANCELLED.
 */
void            dly_thumbnailer_load_async    (DlyThumbnailer      *self,
                                               const char          *key,
                                               const char          *video_path,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GdkTexture     *dly_thumbnailer_load_finish   (DlyThumbnailer      *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Forgets @key in memory and on disk (the take was removed or its file replaced). */
void            dly_thumbnailer_forget        (DlyThumbnailer      *self,
                                               const char          *key);

/* Requests waiting for a worker or being decoded now (cancelled ones are not counted). */
guint           dly_thumbnailer_get_n_pending (DlyThumbnailer      *self);
/* Pictures kept in memory. */
guint           dly_thumbnailer_get_n_cached  (DlyThumbnailer      *self);
/* Videos decoded since the thumbnailer was made (disk cache hits are not decodes). */
guint           dly_thumbnailer_get_n_decoded (DlyThumbnailer      *self);

G_END_DECLS
