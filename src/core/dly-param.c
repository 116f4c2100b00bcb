/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "dly-error.h"
#include "dly-param.h"

/* Exported only because G_DEFINE_QUARK defines them non-static. */
GQuark dly_param_multiple_of_quark (void);
GQuark dly_param_frame_count_quark (void);
GQuark dly_param_optional_quark (void);
GQuark dly_param_modes_quark (void);
GQuark dly_param_unit_quark (void);
GQuark dly_param_choices_quark (void);
GQuark dly_param_int_choices_quark (void);

G_DEFINE_QUARK (dly-param-multiple-of, dly_param_multiple_of)
G_DEFINE_QUARK (dly-param-frame-count, dly_param_frame_count)
G_DEFINE_QUARK (dly-param-optional, dly_param_optional)
G_DEFINE_QUARK (dly-param-modes, dly_param_modes)
G_DEFINE_QUARK (dly-param-unit, dly_param_unit)
G_DEFINE_QUARK (dly-param-choices, dly_param_choices)
G_DEFINE_QUARK (dly-param-int-choices, dly_param_int_choices)

/* Not G_PARAM_STATIC_NAME: see keep_backend_name(). */
#define PARAM_FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_NICK | G_PARAM_STATIC_BLURB)

/* GLib 2.74 only takes '-' in pspec names (a '_' with STATIC_NAME is a critical and a crash;
 * without it the name becomes "num-frames"), but parameters are named as the backend names
 * them (num_frames). These pspecs are never installed on a class or in a pool, so the
 * canonical form is never needed: put the backend's own (interned) name back. */
static GParamSpec *
keep_backend_name (GParamSpec *pspec,
                   const char *name)
{
  pspec->name = g_intern_string (name);
  return g_param_spec_ref_sink (pspec);
}

/* Labels and tooltips are the backend classes' static strings; names are interned. */
GParamSpec *
dly_param_int (const char *name,
               const char *label,
               const char *tooltip,
               gint64      minimum,
               gint64      maximum,
               gint64      default_value)
{
  return keep_backend_name (g_param_spec_int64 (name, label, tooltip, minimum, maximum,
                                                default_value, PARAM_FLAGS),
                            name);
}

GParamSpec *
dly_param_double (const char *name,
                  const char *label,
                  const char *tooltip,
                  double      minimum,
                  double      maximum,
                  double      default_value)
{
  return keep_backend_name (g_param_spec_double (name, label, tooltip, minimum, maximum,
                                                 default_value, PARAM_FLAGS),
                            name);
}

GParamSpec *
dly_param_boolean (const char *name,
                   const char *label,
                   const char *tooltip,
                   gboolean    default_value)
{
  return keep_backend_name (g_param_spec_boolean (name, label, tooltip, default_value,
                                                  PARAM_FLAGS),
                            name);
}

GParamSpec *
dly_param_string (const char *name,
                  const char *label,
                  const char *tooltip,
                  const char *default_value)
{
  return keep_backend_name (g_param_spec_string (name, label, tooltip, default_value,
                                                 PARAM_FLAGS),
                            name);
}

GParamSpec *
dly_param_choice (const char         *name,
                  const char         *label,
                  const char         *tooltip,
                  const char * const *choices,
                  const char         *default_value)
{
  GParamSpec *pspec = dly_param_string (name, label, tooltip, default_value);

  g_param_spec_set_qdata_full (pspec, dly_param_choices_quark (),
                               g_strdupv ((char **) choices), (GDestroyNotify) g_strfreev);
  return pspec;
}

