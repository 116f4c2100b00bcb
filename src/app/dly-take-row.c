/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>

#include "dly-activity-indicator.h"
#include "dly-demo.h"
#include "dly-player.h"
#include "dly-take-list.h"
#include "dly-take-row.h"
#include "dly-thumbnailer.h"
#include "dly-toast.h"

/* A prompt is shown on two lines at most: laying out a 2,000-character prompt for each
 * row bound while scrolling would be wasted work. */
#define PROMPT_DISPLAY_CHARS  240
/* Prompts in the "Compare With" menu are cut shorter still. */
#define MENU_PROMPT_CHARS     36
#define COMPARE_MENU_TAKES    6

typedef enum
{
  ACTION_CANCEL,
  ACTION_RETRY,
  ACTION_REMOVE,
  ACTION_SHOW_IN_FOLDER,
  ACTION_COPY_PROMPT,
  ACTION_USE_AS_TEMPLATE,
  ACTION_COMPARE_WITH,
  N_ACTIONS
} TakeAction;

static const char * const action_names[N_ACTIONS] = {
  "take.cancel",
  "take.retry",
  "take.remove",
  "take.show-in-folder",
  "take.copy-prompt",
  "take.use-as-template",
  "take.compare-with",
};

struct _DlyTakeRow
{
  GtkWidget       parent_instance;

  DlyJob         *job;                   /* the bound job; the model owns it */
  GSignalGroup   *job_signals;           /* owned: the job's notifications while bound */
  GCancellable   *thumbnail_cancellable; /* owned while a thumbnail is on its way */
  GError         *thumbnail_error;       /* owned: why the take's file shows no picture */
  GPtrArray      *compare_jobs;          /* owned: the takes the open menu offers */
  GtkWidget      *context_menu;          /* owned: a GtkPopoverMenu, made on first use */
  GtkWidget      *message_popover;       /* owned: the whole message, made on first use */
  guint           enabled_actions;       /* bit per TakeAction */
  gboolean        ticking;
  gboolean        on_screen;             /* asks for its picture only while on screen */

  /* Made when a take first needs them, in status_box and message_popover */
  DlyActivityIndicator *spinner;
  GtkProgressBar *progress_bar;
  GtkButton      *message_button;
  GtkLabel       *message_label;
  GtkLabel       *message_full_label;

  /* Template children */
  GtkWidget      *box;
  GtkImage       *placeholder_image;
  GtkPicture     *picture;
  GtkInscription *prompt_inscription;
  GtkLabel       *backend_label;
  GtkLabel       *synthetic_label;
  GtkBox         *status_box;
  GtkLabel       *state_label;
  GtkLabel       *elapsed_label;
  GtkMenuButton  *menu_button;
  GMenu          *menu;
  GMenu          *compare_section;
};

