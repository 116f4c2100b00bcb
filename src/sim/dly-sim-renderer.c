/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's GStreamer renderer: one pipeline per clip, run to EOS in a worker thread.
 * Identical specs share one render (in flight or finished) through a cache keyed by the spec. */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <json-glib/json-glib.h>

#include "dly-sim-renderer.h"

/* Bump when the pictures or the encoding change, so persistent caches are not reused. */
#define RENDER_VERSION 3

/* Prompts longer than this are shortened on screen: a wall of text is not legible. */
#define MAX_PROMPT_CHARS 280

/* A render that takes longer than this is stuck, not slow. */
#define RENDER_TIMEOUT_SECONDS 600

struct _DlySimRenderer
{
  GObject      parent_instance;

  char        *cache_dir;
  gboolean     owns_cache_dir;

  GThreadPool *pool;
  GMutex       lock;
  GHashTable  *entries;        /* key -> Entry */
  gint         shutting_down;  /* atomic */
  guint        n_rendered;     /* atomic */
  guint        n_cache_hits;   /* atomic */
};

G_DEFINE_FINAL_TYPE (DlySimRenderer, dly_sim_renderer, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CACHE_DIR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GPtrArray    *tasks;  /* GTask waiting for this key */
  DlySimRender *done;
} Entry;

typedef struct
{
  char             *key;
  DlySimRenderSpec *spec;
} Item;

/* --- specs ------------------------------------------------------------------------------ */

DlySimRenderSpec *
dly_sim_render_spec_new (DlySimRenderKind kind)
{
  DlySimRenderSpec *spec = g_new0 (DlySimRenderSpec, 1);

  spec->kind = kind;
  spec->fps_n = 24;
  spec->fps_d = 1;
  return spec;
}

DlySimRenderSpec *
dly_sim_render_spec_copy (const DlySimRenderSpec *spec)
{
  DlySimRenderSpec *copy = g_memdup2 (spec, sizeof *spec);

  copy->prompt = g_strdup (spec->prompt);
  copy->caption = g_strdup (spec->caption);
  copy->image = spec->image ? g_bytes_ref (spec->image) : NULL;
  copy->audio = spec->audio ? g_bytes_ref (spec->audio) : NULL;
  return copy;
}

void
dly_sim_render_spec_free (DlySimRenderSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->prompt);
  g_free (spec->caption);
  g_clear_pointer (&spec->image, g_bytes_unref);
  g_clear_pointer (&spec->audio, g_bytes_unref);
  g_free (spec);
}

static char *
bytes_checksum (GBytes *bytes)
{
  if (bytes == NULL)
    return g_strdup ("-");
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

char *
dly_sim_render_spec_hash (const DlySimRenderSpec *spec)
{
  g_autofree char *image_sum = bytes_checksum (spec->image);
  g_autofree char *audio_sum = bytes_checksum (spec->audio);
  g_autoptr (GString) text = g_string_new (NULL);

  /* Doubles are printed exactly so that 5.0 and 5.000001 never share a file. */
  g_string_append_printf (text,
                          "v%d|k%d|%ux%u|fit%u|n%u|%d/%d|seed%" G_GUINT64_FORMAT
                          "|tone%a|max%" G_GUINT64_FORMAT "|maxs%a|img%s|aud%s|",
                          RENDER_VERSION, spec->kind, spec->width, spec->height,
                          spec->fit_long_side, spec->n_frames, spec->fps_n, spec->fps_d,
                          spec->seed, spec->tone_seconds, spec->max_pixels, spec->max_seconds,
                          image_sum, audio_sum);
  g_string_append_printf (text, "%zu:%s|", spec->prompt ? strlen (spec->prompt) : 0,
                          spec->prompt ? spec->prompt : "");
  g_string_append_printf (text, "%zu:%s", spec->caption ? strlen (spec->caption) : 0,
                          spec->caption ? spec->caption : "");

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, text->len);
}

/* --- renders ---------------------------------------------------------------------------- */

typedef struct
{
  DlySimRender    public;
  gatomicrefcount ref_count;
} RenderPrivate;

static DlySimRender *
render_new (void)
{
  RenderPrivate *priv = g_new0 (RenderPrivate, 1);

  g_atomic_ref_count_init (&priv->ref_count);
  return &priv->public;
}

