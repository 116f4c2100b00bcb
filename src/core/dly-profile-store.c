/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dly-error.h"
#include "dly-profile-store.h"

#define GROUP_PREFIX "Profile "
#define PARAM_PREFIX "param."

struct _DlyProfileStore
{
  GObject     parent_instance;

  GFile      *file;
  GPtrArray  *profiles;   /* DlyProfile, sorted by name */
  GKeyFile   *key_file;   /* as last loaded or saved: unknown groups survive a save */
  GHashTable *removed;    /* names removed since, whose groups a save drops */
  GHashTable *transient;  /* names of profiles listed but never saved (the app's demo) */
};

static void dly_profile_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DlyProfileStore, dly_profile_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      dly_profile_store_list_model_init))

enum {
  PROP_0,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const SecretSchema *
dly_profile_store_get_secret_schema (void)
{
  static const SecretSchema schema = {
    DLY_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* Keys are wiped before their memory goes back to the allocator. */
static void
key_free (char *key)
{
  if (key == NULL)
    return;
  memset (key, 0, strlen (key));
  g_free (key);
}

/* GListModel */

static GType
dly_profile_store_get_item_type (GListModel *model)
{
  return DLY_TYPE_PROFILE;
}

static guint
dly_profile_store_get_n_items (GListModel *model)
{
  return DLY_PROFILE_STORE (model)->profiles->len;
}

static gpointer
dly_profile_store_get_item (GListModel *model,
                            guint       position)
{
  DlyProfileStore *self = DLY_PROFILE_STORE (model);

  if (position >= self->profiles->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->profiles, position));
}

static void
dly_profile_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = dly_profile_store_get_item_type;
  iface->get_n_items = dly_profile_store_get_n_items;
  iface->get_item = dly_profile_store_get_item;
}

/* GObject */

static void
dly_profile_store_finalize (GObject *object)
{
  DlyProfileStore *self = DLY_PROFILE_STORE (object);

  g_clear_object (&self->file);
  g_ptr_array_unref (self->profiles);
  g_key_file_unref (self->key_file);
  g_hash_table_unref (self->removed);
  g_hash_table_unref (self->transient);

  G_OBJECT_CLASS (dly_profile_store_parent_class)->finalize (object);
}

static void
dly_profile_store_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DlyProfileStore *self = DLY_PROFILE_STORE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_profile_store_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DlyProfileStore *self = DLY_PROFILE_STORE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_profile_store_constructed (GObject *object)
{
  DlyProfileStore *self = DLY_PROFILE_STORE (object);

  G_OBJECT_CLASS (dly_profile_store_parent_class)->constructed (object);

  if (self->file == NULL)
    {
      g_autofree char *path = dly_profile_store_get_default_path ();

      self->file = g_file_new_for_path (path);
    }
}

static void
dly_profile_store_class_init (DlyProfileStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dly_profile_store_finalize;
  object_class->get_property = dly_profile_store_get_property;
  object_class->set_property = dly_profile_store_set_property;
  object_class->constructed = dly_profile_store_constructed;

  /** DlyProfileStore:file: the key file; $XDG_CONFIG_HOME/dailies/profiles.ini by default. */
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY
                         | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dly_profile_store_init (DlyProfileStore *self)
{
  self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  self->key_file = g_key_file_new ();
  self->removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->transient = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

char *
dly_profile_store_get_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "dailies", "profiles.ini", NULL);
}

DlyProfileStore *
dly_profile_store_new (void)
{
  return g_object_new (DLY_TYPE_PROFILE_STORE, NULL);
}

DlyProfileStore *
dly_profile_store_new_for_file (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  return g_object_new (DLY_TYPE_PROFILE_STORE, "file", file, NULL);
}

GFile *
dly_profile_store_get_file (DlyProfileStore *self)
{
  g_return_val_if_fail (DLY_IS_PROFILE_STORE (self), NULL);
  return self->file;
}

/* The list */

static gboolean
find_profile (DlyProfileStore *self,
              const char      *name,
              guint           *position)
{
  for (guint i = 0; i < self->profiles->len; i++)
    if (g_strcmp0 (dly_profile_get_name (g_ptr_array_index (self->profiles, i)), name) == 0)
      {
        *position = i;
        return TRUE;
      }
  return FALSE;
}

/* As people read a list: "apixo" before "Studio GPU", whatever the case. */
static int
compare_names (const char *a,
               const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);
  int result = g_utf8_collate (fa, fb);

  return result != 0 ? result : strcmp (a, b);
}

