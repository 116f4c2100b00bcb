/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo backend: the simulator started in-process, offered to a new user so that every
 * part of the app can be tried without a GPU. Its takes are synthetic and say so. */
#pragma once

#include "dly-job.h"

G_BEGIN_DECLS

/* The profile name the demo backend's jobs carry (dly_job_get_profile). It is reserved:
 * a user's own profile may not take it. */
#define DLY_DEMO_PROFILE_NAME "Demo"

static inline gboolean
dly_demo_is_demo_job (DlyJob *job)
{
  return g_strcmp0 (dly_job_get_profile (job), DLY_DEMO_PROFILE_NAME) == 0;
}

G_END_DECLS
