/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reference for bench-window's process start-up: the smallest libadwaita application,
 * linked against libadwaita alone, that opens an empty window the size of Dailies' first
 * one. It prints the monotonic time of its first frame ("first-frame <µs>") and quits.
 *
 * With --header-bar the window has an AdwHeaderBar over its empty status page: the least a
 * window needs to be moved and closed, and the first text and icons a window draws. */
#include <adwaita.h>

static void
on_after_paint (GdkFrameClock *clock,
                GApplication  *app)
{
  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, app);
  g_application_quit (app);
}

static void
on_realize (GtkWidget    *window,
            GApplication *app)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window)));

  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), app);
}

static gboolean with_header_bar;

static void
on_activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *content = adw_status_page_new ();

  if (with_header_bar)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      gtk_window_set_title (GTK_WINDOW (window), "Empty");
      gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
      gtk_widget_set_vexpand (content, TRUE);
      gtk_box_append (GTK_BOX (box), content);
      content = box;
    }
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), content);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), app);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.dailies.BenchEmptyWindow",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  with_header_bar = argc > 1 && g_str_equal (argv[1], "--header-bar");
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
