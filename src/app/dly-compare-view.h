/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dly-player.h"
#include "dly-video-view.h"

G_BEGIN_DECLS

#define DLY_TYPE_COMPARE_VIEW (dly_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (DlyCompareView, dly_compare_view, DLY, COMPARE_VIEW, GtkWidget)

/**
 * DlyCompareView:
 *
 * Two takes in sync: side by side (stacked when that shows them larger), or one over the
 * other with a wipe divider to drag. One set of controls drives both; the take chosen with
 * A/B is heard, and is the one the frame actions save. Each take is labelled with what sets
 * it apart. Actions: `compare.wipe` (W), and all of #DlyVideoView's `player.` actions.
 */

GtkWidget     *dly_compare_view_new                (void);

DlyVideoView  *dly_compare_view_get_video_view     (DlyCompareView *self);
DlyPlayer     *dly_compare_view_get_player         (DlyCompareView *self);
void           dly_compare_view_open               (DlyCompareView *self,
                                                    const char     *location_a,
                                                    const char     *location_b);

/* What differs between the takes, one label each (first line bold, any further lines as a
 * caption): file names and media facts now, seed, prompt and parameters later. */
void           dly_compare_view_set_labels         (DlyCompareView *self,
                                                    const char     *left,
                                                    const char     *right);

gboolean       dly_compare_view_get_wipe           (DlyCompareView *self);
void           dly_compare_view_set_wipe           (DlyCompareView *self,
                                                    gboolean        wipe);
/* Where the wipe divider is, 0 (all B) to 1 (all A). */
double         dly_compare_view_get_wipe_position  (DlyCompareView *self);
void           dly_compare_view_set_wipe_position  (DlyCompareView *self,
                                                    double          position);

DlyPlayerSide  dly_compare_view_get_audio_side     (DlyCompareView *self);
void           dly_compare_view_set_audio_side     (DlyCompareView *self,
                                                    DlyPlayerSide   side);

G_END_DECLS
