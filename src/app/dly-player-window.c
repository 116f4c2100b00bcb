/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>

#include "dly-media-info.h"
#include "dly-player-window.h"
#include "dly-toast.h"

struct _DlyPlayerWindow
{
  AdwApplicationWindow  parent_instance;

  char                 *locations[2];   /* owned; the second is NULL with one file */
  DlyMediaInfo         *infos[2];       /* owned once loaded */
  guint                 n_pending;
  GCancellable         *cancellable;    /* owned; cancelled when the window goes */
  DlyVideoView         *video_view;     /* borrowed from the widget tree */
  DlyCompareView       *compare_view;   /* borrowed from the widget tree; NULL for one */
  gboolean              flap_before_fullscreen;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkToggleButton      *info_button;
  AdwFlap              *flap;
  AdwBin               *view_bin;
  GtkBox               *info_box;
};

G_DEFINE_FINAL_TYPE (DlyPlayerWindow, dly_player_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_LOCATION_A,
  PROP_LOCATION_B,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
n_files (DlyPlayerWindow *self)
{
  return self->locations[1] != NULL ? 2 : 1;
}

static char *
display_name (const char *location)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (location);
  g_autofree char *basename = g_file_get_basename (file);

  return g_filename_display_name (basename != NULL ? basename : location);
}

/* --- the info panel --- */

static GtkWidget *
make_fact_row (const char *label,
               const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  /* The value as the subtitle: long codec names wrap under their label, not beside it. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  return row;
}

static char *
group_title (DlyPlayerWindow *self,
             guint            index)
{
  g_autofree char *name = display_name (self->locations[index]);

  if (n_files (self) == 1)
    return g_steal_pointer (&name);

  return g_strdup_printf ("%s · %s", index == 0 ? "A" : "B", name);
}

static void
fill_info_group (DlyPlayerWindow *self,
                 guint            index,
                 const GError    *error)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *old = NULL;
  g_autofree char *title = group_title (self, index);
  guint i = 0;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);

  if (self->infos[index] != NULL)
    {
      g_auto(GStrv) rows = dly_media_info_to_rows (self->infos[index]);

      for (char **row = rows; row[0] != NULL && row[1] != NULL; row += 2)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), make_fact_row (row[0], row[1]));
    }
  else if (error != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), error->message);
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), _("Reading…"));

  /* Replace this file's group in place, keeping A above B. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->info_box));
       child != NULL; child = gtk_widget_get_next_sibling (child), i++)
    if (i == index)
      {
        old = child;
        break;
      }

  gtk_box_insert_child_after (self->info_box, group, old);
  if (old != NULL)
    gtk_box_remove (self->info_box, old);
}

static void
update_compare_labels (DlyPlayerWindow *self)
{
  g_autofree char *title_a = NULL;
  g_autofree char *title_b = NULL;
  g_autofree char *diff_a = NULL;
  g_autofree char *diff_b = NULL;
  g_autofree char *left = NULL;
  g_autofree char *right = NULL;

  if (self->compare_view == NULL || self->infos[0] == NULL || self->infos[1] == NULL)
    return;

  /* File names, and the media facts in which each take differs from the other. */
  title_a = group_title (self, 0);
  title_b = group_title (self, 1);
  diff_a = dly_media_info_describe_difference (self->infos[0], self->infos[1]);
  diff_b = dly_media_info_describe_difference (self->infos[1], self->infos[0]);
  left = diff_a != NULL ? g_strdup_printf ("%s\n%s", title_a, diff_a) : g_strdup (title_a);
  right = diff_b != NULL ? g_strdup_printf ("%s\n%s", title_b, diff_b) : g_strdup (title_b);
  dly_compare_view_set_labels (self->compare_view, left, right);
}

typedef struct
{
  DlyPlayerWindow *self;      /* owned */
  guint            index;
} InfoLoad;

static void
on_media_info_loaded_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  InfoLoad *load = user_data;
  g_autoptr(DlyPlayerWindow) self = load->self;
  guint index = load->index;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyMediaInfo) info = dly_media_info_load_finish (result, &error);

  g_free (load);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->infos[index] = g_steal_pointer (&info);
  self->n_pending--;
  fill_info_group (self, index, error);
  update_compare_labels (self);
}

