/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window, built for real under a display and driven as a user would through its
 * actions and widgets: the first run and the demo backend from prompt to a take playing,
 * comparing two takes, a restart in the middle of a job, a ledger of 10,000 takes, the
 * narrow layout, and screenshots of each state for a person to look at. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#ifdef HAVE_X11
#include <gdk/x11/gdkx.h>
#endif

#include "dly-application.h"
#include "dly-compare-view.h"
#include "dly-composer.h"
#include "dly-ledger.h"
#include "dly-pane.h"
#include "dly-param-panel.h"
#include "dly-sim.h"
#include "dly-take-diff.h"
#include "dly-take-list.h"
#include "dly-take-status.h"
#include "dly-video-view.h"
#include "dly-window.h"

#define PROMPT "A lighthouse at dusk, waves crash on the rocks below, slow push in"

static DlyApplication *app;
static char *home;

/* Waiting */

typedef gboolean (*Condition) (gpointer data);

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @condition holds, failing after @seconds. */
static void
wait_until (Condition   condition,
            gpointer    data,
            guint       seconds,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out after %u s waiting for %s", seconds, what);
  g_source_remove (id);
}

static void
iterate_briefly (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
controller_loaded (gpointer data)
{
  return dly_take_controller_get_loaded (data);
}

static gboolean
app_has_window (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) != NULL;
}

static gboolean
controller_idle (gpointer data)
{
  return !dly_take_controller_get_busy (data);
}

static gboolean
job_finished (gpointer data)
{
  return dly_job_is_finished (data);
}

static gboolean
job_has_remote_id (gpointer data)
{
  return dly_job_get_remote_id (data) != NULL;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
player_shows_frame (gpointer data)
{
  DlyVideoView *view = data;
  DlyPlayer *player = dly_video_view_get_player (view);
  DlyPlayerState state = dly_player_get_state (player);

  return (state == DLY_PLAYER_STATE_PAUSED || state == DLY_PLAYER_STATE_PLAYING)
         && dly_video_paintable_get_n_drawn (dly_video_view_get_paintable (view)) > 0;
}

static gboolean
pair_loaded (gpointer data)
{
  DlyPlayer *player = dly_compare_view_get_player (data);
  DlyPlayerState state = dly_player_get_state (player);

  return dly_player_get_n_sides (player) == 2
         && (state == DLY_PLAYER_STATE_PAUSED || state == DLY_PLAYER_STATE_PLAYING);
}


/* A desktop notification server on the test's session bus: it records what the app sends
 * and can click a notification, as GNOME Shell would. */

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "  </interface>"
  "</node>";

typedef struct
{
  guint32  id;
  char    *summary;
  char    *body;
  GStrv    actions;
} Notification;

static GPtrArray *notifications;   /* of Notification* */
static GDBusConnection *notify_bus;
static gboolean notify_name_acquired;

static void
notification_free (Notification *notification)
{
  g_free (notification->summary);
  g_free (notification->body);
  g_strfreev (notification->actions);
  g_free (notification);
}

static void
on_notifications_method_call (GDBusConnection       *connection,
                              const char            *sender,
                              const char            *object_path,
                              const char            *interface_name,
                              const char            *method_name,
                              GVariant              *parameters,
                              GDBusMethodInvocation *invocation,
                              gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      Notification *notification = g_new0 (Notification, 1);

      g_variant_get_child (parameters, 3, "s", &notification->summary);
      g_variant_get_child (parameters, 4, "s", &notification->body);
      g_variant_get_child (parameters, 5, "^as", &notification->actions);
      notification->id = notifications->len + 1;
      g_ptr_array_add (notifications, notification);
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(u)", notification->id));
    }
  else if (g_str_equal (method_name, "CloseNotification"))
    g_dbus_method_invocation_return_value (invocation, NULL);
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "body", "actions", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test", "dailies", "1", "1.2"));
}

static void
on_notify_name_acquired (GDBusConnection *connection,
                         const char      *name,
                         gpointer         user_data)
{
  notify_name_acquired = TRUE;
}

static void
start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { on_notifications_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GError) error = NULL;

  notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) notification_free);
  notify_bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (notify_bus, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (notify_bus, "org.freedesktop.Notifications",
                                G_BUS_NAME_OWNER_FLAGS_NONE, on_notify_name_acquired, NULL,
                                NULL, NULL);
  wait_until (flag_set, &notify_name_acquired, 10, "the notification server's name");
}

static Notification *
find_notification (const char *summary)
{
  for (guint i = 0; i < notifications->len; i++)
    {
      Notification *notification = g_ptr_array_index (notifications, i);

      if (g_strcmp0 (notification->summary, summary) == 0)
        return notification;
    }
  return NULL;
}

static gboolean
notification_arrived (gpointer data)
{
  return find_notification (data) != NULL;
}

/* Widgets */

static AdwMessageDialog *
find_toplevel_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}


static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
find_label_text (GtkWidget  *root,
                 const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (find_label_text (child, text))
        return TRUE;
    }
  return FALSE;
}

static AdwLeaflet *
window_leaflet (DlyWindow *window)
{
  return ADW_LEAFLET (find_widget (GTK_WIDGET (window), ADW_TYPE_LEAFLET));
}

/* Renders @widget as it is on screen and saves it in the build directory. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  gtk_test_widget_wait_for_draw (widget);
  /* Past the stacks' crossfades. */
  iterate_briefly (350);
  paintable = gtk_widget_paintable_new (widget);
  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot (%dx%d): %s", width, height, path);
}

static void
dump_minimums (GtkWidget *widget,
               int        depth)
{
  int minimum;

  if (depth > 9)
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum > 360)
    g_test_message ("%*s%s min %d", depth * 2, "", G_OBJECT_TYPE_NAME (widget), minimum);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dump_minimums (child, depth + 1);
}

/* Resizes @window through the window system where it can (X11), as a user would. */
static void
resize_window (DlyWindow *window,
               int        width,
               int        height)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

