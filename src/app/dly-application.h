/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dly-take-controller.h"
#include "dly-window.h"

G_BEGIN_DECLS

#define DLY_TYPE_APPLICATION (dly_application_get_type ())

G_DECLARE_FINAL_TYPE (DlyApplication, dly_application, DLY, APPLICATION, AdwApplication)

DlyApplication *dly_application_new             (void);
DlyWindow      *dly_application_get_main_window (DlyApplication *self);
DlyTakeController *dly_application_get_take_controller (DlyApplication *self);

G_END_DECLS
