/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>
#include <gst/app/gstappsink.h>
#include <gst/audio/audio.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>

#include "dly-player.h"

/*
 * One pipeline, one uridecodebin per side. Each side's video goes videoconvert → appsink
 * (BGRA); audio from every side meets in an input-selector so that the heard take can change
 * without rebuilding anything, then scaletempo (pitch stays right at 0.5x) → volume → sink.
 *
 * Threads: streaming threads only fill a per-side mailbox and schedule one idle on the
 * player's main context; GStreamer calls that may wait on streaming threads (state changes,
 * seeks, steps, teardown) run in order on a one-thread command pool. Everything else, and
 * every property and signal, lives on the main context.
 *
 * Seeks are matched to their frames by seqnum: a demuxer stamps the SEGMENT it sends after a
 * seek with the seek's seqnum, and a sample remembers the segment it came in.
 */

#define COMMAND_FAILED_MESSAGE "dly-player-command-failed"
#define RESYNC_OFFSET          GST_MSECOND
#define MAX_QUEUED_STEPS       8
/* decodebin drops an error raised while it is still bringing the demuxer up (a truncated
 * file does that), leaving the pipeline waiting for ever: give up after this long. */
#define LOCAL_OPEN_TIMEOUT_S   10
#define REMOTE_OPEN_TIMEOUT_S  60

G_DEFINE_QUARK (dly-player-error-quark, dly_player_error)

