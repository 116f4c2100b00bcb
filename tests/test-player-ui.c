/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The player views in real windows under a display: the --play window with one take and
 * with two, driven through their actions, with screenshots at a wide and a narrow size for a
 * person to look at. Waits are on player state and signals, never on the clock. */
#include "config.h"

#include "dly-test-ui.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "dly-application.h"
#include "dly-compare-view.h"
#include "dly-player-window.h"
#include "dly-video-view.h"

#define WAIT_SECONDS 30

static DlyApplication *app;

static void wait_for_transitions (GtkWidget *window);

static char *
fixture_path (const char *kind)
{
  g_autofree char *name = g_strdup_printf ("player-%s.mp4", kind);

  return g_test_build_filename (G_TEST_BUILT, name, NULL);
}

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
on_count (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static DlyPlayerWindow *
open_window (const char *kind_a,
             const char *kind_b,
             int         width,
             int         height)
{
  g_autofree char *a = fixture_path (kind_a);
  g_autofree char *b = kind_b != NULL ? fixture_path (kind_b) : NULL;
  DlyPlayerWindow *window = dly_player_window_new (GTK_APPLICATION (app), a, b);
  DlyPlayer *player = dly_video_view_get_player (dly_player_window_get_video_view (window));

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));

  WAIT_UNTIL (dly_player_get_state (player) != DLY_PLAYER_STATE_LOADING
              && dly_player_window_get_info_loaded (window));
  WAIT_UNTIL (!dly_player_get_busy (player));
  wait_for_transitions (GTK_WIDGET (window));

  return window;
}

/* Activates a `player.` action as a button or key would, and waits for it to be shown. */
static void
activate_and_wait (GtkWidget  *widget,
                   const char *action,
                   GVariant   *parameter,
                   const char *done_signal)
{
  DlyPlayer *player = DLY_IS_VIDEO_VIEW (widget)
                      ? dly_video_view_get_player (DLY_VIDEO_VIEW (widget))
                      : dly_compare_view_get_player (DLY_COMPARE_VIEW (widget));
  guint done = 0;
  gulong id = g_signal_connect (player, done_signal, G_CALLBACK (on_count), &done);

  g_assert_true (gtk_widget_activate_action_variant (widget, action, parameter));
  WAIT_UNTIL (done > 0 && !dly_player_get_busy (player));
  g_signal_handler_disconnect (player, id);
}

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

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;

  return FALSE;
}

static GtkWidget *
find_button_with_label (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
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

static gboolean
transitions_running (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return TRUE;
  if (ADW_IS_FLAP (widget)
      && adw_flap_get_reveal_progress (ADW_FLAP (widget))
         != (adw_flap_get_reveal_flap (ADW_FLAP (widget)) ? 1.0 : 0.0))
    return TRUE;
  if (GTK_IS_REVEALER (widget)
      && gtk_revealer_get_child_revealed (GTK_REVEALER (widget))
         != gtk_revealer_get_reveal_child (GTK_REVEALER (widget)))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (transitions_running (child))
      return TRUE;

  return FALSE;
}

/* Screenshots show the end of a fade, not its middle. */
static void
wait_for_transitions (GtkWidget *window)
{
  WAIT_UNTIL (!transitions_running (window));
  gtk_test_widget_wait_for_draw (window);
}

static void
on_frame_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *saved = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (dly_video_view_save_frame_finish (DLY_VIDEO_VIEW (source), result, &error));
  g_assert_no_error (error);
  *saved = TRUE;
}

static void
assert_png (const char *path,
            int         width,
            int         height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);
}

/* --- one take --- */

