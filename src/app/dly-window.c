/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dly-application.h"
#include "dly-backends-window.h"
#include "dly-compare-view.h"
#include "dly-composer.h"
#include "dly-lazy-menu.h"
#include "dly-pane.h"
#include "dly-setup-page.h"
#include "dly-take-diff.h"
#include "dly-take-list.h"
#include "dly-take-status.h"
#include "dly-toast.h"
#include "dly-video-view.h"
#include "dly-window.h"

/* Narrowest size the window supports; also the smallest size worth restoring. */
#define MIN_WIDTH  360
#define MIN_HEIGHT 294

/* A backend that keeps failing is mentioned once in this long, not once per job and try. */
#define RETRY_TOAST_INTERVAL_US (30 * G_USEC_PER_SEC)

struct _DlyWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;       /* owned */
  DlyTakeController    *controller;     /* owned */
  GCancellable         *cancellable;    /* cancelled when the window goes */

  /* The engine's jobs less those whose removal can still be undone. */
  GtkFilterListModel   *visible_jobs;   /* owned */
  GtkCustomFilter      *removal_filter; /* owned */
  GHashTable           *pending_removals;   /* job id → DlyJob */
  AdwToast             *removal_toast;  /* (nullable) weak: the toast offering Undo */
  GHashTable           *retry_toasts;   /* base URL → last toast time (gint64*) */

  DlyJob               *shown_job;      /* (nullable) owned: the take in the preview */
  DlyJob               *compared_job;   /* (nullable) owned: the second take when comparing */
  char                 *pending_show_id;    /* a take to show once the ledger is in */
  GtkWidget            *backends_window;    /* (nullable) weak */
  gboolean              drawn;              /* the first frame is on screen */
  gulong                first_paint_id;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkMenuButton        *primary_menu_button;
  GMenuModel           *primary_menu;
  AdwLeaflet           *leaflet;
  DlyPane              *composer_pane;
  DlyPane              *takes_pane;
  DlyPane              *preview_pane;
  AdwLeafletPage       *takes_page;
  AdwLeafletPage       *takes_separator_page;
  GtkStack             *composer_stack;
  GtkSpinner           *loading_spinner;
  DlyComposer          *composer;
  DlyTakeList          *take_list;
  AdwWindowTitle       *takes_title;
  GtkButton            *show_preview_button;
  AdwWindowTitle       *preview_title;
  GtkToggleButton      *takes_toggle_button;
  GtkToggleButton      *stop_compare_button;
  GtkStack             *preview_stack;

  /* Pages made when first shown, owned by their stacks */
  DlySetupPage         *welcome;
  DlySetupPage         *setup_page;
  AdwStatusPage        *preview_empty_page;
  DlyTakeStatus        *take_status;
  DlyVideoView         *video_view;
  DlyCompareView       *compare_view;
};

G_DEFINE_FINAL_TYPE (DlyWindow, dly_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTROLLER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void dly_window_show_job      (DlyWindow *self,
                                      DlyJob    *job);
static void dly_window_update_actions (DlyWindow *self);

/* Toasts */

void
dly_window_add_toast (DlyWindow  *self,
                      const char *message)
{
  g_return_if_fail (DLY_IS_WINDOW (self));

  dly_toast_show (GTK_WIDGET (self->toast_overlay), message);
}

static void
on_engine_job_retrying_cb (DlyEngine  *engine,
                           DlyJob     *job,
                           const char *message,
                           guint       delay_ms,
                           DlyWindow  *self)
{
  const char *base_url = dly_job_get_base_url (job);
  gint64 now = g_get_monotonic_time ();
  gint64 *last = g_hash_table_lookup (self->retry_toasts, base_url);
  g_autofree char *backend = NULL;
  g_autofree char *text = NULL;

  if (last != NULL && now - *last < RETRY_TOAST_INTERVAL_US)
    return;
  if (last == NULL)
    {
      last = g_new0 (gint64, 1);
      g_hash_table_insert (self->retry_toasts, g_strdup (base_url), last);
    }
  *last = now;

  backend = dly_take_controller_dup_backend_name (self->controller, job);
  /* Translators: a backend's name, then what went wrong; the take will be tried again */
  text = g_strdup_printf (_("%s: %s — trying again"), backend, message);
  dly_window_add_toast (self, text);
}

/* Folding and navigation */

static gboolean
dly_window_is_folded (DlyWindow *self)
{
  return adw_leaflet_get_folded (self->leaflet);
}

static void
navigate_to (DlyWindow  *self,
             const char *page)
{
  if (dly_window_is_folded (self))
    adw_leaflet_set_visible_child_name (self->leaflet, page);
}

static gboolean
takes_shown (DlyWindow *self)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self),
                                                               "toggle-takes");

  return state == NULL || g_variant_get_boolean (state);
}

/* The take list is hidden only side by side (F9); folded, it is one of the pages. */
static void
update_takes_visibility (DlyWindow *self)
{
  gboolean visible = takes_shown (self) || dly_window_is_folded (self);

  gtk_widget_set_visible (adw_leaflet_page_get_child (self->takes_page), visible);
  gtk_widget_set_visible (adw_leaflet_page_get_child (self->takes_separator_page), visible);
  gtk_widget_set_visible (GTK_WIDGET (self->takes_toggle_button), !dly_window_is_folded (self));
}

static void
update_show_preview_button (DlyWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->show_preview_button),
                          dly_window_is_folded (self) && self->shown_job != NULL);
}

static void
on_leaflet_folded_changed_cb (AdwLeaflet *leaflet,
                              GParamSpec *pspec,
                              DlyWindow  *self)
{
  gboolean folded = adw_leaflet_get_folded (leaflet);

  /* A grip to drag only where the panes stand side by side. */
  dly_pane_set_resizable (self->composer_pane, !folded);
  dly_pane_set_resizable (self->takes_pane, !folded);
  update_takes_visibility (self);
  update_show_preview_button (self);
}

