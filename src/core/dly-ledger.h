/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dly-job.h"

G_BEGIN_DECLS

#define DLY_TYPE_LEDGER (dly_ledger_get_type ())
G_DECLARE_FINAL_TYPE (DlyLedger, dly_ledger, DLY, LEDGER, GObject)

/**
 * DlyLedger:
 * The jobs in SQLite (WAL), the source of truth after a restart, shared by the app and the
 * CLI. All SQL runs on one worker thread in submission order, so a save that completes has
 * reached the database and the main thread never waits on the disk.
 */

/* $XDG_DATA_HOME/dailies/ledger.sqlite */
char        *dly_ledger_get_default_path (void);

DlyLedger   *dly_ledger_new              (const char          *path);
const char  *dly_ledger_get_path         (DlyLedger           *self);

void         dly_ledger_open_async       (DlyLedger           *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     dly_ledger_open_finish      (DlyLedger           *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* Writes the job's current state (insert or update). */
void         dly_ledger_save_async       (DlyLedger           *self,
                                          DlyJob              *job,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     dly_ledger_save_finish      (DlyLedger           *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* Moves the job to @to only if the ledger still has it in @from, and saves it; FALSE (no
 * error) when another process got there first. This is how two processes sharing the
 * ledger never submit the same job twice. */
void         dly_ledger_transition_async  (DlyLedger          *self,
                                           DlyJob             *job,
                                           DlyJobState         from,
                                           DlyJobState         to,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
gboolean     dly_ledger_transition_finish (DlyLedger          *self,
                                           GAsyncResult       *result,
                                           GError            **error);

/* Every job, newest first. */
void         dly_ledger_load_async       (DlyLedger           *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GPtrArray   *dly_ledger_load_finish      (DlyLedger           *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* One job as the ledger has it now (another process may have moved it on), or NULL. */
void         dly_ledger_load_job_async   (DlyLedger           *self,
                                          const char          *id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
DlyJob      *dly_ledger_load_job_finish  (DlyLedger           *self,
                                          GAsyncResult        *result,
                                          GError             **error);

void         dly_ledger_remove_async     (DlyLedger           *self,
                                          const char          *id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     dly_ledger_remove_finish    (DlyLedger           *self,
                                          GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