G_DEFINE_FINAL_TYPE (DlyTakeRow, dly_take_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_JOB,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CANCEL_REQUESTED,
  RETRY_REQUESTED,
  REMOVE_REQUESTED,
  USE_AS_TEMPLATE,
  COMPARE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_elapsed (DlyTakeRow *self);
static void on_message_button_clicked_cb (DlyTakeRow *self);

/* --- the clock all rows share --- */

/* One timer for every row, running only while some bound take is unfinished: a list of
 * 10,000 finished takes never wakes up, and one with forty running wakes once a second. */
static GHashTable *ticking_rows;
static guint tick_source_id;

static gboolean
on_tick_cb (gpointer user_data)
{
  GHashTableIter iter;
  gpointer row;

  /* Rows the list keeps beyond its view catch up when they come into it: a label that
   * changes asks for a new layout. */
  g_hash_table_iter_init (&iter, ticking_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    if (DLY_TAKE_ROW (row)->on_screen)
      update_elapsed (row);

  return G_SOURCE_CONTINUE;
}

static void
set_ticking (DlyTakeRow *self,
             gboolean    ticking)
{
  if (self->ticking == ticking)
    return;
  self->ticking = ticking;

  if (ticking)
    {
      if (ticking_rows == NULL)
        ticking_rows = g_hash_table_new (NULL, NULL);
      g_hash_table_add (ticking_rows, self);
      if (tick_source_id == 0)
        {
          tick_source_id = g_timeout_add_seconds (1, on_tick_cb, NULL);
          g_source_set_name_by_id (tick_source_id, "[dailies] take list clock");
        }
    }
  else
    {
      g_hash_table_remove (ticking_rows, self);
      if (g_hash_table_size (ticking_rows) == 0)
        g_clear_handle_id (&tick_source_id, g_source_remove);
    }
}

guint
dly_take_row_get_n_ticking (void)
{
  return ticking_rows != NULL ? g_hash_table_size (ticking_rows) : 0;
}

/* --- helpers --- */

static DlyTakeList *
get_take_list (DlyTakeRow *self)
{
  GtkWidget *list = gtk_widget_get_ancestor (GTK_WIDGET (self), DLY_TYPE_TAKE_LIST);

  return list != NULL ? DLY_TAKE_LIST (list) : NULL;
}

static const char *
get_prompt (DlyJob *job)
{
  return dly_request_get_prompt (dly_job_get_request (job));
}

/* The start of @text on one line, at most @max_chars characters, with an ellipsis if cut. */
static char *
dup_text_start (const char *text,
                glong       max_chars)
{
  g_autofree char *start = NULL;
  gboolean cut;

  if (text == NULL)
    return g_strdup ("");

  cut = g_utf8_strlen (text, -1) > max_chars;
  start = g_utf8_substring (text, 0, cut ? max_chars : -1);
  g_strstrip (g_strdelimit (start, "\r\n\t", ' '));

  return cut ? g_strconcat (start, "…", NULL) : g_steal_pointer (&start);
}

static char *
format_elapsed (double seconds)
{
  guint64 s = (guint64) MAX (seconds, 0);

  if (s >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", (guint) (s / 3600), (guint) (s / 60 % 60),
                            (guint) (s % 60));

  return g_strdup_printf ("%u:%02u", (guint) (s / 60), (guint) (s % 60));
}

/* When the take was made, as briefly as is unambiguous: the time today, else the date. */
static char *
format_created (gint64 created_at)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (created_at <= 0)
    return NULL;

  when = g_date_time_new_from_unix_local (created_at / G_USEC_PER_SEC);
  if (when == NULL)
    return NULL;

  if (g_date_time_get_year (when) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    /* Translators: when a take was made today; see g_date_time_format() */
    return g_date_time_format (when, C_("take time today", "%H:%M"));

  if (g_date_time_get_year (when) == g_date_time_get_year (now))
    /* xgettext:no-c-format */
    /* Translators: when a take was made this year; see g_date_time_format() */
    return g_date_time_format (when, C_("take date this year", "%b %-d"));

  /* xgettext:no-c-format */
  /* Translators: when a take was made before this year; see g_date_time_format() */
  return g_date_time_format (when, C_("take date other year", "%b %-d, %Y"));
}

static const char *
state_name (DlyJobState state)
{
  switch (state)
    {
    case DLY_JOB_STATE_QUEUED:
      return C_("take state", "Queued");
    case DLY_JOB_STATE_SUBMITTING:
      return C_("take state", "Submitting");
    case DLY_JOB_STATE_WAITING:
      return C_("take state", "Waiting");
    case DLY_JOB_STATE_RUNNING:
      return C_("take state", "Generating");
    case DLY_JOB_STATE_DOWNLOADING:
      return C_("take state", "Downloading");
    case DLY_JOB_STATE_SUCCEEDED:
      return C_("take state", "Done");
    case DLY_JOB_STATE_FAILED:
      return C_("take state", "Failed");
    case DLY_JOB_STATE_CANCELLED:
      return C_("take state", "Cancelled");
    case DLY_JOB_STATE_UNKNOWN:
      return C_("take state", "Outcome Unknown");
    default:
      g_return_val_if_reached ("");
    }
}

static const char *
state_icon (DlyJobState state)
{
  switch (state)
    {
    case DLY_JOB_STATE_QUEUED:
      return "document-open-recent-symbolic";
    case DLY_JOB_STATE_SUBMITTING:
      return "mail-send-symbolic";
    case DLY_JOB_STATE_WAITING:
      return "content-loading-symbolic";
    case DLY_JOB_STATE_RUNNING:
      return "system-run-symbolic";
    case DLY_JOB_STATE_DOWNLOADING:
      return "folder-download-symbolic";
    case DLY_JOB_STATE_SUCCEEDED:
      return "video-x-generic-symbolic";
    case DLY_JOB_STATE_FAILED:
      return "dialog-error-symbolic";
    case DLY_JOB_STATE_CANCELLED:
      return "action-unavailable-symbolic";
    case DLY_JOB_STATE_UNKNOWN:
      return "dialog-question-symbolic";
    default:
      g_return_val_if_reached ("video-x-generic-symbolic");
    }
}

static gboolean
error_is_missing_file (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
         || g_error_matches (error, DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NOT_FOUND);
}

/* --- reflecting the job --- */

static void
set_action_enabled (DlyTakeRow *self,
                    TakeAction  action,
                    gboolean    enabled)
{
  guint bit = 1u << action;

  if (((self->enabled_actions & bit) != 0) == !!enabled)
    return;

  self->enabled_actions ^= bit;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), action_names[action], enabled);
}

static gboolean
has_compare_candidates (DlyTakeRow *self)
{
  DlyTakeList *list = get_take_list (self);
  g_autoptr(GPtrArray) candidates = NULL;

  if (list == NULL)
    return FALSE;

  candidates = dly_take_list_dup_compare_candidates (list, self->job, 1);
  return candidates->len > 0;
}

static void
update_actions (DlyTakeRow *self)
{
  DlyJobState state = self->job != NULL ? dly_job_get_state (self->job) : DLY_JOB_STATE_QUEUED;
  gboolean bound = self->job != NULL;
  gboolean finished = bound && dly_job_is_finished (self->job);
  gboolean playable = bound && state == DLY_JOB_STATE_SUCCEEDED
                      && dly_job_get_output_path (self->job) != NULL;
  const char *prompt = bound ? get_prompt (self->job) : NULL;

  set_action_enabled (self, ACTION_CANCEL, bound && !finished);
  set_action_enabled (self, ACTION_RETRY,
                      bound && (state == DLY_JOB_STATE_FAILED || state == DLY_JOB_STATE_CANCELLED
                                || state == DLY_JOB_STATE_UNKNOWN));
  set_action_enabled (self, ACTION_REMOVE, bound);
  set_action_enabled (self, ACTION_SHOW_IN_FOLDER,
                      playable && !error_is_missing_file (self->thumbnail_error));
  set_action_enabled (self, ACTION_COPY_PROMPT, prompt != NULL && prompt[0] != '\0');
  set_action_enabled (self, ACTION_USE_AS_TEMPLATE, bound);
  /* A take whose file cannot be read would only show an error beside the other. */
  set_action_enabled (self, ACTION_COMPARE_WITH,
                      playable && self->thumbnail_error == NULL && has_compare_candidates (self));
}

/* The backend's message for a failed or unknown take, or why a finished take shows no
 * picture; NULL when nothing went wrong. */
static char *
dup_problem (DlyTakeRow *self)
{
  DlyJobState state;
  const char *message;

  if (self->job == NULL)
    return NULL;

  state = dly_job_get_state (self->job);
  message = dly_job_get_message (self->job);
  if ((state == DLY_JOB_STATE_FAILED || state == DLY_JOB_STATE_UNKNOWN)
      && message != NULL && message[0] != '\0')
    return g_strdup (message);
  if (self->thumbnail_error != NULL)
    return g_strdup (self->thumbnail_error->message);

  return NULL;
}

