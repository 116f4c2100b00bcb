/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parameter panel: one row per GParamSpec of the selected backend. The rows are plain
 * libadwaita rows so that they sit in the group's boxed list like any other; what each row
 * knows (its pspec, default, state) lives in a Param next to it. */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "dly-error.h"
#include "dly-param-panel.h"

typedef enum
{
  KIND_SPIN,
  KIND_SWITCH,
  KIND_ENTRY,
  KIND_COMBO,
} ParamKind;

typedef enum
{
  READ_VALUE,
  READ_UNSET,
  READ_INVALID,
} ReadResult;

typedef struct
{
  DlyParamPanel *panel;          /* borrowed: owns this */
  GParamSpec    *pspec;          /* owned */
  ParamKind      kind;
  GValue         default_value;  /* the pspec's type: the profile's default or the pspec's */
  gboolean       optional;
  gboolean       is_set;         /* optional spins: the user gave a number */
  gboolean       applicable;     /* to the current mode */
  gboolean       frames;         /* a frame count, shown as a duration when there is a rate */
  guint          digits;         /* doubles */

  GtkWidget     *row;            /* borrowed: the group holds it */
  GtkWidget     *editor;         /* spin button, switch, or the entry or combo row itself */
  GtkWidget     *reset_button;   /* borrowed */
  GtkWidget     *snap_button;    /* borrowed, spins only */
  GStrv          choice_strings; /* string combos: the value of each item */
  GArray        *choice_ints;    /* integer combos: the value of each item */

  char          *tooltip;        /* what it is and its rules */
  char          *error;          /* why the shown value is invalid, or NULL */
  gint64         snap_value;
} Param;

struct _DlyParamPanel
{
  GtkWidget       parent_instance;

  DlyBackend     *backend;       /* owned */
  GPtrArray      *params;        /* of Param, in the backend's order */
  Param          *rate_param;    /* borrowed from params: frames per second, or NULL */
  DlyModeFlags    modes;
  char           *error;         /* the first row's error, or NULL */
  guint           updating;      /* > 0 while values are shown by code, not typed */
  guint           frozen;        /* > 0 while "changed" waits */
  gboolean        changed_pending;

  /* Template children */
  AdwPreferencesGroup *group;
  GtkButton           *reset_all_button;
};

G_DEFINE_FINAL_TYPE (DlyParamPanel, dly_param_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BACKEND,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void dly_param_panel_refresh (DlyParamPanel *self);

/* --- one parameter --- */

static gboolean
param_is_seed (Param *p)
{
  return strstr (g_param_spec_get_name (p->pspec), "seed") != NULL;
}

/* What an unset optional parameter shows: the backend picks. */
static const char *
param_auto_label (Param *p)
{
  return param_is_seed (p) ? _("Random") : _("Auto");
}

static gboolean
values_equal (const GValue *a,
              const GValue *b)
{
  if (G_VALUE_TYPE (a) != G_VALUE_TYPE (b))
    return FALSE;
  if (G_VALUE_HOLDS_INT64 (a))
    return g_value_get_int64 (a) == g_value_get_int64 (b);
  if (G_VALUE_HOLDS_DOUBLE (a))
    return fabs (g_value_get_double (a) - g_value_get_double (b)) < 1e-9;
  if (G_VALUE_HOLDS_BOOLEAN (a))
    return !g_value_get_boolean (a) == !g_value_get_boolean (b);
  if (G_VALUE_HOLDS_STRING (a))
    return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
  return FALSE;
}

static char *
param_format (Param        *p,
              const GValue *value)
{
  if (G_VALUE_HOLDS_DOUBLE (value))
    return g_strdup_printf ("%.*f", (int) p->digits, g_value_get_double (value));
  return dly_param_format_value (p->pspec, value);
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

/* Text typed into a spin button: a whole number, or a decimal in the C or the user's locale
 * (GtkSpinButton shows the user's). */
static gboolean
parse_number (const char *text,
              gboolean    integer,
              double     *number)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  char *end = NULL;

  if (*stripped == '\0')
    return FALSE;
  if (integer)
    {
      gint64 parsed = g_ascii_strtoll (stripped, &end, 10);

      if (*end != '\0')
        return FALSE;
      *number = (double) parsed;
      return TRUE;
    }
  *number = g_strtod (stripped, &end);
  return *end == '\0' && isfinite (*number);
}

/* Reads what the row shows into @value (initialised here to the pspec's type). */
static ReadResult
param_read (Param   *p,
            GValue  *value,
            GError **error)
{
  g_auto(GValue) raw = G_VALUE_INIT;

  switch (p->kind)
    {
    case KIND_SPIN:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (p->editor));
        gboolean integer = G_IS_PARAM_SPEC_INT64 (p->pspec);
        double number = 0;

        if (p->optional && (g_strcmp0 (text, param_auto_label (p)) == 0 || is_blank (text)))
          return READ_UNSET;
        if (!parse_number (text, integer, &number))
          {
            g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                         integer ? _("Enter a whole number") : _("Enter a number"));
            return READ_INVALID;
          }
        if (integer)
          {
            g_value_init (&raw, G_TYPE_INT64);
            g_value_set_int64 (&raw, (gint64) number);
          }
        else
          {
            g_value_init (&raw, G_TYPE_DOUBLE);
            g_value_set_double (&raw, number);
          }
      }
      break;

    case KIND_SWITCH:
      g_value_init (&raw, G_TYPE_BOOLEAN);
      g_value_set_boolean (&raw, gtk_switch_get_active (GTK_SWITCH (p->editor)));
      break;

    case KIND_ENTRY:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (p->editor));

        if (p->optional && *text == '\0')
          return READ_UNSET;
        g_value_init (&raw, G_TYPE_STRING);
        g_value_set_string (&raw, text);
      }
      break;

    case KIND_COMBO:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (p->row));
        guint offset = p->optional ? 1 : 0;

        if (selected == GTK_INVALID_LIST_POSITION || (p->optional && selected == 0))
          return READ_UNSET;
        if (p->choice_ints != NULL)
          {
            g_value_init (&raw, G_TYPE_INT64);
            g_value_set_int64 (&raw, g_array_index (p->choice_ints, gint64, selected - offset));
          }
        else
          {
            g_value_init (&raw, G_TYPE_STRING);
            g_value_set_string (&raw, p->choice_strings[selected - offset]);
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }

  return dly_param_validate (p->pspec, &raw, value, error) ? READ_VALUE : READ_INVALID;
}