static void
on_leaflet_visible_child_changed_cb (AdwLeaflet *leaflet,
                                     GParamSpec *pspec,
                                     DlyWindow  *self)
{
  const char *name = adw_leaflet_get_visible_child_name (leaflet);

  /* Leaving the preview of a folded window stops the take: it is no longer seen. */
  if (dly_window_is_folded (self) && g_strcmp0 (name, "preview") != 0)
    {
      if (self->video_view != NULL)
        dly_player_pause (dly_video_view_get_player (self->video_view));
      if (self->compare_view != NULL)
        dly_player_pause (dly_compare_view_get_player (self->compare_view));
    }
}

static void
on_show_takes_button_clicked_cb (GtkButton *button,
                                 DlyWindow *self)
{
  navigate_to (self, "takes");
}

static void
on_takes_back_button_clicked_cb (GtkButton *button,
                                 DlyWindow *self)
{
  navigate_to (self, "composer");
}

static void
on_show_preview_button_clicked_cb (GtkButton *button,
                                   DlyWindow *self)
{
  navigate_to (self, "preview");
}

static void
on_preview_back_button_clicked_cb (GtkButton *button,
                                   DlyWindow *self)
{
  navigate_to (self, "takes");
}

static void on_composer_generate_cb             (DlyComposer *composer,
                                                 DlyProfile  *profile,
                                                 GPtrArray   *requests,
                                                 DlyWindow   *self);
static void on_composer_manage_backends_cb      (DlyComposer *composer,
                                                 DlyWindow   *self);
static void on_composer_can_generate_changed_cb (DlyComposer *composer,
                                                 GParamSpec  *pspec,
                                                 DlyWindow   *self);

static DlyComposer *
ensure_composer (DlyWindow *self)
{
  DlyEngine *engine;

  if (self->composer != NULL)
    return self->composer;

  engine = dly_take_controller_get_engine (self->controller);
  self->composer = DLY_COMPOSER (dly_composer_new ());
  dly_composer_set_profile_store (self->composer,
                                  dly_take_controller_get_profile_store (self->controller));
  dly_composer_set_session (self->composer, dly_engine_get_session (engine));
  dly_composer_bind_settings (self->composer, self->settings);
  g_signal_connect_object (self->composer, "generate", G_CALLBACK (on_composer_generate_cb),
                           self, G_CONNECT_DEFAULT);
  g_signal_connect_object (self->composer, "manage-backends",
                           G_CALLBACK (on_composer_manage_backends_cb), self, G_CONNECT_DEFAULT);
  g_signal_connect_object (self->composer, "notify::can-generate",
                           G_CALLBACK (on_composer_can_generate_changed_cb), self,
                           G_CONNECT_DEFAULT);
  gtk_stack_add_named (self->composer_stack, GTK_WIDGET (self->composer), "composer");
  return self->composer;
}

/* First run and setup */

/* The first run's welcome covers the whole window, with a header bar of its own. */
static void
ensure_welcome_page (DlyWindow *self)
{
  GtkWidget *box, *header_bar, *menu_button;

  if (self->welcome != NULL)
    return;

  header_bar = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header_bar), adw_window_title_new ("", NULL));
  gtk_widget_add_css_class (header_bar, "flat");
  menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "open-menu-symbolic");
  gtk_menu_button_set_primary (GTK_MENU_BUTTON (menu_button), TRUE);
  gtk_widget_set_tooltip_text (menu_button, _("Main Menu"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Main Menu"), -1);
  dly_lazy_menu_attach (GTK_MENU_BUTTON (menu_button), self->primary_menu);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header_bar), menu_button);

  self->welcome = DLY_SETUP_PAGE (dly_setup_page_new (TRUE));
  gtk_widget_set_vexpand (GTK_WIDGET (self->welcome), TRUE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header_bar);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->welcome));
  gtk_stack_add_named (self->main_stack, box, "welcome");
}

static void
ensure_setup_page (DlyWindow *self)
{
  if (self->setup_page != NULL)
    return;
  self->setup_page = DLY_SETUP_PAGE (dly_setup_page_new (FALSE));
  gtk_stack_add_named (self->composer_stack, GTK_WIDGET (self->setup_page), "setup");
}

/* What the preview shows with no take selected; dly_window_update_setup() words it. */
static void
ensure_preview_empty_page (DlyWindow *self)
{
  if (self->preview_empty_page != NULL)
    return;
  self->preview_empty_page = ADW_STATUS_PAGE (adw_status_page_new ());
  gtk_stack_add_named (self->preview_stack, GTK_WIDGET (self->preview_empty_page), "empty");
}

static void
dly_window_update_setup (DlyWindow *self)
{
  DlyProfileStore *store = dly_take_controller_get_profile_store (self->controller);
  GListModel *jobs = dly_engine_get_jobs (dly_take_controller_get_engine (self->controller));
  gboolean loaded = dly_take_controller_get_loaded (self->controller);
  gboolean has_profiles = g_list_model_get_n_items (G_LIST_MODEL (store)) > 0;
  gboolean has_takes = g_list_model_get_n_items (jobs) > 0;

  gtk_spinner_set_spinning (self->loading_spinner, !loaded);
  dly_take_list_set_loading (self->take_list, !loaded);
  if (!loaded)
    {
      /* Until the history and the backends are read, nothing is claimed to be empty: the
       * first frame has the window's frame and a spinner, and is the lighter for it. */
      gtk_stack_set_visible_child_name (self->main_stack, "main");
      gtk_stack_set_visible_child_name (self->composer_stack, "loading");
      gtk_stack_set_visible_child_name (self->preview_stack, "loading");
      return;
    }
  ensure_preview_empty_page (self);
  if (g_str_equal (gtk_stack_get_visible_child_name (self->preview_stack), "loading"))
    gtk_stack_set_visible_child_full (self->preview_stack, "empty",
                                      GTK_STACK_TRANSITION_TYPE_NONE);

  /* The composer is the heaviest part of the window: the first frame goes out without it,
   * and it follows in the next. */
  if (has_profiles && self->composer == NULL && !self->drawn)
    gtk_stack_set_visible_child_name (self->composer_stack, "loading");
  else if (has_profiles)
    {
      ensure_composer (self);
      gtk_stack_set_visible_child_name (self->composer_stack, "composer");
    }
  else
    {
      ensure_setup_page (self);
      /* Back after a demo: its takes are here, its simulator is not, and starting it again
       * is the likelier wish. */
      dly_setup_page_set_demo_again (self->setup_page,
                                     dly_take_controller_has_demo_takes (self->controller));
      gtk_stack_set_visible_child_name (self->composer_stack, "setup");
    }
  dly_window_update_actions (self);

  /* Before the first take, the list says what to do; the preview only says what it is for,
   * rather than a second big empty state beside the first. */
  if (has_takes)
    {
      adw_status_page_set_icon_name (self->preview_empty_page, "video-x-generic-symbolic");
      adw_status_page_set_title (self->preview_empty_page, _("No Take Selected"));
      adw_status_page_set_description (self->preview_empty_page,
                                       _("Finished takes play here. Select one in the list, or "
                                         "compare two from a take’s menu."));
    }
  else
    {
      adw_status_page_set_icon_name (self->preview_empty_page, NULL);
      adw_status_page_set_title (self->preview_empty_page, NULL);
      adw_status_page_set_description (self->preview_empty_page, _("Your takes play here."));
    }

  /* Nothing at all to show yet: one welcome rather than three empty panes. */
  if (!has_profiles && !has_takes)
    ensure_welcome_page (self);
  gtk_stack_set_visible_child_name (self->main_stack,
                                    !has_profiles && !has_takes ? "welcome" : "main");
}

