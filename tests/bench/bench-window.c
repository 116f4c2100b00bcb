/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Main window benchmarks, run under a display (meson test -C <build> --benchmark window, or
 * tests/run-ui-test.sh by hand):
 *
 *  1. Start-up of the application process, from exec to its first frame, with an empty
 *     ledger and with 10,000 takes, against bench-empty-window (an empty libadwaita
 *     application) in the same run; also to the first frame with the composer and with the
 *     list filled, and the process's peak RSS by then.
 *  2. The window alone, in this process: from creating the main window (with a fresh engine
 *     on the ledger) to its first frame, against an empty AdwApplicationWindow's, which
 *     leaves out everything the two processes share (linking, GTK and the display).
 *  3. Main-loop stalls: the longest gap between dispatches of a 1 ms timeout while the
 *     window follows 100 jobs polling a simulator (long jobs) and a 500 MB result downloads
 *     from it.
 *
 * It reports numbers and ratios and never fails on timing. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sys/resource.h>

#include "dly-application.h"
#include "dly-composer.h"
#include "dly-download.h"
#include "dly-sim.h"
#include "dly-take-list.h"
#include "dly-window.h"

/* A user with a backend: the composer shows, not the welcome. Nothing listens there. */
#define STUDIO_PROFILE \
  "[Profile Studio GPU]\ndialect=ltx2-server\nurl=http://127.0.0.1:9\nkey=none\n"

#define STARTUP_RUNS 21
#define N_TAKES      10000
#define N_POLLING    100
#define BLOB_BYTES   500000000
/* How long the stall measurement watches at least, besides the download. */
#define STALL_MIN_SECONDS 10

static DlyApplication *app;
static char *work_dir;

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_UNTIL(cond, seconds)                                         \
  G_STMT_START {                                                          \
    gboolean timed_out_ = FALSE;                                          \
    guint id_ = g_timeout_add_seconds (seconds, timeout_cb, &timed_out_); \
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

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* --- 1. process start-up --- */

/* bench-window --startup-child N runs the application as main.c does, and prints when its
 * first frame, its composer and its list of N takes reached the screen, and its peak RSS
 * then; bench_process_startup() times it from exec. */
typedef struct
{
  GApplication *app;
  GtkWidget    *window;
  guint         n_expected;
  gint64        painted_at;
  gint64        composer_at;
  gint64        filled_at;
} ChildTimes;

static GtkWidget *find_widget (GtkWidget *root,
                               GType      type);

static void
on_child_after_paint (GdkFrameClock *clock,
                      ChildTimes    *times)
{
  DlyTakeController *controller = dly_window_get_controller (DLY_WINDOW (times->window));
  GtkWidget *composer = find_widget (times->window, DLY_TYPE_COMPOSER);
  gint64 now = g_get_monotonic_time ();
  struct rusage usage;

  if (times->painted_at == 0)
    times->painted_at = now;
  if (times->composer_at == 0 && composer != NULL && gtk_widget_get_mapped (composer))
    times->composer_at = now;
  if (times->filled_at == 0 && dly_take_controller_get_loaded (controller)
      && g_list_model_get_n_items (dly_engine_get_jobs (
           dly_take_controller_get_engine (controller))) >= times->n_expected)
    times->filled_at = now;
  if (times->composer_at == 0 || times->filled_at == 0)
    return;

  getrusage (RUSAGE_SELF, &usage);
  g_print ("first-frame %" G_GINT64_FORMAT "\ncomposer %" G_GINT64_FORMAT "\n"
           "filled %" G_GINT64_FORMAT "\nrss-kb %ld\n",
           times->painted_at, times->composer_at, times->filled_at, usage.ru_maxrss);
  g_signal_handlers_disconnect_by_func (clock, on_child_after_paint, times);
  g_application_quit (times->app);
}

static void
on_child_window_realize (GtkWidget  *window,
                         ChildTimes *times)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window)));

  g_signal_connect (clock, "after-paint", G_CALLBACK (on_child_after_paint), times);
}

static void
on_child_window_added (GtkApplication *application,
                       GtkWindow      *window,
                       ChildTimes     *times)
{
  if (!DLY_IS_WINDOW (window) || times->window != NULL)
    return;
  times->window = GTK_WIDGET (window);
  g_signal_connect (window, "realize", G_CALLBACK (on_child_window_realize), times);
}

