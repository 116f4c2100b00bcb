/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include "dly-pane.h"

/* The grip is wider than the 1 px separator beside it, so that it is easy to catch. */
#define GRIP_WIDTH 8
#define MIN_WIDTH  260
#define MAX_WIDTH  720

struct _DlyPane
{
  GtkWidget        parent_instance;

  GtkWidget       *child;   /* owned by the widget tree */
  GtkWidget       *grip;    /* owned by the widget tree */
  int              width;
  int              drag_start_width;
  GtkPositionType  resize_edge;
  gboolean         resizable;
};

G_DEFINE_FINAL_TYPE (DlyPane, dly_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHILD,
  PROP_WIDTH,
  PROP_RESIZE_EDGE,
  PROP_RESIZABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
has_grip (DlyPane *self)
{
  return self->resizable
         && (self->resize_edge == GTK_POS_LEFT || self->resize_edge == GTK_POS_RIGHT);
}

static void
update_grip (DlyPane *self)
{
  gtk_widget_set_visible (self->grip, has_grip (self));
}

static void
on_grip_drag_begin_cb (GtkGestureDrag *gesture,
                       double          x,
                       double          y,
                       DlyPane        *self)
{
  self->drag_start_width = gtk_widget_get_width (GTK_WIDGET (self));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_grip_drag_update_cb (GtkGestureDrag *gesture,
                        double          offset_x,
                        double          offset_y,
                        DlyPane        *self)
{
  double delta = self->resize_edge == GTK_POS_RIGHT ? offset_x : -offset_x;

  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    delta = -delta;
  dly_pane_set_width (self, self->drag_start_width + (int) delta);
}

static void
dly_pane_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  DlyPane *self = DLY_PANE (widget);
  int child_min = 0, child_nat = 0;

  if (self->child != NULL && gtk_widget_get_visible (self->child))
    gtk_widget_measure (self->child, orientation, for_size, &child_min, &child_nat, NULL, NULL);

  *minimum = child_min;
  *natural = child_nat;
  /* Only the natural width is the user's: the minimum stays the child's, for folding. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL && self->width > 0)
    *natural = MAX (child_min, self->width);
}

static void
dly_pane_size_allocate (GtkWidget *widget,
                        int        width,
                        int        height,
                        int        baseline)
{
  DlyPane *self = DLY_PANE (widget);
  gboolean at_right;

  if (self->child != NULL && gtk_widget_get_visible (self->child))
    gtk_widget_allocate (self->child, width, height, baseline, NULL);

  if (!gtk_widget_get_visible (self->grip))
    return;

  at_right = self->resize_edge == GTK_POS_RIGHT;
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    at_right = !at_right;
  /* Over the child's edge: allocated last, so it is drawn and picked first. */
  gtk_widget_allocate (self->grip, GRIP_WIDTH, height, -1,
                       gsk_transform_translate (NULL,
                                                &GRAPHENE_POINT_INIT (at_right ? width - GRIP_WIDTH : 0,
                                                                      0)));
}

static GtkSizeRequestMode
dly_pane_get_request_mode (GtkWidget *widget)
{
  DlyPane *self = DLY_PANE (widget);

  return self->child != NULL ? gtk_widget_get_request_mode (self->child)
                             : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

/* A child that expands does not make the pane expand: its width is the user's. Only a pane
 * told to (hexpand on the pane itself, as the preview is) takes the leaflet's spare room. */
static void
dly_pane_compute_expand (GtkWidget *widget,
                         gboolean  *hexpand,
                         gboolean  *vexpand)
{
  DlyPane *self = DLY_PANE (widget);

  *hexpand = FALSE;
  *vexpand = self->child != NULL && gtk_widget_compute_expand (self->child, GTK_ORIENTATION_VERTICAL);
}

static void
dly_pane_dispose (GObject *object)
{
  DlyPane *self = DLY_PANE (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);
  g_clear_pointer (&self->grip, gtk_widget_unparent);

  G_OBJECT_CLASS (dly_pane_parent_class)->dispose (object);
}

static void
dly_pane_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  DlyPane *self = DLY_PANE (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_RESIZE_EDGE:
      g_value_set_enum (value, self->resize_edge);
      break;
    case PROP_RESIZABLE:
      g_value_set_boolean (value, self->resizable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_pane_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  DlyPane *self = DLY_PANE (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      dly_pane_set_child (self, g_value_get_object (value));
      break;
    case PROP_WIDTH:
      dly_pane_set_width (self, g_value_get_int (value));
      break;
    case PROP_RESIZE_EDGE:
      dly_pane_set_resize_edge (self, g_value_get_enum (value));
      break;
    case PROP_RESIZABLE:
      dly_pane_set_resizable (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_pane_class_init (DlyPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dly_pane_dispose;
  object_class->get_property = dly_pane_get_property;
  object_class->set_property = dly_pane_set_property;
  widget_class->measure = dly_pane_measure;
  widget_class->size_allocate = dly_pane_size_allocate;
  widget_class->get_request_mode = dly_pane_get_request_mode;
  widget_class->compute_expand = dly_pane_compute_expand;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET, flags);
  /* 0 means "the child's own natural width". */
  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_RESIZE_EDGE] =
    g_param_spec_enum ("resize-edge", NULL, NULL, GTK_TYPE_POSITION_TYPE, GTK_POS_TOP, flags);
  properties[PROP_RESIZABLE] =
    g_param_spec_boolean ("resizable", NULL, NULL, TRUE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "pane");
}

static void
dly_pane_init (DlyPane *self)
{
  GtkGesture *drag;

  self->resize_edge = GTK_POS_TOP;
  self->resizable = TRUE;

  self->grip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->grip, "pane-grip");
  gtk_widget_set_cursor_from_name (self->grip, "col-resize");
  gtk_widget_set_visible (self->grip, FALSE);
  gtk_widget_set_parent (self->grip, GTK_WIDGET (self));

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_grip_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_grip_drag_update_cb), self);
  gtk_widget_add_controller (self->grip, GTK_EVENT_CONTROLLER (drag));
}

GtkWidget *
dly_pane_new (void)
{
  return g_object_new (DLY_TYPE_PANE, NULL);
}

GtkWidget *
dly_pane_get_child (DlyPane *self)
{
  g_return_val_if_fail (DLY_IS_PANE (self), NULL);
  return self->child;
}

void
dly_pane_set_child (DlyPane   *self,
                    GtkWidget *child)
{
  g_return_if_fail (DLY_IS_PANE (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;
  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      /* Below the grip, which must stay on top. */
      gtk_widget_insert_before (child, GTK_WIDGET (self), self->grip);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

int
dly_pane_get_width (DlyPane *self)
{
  g_return_val_if_fail (DLY_IS_PANE (self), 0);
  return self->width;
}

void
dly_pane_set_width (DlyPane *self,
                    int      width)
{
  g_return_if_fail (DLY_IS_PANE (self));

  if (width > 0)
    width = CLAMP (width, MIN_WIDTH, MAX_WIDTH);
  if (self->width == width)
    return;
  self->width = width;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
}

GtkPositionType
dly_pane_get_resize_edge (DlyPane *self)
{
  g_return_val_if_fail (DLY_IS_PANE (self), GTK_POS_TOP);
  return self->resize_edge;
}

void
dly_pane_set_resize_edge (DlyPane         *self,
                          GtkPositionType  edge)
{
  g_return_if_fail (DLY_IS_PANE (self));

  if (self->resize_edge == edge)
    return;
  self->resize_edge = edge;
  update_grip (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESIZE_EDGE]);
}

gboolean
dly_pane_get_resizable (DlyPane *self)
{
  g_return_val_if_fail (DLY_IS_PANE (self), FALSE);
  return self->resizable;
}

void
dly_pane_set_resizable (DlyPane  *self,
                        gboolean  resizable)
{
  g_return_if_fail (DLY_IS_PANE (self));

  resizable = !!resizable;
  if (self->resizable == resizable)
    return;
  self->resizable = resizable;
  update_grip (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESIZABLE]);
}