G_DEFINE_ENUM_TYPE (DlyPlayerState, dly_player_state,
  G_DEFINE_ENUM_VALUE (DLY_PLAYER_STATE_EMPTY, "empty"),
  G_DEFINE_ENUM_VALUE (DLY_PLAYER_STATE_LOADING, "loading"),
  G_DEFINE_ENUM_VALUE (DLY_PLAYER_STATE_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (DLY_PLAYER_STATE_PLAYING, "playing"),
  G_DEFINE_ENUM_VALUE (DLY_PLAYER_STATE_ERROR, "error"))

G_DEFINE_ENUM_TYPE (DlyPlayerSide, dly_player_side,
  G_DEFINE_ENUM_VALUE (DLY_PLAYER_SIDE_A, "a"),
  G_DEFINE_ENUM_VALUE (DLY_PLAYER_SIDE_B, "b"))

typedef struct _Session Session;

/* One decoding branch. Fields marked "lock" belong to the session lock. */
typedef struct
{
  Session    *session;          /* borrowed: the session owns its sides */
  guint       index;
  char       *uri;              /* owned */
  GstElement *decodebin;        /* borrowed from the pipeline */
  GstElement *video_sink;       /* lock; owned ref once linked */
  GstPad     *selector_pad;     /* lock; owned, NULL without audio */

  /* The mailbox (lock). */
  GstSample  *sample;           /* owned */
  guint32     segment_seqnum;   /* of the last SEGMENT the sink saw */
  guint32     sample_seqnum;    /* of the segment @sample came in */
  guint64     preroll_count;
  gboolean    eos;
  guint32     eos_seqnum;
  gboolean    changed;          /* not taken by the main thread yet */
} Side;

struct _Session
{
  GMutex          lock;
  GMutex          audio_lock;   /* serialises building the shared audio output */
  DlyPlayer      *player;       /* lock; borrowed, NULL once closed */
  GMainContext   *context;      /* owned */
  GThreadPool    *commands;     /* main thread; owned until close */
  GstElement     *pipeline;     /* owned */
  guint           n_sides;
  Side            sides[2];

  GstElement     *audio_selector;  /* lock; borrowed from the pipeline */
  GstElement     *audio_volume;    /* lock; borrowed from the pipeline */
  double          volume_linear;   /* lock */
  gboolean        muted;           /* lock */
  guint           audio_side;      /* lock */

  GSource        *dispatch;     /* lock; owned */
  guint64         rendered;     /* lock */
  guint64         superseded;   /* lock */
};

typedef enum
{
  COMMAND_STATE,
  COMMAND_EVENT,
  COMMAND_TEARDOWN,
} CommandKind;

typedef struct
{
  CommandKind  kind;
  GstState     state;
  GstElement  *target;          /* owned: the pipeline or a video sink */
  GstEvent    *event;           /* owned */
  guint32      seqnum;
} Command;

/* What the main thread knows of a side, taken from the mailbox. */
typedef struct
{
  GstSample *sample;            /* owned */
  gint64     position;
  guint32    sample_seqnum;
  guint64    preroll_count;
  gboolean   eos;
  guint32    eos_seqnum;
  int        width;
  int        height;
  int        fps_n;
  int        fps_d;
  gboolean   has_audio;
  gboolean   step_waiting;
  guint64    step_preroll_count;
} SideView;

typedef enum
{
  OP_NONE,
  OP_SEEK,                      /* a flushing seek: done when every side shows its frame */
  OP_STEP,                      /* step events: done when every side prerolled again */
} Op;

struct _DlyPlayer
{
  GObject         parent_instance;

  GMainContext   *context;      /* owned */
  Session        *session;      /* owned; NULL when nothing is open */
  GSource        *bus_source;   /* owned */
  GSource        *open_timeout; /* owned */
  SideView        views[2];

  DlyPlayerState  state;
  gboolean        want_playing;
  gboolean        prerolled;
  gboolean        at_end;
  gboolean        needs_resync; /* the audio is not where the pictures are (steps, a new
                                 * side heard): seek before playing */
  gint64          position;
  gint64          duration;
  gint64          frame_count;
  double          volume;
  gboolean        muted;
  double          rate;
  gboolean        loop;
  DlyPlayerSide   audio_side;
  guint64         qos_messages;

  Op              op;
  guint32         op_seqnum;
  gboolean        op_is_step;   /* a seek made by a step back reports step-done */
  gboolean        has_pending_seek;
  gint64          pending_seek;
  gboolean        pending_seek_accurate;
  int             queued_steps;

  GError         *error;
  char           *error_detail;
  char           *missing_plugin;
};

G_DEFINE_FINAL_TYPE (DlyPlayer, dly_player, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_POSITION,
  PROP_DURATION,
  PROP_FRAME_RATE,
  PROP_FRAME_COUNT,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_HAS_AUDIO,
  PROP_VOLUME,
  PROP_MUTED,
  PROP_RATE,
  PROP_LOOP,
  PROP_AUDIO_SIDE,
  PROP_BUSY,
  PROP_N_SIDES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FRAME_READY,
  SEEK_DONE,
  STEP_DONE,
  LOOPED,
  ENDED,
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void dly_player_pump       (DlyPlayer *self);
static void dly_player_run_queue  (DlyPlayer *self);

/* --- session: shared with the streaming threads --- */

static Session *
session_ref (Session *session)
{
  return g_atomic_rc_box_acquire (session);
}

static void
session_clear (Session *session)
{
  for (guint i = 0; i < G_N_ELEMENTS (session->sides); i++)
    {
      Side *side = &session->sides[i];

      g_clear_pointer (&side->uri, g_free);
      g_clear_pointer (&side->sample, gst_sample_unref);
      g_clear_object (&side->video_sink);
      g_clear_object (&side->selector_pad);
    }
  g_clear_object (&session->pipeline);
  g_clear_pointer (&session->context, g_main_context_unref);
  g_mutex_clear (&session->lock);
  g_mutex_clear (&session->audio_lock);
}

static void
session_unref (Session *session)
{
  g_atomic_rc_box_release_full (session, (GDestroyNotify) session_clear);
}

static gboolean
session_dispatch_cb (gpointer data)
{
  Session *session = data;
  g_autoptr(DlyPlayer) player = NULL;

  g_mutex_lock (&session->lock);
  g_clear_pointer (&session->dispatch, g_source_unref);
  if (session->player != NULL)
    player = g_object_ref (session->player);
  g_mutex_unlock (&session->lock);

  if (player != NULL)
    dly_player_pump (player);

  return G_SOURCE_REMOVE;
}

static void
session_schedule_dispatch_locked (Session *session)
{
  if (session->dispatch != NULL || session->player == NULL)
    return;

  /* Default priority: a new frame should be taken before the next redraw. */
  session->dispatch = g_idle_source_new ();
  g_source_set_priority (session->dispatch, G_PRIORITY_DEFAULT);
  g_source_set_static_name (session->dispatch, "[dailies] player frame");
  g_source_set_callback (session->dispatch, session_dispatch_cb,
                         session_ref (session), (GDestroyNotify) session_unref);
  g_source_attach (session->dispatch, session->context);
}

static void
command_free (Command *command)
{
  g_clear_object (&command->target);
  g_clear_pointer (&command->event, gst_event_unref);
  g_free (command);
}

static void
session_run_command (gpointer data,
                     gpointer user_data)
{
  Command *command = data;
  Session *session = user_data;
  gboolean ok = TRUE;

  switch (command->kind)
    {
    case COMMAND_STATE:
      ok = gst_element_set_state (session->pipeline, command->state) != GST_STATE_CHANGE_FAILURE;
      break;

    case COMMAND_EVENT:
      ok = gst_element_send_event (command->target, g_steal_pointer (&command->event));
      break;

    case COMMAND_TEARDOWN:
      gst_element_set_state (session->pipeline, GST_STATE_NULL);
      command_free (command);
      session_unref (session);
      return;

    default:
      g_assert_not_reached ();
    }

  /* A failed state change posts its own error; a refused seek or step would leave the
   * player waiting for a frame that never comes, so say so on the bus. */
  if (!ok && command->kind == COMMAND_EVENT)
    {
      GstStructure *s = gst_structure_new (COMMAND_FAILED_MESSAGE,
                                           "seqnum", G_TYPE_UINT, command->seqnum,
                                           NULL);
      gst_element_post_message (session->pipeline,
                                gst_message_new_application (GST_OBJECT (session->pipeline), s));
    }

  command_free (command);
}

static void
session_push (Session *session,
              Command *command)
{
  g_return_if_fail (session->commands != NULL);
  g_thread_pool_push (session->commands, command, NULL);
}

static void
session_push_state (Session  *session,
                    GstState  state)
{
  Command *command = g_new0 (Command, 1);

  command->kind = COMMAND_STATE;
  command->state = state;
  session_push (session, command);
}

static void
session_push_event (Session    *session,
                    GstElement *target,
                    GstEvent   *event)
{
  Command *command = g_new0 (Command, 1);

  command->kind = COMMAND_EVENT;
  command->target = g_object_ref (target);
  command->seqnum = gst_event_get_seqnum (event);
  command->event = event;
  session_push (session, command);
}

/* --- streaming threads --- */

static void
side_post_sample (Side      *side,
                  GstSample *sample,
                  gboolean   preroll)
{
  Session *session = side->session;

  g_mutex_lock (&session->lock);

  if (!preroll)
    session->rendered++;

  /* Going to PLAYING renders the prerolled buffer a second time: not a new frame. */
  if (side->sample != NULL
      && gst_sample_get_buffer (side->sample) == gst_sample_get_buffer (sample)
      && !preroll)
    {
      g_mutex_unlock (&session->lock);
      return;
    }

  if (side->changed && side->sample != NULL)
    session->superseded++;

  g_clear_pointer (&side->sample, gst_sample_unref);
  side->sample = gst_sample_ref (sample);
  side->sample_seqnum = side->segment_seqnum;
  if (preroll)
    side->preroll_count++;
  side->changed = TRUE;
  session_schedule_dispatch_locked (session);

  g_mutex_unlock (&session->lock);
}

/* appsink (1.22) updates the caps of its preroll sample in place and warns when someone
 * still holds it, so the mailbox keeps a sample of its own with the same buffer. */
static GstSample *
own_sample (GstSample *sample)
{
  return gst_sample_new (gst_sample_get_buffer (sample), gst_sample_get_caps (sample),
                         gst_sample_get_segment (sample), NULL);
}

static GstFlowReturn
on_appsink_new_preroll (GstAppSink *sink,
                        gpointer    user_data)
{
  g_autoptr(GstSample) sample = gst_app_sink_pull_preroll (sink);

  if (sample != NULL)
    {
      g_autoptr(GstSample) copy = own_sample (sample);

      g_clear_pointer (&sample, gst_sample_unref);
      side_post_sample (user_data, copy, TRUE);
    }

  return GST_FLOW_OK;
}

static GstFlowReturn
on_appsink_new_sample (GstAppSink *sink,
                       gpointer    user_data)
{
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);

  if (sample != NULL)
    {
      g_autoptr(GstSample) copy = own_sample (sample);

      g_clear_pointer (&sample, gst_sample_unref);
      side_post_sample (user_data, copy, FALSE);
    }

  return GST_FLOW_OK;
}

static GstPadProbeReturn
on_video_sink_event_probe (GstPad          *pad,
                           GstPadProbeInfo *info,
                           gpointer         user_data)
{
  Side *side = user_data;
  Session *session = side->session;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

  g_mutex_lock (&session->lock);
  switch (GST_EVENT_TYPE (event))
    {
    case GST_EVENT_SEGMENT:
      side->segment_seqnum = gst_event_get_seqnum (event);
      side->eos = FALSE;
      break;

    case GST_EVENT_FLUSH_STOP:
      side->eos = FALSE;
      break;

    case GST_EVENT_EOS:
      /* A seek past the end of the shorter take gives no frame, only this. */
      side->eos = TRUE;
      side->eos_seqnum = side->segment_seqnum;
      side->changed = TRUE;
      session_schedule_dispatch_locked (session);
      break;

    default:
      break;
    }
  g_mutex_unlock (&session->lock);

  return GST_PAD_PROBE_OK;
}

static GstElement *
make_audio_sink (void)
{
  const char *name = g_getenv ("DAILIES_AUDIO_SINK");
  GstElement *sink = NULL;

  if (name != NULL && *name != '\0')
    {
      sink = gst_element_factory_make (name, "audio-sink");
      if (sink == NULL)
        g_warning ("DAILIES_AUDIO_SINK names “%s”, which is not an element; using the default",
                   name);
      else if (g_str_equal (name, "fakesink"))
        g_object_set (sink, "sync", TRUE, NULL);
    }

  if (sink == NULL)
    sink = gst_element_factory_make ("autoaudiosink", "audio-sink");

  /* Open the device now (this is a streaming thread): with no sound device the video still
   * plays, against a clocked fake sink. */
  if (sink != NULL && gst_element_set_state (sink, GST_STATE_READY) == GST_STATE_CHANGE_FAILURE)
    {
      gst_element_set_state (sink, GST_STATE_NULL);
      g_clear_object (&sink);
    }

  if (sink == NULL)
    {
      g_debug ("No usable audio output; audio is decoded in sync but not heard");
      sink = gst_element_factory_make ("fakesink", "audio-sink");
      g_object_set (sink, "sync", TRUE, NULL);
    }

  return sink;
}

/* Builds selector → audioconvert → audioresample → scaletempo → audioconvert → volume → sink.
 * Called with audio_lock held. */
static gboolean
session_ensure_audio_output (Session *session)
{
  GstElement *chain[7] = { NULL, };
  guint n = 0;

  if (session->audio_selector != NULL)
    return TRUE;

  chain[n++] = gst_element_factory_make ("input-selector", "audio-selector");
  chain[n++] = gst_element_factory_make ("audioconvert", NULL);
  chain[n++] = gst_element_factory_make ("audioresample", NULL);
  /* Optional: without it audio changes pitch with the rate. */
  chain[n] = gst_element_factory_make ("scaletempo", NULL);
  if (chain[n] != NULL)
    {
      n++;
      chain[n++] = gst_element_factory_make ("audioconvert", NULL);
    }
  chain[n++] = gst_element_factory_make ("volume", "audio-volume");
  chain[n++] = make_audio_sink ();

  for (guint i = 0; i < n; i++)
    {
      if (chain[i] == NULL)
        {
          for (guint j = 0; j < n; j++)
            if (chain[j] != NULL)
              gst_object_unref (chain[j]);
          return FALSE;
        }
    }

  /* Only the chosen side is heard; the others are dropped on arrival (not held back), and a
   * change of side re-seeks so that the new side starts in step. */
  g_object_set (chain[0], "sync-streams", FALSE, NULL);

  for (guint i = 0; i < n; i++)
    gst_bin_add (GST_BIN (session->pipeline), chain[i]);
  for (guint i = 0; i + 1 < n; i++)
    gst_element_link (chain[i], chain[i + 1]);

  g_mutex_lock (&session->lock);
  session->audio_selector = chain[0];
  session->audio_volume = chain[n - 2];
  g_object_set (session->audio_volume,
                "volume", session->volume_linear,
                "mute", session->muted,
                NULL);
  g_mutex_unlock (&session->lock);

  for (guint i = n; i > 0; i--)
    gst_element_sync_state_with_parent (chain[i - 1]);

  return TRUE;
}

static void
side_link_audio (Side   *side,
                 GstPad *pad)
{
  Session *session = side->session;
  g_autoptr(GstPad) selector_pad = NULL;

  g_mutex_lock (&session->audio_lock);

  if (side->selector_pad != NULL || !session_ensure_audio_output (session))
    {
      g_mutex_unlock (&session->audio_lock);
      return;
    }

  selector_pad = gst_element_request_pad_simple (session->audio_selector, "sink_%u");
  if (gst_pad_link (pad, selector_pad) != GST_PAD_LINK_OK)
    {
      gst_element_release_request_pad (session->audio_selector, selector_pad);
      g_mutex_unlock (&session->audio_lock);
      return;
    }

  g_mutex_lock (&session->lock);
  side->selector_pad = g_object_ref (selector_pad);
  if (session->audio_side == side->index)
    g_object_set (session->audio_selector, "active-pad", selector_pad, NULL);
  side->changed = TRUE;
  session_schedule_dispatch_locked (session);
  g_mutex_unlock (&session->lock);

  g_mutex_unlock (&session->audio_lock);
}

static void
side_link_video (Side   *side,
                 GstPad *pad)
{
  Session *session = side->session;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstPad) sink_pad = NULL;
  GstElement *convert;
  GstElement *sink;
  GstAppSinkCallbacks callbacks = {
    .new_preroll = on_appsink_new_preroll,
    .new_sample = on_appsink_new_sample,
  };

  convert = gst_element_factory_make ("videoconvert", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  if (convert == NULL || sink == NULL)
    {
      g_clear_object (&convert);
      g_clear_object (&sink);
      return;
    }

  g_mutex_lock (&session->lock);
  if (side->video_sink != NULL)
    {
      /* A second video stream: the first one is the take. */
      g_mutex_unlock (&session->lock);
      gst_object_unref (gst_object_ref_sink (convert));
      gst_object_unref (gst_object_ref_sink (sink));
      return;
    }
  side->video_sink = gst_object_ref (sink);
  g_mutex_unlock (&session->lock);

  /* Two decoders and two converters share two cores when comparing; let each converter use
   * what it can, the way a video sink's own converter would. */
  g_object_set (convert, "n-threads", MIN (g_get_num_processors (), 4u), NULL);

  caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "BGRA", NULL);
  g_object_set (sink,
                "caps", caps,
                "sync", TRUE,
                "qos", TRUE,
                "max-lateness", (gint64) (20 * GST_MSECOND),
                "max-buffers", 1,
                "enable-last-sample", FALSE,
                NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, side, NULL);

  sink_pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (sink_pad,
                     GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
                     on_video_sink_event_probe, side, NULL);

  gst_bin_add_many (GST_BIN (session->pipeline), convert, sink, NULL);
  if (!gst_element_link (convert, sink))
    return;

  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (convert);

  {
    g_autoptr(GstPad) convert_pad = gst_element_get_static_pad (convert, "sink");

    gst_pad_link (pad, convert_pad);
  }
}