/* Tooltips are answered when asked: setting one on each of 200 rows as they are bound costs
 * a round trip to the display server each. */
static gboolean
on_query_tooltip_cb (GtkWidget  *widget,
                     int         x,
                     int         y,
                     gboolean    keyboard_mode,
                     GtkTooltip *tooltip,
                     DlyTakeRow *self)
{
  g_autofree char *text = NULL;

  if (widget == GTK_WIDGET (self->menu_button))
    text = g_strdup (_("Take Menu"));
  else if (self->job == NULL)
    return FALSE;
  else if (widget == GTK_WIDGET (self->backend_label))
    /* Translators: a take's backend: its dialect and address, as in "ltx2-server at http://…" */
    text = g_strdup_printf (_("%s at %s"), dly_job_get_dialect (self->job),
                            dly_job_get_base_url (self->job));
  else if (widget == GTK_WIDGET (self->state_label)
           && dly_job_get_state (self->job) == DLY_JOB_STATE_UNKNOWN)
    text = g_strdup (_("The backend may have received this take, but never said which job it "
                       "is. It was not sent again: retry if you want a new one."));
  else if (widget == GTK_WIDGET (self->placeholder_image) && self->thumbnail_error != NULL)
    text = g_strdup (self->thumbnail_error->message);
  else if (self->message_button != NULL && widget == GTK_WIDGET (self->message_button))
    text = g_strdup (_("Show the Whole Message"));

  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
update_accessible_label (DlyTakeRow *self)
{
  g_autofree char *label = NULL;
  g_autofree char *description = NULL;

  if (self->job == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }

  /* Translators: a take in the list as a screen reader says it: its prompt, then its state */
  label = g_strdup_printf (_("%s — %s"), gtk_inscription_get_text (self->prompt_inscription),
                           gtk_label_get_text (self->state_label));
  /* What went wrong, read after the label: the backend's words, or why there is no
   * picture. */
  description = dup_problem (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : "",
                                  -1);
}

static void
update_elapsed (DlyTakeRow *self)
{
  g_autofree char *text = NULL;

  if (self->job == NULL)
    return;

  text = format_elapsed (dly_job_get_elapsed (self->job));
  gtk_label_set_label (self->elapsed_label, text);
}

static void
show_placeholder (DlyTakeRow *self,
                  const char *icon_name)
{
  gtk_image_set_from_icon_name (self->placeholder_image, icon_name);
  gtk_picture_set_paintable (self->picture, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->picture), FALSE);
}

static void
show_picture (DlyTakeRow *self,
              GdkTexture *texture)
{
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->picture), TRUE);
}

static void
on_thumbnail_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = dly_thumbnailer_load_finish (DLY_THUMBNAILER (source), result,
                                                               &error);
  DlyTakeRow *self;

  /* A row cancels before it is unbound or finalized: it may be gone, or showing another. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = DLY_TAKE_ROW (user_data);
  g_clear_object (&self->thumbnail_cancellable);

  if (texture != NULL)
    {
      show_picture (self, texture);
      return;
    }

  self->thumbnail_error = g_steal_pointer (&error);
  show_placeholder (self, "image-missing-symbolic");
  update_accessible_label (self);
  update_actions (self);
}

static void
cancel_thumbnail (DlyTakeRow *self)
{
  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);
  g_clear_error (&self->thumbnail_error);
}

static void
update_thumbnail (DlyTakeRow *self)
{
  DlyThumbnailer *thumbnailer = dly_thumbnailer_get_default ();
  g_autoptr(GdkTexture) texture = NULL;
  DlyJobState state;
  const char *path;

  cancel_thumbnail (self);

  if (self->job == NULL)
    {
      show_placeholder (self, "video-x-generic-symbolic");
      return;
    }

  state = dly_job_get_state (self->job);
  path = dly_job_get_output_path (self->job);
  if (state != DLY_JOB_STATE_SUCCEEDED || path == NULL)
    {
      show_placeholder (self, state_icon (state));
      return;
    }

  /* Known pictures show in the same frame as the row, so scrolling back never flickers. */
  texture = dly_thumbnailer_lookup (thumbnailer, dly_job_get_id (self->job));
  if (texture != NULL)
    {
      show_picture (self, texture);
      return;
    }

  show_placeholder (self, state_icon (state));
  /* Off screen, a decode would be wasted: the list says when the row comes into view. */
  if (!self->on_screen)
    return;

  self->thumbnail_cancellable = g_cancellable_new ();
  dly_thumbnailer_load_async (thumbnailer, dly_job_get_id (self->job), path,
                              self->thumbnail_cancellable, on_thumbnail_loaded_cb, self);
}

/* Spinners, progress bars and messages are made as rows first need them: in a long history
 * nearly every take is finished, and GtkListView keeps 200 rows. */
static void
ensure_spinner (DlyTakeRow *self)
{
  if (self->spinner != NULL)
    return;

  self->spinner = DLY_ACTIVITY_INDICATOR (dly_activity_indicator_new ());
  dly_activity_indicator_set_paused (self->spinner, !self->on_screen);
  gtk_widget_set_valign (GTK_WIDGET (self->spinner), GTK_ALIGN_CENTER);
  gtk_box_prepend (self->status_box, GTK_WIDGET (self->spinner));
}

static void
ensure_progress_bar (DlyTakeRow *self)
{
  if (self->progress_bar != NULL)
    return;

  self->progress_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->progress_bar), GTK_ALIGN_CENTER);
  gtk_box_insert_child_after (self->status_box, GTK_WIDGET (self->progress_bar),
                              GTK_WIDGET (self->state_label));
}

