/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>

#include "dly-compare-view.h"
#include "dly-video-paintable.h"

#define PAIR_SPACING 2

struct _DlyCompareView
{
  GtkWidget          parent_instance;

  DlyVideoPaintable *paintable_a;     /* owned */
  DlyVideoPaintable *paintable_b;     /* owned */
  DlyVideoPaintable *wipe_paintable;  /* owned */
  double             drag_start_x;

  /* Template children */
  DlyVideoView      *video_view;
  GtkStack          *mode_stack;
  GtkWidget         *pair_box;
  GtkPicture        *picture_a;
  GtkPicture        *picture_b;
  GtkRevealer       *pair_label_a;
  GtkRevealer       *pair_label_b;
  GtkOverlay        *wipe_overlay;
  GtkPicture        *wipe_picture;
  GtkWidget         *wipe_handle;
  GtkRevealer       *wipe_label_a;
  GtkRevealer       *wipe_label_b;
  GtkWidget         *compare_controls;
  GtkToggleButton   *wipe_button;
  GMenuModel        *compare_menu;
};

G_DEFINE_FINAL_TYPE (DlyCompareView, dly_compare_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WIPE,
  PROP_WIPE_POSITION,
  PROP_AUDIO_SIDE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- side by side, or one above the other: whichever shows the takes larger --- */

static double
pair_aspect (DlyCompareView *self)
{
  double aspect = gdk_paintable_get_intrinsic_aspect_ratio (GDK_PAINTABLE (self->paintable_a));

  return aspect > 0 ? aspect : 16.0 / 9.0;
}

/* The width a picture of @aspect gets when fitted into @width × @height. */
static double
fitted_width (double width,
              double height,
              double aspect)
{
  return MIN (width, height * aspect);
}

/* Stacked, the lower take would sit under the controls' card: the pair keeps clear of it,
 * in the band that letterboxing leaves below tall panes' pictures anyway. */
static int
stacked_height (DlyCompareView *self,
                int             width,
                int             height)
{
  return MAX (height - dly_video_view_get_controls_height (self->video_view, width), 0);
}

static gboolean
pair_is_horizontal (DlyCompareView *self,
                    int             width,
                    int             height)
{
  double aspect = pair_aspect (self);
  double side_by_side = fitted_width ((width - PAIR_SPACING) / 2.0, height, aspect);
  double stacked = fitted_width (width, (stacked_height (self, width, height) - PAIR_SPACING) / 2.0,
                                 aspect);

  /* Side by side is how takes are compared; stack them only when that is clearly larger. */
  return side_by_side * 1.25 >= stacked;
}

static void
pair_layout_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  *minimum = 0;
  *natural = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min = 0, child_nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      /* Naturally side by side. */
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        *natural += child_nat + (*natural > 0 ? PAIR_SPACING : 0);
      else
        *natural = MAX (*natural, child_nat);
    }
}

static void
pair_layout_allocate (GtkWidget *widget,
                      int        width,
                      int        height,
                      int        baseline)
{
  GtkWidget *compare = gtk_widget_get_ancestor (widget, DLY_TYPE_COMPARE_VIEW);
  gboolean horizontal = compare == NULL
                        || pair_is_horizontal (DLY_COMPARE_VIEW (compare), width, height);
  GtkWidget *first = gtk_widget_get_first_child (widget);
  GtkWidget *second = first != NULL ? gtk_widget_get_next_sibling (first) : NULL;

  if (first == NULL || second == NULL)
    return;

  if (horizontal)
    {
      int first_width = (width - PAIR_SPACING) / 2;

      gtk_widget_size_allocate (first, &(GtkAllocation) { 0, 0, first_width, height }, -1);
      gtk_widget_size_allocate (second,
                                &(GtkAllocation) { first_width + PAIR_SPACING, 0,
                                                   width - first_width - PAIR_SPACING, height },
                                -1);
    }
  else
    {
      int pair_height = stacked_height (DLY_COMPARE_VIEW (compare), width, height);
      int first_height = (pair_height - PAIR_SPACING) / 2;

      gtk_widget_size_allocate (first, &(GtkAllocation) { 0, 0, width, first_height }, -1);
      gtk_widget_size_allocate (second,
                                &(GtkAllocation) { 0, first_height + PAIR_SPACING,
                                                   width, pair_height - first_height - PAIR_SPACING },
                                -1);
    }
}

/* --- the wipe --- */