static void
on_decodebin_pad_added_cb (GstElement *decodebin,
                           GstPad     *pad,
                           gpointer    user_data)
{
  Side *side = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *name;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  if (caps == NULL || gst_caps_is_empty (caps))
    return;

  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (g_str_has_prefix (name, "video/x-raw"))
    side_link_video (side, pad);
  else if (g_str_has_prefix (name, "audio/x-raw"))
    side_link_audio (side, pad);
  /* Anything else (subtitles, a second track) stays unlinked; demuxers carry on with the
   * streams that are linked. */
}

static Session *
session_new (DlyPlayer   *player,
             const char **uris,
             guint        n_uris)
{
  Session *session = g_atomic_rc_box_new0 (Session);

  g_mutex_init (&session->lock);
  g_mutex_init (&session->audio_lock);
  session->player = player;
  session->context = g_main_context_ref (player->context);
  session->pipeline = gst_object_ref_sink (gst_pipeline_new ("dailies-player"));
  session->n_sides = n_uris;
  session->volume_linear = gst_stream_volume_convert_volume (GST_STREAM_VOLUME_FORMAT_CUBIC,
                                                             GST_STREAM_VOLUME_FORMAT_LINEAR,
                                                             player->volume);
  session->muted = player->muted;
  session->audio_side = player->audio_side;

  for (guint i = 0; i < n_uris; i++)
    {
      Side *side = &session->sides[i];
      g_autofree char *name = g_strdup_printf ("decode-%c", 'a' + i);

      side->session = session;
      side->index = i;
      side->uri = g_strdup (uris[i]);
      side->decodebin = gst_element_factory_make ("uridecodebin", name);
      g_object_set (side->decodebin, "uri", side->uri, NULL);
      g_signal_connect (side->decodebin, "pad-added",
                        G_CALLBACK (on_decodebin_pad_added_cb), side);
      gst_bin_add (GST_BIN (session->pipeline), side->decodebin);
    }

  /* One worker keeps commands in order; GThreadPool runs them first in, first out. */
  session->commands = g_thread_pool_new (session_run_command, session, 1, FALSE, NULL);

  return session;
}

/* --- helpers on the main thread --- */

static char *
location_to_uri (const char *location)
{
  g_autoptr(GFile) file = NULL;

  if (gst_uri_is_valid (location))
    return g_strdup (location);

  /* No I/O: this only makes the path absolute. */
  file = g_file_new_for_commandline_arg (location);
  return g_file_get_uri (file);
}

static gint64
frame_duration (DlyPlayer *self)
{
  const SideView *view = &self->views[0];

  if (view->fps_n > 0 && view->fps_d > 0)
    return gst_util_uint64_scale_int (GST_SECOND, view->fps_d, view->fps_n);

  return GST_SECOND / 25;
}

static gint64
frame_to_position (DlyPlayer *self,
                   gint64     frame,
                   gboolean   middle)
{
  const SideView *view = &self->views[0];

  if (frame < 0)
    frame = 0;

  /* Rounded as qtdemux rounds timestamps, so a frame start matches its PTS. */
  if (view->fps_n > 0 && view->fps_d > 0)
    return gst_util_uint64_scale_round (2 * frame + (middle ? 1 : 0),
                                        (guint64) view->fps_d * GST_SECOND,
                                        2 * (guint64) view->fps_n);

  return frame * frame_duration (self) + (middle ? frame_duration (self) / 2 : 0);
}

static gint64
position_to_frame (DlyPlayer *self,
                   gint64     position)
{
  const SideView *view = &self->views[0];

  if (position <= 0)
    return 0;

  if (view->fps_n > 0 && view->fps_d > 0)
    return gst_util_uint64_scale_round (position, view->fps_n,
                                        (guint64) view->fps_d * GST_SECOND);

  return (position + frame_duration (self) / 2) / frame_duration (self);
}

