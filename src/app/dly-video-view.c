/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>

#include "dly-toast.h"
#include "dly-video-view.h"

#define HIDE_CONTROLS_SECONDS 2
#define SEEK_STEP             GST_SECOND

struct _DlyVideoView
{
  GtkWidget             parent_instance;

  DlyPlayer            *player;         /* owned */
  DlyVideoPaintable    *paintable;      /* owned */
  DlyPlayerSide         frame_side;
  GCancellable         *cancellable;    /* owned: the view's own saves */
  GtkFileChooserNative *save_dialog;    /* owned while open */
  GtkWindow            *window;         /* borrowed: the root, watched for fullscreen */
  GtkWidget            *own_picture;    /* owned: kept while other content shows */

  guint                 hide_controls_id;
  double                last_motion_x;
  double                last_motion_y;
  gboolean              scrubbing;
  gboolean              play_after_scrub;

  /* Template children */
  GtkOverlay           *overlay;
  GtkStack             *stack;
  AdwBin               *content_bin;
  GtkPicture           *picture;
  AdwStatusPage        *error_page;
  GtkLabel             *error_detail_label;
  GtkExpander          *error_expander;
  GtkSpinner           *spinner;
  GtkRevealer          *controls_revealer;
  GtkWidget            *controls;
  GtkEventController   *controls_motion;
  GtkLabel             *position_label;
  GtkScale             *scrubber;
  GtkAdjustment        *scrubber_adjustment;
  GtkLabel             *duration_label;
  GtkButton            *play_button;
  GtkLabel             *frame_label;
  GtkBox               *end_box;
  GtkMenuButton        *rate_button;
  GtkLabel             *rate_label;
  GtkMenuButton        *volume_button;
  GtkAdjustment        *volume_adjustment;
  GtkMenuButton        *frame_menu_button;
  GtkButton            *fullscreen_button;
  GtkButton            *compact_play_button;
  GtkLabel             *compact_frame_label;
  GtkMenuButton        *compact_menu_button;
  GtkButton            *compact_fullscreen_button;
  GMenu                *compact_menu;
};

G_DEFINE_FINAL_TYPE (DlyVideoView, dly_video_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PLAYER,
  PROP_LOOP,
  PROP_MUTED,
  PROP_RATE,
  PROP_VOLUME,
  PROP_FRAME_SIDE,
  PROP_CONTROLS_REVEALED,
  PROP_CONTENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  USE_FRAME,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void dly_video_view_schedule_hide (DlyVideoView *self);

static char *
format_time (gint64 position)
{
  gint64 centiseconds = MAX (position, 0) / (10 * GST_MSECOND);
  gint64 seconds = centiseconds / 100;

  if (seconds >= 3600)
    return g_strdup_printf ("%d:%02d:%02d.%02d", (int) (seconds / 3600),
                            (int) (seconds / 60 % 60), (int) (seconds % 60),
                            (int) (centiseconds % 100));

  return g_strdup_printf ("%d:%02d.%02d", (int) (seconds / 60), (int) (seconds % 60),
                          (int) (centiseconds % 100));
}

static char *
format_rate (double rate)
{
  g_autofree char *number = g_strdup_printf ("%.2f", rate);
  char *end = number + strlen (number) - 1;

  /* 0.50 → 0.5, 1.00 → 1: a speed reads best with no trailing zeros. */
  while (*end == '0')
    *end-- = '\0';
  if (*end == '.' || *end == ',')
    *end = '\0';

  return g_strdup_printf ("%s×", number);
}

static void
set_controls_revealed (DlyVideoView *self,
                       gboolean      revealed)
{
  if (gtk_revealer_get_reveal_child (self->controls_revealer) == revealed)
    return;

  gtk_revealer_set_reveal_child (self->controls_revealer, revealed);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTROLS_REVEALED]);
}

/* --- reflecting the player --- */

