/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Manage Backends" in real windows: adding a profile through the editor, editing it without
 * the stored key ever reaching a widget, what blocks Save and why, connection tests against
 * the in-process simulator with the right and a wrong key, a failed save that loses nothing,
 * and removal with confirmation. Keys go to libsecret's file backend in a temporary
 * directory (never a real keyring); profiles.ini to a temporary $XDG_CONFIG_HOME. Screenshots
 * of the list and the editor, wide and narrow, land in the build directory. */
#include "config.h"

#include "dly-test-ui.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dly-backends-window.h"
#include "dly-demo.h"
#include "dly-profile-editor.h"
#include "dly-profile-store.h"
#include "dly-sim.h"

#define WAIT_SECONDS 30

#define KEY_GOOD  "rpa_TESTKEY_Goodgoodgoodgoodgoodgoodgood1"
#define KEY_WRONG "rpa_TESTKEY_Wrongwrongwrongwrongwrongwr2"
#define KEY_APIXO "apx-TESTKEY-Apixoapixoapixoapixoapixoap3"

static DlySim *sim;
static DlyProfileStore *store;
static SoupSession *session;

/* Waiting */

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
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Widgets */

static GtkWidget *
find_by_id (GtkWidget  *widget,
            const char *id)
{
  const char *own = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

  if (g_strcmp0 (own, id) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_id (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
child (gpointer    widget,
       const char *id)
{
  GtkWidget *found = find_by_id (GTK_WIDGET (widget), id);

  if (found == NULL)
    g_error ("No widget “%s”", id);
  return found;
}

/* The first toplevel of @type, or NULL. */
static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static void
destroy_all_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *window;

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
      g_object_unref (window);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
set_text (gpointer    widget,
          const char *id,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (widget, id)), text);
}

static void
select_string (gpointer    widget,
               const char *id,
               const char *value)
{
  AdwComboRow *row = ADW_COMBO_ROW (child (widget, id));
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), value) == 0)
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_error ("No “%s” in %s", value, id);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_entry_row (GtkWidget  *widget,
                const char *title)
{
  if (ADW_IS_ENTRY_ROW (widget)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_entry_row (c, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The entry row of the default parameter labelled @title. */
static GtkWidget *
find_default_row (GtkWidget  *editor,
                  const char *title)
{
  return find_entry_row (child (editor, "defaults_row"), title);
}

static gboolean
save_enabled (DlyProfileEditor *editor)
{
  return gtk_widget_is_sensitive (child (editor, "save_button"));
}

/* Every text a person could see in @widget and below; counts the editables seen. A key the
 * user typed into a password field is only there as dots: @allow_masked skips those. */
static void
assert_text_absent (GtkWidget  *widget,
                    const char *secret,
                    gboolean    allow_masked,
                    guint      *n_editables)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  /* The row delegates to its GtkText, whose visibility says whether it shows dots. */
  if (allow_masked
      && (ADW_IS_PASSWORD_ENTRY_ROW (widget)
          || (GTK_IS_TEXT (widget) && !gtk_text_get_visibility (GTK_TEXT (widget)))))
    (*n_editables)++;
  else if (GTK_IS_EDITABLE (widget))
    {
      g_assert_null (strstr (gtk_editable_get_text (GTK_EDITABLE (widget)), secret));
      (*n_editables)++;
    }
  if (GTK_IS_LABEL (widget))
    {
      g_assert_null (strstr (gtk_label_get_label (GTK_LABEL (widget)), secret));
      g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (widget)), secret));
    }
  if (tooltip != NULL)
    g_assert_null (strstr (tooltip, secret));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    assert_text_absent (c, secret, allow_masked, n_editables);
}

static void
check_secret_not_shown (const char *secret,
                        gboolean    allow_masked)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n_editables = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      assert_text_absent (window, secret, allow_masked, &n_editables);
    }
  g_assert_cmpuint (n_editables, >, 0);
}

