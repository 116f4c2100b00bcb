/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include "dly-media-info.h"
#include "dly-player.h"

#define DISCOVER_TIMEOUT (15 * GST_SECOND)

struct _DlyMediaInfo
{
  GObject  parent_instance;

  char    *uri;
  char    *name;
  char    *container;
  char    *video_codec;
  int      width;
  int      height;
  int      fps_n;
  int      fps_d;
  gint64   frame_count;
  gint64   duration;
  gboolean has_audio;
  char    *audio_codec;
  int      channels;
  int      sample_rate;
  guint64  bitrate;
  guint64  file_size;
};

G_DEFINE_FINAL_TYPE (DlyMediaInfo, dly_media_info, G_TYPE_OBJECT)

static void
dly_media_info_finalize (GObject *object)
{
  DlyMediaInfo *self = DLY_MEDIA_INFO (object);

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->container, g_free);
  g_clear_pointer (&self->video_codec, g_free);
  g_clear_pointer (&self->audio_codec, g_free);

  G_OBJECT_CLASS (dly_media_info_parent_class)->finalize (object);
}

static void
dly_media_info_class_init (DlyMediaInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dly_media_info_finalize;
}

static void
dly_media_info_init (DlyMediaInfo *self)
{
}

static char *
describe_caps (GstDiscovererStreamInfo *info)
{
  g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (info);

  if (caps == NULL)
    return NULL;

  return gst_pb_utils_get_codec_description (caps);
}

static GError *
translate_error (const GError *error,
                 const char   *name)
{
  if (g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND)
      || g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ)
      || g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ))
    return g_error_new (DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NOT_FOUND,
                        _("Could not open “%s”: %s"), name, error->message);

  if (g_error_matches (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN)
      || g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND))
    return g_error_new (DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_MISSING_CODEC,
                        _("“%s” needs a decoder that is not installed: %s"), name,
                        error->message);

  if (error->domain == GST_STREAM_ERROR)
    return g_error_new (DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NOT_VIDEO,
                        _("“%s” is not a video that can be played: %s"), name, error->message);

  return g_error_new (DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_FAILED,
                      _("Could not read “%s”: %s"), name, error->message);
}