static void
set_state (DlyPlayer      *self,
           DlyPlayerState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_op (DlyPlayer *self,
        Op         op)
{
  gboolean was_busy = self->op != OP_NONE;

  self->op = op;
  if (was_busy != (op != OP_NONE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
is_open (DlyPlayer *self)
{
  return self->session != NULL && self->state != DLY_PLAYER_STATE_ERROR;
}

static GstSeekFlags
seek_flags (DlyPlayer    *self,
            GstSeekFlags  flags)
{
  if (self->loop)
    flags |= GST_SEEK_FLAG_SEGMENT;
  return flags;
}

/* Sends a flushing seek and waits (without blocking) for every side's frame. */
static void
issue_seek (DlyPlayer *self,
            gint64     position,
            gboolean   accurate,
            gboolean   for_step)
{
  GstSeekFlags flags = GST_SEEK_FLAG_FLUSH;
  GstEvent *event;

  if (accurate)
    flags |= GST_SEEK_FLAG_ACCURATE;
  else
    flags |= GST_SEEK_FLAG_KEY_UNIT | GST_SEEK_FLAG_SNAP_BEFORE;

  position = MAX (position, 0);
  if (self->duration > 0)
    position = MIN (position, self->duration - 1);
  event = gst_event_new_seek (self->rate, GST_FORMAT_TIME, seek_flags (self, flags),
                              GST_SEEK_TYPE_SET, position,
                              GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE);

  self->op_seqnum = gst_event_get_seqnum (event);
  self->op_is_step = for_step;
  self->at_end = FALSE;
  self->needs_resync = FALSE;
  for (guint i = 0; i < self->session->n_sides; i++)
    self->views[i].step_waiting = FALSE;
  set_op (self, OP_SEEK);

  session_push_event (self->session, self->session->pipeline, event);
}

/* Where playback would continue from: the clock when playing, else just inside the frame
 * shown (an exact frame start could round into the frame before). */
static gint64
resync_position (DlyPlayer *self)
{
  gint64 position = -1;

  if (self->state == DLY_PLAYER_STATE_PLAYING
      && gst_element_query_position (self->session->pipeline, GST_FORMAT_TIME, &position)
      && position >= 0)
    return position;

  return self->position + MIN (RESYNC_OFFSET, frame_duration (self) / 4);
}

static void
resync (DlyPlayer *self)
{
  if (!is_open (self) || !self->prerolled)
    return;

  self->has_pending_seek = FALSE;
  self->queued_steps = 0;
  issue_seek (self, resync_position (self), TRUE, FALSE);
}

static gboolean
same_frame_rates (DlyPlayer *self)
{
  if (self->session->n_sides < 2)
    return TRUE;

  return (gint64) self->views[0].fps_n * self->views[1].fps_d
         == (gint64) self->views[1].fps_n * self->views[0].fps_d;
}

static void
finish_op (DlyPlayer *self)
{
  gboolean was_step = self->op == OP_STEP || self->op_is_step;
  gboolean was_seek = self->op == OP_SEEK && !self->op_is_step;

  self->op_is_step = FALSE;
  set_op (self, OP_NONE);

  if (was_seek)
    g_signal_emit (self, signals[SEEK_DONE], 0);
  else if (was_step)
    g_signal_emit (self, signals[STEP_DONE], 0);

  dly_player_run_queue (self);
}

static void
start_step (DlyPlayer *self,
            int        direction)
{
  gint64 frame = dly_player_get_frame_number (self);

  if (direction < 0)
    {
      if (frame <= 0)
        {
          g_signal_emit (self, signals[STEP_DONE], 0);
          return;
        }
      issue_seek (self, frame_to_position (self, frame - 1, TRUE), TRUE, TRUE);
      return;
    }

  if (self->at_end || (self->frame_count > 0 && frame >= self->frame_count - 1))
    {
      g_signal_emit (self, signals[STEP_DONE], 0);
      return;
    }

  /* Takes at different frame rates cannot both move one buffer and stay together. */
  if (!same_frame_rates (self))
    {
      issue_seek (self, frame_to_position (self, frame + 1, TRUE), TRUE, TRUE);
      return;
    }

  set_op (self, OP_STEP);
  for (guint i = 0; i < self->session->n_sides; i++)
    {
      SideView *view = &self->views[i];
      GstElement *sink = NULL;

      g_mutex_lock (&self->session->lock);
      if (self->session->sides[i].video_sink != NULL && !self->session->sides[i].eos)
        sink = g_object_ref (self->session->sides[i].video_sink);
      g_mutex_unlock (&self->session->lock);

      view->step_waiting = sink != NULL;
      view->step_preroll_count = view->preroll_count;
      if (sink != NULL)
        {
          session_push_event (self->session, sink,
                              gst_event_new_step (GST_FORMAT_BUFFERS, 1, 1.0, TRUE, FALSE));
          g_object_unref (sink);
        }
    }
  self->needs_resync = TRUE;

  /* Every side was already at its end. */
  if (!self->views[0].step_waiting && !self->views[1].step_waiting)
    finish_op (self);
}

static void
dly_player_run_queue (DlyPlayer *self)
{
  if (!is_open (self) || !self->prerolled || self->op != OP_NONE)
    return;

  if (self->has_pending_seek)
    {
      self->has_pending_seek = FALSE;
      issue_seek (self, self->pending_seek, self->pending_seek_accurate, FALSE);
    }
  else if (self->queued_steps != 0)
    {
      int direction = self->queued_steps > 0 ? 1 : -1;

      self->queued_steps -= direction;
      start_step (self, direction);
    }
}

static void
check_op_done (DlyPlayer *self)
{
  guint n = self->session->n_sides;

  if (self->op == OP_SEEK)
    {
      for (guint i = 0; i < n; i++)
        {
          const SideView *view = &self->views[i];
          gboolean shown = view->sample != NULL && view->sample_seqnum == self->op_seqnum;
          gboolean ended = view->eos && view->eos_seqnum == self->op_seqnum;

          if (!shown && !ended)
            return;
        }
      finish_op (self);
    }
  else if (self->op == OP_STEP)
    {
      for (guint i = 0; i < n; i++)
        {
          SideView *view = &self->views[i];

          if (view->step_waiting && view->preroll_count > view->step_preroll_count)
            view->step_waiting = FALSE;
          if (view->step_waiting)
            return;
        }
      finish_op (self);
    }
}

static void
update_frame_count (DlyPlayer *self)
{
  const SideView *view = &self->views[0];
  gint64 count = 0;

  /* The container's duration can include a longer audio track: count the whole frames that
   * fit (with a little slack for durations rounded down to the nanosecond). */
  if (self->duration > 0 && view->fps_n > 0 && view->fps_d > 0)
    count = gst_util_uint64_scale (self->duration + 100 * GST_USECOND, view->fps_n,
                                   (guint64) view->fps_d * GST_SECOND);

  if (count != self->frame_count)
    {
      self->frame_count = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME_COUNT]);
    }
}

static void
update_duration (DlyPlayer *self)
{
  gint64 duration = 0;

  if (self->session == NULL
      || !gst_element_query_duration (self->session->pipeline, GST_FORMAT_TIME, &duration)
      || duration < 0)
    duration = self->duration;

  if (duration != self->duration)
    {
      self->duration = duration;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }
  update_frame_count (self);
}

static void
apply_audio_mute (DlyPlayer *self)
{
  Session *session = self->session;
  /* Choosing a silent take means hearing nothing, not the other take. */
  gboolean silent = self->muted || !self->views[self->audio_side].has_audio;

  g_mutex_lock (&session->lock);
  session->muted = silent;
  if (session->audio_volume != NULL)
    g_object_set (session->audio_volume, "mute", silent, NULL);
  g_mutex_unlock (&session->lock);
}

/* The stream time of the frame in @sample. A decoder clips the first frame after an accurate
 * seek to the segment start, so that frame claims the seek target as its time; put it back
 * on the frame grid, where it began. */
static gint64
sample_position (DlyPlayer       *self,
                 const SideView  *view,
                 GstSample       *sample)
{
  gint64 position = dly_player_sample_get_stream_time (sample);
  const GstSegment *segment = gst_sample_get_segment (sample);
  GstBuffer *buffer = gst_sample_get_buffer (sample);

  if (position > 0 && view->fps_n > 0 && view->fps_d > 0 && segment != NULL
      && GST_BUFFER_PTS (buffer) == segment->start)
    {
      gint64 frame = gst_util_uint64_scale (position, view->fps_n,
                                            (guint64) view->fps_d * GST_SECOND);

      return gst_util_uint64_scale_round (frame, (guint64) view->fps_d * GST_SECOND,
                                          view->fps_n);
    }

  return position;
}

/* Takes what the streaming threads left in the mailboxes. */
static void
dly_player_pump (DlyPlayer *self)
{
  Session *session = self->session;
  gboolean changed[2] = { FALSE, FALSE };
  gboolean has_audio_before = dly_player_get_has_audio (self);
  gboolean size_changed = FALSE;
  gboolean rate_changed = FALSE;
  gint64 position = -1;

  if (session == NULL)
    return;

  for (guint i = 0; i < session->n_sides; i++)
    {
      Side *side = &session->sides[i];
      SideView *view = &self->views[i];
      g_autoptr(GstSample) sample = NULL;

      g_mutex_lock (&session->lock);
      view->has_audio = side->selector_pad != NULL;
      if (side->changed)
        {
          side->changed = FALSE;
          changed[i] = TRUE;
          if (side->sample != view->sample)
            sample = gst_sample_ref (side->sample);
          view->sample_seqnum = side->sample_seqnum;
          view->preroll_count = side->preroll_count;
          view->eos = side->eos;
          view->eos_seqnum = side->eos_seqnum;
        }
      g_mutex_unlock (&session->lock);

      if (sample != NULL)
        {
          GstCaps *caps = gst_sample_get_caps (sample);
          GstVideoInfo info;

          if (caps != NULL && gst_video_info_from_caps (&info, caps))
            {
              if (view->width != GST_VIDEO_INFO_WIDTH (&info)
                  || view->height != GST_VIDEO_INFO_HEIGHT (&info))
                {
                  view->width = GST_VIDEO_INFO_WIDTH (&info);
                  view->height = GST_VIDEO_INFO_HEIGHT (&info);
                  size_changed = size_changed || i == 0;
                }
              if (view->fps_n != GST_VIDEO_INFO_FPS_N (&info)
                  || view->fps_d != GST_VIDEO_INFO_FPS_D (&info))
                {
                  view->fps_n = GST_VIDEO_INFO_FPS_N (&info);
                  view->fps_d = GST_VIDEO_INFO_FPS_D (&info);
                  rate_changed = rate_changed || i == 0;
                }
            }
          view->position = sample_position (self, view, sample);
          g_clear_pointer (&view->sample, gst_sample_unref);
          view->sample = g_steal_pointer (&sample);
        }
      else if (changed[i] && view->sample == NULL)
        changed[i] = FALSE;
    }

  for (guint i = 0; i < session->n_sides; i++)
    position = MAX (position, self->views[i].position);
  position = MAX (position, 0);

  g_object_freeze_notify (G_OBJECT (self));
  if (size_changed)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
    }
  if (rate_changed)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME_RATE]);
      update_frame_count (self);
    }
  if (position != self->position)
    {
      self->position = position;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
    }
  if (has_audio_before != dly_player_get_has_audio (self))
    {
      apply_audio_mute (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_AUDIO]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  for (guint i = 0; i < session->n_sides; i++)
    if (changed[i])
      g_signal_emit (self, signals[FRAME_READY], 0, (DlyPlayerSide) i);

  /* A signal handler may have closed the player. */
  if (self->session == session)
    check_op_done (self);
}

