/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A layout manager that wraps its children like words: the composer's vocabulary chips. */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include "dly-wrap-layout.h"

struct _DlyWrapLayout
{
  GtkLayoutManager parent_instance;

  int              column_spacing;
  int              row_spacing;
};

G_DEFINE_FINAL_TYPE (DlyWrapLayout, dly_wrap_layout, GTK_TYPE_LAYOUT_MANAGER)

enum {
  PROP_0,
  PROP_COLUMN_SPACING,
  PROP_ROW_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A child's width on a line @available wide: its natural width, if it fits. */
static int
child_width (GtkWidget *child,
             int        available)
{
  int minimum, natural;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return available >= 0 ? MAX (minimum, MIN (natural, available)) : natural;
}

static int
child_height (GtkWidget *child,
              int        width)
{
  int minimum, natural;

  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &minimum, &natural, NULL, NULL);
  return natural;
}

/* Walks the lines for @width, placing children when @allocate; returns the total height. */
static int
layout_lines (DlyWrapLayout *self,
              GtkWidget     *widget,
              int            width,
              gboolean       allocate)
{
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  GtkWidget *line_start = gtk_widget_get_first_child (widget);
  int y = 0;

  while (line_start != NULL)
    {
      GtkWidget *child, *line_end;
      int x = 0, line_height = 0;
      gboolean any = FALSE;

      /* Find how many children fit on this line, and how tall it is. */
      for (child = line_start; child != NULL; child = gtk_widget_get_next_sibling (child))
        {
          int w;

          if (!gtk_widget_should_layout (child))
            continue;
          w = child_width (child, width);
          if (any && width >= 0 && x + self->column_spacing + w > width)
            break;
          x += (any ? self->column_spacing : 0) + w;
          line_height = MAX (line_height, child_height (child, w));
          any = TRUE;
        }
      line_end = child;

      if (allocate)
        {
          x = 0;
          for (child = line_start; child != line_end; child = gtk_widget_get_next_sibling (child))
            {
              int w;

              if (!gtk_widget_should_layout (child))
                continue;
              w = child_width (child, width);
              gtk_widget_size_allocate (child,
                                        &(GtkAllocation) {
                                          .x = rtl ? width - x - w : x,
                                          .y = y,
                                          .width = w,
                                          .height = line_height,
                                        },
                                        -1);
              x += w + self->column_spacing;
            }
        }

      if (any)
        y += line_height + self->row_spacing;
      line_start = line_end;
    }

  return y > 0 ? y - self->row_spacing : 0;
}

static GtkSizeRequestMode
dly_wrap_layout_get_request_mode (GtkLayoutManager *manager,
                                  GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
dly_wrap_layout_measure (GtkLayoutManager *manager,
                         GtkWidget        *widget,
                         GtkOrientation    orientation,
                         int               for_size,
                         int              *minimum,
                         int              *natural,
                         int              *minimum_baseline,
                         int              *natural_baseline)
{
  DlyWrapLayout *self = DLY_WRAP_LAYOUT (manager);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int widest = 0, total = 0;
      gboolean any = FALSE;

      /* As narrow as the widest child; naturally, all on one line. */
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int child_minimum, child_natural;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1,
                              &child_minimum, &child_natural, NULL, NULL);
          widest = MAX (widest, child_minimum);
          total += (any ? self->column_spacing : 0) + child_natural;
          any = TRUE;
        }
      *minimum = widest;
      *natural = total;
    }
  else
    {
      int height = layout_lines (self, widget, for_size, FALSE);

      *minimum = height;
      *natural = height;
    }
}

static void
dly_wrap_layout_allocate (GtkLayoutManager *manager,
                          GtkWidget        *widget,
                          int               width,
                          int               height,
                          int               baseline)
{
  layout_lines (DLY_WRAP_LAYOUT (manager), widget, width, TRUE);
}

static void
dly_wrap_layout_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DlyWrapLayout *self = DLY_WRAP_LAYOUT (object);

  switch (prop_id)
    {
    case PROP_COLUMN_SPACING:
      g_value_set_int (value, self->column_spacing);
      break;
    case PROP_ROW_SPACING:
      g_value_set_int (value, self->row_spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_wrap_layout_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DlyWrapLayout *self = DLY_WRAP_LAYOUT (object);
  int *field;

  switch (prop_id)
    {
    case PROP_COLUMN_SPACING:
      field = &self->column_spacing;
      break;
    case PROP_ROW_SPACING:
      field = &self->row_spacing;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (*field == g_value_get_int (value))
    return;
  *field = g_value_get_int (value);
  gtk_layout_manager_layout_changed (GTK_LAYOUT_MANAGER (self));
  g_object_notify_by_pspec (object, pspec);
}

static void
dly_wrap_layout_class_init (DlyWrapLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkLayoutManagerClass *manager_class = GTK_LAYOUT_MANAGER_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = dly_wrap_layout_get_property;
  object_class->set_property = dly_wrap_layout_set_property;

  manager_class->get_request_mode = dly_wrap_layout_get_request_mode;
  manager_class->measure = dly_wrap_layout_measure;
  manager_class->allocate = dly_wrap_layout_allocate;

  /**
   * DlyWrapLayout:column-spacing:
   * Pixels between children on a line.
   */
  properties[PROP_COLUMN_SPACING] =
    g_param_spec_int ("column-spacing", NULL, NULL, 0, G_MAXINT, 0, flags);

  /**
   * DlyWrapLayout:row-spacing:
   * Pixels between lines.
   */
  properties[PROP_ROW_SPACING] = g_param_spec_int ("row-spacing", NULL, NULL, 0, G_MAXINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dly_wrap_layout_init (DlyWrapLayout *self)
{
}

GtkLayoutManager *
dly_wrap_layout_new (int column_spacing,
                     int row_spacing)
{
  return g_object_new (DLY_TYPE_WRAP_LAYOUT,
                       "column-spacing", column_spacing,
                       "row-spacing", row_spacing,
                       NULL);
}