/* Not even in a password field: for keys that are stored, not typed. */
static void
assert_secret_nowhere_shown (const char *secret)
{
  check_secret_not_shown (secret, FALSE);
}

/* Only as dots, in the password field it was typed into. */
static void
assert_secret_only_masked (const char *secret)
{
  check_secret_not_shown (secret, TRUE);
}

/* Lets revealers and spinners settle before a picture is taken. */
static void
settle (GtkWidget *widget)
{
  gboolean done = FALSE;
  guint id = g_timeout_add (400, timeout_cb, &done);

  gtk_test_widget_wait_for_draw (widget);
  WAIT_UNTIL (done);
  (void) id;
  gtk_test_widget_wait_for_draw (widget);
}

/* Store, file and keyring */

static char *
profiles_path (void)
{
  return dly_profile_store_get_default_path ();
}

static GBytes *
read_profiles_file (void)
{
  g_autofree char *path = profiles_path ();
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_bytes_new (NULL, 0);
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

static gboolean
file_contains (const char *text)
{
  g_autoptr(GBytes) bytes = read_profiles_file ();
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  return data != NULL && g_strstr_len (data, size, text) != NULL;
}

/* The key in the (file) keyring under @name, read straight through libsecret. */
static char *
keyring_lookup (const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;
  char *copy;

  secret_password_lookup (dly_profile_store_get_secret_schema (), NULL, on_done, &result,
                          "profile", name, NULL);
  WAIT_UNTIL (result != NULL);
  secret = secret_password_lookup_finish (result, &error);
  g_assert_no_error (error);
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

static void
keyring_store (const char *name,
               const char *key)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  secret_password_store (dly_profile_store_get_secret_schema (), SECRET_COLLECTION_DEFAULT,
                         "test", key, NULL, on_done, &result, "profile", name, NULL);
  WAIT_UNTIL (result != NULL);
  g_assert_true (secret_password_store_finish (result, &error));
  g_assert_no_error (error);
}

static void
save_store (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dly_profile_store_save_async (store, NULL, on_done, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (dly_profile_store_save_finish (store, result, &error));
  g_assert_no_error (error);
}

/* Windows */

static DlyBackendsWindow *
open_backends_window (int width,
                      int height)
{
  GtkWidget *window = dly_backends_window_new (NULL, store, session);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  return DLY_BACKENDS_WINDOW (window);
}

static DlyProfileEditor *
current_editor (void)
{
  DlyProfileEditor *editor = (DlyProfileEditor *) find_toplevel (DLY_TYPE_PROFILE_EDITOR);

  g_assert_nonnull (editor);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (editor));
  return editor;
}

static void
on_destroyed (GtkWidget *widget,
              gboolean  *destroyed)
{
  *destroyed = TRUE;
}

/* A click, as a person makes it (gtk_widget_activate() would wait for the press animation). */
static void
click (gpointer    widget,
       const char *id)
{
  GtkWidget *button = child (widget, id);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Presses Save and waits for the editor to close. */
static void
save_and_wait (DlyProfileEditor *editor)
{
  gboolean destroyed = FALSE;

  g_assert_true (save_enabled (editor));
  g_signal_connect (editor, "destroy", G_CALLBACK (on_destroyed), &destroyed);
  click (editor, "save_button");
  WAIT_UNTIL (destroyed);
}

static void
fill_runpod (DlyProfileEditor *editor,
             const char       *name,
             const char       *key)
{
  set_text (editor, "name_row", name);
  select_string (editor, "dialect_row", "runpod");
  set_text (editor, "url_row", dly_sim_get_base_url (sim, "runpod"));
  set_text (editor, "key_row", key);
}

static void
test_and_wait (DlyProfileEditor *editor)
{
  click (editor, "test_button");
  g_assert_true (dly_profile_editor_get_busy (editor));
  WAIT_UNTIL (!dly_profile_editor_get_busy (editor));
}

static const char *
test_result (DlyProfileEditor *editor)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child (editor, "test_status_stack")));
}

