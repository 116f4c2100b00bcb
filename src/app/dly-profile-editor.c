/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The editor of one backend profile. Everything typed stays in the window until Save has
 * written both the key and profiles.ini, so that a failure loses nothing; a stored key is
 * never read into a widget, only looked up to learn that it exists. */
#include "config.h"

#define G_LOG_DOMAIN "dailies-app"

#include <glib/gi18n.h>
#include <string.h>

#include "dly-demo.h"
#include "dly-profile-editor.h"

#define MAX_SPIN_CONCURRENCY 32

/* Placeholders in suggested URLs that the user has to replace. */
#define RUNPOD_PLACEHOLDER "ENDPOINT_ID"
#define SELFHOSTED_PLACEHOLDER "HOST:PORT"

typedef enum
{
  KEY_CHOICE_KEYRING,
  KEY_CHOICE_ENV,
  KEY_CHOICE_NONE,   /* offered only for dialects that need no key */
} KeyChoice;

typedef enum
{
  TEST_IDLE,
  TEST_RUNNING,
  TEST_OK,
  TEST_FAILED,
} TestState;

struct _DlyProfileEditor
{
  AdwWindow             parent_instance;

  DlyProfileStore      *store;
  SoupSession          *session;
  DlyProfile           *profile;            /* being edited, or NULL when adding */

  GCancellable         *cancellable;        /* key lookup and save; cancelled on close */
  GCancellable         *test_cancellable;
  GPtrArray            *dialect_classes;    /* DlyBackendClass, a reference each */
  DlyBackend           *param_backend;      /* lists the chosen dialect's parameters */
  GHashTable           *typed_defaults;     /* parameter name → text, across dialect changes */
  GPtrArray            *default_rows;       /* AdwEntryRow, owned by defaults_row */

  char                 *problem;
  gboolean              problem_is_error;   /* wrong input, rather than missing input */
  gboolean              url_is_suggestion;  /* the URL is ours, not typed: a new dialect replaces it */
  gboolean              concurrency_touched;
  gboolean              key_choice_touched;
  gboolean              looking_up_key;
  gboolean              has_stored_key;
  gboolean              saving;
  GtkWidget            *focus_before_save;  /* weak */
  gboolean              updating;           /* changes made by code, not by the user */
  TestState             test_state;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkButton            *save_button;
  GtkSpinner           *save_spinner;
  GtkRevealer          *problem_revealer;
  GtkLabel             *problem_label;
  AdwPreferencesPage   *page;
  AdwEntryRow          *name_row;
  AdwComboRow          *dialect_row;
  AdwEntryRow          *url_row;
  AdwPreferencesGroup  *key_group;
  AdwComboRow          *key_source_row;
  GtkStringList        *key_sources;
  AdwPasswordEntryRow  *key_row;
  AdwEntryRow          *key_env_row;
  GtkSpinButton        *concurrency_spin;
  GtkAdjustment        *concurrency_adjustment;
  AdwExpanderRow       *defaults_row;
  AdwActionRow         *test_row;
  GtkStack             *test_status_stack;
  GtkSpinner           *test_spinner;
};

G_DEFINE_FINAL_TYPE (DlyProfileEditor, dly_profile_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SESSION,
  PROP_PROFILE,
  PROP_PROBLEM,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void dly_profile_editor_validate (DlyProfileEditor *self);

/* Keys */

/* A key in memory is wiped before its memory goes back to the allocator. */
static void
key_free (char *key)
{
  if (key == NULL)
    return;
  memset (key, 0, strlen (key));
  g_free (key);
}

typedef char DlyEditorKey;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlyEditorKey, key_free)

/* Dialects */

static DlyBackendClass *
dialect_class_at (DlyProfileEditor *self,
                  guint             position)
{
  if (position >= self->dialect_classes->len)
    return NULL;
  return g_ptr_array_index (self->dialect_classes, position);
}

static DlyBackendClass *
selected_dialect_class (DlyProfileEditor *self)
{
  return dialect_class_at (self, adw_combo_row_get_selected (self->dialect_row));
}

static const char *
selected_dialect (DlyProfileEditor *self)
{
  DlyBackendClass *klass = selected_dialect_class (self);

  return klass ? klass->dialect : NULL;
}

static DlyBackendClass *
dialect_class_for_item (DlyProfileEditor *self,
                        GtkStringObject  *item)
{
  const char *dialect = gtk_string_object_get_string (item);

  for (guint i = 0; i < self->dialect_classes->len; i++)
    {
      DlyBackendClass *klass = g_ptr_array_index (self->dialect_classes, i);

      if (g_strcmp0 (klass->dialect, dialect) == 0)
        return klass;
    }
  return NULL;
}

/* The row shows a dialect by its label ("LTX-2 server"), not by its id. */
static char *
dialect_label_cb (GtkStringObject  *item,
                  DlyProfileEditor *self)
{
  DlyBackendClass *klass;

  if (item == NULL)
    return NULL;
  klass = dialect_class_for_item (self, item);
  return g_strdup (klass ? klass->label : gtk_string_object_get_string (item));
}

/* The popover's items: label, description, and a check mark on the chosen one, as a combo
 * row's own items have. Its width is kept when hidden, so that the labels do not jump. */
static gboolean
selected_to_opacity (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  g_value_set_double (to, g_value_get_boolean (from) ? 1 : 0);
  return TRUE;
}

