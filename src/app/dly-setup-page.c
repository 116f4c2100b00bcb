/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dly-setup-page.h"

/* What the window shows while there is no backend to generate with: "Add a Backend" and
 * "Try the Demo Backend". As the welcome of a first run it covers the whole window; in the
 * composer's place it is compact, and after a demo it offers the demo again first. The
 * window makes it only when it is needed. */
struct _DlySetupPage
{
  GtkWidget      parent_instance;

  gboolean       welcome;
  gboolean       demo_again;

  /* Template children */
  AdwStatusPage *status_page;
  GtkButton     *add_button;
  GtkButton     *demo_button;
  GtkLabel      *demo_note;
};

G_DEFINE_FINAL_TYPE (DlySetupPage, dly_setup_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WELCOME,
  PROP_DEMO_AGAIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (DlySetupPage *self)
{
  /* The suggested button is the likelier wish: after a demo, starting it again. */
  GtkWidget *suggested = GTK_WIDGET (self->demo_again ? self->demo_button : self->add_button);
  GtkWidget *other = GTK_WIDGET (self->demo_again ? self->add_button : self->demo_button);

  gtk_widget_add_css_class (suggested, "suggested-action");
  gtk_widget_remove_css_class (other, "suggested-action");
  gtk_button_set_label (self->demo_button, self->demo_again ? _("_Start the Demo Again")
                                                            : _("_Try the Demo Backend"));
  gtk_widget_set_visible (GTK_WIDGET (self->demo_note), self->welcome);

  if (self->welcome)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_page), "compact");
      adw_status_page_set_icon_name (self->status_page, APP_ID);
      adw_status_page_set_title (self->status_page, _("Welcome to Dailies"));
      adw_status_page_set_description (self->status_page,
                                       _("Write a prompt, send it to the LTX backend you use — "
                                         "your own server, a RunPod endpoint or a hosted API — "
                                         "and review the takes side by side."));
    }
  else if (self->demo_again)
    {
      /* Back after a demo: its takes are here, its simulator is not. */
      adw_status_page_set_title (self->status_page, _("Start the Demo Again?"));
      adw_status_page_set_description (self->status_page,
                                       _("The demo backend stopped when Dailies closed. "
                                         "Start it again to make more synthetic takes, "
                                         "or add a backend of your own."));
    }
  else
    {
      adw_status_page_set_title (self->status_page, _("No Backend"));
      adw_status_page_set_description (self->status_page,
                                       _("Add the LTX backend you generate with, or try "
                                         "the demo backend."));
    }
}

static void
dly_setup_page_constructed (GObject *object)
{
  DlySetupPage *self = DLY_SETUP_PAGE (object);

  G_OBJECT_CLASS (dly_setup_page_parent_class)->constructed (object);
  update (self);
}

static void
dly_setup_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DLY_TYPE_SETUP_PAGE);

  G_OBJECT_CLASS (dly_setup_page_parent_class)->dispose (object);
}

static void
dly_setup_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DlySetupPage *self = DLY_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_WELCOME:
      g_value_set_boolean (value, self->welcome);
      break;
    case PROP_DEMO_AGAIN:
      g_value_set_boolean (value, self->demo_again);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_setup_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DlySetupPage *self = DLY_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_WELCOME:
      self->welcome = g_value_get_boolean (value);
      break;
    case PROP_DEMO_AGAIN:
      dly_setup_page_set_demo_again (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_setup_page_class_init (DlySetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dly_setup_page_constructed;
  object_class->dispose = dly_setup_page_dispose;
  object_class->get_property = dly_setup_page_get_property;
  object_class->set_property = dly_setup_page_set_property;

  properties[PROP_WELCOME] =
    g_param_spec_boolean ("welcome", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO_AGAIN] =
    g_param_spec_boolean ("demo-again", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DlySetupPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, DlySetupPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, DlySetupPage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, DlySetupPage, demo_note);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dly_setup_page_init (DlySetupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * dly_setup_page_new:
 * @welcome: whether it is the first run's welcome over the whole window, rather than the
 *   compact page in the composer's place
 */
GtkWidget *
dly_setup_page_new (gboolean welcome)
{
  return g_object_new (DLY_TYPE_SETUP_PAGE, "welcome", welcome, NULL);
}

/* After a demo its takes are here and its simulator is not: the page offers it again. */
void
dly_setup_page_set_demo_again (DlySetupPage *self,
                               gboolean      demo_again)
{
  g_return_if_fail (DLY_IS_SETUP_PAGE (self));

  demo_again = !!demo_again;
  if (self->demo_again == demo_again)
    return;
  self->demo_again = demo_again;
  /* Before construction the template is not there yet: constructed() updates. */
  if (self->status_page != NULL)
    update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO_AGAIN]);
}
