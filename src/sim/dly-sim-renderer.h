/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Renders the simulator's synthetic clips (H.264 main + AAC in MP4) and its input fixtures
 * (PNG stills, WAV tones) with GStreamer, in worker threads, with a cache keyed by the spec. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  DLY_SIM_RENDER_MP4,
  DLY_SIM_RENDER_PNG,
  DLY_SIM_RENDER_WAV,
} DlySimRenderKind;

/**
 * DlySimRenderSpec:
 * @kind: what to make
 * @width: frame width; 0 with @fit_long_side to take the aspect ratio from @image
 * @height: frame height
 * @fit_long_side: when @width is 0, the long side of a frame shaped like @image
 * @n_frames: number of video frames; 0 to cover the duration of @audio
 * @fps_n: frame rate numerator
 * @fps_d: frame rate denominator
 * @prompt: drawn on every frame (wrapped; very long prompts are shortened)
 * @caption: a small line under the frame counter (dialect, mode), may be %NULL
 * @seed: picks the test pattern and the tone
 * @image: when set, the picture (any format decodebin reads), scaled into the frame
 * @audio: when set, muxed as the sound track (lip-sync)
 * @tone_seconds: length of the generated tone when @audio is unset; 0 = the video's length
 * @max_pixels: frames larger than this are scaled down, keeping the aspect; 0 = no limit
 * @max_seconds: upper bound of a duration derived from @audio; 0 = 60 s
 *
 * Everything that decides the output bytes is in here, so the spec's hash is the cache key.
 */
typedef struct
{
  DlySimRenderKind kind;
  guint            width;
  guint            height;
  guint            fit_long_side;
  guint            n_frames;
  gint             fps_n;
  gint             fps_d;
  char            *prompt;
  char            *caption;
  guint64          seed;
  GBytes          *image;
  GBytes          *audio;
  double           tone_seconds;
  guint64          max_pixels;
  double           max_seconds;
} DlySimRenderSpec;

DlySimRenderSpec *dly_sim_render_spec_new  (DlySimRenderKind        kind);
DlySimRenderSpec *dly_sim_render_spec_copy (const DlySimRenderSpec *spec);
void              dly_sim_render_spec_free (DlySimRenderSpec       *spec);
char             *dly_sim_render_spec_hash (const DlySimRenderSpec *spec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlySimRenderSpec, dly_sim_render_spec_free)

/**
 * DlySimRender:
 * A finished file in the cache and what it holds. Reference counted, immutable.
 */
typedef struct
{
  char    *path;
  char    *content_type;
  guint64  size;
  guint    width;
  guint    height;
  guint    n_frames;
  gint     fps_n;
  gint     fps_d;
  double   duration;
  double   audio_seconds;
} DlySimRender;

DlySimRender *dly_sim_render_ref   (DlySimRender *render);
void          dly_sim_render_unref (DlySimRender *render);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlySimRender, dly_sim_render_unref)

#define DLY_TYPE_SIM_RENDERER (dly_sim_renderer_get_type ())
G_DECLARE_FINAL_TYPE (DlySimRenderer, dly_sim_renderer, DLY, SIM_RENDERER, GObject)

DlySimRenderer *dly_sim_renderer_new             (const char             *cache_dir);
const char     *dly_sim_renderer_get_cache_dir   (DlySimRenderer         *self);
void            dly_sim_renderer_render_async    (DlySimRenderer         *self,
                                                  const DlySimRenderSpec *spec,
                                                  GCancellable           *cancellable,
                                                  GAsyncReadyCallback     callback,
                                                  gpointer                user_data);
DlySimRender   *dly_sim_renderer_render_finish   (DlySimRenderer         *self,
                                                  GAsyncResult           *result,
                                                  GError                **error);
guint           dly_sim_renderer_get_n_rendered  (DlySimRenderer         *self);
guint           dly_sim_renderer_get_n_cache_hits (DlySimRenderer        *self);

G_END_DECLS
