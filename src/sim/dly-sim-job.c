/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A simulated generation: fetch the inputs, render, and report a phase that follows the
 * clock. The phase is computed from timestamps at each poll instead of being pushed by
 * timers, so polling never races a timer; timers only wake those who wait (sync requests). */

#include "config.h"

#include "dly-sim-private.h"

typedef struct
{
  DlySimInputKind kind;
  char           *url;
  GBytes         *bytes;
} Input;

typedef struct
{
  DlySimJobFunc  func;
  gpointer       user_data;
  GDestroyNotify destroy;
} Waiter;

typedef struct
{
  DlySimJob *job;
  Input     *input;
} InputOp;

static void
input_free (gpointer data)
{
  Input *input = data;

  g_free (input->url);
  g_clear_pointer (&input->bytes, g_bytes_unref);
  g_free (input);
}

static void
waiter_free (gpointer data)
{
  Waiter *waiter = data;

  if (waiter->destroy != NULL)
    waiter->destroy (waiter->user_data);
  g_free (waiter);
}

static void
source_drop (gpointer data)
{
  GSource *source = data;

  g_source_destroy (source);
  g_source_unref (source);
}

DlySimJob *
dly_sim_job_ref (DlySimJob *job)
{
  g_atomic_ref_count_inc (&job->ref_count);
  return job;
}

void
dly_sim_job_unref (DlySimJob *job)
{
  if (job == NULL || !g_atomic_ref_count_dec (&job->ref_count))
    return;

  g_free (job->id);
  dly_sim_render_spec_free (job->spec);
  g_ptr_array_unref (job->inputs);
  g_clear_pointer (&job->render, dly_sim_render_unref);
  g_free (job->cdn_path);
  g_free (job->result_url);
  g_free (job->fail_code);
  g_free (job->fail_message);
  json_object_unref (job->extra);
  g_ptr_array_unref (job->waiters);
  g_ptr_array_unref (job->sources);
  g_free (job);
}

static gint64
queue_end (DlySimJob *job)
{
  return job->created_us + job->queue_us;
}

static gint64
run_end (DlySimJob *job)
{
  return job->created_us + job->queue_us + job->run_us;
}

DlySimPhase
dly_sim_job_get_phase (DlySimJob *job,
                       gint64     now_us,
                       double    *progress)
{
  double fraction;

  if (progress != NULL)
    *progress = 0;

  if (job->cancelled)
    return DLY_SIM_PHASE_CANCELLED;
  if (now_us < queue_end (job))
    return DLY_SIM_PHASE_QUEUED;
  if (job->failed && now_us >= job->fail_visible_us)
    return job->timed_out ? DLY_SIM_PHASE_TIMED_OUT : DLY_SIM_PHASE_FAILED;
  if (job->render != NULL && now_us >= run_end (job))
    {
      if (progress != NULL)
        *progress = 1.0;
      return DLY_SIM_PHASE_SUCCEEDED;
    }

  fraction = job->run_us > 0 ? (double) (now_us - queue_end (job)) / job->run_us : 1.0;
  fraction = CLAMP (fraction, 0.0, 1.0);
  /* Not done until the file is: a slow render holds the job just short of the end. */
  if (job->render == NULL)
    fraction = MIN (fraction, 0.95);
  if (progress != NULL)
    *progress = fraction;
  return DLY_SIM_PHASE_RUNNING;
}

gint64
dly_sim_job_get_end_us (DlySimJob *job,
                        gint64     now_us)
{
  switch (dly_sim_job_get_phase (job, now_us, NULL))
    {
    case DLY_SIM_PHASE_CANCELLED:
      return job->cancelled_us;
    case DLY_SIM_PHASE_FAILED:
    case DLY_SIM_PHASE_TIMED_OUT:
      return job->fail_visible_us;
    case DLY_SIM_PHASE_SUCCEEDED:
      return MAX (run_end (job), job->ready_us);
    case DLY_SIM_PHASE_QUEUED:
    case DLY_SIM_PHASE_RUNNING:
    default:
      return -1;
    }
}

gint64
dly_sim_job_us_to_unix_ms (DlySimJob *job,
                           gint64     monotonic_us)
{
  return job->created_ms + (monotonic_us - job->created_us) / 1000;
}

