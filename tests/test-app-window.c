/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application shell, built for real under a display: the empty state and its copy
 * buttons, the app and window actions with their shortcuts, the About window, window-size
 * persistence, quitting, and screenshots at a wide and a narrow size for a person to see. */
#include "config.h"

#include "dly-test-ui.h"

#include <adwaita.h>
#include <string.h>

#ifdef HAVE_X11
#include <gdk/x11/gdkx.h>
#endif

#include "dly-application.h"
#include "dly-window.h"

/* Registered once; every test builds its windows from it. */
static DlyApplication *app;

static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, found);
}

/* Every descendant of @root (itself included) of @type, in tree order. */
static GPtrArray *
find_widgets (GtkWidget *root,
              GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_widgets (root, type, found);

  return found;
}

static GtkWidget *
find_label_with_text (GtkWidget  *root,
                      const char *text)
{
  g_autoptr(GPtrArray) labels = find_widgets (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
        return labels->pdata[i];
    }

  return NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/* Runs the main loop until *@done is set, failing the test after a generous timeout. */
static void
iterate_until (const gboolean *done)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (timeout_id);
}

/* Lets pending idles and frames run, for changes that have no completion signal. */
static void
iterate_briefly (void)
{
  gboolean done = FALSE;

  g_timeout_add (100, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* The window's size on screen; the widget is a little smaller, inside the resize borders. */
static void
assert_surface_size (DlyWindow *window,
                     int        width,
                     int        height)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  g_assert_cmpint (gdk_surface_get_width (surface), ==, width);
  g_assert_cmpint (gdk_surface_get_height (surface), ==, height);
}

/* Resizes @window the way a user does, through the window system, when that is X11; the
 * window has to notice by itself.  Elsewhere it can only ask GTK for the size. */
static void
resize_window (DlyWindow *window,
               int        width,
               int        height)
{
#ifdef HAVE_X11
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));

  if (GDK_IS_X11_DISPLAY (display))
    {
      gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

      XResizeWindow (gdk_x11_display_get_xdisplay (display), gdk_x11_surface_get_xid (surface),
                     width, height);
      while ((gdk_surface_get_width (surface) != width || gdk_surface_get_height (surface) != height)
             && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
    }
  else
#endif
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  assert_surface_size (window, width, height);
}

static DlyWindow *
present_main_window (void)
{
  DlyWindow *window = dly_application_get_main_window (app);

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  return window;
}

static gboolean
controller_loaded (gpointer data)
{
  return dly_take_controller_get_loaded (data);
}

static GtkButton *
find_button_with_label (GtkWidget  *root,
                        const char *label)
{
  g_autoptr(GPtrArray) buttons = find_widgets (root, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), label) == 0
          && gtk_widget_get_mapped (buttons->pdata[i]))
        return buttons->pdata[i];
    }
  return NULL;
}

/* A first run, with no backend and no takes: one welcome over the whole window, offering
 * to add a backend or to try the demo. */