/* Shows @value (in the pspec's type; NULL: unset, or the default) without judging it. */
static void
param_show (Param        *p,
            const GValue *value)
{
  DlyParamPanel *self = p->panel;
  gboolean unset = value == NULL && p->optional;

  if (value == NULL)
    value = &p->default_value;

  self->updating++;
  switch (p->kind)
    {
    case KIND_SPIN:
      p->is_set = !unset;
      if (G_VALUE_HOLDS_INT64 (value))
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (p->editor), (double) g_value_get_int64 (value));
      else
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (p->editor), g_value_get_double (value));
      /* set_value leaves the text alone when the number is unchanged (say, after typing an
       * invalid one that was never committed): make the text match. */
      if (unset)
        gtk_editable_set_text (GTK_EDITABLE (p->editor), param_auto_label (p));
      else
        {
          g_autofree char *text = param_format (p, value);

          if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (p->editor)), text) != 0)
            gtk_editable_set_text (GTK_EDITABLE (p->editor), text);
        }
      break;

    case KIND_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (p->editor), g_value_get_boolean (value));
      break;

    case KIND_ENTRY:
      gtk_editable_set_text (GTK_EDITABLE (p->editor),
                             unset || g_value_get_string (value) == NULL
                             ? "" : g_value_get_string (value));
      break;

    case KIND_COMBO:
      {
        guint offset = p->optional ? 1 : 0;
        guint position = 0;

        if (!unset && p->choice_ints != NULL)
          {
            for (guint i = 0; i < p->choice_ints->len; i++)
              if (g_array_index (p->choice_ints, gint64, i) == g_value_get_int64 (value))
                position = i + offset;
          }
        else if (!unset)
          {
            for (guint i = 0; p->choice_strings[i] != NULL; i++)
              if (g_strcmp0 (p->choice_strings[i], g_value_get_string (value)) == 0)
                position = i + offset;
          }
        adw_combo_row_set_selected (ADW_COMBO_ROW (p->row), position);
      }
      break;

    default:
      g_assert_not_reached ();
    }
  self->updating--;
}

static gboolean
param_is_default (Param *p)
{
  g_auto(GValue) value = G_VALUE_INIT;

  switch (param_read (p, &value, NULL))
    {
    case READ_UNSET:
      return TRUE;
    case READ_VALUE:
      return !p->optional && values_equal (&value, &p->default_value);
    case READ_INVALID:
    default:
      return FALSE;
    }
}

/* Modes in the middle of a sentence. */
static const char *
mode_phrase (DlyMode mode)
{
  switch (mode)
    {
    case DLY_MODE_TEXT_TO_VIDEO: return _("text to video");
    case DLY_MODE_IMAGE_TO_VIDEO: return _("image to video");
    case DLY_MODE_LIP_SYNC: return _("lip-sync");
    case DLY_MODE_AUDIO_GENERATION: return _("audio generation");
    default: g_return_val_if_reached ("");
    }
}

static char *
describe_modes (DlyModeFlags modes)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  for (DlyMode mode = DLY_MODE_TEXT_TO_VIDEO; mode <= DLY_MODE_AUDIO_GENERATION; mode++)
    if (modes & DLY_MODE_TO_FLAG (mode))
      g_ptr_array_add (labels, (gpointer) mode_phrase (mode));
  g_ptr_array_add (labels, NULL);
  return g_strjoinv (_(", "), (char **) labels->pdata);
}

/* The line under the title: the reason a value is invalid, else what the value means or
 * what the rule is, so that the rule is in view before it is broken. */
