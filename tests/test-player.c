/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DlyPlayer and DlyMediaInfo against real MP4 fixtures (tests/make-fixtures.sh).
 * Frames are checked by content: each is hashed and compared with a plain, sequential decode
 * of the same file, so "landed on frame 45" means the pixels of frame 45 are on screen. */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include "dly-media-info.h"
#include "dly-player.h"

#define WAIT_SECONDS 30

typedef struct
{
  GPtrArray *hashes;            /* frame index → checksum of its pixels */
  GArray    *positions;         /* frame index → stream time */
} Reference;

typedef struct
{
  DlyPlayer *player;
  guint      seek_done;
  guint      step_done;
  guint      looped;
  guint      ended;
  guint      errors;
  guint      frames;
  GError    *error;
  char      *detail;
} Fixture;

static char *
fixture_path (const char *kind)
{
  g_autofree char *name = g_strdup_printf ("player-%s.mp4", kind);

  return g_test_build_filename (G_TEST_BUILT, name, NULL);
}

static char *
hash_sample (GstSample *sample)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  const guint8 *data;
  int width, height;
  gsize stride;

  bytes = dly_player_sample_map (sample, &width, &height, &stride);
  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, NULL);
  /* Only the visible part of each row: padding is not the picture. */
  for (int y = 0; y < height; y++)
    g_checksum_update (checksum, data + y * stride, (gssize) width * 4);

  return g_strdup (g_checksum_get_string (checksum));
}

static void
reference_free (Reference *ref)
{
  g_ptr_array_unref (ref->hashes);
  g_array_unref (ref->positions);
  g_free (ref);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reference, reference_free)

/* Decodes every frame in order, the slow and obvious way. */
static Reference *
reference_decode (const char *kind)
{
  g_autofree char *path = fixture_path (kind);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GError) error = NULL;
  Reference *ref = g_new0 (Reference, 1);

  ref->hashes = g_ptr_array_new_with_free_func (g_free);
  ref->positions = g_array_new (FALSE, FALSE, sizeof (gint64));

  description = g_strdup_printf ("uridecodebin uri=%s ! videoconvert "
                                 "! appsink name=sink sync=false caps=video/x-raw,format=BGRA",
                                 uri);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);

  for (;;)
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
                                                                  10 * GST_SECOND);
      gint64 position;

      if (sample == NULL)
        break;
      position = dly_player_sample_get_stream_time (sample);
      g_ptr_array_add (ref->hashes, hash_sample (sample));
      g_array_append_val (ref->positions, position);
    }
  g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  gst_element_set_state (pipeline, GST_STATE_NULL);

  return ref;
}

static void
on_seek_done (DlyPlayer *player,
              Fixture   *f)
{
  f->seek_done++;
}

static void
on_step_done (DlyPlayer *player,
              Fixture   *f)
{
  f->step_done++;
}

static void
on_looped (DlyPlayer *player,
           Fixture   *f)
{
  f->looped++;
}

static void
on_ended (DlyPlayer *player,
          Fixture   *f)
{
  f->ended++;
}

static void
on_error (DlyPlayer    *player,
          const GError *error,
          const char   *detail,
          Fixture      *f)
{
  f->errors++;
  g_clear_error (&f->error);
  g_clear_pointer (&f->detail, g_free);
  f->error = g_error_copy (error);
  f->detail = g_strdup (detail);
}

static void
on_frame_ready (DlyPlayer     *player,
                DlyPlayerSide  side,
                Fixture       *f)
{
  g_assert_true (side == DLY_PLAYER_SIDE_A || side == DLY_PLAYER_SIDE_B);
  f->frames++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->player = dly_player_new ();
  g_signal_connect (f->player, "seek-done", G_CALLBACK (on_seek_done), f);
  g_signal_connect (f->player, "step-done", G_CALLBACK (on_step_done), f);
  g_signal_connect (f->player, "looped", G_CALLBACK (on_looped), f);
  g_signal_connect (f->player, "ended", G_CALLBACK (on_ended), f);
  g_signal_connect (f->player, "error", G_CALLBACK (on_error), f);
  g_signal_connect (f->player, "frame-ready", G_CALLBACK (on_frame_ready), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->player);
  g_clear_error (&f->error);
  g_clear_pointer (&f->detail, g_free);
}

