/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dly-job.h"

G_BEGIN_DECLS

#define DLY_TYPE_TAKE_ROW (dly_take_row_get_type ())
G_DECLARE_FINAL_TYPE (DlyTakeRow, dly_take_row, DLY, TAKE_ROW, GtkWidget)

/**
 * DlyTakeRow:
 *
 * One take in the take list: its first frame (or an icon for its state), the start of its
 * prompt, the backend, the state with a progress bar or spinner, the elapsed time, and the
 * backend's message when it failed, whole in a popover.
 *
 * A row shows the job it is bound to (property "job") and owns nothing of it: it follows
 * the job's notifications while bound and lets go when unbound. While its job is unfinished
 * it joins the one clock all rows share, which ticks once a second only while some row is
 * waiting on it.
 *
 * Actions, in the `take.` group, in the row's menu button and its context menu (right click,
 * long press): cancel (unfinished takes), retry (failed, cancelled or unknown ones; the window
 * asks first, as it may cost money), remove, show-in-folder (succeeded takes whose file is
 * there), copy-prompt, use-as-template, compare-with (a job id: succeeded takes, when another
 * one exists). The row copies and shows in the folder itself; the rest are signals, each
 * about the row's job: "cancel-requested", "retry-requested", "remove-requested",
 * "use-as-template" and "compare-requested" (DlyJob *other).
 */

GtkWidget *dly_take_row_new                (void);

DlyJob    *dly_take_row_get_job            (DlyTakeRow *self);
void       dly_take_row_set_job            (DlyTakeRow *self,
                                            DlyJob     *job);

/* Whether take.@action (the name without the group) applies to the take now. */
gboolean   dly_take_row_get_action_enabled (DlyTakeRow *self,
                                            const char *action);
/* Whether the row is on screen (default TRUE). A row asks for its take's first frame only
 * while on screen; the list says which of its rows are, after each frame that moved them. */
void       dly_take_row_set_on_screen      (DlyTakeRow *self,
                                            gboolean    on_screen);
gboolean   dly_take_row_get_on_screen      (DlyTakeRow *self);

/* Recomputes which actions apply; the list calls it when the takes to compare with change. */
void       dly_take_row_refresh_actions    (DlyTakeRow *self);

/* Opens the take's menu at (@x, @y) in the row's coordinates, or at the menu button when
 * @x is negative (the Menu key). */
void       dly_take_row_popup_menu         (DlyTakeRow *self,
                                            double      x,
                                            double      y);

/* The take's menu as it was when it last opened (for tests): its "Compare With" part is
 * filled as it opens. */
GMenuModel *dly_take_row_get_menu_model    (DlyTakeRow *self);

/* How many rows follow the shared one-second clock; it runs only while this is not 0. */
guint      dly_take_row_get_n_ticking      (void);

G_END_DECLS