static char *
param_dup_subtitle (Param *p)
{
  DlyParamPanel *self = p->panel;

  if (p->error != NULL)
    return g_strdup (p->error);

  if (!p->applicable)
    {
      g_autofree char *modes = describe_modes (dly_param_get_modes (p->pspec));

      /* Translators: %s is a list of modes, "text to video, image to video" */
      return g_strdup_printf (_("Only for %s"), modes);
    }

  if (p->frames && self->rate_param != NULL)
    {
      g_auto(GValue) frames = G_VALUE_INIT;
      g_auto(GValue) rate = G_VALUE_INIT;

      if (param_read (p, &frames, NULL) == READ_VALUE
          && param_read (self->rate_param, &rate, NULL) == READ_VALUE)
        {
          double fps = G_VALUE_HOLDS_DOUBLE (&rate) ? g_value_get_double (&rate)
                                                    : (double) g_value_get_int64 (&rate);

          if (fps > 0)
            /* Translators: a clip's length: "4.84 s at 25 fps" */
            return g_strdup_printf (_("%.2f s at %g fps"),
                                    (double) g_value_get_int64 (&frames) / fps, fps);
        }
    }

  if (dly_param_is_frame_count (p->pspec))
    return g_strdup (_("8k + 1 frames: 9, 17, 25, …, 121, …"));
  if (dly_param_get_multiple_of (p->pspec) > 1)
    return g_strdup_printf (_("A multiple of %u"), dly_param_get_multiple_of (p->pspec));

  return NULL;
}

/* Brings the row in line with its value: error, subtitle, reset and snap buttons. */
static void
param_refresh (Param *p)
{
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *subtitle = NULL;
  ReadResult result = param_read (p, &value, &error);
  gboolean can_snap = FALSE;

  g_clear_pointer (&p->error, g_free);
  if (result == READ_INVALID)
    p->error = g_strdup (error->message);

  if (p->snap_button != NULL && result == READ_INVALID && G_IS_PARAM_SPEC_INT64 (p->pspec))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (p->editor));
      double number;

      if (parse_number (text, TRUE, &number))
        {
          p->snap_value = dly_param_snap_int (p->pspec, (gint64) number);
          can_snap = p->snap_value != (gint64) number;
        }
    }
  if (p->snap_button != NULL)
    {
      gtk_widget_set_visible (p->snap_button, can_snap);
      if (can_snap)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, p->snap_value);
          /* Translators: a button that replaces an invalid value with the nearest valid one */
          g_autofree char *label = g_strdup_printf (_("Use %s"), number);
          g_autofree char *tooltip = g_strdup_printf (_("Snap to the nearest valid value, %s"),
                                                      number);

          gtk_button_set_label (GTK_BUTTON (p->snap_button), label);
          gtk_widget_set_tooltip_text (p->snap_button, tooltip);
          gtk_accessible_update_property (GTK_ACCESSIBLE (p->snap_button),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
        }
    }

  /* The snap button fixes an invalid value better than a reset, and room is short. */
  gtk_widget_set_visible (p->reset_button, !can_snap && !param_is_default (p));

  subtitle = param_dup_subtitle (p);
  if (ADW_IS_ACTION_ROW (p->row))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (p->row), subtitle ? subtitle : "");
  else
    /* An entry row has no subtitle: its reason goes where the pointer finds it. */
    gtk_widget_set_tooltip_text (p->row, p->error ? p->error : p->tooltip);

  if (p->error != NULL)
    gtk_widget_add_css_class (p->row, "error");
  else
    gtk_widget_remove_css_class (p->row, "error");

  /* A dimmed row cannot be edited, so one with an invalid value stays editable. */
  gtk_widget_set_sensitive (p->row, p->applicable || p->error != NULL);

  if (p->kind == KIND_SPIN)
    gtk_accessible_update_property (GTK_ACCESSIBLE (p->editor),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    subtitle ? subtitle : g_param_spec_get_blurb (p->pspec),
                                    -1);
}

static void
param_free (Param *p)
{
  if (p->editor != NULL)
    g_signal_handlers_disconnect_by_data (p->editor, p);
  if (p->row != NULL)
    g_signal_handlers_disconnect_by_data (p->row, p);
  if (p->reset_button != NULL)
    g_signal_handlers_disconnect_by_data (p->reset_button, p);
  if (p->snap_button != NULL)
    g_signal_handlers_disconnect_by_data (p->snap_button, p);
  g_value_unset (&p->default_value);
  g_clear_pointer (&p->pspec, g_param_spec_unref);
  g_clear_pointer (&p->choice_strings, g_strfreev);
  g_clear_pointer (&p->choice_ints, g_array_unref);
  g_free (p->tooltip);
  g_free (p->error);
  g_free (p);
}

/* --- signal handlers of the rows --- */

static void
on_param_edited_cb (gpointer  widget,
                    Param    *p)
{
  dly_param_panel_refresh (p->panel);
}

static void
on_param_notify_cb (GObject    *object,
                    GParamSpec *pspec,
                    Param      *p)
{
  dly_param_panel_refresh (p->panel);
}

static void
on_reset_button_clicked_cb (GtkButton *button,
                            Param     *p)
{
  param_show (p, NULL);
  dly_param_panel_refresh (p->panel);
}

