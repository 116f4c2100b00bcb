/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <stdlib.h>

#include "dly-application.h"
#include "dly-player-window.h"
#include "dly-window.h"

/* How much of a prompt a notification quotes. */
#define NOTIFICATION_PROMPT_CHARS 90

struct _DlyApplication
{
  AdwApplication     parent_instance;

  DlyTakeController *controller;   /* owned; made with the first main window */
  GCancellable      *cancellable;
  gboolean           holding;      /* a g_application_hold() while takes are in progress */
  gboolean           opening;      /* the controller's open has been started */
  guint              open_timeout_id;
  GThread           *icon_warm_up; /* joined at shutdown: the process must not exit under it */
};

G_DEFINE_FINAL_TYPE (DlyApplication, dly_application, ADW_TYPE_APPLICATION)

#define WEBSITE "https://github.com/dailies/dailies"

static const GOptionEntry dly_application_options[] = {
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { "play", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Play a video, or compare it with a second one given after it"), N_("FILE [FILE2]") },
  { NULL }
};

/* Versions of what the app runs on, for bug reports; in a Flatpak they are the runtime's. */
static char *
dly_application_dup_debug_info (void)
{
  g_autofree char *gst_version = gst_version_string ();

  return g_strdup_printf ("Dailies %s (%s)\n"
                          "\n"
                          "GLib %u.%u.%u\n"
                          "GTK %u.%u.%u\n"
                          "libadwaita %u.%u.%u\n"
                          "%s\n",
                          PACKAGE_VERSION, APP_ID,
                          glib_major_version, glib_minor_version, glib_micro_version,
                          gtk_get_major_version (), gtk_get_minor_version (),
                          gtk_get_micro_version (),
                          adw_get_major_version (), adw_get_minor_version (),
                          adw_get_micro_version (),
                          gst_version);
}

static void
dly_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  DlyApplication *self = DLY_APPLICATION (user_data);
  static const char *developers[] = { "The Dailies developers " WEBSITE, NULL };
  g_autofree char *debug_info = dly_application_dup_debug_info ();
  /* Translators: your names, one per line, to be credited in the About window */
  const char *translators = _("translator-credits");
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-name", _("Dailies"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Dailies developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Generate videos with LTX-Video and LTX-2 on your own "
                                      "server, a cloud GPU or a hosted API, and review the "
                                      "takes side by side."),
                        "website", WEBSITE,
                        "issue-url", WEBSITE "/issues",
                        "copyright", "© 2026 The Dailies developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "debug-info", debug_info,
                        "debug-info-filename", "dailies-debug-info.txt",
                        NULL);
  /* Untranslated, the msgid would be credited as if it were a name. */
  if (g_strcmp0 (translators, "translator-credits") != 0)
    adw_about_window_set_translator_credits (ADW_ABOUT_WINDOW (about), translators);
  gtk_window_present (about);
}

/* Closing each window, rather than calling g_application_quit(), lets every window save
 * its state and later refuse to close while it has work to finish.  The application exits
 * by itself once its last window is gone. */
static void
dly_application_close_windows (GtkApplication *app)
{
  g_autolist(GtkWindow) windows = NULL;

  /* A copy with references: closing a window removes it from the application's list,
   * and may destroy its transient dialogs. */
  windows = g_list_copy_deep (gtk_application_get_windows (app), (GCopyFunc) g_object_ref, NULL);
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
on_quit_dialog_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            DlyApplication   *self)
{
  if (g_strcmp0 (response, "quit") != 0)
    return;
  dly_application_close_windows (GTK_APPLICATION (self));
  /* The hold kept for the takes is let go: the ledger has them, and the next start (of the
   * app or of dailies-cli resume) goes on with them. */
  if (self->holding)
    {
      self->holding = FALSE;
      g_application_release (G_APPLICATION (self));
    }
  g_application_quit (G_APPLICATION (self));
}

