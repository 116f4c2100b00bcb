/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>

#include "dly-take-list.h"
#include "dly-take-row.h"
#include "dly-toast.h"

/* The newest succeeded takes are kept at hand for the rows' "Compare With" menus: enough
 * for a menu, found by reading from the top of the list until there are this many. */
#define RECENT_SUCCEEDED 8
/* Rows this close to the view count as on screen, so that pictures are in as they scroll in. */
#define ON_SCREEN_MARGIN 120

struct _DlyTakeList
{
  GtkWidget           parent_instance;

  GListModel         *jobs;            /* owned */
  gulong              items_changed_id;
  DlyJob             *selected;        /* owned */
  gulong              selected_state_id;
  DlyJob             *played[2];       /* owned: the succeeded takes selected last, newest first */
  GHashTable         *watched;         /* owned: unfinished DlyJob → Watch */
  GPtrArray          *recent;          /* owned: newest succeeded takes, or NULL to be found */
  GHashTable         *rows;            /* the DlyTakeRows the factory has made, not owned */
  guint               refresh_rows_id;
  GdkFrameClock      *frame_clock;     /* borrowed while realized */
  gulong              after_paint_id;
  gboolean            on_screen_pending;
  gboolean            loading;

  /* Template children */
  GtkStack           *stack;
  AdwStatusPage      *empty_page;      /* made when first shown, owned by the stack */
  GtkScrolledWindow  *scrolled_window;
  GtkListView        *list_view;
  GtkSingleSelection *selection;
};

G_DEFINE_FINAL_TYPE (DlyTakeList, dly_take_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_JOBS,
  PROP_SELECTED_JOB,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TAKE_ACTIVATED,
  CANCEL_REQUESTED,
  RETRY_REQUESTED,
  REMOVE_REQUESTED,
  USE_AS_TEMPLATE,
  COMPARE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_playable (DlyJob *job)
{
  return job != NULL && dly_job_get_state (job) == DLY_JOB_STATE_SUCCEEDED
         && dly_job_get_output_path (job) != NULL;
}

/* --- what the rows' menus offer to compare with --- */

static gboolean
refresh_rows_cb (gpointer user_data)
{
  DlyTakeList *self = user_data;
  GHashTableIter iter;
  gpointer row;

  self->refresh_rows_id = 0;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    dly_take_row_refresh_actions (row);

  return G_SOURCE_REMOVE;
}

/* Takes became playable or went away: the rows' "Compare With" may now apply, or not. */
static void
invalidate_recent (DlyTakeList *self)
{
  g_clear_pointer (&self->recent, g_ptr_array_unref);

  if (self->refresh_rows_id == 0)
    self->refresh_rows_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, refresh_rows_cb, self, NULL);
}

static GPtrArray *
ensure_recent (DlyTakeList *self)
{
  guint n;

  if (self->recent != NULL)
    return self->recent;

  self->recent = g_ptr_array_new_with_free_func (g_object_unref);
  n = self->jobs != NULL ? g_list_model_get_n_items (self->jobs) : 0;

  /* Newest first, so this stops after a few items unless takes rarely succeed. */
  for (guint i = 0; i < n && self->recent->len < RECENT_SUCCEEDED; i++)
    {
      g_autoptr(DlyJob) job = g_list_model_get_item (self->jobs, i);

      if (is_playable (job))
        g_ptr_array_add (self->recent, g_steal_pointer (&job));
    }

  return self->recent;
}

static void
on_watched_job_state_cb (DlyJob      *job,
                         GParamSpec  *pspec,
                         DlyTakeList *self)
{
  if (!dly_job_is_finished (job))
    return;

  invalidate_recent (self);
  /* Disconnects this handler; a finished job never changes state again. */
  g_hash_table_remove (self->watched, job);
}

typedef struct
{
  DlyJob *job;   /* owned */
  gulong  state_id;
} Watch;

static void
watch_free (Watch *watch)
{
  g_signal_handler_disconnect (watch->job, watch->state_id);
  g_object_unref (watch->job);
  g_free (watch);
}

/* Only unfinished takes can become playable: they are the few the list follows. */
static void
watch_unfinished (DlyTakeList *self,
                  guint        position,
                  guint        n_items)
{
  for (guint i = position; i < position + n_items; i++)
    {
      g_autoptr(DlyJob) job = g_list_model_get_item (self->jobs, i);
      Watch *watch;

      if (dly_job_is_finished (job) || g_hash_table_contains (self->watched, job))
        continue;

      watch = g_new0 (Watch, 1);
      watch->job = g_object_ref (job);
      watch->state_id = g_signal_connect (job, "notify::state",
                                          G_CALLBACK (on_watched_job_state_cb), self);
      g_hash_table_insert (self->watched, job, watch);
    }
}