DlySimRender *
dly_sim_render_ref (DlySimRender *render)
{
  RenderPrivate *priv = (RenderPrivate *) render;

  g_atomic_ref_count_inc (&priv->ref_count);
  return render;
}

void
dly_sim_render_unref (DlySimRender *render)
{
  RenderPrivate *priv = (RenderPrivate *) render;

  if (render == NULL || !g_atomic_ref_count_dec (&priv->ref_count))
    return;
  g_free (render->path);
  g_free (render->content_type);
  g_free (priv);
}

static JsonNode *
render_to_json (const DlySimRender *render)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "content_type");
  json_builder_add_string_value (builder, render->content_type);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, render->width);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, render->height);
  json_builder_set_member_name (builder, "n_frames");
  json_builder_add_int_value (builder, render->n_frames);
  json_builder_set_member_name (builder, "fps_n");
  json_builder_add_int_value (builder, render->fps_n);
  json_builder_set_member_name (builder, "fps_d");
  json_builder_add_int_value (builder, render->fps_d);
  json_builder_set_member_name (builder, "duration");
  json_builder_add_double_value (builder, render->duration);
  json_builder_set_member_name (builder, "audio_seconds");
  json_builder_add_double_value (builder, render->audio_seconds);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static DlySimRender *
render_from_json (const char *path,
                  const char *meta_path)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object;
  DlySimRender *render;
  GStatBuf st;

  if (!json_parser_load_from_file (parser, meta_path, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || g_stat (path, &st) != 0)
    return NULL;

  object = json_node_get_object (json_parser_get_root (parser));
  render = render_new ();
  render->path = g_strdup (path);
  render->size = st.st_size;
  render->content_type = g_strdup (json_object_get_string_member_with_default (object,
                                                                               "content_type",
                                                                               "video/mp4"));
  render->width = json_object_get_int_member_with_default (object, "width", 0);
  render->height = json_object_get_int_member_with_default (object, "height", 0);
  render->n_frames = json_object_get_int_member_with_default (object, "n_frames", 0);
  render->fps_n = json_object_get_int_member_with_default (object, "fps_n", 0);
  render->fps_d = json_object_get_int_member_with_default (object, "fps_d", 1);
  render->duration = json_object_get_double_member_with_default (object, "duration", 0);
  render->audio_seconds = json_object_get_double_member_with_default (object, "audio_seconds",
                                                                      0);
  return render;
}

/* --- pipeline building ------------------------------------------------------------------ */

static const char *
pattern_for_seed (guint64 seed)
{
  static const char *const patterns[] = {
    "smpte", "ball", "pinwheel", "spokes", "colors", "gradient", "circular", "smpte75",
  };

  return patterns[seed % G_N_ELEMENTS (patterns)];
}

static double
tone_for_seed (guint64 seed)
{
  /* A note of the A minor pentatonic scale, so that different takes sound different. */
  static const int semitones[] = { 0, 3, 5, 7, 10, 12, 15 };

  return 220.0 * pow (2.0, semitones[(seed / 7) % G_N_ELEMENTS (semitones)] / 12.0);
}

static char *
prompt_markup (const char *prompt)
{
  g_autoptr (GString) text = g_string_new (prompt ? prompt : "");
  glong n_chars;

  /* Whitespace runs and newlines would waste lines of an already small frame. */
  for (gsize i = 0; i < text->len; i++)
    if (text->str[i] == '\n' || text->str[i] == '\r' || text->str[i] == '\t')
      text->str[i] = ' ';

  n_chars = g_utf8_strlen (text->str, -1);
  if (n_chars > MAX_PROMPT_CHARS)
    {
      const char *cut = g_utf8_offset_to_pointer (text->str, MAX_PROMPT_CHARS - 1);

      g_string_truncate (text, cut - text->str);
      g_string_append (text, "…");
    }

  if (text->len == 0)
    g_string_assign (text, "(no prompt)");

  return g_markup_escape_text (text->str, text->len);
}