static int
run_startup_child (guint n_expected)
{
  g_autoptr(DlyApplication) child_app = dly_application_new ();
  ChildTimes times = { G_APPLICATION (child_app), NULL, n_expected, 0, 0, 0 };
  char *child_argv[] = { (char *) "dailies", NULL };

  g_signal_connect (child_app, "window-added", G_CALLBACK (on_child_window_added), &times);
  return g_application_run (G_APPLICATION (child_app), 1, child_argv);
}

typedef struct
{
  double first_ms;
  double composer_ms;
  double filled_ms;
  double rss_mb;
} ProcessTimes;

/* Spawns argv with XDG_DATA_HOME at data_home and reads what it printed. */
static void
time_process (char       **argv,
              const char  *data_home,
              ProcessTimes *times)
{
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "XDG_DATA_HOME", data_home, TRUE);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 start;
  int status;

  *times = (ProcessTimes) { 0 };
  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s", argv[0], error->message);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit (lines[i], " ", 2);
      double value;

      if (g_strv_length (words) != 2)
        continue;
      value = g_ascii_strtod (words[1], NULL);
      if (g_str_equal (words[0], "first-frame"))
        times->first_ms = (value - start) / 1000.0;
      else if (g_str_equal (words[0], "composer"))
        times->composer_ms = (value - start) / 1000.0;
      else if (g_str_equal (words[0], "filled"))
        times->filled_ms = (value - start) / 1000.0;
      else if (g_str_equal (words[0], "rss-kb"))
        times->rss_mb = value / 1024.0;
    }
  if (times->first_ms <= 0)
    g_error ("%s printed no first frame: %s", argv[0], out);
}

/* The ratios are medians of each round's own ratio: a round runs the reference and the app
 * back to back, so a slow spell of the machine weighs on both sides of it. */
static void
print_ratio (const char   *what,
             const double *ms,
             const double *reference_ms,
             const double *header_bar_ms)
{
  double values[STARTUP_RUNS], to_reference[STARTUP_RUNS], to_header_bar[STARTUP_RUNS];

  for (guint i = 0; i < STARTUP_RUNS; i++)
    {
      values[i] = ms[i];
      to_reference[i] = ms[i] / reference_ms[i];
      to_header_bar[i] = ms[i] / header_bar_ms[i];
    }
  g_print ("  %-42s %7.1f ms  (%.2fx, %.2fx)\n", what, median (values, STARTUP_RUNS),
           median (to_reference, STARTUP_RUNS), median (to_header_bar, STARTUP_RUNS));
}

