/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dly-profile-store.h"

G_BEGIN_DECLS

#define DLY_TYPE_PROFILE_EDITOR (dly_profile_editor_get_type ())
G_DECLARE_FINAL_TYPE (DlyProfileEditor, dly_profile_editor, DLY, PROFILE_EDITOR, AdwWindow)

/**
 * DlyProfileEditor:
 * A modal window that adds one backend profile to @store, or edits @profile. It writes the
 * profile and its key (to the keyring, through the store) only when Save succeeds, and never
 * shows a stored key: it only learns whether one exists.
 *
 * Signals: ::saved (DlyProfile *profile) once the profile and its key are written; the
 * window closes itself afterwards.
 */
GtkWidget   *dly_profile_editor_new         (GtkWindow        *parent,
                                             DlyProfileStore  *store,
                                             SoupSession      *session,
                                             DlyProfile       *profile);

/* The profile being edited; NULL when adding one. */
DlyProfile  *dly_profile_editor_get_profile (DlyProfileEditor *self);
/* Why Save is not possible now, or NULL when it is. */
const char  *dly_profile_editor_get_problem (DlyProfileEditor *self);
/* Whether a save or a connection test is under way. */
gboolean     dly_profile_editor_get_busy    (DlyProfileEditor *self);

G_END_DECLS