static gboolean
write_input (const char  *dir,
             const char  *prefix,
             GBytes      *bytes,
             char       **out_path,
             GError     **error)
{
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *name = g_strdup_printf ("%s-%s", prefix, sum);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (!g_file_test (path, G_FILE_TEST_EXISTS)
      && !g_file_set_contents (path, data, size, error))
    return FALSE;

  *out_path = g_steal_pointer (&path);
  return TRUE;
}

static GstDiscovererInfo *
discover (const char  *path,
          GError     **error)
{
  g_autoptr (GstDiscoverer) discoverer = NULL;
  g_autofree char *uri = NULL;

  discoverer = gst_discoverer_new (30 * GST_SECOND, error);
  if (discoverer == NULL)
    return NULL;

  uri = g_filename_to_uri (path, NULL, error);
  if (uri == NULL)
    return NULL;

  return gst_discoverer_discover_uri (discoverer, uri, error);
}

static gboolean
probe_image_size (const char  *path,
                  guint       *width,
                  guint       *height,
                  GError     **error)
{
  g_autoptr (GstDiscovererInfo) info = discover (path, error);
  GList *streams;

  if (info == NULL)
    return FALSE;

  streams = gst_discoverer_info_get_video_streams (info);
  if (streams == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The image input is not a picture GStreamer can read");
      return FALSE;
    }

  *width = gst_discoverer_video_info_get_width (streams->data);
  *height = gst_discoverer_video_info_get_height (streams->data);
  gst_discoverer_stream_info_list_free (streams);

  if (*width == 0 || *height == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The image input has no size");
      return FALSE;
    }
  return TRUE;
}

static gboolean
probe_audio_seconds (const char  *path,
                     double      *seconds,
                     GError     **error)
{
  g_autoptr (GstDiscovererInfo) info = discover (path, error);
  GList *streams;
  GstClockTime duration;
  gboolean has_audio;

  if (info == NULL)
    return FALSE;

  streams = gst_discoverer_info_get_audio_streams (info);
  has_audio = streams != NULL;
  gst_discoverer_stream_info_list_free (streams);
  duration = gst_discoverer_info_get_duration (info);

  if (!has_audio || !GST_CLOCK_TIME_IS_VALID (duration) || duration == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The audio input is not a sound GStreamer can read");
      return FALSE;
    }

  *seconds = (double) duration / GST_SECOND;
  return TRUE;
}

static guint
snap (double value,
      guint  multiple)
{
  guint snapped = (guint) floor (value / multiple + 0.5) * multiple;

  return MAX (snapped, multiple);
}

/* Frames larger than max_pixels are shrunk evenly; x264 needs even sides for I420. */
static void
limit_size (guint   *width,
            guint   *height,
            guint64  max_pixels)
{
  if (max_pixels > 0 && (guint64) *width * *height > max_pixels)
    {
      double scale = sqrt ((double) max_pixels / ((double) *width * *height));

      *width = (guint) floor (*width * scale / 2.0) * 2;
      *height = (guint) floor (*height * scale / 2.0) * 2;
    }

  *width = MAX (16, *width + (*width & 1));
  *height = MAX (16, *height + (*height & 1));
}

typedef struct
{
  GstElement *counter;
  guint       n_frames;
  gint        fps_n;
  gint        fps_d;
  char       *caption;
} CounterState;

static void
counter_state_free (gpointer data)
{
  CounterState *state = data;

  gst_object_unref (state->counter);
  g_free (state->caption);
  g_free (state);
}

static GstPadProbeReturn
on_counter_buffer (GstPad          *pad,
                   GstPadProbeInfo *info,
                   gpointer         user_data)
{
  CounterState *state = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime pts = GST_BUFFER_PTS (buffer);
  guint64 frame = 0;
  g_autofree char *text = NULL;
  double seconds = 0;

  if (GST_CLOCK_TIME_IS_VALID (pts))
    {
      frame = gst_util_uint64_scale_round (pts, state->fps_n, (guint64) state->fps_d * GST_SECOND);
      seconds = (double) pts / GST_SECOND;
    }

  /* Updated from the streaming thread before textoverlay draws this very buffer. */
  text = g_strdup_printf ("frame %" G_GUINT64_FORMAT "/%u   %02u:%05.2f%s%s", frame + 1,
                          state->n_frames, (guint) (seconds / 60), fmod (seconds, 60.0),
                          state->caption ? "\n" : "", state->caption ? state->caption : "");
  g_object_set (state->counter, "text", text, NULL);

  return GST_PAD_PROBE_OK;
}