static guint
insertion_point (DlyProfileStore *self,
                 const char      *name)
{
  guint i;

  for (i = 0; i < self->profiles->len; i++)
    if (compare_names (name, dly_profile_get_name (g_ptr_array_index (self->profiles, i))) < 0)
      break;
  return i;
}

DlyProfile *
dly_profile_store_lookup (DlyProfileStore *self,
                          const char      *name)
{
  guint position;

  g_return_val_if_fail (DLY_IS_PROFILE_STORE (self), NULL);

  if (name == NULL || !find_profile (self, name, &position))
    return NULL;
  return g_ptr_array_index (self->profiles, position);
}

static gboolean
insert_profile (DlyProfileStore *self,
                DlyProfile      *profile,
                gboolean         replace,
                GError         **error)
{
  const char *name = dly_profile_get_name (profile);
  guint position;

  if (!dly_profile_validate (profile, error))
    return FALSE;
  if (find_profile (self, name, &position))
    {
      if (!replace)
        {
          g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                       _("A profile named “%s” exists already; remove it first or choose "
                         "another name"),
                       name);
          return FALSE;
        }
      g_ptr_array_remove_index (self->profiles, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
    }
  position = insertion_point (self, name);
  g_ptr_array_insert (self->profiles, position, g_object_ref (profile));
  g_hash_table_remove (self->removed, name);
  g_hash_table_remove (self->transient, name);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  return TRUE;
}