static void
update_position (DlyVideoView *self)
{
  gint64 position = dly_player_get_position (self->player);
  gint64 frame_count = dly_player_get_frame_count (self->player);
  g_autofree char *time = NULL;

  if (!self->scrubbing)
    {
      time = format_time (position);
      gtk_label_set_label (self->position_label, time);
      gtk_adjustment_set_value (self->scrubber_adjustment, (double) position / GST_SECOND);
    }

  if (frame_count > 0)
    {
      /* People count frames from 1: the first is "Frame 1 of 120", the last "120 of 120". */
      gint64 frame = MIN (dly_player_get_frame_number (self->player) + 1, frame_count);
      g_autofree char *text = g_strdup_printf (_("Frame %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT),
                                               frame, frame_count);
      g_autofree char *short_text = g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT,
                                                     frame, frame_count);

      gtk_label_set_label (self->frame_label, text);
      gtk_label_set_label (self->compact_frame_label, short_text);
    }
  else
    {
      gtk_label_set_label (self->frame_label, "");
      gtk_label_set_label (self->compact_frame_label, "");
    }
}

static void
update_duration (DlyVideoView *self)
{
  gint64 duration = dly_player_get_duration (self->player);
  double fps = dly_player_get_frame_rate (self->player);
  g_autofree char *text = format_time (duration);

  gtk_label_set_label (self->duration_label, text);
  gtk_adjustment_configure (self->scrubber_adjustment,
                            (double) dly_player_get_position (self->player) / GST_SECOND,
                            0, MAX ((double) duration / GST_SECOND, 0.001),
                            fps > 0 ? 1 / fps : 0.04, 1, 0);
  update_position (self);
}

static void
update_volume_icon (DlyVideoView *self)
{
  double volume = dly_player_get_volume (self->player);
  gboolean has_audio = dly_player_get_has_audio (self->player);
  const char *icon;

  if (!has_audio || dly_player_get_muted (self->player) || volume == 0)
    icon = "audio-volume-muted-symbolic";
  else if (volume < 0.34)
    icon = "audio-volume-low-symbolic";
  else if (volume < 0.67)
    icon = "audio-volume-medium-symbolic";
  else
    icon = "audio-volume-high-symbolic";

  gtk_menu_button_set_icon_name (self->volume_button, icon);
  gtk_widget_set_sensitive (GTK_WIDGET (self->volume_button), has_audio);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->volume_button),
                               has_audio ? _("Volume") : _("No Audio"));
}

static void
update_actions (DlyVideoView *self)
{
  DlyPlayerState state = dly_player_get_state (self->player);
  gboolean ready = state == DLY_PLAYER_STATE_PAUSED || state == DLY_PLAYER_STATE_PLAYING;
  const char * const media_actions[] = {
    "player.play-pause", "player.play", "player.pause", "player.seek-backward",
    "player.seek-forward", "player.step-backward", "player.step-forward", "player.seek-start",
    "player.seek-end", "player.save-frame", "player.use-frame",
  };

  for (guint i = 0; i < G_N_ELEMENTS (media_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), media_actions[i], ready);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scrubber), ready);
}