/* The backend's own words, cut to what fits beside the state and whole one click away. */
static void
ensure_message_button (DlyTakeRow *self)
{
  if (self->message_button != NULL)
    return;

  self->message_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->message_label, 0);
  gtk_label_set_ellipsize (self->message_label, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (self->message_label, TRUE);
  /* A small natural width: the state beside it shows whole first, and the message takes
   * what is left by expanding. */
  gtk_label_set_width_chars (self->message_label, 4);
  gtk_label_set_max_width_chars (self->message_label, 4);
  gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "caption");

  /* A plain button, not a menu button, whose child would be centred at its natural width:
   * the message's popover belongs to the row, which places it. */
  self->message_button = GTK_BUTTON (gtk_button_new ());
  gtk_button_set_child (self->message_button, GTK_WIDGET (self->message_label));
  gtk_widget_set_hexpand (GTK_WIDGET (self->message_button), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->message_button), GTK_ALIGN_CENTER);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->message_button), TRUE);
  g_signal_connect_object (self->message_button, "query-tooltip",
                           G_CALLBACK (on_query_tooltip_cb), self, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->message_button), "flat");
  gtk_widget_add_css_class (GTK_WIDGET (self->message_button), "dly-take-message");
  g_signal_connect_object (self->message_button, "clicked",
                           G_CALLBACK (on_message_button_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_insert_child_after (self->status_box, GTK_WIDGET (self->message_button),
                              gtk_widget_get_prev_sibling (GTK_WIDGET (self->elapsed_label)));
}

/* The elapsed time keeps to the right end of its line: it takes the room nothing else on
 * the line expands into. */
static void
update_status_expansion (DlyTakeRow *self)
{
  gboolean filled = (self->progress_bar != NULL
                     && gtk_widget_get_visible (GTK_WIDGET (self->progress_bar)))
                    || (self->message_button != NULL
                        && gtk_widget_get_visible (GTK_WIDGET (self->message_button)));

  gtk_widget_set_hexpand (GTK_WIDGET (self->elapsed_label), !filled);
}

static void
update_message (DlyTakeRow *self)
{
  DlyJobState state = self->job != NULL ? dly_job_get_state (self->job) : DLY_JOB_STATE_QUEUED;
  const char *message = self->job != NULL ? dly_job_get_message (self->job) : NULL;
  gboolean shown = message != NULL && message[0] != '\0'
                   && (state == DLY_JOB_STATE_FAILED || state == DLY_JOB_STATE_UNKNOWN);
  g_autofree char *first_line = NULL;

  if (!shown)
    {
      if (self->message_popover != NULL)
        gtk_popover_popdown (GTK_POPOVER (self->message_popover));
      if (self->message_button != NULL)
        gtk_widget_set_visible (GTK_WIDGET (self->message_button), FALSE);
      update_status_expansion (self);
      return;
    }

  ensure_message_button (self);
  gtk_widget_set_visible (GTK_WIDGET (self->message_button), TRUE);
  update_status_expansion (self);

  first_line = dup_text_start (message, PROMPT_DISPLAY_CHARS);
  gtk_label_set_label (self->message_label, first_line);
  if (self->message_full_label != NULL)
    gtk_label_set_label (self->message_full_label, message);

  if (state == DLY_JOB_STATE_FAILED)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "warning");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "warning");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
    }
}

static void
update_progress (DlyTakeRow *self)
{
  DlyJobState state;
  double progress;
  gboolean finished;
  gboolean has_progress;

  if (self->job == NULL)
    return;

  state = dly_job_get_state (self->job);
  progress = dly_job_get_progress (self->job);
  finished = dly_job_is_finished (self->job);
  has_progress = !finished && progress >= 0;

  if (has_progress)
    ensure_progress_bar (self);
  if (self->progress_bar != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), has_progress);
  update_status_expansion (self);

  if (!finished && !has_progress)
    ensure_spinner (self);
  if (self->spinner != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), !finished && !has_progress);
      dly_activity_indicator_set_active (self->spinner, !finished && !has_progress);
    }

  if (has_progress)
    {
      g_autofree char *text = NULL;
      int percent = (int) (CLAMP (progress, 0, 1) * 100 + 0.5);

      gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (progress, 0, 1));
      /* Translators: a take's state and how far it is, as in "Generating 42%" */
      text = g_strdup_printf (_("%s %d%%"), state_name (state), percent);
      gtk_label_set_label (self->state_label, text);
    }
  else
    gtk_label_set_label (self->state_label, state_name (state));
}

static void
update_state (DlyTakeRow *self)
{
  DlyJobState state;
  GtkWidget *label = GTK_WIDGET (self->state_label);

  if (self->job == NULL)
    return;

  state = dly_job_get_state (self->job);
  update_progress (self);

  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "dim-label");
  if (state == DLY_JOB_STATE_FAILED)
    gtk_widget_add_css_class (label, "error");
  else if (state == DLY_JOB_STATE_UNKNOWN)
    gtk_widget_add_css_class (label, "warning");
  else if (state == DLY_JOB_STATE_SUCCEEDED || state == DLY_JOB_STATE_CANCELLED)
    gtk_widget_add_css_class (label, "dim-label");

  set_ticking (self, !dly_job_is_finished (self->job));
  update_elapsed (self);
  update_message (self);
  update_thumbnail (self);
  update_actions (self);
  update_accessible_label (self);
}

