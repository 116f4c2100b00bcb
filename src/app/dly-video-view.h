/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dly-player.h"
#include "dly-video-paintable.h"

G_BEGIN_DECLS

#define DLY_TYPE_VIDEO_VIEW (dly_video_view_get_type ())
G_DECLARE_FINAL_TYPE (DlyVideoView, dly_video_view, DLY, VIDEO_VIEW, GtkWidget)

/**
 * DlyVideoView:
 *
 * A take on screen: the picture scaled to fit, and controls that fade out while it plays
 * and come back when the pointer moves. Everything it does is an action in the `player.`
 * group (play-pause, play, pause, seek-backward, seek-forward, step-backward, step-forward,
 * seek-start, seek-end, loop, mute, rate, fullscreen, save-frame, use-frame), with the usual
 * keys: Space, Left/Right, comma/period, Home/End, L, M, F.
 *
 * #DlyCompareView puts its two pictures in place of the one with
 * dly_video_view_set_content(), and keeps the controls.
 */

GtkWidget         *dly_video_view_new                  (void);

DlyPlayer         *dly_video_view_get_player           (DlyVideoView        *self);
void               dly_video_view_open                 (DlyVideoView        *self,
                                                        const char          *location);

/* The picture of side A; a compare view shows its own pictures instead. */
DlyVideoPaintable *dly_video_view_get_paintable        (DlyVideoView        *self);
GtkWidget         *dly_video_view_get_content          (DlyVideoView        *self);
void               dly_video_view_set_content          (DlyVideoView        *self,
                                                        GtkWidget           *content);

/* Adds a button (or any small widget) to the controls, before the loop button, and the same
 * commands as a menu section for narrow windows, where the controls fold into a menu. */
void               dly_video_view_add_control          (DlyVideoView        *self,
                                                        GtkWidget           *widget);
void               dly_video_view_add_menu_section     (DlyVideoView        *self,
                                                        GMenuModel          *section);
/* The height the controls' card covers at the bottom of a view @width wide, margins
 * included: content that must stay clear of it keeps out of that band. */
int                dly_video_view_get_controls_height  (DlyVideoView        *self,
                                                        int                  width);

/* The take that "Save frame" and "Use frame" act on when comparing. */
DlyPlayerSide      dly_video_view_get_frame_side       (DlyVideoView        *self);
void               dly_video_view_set_frame_side       (DlyVideoView        *self,
                                                        DlyPlayerSide        side);

gboolean           dly_video_view_get_controls_revealed (DlyVideoView       *self);
/* Shows the controls as pointer motion would (they hide again while playing). */
void               dly_video_view_reveal_controls      (DlyVideoView        *self);

/* The frame shown (transfer full), or NULL. */
GdkTexture        *dly_video_view_dup_frame_texture    (DlyVideoView        *self);
/* Writes the frame shown to @file as PNG, encoding and writing in a worker thread. */
void               dly_video_view_save_frame_async     (DlyVideoView        *self,
                                                        GFile               *file,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           dly_video_view_save_frame_finish    (DlyVideoView        *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* A file name for the frame shown: "<take>-frame-0037.png". */
char              *dly_video_view_dup_frame_file_name  (DlyVideoView        *self);

G_END_DECLS