static void
update_state (DlyVideoView *self)
{
  DlyPlayerState state = dly_player_get_state (self->player);
  gboolean playing = state == DLY_PLAYER_STATE_PLAYING;

  for (guint i = 0; i < 2; i++)
    {
      GtkButton *button = i == 0 ? self->play_button : self->compact_play_button;

      gtk_button_set_icon_name (button, playing ? "media-playback-pause-symbolic"
                                                : "media-playback-start-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (button),
                                   playing ? _("Pause (Space)") : _("Play (Space)"));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), state == DLY_PLAYER_STATE_LOADING);
  gtk_spinner_set_spinning (self->spinner, state == DLY_PLAYER_STATE_LOADING);

  if (state == DLY_PLAYER_STATE_ERROR)
    {
      const GError *error = dly_player_get_error (self->player);
      const char *detail = dly_player_get_error_detail (self->player);

      adw_status_page_set_description (self->error_page, error ? error->message : NULL);
      gtk_label_set_label (self->error_detail_label, detail ? detail : "");
      gtk_widget_set_visible (GTK_WIDGET (self->error_expander), detail != NULL);
      gtk_stack_set_visible_child_name (self->stack, "error");
      set_controls_revealed (self, FALSE);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "video");
      dly_video_view_reveal_controls (self);
    }

  update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_player_notify_cb (DlyPlayer    *player,
                     GParamSpec   *pspec,
                     DlyVideoView *self)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "position") || g_str_equal (name, "frame-count"))
    update_position (self);
  else if (g_str_equal (name, "duration") || g_str_equal (name, "frame-rate"))
    update_duration (self);
  else if (g_str_equal (name, "state"))
    update_state (self);
  else if (g_str_equal (name, "volume") || g_str_equal (name, "muted")
           || g_str_equal (name, "has-audio"))
    {
      update_volume_icon (self);
      if (g_str_equal (name, "volume"))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
      else if (g_str_equal (name, "muted"))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
    }
  else if (g_str_equal (name, "loop"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP]);
  else if (g_str_equal (name, "rate"))
    {
      g_autofree char *label = format_rate (dly_player_get_rate (player));

      gtk_label_set_label (self->rate_label, label);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
    }
}

/* --- controls that hide --- */

static gboolean
popover_is_open (GtkMenuButton *button)
{
  GtkPopover *popover = gtk_menu_button_get_popover (button);

  return popover != NULL && gtk_widget_get_visible (GTK_WIDGET (popover));
}

static void
set_cursor_hidden (DlyVideoView *self,
                   gboolean      hidden)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), hidden ? "none" : NULL);
}

