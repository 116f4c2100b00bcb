/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the UI tests. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Renders @widget as it is on screen (through its own renderer, so the picture is what a
 * person would see under the same GSK_RENDERER) and saves it as @name in the test build
 * directory, for a person to look at. */
void dly_test_save_screenshot (GtkWidget  *widget,
                               const char *name);

G_END_DECLS
