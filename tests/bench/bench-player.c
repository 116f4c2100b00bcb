/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Player benchmarks, run under a display (meson test --benchmark player, or tests/run-ui-test.sh by hand):
 *
 *  1. Startup: from opening a 5 s 768x512 take in the --play window to its first frame on
 *     screen, against an empty window's first frame, measured in the same run.
 *  2. Playback: frames shown, dropped and superseded while playing 768x512@24 and 1280x720@30
 *     (and two 768x512 takes compared), and the CPU the process used meanwhile.
 *
 * It reports numbers and ratios and never fails on timing. */
#include "config.h"

#include <adwaita.h>
#include <sys/resource.h>

#include "dly-application.h"
#include "dly-player-window.h"
#include "dly-video-view.h"

#define STARTUP_RUNS 7

static DlyApplication *app;

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

#define WAIT_UNTIL(cond)                                                  \
  G_STMT_START {                                                          \
    gboolean timed_out_ = FALSE;                                          \
    guint id_ = g_timeout_add_seconds (60, timeout_cb, &timed_out_);      \
    while (!(cond) && !timed_out_)                                        \
      g_main_context_iteration (NULL, TRUE);                              \
    if (timed_out_)                                                       \
      g_error ("Timed out waiting for %s", #cond);                        \
    g_source_remove (id_);                                                \
  } G_STMT_END

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* --- 1. startup --- */

typedef struct
{
  DlyVideoPaintable *paintable;   /* borrowed; NULL for the empty window */
  gint64             painted_at;
} FirstPaint;

static void
on_after_paint (GdkFrameClock *clock,
                FirstPaint    *first)
{
  if (first->painted_at != 0)
    return;
  /* A frame of the take counts once the paintable has drawn it, not when the window has. */
  if (first->paintable == NULL || dly_video_paintable_get_n_drawn (first->paintable) > 0)
    first->painted_at = g_get_monotonic_time ();
}

static void
on_realize (GtkWidget  *widget,
            FirstPaint *first)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (widget)));

  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), first);
}

static double
time_to_first_paint (const char *take)
{
  FirstPaint first = { NULL, 0 };
  gint64 start = g_get_monotonic_time ();
  GtkWindow *window;

  if (take != NULL)
    {
      window = GTK_WINDOW (dly_player_window_new (GTK_APPLICATION (app), take, NULL));
      first.paintable = dly_video_view_get_paintable (
        dly_player_window_get_video_view (DLY_PLAYER_WINDOW (window)));
    }
  else
    {
      window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
      adw_application_window_set_content (ADW_APPLICATION_WINDOW (window),
                                          adw_status_page_new ());
    }

  gtk_window_set_default_size (window, 1100, 720);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), &first);
  gtk_window_present (window);
  WAIT_UNTIL (first.painted_at != 0);

  gtk_window_destroy (window);
  /* Let the closed player's teardown finish before the next run. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_usleep (100 * 1000);

  return (first.painted_at - start) / 1000.0;
}

static void
bench_startup (void)
{
  g_autofree char *take = fixture_path ("take");
  double empty[STARTUP_RUNS], with_take[STARTUP_RUNS];
  double empty_ms, take_ms;

  /* A first run of each warms caches and loads plugins; it is reported, not counted. */
  g_print ("startup warm-up: empty window %.1f ms, take %.1f ms\n",
           time_to_first_paint (NULL), time_to_first_paint (take));

  for (guint i = 0; i < STARTUP_RUNS; i++)
    {
      empty[i] = time_to_first_paint (NULL);
      with_take[i] = time_to_first_paint (take);
    }

  empty_ms = median (empty, STARTUP_RUNS);
  take_ms = median (with_take, STARTUP_RUNS);
  g_print ("startup (median of %d): empty window first frame %.1f ms; "
           "768x512 take first frame on screen %.1f ms; ratio %.2f; "
           "the take's own cost %.1f ms\n",
           STARTUP_RUNS, empty_ms, take_ms, take_ms / empty_ms, take_ms - empty_ms);
}