static const char *
test_message (DlyProfileEditor *editor)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (child (editor, "test_row")));
}

/* Tests, in order: each builds on the profiles the previous ones left. */

static void
test_empty_state (void)
{
  DlyBackendsWindow *window;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      int width = i == 0 ? 1280 : 400;
      g_autofree char *name = g_strdup_printf ("backends-empty-%dx800.png", width);

      window = open_backends_window (width, 800);
      g_assert_true (gtk_widget_get_visible (child (window, "empty_group")));
      g_assert_false (gtk_widget_get_visible (child (window, "list_group")));
      settle (GTK_WIDGET (window));
      dly_test_save_screenshot (GTK_WIDGET (window), name);
      destroy_all_windows ();
    }
}

static void
test_add (void)
{
  DlyBackendsWindow *window = open_backends_window (640, 620);
  DlyProfileEditor *editor;
  g_autofree char *stored = NULL;
  GtkWidget *quality;
  DlyProfile *profile;

  /* "Add a backend" opens the editor at once, with nothing to save yet and saying why. */
  dly_backends_window_add_profile (window);
  editor = current_editor ();
  g_assert_false (save_enabled (editor));
  g_assert_cmpstr (dly_profile_editor_get_problem (editor), ==, "Give the backend a name");

  /* A hosted dialect fills in its public URL; RunPod's needs its endpoint id. */
  select_string (editor, "dialect_row", "apixo");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "url_row"))), ==,
                   "https://api.apixo.ai");
  select_string (editor, "dialect_row", "runpod");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "url_row"))), ==,
                   "https://api.runpod.ai/v2/ENDPOINT_ID");
  set_text (editor, "name_row", "Studio RunPod");
  g_assert_false (save_enabled (editor));
  g_assert_nonnull (strstr (dly_profile_editor_get_problem (editor), "ENDPOINT_ID"));
  /* Hosted: the key goes to the keyring unless said otherwise, and "no key" is not offered. */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (
                      child (editor, "key_source_row")))), ==, 2);
  g_assert_cmpuint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (
                      child (editor, "concurrency_spin"))), ==, DLY_PROFILE_HOSTED_CONCURRENCY);

  fill_runpod (editor, "Studio RunPod", KEY_GOOD);
  quality = find_default_row (GTK_WIDGET (editor), "Quality");
  g_assert_nonnull (quality);
  gtk_editable_set_text (GTK_EDITABLE (quality), "fast");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (editor, "concurrency_spin")), 3);
  g_assert_null (dly_profile_editor_get_problem (editor));
  g_assert_true (save_enabled (editor));

  save_and_wait (editor);

  profile = dly_profile_store_lookup (store, "Studio RunPod");
  g_assert_nonnull (profile);
  g_assert_cmpstr (dly_profile_get_dialect (profile), ==, "runpod");
  g_assert_cmpstr (dly_profile_get_base_url (profile), ==, dly_sim_get_base_url (sim, "runpod"));
  g_assert_cmpint (dly_profile_get_key_source (profile), ==, DLY_KEY_SOURCE_KEYRING);
  g_assert_cmpuint (dly_profile_get_concurrency (profile), ==, 3);
  g_assert_cmpstr (dly_profile_get_default (profile, "quality_preset"), ==, "fast");

  /* profiles.ini has the profile and where its key is, never the key. */
  g_assert_true (file_contains ("[Profile Studio RunPod]"));
  g_assert_true (file_contains ("keyring"));
  g_assert_false (file_contains ("TESTKEY"));
  stored = keyring_lookup ("Studio RunPod");
  g_assert_cmpstr (stored, ==, KEY_GOOD);

  /* The list shows it. */
  g_assert_true (gtk_widget_get_visible (child (window, "list_group")));
  g_assert_false (gtk_widget_get_visible (child (window, "empty_group")));
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (child (window, "list_box")), 0));
  destroy_all_windows ();
}