static void
job_notify (DlySimJob *job)
{
  g_autoptr (GPtrArray) waiters = NULL;

  if (job->sim == NULL || job->waiters->len == 0)
    return;
  if (!DLY_SIM_PHASE_IS_TERMINAL (dly_sim_job_get_phase (job, g_get_monotonic_time (), NULL)))
    return;

  waiters = g_steal_pointer (&job->waiters);
  job->waiters = g_ptr_array_new_with_free_func (waiter_free);

  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);

      waiter->func (job, waiter->user_data);
    }
}

static gboolean
on_check_time (gpointer user_data)
{
  job_notify (user_data);
  return G_SOURCE_REMOVE;
}

static void
schedule_check (DlySimJob *job,
                gint64     at_us)
{
  gint64 delay_us = at_us - g_get_monotonic_time ();
  GSource *source;

  if (job->sim == NULL)
    return;

  /* One millisecond late rather than early: the phase must have changed when it fires. */
  source = g_timeout_source_new (delay_us > 0 ? (guint) (delay_us / 1000 + 1) : 0);
  g_source_set_callback (source, on_check_time, dly_sim_job_ref (job),
                         (GDestroyNotify) dly_sim_job_unref);
  g_source_attach (source, dly_sim_get_context (job->sim));
  g_ptr_array_add (job->sources, source);
}

DlySimJob *
dly_sim_job_new (DlySim           *sim,
                 DlySimDialect     dialect,
                 const char       *id,
                 DlySimRenderSpec *spec)
{
  DlySimJob *job = g_new0 (DlySimJob, 1);
  DlySimSettings settings = { 0 };
  DlySimJobFault fault = { 0 };
  gint64 total_us;

  dly_sim_get_settings (sim, &settings);

  g_atomic_ref_count_init (&job->ref_count);
  job->sim = sim;
  job->dialect = dialect;
  job->id = g_strdup (id);
  job->spec = spec;
  job->created_us = g_get_monotonic_time ();
  job->created_ms = g_get_real_time () / 1000;

  /* A quarter of the time in the queue, the rest running, as GPU queues tend to look. */
  total_us = (gint64) (settings.job_seconds * G_USEC_PER_SEC);
  job->queue_us = total_us / 4;
  job->run_us = total_us - job->queue_us;

  if (spec->max_pixels == 0)
    spec->max_pixels = settings.max_render_pixels;

  job->graceful = settings.graceful_failures;
  job->inputs = g_ptr_array_new_with_free_func (input_free);
  job->waiters = g_ptr_array_new_with_free_func (waiter_free);
  job->sources = g_ptr_array_new_with_free_func (source_drop);
  job->extra = json_object_new ();

  if (dly_sim_take_job_fault (sim, dialect, &fault))
    {
      /* The injected failure strikes at the end, after the user waited for it. */
      job->failed = TRUE;
      job->planned = TRUE;
      job->timed_out = fault.timeout;
      job->fail_code = g_steal_pointer (&fault.code);
      job->fail_message = g_steal_pointer (&fault.message);
      job->fail_visible_us = run_end (job);
    }

  dly_sim_add_job (sim, job);
  schedule_check (job, run_end (job));

  dly_sim_job_fault_clear (&fault);
  dly_sim_settings_clear (&settings);
  return job;
}

void
dly_sim_job_detach (DlySimJob *job)
{
  job->sim = NULL;
  g_ptr_array_set_size (job->sources, 0);
  g_ptr_array_set_size (job->waiters, 0);
}

void
dly_sim_job_add_input (DlySimJob       *job,
                       DlySimInputKind  kind,
                       const char      *url,
                       GBytes          *bytes)
{
  Input *input = g_new0 (Input, 1);

  input->kind = kind;
  input->url = g_strdup (url);
  input->bytes = bytes ? g_bytes_ref (bytes) : NULL;
  g_ptr_array_add (job->inputs, input);
}

static void
fail_at (DlySimJob  *job,
         gint64      visible_us,
         const char *code,
         const char *message)
{
  if (job->failed)
    return;

  job->failed = TRUE;
  job->fail_code = g_strdup (code);
  job->fail_message = g_strdup (message);
  job->fail_visible_us = visible_us;
  schedule_check (job, visible_us);
  job_notify (job);
}

void
dly_sim_job_fail (DlySimJob  *job,
                  const char *code,
                  const char *message)
{
  fail_at (job, MAX (queue_end (job), g_get_monotonic_time ()), code, message);
}