static gboolean
on_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until @cond holds; fails the test after a generous timeout (which
 * only ever matters when something is broken). */
#define WAIT_UNTIL(cond)                                                  \
  G_STMT_START {                                                          \
    gboolean timed_out_ = FALSE;                                          \
    guint id_ = g_timeout_add_seconds (WAIT_SECONDS, on_timeout, &timed_out_); \
    while (!(cond) && !timed_out_)                                        \
      g_main_context_iteration (NULL, TRUE);                              \
    if (timed_out_)                                                       \
      g_error ("Timed out waiting for %s", #cond);                        \
    g_source_remove (id_);                                                \
  } G_STMT_END

static void
open_and_wait (Fixture    *f,
               const char *kind)
{
  g_autofree char *path = fixture_path (kind);

  dly_player_open (f->player, path);
  g_assert_cmpint (dly_player_get_state (f->player), ==, DLY_PLAYER_STATE_LOADING);
  WAIT_UNTIL (dly_player_get_state (f->player) != DLY_PLAYER_STATE_LOADING);
  g_assert_no_error (f->error);
  g_assert_cmpint (dly_player_get_state (f->player), ==, DLY_PLAYER_STATE_PAUSED);
  WAIT_UNTIL (!dly_player_get_busy (f->player));
}

static void
assert_shows_frame (Fixture       *f,
                    DlyPlayerSide  side,
                    Reference     *ref,
                    guint          frame)
{
  g_autoptr(GstSample) sample = dly_player_get_frame (f->player, side);
  g_autofree char *hash = NULL;

  g_assert_nonnull (sample);
  g_assert_cmpuint (frame, <, ref->hashes->len);
  hash = hash_sample (sample);
  g_assert_cmpstr (hash, ==, g_ptr_array_index (ref->hashes, frame));
  /* The frame's own time, give or take the rounding of a timestamp. */
  g_assert_cmpint (ABS (dly_player_get_side_position (f->player, side)
                        - g_array_index (ref->positions, gint64, frame)), <=, GST_USECOND);
}

static void
seek_frame_and_wait (Fixture *f,
                     gint64   frame)
{
  guint before = f->seek_done;

  dly_player_seek_frame (f->player, frame);
  WAIT_UNTIL (f->seek_done > before);
  g_assert_false (dly_player_get_busy (f->player));
}

static void
step_and_wait (Fixture *f,
               int      direction)
{
  guint before = f->step_done;

  dly_player_step (f->player, direction);
  WAIT_UNTIL (f->step_done > before);
}

/* --- tests --- */

static void
test_open_facts (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Reference) ref = reference_decode ("clip");
  int n = 0, d = 0;

  g_assert_cmpuint (ref->hashes->len, ==, 90);

  open_and_wait (f, "clip");
  /* The container says 3.008 s (the audio runs a little longer than the 90 frames). */
  g_assert_cmpint (dly_player_get_duration (f->player), >=, 3 * GST_SECOND);
  g_assert_cmpint (dly_player_get_duration (f->player), <, 3 * GST_SECOND + 40 * GST_MSECOND);
  g_assert_cmpint (dly_player_get_frame_count (f->player), ==, 90);
  g_assert_true (dly_player_get_frame_rate_fraction (f->player, &n, &d));
  g_assert_cmpint (n, ==, 30);
  g_assert_cmpint (d, ==, 1);
  g_assert_cmpfloat_with_epsilon (dly_player_get_frame_rate (f->player), 30.0, 1e-9);
  g_assert_cmpint (dly_player_get_width (f->player), ==, 320);
  g_assert_cmpint (dly_player_get_height (f->player), ==, 240);
  g_assert_true (dly_player_get_has_audio (f->player));
  g_assert_cmpuint (dly_player_get_n_sides (f->player), ==, 1);
  g_assert_cmpint (dly_player_get_position (f->player), ==, 0);
  g_assert_cmpint (dly_player_get_frame_number (f->player), ==, 0);
  g_assert_cmpuint (f->frames, >, 0);
  assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref, 0);

  open_and_wait (f, "noaudio");
  g_assert_false (dly_player_get_has_audio (f->player));
  g_assert_cmpint (dly_player_get_frame_count (f->player), ==, 60);
  g_assert_cmpint (dly_player_get_duration (f->player), ==, 2 * GST_SECOND);

  open_and_wait (f, "take");
  g_assert_cmpint (dly_player_get_frame_count (f->player), ==, 120);
  g_assert_cmpfloat_with_epsilon (dly_player_get_frame_rate (f->player), 24.0, 1e-9);
  g_assert_cmpint (dly_player_get_width (f->player), ==, 768);
  g_assert_cmpint (dly_player_get_height (f->player), ==, 512);
}