static void
setup_prompt (GstElement             *pipeline,
              const DlySimRenderSpec *spec,
              guint                   width,
              guint                   height)
{
  g_autoptr (GstElement) prompt = gst_bin_get_by_name (GST_BIN (pipeline), "prompt");
  g_autofree char *markup = prompt_markup (spec->prompt);
  g_autofree char *font = NULL;
  guint px = MAX (8, MIN (width, height) / 14);

  if (prompt == NULL)
    return;

  font = g_strdup_printf ("Sans Bold %upx", px);
  g_object_set (prompt,
                "text", markup,
                "font-desc", font,
                "xpad", (int) MAX (4, width / 40),
                "ypad", (int) MAX (4, height / 40),
                NULL);
}

static void
setup_counter (GstElement             *pipeline,
               const DlySimRenderSpec *spec,
               guint                   width,
               guint                   height,
               guint                   n_frames)
{
  g_autoptr (GstElement) counter = gst_bin_get_by_name (GST_BIN (pipeline), "counter");
  g_autoptr (GstPad) pad = NULL;
  g_autofree char *font = NULL;
  CounterState *state;

  if (counter == NULL)
    return;

  font = g_strdup_printf ("Monospace Bold %upx", MAX (7, MIN (width, height) / 20));
  g_object_set (counter,
                "font-desc", font,
                "xpad", (int) MAX (4, width / 40),
                "ypad", (int) MAX (4, height / 40),
                NULL);

  state = g_new0 (CounterState, 1);
  state->counter = gst_object_ref (counter);
  state->n_frames = n_frames;
  state->fps_n = spec->fps_n;
  state->fps_d = spec->fps_d;
  state->caption = spec->caption ? g_markup_escape_text (spec->caption, -1) : NULL;

  pad = gst_element_get_static_pad (counter, "video_sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_counter_buffer, state,
                     counter_state_free);
}

static void
set_location (GstElement *pipeline,
              const char *name,
              const char *path)
{
  g_autoptr (GstElement) element = gst_bin_get_by_name (GST_BIN (pipeline), name);

  if (element != NULL)
    g_object_set (element, "location", path, NULL);
}

#define OVERLAYS \
  "textoverlay name=prompt valignment=top halignment=center line-alignment=left " \
  "wrap-mode=wordchar shaded-background=true auto-resize=false ! "                 \
  "textoverlay name=counter valignment=bottom halignment=left line-alignment=left " \
  "shaded-background=true auto-resize=false "

static char *
describe_mp4 (const DlySimRenderSpec *spec,
              guint                   width,
              guint                   height,
              guint                   n_frames,
              double                  tone_seconds)
{
  g_autoptr (GString) desc = g_string_new (NULL);
  int key_interval = MAX (1, (spec->fps_n + spec->fps_d - 1) / spec->fps_d);

  if (spec->image != NULL)
    g_string_append_printf (desc,
                            "filesrc name=imgsrc ! decodebin ! videoconvert ! "
                            "videoscale add-borders=true ! "
                            "video/x-raw,width=%u,height=%u,pixel-aspect-ratio=1/1 ! "
                            "imagefreeze num-buffers=%u ! video/x-raw,framerate=%d/%d ! "
                            "videoconvert ! video/x-raw,format=I420 ! ",
                            width, height, n_frames, spec->fps_n, spec->fps_d);
  else
    g_string_append_printf (desc,
                            "videotestsrc num-buffers=%u pattern=%s horizontal-speed=%u "
                            "foreground-color=0x%08x ! "
                            "video/x-raw,format=I420,width=%u,height=%u,framerate=%d/%d,"
                            "pixel-aspect-ratio=1/1 ! ",
                            n_frames, pattern_for_seed (spec->seed), (guint) (spec->seed % 4),
                            (guint) (0xff000000u | ((spec->seed * 2654435761u) & 0xffffff)),
                            width, height, spec->fps_n, spec->fps_d);

  /* Main profile needs CABAC; ultrafast alone gives constrained baseline. I420 keeps it
   * away from High 4:4:4, which many decoders reject (platform-notes §5). */
  g_string_append_printf (desc,
                          OVERLAYS "! x264enc speed-preset=ultrafast cabac=true bframes=0 "
                          "key-int-max=%d ! video/x-h264,profile=main ! h264parse ! queue ! "
                          "mp4mux name=mux faststart=true ! filesink name=sink ",
                          key_interval);

  if (spec->audio != NULL)
    g_string_append (desc,
                     "filesrc name=audsrc ! decodebin ! audioconvert ! audioresample ! "
                     "audio/x-raw,rate=48000,channels=2 ! voaacenc bitrate=96000 ! aacparse ! "
                     "queue ! mux. ");
  else
    g_string_append_printf (desc,
                            "audiotestsrc wave=sine freq=%.3f volume=0.2 samplesperbuffer=960 "
                            "num-buffers=%u ! audio/x-raw,format=S16LE,rate=48000,channels=2 ! "
                            "audioconvert ! voaacenc bitrate=96000 ! aacparse ! queue ! mux. ",
                            tone_for_seed (spec->seed),
                            (guint) MAX (1, ceil (tone_seconds * 50.0)));

  return g_string_free (g_steal_pointer (&desc), FALSE);
}

