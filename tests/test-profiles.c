/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Profiles and keys: the key file round trip in an isolated $XDG_CONFIG_HOME, keys in
 * libsecret's file backend (SECRET_BACKEND=file, a keyring file in a temporary directory:
 * never the user's keyring) and in environment variables, and the rule that no key is ever
 * written to profiles.ini or shown in a message. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "dly-error.h"
#include "dly-profile-store.h"

#define KEY_A "rpa_TESTKEY_Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"
#define KEY_B "apx-TESTKEY-Bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"
#define KEY_C "sgm_TESTKEY_Ccccccccccccccccccccccccccccccc3"

static char *keyring_dir;

/* Async helpers */

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

static void
load (DlyProfileStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dly_profile_store_load_async (store, NULL, on_done, &result);
  g_assert_true (dly_profile_store_load_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
}

static void
save (DlyProfileStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dly_profile_store_save_async (store, NULL, on_done, &result);
  g_assert_true (dly_profile_store_save_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
}

static void
set_key (DlyProfileStore *store,
         DlyProfile      *profile,
         const char      *key)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dly_profile_store_set_key_async (store, profile, key, NULL, on_done, &result);
  g_assert_true (dly_profile_store_set_key_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
}

static char *
lookup_key (DlyProfileStore *store,
            DlyProfile      *profile,
            GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dly_profile_store_lookup_key_async (store, profile, NULL, on_done, &result);
  return dly_profile_store_lookup_key_finish (store, wait_for (&result), error);
}

static void
clear_key (DlyProfileStore *store,
           const char      *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dly_profile_store_clear_key_async (store, name, NULL, on_done, &result);
  g_assert_true (dly_profile_store_clear_key_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
}

static DlyBackend *
create_backend (DlyProfileStore *store,
                DlyProfile      *profile,
                GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dly_profile_store_create_backend_async (store, profile, NULL, on_done, &result);
  return dly_profile_store_create_backend_finish (store, wait_for (&result), error);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack ? haystack : "(null)", needle);
}

static char *
profiles_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "dailies", "profiles.ini", NULL);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize length = strlen (needle);

  /* Byte by byte: the file may hold anything, NULs included. */
  for (gsize i = 0; length <= size && i <= size - length; i++)
    if (memcmp (data + i, needle, length) == 0)
      return TRUE;
  return FALSE;
}

static DlyProfile *
new_profile (const char *name,
             const char *dialect,
             const char *url)
{
  return dly_profile_new (name, dialect, url);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  (*count)++;
}

/* Tests */