static void
on_controller_loaded_cb (DlyTakeController *controller,
                         GParamSpec        *pspec,
                         DlyWindow         *self)
{
  dly_window_update_setup (self);
  gtk_stack_set_transition_type (self->main_stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_set_transition_type (self->composer_stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);

  if (self->pending_show_id != NULL)
    {
      g_autofree char *id = g_steal_pointer (&self->pending_show_id);

      dly_window_show_take (self, id);
    }
}

static void
on_store_items_changed_cb (GListModel *store,
                           guint       position,
                           guint       removed,
                           guint       added,
                           DlyWindow  *self)
{
  dly_window_update_setup (self);
}

static void
on_jobs_items_changed_cb (GListModel *jobs,
                          guint       position,
                          guint       removed,
                          guint       added,
                          DlyWindow  *self)
{
  gboolean welcome = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack),
                                "welcome") == 0;

  /* Only the first take (or the last removal) changes what the window shows. */
  if (welcome != (g_list_model_get_n_items (jobs) == 0)
      || (self->preview_empty_page != NULL
          && (adw_status_page_get_icon_name (self->preview_empty_page) == NULL)
             != (g_list_model_get_n_items (jobs) == 0)))
    dly_window_update_setup (self);
}

static void
dly_window_present_backends (DlyWindow *self,
                             gboolean   add_profile)
{
  if (self->backends_window == NULL)
    {
      DlyEngine *engine = dly_take_controller_get_engine (self->controller);
      GtkWidget *window =
        dly_backends_window_new (GTK_WINDOW (self),
                                 dly_take_controller_get_profile_store (self->controller),
                                 dly_engine_get_session (engine));

      g_set_weak_pointer (&self->backends_window, window);
    }
  gtk_window_present (GTK_WINDOW (self->backends_window));
  if (add_profile)
    dly_backends_window_add_profile (DLY_BACKENDS_WINDOW (self->backends_window));
}

static void
manage_backends_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  dly_window_present_backends (DLY_WINDOW (user_data), FALSE);
}

static void
add_backend_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  dly_window_present_backends (DLY_WINDOW (user_data), TRUE);
}

static void
try_demo_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  DlyWindow *self = DLY_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  DlyProfile *profile;

  profile = dly_take_controller_start_demo (self->controller, &error);
  if (profile == NULL)
    {
      dly_window_add_toast (self, error->message);
      return;
    }
  dly_window_update_setup (self);
  dly_composer_select_profile (ensure_composer (self), dly_profile_get_name (profile));
  navigate_to (self, "composer");
}

/* Generating */

static void
on_takes_submitted_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(DlyWindow) self = user_data;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  jobs = dly_take_controller_submit_finish (DLY_TAKE_CONTROLLER (source), result, &error);
  if (jobs == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        dly_window_add_toast (self, error->message);
      return;
    }

  /* Folded, the takes coming in are the next thing to see. */
  navigate_to (self, "takes");
  if (self->shown_job == NULL && jobs->len > 0)
    dly_take_list_select_job (self->take_list, g_ptr_array_index (jobs, 0));
}

static void
on_composer_generate_cb (DlyComposer *composer,
                         DlyProfile  *profile,
                         GPtrArray   *requests,
                         DlyWindow   *self)
{
  dly_take_controller_submit_async (self->controller, profile, requests, self->cancellable,
                                    on_takes_submitted_cb, g_object_ref (self));
}

static void
on_composer_manage_backends_cb (DlyComposer *composer,
                                DlyWindow   *self)
{
  dly_window_present_backends (self, FALSE);
}

static void
on_composer_can_generate_changed_cb (DlyComposer *composer,
                                     GParamSpec  *pspec,
                                     DlyWindow   *self)
{
  dly_window_update_actions (self);
}

static void
generate_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  DlyWindow *self = DLY_WINDOW (user_data);

  if (self->composer != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->composer), "composer.generate", NULL);
}

static void
focus_prompt_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  DlyWindow *self = DLY_WINDOW (user_data);

  navigate_to (self, "composer");
  gtk_widget_grab_focus (GTK_WIDGET (dly_composer_get_prompt_view (ensure_composer (self))));
}

static void
toggle_takes_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  DlyWindow *self = DLY_WINDOW (user_data);
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));

  /* Folded, F9 goes to the list and back, as the button in the header does. */
  if (dly_window_is_folded (self))
    {
      const char *name = adw_leaflet_get_visible_child_name (self->leaflet);

      navigate_to (self, g_strcmp0 (name, "takes") == 0
                           ? (self->shown_job != NULL ? "preview" : "composer")
                           : "takes");
      return;
    }
  g_simple_action_set_state (action, g_variant_new_boolean (!g_variant_get_boolean (state)));
  update_takes_visibility (self);
}