#ifdef HAVE_X11
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));

  if (GDK_IS_X11_DISPLAY (display))
    XResizeWindow (gdk_x11_display_get_xdisplay (display), gdk_x11_surface_get_xid (surface),
                   width, height);
  else
#endif
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);

  while ((gdk_surface_get_width (surface) != width || gdk_surface_get_height (surface) != height)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  iterate_briefly (300);   /* leaflet transitions and the player's controls settle */
  if (gdk_surface_get_width (surface) != width)
    dump_minimums (GTK_WIDGET (window), 0);
  g_assert_cmpint (gdk_surface_get_width (surface), ==, width);
  g_assert_cmpint (gdk_surface_get_height (surface), ==, height);
}

static void
screenshot_both (DlyWindow  *window,
                 const char *state,
                 const char *narrow_page)
{
  g_autofree char *wide = g_strdup_printf ("main-window-%s-1280x800.png", state);
  g_autofree char *narrow = g_strdup_printf ("main-window-%s-400x800.png", state);

  resize_window (window, 1280, 800);
  g_assert_false (adw_leaflet_get_folded (window_leaflet (window)));
  save_screenshot (GTK_WIDGET (window), wide);

  resize_window (window, 400, 800);
  g_assert_true (adw_leaflet_get_folded (window_leaflet (window)));
  if (narrow_page != NULL)
    {
      adw_leaflet_set_visible_child_name (window_leaflet (window), narrow_page);
      iterate_briefly (400);
    }
  save_screenshot (GTK_WIDGET (window), narrow);
  resize_window (window, 1280, 800);
}

/* Jobs */

static DlyJob *
wait_for_new_job (GListModel *jobs,
                  guint       n_before)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (g_list_model_get_n_items (jobs) <= n_before && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  /* Newest first. */
  return g_list_model_get_item (jobs, 0);
}

static void
set_small_parameters (DlyComposer *composer,
                      gint64       seed)
{
  DlyParamPanel *panel = DLY_PARAM_PANEL (dly_composer_get_param_panel (composer));
  struct { const char *name; gint64 value; } params[] = {
    { "width", 256 }, { "height", 192 }, { "num_frames", 9 }, { "seed", seed },
  };

  for (guint i = 0; i < G_N_ELEMENTS (params); i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      g_autoptr(GError) error = NULL;

      g_value_init (&value, G_TYPE_INT64);
      g_value_set_int64 (&value, params[i].value);
      g_assert_true (dly_param_panel_set_value (panel, params[i].name, &value, &error));
      g_assert_no_error (error);
    }
}

static gboolean
composer_has_image (gpointer composer)
{
  g_autoptr(DlyRequest) request = dly_composer_build_request (composer);

  return request != NULL && dly_request_get_image (request) != NULL;
}

