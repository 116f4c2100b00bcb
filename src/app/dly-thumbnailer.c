/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include "dly-player.h"
#include "dly-thumbnailer.h"

/* Two decodes at once keep a list of new takes filling in quickly without starving the
 * player, which decodes on the same CPUs. */
#define MAX_WORKERS        2
/* A few hundred small pictures (192×108 RGB is 62 kB) are a few megabytes at most. */
#define MEMORY_CACHE_SIZE  300
/* A first frame comes within milliseconds; a file that takes this long is not a video. */
#define DECODE_TIMEOUT     (20 * G_USEC_PER_SEC)
#define POLL_INTERVAL      (50 * GST_MSECOND)

typedef struct
{
  char       *key;
  GdkTexture *texture;   /* NULL when the take could not be decoded */
  GError     *error;
} CacheEntry;

typedef struct
{
  DlyThumbnailer *self;          /* borrowed: the task holds a reference */
  GTask          *task;          /* owned */
  char           *key;
  char           *video_path;
  char           *png_path;
  gulong          cancelled_id;

  /* Written by the worker, read on the main context once it is done. */
  GdkTexture     *texture;
  GError         *error;
  gboolean        decoded;
} Request;

struct _DlyThumbnailer
{
  GObject       parent_instance;

  char         *cache_dir;
  GMainContext *context;        /* where results are delivered */
  GThreadPool  *pool;
  GQueue        waiting;        /* of Request*, main context only */
  guint         n_running;
  int           purge_pending;  /* atomic: a purge of cancelled requests is scheduled */

  GHashTable   *cache;          /* key → GList link in lru */
  GQueue        lru;            /* of CacheEntry*, most recently used first */
  guint         n_decoded;
};

G_DEFINE_FINAL_TYPE (DlyThumbnailer, dly_thumbnailer, G_TYPE_OBJECT)

static void dispatch (DlyThumbnailer *self);

static void
cache_entry_free (CacheEntry *entry)
{
  g_free (entry->key);
  g_clear_object (&entry->texture);
  g_clear_error (&entry->error);
  g_free (entry);
}

static void
request_free (Request *request)
{
  GCancellable *cancellable = g_task_get_cancellable (request->task);

  /* Never called from the cancelled handler itself, where disconnecting would deadlock. */
  if (request->cancelled_id != 0)
    g_cancellable_disconnect (cancellable, request->cancelled_id);
  g_clear_object (&request->task);
  g_free (request->key);
  g_free (request->video_path);
  g_free (request->png_path);
  g_clear_object (&request->texture);
  g_clear_error (&request->error);
  g_free (request);
}

/* --- memory cache --- */

static CacheEntry *
cache_lookup (DlyThumbnailer *self,
              const char     *key)
{
  GList *link = g_hash_table_lookup (self->cache, key);

  if (link == NULL)
    return NULL;

  /* Most recently used first: what was on screen last is evicted last. */
  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);
  return link->data;
}

static void
cache_remove (DlyThumbnailer *self,
              const char     *key)
{
  GList *link = g_hash_table_lookup (self->cache, key);

  if (link == NULL)
    return;

  g_hash_table_remove (self->cache, key);
  g_queue_unlink (&self->lru, link);
  cache_entry_free (link->data);
  g_list_free_1 (link);
}

static void
cache_insert (DlyThumbnailer *self,
              const char     *key,
              GdkTexture     *texture,
              const GError   *error)
{
  CacheEntry *entry;

  cache_remove (self, key);

  entry = g_new0 (CacheEntry, 1);
  entry->key = g_strdup (key);
  entry->texture = texture != NULL ? g_object_ref (texture) : NULL;
  entry->error = error != NULL ? g_error_copy (error) : NULL;
  g_queue_push_head (&self->lru, entry);
  g_hash_table_insert (self->cache, entry->key, self->lru.head);

  while (self->lru.length > MEMORY_CACHE_SIZE)
    {
      CacheEntry *oldest = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->cache, oldest->key);
      cache_entry_free (oldest);
    }
}

/* --- decoding, in a worker thread --- */

typedef struct
{
  GstElement *convert;
  int         no_more_pads;   /* atomic */
} Decode;