static gboolean
on_hide_controls_timeout_cb (gpointer user_data)
{
  DlyVideoView *self = user_data;

  self->hide_controls_id = 0;

  if (dly_player_get_state (self->player) != DLY_PLAYER_STATE_PLAYING)
    return G_SOURCE_REMOVE;

  /* Not from under the pointer, nor with a menu open. */
  if (gtk_event_controller_motion_contains_pointer (GTK_EVENT_CONTROLLER_MOTION (self->controls_motion))
      || popover_is_open (self->rate_button) || popover_is_open (self->volume_button)
      || popover_is_open (self->frame_menu_button) || popover_is_open (self->compact_menu_button)
      || self->scrubbing)
    {
      dly_video_view_schedule_hide (self);
      return G_SOURCE_REMOVE;
    }

  set_controls_revealed (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
dly_video_view_schedule_hide (DlyVideoView *self)
{
  g_clear_handle_id (&self->hide_controls_id, g_source_remove);
  if (dly_player_get_state (self->player) == DLY_PLAYER_STATE_PLAYING)
    self->hide_controls_id = g_timeout_add_seconds (HIDE_CONTROLS_SECONDS,
                                                    on_hide_controls_timeout_cb, self);
}

static void
on_controls_revealer_child_revealed_cb (GtkRevealer  *revealer,
                                        GParamSpec   *pspec,
                                        DlyVideoView *self)
{
  /* The pointer goes once the controls have faded out, and comes back with them. */
  set_cursor_hidden (self, !gtk_revealer_get_child_revealed (revealer)
                           && !gtk_revealer_get_reveal_child (revealer)
                           && dly_player_get_state (self->player) == DLY_PLAYER_STATE_PLAYING);
}

static void
on_motion_controller_motion_cb (GtkEventControllerMotion *controller,
                                double                    x,
                                double                    y,
                                DlyVideoView             *self)
{
  /* Windows send motion events when nothing moved (a redraw under the pointer). */
  if (x == self->last_motion_x && y == self->last_motion_y)
    return;

  self->last_motion_x = x;
  self->last_motion_y = y;
  dly_video_view_reveal_controls (self);
}

static void
on_click_gesture_pressed_cb (GtkGestureClick *gesture,
                             int              n_press,
                             double           x,
                             double           y,
                             DlyVideoView    *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

/* --- the scrubber: key-frame seeks while dragging, an exact one on release --- */

static gboolean
on_scrubber_change_value_cb (GtkRange      *range,
                             GtkScrollType  scroll,
                             double         value,
                             DlyVideoView  *self)
{
  gint64 position = (gint64) (CLAMP (value, 0, gtk_adjustment_get_upper (self->scrubber_adjustment))
                              * GST_SECOND);

  if (self->scrubbing)
    {
      g_autofree char *time = format_time (position);

      gtk_label_set_label (self->position_label, time);
      dly_player_scrub (self->player, position);
    }
  else
    dly_player_seek (self->player, position);

  return FALSE;
}

static gboolean
on_scrubber_event_cb (GtkEventControllerLegacy *controller,
                      GdkEvent                 *event,
                      DlyVideoView             *self)
{
  GdkEventType type = gdk_event_get_event_type (event);

  if (type == GDK_BUTTON_PRESS || type == GDK_TOUCH_BEGIN)
    {
      self->scrubbing = TRUE;
      self->play_after_scrub = dly_player_get_state (self->player) == DLY_PLAYER_STATE_PLAYING;
      if (self->play_after_scrub)
        dly_player_pause (self->player);
    }
  else if ((type == GDK_BUTTON_RELEASE || type == GDK_TOUCH_END || type == GDK_TOUCH_CANCEL)
           && self->scrubbing)
    {
      self->scrubbing = FALSE;
      dly_player_seek (self->player,
                       (gint64) (gtk_adjustment_get_value (self->scrubber_adjustment) * GST_SECOND));
      if (self->play_after_scrub)
        dly_player_play (self->player);
      self->play_after_scrub = FALSE;
    }

  return GDK_EVENT_PROPAGATE;
}

/* --- frames --- */

GdkTexture *
dly_video_view_dup_frame_texture (DlyVideoView *self)
{
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GBytes) bytes = NULL;
  int width, height;
  gsize stride;

  g_return_val_if_fail (DLY_IS_VIDEO_VIEW (self), NULL);

  sample = dly_player_get_frame (self->player, self->frame_side);
  if (sample == NULL)
    return NULL;

  bytes = dly_player_sample_map (sample, &width, &height, &stride);
  if (bytes == NULL)
    return NULL;

  return gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, stride);
}

char *
dly_video_view_dup_frame_file_name (DlyVideoView *self)
{
  const char *uri;
  g_autofree char *base = NULL;
  char *dot;

  g_return_val_if_fail (DLY_IS_VIDEO_VIEW (self), NULL);

  uri = dly_player_get_uri (self->player, self->frame_side);
  if (uri != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (uri);

      base = g_file_get_basename (file);
    }
  if (base == NULL)
    base = g_strdup ("frame");
  if ((dot = strrchr (base, '.')) != NULL && dot != base)
    *dot = '\0';

  return g_strdup_printf ("%s-frame-%04" G_GINT64_FORMAT ".png", base,
                          dly_player_get_frame_number (self->player) + 1);
}

static void
save_frame_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GdkTexture *texture = task_data;
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GError) error = NULL;

  /* Textures are immutable, so encoding one off the main thread is safe. */
  png = gdk_texture_save_to_png_bytes (texture);

  if (parent != NULL && !g_file_make_directory_with_parents (parent, cancellable, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_error (&error);

  if (!g_file_replace_contents (file, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
dly_video_view_save_frame_async (DlyVideoView        *self,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GdkTexture *texture;

  g_return_if_fail (DLY_IS_VIDEO_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_video_view_save_frame_async);

  texture = dly_video_view_dup_frame_texture (self);
  if (texture == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("There is no frame to save yet"));
      return;
    }

  g_task_set_task_data (task, texture, g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "file", g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, save_frame_in_thread);
}

gboolean
dly_video_view_save_frame_finish (DlyVideoView  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (DLY_IS_VIDEO_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dly_video_view_save_frame_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_frame_saved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DlyVideoView *self = DLY_VIDEO_VIEW (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!dly_video_view_save_frame_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not save the frame: %s"), error->message);
    }
  else
    {
      g_autofree char *name = g_file_get_basename (file);

      text = g_strdup_printf (_("Frame saved as “%s”"), name);
    }

  dly_toast_show (GTK_WIDGET (self), text);
}

static void
on_save_dialog_response_cb (GtkNativeDialog *dialog,
                            int              response,
                            DlyVideoView    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        dly_video_view_save_frame_async (self, file, self->cancellable, on_frame_saved_cb,
                                         g_object_ref (file));
    }

  g_clear_object (&self->save_dialog);
}

/* --- actions --- */

static void
play_pause_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DlyVideoView *self = DLY_VIDEO_VIEW (widget);

  if (g_str_equal (action_name, "player.play"))
    dly_player_play (self->player);
  else if (g_str_equal (action_name, "player.pause"))
    dly_player_pause (self->player);
  else
    dly_player_toggle_playing (self->player);
}

static void
seek_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DlyVideoView *self = DLY_VIDEO_VIEW (widget);
  gint64 position = dly_player_get_position (self->player);

  if (g_str_equal (action_name, "player.seek-start"))
    dly_player_seek (self->player, 0);
  else if (g_str_equal (action_name, "player.seek-end"))
    dly_player_seek_frame (self->player, MAX (dly_player_get_frame_count (self->player) - 1, 0));
  else if (g_str_equal (action_name, "player.seek-backward"))
    dly_player_seek (self->player, MAX (position - SEEK_STEP, 0));
  else
    dly_player_seek (self->player, MIN (position + SEEK_STEP,
                                        MAX (dly_player_get_duration (self->player) - 1, 0)));

  dly_video_view_reveal_controls (self);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DlyVideoView *self = DLY_VIDEO_VIEW (widget);

  dly_player_step (self->player, g_str_equal (action_name, "player.step-forward") ? 1 : -1);
  dly_video_view_reveal_controls (self);
}

static void
fullscreen_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (!GTK_IS_WINDOW (root))
    return;

  if (gtk_window_is_fullscreen (GTK_WINDOW (root)))
    gtk_window_unfullscreen (GTK_WINDOW (root));
  else
    gtk_window_fullscreen (GTK_WINDOW (root));
}