static char *
describe_png (const DlySimRenderSpec *spec,
              guint                   width,
              guint                   height)
{
  return g_strdup_printf ("videotestsrc num-buffers=1 pattern=%s ! "
                          "video/x-raw,width=%u,height=%u,pixel-aspect-ratio=1/1 ! "
                          "textoverlay name=prompt valignment=center halignment=center "
                          "line-alignment=center wrap-mode=wordchar shaded-background=true "
                          "auto-resize=false ! videoconvert ! pngenc ! filesink name=sink",
                          pattern_for_seed (spec->seed), width, height);
}

static char *
describe_wav (const DlySimRenderSpec *spec)
{
  double seconds = spec->tone_seconds > 0 ? spec->tone_seconds : 1.0;

  return g_strdup_printf ("audiotestsrc wave=sine freq=%.3f volume=0.3 samplesperbuffer=960 "
                          "num-buffers=%u ! audio/x-raw,format=S16LE,rate=48000,channels=1 ! "
                          "wavenc ! filesink name=sink",
                          tone_for_seed (spec->seed), (guint) MAX (1, ceil (seconds * 50.0)));
}

static gboolean
run_pipeline (DlySimRenderer  *self,
              GstElement      *pipeline,
              GError         **error)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  gint64 deadline = g_get_monotonic_time () + RENDER_TIMEOUT_SECONDS * G_USEC_PER_SEC;
  gboolean ok = FALSE;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  for (;;)
    {
      g_autoptr (GstMessage) message = NULL;

      if (g_atomic_int_get (&self->shutting_down))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The renderer is shutting down");
          break;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Rendering took too long");
          break;
        }

      message = gst_bus_timed_pop_filtered (bus, 200 * GST_MSECOND,
                                            GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      if (message == NULL)
        continue;

      if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
        {
          ok = TRUE;
          break;
        }
      else
        {
          g_autoptr (GError) gst_error = NULL;
          g_autofree char *debug = NULL;

          gst_message_parse_error (message, &gst_error, &debug);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Rendering failed: %s",
                       gst_error ? gst_error->message : "unknown GStreamer error");
          g_debug ("render error detail: %s", debug ? debug : "(none)");
          break;
        }
    }

  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ok;
}

static const char *
extension_for_kind (DlySimRenderKind kind)
{
  switch (kind)
    {
    case DLY_SIM_RENDER_PNG:
      return "png";
    case DLY_SIM_RENDER_WAV:
      return "wav";
    case DLY_SIM_RENDER_MP4:
    default:
      return "mp4";
    }
}

static const char *
content_type_for_kind (DlySimRenderKind kind)
{
  switch (kind)
    {
    case DLY_SIM_RENDER_PNG:
      return "image/png";
    case DLY_SIM_RENDER_WAV:
      return "audio/wav";
    case DLY_SIM_RENDER_MP4:
    default:
      return "video/mp4";
    }
}