static void
fill_from_discoverer (DlyMediaInfo      *self,
                      GstDiscovererInfo *info)
{
  g_autoptr(GstDiscovererStreamInfo) top = gst_discoverer_info_get_stream_info (info);
  GList *videos = gst_discoverer_info_get_video_streams (info);
  GList *audios = gst_discoverer_info_get_audio_streams (info);

  self->duration = gst_discoverer_info_get_duration (info);

  if (top != NULL && GST_IS_DISCOVERER_CONTAINER_INFO (top))
    {
      const GstTagList *tags =
        gst_discoverer_container_info_get_tags (GST_DISCOVERER_CONTAINER_INFO (top));

      /* The demuxer's tag tells MP4 from QuickTime; the caps say "Quicktime" for both. */
      if (tags == NULL || !gst_tag_list_get_string (tags, GST_TAG_CONTAINER_FORMAT,
                                                     &self->container))
        self->container = describe_caps (top);
    }

  if (videos != NULL)
    {
      GstDiscovererVideoInfo *video = videos->data;

      self->video_codec = describe_caps (GST_DISCOVERER_STREAM_INFO (video));
      self->width = gst_discoverer_video_info_get_width (video);
      self->height = gst_discoverer_video_info_get_height (video);
      self->fps_n = gst_discoverer_video_info_get_framerate_num (video);
      self->fps_d = gst_discoverer_video_info_get_framerate_denom (video);

      /* The container's duration may be the (longer) audio track's: count the whole frames
       * that fit, with slack for a duration rounded down to the nanosecond. */
      if (self->fps_n > 0 && self->fps_d > 0 && self->duration > 0)
        self->frame_count = gst_util_uint64_scale (self->duration + 100 * GST_USECOND,
                                                   self->fps_n,
                                                   (guint64) self->fps_d * GST_SECOND);
    }

  if (audios != NULL)
    {
      GstDiscovererAudioInfo *audio = audios->data;

      self->has_audio = TRUE;
      self->audio_codec = describe_caps (GST_DISCOVERER_STREAM_INFO (audio));
      self->channels = gst_discoverer_audio_info_get_channels (audio);
      self->sample_rate = gst_discoverer_audio_info_get_sample_rate (audio);
    }

  gst_discoverer_stream_info_list_free (videos);
  gst_discoverer_stream_info_list_free (audios);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *location = task_data;
  g_autoptr(DlyMediaInfo) self = g_object_new (DLY_TYPE_MEDIA_INFO, NULL);
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) file_info = NULL;
  g_autoptr(GError) error = NULL;

  if (gst_uri_is_valid (location))
    file = g_file_new_for_uri (location);
  else
    file = g_file_new_for_commandline_arg (location);
  self->uri = g_file_get_uri (file);

  file_info = g_file_query_info (file,
                                 G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                 G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                 G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (file_info != NULL)
    {
      self->file_size = g_file_info_get_size (file_info);
      self->name = g_strdup (g_file_info_get_display_name (file_info));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_autofree char *parse_name = g_file_get_parse_name (file);

      g_task_return_new_error (task, DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NOT_FOUND,
                               _("Could not open “%s”: %s"), parse_name, error->message);
      return;
    }
  g_clear_error (&error);
  if (self->name == NULL)
    self->name = g_file_get_basename (file);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* The synchronous call runs its own loop in this thread, away from the caller's. */
  discoverer = gst_discoverer_new (DISCOVER_TIMEOUT, &error);
  if (discoverer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  info = gst_discoverer_discover_uri (discoverer, self->uri, &error);
  if (info == NULL || gst_discoverer_info_get_result (info) != GST_DISCOVERER_OK)
    {
      if (info != NULL && gst_discoverer_info_get_result (info) == GST_DISCOVERER_MISSING_PLUGINS)
        {
          g_task_return_new_error (task, DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_MISSING_CODEC,
                                   _("“%s” needs a decoder that is not installed"), self->name);
          return;
        }
      if (error == NULL)
        error = g_error_new (GST_STREAM_ERROR, GST_STREAM_ERROR_FAILED,
                             _("GStreamer could not read it"));
      g_task_return_error (task, translate_error (error, self->name));
      return;
    }

  fill_from_discoverer (self, info);

  if (self->duration > 0 && self->file_size > 0)
    self->bitrate = gst_util_uint64_scale (self->file_size, 8 * GST_SECOND, self->duration);

  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

void
dly_media_info_load_async (const char          *location,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (location != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_media_info_load_async);
  g_task_set_task_data (task, g_strdup (location), g_free);
  g_task_run_in_thread (task, load_in_thread);
}

DlyMediaInfo *
dly_media_info_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dly_media_info_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
dly_media_info_get_uri (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), NULL);
  return self->uri;
}

const char *
dly_media_info_get_name (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), NULL);
  return self->name;
}

const char *
dly_media_info_get_container (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), NULL);
  return self->container;
}

const char *
dly_media_info_get_video_codec (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), NULL);
  return self->video_codec;
}

int
dly_media_info_get_width (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), 0);
  return self->width;
}

int
dly_media_info_get_height (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), 0);
  return self->height;
}

gboolean
dly_media_info_get_frame_rate (DlyMediaInfo *self,
                               int          *numerator,
                               int          *denominator)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), FALSE);

  if (self->fps_n <= 0 || self->fps_d <= 0)
    return FALSE;
  if (numerator != NULL)
    *numerator = self->fps_n;
  if (denominator != NULL)
    *denominator = self->fps_d;
  return TRUE;
}

gint64
dly_media_info_get_frame_count (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), 0);
  return self->frame_count;
}

gint64
dly_media_info_get_duration (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), 0);
  return self->duration;
}

gboolean
dly_media_info_get_has_audio (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), FALSE);
  return self->has_audio;
}

const char *
dly_media_info_get_audio_codec (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), NULL);
  return self->audio_codec;
}

int
dly_media_info_get_channels (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), 0);
  return self->channels;
}

int
dly_media_info_get_sample_rate (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), 0);
  return self->sample_rate;
}

guint64
dly_media_info_get_bitrate (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), 0);
  return self->bitrate;
}

guint64
dly_media_info_get_file_size (DlyMediaInfo *self)
{
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), 0);
  return self->file_size;
}

/* --- text --- */

static char *
format_duration (gint64 duration)
{
  gint64 ms = duration / GST_MSECOND;

  if (ms >= 60 * 1000)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d.%03d", ms / 60000,
                            (int) (ms / 1000 % 60), (int) (ms % 1000));

  return g_strdup_printf ("%.2f s", ms / 1000.0);
}

