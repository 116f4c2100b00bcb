/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>

#include "dly-window.h"

/* Narrowest size the window supports; also the smallest size worth restoring. */
#define MIN_WIDTH  360
#define MIN_HEIGHT 294

struct _DlyWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;   /* owned */

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  GtkLabel             *sim_command_label;
  GtkLabel             *generate_command_label;
};

G_DEFINE_FINAL_TYPE (DlyWindow, dly_window, ADW_TYPE_APPLICATION_WINDOW)

static void
dly_window_copy_command (DlyWindow *self,
                         GtkLabel  *label)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          gtk_label_get_text (label));
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Command copied to the clipboard")));
}

static void
on_sim_copy_button_clicked_cb (GtkButton *button,
                               DlyWindow *self)
{
  dly_window_copy_command (self, self->sim_command_label);
}

static void
on_generate_copy_button_clicked_cb (GtkButton *button,
                                    DlyWindow *self)
{
  dly_window_copy_command (self, self->generate_command_label);
}

static void
dly_window_restore_state (DlyWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
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
  g_settings_apply (self->settings);
}

static gboolean
dly_window_close_request (GtkWindow *window)
{
  dly_window_save_state (DLY_WINDOW (window));

  return GTK_WINDOW_CLASS (dly_window_parent_class)->close_request (window);
}

static void
dly_window_dispose (GObject *object)
{
  DlyWindow *self = DLY_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DLY_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dly_window_parent_class)->dispose (object);
}

static void
dly_window_class_init (DlyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = dly_window_dispose;
  window_class->close_request = dly_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, sim_command_label);
  gtk_widget_class_bind_template_child (widget_class, DlyWindow, generate_command_label);
  gtk_widget_class_bind_template_callback (widget_class, on_sim_copy_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_generate_copy_button_clicked_cb);
}

static void
dly_window_init (DlyWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_size_request (GTK_WIDGET (self), MIN_WIDTH, MIN_HEIGHT);

  self->settings = g_settings_new (APP_ID);
  dly_window_restore_state (self);
}

DlyWindow *
dly_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (DLY_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