/* Runs in a worker thread. */
static DlySimRender *
render_now (DlySimRenderer          *self,
            const char              *key,
            const DlySimRenderSpec  *spec,
            gboolean                *from_disk,
            GError                 **error)
{
  g_autofree char *name = g_strdup_printf ("%s.%s", key, extension_for_kind (spec->kind));
  g_autofree char *path = g_build_filename (self->cache_dir, name, NULL);
  g_autofree char *meta_path = g_strconcat (path, ".json", NULL);
  g_autofree char *tmp_path = g_strconcat (path, ".part", NULL);
  g_autofree char *image_path = NULL;
  g_autofree char *audio_path = NULL;
  g_autofree char *desc = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (JsonNode) meta = NULL;
  g_autofree char *meta_text = NULL;
  DlySimRender *render;
  guint width = spec->width;
  guint height = spec->height;
  guint n_frames = spec->n_frames;
  double audio_seconds = 0;
  double video_seconds;
  double max_seconds = spec->max_seconds > 0 ? spec->max_seconds : 60.0;
  GStatBuf st;

  *from_disk = FALSE;

  /* A cache directory kept across runs already holds this render. */
  render = render_from_json (path, meta_path);
  if (render != NULL)
    {
      *from_disk = TRUE;
      return render;
    }

  if (spec->fps_n <= 0 || spec->fps_d <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Invalid frame rate %d/%d",
                   spec->fps_n, spec->fps_d);
      return NULL;
    }

  if (spec->image != NULL && !write_input (self->cache_dir, "image", spec->image, &image_path,
                                           error))
    return NULL;
  if (spec->audio != NULL && !write_input (self->cache_dir, "audio", spec->audio, &audio_path,
                                           error))
    return NULL;

  if (width == 0 && spec->fit_long_side > 0)
    {
      guint image_width = 16, image_height = 9;

      if (image_path != NULL && !probe_image_size (image_path, &image_width, &image_height, error))
        return NULL;

      /* LTX works in multiples of 32; the long side is what the caller asked for. */
      if (image_width >= image_height)
        {
          width = spec->fit_long_side;
          height = snap ((double) spec->fit_long_side * image_height / image_width, 32);
        }
      else
        {
          height = spec->fit_long_side;
          width = snap ((double) spec->fit_long_side * image_width / image_height, 32);
        }
    }

  if (spec->kind == DLY_SIM_RENDER_MP4 && audio_path != NULL)
    {
      if (!probe_audio_seconds (audio_path, &audio_seconds, error))
        return NULL;
      audio_seconds = MIN (audio_seconds, max_seconds);
      if (n_frames == 0)
        n_frames = (guint) floor (audio_seconds * spec->fps_n / spec->fps_d + 0.5) + 1;
    }

  if (spec->kind != DLY_SIM_RENDER_WAV)
    {
      if (width == 0 || height == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Invalid size %ux%u",
                       width, height);
          return NULL;
        }
      limit_size (&width, &height, spec->max_pixels);
    }

  if (spec->kind == DLY_SIM_RENDER_MP4 && n_frames == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "No frames to render");
      return NULL;
    }

  video_seconds = (double) n_frames * spec->fps_d / spec->fps_n;
  if (spec->kind == DLY_SIM_RENDER_MP4 && audio_path == NULL)
    audio_seconds = spec->tone_seconds > 0 ? spec->tone_seconds : video_seconds;
  else if (spec->kind == DLY_SIM_RENDER_WAV)
    audio_seconds = spec->tone_seconds > 0 ? spec->tone_seconds : 1.0;

  switch (spec->kind)
    {
    case DLY_SIM_RENDER_PNG:
      desc = describe_png (spec, width, height);
      break;
    case DLY_SIM_RENDER_WAV:
      desc = describe_wav (spec);
      break;
    case DLY_SIM_RENDER_MP4:
    default:
      desc = describe_mp4 (spec, width, height, n_frames, audio_seconds);
      break;
    }

  pipeline = gst_parse_launch (desc, error);
  if (pipeline == NULL)
    return NULL;
  gst_object_ref_sink (pipeline);

  set_location (pipeline, "sink", tmp_path);
  set_location (pipeline, "imgsrc", image_path);
  set_location (pipeline, "audsrc", audio_path);
  setup_prompt (pipeline, spec, width, height);
  setup_counter (pipeline, spec, width, height, n_frames);

  if (!run_pipeline (self, pipeline, error))
    {
      g_unlink (tmp_path);
      return NULL;
    }

  if (g_stat (tmp_path, &st) != 0 || st.st_size == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The render produced no file");
      g_unlink (tmp_path);
      return NULL;
    }

  render = render_new ();
  render->path = g_steal_pointer (&path);
  render->content_type = g_strdup (content_type_for_kind (spec->kind));
  render->size = st.st_size;
  render->width = spec->kind == DLY_SIM_RENDER_WAV ? 0 : width;
  render->height = spec->kind == DLY_SIM_RENDER_WAV ? 0 : height;
  render->n_frames = spec->kind == DLY_SIM_RENDER_MP4 ? n_frames : 0;
  render->fps_n = spec->fps_n;
  render->fps_d = spec->fps_d;
  render->duration = spec->kind == DLY_SIM_RENDER_MP4 ? video_seconds : 0;
  render->audio_seconds = spec->kind == DLY_SIM_RENDER_PNG ? 0 : audio_seconds;

  /* The rename makes the file appear whole or not at all to a later run. */
  meta = render_to_json (render);
  meta_text = json_to_string (meta, FALSE);
  if (g_rename (tmp_path, render->path) != 0
      || !g_file_set_contents (meta_path, meta_text, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not store the render in %s",
                   self->cache_dir);
      dly_sim_render_unref (render);
      return NULL;
    }

  return render;
}

