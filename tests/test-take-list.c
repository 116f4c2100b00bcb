/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The take list in real windows under a display: a real ledger of 10,000 takes opened through
 * the engine and scrolled end to end with only the visible rows alive; a row for every state;
 * the per-take actions and the signals they emit; playing a take by selecting it; and
 * screenshots at a narrow and a wide size for a person to look at. Waits are on state, never
 * on the clock, except the one that checks the clock. */
#include "config.h"

#include "dly-test-ui.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "dly-activity-indicator.h"
#include "dly-demo.h"
#include "dly-engine.h"
#include "dly-ledger.h"
#include "dly-take-list.h"
#include "dly-take-row.h"
#include "dly-thumbnailer.h"

#define WAIT_SECONDS   60
#define N_LEDGER_TAKES 10000
/* GtkListView 4.8 keeps up to 200 rows around what is shown, however long the list. */
#define MAX_LIVE_ROWS  250
/* Rows on screen in an 800 px window (rows are over 60 px high), with the margin. */
#define MAX_ON_SCREEN  20

static AdwApplication *app;

/* --- waiting --- */

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
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* --- fixtures --- */

static char *
fixture_path (const char *kind)
{
  g_autofree char *name = g_strdup_printf ("player-%s.mp4", kind);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);

  /* Takes are recorded with absolute paths; so are these. */
  return g_canonicalize_filename (path, NULL);
}

static gboolean
have_fixtures (void)
{
  g_autofree char *take = fixture_path ("take");

  if (g_file_test (take, G_FILE_TEST_EXISTS))
    return TRUE;

  g_test_skip ("The player fixtures were not built (no gst-launch-1.0)");
  return FALSE;
}

static gint64 now_us;

static DlyJob *
make_job (const char  *id,
          const char  *prompt,
          const char  *profile,
          DlyJobState  state,
          double       progress,
          const char  *output_path,
          const char  *message,
          gint64       age_seconds)
{
  g_autoptr(DlyRequest) request = dly_request_new ();
  gint64 created_at = now_us - age_seconds * G_USEC_PER_SEC;
  DlyJob *job;

  dly_request_set_prompt (request, prompt);
  job = dly_job_new (id, request, "ltx2-server", "http://gpu.local:8000", profile, NULL,
                     output_path, created_at);
  dly_job_set_state (job, state);
  dly_job_set_progress (job, progress);
  dly_job_set_message (job, message);
  if (state != DLY_JOB_STATE_QUEUED)
    dly_job_set_started_at (job, created_at + G_USEC_PER_SEC);
  if (dly_job_state_is_finished (state))
    dly_job_set_finished_at (job, created_at + MIN (age_seconds, 95) * G_USEC_PER_SEC);

  return job;
}

/* --- widgets --- */

typedef struct
{
  GtkWindow   *window;
  DlyTakeList *list;
} Window;

static Window
open_window (GListModel *jobs,
             int         width,
             int         height)
{
  Window w;
  GtkWidget *overlay = adw_toast_overlay_new ();

  w.window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  w.list = DLY_TAKE_LIST (dly_take_list_new ());
  gtk_window_set_title (w.window, "Takes");
  gtk_window_set_default_size (w.window, width, height);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (w.list));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (w.window), overlay);
  dly_take_list_set_jobs (w.list, jobs);
  gtk_window_present (w.window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (w.window));

  return w;
}

static void
close_window (Window *w)
{
  gtk_window_destroy (w->window);
  drain ();
}

static void
count_rows (GtkWidget *widget,
            guint     *n)
{
  if (DLY_IS_TAKE_ROW (widget))
    (*n)++;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_rows (child, n);
}

static guint
n_live_rows (DlyTakeList *list)
{
  guint n = 0;

  count_rows (GTK_WIDGET (list), &n);
  return n;
}

static void
count_on_screen (GtkWidget *widget,
                 guint     *n)
{
  if (DLY_IS_TAKE_ROW (widget) && dly_take_row_get_on_screen (DLY_TAKE_ROW (widget)))
    (*n)++;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_on_screen (child, n);
}

static guint
n_on_screen (DlyTakeList *list)
{
  guint n = 0;

  count_on_screen (GTK_WIDGET (list), &n);
  return n;
}

static DlyTakeRow *
find_row (GtkWidget *widget,
          DlyJob    *job)
{
  if (DLY_IS_TAKE_ROW (widget) && dly_take_row_get_job (DLY_TAKE_ROW (widget)) == job)
    return DLY_TAKE_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      DlyTakeRow *row = find_row (child, job);

      if (row != NULL)
        return row;
    }

  return NULL;
}

static guint
position_of (GListModel *model,
             DlyJob     *job)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlyJob) item = g_list_model_get_item (model, i);

      if (item == job)
        return i;
    }
  g_assert_not_reached ();
}

static void
scroll_to (DlyTakeList *list,
           guint        position)
{
  gtk_widget_activate_action (GTK_WIDGET (dly_take_list_get_list_view (list)),
                              "list.scroll-to-item", "u", position);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (list));
}

/* The row showing @job, scrolled into view first. */
static DlyTakeRow *
row_for (Window *w,
         DlyJob *job)
{
  DlyTakeRow *row;

  scroll_to (w->list, position_of (dly_take_list_get_jobs (w->list), job));
  row = find_row (GTK_WIDGET (w->list), job);
  g_assert_nonnull (row);
  return row;
}