static void
save_frame_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DlyVideoView *self = DLY_VIDEO_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = dly_video_view_dup_frame_file_name (self);

  if (self->save_dialog != NULL)
    return;

  /* A portal dialog in a sandbox; GtkFileDialog is GTK 4.10. */
  self->save_dialog = gtk_file_chooser_native_new (_("Save Frame"),
                                                   GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                   GTK_FILE_CHOOSER_ACTION_SAVE,
                                                   _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->save_dialog), TRUE);
  gtk_file_filter_set_name (filter, _("PNG Images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->save_dialog), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->save_dialog), name);
  g_signal_connect (self->save_dialog, "response", G_CALLBACK (on_save_dialog_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->save_dialog));
}

static void
use_frame_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DlyVideoView *self = DLY_VIDEO_VIEW (widget);
  g_autoptr(GdkTexture) texture = dly_video_view_dup_frame_texture (self);

  if (texture != NULL)
    g_signal_emit (self, signals[USE_FRAME], 0, texture,
                   dly_player_get_side_position (self->player, self->frame_side));
}

/* --- fullscreen follows the window --- */

static void
on_window_fullscreened_cb (GtkWindow    *window,
                           GParamSpec   *pspec,
                           DlyVideoView *self)
{
  gboolean fullscreen = gtk_window_is_fullscreen (window);

  for (guint i = 0; i < 2; i++)
    {
      GtkButton *button = i == 0 ? self->fullscreen_button : self->compact_fullscreen_button;

      gtk_button_set_icon_name (button, fullscreen ? "view-restore-symbolic"
                                                   : "view-fullscreen-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (button),
                                   fullscreen ? _("Leave Fullscreen (F)") : _("Fullscreen (F)"));
    }
}