/* The file's name, as errors show it. */
static char *
uri_display_name (const char *uri)
{
  g_autoptr(GFile) file = g_file_new_for_uri (uri);
  g_autofree char *basename = g_file_get_basename (file);

  return g_filename_display_name (basename != NULL ? basename : uri);
}

static void
clear_open_timeout (DlyPlayer *self)
{
  if (self->open_timeout != NULL)
    {
      g_source_destroy (self->open_timeout);
      g_clear_pointer (&self->open_timeout, g_source_unref);
    }
}

static void
fail (DlyPlayer  *self,
      GError     *error,
      const char *detail)
{
  g_autoptr(GError) owned = error;

  if (self->state == DLY_PLAYER_STATE_ERROR)
    return;

  g_clear_error (&self->error);
  g_clear_pointer (&self->error_detail, g_free);
  self->error = g_error_copy (error);
  self->error_detail = g_strdup (detail);
  g_debug ("Player error: %s (%s)", error->message, detail ? detail : "no detail");

  self->want_playing = FALSE;
  self->has_pending_seek = FALSE;
  self->queued_steps = 0;
  set_op (self, OP_NONE);
  if (self->session != NULL)
    session_push_state (self->session, GST_STATE_NULL);
  set_state (self, DLY_PLAYER_STATE_ERROR);

  clear_open_timeout (self);
  g_signal_emit (self, signals[ERROR], 0, self->error, self->error_detail);
}

static gboolean
on_open_timeout_cb (gpointer user_data)
{
  DlyPlayer *self = user_data;
  g_autofree char *path = NULL;
  const char *uri = self->session->sides[0].uri;

  g_clear_pointer (&self->open_timeout, g_source_unref);

  /* Name the side that has not shown a frame. */
  for (guint i = 0; i < self->session->n_sides; i++)
    if (self->views[i].sample == NULL)
      {
        uri = self->session->sides[i].uri;
        break;
      }
  path = uri_display_name (uri);

  fail (self,
        g_error_new (DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NOT_VIDEO,
                     _("“%s” did not open in time; it may be damaged or incomplete"), path),
        "No frame before the open timeout");

  return G_SOURCE_REMOVE;
}

static const char *
side_name_for_object (DlyPlayer *self,
                      GstObject *object)
{
  for (GstObject *o = object ? gst_object_ref (object) : NULL; o != NULL; )
    {
      GstObject *parent;

      for (guint i = 0; i < self->session->n_sides; i++)
        if (o == GST_OBJECT (self->session->sides[i].decodebin))
          {
            gst_object_unref (o);
            return self->session->sides[i].uri;
          }
      parent = gst_object_get_parent (o);
      gst_object_unref (o);
      o = parent;
    }

  return self->session->sides[0].uri;
}

static void
handle_error_message (DlyPlayer  *self,
                      GstMessage *message)
{
  g_autoptr(GError) gst_error = NULL;
  g_autofree char *debug = NULL;
  g_autofree char *name = NULL;
  const char *uri;
  GError *error;

  gst_message_parse_error (message, &gst_error, &debug);
  uri = side_name_for_object (self, GST_MESSAGE_SRC (message));
  name = uri_display_name (uri);

  if (g_error_matches (gst_error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND)
      || g_error_matches (gst_error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ)
      || g_error_matches (gst_error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ))
    error = g_error_new (DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NOT_FOUND,
                         _("Could not open “%s”: %s"), name, gst_error->message);
  else if (self->missing_plugin != NULL
           || g_error_matches (gst_error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN)
           || g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND))
    error = g_error_new (DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_MISSING_CODEC,
                         _("“%s” needs %s, which is not installed: %s"), name,
                         self->missing_plugin ? self->missing_plugin : _("a decoder"),
                         gst_error->message);
  else if (gst_error->domain == GST_STREAM_ERROR)
    error = g_error_new (DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NOT_VIDEO,
                         _("“%s” is not a video that can be played: %s"), name,
                         gst_error->message);
  else
    error = g_error_new (DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_FAILED,
                         _("Playing “%s” failed: %s"), name, gst_error->message);

  fail (self, error, debug);
}

static void
on_loaded (DlyPlayer *self)
{
  Session *session = self->session;

  clear_open_timeout (self);

  for (guint i = 0; i < session->n_sides; i++)
    {
      gboolean has_video;
      g_autofree char *path = NULL;

      g_mutex_lock (&session->lock);
      has_video = session->sides[i].video_sink != NULL;
      g_mutex_unlock (&session->lock);

      if (!has_video)
        {
          path = uri_display_name (session->sides[i].uri);
          fail (self,
                g_error_new (DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NO_VIDEO,
                             _("“%s” has no video to show"), path),
                NULL);
          return;
        }
    }

  self->prerolled = TRUE;
  update_duration (self);

  if (self->has_pending_seek)
    {
      self->has_pending_seek = FALSE;
      issue_seek (self, self->pending_seek, self->pending_seek_accurate, FALSE);
    }
  else if (self->loop || self->rate != 1.0)
    {
      /* Loops need a segment seek and rates a rated one; in PAUSED nobody sees it. */
      issue_seek (self, 0, TRUE, FALSE);
    }

  if (self->want_playing)
    {
      session_push_state (session, GST_STATE_PLAYING);
      set_state (self, DLY_PLAYER_STATE_PLAYING);
    }
  else
    set_state (self, DLY_PLAYER_STATE_PAUSED);

  dly_player_run_queue (self);
}

static void
handle_application_message (DlyPlayer  *self,
                            GstMessage *message)
{
  const GstStructure *s = gst_message_get_structure (message);
  guint seqnum = 0;

  if (!gst_structure_has_name (s, COMMAND_FAILED_MESSAGE))
    return;

  gst_structure_get_uint (s, "seqnum", &seqnum);
  if (self->op != OP_NONE && (self->op == OP_STEP || seqnum == self->op_seqnum))
    {
      g_debug ("A seek or step was refused; carrying on");
      finish_op (self);
    }
}

static gboolean
on_bus_message_cb (GstBus     *bus,
                   GstMessage *message,
                   gpointer    user_data)
{
  DlyPlayer *self = user_data;

  if (self->session == NULL)
    return G_SOURCE_CONTINUE;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      handle_error_message (self, message);
      break;

    case GST_MESSAGE_WARNING:
      {
        g_autoptr(GError) warning = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_warning (message, &warning, &debug);
        g_debug ("GStreamer warning from %s: %s (%s)", GST_MESSAGE_SRC_NAME (message),
                 warning->message, debug ? debug : "");
      }
      break;

    case GST_MESSAGE_ELEMENT:
      if (gst_is_missing_plugin_message (message))
        {
          g_free (self->missing_plugin);
          self->missing_plugin = gst_missing_plugin_message_get_description (message);
        }
      break;

    case GST_MESSAGE_ASYNC_DONE:
      dly_player_pump (self);
      if (self->state == DLY_PLAYER_STATE_LOADING)
        on_loaded (self);
      break;

    case GST_MESSAGE_DURATION_CHANGED:
      if (self->prerolled)
        update_duration (self);
      break;

    case GST_MESSAGE_SEGMENT_DONE:
      if (self->loop)
        {
          /* Not flushing: the seek queues behind the data already on its way, so the
           * first frame follows the last without a gap and no EOS is ever sent. */
          GstEvent *event = gst_event_new_seek (self->rate, GST_FORMAT_TIME,
                                                GST_SEEK_FLAG_SEGMENT,
                                                GST_SEEK_TYPE_SET, 0,
                                                GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE);
          session_push_event (self->session, self->session->pipeline, event);
          g_signal_emit (self, signals[LOOPED], 0);
        }
      break;

    case GST_MESSAGE_EOS:
      dly_player_pump (self);
      if (self->loop)
        {
          /* Only if a segment seek was missed; keep going without a stop. */
          issue_seek (self, 0, TRUE, FALSE);
          g_signal_emit (self, signals[LOOPED], 0);
          break;
        }
      self->at_end = TRUE;
      self->want_playing = FALSE;
      session_push_state (self->session, GST_STATE_PAUSED);
      set_state (self, DLY_PLAYER_STATE_PAUSED);
      g_signal_emit (self, signals[ENDED], 0);
      break;

    case GST_MESSAGE_STEP_DONE:
      {
        gboolean eos = FALSE;

        gst_message_parse_step_done (message, NULL, NULL, NULL, NULL, NULL, NULL, &eos);
        if (eos && self->op == OP_STEP)
          {
            for (guint i = 0; i < self->session->n_sides; i++)
              if (GST_MESSAGE_SRC (message) == GST_OBJECT (self->session->sides[i].video_sink))
                self->views[i].step_waiting = FALSE;
            check_op_done (self);
          }
      }
      break;

    case GST_MESSAGE_QOS:
      self->qos_messages++;
      break;

    case GST_MESSAGE_APPLICATION:
      handle_application_message (self, message);
      break;

    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static void
reset_views (DlyPlayer *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->views); i++)
    {
      g_clear_pointer (&self->views[i].sample, gst_sample_unref);
      memset (&self->views[i], 0, sizeof self->views[i]);
      self->views[i].position = -1;
    }
}