static void
on_dialect_item_setup_cb (GtkSignalListItemFactory *factory,
                          GtkListItem              *item,
                          DlyProfileEditor         *self)
{
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *description = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_widget_set_hexpand (box, TRUE);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (outer), box);
  gtk_box_append (GTK_BOX (outer), check);
  g_object_bind_property_full (item, "selected", check, "opacity", G_BINDING_SYNC_CREATE,
                               selected_to_opacity, NULL, NULL, NULL);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  gtk_label_set_wrap (GTK_LABEL (description), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (description), 40);
  gtk_label_set_width_chars (GTK_LABEL (description), 28);
  gtk_widget_add_css_class (description, "caption");
  gtk_widget_add_css_class (description, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), description);
  gtk_list_item_set_child (item, outer);
}

static void
on_dialect_item_bind_cb (GtkSignalListItemFactory *factory,
                         GtkListItem              *item,
                         DlyProfileEditor         *self)
{
  GtkWidget *box = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *description = gtk_widget_get_next_sibling (label);
  DlyBackendClass *klass = dialect_class_for_item (self, gtk_list_item_get_item (item));

  if (klass == NULL)
    return;
  gtk_label_set_label (GTK_LABEL (label), klass->label);
  gtk_label_set_label (GTK_LABEL (description), klass->description);
}


/* The concurrency a profile of @klass gets when it sets none. */
static guint
dialect_default_concurrency (DlyBackendClass *klass)
{
  g_autoptr(DlyProfile) scratch = dly_profile_new ("concurrency", klass->dialect, NULL);

  return dly_profile_get_effective_concurrency (scratch);
}

/* Key storage */

static KeyChoice
selected_key_choice (DlyProfileEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->key_source_row);

  return selected == GTK_INVALID_LIST_POSITION ? KEY_CHOICE_KEYRING : (KeyChoice) selected;
}

static void
select_key_choice (DlyProfileEditor *self,
                   KeyChoice         choice)
{
  if ((guint) choice >= g_list_model_get_n_items (G_LIST_MODEL (self->key_sources)))
    choice = KEY_CHOICE_KEYRING;
  adw_combo_row_set_selected (self->key_source_row, choice);
}

/* "No key" is only offered for a dialect that sends none. */
static void
update_key_choices (DlyProfileEditor *self,
                    gboolean          needs_key)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->key_sources));

  if (needs_key && n > KEY_CHOICE_NONE)
    {
      if (selected_key_choice (self) == KEY_CHOICE_NONE)
        select_key_choice (self, KEY_CHOICE_KEYRING);
      gtk_string_list_splice (self->key_sources, KEY_CHOICE_NONE, n - KEY_CHOICE_NONE, NULL);
    }
  else if (!needs_key && n == KEY_CHOICE_NONE)
    {
      gtk_string_list_append (self->key_sources, _("No Key"));
    }
}

static void
update_key_rows (DlyProfileEditor *self)
{
  KeyChoice choice = selected_key_choice (self);
  const char *description = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->key_row), choice == KEY_CHOICE_KEYRING);
  gtk_widget_set_visible (GTK_WIDGET (self->key_env_row), choice == KEY_CHOICE_ENV);

  switch (choice)
    {
    case KEY_CHOICE_KEYRING:
      if (self->looking_up_key)
        description = _("Looking for a stored key…");
      else if (self->has_stored_key)
        description = _("A key is stored. Type a new one to replace it.");
      else
        description = _("The key is kept in your keyring, never in a file, and is not shown again.");
      break;
    case KEY_CHOICE_ENV:
      description = _("The key is read from this environment variable each time the backend is used.");
      break;
    case KEY_CHOICE_NONE:
    default:
      description = _("This backend is sent no key.");
      break;
    }
  adw_preferences_group_set_description (self->key_group, description);
}

/* Default parameters */

static void
update_defaults_summary (DlyProfileEditor *self)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < self->default_rows->len; i++)
    {
      GtkEditable *row = g_ptr_array_index (self->default_rows, i);
      GParamSpec *pspec = g_object_get_data (G_OBJECT (row), "dly-param");
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (row)));

      if (*text == '\0')
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, g_param_spec_get_nick (pspec));
    }
  adw_expander_row_set_subtitle (self->defaults_row,
                                 names->len > 0 ? names->str : _("None set"));
}

static void
on_default_row_changed_cb (GtkEditable      *row,
                           DlyProfileEditor *self)
{
  GParamSpec *pspec = g_object_get_data (G_OBJECT (row), "dly-param");
  GtkWidget *hint = g_object_get_data (G_OBJECT (row), "dly-hint");
  const char *text = gtk_editable_get_text (row);

  g_hash_table_replace (self->typed_defaults, g_strdup (g_param_spec_get_name (pspec)),
                        g_strdup (text));
  gtk_widget_set_visible (hint, *text == '\0');
  update_defaults_summary (self);
  dly_profile_editor_validate (self);
}

/* What the backend uses when the profile sets nothing: its default, or "not sent". */
static char *
describe_backend_default (GParamSpec *pspec)
{
  const GValue *value;
  g_autofree char *text = NULL;
  const char *unit = dly_param_get_unit (pspec);

  if (dly_param_is_optional (pspec))
    return g_strdup (_("Backend’s choice"));
  value = g_param_spec_get_default_value (pspec);
  text = dly_param_format_value (pspec, value);
  if (unit != NULL && *unit != '\0')
    return g_strdup_printf ("%s %s", text, unit);
  return g_steal_pointer (&text);
}

