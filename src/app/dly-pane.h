/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DLY_TYPE_PANE (dly_pane_get_type ())
G_DECLARE_FINAL_TYPE (DlyPane, dly_pane, DLY, PANE, GtkWidget)

/**
 * DlyPane:
 *
 * One region of the main window's leaflet: a bin whose natural width is the width the user
 * gave it, so that the leaflet (folding on natural widths) shows the regions side by side
 * at those widths while they fit and one at a time when they do not, and whose minimum
 * stays the child's own, so that a folded window can still be 360 pixels wide.
 *
 * With "resize-edge" set, a grip along that edge lets the pointer drag the width
 * (GTK_POS_LEFT or GTK_POS_RIGHT; anything else has no grip). "width" notifies as it moves.
 */
GtkWidget *dly_pane_new             (void);

GtkWidget *dly_pane_get_child       (DlyPane         *self);
void       dly_pane_set_child       (DlyPane         *self,
                                     GtkWidget       *child);
int        dly_pane_get_width       (DlyPane         *self);
void       dly_pane_set_width       (DlyPane         *self,
                                     int              width);
GtkPositionType dly_pane_get_resize_edge (DlyPane    *self);
void       dly_pane_set_resize_edge (DlyPane         *self,
                                     GtkPositionType  edge);
gboolean   dly_pane_get_resizable   (DlyPane         *self);
void       dly_pane_set_resizable   (DlyPane         *self,
                                     gboolean         resizable);

G_END_DECLS