/* --- frames handed on --- */

static void
on_use_frame_saved_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  DlyVideoView *view = DLY_VIDEO_VIEW (source);
  DlyPlayerWindow *self;
  g_autofree char *text = NULL;

  if (!dly_video_view_save_frame_finish (view, result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = DLY_PLAYER_WINDOW (gtk_widget_get_root (GTK_WIDGET (view)));
  if (self == NULL)
    return;

  if (error != NULL)
    text = g_strdup_printf (_("Could not keep the frame: %s"), error->message);
  else
    {
      g_autofree char *path = g_file_get_path (file);
      const char *home = g_get_home_dir ();
      g_autofree char *shown = NULL;

      if (path != NULL && g_str_has_prefix (path, home) && path[strlen (home)] == '/')
        shown = g_strconcat ("~", path + strlen (home), NULL);
      else
        shown = g_strdup (path);

      /* Until the composer can take it, say where the frame is so it can be used by hand. */
      text = g_strdup_printf (_("Frame kept for the next take: %s"), shown);
    }
  dly_toast_show (GTK_WIDGET (self->toast_overlay), text);
}

static void
on_video_view_use_frame_cb (DlyVideoView    *view,
                            GdkTexture      *texture,
                            gint64           position,
                            DlyPlayerWindow *self)
{
  g_autofree char *name = dly_video_view_dup_frame_file_name (view);
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "dailies", "frames", name,
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  dly_video_view_save_frame_async (view, file, self->cancellable, on_use_frame_saved_cb,
                                   g_object_ref (file));
}

/* --- fullscreen: only the video --- */

static void
on_fullscreened_cb (DlyPlayerWindow *self,
                    GParamSpec      *pspec,
                    gpointer         user_data)
{
  gboolean fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->header_bar), !fullscreen);
  if (fullscreen)
    {
      self->flap_before_fullscreen = adw_flap_get_reveal_flap (self->flap);
      adw_flap_set_reveal_flap (self->flap, FALSE);
    }
  else
    adw_flap_set_reveal_flap (self->flap, self->flap_before_fullscreen);
}

static void
on_flap_folded_cb (AdwFlap         *flap,
                   GParamSpec      *pspec,
                   DlyPlayerWindow *self)
{
  /* Beside the video when there is room; over it, and only when asked, when there is not. */
  if (!gtk_window_is_fullscreen (GTK_WINDOW (self)))
    adw_flap_set_reveal_flap (flap, !adw_flap_get_folded (flap));
}

static gboolean
toggle_info_cb (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  DlyPlayerWindow *self = DLY_PLAYER_WINDOW (widget);

  gtk_toggle_button_set_active (self->info_button,
                                !gtk_toggle_button_get_active (self->info_button));
  return TRUE;
}

/* --- GObject --- */

static void
dly_player_window_constructed (GObject *object)
{
  DlyPlayerWindow *self = DLY_PLAYER_WINDOW (object);
  g_autofree char *name_a = NULL;
  g_autofree char *name_b = NULL;

  G_OBJECT_CLASS (dly_player_window_parent_class)->constructed (object);

  g_return_if_fail (self->locations[0] != NULL);

  name_a = display_name (self->locations[0]);
  if (self->locations[1] == NULL)
    {
      self->video_view = DLY_VIDEO_VIEW (dly_video_view_new ());
      adw_bin_set_child (self->view_bin, GTK_WIDGET (self->video_view));
      dly_video_view_open (self->video_view, self->locations[0]);
      adw_window_title_set_title (self->window_title, name_a);
      gtk_window_set_title (GTK_WINDOW (self), name_a);
    }
  else
    {
      g_autofree char *subtitle = NULL;

      name_b = display_name (self->locations[1]);
      self->compare_view = DLY_COMPARE_VIEW (dly_compare_view_new ());
      self->video_view = dly_compare_view_get_video_view (self->compare_view);
      adw_bin_set_child (self->view_bin, GTK_WIDGET (self->compare_view));
      dly_compare_view_open (self->compare_view, self->locations[0], self->locations[1]);
      subtitle = g_strdup_printf ("%s · %s", name_a, name_b);
      adw_window_title_set_title (self->window_title, _("Compare Takes"));
      adw_window_title_set_subtitle (self->window_title, subtitle);
      gtk_window_set_title (GTK_WINDOW (self), subtitle);
    }

  g_signal_connect_object (self->video_view, "use-frame",
                           G_CALLBACK (on_video_view_use_frame_cb), self, G_CONNECT_DEFAULT);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->video_view));

  for (guint i = 0; i < n_files (self); i++)
    {
      InfoLoad *load = g_new0 (InfoLoad, 1);

      load->self = g_object_ref (self);
      load->index = i;
      self->n_pending++;
      fill_info_group (self, i, NULL);
      dly_media_info_load_async (self->locations[i], self->cancellable,
                                 on_media_info_loaded_cb, load);
    }
}

