/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DLY_TYPE_ACTIVITY_INDICATOR (dly_activity_indicator_get_type ())
G_DECLARE_FINAL_TYPE (DlyActivityIndicator, dly_activity_indicator, DLY, ACTIVITY_INDICATOR, GtkWidget)

GtkWidget *dly_activity_indicator_new        (void);
void       dly_activity_indicator_set_active (DlyActivityIndicator *self,
                                              gboolean              active);
gboolean   dly_activity_indicator_get_active (DlyActivityIndicator *self);
void       dly_activity_indicator_set_paused (DlyActivityIndicator *self,
                                              gboolean              paused);

G_END_DECLS