static void
test_empty_state (void)
{
  DlyWindow *window = present_main_window ();
  DlyTakeController *controller = dly_window_get_controller (window);
  g_autoptr(GPtrArray) pages = NULL;
  AdwStatusPage *welcome = NULL;
  GtkButton *add, *demo;
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (!controller_loaded (controller) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
  iterate_briefly ();

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Dailies");

  pages = find_widgets (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  for (guint i = 0; i < pages->len; i++)
    {
      if (gtk_widget_get_mapped (pages->pdata[i]))
        {
          g_assert_null (welcome);
          welcome = pages->pdata[i];
        }
    }
  g_assert_nonnull (welcome);
  g_assert_cmpstr (adw_status_page_get_title (welcome), ==, "Welcome to Dailies");
  g_assert_cmpstr (adw_status_page_get_icon_name (welcome), ==, APP_ID);

  add = find_button_with_label (GTK_WIDGET (welcome), "_Add a Backend");
  demo = find_button_with_label (GTK_WIDGET (welcome), "_Try the Demo Backend");
  g_assert_nonnull (add);
  g_assert_nonnull (demo);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (add)), ==, "win.add-backend");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (demo)), ==, "win.try-demo");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (add), "suggested-action"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "add-backend"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "try-demo"));
  /* The demo says what it is before anyone tries it. */
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (welcome),
                                          "The demo backend runs on this computer and makes "
                                          "synthetic test clips, not AI video. No account, no GPU."));
  /* Nothing to generate with yet. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "generate"));
}

static AdwLeaflet *window_leaflet_of (DlyWindow *window);

static void
collect_menu_actions (GMenuModel *model,
                      GPtrArray  *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuLinkIter) links = NULL;
      char *action = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_ptr_array_add (actions, action);

      links = g_menu_model_iterate_item_links (model, i);
      while (g_menu_link_iter_next (links))
        {
          g_autoptr(GMenuModel) link = g_menu_link_iter_get_value (links);

          collect_menu_actions (link, actions);
        }
    }
}

static void
assert_accels (const char *action,
               const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  g_assert_true (g_strv_contains ((const char * const *) accels, accel));
}

static void
test_primary_menu (void)
{
  DlyWindow *window = present_main_window ();
  g_autoptr(GPtrArray) menu_buttons = find_widgets (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  GtkMenuButton *menu_button = NULL;
  GtkPopover *popover;
  const char *expected[] = { "win.manage-backends", "win.toggle-takes", "win.show-help-overlay",
                             "app.about", "app.quit" };

  /* Primary, so that F10 opens it: the composer's, and the welcome's (the same menu) while
   * the welcome covers the window. */
  for (guint i = 0; i < menu_buttons->len; i++)
    {
      GtkMenuButton *button = menu_buttons->pdata[i];

      if (!gtk_menu_button_get_primary (button))
        continue;
      if (gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_LEAFLET) != NULL)
        {
          g_assert_null (menu_button);
          menu_button = button;
        }
    }
  g_assert_nonnull (menu_button);

  /* The menu is built when first opened. */
  g_assert_null (gtk_menu_button_get_menu_model (menu_button));
  gtk_menu_button_popup (menu_button);
  gtk_menu_button_popdown (menu_button);
  collect_menu_actions (gtk_menu_button_get_menu_model (menu_button), actions);
  g_assert_cmpuint (actions->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (actions->pdata[i], ==, expected[i]);

  /* Every item leads somewhere that exists and is enabled. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "quit"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "manage-backends"));

  /* The welcome covers the pane with the primary menu: show it as after choosing a backend. */
  gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_ancestor (
                                      GTK_WIDGET (window_leaflet_of (window)), GTK_TYPE_STACK)),
                                    "main");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_menu_button_popup (menu_button);
  popover = gtk_menu_button_get_popover (menu_button);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (popover));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (popover), "About Dailies"));
  dly_test_save_screenshot (GTK_WIDGET (popover), "app-primary-menu.png");
  gtk_menu_button_popdown (menu_button);
}

static AdwLeaflet *
window_leaflet_of (DlyWindow *window)
{
  g_autoptr(GPtrArray) leaflets = find_widgets (GTK_WIDGET (window), ADW_TYPE_LEAFLET);

  g_assert_cmpuint (leaflets->len, ==, 1);
  return leaflets->pdata[0];
}

static void
test_shortcuts (void)
{
  DlyWindow *window = present_main_window ();
  GtkShortcutsWindow *overlay;

  assert_accels ("app.quit", "<Control>q");
  assert_accels ("window.close", "<Control>w");
  assert_accels ("win.show-help-overlay", "<Control>question");
  assert_accels ("win.generate", "<Control>Return");
  assert_accels ("win.manage-backends", "<Control>comma");
  assert_accels ("win.toggle-takes", "F9");

  /* Built on first use, not with every window. */
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (overlay));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (overlay), "Quit"));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (overlay), "Close Window"));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (overlay), "Generate"));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (overlay), "Play or Pause"));
  dly_test_save_screenshot (GTK_WIDGET (overlay), "app-shortcuts.png");

  /* GtkApplicationWindow makes the overlay hide on close, to be shown again later. */
  gtk_window_close (GTK_WINDOW (overlay));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))
                 == overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  gtk_window_close (GTK_WINDOW (overlay));
}