static void
on_decodebin_pad_added_cb (GstElement *decodebin,
                           GstPad     *pad,
                           Decode     *decode)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr(GstPad) sink_pad = NULL;
  const char *name;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  if (caps == NULL || gst_caps_is_empty (caps))
    return;

  /* Only the first video stream is wanted; audio pads stay unlinked and are not waited for. */
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (!g_str_has_prefix (name, "video/"))
    return;

  sink_pad = gst_element_get_static_pad (decode->convert, "sink");
  if (!gst_pad_is_linked (sink_pad))
    gst_pad_link (pad, sink_pad);
}

static void
on_decodebin_no_more_pads_cb (GstElement *decodebin,
                              Decode     *decode)
{
  g_atomic_int_set (&decode->no_more_pads, 1);
}

static gboolean
video_linked (Decode *decode)
{
  g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (decode->convert, "sink");

  return gst_pad_is_linked (sink_pad);
}

static GError *
error_from_message (GstMessage *message,
                    Decode     *decode,
                    const char *path)
{
  g_autoptr(GError) gst_error = NULL;
  g_autofree char *debug = NULL;
  g_autofree char *display = g_filename_display_basename (path);
  int code = DLY_PLAYER_ERROR_FAILED;

  gst_message_parse_error (message, &gst_error, &debug);
  g_debug ("Thumbnail of %s: %s (%s)", path, gst_error->message, debug ? debug : "");

  if (g_error_matches (gst_error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND)
      || g_error_matches (gst_error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ))
    code = DLY_PLAYER_ERROR_NOT_FOUND;
  else if (g_error_matches (gst_error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN)
           || g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND))
    code = DLY_PLAYER_ERROR_MISSING_CODEC;
  else if (gst_error->domain == GST_STREAM_ERROR)
    code = video_linked (decode) ? DLY_PLAYER_ERROR_NOT_VIDEO : DLY_PLAYER_ERROR_NO_VIDEO;

  return g_error_new (DLY_PLAYER_ERROR, code, _("Could not read the first frame of %s: %s"),
                      display, gst_error->message);
}

static GdkTexture *
texture_from_sample (GstSample *sample,
                     GError   **error)
{
  GstCaps *caps = gst_sample_get_caps (sample);
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstVideoInfo info;
  GstVideoFrame frame;
  g_autoptr(GBytes) bytes = NULL;
  int width;
  int height;
  int stride;

  if (caps == NULL || buffer == NULL || !gst_video_info_from_caps (&info, caps)
      || !gst_video_frame_map (&frame, &info, buffer, GST_MAP_READ))
    {
      g_set_error_literal (error, DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_FAILED,
                           _("The first frame could not be read"));
      return NULL;
    }

  width = GST_VIDEO_FRAME_WIDTH (&frame);
  height = GST_VIDEO_FRAME_HEIGHT (&frame);
  stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
  /* A copy: the buffer goes back to the decoder's pool when the pipeline stops. */
  bytes = g_bytes_new (GST_VIDEO_FRAME_PLANE_DATA (&frame, 0), (gsize) stride * height);
  gst_video_frame_unmap (&frame);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, stride);
}

