/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dly-profile-store.h"

G_BEGIN_DECLS

/**
 * DlyComposerHealth:
 * @DLY_COMPOSER_HEALTH_NONE: no backend selected, or nothing to check it with
 * @DLY_COMPOSER_HEALTH_CHECKING: the check is under way
 * @DLY_COMPOSER_HEALTH_REACHABLE: the backend answered
 * @DLY_COMPOSER_HEALTH_NO_KEY: the profile's API key could not be found
 * @DLY_COMPOSER_HEALTH_KEY_REFUSED: the backend refused the key
 * @DLY_COMPOSER_HEALTH_UNREACHABLE: the backend could not be reached, or answered wrongly
 *
 * What the last check of the selected backend found.
 */
typedef enum
{
  DLY_COMPOSER_HEALTH_NONE,
  DLY_COMPOSER_HEALTH_CHECKING,
  DLY_COMPOSER_HEALTH_REACHABLE,
  DLY_COMPOSER_HEALTH_NO_KEY,
  DLY_COMPOSER_HEALTH_KEY_REFUSED,
  DLY_COMPOSER_HEALTH_UNREACHABLE,
} DlyComposerHealth;

#define DLY_TYPE_COMPOSER_HEALTH (dly_composer_health_get_type ())
GType dly_composer_health_get_type (void);

/**
 * DlyComposerSeeds:
 * @DLY_COMPOSER_SEEDS_CONSECUTIVE: take i gets the seed parameter's value + i (a random start
 *   when the seed is left to the backend)
 * @DLY_COMPOSER_SEEDS_RANDOM: every take gets a random seed within the parameter's range
 *
 * How the takes of one Generate get their seeds.
 */
typedef enum
{
  DLY_COMPOSER_SEEDS_CONSECUTIVE,
  DLY_COMPOSER_SEEDS_RANDOM,
} DlyComposerSeeds;

#define DLY_TYPE_COMPOSER (dly_composer_get_type ())
G_DECLARE_FINAL_TYPE (DlyComposer, dly_composer, DLY, COMPOSER, GtkWidget)

/**
 * DlyComposer:
 *
 * The pane where a take is composed: the prompt (with the LTX prompting guide), the backend
 * and its health, the inputs and the mode they choose, the backend's parameters, and the
 * number of takes. Generate is the `composer.generate` action, enabled only when the request
 * would be valid; otherwise #DlyComposer:blocked-reason says why.
 *
 * Signals:
 * - `generate` (DlyProfile *profile, GPtrArray *requests): one new DlyRequest per take,
 *   each with its seed already chosen.
 * - `manage-backends` (): the user asked for the backends preferences.
 */

GtkWidget        *dly_composer_new                (void);

void              dly_composer_set_profile_store  (DlyComposer     *self,
                                                   DlyProfileStore *store);
void              dly_composer_set_session        (DlyComposer     *self,
                                                   SoupSession     *session);

DlyProfile       *dly_composer_get_profile        (DlyComposer     *self);
void              dly_composer_select_profile     (DlyComposer     *self,
                                                   const char      *name);

DlyRequest       *dly_composer_build_request      (DlyComposer     *self);
void              dly_composer_load_request       (DlyComposer     *self,
                                                   const char      *profile_name,
                                                   DlyRequest      *request);

void              dly_composer_set_image          (DlyComposer     *self,
                                                   const char      *path_or_url);
void              dly_composer_set_audio          (DlyComposer     *self,
                                                   const char      *path_or_url);
void              dly_composer_set_prompt         (DlyComposer     *self,
                                                   const char      *prompt);

void              dly_composer_bind_settings      (DlyComposer     *self,
                                                   GSettings       *settings);

gboolean          dly_composer_get_can_generate   (DlyComposer     *self);
const char       *dly_composer_get_blocked_reason (DlyComposer     *self);

/* The mode the inputs choose on the selected backend; FALSE when none fits. */
gboolean          dly_composer_get_mode           (DlyComposer     *self,
                                                   DlyMode         *mode);

DlyComposerHealth dly_composer_get_health         (DlyComposer     *self);
/* What the check said, in one line. */
const char       *dly_composer_get_health_message (DlyComposer     *self);
/* Checks the selected backend again. */
void              dly_composer_refresh_health     (DlyComposer     *self);

guint             dly_composer_get_takes          (DlyComposer     *self);
void              dly_composer_set_takes          (DlyComposer     *self,
                                                   guint            takes);
DlyComposerSeeds  dly_composer_get_seeds          (DlyComposer     *self);
void              dly_composer_set_seeds          (DlyComposer     *self,
                                                   DlyComposerSeeds seeds);

/* Parts, for the window's shortcuts and for tests. */
GtkWidget        *dly_composer_get_param_panel    (DlyComposer     *self);
GtkWidget        *dly_composer_get_image_picker   (DlyComposer     *self);
GtkWidget        *dly_composer_get_audio_picker   (DlyComposer     *self);
GtkTextView      *dly_composer_get_prompt_view    (DlyComposer     *self);

G_END_DECLS