/* A template child of a row, by its id in the .ui. */
static GtkWidget *
find_child (GtkWidget  *widget,
            const char *id)
{
  if (GTK_IS_BUILDABLE (widget)
      && g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_child (child, id);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_by_type_or_class (GtkWidget  *widget,
                       GType       type,
                       const char *css_class)
{
  if ((type != G_TYPE_INVALID && G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
      || (css_class != NULL && gtk_widget_has_css_class (widget, css_class)))
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_by_type_or_class (c, type, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A part of a row: a template child by its id in the .ui, or one the row makes when first
 * needed (spinner, progress_bar, message_button, message_label); NULL if not made. */
static GtkWidget *
find_part (DlyTakeRow *row,
           const char *id)
{
  GtkWidget *button;

  if (g_str_equal (id, "spinner"))
    return find_by_type_or_class (GTK_WIDGET (row), DLY_TYPE_ACTIVITY_INDICATOR, NULL);
  if (g_str_equal (id, "progress_bar"))
    return find_by_type_or_class (GTK_WIDGET (row), GTK_TYPE_PROGRESS_BAR, NULL);
  button = find_by_type_or_class (GTK_WIDGET (row), G_TYPE_INVALID, "dly-take-message");
  if (g_str_equal (id, "message_button"))
    return button;
  if (g_str_equal (id, "message_label"))
    return button != NULL ? gtk_button_get_child (GTK_BUTTON (button)) : NULL;
  if (g_str_equal (id, "message_popover"))
    {
      for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (row)); c != NULL;
           c = gtk_widget_get_next_sibling (c))
        if (GTK_IS_POPOVER (c) && !GTK_IS_POPOVER_MENU (c))
          return c;
      return NULL;
    }

  return find_child (GTK_WIDGET (row), id);
}

static GtkWidget *
child (DlyTakeRow *row,
       const char *id)
{
  GtkWidget *widget = find_part (row, id);

  if (widget == NULL)
    g_error ("The row has no child %s", id);
  return widget;
}

static const char *
label_text (DlyTakeRow *row,
            const char *id)
{
  GtkWidget *widget = child (row, id);

  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  return gtk_label_get_text (GTK_LABEL (widget));
}

/* Visible on screen: the widget and all its ancestors. */
static gboolean
shown (DlyTakeRow *row,
       const char *id)
{
  GtkWidget *widget = find_part (row, id);

  return widget != NULL && gtk_widget_is_visible (widget);
}

static GtkWidget *
find_selectable_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_selectable (GTK_LABEL (widget)))
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_selectable_label (c);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static const char *
placeholder_icon (DlyTakeRow *row)
{
  return gtk_image_get_icon_name (GTK_IMAGE (child (row, "placeholder_image")));
}

static gboolean
shows_picture (DlyTakeRow *row)
{
  GtkPicture *picture = GTK_PICTURE (child (row, "picture"));

  return gtk_widget_get_visible (GTK_WIDGET (picture)) && gtk_picture_get_paintable (picture) != NULL;
}

/* --- signals --- */

typedef struct
{
  guint   count;
  DlyJob *job;
  DlyJob *other;
} Emission;

static void
on_job_signal (DlyTakeList *list,
               DlyJob      *job,
               Emission    *emission)
{
  emission->count++;
  emission->job = job;
}

static void
on_compare_signal (DlyTakeList *list,
                   DlyJob      *job,
                   DlyJob      *other,
                   Emission    *emission)
{
  emission->count++;
  emission->job = job;
  emission->other = other;
}

/* --- (a) 10,000 takes from a real ledger --- */

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  guint *saved = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (dly_ledger_save_finish (DLY_LEDGER (source), result, &error));
  g_assert_no_error (error);
  (*saved)++;
}

static void
write_ledger (const char *path,
              const char *video)
{
  g_autoptr(DlyLedger) ledger = dly_ledger_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  guint saved = 0;

  dly_ledger_open_async (ledger, NULL, on_async_done, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (dly_ledger_open_finish (ledger, result, &error));
  g_assert_no_error (error);

  /* Finished takes, as a long history is: most succeeded, some failed or cancelled. */
  for (guint i = 0; i < N_LEDGER_TAKES; i++)
    {
      g_autofree char *id = g_strdup_printf ("history-%05u", i);
      g_autofree char *prompt =
        g_strdup_printf ("Take %u: a lighthouse keeper climbs the spiral stairs at dusk, the "
                         "camera following from below as the lamp begins to turn", i);
      DlyJobState state = i % 10 == 3 ? DLY_JOB_STATE_FAILED
                          : i % 10 == 7 ? DLY_JOB_STATE_CANCELLED
                          : DLY_JOB_STATE_SUCCEEDED;
      g_autoptr(DlyJob) job = make_job (id, prompt, i % 4 == 0 ? DLY_DEMO_PROFILE_NAME : "Studio",
                                        state, -1,
                                        state == DLY_JOB_STATE_SUCCEEDED ? video : NULL,
                                        state == DLY_JOB_STATE_FAILED ? "CUDA out of memory" : NULL,
                                        /* oldest last: take 0 is the newest */
                                        60 + (gint64) i * 60);

      dly_ledger_save_async (ledger, job, NULL, on_saved, &saved);
    }
  WAIT_UNTIL (saved == N_LEDGER_TAKES);
  g_test_message ("Wrote %u takes to the ledger in %.2f s", N_LEDGER_TAKES,
                  g_timer_elapsed (timer, NULL));
}

static void
test_ten_thousand (void)
{
  g_autofree char *video = NULL;
  g_autofree char *ledger_path = NULL;
  g_autoptr(DlyEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = NULL;
  g_autoptr(DlyJob) middle = NULL;
  DlyThumbnailer *thumbnailer = dly_thumbnailer_get_default ();
  GtkAdjustment *vadjustment;
  GListModel *jobs;
  Window w;
  double open_s, empty_s, first_draw_s, end_s, back_s, sweep_s;
  guint decoded_before;
  guint max_rows = 0;
  guint max_pending = 0;

  if (!have_fixtures ())
    return;

  video = fixture_path ("take");
  ledger_path = g_build_filename (g_get_user_data_dir (), "dailies", "ledger.sqlite", NULL);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  write_ledger (ledger_path, video);

  /* Opening: the engine reads the ledger in its worker, then the list shows it. */
  timer = g_timer_new ();
  engine = dly_engine_new (ledger_path);
  dly_engine_open_async (engine, NULL, on_async_done, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (dly_engine_open_finish (engine, result, &error));
  g_assert_no_error (error);
  open_s = g_timer_elapsed (timer, NULL);
  jobs = dly_engine_get_jobs (engine);
  g_assert_cmpuint (g_list_model_get_n_items (jobs), ==, N_LEDGER_TAKES);

  /* The first window of a process loads fonts, icons and styles: an empty one first, timed,
   * is what the list is measured against. */
  {
    g_autoptr(GListStore) none = g_list_store_new (DLY_TYPE_JOB);
    Window empty;

    g_timer_start (timer);
    empty = open_window (G_LIST_MODEL (none), 400, 800);
    empty_s = g_timer_elapsed (timer, NULL);
    close_window (&empty);
  }

  g_timer_start (timer);
  w = open_window (jobs, 400, 800);
  first_draw_s = g_timer_elapsed (timer, NULL);
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (dly_take_list_get_list_view (w.list)));
  g_assert_nonnull (vadjustment);

  /* Nothing runs, so the shared clock sleeps. */
  g_assert_cmpuint (dly_take_row_get_n_ticking (), ==, 0);

  /* Only the rows around the view exist, and only those on screen asked for pictures. */
  g_assert_cmpuint (n_live_rows (w.list), >, 0);
  g_assert_cmpuint (n_live_rows (w.list), <=, MAX_LIVE_ROWS);
  g_assert_cmpuint (dly_take_list_get_n_rows (w.list), ==, n_live_rows (w.list));
  g_assert_cmpuint (n_on_screen (w.list), >, 0);
  g_assert_cmpuint (n_on_screen (w.list), <=, MAX_ON_SCREEN);
  g_assert_cmpuint (dly_thumbnailer_get_n_pending (thumbnailer), <=, n_on_screen (w.list));
  g_test_message ("Opened: %u rows alive for %u takes, %u on screen, %u thumbnails asked for",
                  n_live_rows (w.list), N_LEDGER_TAKES, n_on_screen (w.list),
                  dly_thumbnailer_get_n_pending (thumbnailer));

  /* To the end and back, as the End and Home keys do. */
  g_timer_start (timer);
  scroll_to (w.list, N_LEDGER_TAKES - 1);
  {
    g_autoptr(DlyJob) last = g_list_model_get_item (jobs, N_LEDGER_TAKES - 1);

    g_assert_nonnull (find_row (GTK_WIDGET (w.list), last));
  }
  end_s = g_timer_elapsed (timer, NULL);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >,
                     gtk_adjustment_get_upper (vadjustment) / 2);
  g_assert_cmpuint (n_live_rows (w.list), <=, MAX_LIVE_ROWS);

  g_timer_start (timer);
  scroll_to (w.list, 0);
  {
    g_autoptr(DlyJob) first = g_list_model_get_item (jobs, 0);

    g_assert_nonnull (find_row (GTK_WIDGET (w.list), first));
  }
  back_s = g_timer_elapsed (timer, NULL);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), <, 1);

  /* A fast sweep through the whole list, a frame every 250 takes: rows come and go, and the
   * pictures they asked for are cancelled as they go, so few decodes ever run. */
  decoded_before = dly_thumbnailer_get_n_decoded (thumbnailer);
  g_timer_start (timer);
  for (guint position = 0; position < N_LEDGER_TAKES; position += 250)
    {
      scroll_to (w.list, position);
      max_rows = MAX (max_rows, n_live_rows (w.list));
      max_pending = MAX (max_pending, dly_thumbnailer_get_n_pending (thumbnailer));
    }
  sweep_s = g_timer_elapsed (timer, NULL);
  g_assert_cmpuint (max_rows, <=, MAX_LIVE_ROWS);
  g_assert_cmpuint (max_pending, <=, MAX_ON_SCREEN);
  g_test_message ("Sweep through 40 screens: at most %u rows alive and %u thumbnails queued; "
                  "%u decodes ran", max_rows, max_pending,
                  dly_thumbnailer_get_n_decoded (thumbnailer) - decoded_before);
  g_assert_cmpuint (dly_thumbnailer_get_n_decoded (thumbnailer) - decoded_before, <,
                    N_LEDGER_TAKES / 10);

  /* Selecting a take far down scrolls to it, and plays it. */
  middle = g_list_model_get_item (jobs, 5000);
  g_assert_cmpint (dly_job_get_state (middle), ==, DLY_JOB_STATE_SUCCEEDED);
  dly_take_list_select_job (w.list, middle);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (w.window));
  g_assert_true (dly_take_list_get_selected (w.list) == middle);
  g_assert_nonnull (find_row (GTK_WIDGET (w.list), middle));
  g_assert_cmpuint (gtk_single_selection_get_selected (
                      GTK_SINGLE_SELECTION (gtk_list_view_get_model (dly_take_list_get_list_view (w.list)))),
                    ==, 5000);

  /* The pictures on screen arrive, and the queue empties. */
  WAIT_UNTIL (dly_thumbnailer_get_n_pending (thumbnailer) == 0);
  WAIT_UNTIL (shows_picture (find_row (GTK_WIDGET (w.list), middle)));

  g_test_message ("10,000 takes: engine open %.0f ms; first window (empty list) %.0f ms, then "
                  "the list shown %.0f ms; to the end %.0f ms, back %.0f ms, sweep of 40 "
                  "screens %.0f ms (%.1f ms a screen)",
                  open_s * 1000, empty_s * 1000, first_draw_s * 1000, end_s * 1000,
                  back_s * 1000, sweep_s * 1000, sweep_s * 1000 / 40);

  close_window (&w);
}