static void
on_snap_button_clicked_cb (GtkButton *button,
                           Param     *p)
{
  dly_param_panel_snap (p->panel, g_param_spec_get_name (p->pspec));
}

/* An unset optional spin shows "Random" or "Auto" instead of its number. */
static gboolean
on_spin_output_cb (GtkSpinButton *spin,
                   Param         *p)
{
  if (p->optional && !p->is_set)
    {
      if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), param_auto_label (p)) != 0)
        gtk_editable_set_text (GTK_EDITABLE (spin), param_auto_label (p));
      return TRUE;
    }
  return FALSE;
}

/* Commits typed text: "Random"/"Auto" or nothing keeps an optional parameter unset; a
 * number sets it. */
static int
on_spin_input_cb (GtkSpinButton *spin,
                  double        *new_value,
                  Param         *p)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  double number;

  if (p->optional && (g_strcmp0 (text, param_auto_label (p)) == 0 || is_blank (text)))
    {
      p->is_set = FALSE;
      *new_value = gtk_spin_button_get_value (spin);
      return TRUE;
    }
  if (!parse_number (text, G_IS_PARAM_SPEC_INT64 (p->pspec), &number))
    return GTK_INPUT_ERROR;
  p->is_set = TRUE;
  *new_value = number;
  return TRUE;
}

/* The +/− buttons and arrow keys set an optional parameter too. */
static void
on_spin_value_changed_cb (GtkSpinButton *spin,
                          Param         *p)
{
  if (p->panel->updating > 0 || !p->optional || p->is_set)
    return;

  p->is_set = TRUE;
  {
    g_auto(GValue) value = G_VALUE_INIT;

    if (G_IS_PARAM_SPEC_INT64 (p->pspec))
      {
        g_value_init (&value, G_TYPE_INT64);
        g_value_set_int64 (&value, (gint64) gtk_spin_button_get_value (spin));
      }
    else
      {
        g_value_init (&value, G_TYPE_DOUBLE);
        g_value_set_double (&value, gtk_spin_button_get_value (spin));
      }
    param_show (p, &value);
  }
  dly_param_panel_refresh (p->panel);
}

/* --- building rows --- */

static guint
count_digits (gint64 number)
{
  guint digits = 1;

  for (number = llabs (number); number >= 10; number /= 10)
    digits++;
  return digits;
}

static GtkWidget *
make_suffix_button (const char *icon_name,
                    const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  return button;
}

static GtkWidget *
build_spin (Param *p)
{
  GtkAdjustment *adjustment;
  GtkWidget *spin;
  double lower, upper, step;
  guint digits = 0, width;

  if (G_IS_PARAM_SPEC_INT64 (p->pspec))
    {
      GParamSpecInt64 *ispec = G_PARAM_SPEC_INT64 (p->pspec);
      guint multiple = dly_param_get_multiple_of (p->pspec);

      lower = (double) ispec->minimum;
      upper = (double) ispec->maximum;
      /* The arrows step from one valid value to the next where there is a rule. */
      step = multiple > 1 ? multiple : dly_param_is_frame_count (p->pspec) ? 8 : 1;
      width = MAX (count_digits (ispec->minimum), count_digits (ispec->maximum));
    }
  else
    {
      GParamSpecDouble *dspec = G_PARAM_SPEC_DOUBLE (p->pspec);
      double range = dspec->maximum - dspec->minimum;

      lower = dspec->minimum;
      upper = dspec->maximum;
      digits = range <= 2 ? 2 : 1;
      step = range <= 2 ? 0.05 : range <= 30 ? 0.1 : 1;
      width = count_digits ((gint64) MAX (fabs (lower), fabs (upper))) + 1 + digits;
    }
  p->digits = digits;

  adjustment = gtk_adjustment_new (lower, lower, upper, step, step * 10, 0);
  spin = gtk_spin_button_new (adjustment, step, digits);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  /* Seeds go up to 2^53: show ten digits and scroll the rest. */
  width = CLAMP (width, 3, 10);
  if (p->optional)
    width = MAX (width, (guint) g_utf8_strlen (param_auto_label (p), -1));
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), (int) width);
  /* Not numeric: "Random" must be shown, and out-of-range text marked before it is clamped. */
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  g_param_spec_get_nick (p->pspec), -1);

  g_signal_connect (spin, "output", G_CALLBACK (on_spin_output_cb), p);
  g_signal_connect (spin, "input", G_CALLBACK (on_spin_input_cb), p);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_spin_value_changed_cb), p);
  g_signal_connect (spin, "changed", G_CALLBACK (on_param_edited_cb), p);
  return spin;
}

static GtkStringList *
build_choices (Param *p)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  const char *unit = dly_param_get_unit (p->pspec);
  const gint64 *ints;
  guint n_ints = 0;

  if (p->optional)
    gtk_string_list_append (list, param_auto_label (p));

  ints = dly_param_get_int_choices (p->pspec, &n_ints);
  if (ints != NULL)
    {
      p->choice_ints = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ints);
      g_array_append_vals (p->choice_ints, ints, n_ints);
      for (guint i = 0; i < n_ints; i++)
        {
          g_autofree char *label = unit != NULL
                                   ? g_strdup_printf ("%" G_GINT64_FORMAT " %s", ints[i], unit)
                                   : g_strdup_printf ("%" G_GINT64_FORMAT, ints[i]);

          gtk_string_list_append (list, label);
        }
    }
  else
    {
      p->choice_strings = g_strdupv ((char **) dly_param_get_choices (p->pspec));
      for (guint i = 0; p->choice_strings[i] != NULL; i++)
        gtk_string_list_append (list, p->choice_strings[i]);
    }
  return list;
}

