/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Manage Backends": the saved profiles, each with its last connection test, and the ways to
 * add, edit, test and remove them. The list is the store itself; rows hold only a name. */
#include "config.h"

#define G_LOG_DOMAIN "dailies-app"

#include <glib/gi18n.h>

#include "dly-backends-window.h"
#include "dly-profile-editor.h"

typedef enum
{
  STATUS_UNTESTED,
  STATUS_TESTING,
  STATUS_OK,
  STATUS_FAILED,
} StatusState;

/* The last connection test of a profile, for as long as the window is open. */
typedef struct
{
  StatusState  state;
  char        *message;
} Status;

struct _DlyBackendsWindow
{
  AdwPreferencesWindow  parent_instance;

  DlyProfileStore      *store;
  SoupSession          *session;
  GCancellable         *cancellable;   /* connection tests; cancelled on close */
  GHashTable           *statuses;      /* profile name → Status */

  /* Template children */
  AdwPreferencesGroup  *list_group;
  GtkListBox           *list_box;
  AdwPreferencesGroup  *empty_group;
};

G_DEFINE_FINAL_TYPE (DlyBackendsWindow, dly_backends_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_PROFILE_TESTED,
  SIGNAL_PROFILE_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
status_free (Status *status)
{
  g_free (status->message);
  g_free (status);
}

static void
set_status (DlyBackendsWindow *self,
            const char        *name,
            StatusState        state,
            const char        *message)
{
  Status *status = g_new0 (Status, 1);

  status->state = state;
  status->message = g_strdup (message);
  g_hash_table_replace (self->statuses, g_strdup (name), status);
}

/* Rows */

static const char *
dialect_label (const char *dialect)
{
  GType type = dly_backend_type_for_dialect (dialect);
  DlyBackendClass *klass;
  const char *label;

  if (type == G_TYPE_INVALID)
    return dialect;
  /* Backend classes are static types: their labels outlive this reference. */
  klass = g_type_class_ref (type);
  label = klass->label;
  g_type_class_unref (klass);
  return label;
}

static void
update_row (DlyBackendsWindow *self,
            GtkWidget         *row)
{
  static const char *pages[] = { "untested", "testing", "ok", "failed" };
  const char *name = g_object_get_data (G_OBJECT (row), "dly-profile-name");
  GtkStack *stack = g_object_get_data (G_OBJECT (row), "dly-status-stack");
  DlyProfile *profile = dly_profile_store_lookup (self->store, name);
  Status *status = g_hash_table_lookup (self->statuses, name);
  StatusState state = status ? status->state : STATUS_UNTESTED;
  g_autofree char *subtitle = NULL;

  if (profile == NULL)
    return;

  subtitle = g_strdup_printf ("%s · %s", dialect_label (dly_profile_get_dialect (profile)),
                              dly_profile_get_base_url (profile));
  if (dly_profile_store_is_transient (self->store, name))
    {
      g_autofree char *with_note = g_strdup_printf ("%s\n%s", subtitle,
                                                    _("The demo: synthetic clips, no AI model. "
                                                      "Gone when Dailies quits"));

      g_free (subtitle);
      subtitle = g_steal_pointer (&with_note);
    }
  /* What the last test found, in the backend's own words, right where the backend is. */
  if (status != NULL && status->message != NULL)
    {
      g_autofree char *with_result = g_strdup_printf ("%s\n%s", subtitle, status->message);

      g_free (subtitle);
      subtitle = g_steal_pointer (&with_result);
    }
  else if (state == STATUS_TESTING)
    {
      g_autofree char *testing = g_strdup_printf ("%s\n%s", subtitle, _("Testing…"));

      g_free (subtitle);
      subtitle = g_steal_pointer (&testing);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_stack_set_visible_child_name (stack, pages[state]);
  gtk_spinner_set_spinning (GTK_SPINNER (gtk_stack_get_child_by_name (stack, "testing")),
                            state == STATUS_TESTING);
}

static GtkWidget *
find_row (DlyBackendsWindow *self,
          const char        *name)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list_box, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "dly-profile-name"), name) == 0)
      return GTK_WIDGET (row);
  return NULL;
}

static void
update_row_for_name (DlyBackendsWindow *self,
                     const char        *name)
{
  GtkWidget *row = find_row (self, name);

  if (row != NULL)
    update_row (self, row);
}

static void
add_status_page (GtkStack   *stack,
                 const char *name,
                 GtkWidget  *child,
                 const char *tooltip,
                 const char *css_class)
{
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (child, tooltip);
  if (css_class != NULL)
    gtk_widget_add_css_class (child, css_class);
  gtk_stack_add_named (stack, child, name);
}