/* --- (b) a row for every state --- */

typedef struct
{
  GListStore *store;
  DlyJob     *queued;
  DlyJob     *submitting;
  DlyJob     *waiting;
  DlyJob     *running;
  DlyJob     *downloading;
  DlyJob     *succeeded;
  DlyJob     *succeeded_b;
  DlyJob     *demo;
  DlyJob     *failed;
  DlyJob     *cancelled;
  DlyJob     *unknown;
  DlyJob     *missing;
  DlyJob     *corrupt;
} Takes;

static void
takes_clear (Takes *t)
{
  g_clear_object (&t->store);
  g_clear_object (&t->queued);
  g_clear_object (&t->submitting);
  g_clear_object (&t->waiting);
  g_clear_object (&t->running);
  g_clear_object (&t->downloading);
  g_clear_object (&t->succeeded);
  g_clear_object (&t->succeeded_b);
  g_clear_object (&t->demo);
  g_clear_object (&t->failed);
  g_clear_object (&t->cancelled);
  g_clear_object (&t->unknown);
  g_clear_object (&t->missing);
  g_clear_object (&t->corrupt);
}

/* A dozen takes, newest first, in every state a take can be in. */
static void
takes_init (Takes *t)
{
  g_autofree char *take = fixture_path ("take");
  g_autofree char *take_b = fixture_path ("take-b");
  g_autofree char *corrupt = fixture_path ("corrupt");
  g_autofree char *missing = g_build_filename (g_get_user_data_dir (), "dailies", "takes",
                                               "gone.mp4", NULL);
  DlyJob *all[13];
  guint n = 0;

  now_us = g_get_real_time ();
  t->store = g_list_store_new (DLY_TYPE_JOB);
  all[n++] = t->queued =
    make_job ("queued", "A paper boat drifts down a rain-soaked gutter past glowing shop windows",
              "Studio GPU", DLY_JOB_STATE_QUEUED, -1, NULL, NULL, 3);
  all[n++] = t->submitting =
    make_job ("submitting", "Macro shot of frost crystals spreading across a window pane at dawn",
              "Studio GPU", DLY_JOB_STATE_SUBMITTING, -1, NULL, NULL, 8);
  all[n++] = t->waiting =
    make_job ("waiting", "A cyclist crests a hill in the Dolomites as clouds roll through the valley",
              "RunPod", DLY_JOB_STATE_WAITING, -1, NULL, NULL, 41);
  all[n++] = t->running =
    make_job ("running", "Slow dolly-in on an old jazz pianist, warm tungsten light, smoke in the air",
              "RunPod", DLY_JOB_STATE_RUNNING, 0.42, NULL, NULL, 65);
  all[n++] = t->downloading =
    make_job ("downloading", "Drone shot over a turquoise lagoon at golden hour, gentle waves",
              "Segmind", DLY_JOB_STATE_DOWNLOADING, 0.8, NULL, NULL, 130);
  all[n++] = t->succeeded =
    make_job ("succeeded", "A red fox trots through fresh snow in a birch forest; the camera "
              "tracks alongside at eye level as flakes drift down and its breath steams",
              "Studio GPU", DLY_JOB_STATE_SUCCEEDED, 1, take, NULL, 300);
  all[n++] = t->failed =
    make_job ("failed", "A glass of water tips over in slow motion on a marble counter",
              "Apixo", DLY_JOB_STATE_FAILED, -1, NULL,
              "The backend refused the request: num_frames must be 8k+1 (got 120); "
              "height and width must be multiples of 32 (got 500x720). No credits were charged.",
              600);
  all[n++] = t->demo =
    make_job ("demo", "Test pattern with a bouncing ball", DLY_DEMO_PROFILE_NAME,
              DLY_JOB_STATE_SUCCEEDED, 1, take_b, NULL, 900);
  all[n++] = t->cancelled =
    make_job ("cancelled", "Timelapse of a city intersection from above, headlights streaking",
              "Studio GPU", DLY_JOB_STATE_CANCELLED, -1, NULL, NULL, 1800);
  all[n++] = t->unknown =
    make_job ("unknown", "Close-up of hands kneading dough, flour dust in a beam of sunlight",
              "RunPod", DLY_JOB_STATE_UNKNOWN, -1, NULL,
              "The connection dropped while the take was being sent; the backend may have it.",
              3600);
  all[n++] = t->succeeded_b =
    make_job ("succeeded-b", "Underwater shot of a sea turtle gliding over a coral reef, "
              "sun rays from the surface", "Studio GPU", DLY_JOB_STATE_SUCCEEDED, 1, take_b, NULL,
              86400 * 2);
  all[n++] = t->missing =
    make_job ("missing", "An astronaut plants a flag on a red dune under two moons",
              "Studio GPU", DLY_JOB_STATE_SUCCEEDED, 1, missing, NULL, 86400 * 40);
  all[n++] = t->corrupt =
    make_job ("corrupt", "A hummingbird hovers at a trumpet flower, wings a blur",
              "Studio GPU", DLY_JOB_STATE_SUCCEEDED, 1, corrupt, NULL, 86400 * 400);

  g_list_store_splice (t->store, 0, 0, (gpointer *) all, n);
}

