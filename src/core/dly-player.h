/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define DLY_PLAYER_ERROR (dly_player_error_quark ())

/**
 * DlyPlayerError:
 * @DLY_PLAYER_ERROR_NOT_FOUND: the file does not exist or cannot be read.
 * @DLY_PLAYER_ERROR_NOT_VIDEO: the file is not a video this player can read (corrupt,
 *   truncated, or another kind of file).
 * @DLY_PLAYER_ERROR_MISSING_CODEC: a decoder for one of its streams is not installed.
 * @DLY_PLAYER_ERROR_NO_VIDEO: the file has no video stream.
 * @DLY_PLAYER_ERROR_FAILED: anything else GStreamer reported; the message is its own.
 *
 * Errors carry GStreamer's message; its debug detail comes with the #DlyPlayer::error signal
 * and dly_player_get_error_detail().
 */
typedef enum
{
  DLY_PLAYER_ERROR_NOT_FOUND,
  DLY_PLAYER_ERROR_NOT_VIDEO,
  DLY_PLAYER_ERROR_MISSING_CODEC,
  DLY_PLAYER_ERROR_NO_VIDEO,
  DLY_PLAYER_ERROR_FAILED,
} DlyPlayerError;

GQuark dly_player_error_quark (void);

/**
 * DlyPlayerState:
 * @DLY_PLAYER_STATE_EMPTY: nothing is open.
 * @DLY_PLAYER_STATE_LOADING: a file is opening; no frame yet.
 * @DLY_PLAYER_STATE_PAUSED: a frame is shown and the clock is stopped (also at the end).
 * @DLY_PLAYER_STATE_PLAYING: playing.
 * @DLY_PLAYER_STATE_ERROR: the last open or playback failed; see dly_player_get_error().
 *
 * The state the user asked for, once it applies: a seek while playing stays %PLAYING.
 */
typedef enum
{
  DLY_PLAYER_STATE_EMPTY,
  DLY_PLAYER_STATE_LOADING,
  DLY_PLAYER_STATE_PAUSED,
  DLY_PLAYER_STATE_PLAYING,
  DLY_PLAYER_STATE_ERROR,
} DlyPlayerState;

#define DLY_TYPE_PLAYER_STATE (dly_player_state_get_type ())
GType dly_player_state_get_type (void);

/**
 * DlyPlayerSide:
 * @DLY_PLAYER_SIDE_A: the only file, or the left take when comparing.
 * @DLY_PLAYER_SIDE_B: the right take when comparing.
 */
typedef enum
{
  DLY_PLAYER_SIDE_A,
  DLY_PLAYER_SIDE_B,
} DlyPlayerSide;

#define DLY_TYPE_PLAYER_SIDE (dly_player_side_get_type ())
GType dly_player_side_get_type (void);

#define DLY_PLAYER_RATE_MIN 0.25
#define DLY_PLAYER_RATE_MAX 2.0

#define DLY_TYPE_PLAYER (dly_player_get_type ())
G_DECLARE_FINAL_TYPE (DlyPlayer, dly_player, DLY, PLAYER, GObject)

/**
 * DlyPlayer:
 *
 * Plays one file, or two in sync for comparison, in one GStreamer pipeline: one decoding
 * branch per file, one clock, one seek. Video arrives as BGRA samples in a per-side mailbox;
 * #DlyPlayer::frame-ready says (on the main context the player was made on) that a new one is
 * there, and dly_player_get_frame() takes it. Positions are the stream time of the frame
 * shown, in nanoseconds. Nothing here blocks: opening, seeking and stepping report back
 * through properties and signals.
 *
 * `DAILIES_AUDIO_SINK=fakesink` in the environment plays audio into a clocked fake sink (for
 * tests and CI); any other value names the audio sink element to use.
 */

DlyPlayer      *dly_player_new               (void);

/* @location is a path or a URI. Replaces whatever was open. */
void            dly_player_open              (DlyPlayer     *self,
                                              const char    *location);
/* Opens two files to compare; they share the clock and every seek. */
void            dly_player_open_pair         (DlyPlayer     *self,
                                              const char    *location_a,
                                              const char    *location_b);
void            dly_player_close             (DlyPlayer     *self);

/* The URI open on @side, or NULL. */
const char     *dly_player_get_uri           (DlyPlayer     *self,
                                              DlyPlayerSide  side);
