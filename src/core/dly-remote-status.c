/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dly-remote-status.h"

G_DEFINE_BOXED_TYPE (DlyRemoteStatus, dly_remote_status, dly_remote_status_copy,
                     dly_remote_status_free)

DlyRemoteStatus *
dly_remote_status_new (DlyRemoteState state)
{
  DlyRemoteStatus *status = g_new0 (DlyRemoteStatus, 1);

  status->state = state;
  status->progress = -1;
  status->result_size = -1;
  return status;
}

DlyRemoteStatus *
dly_remote_status_copy (const DlyRemoteStatus *status)
{
  DlyRemoteStatus *copy = dly_remote_status_new (status->state);

  copy->remote_id = g_strdup (status->remote_id);
  copy->progress = status->progress;
  copy->message = g_strdup (status->message);
  copy->result_uri = g_strdup (status->result_uri);
  copy->result_stream = status->result_stream ? g_object_ref (status->result_stream) : NULL;
  copy->result_size = status->result_size;
  copy->detail_json = g_strdup (status->detail_json);
  return copy;
}

void
dly_remote_status_free (DlyRemoteStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->remote_id);
  g_free (status->message);
  g_free (status->result_uri);
  g_clear_object (&status->result_stream);
  g_free (status->detail_json);
  g_free (status);
}