static gboolean
model_contains (GListModel *model,
                DlyJob     *job)
{
  guint n = g_list_model_get_n_items (model);

  if (G_IS_LIST_STORE (model))
    return g_list_store_find (G_LIST_STORE (model), job, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlyJob) item = g_list_model_get_item (model, i);

      if (item == job)
        return TRUE;
    }
  return FALSE;
}

static void
forget_removed (DlyTakeList *self)
{
  GHashTableIter iter;
  gpointer job;

  /* A removed take is not offered for comparison any more. */
  for (guint i = 0; i < G_N_ELEMENTS (self->played); i++)
    if (self->played[i] != NULL && !model_contains (self->jobs, self->played[i]))
      g_clear_object (&self->played[i]);
  if (self->played[0] == NULL)
    {
      self->played[0] = self->played[1];
      self->played[1] = NULL;
    }

  /* Unfinished takes removed from the list are followed no more. */
  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, &job, NULL))
    if (!model_contains (self->jobs, job))
      g_hash_table_iter_remove (&iter);
}

static void
remember_played (DlyTakeList *self,
                 DlyJob      *job)
{
  if (self->played[0] == job)
    return;

  if (self->played[1] == job)
    {
      self->played[1] = self->played[0];
      self->played[0] = job;
      return;
    }

  g_clear_object (&self->played[1]);
  self->played[1] = self->played[0];
  self->played[0] = g_object_ref (job);
}

/* --- the model --- */

static void
ensure_empty_page (DlyTakeList *self)
{
  if (self->empty_page != NULL)
    return;
  self->empty_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->empty_page, APP_ID "-symbolic");
  adw_status_page_set_title (self->empty_page, _("No Takes Yet"));
  adw_status_page_set_description (self->empty_page, _("Write a prompt and press Generate: "
                                                       "your takes will show up here"));
  gtk_widget_add_css_class (GTK_WIDGET (self->empty_page), "compact");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->empty_page), "empty");
}

