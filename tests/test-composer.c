/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The composer in real windows under a display: the parameter panel built from every
 * dialect's GParamSpecs, invalid values blocking Generate with their reason and the snap
 * that fixes them, the mode following the inputs, input checks, the request round trip,
 * seeds for several takes, backend health against the in-process simulator and a closed
 * port, settings, and screenshots at sidebar widths for a person to look at. Profiles are
 * kept in memory in a store over a temporary file; keys come from the environment. */
#include "config.h"

#include "dly-test-ui.h"

#include <adwaita.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>

#include "dly-composer.h"
#include "dly-input-picker.h"
#include "dly-param-panel.h"
#include "dly-sim.h"

#define WAIT_SECONDS 20
#define KEY_VARIABLE "DAILIES_TEST_COMPOSER_KEY"

static AdwApplication *app;
static char *work_dir;

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_UNTIL(cond)                                                       \
  G_STMT_START {                                                               \
    gboolean timed_out_ = FALSE;                                               \
    guint id_ = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, &timed_out_); \
    while (!(cond) && !timed_out_)                                             \
      g_main_context_iteration (NULL, TRUE);                                   \
    if (timed_out_)                                                            \
      g_error ("Timed out waiting for %s", #cond);                             \
    g_source_remove (id_);                                                     \
  } G_STMT_END

static void
iterate_for (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* --- widgets --- */

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button_with_label (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget)
      && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_focus_within (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Visible on screen: the widget and every ancestor. */
static gboolean
is_shown (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget))
      return FALSE;
  return TRUE;
}

static gboolean
transitions_running (GtkWidget *widget)
{
  if (GTK_IS_REVEALER (widget)
      && gtk_revealer_get_child_revealed (GTK_REVEALER (widget))
         != gtk_revealer_get_reveal_child (GTK_REVEALER (widget)))
    return TRUE;
  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (transitions_running (child))
      return TRUE;
  return FALSE;
}

/* A scrolled window that follows the focus glides there over a few frames. */
static void
wait_for_scrolling (GtkWidget *widget)
{
  GtkWidget *scroller = find_descendant (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  double last = -1;

  if (scroller == NULL)
    return;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  while (gtk_adjustment_get_value (adjustment) != last)
    {
      last = gtk_adjustment_get_value (adjustment);
      iterate_for (100);
    }
}

/* Renders @widget as it is on screen, once it has settled, into the build directory. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  WAIT_UNTIL (!transitions_running (widget));
  wait_for_scrolling (widget);
  /* After the last frame: a paintable keeps the picture of the moment it was made. */
  gtk_test_widget_wait_for_draw (widget);
  dly_test_save_screenshot (widget, name);
}

/* --- fixtures --- */

static char *
work_path (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

/* A real PNG of @width × @height. */
static char *
make_png (const char *name,
          int         width,
          int         height)
{
  g_autofree guchar *pixels = g_malloc (width * height * 4);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  char *path = work_path (name);

  for (int i = 0; i < width * height; i++)
    {
      pixels[i * 4 + 0] = (guchar) (i % width * 255 / width);
      pixels[i * 4 + 1] = (guchar) (i / width * 255 / height);
      pixels[i * 4 + 2] = 160;
      pixels[i * 4 + 3] = 255;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&pixels), width * height * 4);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, width * 4);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return path;
}

/* One second of a 440 Hz tone as 16-bit mono PCM WAV. */
static char *
make_wav (const char *name)
{
  const guint32 rate = 8000, samples = 8000;
  g_autoptr(GByteArray) wav = g_byte_array_new ();
  char *path = work_path (name);
  guint32 u32;
  guint16 u16;

#define PUT(bytes, n) g_byte_array_append (wav, (const guint8 *) (bytes), (n))
#define PUT32(v) (u32 = GUINT32_TO_LE (v), PUT (&u32, 4))
#define PUT16(v) (u16 = GUINT16_TO_LE (v), PUT (&u16, 2))
  PUT ("RIFF", 4); PUT32 (36 + samples * 2); PUT ("WAVE", 4);
  PUT ("fmt ", 4); PUT32 (16); PUT16 (1); PUT16 (1); PUT32 (rate); PUT32 (rate * 2);
  PUT16 (2); PUT16 (16);
  PUT ("data", 4); PUT32 (samples * 2);
  for (guint32 i = 0; i < samples; i++)
    PUT16 ((guint16) (gint16) (8000 * sin (2 * G_PI * 440 * i / rate)));
#undef PUT16
#undef PUT32
#undef PUT

  g_assert_true (g_file_set_contents (path, (const char *) wav->data, wav->len, NULL));
  return path;
}

static DlyProfileStore *
new_store (void)
{
  g_autofree char *path = work_path ("profiles.ini");
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return dly_profile_store_new_for_file (file);
}

static DlyProfile *
add_profile (DlyProfileStore *store,
             const char      *name,
             const char      *dialect,
             const char      *base_url)
{
  g_autoptr(DlyProfile) profile = dly_profile_new (name, dialect, base_url);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (dialect, "ltxv-task") != 0 && g_strcmp0 (dialect, "ltx2-server") != 0)
    dly_profile_set_key_source (profile, DLY_KEY_SOURCE_ENV, KEY_VARIABLE);
  g_assert_true (dly_profile_store_add (store, profile, &error));
  g_assert_no_error (error);
  return dly_profile_store_lookup (store, name);
}

static const char *
base_url_for (const char *dialect)
{
  if (g_strcmp0 (dialect, "runpod") == 0)
    return "https://api.runpod.ai/v2/test-endpoint";
  if (g_strcmp0 (dialect, "apixo") == 0)
    return "https://api.apixo.ai";
  if (g_strcmp0 (dialect, "segmind") == 0)
    return "https://api.segmind.com";
  return "http://127.0.0.1:9";
}

typedef struct
{
  GtkWindow       *window;
  DlyComposer     *composer;
  DlyProfileStore *store;
} Fixture;

/* The key lookup is asynchronous even when there is none to look up. */
static void
wait_backend_ready (DlyComposer *composer)
{
  WAIT_UNTIL (dly_composer_get_health (composer) != DLY_COMPOSER_HEALTH_CHECKING
              && g_strcmp0 (dly_composer_get_blocked_reason (composer),
                            "Looking up the backend’s key…") != 0);
}

static void
fixture_open (Fixture    *f,
              const char *dialect,
              int         width,
              int         height)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  f->store = new_store ();
  if (dialect != NULL)
    add_profile (f->store, dialect, dialect, base_url_for (dialect));

  f->composer = DLY_COMPOSER (dly_composer_new ());
  dly_composer_set_profile_store (f->composer, f->store);
  gtk_widget_set_vexpand (GTK_WIDGET (f->composer), TRUE);

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("Compose", NULL));
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->composer));
  f->window = GTK_WINDOW (adw_window_new ());
  gtk_application_add_window (GTK_APPLICATION (app), f->window);
  adw_window_set_content (ADW_WINDOW (f->window), box);
  gtk_window_set_default_size (f->window, width, height);
  gtk_window_present (f->window);

  if (dialect != NULL)
    wait_backend_ready (f->composer);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

static void
fixture_close (Fixture *f)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->store);
}

static DlyParamPanel *
panel_of (Fixture *f)
{
  return DLY_PARAM_PANEL (dly_composer_get_param_panel (f->composer));
}

static GtkSpinButton *
spin_of (DlyParamPanel *panel,
         const char    *name)
{
  GtkWidget *row = dly_param_panel_get_row (panel, name);

  g_assert_nonnull (row);
  return GTK_SPIN_BUTTON (find_descendant (row, GTK_TYPE_SPIN_BUTTON));
}