static GtkWidget *
create_status_stack (void)
{
  GtkStack *stack = GTK_STACK (gtk_stack_new ());

  gtk_widget_set_valign (GTK_WIDGET (stack), GTK_ALIGN_CENTER);
  add_status_page (stack, "untested", gtk_image_new_from_icon_name ("network-server-symbolic"),
                   _("Not tested yet"), "dim-label");
  add_status_page (stack, "testing", gtk_spinner_new (), _("Testing…"), NULL);
  add_status_page (stack, "ok", gtk_image_new_from_icon_name ("emblem-ok-symbolic"),
                   _("Connected"), "success");
  add_status_page (stack, "failed", gtk_image_new_from_icon_name ("dialog-warning-symbolic"),
                   _("Test failed"), "error");
  return GTK_WIDGET (stack);
}

/* A transient profile (the demo backend) can be tested, but it is the app's, not the user's:
 * it is neither edited nor removed here. */
static GMenuModel *
create_row_menu (const char *name,
                 gboolean    transient)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenuItem) test = g_menu_item_new (_("_Test Connection"), NULL);

  g_menu_item_set_action_and_target_value (test, "backends.test", g_variant_new_string (name));
  g_menu_append_item (menu, test);
  if (!transient)
    {
      g_autoptr(GMenuItem) remove = g_menu_item_new (_("_Remove…"), NULL);

      g_menu_item_set_action_and_target_value (remove, "backends.remove",
                                               g_variant_new_string (name));
      g_menu_append_item (menu, remove);
    }
  return G_MENU_MODEL (menu);
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  DlyBackendsWindow *self = user_data;
  DlyProfile *profile = item;
  const char *name = dly_profile_get_name (profile);
  gboolean transient = dly_profile_store_is_transient (self->store, name);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *stack = create_status_stack ();
  GtkWidget *edit_button = gtk_button_new_from_icon_name ("document-edit-symbolic");
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenuModel) menu = create_row_menu (name, transient);
  g_autofree char *edit_label = g_strdup_printf (_("Edit “%s”"), name);
  g_autofree char *menu_label = g_strdup_printf (_("More Actions for “%s”"), name);

  /* Names, URLs and backend messages are shown as typed, never parsed as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  g_object_set_data_full (G_OBJECT (row), "dly-profile-name", g_strdup (name), g_free);
  g_object_set_data (G_OBJECT (row), "dly-status-stack", stack);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), stack);

  gtk_widget_set_valign (edit_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (edit_button, _("Edit"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (edit_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, edit_label, -1);
  gtk_widget_add_css_class (edit_button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (edit_button), "backends.edit");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (edit_button),
                                          g_variant_new_string (name));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit_button);
  if (transient)
    gtk_widget_set_visible (edit_button, FALSE);
  else
    adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), edit_button);

  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), menu);
  gtk_widget_set_tooltip_text (menu_button, _("More Actions"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);
  gtk_widget_add_css_class (menu_button, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);

  update_row (self, row);
  return row;
}

static void
update_empty_state (DlyBackendsWindow *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->list_group), !empty);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_group), empty);
}

static void
on_store_items_changed_cb (GListModel        *model,
                           guint              position,
                           guint              removed,
                           guint              added,
                           DlyBackendsWindow *self)
{
  update_empty_state (self);
}

/* Toast titles are Pango markup in libadwaita 1.2, and a profile's name may hold “&” or “<”. */
static void
add_toast (DlyBackendsWindow *self,
           const char        *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
}

/* Editing */

static void
on_editor_saved_cb (DlyProfileEditor  *editor,
                    DlyProfile        *profile,
                    DlyBackendsWindow *self)
{
  const char *name = dly_profile_get_name (profile);
  g_autofree char *text = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  /* A test of the old settings says nothing about the new ones. */
  g_hash_table_remove (self->statuses, name);
  update_row_for_name (self, name);

  text = dly_profile_editor_get_profile (editor) != NULL
         ? g_strdup_printf (_("Saved “%s”"), name)
         : g_strdup_printf (_("Added “%s”"), name);
  add_toast (self, text);
}

static void
open_editor (DlyBackendsWindow *self,
             DlyProfile        *profile)
{
  GtkWidget *editor = dly_profile_editor_new (GTK_WINDOW (self), self->store, self->session,
                                              profile);

  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

/* Connection tests */

typedef struct
{
  DlyBackendsWindow *self;
  DlyProfile        *profile;   /* as tested: a result for settings since changed is dropped */
} TestData;

static void
test_data_free (TestData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->profile);
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
  DlyBackendsWindow *self = data->self;
  const char *name = dly_profile_get_name (data->profile);
  const char *message = error ? error->message : text;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (dly_profile_store_lookup (self->store, name) != data->profile)
    return;

  set_status (self, name, error ? STATUS_FAILED : STATUS_OK, message);
  update_row_for_name (self, name);
  g_signal_emit (self, signals[SIGNAL_PROFILE_TESTED], 0, name, error == NULL, message);
}

