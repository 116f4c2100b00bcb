/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsecret/secret.h>

#include "dly-profile.h"

G_BEGIN_DECLS

#define DLY_TYPE_PROFILE_STORE (dly_profile_store_get_type ())
G_DECLARE_FINAL_TYPE (DlyProfileStore, dly_profile_store, DLY, PROFILE_STORE, GObject)

/* The libsecret schema of API keys: one secret per profile, attribute "profile" = its name. */
#define DLY_SECRET_SCHEMA_NAME "io.github.dailies.Dailies.ApiKey"
const SecretSchema *dly_profile_store_get_secret_schema (void);

/**
 * DlyProfileStore:
 * The saved profiles: a key file at $XDG_CONFIG_HOME/dailies/profiles.ini, shared by the app
 * and dailies-cli, and a GListModel of DlyProfile sorted by name. The file holds key
 * references ("keyring", "env:VARIABLE"), never a key: keys live in the keyring (libsecret:
 * the Secret Service natively, the Secret portal inside Flatpak) or in the environment.
 *
 * Changes are made in memory (add, remove, the profiles' setters) and written by save.
 * Groups of the file that this version does not understand are kept as they are.
 */

/* $XDG_CONFIG_HOME/dailies/profiles.ini */
char            *dly_profile_store_get_default_path (void);

DlyProfileStore *dly_profile_store_new              (void);
DlyProfileStore *dly_profile_store_new_for_file     (GFile              *file);
GFile           *dly_profile_store_get_file         (DlyProfileStore    *self);

/* A missing file is an empty store, not an error. */
void             dly_profile_store_load_async       (DlyProfileStore    *self,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean         dly_profile_store_load_finish      (DlyProfileStore    *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);
void             dly_profile_store_save_async       (DlyProfileStore    *self,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean         dly_profile_store_save_finish      (DlyProfileStore    *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);

/* Validates @profile (dly_profile_validate) and adds it; a name in use is an error. */
gboolean         dly_profile_store_add              (DlyProfileStore    *self,
                                                     DlyProfile         *profile,
                                                     GError            **error);
/* Adds @profile or replaces the profile of the same name. */
gboolean         dly_profile_store_replace          (DlyProfileStore    *self,
                                                     DlyProfile         *profile,
                                                     GError            **error);
/* Lists @profile (replacing one of the same name) without ever writing it to the file: for a
 * backend that lives only as long as this process, such as the app's demo simulator. A later
 * add or replace of the same name makes it an ordinary, saved profile. */
gboolean         dly_profile_store_add_transient    (DlyProfileStore    *self,
                                                     DlyProfile         *profile,
                                                     GError            **error);
gboolean         dly_profile_store_is_transient     (DlyProfileStore    *self,
                                                     const char         *name);
/* FALSE if there was no such profile. Its key stays in the keyring: see clear_key. */
gboolean         dly_profile_store_remove           (DlyProfileStore    *self,
                                                     const char         *name);
/* Returns: (transfer none) (nullable) */
DlyProfile      *dly_profile_store_lookup           (DlyProfileStore    *self,
                                                     const char         *name);

/* Keys. Stores @api_key in the keyring under the profile's name and sets the profile's key
 * reference to "keyring" (save the store afterwards). */
void             dly_profile_store_set_key_async    (DlyProfileStore    *self,
                                                     DlyProfile         *profile,
                                                     const char         *api_key,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean         dly_profile_store_set_key_finish   (DlyProfileStore    *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);
/* The profile's key, from the keyring or its environment variable. Returns NULL without an
 * error for a profile whose key reference is "none". Free it with g_free() after wiping it. */
void             dly_profile_store_lookup_key_async (DlyProfileStore    *self,
                                                     DlyProfile         *profile,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
char            *dly_profile_store_lookup_key_finish (DlyProfileStore   *self,
                                                      GAsyncResult      *result,
                                                      GError           **error);
/* Removes the profile's key from the keyring; TRUE whether or not there was one. */
void             dly_profile_store_clear_key_async  (DlyProfileStore    *self,
                                                     const char         *profile_name,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean         dly_profile_store_clear_key_finish (DlyProfileStore    *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);

/* The backend a profile describes, with its key set (looked up as above). */
void             dly_profile_store_create_backend_async  (DlyProfileStore    *self,
                                                          DlyProfile         *profile,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
DlyBackend      *dly_profile_store_create_backend_finish (DlyProfileStore    *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);

/* Tests a profile: makes its backend as above and asks it whether it is there and ready.
 * @typed_key, when given, is used instead of the stored key (a key typed but not saved;
 * it is wiped afterwards). Returns the backend's answer, for a person to read. */
void             dly_profile_store_check_async          (DlyProfileStore    *self,
                                                          DlyProfile         *profile,
                                                          const char         *typed_key,
                                                          SoupSession        *session,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
char            *dly_profile_store_check_finish         (DlyProfileStore    *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);

G_END_DECLS
