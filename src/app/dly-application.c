/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <stdlib.h>

#include "dly-application.h"
#include "dly-player-window.h"
#include "dly-window.h"

struct _DlyApplication
{
  AdwApplication parent_instance;
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
dly_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autolist(GtkWindow) windows = NULL;

  /* A copy with references: closing a window removes it from the application's list,
   * and may destroy its transient dialogs. */
  windows = g_list_copy_deep (gtk_application_get_windows (app), (GCopyFunc) g_object_ref, NULL);
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static const GActionEntry dly_application_actions[] = {
  { .name = "about", .activate = dly_application_about_action },
  { .name = "quit", .activate = dly_application_quit_action },
};

static void
dly_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  /* AdwApplication's startup initialises libadwaita and loads style.css from the
   * resource base path. */
  G_APPLICATION_CLASS (dly_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app),
                                   dly_application_actions,
                                   G_N_ELEMENTS (dly_application_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
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

static void
dly_application_class_init (DlyApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = dly_application_startup;
  app_class->activate = dly_application_activate;
  app_class->handle_local_options = dly_application_handle_local_options;
  app_class->command_line = dly_application_command_line;
}

static void
dly_application_init (DlyApplication *self)
{
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
  g_return_val_if_fail (DLY_IS_APPLICATION (self), NULL);

  /* The list is in focus order, most recent first. */
  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (DLY_IS_WINDOW (l->data))
        return l->data;
    }

  return dly_window_new (GTK_APPLICATION (self));
}
