/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dly-demo.h"
#include "dly-engine.h"
#include "dly-profile-store.h"

G_BEGIN_DECLS

/**
 * DlyRetryCost:
 * @DLY_RETRY_COST_FREE: a self-hosted server or the demo: trying again costs nothing
 * @DLY_RETRY_COST_PAID: a hosted service bills each submission
 * @DLY_RETRY_COST_MAY_BE_RUNNING: the job's state is unknown: the first submission may
 *   still be running (and billed) on the backend
 *
 * What the user should know before a take is sent again.
 */
typedef enum
{
  DLY_RETRY_COST_FREE,
  DLY_RETRY_COST_PAID,
  DLY_RETRY_COST_MAY_BE_RUNNING,
} DlyRetryCost;

#define DLY_TYPE_TAKE_CONTROLLER (dly_take_controller_get_type ())
G_DECLARE_FINAL_TYPE (DlyTakeController, dly_take_controller, DLY, TAKE_CONTROLLER, GObject)

/**
 * DlyTakeController:
 *
 * What the app does with takes, between the windows and the core: it opens the engine's
 * ledger and the saved profiles together, resumes unfinished jobs once both are there (as
 * `dailies-cli resume` does), makes each job's backend from its profile (keys from the
 * keyring), the demo simulator or the job itself, keeps each backend's concurrency as its
 * profile says, and submits new takes and retries.
 *
 * Properties: "loaded" once the ledger and the profiles are in; "busy" while the engine is
 * driving any job.
 */
DlyTakeController *dly_take_controller_new               (DlyEngine          *engine,
                                                          DlyProfileStore    *store);

DlyEngine         *dly_take_controller_get_engine        (DlyTakeController  *self);
DlyProfileStore   *dly_take_controller_get_profile_store (DlyTakeController  *self);
DlyDemo           *dly_take_controller_get_demo          (DlyTakeController  *self);

void               dly_take_controller_open_async        (DlyTakeController  *self,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
gboolean           dly_take_controller_open_finish       (DlyTakeController  *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);
gboolean           dly_take_controller_get_loaded        (DlyTakeController  *self);
gboolean           dly_take_controller_get_busy          (DlyTakeController  *self);

/* Starts the simulator in its own thread and lists its profile, never saved, in the store.
 * Returns: (transfer none): the demo profile. */
DlyProfile        *dly_take_controller_start_demo        (DlyTakeController  *self,
                                                          GError            **error);
/* Whether the job list holds takes of the demo backend (from this run or an earlier one). */
gboolean           dly_take_controller_has_demo_takes    (DlyTakeController  *self);
/* Whether the store has a profile of the user's own (the demo's does not count). */
gboolean           dly_take_controller_has_own_profiles  (DlyTakeController  *self);

/* Submits one job per request with @profile's backend (defaults applied, every request
 * checked before any is sent). Returns (transfer container) the jobs, in request order. */
void               dly_take_controller_submit_async      (DlyTakeController  *self,
                                                          DlyProfile         *profile,
                                                          GPtrArray          *requests,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
GPtrArray         *dly_take_controller_submit_finish     (DlyTakeController  *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);

DlyRetryCost       dly_take_controller_get_retry_cost    (DlyTakeController  *self,
                                                          DlyJob             *job);
/* A new submission of @job's request to the same backend and profile.
 * Returns (transfer full) the new job. */
void               dly_take_controller_retry_async       (DlyTakeController  *self,
                                                          DlyJob             *job,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
DlyJob            *dly_take_controller_retry_finish      (DlyTakeController  *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);

/* A human name for the backend a job went to: its profile, or the dialect's label. */
char              *dly_take_controller_dup_backend_name  (DlyTakeController  *self,
                                                          DlyJob             *job);

G_END_DECLS