static void
bench_process_startup (const char *full_ledger)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *self_dir = g_path_get_dirname (self_path);
  g_autofree char *empty_home = g_build_filename (work_dir, "process-empty", NULL);
  g_autofree char *full_home = g_build_filename (work_dir, "process-full", NULL);
  g_autofree char *empty_ledger = g_build_filename (empty_home, "dailies", "ledger.sqlite", NULL);
  g_autofree char *full_copy = g_build_filename (full_home, "dailies", "ledger.sqlite", NULL);
  g_autofree char *reference_path = g_build_filename (self_dir, "bench-empty-window", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  char *reference_argv[] = { reference_path, NULL };
  char *header_bar_argv[] = { reference_path, (char *) "--header-bar", NULL };
  char *empty_argv[] = { (char *) self_path, (char *) "--startup-child", (char *) "0", NULL };
  g_autofree char *n_takes = g_strdup_printf ("%d", N_TAKES);
  char *full_argv[] = { (char *) self_path, (char *) "--startup-child", n_takes, NULL };
  double reference[STARTUP_RUNS], header_bar[STARTUP_RUNS];
  double first[STARTUP_RUNS], composer[STARTUP_RUNS];
  double full_first[STARTUP_RUNS], full_filled[STARTUP_RUNS], rss_empty = 0, rss_full = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *empty_dir = g_path_get_dirname (empty_ledger);
  g_autofree char *full_dir = g_path_get_dirname (full_copy);
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "dailies", NULL);
  g_autofree char *profiles = g_build_filename (config_dir, "profiles.ini", NULL);
  ProcessTimes times;
  double ref_ms, bar_ms;

  g_mkdir_with_parents (empty_dir, 0700);
  g_mkdir_with_parents (full_dir, 0700);
  g_mkdir_with_parents (config_dir, 0700);
  if (!g_file_get_contents (full_ledger, &contents, &length, &error)
      || !g_file_set_contents (full_copy, contents, length, &error)
      || !g_file_set_contents (profiles, STUDIO_PROFILE, -1, &error))
    g_error ("%s", error->message);

  /* Interleaved, after a round that warms the page cache and is not counted. */
  time_process (reference_argv, empty_home, &times);
  time_process (header_bar_argv, empty_home, &times);
  time_process (full_argv, full_home, &times);
  for (guint i = 0; i < STARTUP_RUNS; i++)
    {
      time_process (reference_argv, empty_home, &times);
      reference[i] = times.first_ms;
      time_process (header_bar_argv, empty_home, &times);
      header_bar[i] = times.first_ms;
      g_unlink (empty_ledger);
      time_process (empty_argv, empty_home, &times);
      first[i] = times.first_ms;
      composer[i] = times.composer_ms;
      rss_empty = MAX (rss_empty, times.rss_mb);
      time_process (full_argv, full_home, &times);
      full_first[i] = times.first_ms;
      full_filled[i] = times.filled_ms;
      rss_full = MAX (rss_full, times.rss_mb);
    }

  g_print ("process start-up, exec to screen (median of %d rounds; ratios to the empty window "
           "and to the one with a header bar, each the median of the rounds' own)\n",
           STARTUP_RUNS);
  print_ratio ("dailies, empty ledger, first frame:", first, reference, header_bar);
  print_ratio ("dailies, empty ledger, composer shown:", composer, reference, header_bar);
  print_ratio ("dailies, 10,000 takes, first frame:", full_first, reference, header_bar);
  print_ratio ("dailies, 10,000 takes, list shown:", full_filled, reference, header_bar);
  ref_ms = median (reference, STARTUP_RUNS);
  bar_ms = median (header_bar, STARTUP_RUNS);
  g_print ("  empty libadwaita application, first frame:  %7.1f ms\n", ref_ms);
  g_print ("  the same with a header bar, first frame:    %7.1f ms\n", bar_ms);
  g_print ("  peak RSS of the process: %.1f MB with an empty ledger, %.1f MB with %d takes\n",
           rss_empty, rss_full, N_TAKES);
}

/* --- 2. the window alone --- */

typedef struct
{
  DlyTakeController *controller;   /* NULL for the empty window */
  GtkWidget         *window;
  guint              n_expected;   /* takes the list must show for "filled" */
  gint64             painted_at;
  gint64             filled_at;
  gint64             composer_at;  /* the first frame with the composer on screen */
} FirstPaint;

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

static void
on_after_paint (GdkFrameClock *clock,
                FirstPaint    *first)
{
  gint64 now = g_get_monotonic_time ();

  GtkWidget *composer;

  if (first->painted_at == 0)
    first->painted_at = now;
  if (first->composer_at == 0)
    {
      composer = first->controller != NULL ? find_widget (first->window, DLY_TYPE_COMPOSER) : NULL;
      if (first->controller == NULL || (composer != NULL && gtk_widget_get_mapped (composer)))
        first->composer_at = now;
    }
  if (first->filled_at == 0
      && (first->controller == NULL
          || (dly_take_controller_get_loaded (first->controller)
              && g_list_model_get_n_items (dly_engine_get_jobs (
                   dly_take_controller_get_engine (first->controller))) >= first->n_expected)))
    first->filled_at = now;
}

static void
on_realize (GtkWidget  *widget,
            FirstPaint *first)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (widget)));

  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), first);
}

static DlyTakeController *
new_controller (const char *ledger_path)
{
  g_autofree char *profiles_path = g_build_filename (work_dir, "profiles.ini", NULL);
  g_autoptr(GFile) profiles = g_file_new_for_path (profiles_path);
  g_autoptr(DlyEngine) engine = dly_engine_new (ledger_path);
  g_autoptr(DlyProfileStore) store = dly_profile_store_new_for_file (profiles);

  return dly_take_controller_new (engine, store);
}