void
dly_sim_job_cancel (DlySimJob *job)
{
  gint64 now = g_get_monotonic_time ();

  if (DLY_SIM_PHASE_IS_TERMINAL (dly_sim_job_get_phase (job, now, NULL)))
    return;

  job->cancelled = TRUE;
  job->cancelled_us = now;
  job_notify (job);
}

void
dly_sim_job_when_done (DlySimJob      *job,
                       DlySimJobFunc   func,
                       gpointer        user_data,
                       GDestroyNotify  destroy)
{
  Waiter *waiter = g_new0 (Waiter, 1);

  waiter->func = func;
  waiter->user_data = user_data;
  waiter->destroy = destroy;
  g_ptr_array_add (job->waiters, waiter);
  job_notify (job);
}

static void
on_rendered (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (DlySimJob) job = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (DlySimRender) render = NULL;

  render = dly_sim_renderer_render_finish (DLY_SIM_RENDERER (source), result, &error);
  if (job->sim == NULL)
    return;

  if (render == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Generation failed: %s", error->message);

      fail_at (job, MAX (run_end (job), g_get_monotonic_time ()), NULL, message);
      return;
    }

  job->render = g_steal_pointer (&render);
  job->ready_us = g_get_monotonic_time ();
  if (job->cdn_path != NULL)
    job->result_url = dly_sim_publish_result (job->sim, job->dialect, job->cdn_path,
                                              job->render);

  /* A render slower than the job's time is the moment it ends. */
  schedule_check (job, MAX (run_end (job), job->ready_us));
  job_notify (job);
}

static void
inputs_ready (DlySimJob *job)
{
  gboolean have_image = FALSE, have_audio = FALSE;

  if (job->failed || job->cancelled || job->sim == NULL)
    return;

  for (guint i = 0; i < job->inputs->len; i++)
    {
      Input *input = g_ptr_array_index (job->inputs, i);

      /* Several pictures may be given; the first one is the one animated. */
      if (input->kind == DLY_SIM_INPUT_IMAGE && !have_image && input->bytes != NULL)
        {
          g_clear_pointer (&job->spec->image, g_bytes_unref);
          job->spec->image = g_bytes_ref (input->bytes);
          have_image = TRUE;
        }
      else if (input->kind == DLY_SIM_INPUT_AUDIO && !have_audio && input->bytes != NULL)
        {
          g_clear_pointer (&job->spec->audio, g_bytes_unref);
          job->spec->audio = g_bytes_ref (input->bytes);
          have_audio = TRUE;
        }
    }

  dly_sim_renderer_render_async (dly_sim_get_renderer (job->sim), job->spec,
                                 dly_sim_get_cancellable (job->sim), on_rendered,
                                 dly_sim_job_ref (job));
}

static void
on_input_fetched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  InputOp *op = user_data;
  g_autoptr (DlySimJob) job = op->job;
  Input *input = op->input;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;

  g_free (op);

  bytes = dly_sim_fetch_finish (result, &error);
  if (job->sim == NULL)
    return;

  if (bytes != NULL)
    input->bytes = g_steal_pointer (&bytes);
  else if (!job->failed)
    {
      if (job->on_input_failed != NULL)
        job->on_input_failed (job, input->kind, input->url, error);
      if (!job->failed)
        dly_sim_job_fail (job, NULL, error->message);
    }

  if (--job->pending_inputs == 0)
    inputs_ready (job);
}

void
dly_sim_job_start (DlySimJob             *job,
                   DlySimInputFailedFunc  on_input_failed)
{
  g_return_if_fail (job->sim != NULL);

  job->on_input_failed = on_input_failed;

  for (guint i = 0; i < job->inputs->len; i++)
    if (((Input *) g_ptr_array_index (job->inputs, i))->bytes == NULL)
      job->pending_inputs++;

  if (job->pending_inputs == 0)
    {
      inputs_ready (job);
      return;
    }

  for (guint i = 0; i < job->inputs->len; i++)
    {
      Input *input = g_ptr_array_index (job->inputs, i);
      InputOp *op;

      if (input->bytes != NULL)
        continue;

      op = g_new0 (InputOp, 1);
      op->job = dly_sim_job_ref (job);
      op->input = input;
      dly_sim_fetch_async (job->sim, input->url, input->kind == DLY_SIM_INPUT_LORA,
                           dly_sim_get_cancellable (job->sim), on_input_fetched, op);
    }
}