/* --- the rows' spinner --- */

static void
count_frame (GdkFrameClock *clock,
             guint         *frames)
{
  (*frames)++;
}

/* The frames drawn while the main loop runs for @ms. */
static guint
frames_during (GtkWidget *window,
               guint      ms)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  guint frames = 0;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame), &frames);
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_signal_handler_disconnect (clock, id);
  return frames;
}

/* The indicator turns only while it is active, not paused and animations are on: a list of
 * running takes kept off screen draws nothing. */
static void
test_activity_indicator (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *indicator = dly_activity_indicator_new ();
  DlyActivityIndicator *self = DLY_ACTIVITY_INDICATOR (indicator);
  GtkSettings *settings = gtk_widget_get_settings (indicator);
  guint frames;

  gtk_window_set_child (GTK_WINDOW (window), indicator);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  g_assert_cmpint (gtk_widget_get_width (indicator), >=, 16);

  /* Inactive: still. */
  frames = frames_during (window, 300);
  g_test_message ("inactive: %u frames", frames);
  g_assert_cmpuint (frames, <=, 1);

  dly_activity_indicator_set_active (self, TRUE);
  g_assert_true (dly_activity_indicator_get_active (self));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (indicator), GTK_ACCESSIBLE_STATE_BUSY, TRUE);
  frames = frames_during (window, 500);
  g_test_message ("turning: %u frames", frames);
  g_assert_cmpuint (frames, >=, 3);

  dly_activity_indicator_set_paused (self, TRUE);
  frames_during (window, 50);
  frames = frames_during (window, 300);
  g_test_message ("paused: %u frames", frames);
  g_assert_cmpuint (frames, <=, 1);

  /* Reduced motion: active and unpaused, it stands still. */
  dly_activity_indicator_set_paused (self, FALSE);
  g_object_set (settings, "gtk-enable-animations", FALSE, NULL);
  frames_during (window, 50);
  frames = frames_during (window, 300);
  g_test_message ("no animations: %u frames", frames);
  g_assert_cmpuint (frames, <=, 1);
  g_object_set (settings, "gtk-enable-animations", TRUE, NULL);
  frames = frames_during (window, 500);
  g_assert_cmpuint (frames, >=, 3);

  dly_activity_indicator_set_active (self, FALSE);
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (indicator), GTK_ACCESSIBLE_STATE_BUSY, FALSE);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_states (void)
{
  Takes t = { 0 };
  Window w;
  DlyTakeRow *row;
  g_autofree char *elapsed = NULL;

  if (!have_fixtures ())
    return;

  takes_init (&t);
  w = open_window (G_LIST_MODEL (t.store), 400, 800);

  /* Every row fits the narrowest window the app folds to. */
  {
    int minimum;

    gtk_widget_measure (GTK_WIDGET (w.list), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                        NULL, NULL);
    g_test_message ("The list is at least %d px wide", minimum);
    g_assert_cmpint (minimum, <=, 360);
  }

  /* Queued, submitting and waiting without progress: a spinner, the time since asked. */
  row = row_for (&w, t.queued);
  g_assert_cmpstr (label_text (row, "state_label"), ==, "Queued");
  g_assert_true (shown (row, "spinner"));
  g_assert_true (dly_activity_indicator_get_active (DLY_ACTIVITY_INDICATOR (child (row, "spinner"))));
  g_assert_false (shown (row, "progress_bar"));
  g_assert_false (shown (row, "message_button"));
  g_assert_false (shows_picture (row));
  g_assert_cmpstr (placeholder_icon (row), ==, "document-open-recent-symbolic");
  g_assert_true (g_str_has_prefix (label_text (row, "prompt_inscription"), "A paper boat"));
  g_assert_true (g_str_has_prefix (label_text (row, "backend_label"), "Studio GPU · "));
  g_assert_false (shown (row, "synthetic_label"));

  row = row_for (&w, t.submitting);
  g_assert_cmpstr (label_text (row, "state_label"), ==, "Submitting");
  g_assert_true (shown (row, "spinner"));

  row = row_for (&w, t.waiting);
  g_assert_cmpstr (label_text (row, "state_label"), ==, "Waiting");
  g_assert_true (shown (row, "spinner"));
  g_assert_false (shown (row, "progress_bar"));

  /* Running with progress: a bar and a percentage instead of the spinner. */
  row = row_for (&w, t.running);
  g_assert_cmpstr (label_text (row, "state_label"), ==, "Generating 42%");
  g_assert_true (shown (row, "progress_bar"));
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (child (row, "progress_bar"))),
                                  0.42, 1e-9);
  g_assert_false (shown (row, "spinner"));
  /* Made 65 s before the list opened; the clock has moved on a little since. */
  {
    guint minutes, seconds;

    g_assert_cmpint (sscanf (label_text (row, "elapsed_label"), "%u:%u", &minutes, &seconds), ==, 2);
    g_assert_cmpuint (minutes * 60 + seconds, >=, 65);
    g_assert_cmpuint (minutes * 60 + seconds, <, 65 + WAIT_SECONDS);
  }

  /* The one clock ticks while takes run: the elapsed time moves on by itself. */
  g_assert_cmpuint (dly_take_row_get_n_ticking (), >=, 1);
  elapsed = g_strdup (label_text (row, "elapsed_label"));
  WAIT_UNTIL (g_strcmp0 (label_text (row, "elapsed_label"), elapsed) != 0);

  /* The row follows its job: more progress, then a failure. */
  dly_job_set_progress (t.running, 0.5);
  g_assert_cmpstr (label_text (row, "state_label"), ==, "Generating 50%");
  dly_job_set_progress (t.running, -1);
  g_assert_true (shown (row, "spinner"));
  g_assert_false (shown (row, "progress_bar"));
  g_assert_cmpstr (label_text (row, "state_label"), ==, "Generating");
  dly_job_set_progress (t.running, 0.42);

  row = row_for (&w, t.downloading);
  g_assert_cmpstr (label_text (row, "state_label"), ==, "Downloading 80%");
  g_assert_true (shown (row, "progress_bar"));
  g_assert_cmpstr (placeholder_icon (row), ==, "folder-download-symbolic");

  /* Succeeded: the first frame of the real file, the total time, no spinner. */
  row = row_for (&w, t.succeeded);
  WAIT_UNTIL (shows_picture (row));
  {
    GdkPaintable *picture = gtk_picture_get_paintable (GTK_PICTURE (child (row, "picture")));

    g_assert_cmpint (gdk_paintable_get_intrinsic_width (picture), ==, DLY_THUMBNAILER_WIDTH);
    /* 768×512 scaled to 192 wide keeps its shape. */
    g_assert_cmpint (gdk_paintable_get_intrinsic_height (picture), ==, 128);
  }
  g_assert_cmpstr (label_text (row, "state_label"), ==, "Done");
  g_assert_false (shown (row, "spinner"));
  g_assert_false (shown (row, "progress_bar"));
  g_assert_cmpstr (label_text (row, "elapsed_label"), ==, "1:35");
  {
    g_autofree char *png = g_build_filename (g_get_user_cache_dir (), "dailies", "thumbnails",
                                             "succeeded.png", NULL);

    g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  }

  /* A demo take says it is synthetic. */
  row = row_for (&w, t.demo);
  g_assert_true (shown (row, "synthetic_label"));
  g_assert_cmpstr (label_text (row, "synthetic_label"), ==, "Synthetic");
  WAIT_UNTIL (shows_picture (row));

  /* Failed: the backend's words on one line, whole in the popover. */
  row = row_for (&w, t.failed);
  g_assert_cmpstr (label_text (row, "state_label"), ==, "Failed");
  g_assert_true (gtk_widget_has_css_class (child (row, "state_label"), "error"));
  g_assert_true (shown (row, "message_button"));
  g_assert_true (g_str_has_prefix (label_text (row, "message_label"), "The backend refused"));
  g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (child (row, "message_label"))), ==,
                   PANGO_ELLIPSIZE_END);
  g_assert_cmpstr (placeholder_icon (row), ==, "dialog-error-symbolic");
  g_assert_false (shown (row, "spinner"));
  g_assert_false (shown (row, "progress_bar"));
  {
    GtkWidget *popover;
    GtkWidget *full;

    g_signal_emit_by_name (child (row, "message_button"), "clicked");
    popover = child (row, "message_popover");
    gtk_test_widget_wait_for_draw (popover);
    g_assert_true (gtk_widget_get_mapped (popover));
    full = find_selectable_label (popover);
    g_assert_nonnull (full);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (full)), ==, dly_job_get_message (t.failed));
    dly_test_save_screenshot (popover, "take-list-message.png");
    gtk_popover_popdown (GTK_POPOVER (popover));
  }

  row = row_for (&w, t.cancelled);
  g_assert_cmpstr (label_text (row, "state_label"), ==, "Cancelled");
  g_assert_false (shown (row, "message_button"));
  g_assert_cmpstr (placeholder_icon (row), ==, "action-unavailable-symbolic");

  row = row_for (&w, t.unknown);
  g_assert_cmpstr (label_text (row, "state_label"), ==, "Outcome Unknown");
  g_assert_true (gtk_widget_has_css_class (child (row, "state_label"), "warning"));
  g_assert_true (shown (row, "message_button"));
  g_assert_cmpstr (placeholder_icon (row), ==, "dialog-question-symbolic");

  /* A take whose file went away, or is not a video: a placeholder, not a crash. */
  row = row_for (&w, t.missing);
  WAIT_UNTIL (g_strcmp0 (placeholder_icon (row), "image-missing-symbolic") == 0);
  g_assert_false (shows_picture (row));
  g_assert_false (dly_take_row_get_action_enabled (row, "show-in-folder"));

  row = row_for (&w, t.corrupt);
  WAIT_UNTIL (g_strcmp0 (placeholder_icon (row), "image-missing-symbolic") == 0);
  g_assert_false (shows_picture (row));
  /* Why there is no picture is said, to a screen reader too. */
  {
    g_autofree char *problem = gtk_test_accessible_check_property (
      GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "");

    g_assert_nonnull (problem);
  }

  /* A row says its prompt and state to a screen reader, and a failure's message. */
  row = row_for (&w, t.failed);
  {
    g_autofree char *label = g_strdup_printf ("%s — Failed",
                                              dly_request_get_prompt (dly_job_get_request (t.failed)));
    g_autofree char *label_error = gtk_test_accessible_check_property (
      GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
    g_autofree char *description_error = gtk_test_accessible_check_property (
      GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, dly_job_get_message (t.failed));

    g_assert_null (label_error);
    g_assert_null (description_error);
  }

  /* The running take finishes: its picture arrives, and with nothing left running the
   * clock stops. */
  {
    g_autofree char *take = fixture_path ("take");

    row = row_for (&w, t.running);
    dly_job_set_output_path (t.running, take);
    dly_job_set_state (t.running, DLY_JOB_STATE_SUCCEEDED);
    dly_job_set_finished_at (t.running, g_get_real_time ());
    g_assert_cmpstr (label_text (row, "state_label"), ==, "Done");
    g_assert_false (shown (row, "progress_bar"));
    WAIT_UNTIL (shows_picture (row));
  }
  for (DlyJob **job = (DlyJob *[]) { t.queued, t.submitting, t.waiting, t.downloading, NULL };
       *job != NULL; job++)
    dly_job_set_state (*job, DLY_JOB_STATE_CANCELLED);
  g_assert_cmpuint (dly_take_row_get_n_ticking (), ==, 0);

  close_window (&w);
  takes_clear (&t);
}