static void
check_accurate_seeks (Fixture    *f,
                      const char *kind)
{
  g_autoptr(Reference) ref = reference_decode (kind);
  /* Key frames are every 30th; the others need decoding from the one before. */
  const gint64 frames[] = { 45, 1, 30, 29, 89, 0, 61, 17 };

  open_and_wait (f, kind);
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      seek_frame_and_wait (f, frames[i]);
      g_assert_cmpint (dly_player_get_frame_number (f->player), ==, frames[i]);
      assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref, frames[i]);
    }

  /* A time inside a frame shows that frame. */
  {
    guint before = f->seek_done;

    dly_player_seek (f->player, 1510 * GST_MSECOND);
    WAIT_UNTIL (f->seek_done > before);
    g_assert_cmpint (dly_player_get_frame_number (f->player), ==, 45);
    assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref, 45);
  }
}

static void
test_seek_accurate (Fixture       *f,
                    gconstpointer  data)
{
  check_accurate_seeks (f, "clip");
}

static void
test_seek_bframes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Reference) ref = reference_decode ("bframes");

  /* With B-frames the first PTS is not 0; positions are stream time, so frame 0 is at 0. */
  g_assert_cmpint (g_array_index (ref->positions, gint64, 0), ==, 0);
  check_accurate_seeks (f, "bframes");
}

static void
test_scrub (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Reference) ref = reference_decode ("clip");
  guint before;

  open_and_wait (f, "clip");

  /* A burst of scrubs, as a dragged slider makes: only the last one matters, and it lands
   * on the key frame before it. */
  before = f->seek_done;
  for (int i = 0; i < 20; i++)
    dly_player_scrub (f->player, (i * 140) * GST_MSECOND);
  WAIT_UNTIL (f->seek_done > before && !dly_player_get_busy (f->player));
  g_assert_cmpint (dly_player_get_frame_number (f->player), ==, 60);
  assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref, 60);
  /* Far fewer seeks ran than were asked for. */
  g_assert_cmpuint (f->seek_done - before, <, 20);
}

static void
test_step (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Reference) ref = reference_decode ("bframes");

  open_and_wait (f, "bframes");
  seek_frame_and_wait (f, 27);

  /* Across the key frame at 30. */
  for (gint64 frame = 28; frame <= 33; frame++)
    {
      step_and_wait (f, 1);
      g_assert_cmpint (dly_player_get_frame_number (f->player), ==, frame);
      assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref, frame);
    }

  for (gint64 frame = 32; frame >= 29; frame--)
    {
      step_and_wait (f, -1);
      g_assert_cmpint (dly_player_get_frame_number (f->player), ==, frame);
      assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref, frame);
    }

  /* Three presses in a row queue up and all count. */
  {
    guint before = f->step_done;

    dly_player_step (f->player, 1);
    dly_player_step (f->player, 1);
    dly_player_step (f->player, 1);
    WAIT_UNTIL (f->step_done >= before + 3 && !dly_player_get_busy (f->player));
    g_assert_cmpint (dly_player_get_frame_number (f->player), ==, 32);
    assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref, 32);
  }

  /* The ends do not move. */
  seek_frame_and_wait (f, 0);
  step_and_wait (f, -1);
  g_assert_cmpint (dly_player_get_frame_number (f->player), ==, 0);
  seek_frame_and_wait (f, 89);
  step_and_wait (f, 1);
  g_assert_cmpint (dly_player_get_frame_number (f->player), ==, 89);
  assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref, 89);

  /* Playing after steps starts from the frame shown. */
  seek_frame_and_wait (f, 10);
  step_and_wait (f, 1);
  dly_player_play (f->player);
  WAIT_UNTIL (dly_player_get_frame_number (f->player) > 20);
  g_assert_cmpint (f->ended, ==, 0);
}