static GdkTexture *
decode_first_frame (const char   *path,
                    GCancellable *cancellable,
                    GError      **error)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, error);
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autofree char *display = g_filename_display_basename (path);
  GstElement *decodebin;
  GstElement *scale;
  GstElement *sink;
  GdkTexture *texture = NULL;
  Decode decode = { 0 };
  gint64 deadline = g_get_monotonic_time () + DECODE_TIMEOUT;

  if (uri == NULL)
    return NULL;

  pipeline = gst_object_ref_sink (gst_pipeline_new ("thumbnailer"));
  decodebin = gst_element_factory_make ("uridecodebin", NULL);
  decode.convert = gst_element_factory_make ("videoconvert", NULL);
  scale = gst_element_factory_make ("videoscale", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  if (decodebin == NULL || decode.convert == NULL || scale == NULL || sink == NULL)
    {
      GstElement *made[] = { decodebin, decode.convert, scale, sink };

      /* The pipeline takes the floating references of those that were made, and frees them. */
      for (guint i = 0; i < G_N_ELEMENTS (made); i++)
        if (made[i] != NULL)
          gst_bin_add (GST_BIN (pipeline), made[i]);
      g_set_error_literal (error, DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_MISSING_CODEC,
                           _("GStreamer’s base plugins are not installed"));
      return NULL;
    }

  /* Height follows from the width and the picture's shape, with square pixels. */
  caps = gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, "RGB",
                              "width", G_TYPE_INT, DLY_THUMBNAILER_WIDTH,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              NULL);
  g_object_set (decodebin, "uri", uri, NULL);
  g_object_set (sink,
                "caps", caps,
                "enable-last-sample", FALSE,
                "max-buffers", 1,
                "sync", FALSE,
                NULL);

  gst_bin_add_many (GST_BIN (pipeline), decodebin, decode.convert, scale, sink, NULL);
  if (!gst_element_link_many (decode.convert, scale, sink, NULL))
    {
      g_set_error_literal (error, DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_FAILED,
                           _("The thumbnail pipeline could not be built"));
      return NULL;
    }
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (on_decodebin_pad_added_cb), &decode);
  g_signal_connect (decodebin, "no-more-pads", G_CALLBACK (on_decodebin_no_more_pads_cb), &decode);

  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PAUSED);

  while (texture == NULL)
    {
      g_autoptr(GstMessage) message =
        gst_bus_timed_pop_filtered (bus, POLL_INTERVAL,
                                    GST_MESSAGE_ERROR | GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_EOS);

      if (message != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
        {
          g_propagate_error (error, error_from_message (message, &decode, path));
          break;
        }
      if (message != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_ASYNC_DONE)
        {
          g_autoptr(GstSample) sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (sink), 0);

          if (sample == NULL)
            {
              g_set_error (error, DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NO_VIDEO,
                           _("%s has no picture"), display);
              break;
            }
          texture = texture_from_sample (sample, error);
          break;
        }
      if (message != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
        {
          g_set_error (error, DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NO_VIDEO,
                       _("%s has no picture"), display);
          break;
        }

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      /* All streams are known and none is video: nothing will ever preroll. */
      if (g_atomic_int_get (&decode.no_more_pads) && !video_linked (&decode))
        {
          g_set_error (error, DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NO_VIDEO,
                       _("%s has no picture"), display);
          break;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NOT_VIDEO,
                       _("%s took too long to open"), display);
          break;
        }
    }

  gst_element_set_state (pipeline, GST_STATE_NULL);
  return texture;
}