/* While the history loads the list shows nothing rather than claim there are no takes. */
static void
update_page (DlyTakeList *self)
{
  gboolean empty = self->jobs == NULL || g_list_model_get_n_items (self->jobs) == 0;

  if (empty && self->loading)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else if (empty)
    {
      ensure_empty_page (self);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
on_jobs_items_changed_cb (GListModel  *jobs,
                          guint        position,
                          guint        removed,
                          guint        added,
                          DlyTakeList *self)
{
  if (removed > 0)
    forget_removed (self);
  watch_unfinished (self, position, added);
  invalidate_recent (self);
  update_page (self);
}

/* --- selection and activation --- */

static void
activate_take (DlyTakeList *self,
               DlyJob      *job)
{
  remember_played (self, job);
  g_signal_emit (self, signals[TAKE_ACTIVATED], 0, job);
}

static void
on_selected_state_changed_cb (DlyJob      *job,
                              GParamSpec  *pspec,
                              DlyTakeList *self)
{
  /* The take the user is looking at has just come in: show it. */
  if (is_playable (job))
    activate_take (self, job);
}

static void
set_selected (DlyTakeList *self,
              DlyJob      *job)
{
  if (self->selected == job)
    return;

  if (self->selected != NULL)
    g_clear_signal_handler (&self->selected_state_id, self->selected);
  g_set_object (&self->selected, job);
  if (job != NULL && !dly_job_is_finished (job))
    self->selected_state_id = g_signal_connect (job, "notify::state",
                                                G_CALLBACK (on_selected_state_changed_cb), self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_JOB]);

  if (is_playable (job))
    activate_take (self, job);
}

static void
on_selection_selected_item_changed_cb (GtkSingleSelection *selection,
                                       GParamSpec         *pspec,
                                       DlyTakeList        *self)
{
  set_selected (self, gtk_single_selection_get_selected_item (selection));
}

static void
on_list_view_activate_cb (GtkListView *list_view,
                          guint        position,
                          DlyTakeList *self)
{
  g_autoptr(DlyJob) job = NULL;

  if (self->jobs == NULL || position >= g_list_model_get_n_items (self->jobs))
    return;

  job = g_list_model_get_item (self->jobs, position);
  if (is_playable (job))
    activate_take (self, job);
}

/* --- which rows are on screen --- */

/* GtkListView keeps rows well beyond the view (up to 200 in GTK 4.8) and binds them all;
 * only those on screen should cost a decode. Where a row is on screen is known only once the
 * frame's layout is done, so the rows are told after it is painted. */
static void
update_on_screen (DlyTakeList *self)
{
  GtkWidget *view = GTK_WIDGET (self->list_view);
  int height = gtk_widget_get_height (view);
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    {
      graphene_rect_t bounds;
      gboolean on_screen = gtk_widget_get_mapped (row)
                           && gtk_widget_compute_bounds (row, view, &bounds)
                           && bounds.size.height > 0
                           && bounds.origin.y + bounds.size.height > -ON_SCREEN_MARGIN
                           && bounds.origin.y < height + ON_SCREEN_MARGIN;

      dly_take_row_set_on_screen (row, on_screen);
    }
}

static void
on_frame_clock_after_paint_cb (GdkFrameClock *frame_clock,
                               DlyTakeList   *self)
{
  if (!self->on_screen_pending)
    return;

  self->on_screen_pending = FALSE;
  update_on_screen (self);
}

static void
schedule_on_screen (DlyTakeList *self)
{
  self->on_screen_pending = TRUE;
  if (self->frame_clock != NULL)
    gdk_frame_clock_request_phase (self->frame_clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

static void
on_scrolled (DlyTakeList *self)
{
  schedule_on_screen (self);
}

/* --- rows --- */

static void
on_row_cancel_requested_cb (DlyTakeRow  *row,
                            DlyTakeList *self)
{
  g_signal_emit (self, signals[CANCEL_REQUESTED], 0, dly_take_row_get_job (row));
}

static void
on_row_retry_requested_cb (DlyTakeRow  *row,
                           DlyTakeList *self)
{
  g_signal_emit (self, signals[RETRY_REQUESTED], 0, dly_take_row_get_job (row));
}

static void
on_row_remove_requested_cb (DlyTakeRow  *row,
                            DlyTakeList *self)
{
  g_signal_emit (self, signals[REMOVE_REQUESTED], 0, dly_take_row_get_job (row));
}

static void
on_row_use_as_template_cb (DlyTakeRow  *row,
                           DlyTakeList *self)
{
  g_signal_emit (self, signals[USE_AS_TEMPLATE], 0, dly_take_row_get_job (row));
}

static void
on_row_compare_requested_cb (DlyTakeRow  *row,
                             DlyJob      *other,
                             DlyTakeList *self)
{
  g_signal_emit (self, signals[COMPARE_REQUESTED], 0, dly_take_row_get_job (row), other);
}

/* GtkListView 4.8 does not tear down every row it drops, so the list lets go of a row when
 * it is finalized, whatever the factory was told. */
static void
on_row_finalized (gpointer  user_data,
                  GObject  *row)
{
  DlyTakeList *self = user_data;

  g_hash_table_remove (self->rows, row);
}

static void
forget_row (DlyTakeList *self,
            GtkWidget   *row)
{
  if (g_hash_table_remove (self->rows, row))
    g_object_weak_unref (G_OBJECT (row), on_row_finalized, self);
}

static void
on_factory_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     DlyTakeList              *self)
{
  GtkWidget *row = dly_take_row_new ();

  g_signal_connect_object (row, "cancel-requested",
                           G_CALLBACK (on_row_cancel_requested_cb), self, 0);
  g_signal_connect_object (row, "retry-requested",
                           G_CALLBACK (on_row_retry_requested_cb), self, 0);
  g_signal_connect_object (row, "remove-requested",
                           G_CALLBACK (on_row_remove_requested_cb), self, 0);
  g_signal_connect_object (row, "use-as-template",
                           G_CALLBACK (on_row_use_as_template_cb), self, 0);
  g_signal_connect_object (row, "compare-requested",
                           G_CALLBACK (on_row_compare_requested_cb), self, 0);

  gtk_list_item_set_child (item, row);
  g_hash_table_add (self->rows, row);
  g_object_weak_ref (G_OBJECT (row), on_row_finalized, self);
  dly_take_row_set_on_screen (DLY_TAKE_ROW (row), FALSE);
}

static void
on_factory_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    DlyTakeList              *self)
{
  DlyTakeRow *row = DLY_TAKE_ROW (gtk_list_item_get_child (item));

  /* Wherever the recycled row was, it is somewhere else now: it waits to be told. */
  dly_take_row_set_on_screen (row, FALSE);
  dly_take_row_set_job (row, gtk_list_item_get_item (item));
  schedule_on_screen (self);
}

static void
on_factory_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      DlyTakeList              *self)
{
  dly_take_row_set_job (DLY_TAKE_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
on_factory_teardown_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item,
                        DlyTakeList              *self)
{
  forget_row (self, gtk_list_item_get_child (item));
}

/* --- keys --- */

static DlyTakeRow *
find_row_for_job (DlyTakeList *self,
                  DlyJob      *job)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    if (job != NULL && dly_take_row_get_job (row) == job)
      return row;

  return NULL;
}