/* Types into a spin button as a user would, without committing. */
static void
type_into (DlyParamPanel *panel,
           const char    *name,
           const char    *text)
{
  gtk_editable_set_text (GTK_EDITABLE (spin_of (panel, name)), text);
}

/* Ctrl+Enter as the composer's own shortcut handles it. */
static gboolean
press_ctrl_enter (DlyComposer *composer)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (composer));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (strstr (trigger, "<Control>Return") != NULL)
            {
              g_assert_cmpint (gtk_event_controller_get_propagation_phase (controller), ==,
                               GTK_PHASE_CAPTURE);
              return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                   GTK_WIDGET (composer), NULL);
            }
        }
    }
  g_assert_not_reached ();
  return FALSE;
}

static void
on_generate (DlyComposer *composer,
             DlyProfile  *profile,
             GPtrArray   *requests,
             GPtrArray  **out)
{
  g_assert_true (DLY_IS_PROFILE (profile));
  g_assert_null (*out);
  *out = g_ptr_array_ref (requests);
}

static void
on_count (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

/* --- the panel from every dialect --- */

static void
check_row_for_pspec (DlyParamPanel *panel,
                     GParamSpec    *pspec)
{
  const char *name = g_param_spec_get_name (pspec);
  GtkWidget *row = dly_param_panel_get_row (panel, name);
  g_auto(GValue) expected = G_VALUE_INIT;
  g_auto(GValue) shown = G_VALUE_INIT;
  g_autofree char *rules = dly_param_describe_rules (pspec);
  const char *tooltip;
  guint n_ints = 0;

  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   g_param_spec_get_nick (pspec));
  /* The tooltip is the blurb and the rules. */
  tooltip = gtk_widget_get_tooltip_text (row);
  g_assert_nonnull (strstr (tooltip, g_param_spec_get_blurb (pspec)));
  g_assert_nonnull (strstr (tooltip, rules));
  g_assert_true (dly_param_panel_is_default (panel, name));
  g_assert_null (dly_param_panel_get_row_error (panel, name));

  g_value_init (&expected, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_param_value_set_default (pspec, &expected);

  if (dly_param_get_choices (pspec) != NULL || dly_param_get_int_choices (pspec, &n_ints) != NULL)
    {
      GObject *item;
      g_autofree char *text = NULL;

      /* Choices: a combo row showing the default. */
      g_assert_true (ADW_IS_COMBO_ROW (row));
      item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (row));
      g_assert_true (GTK_IS_STRING_OBJECT (item));
      if (G_VALUE_HOLDS_STRING (&expected))
        text = g_value_dup_string (&expected);
      else if (dly_param_get_unit (pspec) != NULL)
        text = g_strdup_printf ("%" G_GINT64_FORMAT " %s", g_value_get_int64 (&expected),
                                dly_param_get_unit (pspec));
      else
        text = g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&expected));
      g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), ==, text);
    }
  else if (G_IS_PARAM_SPEC_INT64 (pspec) || G_IS_PARAM_SPEC_DOUBLE (pspec))
    {
      GtkSpinButton *spin = spin_of (panel, name);
      GtkAdjustment *adjustment;
      double number = G_VALUE_HOLDS_INT64 (&expected) ? (double) g_value_get_int64 (&expected)
                                                      : g_value_get_double (&expected);

      /* Ranges: an action row with a spin button over the range, at the default. */
      g_assert_true (ADW_IS_ACTION_ROW (row) && !ADW_IS_COMBO_ROW (row));
      g_assert_nonnull (spin);
      adjustment = gtk_spin_button_get_adjustment (spin);
      g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (spin), number, 1e-9);
      if (G_IS_PARAM_SPEC_INT64 (pspec))
        {
          g_assert_cmpfloat (gtk_adjustment_get_lower (adjustment), ==,
                             (double) G_PARAM_SPEC_INT64 (pspec)->minimum);
          g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), ==,
                             (double) G_PARAM_SPEC_INT64 (pspec)->maximum);
        }
      else
        {
          g_assert_cmpfloat (gtk_adjustment_get_lower (adjustment), ==,
                             G_PARAM_SPEC_DOUBLE (pspec)->minimum);
          g_assert_cmpuint (gtk_spin_button_get_digits (spin), >, 0);
        }
      if (dly_param_get_unit (pspec) != NULL)
        g_assert_nonnull (find_label (row, dly_param_get_unit (pspec)));
    }
  else if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    {
      GtkWidget *toggle = find_descendant (row, GTK_TYPE_SWITCH);

      g_assert_nonnull (toggle);
      g_assert_cmpint (gtk_switch_get_active (GTK_SWITCH (toggle)), ==,
                       g_value_get_boolean (&expected));
    }
  else
    {
      g_assert_true (ADW_IS_ENTRY_ROW (row));
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==,
                       g_value_get_string (&expected) ? g_value_get_string (&expected) : "");
    }

  if (dly_param_is_optional (pspec))
    {
      GtkSpinButton *spin = GTK_SPIN_BUTTON (find_descendant (row, GTK_TYPE_SPIN_BUTTON));

      /* Unset: the backend picks, and the row says so; nothing is sent. */
      g_assert_false (dly_param_panel_get_value (panel, name, &shown));
      if (spin != NULL)
        g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==,
                         strstr (name, "seed") ? "Random" : "Auto");
    }
  else
    {
      g_assert_true (dly_param_panel_get_value (panel, name, &shown));
      g_assert_true (g_param_values_cmp (pspec, &shown, &expected) == 0);
    }
}

static void
test_panel_dialect (gconstpointer data)
{
  const char *dialect = data;
  g_autoptr(DlyBackend) backend = dly_backend_new_for_dialect (dialect, base_url_for (dialect),
                                                               NULL);
  DlyParamPanel *panel = DLY_PARAM_PANEL (dly_param_panel_new ());
  g_autoptr(DlyRequest) request = dly_request_new ();
  GParamSpec **pspecs;
  guint n_pspecs = 0;

  g_object_ref_sink (panel);
  g_assert_nonnull (backend);
  dly_param_panel_set_backend (panel, backend, NULL);
  pspecs = dly_backend_list_params (backend, &n_pspecs);
  g_assert_cmpuint (n_pspecs, >, 0);

  for (guint i = 0; i < n_pspecs; i++)
    check_row_for_pspec (panel, pspecs[i]);
  g_assert_null (dly_param_panel_get_error (panel));

  /* What is sent: every value that is not optional, at its default. */
  dly_param_panel_apply_to_request (panel, request);
  for (guint i = 0; i < n_pspecs; i++)
    g_assert_cmpint (dly_request_get_param (request, g_param_spec_get_name (pspecs[i])) != NULL,
                     ==, !dly_param_is_optional (pspecs[i]));
  g_assert_true (dly_backend_validate (backend, request, NULL, NULL)
                 || dly_backend_has_api_key (backend) == FALSE);

  g_object_unref (panel);
}