/* --- (c) actions --- */

typedef struct
{
  char *uri;
  guint calls;
} FileManager;

static void
file_manager_method_call (GDBusConnection       *connection,
                          const char            *sender,
                          const char            *object_path,
                          const char            *interface_name,
                          const char            *method_name,
                          GVariant              *parameters,
                          GDBusMethodInvocation *invocation,
                          gpointer               user_data)
{
  FileManager *fm = user_data;
  g_autofree const char **uris = NULL;
  const char *startup_id;

  g_assert_cmpstr (method_name, ==, "ShowItems");
  g_variant_get (parameters, "(^a&s&s)", &uris, &startup_id);
  g_assert_cmpuint (g_strv_length ((char **) uris), ==, 1);
  g_free (fm->uri);
  fm->uri = g_strdup (uris[0]);
  fm->calls++;
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  gboolean *acquired = user_data;

  *acquired = TRUE;
}

static const GDBusInterfaceVTable file_manager_vtable = { file_manager_method_call, NULL, NULL, { 0 } };

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static char *
read_clipboard (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, on_clipboard_text, &text);
  WAIT_UNTIL (text != NULL);
  return text;
}

/* Expected: bit per action, in the order of `actions` below. */
static void
assert_actions (DlyTakeRow *row,
                const char *expected)
{
  static const char *actions[] = {
    "cancel", "retry", "remove", "show-in-folder", "copy-prompt", "use-as-template",
    "compare-with",
  };

  g_assert_cmpuint (strlen (expected), ==, G_N_ELEMENTS (actions));
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (dly_take_row_get_action_enabled (row, actions[i]) != (expected[i] == '1'))
      g_error ("take.%s on %s: expected %s", actions[i],
               dly_job_get_id (dly_take_row_get_job (row)),
               expected[i] == '1' ? "enabled" : "disabled");
}