static void
dly_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  DlyApplication *self = DLY_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *dialog;

  if (self->controller == NULL || !dly_take_controller_get_busy (self->controller))
    {
      dly_application_close_windows (GTK_APPLICATION (self));
      return;
    }

  dialog = adw_message_dialog_new (parent, _("Quit While Takes Are in Progress?"),
                                   _("The backends go on with them. Dailies picks them up "
                                     "again the next time it starts, except a take that a "
                                     "backend sends back only once, which is then lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "quit", _("_Quit"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "quit",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_quit_dialog_response_cb), self,
                           G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The default action of a take's notification: the window, with the take selected and
 * playing if it is done. */
static void
dly_application_show_take_action (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  DlyApplication *self = DLY_APPLICATION (user_data);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autofree char *notification_id = g_strconcat ("take-", id, NULL);
  DlyWindow *window = dly_application_get_main_window (self);

  g_application_withdraw_notification (G_APPLICATION (self), notification_id);
  gtk_window_present (GTK_WINDOW (window));
  dly_window_show_take (window, id);
}

static const GActionEntry dly_application_actions[] = {
  { .name = "about", .activate = dly_application_about_action },
  { .name = "quit", .activate = dly_application_quit_action },
  { .name = "show-take", .activate = dly_application_show_take_action, .parameter_type = "s" },
};

/* Takes in progress keep the application running after its last window closes. */
static void
on_controller_busy_changed_cb (DlyTakeController *controller,
                               GParamSpec        *pspec,
                               DlyApplication    *self)
{
  gboolean busy = dly_take_controller_get_busy (controller);

  if (busy == self->holding)
    return;
  self->holding = busy;
  if (busy)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

static gboolean
dly_application_is_watched (DlyApplication *self)
{
  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (DLY_IS_WINDOW (l->data) && gtk_window_is_active (l->data))
        return TRUE;
    }
  return FALSE;
}

static void
on_engine_job_finished_cb (DlyEngine      *engine,
                           DlyJob         *job,
                           DlyApplication *self)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *notification_id = NULL;
  g_autofree char *backend = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *body = NULL;
  const char *title;
  const char *text;

  /* The user is looking at the take list, which says the same. */
  if (dly_application_is_watched (self))
    return;

  switch (dly_job_get_state (job))
    {
    case DLY_JOB_STATE_SUCCEEDED:
      title = _("Take Ready");
      break;
    case DLY_JOB_STATE_FAILED:
      title = _("Take Failed");
      break;
    case DLY_JOB_STATE_UNKNOWN:
      title = _("Take Needs a Look");
      break;
    case DLY_JOB_STATE_QUEUED:
    case DLY_JOB_STATE_SUBMITTING:
    case DLY_JOB_STATE_WAITING:
    case DLY_JOB_STATE_RUNNING:
    case DLY_JOB_STATE_DOWNLOADING:
    case DLY_JOB_STATE_CANCELLED:
    default:
      /* The user cancelled it: nothing to tell. */
      return;
    }

  backend = dly_take_controller_dup_backend_name (self->controller, job);
  text = dly_request_get_prompt (dly_job_get_request (job));
  if (text == NULL || *text == '\0')
    prompt = g_strdup (_("(no prompt)"));
  else if (g_utf8_strlen (text, -1) > NOTIFICATION_PROMPT_CHARS)
    {
      g_autofree char *start = g_utf8_substring (text, 0, NOTIFICATION_PROMPT_CHARS);

      prompt = g_strconcat (g_strchomp (start), "…", NULL);
    }
  else
    prompt = g_strdup (text);

  if (dly_job_get_state (job) == DLY_JOB_STATE_SUCCEEDED || dly_job_get_message (job) == NULL)
    /* Translators: a take's prompt, then the backend that made it */
    body = g_strdup_printf (_("“%s” on %s"), prompt, backend);
  else
    /* Translators: a take's prompt, the backend, then what the backend said */
    body = g_strdup_printf (_("“%s” on %s: %s"), prompt, backend, dly_job_get_message (job));

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-take", "s",
                                                dly_job_get_id (job));
  if (dly_job_get_state (job) != DLY_JOB_STATE_SUCCEEDED)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);

  /* One per take: a retry's outcome replaces nothing else. */
  notification_id = g_strconcat ("take-", dly_job_get_id (job), NULL);
  g_application_send_notification (G_APPLICATION (self), notification_id, notification);
}

static void
on_controller_opened_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(DlyApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dly_take_controller_open_finish (DLY_TAKE_CONTROLLER (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      DlyWindow *window = NULL;

      g_warning ("%s", error->message);
      for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
        if (DLY_IS_WINDOW (l->data))
          {
            window = l->data;
            break;
          }
      if (window != NULL)
        dly_window_add_toast (window, error->message);
    }
}

/* Reads the ledger and the profiles, then resumes unfinished takes; once. */
static void
open_take_controller (DlyApplication *self)
{
  g_clear_handle_id (&self->open_timeout_id, g_source_remove);
  if (self->opening)
    return;
  self->opening = TRUE;
  dly_take_controller_open_async (dly_application_get_take_controller (self), self->cancellable,
                                  on_controller_opened_cb, g_object_ref (self));
}

static void
on_main_window_first_frame_cb (GdkFrameClock  *clock,
                               DlyApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_main_window_first_frame_cb, self);
  open_take_controller (self);
}

static gboolean
open_take_controller_timeout_cb (gpointer user_data)
{
  DlyApplication *self = user_data;

  self->open_timeout_id = 0;
  open_take_controller (self);
  return G_SOURCE_REMOVE;
}