static void
test_edit_never_shows_key (void)
{
  DlyBackendsWindow *window = open_backends_window (640, 620);
  DlyProfileEditor *editor;
  g_autofree char *stored = NULL;
  DlyProfile *profile;
  GtkWidget *quality;

  g_assert_true (dly_backends_window_edit_profile (window, "Studio RunPod"));
  editor = current_editor ();

  /* It looks the key up only to learn there is one: the field stays empty. */
  WAIT_UNTIL (dly_profile_editor_get_problem (editor) == NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "key_row"))), ==, "");
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (
                     child (editor, "key_group"))), ==,
                   "A key is stored. Type a new one to replace it.");
  /* The name is fixed: takes and the key refer to it. */
  g_assert_false (gtk_widget_get_visible (child (editor, "name_row")));
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (child (editor, "window_title"))),
                   ==, "Studio RunPod");
  quality = find_default_row (GTK_WIDGET (editor), "Quality");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (quality)), ==, "fast");
  g_assert_cmpuint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (
                      child (editor, "concurrency_spin"))), ==, 3);
  assert_secret_nowhere_shown (KEY_GOOD);
  assert_secret_nowhere_shown ("TESTKEY");

  /* A test with the stored key works, and still shows nothing of it. */
  test_and_wait (editor);
  g_assert_cmpstr (test_result (editor), ==, "ok");
  assert_secret_nowhere_shown ("TESTKEY");

  /* Changing a default keeps the stored key. */
  gtk_editable_set_text (GTK_EDITABLE (quality), "ultra");
  save_and_wait (editor);
  profile = dly_profile_store_lookup (store, "Studio RunPod");
  g_assert_cmpstr (dly_profile_get_default (profile, "quality_preset"), ==, "ultra");
  g_assert_cmpint (dly_profile_get_key_source (profile), ==, DLY_KEY_SOURCE_KEYRING);
  stored = keyring_lookup ("Studio RunPod");
  g_assert_cmpstr (stored, ==, KEY_GOOD);
  g_assert_false (file_contains ("TESTKEY"));
  assert_secret_nowhere_shown ("TESTKEY");
  destroy_all_windows ();
}