static void
item_free (Item *item)
{
  g_free (item->key);
  dly_sim_render_spec_free (item->spec);
  g_free (item);
}

static void
render_worker (gpointer data,
               gpointer user_data)
{
  Item *item = data;
  DlySimRenderer *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tasks = NULL;
  DlySimRender *render = NULL;
  gboolean from_disk = FALSE;
  Entry *entry;

  if (g_atomic_int_get (&self->shutting_down))
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The renderer is shutting down");
  else
    render = render_now (self, item->key, item->spec, &from_disk, &error);

  if (render != NULL && !from_disk)
    g_atomic_int_inc (&self->n_rendered);

  g_mutex_lock (&self->lock);
  entry = g_hash_table_lookup (self->entries, item->key);
  tasks = g_steal_pointer (&entry->tasks);
  if (render != NULL)
    entry->done = dly_sim_render_ref (render);
  else
    g_hash_table_remove (self->entries, item->key); /* a failure may be retried */
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (render != NULL)
        g_task_return_pointer (task, dly_sim_render_ref (render),
                               (GDestroyNotify) dly_sim_render_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }

  g_clear_pointer (&render, dly_sim_render_unref);
  item_free (item);
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_pointer (&entry->tasks, g_ptr_array_unref);
  g_clear_pointer (&entry->done, dly_sim_render_unref);
  g_free (entry);
}

void
dly_sim_renderer_render_async (DlySimRenderer         *self,
                               const DlySimRenderSpec *spec,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *key = NULL;
  Entry *entry;
  Item *item;

  g_return_if_fail (DLY_IS_SIM_RENDERER (self));
  g_return_if_fail (spec != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_sim_renderer_render_async);

  key = dly_sim_render_spec_hash (spec);

  g_mutex_lock (&self->lock);
  entry = g_hash_table_lookup (self->entries, key);
  if (entry != NULL && entry->done != NULL)
    {
      DlySimRender *render = dly_sim_render_ref (entry->done);

      g_mutex_unlock (&self->lock);
      g_atomic_int_inc (&self->n_cache_hits);
      g_task_return_pointer (task, render, (GDestroyNotify) dly_sim_render_unref);
      return;
    }
  if (entry != NULL)
    {
      /* Same clip already being made: wait for it rather than render it twice. */
      g_ptr_array_add (entry->tasks, g_steal_pointer (&task));
      g_mutex_unlock (&self->lock);
      g_atomic_int_inc (&self->n_cache_hits);
      return;
    }

  entry = g_new0 (Entry, 1);
  entry->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (entry->tasks, g_steal_pointer (&task));
  g_hash_table_insert (self->entries, g_strdup (key), entry);
  g_mutex_unlock (&self->lock);

  item = g_new0 (Item, 1);
  item->key = g_steal_pointer (&key);
  item->spec = dly_sim_render_spec_copy (spec);
  g_thread_pool_push (self->pool, item, NULL);
}