/* (a) First run, the demo backend, a take from prompt to playing, and comparing two. */
static void
test_demo_flow (void)
{
  DlyWindow *window = dly_application_get_main_window (app);
  DlyTakeController *controller = dly_window_get_controller (window);
  DlyComposer *composer = dly_window_get_composer (window);
  DlyTakeList *take_list = dly_window_get_take_list (window);
  DlyVideoView *video_view = dly_window_get_video_view (window);
  DlyCompareView *compare_view = dly_window_get_compare_view (window);
  GListModel *jobs = dly_engine_get_jobs (dly_take_controller_get_engine (controller));
  DlyPlayer *player = dly_video_view_get_player (video_view);
  g_autoptr(DlyJob) first = NULL;
  g_autoptr(DlyJob) second = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (controller_loaded, controller, 10, "the ledger and profiles to load");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* Nothing yet: the welcome, over the whole window. */
  g_assert_cmpstr (dly_window_get_main_page (window), ==, "welcome");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "generate"));
  save_screenshot (GTK_WIDGET (window), "main-window-first-run-1280x800.png");
  resize_window (window, 400, 800);
  save_screenshot (GTK_WIDGET (window), "main-window-first-run-400x800.png");
  resize_window (window, 1280, 800);

  /* "Try the Demo Backend" */
  g_action_group_activate_action (G_ACTION_GROUP (window), "try-demo", NULL);
  g_assert_cmpstr (dly_window_get_main_page (window), ==, "main");
  g_assert_cmpstr (dly_window_get_composer_page (window), ==, "composer");
  g_assert_nonnull (dly_composer_get_profile (composer));
  g_assert_cmpstr (dly_profile_get_name (dly_composer_get_profile (composer)), ==,
                   DLY_DEMO_PROFILE_NAME);
  /* Listed, never saved. */
  g_assert_true (dly_profile_store_is_transient (dly_take_controller_get_profile_store (controller),
                                                DLY_DEMO_PROFILE_NAME));

  dly_composer_set_prompt (composer, PROMPT);
  set_small_parameters (composer, 7);
  iterate_briefly (200);
  g_assert_true (dly_composer_get_can_generate (composer));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "generate"));
  screenshot_both (window, "composing", "composer");

  /* Ctrl+Return's action: one take on the demo. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.generate", NULL));
  first = wait_for_new_job (jobs, 0);
  g_assert_cmpstr (dly_job_get_profile (first), ==, DLY_DEMO_PROFILE_NAME);
  g_assert_cmpstr (dly_request_get_prompt (dly_job_get_request (first)), ==, PROMPT);
  /* Selected as it is made: the preview follows its state. */
  g_assert_true (dly_take_list_get_selected (take_list) == first);
  if (!dly_job_is_finished (first))
    {
      g_assert_cmpstr (dly_window_get_preview_page (window), ==, "status");
      save_screenshot (GTK_WIDGET (window), "main-window-generating-1280x800.png");
    }
  wait_until (job_finished, first, 60, "the demo take to finish");
  g_assert_cmpint (dly_job_get_state (first), ==, DLY_JOB_STATE_SUCCEEDED);
  g_assert_true (g_file_test (dly_job_get_output_path (first), G_FILE_TEST_IS_REGULAR));

  /* Selected and finished, it plays at once, at the size asked for. */
  dly_take_list_select_job (take_list, first);
  wait_until (player_shows_frame, video_view, 30, "the take's first frame");
  g_assert_cmpstr (dly_window_get_preview_page (window), ==, "video");
  g_assert_cmpint (dly_player_get_width (player), ==, 256);
  g_assert_cmpint (dly_player_get_height (player), ==, 192);
  g_assert_nonnull (dly_video_paintable_get_texture (dly_video_view_get_paintable (video_view)));
  dly_player_pause (player);
  screenshot_both (window, "playing", "preview");

  /* A second take with another seed, then the two compared. */
  set_small_parameters (composer, 8);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.generate", NULL));
  second = wait_for_new_job (jobs, 1);
  wait_until (job_finished, second, 60, "the second demo take to finish");
  g_assert_cmpint (dly_job_get_state (second), ==, DLY_JOB_STATE_SUCCEEDED);

  g_signal_emit_by_name (take_list, "compare-requested", second, first);
  wait_until (pair_loaded, compare_view, 30, "both compared takes");
  g_assert_cmpstr (dly_window_get_preview_page (window), ==, "compare");
  /* The labels say what differs: the seed. */
  g_assert_true (find_label_text (GTK_WIDGET (compare_view), "Seed 8"));
  g_assert_true (find_label_text (GTK_WIDGET (compare_view), "Seed 7"));
  dly_player_pause (dly_compare_view_get_player (compare_view));
  screenshot_both (window, "compare", "preview");

  /* Back to one take: Stop Comparing shows the selected one again. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "stop-compare", NULL);
  dly_take_list_select_job (take_list, first);
  wait_until (player_shows_frame, video_view, 30, "the first take again");
  dly_player_pause (player);

  /* "Use frame": the frame shown, saved as a PNG, becomes the composer's input image. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (video_view), "player.use-frame", NULL));
  wait_until (composer_has_image, composer, 10, "the frame in the composer");
  {
    g_autoptr(DlyRequest) request = dly_composer_build_request (composer);
    const char *image = dly_request_get_image (request);

    g_assert_true (g_str_has_suffix (image, ".png"));
    g_assert_true (g_file_test (image, G_FILE_TEST_IS_REGULAR));
  }
  dly_composer_set_image (composer, NULL);
}

/* The diff behind the compare labels. */
static void
test_compare_labels (void)
{
  g_autoptr(DlyRequest) a = dly_request_new ();
  g_autoptr(DlyRequest) b = NULL;
  g_autofree char *label_a = NULL;
  g_autofree char *label_b = NULL;

  dly_request_set_prompt (a, "A red fox runs through the snow at golden hour");
  dly_request_set_param_int (a, "seed", 42);
  dly_request_set_param_int (a, "num_inference_steps", 30);
  b = dly_request_copy (a);

  dly_take_diff_labels (a, "Studio", b, "Studio", &label_a, &label_b);
  g_assert_cmpstr (label_a, ==, "Take A\nSame request");
  g_assert_cmpstr (label_b, ==, "Take B\nSame request");
  g_clear_pointer (&label_a, g_free);
  g_clear_pointer (&label_b, g_free);

  dly_request_set_param_int (b, "seed", 43);
  dly_request_set_prompt (b, "A red fox runs through the snow at blue hour");
  dly_request_set_param_int (b, "num_inference_steps", 40);
  dly_take_diff_labels (a, "Studio", b, "Demo", &label_a, &label_b);
  g_assert_cmpstr (label_a, ==, "Backend Studio\nSeed 42 · Prompt “…at golden hour” · num_inference_steps 30");
  g_assert_cmpstr (label_b, ==, "Backend Demo\nSeed 43 · Prompt “…at blue hour” · num_inference_steps 40");
  g_clear_pointer (&label_a, g_free);
  g_clear_pointer (&label_b, g_free);

  /* A parameter set on one side only is the default on the other. */
  g_clear_object (&b);
  b = dly_request_copy (a);
  dly_request_set_param_int (b, "seed", 43);
  dly_request_unset_param (b, "num_inference_steps");
  dly_take_diff_labels (a, NULL, b, NULL, &label_a, &label_b);
  g_assert_cmpstr (label_a, ==, "Seed 42\nnum_inference_steps 30");
  g_assert_cmpstr (label_b, ==, "Seed 43\nnum_inference_steps default");
}

/* (b) A restart in the middle of a job: the next window resumes it and it finishes,
 * submitted once. */

typedef struct
{
  char            *dir;
  char            *ledger_path;
  GFile           *profiles;
} Place;

static void
place_init (Place      *place,
            const char *name)
{
  place->dir = g_build_filename (home, name, NULL);
  g_assert_cmpint (g_mkdir_with_parents (place->dir, 0700), ==, 0);
  place->ledger_path = g_build_filename (place->dir, "ledger.sqlite", NULL);
  place->profiles = g_file_new_build_filename (place->dir, "profiles.ini", NULL);
}

static void
place_clear (Place *place)
{
  g_free (place->dir);
  g_free (place->ledger_path);
  g_object_unref (place->profiles);
}