gboolean
dly_profile_store_add (DlyProfileStore  *self,
                       DlyProfile       *profile,
                       GError          **error)
{
  g_return_val_if_fail (DLY_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (DLY_IS_PROFILE (profile), FALSE);
  return insert_profile (self, profile, FALSE, error);
}

gboolean
dly_profile_store_replace (DlyProfileStore  *self,
                           DlyProfile       *profile,
                           GError          **error)
{
  g_return_val_if_fail (DLY_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (DLY_IS_PROFILE (profile), FALSE);
  return insert_profile (self, profile, TRUE, error);
}

gboolean
dly_profile_store_remove (DlyProfileStore *self,
                          const char      *name)
{
  guint position;

  g_return_val_if_fail (DLY_IS_PROFILE_STORE (self), FALSE);

  if (name == NULL || !find_profile (self, name, &position))
    return FALSE;
  g_ptr_array_remove_index (self->profiles, position);
  /* A transient profile was never in the file: nothing to drop there. */
  if (!g_hash_table_remove (self->transient, name))
    g_hash_table_add (self->removed, g_strdup (name));
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  return TRUE;
}

gboolean
dly_profile_store_add_transient (DlyProfileStore  *self,
                                 DlyProfile       *profile,
                                 GError          **error)
{
  g_return_val_if_fail (DLY_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (DLY_IS_PROFILE (profile), FALSE);

  if (!insert_profile (self, profile, TRUE, error))
    return FALSE;
  g_hash_table_add (self->transient, g_strdup (dly_profile_get_name (profile)));
  return TRUE;
}

gboolean
dly_profile_store_is_transient (DlyProfileStore *self,
                                const char      *name)
{
  g_return_val_if_fail (DLY_IS_PROFILE_STORE (self), FALSE);
  return name != NULL && g_hash_table_contains (self->transient, name);
}

/* The key file */

static DlyProfile *
read_profile (GKeyFile   *key_file,
              const char *group)
{
  const char *name = group + strlen (GROUP_PREFIX);
  g_autofree char *dialect = g_key_file_get_string (key_file, group, "dialect", NULL);
  g_autofree char *url = g_key_file_get_string (key_file, group, "url", NULL);
  g_autofree char *key_ref = g_key_file_get_string (key_file, group, "key", NULL);
  g_auto(GStrv) keys = g_key_file_get_keys (key_file, group, NULL, NULL);
  g_autoptr(DlyProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  gint concurrency;

  if (!dly_profile_name_is_valid (name) || dialect == NULL || url == NULL)
    return NULL;

  /* A dialect this version does not know is kept: a newer version may have written it. */
  profile = dly_profile_new (name, dialect, url);
  if (key_ref != NULL && !dly_profile_set_key_ref (profile, key_ref, &error))
    g_warning ("%s", error->message);
  concurrency = g_key_file_get_integer (key_file, group, "concurrency", NULL);
  if (concurrency > 0)
    dly_profile_set_concurrency (profile, (guint) concurrency);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (g_str_has_prefix (keys[i], PARAM_PREFIX) && keys[i][strlen (PARAM_PREFIX)] != '\0')
      {
        g_autofree char *value = g_key_file_get_string (key_file, group, keys[i], NULL);

        if (value != NULL)
          dly_profile_set_default (profile, keys[i] + strlen (PARAM_PREFIX), value);
      }
  return g_steal_pointer (&profile);
}

static void
write_profile (GKeyFile   *key_file,
               DlyProfile *profile)
{
  g_autofree char *group = g_strconcat (GROUP_PREFIX, dly_profile_get_name (profile), NULL);
  g_autofree char *key_ref = dly_profile_dup_key_ref (profile);
  g_auto(GStrv) defaults = dly_profile_list_defaults (profile);

  g_key_file_remove_group (key_file, group, NULL);
  g_key_file_set_string (key_file, group, "dialect", dly_profile_get_dialect (profile));
  g_key_file_set_string (key_file, group, "url", dly_profile_get_base_url (profile));
  g_key_file_set_string (key_file, group, "key", key_ref);
  if (dly_profile_get_concurrency (profile) > 0)
    g_key_file_set_integer (key_file, group, "concurrency",
                            (gint) dly_profile_get_concurrency (profile));
  for (guint i = 0; defaults[i] != NULL; i++)
    {
      g_autofree char *key = g_strconcat (PARAM_PREFIX, defaults[i], NULL);

      g_key_file_set_string (key_file, group, key, dly_profile_get_default (profile, defaults[i]));
    }
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DlyProfileStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) groups = NULL;
  gsize length = 0;
  guint removed;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_autofree char *path = g_file_get_parse_name (G_FILE (source));

          g_task_return_new_error (task, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                                   _("Could not read the profiles in %s: %s"), path, error->message);
          return;
        }
    }
  else if (!g_key_file_load_from_data (key_file, contents, length,
                                       G_KEY_FILE_KEEP_COMMENTS, &error))
    {
      g_autofree char *path = g_file_get_parse_name (G_FILE (source));

      g_task_return_new_error (task, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                               _("The profiles file %s is not a valid key file: %s"),
                               path, error->message);
      return;
    }

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      DlyProfile *profile;

      if (!g_str_has_prefix (groups[i], GROUP_PREFIX))
        continue;
      profile = read_profile (key_file, groups[i]);
      if (profile != NULL)
        g_ptr_array_add (profiles, profile);
    }

  /* Transient profiles live only in this process: a reload keeps them, over the file's. */
  for (guint i = 0; i < self->profiles->len; i++)
    {
      DlyProfile *profile = g_ptr_array_index (self->profiles, i);

      if (g_hash_table_contains (self->transient, dly_profile_get_name (profile)))
        {
          for (guint j = 0; j < profiles->len; j++)
            if (g_strcmp0 (dly_profile_get_name (g_ptr_array_index (profiles, j)),
                           dly_profile_get_name (profile)) == 0)
              {
                g_ptr_array_remove_index (profiles, j);
                break;
              }
          g_ptr_array_add (profiles, g_object_ref (profile));
        }
    }

  removed = self->profiles->len;
  g_ptr_array_set_size (self->profiles, 0);
  for (guint i = 0; i < profiles->len; i++)
    {
      DlyProfile *profile = g_ptr_array_index (profiles, i);

      g_ptr_array_insert (self->profiles, insertion_point (self, dly_profile_get_name (profile)),
                          g_object_ref (profile));
    }
  g_key_file_unref (self->key_file);
  self->key_file = g_steal_pointer (&key_file);
  g_hash_table_remove_all (self->removed);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->profiles->len);

  g_task_return_boolean (task, TRUE);
}

void
dly_profile_store_load_async (DlyProfileStore     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DLY_IS_PROFILE_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_profile_store_load_async);
  g_file_load_contents_async (self->file, cancellable, on_loaded, g_steal_pointer (&task));
}