static void
test_loop (Fixture       *f,
           gconstpointer  data)
{
  gint64 highest = 0;

  open_and_wait (f, "clip");
  dly_player_set_loop (f->player, TRUE);
  g_assert_true (dly_player_get_loop (f->player));
  seek_frame_and_wait (f, 75);

  dly_player_play (f->player);
  g_assert_cmpint (dly_player_get_state (f->player), ==, DLY_PLAYER_STATE_PLAYING);

  /* Past the end and round again, twice, with no end in between. */
  for (guint round = 1; round <= 2; round++)
    {
      WAIT_UNTIL ((highest = MAX (highest, dly_player_get_position (f->player)),
                   f->looped >= round && dly_player_get_position (f->player) < GST_SECOND
                   && dly_player_get_position (f->player) > 100 * GST_MSECOND));
      g_assert_cmpint (highest, >=, 2900 * GST_MSECOND);
      g_assert_cmpint (f->ended, ==, 0);
      g_assert_cmpint (dly_player_get_state (f->player), ==, DLY_PLAYER_STATE_PLAYING);
      if (round == 1)
        {
          highest = 0;
          seek_frame_and_wait (f, 80);
        }
    }
  g_assert_cmpint (f->errors, ==, 0);

  /* Without loop, playback ends on the last frame and says so. */
  dly_player_set_loop (f->player, FALSE);
  seek_frame_and_wait (f, 80);
  WAIT_UNTIL (f->ended == 1);
  g_assert_cmpint (dly_player_get_state (f->player), ==, DLY_PLAYER_STATE_PAUSED);
  g_assert_cmpint (dly_player_get_frame_number (f->player), ==, 89);

  /* Play at the end starts over. */
  dly_player_play (f->player);
  WAIT_UNTIL (dly_player_get_position (f->player) > 0
              && dly_player_get_position (f->player) < GST_SECOND);
}