/* Milliseconds to the first frame, and to the first with the list filled. */
static void
time_startup (const char *ledger_path,
              guint       n_expected,
              double     *first_ms,
              double     *filled_ms,
              double     *composer_ms)
{
  FirstPaint first = { NULL, NULL, n_expected, 0, 0, 0 };
  gint64 start = g_get_monotonic_time ();
  GtkWindow *window;

  if (ledger_path != NULL)
    {
      first.controller = new_controller (ledger_path);
      window = GTK_WINDOW (dly_window_new_with_controller (GTK_APPLICATION (app),
                                                           first.controller));
      dly_take_controller_open_async (first.controller, NULL, NULL, NULL);
    }
  else
    {
      window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
      adw_application_window_set_content (ADW_APPLICATION_WINDOW (window),
                                          adw_status_page_new ());
    }

  first.window = GTK_WIDGET (window);
  gtk_window_set_default_size (window, 1280, 800);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), &first);
  gtk_window_present (window);
  WAIT_UNTIL (first.filled_at != 0 && first.composer_at != 0, 60);
  /* A frame after the one that showed the list: its rows were laid out by then. */
  if (first.controller != NULL && first.filled_at == first.painted_at)
    gtk_widget_queue_draw (GTK_WIDGET (window));

  *first_ms = (first.painted_at - start) / 1000.0;
  *filled_ms = (first.filled_at - start) / 1000.0;
  *composer_ms = (first.composer_at - start) / 1000.0;

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&first.controller);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_usleep (100 * 1000);
}

static void
fill_ledger (const char *path,
             guint       n)
{
  g_autoptr(DlyLedger) ledger = dly_ledger_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();

  dly_ledger_open_async (ledger, NULL, on_async_done, &result);
  WAIT_UNTIL (result != NULL, 30);
  if (!dly_ledger_open_finish (ledger, result, &error))
    g_error ("%s", error->message);
  g_clear_object (&result);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlyRequest) request = dly_request_new ();
      g_autofree char *id = g_strdup_printf ("bench-%05u", i);
      g_autofree char *prompt = g_strdup_printf ("Take %u: a paper boat drifts down a gutter "
                                                 "after the rain, low angle", i);
      g_autoptr(DlyJob) job = NULL;

      dly_request_set_prompt (request, prompt);
      dly_request_set_param_int (request, "seed", i);
      job = dly_job_new (id, request, "ltx2-server", "http://127.0.0.1:9", NULL, NULL,
                         "/nonexistent/take.mp4", now - (gint64) (n - i) * G_USEC_PER_SEC);
      dly_job_set_state (job, DLY_JOB_STATE_SUCCEEDED);
      dly_job_set_finished_at (job, now - (gint64) (n - i) * G_USEC_PER_SEC + 5 * G_USEC_PER_SEC);
      dly_ledger_save_async (ledger, job, NULL, i == n - 1 ? on_async_done : NULL,
                             i == n - 1 ? &result : NULL);
    }
  WAIT_UNTIL (result != NULL, 300);
  if (!dly_ledger_save_finish (ledger, result, &error))
    g_error ("%s", error->message);
}

