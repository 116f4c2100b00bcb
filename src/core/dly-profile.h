/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dly-backend.h"

G_BEGIN_DECLS

/**
 * DlyKeySource:
 * @DLY_KEY_SOURCE_NONE: the backend needs no key (self-hosted servers)
 * @DLY_KEY_SOURCE_KEYRING: the key is in the user's keyring (libsecret), under the profile's name
 * @DLY_KEY_SOURCE_ENV: the key is in an environment variable (headless use)
 *
 * Where a profile's API key lives. The key itself is never part of a profile.
 */
typedef enum
{
  DLY_KEY_SOURCE_NONE,
  DLY_KEY_SOURCE_KEYRING,
  DLY_KEY_SOURCE_ENV,
} DlyKeySource;

#define DLY_TYPE_PROFILE (dly_profile_get_type ())
G_DECLARE_FINAL_TYPE (DlyProfile, dly_profile, DLY, PROFILE, GObject)

/* The concurrency a profile gets when it sets none: hosted services take many jobs at once,
 * a self-hosted GPU only a couple. */
#define DLY_PROFILE_HOSTED_CONCURRENCY     4
#define DLY_PROFILE_SELFHOSTED_CONCURRENCY 2
#define DLY_PROFILE_MAX_CONCURRENCY        64

/**
 * DlyProfile:
 * A named, saved backend: dialect, base URL, default parameter values, concurrency limit
 * and where its key is (a key reference, never the key).
 *
 * Default parameters are kept as text ("high", "0.3") and converted by the backend's own
 * GParamSpecs when applied, so that a profile can be read without knowing its dialect.
 */
DlyProfile   *dly_profile_new                (const char   *name,
                                              const char   *dialect,
                                              const char   *base_url);

const char   *dly_profile_get_name           (DlyProfile   *self);
const char   *dly_profile_get_dialect        (DlyProfile   *self);
void          dly_profile_set_dialect        (DlyProfile   *self,
                                              const char   *dialect);
const char   *dly_profile_get_base_url       (DlyProfile   *self);
void          dly_profile_set_base_url       (DlyProfile   *self,
                                              const char   *base_url);

/* 0 means "the dialect's default"; dly_profile_get_effective_concurrency() resolves it. */
guint         dly_profile_get_concurrency    (DlyProfile   *self);
void          dly_profile_set_concurrency    (DlyProfile   *self,
                                              guint         concurrency);
guint         dly_profile_get_effective_concurrency (DlyProfile *self);

/* The key reference: "none", "keyring" or "env:VARIABLE", as written in profiles.ini. */
DlyKeySource  dly_profile_get_key_source     (DlyProfile   *self);
/* The variable's name for DLY_KEY_SOURCE_ENV, else NULL. */
const char   *dly_profile_get_key_env        (DlyProfile   *self);
void          dly_profile_set_key_source     (DlyProfile   *self,
                                              DlyKeySource  source,
                                              const char   *env_variable);
char         *dly_profile_dup_key_ref        (DlyProfile   *self);
gboolean      dly_profile_set_key_ref        (DlyProfile   *self,
                                              const char   *key_ref,
                                              GError      **error);

/* Default parameter values, by the backend's own names; NULL @value unsets. */
void          dly_profile_set_default        (DlyProfile   *self,
                                              const char   *name,
                                              const char   *value);
const char   *dly_profile_get_default        (DlyProfile   *self,
                                              const char   *name);
/* Sorted names of the defaults that are set. */
GStrv         dly_profile_list_defaults      (DlyProfile   *self);

/* Checks the name, the dialect, the URL and every default against the dialect's parameters.
 * Errors are DLY_ERROR_INVALID_INPUT and say what to change. */
gboolean      dly_profile_validate           (DlyProfile   *self,
                                              GError      **error);
/* Sets on @request every default that the request does not set itself, converted by
 * @backend's parameters. Fails on a default the backend does not know or cannot take. */
gboolean      dly_profile_apply_defaults     (DlyProfile   *self,
                                              DlyBackend   *backend,
                                              DlyRequest   *request,
                                              GError      **error);

/* A name fits in profiles.ini and on a command line: 1–64 characters, no brackets, no
 * control characters, no surrounding spaces. */
gboolean      dly_profile_name_is_valid      (const char   *name);

G_END_DECLS