static DlyTakeRow *
find_focused_row (DlyTakeList *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view)))
    return NULL;

  /* The list item widget has the focus, and the row is its child; or a button in the row. */
  row = gtk_widget_get_ancestor (focus, DLY_TYPE_TAKE_ROW);
  if (row == NULL)
    row = gtk_widget_get_first_child (focus);

  return row != NULL && DLY_IS_TAKE_ROW (row) ? DLY_TAKE_ROW (row) : NULL;
}

static gboolean
popup_menu_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  DlyTakeList *self = DLY_TAKE_LIST (widget);
  DlyTakeRow *row = find_focused_row (self);

  if (row == NULL)
    row = find_row_for_job (self, self->selected);
  if (row == NULL)
    return FALSE;

  dly_take_row_popup_menu (row, -1, -1);
  return TRUE;
}

static gboolean
remove_selected_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  DlyTakeList *self = DLY_TAKE_LIST (widget);

  if (self->selected == NULL)
    return FALSE;

  g_signal_emit (self, signals[REMOVE_REQUESTED], 0, self->selected);
  return TRUE;
}

static gboolean
copy_prompt_cb (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  DlyTakeList *self = DLY_TAKE_LIST (widget);
  const char *prompt;

  if (self->selected == NULL)
    return FALSE;

  prompt = dly_request_get_prompt (dly_job_get_request (self->selected));
  if (prompt == NULL || prompt[0] == '\0')
    return FALSE;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), prompt);
  dly_toast_show (GTK_WIDGET (self), _("Prompt copied"));
  return TRUE;
}

/* --- GObject and GtkWidget --- */

static void
dly_take_list_realize (GtkWidget *widget)
{
  DlyTakeList *self = DLY_TAKE_LIST (widget);

  GTK_WIDGET_CLASS (dly_take_list_parent_class)->realize (widget);

  self->frame_clock = gtk_widget_get_frame_clock (widget);
  self->after_paint_id = g_signal_connect (self->frame_clock, "after-paint",
                                           G_CALLBACK (on_frame_clock_after_paint_cb), self);
  schedule_on_screen (self);
}

static void
dly_take_list_unrealize (GtkWidget *widget)
{
  DlyTakeList *self = DLY_TAKE_LIST (widget);

  g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  self->frame_clock = NULL;

  GTK_WIDGET_CLASS (dly_take_list_parent_class)->unrealize (widget);
}

static void
dly_take_list_dispose (GObject *object)
{
  DlyTakeList *self = DLY_TAKE_LIST (object);

  g_clear_handle_id (&self->refresh_rows_id, g_source_remove);
  if (self->jobs != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->jobs);
  if (self->selected != NULL)
    g_clear_signal_handler (&self->selected_state_id, self->selected);
  g_hash_table_remove_all (self->watched);
  while (g_hash_table_size (self->rows) > 0)
    {
      GHashTableIter iter;
      gpointer row;

      g_hash_table_iter_init (&iter, self->rows);
      g_hash_table_iter_next (&iter, &row, NULL);
      forget_row (self, row);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), DLY_TYPE_TAKE_LIST);

  g_clear_object (&self->jobs);
  g_clear_object (&self->selected);
  g_clear_object (&self->played[0]);
  g_clear_object (&self->played[1]);
  g_clear_pointer (&self->recent, g_ptr_array_unref);

  G_OBJECT_CLASS (dly_take_list_parent_class)->dispose (object);
}

static void
dly_take_list_finalize (GObject *object)
{
  DlyTakeList *self = DLY_TAKE_LIST (object);

  g_hash_table_unref (self->watched);
  g_hash_table_unref (self->rows);

  G_OBJECT_CLASS (dly_take_list_parent_class)->finalize (object);
}

