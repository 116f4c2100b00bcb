/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dly-take-status.h"
#include "dly-toast.h"

/* The preview of a take that cannot play: where it is while it is being made, or why it
 * stopped, with the backend's own message and what can be done about it. Its buttons
 * carry out the window's actions on the take shown (win.cancel-take, win.retry-take). */
struct _DlyTakeStatus
{
  GtkWidget       parent_instance;

  DlyJob         *job;          /* owned */
  GSignalGroup   *job_signals;  /* owned: the job's state, message and progress */

  /* Template children */
  AdwStatusPage  *status_page;
  GtkProgressBar *progress_bar;
  GtkButton      *cancel_button;
  GtkButton      *retry_button;
  GtkButton      *copy_message_button;
};

G_DEFINE_FINAL_TYPE (DlyTakeStatus, dly_take_status, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_JOB,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
state_title (DlyJobState state)
{
  switch (state)
    {
    case DLY_JOB_STATE_QUEUED:
      return _("Waiting for the Backend");
    case DLY_JOB_STATE_SUBMITTING:
      return _("Sending");
    case DLY_JOB_STATE_WAITING:
      return _("In the Backend’s Queue");
    case DLY_JOB_STATE_RUNNING:
      return _("Generating");
    case DLY_JOB_STATE_DOWNLOADING:
      return _("Downloading");
    case DLY_JOB_STATE_SUCCEEDED:
      /* Shown here only when its file cannot be played. */
      return _("Video Not Found");
    case DLY_JOB_STATE_FAILED:
      return _("Take Failed");
    case DLY_JOB_STATE_CANCELLED:
      return _("Take Cancelled");
    case DLY_JOB_STATE_UNKNOWN:
      return _("Take Needs a Look");
    default:
      return "";
    }
}

static const char *
state_icon (DlyJobState state)
{
  switch (state)
    {
    case DLY_JOB_STATE_FAILED:
      return "dialog-error-symbolic";
    case DLY_JOB_STATE_UNKNOWN:
      return "dialog-warning-symbolic";
    case DLY_JOB_STATE_CANCELLED:
      return "process-stop-symbolic";
    case DLY_JOB_STATE_SUCCEEDED:
      return "video-x-generic-symbolic";
    case DLY_JOB_STATE_QUEUED:
    case DLY_JOB_STATE_SUBMITTING:
    case DLY_JOB_STATE_WAITING:
    case DLY_JOB_STATE_RUNNING:
    case DLY_JOB_STATE_DOWNLOADING:
    default:
      return "content-loading-symbolic";
    }
}

static void
update (DlyTakeStatus *self)
{
  DlyJobState state;
  const char *message;
  gboolean finished, has_message;
  double progress;
  g_autofree char *description = NULL;

  if (self->job == NULL)
    return;

  state = dly_job_get_state (self->job);
  message = dly_job_get_message (self->job);
  has_message = message != NULL && *message != '\0';
  finished = dly_job_state_is_finished (state);
  progress = dly_job_get_progress (self->job);

  /* The description is markup; a backend's words are not. */
  if (has_message)
    description = g_markup_escape_text (message, -1);
  else if (state == DLY_JOB_STATE_SUCCEEDED)
    description = g_strdup (_("The video file is missing; it may have been moved or deleted."));

  adw_status_page_set_icon_name (self->status_page, state_icon (state));
  adw_status_page_set_title (self->status_page, state_title (state));
  adw_status_page_set_description (self->status_page, description);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), !finished);
  if (progress >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, progress);
  else
    gtk_progress_bar_pulse (self->progress_bar);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), !finished);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button),
                          state == DLY_JOB_STATE_FAILED || state == DLY_JOB_STATE_CANCELLED
                          || state == DLY_JOB_STATE_UNKNOWN);
  gtk_widget_set_visible (GTK_WIDGET (self->copy_message_button), finished && has_message);
}

static void
on_copy_message_button_clicked_cb (GtkButton     *button,
                                   DlyTakeStatus *self)
{
  const char *message = self->job != NULL ? dly_job_get_message (self->job) : NULL;

  if (message == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), message);
  dly_toast_show (GTK_WIDGET (self), _("Message copied"));
}

static void
dly_take_status_dispose (GObject *object)
{
  DlyTakeStatus *self = DLY_TAKE_STATUS (object);

  dly_take_status_set_job (self, NULL);
  g_clear_object (&self->job_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), DLY_TYPE_TAKE_STATUS);

  G_OBJECT_CLASS (dly_take_status_parent_class)->dispose (object);
}

static void
dly_take_status_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DlyTakeStatus *self = DLY_TAKE_STATUS (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_take_status_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DlyTakeStatus *self = DLY_TAKE_STATUS (object);

  switch (prop_id)
    {
    case PROP_JOB:
      dly_take_status_set_job (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_take_status_class_init (DlyTakeStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dly_take_status_dispose;
  object_class->get_property = dly_take_status_get_property;
  object_class->set_property = dly_take_status_set_property;

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL, DLY_TYPE_JOB,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-take-status.ui");
  gtk_widget_class_bind_template_child (widget_class, DlyTakeStatus, status_page);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeStatus, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeStatus, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeStatus, retry_button);
  gtk_widget_class_bind_template_child (widget_class, DlyTakeStatus, copy_message_button);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_message_button_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dly_take_status_init (DlyTakeStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->job_signals = g_signal_group_new (DLY_TYPE_JOB);
  g_signal_group_connect_swapped (self->job_signals, "notify::state", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->job_signals, "notify::message", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->job_signals, "notify::progress", G_CALLBACK (update),
                                  self);
}

GtkWidget *
dly_take_status_new (void)
{
  return g_object_new (DLY_TYPE_TAKE_STATUS, NULL);
}

DlyJob *
dly_take_status_get_job (DlyTakeStatus *self)
{
  g_return_val_if_fail (DLY_IS_TAKE_STATUS (self), NULL);
  return self->job;
}

/* Shows @job, and follows its state, message and progress until another is set. */
void
dly_take_status_set_job (DlyTakeStatus *self,
                         DlyJob        *job)
{
  g_return_if_fail (DLY_IS_TAKE_STATUS (self));
  g_return_if_fail (job == NULL || DLY_IS_JOB (job));

  if (!g_set_object (&self->job, job))
    return;
  g_signal_group_set_target (self->job_signals, job);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}