guint           dly_player_get_n_sides       (DlyPlayer     *self);

DlyPlayerState  dly_player_get_state         (DlyPlayer     *self);
void            dly_player_play              (DlyPlayer     *self);
void            dly_player_pause             (DlyPlayer     *self);
void            dly_player_toggle_playing    (DlyPlayer     *self);

/* Shows the frame that contains @position (stream time, ns), exactly. */
void            dly_player_seek              (DlyPlayer     *self,
                                              gint64         position);
/* Shows the key frame at or before @position: fast, for scrubbing. While a seek is in
 * flight only the latest request is kept, so a dragging scrubber never queues up seeks. */
void            dly_player_scrub             (DlyPlayer     *self,
                                              gint64         position);
void            dly_player_seek_frame        (DlyPlayer     *self,
                                              gint64         frame);
/* One frame forward or back; pauses first when playing. */
void            dly_player_step              (DlyPlayer     *self,
                                              int            direction);

gint64          dly_player_get_position      (DlyPlayer     *self);
gint64          dly_player_get_duration      (DlyPlayer     *self);
/* The index of the frame shown (0-based), and how many frames there are. */
gint64          dly_player_get_frame_number  (DlyPlayer     *self);
gint64          dly_player_get_frame_count   (DlyPlayer     *self);
double          dly_player_get_frame_rate    (DlyPlayer     *self);
gboolean        dly_player_get_frame_rate_fraction (DlyPlayer *self,
                                              int           *numerator,
                                              int           *denominator);
int             dly_player_get_width         (DlyPlayer     *self);
int             dly_player_get_height        (DlyPlayer     *self);
gboolean        dly_player_get_has_audio     (DlyPlayer     *self);
/* TRUE while a seek or step has not shown its frame yet. */
gboolean        dly_player_get_busy          (DlyPlayer     *self);

/* 0..1 on a cubic curve, as a volume slider feels right. */
double          dly_player_get_volume        (DlyPlayer     *self);
void            dly_player_set_volume        (DlyPlayer     *self,
                                              double         volume);
gboolean        dly_player_get_muted         (DlyPlayer     *self);
void            dly_player_set_muted         (DlyPlayer     *self,
                                              gboolean       muted);
double          dly_player_get_rate          (DlyPlayer     *self);
void            dly_player_set_rate          (DlyPlayer     *self,
                                              double         rate);
gboolean        dly_player_get_loop          (DlyPlayer     *self);
void            dly_player_set_loop          (DlyPlayer     *self,
                                              gboolean       loop);
/* Which take is heard when comparing; the other is decoded in sync but not played. */
DlyPlayerSide   dly_player_get_audio_side    (DlyPlayer     *self);
void            dly_player_set_audio_side    (DlyPlayer     *self,
                                              DlyPlayerSide  side);

/* The newest BGRA frame of @side (transfer full), or NULL before the first one. */
GstSample      *dly_player_get_frame         (DlyPlayer     *self,
                                              DlyPlayerSide  side);
/* The stream time of @side's newest frame, or -1. */
gint64          dly_player_get_side_position (DlyPlayer     *self,
                                              DlyPlayerSide  side);

const GError   *dly_player_get_error         (DlyPlayer     *self);
const char     *dly_player_get_error_detail  (DlyPlayer     *self);

/**
 * DlyPlayerStats:
 * @rendered: frames the video sinks rendered while playing
 * @dropped: frames dropped for lateness (QoS)
 * @superseded: frames replaced in the mailbox before the main thread took them
 * @qos_messages: QoS messages seen on the bus
 *
 * Counters since the last open, summed over both sides; for benchmarks and diagnostics.
 */
typedef struct
{
  guint64 rendered;
  guint64 dropped;
  guint64 superseded;
  guint64 qos_messages;
} DlyPlayerStats;

void            dly_player_get_stats         (DlyPlayer      *self,
                                              DlyPlayerStats *stats);

/* Maps a BGRA sample's pixels without copying; the bytes keep the buffer alive. */
GBytes         *dly_player_sample_map        (GstSample     *sample,
                                              int           *width,
                                              int           *height,
                                              gsize         *stride);
/* The stream time of a sample's buffer (what a clock on screen would say), or -1. */
gint64          dly_player_sample_get_stream_time (GstSample *sample);

G_END_DECLS