static void
update_all (DlyTakeRow *self)
{
  g_autofree char *prompt = NULL;
  g_autofree char *backend = NULL;
  g_autofree char *created = NULL;
  const char *profile;
  const char *dialect;

  if (self->job == NULL)
    {
      gtk_inscription_set_text (self->prompt_inscription, NULL);
      gtk_label_set_label (self->backend_label, "");
      gtk_label_set_label (self->state_label, "");
      gtk_label_set_label (self->elapsed_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->synthetic_label), FALSE);
      if (self->progress_bar != NULL)
        gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      if (self->spinner != NULL)
        {
          gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
          dly_activity_indicator_set_active (self->spinner, FALSE);
        }
      set_ticking (self, FALSE);
      update_message (self);
      update_thumbnail (self);
      update_actions (self);
      update_accessible_label (self);
      return;
    }

  prompt = dup_text_start (get_prompt (self->job), PROMPT_DISPLAY_CHARS);
  if (prompt[0] == '\0')
    {
      gtk_inscription_set_text (self->prompt_inscription, _("No prompt"));
      gtk_widget_add_css_class (GTK_WIDGET (self->prompt_inscription), "dim-label");
    }
  else
    {
      gtk_inscription_set_text (self->prompt_inscription, prompt);
      gtk_widget_remove_css_class (GTK_WIDGET (self->prompt_inscription), "dim-label");
    }

  profile = dly_job_get_profile (self->job);
  dialect = dly_job_get_dialect (self->job);
  created = format_created (dly_job_get_created_at (self->job));
  /* Translators: a take's backend and when it was made, as in "Studio GPU · 14:02" */
  backend = created != NULL
            ? g_strdup_printf (C_("take backend and time", "%s · %s"),
                               profile != NULL ? profile : dialect, created)
            : g_strdup (profile != NULL ? profile : dialect);
  gtk_label_set_label (self->backend_label, backend);
  gtk_widget_set_visible (GTK_WIDGET (self->synthetic_label), dly_demo_is_demo_job (self->job));

  update_state (self);
}

static void
on_job_state_changed_cb (DlyTakeRow *self)
{
  update_state (self);
}

static void
on_job_progress_changed_cb (DlyTakeRow *self)
{
  update_progress (self);
  update_accessible_label (self);
}

static void
on_job_message_changed_cb (DlyTakeRow *self)
{
  update_message (self);
  update_accessible_label (self);
}

static void
on_job_output_path_changed_cb (DlyTakeRow *self)
{
  update_thumbnail (self);
  update_actions (self);
}

static void
on_job_finished_at_changed_cb (DlyTakeRow *self)
{
  update_elapsed (self);
}

/* --- actions --- */

/* Cancel, retry, remove and use-as-template are the list's to do: the row asks by a signal. */
static const struct
{
  const char *action;
  guint       signal;
} request_actions[] = {
  { "take.cancel", CANCEL_REQUESTED },
  { "take.retry", RETRY_REQUESTED },
  { "take.remove", REMOVE_REQUESTED },
  { "take.use-as-template", USE_AS_TEMPLATE },
};

static void
take_request_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  for (guint i = 0; i < G_N_ELEMENTS (request_actions); i++)
    if (g_str_equal (action_name, request_actions[i].action))
      {
        g_signal_emit (widget, signals[request_actions[i].signal], 0);
        return;
      }

  g_return_if_reached ();
}

static void
take_copy_prompt_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DlyTakeRow *self = DLY_TAKE_ROW (widget);

  if (self->job == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), get_prompt (self->job));
  dly_toast_show (GTK_WIDGET (self), _("Prompt copied"));
}

static void
take_compare_with_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  DlyTakeRow *self = DLY_TAKE_ROW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(GPtrArray) candidates = NULL;
  DlyTakeList *list;

  /* The menu's own takes first; then any the list would offer now (a shortcut or a test may
   * name a take without opening the menu). */
  if (self->compare_jobs != NULL)
    for (guint i = 0; i < self->compare_jobs->len; i++)
      {
        DlyJob *other = g_ptr_array_index (self->compare_jobs, i);

        if (g_strcmp0 (dly_job_get_id (other), id) == 0)
          {
            g_signal_emit (self, signals[COMPARE_REQUESTED], 0, other);
            return;
          }
      }

  list = get_take_list (self);
  if (list == NULL)
    return;

  candidates = dly_take_list_dup_compare_candidates (list, self->job, G_MAXUINT);
  for (guint i = 0; i < candidates->len; i++)
    {
      DlyJob *other = g_ptr_array_index (candidates, i);

      if (g_strcmp0 (dly_job_get_id (other), id) == 0)
        {
          g_signal_emit (self, signals[COMPARE_REQUESTED], 0, other);
          return;
        }
    }

  g_debug ("No take %s to compare with", id);
}

/* Show in folder: the file manager's D-Bus interface selects the file in its folder; where
 * there is none (or a sandbox hides it), the folder opens through the portal. */

typedef struct
{
  char              *uri;
  char              *folder_uri;
  GAppLaunchContext *launch_context;
  GWeakRef           row;             /* for a toast, if the row is still there */
} ShowInFolder;

static void
show_in_folder_free (ShowInFolder *data)
{
  g_free (data->uri);
  g_free (data->folder_uri);
  g_clear_object (&data->launch_context);
  g_weak_ref_clear (&data->row);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShowInFolder, show_in_folder_free)

static void
show_in_folder_failed (ShowInFolder *data,
                       const GError *error)
{
  g_autoptr(GtkWidget) row = g_weak_ref_get (&data->row);
  g_autofree char *text = NULL;

  g_warning ("Could not show %s in its folder: %s", data->uri, error->message);
  if (row == NULL)
    return;

  /* Translators: %s is why, from the system */
  text = g_strdup_printf (_("Could not open the folder: %s"), error->message);
  dly_toast_show (row, text);
}

static void
on_folder_launched_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(ShowInFolder) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    show_in_folder_failed (data, error);
}

static void
on_show_items_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ShowInFolder) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply != NULL)
    return;

  g_debug ("FileManager1.ShowItems: %s; opening the folder instead", error->message);
  g_app_info_launch_default_for_uri_async (data->folder_uri, data->launch_context, NULL,
                                           on_folder_launched_cb, g_steal_pointer (&data));
}