static DlyTakeController *
open_controller (Place *place)
{
  g_autoptr(DlyEngine) engine = dly_engine_new (place->ledger_path);
  g_autoptr(DlyProfileStore) store = dly_profile_store_new_for_file (place->profiles);
  DlyTakeController *controller;

  g_object_set (engine, "poll-initial-ms", 100, "poll-max-ms", 200, NULL);
  controller = dly_take_controller_new (engine, store);
  dly_take_controller_open_async (controller, NULL, NULL, NULL);
  return controller;
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
retry_toast_shown (gpointer window)
{
  return find_label_text (window, "Studio GPU: ") && find_label_text (window, "trying again");
}

static void
test_resume_after_restart (void)
{
  g_autoptr(DlySim) sim = dly_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyProfile) profile = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) submitted = NULL;
  g_autoptr(DlyJob) recorded = NULL;
  g_autofree char *id = NULL;
  DlyTakeController *controller;
  DlyProfileStore *store;
  DlyEngine *engine;
  DlyWindow *window;
  DlyJob *job;
  DlyRequest *request;
  Place place;

  place_init (&place, "resume");
  dly_sim_set_job_seconds (sim, 3);
  g_assert_true (dly_sim_start_in_thread (sim, 0, &error));
  g_assert_no_error (error);

  /* A saved profile pointing at the simulator, as Manage Backends would leave it. */
  controller = open_controller (&place);
  wait_until (controller_loaded, controller, 10, "the first controller to load");
  store = dly_take_controller_get_profile_store (controller);
  profile = dly_profile_new ("Studio GPU", "ltx2-server",
                             dly_sim_get_base_url (sim, "ltx2-server"));
  g_assert_true (dly_profile_store_add (store, profile, &error));
  g_assert_no_error (error);
  dly_profile_store_save_async (store, NULL, on_async_done, &result);
  wait_until (result_arrived, &result, 10, "the profiles to be saved");
  g_assert_true (dly_profile_store_save_finish (store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  window = dly_window_new_with_controller (GTK_APPLICATION (app), controller);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpstr (dly_window_get_composer_page (window), ==, "composer");

  request = dly_request_new ();
  dly_request_set_prompt (request, "A slow dolly across a rain-soaked street at night");
  dly_request_set_param_int (request, "width", 256);
  dly_request_set_param_int (request, "height", 192);
  dly_request_set_param_int (request, "num_frames", 9);
  g_ptr_array_add (requests, request);
  dly_take_controller_submit_async (controller, profile, requests, NULL, on_async_done, &result);
  wait_until (result_arrived, &result, 10, "the submission");
  submitted = dly_take_controller_submit_finish (controller, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (submitted->len, ==, 1);
  g_clear_object (&result);
  job = g_ptr_array_index (submitted, 0);
  id = g_strdup (dly_job_get_id (job));
  g_assert_true (dly_take_controller_get_busy (controller));

  wait_until (job_has_remote_id, job, 10, "the backend to accept the job");
  g_assert_false (dly_job_is_finished (job));

  /* The ledger's writes run in order: a read that completes comes after the remote id's. */
  engine = dly_take_controller_get_engine (controller);
  dly_ledger_load_job_async (dly_engine_get_ledger (engine), id, NULL, on_async_done, &result);
  wait_until (result_arrived, &result, 10, "the ledger to catch up");
  recorded = dly_ledger_load_job_finish (dly_engine_get_ledger (engine), result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dly_job_get_remote_id (recorded), ==, dly_job_get_remote_id (job));
  g_clear_object (&result);

  /* The app goes away mid-job: window, controller, engine. */
  g_object_add_weak_pointer (G_OBJECT (engine), (gpointer *) &engine);
  g_clear_pointer (&submitted, g_ptr_array_unref);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (controller);
  iterate_briefly (100);
  g_assert_null (engine);
  g_assert_cmpuint (dly_sim_get_count (sim, "ltx2-server", DLY_SIM_COUNT_SUBMITS), ==, 1);

  /* A fresh start on the same files. */
  controller = open_controller (&place);
  window = dly_window_new_with_controller (GTK_APPLICATION (app), controller);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (controller_loaded, controller, 10, "the second controller to load");
  engine = dly_take_controller_get_engine (controller);
  job = dly_engine_lookup_job (engine, id);
  g_assert_nonnull (job);
  g_assert_true (dly_take_controller_get_busy (controller));
  dly_window_show_take (window, id);
  wait_until (job_finished, job, 60, "the resumed job to finish");
  g_assert_cmpint (dly_job_get_state (job), ==, DLY_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (dly_sim_get_count (sim, "ltx2-server", DLY_SIM_COUNT_SUBMITS), ==, 1);
  wait_until (controller_idle, controller, 10, "the controller to be done");

  /* Selected by show-take, it plays. */
  wait_until (player_shows_frame, dly_window_get_video_view (window), 30, "the resumed take");

  /* A backend that answers 503 once: a passing toast, and the take goes on. */
  dly_sim_inject_http_errors (sim, "ltx2-server", 503, 1, 0);
  g_object_set (engine, "retry-base-ms", 100, NULL);
  dly_take_controller_submit_async (controller, profile, requests, NULL, on_async_done, &result);
  wait_until (result_arrived, &result, 10, "the second submission");
  submitted = dly_take_controller_submit_finish (controller, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  wait_until (retry_toast_shown, window, 10, "a toast about the 503");
  wait_until (job_finished, g_ptr_array_index (submitted, 0), 60, "the take after the 503");
  g_assert_cmpint (dly_job_get_state (g_ptr_array_index (submitted, 0)), ==,
                   DLY_JOB_STATE_SUCCEEDED);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (controller);
  dly_sim_stop (sim);
  place_clear (&place);
}

/* A later start with demo takes and no backend of the user's own: the demo is offered again;
 * an unfinished demo take is pointed at the demo's new port (where it is unknown). */
static void
save_demo_job (const char  *ledger_path,
               const char  *id,
               DlyJobState  state,
               const char  *remote_id)
{
  g_autoptr(DlyLedger) ledger = dly_ledger_new (ledger_path);
  g_autoptr(DlyRequest) request = dly_request_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyJob) job = NULL;

  dly_ledger_open_async (ledger, NULL, on_async_done, &result);
  wait_until (result_arrived, &result, 10, "the ledger to open");
  g_assert_true (dly_ledger_open_finish (ledger, result, &error));
  g_clear_object (&result);

  dly_request_set_prompt (request, "A paper lantern drifts over a dark lake");
  dly_request_set_param_int (request, "width", 256);
  dly_request_set_param_int (request, "height", 192);
  dly_request_set_param_int (request, "num_frames", 9);
  /* The port of a demo that ran in an earlier process, long gone. */
  job = dly_job_new (id, request, "ltx2-server", "http://127.0.0.1:9", DLY_DEMO_PROFILE_NAME,
                     NULL, NULL, g_get_real_time ());
  dly_job_set_state (job, state);
  if (remote_id != NULL)
    {
      dly_job_set_remote_id (job, remote_id);
      dly_job_set_started_at (job, g_get_real_time ());
    }
  dly_ledger_save_async (ledger, job, NULL, on_async_done, &result);
  wait_until (result_arrived, &result, 10, "the demo job to be written");
  g_assert_true (dly_ledger_save_finish (ledger, result, &error));
}

static void
test_demo_again (void)
{
  DlyTakeController *controller;
  DlyWindow *window;
  DlyJob *job;
  Place place, unfinished;

  place_init (&place, "demo-again");
  save_demo_job (place.ledger_path, "demo-done", DLY_JOB_STATE_SUCCEEDED, NULL);
  controller = open_controller (&place);
  window = dly_window_new_with_controller (GTK_APPLICATION (app), controller);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (controller_loaded, controller, 10, "the controller to load");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpstr (dly_window_get_main_page (window), ==, "main");
  g_assert_cmpstr (dly_window_get_composer_page (window), ==, "setup");
  g_assert_true (find_label_text (GTK_WIDGET (window), "Start the Demo Again?"));
  save_screenshot (GTK_WIDGET (window), "main-window-demo-again-1280x800.png");
  g_action_group_activate_action (G_ACTION_GROUP (window), "try-demo", NULL);
  g_assert_cmpstr (dly_window_get_composer_page (window), ==, "composer");
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (controller);
  place_clear (&place);

  /* Unfinished: its backend is the demo wherever it runs now, which starts for it. */
  place_init (&unfinished, "demo-unfinished");
  save_demo_job (unfinished.ledger_path, "demo-waiting", DLY_JOB_STATE_WAITING, "task-of-old");
  controller = open_controller (&unfinished);
  wait_until (controller_loaded, controller, 10, "the controller to load");
  job = dly_engine_lookup_job (dly_take_controller_get_engine (controller), "demo-waiting");
  g_assert_nonnull (job);
  wait_until (job_finished, job, 30, "the old demo take to be given up");
  /* The new simulator never heard of it, and says so. */
  g_assert_cmpint (dly_job_get_state (job), ==, DLY_JOB_STATE_FAILED);
  g_assert_true (dly_demo_is_running (dly_take_controller_get_demo (controller)));
  g_assert_nonnull (dly_profile_store_lookup (dly_take_controller_get_profile_store (controller),
                                              DLY_DEMO_PROFILE_NAME));
  g_object_unref (controller);
  place_clear (&unfinished);
}

static GtkButton *
find_button_with_label (GtkWidget  *root,
                        const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return GTK_BUTTON (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *found = find_button_with_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
button_shown (GtkWidget  *root,
              const char *label)
{
  GtkButton *button = find_button_with_label (root, label);

  g_assert_nonnull (button);
  return gtk_widget_get_visible (GTK_WIDGET (button));
}

/* The preview of a take that cannot play follows the take: its progress while it is made,
 * then the backend's own words, escaped, with Try Again and Copy Message. */
static void
test_take_status (void)
{
  g_autoptr(DlyRequest) request = dly_request_new ();
  g_autoptr(DlyJob) job = NULL;
  const char *message = "CUDA out of memory <while decoding> & gave up";
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *status = dly_take_status_new ();
  AdwStatusPage *page;
  GtkProgressBar *progress_bar;
  GdkContentProvider *content;
  g_auto(GValue) value = G_VALUE_INIT;

  dly_request_set_prompt (request, "A heron lifts off a misty river at dawn");
  job = dly_job_new ("status-take", request, "ltx2-server", "http://127.0.0.1:9", "Studio",
                     NULL, NULL, g_get_real_time ());
  dly_job_set_state (job, DLY_JOB_STATE_RUNNING);
  dly_job_set_progress (job, 0.4);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), status);
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 600);
  dly_take_status_set_job (DLY_TAKE_STATUS (status), job);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  page = ADW_STATUS_PAGE (find_widget (status, ADW_TYPE_STATUS_PAGE));
  progress_bar = GTK_PROGRESS_BAR (find_widget (status, GTK_TYPE_PROGRESS_BAR));
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Generating");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (progress_bar)));
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (progress_bar), 0.4, 1e-9);
  g_assert_true (button_shown (status, "_Cancel Take"));
  g_assert_false (button_shown (status, "_Try Again"));
  g_assert_false (button_shown (status, "Copy _Message"));

  /* Followed without being set again. */
  dly_job_set_progress (job, 0.75);
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (progress_bar), 0.75, 1e-9);
  dly_job_set_message (job, message);
  dly_job_set_state (job, DLY_JOB_STATE_FAILED);
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Take Failed");
  g_assert_cmpstr (adw_status_page_get_description (page), ==,
                   "CUDA out of memory &lt;while decoding&gt; &amp; gave up");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (progress_bar)));
  g_assert_false (button_shown (status, "_Cancel Take"));
  g_assert_true (button_shown (status, "_Try Again"));
  g_assert_true (button_shown (status, "Copy _Message"));
  gtk_test_widget_wait_for_draw (window);
  save_screenshot (window, "take-status-failed-480x600.png");

  /* Copy Message puts the backend's words on the clipboard, as they were. */
  g_signal_emit_by_name (find_button_with_label (status, "Copy _Message"), "clicked");
  content = gdk_clipboard_get_content (gtk_widget_get_clipboard (status));
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  g_assert_cmpstr (g_value_get_string (&value), ==, message);

  /* A take whose file is gone says so, rather than "Done". */
  dly_job_set_message (job, NULL);
  dly_job_set_state (job, DLY_JOB_STATE_SUCCEEDED);
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Video Not Found");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "missing"));

  dly_take_status_set_job (DLY_TAKE_STATUS (status), NULL);
  g_assert_null (dly_take_status_get_job (DLY_TAKE_STATUS (status)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* (c) The whole window over a ledger of 10,000 takes: opening and scrolling. */

#define N_TAKES 10000

static void
fill_ledger (const char *path,
             guint       n)
{
  g_autoptr(DlyLedger) ledger = dly_ledger_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();

  dly_ledger_open_async (ledger, NULL, on_async_done, &result);
  wait_until (result_arrived, &result, 10, "the ledger to open");
  g_assert_true (dly_ledger_open_finish (ledger, result, &error));
  g_clear_object (&result);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlyRequest) request = dly_request_new ();
      g_autofree char *id = g_strdup_printf ("bulk-%05u", i);
      g_autofree char *prompt = g_strdup_printf ("Take %u: a paper boat drifts down a gutter "
                                                 "after the rain, low angle", i);
      g_autoptr(DlyJob) job = NULL;

      /* The newest two went to hosted services: one failed, one lost in submission. */
      const char *dialect = i == n - 1 ? "runpod" : i == n - 2 ? "apixo" : "ltx2-server";
      DlyJobState state = i == n - 1 ? DLY_JOB_STATE_UNKNOWN
                          : i % 7 == 0 || i == n - 2 ? DLY_JOB_STATE_FAILED
                          : DLY_JOB_STATE_SUCCEEDED;

      dly_request_set_prompt (request, prompt);
      dly_request_set_param_int (request, "seed", i);
      job = dly_job_new (id, request, dialect, "http://127.0.0.1:9", NULL, NULL,
                         "/nonexistent/take.mp4", now - (gint64) (n - i) * G_USEC_PER_SEC);
      dly_job_set_state (job, state);
      if (state == DLY_JOB_STATE_FAILED)
        dly_job_set_message (job, "CUDA out of memory");
      dly_job_set_finished_at (job, now - (gint64) (n - i) * G_USEC_PER_SEC + 5 * G_USEC_PER_SEC);
      /* Queued on the ledger's one worker, in order: only the last needs waiting for. */
      dly_ledger_save_async (ledger, job, NULL, i == n - 1 ? on_async_done : NULL,
                             i == n - 1 ? &result : NULL);
    }
  wait_until (result_arrived, &result, 120, "10,000 takes to be written");
  g_assert_true (dly_ledger_save_finish (ledger, result, &error));
  g_assert_no_error (error);
}