/* Where the picture's frame is drawn inside the wipe overlay (letterboxed). */
static graphene_rect_t
wipe_content_rect (DlyCompareView *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self->wipe_overlay));
  double height = gtk_widget_get_height (GTK_WIDGET (self->wipe_overlay));
  double aspect = pair_aspect (self);
  double w = fitted_width (width, height, aspect);
  double h = w / aspect;

  return GRAPHENE_RECT_INIT ((width - w) / 2, (height - h) / 2, w, h);
}

static gboolean
on_wipe_overlay_get_child_position_cb (GtkOverlay     *overlay,
                                       GtkWidget      *child,
                                       GtkAllocation  *allocation,
                                       DlyCompareView *self)
{
  graphene_rect_t rect;
  int min_width, min_height;

  if (child != self->wipe_handle)
    return FALSE;

  rect = wipe_content_rect (self);
  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, -1, &min_height, NULL, NULL, NULL);

  allocation->width = min_width;
  allocation->height = min_height;
  allocation->x = rect.origin.x + dly_compare_view_get_wipe_position (self) * rect.size.width
                  - min_width / 2.0;
  allocation->y = rect.origin.y + (rect.size.height - min_height) / 2;
  return TRUE;
}

static void
set_wipe_from_x (DlyCompareView *self,
                 double          x)
{
  graphene_rect_t rect = wipe_content_rect (self);

  if (rect.size.width <= 0)
    return;

  dly_compare_view_set_wipe_position (self, (x - rect.origin.x) / rect.size.width);
}

static void
on_wipe_drag_begin_cb (GtkGestureDrag *gesture,
                       double          x,
                       double          y,
                       DlyCompareView *self)
{
  self->drag_start_x = x;
  set_wipe_from_x (self, x);
}

static void
on_wipe_drag_update_cb (GtkGestureDrag *gesture,
                        double          offset_x,
                        double          offset_y,
                        DlyCompareView *self)
{
  set_wipe_from_x (self, self->drag_start_x + offset_x);
}

/* --- labels --- */

static GtkWidget *
make_label (const char *text,
            gboolean    end)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", 2);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *title = gtk_label_new (lines[0]);

  gtk_widget_add_css_class (box, "toolbar");
  gtk_widget_add_css_class (box, "osd");
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);

  gtk_label_set_xalign (GTK_LABEL (title), end ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);

  if (lines[0] != NULL && lines[1] != NULL && *lines[1] != '\0')
    {
      GtkWidget *detail = gtk_label_new (lines[1]);

      gtk_label_set_xalign (GTK_LABEL (detail), end ? 1 : 0);
      gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (detail), 40);
      gtk_widget_add_css_class (detail, "caption");
      gtk_box_append (GTK_BOX (box), detail);
    }

  return box;
}

static char *
default_label (DlyCompareView *self,
               DlyPlayerSide   side)
{
  const char *uri = dly_player_get_uri (dly_compare_view_get_player (self), side);
  g_autofree char *name = NULL;

  if (uri != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (uri);

      name = g_file_get_basename (file);
    }

  return g_strdup_printf ("%s · %s", side == DLY_PLAYER_SIDE_A ? "A" : "B",
                          name != NULL ? name : "");
}

/* --- reflecting state --- */

static void
on_player_audio_side_changed_cb (DlyPlayer      *player,
                                 GParamSpec     *pspec,
                                 DlyCompareView *self)
{
  dly_video_view_set_frame_side (self->video_view, dly_player_get_audio_side (player));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_SIDE]);
}

static void
on_paintable_size_changed_cb (GdkPaintable   *paintable,
                              DlyCompareView *self)
{
  /* The pair's orientation and the wipe handle depend on the takes' shape. */
  gtk_widget_queue_allocate (self->pair_box);
  gtk_widget_queue_allocate (GTK_WIDGET (self->wipe_overlay));
}

/* --- GObject --- */

static void
dly_compare_view_dispose (GObject *object)
{
  DlyCompareView *self = DLY_COMPARE_VIEW (object);

  /* Closing the player still resizes the paintables, after the widgets have gone. */
  if (self->paintable_a != NULL)
    g_signal_handlers_disconnect_by_func (self->paintable_a, on_paintable_size_changed_cb, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DLY_TYPE_COMPARE_VIEW);

  g_clear_object (&self->paintable_a);
  g_clear_object (&self->paintable_b);
  g_clear_object (&self->wipe_paintable);

  G_OBJECT_CLASS (dly_compare_view_parent_class)->dispose (object);
}

