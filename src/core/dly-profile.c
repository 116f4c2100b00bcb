/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "dly-error.h"
#include "dly-profile.h"

struct _DlyProfile
{
  GObject       parent_instance;

  char         *name;
  char         *dialect;
  char         *base_url;
  guint         concurrency;
  DlyKeySource  key_source;
  char         *key_env;
  GHashTable   *defaults;   /* name → text */
};

G_DEFINE_FINAL_TYPE (DlyProfile, dly_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DIALECT,
  PROP_BASE_URL,
  PROP_CONCURRENCY,
  PROP_KEY_REF,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
dly_profile_finalize (GObject *object)
{
  DlyProfile *self = DLY_PROFILE (object);

  g_free (self->name);
  g_free (self->dialect);
  g_free (self->base_url);
  g_free (self->key_env);
  g_hash_table_unref (self->defaults);

  G_OBJECT_CLASS (dly_profile_parent_class)->finalize (object);
}

static void
dly_profile_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DlyProfile *self = DLY_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DIALECT:
      g_value_set_string (value, self->dialect);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_CONCURRENCY:
      g_value_set_uint (value, self->concurrency);
      break;
    case PROP_KEY_REF:
      g_value_take_string (value, dly_profile_dup_key_ref (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_profile_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DlyProfile *self = DLY_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      /* Construct-only: the name is the profile's identity, in the file and the keyring. */
      self->name = g_value_dup_string (value);
      break;
    case PROP_DIALECT:
      dly_profile_set_dialect (self, g_value_get_string (value));
      break;
    case PROP_BASE_URL:
      dly_profile_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_CONCURRENCY:
      dly_profile_set_concurrency (self, g_value_get_uint (value));
      break;
    case PROP_KEY_REF:
      if (!dly_profile_set_key_ref (self, g_value_get_string (value), NULL))
        g_warning ("Invalid key reference for profile “%s”", self->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_profile_class_init (DlyProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dly_profile_finalize;
  object_class->get_property = dly_profile_get_property;
  object_class->set_property = dly_profile_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIALECT] =
    g_param_spec_string ("dialect", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONCURRENCY] =
    g_param_spec_uint ("concurrency", NULL, NULL, 0, DLY_PROFILE_MAX_CONCURRENCY, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /** DlyProfile:key-ref: "none", "keyring" or "env:VARIABLE"; never a key. */
  properties[PROP_KEY_REF] =
    g_param_spec_string ("key-ref", NULL, NULL, "none",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dly_profile_init (DlyProfile *self)
{
  self->defaults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

DlyProfile *
dly_profile_new (const char *name,
                 const char *dialect,
                 const char *base_url)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (DLY_TYPE_PROFILE, "name", name, "dialect", dialect, "base-url", base_url,
                       NULL);
}

const char *
dly_profile_get_name (DlyProfile *self)
{
  g_return_val_if_fail (DLY_IS_PROFILE (self), NULL);
  return self->name;
}

const char *
dly_profile_get_dialect (DlyProfile *self)
{
  g_return_val_if_fail (DLY_IS_PROFILE (self), NULL);
  return self->dialect;
}

void
dly_profile_set_dialect (DlyProfile *self,
                         const char *dialect)
{
  g_return_if_fail (DLY_IS_PROFILE (self));
  if (set_str (&self->dialect, dialect))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIALECT]);
}

const char *
dly_profile_get_base_url (DlyProfile *self)
{
  g_return_val_if_fail (DLY_IS_PROFILE (self), NULL);
  return self->base_url;
}

void
dly_profile_set_base_url (DlyProfile *self,
                          const char *base_url)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (DLY_IS_PROFILE (self));

  if (base_url != NULL)
    {
      gsize len;

      trimmed = g_strstrip (g_strdup (base_url));
      len = strlen (trimmed);
      while (len > 0 && trimmed[len - 1] == '/')
        trimmed[--len] = '\0';
    }
  if (set_str (&self->base_url, trimmed))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

guint
dly_profile_get_concurrency (DlyProfile *self)
{
  g_return_val_if_fail (DLY_IS_PROFILE (self), 0);
  return self->concurrency;
}

void
dly_profile_set_concurrency (DlyProfile *self,
                             guint       concurrency)
{
  g_return_if_fail (DLY_IS_PROFILE (self));

  concurrency = MIN (concurrency, DLY_PROFILE_MAX_CONCURRENCY);
  if (self->concurrency == concurrency)
    return;
  self->concurrency = concurrency;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONCURRENCY]);
}

guint
dly_profile_get_effective_concurrency (DlyProfile *self)
{
  GType type;
  DlyBackendClass *klass;
  gboolean hosted;

  g_return_val_if_fail (DLY_IS_PROFILE (self), DLY_PROFILE_SELFHOSTED_CONCURRENCY);

  if (self->concurrency > 0)
    return self->concurrency;
  type = dly_backend_type_for_dialect (self->dialect);
  if (type == G_TYPE_INVALID)
    return DLY_PROFILE_SELFHOSTED_CONCURRENCY;
  klass = g_type_class_ref (type);
  hosted = klass->needs_api_key;
  g_type_class_unref (klass);
  return hosted ? DLY_PROFILE_HOSTED_CONCURRENCY : DLY_PROFILE_SELFHOSTED_CONCURRENCY;
}

DlyKeySource
dly_profile_get_key_source (DlyProfile *self)
{
  g_return_val_if_fail (DLY_IS_PROFILE (self), DLY_KEY_SOURCE_NONE);
  return self->key_source;
}

const char *
dly_profile_get_key_env (DlyProfile *self)
{
  g_return_val_if_fail (DLY_IS_PROFILE (self), NULL);
  return self->key_source == DLY_KEY_SOURCE_ENV ? self->key_env : NULL;
}

static gboolean
env_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0' || g_ascii_isdigit (*name))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

void
dly_profile_set_key_source (DlyProfile   *self,
                            DlyKeySource  source,
                            const char   *env_variable)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_return_if_fail (DLY_IS_PROFILE (self));
  g_return_if_fail (source != DLY_KEY_SOURCE_ENV || env_name_is_valid (env_variable));

  before = dly_profile_dup_key_ref (self);
  self->key_source = source;
  g_free (self->key_env);
  self->key_env = source == DLY_KEY_SOURCE_ENV ? g_strdup (env_variable) : NULL;
  after = dly_profile_dup_key_ref (self);
  if (g_strcmp0 (before, after) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_REF]);
}