static void
dly_video_view_root (GtkWidget *widget)
{
  DlyVideoView *self = DLY_VIDEO_VIEW (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (dly_video_view_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      self->window = GTK_WINDOW (root);
      g_signal_connect_object (self->window, "notify::fullscreened",
                               G_CALLBACK (on_window_fullscreened_cb), self, G_CONNECT_DEFAULT);
      on_window_fullscreened_cb (self->window, NULL, self);
    }
}

static void
dly_video_view_unroot (GtkWidget *widget)
{
  DlyVideoView *self = DLY_VIDEO_VIEW (widget);

  if (self->window != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->window, on_window_fullscreened_cb, self);
      self->window = NULL;
    }

  GTK_WIDGET_CLASS (dly_video_view_parent_class)->unroot (widget);
}

/* Black behind the picture, as on any screen that shows video. */
static void
dly_video_view_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  DlyVideoView *self = DLY_VIDEO_VIEW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "video") == 0)
    gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 },
                               &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                    gtk_widget_get_height (widget)));

  GTK_WIDGET_CLASS (dly_video_view_parent_class)->snapshot (widget, snapshot);
}

/* --- GObject --- */

static void
dly_video_view_dispose (GObject *object)
{
  DlyVideoView *self = DLY_VIDEO_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->hide_controls_id, g_source_remove);
  if (self->save_dialog != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->save_dialog));
      g_clear_object (&self->save_dialog);
    }
  if (self->player != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->player, on_player_notify_cb, self);
      dly_player_close (self->player);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), DLY_TYPE_VIDEO_VIEW);

  g_clear_object (&self->own_picture);
  g_clear_object (&self->paintable);
  g_clear_object (&self->player);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dly_video_view_parent_class)->dispose (object);
}

