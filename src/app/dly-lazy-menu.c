/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A menu button whose popover menu is built when first opened, not with the button: a
 * GtkPopoverMenu is a few hundred microseconds to make, and a window's first frame has
 * several buttons that are seldom opened. */
#include "config.h"

#include "dly-lazy-menu.h"

static void
create_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  GMenuModel *model = user_data;

  if (gtk_menu_button_get_menu_model (button) != model)
    gtk_menu_button_set_menu_model (button, model);
}

/**
 * dly_lazy_menu_attach:
 * @button: a #GtkMenuButton with neither a popover nor a menu model
 * @model: the menu it opens
 *
 * Gives @button the menu @model, built the first time it pops up (by a click, its
 * mnemonic, or F10 for a primary menu). Until then gtk_menu_button_get_menu_model()
 * returns %NULL.
 */
void
dly_lazy_menu_attach (GtkMenuButton *button,
                      GMenuModel    *model)
{
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));
  g_return_if_fail (G_IS_MENU_MODEL (model));

  gtk_menu_button_set_create_popup_func (button, create_popup_cb, g_object_ref (model),
                                         g_object_unref);
}