static void
activate (DlyTakeRow *row,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (row), action, parameter));
  drain ();
}

static gboolean
menu_has_label (GMenuModel *model,
                const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *item_label = NULL;
      GMenuLinkIter *iter;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label)
          && g_strcmp0 (item_label, label) == 0)
        return TRUE;

      iter = g_menu_model_iterate_item_links (model, i);
      while (g_menu_link_iter_next (iter))
        {
          g_autoptr(GMenuModel) link = g_menu_link_iter_get_value (iter);

          if (menu_has_label (link, label))
            {
              g_object_unref (iter);
              return TRUE;
            }
        }
      g_object_unref (iter);
    }
  return FALSE;
}

static void
test_actions (void)
{
  Takes t = { 0 };
  Window w;
  DlyTakeRow *row;
  Emission cancel = { 0 }, retry = { 0 }, remove = { 0 }, template = { 0 }, compare = { 0 };
  Emission activated = { 0 };
  FileManager fm = { 0 };
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *expected_uri = NULL;
  guint object_id;
  guint name_id;
  gboolean name_acquired = FALSE;

  if (!have_fixtures ())
    return;

  takes_init (&t);
  w = open_window (G_LIST_MODEL (t.store), 400, 800);
  g_signal_connect (w.list, "cancel-requested", G_CALLBACK (on_job_signal), &cancel);
  g_signal_connect (w.list, "retry-requested", G_CALLBACK (on_job_signal), &retry);
  g_signal_connect (w.list, "remove-requested", G_CALLBACK (on_job_signal), &remove);
  g_signal_connect (w.list, "use-as-template", G_CALLBACK (on_job_signal), &template);
  g_signal_connect (w.list, "compare-requested", G_CALLBACK (on_compare_signal), &compare);
  g_signal_connect (w.list, "take-activated", G_CALLBACK (on_job_signal), &activated);

  /* cancel, retry, remove, show-in-folder, copy-prompt, use-as-template, compare-with */
  assert_actions (row_for (&w, t.queued),      "1010110");
  assert_actions (row_for (&w, t.submitting),  "1010110");
  assert_actions (row_for (&w, t.running),     "1010110");
  assert_actions (row_for (&w, t.downloading), "1010110");
  row = row_for (&w, t.succeeded);
  WAIT_UNTIL (shows_picture (row));
  assert_actions (row, "0011111");
  assert_actions (row_for (&w, t.failed),      "0110110");
  assert_actions (row_for (&w, t.cancelled),   "0110110");
  assert_actions (row_for (&w, t.unknown),     "0110110");
  row = row_for (&w, t.missing);
  WAIT_UNTIL (g_strcmp0 (placeholder_icon (row), "image-missing-symbolic") == 0);
  assert_actions (row, "0010110");

  /* Each action says which take it is about. */
  activate (row_for (&w, t.running), "take.cancel", NULL);
  g_assert_cmpuint (cancel.count, ==, 1);
  g_assert_true (cancel.job == t.running);

  activate (row_for (&w, t.failed), "take.retry", NULL);
  g_assert_cmpuint (retry.count, ==, 1);
  g_assert_true (retry.job == t.failed);

  activate (row_for (&w, t.cancelled), "take.remove", NULL);
  g_assert_cmpuint (remove.count, ==, 1);
  g_assert_true (remove.job == t.cancelled);

  activate (row_for (&w, t.unknown), "take.use-as-template", NULL);
  g_assert_cmpuint (template.count, ==, 1);
  g_assert_true (template.job == t.unknown);

  /* A disabled action does nothing: no retry of a take that is still running. */
  gtk_widget_activate_action (GTK_WIDGET (row_for (&w, t.running)), "take.retry", NULL);
  drain ();
  g_assert_cmpuint (retry.count, ==, 1);

  /* Copy prompt puts the whole prompt on the clipboard. */
  activate (row_for (&w, t.succeeded), "take.copy-prompt", NULL);
  copied = read_clipboard (GTK_WIDGET (w.list));
  g_assert_cmpstr (copied, ==, dly_request_get_prompt (dly_job_get_request (t.succeeded)));

  /* Compare: the menu offers the take played last first, then the newest ones. */
  dly_take_list_select_job (w.list, t.succeeded_b);
  drain ();
  g_assert_cmpuint (activated.count, ==, 1);
  row = row_for (&w, t.succeeded);
  dly_take_row_popup_menu (row, 20, 20);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (w.window));
  {
    GMenuModel *menu = dly_take_row_get_menu_model (row);
    GtkWidget *popover = gtk_widget_get_last_child (GTK_WIDGET (row));

    g_assert_true (menu_has_label (menu, "Co_mpare With"));
    g_assert_true (menu_has_label (menu, "Last Played"));
    g_assert_true (menu_has_label (menu, "Recent Takes"));
    g_assert_true (GTK_IS_POPOVER_MENU (popover));
    gtk_test_widget_wait_for_draw (popover);
    g_assert_true (gtk_widget_get_mapped (popover));
    dly_test_save_screenshot (popover, "take-list-menu.png");
    gtk_popover_popdown (GTK_POPOVER (popover));
  }
  activate (row, "take.compare-with", g_variant_new_string ("succeeded-b"));
  g_assert_cmpuint (compare.count, ==, 1);
  g_assert_true (compare.job == t.succeeded);
  g_assert_true (compare.other == t.succeeded_b);
  g_assert_true (dly_take_list_get_last_played (w.list, t.succeeded) == t.succeeded_b);

  /* Compare applies only while another playable take exists: with only one, it does not;
   * when a running take comes in, it does again. */
  {
    g_autoptr(GListStore) few = g_list_store_new (DLY_TYPE_JOB);
    g_autoptr(DlyJob) alone = NULL;
    g_autoptr(DlyJob) coming = NULL;
    g_autofree char *take = fixture_path ("take");

    now_us = g_get_real_time ();
    alone = make_job ("alone", "The only finished take", "Studio GPU",
                      DLY_JOB_STATE_SUCCEEDED, 1, take, NULL, 100);
    coming = make_job ("coming", "A take still running", "Studio GPU",
                       DLY_JOB_STATE_RUNNING, 0.5, NULL, NULL, 10);
    g_list_store_append (few, coming);
    g_list_store_append (few, alone);
    dly_take_list_set_jobs (w.list, G_LIST_MODEL (few));
    gtk_test_widget_wait_for_draw (GTK_WIDGET (w.window));

    row = row_for (&w, alone);
    WAIT_UNTIL (shows_picture (row));
    g_assert_false (dly_take_row_get_action_enabled (row, "compare-with"));

    dly_job_set_output_path (coming, take);
    dly_job_set_state (coming, DLY_JOB_STATE_SUCCEEDED);
    WAIT_UNTIL (dly_take_row_get_action_enabled (row, "compare-with"));
    activate (row, "take.compare-with", g_variant_new_string ("coming"));
    g_assert_cmpuint (compare.count, ==, 2);
    g_assert_true (compare.job == alone);
    g_assert_true (compare.other == coming);

    dly_take_list_set_jobs (w.list, G_LIST_MODEL (t.store));
    gtk_test_widget_wait_for_draw (GTK_WIDGET (w.window));
  }

  /* Show in folder asks the file manager over D-Bus to select the file. */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  node = g_dbus_node_info_new_for_xml (
    "<node><interface name='org.freedesktop.FileManager1'>"
    "<method name='ShowItems'><arg type='as' direction='in'/><arg type='s' direction='in'/></method>"
    "</interface></node>", &error);
  g_assert_no_error (error);
  object_id = g_dbus_connection_register_object (bus, "/org/freedesktop/FileManager1",
                                                 node->interfaces[0], &file_manager_vtable,
                                                 &fm, NULL, &error);
  g_assert_no_error (error);
  name_id = g_bus_own_name_on_connection (bus, "org.freedesktop.FileManager1",
                                          G_BUS_NAME_OWNER_FLAGS_NONE, on_name_acquired, NULL,
                                          &name_acquired, NULL);
  WAIT_UNTIL (name_acquired);

  activate (row_for (&w, t.succeeded), "take.show-in-folder", NULL);
  WAIT_UNTIL (fm.calls == 1);
  {
    g_autofree char *take = fixture_path ("take");

    expected_uri = g_filename_to_uri (take, NULL, NULL);
  }
  g_assert_cmpstr (fm.uri, ==, expected_uri);

  g_bus_unown_name (name_id);
  g_dbus_connection_unregister_object (bus, object_id);
  g_free (fm.uri);

  close_window (&w);
  takes_clear (&t);
}

