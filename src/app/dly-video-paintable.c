/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <gst/video/video.h>

#include "dly-video-paintable.h"

typedef struct
{
  GstSample  *pending;          /* owned: the newest frame, not made into a texture yet */
  GdkTexture *texture;          /* owned: the frame drawn last */
  int         width;            /* display size: pixels stretched by the pixel aspect */
  int         height;
} Frame;

struct _DlyVideoPaintable
{
  GObject        parent_instance;

  DlyPlayer     *player;        /* owned */
  DlyPlayerSide  side;
  Frame          frames[2];     /* by side: this one, and the other for the wipe */
  double         wipe;
  GdkTexture    *last_drawn;    /* borrowed: only compared, never dereferenced */
  guint64        n_drawn;
};

static void dly_video_paintable_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DlyVideoPaintable, dly_video_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      dly_video_paintable_paintable_init))

enum {
  PROP_0,
  PROP_PLAYER,
  PROP_SIDE,
  PROP_WIPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
frame_clear (Frame *frame)
{
  g_clear_pointer (&frame->pending, gst_sample_unref);
  g_clear_object (&frame->texture);
  frame->width = 0;
  frame->height = 0;
}

/* Turns the pending sample into a texture; the pixels are shared, not copied. */
static GdkTexture *
frame_get_texture (Frame *frame)
{
  g_autoptr(GstSample) sample = g_steal_pointer (&frame->pending);
  g_autoptr(GBytes) bytes = NULL;
  int width, height;
  gsize stride;

  if (sample == NULL)
    return frame->texture;

  bytes = dly_player_sample_map (sample, &width, &height, &stride);
  if (bytes == NULL)
    return frame->texture;

  g_clear_object (&frame->texture);
  /* Video is opaque, so straight and premultiplied alpha are the same bytes; the
   * premultiplied format is the one GDK draws without converting. */
  frame->texture = gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
                                           bytes, stride);
  return frame->texture;
}

static gboolean
frame_take_sample (Frame     *frame,
                   GstSample *sample)
{
  GstCaps *caps = gst_sample_get_caps (sample);
  GstVideoInfo info;
  int width = 0, height = 0;
  gboolean size_changed;

  if (caps != NULL && gst_video_info_from_caps (&info, caps))
    {
      width = GST_VIDEO_INFO_WIDTH (&info);
      height = GST_VIDEO_INFO_HEIGHT (&info);
      /* Non-square pixels (anamorphic video) are shown wider, as they are meant to be. */
      if (GST_VIDEO_INFO_PAR_N (&info) > 0 && GST_VIDEO_INFO_PAR_D (&info) > 0)
        width = gst_util_uint64_scale_int_round (width, GST_VIDEO_INFO_PAR_N (&info),
                                                 GST_VIDEO_INFO_PAR_D (&info));
    }

  size_changed = width != frame->width || height != frame->height;
  frame->width = width;
  frame->height = height;
  g_clear_pointer (&frame->pending, gst_sample_unref);
  frame->pending = gst_sample_ref (sample);

  return size_changed;
}

static void
on_player_frame_ready_cb (DlyPlayer     *player,
                          DlyPlayerSide  side,
                          gpointer       user_data)
{
  DlyVideoPaintable *self = user_data;
  g_autoptr(GstSample) sample = dly_player_get_frame (player, side);

  if (sample == NULL)
    return;

  if (frame_take_sample (&self->frames[side], sample) && side == self->side)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));

  if (side == self->side || self->wipe >= 0)
    gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

