/* SPDX-License-Identifier: GPL-3.0-or-later */
/* resolve_profile: `--profile NAME` and resuming a job made with a profile.
 *
 * This file is the seam for the profiles work: replace the body of
 * dly_cli_resolve_profile_async() with a lookup in DlyProfileStore (dialect, base URL,
 * key from the keyring, default parameters, concurrency). Everything else in the CLI
 * already goes through it. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dly-cli.h"
#include "dly-error.h"

void
dly_cli_resolve_profile_async (DlyEngine           *engine,
                               const char          *name,
                               DlyRequest          *request,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DLY_IS_ENGINE (engine));
  g_return_if_fail (name != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_cli_resolve_profile_async);

  /* No profile store in this build: an honest invalid-input error, so nothing is sent. */
  g_task_return_new_error (task, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                           _("Profiles are not available in this build (profile “%s”); "
                             "use --backend DIALECT --url BASE_URL"),
                           name);
}

DlyBackend *
dly_cli_resolve_profile_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dly_cli_resolve_profile_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