static void
dly_take_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DlyTakeList *self = DLY_TAKE_LIST (object);

  switch (prop_id)
    {
    case PROP_JOBS:
      g_value_set_object (value, self->jobs);
      break;

    case PROP_SELECTED_JOB:
      g_value_set_object (value, self->selected);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_take_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DlyTakeList *self = DLY_TAKE_LIST (object);

  switch (prop_id)
    {
    case PROP_JOBS:
      dly_take_list_set_jobs (self, g_value_get_object (value));
      break;

    case PROP_SELECTED_JOB:
      dly_take_list_select_job (self, g_value_get_object (value));
      break;

    case PROP_LOADING:
      dly_take_list_set_loading (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_take_list_class_init (DlyTakeListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dly_take_list_dispose;
  object_class->finalize = dly_take_list_finalize;
  object_class->get_property = dly_take_list_get_property;
  object_class->set_property = dly_take_list_set_property;

  widget_class->realize = dly_take_list_realize;
  widget_class->unrealize = dly_take_list_unrealize;

  /**
   * DlyTakeList:jobs:
   * The takes (a GListModel of DlyJob, newest first): the engine's job list.
   */
  properties[PROP_JOBS] = g_param_spec_object ("jobs", NULL, NULL, G_TYPE_LIST_MODEL, rw);

  /**
   * DlyTakeList:selected-job:
   * The selected take, or NULL.
   */
  properties[PROP_SELECTED_JOB] =
    g_param_spec_object ("selected-job", NULL, NULL, DLY_TYPE_JOB, rw);

  /**
   * DlyTakeList:loading:
   * Whether the takes are still being read: an empty list then shows nothing yet.
   */
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlyTakeList::take-activated:
   * @job: a succeeded take
   *
   * The user selected or activated a take that can be played, or the selected take just
   * came in: the window plays it.
   */
  signals[TAKE_ACTIVATED] =
    g_signal_new ("take-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DLY_TYPE_JOB);

  /**
   * DlyTakeList::cancel-requested:
   * @job: an unfinished take
   */
  signals[CANCEL_REQUESTED] =
    g_signal_new ("cancel-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DLY_TYPE_JOB);

  /**
   * DlyTakeList::retry-requested:
   * @job: a failed, cancelled or unknown take
   *
   * A new submission may cost money: the window asks first.
   */
  signals[RETRY_REQUESTED] =
    g_signal_new ("retry-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DLY_TYPE_JOB);

  /**
   * DlyTakeList::remove-requested:
   * @job: the take to forget (its file stays)
   */
  signals[REMOVE_REQUESTED] =
    g_signal_new ("remove-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DLY_TYPE_JOB);

  /**
   * DlyTakeList::use-as-template:
   * @job: the take whose prompt, inputs and parameters go into the composer
   */
  signals[USE_AS_TEMPLATE] =
    g_signal_new ("use-as-template", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DLY_TYPE_JOB);

  /**
   * DlyTakeList::compare-requested:
   * @job: the take whose menu was used
   * @other: the take to compare it with
   */
  signals[COMPARE_REQUESTED] =
    g_signal_new ("compare-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, DLY_TYPE_JOB, DLY_TYPE_JOB);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, popup_menu_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, popup_menu_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Delete, 0, remove_selected_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Delete, 0, remove_selected_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, copy_prompt_cb, NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-take-list.ui");
  gtk_widget_class_bind_template_child (widget_class, DlyTakeList, stack);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeList, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeList, list_view);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeList, selection);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_selected_item_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_teardown_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dly-take-list");

  g_type_ensure (DLY_TYPE_TAKE_ROW);
}

static void
dly_take_list_init (DlyTakeList *self)
{
  GtkAdjustment *vadjustment;

  self->watched = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) watch_free);
  self->rows = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  update_page (self);

  vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (vadjustment, "value-changed", G_CALLBACK (on_scrolled), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (vadjustment, "changed", G_CALLBACK (on_scrolled), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
dly_take_list_new (void)
{
  return g_object_new (DLY_TYPE_TAKE_LIST, NULL);
}

void
dly_take_list_set_jobs (DlyTakeList *self,
                        GListModel  *jobs)
{
  g_return_if_fail (DLY_IS_TAKE_LIST (self));
  g_return_if_fail (jobs == NULL || G_IS_LIST_MODEL (jobs));

  if (self->jobs == jobs)
    return;

  if (self->jobs != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->jobs);
  g_hash_table_remove_all (self->watched);
  g_clear_object (&self->played[0]);
  g_clear_object (&self->played[1]);

  g_set_object (&self->jobs, jobs);
  gtk_single_selection_set_model (self->selection, jobs);

  if (jobs != NULL)
    {
      self->items_changed_id = g_signal_connect (jobs, "items-changed",
                                                 G_CALLBACK (on_jobs_items_changed_cb), self);
      watch_unfinished (self, 0, g_list_model_get_n_items (jobs));
    }

  invalidate_recent (self);
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOBS]);
}

void
dly_take_list_set_loading (DlyTakeList *self,
                           gboolean     loading)
{
  g_return_if_fail (DLY_IS_TAKE_LIST (self));

  loading = !!loading;
  if (self->loading == loading)
    return;

  self->loading = loading;
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

gboolean
dly_take_list_get_loading (DlyTakeList *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_LIST (self), FALSE);
  return self->loading;
}

GListModel *
dly_take_list_get_jobs (DlyTakeList *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_LIST (self), NULL);
  return self->jobs;
}

DlyJob *
dly_take_list_get_selected (DlyTakeList *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_LIST (self), NULL);
  return self->selected;
}

void
dly_take_list_select_job (DlyTakeList *self,
                          DlyJob      *job)
{
  guint position = GTK_INVALID_LIST_POSITION;

  g_return_if_fail (DLY_IS_TAKE_LIST (self));
  g_return_if_fail (job == NULL || DLY_IS_JOB (job));

  if (job != NULL && self->jobs != NULL)
    {
      if (G_IS_LIST_STORE (self->jobs))
        g_list_store_find (G_LIST_STORE (self->jobs), job, &position);
      else
        {
          guint n = g_list_model_get_n_items (self->jobs);

          for (guint i = 0; i < n && position == GTK_INVALID_LIST_POSITION; i++)
            {
              g_autoptr(DlyJob) item = g_list_model_get_item (self->jobs, i);

              if (item == job)
                position = i;
            }
        }

      if (position == GTK_INVALID_LIST_POSITION)
        {
          g_warning ("Take %s is not in the list", dly_job_get_id (job));
          return;
        }
    }

  gtk_single_selection_set_selected (self->selection, position);
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                                position);
}

DlyJob *
dly_take_list_get_last_played (DlyTakeList *self,
                               DlyJob      *job)
{
  g_return_val_if_fail (DLY_IS_TAKE_LIST (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (self->played); i++)
    if (self->played[i] != NULL && self->played[i] != job && is_playable (self->played[i]))
      return self->played[i];

  return NULL;
}

GPtrArray *
dly_take_list_dup_compare_candidates (DlyTakeList *self,
                                      DlyJob      *job,
                                      guint        max)
{
  GPtrArray *candidates = g_ptr_array_new_with_free_func (g_object_unref);
  DlyJob *last_played;

  g_return_val_if_fail (DLY_IS_TAKE_LIST (self), candidates);

  if (max == 0 || self->jobs == NULL)
    return candidates;

  last_played = dly_take_list_get_last_played (self, job);
  if (last_played != NULL)
    g_ptr_array_add (candidates, g_object_ref (last_played));

  if (max <= RECENT_SUCCEEDED - 2)
    {
      /* The usual case, a menu: the cached newest takes are plenty. */
      GPtrArray *recent = ensure_recent (self);

      for (guint i = 0; i < recent->len && candidates->len < max; i++)
        {
          DlyJob *other = g_ptr_array_index (recent, i);

          if (other != job && other != last_played)
            g_ptr_array_add (candidates, g_object_ref (other));
        }
    }
  else
    {
      guint n = g_list_model_get_n_items (self->jobs);

      for (guint i = 0; i < n && candidates->len < max; i++)
        {
          g_autoptr(DlyJob) other = g_list_model_get_item (self->jobs, i);

          if (other != job && other != last_played && is_playable (other))
            g_ptr_array_add (candidates, g_steal_pointer (&other));
        }
    }

  return candidates;
}

GtkListView *
dly_take_list_get_list_view (DlyTakeList *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_LIST (self), NULL);
  return self->list_view;
}

guint
dly_take_list_get_n_rows (DlyTakeList *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_LIST (self), 0);
  return g_hash_table_size (self->rows);
}