static void
test_ten_thousand_takes (void)
{
  g_autoptr(GTimer) timer = NULL;
  DlyTakeController *controller;
  DlyWindow *window;
  DlyTakeList *take_list;
  GtkListView *list_view;
  GListModel *jobs;
  Place place;
  double open_s;

  place_init (&place, "bulk");
  fill_ledger (place.ledger_path, N_TAKES);

  timer = g_timer_new ();
  controller = open_controller (&place);
  window = dly_window_new_with_controller (GTK_APPLICATION (app), controller);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  /* While the history loads, nothing says "No Takes Yet" or "No Take Selected". */
  take_list = dly_window_get_take_list (window);
  g_assert_false (dly_take_controller_get_loaded (controller));
  g_assert_true (dly_take_list_get_loading (take_list));
  g_assert_cmpstr (dly_window_get_preview_page (window), ==, "loading");
  wait_until (controller_loaded, controller, 30, "10,000 takes to load");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  open_s = g_timer_elapsed (timer, NULL);
  g_test_message ("10,000 takes: window drawn with its list in %.3f s", open_s);
  g_assert_false (dly_take_list_get_loading (take_list));
  g_assert_cmpstr (dly_window_get_preview_page (window), ==, "empty");

  jobs = dly_engine_get_jobs (dly_take_controller_get_engine (controller));
  g_assert_cmpuint (g_list_model_get_n_items (jobs), ==, N_TAKES);
  g_assert_cmpuint (g_list_model_get_n_items (dly_take_list_get_jobs (take_list)), ==, N_TAKES);
  /* Not a first run: the list shows, and the composer offers to set up a backend. */
  g_assert_cmpstr (dly_window_get_main_page (window), ==, "main");
  g_assert_cmpstr (dly_window_get_composer_page (window), ==, "setup");
  g_assert_cmpuint (dly_take_list_get_n_rows (take_list), <, 500);

  /* Scroll to the oldest take, the middle, and back to the newest. */
  list_view = dly_take_list_get_list_view (take_list);
  for (guint i = 0; i < 3; i++)
    {
      guint position = (guint[]) { N_TAKES - 1, N_TAKES / 2, 0 }[i];
      g_autoptr(DlyJob) job = g_list_model_get_item (jobs, position);

      g_timer_start (timer);
      dly_take_list_select_job (take_list, job);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (list_view));
      g_test_message ("Scrolled to take %u in %.1f ms", position,
                      g_timer_elapsed (timer, NULL) * 1000);
      g_assert_true (dly_take_list_get_selected (take_list) == job);
      g_assert_cmpuint (dly_take_list_get_n_rows (take_list), <, 500);
    }
  iterate_briefly (200);
  save_screenshot (GTK_WIDGET (window), "main-window-10000-takes-1280x800.png");

  /* Trying again asks first where it costs: a hosted service, or a job that may still run. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DlyJob) job = g_list_model_get_item (jobs, i);
      AdwMessageDialog *dialog;

      g_signal_emit_by_name (take_list, "retry-requested", job);
      dialog = find_toplevel_dialog ();
      g_assert_nonnull (dialog);
      g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Submit the Take Again?");
      g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                                i == 0 ? "may still be running on the backend"
                                       : "charges for each generation"));
      if (i == 0)
        save_screenshot (GTK_WIDGET (dialog), "main-window-retry-unknown.png");
      adw_message_dialog_response (dialog, "cancel");
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  g_assert_cmpuint (g_list_model_get_n_items (jobs), ==, N_TAKES);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (controller);
  place_clear (&place);
}

static int
compare_x (gconstpointer a,
           gconstpointer b,
           gpointer      window)
{
  double xa = 0, xb = 0;

  gtk_widget_translate_coordinates (*(GtkWidget **) a, window, 0, 0, &xa, NULL);
  gtk_widget_translate_coordinates (*(GtkWidget **) b, window, 0, 0, &xb, NULL);
  return (xa > xb) - (xa < xb);
}

/* The panes stand at the widths the user left them, and fold when those no longer fit. */
static void
test_pane_widths (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) panes = g_ptr_array_new ();
  DlyWindow *window;
  gboolean destroyed = FALSE;

  g_settings_set_int (settings, "composer-width", 420);
  g_settings_set_int (settings, "take-list-width", 340);
  window = dly_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (controller_loaded, dly_window_get_controller (window), 10, "the window to load");
  resize_window (window, 1280, 800);

  for (GtkWidget *pane = find_widget (GTK_WIDGET (window), DLY_TYPE_PANE); pane != NULL;
       pane = gtk_widget_get_next_sibling (pane))
    if (DLY_IS_PANE (pane))
      g_ptr_array_add (panes, pane);
  /* The leaflet's children: composer, separator, takes, separator, preview. */
  g_assert_cmpuint (panes->len, ==, 3);
  g_assert_false (adw_leaflet_get_folded (window_leaflet (window)));
  /* The leaflet keeps its children in stacking order: sort them as they stand, left to right. */
  g_ptr_array_sort_with_data (panes, compare_x, window);
  g_assert_cmpint (gtk_widget_get_width (panes->pdata[0]), ==, 420);
  g_assert_cmpint (gtk_widget_get_width (panes->pdata[1]), ==, 340);
  g_assert_cmpint (gtk_widget_get_width (panes->pdata[2]), >=, 420);

  /* 420 + 340 + 420 and the separators no longer fit in 1150: one at a time. */
  resize_window (window, 1150, 800);
  g_assert_true (adw_leaflet_get_folded (window_leaflet (window)));
  resize_window (window, 1280, 800);

  /* As if dragged, then closed: the widths are kept for next time. */
  dly_pane_set_width (panes->pdata[0], 380);
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (timeout_cb), &destroyed);
  gtk_window_close (GTK_WINDOW (window));
  wait_until (flag_set, &destroyed, 10, "the window to close");
  g_assert_cmpint (g_settings_get_int (settings, "composer-width"), ==, 380);
  g_assert_cmpint (g_settings_get_int (settings, "take-list-width"), ==, 340);
  g_settings_reset (settings, "composer-width");
  g_settings_reset (settings, "take-list-width");
}

