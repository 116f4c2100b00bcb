/* SPDX-License-Identifier: GPL-3.0-or-later */
/* resolve_profile: `--profile NAME` and resuming a job made with a profile. The profile comes
 * from the store shared with the app ($XDG_CONFIG_HOME/dailies/profiles.ini), its key from the
 * keyring or its environment variable; it also sets the backend's concurrency on the engine. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dly-cli.h"
#include "dly-error.h"
#include "dly-profile-store.h"

typedef struct
{
  DlyEngine       *engine;
  DlyRequest      *request;
  char            *name;
  DlyProfileStore *store;
  DlyProfile      *profile;
} ResolveData;

static void
resolve_data_free (ResolveData *data)
{
  g_clear_object (&data->engine);
  g_clear_object (&data->request);
  g_free (data->name);
  g_clear_object (&data->store);
  g_clear_object (&data->profile);
  g_free (data);
}

static void
on_backend_created (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ResolveData *data = g_task_get_task_data (task);
  g_autoptr(DlyBackend) backend = NULL;
  GError *error = NULL;

  backend = dly_profile_store_create_backend_finish (DLY_PROFILE_STORE (source), result, &error);
  if (backend == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->request != NULL
      && !dly_profile_apply_defaults (data->profile, backend, data->request, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  dly_engine_set_concurrency (data->engine, dly_backend_get_base_url (backend),
                              dly_profile_get_effective_concurrency (data->profile));
  g_task_return_pointer (task, g_steal_pointer (&backend), g_object_unref);
}

static void
on_store_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ResolveData *data = g_task_get_task_data (task);
  GError *error = NULL;
  DlyProfile *profile;

  if (!dly_profile_store_load_finish (data->store, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  profile = dly_profile_store_lookup (data->store, data->name);
  if (profile == NULL)
    {
      g_task_return_new_error (task, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                               _("No profile named “%s”; `dailies-cli profiles list` shows them "
                                 "and `dailies-cli profiles add` makes one"),
                               data->name);
      return;
    }
  data->profile = g_object_ref (profile);
  dly_profile_store_create_backend_async (data->store, profile, g_task_get_cancellable (task),
                                          on_backend_created, g_object_ref (task));
}

void
dly_cli_resolve_profile_async (DlyEngine           *engine,
                               const char          *name,
                               DlyRequest          *request,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ResolveData *data;

  g_return_if_fail (DLY_IS_ENGINE (engine));
  g_return_if_fail (name != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_cli_resolve_profile_async);

  data = g_new0 (ResolveData, 1);
  data->engine = g_object_ref (engine);
  data->request = request ? g_object_ref (request) : NULL;
  data->name = g_strdup (name);
  data->store = dly_profile_store_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) resolve_data_free);

  dly_profile_store_load_async (data->store, cancellable, on_store_loaded, g_steal_pointer (&task));
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