static void
close_session (DlyPlayer *self)
{
  Session *session = g_steal_pointer (&self->session);
  GThreadPool *commands;
  Command *teardown;

  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }

  if (session == NULL)
    return;

  g_mutex_lock (&session->lock);
  session->player = NULL;
  if (session->dispatch != NULL)
    {
      g_source_destroy (session->dispatch);
      g_clear_pointer (&session->dispatch, g_source_unref);
    }
  g_mutex_unlock (&session->lock);

  /* Setting NULL joins the streaming threads: do it on the worker, after whatever was
   * queued, and let the worker drop the last reference. The pool is taken first: once the
   * teardown is queued the worker may free the session at any moment. */
  commands = g_steal_pointer (&session->commands);
  teardown = g_new0 (Command, 1);
  teardown->kind = COMMAND_TEARDOWN;
  g_thread_pool_push (commands, teardown, NULL);
  g_thread_pool_free (commands, FALSE, FALSE);
}

static void
reset (DlyPlayer *self)
{
  gboolean had_audio = dly_player_get_has_audio (self);
  guint n_sides = dly_player_get_n_sides (self);

  close_session (self);
  reset_views (self);
  clear_open_timeout (self);

  g_clear_error (&self->error);
  g_clear_pointer (&self->error_detail, g_free);
  g_clear_pointer (&self->missing_plugin, g_free);
  self->prerolled = FALSE;
  self->at_end = FALSE;
  self->needs_resync = FALSE;
  self->want_playing = FALSE;
  self->has_pending_seek = FALSE;
  self->queued_steps = 0;
  self->op_is_step = FALSE;
  self->qos_messages = 0;
  set_op (self, OP_NONE);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->position != 0)
    {
      self->position = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
    }
  if (self->duration != 0)
    {
      self->duration = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }
  update_frame_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME_RATE]);
  if (had_audio)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_AUDIO]);
  if (n_sides != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SIDES]);
  set_state (self, DLY_PLAYER_STATE_EMPTY);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
open_uris (DlyPlayer   *self,
           const char **locations,
           guint        n)
{
  g_autofree char *uri_a = NULL;
  g_autofree char *uri_b = NULL;
  const char *uris[2];
  g_autoptr(GstBus) bus = NULL;

  reset (self);

  uri_a = location_to_uri (locations[0]);
  uris[0] = uri_a;
  if (n > 1)
    {
      uri_b = location_to_uri (locations[1]);
      uris[1] = uri_b;
    }

  self->session = session_new (self, uris, n);

  bus = gst_element_get_bus (self->session->pipeline);
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_static_name (self->bus_source, "[dailies] player bus");
  g_source_set_callback (self->bus_source, (GSourceFunc) G_CALLBACK (on_bus_message_cb),
                         self, NULL);
  g_source_attach (self->bus_source, self->context);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SIDES]);
  set_state (self, DLY_PLAYER_STATE_LOADING);
  session_push_state (self->session, GST_STATE_PAUSED);

  {
    gboolean local = TRUE;

    for (guint i = 0; i < n; i++)
      local = local && g_str_has_prefix (uris[i], "file:");
    self->open_timeout = g_timeout_source_new_seconds (local ? LOCAL_OPEN_TIMEOUT_S
                                                              : REMOTE_OPEN_TIMEOUT_S);
    g_source_set_static_name (self->open_timeout, "[dailies] player open timeout");
    g_source_set_callback (self->open_timeout, on_open_timeout_cb, self, NULL);
    g_source_attach (self->open_timeout, self->context);
  }
}

/* --- GObject --- */

static void
dly_player_dispose (GObject *object)
{
  DlyPlayer *self = DLY_PLAYER (object);

  close_session (self);
  reset_views (self);
  clear_open_timeout (self);

  G_OBJECT_CLASS (dly_player_parent_class)->dispose (object);
}