static void
assert_blocked (DlyProfileEditor *editor,
                const char       *row_id,
                const char       *reason_part)
{
  const char *problem = dly_profile_editor_get_problem (editor);

  g_assert_nonnull (problem);
  if (strstr (problem, reason_part) == NULL)
    g_error ("Expected a reason with “%s”, got “%s”", reason_part, problem);
  g_assert_false (save_enabled (editor));
  /* The reason is on screen, and on the Save button. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (editor, "problem_label"))), ==, problem);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (child (editor, "save_button")), ==, problem);
  if (row_id != NULL)
    g_assert_true (gtk_widget_has_css_class (child (editor, row_id), "error"));
}

static void
test_invalid_input_blocks_save (void)
{
  DlyBackendsWindow *window = open_backends_window (640, 620);
  DlyProfileEditor *editor;
  GtkWidget *quality;

  dly_backends_window_add_profile (window);
  editor = current_editor ();
  fill_runpod (editor, "Second", KEY_GOOD);
  g_assert_true (save_enabled (editor));

  /* Names */
  set_text (editor, "name_row", "bad [name]");
  assert_blocked (editor, "name_row", "square brackets");
  set_text (editor, "name_row", DLY_DEMO_PROFILE_NAME);
  assert_blocked (editor, "name_row", "demo backend");
  set_text (editor, "name_row", "demo");
  assert_blocked (editor, "name_row", "demo backend");
  set_text (editor, "name_row", "Studio RunPod");
  assert_blocked (editor, "name_row", "already called");
  set_text (editor, "name_row", "");
  assert_blocked (editor, NULL, "name");
  set_text (editor, "name_row", "Second");
  g_assert_true (save_enabled (editor));
  g_assert_false (gtk_widget_has_css_class (child (editor, "name_row"), "error"));

  /* URLs */
  set_text (editor, "url_row", "ftp://example.com");
  assert_blocked (editor, "url_row", "ftp://example.com");
  set_text (editor, "url_row", "not a url");
  assert_blocked (editor, "url_row", "not a backend URL");
  set_text (editor, "url_row", "https://api.runpod.ai/v2/ENDPOINT_ID");
  assert_blocked (editor, "url_row", "ENDPOINT_ID");
  select_string (editor, "dialect_row", "ltx2-server");
  set_text (editor, "url_row", "http://HOST:PORT");
  assert_blocked (editor, "url_row", "HOST:PORT");
  set_text (editor, "url_row", "http://192.168.1.20:8000");
  g_assert_true (save_enabled (editor));
  /* A self-hosted dialect offers "no key" and takes the default concurrency of a GPU. */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (
                      child (editor, "key_source_row")))), ==, 3);

  /* Keys */
  select_string (editor, "dialect_row", "runpod");
  set_text (editor, "url_row", dly_sim_get_base_url (sim, "runpod"));
  set_text (editor, "key_row", "");
  assert_blocked (editor, NULL, "Type the API key");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (editor, "key_source_row")), 1);
  g_assert_true (gtk_widget_get_visible (child (editor, "key_env_row")));
  g_assert_false (gtk_widget_get_visible (child (editor, "key_row")));
  set_text (editor, "key_env_row", "9LIVES");
  assert_blocked (editor, "key_env_row", "variable name");
  /* A key pasted where the variable's name goes is refused, and not repeated. */
  set_text (editor, "key_env_row", "rpa_abcdefghij1234567890abcdefghij");
  assert_blocked (editor, "key_env_row", "looks like a key");
  g_assert_null (strstr (dly_profile_editor_get_problem (editor), "rpa_abc"));
  set_text (editor, "key_env_row", "RUNPOD_API_KEY");
  g_assert_true (save_enabled (editor));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (editor, "key_source_row")), 0);
  set_text (editor, "key_row", KEY_GOOD);
  g_assert_true (save_enabled (editor));

  /* Defaults, checked by the backend's own parameters */
  quality = find_default_row (GTK_WIDGET (editor), "Quality");
  gtk_editable_set_text (GTK_EDITABLE (quality), "superb");
  assert_blocked (editor, NULL, "quality_preset");
  g_assert_true (gtk_widget_has_css_class (quality, "error"));
  /* Shown on the closed expander too, so the wrong value can be found. */
  g_assert_true (gtk_widget_has_css_class (child (editor, "defaults_row"), "error"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child (editor, "defaults_row")), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (editor), 400, 800);
  settle (GTK_WIDGET (editor));
  dly_test_save_screenshot (GTK_WIDGET (editor), "backends-editor-invalid-400x800.png");
  gtk_editable_set_text (GTK_EDITABLE (quality), "");
  g_assert_true (save_enabled (editor));

  /* Activating Save while invalid does nothing. */
  set_text (editor, "name_row", "");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_null (dly_profile_store_lookup (store, ""));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  destroy_all_windows ();
}

static void
on_tested (DlyBackendsWindow *window,
           const char        *name,
           gboolean           ok,
           const char        *message,
           guint             *count)
{
  (*count)++;
}