/* The ledger and the profiles are read on threads, yet reading a long history still slows
 * the window's first frame: they are read once it is on screen, or after a moment if the
 * window is not drawn (mapped minimised). */
static void
on_main_window_realize_cb (GtkWidget      *window,
                           DlyApplication *self)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window)));

  g_signal_handlers_disconnect_by_func (window, on_main_window_realize_cb, self);
  if (self->opening)
    return;
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_main_window_first_frame_cb),
                           self, G_CONNECT_DEFAULT);
  self->open_timeout_id = g_timeout_add (500, open_take_controller_timeout_cb, self);
}

/**
 * dly_application_get_take_controller:
 * @self: a #DlyApplication
 *
 * The application's one engine, profile store and demo, with its takes. The first main
 * window opens it, once it has drawn its first frame: the ledger and the profiles are read
 * (asynchronously: the window shows while they load) and unfinished takes resumed.
 * `dailies --play` never needs it, and never touches them.
 *
 * Returns: (transfer none): the take controller
 */
DlyTakeController *
dly_application_get_take_controller (DlyApplication *self)
{
  g_return_val_if_fail (DLY_IS_APPLICATION (self), NULL);

  if (self->controller == NULL)
    {
      self->controller = dly_take_controller_new (NULL, NULL);
      g_signal_connect_object (self->controller, "notify::busy",
                               G_CALLBACK (on_controller_busy_changed_cb), self,
                               G_CONNECT_DEFAULT);
      g_signal_connect_object (dly_take_controller_get_engine (self->controller), "job-finished",
                               G_CALLBACK (on_engine_job_finished_cb), self, G_CONNECT_DEFAULT);
    }
  return self->controller;
}

/* The icons of the window's first frame. The first lookup in a process reads the icon
 * themes' indexes, about 10 ms; GtkIconTheme may be looked up from any thread once the main
 * thread has made it, so a worker does that while the window is being built. */
static const char * const first_frame_icons[] = {
  "open-menu-symbolic",
  "sidebar-show-symbolic",
  "window-close-symbolic",
  "window-maximize-symbolic",
  "window-minimize-symbolic",
  "process-working-symbolic",
};

static gpointer
warm_icon_theme_thread (gpointer data)
{
  g_autoptr(GtkIconTheme) theme = data;

  for (guint i = 0; i < G_N_ELEMENTS (first_frame_icons); i++)
    {
      g_autoptr(GtkIconPaintable) icon =
        gtk_icon_theme_lookup_icon (theme, first_frame_icons[i], NULL, 16, 1,
                                    GTK_TEXT_DIR_NONE, GTK_ICON_LOOKUP_PRELOAD);
    }
  return NULL;
}

static void
warm_icon_theme (DlyApplication *self)
{
  GdkDisplay *display = gdk_display_get_default ();

  if (display == NULL || self->icon_warm_up != NULL)
    return;

  self->icon_warm_up = g_thread_new ("dly-icon-warm-up", warm_icon_theme_thread,
                                     g_object_ref (gtk_icon_theme_get_for_display (display)));
}

static void
dly_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const struct {
    const char *action;
    const char *accels[3];
  } window_accels[] = {
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "win.generate", { "<Control>Return", "<Control>KP_Enter", NULL } },
    { "win.manage-backends", { "<Control>comma", NULL } },
    { "win.toggle-takes", { "F9", NULL } },
    { "win.focus-prompt", { "<Control>l", NULL } },
    { "win.retry-take", { "<Control>r", NULL } },
    { "win.cancel-take", { "<Control>period", NULL } },
    { "win.remove-take", { "<Control>Delete", NULL } },
    { "win.use-as-template", { "<Control>t", NULL } },
  };

  /* AdwApplication's startup initialises libadwaita and loads style.css from the
   * resource base path. */
  G_APPLICATION_CLASS (dly_application_parent_class)->startup (app);
  warm_icon_theme (DLY_APPLICATION (app));

  g_action_map_add_action_entries (G_ACTION_MAP (app),
                                   dly_application_actions,
                                   G_N_ELEMENTS (dly_application_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  for (guint i = 0; i < G_N_ELEMENTS (window_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), window_accels[i].action,
                                           window_accels[i].accels);
}

static void
dly_application_shutdown (GApplication *app)
{
  DlyApplication *self = DLY_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->open_timeout_id, g_source_remove);
  /* Unfinished takes stay in the ledger as they are, for the next start; the demo's
   * simulator thread stops here. */
  g_clear_object (&self->controller);
  /* A run that ends at once, such as one with a bad argument, can get here before the
   * worker is done; the process must not exit under it. */
  g_clear_pointer (&self->icon_warm_up, g_thread_join);

  G_APPLICATION_CLASS (dly_application_parent_class)->shutdown (app);
}

