/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "dly-backend.h"
#include "dly-job.h"
#include "dly-ledger.h"

G_BEGIN_DECLS

#define DLY_TYPE_ENGINE (dly_engine_get_type ())
G_DECLARE_FINAL_TYPE (DlyEngine, dly_engine, DLY, ENGINE, GObject)

/**
 * DlyBackendResolver:
 * Makes the backend for a job found in the ledger (resume): the app and the CLI know the
 * profiles and where keys live; the engine does not. Calls @callback-style completion
 * through dly_engine_resolve_done(). The default resolver handles ad-hoc jobs: the dialect
 * and URL from the job, the key from the job's environment variable.
 */
typedef void (*DlyBackendResolver) (DlyEngine *engine,
                                    DlyJob    *job,
                                    GTask     *task,
                                    gpointer   user_data);

/**
 * DlyEngine:
 * The one object the app and the CLI hold: the SoupSession, the ledger, the job list and
 * the scheduler (per-backend concurrency, adaptive polling, retries with backoff, an
 * overall time limit per job, downloads).
 *
 * Signals: `job-finished` (DlyJob *job) when a job reaches succeeded, failed, cancelled
 * or unknown; `job-released` (DlyJob *job) when the engine stops driving an unfinished job;
 * `job-retrying` (DlyJob *job, const char *message, guint delay_ms) on a transient failure
 * that will be tried again.
 */

/* @ledger_path: NULL for the default under $XDG_DATA_HOME/dailies/. */
DlyEngine    *dly_engine_new             (const char          *ledger_path);

/* Opens the ledger and loads the history into the job list. Call once, first. */
void          dly_engine_open_async      (DlyEngine           *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean      dly_engine_open_finish     (DlyEngine           *self,
                                          GAsyncResult        *result,
                                          GError             **error);

SoupSession  *dly_engine_get_session     (DlyEngine           *self);
DlyLedger    *dly_engine_get_ledger      (DlyEngine           *self);
/* A GListModel of DlyJob, newest first. */
GListModel   *dly_engine_get_jobs        (DlyEngine           *self);
DlyJob       *dly_engine_lookup_job      (DlyEngine           *self,
                                          const char          *id);

/* Where a take goes when the caller names no path: $XDG_DATA_HOME/dailies/takes/ID.mp4 */
char         *dly_engine_default_output_path (DlyEngine       *self,
                                              const char      *job_id);

/**
 * dly_engine_submit:
 * @backend: the backend (its key already set); the engine keeps a reference
 * @profile: the profile name the backend came from, or NULL
 * @api_key_env: the environment variable the key came from, or NULL
 * @output_path: where the video goes, or NULL for the default
 *
 * Validates the request against the backend (nothing is sent if it is invalid:
 * DLY_ERROR_INVALID_INPUT), creates a job, writes it to the ledger and queues it.
 */
DlyJob       *dly_engine_submit          (DlyEngine           *self,
                                          DlyBackend          *backend,
                                          DlyRequest          *request,
                                          const char          *profile,
                                          const char          *api_key_env,
                                          const char          *output_path,
                                          GError             **error);

/**
 * dly_engine_submit_all:
 * @requests: (element-type DlyRequest): the takes, in the order they are sent
 *
 * dly_engine_submit() for several takes with the default output paths, all or nothing:
 * if any request is invalid none is queued. The jobs join the list in one change, the
 * last request first (as one dly_engine_submit() after another would leave them), so that
 * a list view binds only the rows it shows rather than one row per take.
 *
 * Returns: (transfer container) (element-type DlyJob): the jobs, in request order, or
 *   %NULL with @error set
 */
GPtrArray    *dly_engine_submit_all      (DlyEngine           *self,
                                          DlyBackend          *backend,
                                          GPtrArray           *requests,
                                          const char          *profile,
                                          const char          *api_key_env,
                                          GError             **error);

/* Cancels a job: locally if queued, remotely where the dialect can, and aborts requests. */
void          dly_engine_cancel          (DlyEngine           *self,
                                          DlyJob              *job);

/* Picks up an unfinished job from the ledger: polls it if it has a remote id, redoes its
 * download, submits it if it was never sent, and marks it unknown if it may have been
 * sent without an id being recorded. Never resubmits a job that may have been sent. */
gboolean      dly_engine_resume          (DlyEngine           *self,
                                          DlyJob              *job,
                                          GError             **error);
/* Resumes every resumable job; returns how many. */
guint         dly_engine_resume_all      (DlyEngine           *self);

/* Forgets a finished job (the ledger row; the video file stays). */
void          dly_engine_remove          (DlyEngine           *self,
                                          DlyJob              *job);

void          dly_engine_set_backend_resolver (DlyEngine          *self,
                                               DlyBackendResolver  resolver,
                                               gpointer            user_data,
                                               GDestroyNotify      destroy);
/* Completes a resolver's task with a backend (or an error). */
void          dly_engine_resolve_done    (GTask               *task,
                                          DlyBackend          *backend,
                                          GError              *error);

/* How many jobs may run at once on the backend at @base_url (default 2). */
void          dly_engine_set_concurrency (DlyEngine           *self,
                                          const char          *base_url,
                                          guint                limit);

/* Number of jobs not yet finished. */
guint         dly_engine_get_n_active    (DlyEngine           *self);

G_END_DECLS