static void
dly_compare_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DlyCompareView *self = DLY_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_WIPE:
      g_value_set_boolean (value, dly_compare_view_get_wipe (self));
      break;
    case PROP_WIPE_POSITION:
      g_value_set_double (value, dly_compare_view_get_wipe_position (self));
      break;
    case PROP_AUDIO_SIDE:
      g_value_set_enum (value, dly_compare_view_get_audio_side (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_compare_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DlyCompareView *self = DLY_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_WIPE:
      dly_compare_view_set_wipe (self, g_value_get_boolean (value));
      break;
    case PROP_WIPE_POSITION:
      dly_compare_view_set_wipe_position (self, g_value_get_double (value));
      break;
    case PROP_AUDIO_SIDE:
      dly_compare_view_set_audio_side (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_compare_view_class_init (DlyCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dly_compare_view_dispose;
  object_class->get_property = dly_compare_view_get_property;
  object_class->set_property = dly_compare_view_set_property;

  /**
   * DlyCompareView:wipe:
   * Whether the takes are on top of each other with a divider, rather than side by side.
   */
  properties[PROP_WIPE] = g_param_spec_boolean ("wipe", NULL, NULL, FALSE, rw);

  /**
   * DlyCompareView:wipe-position:
   * Where the divider is, 0 to 1 from the left of the picture.
   */
  properties[PROP_WIPE_POSITION] = g_param_spec_double ("wipe-position", NULL, NULL,
                                                        0, 1, 0.5, rw);

  /**
   * DlyCompareView:audio-side:
   * The take that is heard and whose frames the frame actions take.
   */
  properties[PROP_AUDIO_SIDE] =
    g_param_spec_enum ("audio-side", NULL, NULL, DLY_TYPE_PLAYER_SIDE, DLY_PLAYER_SIDE_A, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DLY_TYPE_VIDEO_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, video_view);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, pair_box);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, picture_a);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, picture_b);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, pair_label_a);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, pair_label_b);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, wipe_overlay);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, wipe_picture);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, wipe_handle);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, wipe_label_a);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, wipe_label_b);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, compare_controls);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, wipe_button);
  gtk_widget_class_bind_template_child (widget_class, DlyCompareView, compare_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_wipe_overlay_get_child_position_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_wipe_drag_begin_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_wipe_drag_update_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dly-compare-view");

  gtk_widget_class_install_property_action (widget_class, "compare.wipe", "wipe");
  gtk_widget_class_install_property_action (widget_class, "compare.audio-side", "audio-side");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, 0, "compare.wipe", NULL);
}

static void
dly_compare_view_init (DlyCompareView *self)
{
  DlyPlayer *player;
  GtkRevealer *revealers[4];

  gtk_widget_init_template (GTK_WIDGET (self));

  player = dly_video_view_get_player (self->video_view);
  self->paintable_a = dly_video_paintable_new (player, DLY_PLAYER_SIDE_A);
  self->paintable_b = dly_video_paintable_new (player, DLY_PLAYER_SIDE_B);
  self->wipe_paintable = dly_video_paintable_new (player, DLY_PLAYER_SIDE_A);
  dly_video_paintable_set_wipe (self->wipe_paintable, 0.5);
  gtk_picture_set_paintable (self->picture_a, GDK_PAINTABLE (self->paintable_a));
  gtk_picture_set_paintable (self->picture_b, GDK_PAINTABLE (self->paintable_b));
  gtk_picture_set_paintable (self->wipe_picture, GDK_PAINTABLE (self->wipe_paintable));
  g_signal_connect_object (self->paintable_a, "invalidate-size",
                           G_CALLBACK (on_paintable_size_changed_cb), self, G_CONNECT_DEFAULT);

  gtk_widget_set_layout_manager (self->pair_box,
                                 gtk_custom_layout_new (NULL, pair_layout_measure,
                                                        pair_layout_allocate));

  dly_video_view_add_control (self->video_view, self->compare_controls);
  dly_video_view_add_menu_section (self->video_view, self->compare_menu);
  g_signal_connect_object (player, "notify::audio-side",
                           G_CALLBACK (on_player_audio_side_changed_cb), self, G_CONNECT_DEFAULT);

  /* Labels fade with the controls, so that nothing covers the takes while they play. */
  revealers[0] = self->pair_label_a;
  revealers[1] = self->pair_label_b;
  revealers[2] = self->wipe_label_a;
  revealers[3] = self->wipe_label_b;
  for (guint i = 0; i < G_N_ELEMENTS (revealers); i++)
    g_object_bind_property (self->video_view, "controls-revealed",
                            revealers[i], "reveal-child", G_BINDING_SYNC_CREATE);
  dly_compare_view_set_labels (self, NULL, NULL);
}

