/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the dialect tests: a backend's async operations run to completion on
 * the thread-default main context, for tests that check one answer at a time. */
#pragma once

#include "dly-backend.h"

G_BEGIN_DECLS

DlyRemoteStatus *dly_test_run_submit (DlyBackend  *backend,
                                      SoupSession *session,
                                      DlyRequest  *request,
                                      GError     **error);
DlyRemoteStatus *dly_test_run_poll   (DlyBackend  *backend,
                                      SoupSession *session,
                                      const char  *remote_id,
                                      GError     **error);
char            *dly_test_run_check  (DlyBackend  *backend,
                                      SoupSession *session,
                                      GError     **error);
gboolean         dly_test_run_cancel (DlyBackend  *backend,
                                      SoupSession *session,
                                      const char  *remote_id,
                                      GError     **error);

G_END_DECLS