/* A profile's defaults replace the backend's, and a reset goes back to them. */
static void
test_panel_profile_defaults (void)
{
  g_autoptr(DlyBackend) backend = dly_backend_new_for_dialect ("ltx2-server", base_url_for (NULL),
                                                               NULL);
  g_autoptr(DlyProfile) profile = dly_profile_new ("studio", "ltx2-server", base_url_for (NULL));
  DlyParamPanel *panel = DLY_PARAM_PANEL (dly_param_panel_new ());
  g_auto(GValue) value = G_VALUE_INIT;
  GtkWidget *reset;

  g_object_ref_sink (panel);
  dly_profile_set_default (profile, "width", "1024");
  dly_param_panel_set_backend (panel, backend, profile);

  g_assert_true (dly_param_panel_get_value (panel, "width", &value));
  g_assert_cmpint (g_value_get_int64 (&value), ==, 1024);
  g_assert_true (dly_param_panel_is_default (panel, "width"));

  type_into (panel, "width", "1280");
  g_assert_false (dly_param_panel_is_default (panel, "width"));
  reset = find_descendant (dly_param_panel_get_row (panel, "width"), GTK_TYPE_BUTTON);
  /* The reset button shows only on a changed row. */
  for (; reset != NULL && !gtk_widget_get_visible (reset);
       reset = gtk_widget_get_next_sibling (reset))
    ;
  g_assert_nonnull (reset);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (reset), ==, "Reset Width to Default");
  g_signal_emit_by_name (reset, "clicked");
  g_value_unset (&value);
  g_assert_true (dly_param_panel_get_value (panel, "width", &value));
  g_assert_cmpint (g_value_get_int64 (&value), ==, 1024);
  g_assert_false (gtk_widget_get_visible (reset));

  g_object_unref (panel);
}

/* --- invalid values --- */

static void
test_invalid_width (void)
{
  Fixture f;
  DlyParamPanel *panel;
  GtkWidget *row, *snap;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GPtrArray) generated = NULL;

  fixture_open (&f, "ltx2-server", 400, 800);
  panel = panel_of (&f);
  g_signal_connect (f.composer, "generate", G_CALLBACK (on_generate), &generated);

  dly_composer_set_prompt (f.composer, "Cinematic medium shot of a lighthouse at dusk.");
  g_assert_true (dly_composer_get_can_generate (f.composer));
  g_assert_null (dly_composer_get_blocked_reason (f.composer));

  /* The rule is in view before it is broken. */
  row = dly_param_panel_get_row (panel, "width");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "A multiple of 64");

  type_into (panel, "width", "250");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "multiple of 64"));
  g_assert_false (dly_composer_get_can_generate (f.composer));
  g_assert_nonnull (strstr (dly_composer_get_blocked_reason (f.composer), "multiple of 64"));
  g_assert_nonnull (find_label (GTK_WIDGET (f.composer), "width must be a multiple of 64"));

  /* Nothing invalid goes out: the action does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (f.composer), "composer.generate", NULL);
  g_assert_null (generated);

  /* Ctrl+Enter, and "Show", take the user to the row, scrolled into view. */
  gtk_widget_grab_focus (GTK_WIDGET (dly_composer_get_prompt_view (f.composer)));
  g_assert_true (press_ctrl_enter (f.composer));
  g_assert_null (generated);
  g_assert_true (has_focus_within (GTK_WIDGET (spin_of (panel, "width"))));
  gtk_widget_grab_focus (GTK_WIDGET (dly_composer_get_prompt_view (f.composer)));
  gtk_widget_activate_action (GTK_WIDGET (f.composer), "composer.show-problem", NULL);
  g_assert_true (has_focus_within (GTK_WIDGET (spin_of (panel, "width"))));
  save_screenshot (GTK_WIDGET (f.window), "composer-invalid-400x800.png");

  /* The snap button offers the nearest multiple and fixes the row. */
  snap = find_button_with_label (row, "Use 256");
  g_assert_nonnull (snap);
  g_signal_emit_by_name (snap, "clicked");
  g_assert_true (dly_param_panel_get_value (panel, "width", &value));
  g_assert_cmpint (g_value_get_int64 (&value), ==, 256);
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_true (dly_composer_get_can_generate (f.composer));
  g_assert_null (dly_composer_get_blocked_reason (f.composer));
  g_assert_true (press_ctrl_enter (f.composer));
  g_assert_nonnull (generated);
  g_assert_cmpint (g_value_get_int64 (dly_request_get_param (generated->pdata[0], "width")), ==,
                   256);

  /* Out of range while typing is marked too, before the spin button clamps it. */
  type_into (panel, "height", "5000");
  g_assert_nonnull (strstr (dly_composer_get_blocked_reason (f.composer), "between 64 and 3840"));
  dly_param_panel_reset (panel, "height");
  g_assert_true (dly_composer_get_can_generate (f.composer));

  fixture_close (&f);
}

static void
test_invalid_frames (void)
{
  Fixture f;
  DlyParamPanel *panel;
  GtkWidget *row;
  g_auto(GValue) value = G_VALUE_INIT;

  fixture_open (&f, "ltx2-server", 400, 800);
  panel = panel_of (&f);
  dly_composer_set_prompt (f.composer, "A slow dolly back from a sleeping cat.");
  g_assert_true (dly_composer_get_can_generate (f.composer));

  /* The duration is shown from frames and frame rate: 121 / 25. */
  row = dly_param_panel_get_row (panel, "num_frames");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "4.84 s at 25 fps"));
  type_into (panel, "frame_rate", "24");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "5.04 s at 24 fps"));

  type_into (panel, "num_frames", "120");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "8k+1"));
  g_assert_false (dly_composer_get_can_generate (f.composer));
  g_assert_nonnull (strstr (dly_composer_get_blocked_reason (f.composer), "num_frames must be 8k+1"));
  g_assert_nonnull (find_button_with_label (row, "Use 121"));

  g_assert_true (dly_param_panel_snap (panel, "num_frames"));
  g_assert_true (dly_param_panel_get_value (panel, "num_frames", &value));
  g_assert_cmpint (g_value_get_int64 (&value), ==, 121);
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_true (dly_composer_get_can_generate (f.composer));

  /* Not a number at all. */
  type_into (panel, "num_inference_steps", "forty");
  g_assert_cmpstr (dly_composer_get_blocked_reason (f.composer), ==, "Enter a whole number");
  dly_param_panel_reset (panel, NULL);
  g_assert_null (dly_param_panel_get_error (panel));
  g_assert_true (dly_composer_get_can_generate (f.composer));

  fixture_close (&f);
}

/* --- mode and inputs --- */

static void
test_mode_runpod (void)
{
  Fixture f;
  DlyParamPanel *panel;
  DlyMode mode;
  GtkWidget *duration;

  g_setenv (KEY_VARIABLE, "test-key", TRUE);
  fixture_open (&f, "runpod", 400, 800);
  panel = panel_of (&f);

  /* RunPod animates a portrait: without one there is no mode, and Generate says so. */
  g_assert_false (dly_composer_get_mode (f.composer, &mode));
  g_assert_false (dly_composer_get_can_generate (f.composer));
  g_assert_nonnull (strstr (dly_composer_get_blocked_reason (f.composer), "portrait"));
  g_assert_true (is_shown (dly_composer_get_audio_picker (f.composer)));

  dly_composer_set_image (f.composer, "https://example.com/portrait.jpg");
  g_assert_true (dly_composer_get_mode (f.composer, &mode));
  g_assert_cmpint (mode, ==, DLY_MODE_AUDIO_GENERATION);
  g_assert_true (dly_composer_get_can_generate (f.composer));
  duration = dly_param_panel_get_row (panel, "duration");
  g_assert_true (gtk_widget_get_sensitive (duration));

  dly_composer_set_audio (f.composer, "https://example.com/speech.mp3");
  g_assert_true (dly_composer_get_mode (f.composer, &mode));
  g_assert_cmpint (mode, ==, DLY_MODE_LIP_SYNC);
  g_assert_nonnull (find_label (GTK_WIDGET (f.composer), "Lip-sync"));
  /* The duration follows the audio in lip-sync: the row is dimmed and says when it counts. */
  g_assert_false (gtk_widget_get_sensitive (duration));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (duration)), ==,
                   "Only for audio generation");
  g_assert_true (dly_composer_get_can_generate (f.composer));
  /* RunPod ignores the negative prompt only in lip-sync; it is shown for the backend. */
  save_screenshot (GTK_WIDGET (f.window), "composer-runpod-lipsync-400x800.png");

  fixture_close (&f);
}