/* --- (d) selecting plays --- */

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_selection (void)
{
  Takes t = { 0 };
  Window w;
  Emission activated = { 0 };
  guint notified = 0;

  if (!have_fixtures ())
    return;

  takes_init (&t);
  w = open_window (G_LIST_MODEL (t.store), 400, 800);
  g_signal_connect (w.list, "take-activated", G_CALLBACK (on_job_signal), &activated);
  g_signal_connect (w.list, "notify::selected-job", G_CALLBACK (on_notify), &notified);

  /* Nothing is selected at first: nothing plays on its own. */
  g_assert_null (dly_take_list_get_selected (w.list));
  g_assert_cmpuint (activated.count, ==, 0);

  /* A succeeded take plays as soon as it is selected, as a click selects it. */
  gtk_selection_model_select_item (
    gtk_list_view_get_model (dly_take_list_get_list_view (w.list)),
    position_of (G_LIST_MODEL (t.store), t.succeeded), TRUE);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (dly_take_list_get_selected (w.list) == t.succeeded);
  g_assert_cmpuint (activated.count, ==, 1);
  g_assert_true (activated.job == t.succeeded);

  /* A failed one is selected but not played. */
  dly_take_list_select_job (w.list, t.failed);
  g_assert_true (dly_take_list_get_selected (w.list) == t.failed);
  g_assert_cmpuint (activated.count, ==, 1);

  /* Activating (Enter, double click) plays it again. */
  g_signal_emit_by_name (dly_take_list_get_list_view (w.list), "activate",
                         position_of (G_LIST_MODEL (t.store), t.succeeded));
  g_assert_cmpuint (activated.count, ==, 2);
  g_assert_true (activated.job == t.succeeded);

  /* A take selected while it runs plays when it comes in. */
  dly_take_list_select_job (w.list, t.running);
  g_assert_cmpuint (activated.count, ==, 2);
  {
    g_autofree char *take = fixture_path ("take");

    dly_job_set_output_path (t.running, take);
    dly_job_set_state (t.running, DLY_JOB_STATE_SUCCEEDED);
  }
  g_assert_cmpuint (activated.count, ==, 3);
  g_assert_true (activated.job == t.running);

  /* Removing the selected take leaves nothing selected. */
  g_list_store_remove (t.store, position_of (G_LIST_MODEL (t.store), t.running));
  g_assert_null (dly_take_list_get_selected (w.list));
  dly_take_list_select_job (w.list, NULL);
  g_assert_null (dly_take_list_get_selected (w.list));

  /* Rows let go of their takes when unbound: with the list given another model, nothing
   * listens to these jobs any more. */
  dly_take_list_set_jobs (w.list, NULL);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (w.window));
  g_assert_cmpuint (dly_take_row_get_n_ticking (), ==, 0);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (t.store)); i++)
    {
      g_autoptr(DlyJob) job = g_list_model_get_item (G_LIST_MODEL (t.store), i);

      g_assert_false (g_signal_has_handler_pending (job, g_signal_lookup ("notify", G_TYPE_OBJECT),
                                                    0, TRUE));
    }

  close_window (&w);
  takes_clear (&t);
}

