/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>

#include "dly-demo.h"
#include "dly-sim.h"

/* Long enough to watch a take go through its states, short enough not to bore. */
#define DEFAULT_JOB_SECONDS 4.0
/* Renders stay quick on a laptop CPU: larger requests are drawn at this size and scaled. */
#define MAX_RENDER_PIXELS   (854 * 480)

struct _DlyDemo
{
  GObject     parent_instance;

  DlySim     *sim;       /* owned; NULL while stopped */
  DlyProfile *profile;   /* owned; NULL while stopped */
  double      job_seconds;
};

G_DEFINE_FINAL_TYPE (DlyDemo, dly_demo, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_JOB_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dly_demo_dispose (GObject *object)
{
  DlyDemo *self = DLY_DEMO (object);

  if (self->sim != NULL)
    dly_sim_stop (self->sim);
  g_clear_object (&self->sim);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (dly_demo_parent_class)->dispose (object);
}

static void
dly_demo_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  DlyDemo *self = DLY_DEMO (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, dly_demo_is_running (self));
      break;
    case PROP_JOB_SECONDS:
      g_value_set_double (value, self->job_seconds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_demo_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  DlyDemo *self = DLY_DEMO (object);

  switch (prop_id)
    {
    case PROP_JOB_SECONDS:
      dly_demo_set_job_seconds (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_demo_class_init (DlyDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dly_demo_dispose;
  object_class->get_property = dly_demo_get_property;
  object_class->set_property = dly_demo_set_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JOB_SECONDS] =
    g_param_spec_double ("job-seconds", NULL, NULL, 0, 3600, DEFAULT_JOB_SECONDS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dly_demo_init (DlyDemo *self)
{
  const char *env = g_getenv ("DAILIES_DEMO_JOB_SECONDS");

  self->job_seconds = DEFAULT_JOB_SECONDS;
  if (env != NULL)
    {
      double seconds = g_ascii_strtod (env, NULL);

      if (seconds >= 0 && seconds <= 3600)
        self->job_seconds = seconds;
    }
}

DlyDemo *
dly_demo_new (void)
{
  return g_object_new (DLY_TYPE_DEMO, NULL);
}

gboolean
dly_demo_start (DlyDemo  *self,
                GError  **error)
{
  g_autoptr(DlySim) sim = NULL;
  g_autoptr(DlyProfile) profile = NULL;

  g_return_val_if_fail (DLY_IS_DEMO (self), FALSE);

  if (self->sim != NULL)
    return TRUE;

  sim = dly_sim_new ();
  dly_sim_set_job_seconds (sim, self->job_seconds);
  dly_sim_set_max_render_pixels (sim, MAX_RENDER_PIXELS);
  /* Port 0: whatever is free; the profile below is made for it. */
  if (!dly_sim_start_in_thread (sim, 0, error))
    {
      g_prefix_error (error, _("The demo backend could not start: "));
      return FALSE;
    }

  profile = dly_profile_new (DLY_DEMO_PROFILE_NAME, DLY_DEMO_DIALECT,
                             dly_sim_get_base_url (sim, DLY_DEMO_DIALECT));
  /* Renders are CPU-bound on this machine: a couple at a time keeps the desktop responsive. */
  dly_profile_set_concurrency (profile, 2);

  self->sim = g_steal_pointer (&sim);
  self->profile = g_steal_pointer (&profile);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  return TRUE;
}

void
dly_demo_stop (DlyDemo *self)
{
  g_return_if_fail (DLY_IS_DEMO (self));

  if (self->sim == NULL)
    return;
  dly_sim_stop (self->sim);
  g_clear_object (&self->sim);
  g_clear_object (&self->profile);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
dly_demo_is_running (DlyDemo *self)
{
  g_return_val_if_fail (DLY_IS_DEMO (self), FALSE);
  return self->sim != NULL;
}

const char *
dly_demo_get_base_url (DlyDemo *self)
{
  g_return_val_if_fail (DLY_IS_DEMO (self), NULL);
  return self->profile != NULL ? dly_profile_get_base_url (self->profile) : NULL;
}

DlyProfile *
dly_demo_get_profile (DlyDemo *self)
{
  g_return_val_if_fail (DLY_IS_DEMO (self), NULL);
  return self->profile;
}

void
dly_demo_set_job_seconds (DlyDemo *self,
                          double   seconds)
{
  g_return_if_fail (DLY_IS_DEMO (self));

  if (self->job_seconds == seconds)
    return;
  self->job_seconds = seconds;
  if (self->sim != NULL)
    dly_sim_set_job_seconds (self->sim, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB_SECONDS]);
}