static void
test_mode_ltx2_image (void)
{
  Fixture f;
  g_autofree char *image = make_png ("frame.png", 96, 64);
  DlyInputPicker *picker;
  DlyMode mode;

  fixture_open (&f, "ltx2-server", 400, 800);
  picker = DLY_INPUT_PICKER (dly_composer_get_image_picker (f.composer));
  dly_composer_set_prompt (f.composer, "The lighthouse beam sweeps across the fog.");

  g_assert_true (dly_composer_get_mode (f.composer, &mode));
  g_assert_cmpint (mode, ==, DLY_MODE_TEXT_TO_VIDEO);
  /* LTX-2 server takes no audio: no audio picker, and no negative prompt either. */
  g_assert_false (is_shown (dly_composer_get_audio_picker (f.composer)));
  g_assert_false (is_shown (find_descendant (GTK_WIDGET (f.composer), ADW_TYPE_ENTRY_ROW)));

  /* A local image: read off the main thread, then image to video. */
  dly_composer_set_image (f.composer, image);
  WAIT_UNTIL (!dly_input_picker_get_busy (picker));
  g_assert_null (dly_input_picker_get_error (picker));
  g_assert_nonnull (strstr (dly_input_picker_get_details (picker), "96 × 64"));
  g_assert_nonnull (strstr (dly_input_picker_get_details (picker), "PNG"));
  g_assert_true (dly_composer_get_mode (f.composer, &mode));
  g_assert_cmpint (mode, ==, DLY_MODE_IMAGE_TO_VIDEO);
  WAIT_UNTIL (dly_composer_get_can_generate (f.composer));
  g_assert_nonnull (find_label (GTK_WIDGET (f.composer), "Image to video"));
  /* Parameters for text to video only are dimmed now. */
  g_assert_false (gtk_widget_get_sensitive (
    dly_param_panel_get_row (panel_of (&f), "cfg_scale_audio")));
  save_screenshot (GTK_WIDGET (f.window), "composer-image-480x800.png");

  /* A file:// URI is kept as its path; removing it goes back to text to video. */
  {
    g_autofree char *uri = g_filename_to_uri (image, NULL, NULL);

    dly_composer_set_image (f.composer, uri);
    g_assert_cmpstr (dly_input_picker_get_location (picker), ==, image);
  }
  gtk_widget_activate_action (GTK_WIDGET (picker), "picker.remove", NULL);
  g_assert_null (dly_input_picker_get_location (picker));
  g_assert_true (dly_composer_get_mode (f.composer, &mode));
  g_assert_cmpint (mode, ==, DLY_MODE_TEXT_TO_VIDEO);

  fixture_close (&f);
}

static void
test_inputs_checked (void)
{
  Fixture f;
  g_autofree char *image = make_png ("portrait.png", 32, 32);
  g_autofree char *big = make_png ("huge.png", 32, 32);
  g_autofree char *gif = work_path ("still.gif");
  g_autofree char *missing = work_path ("missing.png");
  g_autofree char *padding = g_malloc0 (11 * 1000 * 1000);
  DlyInputPicker *picker;
  g_autoptr(GFile) big_file = g_file_new_for_path (big);
  g_autoptr(GFileOutputStream) stream = NULL;
  static const char gif_bytes[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";

  /* A real PNG with 11 MB after it: still a PNG, but too large. */
  stream = g_file_append_to (big_file, G_FILE_CREATE_NONE, NULL, NULL);
  g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (stream), padding, 11 * 1000 * 1000,
                                            NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, NULL));
  g_assert_true (g_file_set_contents (gif, gif_bytes, sizeof gif_bytes - 1, NULL));

  g_setenv (KEY_VARIABLE, "test-key", TRUE);
  fixture_open (&f, "runpod", 400, 800);
  picker = DLY_INPUT_PICKER (dly_composer_get_image_picker (f.composer));

  /* RunPod fetches its inputs: a local file is an inline error that says what to do. */
  dly_composer_set_image (f.composer, image);
  WAIT_UNTIL (!dly_input_picker_get_busy (picker));
  g_assert_nonnull (dly_input_picker_get_error (picker));
  g_assert_nonnull (strstr (dly_input_picker_get_error (picker), "only as a link"));
  g_assert_nonnull (strstr (dly_input_picker_get_error (picker), "paste its link"));
  g_assert_false (dly_composer_get_can_generate (f.composer));
  g_assert_cmpstr (dly_composer_get_blocked_reason (f.composer), ==,
                   dly_input_picker_get_error (picker));
  g_assert_nonnull (find_label (GTK_WIDGET (picker), "only as a link"));
  gtk_widget_activate_action (GTK_WIDGET (f.composer), "composer.show-problem", NULL);
  g_assert_true (has_focus_within (GTK_WIDGET (picker)));
  save_screenshot (GTK_WIDGET (f.window), "composer-url-only-400x800.png");

  dly_composer_set_image (f.composer, "https://example.com/portrait.png");
  g_assert_null (dly_input_picker_get_error (picker));
  g_assert_true (dly_composer_get_can_generate (f.composer));
  /* A link that is plainly not an image. */
  dly_composer_set_image (f.composer, "https://example.com/clip.mov");
  g_assert_nonnull (strstr (dly_input_picker_get_error (picker), "JPG, PNG or WebP"));
  g_assert_false (dly_composer_get_can_generate (f.composer));
  fixture_close (&f);

  /* A backend that uploads files: type, size and existence are checked. */
  fixture_open (&f, "ltxv-task", 400, 800);
  picker = DLY_INPUT_PICKER (dly_composer_get_image_picker (f.composer));
  dly_composer_set_prompt (f.composer, "A paper boat drifts down a rain gutter.");

  dly_composer_set_image (f.composer, big);
  WAIT_UNTIL (!dly_input_picker_get_busy (picker));
  g_test_message ("Too large: %s", dly_input_picker_get_error (picker));
  g_assert_nonnull (strstr (dly_input_picker_get_error (picker), "images can be at most 10.0\u00a0MB"));
  g_assert_false (dly_composer_get_can_generate (f.composer));

  dly_composer_set_image (f.composer, gif);
  WAIT_UNTIL (!dly_input_picker_get_busy (picker));
  g_assert_nonnull (strstr (dly_input_picker_get_error (picker), "JPG, PNG or WebP"));
  g_assert_false (dly_composer_get_can_generate (f.composer));

  dly_composer_set_image (f.composer, missing);
  WAIT_UNTIL (!dly_input_picker_get_busy (picker));
  g_assert_nonnull (strstr (dly_input_picker_get_error (picker), "does not exist"));

  dly_composer_set_image (f.composer, image);
  WAIT_UNTIL (!dly_input_picker_get_busy (picker));
  g_assert_null (dly_input_picker_get_error (picker));
  WAIT_UNTIL (dly_composer_get_can_generate (f.composer));

  /* A link to a backend that uploads files: download it first. */
  dly_composer_set_image (f.composer, "https://example.com/portrait.png");
  g_assert_nonnull (strstr (dly_input_picker_get_error (picker), "uploads the image from a file"));
  g_assert_false (dly_composer_get_can_generate (f.composer));

  fixture_close (&f);
}