DlySimRender *
dly_sim_renderer_render_finish (DlySimRenderer  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (DLY_IS_SIM_RENDERER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
dly_sim_renderer_get_n_rendered (DlySimRenderer *self)
{
  g_return_val_if_fail (DLY_IS_SIM_RENDERER (self), 0);
  return g_atomic_int_get (&self->n_rendered);
}

guint
dly_sim_renderer_get_n_cache_hits (DlySimRenderer *self)
{
  g_return_val_if_fail (DLY_IS_SIM_RENDERER (self), 0);
  return g_atomic_int_get (&self->n_cache_hits);
}

const char *
dly_sim_renderer_get_cache_dir (DlySimRenderer *self)
{
  g_return_val_if_fail (DLY_IS_SIM_RENDERER (self), NULL);
  return self->cache_dir;
}

DlySimRenderer *
dly_sim_renderer_new (const char *cache_dir)
{
  return g_object_new (DLY_TYPE_SIM_RENDERER, "cache-dir", cache_dir, NULL);
}

static void
remove_dir_contents (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
}

static void
dly_sim_renderer_constructed (GObject *object)
{
  DlySimRenderer *self = DLY_SIM_RENDERER (object);
  g_autoptr (GError) error = NULL;
  guint n_threads;

  G_OBJECT_CLASS (dly_sim_renderer_parent_class)->constructed (object);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  if (self->cache_dir == NULL)
    {
      self->cache_dir = g_dir_make_tmp ("dailies-sim-XXXXXX", &error);
      if (self->cache_dir == NULL)
        g_error ("Cannot make a cache directory for the simulator: %s", error->message);
      self->owns_cache_dir = TRUE;
    }
  else if (g_mkdir_with_parents (self->cache_dir, 0700) != 0)
    {
      g_warning ("Cannot create %s: %s", self->cache_dir, g_strerror (errno));
    }

  /* Each render already uses every core through x264's threads; two at a time keeps a
   * short clip from waiting behind a long one without thrashing a small machine. */
  n_threads = CLAMP (g_get_num_processors (), 1, 2);
  self->pool = g_thread_pool_new (render_worker, self, n_threads, FALSE, NULL);
}

static void
dly_sim_renderer_finalize (GObject *object)
{
  DlySimRenderer *self = DLY_SIM_RENDERER (object);

  /* Queued items still run, but see the flag and fail at once instead of rendering. */
  g_atomic_int_set (&self->shutting_down, TRUE);
  g_thread_pool_free (self->pool, FALSE, TRUE);

  g_hash_table_unref (self->entries);
  g_mutex_clear (&self->lock);

  if (self->owns_cache_dir)
    {
      remove_dir_contents (self->cache_dir);
      g_rmdir (self->cache_dir);
    }
  g_free (self->cache_dir);

  G_OBJECT_CLASS (dly_sim_renderer_parent_class)->finalize (object);
}

static void
dly_sim_renderer_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DlySimRenderer *self = DLY_SIM_RENDERER (object);

  switch (prop_id)
    {
    case PROP_CACHE_DIR:
      g_value_set_string (value, self->cache_dir);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_sim_renderer_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DlySimRenderer *self = DLY_SIM_RENDERER (object);

  switch (prop_id)
    {
    case PROP_CACHE_DIR:
      self->cache_dir = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_sim_renderer_class_init (DlySimRendererClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dly_sim_renderer_constructed;
  object_class->finalize = dly_sim_renderer_finalize;
  object_class->get_property = dly_sim_renderer_get_property;
  object_class->set_property = dly_sim_renderer_set_property;

  /* NULL makes a private temporary directory that is removed with the renderer. */
  properties[PROP_CACHE_DIR] =
    g_param_spec_string ("cache-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dly_sim_renderer_init (DlySimRenderer *self)
{
  g_mutex_init (&self->lock);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
}