gboolean
dly_profile_store_load_finish (DlyProfileStore  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_replaced (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *path = g_file_get_parse_name (G_FILE (source));

      g_task_return_new_error (task, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                               _("Could not save the profiles to %s: %s"), path, error->message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
make_directory_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GFile *directory = task_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_make_directory_with_parents (directory, cancellable, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_directory_made (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DlyProfileStore *self = g_task_get_source_object (task);
  GBytes *bytes = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *path = g_file_get_parse_name (self->file);

      g_task_return_new_error (task, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                               _("Could not save the profiles to %s: %s"), path, error->message);
      return;
    }
  /* Private: the file says which services the user has accounts with. */
  g_file_replace_contents_bytes_async (self->file, bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                       cancellable, on_replaced, g_steal_pointer (&task));
}

void
dly_profile_store_save_async (DlyProfileStore     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) mkdir_task = NULL;
  g_autoptr(GFile) directory = NULL;
  GHashTableIter iter;
  gpointer name;
  char *data;
  gsize length = 0;

  g_return_if_fail (DLY_IS_PROFILE_STORE (self));

  g_hash_table_iter_init (&iter, self->removed);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    {
      g_autofree char *group = g_strconcat (GROUP_PREFIX, (const char *) name, NULL);

      g_key_file_remove_group (self->key_file, group, NULL);
    }
  g_hash_table_remove_all (self->removed);
  for (guint i = 0; i < self->profiles->len; i++)
    {
      DlyProfile *profile = g_ptr_array_index (self->profiles, i);

      if (!g_hash_table_contains (self->transient, dly_profile_get_name (profile)))
        write_profile (self->key_file, profile);
    }
  g_key_file_set_comment (self->key_file, NULL, NULL,
                          " Dailies backend profiles, shared by the app and dailies-cli.\n"
                          " key= says where the API key is: keyring (the desktop keyring),\n"
                          " env:VARIABLE (an environment variable) or none. Never put a key here.",
                          NULL);
  data = g_key_file_to_data (self->key_file, &length, NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_profile_store_save_async);
  g_task_set_task_data (task, g_bytes_new_take (data, length), (GDestroyNotify) g_bytes_unref);

  directory = g_file_get_parent (self->file);
  mkdir_task = g_task_new (self, cancellable, on_directory_made, g_steal_pointer (&task));
  g_task_set_source_tag (mkdir_task, make_directory_thread);
  g_task_set_task_data (mkdir_task, g_steal_pointer (&directory), g_object_unref);
  g_task_run_in_thread (mkdir_task, make_directory_thread);
}

gboolean
dly_profile_store_save_finish (DlyProfileStore  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Keys */

static GError *
keyring_error (const char *profile_name,
               GError     *error)
{
  return g_error_new (DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                      _("The keyring could not be used for profile “%s” (%s). Keep the key in an "
                        "environment variable instead: key reference env:VARIABLE"),
                      profile_name, error->message);
}

typedef struct
{
  DlyProfile *profile;
  char       *name;
} KeyData;

static void
key_data_free (KeyData *data)
{
  g_clear_object (&data->profile);
  g_free (data->name);
  g_free (data);
}

static KeyData *
key_data_new (DlyProfile *profile,
              const char *name)
{
  KeyData *data = g_new0 (KeyData, 1);

  data->profile = profile ? g_object_ref (profile) : NULL;
  data->name = g_strdup (name ? name : dly_profile_get_name (profile));
  return data;
}

static void
on_key_stored (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KeyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, keyring_error (data->name, error));
      return;
    }
  dly_profile_set_key_source (data->profile, DLY_KEY_SOURCE_KEYRING, NULL);
  g_task_return_boolean (task, TRUE);
}

void
dly_profile_store_set_key_async (DlyProfileStore     *self,
                                 DlyProfile          *profile,
                                 const char          *api_key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (DLY_IS_PROFILE_STORE (self));
  g_return_if_fail (DLY_IS_PROFILE (profile));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_profile_store_set_key_async);
  g_task_set_task_data (task, key_data_new (profile, NULL), (GDestroyNotify) key_data_free);

  if (api_key == NULL || *api_key == '\0')
    {
      g_task_return_new_error (task, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                               _("The API key for profile “%s” is empty"),
                               dly_profile_get_name (profile));
      return;
    }
  /* Shown by Passwords and Keys (Seahorse), so that a user knows what the secret is for. */
  label = g_strdup_printf (_("Dailies API key for “%s”"), dly_profile_get_name (profile));
  secret_password_store (dly_profile_store_get_secret_schema (), SECRET_COLLECTION_DEFAULT,
                         label, api_key, cancellable, on_key_stored, g_steal_pointer (&task),
                         "profile", dly_profile_get_name (profile),
                         NULL);
}

gboolean
dly_profile_store_set_key_finish (DlyProfileStore  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_key_looked_up (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KeyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);
  char *key;

  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (data->name, error));
      return;
    }
  if (secret == NULL || *secret == '\0')
    {
      if (secret != NULL)
        secret_password_free (secret);
      g_task_return_new_error (task, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                               _("No API key is stored in the keyring for profile “%s”; store "
                                 "one with `dailies-cli profiles add %s --replace "
                                 "--key-from-stdin`"),
                               data->name, data->name);
      return;
    }
  key = g_strdup (secret);
  secret_password_free (secret);
  g_task_return_pointer (task, key, (GDestroyNotify) key_free);
}

