/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DLY_TYPE_MEDIA_INFO (dly_media_info_get_type ())
G_DECLARE_FINAL_TYPE (DlyMediaInfo, dly_media_info, DLY, MEDIA_INFO, GObject)

/**
 * DlyMediaInfo:
 *
 * What a video file is, for an info panel: container, codecs, picture, sound, size.
 * Immutable once loaded. Unknown strings are NULL and unknown numbers 0.
 */

/* Reads @location (a path or URI) with GstDiscoverer in a worker thread. Errors are in
 * DLY_PLAYER_ERROR, as the player would report them. */
void          dly_media_info_load_async      (const char           *location,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
DlyMediaInfo *dly_media_info_load_finish     (GAsyncResult         *result,
                                              GError              **error);

const char   *dly_media_info_get_uri         (DlyMediaInfo *self);
/* The file's name for people ("take-0042.mp4"). */
const char   *dly_media_info_get_name        (DlyMediaInfo *self);
const char   *dly_media_info_get_container   (DlyMediaInfo *self);
const char   *dly_media_info_get_video_codec (DlyMediaInfo *self);
int           dly_media_info_get_width       (DlyMediaInfo *self);
int           dly_media_info_get_height      (DlyMediaInfo *self);
gboolean      dly_media_info_get_frame_rate  (DlyMediaInfo *self,
                                              int          *numerator,
                                              int          *denominator);
gint64        dly_media_info_get_frame_count (DlyMediaInfo *self);
/* Nanoseconds. */
gint64        dly_media_info_get_duration    (DlyMediaInfo *self);
gboolean      dly_media_info_get_has_audio   (DlyMediaInfo *self);
const char   *dly_media_info_get_audio_codec (DlyMediaInfo *self);
int           dly_media_info_get_channels    (DlyMediaInfo *self);
int           dly_media_info_get_sample_rate (DlyMediaInfo *self);
/* Bits per second over the whole file. */
guint64       dly_media_info_get_bitrate     (DlyMediaInfo *self);
guint64       dly_media_info_get_file_size   (DlyMediaInfo *self);

/* The facts as (label, value) rows for an info panel, in a fixed order: a NULL-terminated
 * array of 2n strings. */
GStrv         dly_media_info_to_rows         (DlyMediaInfo *self);
/* A short line of the facts in which @self differs from @other ("768×512 · 24 fps · 5.0 s"),
 * or NULL when they match in every fact worth showing. */
char         *dly_media_info_describe_difference (DlyMediaInfo *self,
                                                  DlyMediaInfo *other);

G_END_DECLS