static void
test_rate (Fixture       *f,
           gconstpointer  data)
{
  open_and_wait (f, "clip");

  dly_player_set_rate (f->player, 5.0);
  g_assert_cmpfloat (dly_player_get_rate (f->player), ==, 2.0);
  dly_player_set_rate (f->player, 0.1);
  g_assert_cmpfloat (dly_player_get_rate (f->player), ==, 0.25);
  dly_player_set_rate (f->player, 2.0);
  WAIT_UNTIL (!dly_player_get_busy (f->player));

  dly_player_play (f->player);
  WAIT_UNTIL (dly_player_get_position (f->player) > GST_SECOND);
  {
    g_autoptr(GstSample) sample = dly_player_get_frame (f->player, DLY_PLAYER_SIDE_A);

    /* The rate is in the segment the frames come in. */
    g_assert_cmpfloat (gst_sample_get_segment (sample)->rate, ==, 2.0);
  }

  /* Changing rate while playing keeps playing from where it was. */
  dly_player_set_rate (f->player, 0.5);
  WAIT_UNTIL (!dly_player_get_busy (f->player));
  g_assert_cmpint (dly_player_get_state (f->player), ==, DLY_PLAYER_STATE_PLAYING);
  g_assert_cmpint (dly_player_get_position (f->player), >, GST_SECOND);
  {
    g_autoptr(GstSample) sample = dly_player_get_frame (f->player, DLY_PLAYER_SIDE_A);

    g_assert_cmpfloat (gst_sample_get_segment (sample)->rate, ==, 0.5);
  }
  dly_player_pause (f->player);
  g_assert_cmpint (dly_player_get_state (f->player), ==, DLY_PLAYER_STATE_PAUSED);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_volume (Fixture       *f,
             gconstpointer  data)
{
  guint volume_notifies = 0;
  guint muted_notifies = 0;

  g_signal_connect (f->player, "notify::volume", G_CALLBACK (on_notify), &volume_notifies);
  g_signal_connect (f->player, "notify::muted", G_CALLBACK (on_notify), &muted_notifies);

  open_and_wait (f, "clip");
  g_assert_cmpfloat (dly_player_get_volume (f->player), ==, 1.0);
  dly_player_set_volume (f->player, 0.5);
  dly_player_set_volume (f->player, 0.5);
  g_assert_cmpuint (volume_notifies, ==, 1);
  dly_player_set_volume (f->player, 3.0);
  g_assert_cmpfloat (dly_player_get_volume (f->player), ==, 1.0);
  g_assert_cmpuint (volume_notifies, ==, 2);

  dly_player_set_muted (f->player, TRUE);
  dly_player_set_muted (f->player, TRUE);
  g_assert_true (dly_player_get_muted (f->player));
  g_assert_cmpuint (muted_notifies, ==, 1);

  /* Muted playback still plays (and is still clocked by the fake audio sink). */
  dly_player_play (f->player);
  WAIT_UNTIL (dly_player_get_position (f->player) > 500 * GST_MSECOND);
  dly_player_pause (f->player);
}

static void
test_compare_sync (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Reference) ref_a = reference_decode ("clip");
  g_autoptr(Reference) ref_b = reference_decode ("bframes");
  g_autofree char *path_a = fixture_path ("clip");
  g_autofree char *path_b = fixture_path ("bframes");
  gint64 frame;

  dly_player_open_pair (f->player, path_a, path_b);
  WAIT_UNTIL (dly_player_get_state (f->player) != DLY_PLAYER_STATE_LOADING);
  g_assert_no_error (f->error);
  g_assert_cmpuint (dly_player_get_n_sides (f->player), ==, 2);
  assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref_a, 0);
  assert_shows_frame (f, DLY_PLAYER_SIDE_B, ref_b, 0);

  /* One seek moves both. */
  seek_frame_and_wait (f, 40);
  assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref_a, 40);
  assert_shows_frame (f, DLY_PLAYER_SIDE_B, ref_b, 40);

  /* One step moves both, either way. */
  for (int i = 0; i < 3; i++)
    step_and_wait (f, 1);
  assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref_a, 43);
  assert_shows_frame (f, DLY_PLAYER_SIDE_B, ref_b, 43);
  step_and_wait (f, -1);
  assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref_a, 42);
  assert_shows_frame (f, DLY_PLAYER_SIDE_B, ref_b, 42);

  /* Play a while, pause: both stop on the same frame. */
  dly_player_play (f->player);
  WAIT_UNTIL (dly_player_get_frame_number (f->player) > 55);
  {
    guint before = f->seek_done;

    dly_player_pause (f->player);
    WAIT_UNTIL (f->seek_done > before);
  }
  frame = dly_player_get_frame_number (f->player);
  g_assert_cmpint (frame, >, 55);
  assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref_a, frame);
  assert_shows_frame (f, DLY_PLAYER_SIDE_B, ref_b, frame);

  /* A loop wraps both. */
  dly_player_set_loop (f->player, TRUE);
  seek_frame_and_wait (f, 85);
  dly_player_play (f->player);
  WAIT_UNTIL (f->looped >= 1 && dly_player_get_position (f->player) > 200 * GST_MSECOND
              && dly_player_get_position (f->player) < GST_SECOND);
  {
    guint before = f->seek_done;

    dly_player_pause (f->player);
    WAIT_UNTIL (f->seek_done > before);
  }
  frame = dly_player_get_frame_number (f->player);
  assert_shows_frame (f, DLY_PLAYER_SIDE_A, ref_a, frame);
  assert_shows_frame (f, DLY_PLAYER_SIDE_B, ref_b, frame);
  g_assert_cmpint (f->ended, ==, 0);
}

static void
test_compare_audio_side (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path_a = fixture_path ("clip");
  g_autofree char *path_b = fixture_path ("noaudio");
  guint notifies = 0;

  dly_player_open_pair (f->player, path_a, path_b);
  WAIT_UNTIL (dly_player_get_state (f->player) != DLY_PLAYER_STATE_LOADING);
  g_assert_no_error (f->error);
  /* The longer take sets the duration. */
  g_assert_cmpint (dly_player_get_duration (f->player), >=, 3 * GST_SECOND);

  g_signal_connect (f->player, "notify::has-audio", G_CALLBACK (on_notify), &notifies);
  g_assert_cmpint (dly_player_get_audio_side (f->player), ==, DLY_PLAYER_SIDE_A);
  g_assert_true (dly_player_get_has_audio (f->player));
  dly_player_set_audio_side (f->player, DLY_PLAYER_SIDE_B);
  g_assert_false (dly_player_get_has_audio (f->player));
  g_assert_cmpuint (notifies, ==, 1);

  /* A seek past the end of the shorter take shows the longer one's frame and completes. */
  {
    guint before = f->seek_done;

    dly_player_seek (f->player, 2500 * GST_MSECOND);
    WAIT_UNTIL (f->seek_done > before);
    g_assert_cmpint (dly_player_get_frame_number (f->player), ==, 75);
    dly_player_seek (f->player, 0);
    WAIT_UNTIL (f->seek_done > before + 1);
  }

  /* Past the end of the shorter take, the longer one plays on and the other holds. */
  dly_player_play (f->player);
  WAIT_UNTIL (dly_player_get_position (f->player) > 2500 * GST_MSECOND);
  dly_player_set_audio_side (f->player, DLY_PLAYER_SIDE_A);
  g_assert_true (dly_player_get_has_audio (f->player));
  WAIT_UNTIL (f->ended == 1);
  g_assert_cmpint (dly_player_get_side_position (f->player, DLY_PLAYER_SIDE_B), <,
                   2 * GST_SECOND);
  g_assert_cmpint (f->errors, ==, 0);
}

