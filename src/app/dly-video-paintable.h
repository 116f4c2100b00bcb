/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "dly-player.h"

G_BEGIN_DECLS

#define DLY_TYPE_VIDEO_PAINTABLE (dly_video_paintable_get_type ())
G_DECLARE_FINAL_TYPE (DlyVideoPaintable, dly_video_paintable, DLY, VIDEO_PAINTABLE, GObject)

/**
 * DlyVideoPaintable:
 *
 * Shows the newest frame of one side of a #DlyPlayer. Frames become #GdkMemoryTextures on
 * the main thread, and only when drawn, so frames the screen never asks for cost nothing.
 * With a wipe set, the other side is drawn over this one to the right of the divider, both
 * in the same box, for a before/after comparison.
 */

DlyVideoPaintable *dly_video_paintable_new         (DlyPlayer         *player,
                                                    DlyPlayerSide      side);
DlyPlayer         *dly_video_paintable_get_player  (DlyVideoPaintable *self);
DlyPlayerSide      dly_video_paintable_get_side    (DlyVideoPaintable *self);

/* The frame shown (transfer none), or NULL before the first one. */
GdkTexture        *dly_video_paintable_get_texture (DlyVideoPaintable *self);

/* Where the divider is, from 0 (left edge) to 1; a negative value turns the wipe off. */
double             dly_video_paintable_get_wipe    (DlyVideoPaintable *self);
void               dly_video_paintable_set_wipe    (DlyVideoPaintable *self,
                                                    double             wipe);

/* How many different frames were drawn; for benchmarks. */
guint64            dly_video_paintable_get_n_drawn (DlyVideoPaintable *self);

G_END_DECLS