static void
test_connection (void)
{
  DlyBackendsWindow *window = open_backends_window (640, 620);
  DlyProfileEditor *editor;
  guint tested = 0;

  dly_backends_window_add_profile (window);
  editor = current_editor ();

  /* The right key, typed and not yet saved: the backend answers and takes it. */
  fill_runpod (editor, "Tested", KEY_GOOD);
  test_and_wait (editor);
  g_assert_cmpstr (test_result (editor), ==, "ok");
  g_assert_nonnull (strstr (test_message (editor), "API key was accepted"));
  assert_secret_only_masked ("TESTKEY");

  /* A change makes the result stale. */
  set_text (editor, "key_row", KEY_WRONG);
  g_assert_cmpstr (test_result (editor), ==, "idle");

  /* A wrong key: the backend's own refusal, inline. */
  test_and_wait (editor);
  g_assert_cmpstr (test_result (editor), ==, "failed");
  g_assert_nonnull (strstr (test_message (editor), "Unauthorized: missing or invalid API key"));
  assert_secret_only_masked ("TESTKEY");

  /* An endpoint that is not there. */
  set_text (editor, "key_row", KEY_GOOD);
  set_text (editor, "url_row", "http://127.0.0.1:9/v2/nothing");
  test_and_wait (editor);
  g_assert_cmpstr (test_result (editor), ==, "failed");
  gtk_window_destroy (GTK_WINDOW (editor));

  /* A saved profile, tested from its row. */
  g_signal_connect (window, "profile-tested", G_CALLBACK (on_tested), &tested);
  g_assert_true (dly_backends_window_test_profile (window, "Studio RunPod"));
  WAIT_UNTIL (tested == 1);
  {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (child (window, "list_box")), 0);
    const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

    g_assert_nonnull (strstr (subtitle, "API key was accepted"));
  }
  destroy_all_windows ();
}


/* The list with three backends, one tested fine and one refused; and the editor. */
static void
test_screenshots (void)
{
  g_autoptr(DlyProfile) apixo = dly_profile_new ("apixo", "apixo", NULL);
  g_autoptr(DlyProfile) gpu = dly_profile_new ("Studio GPU", "ltx2-server", NULL);
  g_autoptr(DlyProfile) demo = dly_profile_new (DLY_DEMO_PROFILE_NAME, "ltx2-server",
                                                dly_sim_get_base_url (sim, "ltx2-server"));
  DlyBackendsWindow *window;
  DlyProfileEditor *editor;
  guint tested = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *apixo_url = g_strdup (dly_sim_get_base_url (sim, "apixo"));

  dly_profile_set_base_url (apixo, apixo_url);
  dly_profile_set_key_source (apixo, DLY_KEY_SOURCE_KEYRING, NULL);
  g_assert_true (dly_profile_store_add (store, apixo, &error));
  keyring_store ("apixo", KEY_APIXO);   /* not what the simulator takes */
  dly_profile_set_base_url (gpu, "http://192.168.1.20:8000");
  g_assert_true (dly_profile_store_add (store, gpu, &error));
  g_assert_no_error (error);
  /* The demo backend, as the app lists it while it runs: shown, tested, never saved. */
  g_assert_true (dly_profile_store_add_transient (store, demo, &error));
  save_store ();
  g_assert_false (file_contains (DLY_DEMO_PROFILE_NAME));

  for (guint i = 0; i < 2; i++)
    {
      int width = i == 0 ? 1280 : 400;
      g_autofree char *list_name = g_strdup_printf ("backends-list-%dx800.png", width);
      g_autofree char *editor_name = g_strdup_printf ("backends-editor-%dx800.png", width);

      tested = 0;
      window = open_backends_window (width, 800);
      g_signal_connect (window, "profile-tested", G_CALLBACK (on_tested), &tested);
      dly_backends_window_test_profile (window, "Studio RunPod");
      dly_backends_window_test_profile (window, "apixo");
      dly_backends_window_test_profile (window, DLY_DEMO_PROFILE_NAME);
      WAIT_UNTIL (tested == 3);
      /* The demo is the app's: no editing, no removing. */
      g_assert_false (dly_backends_window_edit_profile (window, DLY_DEMO_PROFILE_NAME));
      g_assert_null (find_toplevel (DLY_TYPE_PROFILE_EDITOR));
      gtk_widget_activate_action (GTK_WIDGET (window), "backends.remove", "s",
                                  DLY_DEMO_PROFILE_NAME);
      g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
      settle (GTK_WIDGET (window));
      dly_test_save_screenshot (GTK_WIDGET (window), list_name);
      assert_secret_nowhere_shown ("TESTKEY");

      /* Made here rather than through the row's button, to open it at the size wanted. */
      editor = DLY_PROFILE_EDITOR (dly_profile_editor_new (GTK_WINDOW (window), store, session,
                                                           dly_profile_store_lookup (store, "Studio RunPod")));
      gtk_window_set_default_size (GTK_WINDOW (editor), width, 800);
      gtk_window_present (GTK_WINDOW (editor));
      gtk_test_widget_wait_for_draw (GTK_WIDGET (editor));
      WAIT_UNTIL (dly_profile_editor_get_problem (editor) == NULL);
      test_and_wait (editor);
      settle (GTK_WIDGET (editor));
      dly_test_save_screenshot (GTK_WIDGET (editor), editor_name);
      assert_secret_nowhere_shown ("TESTKEY");

      /* The defaults, opened, at the bottom of the form. */
      if (i == 0)
        {
          GtkWidget *scrolled = find_descendant (GTK_WIDGET (editor), GTK_TYPE_SCROLLED_WINDOW);
          GtkAdjustment *adjustment;

          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child (editor, "defaults_row")), TRUE);
          settle (GTK_WIDGET (editor));
          adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
          gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
          settle (GTK_WIDGET (editor));
          dly_test_save_screenshot (GTK_WIDGET (editor), "backends-editor-defaults-1280x800.png");
        }

      /* The list of dialects, each with its one-line description. */
      if (i == 1)
        {
          GtkWidget *row = child (editor, "dialect_row");
          GtkWidget *popover;

          adw_action_row_activate (ADW_ACTION_ROW (row));
          popover = find_descendant (row, GTK_TYPE_POPOVER);
          g_assert_nonnull (popover);
          WAIT_UNTIL (gtk_widget_get_mapped (popover));
          settle (popover);
          dly_test_save_screenshot (popover, "backends-editor-dialects.png");
          gtk_popover_popdown (GTK_POPOVER (popover));
        }
      destroy_all_windows ();
    }
}

