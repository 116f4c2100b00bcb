/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dly-backend.h"
#include "dly-profile.h"

G_BEGIN_DECLS

#define DLY_TYPE_PARAM_PANEL (dly_param_panel_get_type ())
G_DECLARE_FINAL_TYPE (DlyParamPanel, dly_param_panel, DLY, PARAM_PANEL, GtkWidget)

/**
 * DlyParamPanel:
 *
 * A backend's parameters as a group of rows, built from its GParamSpecs: a spin button for
 * a number range, a combo row for choices, a switch for a boolean, an entry for text. Each
 * row shows its rules as the user types, marks an invalid value with the reason (and a snap
 * to the nearest valid value where there is one), and offers a reset to the default, which
 * is the profile's default where it sets one.
 *
 * Signals: `changed` () whenever a value, its validity or the rows change.
 */

GtkWidget  *dly_param_panel_new              (void);

/* Rebuilds the rows for @backend's parameters (NULL for none); @profile's defaults, where
 * they are valid, replace the backend's. Every value starts at its default. */
void        dly_param_panel_set_backend      (DlyParamPanel *self,
                                              DlyBackend    *backend,
                                              DlyProfile    *profile);
DlyBackend *dly_param_panel_get_backend      (DlyParamPanel *self);

/* The modes the next take may be made in (one flag, or DLY_MODE_FLAG_ALL when unknown):
 * rows of parameters that do not apply are dimmed and say when they do. */
void        dly_param_panel_set_modes        (DlyParamPanel *self,
                                              DlyModeFlags   modes);

/* The row of a parameter (an AdwActionRow, AdwComboRow or AdwEntryRow), or NULL. */
GtkWidget  *dly_param_panel_get_row          (DlyParamPanel *self,
                                              const char    *name);

/* The value as shown (including text still being typed), in the parameter's own type.
 * FALSE for an unset optional parameter and for an invalid value. */
gboolean    dly_param_panel_get_value        (DlyParamPanel *self,
                                              const char    *name,
                                              GValue        *value);
/* Shows @value (converted and checked by the parameter's rules); NULL unsets an optional
 * parameter or resets another. An invalid value is refused with the reason. */
gboolean    dly_param_panel_set_value        (DlyParamPanel *self,
                                              const char    *name,
                                              const GValue  *value,
                                              GError       **error);
/* TRUE when the parameter shows its default (or, if optional, is unset). */
gboolean    dly_param_panel_is_default       (DlyParamPanel *self,
                                              const char    *name);
/* Back to the default: one parameter, or all of them with NULL. */
void        dly_param_panel_reset            (DlyParamPanel *self,
                                              const char    *name);
/* Moves an integer to the nearest valid value (multiples, 8k+1, choices, range); FALSE if
 * it already was valid or is not a number. */
gboolean    dly_param_panel_snap             (DlyParamPanel *self,
                                              const char    *name);

/* Why the parameter's value is invalid, or NULL. */
const char *dly_param_panel_get_row_error    (DlyParamPanel *self,
                                              const char    *name);
/* The first invalid parameter's reason, or NULL when every value is valid. */
const char *dly_param_panel_get_error        (DlyParamPanel *self);
/* Moves the focus to the first invalid value and returns its row, or NULL if none. */
GtkWidget  *dly_param_panel_focus_error      (DlyParamPanel *self);

/* Sets every valid value on @request: each parameter that is not optional, and optional
 * ones that the user set. */
void        dly_param_panel_apply_to_request (DlyParamPanel *self,
                                              DlyRequest    *request);
/* Resets every row, then shows the values @request sets (those that are valid). */
void        dly_param_panel_load_request     (DlyParamPanel *self,
                                              DlyRequest    *request);

/* The values that differ from their defaults, as a JSON object of name → value (for the
 * "last-parameters" setting); and back. Unknown or invalid members are skipped. */
JsonObject *dly_param_panel_dup_changes      (DlyParamPanel *self);
void        dly_param_panel_load_changes     (DlyParamPanel *self,
                                              JsonObject    *changes);

G_END_DECLS