static void
bench_startup (void)
{
  g_autofree char *empty_ledger = g_build_filename (work_dir, "empty.sqlite", NULL);
  g_autofree char *full_ledger = g_build_filename (work_dir, "full.sqlite", NULL);
  g_autofree char *profiles = g_build_filename (work_dir, "profiles.ini", NULL);
  double reference[STARTUP_RUNS], empty[STARTUP_RUNS], full[STARTUP_RUNS];
  double full_filled[STARTUP_RUNS], composer[STARTUP_RUNS], unused;
  double ref_ms, empty_ms, full_ms, filled_ms, composer_ms;
  g_autoptr(GError) error = NULL;

  fill_ledger (full_ledger, N_TAKES);
  bench_process_startup (full_ledger);
  if (g_strcmp0 (g_getenv ("DAILIES_BENCH_ONLY"), "process") == 0)
    return;
  if (!g_file_set_contents (profiles, STUDIO_PROFILE, -1, &error))
    g_error ("%s", error->message);

  /* Interleaved, so that a slow patch of the machine hits all three alike; the first
   * round warms caches (fonts, icons, templates) and is not counted. */
  time_startup (NULL, 0, &unused, &unused, &unused);
  time_startup (empty_ledger, 0, &unused, &unused, &unused);
  for (guint i = 0; i < STARTUP_RUNS; i++)
    {
      time_startup (NULL, 0, &reference[i], &unused, &unused);
      g_unlink (empty_ledger);
      time_startup (empty_ledger, 0, &empty[i], &unused, &composer[i]);
      time_startup (full_ledger, N_TAKES, &full[i], &full_filled[i], &unused);
    }

  ref_ms = median (reference, STARTUP_RUNS);
  empty_ms = median (empty, STARTUP_RUNS);
  full_ms = median (full, STARTUP_RUNS);
  filled_ms = median (full_filled, STARTUP_RUNS);
  composer_ms = median (composer, STARTUP_RUNS);

  g_print ("the window alone, created in this process (median of %d, 1280x800)\n",
           STARTUP_RUNS);
  g_print ("  empty AdwApplicationWindow, first frame:     %7.1f ms\n", ref_ms);
  g_print ("  main window, empty ledger, first frame:      %7.1f ms  (%.2fx)\n",
           empty_ms, empty_ms / ref_ms);
  g_print ("  main window, empty ledger, composer shown:   %7.1f ms  (%.2fx)\n",
           composer_ms, composer_ms / ref_ms);
  g_print ("  main window, %d takes, first frame:       %7.1f ms  (%.2fx)\n",
           N_TAKES, full_ms, full_ms / ref_ms);
  g_print ("  main window, %d takes, list shown:        %7.1f ms  (%.2fx)\n",
           N_TAKES, filled_ms, filled_ms / ref_ms);
}

/* --- 3. stalls --- */

typedef struct
{
  gint64 last;
  gint64 worst;
  guint  ticks;
} Stall;

static gboolean
on_tick (gpointer user_data)
{
  Stall *stall = user_data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0 && now - stall->last > stall->worst)
    stall->worst = now - stall->last;
  stall->last = now;
  stall->ticks++;
  return G_SOURCE_CONTINUE;
}

/* The longest frame (update, layout, paint) while the stalls are measured: with the cairo
 * renderer under Xvfb it is the CPU drawing the whole window. */
typedef struct
{
  gint64 began;
  gint64 longest;
  guint  frames;
} FrameTimes;

static void
on_before_paint (GdkFrameClock *clock,
                 FrameTimes    *times)
{
  times->began = g_get_monotonic_time ();
}

static void
on_after_paint_timed (GdkFrameClock *clock,
                      FrameTimes    *times)
{
  gint64 took = g_get_monotonic_time () - times->began;

  if (times->began != 0 && took > times->longest)
    times->longest = took;
  times->frames++;
}