static GtkWidget *
create_default_row (DlyProfileEditor *self,
                    GParamSpec       *pspec,
                    const char       *text)
{
  GtkWidget *row = adw_entry_row_new ();
  g_autofree char *rules = dly_param_describe_rules (pspec);
  g_autofree char *backend_default = describe_backend_default (pspec);
  g_autofree char *tooltip = NULL;
  const char *blurb = g_param_spec_get_blurb (pspec);
  GtkWidget *hint = gtk_label_new (backend_default);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_param_spec_get_nick (pspec));
  adw_entry_row_set_input_hints (ADW_ENTRY_ROW (row), GTK_INPUT_HINT_NO_SPELLCHECK);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);

  /* Rules and the backend's own default where a placeholder would be, since an entry row
   * has none. */
  tooltip = g_strdup_printf ("%s%s%s\n%s: %s",
                             blurb ? blurb : "", blurb && *blurb ? "\n" : "",
                             rules, _("Backend default"), backend_default);
  gtk_widget_set_tooltip_text (row, tooltip);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_label_set_ellipsize (GTK_LABEL (hint), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 18);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), hint);

  g_object_set_data (G_OBJECT (row), "dly-param", pspec);
  g_object_set_data (G_OBJECT (row), "dly-hint", hint);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  gtk_widget_set_visible (hint, text == NULL || *text == '\0');
  g_signal_connect (row, "changed", G_CALLBACK (on_default_row_changed_cb), self);
  return row;
}

static void
rebuild_default_rows (DlyProfileEditor *self)
{
  DlyBackendClass *klass = selected_dialect_class (self);
  GParamSpec **params;
  guint n_params = 0;

  for (guint i = 0; i < self->default_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->default_rows, i);

      g_signal_handlers_disconnect_by_data (row, self);
      adw_expander_row_remove (self->defaults_row, row);
    }
  g_ptr_array_set_size (self->default_rows, 0);
  g_clear_object (&self->param_backend);

  if (klass == NULL)
    return;
  /* Parameters belong to the dialect's class but are listed through an instance; the URL of
   * this one is never used. */
  self->param_backend = dly_backend_new_for_dialect (klass->dialect, "http://localhost", NULL);
  if (self->param_backend == NULL)
    return;

  params = dly_backend_list_params (self->param_backend, &n_params);
  for (guint i = 0; i < n_params; i++)
    {
      const char *text = g_hash_table_lookup (self->typed_defaults,
                                              g_param_spec_get_name (params[i]));
      GtkWidget *row = create_default_row (self, params[i], text);

      adw_expander_row_add_row (self->defaults_row, row);
      g_ptr_array_add (self->default_rows, row);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->defaults_row), n_params > 0);
  update_defaults_summary (self);
}

/* Connection test state */