char *
dly_profile_dup_key_ref (DlyProfile *self)
{
  g_return_val_if_fail (DLY_IS_PROFILE (self), NULL);

  switch (self->key_source)
    {
    case DLY_KEY_SOURCE_KEYRING:
      return g_strdup ("keyring");
    case DLY_KEY_SOURCE_ENV:
      return g_strconcat ("env:", self->key_env, NULL);
    case DLY_KEY_SOURCE_NONE:
    default:
      return g_strdup ("none");
    }
}

gboolean
dly_profile_set_key_ref (DlyProfile  *self,
                         const char  *key_ref,
                         GError     **error)
{
  g_return_val_if_fail (DLY_IS_PROFILE (self), FALSE);

  if (key_ref == NULL || *key_ref == '\0' || g_strcmp0 (key_ref, "none") == 0)
    dly_profile_set_key_source (self, DLY_KEY_SOURCE_NONE, NULL);
  else if (g_strcmp0 (key_ref, "keyring") == 0)
    dly_profile_set_key_source (self, DLY_KEY_SOURCE_KEYRING, NULL);
  else if (g_str_has_prefix (key_ref, "env:") && env_name_is_valid (key_ref + 4))
    dly_profile_set_key_source (self, DLY_KEY_SOURCE_ENV, key_ref + 4);
  else
    {
      /* Never echo the value: a user may have pasted the key itself here. */
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("The key reference of profile “%s” must be “keyring”, “env:VARIABLE” or "
                     "“none”; a key itself is never written in profiles.ini"),
                   self->name);
      return FALSE;
    }
  return TRUE;
}

