/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A spinner for rows that wait, drawn rather than styled.
 *
 * GtkSpinner turns by a CSS animation: every frame it invalidates its style, and a list with a
 * dozen running takes spent 2–5 ms of each frame re-styling them. This widget turns an arc in
 * its snapshot, so a frame costs one small drawing per turning spinner and nothing else. It
 * turns only while mapped and not paused (a list pauses the rows it keeps off screen), and
 * stands still, drawn at rest, when the desktop asks for no animations. */
#include "config.h"

#include "dly-activity-indicator.h"

#include <math.h>

/* The size of GtkSpinner in Adwaita, so rows keep their height, and its pace: a turn a second. */
#define INDICATOR_SIZE     16
#define LINE_WIDTH         2.0
#define TURN_USEC          G_USEC_PER_SEC
#define ARC_FRACTION       0.3
#define TRACK_ALPHA        0.15

struct _DlyActivityIndicator
{
  GtkWidget parent_instance;

  gboolean  active;
  gboolean  paused;
  guint     tick_id;
  gulong    animations_id;  /* on the GtkSettings, while mapped */
};

enum
{
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DlyActivityIndicator, dly_activity_indicator, GTK_TYPE_WIDGET)

static gboolean
animations_enabled (DlyActivityIndicator *self)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)),
                "gtk-enable-animations", &enabled, NULL);
  return enabled;
}

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* Ticks only while it can be seen to turn. */
static void
update_ticking (DlyActivityIndicator *self)
{
  gboolean ticking = self->active
                     && !self->paused
                     && gtk_widget_get_mapped (GTK_WIDGET (self))
                     && animations_enabled (self);

  if (ticking && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick_cb, NULL, NULL);
  else if (!ticking && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static double
current_angle (DlyActivityIndicator *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  gint64 now;

  if (self->tick_id == 0 || clock == NULL)
    return 0;

  now = gdk_frame_clock_get_frame_time (clock);
  return (double) (now % TURN_USEC) / TURN_USEC * 2 * G_PI;
}

static void
dly_activity_indicator_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  DlyActivityIndicator *self = DLY_ACTIVITY_INDICATOR (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double radius = (MIN (width, height) - LINE_WIDTH) / 2.0;
  double angle;
  GdkRGBA color;
  cairo_t *cr;

  if (!self->active || radius <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  angle = current_angle (self) - G_PI / 2;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, LINE_WIDTH);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * TRACK_ALPHA);
  cairo_arc (cr, width / 2.0, height / 2.0, radius, 0, 2 * G_PI);
  cairo_stroke (cr);

  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, radius, angle, angle + ARC_FRACTION * 2 * G_PI);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
dly_activity_indicator_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  *minimum = *natural = INDICATOR_SIZE;
}

static void
on_enable_animations_changed_cb (DlyActivityIndicator *self)
{
  update_ticking (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
dly_activity_indicator_map (GtkWidget *widget)
{
  DlyActivityIndicator *self = DLY_ACTIVITY_INDICATOR (widget);

  GTK_WIDGET_CLASS (dly_activity_indicator_parent_class)->map (widget);
  self->animations_id = g_signal_connect_swapped (gtk_widget_get_settings (widget),
                                                  "notify::gtk-enable-animations",
                                                  G_CALLBACK (on_enable_animations_changed_cb),
                                                  self);
  update_ticking (self);
}

static void
dly_activity_indicator_unmap (GtkWidget *widget)
{
  DlyActivityIndicator *self = DLY_ACTIVITY_INDICATOR (widget);

  g_clear_signal_handler (&self->animations_id, gtk_widget_get_settings (widget));
  GTK_WIDGET_CLASS (dly_activity_indicator_parent_class)->unmap (widget);
  update_ticking (self);
}

static void
dly_activity_indicator_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  DlyActivityIndicator *self = DLY_ACTIVITY_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_activity_indicator_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  DlyActivityIndicator *self = DLY_ACTIVITY_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      dly_activity_indicator_set_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_activity_indicator_class_init (DlyActivityIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = dly_activity_indicator_get_property;
  object_class->set_property = dly_activity_indicator_set_property;

  widget_class->snapshot = dly_activity_indicator_snapshot;
  widget_class->measure = dly_activity_indicator_measure;
  widget_class->map = dly_activity_indicator_map;
  widget_class->unmap = dly_activity_indicator_unmap;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "activity-indicator");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
dly_activity_indicator_init (DlyActivityIndicator *self)
{
  /* The row says in words what the take is doing; this only shows that it is alive. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, FALSE, -1);
}

/**
 * dly_activity_indicator_new:
 *
 * Returns: (transfer floating): a new, inactive indicator.
 */
GtkWidget *
dly_activity_indicator_new (void)
{
  return g_object_new (DLY_TYPE_ACTIVITY_INDICATOR, NULL);
}

/**
 * dly_activity_indicator_set_active:
 * @self: a #DlyActivityIndicator
 * @active: whether it turns
 *
 * An inactive indicator draws nothing; an active one turns while it is on screen.
 */
void
dly_activity_indicator_set_active (DlyActivityIndicator *self,
                                   gboolean              active)
{
  g_return_if_fail (DLY_IS_ACTIVITY_INDICATOR (self));

  active = !!active;
  if (self->active == active)
    return;

  self->active = active;
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, active, -1);
  update_ticking (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

gboolean
dly_activity_indicator_get_active (DlyActivityIndicator *self)
{
  g_return_val_if_fail (DLY_IS_ACTIVITY_INDICATOR (self), FALSE);

  return self->active;
}

/**
 * dly_activity_indicator_set_paused:
 * @self: a #DlyActivityIndicator
 * @paused: whether it stands still
 *
 * Stops the turning while @self cannot be seen though it is mapped, as in a row a list keeps
 * beyond its view; an active, paused indicator still draws, at rest.
 */
void
dly_activity_indicator_set_paused (DlyActivityIndicator *self,
                                   gboolean              paused)
{
  g_return_if_fail (DLY_IS_ACTIVITY_INDICATOR (self));

  self->paused = !!paused;
  update_ticking (self);
}