static void
on_session_bus_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ShowInFolder) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, &error);
  const char *uris[] = { data->uri, NULL };

  if (bus == NULL)
    {
      g_app_info_launch_default_for_uri_async (data->folder_uri, data->launch_context, NULL,
                                               on_folder_launched_cb, g_steal_pointer (&data));
      return;
    }

  /* No startup id: GLib 2.74 makes one only for a GAppInfo, and there is none here. */
  g_dbus_connection_call (bus,
                          "org.freedesktop.FileManager1",
                          "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1",
                          "ShowItems",
                          g_variant_new ("(^ass)", uris, ""),
                          NULL,
                          G_DBUS_CALL_FLAGS_NONE,
                          -1, NULL,
                          on_show_items_cb, g_steal_pointer (&data));
}

static void
take_show_in_folder_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  DlyTakeRow *self = DLY_TAKE_ROW (widget);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  ShowInFolder *data;

  if (self->job == NULL || dly_job_get_output_path (self->job) == NULL)
    return;

  file = g_file_new_for_path (dly_job_get_output_path (self->job));
  folder = g_file_get_parent (file);
  data = g_new0 (ShowInFolder, 1);

  data->uri = g_file_get_uri (file);
  data->folder_uri = g_file_get_uri (folder);
  data->launch_context = G_APP_LAUNCH_CONTEXT (
    gdk_display_get_app_launch_context (gtk_widget_get_display (widget)));
  g_weak_ref_init (&data->row, self);

  g_bus_get (G_BUS_TYPE_SESSION, NULL, on_session_bus_cb, data);
}

/* --- menus --- */

static char *
dup_menu_label (DlyJob *job)
{
  g_autofree char *start = dup_text_start (get_prompt (job), MENU_PROMPT_CHARS);
  g_autofree char *created = format_created (dly_job_get_created_at (job));
  g_autofree char *label = NULL;
  GString *escaped;

  /* Translators: a take in the "Compare With" menu: the start of its prompt, and when it
   * was made */
  label = created != NULL
          ? g_strdup_printf (C_("compare menu take", "%s · %s"),
                             start[0] != '\0' ? start : _("No prompt"), created)
          : g_strdup (start);

  /* Menu labels take mnemonics: an underscore in a prompt must stay an underscore. */
  escaped = g_string_new (label);
  g_string_replace (escaped, "_", "__", 0);
  return g_string_free (escaped, FALSE);
}

static void
append_compare_item (GMenu  *menu,
                     DlyJob *job)
{
  g_autofree char *label = dup_menu_label (job);
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, "take.compare-with",
                                           g_variant_new_string (dly_job_get_id (job)));
  g_menu_append_item (menu, item);
}

/* The "Compare With" submenu, with the takes the list offers now. */
static void
refresh_compare_section (DlyTakeRow *self)
{
  DlyTakeList *list = get_take_list (self);
  g_autoptr(GMenu) last_section = NULL;
  g_autoptr(GMenu) recent_section = NULL;
  g_autoptr(GMenu) submenu = NULL;
  g_autoptr(GMenuItem) item = NULL;
  g_autoptr(GMenuItem) show_item = NULL;
  DlyJob *last_played = NULL;
  guint first_recent = 0;

  g_menu_remove_all (self->compare_section);
  g_clear_pointer (&self->compare_jobs, g_ptr_array_unref);

  if (list != NULL && self->job != NULL
      && (self->enabled_actions & (1u << ACTION_COMPARE_WITH)) != 0)
    {
      self->compare_jobs = dly_take_list_dup_compare_candidates (list, self->job,
                                                                 COMPARE_MENU_TAKES);
      last_played = dly_take_list_get_last_played (list, self->job);
    }

  if (self->compare_jobs == NULL || self->compare_jobs->len == 0)
    {
      /* Shown, but greyed out, so that the command is there to be found. */
      item = g_menu_item_new (_("Co_mpare With"), NULL);
      g_menu_item_set_action_and_target_value (item, "take.compare-with",
                                               g_variant_new_string (""));
      g_menu_append_item (self->compare_section, item);
    }
  else
    {
      submenu = g_menu_new ();
      if (last_played != NULL && g_ptr_array_index (self->compare_jobs, 0) == last_played)
        {
          last_section = g_menu_new ();
          append_compare_item (last_section, last_played);
          g_menu_append_section (submenu, _("Last Played"), G_MENU_MODEL (last_section));
          first_recent = 1;
        }
      if (self->compare_jobs->len > first_recent)
        {
          recent_section = g_menu_new ();
          for (guint i = first_recent; i < self->compare_jobs->len; i++)
            append_compare_item (recent_section, g_ptr_array_index (self->compare_jobs, i));
          g_menu_append_section (submenu, _("Recent Takes"), G_MENU_MODEL (recent_section));
        }
      g_menu_append_submenu (self->compare_section, _("Co_mpare With"), G_MENU_MODEL (submenu));
    }

  /* In the same section: both are about the take's file. */
  show_item = g_menu_item_new (_("Show in _Folder"), "take.show-in-folder");
  g_menu_append_item (self->compare_section, show_item);
}


static void
prepare_menu (DlyTakeRow *self)
{
  update_actions (self);
  refresh_compare_section (self);
}

static void
create_menu_popup_cb (GtkMenuButton *menu_button,
                      gpointer       user_data)
{
  DlyTakeRow *self = DLY_TAKE_ROW (user_data);

  prepare_menu (self);
  /* Made on first use: most rows never open their menu. */
  if (gtk_menu_button_get_menu_model (menu_button) == NULL)
    gtk_menu_button_set_menu_model (menu_button, G_MENU_MODEL (self->menu));
}