void
dly_profile_set_default (DlyProfile *self,
                         const char *name,
                         const char *value)
{
  g_return_if_fail (DLY_IS_PROFILE (self));
  g_return_if_fail (name != NULL);

  if (value == NULL)
    g_hash_table_remove (self->defaults, name);
  else
    g_hash_table_replace (self->defaults, g_strdup (name), g_strdup (value));
}

const char *
dly_profile_get_default (DlyProfile *self,
                         const char *name)
{
  g_return_val_if_fail (DLY_IS_PROFILE (self), NULL);
  return g_hash_table_lookup (self->defaults, name);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

GStrv
dly_profile_list_defaults (DlyProfile *self)
{
  GStrv names;
  guint n = 0;

  g_return_val_if_fail (DLY_IS_PROFILE (self), NULL);

  names = (GStrv) g_hash_table_get_keys_as_array (self->defaults, &n);
  for (guint i = 0; i < n; i++)
    names[i] = g_strdup (names[i]);
  qsort (names, n, sizeof (char *), compare_strings);
  return names;
}

gboolean
dly_profile_name_is_valid (const char *name)
{
  glong length;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  length = g_utf8_strlen (name, -1);
  if (length < 1 || length > 64)
    return FALSE;
  if (g_unichar_isspace (g_utf8_get_char (name))
      || g_unichar_isspace (g_utf8_get_char (g_utf8_find_prev_char (name, name + strlen (name)))))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == '[' || c == ']')
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_defaults (DlyProfile  *self,
                DlyBackend  *backend,
                GError     **error)
{
  g_auto(GStrv) names = dly_profile_list_defaults (self);

  for (guint i = 0; names[i] != NULL; i++)
    {
      GParamSpec *pspec = dly_backend_find_param (backend, names[i]);
      g_auto(GValue) value = G_VALUE_INIT;
      g_autoptr(GError) local = NULL;

      if (pspec == NULL)
        {
          g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                       _("Profile “%s” sets a default for “%s”, which %s does not have; "
                         "`dailies-cli backends` lists its parameters"),
                       self->name, names[i], dly_backend_get_label (backend));
          return FALSE;
        }
      if (!dly_param_parse (pspec, g_hash_table_lookup (self->defaults, names[i]), &value, &local))
        {
          g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                       _("Profile “%s”: %s"), self->name, local->message);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
dly_profile_validate (DlyProfile  *self,
                      GError     **error)
{
  g_autoptr(DlyBackend) backend = NULL;

  g_return_val_if_fail (DLY_IS_PROFILE (self), FALSE);

  if (!dly_profile_name_is_valid (self->name))
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("“%s” cannot name a profile: use 1–64 characters without brackets or "
                     "surrounding spaces"),
                   self->name ? self->name : "");
      return FALSE;
    }
  backend = dly_backend_new_for_dialect (self->dialect, self->base_url, error);
  if (backend == NULL)
    return FALSE;
  return check_defaults (self, backend, error);
}

gboolean
dly_profile_apply_defaults (DlyProfile  *self,
                            DlyBackend  *backend,
                            DlyRequest  *request,
                            GError     **error)
{
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (DLY_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (DLY_IS_BACKEND (backend), FALSE);
  g_return_val_if_fail (DLY_IS_REQUEST (request), FALSE);

  if (!check_defaults (self, backend, error))
    return FALSE;

  names = dly_profile_list_defaults (self);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (dly_request_get_param (request, names[i]) != NULL)
        continue;
      if (!dly_param_parse (dly_backend_find_param (backend, names[i]),
                            g_hash_table_lookup (self->defaults, names[i]), &value, error))
        return FALSE;
      dly_request_set_param (request, names[i], &value);
    }
  return TRUE;
}