/* --- screenshots --- */

static void
test_screenshots (void)
{
  Takes t = { 0 };
  Window w;
  g_autoptr(GListStore) empty = g_list_store_new (DLY_TYPE_JOB);
  GtkWidget *page;

  if (!have_fixtures ())
    return;

  /* The empty state first. */
  w = open_window (G_LIST_MODEL (empty), 400, 800);
  page = gtk_stack_get_visible_child (GTK_STACK (gtk_widget_get_first_child (GTK_WIDGET (w.list))));
  g_assert_true (ADW_IS_STATUS_PAGE (page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (page)), ==, "No Takes Yet");
  dly_test_save_screenshot (GTK_WIDGET (w.window), "take-list-empty-400x800.png");
  close_window (&w);

  takes_init (&t);
  for (int i = 0; i < 2; i++)
    {
      int width = i == 0 ? 400 : 1280;
      g_autofree char *name = g_strdup_printf ("take-list-%dx800.png", width);

      w = open_window (G_LIST_MODEL (t.store), width, 800);
      dly_take_list_select_job (w.list, t.succeeded);
      scroll_to (w.list, 0);
      /* Every visible take's picture is in before the picture of the list is taken. */
      WAIT_UNTIL (dly_thumbnailer_get_n_pending (dly_thumbnailer_get_default ()) == 0);
      WAIT_UNTIL (shows_picture (find_row (GTK_WIDGET (w.list), t.succeeded)));
      gtk_test_widget_wait_for_draw (GTK_WIDGET (w.window));
      dly_test_save_screenshot (GTK_WIDGET (w.window), name);

      /* And the end of the list, where the failures are. */
      scroll_to (w.list, g_list_model_get_n_items (G_LIST_MODEL (t.store)) - 1);
      WAIT_UNTIL (dly_thumbnailer_get_n_pending (dly_thumbnailer_get_default ()) == 0);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (w.window));
      g_free (name);
      name = g_strdup_printf ("take-list-%dx800-end.png", width);
      dly_test_save_screenshot (GTK_WIDGET (w.window), name);
      close_window (&w);
    }

  takes_clear (&t);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFile *child_file;

      while (g_file_enumerator_iterate (children, NULL, &child_file, NULL, NULL)
             && child_file != NULL)
        remove_tree (child_file);
    }
  g_file_delete (file, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  static const char *xdg[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                               "XDG_STATE_HOME" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) home_file = NULL;
  g_autofree char *home = NULL;
  int ret;

  /* A private home, data and cache, made before anything reads them: the ledger and the
   * thumbnails go there. Not G_TEST_OPTION_ISOLATE_DIRS, which also empties XDG_DATA_DIRS
   * and so hides the icon theme and the MIME database the rows' icons need. */
  home = g_dir_make_tmp ("test-take-list-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", home, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (xdg); i++)
    {
      g_autofree char *dir = g_build_filename (home, xdg[i] + strlen ("XDG_"), NULL);

      g_setenv (xdg[i], dir, TRUE);
    }
  /* Labels are checked in English. */
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_init (&argc, &argv, NULL);

  /* A plain AdwApplication with the app's id loads the app's style.css, as the app does. */
  app = adw_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/take-list/ten-thousand", test_ten_thousand);
  g_test_add_func ("/take-list/states", test_states);
  g_test_add_func ("/take-list/activity-indicator", test_activity_indicator);
  g_test_add_func ("/take-list/actions", test_actions);
  g_test_add_func ("/take-list/selection", test_selection);
  g_test_add_func ("/take-list/screenshots", test_screenshots);

  ret = g_test_run ();

  g_clear_object (&app);
  home_file = g_file_new_for_path (home);
  remove_tree (home_file);

  return ret;
}
