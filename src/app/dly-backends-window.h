/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dly-profile-store.h"

G_BEGIN_DECLS

#define DLY_TYPE_BACKENDS_WINDOW (dly_backends_window_get_type ())
G_DECLARE_FINAL_TYPE (DlyBackendsWindow, dly_backends_window, DLY, BACKENDS_WINDOW, AdwPreferencesWindow)

/**
 * DlyBackendsWindow:
 * "Manage Backends": the saved profiles of @store, each with its kind, URL and the result of
 * its last connection test, and the ways to add, edit, test and remove them. @session is the
 * one the tests are sent with (NULL: a session of its own).
 *
 * Signals:
 * - ::profile-tested (const char *name, gboolean ok, const char *message): a connection test
 *   of a saved profile ended; @message is what the backend said (never a key).
 * - ::profile-removed (const char *name): a profile was removed, the store saved and its key
 *   cleared from the keyring.
 */
GtkWidget *dly_backends_window_new          (GtkWindow         *parent,
                                             DlyProfileStore   *store,
                                             SoupSession       *session);

/* Opens the editor for a new profile at once (the first-run "Add a backend"). */
void       dly_backends_window_add_profile  (DlyBackendsWindow *self);
/* Opens the editor for the profile called @name; FALSE if there is none, or if it is a
 * transient one (the demo backend), which is the app's and not edited. */
gboolean   dly_backends_window_edit_profile (DlyBackendsWindow *self,
                                             const char        *name);
/* Tests the saved profile called @name, as its row's "Test Connection" does. */
gboolean   dly_backends_window_test_profile (DlyBackendsWindow *self,
                                             const char        *name);

G_END_DECLS