/* A pasted picture is saved to the cache off the main thread and used as the image. */
static void
test_paste_texture (void)
{
  Fixture f;
  g_autofree char *image = make_png ("paste-source.png", 20, 10);
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (image, NULL);
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "dailies", "inputs", NULL);
  DlyInputPicker *picker;
  const char *location;

  fixture_open (&f, "ltx2-server", 400, 800);
  picker = DLY_INPUT_PICKER (dly_composer_get_image_picker (f.composer));
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (picker)), texture);

  gtk_widget_activate_action (GTK_WIDGET (picker), "picker.paste", NULL);
  WAIT_UNTIL (dly_input_picker_get_location (picker) != NULL && !dly_input_picker_get_busy (picker));
  location = dly_input_picker_get_location (picker);
  g_assert_true (g_str_has_prefix (location, cache));
  g_assert_true (g_str_has_suffix (location, ".png"));
  g_assert_true (g_file_test (location, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (dly_input_picker_get_details (picker), "20 × 10"));

  /* Pasted text that is a link. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (picker)),
                          "https://example.com/still.webp\n");
  gtk_widget_activate_action (GTK_WIDGET (picker), "picker.paste", NULL);
  WAIT_UNTIL (g_strcmp0 (dly_input_picker_get_location (picker),
                         "https://example.com/still.webp") == 0);

  fixture_close (&f);
}

/* Audio shows its duration; dropped files are taken as if chosen. */
static void
test_audio_and_drop (void)
{
  Fixture f;
  g_autofree char *wav = make_wav ("speech.wav");
  g_autofree char *image = make_png ("dropped.png", 24, 24);
  g_autoptr(GFile) image_file = g_file_new_for_path (image);
  g_autoptr(GListModel) controllers = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  DlyInputPicker *audio, *picture;
  GtkDropTarget *target = NULL;
  gboolean dropped = FALSE;

  g_setenv (KEY_VARIABLE, "test-key", TRUE);
  fixture_open (&f, "runpod", 400, 800);
  audio = DLY_INPUT_PICKER (dly_composer_get_audio_picker (f.composer));
  picture = DLY_INPUT_PICKER (dly_composer_get_image_picker (f.composer));

  dly_composer_set_audio (f.composer, wav);
  WAIT_UNTIL (!dly_input_picker_get_busy (audio));
  g_test_message ("Audio: %s", dly_input_picker_get_details (audio));
  g_assert_true (g_str_has_prefix (dly_input_picker_get_details (audio), "1.0 s"));
  g_assert_nonnull (strstr (dly_input_picker_get_details (audio), "WAV"));
  /* Read and understood, but RunPod fetches its audio from a link. */
  g_assert_nonnull (strstr (dly_input_picker_get_error (audio), "only as a link"));

  /* A file dropped on the image row. */
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (picture));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);
  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, image_file);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &dropped);
  g_assert_true (dropped);
  g_assert_cmpstr (dly_input_picker_get_location (picture), ==, image);
  g_value_unset (&value);

  /* A link dropped as text. */
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "https://example.com/face.jpg");
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &dropped);
  g_assert_true (dropped);
  g_assert_cmpstr (dly_input_picker_get_location (picture), ==, "https://example.com/face.jpg");
  g_value_unset (&value);

  /* Text that is neither is refused with a word. */
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "just some words");
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &dropped);
  g_assert_false (dropped);
  g_assert_cmpstr (dly_input_picker_get_location (picture), ==, "https://example.com/face.jpg");
  g_assert_nonnull (find_label (GTK_WIDGET (picture), "Drop an image file"));

  fixture_close (&f);
}

/* Every control the composer makes has a name for assistive technologies. */
static gboolean
has_accessible_name (GtkWidget *widget)
{
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return TRUE;
  if (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL
      && *gtk_button_get_label (GTK_BUTTON (widget)) != '\0')
    return TRUE;
  return FALSE;
}

static void
check_accessible_names (GtkWidget *widget,
                        guint     *checked)
{
  /* What is not shown is not read out (an expander row's switch that it never shows). */
  if (!gtk_widget_get_visible (widget))
    return;
  /* Entries and the like: their inner parts are GTK's to name. */
  if (GTK_IS_SPIN_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_TEXT_VIEW (widget)
      || GTK_IS_ENTRY (widget))
    {
      if (!has_accessible_name (widget))
        g_error ("A %s has no accessible label", G_OBJECT_TYPE_NAME (widget));
      (*checked)++;
      return;
    }
  /* Rows are named by their titles; their suffixes are checked below. */
  if (ADW_IS_PREFERENCES_ROW (widget) && gtk_widget_get_visible (widget))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));

      if (title == NULL || *title == '\0')
        g_error ("A %s has no title", G_OBJECT_TYPE_NAME (widget));
      (*checked)++;
    }
  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget))
    {
      if (!has_accessible_name (widget))
        g_error ("A %s (%s) has no accessible label", G_OBJECT_TYPE_NAME (widget),
                 gtk_widget_get_tooltip_text (widget));
      (*checked)++;
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_accessible_names (child, checked);
}

static void
test_accessible_names (void)
{
  static const char * const dialects[] = { "ltxv-task", "ltx2-server", "runpod", "segmind" };

  g_setenv (KEY_VARIABLE, "test-key", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      Fixture f;
      guint checked = 0;

      fixture_open (&f, dialects[i], 400, 800);
      dly_composer_set_image (f.composer, "https://example.com/face.jpg");
      type_into (panel_of (&f), dly_param_panel_get_row (panel_of (&f), "width") ? "width" : "steps",
                 "333");
      check_accessible_names (GTK_WIDGET (f.composer), &checked);
      g_test_message ("%s: %u controls named", dialects[i], checked);
      g_assert_cmpuint (checked, >, 20);
      fixture_close (&f);
    }
}

/* --- requests --- */

static char *
request_to_text (DlyRequest *request)
{
  g_autoptr(JsonNode) node = dly_request_to_json (request);

  return json_to_string (node, FALSE);
}

static void
test_round_trip (void)
{
  Fixture f, g;
  g_autofree char *image = make_png ("template.png", 40, 30);
  g_autoptr(DlyRequest) request = NULL;
  g_autoptr(DlyRequest) again = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  DlyParamPanel *panel;

  fixture_open (&f, "ltxv-task", 400, 800);
  add_profile (f.store, "other", "ltx2-server", base_url_for (NULL));
  panel = panel_of (&f);
  dly_composer_set_prompt (f.composer, "Handheld documentary style. A baker dusts flour.");
  gtk_editable_set_text (GTK_EDITABLE (find_descendant (GTK_WIDGET (f.composer),
                                                        ADW_TYPE_ENTRY_ROW)),
                         "blurry, text");
  type_into (panel, "width", "1024");
  type_into (panel, "seed", "7");
  dly_composer_set_image (f.composer, image);
  WAIT_UNTIL (dly_composer_get_can_generate (f.composer));

  request = dly_composer_build_request (f.composer);
  g_assert_cmpstr (dly_request_get_prompt (request), ==,
                   "Handheld documentary style. A baker dusts flour.");
  g_assert_cmpstr (dly_request_get_negative_prompt (request), ==, "blurry, text");
  g_assert_cmpstr (dly_request_get_image (request), ==, image);
  g_assert_cmpint (g_value_get_int64 (dly_request_get_param (request, "width")), ==, 1024);
  g_assert_cmpint (g_value_get_int64 (dly_request_get_param (request, "seed")), ==, 7);
  dly_request_add_lora (request, "https://example.com/style.safetensors", 0.8);
  first = request_to_text (request);

  /* Into a fresh composer that shows another profile: "use as template". */
  fixture_open (&g, NULL, 400, 800);
  add_profile (g.store, "other", "ltx2-server", base_url_for (NULL));
  add_profile (g.store, "ltxv-task", "ltxv-task", base_url_for (NULL));
  dly_composer_select_profile (g.composer, "other");
  wait_backend_ready (g.composer);
  g_assert_cmpstr (dly_profile_get_name (dly_composer_get_profile (g.composer)), ==, "other");

  dly_composer_load_request (g.composer, "ltxv-task", request);
  g_assert_cmpstr (dly_profile_get_name (dly_composer_get_profile (g.composer)), ==, "ltxv-task");
  g_assert_true (dly_param_panel_get_value (panel_of (&g), "width", &value));
  g_assert_cmpint (g_value_get_int64 (&value), ==, 1024);
  g_assert_false (dly_param_panel_is_default (panel_of (&g), "width"));
  /* ltxv-task takes no LoRAs: the template's are shown, with what to do about them. */
  g_assert_nonnull (find_label (GTK_WIDGET (g.composer), "style.safetensors"));
  wait_backend_ready (g.composer);
  WAIT_UNTIL (!dly_input_picker_get_busy (DLY_INPUT_PICKER (dly_composer_get_image_picker (g.composer))));
  g_assert_nonnull (strstr (dly_composer_get_blocked_reason (g.composer), "LoRA"));

  again = dly_composer_build_request (g.composer);
  second = request_to_text (again);
  g_assert_cmpstr (first, ==, second);

  gtk_widget_activate_action (GTK_WIDGET (g.composer), "composer.clear-loras", NULL);
  g_assert_true (dly_composer_get_can_generate (g.composer));

  fixture_close (&g);
  fixture_close (&f);
}

