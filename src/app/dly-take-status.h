/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "dly-job.h"

G_BEGIN_DECLS

#define DLY_TYPE_TAKE_STATUS (dly_take_status_get_type ())
G_DECLARE_FINAL_TYPE (DlyTakeStatus, dly_take_status, DLY, TAKE_STATUS, GtkWidget)

GtkWidget *dly_take_status_new     (void);
DlyJob    *dly_take_status_get_job (DlyTakeStatus *self);
void       dly_take_status_set_job (DlyTakeStatus *self,
                                    DlyJob        *job);

G_END_DECLS