/* The preview */

static char *
dup_location_uri (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return g_file_get_uri (file);
}

static void
stop_players (DlyWindow *self,
              gboolean   video,
              gboolean   compare)
{
  if (video && self->video_view != NULL)
    dly_player_close (dly_video_view_get_player (self->video_view));
  if (compare && self->compare_view != NULL)
    dly_player_close (dly_compare_view_get_player (self->compare_view));
}

static void
update_preview_title (DlyWindow *self)
{
  g_autofree char *backend = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  const char *prompt;

  if (self->shown_job == NULL)
    {
      adw_window_title_set_title (self->preview_title, _("Preview"));
      adw_window_title_set_subtitle (self->preview_title, NULL);
      return;
    }

  if (self->compared_job != NULL)
    {
      adw_window_title_set_title (self->preview_title, _("Compare Takes"));
      adw_window_title_set_subtitle (self->preview_title, NULL);
      return;
    }

  prompt = dly_request_get_prompt (dly_job_get_request (self->shown_job));
  if (prompt != NULL && *prompt != '\0')
    {
      /* The first line only: a window title is one line, and ellipsizes the rest itself. */
      title = g_strndup (prompt, strcspn (prompt, "\n"));
    }
  else
    title = g_strdup (_("Untitled Take"));
  backend = dly_take_controller_dup_backend_name (self->controller, self->shown_job);
  if (dly_demo_is_demo_job (self->shown_job))
    /* Translators: the demo backend's name; its clips are drawn, not made by a model */
    subtitle = g_strdup_printf (_("%s · synthetic clip"), backend);
  else
    subtitle = g_steal_pointer (&backend);
  adw_window_title_set_title (self->preview_title, title);
  adw_window_title_set_subtitle (self->preview_title, subtitle);
}

/* The preview of a take that cannot play, made when first needed. */
static void
show_take_status (DlyWindow *self,
                  DlyJob    *job)
{
  if (self->take_status == NULL)
    {
      self->take_status = DLY_TAKE_STATUS (dly_take_status_new ());
      gtk_stack_add_named (self->preview_stack, GTK_WIDGET (self->take_status), "status");
    }
  dly_take_status_set_job (self->take_status, job);
  gtk_stack_set_visible_child_name (self->preview_stack, "status");
}

static gboolean
output_exists (DlyJob *job)
{
  const char *path = dly_job_get_output_path (job);

  /* A stat of one file: what the preview shows has to be decided now. */
  return path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* The shown take's state: its message and progress are the status page's own to follow. */
static void
on_shown_job_state_changed_cb (DlyJob     *job,
                               GParamSpec *pspec,
                               DlyWindow  *self)
{
  if (job != self->shown_job || self->compared_job != NULL)
    return;
  /* Done while watched: it plays at once. */
  if (dly_job_get_state (job) == DLY_JOB_STATE_SUCCEEDED)
    dly_window_show_job (self, job);
  update_preview_title (self);
  dly_window_update_actions (self);
}

static void
set_shown_jobs (DlyWindow *self,
                DlyJob    *job,
                DlyJob    *other)
{
  if (self->shown_job != job)
    {
      if (self->shown_job != NULL)
        g_signal_handlers_disconnect_by_func (self->shown_job, on_shown_job_state_changed_cb,
                                              self);
      g_set_object (&self->shown_job, job);
      if (job != NULL)
        {
          g_signal_connect_object (job, "notify::state",
                                   G_CALLBACK (on_shown_job_state_changed_cb), self,
                                   G_CONNECT_DEFAULT);
        }
    }
  g_set_object (&self->compared_job, other);
  update_show_preview_button (self);
}

static void on_video_view_use_frame_cb (DlyVideoView *view,
                                        GdkTexture   *texture,
                                        gint64        position,
                                        DlyWindow    *self);

static DlyVideoView *
ensure_video_view (DlyWindow *self)
{
  if (self->video_view == NULL)
    {
      self->video_view = DLY_VIDEO_VIEW (dly_video_view_new ());
      g_signal_connect_object (self->video_view, "use-frame",
                               G_CALLBACK (on_video_view_use_frame_cb), self, G_CONNECT_DEFAULT);
      gtk_stack_add_named (self->preview_stack, GTK_WIDGET (self->video_view), "video");
    }
  return self->video_view;
}

static DlyCompareView *
ensure_compare_view (DlyWindow *self)
{
  if (self->compare_view == NULL)
    {
      GtkEventController *shortcuts = gtk_shortcut_controller_new ();

      self->compare_view = DLY_COMPARE_VIEW (dly_compare_view_new ());
      /* "Use frame" also comes from the compare view's controls. */
      g_signal_connect_object (dly_compare_view_get_video_view (self->compare_view), "use-frame",
                               G_CALLBACK (on_video_view_use_frame_cb), self, G_CONNECT_DEFAULT);
      /* Escape leaves the comparison, from wherever the focus is in the preview. */
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                            gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                              gtk_named_action_new ("win.stop-compare")));
      gtk_widget_add_controller (GTK_WIDGET (self->compare_view), shortcuts);
      gtk_stack_add_named (self->preview_stack, GTK_WIDGET (self->compare_view), "compare");
    }
  return self->compare_view;
}