static void
dly_player_finalize (GObject *object)
{
  DlyPlayer *self = DLY_PLAYER (object);

  g_clear_error (&self->error);
  g_clear_pointer (&self->error_detail, g_free);
  g_clear_pointer (&self->missing_plugin, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (dly_player_parent_class)->finalize (object);
}

static void
dly_player_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DlyPlayer *self = DLY_PLAYER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    case PROP_FRAME_RATE:
      g_value_set_double (value, dly_player_get_frame_rate (self));
      break;
    case PROP_FRAME_COUNT:
      g_value_set_int64 (value, self->frame_count);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, dly_player_get_width (self));
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, dly_player_get_height (self));
      break;
    case PROP_HAS_AUDIO:
      g_value_set_boolean (value, dly_player_get_has_audio (self));
      break;
    case PROP_VOLUME:
      g_value_set_double (value, self->volume);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_LOOP:
      g_value_set_boolean (value, self->loop);
      break;
    case PROP_AUDIO_SIDE:
      g_value_set_enum (value, self->audio_side);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->op != OP_NONE);
      break;
    case PROP_N_SIDES:
      g_value_set_uint (value, dly_player_get_n_sides (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_player_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DlyPlayer *self = DLY_PLAYER (object);

  switch (prop_id)
    {
    case PROP_VOLUME:
      dly_player_set_volume (self, g_value_get_double (value));
      break;
    case PROP_MUTED:
      dly_player_set_muted (self, g_value_get_boolean (value));
      break;
    case PROP_RATE:
      dly_player_set_rate (self, g_value_get_double (value));
      break;
    case PROP_LOOP:
      dly_player_set_loop (self, g_value_get_boolean (value));
      break;
    case PROP_AUDIO_SIDE:
      dly_player_set_audio_side (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_player_class_init (DlyPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  object_class->dispose = dly_player_dispose;
  object_class->finalize = dly_player_finalize;
  object_class->get_property = dly_player_get_property;
  object_class->set_property = dly_player_set_property;

  /**
   * DlyPlayer:state:
   * What the player is doing, as the user asked it once it applies.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DLY_TYPE_PLAYER_STATE, DLY_PLAYER_STATE_EMPTY, ro);

  /**
   * DlyPlayer:position:
   * The stream time of the frame shown, in nanoseconds.
   */
  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0, ro);

  /**
   * DlyPlayer:duration:
   * The longest stream's duration, in nanoseconds; 0 until known.
   */
  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0, ro);

  /**
   * DlyPlayer:frame-rate:
   * Frames per second of the (first) video; 0 until known or when variable.
   */
  properties[PROP_FRAME_RATE] =
    g_param_spec_double ("frame-rate", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);

  /**
   * DlyPlayer:frame-count:
   * How many frames the (first) video has.
   */
  properties[PROP_FRAME_COUNT] =
    g_param_spec_int64 ("frame-count", NULL, NULL, 0, G_MAXINT64, 0, ro);

  /**
   * DlyPlayer:width:
   * The (first) video's width in pixels.
   */
  properties[PROP_WIDTH] = g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0, ro);

  /**
   * DlyPlayer:height:
   * The (first) video's height in pixels.
   */
  properties[PROP_HEIGHT] = g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0, ro);

  /**
   * DlyPlayer:has-audio:
   * Whether the take that is heard has an audio track.
   */
  properties[PROP_HAS_AUDIO] = g_param_spec_boolean ("has-audio", NULL, NULL, FALSE, ro);

  /**
   * DlyPlayer:volume:
   * 0 to 1 on a cubic curve.
   */
  properties[PROP_VOLUME] = g_param_spec_double ("volume", NULL, NULL, 0, 1, 1, rw);

  /**
   * DlyPlayer:muted:
   * Whether audio is silenced.
   */
  properties[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE, rw);

  /**
   * DlyPlayer:rate:
   * Playback speed, from 0.25 to 2.
   */
  properties[PROP_RATE] =
    g_param_spec_double ("rate", NULL, NULL, DLY_PLAYER_RATE_MIN, DLY_PLAYER_RATE_MAX, 1, rw);

  /**
   * DlyPlayer:loop:
   * Whether playback wraps from the end to the start without a gap.
   */
  properties[PROP_LOOP] = g_param_spec_boolean ("loop", NULL, NULL, FALSE, rw);

  /**
   * DlyPlayer:audio-side:
   * Which take is heard when comparing.
   */
  properties[PROP_AUDIO_SIDE] =
    g_param_spec_enum ("audio-side", NULL, NULL, DLY_TYPE_PLAYER_SIDE, DLY_PLAYER_SIDE_A, rw);

  /**
   * DlyPlayer:busy:
   * Whether a seek or step is still on its way to the screen.
   */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);

  /**
   * DlyPlayer:n-sides:
   * 0 when nothing is open, 1 for one file, 2 when comparing.
   */
  properties[PROP_N_SIDES] = g_param_spec_uint ("n-sides", NULL, NULL, 0, 2, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlyPlayer::frame-ready:
   * @side: which side has a new frame
   *
   * A new frame is waiting in dly_player_get_frame(). Emitted on the main context.
   */
  signals[FRAME_READY] =
    g_signal_new ("frame-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DLY_TYPE_PLAYER_SIDE);

  /**
   * DlyPlayer::seek-done:
   * Every side shows the frame of the latest seek.
   */
  signals[SEEK_DONE] =
    g_signal_new ("seek-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * DlyPlayer::step-done:
   * A one-frame step (either way) is on screen, or could not move.
   */
  signals[STEP_DONE] =
    g_signal_new ("step-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * DlyPlayer::looped:
   * Playback wrapped from the end to the start.
   */
  signals[LOOPED] =
    g_signal_new ("looped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * DlyPlayer::ended:
   * Playback reached the end (without loop); the last frame stays shown.
   */
  signals[ENDED] =
    g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * DlyPlayer::error:
   * @error: what went wrong, in %DLY_PLAYER_ERROR
   * @detail: (nullable): GStreamer's debug detail
   *
   * Opening or playing failed; the player is in %DLY_PLAYER_STATE_ERROR.
   */
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_ERROR, G_TYPE_STRING);
}

static void
dly_player_init (DlyPlayer *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->volume = 1.0;
  self->rate = 1.0;
  self->audio_side = DLY_PLAYER_SIDE_A;
  reset_views (self);
}

/* --- public API --- */

DlyPlayer *
dly_player_new (void)
{
  return g_object_new (DLY_TYPE_PLAYER, NULL);
}

void
dly_player_open (DlyPlayer  *self,
                 const char *location)
{
  g_return_if_fail (DLY_IS_PLAYER (self));
  g_return_if_fail (location != NULL);

  open_uris (self, &location, 1);
}

void
dly_player_open_pair (DlyPlayer  *self,
                      const char *location_a,
                      const char *location_b)
{
  const char *locations[2] = { location_a, location_b };

  g_return_if_fail (DLY_IS_PLAYER (self));
  g_return_if_fail (location_a != NULL);
  g_return_if_fail (location_b != NULL);

  open_uris (self, locations, 2);
}

void
dly_player_close (DlyPlayer *self)
{
  g_return_if_fail (DLY_IS_PLAYER (self));

  reset (self);
}

const char *
dly_player_get_uri (DlyPlayer     *self,
                    DlyPlayerSide  side)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), NULL);

  if (self->session == NULL || side >= self->session->n_sides)
    return NULL;

  return self->session->sides[side].uri;
}

guint
dly_player_get_n_sides (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), 0);

  return self->session != NULL ? self->session->n_sides : 0;
}

DlyPlayerState
dly_player_get_state (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), DLY_PLAYER_STATE_EMPTY);

  return self->state;
}

void
dly_player_play (DlyPlayer *self)
{
  g_return_if_fail (DLY_IS_PLAYER (self));

  if (!is_open (self) || self->want_playing)
    return;

  self->want_playing = TRUE;
  if (self->state == DLY_PLAYER_STATE_LOADING)
    return;

  if (self->at_end)
    {
      self->queued_steps = 0;
      self->has_pending_seek = FALSE;
      issue_seek (self, 0, TRUE, FALSE);
    }
  else if (self->needs_resync)
    {
      /* The audio is not where the pictures are: line everything up before going. */
      resync (self);
    }
  self->queued_steps = 0;

  session_push_state (self->session, GST_STATE_PLAYING);
  set_state (self, DLY_PLAYER_STATE_PLAYING);
}

void
dly_player_pause (DlyPlayer *self)
{
  gint64 position;

  g_return_if_fail (DLY_IS_PLAYER (self));

  if (!is_open (self) || !self->want_playing)
    return;

  self->want_playing = FALSE;
  if (self->state == DLY_PLAYER_STATE_LOADING)
    return;

  /* A pausing sink prerolls the frame after the one it showed, and two sides need not have
   * shown the same one at that instant: stop, then show exactly where the clock stopped. */
  position = resync_position (self);
  session_push_state (self->session, GST_STATE_PAUSED);
  set_state (self, DLY_PLAYER_STATE_PAUSED);

  self->has_pending_seek = FALSE;
  self->queued_steps = 0;
  issue_seek (self, position, TRUE, FALSE);
}

void
dly_player_toggle_playing (DlyPlayer *self)
{
  g_return_if_fail (DLY_IS_PLAYER (self));

  if (self->want_playing)
    dly_player_pause (self);
  else
    dly_player_play (self);
}

void
dly_player_seek (DlyPlayer *self,
                 gint64     position)
{
  g_return_if_fail (DLY_IS_PLAYER (self));

  if (!is_open (self))
    return;

  self->queued_steps = 0;
  if (!self->prerolled)
    {
      self->has_pending_seek = TRUE;
      self->pending_seek = position;
      self->pending_seek_accurate = TRUE;
      return;
    }

  self->has_pending_seek = FALSE;
  issue_seek (self, position, TRUE, FALSE);
}

void
dly_player_scrub (DlyPlayer *self,
                  gint64     position)
{
  g_return_if_fail (DLY_IS_PLAYER (self));

  if (!is_open (self))
    return;

  self->queued_steps = 0;
  if (!self->prerolled || self->op != OP_NONE)
    {
      self->has_pending_seek = TRUE;
      self->pending_seek = position;
      self->pending_seek_accurate = FALSE;
      return;
    }

  issue_seek (self, position, FALSE, FALSE);
}

void
dly_player_seek_frame (DlyPlayer *self,
                       gint64     frame)
{
  g_return_if_fail (DLY_IS_PLAYER (self));

  if (self->frame_count > 0)
    frame = MIN (frame, self->frame_count - 1);
  dly_player_seek (self, frame_to_position (self, frame, TRUE));
}

void
dly_player_step (DlyPlayer *self,
                 int        direction)
{
  g_return_if_fail (DLY_IS_PLAYER (self));

  if (!is_open (self) || direction == 0)
    return;

  if (self->want_playing)
    {
      /* The first press stops on the frame shown; the next ones move. */
      dly_player_pause (self);
      return;
    }

  direction = direction > 0 ? 1 : -1;
  self->queued_steps = CLAMP (self->queued_steps + direction, -MAX_QUEUED_STEPS, MAX_QUEUED_STEPS);
  dly_player_run_queue (self);
}

gint64
dly_player_get_position (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), 0);

  return self->position;
}

gint64
dly_player_get_duration (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), 0);

  return self->duration;
}

gint64
dly_player_get_frame_number (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), 0);

  return position_to_frame (self, self->position);
}

gint64
dly_player_get_frame_count (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), 0);

  return self->frame_count;
}

double
dly_player_get_frame_rate (DlyPlayer *self)
{
  int n, d;

  g_return_val_if_fail (DLY_IS_PLAYER (self), 0);

  if (!dly_player_get_frame_rate_fraction (self, &n, &d))
    return 0;

  return (double) n / d;
}

gboolean
dly_player_get_frame_rate_fraction (DlyPlayer *self,
                                    int       *numerator,
                                    int       *denominator)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), FALSE);

  if (self->views[0].fps_n <= 0 || self->views[0].fps_d <= 0)
    return FALSE;

  if (numerator != NULL)
    *numerator = self->views[0].fps_n;
  if (denominator != NULL)
    *denominator = self->views[0].fps_d;
  return TRUE;
}

