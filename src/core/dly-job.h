/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "dly-types.h"
#include "dly-request.h"

G_BEGIN_DECLS

#define DLY_TYPE_JOB (dly_job_get_type ())
G_DECLARE_FINAL_TYPE (DlyJob, dly_job, DLY, JOB, GObject)

/**
 * DlyJob:
 * One take: what was asked (request, backend, output path) and what happened (state,
 * progress, remote id, message, timestamps). Every property notifies on change, on the
 * main context, so the take list and the CLI simply watch it. Only the engine changes a job.
 */

const char   *dly_job_get_id            (DlyJob *self);
DlyRequest   *dly_job_get_request       (DlyJob *self);
const char   *dly_job_get_dialect       (DlyJob *self);
const char   *dly_job_get_base_url      (DlyJob *self);
/* The profile the job was made with, or NULL for an ad-hoc backend. */
const char   *dly_job_get_profile       (DlyJob *self);
/* The environment variable holding the key, if the key came from one (never the key). */
const char   *dly_job_get_api_key_env   (DlyJob *self);
const char   *dly_job_get_output_path   (DlyJob *self);
DlyJobState   dly_job_get_state         (DlyJob *self);
/* 0..1, or -1 when unknown. */
double        dly_job_get_progress      (DlyJob *self);
const char   *dly_job_get_remote_id     (DlyJob *self);
const char   *dly_job_get_result_uri    (DlyJob *self);
/* The backend's own words, or what went wrong. */
const char   *dly_job_get_message       (DlyJob *self);
/* The DlyError code of a failure, or -1. */
int           dly_job_get_error_code    (DlyJob *self);
guint         dly_job_get_submit_count  (DlyJob *self);
/* Wall-clock times in microseconds since the epoch; 0 when not yet. */
gint64        dly_job_get_created_at    (DlyJob *self);
gint64        dly_job_get_started_at    (DlyJob *self);
gint64        dly_job_get_finished_at   (DlyJob *self);
/* Seconds from creation to finish (or to now while running). */
double        dly_job_get_elapsed       (DlyJob *self);
gboolean      dly_job_is_finished       (DlyJob *self);
/* TRUE when the engine can pick the job up again after a restart without a new submit. */
gboolean      dly_job_is_resumable      (DlyJob *self);

/* The final record printed by `dailies-cli --json` and `jobs --json`. Never holds a key. */
JsonNode     *dly_job_to_json           (DlyJob *self);

/* For the engine and the ledger only. */
DlyJob       *dly_job_new               (const char  *id,
                                         DlyRequest  *request,
                                         const char  *dialect,
                                         const char  *base_url,
                                         const char  *profile,
                                         const char  *api_key_env,
                                         const char  *output_path,
                                         gint64       created_at);
void          dly_job_set_state         (DlyJob      *self,
                                         DlyJobState  state);
void          dly_job_set_progress      (DlyJob      *self,
                                         double       progress);
void          dly_job_set_remote_id     (DlyJob      *self,
                                         const char  *remote_id);
void          dly_job_set_result_uri    (DlyJob      *self,
                                         const char  *result_uri);
void          dly_job_set_message       (DlyJob      *self,
                                         const char  *message);
void          dly_job_set_error_code    (DlyJob      *self,
                                         int          code);
void          dly_job_set_output_path   (DlyJob      *self,
                                         const char  *output_path);
void          dly_job_set_submit_count  (DlyJob      *self,
                                         guint        count);
void          dly_job_set_started_at    (DlyJob      *self,
                                         gint64       when);
void          dly_job_set_finished_at   (DlyJob      *self,
                                         gint64       when);

G_END_DECLS