static char *
param_dup_tooltip (Param *p)
{
  g_autofree char *rules = dly_param_describe_rules (p->pspec);
  const char *unit = dly_param_get_unit (p->pspec);
  const char *blurb = g_param_spec_get_blurb (p->pspec);
  GString *tooltip = g_string_new (blurb);

  if (tooltip->len > 0)
    g_string_append (tooltip, "\n");
  g_string_append (tooltip, rules);
  if (unit != NULL && !G_IS_PARAM_SPEC_STRING (p->pspec))
    g_string_append_printf (tooltip, " %s", unit);
  if (p->optional)
    g_string_append_printf (tooltip, "\n%s",
                            _("Optional: unless you set it, the backend chooses"));
  return g_string_free (tooltip, FALSE);
}

/* The default a profile sets, when this backend can take it. */
static void
param_init_default (Param      *p,
                    DlyProfile *profile)
{
  const char *text = profile != NULL
                     ? dly_profile_get_default (profile, g_param_spec_get_name (p->pspec))
                     : NULL;
  g_autoptr(GError) error = NULL;

  if (text != NULL && dly_param_parse (p->pspec, text, &p->default_value, &error))
    return;
  if (error != NULL)
    g_debug ("Ignoring the profile's default for %s: %s",
             g_param_spec_get_name (p->pspec), error->message);

  g_value_init (&p->default_value, G_PARAM_SPEC_VALUE_TYPE (p->pspec));
  g_param_value_set_default (p->pspec, &p->default_value);
}

static Param *
param_new (DlyParamPanel *self,
           GParamSpec    *pspec,
           DlyProfile    *profile)
{
  Param *p = g_new0 (Param, 1);
  const char *unit = dly_param_get_unit (pspec);
  const char *nick = g_param_spec_get_nick (pspec);
  const char *name = g_param_spec_get_name (pspec);
  g_autofree char *reset_tooltip = NULL;
  guint n_ints = 0;

  p->panel = self;
  p->pspec = g_param_spec_ref (pspec);
  p->optional = dly_param_is_optional (pspec);
  p->applicable = TRUE;
  p->frames = dly_param_is_frame_count (pspec) || g_str_has_suffix (name, "frames");
  param_init_default (p, profile);
  p->tooltip = param_dup_tooltip (p);

  if (dly_param_get_choices (pspec) != NULL || dly_param_get_int_choices (pspec, &n_ints) != NULL)
    {
      g_autoptr(GtkStringList) choices = build_choices (p);

      p->kind = KIND_COMBO;
      p->row = adw_combo_row_new ();
      adw_combo_row_set_model (ADW_COMBO_ROW (p->row), G_LIST_MODEL (choices));
      p->editor = p->row;
      g_signal_connect (p->row, "notify::selected", G_CALLBACK (on_param_notify_cb), p);
    }
  else if (G_IS_PARAM_SPEC_INT64 (pspec) || G_IS_PARAM_SPEC_DOUBLE (pspec))
    {
      p->kind = KIND_SPIN;
      p->row = adw_action_row_new ();
      p->editor = build_spin (p);
      p->snap_button = gtk_button_new_with_label ("");
      gtk_widget_set_valign (p->snap_button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (p->snap_button, "flat");
      gtk_widget_set_visible (p->snap_button, FALSE);
      g_signal_connect (p->snap_button, "clicked", G_CALLBACK (on_snap_button_clicked_cb), p);
      adw_action_row_add_suffix (ADW_ACTION_ROW (p->row), p->snap_button);
    }
  else if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    {
      p->kind = KIND_SWITCH;
      p->row = adw_action_row_new ();
      p->editor = gtk_switch_new ();
      gtk_widget_set_valign (p->editor, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (p->editor),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, nick, -1);
      g_signal_connect (p->editor, "notify::active", G_CALLBACK (on_param_notify_cb), p);
    }
  else
    {
      p->kind = KIND_ENTRY;
      p->row = adw_entry_row_new ();
      p->editor = p->row;
      g_signal_connect (p->row, "changed", G_CALLBACK (on_param_edited_cb), p);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (p->row), nick);
  /* Backend texts are shown as they are, not as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (p->row), FALSE);
  gtk_widget_set_tooltip_text (p->row, p->tooltip);
  gtk_widget_set_name (p->row, name);
  if (ADW_IS_ACTION_ROW (p->row))
    adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (p->row), 0);

  /* Translators: %s is a parameter's label, "Width" */
  reset_tooltip = g_strdup_printf (p->optional ? _("Let the Backend Choose the %s")
                                               : _("Reset %s to Default"), nick);
  p->reset_button = make_suffix_button (p->optional ? "edit-clear-symbolic" : "edit-undo-symbolic",
                                        reset_tooltip);
  gtk_widget_set_visible (p->reset_button, FALSE);
  g_signal_connect (p->reset_button, "clicked", G_CALLBACK (on_reset_button_clicked_cb), p);
  if (p->kind == KIND_ENTRY)
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (p->row), p->reset_button);
  else
    adw_action_row_add_suffix (ADW_ACTION_ROW (p->row), p->reset_button);

  if (p->kind == KIND_SPIN || p->kind == KIND_SWITCH)
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (p->row), p->editor);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (p->row), p->editor);
    }
  if (unit != NULL && p->kind == KIND_SPIN)
    {
      GtkWidget *label = gtk_label_new (unit);

      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (p->row), label);
    }

  param_show (p, NULL);
  return p;
}

