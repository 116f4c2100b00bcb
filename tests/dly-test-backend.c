/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dly-test-backend.h"

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

DlyRemoteStatus *
dly_test_run_submit (DlyBackend  *backend,
                     SoupSession *session,
                     DlyRequest  *request,
                     GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dly_backend_submit_async (backend, session, request, NULL, on_done, &result);
  return dly_backend_submit_finish (backend, wait_for (&result), error);
}

DlyRemoteStatus *
dly_test_run_poll (DlyBackend  *backend,
                   SoupSession *session,
                   const char  *remote_id,
                   GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dly_backend_poll_async (backend, session, remote_id, NULL, on_done, &result);
  return dly_backend_poll_finish (backend, wait_for (&result), error);
}

char *
dly_test_run_check (DlyBackend  *backend,
                    SoupSession *session,
                    GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dly_backend_check_async (backend, session, NULL, on_done, &result);
  return dly_backend_check_finish (backend, wait_for (&result), error);
}

gboolean
dly_test_run_cancel (DlyBackend  *backend,
                     SoupSession *session,
                     const char  *remote_id,
                     GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dly_backend_cancel_async (backend, session, remote_id, NULL, on_done, &result);
  return dly_backend_cancel_finish (backend, wait_for (&result), error);
}
