/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DLY_TYPE_WRAP_LAYOUT (dly_wrap_layout_get_type ())
G_DECLARE_FINAL_TYPE (DlyWrapLayout, dly_wrap_layout, DLY, WRAP_LAYOUT, GtkLayoutManager)

/**
 * DlyWrapLayout:
 *
 * Lays children out like words in a paragraph: each at its natural width, left to right
 * (right to left in RTL locales), starting a new line when the next one does not fit.
 * GtkFlowBox aligns its children in columns, which leaves wide gaps between chips of
 * different lengths; libadwaita's AdwWrapBox is newer than 1.2.
 */

GtkLayoutManager *dly_wrap_layout_new (int column_spacing,
                                       int row_spacing);

G_END_DECLS
