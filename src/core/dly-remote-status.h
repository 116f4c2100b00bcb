/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dly-types.h"

G_BEGIN_DECLS

#define DLY_TYPE_REMOTE_STATUS (dly_remote_status_get_type ())

/**
 * DlyRemoteStatus:
 * @state: the normalised remote state
 * @remote_id: the backend's id for the job (may be %NULL for synchronous backends)
 * @progress: 0..1, or -1 when the backend does not say
 * @message: the backend's own words (failure text, status note), or %NULL
 * @result_uri: where the video is, absolute or relative to the base URL, when succeeded
 * @result_stream: a video body that is already open (synchronous backends), or %NULL
 * @result_size: the body's size if known, else -1
 * @detail_json: the raw status object as JSON text, kept in the ledger for diagnosis
 *
 * What a backend said of a job at one moment, whatever its dialect.
 */
struct _DlyRemoteStatus
{
  DlyRemoteState state;
  char          *remote_id;
  double         progress;
  char          *message;
  char          *result_uri;
  GInputStream  *result_stream;
  goffset        result_size;
  char          *detail_json;
};

GType            dly_remote_status_get_type (void) G_GNUC_CONST;
DlyRemoteStatus *dly_remote_status_new      (DlyRemoteState         state);
DlyRemoteStatus *dly_remote_status_copy     (const DlyRemoteStatus *status);
void             dly_remote_status_free     (DlyRemoteStatus       *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlyRemoteStatus, dly_remote_status_free)

G_END_DECLS
