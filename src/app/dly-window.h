/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DLY_TYPE_WINDOW (dly_window_get_type ())

G_DECLARE_FINAL_TYPE (DlyWindow, dly_window, DLY, WINDOW, AdwApplicationWindow)

DlyWindow *dly_window_new (GtkApplication *application);

G_END_DECLS
