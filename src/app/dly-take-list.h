/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dly-job.h"

G_BEGIN_DECLS

#define DLY_TYPE_TAKE_LIST (dly_take_list_get_type ())
G_DECLARE_FINAL_TYPE (DlyTakeList, dly_take_list, DLY, TAKE_LIST, GtkWidget)

/**
 * DlyTakeList:
 *
 * Every take, newest first: a GtkListView over the engine's job list (a GListModel of
 * DlyJob), one #DlyTakeRow per visible take, and a "No Takes Yet" page while the list is
 * empty. Only the rows on screen exist and only they ask for thumbnails, so a ledger of
 * 10,000 takes opens and scrolls as quickly as one of ten.
 *
 * Properties: "jobs" (the model), "selected-job" (notifies), "loading" (while the history
 * is read, an empty list shows a blank page, not "No Takes Yet").
 *
 * Signals, each (DlyJob *job) unless said:
 * - "take-activated": a succeeded take was selected, activated (Enter, double click), or
 *   finished while selected; the window plays it at once.
 * - "cancel-requested", "retry-requested", "remove-requested", "use-as-template": from the
 *   take's menu; the window does them through the engine and the composer (and asks before a
 *   retry, which may cost money).
 * - "compare-requested" (DlyJob *job, DlyJob *other): compare @job with @other.
 *
 * Copy prompt and show in folder the rows do themselves. Keys, on the list: Menu and
 * Shift+F10 open the focused take's menu, Delete asks to remove the selected take, Ctrl+C
 * copies its prompt.
 */

GtkWidget      *dly_take_list_new                   (void);

void            dly_take_list_set_jobs              (DlyTakeList *self,
                                                     GListModel  *jobs);
GListModel     *dly_take_list_get_jobs              (DlyTakeList *self);
void            dly_take_list_set_loading           (DlyTakeList *self,
                                                     gboolean     loading);
gboolean        dly_take_list_get_loading           (DlyTakeList *self);

/* The selected take (transfer none), or NULL. Property "selected-job". */
DlyJob         *dly_take_list_get_selected          (DlyTakeList *self);
/* Selects @job (NULL unselects) and scrolls to it. */
void            dly_take_list_select_job            (DlyTakeList *self,
                                                     DlyJob      *job);

/* The succeeded take selected last before now, other than @job (transfer none), or NULL:
 * what the preview played before @job, the first to compare @job with. */
DlyJob         *dly_take_list_get_last_played       (DlyTakeList *self,
                                                     DlyJob      *job);
/* Succeeded takes that @job could be compared with (transfer full, of DlyJob): the last
 * played first, then the newest; at most @max, never @job. */
GPtrArray      *dly_take_list_dup_compare_candidates (DlyTakeList *self,
                                                      DlyJob      *job,
                                                      guint        max);

/* For tests and diagnostics: the list view, and how many rows it has made and kept. */
GtkListView    *dly_take_list_get_list_view         (DlyTakeList *self);
guint           dly_take_list_get_n_rows            (DlyTakeList *self);

G_END_DECLS