GParamSpec *
dly_param_int_choice (const char   *name,
                      const char   *label,
                      const char   *tooltip,
                      const gint64 *values,
                      guint         n_values,
                      gint64        default_value)
{
  gint64 minimum = G_MAXINT64, maximum = G_MININT64;
  GParamSpec *pspec;
  GArray *array;

  g_return_val_if_fail (n_values > 0, NULL);

  for (guint i = 0; i < n_values; i++)
    {
      minimum = MIN (minimum, values[i]);
      maximum = MAX (maximum, values[i]);
    }
  pspec = dly_param_int (name, label, tooltip, minimum, maximum, default_value);
  array = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_values);
  g_array_append_vals (array, values, n_values);
  g_param_spec_set_qdata_full (pspec, dly_param_int_choices_quark (), array,
                               (GDestroyNotify) g_array_unref);
  return pspec;
}

void
dly_param_set_multiple_of (GParamSpec *pspec,
                           guint       multiple)
{
  g_param_spec_set_qdata (pspec, dly_param_multiple_of_quark (), GUINT_TO_POINTER (multiple));
}

guint
dly_param_get_multiple_of (GParamSpec *pspec)
{
  return GPOINTER_TO_UINT (g_param_spec_get_qdata (pspec, dly_param_multiple_of_quark ()));
}

void
dly_param_set_frame_count (GParamSpec *pspec)
{
  g_param_spec_set_qdata (pspec, dly_param_frame_count_quark (), GINT_TO_POINTER (TRUE));
}

gboolean
dly_param_is_frame_count (GParamSpec *pspec)
{
  return g_param_spec_get_qdata (pspec, dly_param_frame_count_quark ()) != NULL;
}

void
dly_param_set_optional (GParamSpec *pspec)
{
  g_param_spec_set_qdata (pspec, dly_param_optional_quark (), GINT_TO_POINTER (TRUE));
}

gboolean
dly_param_is_optional (GParamSpec *pspec)
{
  return g_param_spec_get_qdata (pspec, dly_param_optional_quark ()) != NULL;
}

void
dly_param_set_modes (GParamSpec  *pspec,
                     DlyModeFlags modes)
{
  /* Stored inverted so that "never set" means "every mode". */
  g_param_spec_set_qdata (pspec, dly_param_modes_quark (), GUINT_TO_POINTER (~(guint) modes));
}

DlyModeFlags
dly_param_get_modes (GParamSpec *pspec)
{
  gpointer data = g_param_spec_get_qdata (pspec, dly_param_modes_quark ());

  if (data == NULL)
    return DLY_MODE_FLAG_ALL;
  return (DlyModeFlags) (~GPOINTER_TO_UINT (data)) & DLY_MODE_FLAG_ALL;
}

void
dly_param_set_unit (GParamSpec *pspec,
                    const char *unit)
{
  g_param_spec_set_qdata_full (pspec, dly_param_unit_quark (), g_strdup (unit), g_free);
}

const char *
dly_param_get_unit (GParamSpec *pspec)
{
  return g_param_spec_get_qdata (pspec, dly_param_unit_quark ());
}

const char * const *
dly_param_get_choices (GParamSpec *pspec)
{
  return g_param_spec_get_qdata (pspec, dly_param_choices_quark ());
}

const gint64 *
dly_param_get_int_choices (GParamSpec *pspec,
                           guint      *n_values)
{
  GArray *array = g_param_spec_get_qdata (pspec, dly_param_int_choices_quark ());

  if (array == NULL)
    {
      *n_values = 0;
      return NULL;
    }
  *n_values = array->len;
  return (const gint64 *) (gpointer) array->data;
}

const char *
dly_param_get_type_name (GParamSpec *pspec)
{
  if (G_IS_PARAM_SPEC_INT64 (pspec))
    return "int";
  if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    return "double";
  if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    return "boolean";
  if (dly_param_get_choices (pspec) != NULL)
    return "choice";
  return "string";
}

static char *
format_double (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* %g keeps "3" as "3" and "0.25" as "0.25", in the C locale. */
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", value));
}

