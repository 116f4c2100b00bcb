/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DLY_TYPE_SETUP_PAGE (dly_setup_page_get_type ())
G_DECLARE_FINAL_TYPE (DlySetupPage, dly_setup_page, DLY, SETUP_PAGE, GtkWidget)

GtkWidget *dly_setup_page_new           (gboolean      welcome);
void       dly_setup_page_set_demo_again (DlySetupPage *self,
                                          gboolean      demo_again);

G_END_DECLS