static void
test_missing_file (void)
{
  g_autoptr(DlyProfileStore) store = dly_profile_store_new ();
  g_autofree char *expected = profiles_path ();
  g_autofree char *path = g_file_get_path (dly_profile_store_get_file (store));

  g_assert_cmpstr (path, ==, expected);
  load (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_cmpint (g_list_model_get_item_type (G_LIST_MODEL (store)), ==, DLY_TYPE_PROFILE);
}

static void
test_round_trip (void)
{
  g_autoptr(DlyProfileStore) store = dly_profile_store_new ();
  g_autoptr(DlyProfileStore) again = dly_profile_store_new ();
  g_autoptr(DlyProfile) runpod = new_profile ("my runpod", "runpod", "https://api.runpod.ai/v2/abc123/");
  g_autoptr(DlyProfile) apixo = new_profile ("apixo", "apixo", "https://api.apixo.ai");
  g_autoptr(DlyProfile) lan = new_profile ("Studio GPU", "ltx2-server", "http://192.168.1.26:8004");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = profiles_path ();
  g_auto(GStrv) defaults = NULL;
  g_autoptr(DlyProfile) first = NULL;
  DlyProfile *loaded;
  guint changes = 0;
  GStatBuf st;

  g_signal_connect (store, "items-changed", G_CALLBACK (on_items_changed), &changes);
  dly_profile_set_key_source (runpod, DLY_KEY_SOURCE_ENV, "RUNPOD_API_KEY");
  dly_profile_set_default (runpod, "quality_preset", "fast");
  dly_profile_set_default (runpod, "lora_camera", "0");
  dly_profile_set_concurrency (runpod, 3);
  dly_profile_set_key_source (apixo, DLY_KEY_SOURCE_KEYRING, NULL);
  dly_profile_set_default (apixo, "resolution", "1080p");

  g_assert_true (dly_profile_store_add (store, runpod, &error));
  g_assert_no_error (error);
  g_assert_true (dly_profile_store_add (store, apixo, &error));
  g_assert_true (dly_profile_store_add (store, lan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 3);
  save (store);

  /* Private, in the shared place. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  load (again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);
  /* Sorted by name. */
  first = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpstr (dly_profile_get_name (first), ==, "apixo");

  loaded = dly_profile_store_lookup (again, "my runpod");
  g_assert_nonnull (loaded);
  g_assert_cmpstr (dly_profile_get_dialect (loaded), ==, "runpod");
  g_assert_cmpstr (dly_profile_get_base_url (loaded), ==, "https://api.runpod.ai/v2/abc123");
  g_assert_cmpint (dly_profile_get_key_source (loaded), ==, DLY_KEY_SOURCE_ENV);
  g_assert_cmpstr (dly_profile_get_key_env (loaded), ==, "RUNPOD_API_KEY");
  g_assert_cmpuint (dly_profile_get_concurrency (loaded), ==, 3);
  g_assert_cmpuint (dly_profile_get_effective_concurrency (loaded), ==, 3);
  defaults = dly_profile_list_defaults (loaded);
  g_assert_cmpuint (g_strv_length (defaults), ==, 2);
  g_assert_cmpstr (defaults[0], ==, "lora_camera");
  g_assert_cmpstr (dly_profile_get_default (loaded, "lora_camera"), ==, "0");
  g_assert_cmpstr (dly_profile_get_default (loaded, "quality_preset"), ==, "fast");

  loaded = dly_profile_store_lookup (again, "apixo");
  g_assert_cmpint (dly_profile_get_key_source (loaded), ==, DLY_KEY_SOURCE_KEYRING);
  g_assert_cmpstr (dly_profile_get_default (loaded, "resolution"), ==, "1080p");
  g_assert_cmpuint (dly_profile_get_effective_concurrency (loaded), ==, DLY_PROFILE_HOSTED_CONCURRENCY);

  loaded = dly_profile_store_lookup (again, "Studio GPU");
  g_assert_cmpint (dly_profile_get_key_source (loaded), ==, DLY_KEY_SOURCE_NONE);
  g_assert_cmpuint (dly_profile_get_effective_concurrency (loaded), ==,
                    DLY_PROFILE_SELFHOSTED_CONCURRENCY);

  /* Removing, and saving again. */
  g_assert_true (dly_profile_store_remove (again, "my runpod"));
  g_assert_false (dly_profile_store_remove (again, "my runpod"));
  g_assert_null (dly_profile_store_lookup (again, "my runpod"));
  save (again);
  load (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_null (dly_profile_store_lookup (store, "my runpod"));
}

static void
test_add_rules (void)
{
  g_autoptr(DlyProfileStore) store = dly_profile_store_new ();
  g_autoptr(GError) error = NULL;
  struct { const char *name, *dialect, *url, *param, *value, *message; } bad[] = {
    { "", "runpod", "https://api.runpod.ai/v2/x", NULL, NULL, "cannot name a profile" },
    { "a[b]", "runpod", "https://api.runpod.ai/v2/x", NULL, NULL, "cannot name a profile" },
    { " padded", "runpod", "https://api.runpod.ai/v2/x", NULL, NULL, "cannot name a profile" },
    { "x", "nonsense", "https://api.runpod.ai/v2/x", NULL, NULL, "Unknown backend dialect" },
    { "x", "runpod", "ftp://api.runpod.ai", NULL, NULL, "not a backend URL" },
    { "x", "runpod", "https://api.runpod.ai/v2/x", "steps", "8", "does not have" },
    { "x", "runpod", "https://api.runpod.ai/v2/x", "lora_distilled", "0.9", "lora_distilled" },
    { "x", "segmind", "https://api.segmind.com", "length", "100", "length" },
  };
  g_autoptr(DlyProfile) good = new_profile ("good", "segmind", "https://api.segmind.com");
  g_autoptr(DlyProfile) twin = new_profile ("good", "apixo", "https://api.apixo.ai");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(DlyProfile) profile = new_profile (bad[i].name, bad[i].dialect, bad[i].url);

      if (bad[i].param != NULL)
        dly_profile_set_default (profile, bad[i].param, bad[i].value);
      g_assert_false (dly_profile_store_add (store, profile, &error));
      g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
      assert_contains (error->message, bad[i].message);
      g_clear_error (&error);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  g_assert_true (dly_profile_store_add (store, good, &error));
  g_assert_false (dly_profile_store_add (store, twin, &error));
  assert_contains (error->message, "exists already");
  g_clear_error (&error);
  g_assert_true (dly_profile_store_replace (store, twin, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpstr (dly_profile_get_dialect (dly_profile_store_lookup (store, "good")), ==, "apixo");
}

/* A key pasted where a key reference goes is refused without being echoed. */
static void
test_key_refs (void)
{
  g_autoptr(DlyProfile) profile = new_profile ("p", "apixo", "https://api.apixo.ai");
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = NULL;

  g_assert_true (dly_profile_set_key_ref (profile, "env:APIXO_KEY", &error));
  g_assert_cmpint (dly_profile_get_key_source (profile), ==, DLY_KEY_SOURCE_ENV);
  ref = dly_profile_dup_key_ref (profile);
  g_assert_cmpstr (ref, ==, "env:APIXO_KEY");
  g_assert_true (dly_profile_set_key_ref (profile, "keyring", &error));
  g_assert_null (dly_profile_get_key_env (profile));
  g_assert_true (dly_profile_set_key_ref (profile, "none", &error));
  g_assert_cmpint (dly_profile_get_key_source (profile), ==, DLY_KEY_SOURCE_NONE);

  g_assert_false (dly_profile_set_key_ref (profile, KEY_B, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  g_assert_null (strstr (error->message, KEY_B));
  g_clear_error (&error);
  g_assert_false (dly_profile_set_key_ref (profile, "env:1BAD-NAME", &error));
  g_clear_error (&error);
  g_assert_cmpint (dly_profile_get_key_source (profile), ==, DLY_KEY_SOURCE_NONE);
}

static void
test_keyring (void)
{
  g_autoptr(DlyProfileStore) store = dly_profile_store_new ();
  g_autoptr(DlyProfile) profile = new_profile ("keyring-apixo", "apixo", "https://api.apixo.ai");
  g_autoptr(DlyProfile) other = new_profile ("keyring-other", "apixo", "https://api.apixo.ai");
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *keyring_file = g_build_filename (keyring_dir, "keyring", NULL);
  g_autoptr(GBytes) keyring_bytes = NULL;

  g_assert_cmpint (dly_profile_get_key_source (profile), ==, DLY_KEY_SOURCE_NONE);
  set_key (store, profile, KEY_B);
  g_assert_cmpint (dly_profile_get_key_source (profile), ==, DLY_KEY_SOURCE_KEYRING);
  key = lookup_key (store, profile, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, KEY_B);
  g_clear_pointer (&key, g_free);

  /* Replacing it. */
  set_key (store, profile, KEY_C);
  key = lookup_key (store, profile, &error);
  g_assert_cmpstr (key, ==, KEY_C);
  g_clear_pointer (&key, g_free);

  /* The keyring file is libsecret's, encrypted: the key is not in it in clear. */
  keyring_bytes = read_bytes (keyring_file);
  g_assert_cmpuint (g_bytes_get_size (keyring_bytes), >, 0);
  g_assert_false (bytes_contain (keyring_bytes, KEY_C));

  /* Another profile has no key. */
  dly_profile_set_key_source (other, DLY_KEY_SOURCE_KEYRING, NULL);
  key = lookup_key (store, other, &error);
  g_assert_null (key);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  assert_contains (error->message, "No API key is stored");
  assert_contains (error->message, "keyring-other");
  g_clear_error (&error);

  /* An empty key is refused. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    dly_profile_store_set_key_async (store, other, "", NULL, on_done, &result);
    g_assert_false (dly_profile_store_set_key_finish (store, wait_for (&result), &error));
    g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
    g_clear_error (&error);
  }

  clear_key (store, "keyring-apixo");
  key = lookup_key (store, profile, &error);
  g_assert_null (key);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  /* Clearing what is not there is fine. */
  clear_key (store, "keyring-apixo");
}

static void
test_env_key (void)
{
  g_autoptr(DlyProfileStore) store = dly_profile_store_new ();
  g_autoptr(DlyProfile) profile = new_profile ("env-runpod", "runpod", "https://api.runpod.ai/v2/abc");
  g_autoptr(DlyProfile) none = new_profile ("lan", "ltx2-server", "http://127.0.0.1:8004");
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  dly_profile_set_key_source (profile, DLY_KEY_SOURCE_ENV, "DAILIES_TEST_RUNPOD_KEY");
  g_unsetenv ("DAILIES_TEST_RUNPOD_KEY");
  key = lookup_key (store, profile, &error);
  g_assert_null (key);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  assert_contains (error->message, "DAILIES_TEST_RUNPOD_KEY");
  g_clear_error (&error);

  g_setenv ("DAILIES_TEST_RUNPOD_KEY", KEY_A, TRUE);
  key = lookup_key (store, profile, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, KEY_A);
  g_clear_pointer (&key, g_free);

  /* A profile without a key: NULL, and no error. */
  key = lookup_key (store, none, &error);
  g_assert_no_error (error);
  g_assert_null (key);
  g_unsetenv ("DAILIES_TEST_RUNPOD_KEY");
}

static void
test_create_backend (void)
{
  g_autoptr(DlyProfileStore) store = dly_profile_store_new ();
  g_autoptr(DlyProfile) env = new_profile ("backend-env", "runpod", "https://api.runpod.ai/v2/abc");
  g_autoptr(DlyProfile) ring = new_profile ("backend-ring", "segmind", "https://api.segmind.com");
  g_autoptr(DlyProfile) lan = new_profile ("backend-lan", "ltx2-server", "http://127.0.0.1:8004");
  g_autoptr(DlyProfile) future = new_profile ("backend-future", "hologram", "https://example.com");
  g_autoptr(DlyBackend) backend = NULL;
  g_autoptr(GError) error = NULL;

  dly_profile_set_key_source (env, DLY_KEY_SOURCE_ENV, "DAILIES_TEST_KEY_2");
  g_setenv ("DAILIES_TEST_KEY_2", KEY_A, TRUE);
  backend = create_backend (store, env, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dly_backend_get_dialect (backend), ==, "runpod");
  g_assert_cmpstr (dly_backend_get_base_url (backend), ==, "https://api.runpod.ai/v2/abc");
  g_assert_true (dly_backend_has_api_key (backend));
  g_clear_object (&backend);
  g_unsetenv ("DAILIES_TEST_KEY_2");
  backend = create_backend (store, env, &error);
  g_assert_null (backend);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  set_key (store, ring, KEY_C);
  backend = create_backend (store, ring, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dly_backend_get_dialect (backend), ==, "segmind");
  g_assert_true (dly_backend_has_api_key (backend));
  g_clear_object (&backend);
  clear_key (store, "backend-ring");

  backend = create_backend (store, lan, &error);
  g_assert_no_error (error);
  g_assert_false (dly_backend_has_api_key (backend));
  g_clear_object (&backend);

  backend = create_backend (store, future, &error);
  g_assert_null (backend);
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  assert_contains (error->message, "backend-future");
  assert_contains (error->message, "hologram");
}

static void
test_apply_defaults (void)
{
  g_autoptr(DlyProfile) profile = new_profile ("defaults", "runpod", "https://api.runpod.ai/v2/abc");
  g_autoptr(DlyBackend) backend = NULL;
  g_autoptr(DlyRequest) request = dly_request_new ();
  g_autoptr(GError) error = NULL;
  const GValue *value;

  backend = dly_backend_new_for_dialect ("runpod", "https://api.runpod.ai/v2/abc", &error);
  g_assert_no_error (error);
  dly_profile_set_default (profile, "quality_preset", "ultra");
  dly_profile_set_default (profile, "lora_camera", "0");
  dly_profile_set_default (profile, "img_compression", "10");
  dly_request_set_param_int (request, "img_compression", 30);

  g_assert_true (dly_profile_apply_defaults (profile, backend, request, &error));
  g_assert_no_error (error);
  value = dly_request_get_param (request, "quality_preset");
  g_assert_cmpstr (g_value_get_string (value), ==, "ultra");
  value = dly_request_get_param (request, "lora_camera");
  g_assert_true (G_VALUE_HOLDS_DOUBLE (value));
  g_assert_cmpfloat (g_value_get_double (value), ==, 0);
  /* The request's own value wins. */
  value = dly_request_get_param (request, "img_compression");
  g_assert_cmpint (g_value_get_int64 (value), ==, 30);

  dly_profile_set_default (profile, "resolution", "720p");
  g_assert_false (dly_profile_apply_defaults (profile, backend, request, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  assert_contains (error->message, "resolution");
}

/* Groups this version does not understand, and profiles of unknown dialects, survive. */
static void
test_foreign_groups_kept (void)
{
  g_autofree char *path = profiles_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(DlyProfileStore) store = dly_profile_store_new ();
  g_autoptr(DlyProfile) added = new_profile ("added", "apixo", "https://api.apixo.ai");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *initial =
    "[Settings]\n"
    "theme=dark\n"
    "\n"
    "[Profile future]\n"
    "dialect=hologram\n"
    "url=https://holo.example\n"
    "key=keyring\n"
    "\n"
    "[Profile broken]\n"
    "url=https://nodialect.example\n";

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, initial, -1, &error);
  g_assert_no_error (error);

  load (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpstr (dly_profile_get_dialect (dly_profile_store_lookup (store, "future")), ==, "hologram");
  g_assert_true (dly_profile_store_add (store, added, &error));
  g_assert_no_error (error);
  save (store);

  bytes = read_bytes (path);
  g_assert_true (bytes_contain (bytes, "[Settings]"));
  g_assert_true (bytes_contain (bytes, "theme=dark"));
  g_assert_true (bytes_contain (bytes, "[Profile future]"));
  g_assert_true (bytes_contain (bytes, "dialect=hologram"));
  g_assert_true (bytes_contain (bytes, "[Profile broken]"));
  g_assert_true (bytes_contain (bytes, "[Profile added]"));
}

static void
test_corrupt_file (void)
{
  g_autofree char *path = profiles_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(DlyProfileStore) store = dly_profile_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, "this is [not a key file\n", -1, &error);
  g_assert_no_error (error);
  dly_profile_store_load_async (store, NULL, on_done, &result);
  g_assert_false (dly_profile_store_load_finish (store, wait_for (&result), &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  assert_contains (error->message, "profiles.ini");
}

/* The key file never holds a key, whichever way keys were given. */
static void
test_file_never_contains_key (void)
{
  g_autoptr(DlyProfileStore) store = dly_profile_store_new ();
  g_autoptr(DlyProfileStore) again = dly_profile_store_new ();
  g_autoptr(DlyProfile) ring = new_profile ("nokey-ring", "apixo", "https://api.apixo.ai");
  g_autoptr(DlyProfile) env = new_profile ("nokey-env", "runpod", "https://api.runpod.ai/v2/e");
  g_autoptr(DlyProfile) seg = new_profile ("nokey-seg", "segmind", "https://api.segmind.com");
  g_autoptr(DlyBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = profiles_path ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bytes_again = NULL;

  g_setenv ("DAILIES_TEST_NOKEY", KEY_A, TRUE);
  dly_profile_set_key_source (env, DLY_KEY_SOURCE_ENV, "DAILIES_TEST_NOKEY");
  g_assert_true (dly_profile_store_add (store, ring, &error));
  g_assert_true (dly_profile_store_add (store, env, &error));
  g_assert_true (dly_profile_store_add (store, seg, &error));
  set_key (store, ring, KEY_B);
  set_key (store, seg, KEY_C);
  /* Making backends reads every key; nothing of that may reach the file. */
  backend = create_backend (store, env, &error);
  g_assert_no_error (error);
  g_clear_object (&backend);
  backend = create_backend (store, ring, &error);
  g_assert_no_error (error);
  save (store);

  bytes = read_bytes (path);
  g_assert_true (bytes_contain (bytes, "key=keyring"));
  g_assert_true (bytes_contain (bytes, "key=env:DAILIES_TEST_NOKEY"));
  g_assert_false (bytes_contain (bytes, KEY_A));
  g_assert_false (bytes_contain (bytes, KEY_B));
  g_assert_false (bytes_contain (bytes, KEY_C));
  g_assert_false (bytes_contain (bytes, "TESTKEY"));

  /* Round trip, save again: still none. */
  load (again);
  save (again);
  bytes_again = read_bytes (path);
  g_assert_false (bytes_contain (bytes_again, "TESTKEY"));

  clear_key (store, "nokey-ring");
  clear_key (store, "nokey-seg");
  g_unsetenv ("DAILIES_TEST_NOKEY");
}

/* A transient profile (the app's demo) is listed, survives a reload, and is never written. */
static void
test_transient (void)
{
  g_autoptr(DlyProfileStore) store = dly_profile_store_new ();
  g_autoptr(DlyProfileStore) again = dly_profile_store_new ();
  g_autoptr(DlyProfile) lan = new_profile ("Studio GPU", "ltx2-server", "http://192.168.1.26:8004");
  g_autoptr(DlyProfile) demo = new_profile ("Demo", "ltx2-server", "http://127.0.0.1:45678");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = profiles_path ();
  g_autofree char *contents = NULL;

  load (store);
  g_assert_true (dly_profile_store_add (store, lan, &error));
  g_assert_true (dly_profile_store_add_transient (store, demo, &error));
  g_assert_no_error (error);
  g_assert_true (dly_profile_store_is_transient (store, "Demo"));
  g_assert_false (dly_profile_store_is_transient (store, "Studio GPU"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  save (store);

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_null (strstr (contents, "Demo"));
  g_assert_nonnull (strstr (contents, "Studio GPU"));

  /* A reload of the file keeps it listed. */
  load (store);
  g_assert_true (dly_profile_store_lookup (store, "Demo") == demo);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  load (again);
  g_assert_null (dly_profile_store_lookup (again, "Demo"));

  /* Removing it leaves nothing behind for a save to drop. */
  g_assert_true (dly_profile_store_remove (store, "Demo"));
  g_assert_false (dly_profile_store_is_transient (store, "Demo"));
  save (store);
  load (again);
  g_assert_nonnull (dly_profile_store_lookup (again, "Studio GPU"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_file = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* libsecret's file backend with a throwaway keyring: never the user's keyring, and no
   * D-Bus needed. Set before anything touches libsecret. */
  keyring_dir = g_dir_make_tmp ("dailies-test-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  keyring_file = g_build_filename (keyring_dir, "keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring_file, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/profiles/missing-file", test_missing_file);
  g_test_add_func ("/profiles/round-trip", test_round_trip);
  g_test_add_func ("/profiles/add-rules", test_add_rules);
  g_test_add_func ("/profiles/key-refs", test_key_refs);
  g_test_add_func ("/profiles/keyring", test_keyring);
  g_test_add_func ("/profiles/env-key", test_env_key);
  g_test_add_func ("/profiles/create-backend", test_create_backend);
  g_test_add_func ("/profiles/apply-defaults", test_apply_defaults);
  g_test_add_func ("/profiles/foreign-groups-kept", test_foreign_groups_kept);
  g_test_add_func ("/profiles/corrupt-file", test_corrupt_file);
  g_test_add_func ("/profiles/file-never-contains-key", test_file_never_contains_key);
  g_test_add_func ("/profiles/transient", test_transient);

  status = g_test_run ();

  g_remove (keyring_file);
  g_rmdir (keyring_dir);
  g_free (keyring_dir);
  return status;
}