gboolean
dly_backends_window_test_profile (DlyBackendsWindow *self,
                                  const char        *name)
{
  DlyProfile *profile;
  TestData *data;

  g_return_val_if_fail (DLY_IS_BACKENDS_WINDOW (self), FALSE);

  profile = dly_profile_store_lookup (self->store, name);
  if (profile == NULL)
    return FALSE;

  data = g_new0 (TestData, 1);
  data->self = g_object_ref (self);
  data->profile = g_object_ref (profile);
  set_status (self, name, STATUS_TESTING, NULL);
  update_row_for_name (self, name);
  dly_profile_store_check_async (self->store, profile, NULL, self->session, self->cancellable,
                                 on_profile_checked, data);
  return TRUE;
}

/* Removing */

typedef struct
{
  DlyBackendsWindow *self;
  DlyProfile        *profile;
} RemoveData;

static void
remove_data_free (RemoveData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->profile);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RemoveData, remove_data_free)

static void
show_error (DlyBackendsWindow *self,
            const char        *heading,
            const char        *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_removed_key_cleared (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(RemoveData) data = user_data;
  DlyBackendsWindow *self = data->self;
  const char *name = dly_profile_get_name (data->profile);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean closed = g_cancellable_is_cancelled (self->cancellable);

  /* Only a profile that used the keyring has a key to lose sleep over: for the others there
   * was nothing to clear, and no keyring may be available at all. */
  if (!dly_profile_store_clear_key_finish (DLY_PROFILE_STORE (source), result, &error)
      && dly_profile_get_key_source (data->profile) == DLY_KEY_SOURCE_KEYRING)
    text = g_strdup_printf (_("Removed “%s”, but its key may still be in the keyring"), name);
  else
    text = g_strdup_printf (_("Removed “%s”"), name);

  if (!closed)
    add_toast (self, text);
  g_signal_emit (self, signals[SIGNAL_PROFILE_REMOVED], 0, name);
}

static void
on_removed_saved (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RemoveData) data = user_data;
  DlyBackendsWindow *self = data->self;
  DlyProfileStore *store = DLY_PROFILE_STORE (source);
  const char *name = dly_profile_get_name (data->profile);
  g_autoptr(GError) error = NULL;
  /* The removal completes even when the window was closed meanwhile; only what is shown
   * depends on the window. */
  gboolean closed = g_cancellable_is_cancelled (self->cancellable);

  if (!dly_profile_store_save_finish (store, result, &error))
    {
      /* Back in the list, as it still is in profiles.ini. */
      dly_profile_store_replace (store, data->profile, NULL);
      if (!closed)
        show_error (self, _("Could Not Remove the Backend"), error->message);
      return;
    }
  if (!closed)
    g_hash_table_remove (self->statuses, name);
  dly_profile_store_clear_key_async (store, name, NULL, on_removed_key_cleared,
                                     g_steal_pointer (&data));
}

static void
remove_profile (DlyBackendsWindow *self,
                const char        *name)
{
  DlyProfile *profile = dly_profile_store_lookup (self->store, name);
  RemoveData *data;

  if (profile == NULL || dly_profile_store_is_transient (self->store, name))
    return;
  data = g_new0 (RemoveData, 1);
  data->self = g_object_ref (self);
  data->profile = g_object_ref (profile);
  dly_profile_store_remove (self->store, name);
  dly_profile_store_save_async (self->store, NULL, on_removed_saved, data);
}

static void
on_remove_dialog_response_cb (AdwMessageDialog  *dialog,
                              const char        *response,
                              DlyBackendsWindow *self)
{
  if (g_strcmp0 (response, "remove") == 0)
    remove_profile (self, g_object_get_data (G_OBJECT (dialog), "dly-profile-name"));
}

static void
confirm_remove (DlyBackendsWindow *self,
                const char        *name)
{
  DlyProfile *profile = dly_profile_store_lookup (self->store, name);
  AdwMessageDialog *dialog;

  if (profile == NULL || dly_profile_store_is_transient (self->store, name))
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  adw_message_dialog_format_heading (dialog, _("Remove “%s”?"), name);
  adw_message_dialog_set_body (dialog,
                               dly_profile_get_key_source (profile) == DLY_KEY_SOURCE_KEYRING
                               ? _("Its API key is removed from the keyring too. Takes made "
                                   "with this backend stay in the take list.")
                               : _("Takes made with this backend stay in the take list."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "dly-profile-name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_dialog_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Actions */

static void
dly_backends_window_add_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  dly_backends_window_add_profile (DLY_BACKENDS_WINDOW (widget));
}

static void
dly_backends_window_edit_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  dly_backends_window_edit_profile (DLY_BACKENDS_WINDOW (widget),
                                    g_variant_get_string (parameter, NULL));
}

static void
dly_backends_window_test_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  dly_backends_window_test_profile (DLY_BACKENDS_WINDOW (widget),
                                    g_variant_get_string (parameter, NULL));
}