void
dly_profile_store_lookup_key_async (DlyProfileStore     *self,
                                    DlyProfile          *profile,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DLY_IS_PROFILE_STORE (self));
  g_return_if_fail (DLY_IS_PROFILE (profile));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_profile_store_lookup_key_async);
  g_task_set_task_data (task, key_data_new (profile, NULL), (GDestroyNotify) key_data_free);

  switch (dly_profile_get_key_source (profile))
    {
    case DLY_KEY_SOURCE_KEYRING:
      secret_password_lookup (dly_profile_store_get_secret_schema (), cancellable,
                              on_key_looked_up, g_steal_pointer (&task),
                              "profile", dly_profile_get_name (profile),
                              NULL);
      break;
    case DLY_KEY_SOURCE_ENV:
      {
        const char *variable = dly_profile_get_key_env (profile);
        const char *value = g_getenv (variable);

        if (value == NULL || *value == '\0')
          g_task_return_new_error (task, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                                   _("Profile “%s” takes its API key from the environment "
                                     "variable %s, which is not set"),
                                   dly_profile_get_name (profile), variable);
        else
          g_task_return_pointer (task, g_strdup (value), (GDestroyNotify) key_free);
        break;
      }
    case DLY_KEY_SOURCE_NONE:
    default:
      g_task_return_pointer (task, NULL, NULL);
      break;
    }
}

char *
dly_profile_store_lookup_key_finish (DlyProfileStore  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_key_cleared (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KeyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (data->name, error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
dly_profile_store_clear_key_async (DlyProfileStore     *self,
                                   const char          *profile_name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DLY_IS_PROFILE_STORE (self));
  g_return_if_fail (profile_name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_profile_store_clear_key_async);
  g_task_set_task_data (task, key_data_new (NULL, profile_name), (GDestroyNotify) key_data_free);
  secret_password_clear (dly_profile_store_get_secret_schema (), cancellable, on_key_cleared,
                         g_steal_pointer (&task),
                         "profile", profile_name,
                         NULL);
}

gboolean
dly_profile_store_clear_key_finish (DlyProfileStore  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Backends */

static void
on_backend_key (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DlyBackend *backend = g_task_get_task_data (task);
  GError *error = NULL;
  char *key = dly_profile_store_lookup_key_finish (DLY_PROFILE_STORE (source), result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  dly_backend_set_api_key (backend, key);
  key_free (key);
  g_task_return_pointer (task, g_object_ref (backend), g_object_unref);
}

void
dly_profile_store_create_backend_async (DlyProfileStore     *self,
                                        DlyProfile          *profile,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DlyBackend *backend;
  GError *error = NULL;

  g_return_if_fail (DLY_IS_PROFILE_STORE (self));
  g_return_if_fail (DLY_IS_PROFILE (profile));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_profile_store_create_backend_async);

  backend = dly_backend_new_for_dialect (dly_profile_get_dialect (profile),
                                         dly_profile_get_base_url (profile), &error);
  if (backend == NULL)
    {
      g_prefix_error (&error, _("Profile “%s”: "), dly_profile_get_name (profile));
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, backend, g_object_unref);
  dly_profile_store_lookup_key_async (self, profile, cancellable, on_backend_key,
                                      g_steal_pointer (&task));
}

DlyBackend *
dly_profile_store_create_backend_finish (DlyProfileStore  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- testing a profile --- */

typedef struct
{
  SoupSession *session;
  char        *typed_key;   /* wiped */
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->session);
  key_free (data->typed_key);
  g_free (data);
}

static void
on_profile_checked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *text = dly_backend_check_finish (DLY_BACKEND (source), result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, text, g_free);
}

static void
on_check_backend_created (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  g_autoptr(DlyBackend) backend =
    dly_profile_store_create_backend_finish (DLY_PROFILE_STORE (source), result, &error);

  if (backend == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->typed_key != NULL)
    dly_backend_set_api_key (backend, data->typed_key);
  /* The check's own task holds the backend until it answers. */
  dly_backend_check_async (backend, data->session, cancellable, on_profile_checked,
                           g_steal_pointer (&task));
}

void
dly_profile_store_check_async (DlyProfileStore     *self,
                               DlyProfile          *profile,
                               const char          *typed_key,
                               SoupSession         *session,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckData *data;

  g_return_if_fail (DLY_IS_PROFILE_STORE (self));
  g_return_if_fail (DLY_IS_PROFILE (profile));
  g_return_if_fail (SOUP_IS_SESSION (session));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_profile_store_check_async);
  data = g_new0 (CheckData, 1);
  data->session = g_object_ref (session);
  data->typed_key = g_strdup (typed_key);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  dly_profile_store_create_backend_async (self, profile, cancellable, on_check_backend_created,
                                          g_steal_pointer (&task));
}

char *
dly_profile_store_check_finish (DlyProfileStore  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