static void
set_test_state (DlyProfileEditor *self,
                TestState         state,
                const char       *message)
{
  static const char *pages[] = { "idle", "testing", "ok", "failed" };
  gboolean was_busy = dly_profile_editor_get_busy (self);

  self->test_state = state;
  gtk_stack_set_visible_child_name (self->test_status_stack, pages[state]);
  gtk_spinner_set_spinning (self->test_spinner, state == TEST_RUNNING);
  if (message == NULL)
    message = state == TEST_RUNNING
              ? _("Testing…")
              : _("Checks that the backend answers and accepts the key, without generating anything");
  adw_action_row_set_subtitle (self->test_row, message);
  if (was_busy != dly_profile_editor_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* A change to what is tested makes the last result stale. */
static void
forget_test (DlyProfileEditor *self)
{
  if (self->test_state == TEST_RUNNING)
    g_cancellable_cancel (self->test_cancellable);
  if (self->test_state != TEST_IDLE)
    set_test_state (self, TEST_IDLE, NULL);
}

/* Validation */

static char *
trimmed_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static void
set_row_error (gpointer row,
               gboolean error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static gboolean
is_reserved_name (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);
  g_autofree char *demo = g_utf8_casefold (DLY_DEMO_PROFILE_NAME, -1);

  return g_strcmp0 (folded, demo) == 0;
}

/* Whether @name holds an API key rather than a variable's name: long, with lower-case
 * letters and digits, which variable names by convention do not mix. */
static gboolean
looks_like_a_key (const char *name)
{
  gboolean lower = FALSE, digit = FALSE;

  if (strlen (name) < 24)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    {
      lower |= g_ascii_islower (*p);
      digit |= g_ascii_isdigit (*p);
    }
  return lower && digit;
}

/* Problems are collected in the order of the form; the first one is shown. */
typedef struct
{
  char     *text;
  gboolean  is_error;
} Problem;

static void
note_problem (Problem    *problem,
              gboolean    is_error,
              const char *text)
{
  if (problem->text != NULL)
    return;
  problem->text = g_strdup (text);
  problem->is_error = is_error;
}

static void
validate_name (DlyProfileEditor *self,
               Problem          *problem)
{
  g_autofree char *name = trimmed_text (self->name_row);
  gboolean error = TRUE;

  /* An existing profile keeps its name: jobs and its key refer to it. */
  if (self->profile != NULL)
    error = FALSE;
  else if (*name == '\0')
    {
      note_problem (problem, FALSE, _("Give the backend a name"));
      error = FALSE;
    }
  else if (!dly_profile_name_is_valid (name))
    note_problem (problem, TRUE,
                  _("A name has 1 to 64 characters and no square brackets"));
  else if (is_reserved_name (name))
    {
      g_autofree char *text = g_strdup_printf (_("“%s” is the name of the demo backend; "
                                                 "choose another one"),
                                               DLY_DEMO_PROFILE_NAME);
      note_problem (problem, TRUE, text);
    }
  else if (dly_profile_store_lookup (self->store, name) != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Another backend is already called “%s”"),
                                               name);
      note_problem (problem, TRUE, text);
    }
  else
    error = FALSE;
  set_row_error (self->name_row, error);
}

static gboolean
validate_url (DlyProfileEditor *self,
              Problem          *problem)
{
  g_autofree char *url = trimmed_text (self->url_row);
  g_autoptr(DlyBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  const char *dialect = selected_dialect (self);
  gboolean wrong = TRUE;

  if (*url == '\0')
    {
      note_problem (problem, FALSE, _("Type the backend’s base URL"));
      wrong = FALSE;
    }
  else if (strstr (url, RUNPOD_PLACEHOLDER) != NULL)
    note_problem (problem, TRUE,
                  _("Replace ENDPOINT_ID in the URL with the ID of your RunPod endpoint"));
  else if (strstr (url, SELFHOSTED_PLACEHOLDER) != NULL)
    note_problem (problem, TRUE,
                  _("Replace HOST:PORT in the URL with your server’s address, such as "
                    "192.168.1.20:8000"));
  else if (dialect != NULL
           && (backend = dly_backend_new_for_dialect (dialect, url, &error)) == NULL)
    note_problem (problem, TRUE, error->message);
  else
    wrong = FALSE;

  set_row_error (self->url_row, wrong);
  return *url != '\0' && !wrong;
}

static gboolean
validate_key (DlyProfileEditor *self,
              Problem          *problem)
{
  g_autofree char *variable = trimmed_text (self->key_env_row);
  gboolean env_error = FALSE;
  gboolean ok = TRUE;

  switch (selected_key_choice (self))
    {
    case KEY_CHOICE_KEYRING:
      if (*gtk_editable_get_text (GTK_EDITABLE (self->key_row)) != '\0' || self->has_stored_key)
        break;
      note_problem (problem, FALSE,
                    self->looking_up_key ? _("Looking for a stored key…")
                                         : _("Type the API key"));
      ok = FALSE;
      break;
    case KEY_CHOICE_ENV:
      {
        g_autoptr(DlyProfile) scratch = dly_profile_new ("key", "none", NULL);
        g_autofree char *ref = g_strconcat ("env:", variable, NULL);

        if (*variable == '\0')
          {
            note_problem (problem, FALSE,
                          _("Type the name of the environment variable that holds the key"));
            ok = FALSE;
          }
        /* Never echo it: a key pasted here must not end up on the screen twice. */
        else if (looks_like_a_key (variable))
          {
            note_problem (problem, TRUE,
                          _("That looks like a key itself. Type the name of the variable "
                            "that holds it, such as RUNPOD_API_KEY"));
            env_error = TRUE;
          }
        else if (!dly_profile_set_key_ref (scratch, ref, NULL))
          {
            note_problem (problem, TRUE,
                          _("A variable name has letters, digits and underscores, and does "
                            "not start with a digit"));
            env_error = TRUE;
          }
        ok = !env_error && *variable != '\0';
        break;
      }
    case KEY_CHOICE_NONE:
    default:
      break;
    }
  set_row_error (self->key_env_row, env_error);
  return ok;
}

static void
validate_defaults (DlyProfileEditor *self,
                   Problem          *problem)
{
  for (guint i = 0; i < self->default_rows->len; i++)
    {
      GtkEditable *row = g_ptr_array_index (self->default_rows, i);
      GParamSpec *pspec = g_object_get_data (G_OBJECT (row), "dly-param");
      g_autofree char *text = trimmed_text (row);
      g_auto(GValue) value = G_VALUE_INIT;
      g_autoptr(GError) error = NULL;
      gboolean wrong = *text != '\0' && !dly_param_parse (pspec, text, &value, &error);

      if (wrong)
        note_problem (problem, TRUE, error->message);
      set_row_error (row, wrong);
    }
  /* A wrong value in a closed expander must still be found. */
  set_row_error (self->defaults_row, problem->text != NULL && problem->is_error
                                     && self->default_rows->len > 0
                                     && !adw_expander_row_get_expanded (self->defaults_row));
}

/* The profile the form describes, with its key reference (never the key). */
static DlyProfile *
build_profile (DlyProfileEditor *self)
{
  g_autofree char *name = self->profile ? g_strdup (dly_profile_get_name (self->profile))
                                        : trimmed_text (self->name_row);
  g_autofree char *url = trimmed_text (self->url_row);
  DlyBackendClass *klass = selected_dialect_class (self);
  DlyProfile *profile = dly_profile_new (name, klass ? klass->dialect : NULL, url);
  guint concurrency = (guint) gtk_spin_button_get_value_as_int (self->concurrency_spin);

  /* Left at the dialect's default, the profile keeps following it. */
  if (klass != NULL && !self->concurrency_touched
      && (self->profile == NULL || dly_profile_get_concurrency (self->profile) == 0)
      && concurrency == dialect_default_concurrency (klass))
    concurrency = 0;
  dly_profile_set_concurrency (profile, concurrency);

  switch (selected_key_choice (self))
    {
    case KEY_CHOICE_KEYRING:
      dly_profile_set_key_source (profile, DLY_KEY_SOURCE_KEYRING, NULL);
      break;
    case KEY_CHOICE_ENV:
      {
        g_autofree char *variable = trimmed_text (self->key_env_row);

        dly_profile_set_key_source (profile, DLY_KEY_SOURCE_ENV, variable);
        break;
      }
    case KEY_CHOICE_NONE:
    default:
      dly_profile_set_key_source (profile, DLY_KEY_SOURCE_NONE, NULL);
      break;
    }

  for (guint i = 0; i < self->default_rows->len; i++)
    {
      GtkEditable *row = g_ptr_array_index (self->default_rows, i);
      GParamSpec *pspec = g_object_get_data (G_OBJECT (row), "dly-param");
      g_autofree char *text = trimmed_text (row);

      if (*text != '\0')
        dly_profile_set_default (profile, g_param_spec_get_name (pspec), text);
    }
  return profile;
}

static void
set_problem (DlyProfileEditor *self,
             Problem          *problem)
{
  gboolean changed = g_strcmp0 (self->problem, problem->text) != 0;

  g_free (self->problem);
  self->problem = g_steal_pointer (&problem->text);
  self->problem_is_error = problem->is_error;

  gtk_label_set_label (self->problem_label, self->problem ? self->problem : "");
  gtk_revealer_set_reveal_child (self->problem_revealer, self->problem != NULL);
  if (self->problem_is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->problem_label), "dim-label");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->problem_label), "error");
    }
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
update_actions (DlyProfileEditor *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 self->problem == NULL && !self->saving);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->save_button), self->problem);
  gtk_widget_set_visible (GTK_WIDGET (self->save_spinner), self->saving);
  gtk_spinner_set_spinning (self->save_spinner, self->saving);
}