/* A save that fails (profiles.ini cannot be written) says so and keeps everything typed. The
 * name has what Pango markup would choke on, for the toast that follows the save. */
#define UNLUCKY "R&D <unlucky>"

static void
test_failed_save_keeps_input (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dailies-test-unwritable-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "profiles.ini", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DlyProfileStore) broken = dly_profile_store_new_for_file (file);
  GtkWidget *window;
  DlyProfileEditor *editor;
  AdwMessageDialog *dialog;
  gboolean destroyed = FALSE;

  /* A directory where the file should be: no write succeeds, whoever runs the test. */
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);

  window = dly_backends_window_new (NULL, broken, session);
  gtk_window_present (GTK_WINDOW (window));
  dly_backends_window_add_profile (DLY_BACKENDS_WINDOW (window));
  editor = current_editor ();
  fill_runpod (editor, UNLUCKY, KEY_GOOD);
  click (editor, "save_button");

  WAIT_UNTIL ((dialog = (AdwMessageDialog *) find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Save the Backend");
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), "TESTKEY"));
  /* Nothing half-done in the store, nothing lost in the form. */
  g_assert_null (dly_profile_store_lookup (broken, UNLUCKY));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "name_row"))), ==, UNLUCKY);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "key_row"))), ==, KEY_GOOD);
  g_assert_true (save_enabled (editor));
  adw_message_dialog_response (dialog, "close");

  /* Once the way is clear, the same form saves. */
  g_assert_cmpint (g_rmdir (path), ==, 0);
  g_signal_connect (editor, "destroy", G_CALLBACK (on_destroyed), &destroyed);
  click (editor, "save_button");
  WAIT_UNTIL (destroyed);
  g_assert_nonnull (dly_profile_store_lookup (broken, UNLUCKY));
  destroy_all_windows ();

  /* Its key went to the same keyring as the others: clear it. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    dly_profile_store_clear_key_async (broken, UNLUCKY, NULL, on_done, &result);
    WAIT_UNTIL (result != NULL);
    g_assert_true (dly_profile_store_clear_key_finish (broken, result, NULL));
  }
  g_remove (path);
  g_rmdir (dir);
}

static void
on_removed (DlyBackendsWindow *window,
            const char        *name,
            char             **removed)
{
  g_free (*removed);
  *removed = g_strdup (name);
}

static void
test_remove (void)
{
  DlyBackendsWindow *window = open_backends_window (640, 620);
  g_autofree char *removed = NULL;
  g_autofree char *stored = NULL;
  AdwMessageDialog *dialog;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  g_signal_connect (window, "profile-removed", G_CALLBACK (on_removed), &removed);

  /* Cancelling keeps everything. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "backends.remove", "s",
                                             "Studio RunPod"));
  dialog = (AdwMessageDialog *) find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "remove"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "cancel");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_nonnull (dly_profile_store_lookup (store, "Studio RunPod"));

  /* Confirmed: gone from the store, the file and the keyring. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "backends.remove", "s",
                                             "Studio RunPod"));
  WAIT_UNTIL ((dialog = (AdwMessageDialog *) find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  adw_message_dialog_response (dialog, "remove");
  WAIT_UNTIL (removed != NULL);
  g_assert_cmpstr (removed, ==, "Studio RunPod");
  g_assert_null (dly_profile_store_lookup (store, "Studio RunPod"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n - 1);
  g_assert_false (file_contains ("Studio RunPod"));
  stored = keyring_lookup ("Studio RunPod");
  g_assert_null (stored);
  destroy_all_windows ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring_dir = NULL;
  g_autofree char *keyring_file = NULL;
  g_autofree char *xdg = NULL;
  g_autofree char *home = NULL;
  int status;

  /* libsecret's file backend with a throwaway keyring, set before anything touches it. */
  keyring_dir = g_dir_make_tmp ("dailies-test-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  keyring_file = g_build_filename (keyring_dir, "keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring_file, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_init (&argc, &argv, NULL);

  /* profiles.ini in a fresh directory; a private home in the build tree so that the user's
   * GTK settings cannot change the screenshots (G_TEST_OPTION_ISOLATE_DIRS would also hide
   * the system icon theme). */
  xdg = g_dir_make_tmp ("dailies-test-backends-XXXXXX", &error);
  g_assert_no_error (error);
  home = g_test_build_filename (G_TEST_BUILT, "test-backends-home", NULL);
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", xdg, TRUE);
  g_setenv ("XDG_DATA_HOME", xdg, TRUE);
  g_setenv ("XDG_CACHE_HOME", xdg, TRUE);

  gtk_init ();
  adw_init ();

  sim = dly_sim_new ();
  g_assert_true (dly_sim_start (sim, 0, &error));
  g_assert_no_error (error);
  dly_sim_set_api_key (sim, KEY_GOOD);
  session = soup_session_new ();
  store = dly_profile_store_new ();

  g_test_add_func ("/backends/empty-state", test_empty_state);
  g_test_add_func ("/backends/add", test_add);
  g_test_add_func ("/backends/edit-never-shows-key", test_edit_never_shows_key);
  g_test_add_func ("/backends/invalid-input-blocks-save", test_invalid_input_blocks_save);
  g_test_add_func ("/backends/connection-test", test_connection);
  g_test_add_func ("/backends/failed-save-keeps-input", test_failed_save_keeps_input);
  g_test_add_func ("/backends/screenshots", test_screenshots);
  g_test_add_func ("/backends/remove", test_remove);

  status = g_test_run ();

  g_clear_object (&store);
  g_clear_object (&session);
  dly_sim_stop (sim);
  g_clear_object (&sim);
  {
    g_autofree char *profiles = profiles_path ();
    g_autofree char *dailies_dir = g_path_get_dirname (profiles);

    g_remove (profiles);
    g_rmdir (dailies_dir);
  }
  g_rmdir (xdg);
  g_remove (keyring_file);
  g_rmdir (keyring_dir);
  return status;
}