static void
on_player_n_sides_changed_cb (DlyPlayer  *player,
                              GParamSpec *pspec,
                              gpointer    user_data)
{
  DlyVideoPaintable *self = user_data;

  /* Another file: the old picture must not linger. */
  for (guint i = 0; i < G_N_ELEMENTS (self->frames); i++)
    frame_clear (&self->frames[i]);
  gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

/* --- GdkPaintable --- */

static void
append_texture_fitted (GtkSnapshot *snapshot,
                       GdkTexture  *texture,
                       const Frame *frame,
                       double       width,
                       double       height)
{
  double frame_aspect, box_aspect, w = width, h = height;

  /* Fit a frame of another shape into the box without stretching it. */
  if (frame->width > 0 && frame->height > 0 && width > 0 && height > 0)
    {
      frame_aspect = (double) frame->width / frame->height;
      box_aspect = width / height;
      if (frame_aspect > box_aspect)
        h = width / frame_aspect;
      else
        w = height * frame_aspect;
    }

  gtk_snapshot_append_texture (snapshot, texture,
                               &GRAPHENE_RECT_INIT ((width - w) / 2, (height - h) / 2, w, h));
}

static void
dly_video_paintable_snapshot (GdkPaintable *paintable,
                              GdkSnapshot  *snapshot,
                              double        width,
                              double        height)
{
  DlyVideoPaintable *self = DLY_VIDEO_PAINTABLE (paintable);
  Frame *frame = &self->frames[self->side];
  GdkTexture *texture = frame_get_texture (frame);

  if (texture == NULL)
    return;

  if (texture != self->last_drawn)
    {
      self->last_drawn = texture;
      self->n_drawn++;
    }

  gtk_snapshot_append_texture (GTK_SNAPSHOT (snapshot), texture,
                               &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (self->wipe >= 0)
    {
      Frame *other = &self->frames[self->side == DLY_PLAYER_SIDE_A ? DLY_PLAYER_SIDE_B
                                                                   : DLY_PLAYER_SIDE_A];
      GdkTexture *other_texture = frame_get_texture (other);
      double x = CLAMP (self->wipe, 0.0, 1.0) * width;

      if (other_texture == NULL || x >= width)
        return;

      gtk_snapshot_push_clip (GTK_SNAPSHOT (snapshot),
                              &GRAPHENE_RECT_INIT (x, 0, width - x, height));
      /* Behind a take of another shape, black, not the first take, fills the margins. */
      gtk_snapshot_append_color (GTK_SNAPSHOT (snapshot), &(GdkRGBA) { 0, 0, 0, 1 },
                                 &GRAPHENE_RECT_INIT (0, 0, width, height));
      append_texture_fitted (GTK_SNAPSHOT (snapshot), other_texture, other, width, height);
      gtk_snapshot_pop (GTK_SNAPSHOT (snapshot));

      /* The divider, light enough to see on dark footage and thin enough not to hide it. */
      gtk_snapshot_append_color (GTK_SNAPSHOT (snapshot), &(GdkRGBA) { 1, 1, 1, 0.85 },
                                 &GRAPHENE_RECT_INIT (x - 1, 0, 2, height));
    }
}

static GdkPaintable *
dly_video_paintable_get_current_image (GdkPaintable *paintable)
{
  DlyVideoPaintable *self = DLY_VIDEO_PAINTABLE (paintable);
  GdkTexture *texture;

  if (self->wipe >= 0)
    return gdk_paintable_new_empty (gdk_paintable_get_intrinsic_width (paintable),
                                    gdk_paintable_get_intrinsic_height (paintable));

  texture = frame_get_texture (&self->frames[self->side]);
  if (texture == NULL)
    return gdk_paintable_new_empty (0, 0);

  return g_object_ref (GDK_PAINTABLE (texture));
}

static int
dly_video_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  DlyVideoPaintable *self = DLY_VIDEO_PAINTABLE (paintable);

  return self->frames[self->side].width;
}

static int
dly_video_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  DlyVideoPaintable *self = DLY_VIDEO_PAINTABLE (paintable);

  return self->frames[self->side].height;
}

static double
dly_video_paintable_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  DlyVideoPaintable *self = DLY_VIDEO_PAINTABLE (paintable);
  const Frame *frame = &self->frames[self->side];

  if (frame->width <= 0 || frame->height <= 0)
    return 0;

  return (double) frame->width / frame->height;
}

static void
dly_video_paintable_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = dly_video_paintable_snapshot;
  iface->get_current_image = dly_video_paintable_get_current_image;
  iface->get_intrinsic_width = dly_video_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = dly_video_paintable_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = dly_video_paintable_get_intrinsic_aspect_ratio;
}

/* --- GObject --- */

static void
dly_video_paintable_constructed (GObject *object)
{
  DlyVideoPaintable *self = DLY_VIDEO_PAINTABLE (object);

  G_OBJECT_CLASS (dly_video_paintable_parent_class)->constructed (object);

  g_return_if_fail (DLY_IS_PLAYER (self->player));

  g_signal_connect_object (self->player, "frame-ready",
                           G_CALLBACK (on_player_frame_ready_cb), self, G_CONNECT_DEFAULT);
  g_signal_connect_object (self->player, "notify::n-sides",
                           G_CALLBACK (on_player_n_sides_changed_cb), self, G_CONNECT_DEFAULT);

  /* A paintable made for a player that already shows something starts with that. */
  for (guint i = 0; i < G_N_ELEMENTS (self->frames); i++)
    {
      g_autoptr(GstSample) frame = dly_player_get_frame (self->player, i);

      if (frame != NULL)
        frame_take_sample (&self->frames[i], frame);
    }
}