static void
dly_player_window_dispose (GObject *object)
{
  DlyPlayerWindow *self = DLY_PLAYER_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DLY_TYPE_PLAYER_WINDOW);
  self->video_view = NULL;
  self->compare_view = NULL;
  g_clear_object (&self->infos[0]);
  g_clear_object (&self->infos[1]);

  G_OBJECT_CLASS (dly_player_window_parent_class)->dispose (object);
}

static void
dly_player_window_finalize (GObject *object)
{
  DlyPlayerWindow *self = DLY_PLAYER_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->locations[0], g_free);
  g_clear_pointer (&self->locations[1], g_free);

  G_OBJECT_CLASS (dly_player_window_parent_class)->finalize (object);
}

static void
dly_player_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DlyPlayerWindow *self = DLY_PLAYER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOCATION_A:
      g_value_set_string (value, self->locations[0]);
      break;
    case PROP_LOCATION_B:
      g_value_set_string (value, self->locations[1]);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_player_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DlyPlayerWindow *self = DLY_PLAYER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOCATION_A:
      self->locations[0] = g_value_dup_string (value);
      break;
    case PROP_LOCATION_B:
      self->locations[1] = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_player_window_class_init (DlyPlayerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = dly_player_window_constructed;
  object_class->dispose = dly_player_window_dispose;
  object_class->finalize = dly_player_window_finalize;
  object_class->get_property = dly_player_window_get_property;
  object_class->set_property = dly_player_window_set_property;

  /**
   * DlyPlayerWindow:location-a:
   * The file to play (a path or URI).
   */
  properties[PROP_LOCATION_A] = g_param_spec_string ("location-a", NULL, NULL, NULL, flags);

  /**
   * DlyPlayerWindow:location-b:
   * A second file to compare with the first, or NULL.
   */
  properties[PROP_LOCATION_B] = g_param_spec_string ("location-b", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-player-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlyPlayerWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DlyPlayerWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, DlyPlayerWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DlyPlayerWindow, info_button);
  gtk_widget_class_bind_template_child (widget_class, DlyPlayerWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, DlyPlayerWindow, view_bin);
  gtk_widget_class_bind_template_child (widget_class, DlyPlayerWindow, info_box);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_F9, 0, toggle_info_cb, NULL);
}

static void
dly_player_window_init (DlyPlayerWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->flap_before_fullscreen = TRUE;
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (on_fullscreened_cb), NULL);
  g_signal_connect (self->flap, "notify::folded", G_CALLBACK (on_flap_folded_cb), self);
}

DlyPlayerWindow *
dly_player_window_new (GtkApplication *application,
                       const char     *location_a,
                       const char     *location_b)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (location_a != NULL, NULL);

  return g_object_new (DLY_TYPE_PLAYER_WINDOW,
                       "application", application,
                       "location-a", location_a,
                       "location-b", location_b,
                       NULL);
}

DlyVideoView *
dly_player_window_get_video_view (DlyPlayerWindow *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER_WINDOW (self), NULL);

  return self->video_view;
}

DlyCompareView *
dly_player_window_get_compare_view (DlyPlayerWindow *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER_WINDOW (self), NULL);

  return self->compare_view;
}

gboolean
dly_player_window_get_info_loaded (DlyPlayerWindow *self)
{
  g_return_val_if_fail (DLY_IS_PLAYER_WINDOW (self), FALSE);

  return self->n_pending == 0;
}