/* --- 2. playback --- */

static void
on_ended (DlyPlayer *player,
          gboolean  *ended)
{
  *ended = TRUE;
}

static void
bench_playback (const char *label,
                const char *kind_a,
                const char *kind_b)
{
  g_autofree char *a = fixture_path (kind_a);
  g_autofree char *b = kind_b != NULL ? fixture_path (kind_b) : NULL;
  DlyPlayerWindow *window = dly_player_window_new (GTK_APPLICATION (app), a, b);
  DlyVideoView *view = dly_player_window_get_video_view (window);
  DlyPlayer *player = dly_video_view_get_player (view);
  DlyVideoPaintable *paintable = dly_video_view_get_paintable (view);
  DlyPlayerStats stats;
  gboolean ended = FALSE;
  guint64 drawn_before;
  gint64 frames;
  double cpu_start, cpu_used, wall;
  gint64 wall_start;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (dly_player_get_state (player) == DLY_PLAYER_STATE_PAUSED
              && !dly_player_get_busy (player)
              && dly_player_window_get_info_loaded (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* When comparing, the compare view draws its own paintables; count the window's paints
   * through the one that is on screen. */
  if (kind_b != NULL)
    paintable = NULL;
  drawn_before = paintable != NULL ? dly_video_paintable_get_n_drawn (paintable) : 0;
  frames = dly_player_get_frame_count (player);

  g_signal_connect (player, "ended", G_CALLBACK (on_ended), &ended);
  cpu_start = cpu_seconds ();
  wall_start = g_get_monotonic_time ();
  dly_player_play (player);
  WAIT_UNTIL (ended);
  wall = (g_get_monotonic_time () - wall_start) / 1e6;
  cpu_used = cpu_seconds () - cpu_start;

  dly_player_get_stats (player, &stats);
  /* Frames never rendered were dropped somewhere: by a late sink, or by a decoder that QoS
   * told to skip (those show only as QoS messages). */
  g_print ("%s: %" G_GINT64_FORMAT " frames per take over %.2f s; rendered %" G_GUINT64_FORMAT
           " of %" G_GINT64_FORMAT " (lost %" G_GINT64_FORMAT ", of which the sinks dropped %"
           G_GUINT64_FORMAT "; QoS messages %" G_GUINT64_FORMAT "), superseded before the main "
           "thread took them %" G_GUINT64_FORMAT,
           label, frames, wall, stats.rendered, frames * dly_player_get_n_sides (player),
           MAX (frames * (gint64) dly_player_get_n_sides (player) - (gint64) stats.rendered, 0),
           stats.dropped, stats.qos_messages, stats.superseded);
  if (paintable != NULL)
    g_print (", painted %" G_GUINT64_FORMAT,
             dly_video_paintable_get_n_drawn (paintable) - drawn_before);
  g_print ("; CPU %.0f%% of one core (%.0f%% of %u)\n", 100 * cpu_used / wall,
           100 * cpu_used / wall / g_get_num_processors (), g_get_num_processors ());
  {
    double load[1] = { 0 };

    /* Others' work on the machine makes frames late too; say how busy it was. */
    if (getloadavg (load, 1) == 1)
      g_print ("  (load average %.2f)\n", load[0]);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;

  g_test_init (&argc, &argv, NULL);

  home = g_test_build_filename (G_TEST_BUILT, "bench-player-home", NULL);
  g_mkdir_with_parents (home, 0700);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);

  app = dly_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_print ("renderer: %s; audio sink: %s\n",
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default",
           g_getenv ("DAILIES_AUDIO_SINK") ? g_getenv ("DAILIES_AUDIO_SINK") : "default");
  bench_startup ();
  bench_playback ("768x512@24", "take", NULL);
  bench_playback ("1280x720@30", "take-720p", NULL);
  bench_playback ("two 768x512@24 compared", "take", "take-b");

  g_clear_object (&app);
  return 0;
}