static void
check_error (Fixture    *f,
             const char *location,
             int         code)
{
  g_autofree char *name = g_path_get_basename (location);

  dly_player_open (f->player, location);
  WAIT_UNTIL (f->errors > 0);
  g_assert_error (f->error, DLY_PLAYER_ERROR, code);
  g_assert_nonnull (strstr (f->error->message, name));
  g_assert_cmpint (dly_player_get_state (f->player), ==, DLY_PLAYER_STATE_ERROR);
  g_assert_true (g_error_matches (dly_player_get_error (f->player), DLY_PLAYER_ERROR, code));
  g_test_message ("%s: %s [%s]", name, f->error->message, f->detail ? f->detail : "");

  /* Nothing that needs a pipeline does anything now, and nothing crashes. */
  dly_player_play (f->player);
  dly_player_step (f->player, 1);
  dly_player_seek (f->player, GST_SECOND);
  g_assert_cmpint (dly_player_get_state (f->player), ==, DLY_PLAYER_STATE_ERROR);

  f->errors = 0;
  g_clear_error (&f->error);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *corrupt = fixture_path ("corrupt");
  g_autofree char *truncated = fixture_path ("truncated");
  g_autofree char *missing = g_test_build_filename (G_TEST_BUILT, "no-such-take.mp4", NULL);
  g_autofree char *clip = fixture_path ("clip");

  check_error (f, missing, DLY_PLAYER_ERROR_NOT_FOUND);
  g_assert_nonnull (f->detail);
  check_error (f, corrupt, DLY_PLAYER_ERROR_NOT_VIDEO);
  check_error (f, truncated, DLY_PLAYER_ERROR_NOT_VIDEO);

  /* One bad side fails the comparison and names the bad file. */
  dly_player_open_pair (f->player, clip, corrupt);
  WAIT_UNTIL (f->errors > 0);
  g_assert_error (f->error, DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NOT_VIDEO);
  g_assert_nonnull (strstr (f->error->message, "player-corrupt.mp4"));

  /* And the player recovers with the next file. */
  f->errors = 0;
  g_clear_error (&f->error);
  open_and_wait (f, "clip");
  g_assert_null (dly_player_get_error (f->player));
}

static void
test_close_while_playing (Fixture       *f,
                          gconstpointer  data)
{
  /* Closing and reopening in the middle of things must neither block nor crash. */
  for (int i = 0; i < 3; i++)
    {
      open_and_wait (f, "take");
      dly_player_play (f->player);
      WAIT_UNTIL (dly_player_get_position (f->player) > 200 * GST_MSECOND);
      dly_player_seek (f->player, 2 * GST_SECOND);
      dly_player_close (f->player);
      g_assert_cmpint (dly_player_get_state (f->player), ==, DLY_PLAYER_STATE_EMPTY);
      g_assert_null (dly_player_get_frame (f->player, DLY_PLAYER_SIDE_A));
    }
  open_and_wait (f, "take");
  dly_player_play (f->player);
  /* Disposed while playing: teardown happens off this thread. */
}

/* --- media info --- */