/* Shows @job in the preview: playing if it is done, its state and message if not. */
static void
dly_window_show_job (DlyWindow *self,
                     DlyJob    *job)
{
  set_shown_jobs (self, job, NULL);
  update_preview_title (self);
  dly_window_update_actions (self);

  if (job == NULL)
    {
      stop_players (self, TRUE, TRUE);
      ensure_preview_empty_page (self);
      gtk_stack_set_visible_child_name (self->preview_stack, "empty");
      return;
    }

  if (dly_job_get_state (job) == DLY_JOB_STATE_SUCCEEDED && output_exists (job))
    {
      DlyVideoView *view = ensure_video_view (self);
      DlyPlayer *player = dly_video_view_get_player (view);
      g_autofree char *uri = dup_location_uri (dly_job_get_output_path (job));

      stop_players (self, FALSE, TRUE);
      /* Activating the take that is already open plays it on; it does not start over. */
      if (g_strcmp0 (dly_player_get_uri (player, DLY_PLAYER_SIDE_A), uri) != 0
          || dly_player_get_state (player) == DLY_PLAYER_STATE_ERROR)
        dly_video_view_open (view, uri);
      dly_player_play (player);
      gtk_stack_set_visible_child_name (self->preview_stack, "video");
      return;
    }

  stop_players (self, TRUE, TRUE);
  show_take_status (self, job);
}

static void
dly_window_show_compare (DlyWindow *self,
                         DlyJob    *job,
                         DlyJob    *other)
{
  g_autofree char *uri_a = NULL;
  g_autofree char *uri_b = NULL;
  g_autofree char *backend_a = NULL;
  g_autofree char *backend_b = NULL;
  g_autofree char *label_a = NULL;
  g_autofree char *label_b = NULL;

  if (!output_exists (job) || !output_exists (other))
    {
      dly_window_add_toast (self, _("Only finished takes whose videos are still there can be "
                                    "compared"));
      return;
    }

  set_shown_jobs (self, job, other);
  update_preview_title (self);
  dly_window_update_actions (self);

  backend_a = dly_take_controller_dup_backend_name (self->controller, job);
  backend_b = dly_take_controller_dup_backend_name (self->controller, other);
  dly_take_diff_labels (dly_job_get_request (job), backend_a,
                        dly_job_get_request (other), backend_b, &label_a, &label_b);

  uri_a = dup_location_uri (dly_job_get_output_path (job));
  uri_b = dup_location_uri (dly_job_get_output_path (other));
  stop_players (self, TRUE, FALSE);
  ensure_compare_view (self);
  dly_compare_view_open (self->compare_view, uri_a, uri_b);
  /* After opening, which puts the file names up by default. */
  dly_compare_view_set_labels (self->compare_view, label_a, label_b);
  dly_player_play (dly_compare_view_get_player (self->compare_view));
  gtk_stack_set_visible_child_name (self->preview_stack, "compare");
  navigate_to (self, "preview");
}

/* "Use frame": the frame shown becomes the input image of the next take. */

static void
on_frame_saved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GtkWidget *root;
  DlyWindow *self;

  if (!dly_video_view_save_frame_finish (DLY_VIDEO_VIEW (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (source)));
      if (DLY_IS_WINDOW (root))
        dly_window_add_toast (DLY_WINDOW (root), error->message);
      return;
    }

  root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (source)));
  if (!DLY_IS_WINDOW (root))
    return;
  self = DLY_WINDOW (root);
  path = g_file_get_path (file);
  dly_composer_set_image (ensure_composer (self), path);
  dly_window_add_toast (self, _("Frame set as the input image"));
  navigate_to (self, "composer");
}

static void
on_video_view_use_frame_cb (DlyVideoView *view,
                            GdkTexture   *texture,
                            gint64        position,
                            DlyWindow    *self)
{
  g_autofree char *name = dly_video_view_dup_frame_file_name (view);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "dailies", "frames", name,
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  dly_video_view_save_frame_async (view, file, self->cancellable, on_frame_saved_cb,
                                   g_object_ref (file));
}

/* The take list */

static void
on_take_list_selected_job_changed_cb (DlyTakeList *take_list,
                                      GParamSpec  *pspec,
                                      DlyWindow   *self)
{
  DlyJob *job = dly_take_list_get_selected (take_list);

  if (job == self->shown_job && self->compared_job == NULL)
    return;
  dly_window_show_job (self, job);
  if (job != NULL)
    navigate_to (self, "preview");
}

static void
on_take_list_take_activated_cb (DlyTakeList *take_list,
                                DlyJob      *job,
                                DlyWindow   *self)
{
  dly_window_show_job (self, job);
  navigate_to (self, "preview");
}

static void
on_take_list_cancel_requested_cb (DlyTakeList *take_list,
                                  DlyJob      *job,
                                  DlyWindow   *self)
{
  dly_engine_cancel (dly_take_controller_get_engine (self->controller), job);
}

static void
on_take_list_use_as_template_cb (DlyTakeList *take_list,
                                 DlyJob      *job,
                                 DlyWindow   *self)
{
  dly_composer_load_request (ensure_composer (self), dly_job_get_profile (job),
                             dly_job_get_request (job));
  navigate_to (self, "composer");
}

static void
on_take_list_compare_requested_cb (DlyTakeList *take_list,
                                   DlyJob      *job,
                                   DlyJob      *other,
                                   DlyWindow   *self)
{
  dly_window_show_compare (self, job, other);
}

/* Retrying, with consent when it costs */

static void
on_retried_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DlyWindow) self = user_data;
  g_autoptr(DlyJob) job = NULL;
  g_autoptr(GError) error = NULL;

  job = dly_take_controller_retry_finish (DLY_TAKE_CONTROLLER (source), result, &error);
  if (job == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        dly_window_add_toast (self, error->message);
      return;
    }
  dly_take_list_select_job (self->take_list, job);
}

static void
retry_job (DlyWindow *self,
           DlyJob    *job)
{
  dly_take_controller_retry_async (self->controller, job, self->cancellable, on_retried_cb,
                                   g_object_ref (self));
}

static void
on_retry_dialog_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             DlyWindow        *self)
{
  DlyJob *job = g_object_get_data (G_OBJECT (dialog), "job");

  if (g_strcmp0 (response, "retry") == 0 && job != NULL)
    retry_job (self, job);
}

