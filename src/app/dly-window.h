/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dly-take-controller.h"

G_BEGIN_DECLS

typedef struct _DlyComposer    DlyComposer;
typedef struct _DlyTakeList    DlyTakeList;
typedef struct _DlyVideoView   DlyVideoView;
typedef struct _DlyCompareView DlyCompareView;

#define DLY_TYPE_WINDOW (dly_window_get_type ())

G_DECLARE_FINAL_TYPE (DlyWindow, dly_window, DLY, WINDOW, AdwApplicationWindow)

/**
 * DlyWindow:
 *
 * The main window: the composer, the takes and the preview, side by side when they fit and
 * one at a time (composer → takes → preview) when they do not. The takes are those of the
 * application's #DlyTakeController unless the window is given one (tests do).
 *
 * Actions (win.): generate, manage-backends, add-backend, try-demo, toggle-takes (F9), and
 * on the selected take cancel-take, retry-take, remove-take, use-as-template.
 */
DlyWindow         *dly_window_new                 (GtkApplication    *application);
DlyWindow         *dly_window_new_with_controller (GtkApplication    *application,
                                                   DlyTakeController *controller);

DlyTakeController *dly_window_get_controller      (DlyWindow         *self);
/* Selects the take with this id and shows it (playing, if it is done); once loaded, if the
 * ledger is still being read. */
void               dly_window_show_take           (DlyWindow         *self,
                                                   const char        *job_id);
/* A passing message; @message is plain text. */
void               dly_window_add_toast           (DlyWindow         *self,
                                                   const char        *message);

/* For tests. */
DlyComposer       *dly_window_get_composer        (DlyWindow         *self);
DlyTakeList       *dly_window_get_take_list       (DlyWindow         *self);
DlyVideoView      *dly_window_get_video_view      (DlyWindow         *self);
DlyCompareView    *dly_window_get_compare_view    (DlyWindow         *self);
/* The pages shown: "welcome" or "main"; "loading", "setup" or "composer"; and "loading",
 * "empty", "status", "video" or "compare". */
const char        *dly_window_get_main_page       (DlyWindow         *self);
const char        *dly_window_get_composer_page   (DlyWindow         *self);
const char        *dly_window_get_preview_page    (DlyWindow         *self);

G_END_DECLS