static void
dly_video_paintable_dispose (GObject *object)
{
  DlyVideoPaintable *self = DLY_VIDEO_PAINTABLE (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->frames); i++)
    frame_clear (&self->frames[i]);
  self->last_drawn = NULL;
  g_clear_object (&self->player);

  G_OBJECT_CLASS (dly_video_paintable_parent_class)->dispose (object);
}

static void
dly_video_paintable_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DlyVideoPaintable *self = DLY_VIDEO_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_PLAYER:
      g_value_set_object (value, self->player);
      break;
    case PROP_SIDE:
      g_value_set_enum (value, self->side);
      break;
    case PROP_WIPE:
      g_value_set_double (value, self->wipe);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_video_paintable_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DlyVideoPaintable *self = DLY_VIDEO_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_PLAYER:
      self->player = g_value_dup_object (value);
      break;
    case PROP_SIDE:
      self->side = g_value_get_enum (value);
      break;
    case PROP_WIPE:
      dly_video_paintable_set_wipe (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_video_paintable_class_init (DlyVideoPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dly_video_paintable_constructed;
  object_class->dispose = dly_video_paintable_dispose;
  object_class->get_property = dly_video_paintable_get_property;
  object_class->set_property = dly_video_paintable_set_property;

  /**
   * DlyVideoPaintable:player:
   * The player whose frames are shown.
   */
  properties[PROP_PLAYER] =
    g_param_spec_object ("player", NULL, NULL, DLY_TYPE_PLAYER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * DlyVideoPaintable:side:
   * Which of the player's files is shown.
   */
  properties[PROP_SIDE] =
    g_param_spec_enum ("side", NULL, NULL, DLY_TYPE_PLAYER_SIDE, DLY_PLAYER_SIDE_A,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * DlyVideoPaintable:wipe:
   * The divider of a wipe comparison, 0 to 1, or -1 for none.
   */
  properties[PROP_WIPE] =
    g_param_spec_double ("wipe", NULL, NULL, -1, 1, -1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dly_video_paintable_init (DlyVideoPaintable *self)
{
  self->wipe = -1;
}

DlyVideoPaintable *
dly_video_paintable_new (DlyPlayer     *player,
                         DlyPlayerSide  side)
{
  g_return_val_if_fail (DLY_IS_PLAYER (player), NULL);

  return g_object_new (DLY_TYPE_VIDEO_PAINTABLE, "player", player, "side", side, NULL);
}

DlyPlayer *
dly_video_paintable_get_player (DlyVideoPaintable *self)
{
  g_return_val_if_fail (DLY_IS_VIDEO_PAINTABLE (self), NULL);

  return self->player;
}

DlyPlayerSide
dly_video_paintable_get_side (DlyVideoPaintable *self)
{
  g_return_val_if_fail (DLY_IS_VIDEO_PAINTABLE (self), DLY_PLAYER_SIDE_A);

  return self->side;
}

GdkTexture *
dly_video_paintable_get_texture (DlyVideoPaintable *self)
{
  g_return_val_if_fail (DLY_IS_VIDEO_PAINTABLE (self), NULL);

  return frame_get_texture (&self->frames[self->side]);
}

double
dly_video_paintable_get_wipe (DlyVideoPaintable *self)
{
  g_return_val_if_fail (DLY_IS_VIDEO_PAINTABLE (self), -1);

  return self->wipe;
}

void
dly_video_paintable_set_wipe (DlyVideoPaintable *self,
                              double             wipe)
{
  g_return_if_fail (DLY_IS_VIDEO_PAINTABLE (self));

  wipe = wipe < 0 ? -1 : MIN (wipe, 1.0);
  if (wipe == self->wipe)
    return;

  self->wipe = wipe;
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIPE]);
}

guint64
dly_video_paintable_get_n_drawn (DlyVideoPaintable *self)
{
  g_return_val_if_fail (DLY_IS_VIDEO_PAINTABLE (self), 0);

  return self->n_drawn;
}