static void
dly_window_request_retry (DlyWindow *self,
                          DlyJob    *job)
{
  DlyRetryCost cost = dly_take_controller_get_retry_cost (self->controller, job);
  g_autofree char *backend = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (cost == DLY_RETRY_COST_FREE)
    {
      retry_job (self, job);
      return;
    }

  backend = dly_take_controller_dup_backend_name (self->controller, job);
  if (cost == DLY_RETRY_COST_MAY_BE_RUNNING)
    body = g_strdup_printf (_("This job may still be running on the backend, and be billed "
                              "there: Dailies stopped before %s confirmed it. Check the "
                              "backend first. Submitting again may make, and cost, a second "
                              "take."), backend);
  else
    body = g_strdup_printf (_("%s charges for each generation, so trying again is a new, "
                              "paid request."), backend);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Submit the Take Again?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "retry", _("_Submit Again"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "retry",
                                              cost == DLY_RETRY_COST_MAY_BE_RUNNING
                                                ? ADW_RESPONSE_DESTRUCTIVE
                                                : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "job", g_object_ref (job), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_retry_dialog_response_cb), self,
                           G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_take_list_retry_requested_cb (DlyTakeList *take_list,
                                 DlyJob      *job,
                                 DlyWindow   *self)
{
  dly_window_request_retry (self, job);
}

/* Removing, with Undo: the take is hidden at once and forgotten when the toast goes. */

static gboolean
removal_filter_func (gpointer item,
                     gpointer user_data)
{
  DlyWindow *self = user_data;

  return !g_hash_table_contains (self->pending_removals, dly_job_get_id (DLY_JOB (item)));
}

static void
update_removal_filter (DlyWindow *self)
{
  /* No filter at all while nothing is pending: 10,000 takes pass through untouched. */
  if (g_hash_table_size (self->pending_removals) == 0)
    gtk_filter_list_model_set_filter (self->visible_jobs, NULL);
  else if (gtk_filter_list_model_get_filter (self->visible_jobs) == NULL)
    gtk_filter_list_model_set_filter (self->visible_jobs, GTK_FILTER (self->removal_filter));
  else
    gtk_filter_changed (GTK_FILTER (self->removal_filter), GTK_FILTER_CHANGE_MORE_STRICT);
}

static void
commit_removals (DlyWindow *self)
{
  DlyEngine *engine;
  GHashTableIter iter;
  gpointer value;

  if (self->pending_removals == NULL || g_hash_table_size (self->pending_removals) == 0)
    return;

  engine = dly_take_controller_get_engine (self->controller);
  g_hash_table_iter_init (&iter, self->pending_removals);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    dly_engine_remove (engine, value);
  g_hash_table_remove_all (self->pending_removals);
  update_removal_filter (self);
}

static void
on_removal_toast_dismissed_cb (AdwToast  *toast,
                               DlyWindow *self)
{
  if (self->removal_toast == toast)
    g_clear_weak_pointer (&self->removal_toast);
  commit_removals (self);
}

static void
on_removal_toast_undo_cb (AdwToast  *toast,
                          DlyWindow *self)
{
  g_hash_table_remove_all (self->pending_removals);
  gtk_filter_list_model_set_filter (self->visible_jobs, NULL);
}

static void
dly_window_remove_job (DlyWindow *self,
                       DlyJob    *job)
{
  guint n;
  g_autofree char *title = NULL;

  g_hash_table_replace (self->pending_removals, g_strdup (dly_job_get_id (job)),
                        g_object_ref (job));
  update_removal_filter (self);
  if (job == self->shown_job || job == self->compared_job)
    dly_window_show_job (self, NULL);

  n = g_hash_table_size (self->pending_removals);
  if (n == 1)
    title = g_strdup (_("Take removed"));
  else
    title = g_strdup_printf (ngettext ("%u take removed", "%u takes removed", n), n);

  /* One toast for a run of removals, so that one Undo brings them all back. */
  if (self->removal_toast != NULL)
    {
      adw_toast_set_title (self->removal_toast, title);
      return;
    }
  g_set_weak_pointer (&self->removal_toast, adw_toast_new (title));
  adw_toast_set_button_label (self->removal_toast, _("_Undo"));
  adw_toast_set_priority (self->removal_toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (self->removal_toast, "dismissed",
                           G_CALLBACK (on_removal_toast_dismissed_cb), self, G_CONNECT_DEFAULT);
  g_signal_connect_object (self->removal_toast, "button-clicked",
                           G_CALLBACK (on_removal_toast_undo_cb), self, G_CONNECT_DEFAULT);
  adw_toast_overlay_add_toast (self->toast_overlay, self->removal_toast);
}

static void
on_take_list_remove_requested_cb (DlyTakeList *take_list,
                                  DlyJob      *job,
                                  DlyWindow   *self)
{
  dly_window_remove_job (self, job);
}

/* Actions on the selected take, for the keyboard */

static void
dly_window_update_actions (DlyWindow *self)
{
  DlyJob *job = dly_take_list_get_selected (self->take_list);
  gboolean finished = job != NULL && dly_job_is_finished (job);
  DlyJobState state = job != NULL ? dly_job_get_state (job) : DLY_JOB_STATE_QUEUED;
  GAction *action;

  gboolean composing = g_strcmp0 (gtk_stack_get_visible_child_name (self->composer_stack),
                                  "composer") == 0;

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "generate");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                               composing && self->composer != NULL
                               && dly_composer_get_can_generate (self->composer));
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "focus-prompt");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), composing);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "cancel-take");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), job != NULL && !finished);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "retry-take");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                               job != NULL && (state == DLY_JOB_STATE_FAILED
                                               || state == DLY_JOB_STATE_CANCELLED
                                               || state == DLY_JOB_STATE_UNKNOWN));
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "remove-take");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), job != NULL);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "use-as-template");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), job != NULL);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "stop-compare");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->compared_job != NULL);
  /* Pressed in while comparing; letting it out goes back to one take. */
  gtk_widget_set_visible (GTK_WIDGET (self->stop_compare_button), self->compared_job != NULL);
  gtk_toggle_button_set_active (self->stop_compare_button, self->compared_job != NULL);
}

static void
cancel_take_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  DlyWindow *self = DLY_WINDOW (user_data);
  DlyJob *job = dly_take_list_get_selected (self->take_list);

  if (job != NULL)
    dly_engine_cancel (dly_take_controller_get_engine (self->controller), job);
}