GtkWidget *
dly_compare_view_new (void)
{
  return g_object_new (DLY_TYPE_COMPARE_VIEW, NULL);
}

DlyVideoView *
dly_compare_view_get_video_view (DlyCompareView *self)
{
  g_return_val_if_fail (DLY_IS_COMPARE_VIEW (self), NULL);

  return self->video_view;
}

DlyPlayer *
dly_compare_view_get_player (DlyCompareView *self)
{
  g_return_val_if_fail (DLY_IS_COMPARE_VIEW (self), NULL);

  return dly_video_view_get_player (self->video_view);
}

void
dly_compare_view_open (DlyCompareView *self,
                       const char     *location_a,
                       const char     *location_b)
{
  g_return_if_fail (DLY_IS_COMPARE_VIEW (self));
  g_return_if_fail (location_a != NULL && location_b != NULL);

  dly_player_open_pair (dly_compare_view_get_player (self), location_a, location_b);
  dly_compare_view_set_labels (self, NULL, NULL);
}

void
dly_compare_view_set_labels (DlyCompareView *self,
                             const char     *left,
                             const char     *right)
{
  g_autofree char *default_left = NULL;
  g_autofree char *default_right = NULL;

  g_return_if_fail (DLY_IS_COMPARE_VIEW (self));

  if (left == NULL)
    left = default_left = default_label (self, DLY_PLAYER_SIDE_A);
  if (right == NULL)
    right = default_right = default_label (self, DLY_PLAYER_SIDE_B);

  gtk_revealer_set_child (self->pair_label_a, make_label (left, FALSE));
  gtk_revealer_set_child (self->pair_label_b, make_label (right, FALSE));
  gtk_revealer_set_child (self->wipe_label_a, make_label (left, FALSE));
  gtk_revealer_set_child (self->wipe_label_b, make_label (right, TRUE));
}

gboolean
dly_compare_view_get_wipe (DlyCompareView *self)
{
  g_return_val_if_fail (DLY_IS_COMPARE_VIEW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->mode_stack), "wipe") == 0;
}

void
dly_compare_view_set_wipe (DlyCompareView *self,
                           gboolean        wipe)
{
  g_return_if_fail (DLY_IS_COMPARE_VIEW (self));

  wipe = !!wipe;
  if (wipe == dly_compare_view_get_wipe (self))
    return;

  gtk_stack_set_visible_child_name (self->mode_stack, wipe ? "wipe" : "side-by-side");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->wipe_button),
                               wipe ? _("Show the Takes Side by Side (W)")
                                    : _("Wipe Between the Takes (W)"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIPE]);
}

double
dly_compare_view_get_wipe_position (DlyCompareView *self)
{
  g_return_val_if_fail (DLY_IS_COMPARE_VIEW (self), 0.5);

  return dly_video_paintable_get_wipe (self->wipe_paintable);
}

void
dly_compare_view_set_wipe_position (DlyCompareView *self,
                                    double          position)
{
  g_return_if_fail (DLY_IS_COMPARE_VIEW (self));

  position = CLAMP (position, 0.0, 1.0);
  if (position == dly_compare_view_get_wipe_position (self))
    return;

  dly_video_paintable_set_wipe (self->wipe_paintable, position);
  gtk_widget_queue_allocate (GTK_WIDGET (self->wipe_overlay));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIPE_POSITION]);
}

DlyPlayerSide
dly_compare_view_get_audio_side (DlyCompareView *self)
{
  g_return_val_if_fail (DLY_IS_COMPARE_VIEW (self), DLY_PLAYER_SIDE_A);

  return dly_player_get_audio_side (dly_compare_view_get_player (self));
}

void
dly_compare_view_set_audio_side (DlyCompareView *self,
                                 DlyPlayerSide   side)
{
  g_return_if_fail (DLY_IS_COMPARE_VIEW (self));

  /* The player notifies; on_player_audio_side_changed_cb() follows up. */
  dly_player_set_audio_side (dly_compare_view_get_player (self), side);
}
