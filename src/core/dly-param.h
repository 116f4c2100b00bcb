/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A backend's parameters are GParamSpecs with a few rules attached as qdata, so that one
 * description drives the composer's rows, the CLI's --set parsing and validation. */
#pragma once

#include <glib-object.h>

#include "dly-types.h"

G_BEGIN_DECLS

/* Constructors. The nick is the label, the blurb the tooltip. Integers are gint64. */
GParamSpec *dly_param_int        (const char *name,
                                  const char *label,
                                  const char *tooltip,
                                  gint64      minimum,
                                  gint64      maximum,
                                  gint64      default_value);
GParamSpec *dly_param_double     (const char *name,
                                  const char *label,
                                  const char *tooltip,
                                  double      minimum,
                                  double      maximum,
                                  double      default_value);
GParamSpec *dly_param_boolean    (const char *name,
                                  const char *label,
                                  const char *tooltip,
                                  gboolean    default_value);
GParamSpec *dly_param_string     (const char *name,
                                  const char *label,
                                  const char *tooltip,
                                  const char *default_value);
/* A string that must be one of @choices (NULL-terminated). */
GParamSpec *dly_param_choice     (const char         *name,
                                  const char         *label,
                                  const char         *tooltip,
                                  const char * const *choices,
                                  const char         *default_value);
/* An integer that must be one of @values. */
GParamSpec *dly_param_int_choice (const char   *name,
                                  const char   *label,
                                  const char   *tooltip,
                                  const gint64 *values,
                                  guint         n_values,
                                  gint64        default_value);

/* Rules. */
void                dly_param_set_multiple_of   (GParamSpec *pspec,
                                                 guint       multiple);
guint               dly_param_get_multiple_of   (GParamSpec *pspec);
/* The value must be 8k+1 (LTX frame counts). */
void                dly_param_set_frame_count   (GParamSpec *pspec);
gboolean            dly_param_is_frame_count    (GParamSpec *pspec);
/* Unset means "not sent": the backend picks (a random seed, say). The default is only shown. */
void                dly_param_set_optional      (GParamSpec *pspec);
gboolean            dly_param_is_optional       (GParamSpec *pspec);
/* Only meaningful in these modes (all by default). */
void                dly_param_set_modes         (GParamSpec  *pspec,
                                                 DlyModeFlags modes);
DlyModeFlags        dly_param_get_modes         (GParamSpec *pspec);
/* A short unit shown after the value ("s", "fps", "px"). */
void                dly_param_set_unit          (GParamSpec *pspec,
                                                 const char *unit);
const char         *dly_param_get_unit          (GParamSpec *pspec);
const char * const *dly_param_get_choices       (GParamSpec *pspec);
const gint64       *dly_param_get_int_choices   (GParamSpec *pspec,
                                                 guint      *n_values);

/* "int", "double", "boolean", "string", "choice". */
const char         *dly_param_get_type_name     (GParamSpec *pspec);

/* Parses @text as a value of @pspec (for --set NAME=VALUE) and validates it. */
gboolean            dly_param_parse             (GParamSpec *pspec,
                                                 const char *text,
                                                 GValue     *value,
                                                 GError    **error);
/* Converts @value to the pspec's type (int from double and so on) and checks every rule.
 * The message names the parameter and says what would be valid. */
gboolean            dly_param_validate          (GParamSpec   *pspec,
                                                 const GValue *value,
                                                 GValue       *normalized,
                                                 GError      **error);
/* Formats @value for people and for the CLI ("768", "3.5", "true", "16:9"). */
char               *dly_param_format_value      (GParamSpec   *pspec,
                                                 const GValue *value);
/* A one-line description of the rules: "64–2048, multiple of 64". */
char               *dly_param_describe_rules    (GParamSpec *pspec);

/* Nearest valid value, for "snap" buttons: multiples, 8k+1, range. */
gint64              dly_param_snap_int          (GParamSpec *pspec,
                                                 gint64      value);

G_END_DECLS