static void
retry_take_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  DlyWindow *self = DLY_WINDOW (user_data);
  DlyJob *job = dly_take_list_get_selected (self->take_list);

  if (job != NULL)
    dly_window_request_retry (self, job);
}

static void
remove_take_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  DlyWindow *self = DLY_WINDOW (user_data);
  DlyJob *job = dly_take_list_get_selected (self->take_list);

  if (job != NULL)
    dly_window_remove_job (self, job);
}

static void
use_as_template_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  DlyWindow *self = DLY_WINDOW (user_data);
  DlyJob *job = dly_take_list_get_selected (self->take_list);

  if (job != NULL)
    on_take_list_use_as_template_cb (self->take_list, job, self);
}

static void
stop_compare_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  DlyWindow *self = DLY_WINDOW (user_data);

  if (self->compared_job != NULL)
    dly_window_show_job (self, dly_take_list_get_selected (self->take_list));
}

static void
on_stop_compare_button_toggled_cb (GtkToggleButton *button,
                                   DlyWindow       *self)
{
  if (!gtk_toggle_button_get_active (button) && self->compared_job != NULL)
    dly_window_show_job (self, dly_take_list_get_selected (self->take_list));
}

static const GActionEntry window_actions[] = {
  { .name = "generate", .activate = generate_action },
  { .name = "manage-backends", .activate = manage_backends_action },
  { .name = "add-backend", .activate = add_backend_action },
  { .name = "try-demo", .activate = try_demo_action },
  { .name = "focus-prompt", .activate = focus_prompt_action },
  { .name = "toggle-takes", .activate = toggle_takes_action, .state = "true" },
  { .name = "cancel-take", .activate = cancel_take_action },
  { .name = "retry-take", .activate = retry_take_action },
  { .name = "remove-take", .activate = remove_take_action },
  { .name = "use-as-template", .activate = use_as_template_action },
  { .name = "stop-compare", .activate = stop_compare_action },
};

/* State */

static void
dly_window_restore_state (DlyWindow *self)
{
  GAction *toggle = g_action_map_lookup_action (G_ACTION_MAP (self), "toggle-takes");

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  dly_pane_set_width (self->composer_pane, g_settings_get_int (self->settings, "composer-width"));
  dly_pane_set_width (self->takes_pane, g_settings_get_int (self->settings, "take-list-width"));
  g_simple_action_set_state (G_SIMPLE_ACTION (toggle),
                             g_variant_new_boolean (g_settings_get_boolean (self->settings,
                                                                            "take-list-visible")));
}

static void
dly_window_save_state (DlyWindow *self)
{
  int width, height;

  /* GTK keeps the default size in step with the window's size while it is neither
   * maximized nor fullscreen, so this is the size to come back to after unmaximizing. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", MAX (width, MIN_WIDTH));
  g_settings_set_int (self->settings, "window-height", MAX (height, MIN_HEIGHT));
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_set_int (self->settings, "composer-width", dly_pane_get_width (self->composer_pane));
  g_settings_set_int (self->settings, "take-list-width", dly_pane_get_width (self->takes_pane));
  g_settings_set_boolean (self->settings, "take-list-visible", takes_shown (self));
  g_settings_apply (self->settings);
}

static void
on_first_paint_cb (GdkFrameClock *clock,
                   DlyWindow     *self)
{
  g_clear_signal_handler (&self->first_paint_id, clock);
  self->drawn = TRUE;
  if (dly_take_controller_get_loaded (self->controller))
    dly_window_update_setup (self);
}

static void
dly_window_realize (GtkWidget *widget)
{
  DlyWindow *self = DLY_WINDOW (widget);
  GdkFrameClock *clock;

  GTK_WIDGET_CLASS (dly_window_parent_class)->realize (widget);

  clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (widget)));
  if (!self->drawn && self->first_paint_id == 0)
    self->first_paint_id = g_signal_connect (clock, "after-paint",
                                             G_CALLBACK (on_first_paint_cb), self);
}

static void
dly_window_unrealize (GtkWidget *widget)
{
  DlyWindow *self = DLY_WINDOW (widget);
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (widget)));

  g_clear_signal_handler (&self->first_paint_id, clock);

  GTK_WIDGET_CLASS (dly_window_parent_class)->unrealize (widget);
}

static gboolean
dly_window_close_request (GtkWindow *window)
{
  DlyWindow *self = DLY_WINDOW (window);

  dly_window_save_state (self);
  /* Takes whose removal was not undone are forgotten now, not lost in limbo. */
  commit_removals (self);
  /* The players hold decoders and an audio device; the window's job is over. */
  stop_players (self, TRUE, TRUE);

  return GTK_WINDOW_CLASS (dly_window_parent_class)->close_request (window);
}