static void
dly_video_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DlyVideoView *self = DLY_VIDEO_VIEW (object);

  switch (prop_id)
    {
    case PROP_PLAYER:
      g_value_set_object (value, self->player);
      break;
    case PROP_LOOP:
      g_value_set_boolean (value, dly_player_get_loop (self->player));
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, dly_player_get_muted (self->player));
      break;
    case PROP_RATE:
      g_value_set_double (value, dly_player_get_rate (self->player));
      break;
    case PROP_VOLUME:
      g_value_set_double (value, dly_player_get_volume (self->player));
      break;
    case PROP_FRAME_SIDE:
      g_value_set_enum (value, self->frame_side);
      break;
    case PROP_CONTROLS_REVEALED:
      g_value_set_boolean (value, dly_video_view_get_controls_revealed (self));
      break;
    case PROP_CONTENT:
      g_value_set_object (value, dly_video_view_get_content (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_video_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DlyVideoView *self = DLY_VIDEO_VIEW (object);

  /* These forward to the player, which notifies; the view passes its notify on. */
  switch (prop_id)
    {
    case PROP_LOOP:
      dly_player_set_loop (self->player, g_value_get_boolean (value));
      break;
    case PROP_MUTED:
      dly_player_set_muted (self->player, g_value_get_boolean (value));
      break;
    case PROP_RATE:
      dly_player_set_rate (self->player, g_value_get_double (value));
      break;
    case PROP_VOLUME:
      dly_player_set_volume (self->player, g_value_get_double (value));
      break;
    case PROP_FRAME_SIDE:
      dly_video_view_set_frame_side (self, g_value_get_enum (value));
      break;
    case PROP_CONTENT:
      dly_video_view_set_content (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_video_view_class_init (DlyVideoViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dly_video_view_dispose;
  object_class->get_property = dly_video_view_get_property;
  object_class->set_property = dly_video_view_set_property;

  widget_class->root = dly_video_view_root;
  widget_class->unroot = dly_video_view_unroot;
  widget_class->snapshot = dly_video_view_snapshot;

  /**
   * DlyVideoView:player:
   * The player the view shows and drives.
   */
  properties[PROP_PLAYER] =
    g_param_spec_object ("player", NULL, NULL, DLY_TYPE_PLAYER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * DlyVideoView:loop:
   * The player's loop, for the `player.loop` action.
   */
  properties[PROP_LOOP] = g_param_spec_boolean ("loop", NULL, NULL, FALSE, rw);

  /**
   * DlyVideoView:muted:
   * The player's mute, for the `player.mute` action.
   */
  properties[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE, rw);

  /**
   * DlyVideoView:rate:
   * The player's speed, for the `player.rate` action.
   */
  properties[PROP_RATE] =
    g_param_spec_double ("rate", NULL, NULL, DLY_PLAYER_RATE_MIN, DLY_PLAYER_RATE_MAX, 1, rw);

  /**
   * DlyVideoView:volume:
   * The player's volume, for the volume slider.
   */
  properties[PROP_VOLUME] = g_param_spec_double ("volume", NULL, NULL, 0, 1, 1, rw);

  /**
   * DlyVideoView:frame-side:
   * Which take the frame actions act on.
   */
  properties[PROP_FRAME_SIDE] =
    g_param_spec_enum ("frame-side", NULL, NULL, DLY_TYPE_PLAYER_SIDE, DLY_PLAYER_SIDE_A, rw);

  /**
   * DlyVideoView:controls-revealed:
   * Whether the controls are showing.
   */
  properties[PROP_CONTROLS_REVEALED] =
    g_param_spec_boolean ("controls-revealed", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * DlyVideoView:content:
   * What shows the video: the view's own picture unless replaced.
   */
  properties[PROP_CONTENT] =
    g_param_spec_object ("content", NULL, NULL, GTK_TYPE_WIDGET, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlyVideoView::use-frame:
   * @texture: the frame shown
   * @position: its stream time, in nanoseconds
   *
   * The user wants this frame as the input image of a new take.
   */
  signals[USE_FRAME] =
    g_signal_new ("use-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, GDK_TYPE_TEXTURE, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-video-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, overlay);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, stack);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, content_bin);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, picture);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, error_page);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, error_detail_label);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, error_expander);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, spinner);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, controls_revealer);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, controls);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, controls_motion);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, position_label);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, scrubber);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, scrubber_adjustment);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, duration_label);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, play_button);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, frame_label);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, end_box);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, rate_button);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, rate_label);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, volume_button);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, volume_adjustment);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, frame_menu_button);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, fullscreen_button);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, compact_play_button);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, compact_frame_label);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, compact_menu_button);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, compact_fullscreen_button);
  gtk_widget_class_bind_template_child (widget_class, DlyVideoView, compact_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_motion_controller_motion_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_click_gesture_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_controls_revealer_child_revealed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_scrubber_change_value_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_scrubber_event_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dly-video-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_install_action (widget_class, "player.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "player.play", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "player.pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "player.seek-backward", NULL, seek_action);
  gtk_widget_class_install_action (widget_class, "player.seek-forward", NULL, seek_action);
  gtk_widget_class_install_action (widget_class, "player.seek-start", NULL, seek_action);
  gtk_widget_class_install_action (widget_class, "player.seek-end", NULL, seek_action);
  gtk_widget_class_install_action (widget_class, "player.step-backward", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "player.step-forward", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "player.fullscreen", NULL, fullscreen_action);
  gtk_widget_class_install_action (widget_class, "player.save-frame", NULL, save_frame_action);
  gtk_widget_class_install_action (widget_class, "player.use-frame", NULL, use_frame_action);
  gtk_widget_class_install_property_action (widget_class, "player.loop", "loop");
  gtk_widget_class_install_property_action (widget_class, "player.mute", "muted");
  gtk_widget_class_install_property_action (widget_class, "player.rate", "rate");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "player.play-pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "player.seek-backward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "player.seek-forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, 0, "player.step-backward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, 0, "player.step-forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "player.seek-start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "player.seek-end", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, 0, "player.loop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, 0, "player.mute", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, 0, "player.fullscreen", NULL);
}

static void
dly_video_view_init (DlyVideoView *self)
{
  g_autofree char *rate = NULL;

  /* Before the template: its property actions read the player's state. */
  self->player = dly_player_new ();
  self->paintable = dly_video_paintable_new (self->player, DLY_PLAYER_SIDE_A);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->paintable));
  self->own_picture = g_object_ref (GTK_WIDGET (self->picture));
  self->last_motion_x = self->last_motion_y = -1;

  g_signal_connect (self->player, "notify", G_CALLBACK (on_player_notify_cb), self);
  g_object_bind_property (self, "volume", self->volume_adjustment, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  rate = format_rate (dly_player_get_rate (self->player));
  gtk_label_set_label (self->rate_label, rate);
  update_duration (self);
  update_volume_icon (self);
  update_state (self);
}

GtkWidget *
dly_video_view_new (void)
{
  return g_object_new (DLY_TYPE_VIDEO_VIEW, NULL);
}

DlyPlayer *
dly_video_view_get_player (DlyVideoView *self)
{
  g_return_val_if_fail (DLY_IS_VIDEO_VIEW (self), NULL);

  return self->player;
}

void
dly_video_view_open (DlyVideoView *self,
                     const char   *location)
{
  g_return_if_fail (DLY_IS_VIDEO_VIEW (self));
  g_return_if_fail (location != NULL);

  dly_player_open (self->player, location);
}

DlyVideoPaintable *
dly_video_view_get_paintable (DlyVideoView *self)
{
  g_return_val_if_fail (DLY_IS_VIDEO_VIEW (self), NULL);

  return self->paintable;
}

GtkWidget *
dly_video_view_get_content (DlyVideoView *self)
{
  g_return_val_if_fail (DLY_IS_VIDEO_VIEW (self), NULL);

  return adw_bin_get_child (self->content_bin);
}

void
dly_video_view_set_content (DlyVideoView *self,
                            GtkWidget    *content)
{
  g_return_if_fail (DLY_IS_VIDEO_VIEW (self));
  g_return_if_fail (content == NULL || GTK_IS_WIDGET (content));

  if (content == NULL)
    content = self->own_picture;
  if (content == adw_bin_get_child (self->content_bin))
    return;

  adw_bin_set_child (self->content_bin, content);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

int
dly_video_view_get_controls_height (DlyVideoView *self,
                                    int           width)
{
  int minimum = 0;

  g_return_val_if_fail (DLY_IS_VIDEO_VIEW (self), 0);

  gtk_widget_measure (self->controls, GTK_ORIENTATION_VERTICAL, width, &minimum, NULL, NULL,
                      NULL);
  return minimum;
}

void
dly_video_view_add_control (DlyVideoView *self,
                            GtkWidget    *widget)
{
  g_return_if_fail (DLY_IS_VIDEO_VIEW (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_box_prepend (self->end_box, widget);
}

void
dly_video_view_add_menu_section (DlyVideoView *self,
                                 GMenuModel   *section)
{
  g_return_if_fail (DLY_IS_VIDEO_VIEW (self));
  g_return_if_fail (G_IS_MENU_MODEL (section));

  g_menu_insert_section (self->compact_menu, 1, NULL, section);
}

DlyPlayerSide
dly_video_view_get_frame_side (DlyVideoView *self)
{
  g_return_val_if_fail (DLY_IS_VIDEO_VIEW (self), DLY_PLAYER_SIDE_A);

  return self->frame_side;
}

void
dly_video_view_set_frame_side (DlyVideoView  *self,
                               DlyPlayerSide  side)
{
  g_return_if_fail (DLY_IS_VIDEO_VIEW (self));

  if (side == self->frame_side)
    return;

  self->frame_side = side;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME_SIDE]);
}

gboolean
dly_video_view_get_controls_revealed (DlyVideoView *self)
{
  g_return_val_if_fail (DLY_IS_VIDEO_VIEW (self), FALSE);

  return gtk_revealer_get_reveal_child (self->controls_revealer);
}

void
dly_video_view_reveal_controls (DlyVideoView *self)
{
  g_return_if_fail (DLY_IS_VIDEO_VIEW (self));

  if (dly_player_get_state (self->player) == DLY_PLAYER_STATE_ERROR)
    return;

  set_cursor_hidden (self, FALSE);
  set_controls_revealed (self, TRUE);
  dly_video_view_schedule_hide (self);
}