static void
dly_backends_window_remove_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  confirm_remove (DLY_BACKENDS_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* GObject */

static void
dly_backends_window_constructed (GObject *object)
{
  DlyBackendsWindow *self = DLY_BACKENDS_WINDOW (object);

  G_OBJECT_CLASS (dly_backends_window_parent_class)->constructed (object);

  g_return_if_fail (DLY_IS_PROFILE_STORE (self->store));
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("user-agent", "dailies/" PACKAGE_VERSION,
                                                   NULL);

  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->store), create_row_cb, self, NULL);
  g_signal_connect_object (self->store, "items-changed", G_CALLBACK (on_store_items_changed_cb),
                           self, 0);
  update_empty_state (self);
}

static void
dly_backends_window_dispose (GObject *object)
{
  DlyBackendsWindow *self = DLY_BACKENDS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DLY_TYPE_BACKENDS_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_pointer (&self->statuses, g_hash_table_unref);

  G_OBJECT_CLASS (dly_backends_window_parent_class)->dispose (object);
}

static void
dly_backends_window_finalize (GObject *object)
{
  DlyBackendsWindow *self = DLY_BACKENDS_WINDOW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dly_backends_window_parent_class)->finalize (object);
}

static void
dly_backends_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DlyBackendsWindow *self = DLY_BACKENDS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_backends_window_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DlyBackendsWindow *self = DLY_BACKENDS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_backends_window_class_init (DlyBackendsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dly_backends_window_constructed;
  object_class->dispose = dly_backends_window_dispose;
  object_class->finalize = dly_backends_window_finalize;
  object_class->get_property = dly_backends_window_get_property;
  object_class->set_property = dly_backends_window_set_property;

  /** DlyBackendsWindow:store: the profiles shown, loaded by the caller. */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DLY_TYPE_PROFILE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** DlyBackendsWindow:session: the session connection tests are sent with. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlyBackendsWindow::profile-tested:
   * @name: the profile's name
   * @ok: whether the backend answered and accepted the key
   * @message: what the test found, or the backend's refusal
   */
  signals[SIGNAL_PROFILE_TESTED] =
    g_signal_new ("profile-tested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING);
  /**
   * DlyBackendsWindow::profile-removed:
   * @name: the profile's name
   *
   * The profile is gone from profiles.ini, and its key from the keyring.
   */
  signals[SIGNAL_PROFILE_REMOVED] =
    g_signal_new ("profile-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-backends-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlyBackendsWindow, list_group);
  gtk_widget_class_bind_template_child (widget_class, DlyBackendsWindow, list_box);
  gtk_widget_class_bind_template_child (widget_class, DlyBackendsWindow, empty_group);

  gtk_widget_class_install_action (widget_class, "backends.add", NULL,
                                   dly_backends_window_add_action);
  gtk_widget_class_install_action (widget_class, "backends.edit", "s",
                                   dly_backends_window_edit_action);
  gtk_widget_class_install_action (widget_class, "backends.test", "s",
                                   dly_backends_window_test_action);
  gtk_widget_class_install_action (widget_class, "backends.remove", "s",
                                   dly_backends_window_remove_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "backends.add", NULL);
}

static void
dly_backends_window_init (DlyBackendsWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) status_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dly_backends_window_new (GtkWindow       *parent,
                         DlyProfileStore *store,
                         SoupSession     *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DLY_IS_PROFILE_STORE (store), NULL);
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  return g_object_new (DLY_TYPE_BACKENDS_WINDOW,
                       "transient-for", parent,
                       "store", store,
                       "session", session,
                       NULL);
}

void
dly_backends_window_add_profile (DlyBackendsWindow *self)
{
  g_return_if_fail (DLY_IS_BACKENDS_WINDOW (self));

  open_editor (self, NULL);
}

gboolean
dly_backends_window_edit_profile (DlyBackendsWindow *self,
                                  const char        *name)
{
  DlyProfile *profile;

  g_return_val_if_fail (DLY_IS_BACKENDS_WINDOW (self), FALSE);

  profile = dly_profile_store_lookup (self->store, name);
  if (profile == NULL || dly_profile_store_is_transient (self->store, name))
    return FALSE;
  open_editor (self, profile);
  return TRUE;
}