/* --- the panel --- */

static Param *
find_param (DlyParamPanel *self,
            const char    *name)
{
  for (guint i = 0; self->params != NULL && i < self->params->len; i++)
    {
      Param *p = g_ptr_array_index (self->params, i);

      if (g_strcmp0 (g_param_spec_get_name (p->pspec), name) == 0)
        return p;
    }
  return NULL;
}

static void
emit_changed (DlyParamPanel *self)
{
  if (self->frozen > 0)
    {
      self->changed_pending = TRUE;
      return;
    }
  self->changed_pending = FALSE;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
dly_param_panel_refresh (DlyParamPanel *self)
{
  const char *first_error = NULL;
  gboolean any_changed = FALSE;

  for (guint i = 0; i < self->params->len; i++)
    {
      Param *p = g_ptr_array_index (self->params, i);

      param_refresh (p);
      if (first_error == NULL)
        first_error = p->error;
      any_changed |= !param_is_default (p);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->reset_all_button), any_changed);

  if (g_strcmp0 (first_error, self->error) != 0)
    {
      g_free (self->error);
      self->error = g_strdup (first_error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  emit_changed (self);
}

static void
on_reset_all_button_clicked_cb (GtkButton     *button,
                                DlyParamPanel *self)
{
  dly_param_panel_reset (self, NULL);
}

static void
clear_rows (DlyParamPanel *self)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  /* Params go first, disconnecting from rows that are still alive. */
  for (guint i = 0; i < self->params->len; i++)
    g_ptr_array_add (rows, g_object_ref (((Param *) g_ptr_array_index (self->params, i))->row));
  self->rate_param = NULL;
  g_ptr_array_set_size (self->params, 0);
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (self->group, g_ptr_array_index (rows, i));
}

static void
dly_param_panel_dispose (GObject *object)
{
  DlyParamPanel *self = DLY_PARAM_PANEL (object);

  /* Handlers point into the Params, which disconnect while the rows are still alive. */
  self->rate_param = NULL;
  g_clear_pointer (&self->params, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), DLY_TYPE_PARAM_PANEL);
  g_clear_object (&self->backend);

  G_OBJECT_CLASS (dly_param_panel_parent_class)->dispose (object);
}

static void
dly_param_panel_finalize (GObject *object)
{
  DlyParamPanel *self = DLY_PARAM_PANEL (object);

  g_free (self->error);

  G_OBJECT_CLASS (dly_param_panel_parent_class)->finalize (object);
}

static void
dly_param_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DlyParamPanel *self = DLY_PARAM_PANEL (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      g_value_set_object (value, self->backend);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_param_panel_class_init (DlyParamPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dly_param_panel_dispose;
  object_class->finalize = dly_param_panel_finalize;
  object_class->get_property = dly_param_panel_get_property;

  /**
   * DlyParamPanel:backend:
   * The backend whose parameters the rows show.
   */
  properties[PROP_BACKEND] =
    g_param_spec_object ("backend", NULL, NULL, DLY_TYPE_BACKEND,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * DlyParamPanel:error:
   * The first invalid value's reason, or %NULL.
   */
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlyParamPanel::changed:
   * A value, its validity or the set of rows changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-param-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, DlyParamPanel, group);
  gtk_widget_class_bind_template_child (widget_class, DlyParamPanel, reset_all_button);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_all_button_clicked_cb);
}

