/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forward declarations and the enums shared by the core, the app and the CLI. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _DlyBackend      DlyBackend;
typedef struct _DlyEngine       DlyEngine;
typedef struct _DlyJob          DlyJob;
typedef struct _DlyLedger       DlyLedger;
typedef struct _DlyRequest      DlyRequest;
typedef struct _DlyRemoteStatus DlyRemoteStatus;

/**
 * DlyJobState:
 * The life of one take. `unknown` is a job whose submit may have reached the backend
 * but whose remote id was never recorded: it is never resubmitted without the user.
 */
typedef enum
{
  DLY_JOB_STATE_QUEUED,
  DLY_JOB_STATE_SUBMITTING,
  DLY_JOB_STATE_WAITING,
  DLY_JOB_STATE_RUNNING,
  DLY_JOB_STATE_DOWNLOADING,
  DLY_JOB_STATE_SUCCEEDED,
  DLY_JOB_STATE_FAILED,
  DLY_JOB_STATE_CANCELLED,
  DLY_JOB_STATE_UNKNOWN,
} DlyJobState;

/**
 * DlyRemoteState:
 * What a backend says of a job, normalised across dialects.
 */
typedef enum
{
  DLY_REMOTE_STATE_QUEUED,
  DLY_REMOTE_STATE_RUNNING,
  DLY_REMOTE_STATE_SUCCEEDED,
  DLY_REMOTE_STATE_FAILED,
  DLY_REMOTE_STATE_CANCELLED,
  DLY_REMOTE_STATE_EXPIRED,
} DlyRemoteState;

/**
 * DlyMode:
 * What kind of take a request asks for; chosen from its inputs.
 */
typedef enum
{
  DLY_MODE_TEXT_TO_VIDEO,
  DLY_MODE_IMAGE_TO_VIDEO,
  DLY_MODE_LIP_SYNC,
  DLY_MODE_AUDIO_GENERATION,
} DlyMode;

/**
 * DlyModeFlags:
 * The modes a backend supports; %DLY_MODE_FLAG_LORA when it takes LoRAs.
 */
typedef enum /*< flags >*/
{
  DLY_MODE_FLAG_NONE             = 0,
  DLY_MODE_FLAG_TEXT_TO_VIDEO    = 1 << 0,
  DLY_MODE_FLAG_IMAGE_TO_VIDEO   = 1 << 1,
  DLY_MODE_FLAG_LIP_SYNC         = 1 << 2,
  DLY_MODE_FLAG_AUDIO_GENERATION = 1 << 3,
  DLY_MODE_FLAG_LORA             = 1 << 4,
  DLY_MODE_FLAG_ALL              = 0x1f,
} DlyModeFlags;

/**
 * DlyInputKinds:
 * How a backend accepts an image or audio input: as a local file it uploads, or as a URL.
 */
typedef enum /*< flags >*/
{
  DLY_INPUT_NONE = 0,
  DLY_INPUT_FILE = 1 << 0,
  DLY_INPUT_URL  = 1 << 1,
} DlyInputKinds;

#define DLY_MODE_TO_FLAG(mode) ((DlyModeFlags) (1u << (mode)))

const char *dly_job_state_to_string    (DlyJobState state);
gboolean    dly_job_state_from_string  (const char *text, DlyJobState *state);
gboolean    dly_job_state_is_finished  (DlyJobState state);
const char *dly_mode_to_string         (DlyMode mode);
const char *dly_mode_get_label         (DlyMode mode);
const char *dly_remote_state_to_string (DlyRemoteState state);

G_END_DECLS