static void
test_generate_seeds (void)
{
  Fixture f;
  g_autoptr(GPtrArray) generated = NULL;
  DlyParamPanel *panel;

  fixture_open (&f, "ltx2-server", 400, 800);
  panel = panel_of (&f);
  g_signal_connect (f.composer, "generate", G_CALLBACK (on_generate), &generated);
  dly_composer_set_prompt (f.composer, "Static POV from inside the oven. Cookies rise.");
  type_into (panel, "seed", "100");
  dly_composer_set_takes (f.composer, 3);
  g_assert_nonnull (find_button_with_label (GTK_WIDGET (f.composer), "_Generate 3 Takes"));
  g_assert_true (dly_composer_get_can_generate (f.composer));

  /* Consecutive seeds from the one shown. */
  gtk_widget_activate_action (GTK_WIDGET (f.composer), "composer.generate", NULL);
  g_assert_nonnull (generated);
  g_assert_cmpuint (generated->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      DlyRequest *request = g_ptr_array_index (generated, i);

      g_assert_cmpint (g_value_get_int64 (dly_request_get_param (request, "seed")), ==, 100 + i);
      g_assert_cmpstr (dly_request_get_prompt (request), ==,
                       "Static POV from inside the oven. Cookies rise.");
      g_assert_cmpint (g_value_get_int64 (dly_request_get_param (request, "num_frames")), ==, 121);
    }
  g_clear_pointer (&generated, g_ptr_array_unref);

  /* The end of the range wraps to its start. */
  type_into (panel, "seed", "4294967295");
  dly_composer_set_takes (f.composer, 2);
  gtk_widget_activate_action (GTK_WIDGET (f.composer), "composer.generate", NULL);
  g_assert_cmpint (g_value_get_int64 (dly_request_get_param (generated->pdata[0], "seed")), ==,
                   4294967295);
  g_assert_cmpint (g_value_get_int64 (dly_request_get_param (generated->pdata[1], "seed")), ==, 0);
  g_clear_pointer (&generated, g_ptr_array_unref);

  /* A random seed each, within the parameter's range. */
  dly_composer_set_seeds (f.composer, DLY_COMPOSER_SEEDS_RANDOM);
  dly_composer_set_takes (f.composer, 6);
  gtk_widget_activate_action (GTK_WIDGET (f.composer), "composer.generate", NULL);
  g_assert_cmpuint (generated->len, ==, 6);
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

    for (guint i = 0; i < generated->len; i++)
      {
        gint64 *seed = g_new (gint64, 1);

        *seed = g_value_get_int64 (dly_request_get_param (generated->pdata[i], "seed"));
        g_assert_cmpint (*seed, >=, 0);
        g_assert_cmpint (*seed, <=, 4294967295);
        g_hash_table_add (seen, seed);
      }
    /* Six draws from 2^32 are distinct but for a one-in-a-billion chance. */
    g_assert_cmpuint (g_hash_table_size (seen), ==, 6);
    g_hash_table_foreach (seen, (GHFunc) g_free, NULL);
  }
  g_clear_pointer (&generated, g_ptr_array_unref);

  fixture_close (&f);

  /* Segmind leaves the seed to the backend unless set: consecutive seeds then start at a
   * random one, so that the takes differ. */
  g_setenv (KEY_VARIABLE, "test-key", TRUE);
  fixture_open (&f, "segmind", 400, 800);
  g_signal_connect (f.composer, "generate", G_CALLBACK (on_generate), &generated);
  dly_composer_set_prompt (f.composer, "Claymation fox jumps over a log.");
  dly_composer_set_takes (f.composer, 2);
  gtk_widget_activate_action (GTK_WIDGET (f.composer), "composer.generate", NULL);
  g_assert_cmpuint (generated->len, ==, 2);
  g_assert_cmpint (g_value_get_int64 (dly_request_get_param (generated->pdata[1], "seed")), ==,
                   g_value_get_int64 (dly_request_get_param (generated->pdata[0], "seed")) + 1);
  /* Its choices, integer choices and a seed left to the backend. */
  gtk_widget_grab_focus (GTK_WIDGET (spin_of (panel_of (&f), "seed")));
  save_screenshot (GTK_WIDGET (f.window), "composer-segmind-400x800.png");
  fixture_close (&f);
}

/* --- backends --- */

static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

static void
test_health (void)
{
  Fixture f;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(DlySim) sim = dly_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *closed = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());

  g_assert_true (dly_sim_start (sim, 0, &error));
  g_assert_no_error (error);
  dly_sim_set_api_key (sim, "right-key");

  fixture_open (&f, NULL, 400, 800);
  add_profile (f.store, "closed", "ltx2-server", closed);
  add_profile (f.store, "sim", "ltx2-server", dly_sim_get_base_url (sim, "ltx2-server"));
  add_profile (f.store, "sim-runpod", "runpod", dly_sim_get_base_url (sim, "runpod"));
  dly_composer_set_session (f.composer, session);

  dly_composer_select_profile (f.composer, "closed");
  WAIT_UNTIL (dly_composer_get_health (f.composer) == DLY_COMPOSER_HEALTH_UNREACHABLE);
  g_assert_nonnull (dly_composer_get_health_message (f.composer));
  g_assert_nonnull (find_label (GTK_WIDGET (f.composer), "Unreachable"));
  /* A backend that is down does not block: it may be starting, and takes wait in line. */
  dly_composer_set_prompt (f.composer, "Fog rolls over the hills.");
  g_assert_true (dly_composer_get_can_generate (f.composer));

  dly_composer_select_profile (f.composer, "sim");
  WAIT_UNTIL (dly_composer_get_health (f.composer) == DLY_COMPOSER_HEALTH_REACHABLE);
  g_assert_nonnull (find_label (GTK_WIDGET (f.composer), "Reachable"));
  save_screenshot (GTK_WIDGET (f.window), "composer-reachable-400x800.png");

  /* The refresh button checks again. */
  gtk_widget_activate_action (GTK_WIDGET (f.composer), "composer.refresh-health", NULL);
  g_assert_cmpint (dly_composer_get_health (f.composer), ==, DLY_COMPOSER_HEALTH_CHECKING);
  WAIT_UNTIL (dly_composer_get_health (f.composer) == DLY_COMPOSER_HEALTH_REACHABLE);

  /* A wrong key is refused; no key at all is said before anything is sent. */
  g_setenv (KEY_VARIABLE, "wrong-key", TRUE);
  dly_composer_select_profile (f.composer, "sim-runpod");
  WAIT_UNTIL (dly_composer_get_health (f.composer) == DLY_COMPOSER_HEALTH_KEY_REFUSED);
  g_assert_nonnull (find_label (GTK_WIDGET (f.composer), "Key Refused"));

  g_unsetenv (KEY_VARIABLE);
  dly_composer_refresh_health (f.composer);
  WAIT_UNTIL (dly_composer_get_health (f.composer) == DLY_COMPOSER_HEALTH_NO_KEY);
  dly_composer_set_image (f.composer, "https://example.com/portrait.jpg");
  g_assert_false (dly_composer_get_can_generate (f.composer));
  g_assert_nonnull (strstr (dly_composer_get_blocked_reason (f.composer), KEY_VARIABLE));

  g_setenv (KEY_VARIABLE, "right-key", TRUE);
  dly_composer_refresh_health (f.composer);
  WAIT_UNTIL (dly_composer_get_health (f.composer) == DLY_COMPOSER_HEALTH_REACHABLE);
  g_assert_true (dly_composer_get_can_generate (f.composer));

  fixture_close (&f);
  dly_sim_stop (sim);
}