static gboolean
request_done_cb (gpointer data)
{
  Request *request = data;
  /* Freeing the request drops the task, which may hold the last reference. */
  g_autoptr(DlyThumbnailer) self = g_object_ref (request->self);

  g_assert (self->n_running > 0);
  self->n_running--;
  if (request->decoded)
    self->n_decoded++;

  /* A picture decoded for a row that has gone is still worth keeping. */
  if (request->texture != NULL)
    cache_insert (self, request->key, request->texture, NULL);
  else if (!g_error_matches (request->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cache_insert (self, request->key, NULL, request->error);

  if (request->texture != NULL)
    g_task_return_pointer (request->task, g_object_ref (request->texture), g_object_unref);
  else
    g_task_return_error (request->task, g_steal_pointer (&request->error));
  request_free (request);

  dispatch (self);
  return G_SOURCE_REMOVE;
}

static gboolean
png_is_fresh (const char *png_path,
              GStatBuf   *video)
{
  GStatBuf png;

  /* A take written after its picture (replaced in place) is decoded again. */
  return g_stat (png_path, &png) == 0 && png.st_size > 0 && png.st_mtime >= video->st_mtime;
}

static void
thumbnail_worker (gpointer data,
                  gpointer user_data)
{
  Request *request = data;
  DlyThumbnailer *self = request->self;
  GCancellable *cancellable = g_task_get_cancellable (request->task);
  g_autoptr(GError) error = NULL;
  GStatBuf video;
  GSource *source;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    goto out;

  if (g_stat (request->video_path, &video) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (request->video_path);

      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The take’s file %s is missing"), display);
      goto out;
    }

  if (png_is_fresh (request->png_path, &video))
    {
      g_autoptr(GError) png_error = NULL;

      request->texture = gdk_texture_new_from_filename (request->png_path, &png_error);
      if (request->texture != NULL)
        goto out;
      /* A damaged cache file is made again below. */
      g_debug ("Thumbnail cache %s: %s", request->png_path, png_error->message);
    }

  request->texture = decode_first_frame (request->video_path, cancellable, &error);
  request->decoded = TRUE;

  if (request->texture != NULL)
    {
      g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (request->texture);
      g_autoptr(GError) save_error = NULL;

      /* The cache is a convenience: a failure to write it costs a decode next time. */
      if (g_mkdir_with_parents (self->cache_dir, 0700) != 0
          || !g_file_set_contents (request->png_path, g_bytes_get_data (png, NULL),
                                   g_bytes_get_size (png), &save_error))
        g_debug ("Could not write the thumbnail %s: %s", request->png_path,
                 save_error != NULL ? save_error->message : g_strerror (errno));
    }

out:
  request->error = g_steal_pointer (&error);

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, request_done_cb, request, NULL);
  g_source_set_static_name (source, "[dailies] thumbnail done");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* --- the queue, on the main context --- */

static void
finish_cancelled (Request *request)
{
  g_task_return_error_if_cancelled (request->task);
  request_free (request);
}

static void
dispatch (DlyThumbnailer *self)
{
  while (self->n_running < MAX_WORKERS && self->waiting.length > 0)
    {
      Request *request = g_queue_pop_head (&self->waiting);

      if (g_cancellable_is_cancelled (g_task_get_cancellable (request->task)))
        {
          finish_cancelled (request);
          continue;
        }

      self->n_running++;
      g_thread_pool_push (self->pool, request, NULL);
    }
}

static gboolean
purge_cancelled_cb (gpointer data)
{
  DlyThumbnailer *self = data;
  GList *link = self->waiting.head;

  g_atomic_int_set (&self->purge_pending, 0);

  while (link != NULL)
    {
      GList *next = link->next;
      Request *request = link->data;

      if (g_cancellable_is_cancelled (g_task_get_cancellable (request->task)))
        {
          g_queue_delete_link (&self->waiting, link);
          finish_cancelled (request);
        }
      link = next;
    }

  return G_SOURCE_REMOVE;
}

/* May run in any thread, with the cancellable's lock held: only schedules the purge. */
static void
on_request_cancelled (GCancellable   *cancellable,
                      DlyThumbnailer *self)
{
  GSource *source;

  if (!g_atomic_int_compare_and_exchange (&self->purge_pending, 0, 1))
    return;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, purge_cancelled_cb, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[dailies] thumbnail purge");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* --- public API --- */

static void
dly_thumbnailer_finalize (GObject *object)
{
  DlyThumbnailer *self = DLY_THUMBNAILER (object);

  /* Every request holds a reference, so no worker is running: this does not wait. */
  g_thread_pool_free (self->pool, TRUE, TRUE);
  g_assert (self->waiting.length == 0);
  g_hash_table_unref (self->cache);
  g_queue_clear_full (&self->lru, (GDestroyNotify) cache_entry_free);
  g_main_context_unref (self->context);
  g_free (self->cache_dir);

  G_OBJECT_CLASS (dly_thumbnailer_parent_class)->finalize (object);
}

static void
dly_thumbnailer_class_init (DlyThumbnailerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dly_thumbnailer_finalize;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
}

static void
dly_thumbnailer_init (DlyThumbnailer *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->pool = g_thread_pool_new (thumbnail_worker, self, MAX_WORKERS, FALSE, NULL);
  self->cache = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->waiting);
  g_queue_init (&self->lru);
}

DlyThumbnailer *
dly_thumbnailer_new (const char *cache_dir)
{
  DlyThumbnailer *self = g_object_new (DLY_TYPE_THUMBNAILER, NULL);

  if (cache_dir != NULL)
    self->cache_dir = g_strdup (cache_dir);
  else
    self->cache_dir = g_build_filename (g_get_user_cache_dir (), "dailies", "thumbnails", NULL);

  return self;
}

/**
 * dly_thumbnailer_get_default:
 * The thumbnailer every take list shares, on the main context, caching under
 * $XDG_CACHE_HOME. Made on first use and kept for the life of the process.
 * Returns: (transfer none)
 */
DlyThumbnailer *
dly_thumbnailer_get_default (void)
{
  static DlyThumbnailer *default_thumbnailer;

  if (default_thumbnailer == NULL)
    default_thumbnailer = dly_thumbnailer_new (NULL);

  return default_thumbnailer;
}

const char *
dly_thumbnailer_get_cache_dir (DlyThumbnailer *self)
{
  g_return_val_if_fail (DLY_IS_THUMBNAILER (self), NULL);
  return self->cache_dir;
}

static char *
dup_png_path (DlyThumbnailer *self,
              const char     *key)
{
  /* Job ids are safe file names already; escaping keeps any other key inside the cache. */
  g_autofree char *escaped = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *name = g_strconcat (escaped[0] == '.' ? "_" : "", escaped, ".png", NULL);

  return g_build_filename (self->cache_dir, name, NULL);
}

GdkTexture *
dly_thumbnailer_lookup (DlyThumbnailer *self,
                        const char     *key)
{
  CacheEntry *entry;

  g_return_val_if_fail (DLY_IS_THUMBNAILER (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  entry = cache_lookup (self, key);
  if (entry == NULL || entry->texture == NULL)
    return NULL;

  return g_object_ref (entry->texture);
}

void
dly_thumbnailer_load_async (DlyThumbnailer      *self,
                            const char          *key,
                            const char          *video_path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CacheEntry *entry;
  Request *request;

  g_return_if_fail (DLY_IS_THUMBNAILER (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (video_path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_thumbnailer_load_async);
  g_task_set_name (task, "[dailies] thumbnail");

  entry = cache_lookup (self, key);
  if (entry != NULL && entry->texture != NULL)
    {
      g_task_return_pointer (task, g_object_ref (entry->texture), g_object_unref);
      return;
    }
  if (entry != NULL)
    {
      g_task_return_error (task, g_error_copy (entry->error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  request = g_new0 (Request, 1);
  request->self = self;
  request->task = g_steal_pointer (&task);
  request->key = g_strdup (key);
  /* GStreamer wants a URI, and a URI an absolute path. */
  request->video_path = g_canonicalize_filename (video_path, NULL);
  request->png_path = dup_png_path (self, key);
  if (cancellable != NULL)
    request->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_request_cancelled),
                                                   self, NULL);

  g_queue_push_tail (&self->waiting, request);
  dispatch (self);
}

GdkTexture *
dly_thumbnailer_load_finish (DlyThumbnailer *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (DLY_IS_THUMBNAILER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dly_thumbnailer_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dly_thumbnailer_forget (DlyThumbnailer *self,
                        const char     *key)
{
  g_autofree char *png_path = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (DLY_IS_THUMBNAILER (self));
  g_return_if_fail (key != NULL);

  cache_remove (self, key);
  png_path = dup_png_path (self, key);
  file = g_file_new_for_path (png_path);
  /* Deleted off the main thread; a missing file is fine. */
  g_file_delete_async (file, G_PRIORITY_LOW, NULL, NULL, NULL);
}

guint
dly_thumbnailer_get_n_pending (DlyThumbnailer *self)
{
  guint n;

  g_return_val_if_fail (DLY_IS_THUMBNAILER (self), 0);

  n = self->n_running;
  for (GList *link = self->waiting.head; link != NULL; link = link->next)
    {
      Request *request = link->data;

      if (!g_cancellable_is_cancelled (g_task_get_cancellable (request->task)))
        n++;
    }
  return n;
}

guint
dly_thumbnailer_get_n_cached (DlyThumbnailer *self)
{
  g_return_val_if_fail (DLY_IS_THUMBNAILER (self), 0);
  return self->lru.length;
}

guint
dly_thumbnailer_get_n_decoded (DlyThumbnailer *self)
{
  g_return_val_if_fail (DLY_IS_THUMBNAILER (self), 0);
  return self->n_decoded;
}