char *
dly_param_format_value (GParamSpec   *pspec,
                        const GValue *value)
{
  if (G_VALUE_HOLDS_INT64 (value))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (value));
  if (G_VALUE_HOLDS_DOUBLE (value))
    return format_double (g_value_get_double (value));
  if (G_VALUE_HOLDS_BOOLEAN (value))
    return g_strdup (g_value_get_boolean (value) ? "true" : "false");
  if (G_VALUE_HOLDS_STRING (value))
    return g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
  return g_strdup_value_contents (value);
}

char *
dly_param_describe_rules (GParamSpec *pspec)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (G_IS_PARAM_SPEC_INT64 (pspec))
    {
      GParamSpecInt64 *ispec = G_PARAM_SPEC_INT64 (pspec);
      guint n_choices = 0;
      const gint64 *choices = dly_param_get_int_choices (pspec, &n_choices);

      if (choices != NULL)
        {
          g_string_append (text, _("one of "));
          for (guint i = 0; i < n_choices; i++)
            g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i ? ", " : "", choices[i]);
        }
      else
        g_string_append_printf (text, "%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT,
                                ispec->minimum, ispec->maximum);
      if (dly_param_get_multiple_of (pspec) > 1)
        g_string_append_printf (text, _(", multiple of %u"), dly_param_get_multiple_of (pspec));
      if (dly_param_is_frame_count (pspec))
        g_string_append (text, _(", 8k+1 (9, 17, …, 121, …)"));
    }
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    {
      GParamSpecDouble *dspec = G_PARAM_SPEC_DOUBLE (pspec);
      g_autofree char *lo = format_double (dspec->minimum);
      g_autofree char *hi = format_double (dspec->maximum);

      g_string_append_printf (text, "%s–%s", lo, hi);
    }
  else if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    g_string_append (text, "true or false");
  else if (dly_param_get_choices (pspec) != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) dly_param_get_choices (pspec));

      g_string_append_printf (text, _("one of %s"), joined);
    }
  else
    g_string_append (text, _("text"));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
parse_error (GParamSpec *pspec,
             const char *text,
             GError    **error)
{
  g_autofree char *rules = dly_param_describe_rules (pspec);

  g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
               _("“%s” is not a valid value for %s: expected %s"),
               text, g_param_spec_get_name (pspec), rules);
  return FALSE;
}

gboolean
dly_param_parse (GParamSpec *pspec,
                 const char *text,
                 GValue     *value,
                 GError    **error)
{
  g_auto(GValue) parsed = G_VALUE_INIT;
  char *end = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  if (G_IS_PARAM_SPEC_INT64 (pspec))
    {
      gint64 number;

      errno = 0;
      number = g_ascii_strtoll (text, &end, 10);
      if (errno != 0 || end == text || *end != '\0')
        return parse_error (pspec, text, error);
      g_value_init (&parsed, G_TYPE_INT64);
      g_value_set_int64 (&parsed, number);
    }
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    {
      double number;

      errno = 0;
      number = g_ascii_strtod (text, &end);
      if (errno != 0 || end == text || *end != '\0' || !isfinite (number))
        return parse_error (pspec, text, error);
      g_value_init (&parsed, G_TYPE_DOUBLE);
      g_value_set_double (&parsed, number);
    }
  else if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    {
      gboolean flag;

      if (g_ascii_strcasecmp (text, "true") == 0 || g_strcmp0 (text, "1") == 0
          || g_ascii_strcasecmp (text, "yes") == 0 || g_ascii_strcasecmp (text, "on") == 0)
        flag = TRUE;
      else if (g_ascii_strcasecmp (text, "false") == 0 || g_strcmp0 (text, "0") == 0
               || g_ascii_strcasecmp (text, "no") == 0 || g_ascii_strcasecmp (text, "off") == 0)
        flag = FALSE;
      else
        return parse_error (pspec, text, error);
      g_value_init (&parsed, G_TYPE_BOOLEAN);
      g_value_set_boolean (&parsed, flag);
    }
  else
    {
      g_value_init (&parsed, G_TYPE_STRING);
      g_value_set_string (&parsed, text);
    }

  return dly_param_validate (pspec, &parsed, value, error);
}