/* The narrow window: each region in turn, with its way back. */
static void
test_narrow_navigation (void)
{
  DlyWindow *window = dly_application_get_main_window (app);
  AdwLeaflet *leaflet = window_leaflet (window);
  DlyTakeList *take_list = dly_window_get_take_list (window);
  GListModel *jobs = dly_take_list_get_jobs (take_list);
  g_autoptr(DlyJob) job = NULL;
  int minimum;

  gtk_window_present (GTK_WINDOW (window));
  resize_window (window, 360, 700);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                      NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_true (adw_leaflet_get_folded (leaflet));

  adw_leaflet_set_visible_child_name (leaflet, "composer");
  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-takes", NULL);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "takes");
  save_screenshot (GTK_WIDGET (window), "main-window-narrow-takes-360x700.png");

  g_assert_cmpuint (g_list_model_get_n_items (jobs), >, 0);
  job = g_list_model_get_item (jobs, 0);
  dly_take_list_select_job (take_list, NULL);
  dly_take_list_select_job (take_list, job);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "preview");
  save_screenshot (GTK_WIDGET (window), "main-window-narrow-preview-360x700.png");

  /* "Use as template" goes back to the composer with the take's prompt. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "use-as-template", NULL);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "composer");

  resize_window (window, 1280, 800);
  g_assert_false (adw_leaflet_get_folded (leaflet));
  /* F9 hides the list beside the preview and brings it back. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-takes", NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (take_list)) &&
                  gtk_widget_get_mapped (GTK_WIDGET (take_list)));
  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-takes", NULL);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (take_list)));
}

/* The buttons of the toast on screen: Undo and the close button. */
static GtkButton *
find_toast_button (DlyWindow *window,
                   gboolean   undo)
{
  GType toast_type = g_type_from_name ("AdwToastWidget");
  GtkWidget *toast;

  g_assert_true (toast_type != G_TYPE_INVALID);
  toast = find_widget (GTK_WIDGET (window), toast_type);
  g_assert_nonnull (toast);
  for (GtkWidget *child = gtk_widget_get_first_child (toast); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!GTK_IS_BUTTON (child) || !gtk_widget_get_visible (child))
        continue;
      if ((g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), "_Undo") == 0) == undo)
        return GTK_BUTTON (child);
    }
  g_assert_not_reached ();
}