static void
dly_profile_editor_validate (DlyProfileEditor *self)
{
  Problem problem = { NULL, FALSE };
  gboolean url_ok, key_ok;

  if (self->updating)
    return;

  validate_name (self, &problem);
  url_ok = validate_url (self, &problem);
  key_ok = validate_key (self, &problem);
  validate_defaults (self, &problem);

  /* The core's own rules last, so that nothing it would refuse gets to Save. */
  if (problem.text == NULL)
    {
      g_autoptr(DlyProfile) profile = build_profile (self);
      g_autoptr(GError) error = NULL;

      if (!dly_profile_validate (profile, &error))
        note_problem (&problem, TRUE, error->message);
    }
  set_problem (self, &problem);
  update_actions (self);

  /* A test needs somewhere to send it, and a usable variable name when the key is in one;
   * without any key it still shows what the backend answers. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.test",
                                 url_ok && (key_ok || selected_key_choice (self) != KEY_CHOICE_ENV));
}

/* Handlers */

static void
on_name_row_changed_cb (DlyProfileEditor *self)
{
  dly_profile_editor_validate (self);
}

static void
on_url_row_changed_cb (DlyProfileEditor *self)
{
  if (!self->updating)
    self->url_is_suggestion = FALSE;
  forget_test (self);
  dly_profile_editor_validate (self);
}

static void
on_key_row_changed_cb (DlyProfileEditor *self)
{
  forget_test (self);
  dly_profile_editor_validate (self);
}

static void
on_key_env_row_changed_cb (DlyProfileEditor *self)
{
  forget_test (self);
  dly_profile_editor_validate (self);
}

static void
on_key_source_row_selected_cb (DlyProfileEditor *self)
{
  if (!self->updating)
    self->key_choice_touched = TRUE;
  update_key_rows (self);
  forget_test (self);
  dly_profile_editor_validate (self);
}

static void
on_concurrency_spin_value_changed_cb (DlyProfileEditor *self)
{
  if (!self->updating)
    self->concurrency_touched = TRUE;
}

/* Puts the cursor on the part of a suggested URL that is to be replaced. */
static void
select_placeholder (DlyProfileEditor *self,
                    const char       *placeholder)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *found = placeholder ? strstr (url, placeholder) : NULL;
  int start, end;

  if (found == NULL)
    return;
  start = (int) g_utf8_pointer_to_offset (url, found);
  end = start + (int) g_utf8_strlen (placeholder, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
  gtk_editable_select_region (GTK_EDITABLE (self->url_row), start, end);
}

static void
on_dialect_row_selected_cb (DlyProfileEditor *self)
{
  DlyBackendClass *klass = selected_dialect_class (self);
  gboolean user_choice = !self->updating;
  const char *placeholder = NULL;
  const char *url;

  if (klass == NULL)
    return;

  self->updating = TRUE;
  update_key_choices (self, klass->needs_api_key);
  if (self->profile == NULL && !self->key_choice_touched)
    select_key_choice (self, klass->needs_api_key ? KEY_CHOICE_KEYRING : KEY_CHOICE_NONE);

  url = dly_backend_suggest_url (klass->dialect, &placeholder);
  if (self->url_is_suggestion || *gtk_editable_get_text (GTK_EDITABLE (self->url_row)) == '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
      self->url_is_suggestion = TRUE;
    }

  if (!self->concurrency_touched
      && (self->profile == NULL || dly_profile_get_concurrency (self->profile) == 0))
    gtk_spin_button_set_value (self->concurrency_spin, dialect_default_concurrency (klass));
  self->updating = FALSE;

  rebuild_default_rows (self);
  update_key_rows (self);
  forget_test (self);
  dly_profile_editor_validate (self);

  if (user_choice && self->url_is_suggestion)
    select_placeholder (self, placeholder);
}

/* Stored key: only whether there is one */

static void
on_stored_key_looked_up (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(DlyProfileEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyEditorKey) key = dly_profile_store_lookup_key_finish (DLY_PROFILE_STORE (source),
                                                                     result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The key itself is dropped (and wiped) here: the window only needs to know. */
  self->has_stored_key = key != NULL && *key != '\0';
  self->looking_up_key = FALSE;
  if (error != NULL)
    g_debug ("No stored key for profile “%s”: %s",
             dly_profile_get_name (self->profile), error->message);
  update_key_rows (self);
  dly_profile_editor_validate (self);
}

/* Connection test */

typedef struct
{
  DlyProfileEditor *self;
  GCancellable     *cancellable;
} TestData;

static void
test_data_free (TestData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestData, test_data_free)

static void
on_profile_checked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TestData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = dly_profile_store_check_finish (DLY_PROFILE_STORE (source), result,
                                                          &error);

  if (g_cancellable_is_cancelled (data->cancellable))
    return;
  if (error != NULL)
    set_test_state (data->self, TEST_FAILED, error->message);
  else
    set_test_state (data->self, TEST_OK, text);
}

static void
dly_profile_editor_test (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DlyProfileEditor *self = DLY_PROFILE_EDITOR (widget);
  g_autoptr(DlyProfile) draft = build_profile (self);
  g_autoptr(DlyProfile) probe = NULL;
  const char *typed_key = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  const char *key = NULL;
  TestData *data;

  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  self->test_cancellable = g_cancellable_new ();

  data = g_new0 (TestData, 1);
  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (self->test_cancellable);

  /* The probe carries the key as the test should use it: the one typed so far (set on the
   * backend afterwards, never stored by a test), else the stored one, looked up under the
   * saved name. */
  /* The name appears in the messages of a failed test; a form still without one gets a
   * stand-in. */
  probe = dly_profile_new (self->profile ? dly_profile_get_name (self->profile)
                           : *dly_profile_get_name (draft) != '\0' ? dly_profile_get_name (draft)
                           : _("New backend"),
                           dly_profile_get_dialect (draft), dly_profile_get_base_url (draft));
  if (selected_key_choice (self) == KEY_CHOICE_KEYRING && *typed_key != '\0')
    key = typed_key;
  else if (selected_key_choice (self) == KEY_CHOICE_KEYRING && self->has_stored_key)
    dly_profile_set_key_source (probe, DLY_KEY_SOURCE_KEYRING, NULL);
  else if (selected_key_choice (self) == KEY_CHOICE_ENV)
    dly_profile_set_key_source (probe, DLY_KEY_SOURCE_ENV, dly_profile_get_key_env (draft));

  set_test_state (self, TEST_RUNNING, NULL);
  dly_profile_store_check_async (self->store, probe, key, self->session, self->test_cancellable,
                                 on_profile_checked, data);
}

/* Save */

/* Holds its own store and original profile: a save that has begun completes even when the
 * window is destroyed meanwhile (with its parent), after the window let go of them. */
typedef struct
{
  DlyProfileEditor *self;
  DlyProfileStore  *store;
  DlyProfile       *original;   /* NULL when adding */
  DlyProfile       *profile;
  char             *key;        /* to store; wiped */
  gboolean          in_store;   /* added to (or replaced in) the store, to undo on failure */
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->store);
  g_clear_object (&data->original);
  g_clear_object (&data->profile);
  key_free (data->key);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static void
set_saving (DlyProfileEditor *self,
            gboolean          saving)
{
  gboolean was_busy = dly_profile_editor_get_busy (self);

  self->saving = saving;
  /* What is saved is what the form held when Save was pressed. The focus leaves the form
   * first, and comes back after a failure: GTK 4.8 keeps blinking the cursor of a focused
   * entry that becomes insensitive, and warns about it. */
  if (saving)
    {
      g_set_weak_pointer (&self->focus_before_save, gtk_window_get_focus (GTK_WINDOW (self)));
      gtk_window_set_focus (GTK_WINDOW (self), NULL);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), !saving);
  if (!saving && self->focus_before_save != NULL)
    {
      gtk_widget_grab_focus (self->focus_before_save);
      g_clear_weak_pointer (&self->focus_before_save);
    }
  update_actions (self);
  if (was_busy != dly_profile_editor_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* After a failure the form is as it was, with what went wrong said in a dialog. */
static void
save_failed (SaveData *data,
             GError   *error)
{
  DlyProfileEditor *self = data->self;

  if (data->in_store)
    {
      if (data->original != NULL)
        dly_profile_store_replace (data->store, data->original, NULL);
      else
        dly_profile_store_remove (data->store, dly_profile_get_name (data->profile));
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  set_saving (self, FALSE);
  {
    AdwMessageDialog *dialog;

    dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                         _("Could Not Save the Backend"),
                                                         error->message));
    adw_message_dialog_add_response (dialog, "close", _("_Close"));
    gtk_window_present (GTK_WINDOW (dialog));
  }
}

static void
on_old_key_cleared (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autofree char *name = user_data;
  g_autoptr(GError) error = NULL;

  if (!dly_profile_store_clear_key_finish (DLY_PROFILE_STORE (source), result, &error))
    g_message ("The old key of profile “%s” may still be in the keyring: %s", name,
               error->message);
}

static void
on_store_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  DlyProfileEditor *self = data->self;
  g_autoptr(GError) error = NULL;

  if (!dly_profile_store_save_finish (DLY_PROFILE_STORE (source), result, &error))
    {
      save_failed (data, error);
      return;
    }

  /* A key that the profile no longer uses does not stay behind in the keyring. */
  if (data->original != NULL
      && dly_profile_get_key_source (data->original) == DLY_KEY_SOURCE_KEYRING
      && dly_profile_get_key_source (data->profile) != DLY_KEY_SOURCE_KEYRING)
    dly_profile_store_clear_key_async (data->store, dly_profile_get_name (data->profile), NULL,
                                       on_old_key_cleared,
                                       g_strdup (dly_profile_get_name (data->profile)));

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, data->profile);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_saving (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_profile (SaveData *data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (data->original != NULL)
    ok = dly_profile_store_replace (data->store, data->profile, &error);
  else
    ok = dly_profile_store_add (data->store, data->profile, &error);
  if (!ok)
    {
      save_failed (data, error);
      save_data_free (data);
      return;
    }
  data->in_store = TRUE;
  /* Not cancellable: once begun, a save finishes even if the window goes. */
  dly_profile_store_save_async (data->store, NULL, on_store_saved, data);
}

static void
on_key_stored (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SaveData *data = user_data;
  g_autoptr(GError) error = NULL;

  key_free (g_steal_pointer (&data->key));
  if (!dly_profile_store_set_key_finish (DLY_PROFILE_STORE (source), result, &error))
    {
      save_failed (data, error);
      save_data_free (data);
      return;
    }
  save_profile (data);
}

static void
dly_profile_editor_save (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DlyProfileEditor *self = DLY_PROFILE_EDITOR (widget);
  const char *typed_key = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  SaveData *data;

  dly_profile_editor_validate (self);
  if (self->problem != NULL || self->saving)
    return;

  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->store = g_object_ref (self->store);
  data->original = self->profile ? g_object_ref (self->profile) : NULL;
  data->profile = build_profile (self);
  set_saving (self, TRUE);

  /* The key first, as dailies-cli does: a profile saying "keyring" with nothing there would
   * only fail later, at the first take. */
  if (selected_key_choice (self) == KEY_CHOICE_KEYRING && *typed_key != '\0')
    {
      data->key = g_strdup (typed_key);
      dly_profile_store_set_key_async (self->store, data->profile, data->key, NULL,
                                       on_key_stored, data);
      return;
    }
  save_profile (data);
}

/* GObject */

static gboolean
dly_profile_editor_close_request (GtkWindow *window)
{
  DlyProfileEditor *self = DLY_PROFILE_EDITOR (window);

  /* A save takes a moment; closing in the middle would leave its outcome unseen. */
  if (self->saving)
    return TRUE;
  return GTK_WINDOW_CLASS (dly_profile_editor_parent_class)->close_request (window);
}

static void
dly_profile_editor_constructed (GObject *object)
{
  DlyProfileEditor *self = DLY_PROFILE_EDITOR (object);
  g_auto(GStrv) dialects = dly_backend_list_dialects ();
  g_autoptr(GtkStringList) dialect_ids = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) list_factory = gtk_signal_list_item_factory_new ();
  guint selected = 0;

  G_OBJECT_CLASS (dly_profile_editor_parent_class)->constructed (object);

  g_return_if_fail (DLY_IS_PROFILE_STORE (self->store));
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("user-agent", "dailies/" PACKAGE_VERSION,
                                                   NULL);

  self->updating = TRUE;

  for (guint i = 0; dialects[i] != NULL; i++)
    {
      g_ptr_array_add (self->dialect_classes,
                       g_type_class_ref (dly_backend_type_for_dialect (dialects[i])));
      gtk_string_list_append (dialect_ids, dialects[i]);
      if (self->profile != NULL && g_strcmp0 (dialects[i], dly_profile_get_dialect (self->profile)) == 0)
        selected = i;
    }
  adw_combo_row_set_expression (self->dialect_row,
                                gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                             G_CALLBACK (dialect_label_cb),
                                                             self, NULL));
  g_signal_connect (list_factory, "setup", G_CALLBACK (on_dialect_item_setup_cb), self);
  g_signal_connect (list_factory, "bind", G_CALLBACK (on_dialect_item_bind_cb), self);
  adw_combo_row_set_list_factory (self->dialect_row, list_factory);
  adw_combo_row_set_model (self->dialect_row, G_LIST_MODEL (dialect_ids));

  gtk_string_list_append (self->key_sources, _("Keyring"));
  gtk_string_list_append (self->key_sources, _("Environment Variable"));

  if (self->profile != NULL)
    {
      g_auto(GStrv) names = dly_profile_list_defaults (self->profile);
      guint concurrency = dly_profile_get_effective_concurrency (self->profile);

      adw_window_title_set_title (self->window_title, _("Edit Backend"));
      adw_window_title_set_subtitle (self->window_title, dly_profile_get_name (self->profile));
      gtk_button_set_label (self->save_button, _("_Save"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), dly_profile_get_name (self->profile));
      /* Takes in the ledger and the key in the keyring refer to the profile by its name, so
       * it stays; the title shows it. */
      gtk_widget_set_visible (GTK_WIDGET (self->name_row), FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->url_row), dly_profile_get_base_url (self->profile));
      gtk_adjustment_set_upper (self->concurrency_adjustment, MAX (MAX_SPIN_CONCURRENCY, concurrency));
      gtk_spin_button_set_value (self->concurrency_spin, concurrency);
      for (guint i = 0; names[i] != NULL; i++)
        g_hash_table_insert (self->typed_defaults, g_strdup (names[i]),
                             g_strdup (dly_profile_get_default (self->profile, names[i])));
      if (dly_profile_get_key_source (self->profile) == DLY_KEY_SOURCE_ENV)
        gtk_editable_set_text (GTK_EDITABLE (self->key_env_row),
                               dly_profile_get_key_env (self->profile));
      self->url_is_suggestion = FALSE;
      self->key_choice_touched = TRUE;
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("Add Backend"));
      gtk_button_set_label (self->save_button, _("_Add"));
      self->url_is_suggestion = TRUE;
    }

  adw_combo_row_set_selected (self->dialect_row, selected);
  on_dialect_row_selected_cb (self);

  if (self->profile != NULL)
    {
      switch (dly_profile_get_key_source (self->profile))
        {
        case DLY_KEY_SOURCE_KEYRING:
          select_key_choice (self, KEY_CHOICE_KEYRING);
          self->looking_up_key = TRUE;
          dly_profile_store_lookup_key_async (self->store, self->profile, self->cancellable,
                                              on_stored_key_looked_up, g_object_ref (self));
          break;
        case DLY_KEY_SOURCE_ENV:
          select_key_choice (self, KEY_CHOICE_ENV);
          break;
        case DLY_KEY_SOURCE_NONE:
        default:
          select_key_choice (self, KEY_CHOICE_NONE);
          break;
        }
    }

  self->updating = FALSE;
  update_key_rows (self);
  set_test_state (self, TEST_IDLE, NULL);
  dly_profile_editor_validate (self);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
  if (self->profile == NULL)
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->name_row));
}