/* Converts between the JSON-ish types a request may hold and the pspec's own type. */
static gboolean
convert_value (GParamSpec   *pspec,
               const GValue *value,
               GValue       *out,
               GError      **error)
{
  GType want = G_PARAM_SPEC_VALUE_TYPE (pspec);

  g_value_init (out, want);
  if (G_VALUE_TYPE (value) == want)
    {
      g_value_copy (value, out);
      return TRUE;
    }

  if (want == G_TYPE_INT64)
    {
      double number;

      if (G_VALUE_HOLDS_INT (value))
        number = g_value_get_int (value);
      else if (G_VALUE_HOLDS_DOUBLE (value))
        number = g_value_get_double (value);
      else if (G_VALUE_HOLDS_STRING (value))
        {
          g_value_unset (out);
          return dly_param_parse (pspec, g_value_get_string (value), out, error);
        }
      else
        goto mismatch;
      if (number != floor (number) || fabs (number) > 9e18)
        {
          g_autofree char *text = format_double (number);

          g_value_unset (out);
          g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                       _("%s must be a whole number, not %s"), g_param_spec_get_name (pspec), text);
          return FALSE;
        }
      g_value_set_int64 (out, (gint64) number);
      return TRUE;
    }
  if (want == G_TYPE_DOUBLE)
    {
      if (G_VALUE_HOLDS_INT64 (value))
        g_value_set_double (out, (double) g_value_get_int64 (value));
      else if (G_VALUE_HOLDS_INT (value))
        g_value_set_double (out, g_value_get_int (value));
      else if (G_VALUE_HOLDS_STRING (value))
        {
          g_value_unset (out);
          return dly_param_parse (pspec, g_value_get_string (value), out, error);
        }
      else
        goto mismatch;
      return TRUE;
    }
  if (want == G_TYPE_BOOLEAN && G_VALUE_HOLDS_STRING (value))
    {
      g_value_unset (out);
      return dly_param_parse (pspec, g_value_get_string (value), out, error);
    }
  if (want == G_TYPE_STRING && (G_VALUE_HOLDS_INT64 (value) || G_VALUE_HOLDS_DOUBLE (value)))
    {
      /* "16:9" never arrives as a number, but a choice like "5" might from JSON. */
      g_value_take_string (out, dly_param_format_value (pspec, value));
      return TRUE;
    }

mismatch:
  g_value_unset (out);
  g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT, _("%s must be a value of type %s"),
               g_param_spec_get_name (pspec), dly_param_get_type_name (pspec));
  return FALSE;
}