void
dly_take_row_popup_menu (DlyTakeRow *self,
                         double      x,
                         double      y)
{
  g_return_if_fail (DLY_IS_TAKE_ROW (self));

  if (self->job == NULL)
    return;

  if (x < 0)
    {
      gtk_menu_button_popup (self->menu_button);
      return;
    }

  prepare_menu (self);
  if (self->context_menu == NULL)
    {
      self->context_menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (self->menu));
      gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
      gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
    }

  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
on_secondary_click_pressed_cb (GtkGestureClick *gesture,
                               int              n_press,
                               double           x,
                               double           y,
                               DlyTakeRow      *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  dly_take_row_popup_menu (self, x, y);
}

static void
on_long_press_pressed_cb (GtkGestureLongPress *gesture,
                          double               x,
                          double               y,
                          DlyTakeRow          *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  dly_take_row_popup_menu (self, x, y);
}

static void
on_copy_message_button_clicked_cb (DlyTakeRow *self)
{
  if (self->job == NULL || dly_job_get_message (self->job) == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          dly_job_get_message (self->job));
  gtk_popover_popdown (GTK_POPOVER (self->message_popover));
  dly_toast_show (GTK_WIDGET (self), _("Message copied"));
}

/* The whole message, in a popover made when first opened: few rows ever need one. */
static void
on_message_button_clicked_cb (DlyTakeRow *self)
{
  GtkWidget *box;
  GtkWidget *label;
  GtkWidget *copy_button;
  graphene_rect_t bounds;

  if (self->job == NULL)
    return;

  if (self->message_popover == NULL)
    {
      label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 50);

      copy_button = gtk_button_new_with_mnemonic (_("_Copy Message"));
      gtk_widget_set_halign (copy_button, GTK_ALIGN_END);
      g_signal_connect_object (copy_button, "clicked",
                               G_CALLBACK (on_copy_message_button_clicked_cb), self,
                               G_CONNECT_SWAPPED);

      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_set_margin_start (box, 6);
      gtk_widget_set_margin_end (box, 6);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), copy_button);

      self->message_popover = gtk_popover_new ();
      gtk_popover_set_child (GTK_POPOVER (self->message_popover), box);
      gtk_popover_set_default_widget (GTK_POPOVER (self->message_popover), copy_button);
      gtk_widget_set_parent (self->message_popover, GTK_WIDGET (self));
      self->message_full_label = GTK_LABEL (label);
    }

  gtk_label_set_label (self->message_full_label, dly_job_get_message (self->job));
  if (gtk_widget_compute_bounds (GTK_WIDGET (self->message_button), GTK_WIDGET (self), &bounds))
    gtk_popover_set_pointing_to (GTK_POPOVER (self->message_popover),
                                 &(GdkRectangle) { (int) bounds.origin.x, (int) bounds.origin.y,
                                                   (int) bounds.size.width,
                                                   (int) bounds.size.height });
  gtk_popover_popup (GTK_POPOVER (self->message_popover));
  /* A selectable label focused as the popover opens selects all of itself: the button takes
   * the focus instead, and nothing is selected until the user drags. */
  gtk_widget_grab_focus (
    gtk_widget_get_last_child (gtk_popover_get_child (GTK_POPOVER (self->message_popover))));
  gtk_label_select_region (self->message_full_label, 0, 0);
}

/* --- GObject and GtkWidget --- */

static void
dly_take_row_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  DlyTakeRow *self = DLY_TAKE_ROW (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

/* Allocated by hand rather than by a layout manager: the context menu is a popover, and
 * popovers are placed in their parent's size_allocate. */
static void
dly_take_row_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  DlyTakeRow *self = DLY_TAKE_ROW (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
  if (self->message_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->message_popover));
}

static GtkSizeRequestMode
dly_take_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
dly_take_row_root (GtkWidget *widget)
{
  DlyTakeRow *self = DLY_TAKE_ROW (widget);

  GTK_WIDGET_CLASS (dly_take_row_parent_class)->root (widget);

  /* A row may be bound before it is in the list, when it cannot yet ask what to compare. */
  if (self->job != NULL)
    update_actions (self);
}

static void
dly_take_row_dispose (GObject *object)
{
  DlyTakeRow *self = DLY_TAKE_ROW (object);

  dly_take_row_set_job (self, NULL);
  set_ticking (self, FALSE);
  cancel_thumbnail (self);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  g_clear_pointer (&self->message_popover, gtk_widget_unparent);
  self->message_full_label = NULL;
  g_clear_pointer (&self->compare_jobs, g_ptr_array_unref);
  g_clear_object (&self->job_signals);

  gtk_widget_dispose_template (GTK_WIDGET (self), DLY_TYPE_TAKE_ROW);
  /* Went with the template's box. */
  self->spinner = NULL;
  self->progress_bar = NULL;
  self->message_button = NULL;
  self->message_label = NULL;

  G_OBJECT_CLASS (dly_take_row_parent_class)->dispose (object);
}

