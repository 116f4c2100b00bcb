/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <adwaita.h>

#include "dly-toast.h"

/**
 * dly_toast_show:
 * @widget: a widget inside an AdwToastOverlay, or the overlay itself
 * @text: plain text, such as a backend's own words
 *
 * Shows @text as a toast in the overlay around @widget; a widget outside any overlay (a
 * test's bare window) logs it instead.
 */
void
dly_toast_show (GtkWidget  *widget,
                const char *text)
{
  GtkWidget *overlay;
  g_autofree char *escaped = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (text != NULL);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_message ("%s", text);
      return;
    }
  /* libadwaita 1.2 reads toast titles as markup; a backend's words are not. */
  escaped = g_markup_escape_text (text, -1);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}
