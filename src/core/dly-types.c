/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dly-types.h"

/* The words stored in the ledger and printed by the CLI: stable, never translated. */
static const char * const job_state_names[] = {
  [DLY_JOB_STATE_QUEUED] = "queued",
  [DLY_JOB_STATE_SUBMITTING] = "submitting",
  [DLY_JOB_STATE_WAITING] = "waiting",
  [DLY_JOB_STATE_RUNNING] = "running",
  [DLY_JOB_STATE_DOWNLOADING] = "downloading",
  [DLY_JOB_STATE_SUCCEEDED] = "succeeded",
  [DLY_JOB_STATE_FAILED] = "failed",
  [DLY_JOB_STATE_CANCELLED] = "cancelled",
  [DLY_JOB_STATE_UNKNOWN] = "unknown",
};

const char *
dly_job_state_to_string (DlyJobState state)
{
  g_return_val_if_fail (state <= DLY_JOB_STATE_UNKNOWN, "unknown");
  return job_state_names[state];
}

gboolean
dly_job_state_from_string (const char  *text,
                           DlyJobState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (job_state_names); i++)
    {
      if (g_strcmp0 (text, job_state_names[i]) == 0)
        {
          *state = (DlyJobState) i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
dly_job_state_is_finished (DlyJobState state)
{
  return state == DLY_JOB_STATE_SUCCEEDED || state == DLY_JOB_STATE_FAILED
         || state == DLY_JOB_STATE_CANCELLED || state == DLY_JOB_STATE_UNKNOWN;
}

const char *
dly_mode_to_string (DlyMode mode)
{
  switch (mode)
    {
    case DLY_MODE_TEXT_TO_VIDEO: return "text-to-video";
    case DLY_MODE_IMAGE_TO_VIDEO: return "image-to-video";
    case DLY_MODE_LIP_SYNC: return "lip-sync";
    case DLY_MODE_AUDIO_GENERATION: return "audio-generation";
    default: g_return_val_if_reached ("text-to-video");
    }
}

const char *
dly_mode_get_label (DlyMode mode)
{
  switch (mode)
    {
    case DLY_MODE_TEXT_TO_VIDEO: return _("Text to video");
    case DLY_MODE_IMAGE_TO_VIDEO: return _("Image to video");
    case DLY_MODE_LIP_SYNC: return _("Lip-sync");
    case DLY_MODE_AUDIO_GENERATION: return _("Audio generation");
    default: g_return_val_if_reached ("");
    }
}

const char *
dly_remote_state_to_string (DlyRemoteState state)
{
  switch (state)
    {
    case DLY_REMOTE_STATE_QUEUED: return "queued";
    case DLY_REMOTE_STATE_RUNNING: return "running";
    case DLY_REMOTE_STATE_SUCCEEDED: return "succeeded";
    case DLY_REMOTE_STATE_FAILED: return "failed";
    case DLY_REMOTE_STATE_CANCELLED: return "cancelled";
    case DLY_REMOTE_STATE_EXPIRED: return "expired";
    default: g_return_val_if_reached ("unknown");
    }
}