gboolean
dly_param_validate (GParamSpec   *pspec,
                    const GValue *value,
                    GValue       *normalized,
                    GError      **error)
{
  g_auto(GValue) converted = G_VALUE_INIT;
  const char *name = g_param_spec_get_name (pspec);

  if (!convert_value (pspec, value, &converted, error))
    return FALSE;

  if (G_IS_PARAM_SPEC_INT64 (pspec))
    {
      GParamSpecInt64 *ispec = G_PARAM_SPEC_INT64 (pspec);
      gint64 number = g_value_get_int64 (&converted);
      guint multiple = dly_param_get_multiple_of (pspec);
      guint n_choices = 0;
      const gint64 *choices = dly_param_get_int_choices (pspec, &n_choices);

      /* Numbers are formatted first: translators cannot handle G_GINT64_FORMAT. */
      g_autofree char *got = g_strdup_printf ("%" G_GINT64_FORMAT, number);

      if (choices != NULL)
        {
          gboolean found = FALSE;

          for (guint i = 0; i < n_choices && !found; i++)
            found = choices[i] == number;
          if (!found)
            {
              g_autofree char *rules = dly_param_describe_rules (pspec);

              g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                           _("%s must be %s, not %s"), name, rules, got);
              return FALSE;
            }
        }
      if (number < ispec->minimum || number > ispec->maximum)
        {
          g_autofree char *lo = g_strdup_printf ("%" G_GINT64_FORMAT, ispec->minimum);
          g_autofree char *hi = g_strdup_printf ("%" G_GINT64_FORMAT, ispec->maximum);

          g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                       _("%s must be between %s and %s, not %s"), name, lo, hi, got);
          return FALSE;
        }
      if (multiple > 1 && number % multiple != 0)
        {
          gint64 lower = number - number % multiple;
          g_autofree char *below = g_strdup_printf ("%" G_GINT64_FORMAT, lower);
          g_autofree char *above = g_strdup_printf ("%" G_GINT64_FORMAT, lower + multiple);

          g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                       _("%s must be a multiple of %u: %s is not; try %s or %s"),
                       name, multiple, got, below, above);
          return FALSE;
        }
      if (dly_param_is_frame_count (pspec) && (number - 1) % 8 != 0)
        {
          gint64 lower = ((number - 1) / 8) * 8 + 1;
          g_autofree char *below = g_strdup_printf ("%" G_GINT64_FORMAT, lower);
          g_autofree char *above = g_strdup_printf ("%" G_GINT64_FORMAT, lower + 8);

          g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                       _("%s must be 8k+1 frames: %s is not; try %s or %s"), name, got, below, above);
          return FALSE;
        }
    }
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    {
      GParamSpecDouble *dspec = G_PARAM_SPEC_DOUBLE (pspec);
      double number = g_value_get_double (&converted);

      if (!isfinite (number) || number < dspec->minimum || number > dspec->maximum)
        {
          g_autofree char *lo = format_double (dspec->minimum);
          g_autofree char *hi = format_double (dspec->maximum);
          g_autofree char *got = format_double (number);

          g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                       _("%s must be between %s and %s, not %s"), name, lo, hi, got);
          return FALSE;
        }
    }
  else if (dly_param_get_choices (pspec) != NULL)
    {
      const char *text = g_value_get_string (&converted);

      if (text == NULL || !g_strv_contains (dly_param_get_choices (pspec), text))
        {
          g_autofree char *rules = dly_param_describe_rules (pspec);

          g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT, _("%s must be %s, not “%s”"),
                       name, rules, text ? text : "");
          return FALSE;
        }
    }

  if (normalized != NULL)
    {
      g_value_init (normalized, G_VALUE_TYPE (&converted));
      g_value_copy (&converted, normalized);
    }
  return TRUE;
}

gint64
dly_param_snap_int (GParamSpec *pspec,
                    gint64      value)
{
  GParamSpecInt64 *ispec;
  guint multiple;
  guint n_choices = 0;
  const gint64 *choices;

  g_return_val_if_fail (G_IS_PARAM_SPEC_INT64 (pspec), value);
  ispec = G_PARAM_SPEC_INT64 (pspec);

  choices = dly_param_get_int_choices (pspec, &n_choices);
  if (choices != NULL)
    {
      gint64 best = choices[0];

      for (guint i = 1; i < n_choices; i++)
        if (llabs (choices[i] - value) < llabs (best - value))
          best = choices[i];
      return best;
    }

  multiple = dly_param_get_multiple_of (pspec);
  if (multiple > 1)
    value = ((value + multiple / 2) / multiple) * multiple;
  if (dly_param_is_frame_count (pspec))
    value = ((value - 1 + 4) / 8) * 8 + 1;
  while (value > ispec->maximum && multiple > 1)
    value -= multiple;
  while (value < ispec->minimum && multiple > 1)
    value += multiple;
  if (dly_param_is_frame_count (pspec))
    {
      while (value > ispec->maximum)
        value -= 8;
      while (value < ispec->minimum)
        value += 8;
    }
  return CLAMP (value, ispec->minimum, ispec->maximum);
}