static char *
format_frame_rate (DlyMediaInfo *self)
{
  double fps;

  if (self->fps_n <= 0 || self->fps_d <= 0)
    return NULL;

  fps = (double) self->fps_n / self->fps_d;
  if (self->fps_d == 1)
    return g_strdup_printf ("%d fps", self->fps_n);
  return g_strdup_printf ("%.3g fps", fps);
}

static char *
format_size (DlyMediaInfo *self)
{
  if (self->width <= 0 || self->height <= 0)
    return NULL;
  return g_strdup_printf ("%d × %d", self->width, self->height);
}

static char *
format_channels (int channels)
{
  switch (channels)
    {
    case 0:
      return NULL;
    case 1:
      return g_strdup (_("Mono"));
    case 2:
      return g_strdup (_("Stereo"));
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d channel", "%d channels", channels),
                              channels);
    }
}

static char *
format_bitrate (guint64 bitrate)
{
  if (bitrate == 0)
    return NULL;
  if (bitrate >= 1000000)
    return g_strdup_printf ("%.1f Mb/s", bitrate / 1e6);
  return g_strdup_printf ("%" G_GUINT64_FORMAT " kb/s", (bitrate + 500) / 1000);
}

static void
add_row (GStrvBuilder *builder,
         const char   *label,
         char         *value)
{
  g_autofree char *owned = value;

  g_strv_builder_add (builder, label);
  g_strv_builder_add (builder, owned != NULL ? owned : "—");
}

GStrv
dly_media_info_to_rows (DlyMediaInfo *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), NULL);

  add_row (builder, _("Container"), g_strdup (self->container));
  add_row (builder, _("Video codec"), g_strdup (self->video_codec));
  add_row (builder, _("Resolution"), format_size (self));
  add_row (builder, _("Frame rate"), format_frame_rate (self));
  add_row (builder, _("Frames"),
           self->frame_count > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, self->frame_count)
                                 : NULL);
  add_row (builder, _("Duration"), self->duration > 0 ? format_duration (self->duration) : NULL);
  add_row (builder, _("Audio codec"),
           self->has_audio ? g_strdup (self->audio_codec) : g_strdup (_("No audio")));
  add_row (builder, _("Channels"),
           self->has_audio ? format_channels (self->channels) : NULL);
  add_row (builder, _("Bitrate"), format_bitrate (self->bitrate));
  add_row (builder, _("File size"),
           self->file_size > 0 ? g_format_size (self->file_size) : NULL);

  return g_strv_builder_end (builder);
}

char *
dly_media_info_describe_difference (DlyMediaInfo *self,
                                    DlyMediaInfo *other)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (DLY_IS_MEDIA_INFO (self), NULL);
  g_return_val_if_fail (DLY_IS_MEDIA_INFO (other), NULL);

  if (self->width != other->width || self->height != other->height)
    {
      g_autofree char *size = format_size (self);
      if (size != NULL)
        g_strv_builder_add (builder, size);
    }
  if ((gint64) self->fps_n * other->fps_d != (gint64) other->fps_n * self->fps_d)
    {
      g_autofree char *fps = format_frame_rate (self);
      if (fps != NULL)
        g_strv_builder_add (builder, fps);
    }
  /* Within a frame is the same length to a viewer. */
  if (self->frame_count != other->frame_count
      || (self->frame_count == 0 && ABS (self->duration - other->duration) > 40 * GST_MSECOND))
    {
      g_autofree char *duration = format_duration (self->duration);
      g_strv_builder_add (builder, duration);
    }
  if (g_strcmp0 (self->video_codec, other->video_codec) != 0 && self->video_codec != NULL)
    g_strv_builder_add (builder, self->video_codec);
  if (self->has_audio != other->has_audio)
    g_strv_builder_add (builder, self->has_audio ? _("with audio") : _("no audio"));
  else if (self->has_audio && g_strcmp0 (self->audio_codec, other->audio_codec) != 0
           && self->audio_codec != NULL)
    g_strv_builder_add (builder, self->audio_codec);

  parts = g_strv_builder_end (builder);
  if (parts[0] == NULL)
    return NULL;

  return g_strjoinv (" · ", parts);
}