static void
dly_application_dispose (GObject *object)
{
  DlyApplication *self = DLY_APPLICATION (object);

  g_clear_object (&self->controller);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dly_application_parent_class)->dispose (object);
}

static void
dly_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (dly_application_get_main_window (DLY_APPLICATION (app))));
}

static int
dly_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("dailies %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  return G_APPLICATION_CLASS (dly_application_parent_class)->handle_local_options (app, options);
}

/* Runs in the primary instance, so a second `dailies …` reaches the window that is already
 * open.  Options that act on the window (--play, for one) are read from
 * g_application_command_line_get_options_dict() here, before the window is presented. */
static int
dly_application_command_line (GApplication            *app,
                              GApplicationCommandLine *cmdline)
{
  g_auto(GStrv) argv = g_application_command_line_get_arguments (cmdline, NULL);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autofree char *play = NULL;

  /* --play FILE [FILE2]: the second file is the one argument left after GOption. */
  if (g_variant_dict_lookup (options, "play", "^ay", &play))
    {
      g_autoptr(GFile) file_a = g_application_command_line_create_file_for_arg (cmdline, play);
      g_autoptr(GFile) file_b = NULL;
      g_autofree char *uri_a = g_file_get_uri (file_a);
      g_autofree char *uri_b = NULL;

      if (argv[0] != NULL && argv[1] != NULL && argv[2] != NULL)
        {
          g_application_command_line_printerr (cmdline,
                                               _("--play takes one file, or two to compare\n"));
          return EXIT_FAILURE;
        }
      if (argv[0] != NULL && argv[1] != NULL)
        {
          file_b = g_application_command_line_create_file_for_arg (cmdline, argv[1]);
          uri_b = g_file_get_uri (file_b);
        }

      gtk_window_present (GTK_WINDOW (dly_player_window_new (GTK_APPLICATION (app),
                                                             uri_a, uri_b)));
      return EXIT_SUCCESS;
    }

  /* GOption has already taken out the options it knows; argv[0] is the program. */
  if (argv[0] != NULL && argv[1] != NULL)
    {
      g_application_command_line_printerr (cmdline,
                                           _("Unexpected argument “%s”; see dailies --help\n"),
                                           argv[1]);
      return EXIT_FAILURE;
    }

  g_application_activate (app);

  return EXIT_SUCCESS;
}

/* The shortcuts window is built on first use: GtkApplication would build one for every new
 * window from <base path>/gtk/help-overlay.ui, a tenth of the main window's first frame. */
static void
show_help_overlay_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  GtkApplicationWindow *window = user_data;
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/dailies/Dailies/ui/dly-shortcuts-window.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      /* Makes it modal, transient for the window and hidden (not destroyed) on close; the
       * window's own show-help-overlay stays this one. */
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

static void
dly_application_window_added (GtkApplication *app,
                              GtkWindow      *window)
{
  static const GActionEntry actions[] = {
    { .name = "show-help-overlay", .activate = show_help_overlay_action },
  };

  GTK_APPLICATION_CLASS (dly_application_parent_class)->window_added (app, window);

  if (GTK_IS_APPLICATION_WINDOW (window))
    g_action_map_add_action_entries (G_ACTION_MAP (window), actions, G_N_ELEMENTS (actions),
                                     window);
}

static void
dly_application_class_init (DlyApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->dispose = dly_application_dispose;
  app_class->startup = dly_application_startup;
  app_class->shutdown = dly_application_shutdown;
  app_class->activate = dly_application_activate;
  app_class->handle_local_options = dly_application_handle_local_options;
  app_class->command_line = dly_application_command_line;
  gtk_app_class->window_added = dly_application_window_added;
}

static void
dly_application_init (DlyApplication *self)
{
  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), dly_application_options);
}

DlyApplication *
dly_application_new (void)
{
  /* The resource path is given explicitly so that a differently named build (a Devel app
   * id, say) still finds the templates, style.css and icons. */
  return g_object_new (DLY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/dailies/Dailies",
                       NULL);
}

/**
 * dly_application_get_main_window:
 * @self: a #DlyApplication
 *
 * Returns the most recently focused main window, creating one if there is none.
 *
 * Returns: (transfer none): a #DlyWindow
 */
DlyWindow *
dly_application_get_main_window (DlyApplication *self)
{
  DlyWindow *window;

  g_return_val_if_fail (DLY_IS_APPLICATION (self), NULL);

  /* The list is in focus order, most recent first. */
  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (DLY_IS_WINDOW (l->data))
        return l->data;
    }

  window = dly_window_new (GTK_APPLICATION (self));
  if (!self->opening)
    g_signal_connect_object (window, "realize", G_CALLBACK (on_main_window_realize_cb), self,
                             G_CONNECT_DEFAULT);
  return window;
}