static gboolean
toast_gone (gpointer data)
{
  GType toast_type = g_type_from_name ("AdwToastWidget");

  return find_widget (data, toast_type) == NULL;
}

/* Removing a take hides it at once; Undo brings it back; otherwise it is forgotten. */
static void
test_remove_with_undo (void)
{
  DlyWindow *window = dly_application_get_main_window (app);
  DlyTakeController *controller = dly_window_get_controller (window);
  DlyEngine *engine = dly_take_controller_get_engine (controller);
  DlyTakeList *take_list = dly_window_get_take_list (window);
  GListModel *visible = dly_take_list_get_jobs (take_list);
  GListModel *jobs = dly_engine_get_jobs (engine);
  g_autoptr(DlyJob) job = g_list_model_get_item (jobs, 0);
  guint n = g_list_model_get_n_items (jobs);

  gtk_window_present (GTK_WINDOW (window));
  wait_until (toast_gone, window, 15, "earlier toasts to go");

  g_signal_emit_by_name (take_list, "remove-requested", job);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, n - 1);
  g_assert_cmpuint (g_list_model_get_n_items (jobs), ==, n);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  save_screenshot (GTK_WIDGET (window), "main-window-removed-1280x800.png");

  g_signal_emit_by_name (find_toast_button (window, TRUE), "clicked");
  wait_until (toast_gone, window, 5, "the toast to go after Undo");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, n);
  g_assert_nonnull (dly_engine_lookup_job (engine, dly_job_get_id (job)));

  /* Dismissed without Undo, the take is forgotten (its video stays on disk). */
  g_signal_emit_by_name (take_list, "remove-requested", job);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_signal_emit_by_name (find_toast_button (window, FALSE), "clicked");
  wait_until (toast_gone, window, 5, "the toast to be dismissed");
  g_assert_cmpuint (g_list_model_get_n_items (jobs), ==, n - 1);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, n - 1);
  g_assert_null (dly_engine_lookup_job (engine, dly_job_get_id (job)));
  g_assert_true (g_file_test (dly_job_get_output_path (job), G_FILE_TEST_EXISTS));
}

