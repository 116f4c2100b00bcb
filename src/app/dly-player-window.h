/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dly-compare-view.h"
#include "dly-video-view.h"

G_BEGIN_DECLS

#define DLY_TYPE_PLAYER_WINDOW (dly_player_window_get_type ())
G_DECLARE_FINAL_TYPE (DlyPlayerWindow, dly_player_window, DLY, PLAYER_WINDOW, AdwApplicationWindow)

/**
 * DlyPlayerWindow:
 *
 * The window of `dailies --play FILE [FILE2]`: one file in a #DlyVideoView, two in a
 * #DlyCompareView, and the media facts of each in a side panel.
 */

/* @location_b: (nullable): a second file to compare with the first. */
DlyPlayerWindow *dly_player_window_new              (GtkApplication  *application,
                                                     const char      *location_a,
                                                     const char      *location_b);

/* The view that plays (the compare view's own when comparing). */
DlyVideoView    *dly_player_window_get_video_view   (DlyPlayerWindow *self);
/* The compare view, or NULL with one file. */
DlyCompareView  *dly_player_window_get_compare_view (DlyPlayerWindow *self);
/* TRUE once the media facts of every file are loaded (or failed to load). */
gboolean         dly_player_window_get_info_loaded  (DlyPlayerWindow *self);

G_END_DECLS