static void
dly_profile_editor_dispose (GObject *object)
{
  DlyProfileEditor *self = DLY_PROFILE_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->test_cancellable);
  if (self->default_rows != NULL)
    for (guint i = 0; i < self->default_rows->len; i++)
      g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->default_rows, i), self);
  g_clear_weak_pointer (&self->focus_before_save);
  gtk_widget_dispose_template (GTK_WIDGET (self), DLY_TYPE_PROFILE_EDITOR);
  g_clear_pointer (&self->default_rows, g_ptr_array_unref);
  g_clear_object (&self->param_backend);
  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (dly_profile_editor_parent_class)->dispose (object);
}

static void
dly_profile_editor_finalize (GObject *object)
{
  DlyProfileEditor *self = DLY_PROFILE_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->dialect_classes, g_ptr_array_unref);
  g_clear_pointer (&self->typed_defaults, g_hash_table_unref);
  g_free (self->problem);

  G_OBJECT_CLASS (dly_profile_editor_parent_class)->finalize (object);
}

static void
dly_profile_editor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DlyProfileEditor *self = DLY_PROFILE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, dly_profile_editor_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_profile_editor_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DlyProfileEditor *self = DLY_PROFILE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_PROFILE:
      self->profile = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_profile_editor_class_init (DlyProfileEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = dly_profile_editor_constructed;
  object_class->dispose = dly_profile_editor_dispose;
  object_class->finalize = dly_profile_editor_finalize;
  object_class->get_property = dly_profile_editor_get_property;
  object_class->set_property = dly_profile_editor_set_property;
  window_class->close_request = dly_profile_editor_close_request;

  /** DlyProfileEditor:store: where the profile and its key are saved. */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DLY_TYPE_PROFILE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** DlyProfileEditor:session: the session connection tests are sent with. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** DlyProfileEditor:profile: the profile edited, or NULL to add one. */
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, DLY_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** DlyProfileEditor:problem: why Save is not possible, or NULL. */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /** DlyProfileEditor:busy: whether a save or a connection test is under way. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlyProfileEditor::saved:
   * @profile: the profile as saved
   *
   * The profile is in the store, profiles.ini is written and its key is in the keyring.
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DLY_TYPE_PROFILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-profile-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, problem_label);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, page);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, dialect_row);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, url_row);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, key_group);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, key_source_row);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, key_sources);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, key_row);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, key_env_row);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, concurrency_adjustment);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, defaults_row);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, test_row);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, test_status_stack);
  gtk_widget_class_bind_template_child (widget_class, DlyProfileEditor, test_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_name_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_dialect_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_url_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_key_source_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_key_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_key_env_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_concurrency_spin_value_changed_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, dly_profile_editor_save);
  gtk_widget_class_install_action (widget_class, "editor.test", NULL, dly_profile_editor_test);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dly_profile_editor_init (DlyProfileEditor *self)
{
  self->cancellable = g_cancellable_new ();
  self->test_cancellable = g_cancellable_new ();
  self->dialect_classes = g_ptr_array_new_with_free_func (g_type_class_unref);
  self->typed_defaults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->default_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  adw_entry_row_set_activates_default (self->name_row, TRUE);
  adw_entry_row_set_activates_default (self->url_row, TRUE);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (self->key_row), TRUE);
  adw_entry_row_set_activates_default (self->key_env_row, TRUE);
}

GtkWidget *
dly_profile_editor_new (GtkWindow       *parent,
                        DlyProfileStore *store,
                        SoupSession     *session,
                        DlyProfile      *profile)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DLY_IS_PROFILE_STORE (store), NULL);
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (profile == NULL || DLY_IS_PROFILE (profile), NULL);

  return g_object_new (DLY_TYPE_PROFILE_EDITOR,
                       "transient-for", parent,
                       "store", store,
                       "session", session,
                       "profile", profile,
                       NULL);
}

DlyProfile *
dly_profile_editor_get_profile (DlyProfileEditor *self)
{
  g_return_val_if_fail (DLY_IS_PROFILE_EDITOR (self), NULL);
  return self->profile;
}

const char *
dly_profile_editor_get_problem (DlyProfileEditor *self)
{
  g_return_val_if_fail (DLY_IS_PROFILE_EDITOR (self), NULL);
  return self->problem;
}

gboolean
dly_profile_editor_get_busy (DlyProfileEditor *self)
{
  g_return_val_if_fail (DLY_IS_PROFILE_EDITOR (self), FALSE);
  return self->saving || self->test_state == TEST_RUNNING;
}