static void
on_media_info_loaded (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static DlyMediaInfo *
load_media_info (const char  *path,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dly_media_info_load_async (path, NULL, on_media_info_loaded, &result);
  WAIT_UNTIL (result != NULL);
  return dly_media_info_load_finish (result, error);
}

static void
test_media_info (void)
{
  g_autofree char *clip = fixture_path ("clip");
  g_autofree char *take = fixture_path ("take");
  g_autofree char *noaudio = fixture_path ("noaudio");
  g_autofree char *corrupt = fixture_path ("corrupt");
  g_autofree char *missing = g_test_build_filename (G_TEST_BUILT, "no-such-take.mp4", NULL);
  g_autoptr(DlyMediaInfo) info = NULL;
  g_autoptr(DlyMediaInfo) info_take = NULL;
  g_autoptr(DlyMediaInfo) info_noaudio = NULL;
  g_autoptr(DlyMediaInfo) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) rows = NULL;
  g_autofree char *difference = NULL;
  GStatBuf st;
  int n = 0, d = 0;

  info = load_media_info (clip, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dly_media_info_get_name (info), ==, "player-clip.mp4");
  g_test_message ("container: %s", dly_media_info_get_container (info));
  g_assert_nonnull (strstr (dly_media_info_get_container (info), "MP4"));
  g_assert_nonnull (strstr (dly_media_info_get_video_codec (info), "H.264"));
  g_assert_cmpint (dly_media_info_get_width (info), ==, 320);
  g_assert_cmpint (dly_media_info_get_height (info), ==, 240);
  g_assert_true (dly_media_info_get_frame_rate (info, &n, &d));
  g_assert_cmpint (n, ==, 30);
  g_assert_cmpint (d, ==, 1);
  g_assert_cmpint (dly_media_info_get_frame_count (info), ==, 90);
  g_assert_cmpint (dly_media_info_get_duration (info), >=, 3 * GST_SECOND);
  g_assert_true (dly_media_info_get_has_audio (info));
  g_assert_nonnull (strstr (dly_media_info_get_audio_codec (info), "AAC"));
  g_assert_cmpint (dly_media_info_get_channels (info), ==, 2);
  g_assert_cmpint (dly_media_info_get_sample_rate (info), ==, 48000);
  g_assert_cmpint (g_stat (clip, &st), ==, 0);
  g_assert_cmpuint (dly_media_info_get_file_size (info), ==, st.st_size);
  g_assert_cmpuint (dly_media_info_get_bitrate (info), >, 1000000);

  rows = dly_media_info_to_rows (info);
  g_assert_cmpuint (g_strv_length (rows), ==, 20);
  g_assert_cmpstr (rows[0], ==, "Container");
  g_assert_cmpstr (rows[9], ==, "90");

  info_take = load_media_info (take, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dly_media_info_get_frame_count (info_take), ==, 120);
  difference = dly_media_info_describe_difference (info_take, info);
  g_assert_cmpstr (difference, ==, "768 × 512 · 24 fps · 5.01 s");
  g_clear_pointer (&difference, g_free);
  g_assert_null (dly_media_info_describe_difference (info, info));

  info_noaudio = load_media_info (noaudio, &error);
  g_assert_no_error (error);
  g_assert_false (dly_media_info_get_has_audio (info_noaudio));
  g_assert_null (dly_media_info_get_audio_codec (info_noaudio));
  difference = dly_media_info_describe_difference (info_noaudio, info);
  g_assert_cmpstr (difference, ==, "2.00 s · no audio");

  bad = load_media_info (missing, &error);
  g_assert_null (bad);
  g_assert_error (error, DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  bad = load_media_info (corrupt, &error);
  g_assert_null (bad);
  g_assert_error (error, DLY_PLAYER_ERROR, DLY_PLAYER_ERROR_NOT_VIDEO);
  g_assert_nonnull (strstr (error->message, "player-corrupt.mp4"));
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/player/open/facts", test_open_facts);
  ADD ("/player/seek/accurate", test_seek_accurate);
  ADD ("/player/seek/b-frames", test_seek_bframes);
  ADD ("/player/seek/scrub", test_scrub);
  ADD ("/player/step", test_step);
  ADD ("/player/loop", test_loop);
  ADD ("/player/rate", test_rate);
  ADD ("/player/volume", test_volume);
  ADD ("/player/compare/sync", test_compare_sync);
  ADD ("/player/compare/audio-side", test_compare_audio_side);
  ADD ("/player/errors", test_errors);
  ADD ("/player/close-while-playing", test_close_while_playing);
  g_test_add_func ("/media-info/facts", test_media_info);

  return g_test_run ();
}