static void
test_empty_store (void)
{
  Fixture f;
  guint manage = 0;
  GtkWidget *add;

  fixture_open (&f, NULL, 400, 800);
  g_signal_connect (f.composer, "manage-backends", G_CALLBACK (on_count), &manage);

  g_assert_null (dly_composer_get_profile (f.composer));
  g_assert_false (dly_composer_get_can_generate (f.composer));
  g_assert_cmpstr (dly_composer_get_blocked_reason (f.composer), ==,
                   "Add a backend to generate takes");
  g_assert_true (is_shown (find_label (GTK_WIDGET (f.composer), "No backend yet")));
  add = find_button_with_label (GTK_WIDGET (f.composer), "_Add…");
  g_assert_nonnull (add);
  g_assert_true (is_shown (add));
  g_signal_emit_by_name (add, "clicked");
  g_assert_cmpuint (manage, ==, 1);
  save_screenshot (GTK_WIDGET (f.window), "composer-empty-400x800.png");

  /* A profile added (say, from the preferences) is picked up at once. */
  add_profile (f.store, "studio", "ltx2-server", base_url_for (NULL));
  g_assert_nonnull (dly_composer_get_profile (f.composer));
  g_assert_cmpstr (dly_profile_get_name (dly_composer_get_profile (f.composer)), ==, "studio");
  g_assert_false (is_shown (find_label (GTK_WIDGET (f.composer), "No backend yet")));
  wait_backend_ready (f.composer);
  g_assert_cmpstr (dly_composer_get_blocked_reason (f.composer), ==,
                   "Write a prompt: describe the shot, the action and the camera");

  /* Removed again: back to the empty state. */
  g_assert_true (dly_profile_store_remove (f.store, "studio"));
  g_assert_null (dly_composer_get_profile (f.composer));
  g_assert_true (is_shown (find_label (GTK_WIDGET (f.composer), "No backend yet")));

  fixture_close (&f);
}

/* --- the prompt --- */

static GtkWidget *
find_chip (GtkWidget  *widget,
           const char *phrase)
{
  GtkWidget *label = find_label (widget, phrase);

  g_assert_nonnull (label);
  return gtk_widget_get_ancestor (label, GTK_TYPE_BUTTON);
}

static char *
prompt_text (DlyComposer *composer)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (dly_composer_get_prompt_view (composer));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
test_prompt (void)
{
  Fixture f;
  GtkTextView *view;
  GtkTextBuffer *buffer;
  GtkTextIter end;
  GtkWidget *chip;
  AdwExpanderRow *guide;
  g_autofree char *text = NULL;
  g_autofree char *after_undo = NULL;

  fixture_open (&f, "ltxv-task", 480, 800);
  view = dly_composer_get_prompt_view (f.composer);
  buffer = gtk_text_view_get_buffer (view);

  g_assert_true (gtk_text_view_get_wrap_mode (view) != GTK_WRAP_NONE);
  g_assert_true (is_shown (find_label (GTK_WIDGET (f.composer), "Describe the shot")));
  g_assert_nonnull (find_label (GTK_WIDGET (f.composer), "0 words · 0 characters"));

  dly_composer_set_prompt (f.composer, "A woman in her 30s walks. Rain falls.");
  g_assert_false (is_shown (find_label (GTK_WIDGET (f.composer), "Describe the shot")));
  g_assert_nonnull (find_label (GTK_WIDGET (f.composer),
                                "8 words · 37 characters · 2 sentences (4–8 work best)"));

  /* The guide: the six aspects in order, and its vocabulary as chips. */
  guide = ADW_EXPANDER_ROW (find_descendant (GTK_WIDGET (f.composer), ADW_TYPE_EXPANDER_ROW));
  g_assert_nonnull (guide);
  adw_expander_row_set_expanded (guide, TRUE);
  g_assert_nonnull (find_label (GTK_WIDGET (guide), "Establish the shot"));
  g_assert_nonnull (find_label (GTK_WIDGET (guide), "Describe the audio"));
  g_assert_nonnull (find_label (GTK_WIDGET (guide), "present tense, 4–8 sentences"));

  /* A chip inserts its phrase at the cursor, as a new sentence here, in one undo step. */
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  chip = find_chip (GTK_WIDGET (guide), "film noir");
  g_assert_nonnull (chip);
  g_signal_emit_by_name (chip, "clicked");
  text = prompt_text (f.composer);
  g_assert_cmpstr (text, ==, "A woman in her 30s walks. Rain falls. Film noir");
  chip = find_chip (GTK_WIDGET (guide), "slow motion");
  g_signal_emit_by_name (chip, "clicked");
  g_free (text);
  text = prompt_text (f.composer);
  g_assert_cmpstr (text, ==, "A woman in her 30s walks. Rain falls. Film noir slow motion");

  /* What Ctrl+Z and Ctrl+Shift+Z do. */
  g_assert_true (gtk_text_buffer_get_enable_undo (buffer));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "text.undo", NULL));
  after_undo = prompt_text (f.composer);
  g_assert_cmpstr (after_undo, ==, "A woman in her 30s walks. Rain falls. Film noir");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "text.redo", NULL));
  g_free (text);
  text = prompt_text (f.composer);
  g_assert_cmpstr (text, ==, "A woman in her 30s walks. Rain falls. Film noir slow motion");

  /* ltxv-task uses a negative prompt: its field is there. */
  g_assert_true (is_shown (find_descendant (GTK_WIDGET (f.composer), ADW_TYPE_ENTRY_ROW)));
  save_screenshot (GTK_WIDGET (f.window), "composer-guide-480x800.png");

  /* The vocabulary, as it looks at the narrowest. */
  gtk_window_set_default_size (f.window, 360, 800);
  gtk_widget_grab_focus (find_chip (GTK_WIDGET (guide), "lens flares"));
  save_screenshot (GTK_WIDGET (f.window), "composer-guide-chips-360x800.png");

  fixture_close (&f);
}