static void
dly_window_constructed (GObject *object)
{
  DlyWindow *self = DLY_WINDOW (object);
  DlyEngine *engine;
  DlyProfileStore *store;

  G_OBJECT_CLASS (dly_window_parent_class)->constructed (object);

  /* "application" is not a construct property, so dly_window_new() looks it up; a window
   * made without either has takes of its own. */
  if (self->controller == NULL)
    self->controller = dly_take_controller_new (NULL, NULL);
  engine = dly_take_controller_get_engine (self->controller);
  store = dly_take_controller_get_profile_store (self->controller);

  self->visible_jobs = gtk_filter_list_model_new (g_object_ref (dly_engine_get_jobs (engine)),
                                                  NULL);
  dly_take_list_set_jobs (self->take_list, G_LIST_MODEL (self->visible_jobs));


  g_signal_connect_object (self->controller, "notify::loaded",
                           G_CALLBACK (on_controller_loaded_cb), self, G_CONNECT_DEFAULT);
  g_signal_connect_object (store, "items-changed", G_CALLBACK (on_store_items_changed_cb),
                           self, G_CONNECT_DEFAULT);
  g_signal_connect_object (dly_engine_get_jobs (engine), "items-changed",
                           G_CALLBACK (on_jobs_items_changed_cb), self, G_CONNECT_DEFAULT);
  g_signal_connect_object (engine, "job-retrying", G_CALLBACK (on_engine_job_retrying_cb), self,
                           G_CONNECT_DEFAULT);

  dly_window_update_setup (self);
  if (dly_take_controller_get_loaded (self->controller))
    {
      gtk_stack_set_transition_type (self->main_stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
      gtk_stack_set_transition_type (self->composer_stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
    }
  update_takes_visibility (self);
  dly_window_update_actions (self);
}

static void
dly_window_dispose (GObject *object)
{
  DlyWindow *self = DLY_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->controller != NULL)
    commit_removals (self);
  if (self->shown_job != NULL)
    g_signal_handlers_disconnect_by_func (self->shown_job, on_shown_job_state_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), DLY_TYPE_WINDOW);
  /* Made on demand inside the preview stack, which has just let them go. */
  self->video_view = NULL;
  self->compare_view = NULL;
  self->composer = NULL;

  g_clear_object (&self->shown_job);
  g_clear_object (&self->compared_job);
  g_clear_weak_pointer (&self->removal_toast);
  g_clear_weak_pointer (&self->backends_window);
  g_clear_object (&self->visible_jobs);
  g_clear_object (&self->removal_filter);
  g_clear_pointer (&self->pending_removals, g_hash_table_unref);
  g_clear_pointer (&self->retry_toasts, g_hash_table_unref);
  g_clear_pointer (&self->pending_show_id, g_free);
  g_clear_object (&self->controller);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dly_window_parent_class)->dispose (object);
}

static void
dly_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DlyWindow *self = DLY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DlyWindow *self = DLY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      self->controller = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_window_class_init (DlyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = dly_window_constructed;
  object_class->dispose = dly_window_dispose;
  object_class->get_property = dly_window_get_property;
  object_class->set_property = dly_window_set_property;
  window_class->close_request = dly_window_close_request;
  widget_class->realize = dly_window_realize;
  widget_class->unrealize = dly_window_unrealize;

  /**
   * DlyWindow:controller:
   * The takes this window shows and makes; the application's own when not given.
   */
  properties[PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL, DLY_TYPE_TAKE_CONTROLLER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY
                         | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DLY_TYPE_PANE);
  g_type_ensure (DLY_TYPE_TAKE_LIST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, composer_pane);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, takes_pane);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, preview_pane);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, takes_page);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, takes_separator_page);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, composer_stack);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, take_list);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, takes_title);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, show_preview_button);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, preview_title);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, takes_toggle_button);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, stop_compare_button);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, preview_stack);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_visible_child_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_show_takes_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_takes_back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_show_preview_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_preview_back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_take_list_selected_job_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_take_list_take_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_take_list_cancel_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_take_list_retry_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_take_list_remove_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_take_list_use_as_template_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_take_list_compare_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_compare_button_toggled_cb);
}

static void
dly_window_init (DlyWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->pending_removals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  g_object_unref);
  self->retry_toasts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->removal_filter = gtk_custom_filter_new (removal_filter_func, self, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  dly_lazy_menu_attach (self->primary_menu_button, self->primary_menu);

  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions,
                                   G_N_ELEMENTS (window_actions), self);

  gtk_widget_set_size_request (GTK_WIDGET (self), MIN_WIDTH, MIN_HEIGHT);

  self->settings = g_settings_new (APP_ID);
  dly_window_restore_state (self);
}

DlyWindow *
dly_window_new (GtkApplication *application)
{
  g_return_val_if_fail (DLY_IS_APPLICATION (application), NULL);

  return dly_window_new_with_controller (
    application, dly_application_get_take_controller (DLY_APPLICATION (application)));
}

DlyWindow *
dly_window_new_with_controller (GtkApplication    *application,
                                DlyTakeController *controller)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (DLY_IS_TAKE_CONTROLLER (controller), NULL);

  return g_object_new (DLY_TYPE_WINDOW,
                       "application", application,
                       "controller", controller,
                       NULL);
}

DlyTakeController *
dly_window_get_controller (DlyWindow *self)
{
  g_return_val_if_fail (DLY_IS_WINDOW (self), NULL);
  return self->controller;
}

void
dly_window_show_take (DlyWindow  *self,
                      const char *job_id)
{
  DlyJob *job;

  g_return_if_fail (DLY_IS_WINDOW (self));
  g_return_if_fail (job_id != NULL);

  if (!dly_take_controller_get_loaded (self->controller))
    {
      g_free (self->pending_show_id);
      self->pending_show_id = g_strdup (job_id);
      return;
    }
  job = dly_engine_lookup_job (dly_take_controller_get_engine (self->controller), job_id);
  if (job == NULL)
    {
      dly_window_add_toast (self, _("That take is no longer in the list"));
      return;
    }
  dly_take_list_select_job (self->take_list, job);
  dly_window_show_job (self, job);
  navigate_to (self, "preview");
}

DlyComposer *
dly_window_get_composer (DlyWindow *self)
{
  g_return_val_if_fail (DLY_IS_WINDOW (self), NULL);
  return ensure_composer (self);
}

DlyTakeList *
dly_window_get_take_list (DlyWindow *self)
{
  g_return_val_if_fail (DLY_IS_WINDOW (self), NULL);
  return self->take_list;
}

DlyVideoView *
dly_window_get_video_view (DlyWindow *self)
{
  g_return_val_if_fail (DLY_IS_WINDOW (self), NULL);
  return ensure_video_view (self);
}

DlyCompareView *
dly_window_get_compare_view (DlyWindow *self)
{
  g_return_val_if_fail (DLY_IS_WINDOW (self), NULL);
  return ensure_compare_view (self);
}

const char *
dly_window_get_main_page (DlyWindow *self)
{
  g_return_val_if_fail (DLY_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
dly_window_get_composer_page (DlyWindow *self)
{
  g_return_val_if_fail (DLY_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->composer_stack);
}

const char *
dly_window_get_preview_page (DlyWindow *self)
{
  g_return_val_if_fail (DLY_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->preview_stack);
}