static void
dly_param_panel_init (DlyParamPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->params = g_ptr_array_new_with_free_func ((GDestroyNotify) param_free);
  self->modes = DLY_MODE_FLAG_ALL;
  /* Shown once there is a backend with parameters. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
dly_param_panel_new (void)
{
  return g_object_new (DLY_TYPE_PARAM_PANEL, NULL);
}

void
dly_param_panel_set_backend (DlyParamPanel *self,
                             DlyBackend    *backend,
                             DlyProfile    *profile)
{
  GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;

  g_return_if_fail (DLY_IS_PARAM_PANEL (self));
  g_return_if_fail (backend == NULL || DLY_IS_BACKEND (backend));

  self->frozen++;
  clear_rows (self);
  g_set_object (&self->backend, backend);

  if (backend != NULL)
    pspecs = dly_backend_list_params (backend, &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      Param *p = param_new (self, pspecs[i], profile);
      const char *name = g_param_spec_get_name (pspecs[i]);
      const char *unit = dly_param_get_unit (pspecs[i]);

      g_ptr_array_add (self->params, p);
      adw_preferences_group_add (self->group, p->row);
      if (self->rate_param == NULL && p->kind == KIND_SPIN
          && (g_strcmp0 (name, "frame_rate") == 0 || g_strcmp0 (name, "fps") == 0
              || g_strcmp0 (unit, "fps") == 0))
        self->rate_param = p;
    }

  adw_preferences_group_set_description (self->group,
                                         backend != NULL ? dly_backend_get_label (backend) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), n_pspecs > 0);
  dly_param_panel_set_modes (self, self->modes);
  dly_param_panel_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKEND]);
  self->frozen--;
  emit_changed (self);
}

DlyBackend *
dly_param_panel_get_backend (DlyParamPanel *self)
{
  g_return_val_if_fail (DLY_IS_PARAM_PANEL (self), NULL);
  return self->backend;
}

void
dly_param_panel_set_modes (DlyParamPanel *self,
                           DlyModeFlags   modes)
{
  gboolean changed = FALSE;

  g_return_if_fail (DLY_IS_PARAM_PANEL (self));

  self->modes = modes;
  for (guint i = 0; i < self->params->len; i++)
    {
      Param *p = g_ptr_array_index (self->params, i);
      gboolean applicable = (dly_param_get_modes (p->pspec) & modes) != 0;

      changed |= applicable != p->applicable;
      p->applicable = applicable;
    }
  if (changed)
    dly_param_panel_refresh (self);
}

GtkWidget *
dly_param_panel_get_row (DlyParamPanel *self,
                         const char    *name)
{
  Param *p;

  g_return_val_if_fail (DLY_IS_PARAM_PANEL (self), NULL);
  p = find_param (self, name);
  return p != NULL ? p->row : NULL;
}

gboolean
dly_param_panel_get_value (DlyParamPanel *self,
                           const char    *name,
                           GValue        *value)
{
  Param *p;
  g_auto(GValue) read = G_VALUE_INIT;

  g_return_val_if_fail (DLY_IS_PARAM_PANEL (self), FALSE);
  p = find_param (self, name);
  if (p == NULL || param_read (p, &read, NULL) != READ_VALUE)
    return FALSE;
  g_value_init (value, G_VALUE_TYPE (&read));
  g_value_copy (&read, value);
  return TRUE;
}

/* Converts @value for @p's row without judging the rules (a template may hold a value that
 * the row should show as invalid). */
static gboolean
convert_for_row (Param        *p,
                 const GValue *value,
                 GValue       *out)
{
  GType want = G_PARAM_SPEC_VALUE_TYPE (p->pspec);

  g_value_init (out, want);
  if (g_value_type_transformable (G_VALUE_TYPE (value), want)
      && !(G_VALUE_HOLDS_STRING (value) && want != G_TYPE_STRING))
    return g_value_transform (value, out);
  g_value_unset (out);
  return FALSE;
}

gboolean
dly_param_panel_set_value (DlyParamPanel *self,
                           const char    *name,
                           const GValue  *value,
                           GError       **error)
{
  g_auto(GValue) normalized = G_VALUE_INIT;
  g_autoptr(GError) local_error = NULL;
  Param *p;

  g_return_val_if_fail (DLY_IS_PARAM_PANEL (self), FALSE);

  p = find_param (self, name);
  if (p == NULL)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("%s has no parameter “%s”"),
                   self->backend ? dly_backend_get_label (self->backend) : "", name);
      return FALSE;
    }

  if (value == NULL)
    param_show (p, NULL);
  else if (dly_param_validate (p->pspec, value, &normalized, &local_error))
    param_show (p, &normalized);
  else
    {
      g_auto(GValue) shown = G_VALUE_INIT;

      /* A spin can show a number that breaks a multiple or 8k+1 rule, marked invalid. */
      if (p->kind == KIND_SPIN && convert_for_row (p, value, &shown))
        param_show (p, &shown);
      dly_param_panel_refresh (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  dly_param_panel_refresh (self);
  return TRUE;
}

gboolean
dly_param_panel_is_default (DlyParamPanel *self,
                            const char    *name)
{
  Param *p;

  g_return_val_if_fail (DLY_IS_PARAM_PANEL (self), FALSE);
  p = find_param (self, name);
  return p == NULL || param_is_default (p);
}

void
dly_param_panel_reset (DlyParamPanel *self,
                       const char    *name)
{
  g_return_if_fail (DLY_IS_PARAM_PANEL (self));

  for (guint i = 0; i < self->params->len; i++)
    {
      Param *p = g_ptr_array_index (self->params, i);

      if (name == NULL || g_strcmp0 (g_param_spec_get_name (p->pspec), name) == 0)
        param_show (p, NULL);
    }
  dly_param_panel_refresh (self);
}

gboolean
dly_param_panel_snap (DlyParamPanel *self,
                      const char    *name)
{
  g_auto(GValue) value = G_VALUE_INIT;
  Param *p;
  double number;

  g_return_val_if_fail (DLY_IS_PARAM_PANEL (self), FALSE);

  p = find_param (self, name);
  if (p == NULL || p->kind != KIND_SPIN || !G_IS_PARAM_SPEC_INT64 (p->pspec)
      || param_read (p, &value, NULL) != READ_INVALID
      || !parse_number (gtk_editable_get_text (GTK_EDITABLE (p->editor)), TRUE, &number))
    return FALSE;

  g_value_init (&value, G_TYPE_INT64);
  g_value_set_int64 (&value, dly_param_snap_int (p->pspec, (gint64) number));
  param_show (p, &value);
  dly_param_panel_refresh (self);
  return TRUE;
}

const char *
dly_param_panel_get_row_error (DlyParamPanel *self,
                               const char    *name)
{
  Param *p;

  g_return_val_if_fail (DLY_IS_PARAM_PANEL (self), NULL);
  p = find_param (self, name);
  return p != NULL ? p->error : NULL;
}

const char *
dly_param_panel_get_error (DlyParamPanel *self)
{
  g_return_val_if_fail (DLY_IS_PARAM_PANEL (self), NULL);
  return self->error;
}

GtkWidget *
dly_param_panel_focus_error (DlyParamPanel *self)
{
  g_return_val_if_fail (DLY_IS_PARAM_PANEL (self), NULL);

  for (guint i = 0; i < self->params->len; i++)
    {
      Param *p = g_ptr_array_index (self->params, i);

      if (p->error != NULL)
        {
          gtk_widget_grab_focus (p->editor);
          return p->row;
        }
    }
  return NULL;
}

void
dly_param_panel_apply_to_request (DlyParamPanel *self,
                                  DlyRequest    *request)
{
  g_return_if_fail (DLY_IS_PARAM_PANEL (self));
  g_return_if_fail (DLY_IS_REQUEST (request));

  for (guint i = 0; i < self->params->len; i++)
    {
      Param *p = g_ptr_array_index (self->params, i);
      const char *name = g_param_spec_get_name (p->pspec);
      g_auto(GValue) value = G_VALUE_INIT;

      if (param_read (p, &value, NULL) == READ_VALUE)
        dly_request_set_param (request, name, &value);
      else
        dly_request_unset_param (request, name);
    }
}

void
dly_param_panel_load_request (DlyParamPanel *self,
                              DlyRequest    *request)
{
  g_return_if_fail (DLY_IS_PARAM_PANEL (self));
  g_return_if_fail (DLY_IS_REQUEST (request));

  self->frozen++;
  for (guint i = 0; i < self->params->len; i++)
    {
      Param *p = g_ptr_array_index (self->params, i);
      const char *name = g_param_spec_get_name (p->pspec);
      const GValue *value = dly_request_get_param (request, name);
      g_autoptr(GError) error = NULL;

      if (value == NULL)
        param_show (p, NULL);
      else if (!dly_param_panel_set_value (self, name, value, &error))
        g_debug ("The request's %s is not valid here: %s", name, error->message);
    }
  dly_param_panel_refresh (self);
  self->frozen--;
  if (self->changed_pending)
    emit_changed (self);
}

JsonObject *
dly_param_panel_dup_changes (DlyParamPanel *self)
{
  JsonObject *changes = json_object_new ();

  g_return_val_if_fail (DLY_IS_PARAM_PANEL (self), changes);

  for (guint i = 0; i < self->params->len; i++)
    {
      Param *p = g_ptr_array_index (self->params, i);
      const char *name = g_param_spec_get_name (p->pspec);
      g_auto(GValue) value = G_VALUE_INIT;

      if (param_is_default (p) || param_read (p, &value, NULL) != READ_VALUE)
        continue;
      if (G_VALUE_HOLDS_INT64 (&value))
        json_object_set_int_member (changes, name, g_value_get_int64 (&value));
      else if (G_VALUE_HOLDS_DOUBLE (&value))
        json_object_set_double_member (changes, name, g_value_get_double (&value));
      else if (G_VALUE_HOLDS_BOOLEAN (&value))
        json_object_set_boolean_member (changes, name, g_value_get_boolean (&value));
      else
        json_object_set_string_member (changes, name, g_value_get_string (&value));
    }
  return changes;
}

void
dly_param_panel_load_changes (DlyParamPanel *self,
                              JsonObject    *changes)
{
  g_autoptr(GList) members = NULL;

  g_return_if_fail (DLY_IS_PARAM_PANEL (self));
  g_return_if_fail (changes != NULL);

  self->frozen++;
  members = json_object_get_members (changes);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (changes, l->data);
      g_auto(GValue) value = G_VALUE_INIT;
      g_auto(GValue) normalized = G_VALUE_INIT;
      Param *p = find_param (self, l->data);

      if (p == NULL || !JSON_NODE_HOLDS_VALUE (node))
        continue;
      json_node_get_value (node, &value);
      /* Only valid values: a setting must not start the app with a blocked Generate. */
      if (dly_param_validate (p->pspec, &value, &normalized, NULL))
        param_show (p, &normalized);
    }
  dly_param_panel_refresh (self);
  self->frozen--;
  if (self->changed_pending)
    emit_changed (self);
}