static void
test_about (void)
{
  DlyWindow *window = present_main_window ();
  GtkIconTheme *icon_theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));
  AdwAboutWindow *about;

  g_assert_null (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);

  about = ADW_ABOUT_WINDOW (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_assert_nonnull (about);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (about));

  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (about)));
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Dailies");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_website (about), ==, "https://github.com/dailies/dailies");
  g_assert_cmpstr (adw_about_window_get_issue_url (about), ==,
                   "https://github.com/dailies/dailies/issues");
  g_assert_nonnull (strstr (adw_about_window_get_debug_info (about), "GTK 4."));
  g_assert_nonnull (strstr (adw_about_window_get_debug_info (about), "GStreamer 1."));
  /* Not translated here, so nobody is credited with the word "translator-credits". */
  g_assert_cmpstr (adw_about_window_get_translator_credits (about), ==, NULL);

  /* The icons come from the resources, so they show without being installed. */
  g_assert_true (gtk_icon_theme_has_icon (icon_theme, APP_ID));
  g_assert_true (gtk_icon_theme_has_icon (icon_theme, APP_ID "-symbolic"));

  dly_test_save_screenshot (GTK_WIDGET (about), "app-about.png");
  gtk_window_destroy (GTK_WINDOW (about));
}

static void
test_window_size_persisted (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  DlyWindow *window;
  gboolean destroyed = FALSE;
  int width, height;

  /* A new window opens at the size the last one closed at. */
  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  window = dly_window_new (GTK_APPLICATION (app));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  assert_surface_size (window, 900, 640);

  /* Resized, then closed (Ctrl+W), it stores the size it had. */
  resize_window (window, 1000, 700);
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (timeout_cb), &destroyed);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL));
  iterate_until (&destroyed);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

/* A new window at @width x @height, drawn and saved as a picture. */
static void
screenshot_at_size (int         width,
                    int         height,
                    const char *name)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  DlyWindow *window;

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  window = dly_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* The content fits: the window is not forced bigger than asked. */
  assert_surface_size (window, width, height);

  dly_test_save_screenshot (GTK_WIDGET (window), name);

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static void
test_screenshot_wide (void)
{
  screenshot_at_size (1280, 800, "app-window-1280x800.png");
}

static void
test_screenshot_narrow (void)
{
  screenshot_at_size (400, 800, "app-window-400x800.png");
}

/* Phones are 360 pixels wide: the window must be able to shrink to that. */
static void
test_minimum_width (void)
{
  DlyWindow *window = present_main_window ();
  int minimum;

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
}

static void
test_quit (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  DlyWindow *window = present_main_window ();
  gboolean destroyed = FALSE;

  resize_window (window, 1024, 768);
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (timeout_cb), &destroyed);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  iterate_until (&destroyed);

  /* Every window closed through close-request, so the last one saved its size. */
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1024);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 768);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* A private home in the build tree, so the user's GTK settings cannot change what the
   * screenshots show.  (G_TEST_OPTION_ISOLATE_DIRS would also hide the system icon theme.) */
  home = g_test_build_filename (G_TEST_BUILT, "test-app-home", NULL);
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);

  app = dly_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/app/shell/empty-state", test_empty_state);
  g_test_add_func ("/app/shell/primary-menu", test_primary_menu);
  g_test_add_func ("/app/shell/shortcuts", test_shortcuts);
  g_test_add_func ("/app/shell/minimum-width", test_minimum_width);
  g_test_add_func ("/app/shell/about", test_about);
  g_test_add_func ("/app/shell/size-persisted", test_window_size_persisted);
  g_test_add_func ("/app/shell/screenshot-wide", test_screenshot_wide);
  g_test_add_func ("/app/shell/screenshot-narrow", test_screenshot_narrow);
  g_test_add_func ("/app/shell/quit", test_quit);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}