/* Closing the window while a take is made: the application stays until it is done. */
static void
test_close_while_busy (void)
{
  DlyWindow *window = dly_application_get_main_window (app);
  DlyTakeController *controller = dly_window_get_controller (window);
  DlyComposer *composer = dly_window_get_composer (window);
  GListModel *jobs = dly_engine_get_jobs (dly_take_controller_get_engine (controller));
  g_autoptr(DlyJob) job = NULL;
  g_autoptr(GError) error = NULL;
  Notification *notification;
  AdwMessageDialog *dialog;
  gboolean destroyed = FALSE;
  guint n = g_list_model_get_n_items (jobs);

  dly_composer_select_profile (composer, DLY_DEMO_PROFILE_NAME);
  set_small_parameters (composer, 11);
  iterate_briefly (100);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "generate"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "generate", NULL);
  job = wait_for_new_job (jobs, n);
  g_assert_true (dly_take_controller_get_busy (controller));

  /* Quit asks first while takes are in progress; Cancel leaves everything as it was. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  dialog = find_toplevel_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "Quit While Takes Are in Progress?");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (dly_take_controller_get_busy (controller));

  g_signal_connect_swapped (window, "destroy", G_CALLBACK (timeout_cb), &destroyed);
  gtk_window_close (GTK_WINDOW (window));
  wait_until (flag_set, &destroyed, 10, "the window to close");
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* The take goes on without a window, and the notification's action brings it back. */
  wait_until (job_finished, job, 60, "the take to finish with no window");
  g_assert_cmpint (dly_job_get_state (job), ==, DLY_JOB_STATE_SUCCEEDED);
  /* Not busy once the ledger has it: the application may then go. */
  wait_until (controller_idle, controller, 10, "the controller to let the app go");

  /* A desktop notification says so; clicking it opens the take. */
  wait_until (notification_arrived, (gpointer) "Take Ready", 10, "the notification");
  notification = find_notification ("Take Ready");
  g_assert_nonnull (strstr (notification->body, "Demo"));
  g_assert_true (g_strv_contains ((const char * const *) notification->actions, "default"));
  g_dbus_connection_emit_signal (notify_bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", notification->id, "default"), &error);
  g_assert_no_error (error);
  wait_until (app_has_window, NULL, 10, "the notification to open the window");
  window = dly_application_get_main_window (app);
  g_assert_true (dly_take_list_get_selected (dly_window_get_take_list (window)) == job);
  wait_until (player_shows_frame, dly_window_get_video_view (window), 30, "the shown take");
}


static gboolean
inside_other_widget (GtkWidget *widget)
{
  /* The composer, the take list and the player views check their own controls; window
   * controls and toasts are the toolkit's. */
  return gtk_widget_get_ancestor (widget, DLY_TYPE_COMPOSER) != NULL
         || gtk_widget_get_ancestor (widget, DLY_TYPE_TAKE_LIST) != NULL
         || gtk_widget_get_ancestor (widget, DLY_TYPE_VIDEO_VIEW) != NULL
         || gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW_CONTROLS) != NULL
         || gtk_widget_get_ancestor (widget, g_type_from_name ("AdwToastWidget")) != NULL;
}

static void
check_named (GtkWidget *widget,
             guint     *checked)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_named (child, checked);

  if (inside_other_widget (widget))
    return;
  if (GTK_IS_MENU_BUTTON (widget)
      || (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) == NULL
          && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget))))
    {
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                             GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("%s (%s) has no accessible label", G_OBJECT_TYPE_NAME (widget),
                 gtk_widget_get_tooltip_text (widget));
      (*checked)++;
    }
}

/* Every control of the window's own, the icon-only ones too, says what it is. */
static void
test_accessible_labels (void)
{
  DlyWindow *window = dly_application_get_main_window (app);
  guint checked = 0;

  check_named (GTK_WIDGET (window), &checked);
  g_test_message ("%u icon-only controls checked", checked);
  g_assert_cmpuint (checked, >=, 7);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* A private, empty home: the ledger, profiles and takes of this run only. */
  home = g_test_build_filename (G_TEST_BUILT, "test-main-window-home", NULL);
  remove_tree (home);
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  /* Quick demo takes and polls, so the test is about the window, not the waiting. */
  g_setenv ("DAILIES_DEMO_JOB_SECONDS", "1", TRUE);
  g_setenv ("DAILIES_POLL_INITIAL_MS", "100", TRUE);
  g_setenv ("DAILIES_POLL_MAX_MS", "250", TRUE);

  start_notification_server ();

  app = dly_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/main-window/demo-flow", test_demo_flow);
  g_test_add_func ("/main-window/compare-labels", test_compare_labels);
  g_test_add_func ("/main-window/narrow-navigation", test_narrow_navigation);
  g_test_add_func ("/main-window/accessible-labels", test_accessible_labels);
  g_test_add_func ("/main-window/pane-widths", test_pane_widths);
  g_test_add_func ("/main-window/remove-with-undo", test_remove_with_undo);
  g_test_add_func ("/main-window/close-while-busy", test_close_while_busy);
  g_test_add_func ("/main-window/resume-after-restart", test_resume_after_restart);
  g_test_add_func ("/main-window/demo-again", test_demo_again);
  g_test_add_func ("/main-window/take-status", test_take_status);
  g_test_add_func ("/main-window/ten-thousand-takes", test_ten_thousand_takes);

  ret = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&notifications, g_ptr_array_unref);
  g_clear_object (&notify_bus);
  return ret;
}