int
dly_player_get_width (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), 0);

  return self->views[0].width;
}

int
dly_player_get_height (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), 0);

  return self->views[0].height;
}

gboolean
dly_player_get_has_audio (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), FALSE);

  return self->session != NULL && self->views[self->audio_side].has_audio;
}

gboolean
dly_player_get_busy (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), FALSE);

  return self->op != OP_NONE;
}

double
dly_player_get_volume (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), 0);

  return self->volume;
}

void
dly_player_set_volume (DlyPlayer *self,
                       double     volume)
{
  g_return_if_fail (DLY_IS_PLAYER (self));

  volume = CLAMP (volume, 0.0, 1.0);
  if (volume == self->volume)
    return;

  self->volume = volume;
  if (self->session != NULL)
    {
      Session *session = self->session;

      g_mutex_lock (&session->lock);
      session->volume_linear =
        gst_stream_volume_convert_volume (GST_STREAM_VOLUME_FORMAT_CUBIC,
                                          GST_STREAM_VOLUME_FORMAT_LINEAR, volume);
      if (session->audio_volume != NULL)
        g_object_set (session->audio_volume, "volume", session->volume_linear, NULL);
      g_mutex_unlock (&session->lock);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

gboolean
dly_player_get_muted (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), FALSE);

  return self->muted;
}

void
dly_player_set_muted (DlyPlayer *self,
                      gboolean   muted)
{
  g_return_if_fail (DLY_IS_PLAYER (self));

  muted = !!muted;
  if (muted == self->muted)
    return;

  self->muted = muted;
  if (self->session != NULL)
    apply_audio_mute (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

double
dly_player_get_rate (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), 1.0);

  return self->rate;
}

void
dly_player_set_rate (DlyPlayer *self,
                     double     rate)
{
  g_return_if_fail (DLY_IS_PLAYER (self));

  rate = CLAMP (rate, DLY_PLAYER_RATE_MIN, DLY_PLAYER_RATE_MAX);
  if (G_APPROX_VALUE (rate, self->rate, 1e-9))
    return;

  self->rate = rate;
  /* A rate is a property of the segment: it takes a (flushing) seek from here. */
  resync (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

gboolean
dly_player_get_loop (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), FALSE);

  return self->loop;
}

void
dly_player_set_loop (DlyPlayer *self,
                     gboolean   loop)
{
  g_return_if_fail (DLY_IS_PLAYER (self));

  loop = !!loop;
  if (loop == self->loop)
    return;

  self->loop = loop;
  /* Only a segment seek ends in SEGMENT_DONE instead of EOS, so re-seek from here with or
   * without the flag. At the end, the next play starts over anyway. */
  if (!self->at_end)
    resync (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP]);
}

DlyPlayerSide
dly_player_get_audio_side (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), DLY_PLAYER_SIDE_A);

  return self->audio_side;
}

void
dly_player_set_audio_side (DlyPlayer     *self,
                           DlyPlayerSide  side)
{
  gboolean had_audio;

  g_return_if_fail (DLY_IS_PLAYER (self));
  g_return_if_fail (side == DLY_PLAYER_SIDE_A || side == DLY_PLAYER_SIDE_B);

  if (side == self->audio_side)
    return;

  had_audio = dly_player_get_has_audio (self);
  self->audio_side = side;

  if (self->session != NULL)
    {
      Session *session = self->session;

      g_mutex_lock (&session->lock);
      session->audio_side = side;
      if (session->audio_selector != NULL && session->sides[side].selector_pad != NULL)
        g_object_set (session->audio_selector,
                      "active-pad", session->sides[side].selector_pad,
                      NULL);
      g_mutex_unlock (&session->lock);

      apply_audio_mute (self);
      /* The newly heard side's audio was being dropped ahead of the clock: line it up now,
       * or before playing. */
      if (self->state == DLY_PLAYER_STATE_PLAYING)
        resync (self);
      else
        self->needs_resync = TRUE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_SIDE]);
  if (had_audio != dly_player_get_has_audio (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_AUDIO]);
}

GstSample *
dly_player_get_frame (DlyPlayer     *self,
                      DlyPlayerSide  side)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), NULL);
  g_return_val_if_fail (side <= DLY_PLAYER_SIDE_B, NULL);

  if (self->views[side].sample == NULL)
    return NULL;

  return gst_sample_ref (self->views[side].sample);
}

gint64
dly_player_get_side_position (DlyPlayer     *self,
                              DlyPlayerSide  side)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), -1);
  g_return_val_if_fail (side <= DLY_PLAYER_SIDE_B, -1);

  return self->views[side].position;
}

const GError *
dly_player_get_error (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), NULL);

  return self->error;
}

const char *
dly_player_get_error_detail (DlyPlayer *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER (self), NULL);

  return self->error_detail;
}

void
dly_player_get_stats (DlyPlayer      *self,
                      DlyPlayerStats *stats)
{
  g_return_if_fail (DLY_IS_PLAYER (self));
  g_return_if_fail (stats != NULL);

  memset (stats, 0, sizeof *stats);
  stats->qos_messages = self->qos_messages;
  if (self->session == NULL)
    return;

  for (guint i = 0; i < self->session->n_sides; i++)
    {
      g_autoptr(GstElement) sink = NULL;
      g_autoptr(GstStructure) s = NULL;
      guint64 dropped = 0;

      g_mutex_lock (&self->session->lock);
      if (self->session->sides[i].video_sink != NULL)
        sink = g_object_ref (self->session->sides[i].video_sink);
      g_mutex_unlock (&self->session->lock);
      if (sink == NULL)
        continue;

      /* The sink's own count of frames it dropped for lateness (QoS). */
      g_object_get (sink, "stats", &s, NULL);
      if (s != NULL)
        gst_structure_get_uint64 (s, "dropped", &dropped);
      stats->dropped += dropped;
    }

  g_mutex_lock (&self->session->lock);
  stats->rendered = self->session->rendered;
  stats->superseded = self->session->superseded;
  g_mutex_unlock (&self->session->lock);
}

/* --- samples --- */

typedef struct
{
  GstVideoFrame frame;
} MappedFrame;

static void
mapped_frame_free (gpointer data)
{
  MappedFrame *mapped = data;

  gst_video_frame_unmap (&mapped->frame);
  g_free (mapped);
}

GBytes *
dly_player_sample_map (GstSample *sample,
                       int       *width,
                       int       *height,
                       gsize     *stride)
{
  GstVideoInfo info;
  MappedFrame *mapped;
  GstBuffer *buffer;
  GstCaps *caps;
  gsize size;

  g_return_val_if_fail (GST_IS_SAMPLE (sample), NULL);

  caps = gst_sample_get_caps (sample);
  buffer = gst_sample_get_buffer (sample);
  if (caps == NULL || buffer == NULL || !gst_video_info_from_caps (&info, caps)
      || GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_BGRA)
    return NULL;

  mapped = g_new0 (MappedFrame, 1);
  /* The frame holds a reference on the buffer until the bytes are freed. */
  if (!gst_video_frame_map (&mapped->frame, &info, buffer, GST_MAP_READ))
    {
      g_free (mapped);
      return NULL;
    }

  if (width != NULL)
    *width = GST_VIDEO_FRAME_WIDTH (&mapped->frame);
  if (height != NULL)
    *height = GST_VIDEO_FRAME_HEIGHT (&mapped->frame);
  if (stride != NULL)
    *stride = GST_VIDEO_FRAME_PLANE_STRIDE (&mapped->frame, 0);

  size = (gsize) GST_VIDEO_FRAME_PLANE_STRIDE (&mapped->frame, 0)
         * GST_VIDEO_FRAME_HEIGHT (&mapped->frame);
  return g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (&mapped->frame, 0), size,
                                     mapped_frame_free, mapped);
}

gint64
dly_player_sample_get_stream_time (GstSample *sample)
{
  const GstSegment *segment;
  GstBuffer *buffer;
  guint64 stream_time = 0;
  int sign;

  g_return_val_if_fail (GST_IS_SAMPLE (sample), -1);

  segment = gst_sample_get_segment (sample);
  buffer = gst_sample_get_buffer (sample);
  if (buffer == NULL || !GST_BUFFER_PTS_IS_VALID (buffer))
    return -1;
  if (segment == NULL || segment->format != GST_FORMAT_TIME)
    return GST_BUFFER_PTS (buffer);

  /* _full: an accurate seek's first frame starts before the segment does. */
  sign = gst_segment_to_stream_time_full (segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer),
                                          &stream_time);
  if (sign > 0)
    return stream_time;

  return 0;
}
