/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo backend: the simulator started in-process, offered to a new user so that every
 * part of the app can be tried without a GPU. Its takes are synthetic and say so. */
#pragma once

#include "dly-job.h"
#include "dly-profile.h"

G_BEGIN_DECLS

/* The profile name the demo backend's jobs carry (dly_job_get_profile). It is reserved:
 * a user's own profile may not take it. */
#define DLY_DEMO_PROFILE_NAME "Demo"

/* The dialect the demo speaks: the self-hosted LTX-2 server's, which needs no key. */
#define DLY_DEMO_DIALECT "ltx2-server"

static inline gboolean
dly_demo_is_demo_job (DlyJob *job)
{
  return g_strcmp0 (dly_job_get_profile (job), DLY_DEMO_PROFILE_NAME) == 0;
}

#define DLY_TYPE_DEMO (dly_demo_get_type ())
G_DECLARE_FINAL_TYPE (DlyDemo, dly_demo, DLY, DEMO, GObject)

/**
 * DlyDemo:
 *
 * The simulator serving from its own thread on an ephemeral loopback port, and the transient
 * profile that points at it. The port changes every run, so the profile is made anew each
 * time and never saved. Property "running" notifies when it starts or stops.
 */
DlyDemo    *dly_demo_new            (void);

/* Binding a loopback socket is all the caller's thread waits for; renders run elsewhere. */
gboolean    dly_demo_start          (DlyDemo   *self,
                                     GError   **error);
void        dly_demo_stop           (DlyDemo   *self);
gboolean    dly_demo_is_running     (DlyDemo   *self);

/* http://127.0.0.1:PORT while running, else NULL. */
const char *dly_demo_get_base_url   (DlyDemo   *self);
/* (transfer none) (nullable): the profile while running. */
DlyProfile *dly_demo_get_profile    (DlyDemo   *self);

/* Seconds a demo take spends "generating" (default 4; DAILIES_DEMO_JOB_SECONDS overrides). */
void        dly_demo_set_job_seconds (DlyDemo  *self,
                                      double    seconds);

G_END_DECLS