static void
bench_stalls (void)
{
  FrameTimes frame_times = { 0 };
  GdkFrameClock *clock;
  g_autoptr(DlySim) sim = dly_sim_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyProfile) profile = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *ledger = g_build_filename (work_dir, "stalls.sqlite", NULL);
  g_autofree char *blob_path = g_build_filename (work_dir, "blob.bin", NULL);
  g_autofree char *blob_url = NULL;
  g_autofree char *profiles = g_build_filename (work_dir, "profiles.ini", NULL);
  DlyTakeController *controller;
  DlyEngine *engine;
  DlyWindow *window;
  Stall stall = { 0 };
  Stall idle = { 0 };
  Stall polling = { 0 };
  Stall alone = { 0 };
  Stall submitting = { 0 };
  FrameTimes submit_frames;
  gboolean settled;
  double alone_s;
  guint polling_polls;
  gint64 start, downloaded_at;
  guint tick_id, polls;
  gboolean done = FALSE;

  /* A user with a backend, as in the start-up runs (which DAILIES_BENCH_ONLY may skip). */
  if (!g_file_set_contents (profiles, STUDIO_PROFILE, -1, &error))
    g_error ("%s", error->message);
  dly_sim_set_job_seconds (sim, 600);
  if (!dly_sim_start_in_thread (sim, 0, &error))
    g_error ("%s", error->message);

  controller = new_controller (ledger);
  engine = dly_take_controller_get_engine (controller);
  /* Polls as often as the engine ever does, so that 100 jobs keep it busy. */
  g_object_set (engine, "poll-initial-ms", 250, "poll-max-ms", 1000, NULL);
  window = dly_window_new_with_controller (GTK_APPLICATION (app), controller);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  dly_take_controller_open_async (controller, NULL, NULL, NULL);
  WAIT_UNTIL (dly_take_controller_get_loaded (controller), 30);

  /* The composer appears once the profiles are in; its making and first layout are not
   * what is measured here. */
  settled = FALSE;
  g_timeout_add_seconds (1, timeout_cb, &settled);
  WAIT_UNTIL (settled, 10);

  /* The same idle window first: what the machine and the toolkit cost by themselves. */
  tick_id = g_timeout_add (1, on_tick, &idle);
  start = g_get_monotonic_time ();
  WAIT_UNTIL (g_get_monotonic_time () - start > 3 * G_USEC_PER_SEC, 10);
  g_source_remove (tick_id);

  /* The download alone, on the idle window. */
  blob_url = g_strdup_printf ("%s/_sim/blob/%d", dly_sim_get_url (sim), BLOB_BYTES);
  tick_id = g_timeout_add (1, on_tick, &alone);
  start = g_get_monotonic_time ();
  message = soup_message_new (SOUP_METHOD_GET, blob_url);
  dly_download_async (dly_engine_get_session (engine), message, NULL, -1, blob_path,
                      (goffset) BLOB_BYTES * 2, NULL, NULL, NULL, on_async_done, &result);
  WAIT_UNTIL (result != NULL, 600);
  g_source_remove (tick_id);
  alone_s = (g_get_monotonic_time () - start) / 1e6;
  if (dly_download_finish (result, &error) < 0 || error != NULL)
    g_error ("Download: %s", error != NULL ? error->message : "failed");
  g_clear_object (&result);
  g_clear_object (&message);
  g_unlink (blob_path);

  profile = dly_profile_new ("Bench", "ltx2-server", dly_sim_get_base_url (sim, "ltx2-server"));
  dly_profile_set_concurrency (profile, DLY_PROFILE_MAX_CONCURRENCY);
  if (!dly_profile_store_add (dly_take_controller_get_profile_store (controller), profile, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < N_POLLING; i++)
    {
      DlyRequest *request = dly_request_new ();

      dly_request_set_prompt (request, "A long take that the benchmark never waits for");
      dly_request_set_param_int (request, "width", 64);
      dly_request_set_param_int (request, "height", 64);
      dly_request_set_param_int (request, "num_frames", 9);
      g_ptr_array_add (requests, request);
    }
  clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window)));
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), &frame_times);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_timed), &frame_times);

  /* Submitting them is timed too, with the second after it: the list takes 100 rows at
   * once, and its empty state gives way to them. */
  tick_id = g_timeout_add (1, on_tick, &submitting);
  dly_take_controller_submit_async (controller, profile, requests, NULL, on_async_done, &result);
  WAIT_UNTIL (result != NULL, 30);
  jobs = dly_take_controller_submit_finish (controller, result, &error);
  if (jobs == NULL)
    g_error ("%s", error->message);
  g_clear_object (&result);
  /* Past the profile's cap of 64: all 100 at once. */
  dly_engine_set_concurrency (engine, dly_profile_get_base_url (profile), N_POLLING);

  /* Everything submitted and polling before the clock starts. */
  WAIT_UNTIL (({ guint n_polling = 0;
                 for (guint i = 0; i < jobs->len; i++)
                   n_polling += dly_job_get_remote_id (g_ptr_array_index (jobs, i)) != NULL;
                 n_polling == jobs->len; }), 60);
  settled = FALSE;
  g_timeout_add_seconds (1, timeout_cb, &settled);
  WAIT_UNTIL (settled, 10);
  g_source_remove (tick_id);
  submit_frames = frame_times;
  frame_times = (FrameTimes) { 0 };

  /* The polls alone first, then with the download on top. */
  tick_id = g_timeout_add (1, on_tick, &polling);
  start = g_get_monotonic_time ();
  polls = dly_sim_get_count (sim, "ltx2-server", DLY_SIM_COUNT_STATUS);
  WAIT_UNTIL (g_get_monotonic_time () - start > 5 * G_USEC_PER_SEC, 10);
  g_source_remove (tick_id);
  polling_polls = dly_sim_get_count (sim, "ltx2-server", DLY_SIM_COUNT_STATUS) - polls;

  tick_id = g_timeout_add (1, on_tick, &stall);
  start = g_get_monotonic_time ();
  polls = dly_sim_get_count (sim, "ltx2-server", DLY_SIM_COUNT_STATUS);

  message = soup_message_new (SOUP_METHOD_GET, blob_url);
  dly_download_async (dly_engine_get_session (engine), message, NULL, -1, blob_path,
                      (goffset) BLOB_BYTES * 2, NULL, NULL, NULL, on_async_done, &result);
  WAIT_UNTIL (result != NULL, 600);
  downloaded_at = g_get_monotonic_time ();
  if (dly_download_finish (result, &error) < 0 || error != NULL)
    g_error ("Download: %s", error != NULL ? error->message : "failed");
  g_clear_object (&result);
  g_timeout_add_seconds (STALL_MIN_SECONDS, timeout_cb, &done);
  WAIT_UNTIL (done || g_get_monotonic_time () - start > STALL_MIN_SECONDS * G_USEC_PER_SEC, 60);
  g_source_remove (tick_id);

  g_print ("main-loop stalls (1 ms timeout, longest gap between dispatches)\n");
  g_print ("  idle window, 3 s:                             %7.2f ms  (%u ticks)\n",
           idle.worst / 1000.0, idle.ticks);
  g_print ("  %d MB download alone, %.1f s:                %7.2f ms  (%u ticks)\n",
           BLOB_BYTES / 1000000, alone_s, alone.worst / 1000.0, alone.ticks);
  g_print ("  submitting %d takes, and the second after:    %7.2f ms  (longest frame %.2f ms)\n",
           N_POLLING, submitting.worst / 1000.0, submit_frames.longest / 1000.0);
  g_print ("  %d jobs polling, 5 s (%u polls):          %7.2f ms  (%u ticks)\n",
           N_POLLING, polling_polls, polling.worst / 1000.0, polling.ticks);
  g_print ("  %d jobs polling + %d MB download, %.1f s:  %7.2f ms  (%u ticks)\n",
           N_POLLING, BLOB_BYTES / 1000000, (g_get_monotonic_time () - start) / 1e6,
           stall.worst / 1000.0, stall.ticks);
  g_print ("  longest frame meanwhile (update, layout, paint): %.2f ms of %u frames\n",
           frame_times.longest / 1000.0, frame_times.frames);
  g_signal_handlers_disconnect_by_data (clock, &frame_times);
  g_print ("  download of %d MB took %.1f s (%.0f MB/s); %u status polls answered meanwhile\n",
           BLOB_BYTES / 1000000, (downloaded_at - start) / 1e6,
           BLOB_BYTES / 1e6 / ((downloaded_at - start) / 1e6),
           dly_sim_get_count (sim, "ltx2-server", DLY_SIM_COUNT_STATUS) - polls);

  for (guint i = 0; i < jobs->len; i++)
    dly_engine_cancel (engine, g_ptr_array_index (jobs, i));
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (controller);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_unlink (blob_path);
  dly_sim_stop (sim);
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
  struct rusage usage;

  if (argc == 3 && g_str_equal (argv[1], "--startup-child"))
    return run_startup_child ((guint) g_ascii_strtoull (argv[2], NULL, 10));

  work_dir = g_dir_make_tmp ("dailies-bench-window-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", work_dir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", work_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", work_dir, TRUE);

  gtk_init ();
  app = dly_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  /* DAILIES_BENCH_ONLY=process, =startup (both kinds) or =stalls runs only that part, for
   * profiling it. */
  if (g_strcmp0 (g_getenv ("DAILIES_BENCH_ONLY"), "stalls") != 0)
    bench_startup ();
  getrusage (RUSAGE_SELF, &usage);
  g_print ("peak RSS after start-up runs (10,000 takes loaded 8 times): %.1f MB\n",
           usage.ru_maxrss / 1024.0);

  if (g_getenv ("DAILIES_BENCH_ONLY") == NULL
      || g_str_equal (g_getenv ("DAILIES_BENCH_ONLY"), "stalls"))
    bench_stalls ();
  getrusage (RUSAGE_SELF, &usage);
  g_print ("peak RSS at the end: %.1f MB\n", usage.ru_maxrss / 1024.0);

  g_clear_object (&app);
  remove_tree (work_dir);
  g_free (work_dir);
  return 0;
}