static void
dly_take_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DlyTakeRow *self = DLY_TAKE_ROW (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_take_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DlyTakeRow *self = DLY_TAKE_ROW (object);

  switch (prop_id)
    {
    case PROP_JOB:
      dly_take_row_set_job (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_take_row_class_init (DlyTakeRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dly_take_row_dispose;
  object_class->get_property = dly_take_row_get_property;
  object_class->set_property = dly_take_row_set_property;

  widget_class->measure = dly_take_row_measure;
  widget_class->size_allocate = dly_take_row_size_allocate;
  widget_class->get_request_mode = dly_take_row_get_request_mode;
  widget_class->root = dly_take_row_root;

  /**
   * DlyTakeRow:job:
   * The take shown; the list's factory binds and unbinds it.
   */
  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL, DLY_TYPE_JOB,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlyTakeRow::cancel-requested:
   * The user wants the take stopped.
   */
  signals[CANCEL_REQUESTED] =
    g_signal_new ("cancel-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * DlyTakeRow::retry-requested:
   * The user wants the take made again (a new submission, which may cost money).
   */
  signals[RETRY_REQUESTED] =
    g_signal_new ("retry-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * DlyTakeRow::remove-requested:
   * The user wants the take out of the list (its file stays).
   */
  signals[REMOVE_REQUESTED] =
    g_signal_new ("remove-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * DlyTakeRow::use-as-template:
   * The user wants the take's prompt, inputs and parameters in the composer.
   */
  signals[USE_AS_TEMPLATE] =
    g_signal_new ("use-as-template", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * DlyTakeRow::compare-requested:
   * @other: the take to compare with
   *
   * The user wants the take and @other side by side.
   */
  signals[COMPARE_REQUESTED] =
    g_signal_new ("compare-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DLY_TYPE_JOB);

  for (guint i = 0; i < G_N_ELEMENTS (request_actions); i++)
    gtk_widget_class_install_action (widget_class, request_actions[i].action, NULL,
                                     take_request_action);
  gtk_widget_class_install_action (widget_class, "take.show-in-folder", NULL,
                                   take_show_in_folder_action);
  gtk_widget_class_install_action (widget_class, "take.copy-prompt", NULL,
                                   take_copy_prompt_action);
  gtk_widget_class_install_action (widget_class, "take.compare-with", "s",
                                   take_compare_with_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-take-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DlyTakeRow, box);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeRow, placeholder_image);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeRow, picture);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeRow, prompt_inscription);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeRow, backend_label);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeRow, synthetic_label);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeRow, status_box);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeRow, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeRow, menu);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeRow, compare_section);
  gtk_widget_class_bind_template_callback (widget_class, on_query_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_secondary_click_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_long_press_pressed_cb);

  gtk_widget_class_set_css_name (widget_class, "dly-take-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
dly_take_row_init (DlyTakeRow *self)
{
  self->on_screen = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Nothing applies until a take is bound. */
  for (guint i = 0; i < N_ACTIONS; i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), action_names[i], FALSE);

  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu_popup_cb, self, NULL);

  self->job_signals = g_signal_group_new (DLY_TYPE_JOB);
  g_signal_group_connect_swapped (self->job_signals, "notify::state",
                                  G_CALLBACK (on_job_state_changed_cb), self);
  g_signal_group_connect_swapped (self->job_signals, "notify::progress",
                                  G_CALLBACK (on_job_progress_changed_cb), self);
  g_signal_group_connect_swapped (self->job_signals, "notify::message",
                                  G_CALLBACK (on_job_message_changed_cb), self);
  g_signal_group_connect_swapped (self->job_signals, "notify::output-path",
                                  G_CALLBACK (on_job_output_path_changed_cb), self);
  g_signal_group_connect_swapped (self->job_signals, "notify::finished-at",
                                  G_CALLBACK (on_job_finished_at_changed_cb), self);
}

GtkWidget *
dly_take_row_new (void)
{
  return g_object_new (DLY_TYPE_TAKE_ROW, NULL);
}

DlyJob *
dly_take_row_get_job (DlyTakeRow *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_ROW (self), NULL);
  return self->job;
}

void
dly_take_row_set_job (DlyTakeRow *self,
                      DlyJob     *job)
{
  g_return_if_fail (DLY_IS_TAKE_ROW (self));
  g_return_if_fail (job == NULL || DLY_IS_JOB (job));

  if (self->job == job)
    return;

  /* A menu left open would act on the next take bound to this row. */
  if (self->context_menu != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->context_menu));
  gtk_menu_button_popdown (self->menu_button);
  if (self->message_popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->message_popover));
  g_clear_pointer (&self->compare_jobs, g_ptr_array_unref);

  g_set_object (&self->job, job);
  if (self->job_signals != NULL)
    g_signal_group_set_target (self->job_signals, job);

  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

gboolean
dly_take_row_get_action_enabled (DlyTakeRow *self,
                                 const char *action)
{
  g_return_val_if_fail (DLY_IS_TAKE_ROW (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  for (guint i = 0; i < N_ACTIONS; i++)
    if (g_str_equal (action_names[i] + strlen ("take."), action))
      return (self->enabled_actions & (1u << i)) != 0;

  g_return_val_if_reached (FALSE);
}

void
dly_take_row_set_on_screen (DlyTakeRow *self,
                            gboolean    on_screen)
{
  g_return_if_fail (DLY_IS_TAKE_ROW (self));

  on_screen = !!on_screen;
  if (self->on_screen == on_screen)
    return;
  self->on_screen = on_screen;
  if (self->spinner != NULL)
    dly_activity_indicator_set_paused (self->spinner, !on_screen);

  if (!on_screen)
    {
      /* Scrolled past before its picture came: let a row that is on screen have the worker. */
      if (self->thumbnail_cancellable != NULL)
        {
          g_cancellable_cancel (self->thumbnail_cancellable);
          g_clear_object (&self->thumbnail_cancellable);
        }
      return;
    }

  if (self->ticking)
    update_elapsed (self);
  if (self->job != NULL && self->thumbnail_cancellable == NULL && self->thumbnail_error == NULL
      && !gtk_widget_get_visible (GTK_WIDGET (self->picture)))
    update_thumbnail (self);
}

gboolean
dly_take_row_get_on_screen (DlyTakeRow *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_ROW (self), FALSE);
  return self->on_screen;
}

void
dly_take_row_refresh_actions (DlyTakeRow *self)
{
  g_return_if_fail (DLY_IS_TAKE_ROW (self));

  if (self->job != NULL)
    update_actions (self);
}

GMenuModel *
dly_take_row_get_menu_model (DlyTakeRow *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_ROW (self), NULL);
  return G_MENU_MODEL (self->menu);
}