/* --- settings --- */

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_settings (void)
{
  Fixture f;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *parameters = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GAsyncResult *result = NULL;

  fixture_open (&f, "ltx2-server", 400, 800);
  add_profile (f.store, "second", "ltx2-server", base_url_for (NULL));
  dly_composer_bind_settings (f.composer, settings);
  dly_composer_select_profile (f.composer, "second");
  wait_backend_ready (f.composer);
  type_into (panel_of (&f), "width", "1280");
  type_into (panel_of (&f), "num_frames", "97");
  WAIT_UNTIL (strstr (g_settings_get_string (settings, "last-parameters"), "1280") != NULL);

  g_assert_cmpstr (g_settings_get_string (settings, "last-profile"), ==, "second");
  parameters = g_settings_get_string (settings, "last-parameters");
  g_assert_cmpstr (parameters, ==, "{\"width\":1280,\"num_frames\":97}");
  add_profile (f.store, "first", "ltx2-server", base_url_for (NULL));
  dly_profile_store_save_async (f.store, NULL, on_async_done, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (dly_profile_store_save_finish (f.store, result, NULL));
  g_clear_object (&result);
  fixture_close (&f);

  /* The next start: the same profile and values, once the store has loaded them. */
  fixture_open (&f, NULL, 400, 800);
  dly_composer_bind_settings (f.composer, settings);
  g_assert_null (dly_composer_get_profile (f.composer));
  dly_profile_store_load_async (f.store, NULL, on_async_done, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (dly_profile_store_load_finish (f.store, result, NULL));
  g_clear_object (&result);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.store)), ==, 3);
  g_assert_cmpstr (dly_profile_get_name (dly_composer_get_profile (f.composer)), ==, "second");
  g_assert_true (dly_param_panel_get_value (panel_of (&f), "width", &value));
  g_assert_cmpint (g_value_get_int64 (&value), ==, 1280);
  g_value_unset (&value);

  /* Values are kept per profile while switching back and forth. */
  dly_composer_select_profile (f.composer, "first");
  g_assert_true (dly_param_panel_get_value (panel_of (&f), "width", &value));
  g_assert_cmpint (g_value_get_int64 (&value), ==, 768);
  g_value_unset (&value);
  dly_composer_select_profile (f.composer, "second");
  g_assert_true (dly_param_panel_get_value (panel_of (&f), "num_frames", &value));
  g_assert_cmpint (g_value_get_int64 (&value), ==, 97);
  fixture_close (&f);

  g_settings_reset (settings, "last-profile");
  g_settings_reset (settings, "last-parameters");
}

/* --- how it looks --- */

static void
test_screenshots (void)
{
  static const int widths[] = { 360, 400, 480 };
  g_autofree char *image = make_png ("still.png", 640, 360);

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      Fixture f;
      g_autofree char *name = g_strdup_printf ("composer-%dx800.png", widths[i]);
      GtkScrolledWindow *scroller;
      GtkAdjustment *vadjustment;
      int minimum;

      fixture_open (&f, "ltx2-server", widths[i], 800);
      add_profile (f.store, "Studio GPU", "ltx2-server", "http://192.168.1.26:8004");
      dly_composer_select_profile (f.composer, "Studio GPU");
      wait_backend_ready (f.composer);
      dly_composer_set_prompt (f.composer,
                               "Cinematic medium shot of a lighthouse keeper climbing the spiral "
                               "stairs at dusk. Warm golden light spills from the lamp room above. "
                               "He pauses, catches his breath and looks out through a salt-streaked "
                               "window. The camera slowly pushes in on his weathered face. Wind "
                               "howls and gulls cry in the distance.");
      dly_composer_set_image (f.composer, image);
      WAIT_UNTIL (dly_composer_get_can_generate (f.composer));
      gtk_test_widget_wait_for_draw (GTK_WIDGET (f.window));

      /* The pane fits the narrowest window: nothing forces it wider. */
      gtk_widget_measure (GTK_WIDGET (f.composer), GTK_ORIENTATION_HORIZONTAL, -1,
                          &minimum, NULL, NULL, NULL);
      g_assert_cmpint (minimum, <=, 360);
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f.composer)), <=, widths[i]);
      save_screenshot (GTK_WIDGET (f.window), name);

      /* And scrolled to the inputs and parameters, and down to the takes. */
      scroller = GTK_SCROLLED_WINDOW (find_descendant (GTK_WIDGET (f.composer),
                                                       GTK_TYPE_SCROLLED_WINDOW));
      vadjustment = gtk_scrolled_window_get_vadjustment (scroller);
      gtk_adjustment_set_value (vadjustment, (gtk_adjustment_get_upper (vadjustment)
                                              - gtk_adjustment_get_page_size (vadjustment)) / 2);
      iterate_for (50);
      g_free (name);
      name = g_strdup_printf ("composer-%dx800-middle.png", widths[i]);
      save_screenshot (GTK_WIDGET (f.window), name);
      gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment));
      iterate_for (50);
      g_free (name);
      name = g_strdup_printf ("composer-%dx800-bottom.png", widths[i]);
      save_screenshot (GTK_WIDGET (f.window), name);

      /* The dark style, at the widest. */
      if (widths[i] == 480)
        {
          AdwStyleManager *style = adw_style_manager_get_default ();

          gtk_adjustment_set_value (vadjustment, 0);
          adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
          iterate_for (50);
          save_screenshot (GTK_WIDGET (f.window), "composer-480x800-dark.png");
          adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
        }
      fixture_close (&f);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  static const char * const dialects[] = { "ltxv-task", "ltx2-server", "apixo", "runpod",
                                           "segmind" };
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* A private home in the build tree: pasted pictures land in its cache, and nothing of the
   * user's changes the screenshots. */
  home = g_test_build_filename (G_TEST_BUILT, "test-composer-home", NULL);
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  /* GTK's in-process accessibility backend: it keeps what widgets say about themselves
   * (with "none" nothing is kept), and needs no accessibility bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  work_dir = g_dir_make_tmp ("dailies-composer-XXXXXX", &error);
  g_assert_no_error (error);

  /* An application with the app's id, so that its style.css loads as in the app. */
  app = adw_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      g_autofree char *path = g_strdup_printf ("/composer/panel/%s", dialects[i]);

      g_test_add_data_func (path, dialects[i], test_panel_dialect);
    }
  g_test_add_func ("/composer/panel/profile-defaults", test_panel_profile_defaults);
  g_test_add_func ("/composer/invalid/width", test_invalid_width);
  g_test_add_func ("/composer/invalid/frames", test_invalid_frames);
  g_test_add_func ("/composer/mode/runpod", test_mode_runpod);
  g_test_add_func ("/composer/mode/ltx2-image", test_mode_ltx2_image);
  g_test_add_func ("/composer/inputs/checked", test_inputs_checked);
  g_test_add_func ("/composer/inputs/paste", test_paste_texture);
  g_test_add_func ("/composer/inputs/audio-and-drop", test_audio_and_drop);
  g_test_add_func ("/composer/accessible-names", test_accessible_names);
  g_test_add_func ("/composer/request/round-trip", test_round_trip);
  g_test_add_func ("/composer/request/generate-seeds", test_generate_seeds);
  g_test_add_func ("/composer/backend/health", test_health);
  g_test_add_func ("/composer/backend/empty", test_empty_store);
  g_test_add_func ("/composer/prompt", test_prompt);
  g_test_add_func ("/composer/settings", test_settings);
  g_test_add_func ("/composer/screenshots", test_screenshots);

  ret = g_test_run ();

  g_clear_object (&app);
  if (work_dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (work_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (work_dir, name, NULL);

          g_remove (path);
        }
      g_rmdir (work_dir);
    }
  return ret;
}