static void
test_video_view (void)
{
  DlyPlayerWindow *window = open_window ("take", NULL, 1280, 800);
  DlyVideoView *view = dly_player_window_get_video_view (window);
  GtkWidget *widget = GTK_WIDGET (view);
  DlyPlayer *player = dly_video_view_get_player (view);
  g_autofree char *saved_path = g_test_build_filename (G_TEST_BUILT, "player-saved-frame.png",
                                                       NULL);
  g_autofree char *used_path = g_build_filename (g_get_user_cache_dir (), "dailies", "frames",
                                                 "player-take-frame-0025.png", NULL);
  g_autoptr(GFile) saved_file = g_file_new_for_path (saved_path);
  gboolean saved = FALSE;

  g_assert_cmpint (dly_player_get_state (player), ==, DLY_PLAYER_STATE_PAUSED);
  g_assert_true (dly_video_view_get_controls_revealed (view));
  g_assert_true (has_label (widget, "Frame 1 of 120"));
  g_assert_true (has_label (GTK_WIDGET (window), "768 × 512"));
  g_assert_true (gtk_widget_has_focus (widget));
  dly_test_save_screenshot (GTK_WIDGET (window), "player-window-1280x800.png");

  /* Period and comma: one frame either way. */
  activate_and_wait (widget, "player.step-forward", NULL, "step-done");
  g_assert_cmpint (dly_player_get_frame_number (player), ==, 1);
  g_assert_true (has_label (widget, "Frame 2 of 120"));
  activate_and_wait (widget, "player.step-backward", NULL, "step-done");
  g_assert_cmpint (dly_player_get_frame_number (player), ==, 0);

  /* Right and Left: a second, exactly. */
  activate_and_wait (widget, "player.seek-forward", NULL, "seek-done");
  g_assert_cmpint (dly_player_get_frame_number (player), ==, 24);
  activate_and_wait (widget, "player.seek-forward", NULL, "seek-done");
  activate_and_wait (widget, "player.seek-backward", NULL, "seek-done");
  g_assert_cmpint (dly_player_get_frame_number (player), ==, 24);

  /* End and Home. */
  activate_and_wait (widget, "player.seek-end", NULL, "seek-done");
  g_assert_cmpint (dly_player_get_frame_number (player), ==, 119);
  g_assert_true (has_label (widget, "Frame 120 of 120"));
  activate_and_wait (widget, "player.seek-start", NULL, "seek-done");
  g_assert_cmpint (dly_player_get_frame_number (player), ==, 0);

  /* L, M and the speed menu are stateful actions on the player's properties. */
  g_assert_true (gtk_widget_activate_action (widget, "player.loop", NULL));
  g_assert_true (dly_player_get_loop (player));
  g_assert_true (gtk_widget_activate_action (widget, "player.mute", NULL));
  g_assert_true (dly_player_get_muted (player));
  g_assert_true (gtk_widget_activate_action (widget, "player.mute", NULL));
  g_assert_false (dly_player_get_muted (player));
  g_assert_true (gtk_widget_activate_action (widget, "player.rate", "d", 0.5));
  g_assert_cmpfloat (dly_player_get_rate (player), ==, 0.5);
  g_assert_true (has_label (widget, "0.5×"));
  g_assert_true (gtk_widget_activate_action (widget, "player.rate", "d", 1.0));
  g_assert_true (has_label (widget, "1×"));
  WAIT_UNTIL (!dly_player_get_busy (player));

  /* Space plays; the controls step aside while playing, and come back on motion. */
  g_assert_true (gtk_widget_activate_action (widget, "player.play-pause", NULL));
  g_assert_cmpint (dly_player_get_state (player), ==, DLY_PLAYER_STATE_PLAYING);
  WAIT_UNTIL (!dly_video_view_get_controls_revealed (view));
  WAIT_UNTIL (dly_player_get_position (player) > GST_SECOND);
  wait_for_transitions (GTK_WIDGET (window));
  dly_test_save_screenshot (GTK_WIDGET (window), "player-window-playing.png");
  dly_video_view_reveal_controls (view);
  g_assert_true (dly_video_view_get_controls_revealed (view));
  activate_and_wait (widget, "player.play-pause", NULL, "seek-done");
  g_assert_cmpint (dly_player_get_state (player), ==, DLY_PLAYER_STATE_PAUSED);
  g_assert_true (dly_video_view_get_controls_revealed (view));

  /* Save frame as PNG (the dialog's work, without the dialog). */
  activate_and_wait (widget, "player.seek-start", NULL, "seek-done");
  activate_and_wait (widget, "player.seek-forward", NULL, "seek-done");
  g_remove (saved_path);
  dly_video_view_save_frame_async (view, saved_file, NULL, on_frame_saved, &saved);
  WAIT_UNTIL (saved);
  assert_png (saved_path, 768, 512);

  /* "Use this frame": the --play window keeps it where the composer will find it. */
  g_remove (used_path);
  g_assert_true (gtk_widget_activate_action (widget, "player.use-frame", NULL));
  WAIT_UNTIL (g_file_test (used_path, G_FILE_TEST_EXISTS));
  WAIT_UNTIL (find_descendant (GTK_WIDGET (window), g_type_from_name ("AdwToastWidget")) != NULL);
  assert_png (used_path, 768, 512);
  wait_for_transitions (GTK_WIDGET (window));
  dly_test_save_screenshot (GTK_WIDGET (window), "player-window-use-frame.png");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_video_view_narrow (void)
{
  DlyPlayerWindow *window = open_window ("take", NULL, 360, 720);

  dly_test_save_screenshot (GTK_WIDGET (window), "player-window-360x720.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_error (void)
{
  DlyPlayerWindow *window = open_window ("corrupt", NULL, 800, 600);
  DlyVideoView *view = dly_player_window_get_video_view (window);
  DlyPlayer *player = dly_video_view_get_player (view);
  GtkStack *stack = GTK_STACK (find_descendant (GTK_WIDGET (view), GTK_TYPE_STACK));

  g_assert_cmpint (dly_player_get_state (player), ==, DLY_PLAYER_STATE_ERROR);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "error");
  g_assert_false (dly_video_view_get_controls_revealed (view));
  /* Nothing to act on: the actions are off and nothing happens. */
  gtk_widget_activate_action (GTK_WIDGET (view), "player.play-pause", NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "player.step-forward", NULL);
  g_assert_cmpint (dly_player_get_state (player), ==, DLY_PLAYER_STATE_ERROR);
  dly_test_save_screenshot (GTK_WIDGET (window), "player-window-error.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* --- two takes --- */

static void
assert_in_sync (DlyPlayer *player,
                gint64     frame)
{
  for (DlyPlayerSide side = DLY_PLAYER_SIDE_A; side <= DLY_PLAYER_SIDE_B; side++)
    {
      gint64 position = dly_player_get_side_position (player, side);

      /* 24 fps: frame n starts at n/24 s. */
      g_assert_cmpint (ABS (position - frame * GST_SECOND / 24), <=, GST_MSECOND);
    }
}

static void
test_compare_view (void)
{
  DlyPlayerWindow *window = open_window ("take", "take-b", 1280, 800);
  DlyCompareView *compare = dly_player_window_get_compare_view (window);
  GtkWidget *widget = GTK_WIDGET (dly_compare_view_get_video_view (compare));
  DlyPlayer *player = dly_compare_view_get_player (compare);
  gint64 frame;

  g_assert_nonnull (compare);
  g_assert_cmpuint (dly_player_get_n_sides (player), ==, 2);
  /* Labels say which take is which; the takes' media facts are the same here. */
  g_assert_true (has_label (GTK_WIDGET (compare), "A · player-take.mp4"));
  g_assert_true (has_label (GTK_WIDGET (compare), "B · player-take-b.mp4"));
  dly_test_save_screenshot (GTK_WIDGET (window), "player-compare-1280x800.png");

  /* One set of controls moves both takes. */
  activate_and_wait (widget, "player.seek-forward", NULL, "seek-done");
  assert_in_sync (player, 24);
  activate_and_wait (widget, "player.step-forward", NULL, "step-done");
  activate_and_wait (widget, "player.step-forward", NULL, "step-done");
  assert_in_sync (player, 26);
  activate_and_wait (widget, "player.step-backward", NULL, "step-done");
  assert_in_sync (player, 25);

  g_assert_true (gtk_widget_activate_action (widget, "player.play-pause", NULL));
  WAIT_UNTIL (dly_player_get_frame_number (player) > 40);
  activate_and_wait (widget, "player.play-pause", NULL, "seek-done");
  frame = dly_player_get_frame_number (player);
  assert_in_sync (player, frame);

  /* The heard take is the one whose frames the frame actions take. */
  dly_compare_view_set_audio_side (compare, DLY_PLAYER_SIDE_B);
  g_assert_cmpint (dly_player_get_audio_side (player), ==, DLY_PLAYER_SIDE_B);
  g_assert_cmpint (dly_video_view_get_frame_side (DLY_VIDEO_VIEW (widget)), ==,
                   DLY_PLAYER_SIDE_B);
  g_assert_true (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (find_button_with_label (GTK_WIDGET (compare), "B"))));
  g_assert_false (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (find_button_with_label (GTK_WIDGET (compare), "A"))));
  {
    g_autofree char *name = dly_video_view_dup_frame_file_name (DLY_VIDEO_VIEW (widget));

    g_assert_true (g_str_has_prefix (name, "player-take-b-frame-"));
  }

  /* W: the wipe. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compare), "compare.wipe", NULL));
  g_assert_true (dly_compare_view_get_wipe (compare));
  dly_compare_view_set_wipe_position (compare, 0.35);
  g_assert_cmpfloat (dly_compare_view_get_wipe_position (compare), ==, 0.35);
  wait_for_transitions (GTK_WIDGET (window));
  dly_test_save_screenshot (GTK_WIDGET (window), "player-compare-wipe.png");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_compare_view_narrow (void)
{
  DlyPlayerWindow *window = open_window ("take", "clip", 360, 720);
  DlyCompareView *compare = dly_player_window_get_compare_view (window);

  /* Takes that differ are labelled with how. */
  g_assert_true (has_label (GTK_WIDGET (compare), "768 × 512 · 24 fps · 5.01 s"));
  dly_test_save_screenshot (GTK_WIDGET (window), "player-compare-360x720.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* A private home in the build tree: the user's settings must not change the screenshots,
   * and used frames land in its cache. */
  home = g_test_build_filename (G_TEST_BUILT, "test-player-ui-home", NULL);
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

  g_test_add_func ("/player-ui/video-view", test_video_view);
  g_test_add_func ("/player-ui/video-view-narrow", test_video_view_narrow);
  g_test_add_func ("/player-ui/error", test_error);
  g_test_add_func ("/player-ui/compare-view", test_compare_view);
  g_test_add_func ("/player-ui/compare-view-narrow", test_compare_view_narrow);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}
