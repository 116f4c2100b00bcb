/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An input of a take (an image or an audio track) as a row: where it comes from, what it is,
 * and whether the backend can take it. Files are read in worker threads: a picked photo can
 * be large and its folder slow. */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "dly-input-picker.h"
#include "dly-lazy-menu.h"
#include "dly-media-info.h"
#include "dly-request.h"

struct _DlyInputPicker
{
  AdwPreferencesRow     parent_instance;

  DlyInputPickerKind    kind;
  char                 *location;       /* a path or an http(s) URL, or NULL */
  DlyInputKinds         accepted;
  char                 *backend_label;
  char                 *read_error;     /* what reading the file found wrong, or NULL */
  char                 *error;          /* why it cannot be sent, or NULL */
  char                 *notice;         /* a paste or drop that held nothing usable */
  char                 *details;
  gboolean              busy;
  GCancellable         *cancellable;    /* owned: reading the current location */
  GtkFileChooserNative *chooser;        /* owned while open */

  /* Template children */
  GtkStack             *thumb_stack;
  GtkImage             *thumb_picture;
  GtkImage             *thumb_icon;
  GtkLabel             *name_label;
  GtkLabel             *details_label;
  GtkLabel             *error_label;
  GtkButton            *open_button;
  GtkMenuButton        *more_button;
  GMenuModel           *more_menu;
  GtkButton            *remove_button;
  GtkRevealer          *url_revealer;
  GtkEntry             *url_entry;
};

G_DEFINE_FINAL_TYPE (DlyInputPicker, dly_input_picker, ADW_TYPE_PREFERENCES_ROW)

G_DEFINE_ENUM_TYPE (DlyInputPickerKind, dly_input_picker_kind,
                    G_DEFINE_ENUM_VALUE (DLY_INPUT_PICKER_IMAGE, "image"),
                    G_DEFINE_ENUM_VALUE (DLY_INPUT_PICKER_AUDIO, "audio"))

enum {
  PROP_0,
  PROP_KIND,
  PROP_LOCATION,
  PROP_ERROR,
  PROP_BUSY,
  PROP_DETAILS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const image_types[] = { "image/jpeg", "image/png", "image/webp", NULL };
static const char * const audio_types[] = { "audio/mpeg", "audio/x-wav", "audio/wav",
                                            "audio/vnd.wave", NULL };
static const char * const image_extensions[] = { "jpg", "jpeg", "png", "webp", NULL };
static const char * const audio_extensions[] = { "mp3", "wav", NULL };

static gboolean
is_image (DlyInputPicker *self)
{
  return self->kind == DLY_INPUT_PICKER_IMAGE;
}

/* "an image" / "audio", in the middle of a sentence. */
static const char *
what (DlyInputPicker *self)
{
  return is_image (self) ? _("image") : _("audio");
}

static const char *
backend_label (DlyInputPicker *self)
{
  return self->backend_label != NULL ? self->backend_label : _("This backend");
}

static goffset
max_size (DlyInputPicker *self)
{
  return is_image (self) ? DLY_INPUT_PICKER_MAX_IMAGE_SIZE : DLY_INPUT_PICKER_MAX_AUDIO_SIZE;
}

static const char *
formats (DlyInputPicker *self)
{
  return is_image (self) ? _("JPG, PNG or WebP") : _("MP3 or WAV");
}

static gboolean
type_is_allowed (DlyInputPicker *self,
                 const char     *content_type)
{
  const char * const *types = is_image (self) ? image_types : audio_types;

  for (guint i = 0; content_type != NULL && types[i] != NULL; i++)
    if (g_content_type_is_a (content_type, types[i])
        || g_content_type_is_mime_type (content_type, types[i]))
      return TRUE;
  return FALSE;
}

/* "JPG", "PNG", "WAV": the short names people know, from the content type. */
static char *
short_type_name (const char *content_type)
{
  static const struct { const char *type; const char *name; } names[] = {
    { "image/jpeg", "JPG" }, { "image/png", "PNG" }, { "image/webp", "WebP" },
    { "audio/mpeg", "MP3" }, { "audio/x-wav", "WAV" }, { "audio/wav", "WAV" },
  };

  for (guint i = 0; content_type != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_content_type_is_a (content_type, names[i].type))
      return g_strdup (names[i].name);
  return content_type != NULL ? g_content_type_get_description (content_type) : NULL;
}

/* The last part of a path or a URL's path, for people. */
static char *
display_name (const char *location)
{
  if (dly_request_location_is_url (location))
    {
      g_autoptr(GUri) uri = g_uri_parse (location, G_URI_FLAGS_NONE, NULL);
      const char *path = uri != NULL ? g_uri_get_path (uri) : NULL;
      g_autofree char *base = path != NULL && *path != '\0' && g_strcmp0 (path, "/") != 0
                              ? g_path_get_basename (path) : NULL;

      if (base != NULL)
        return g_uri_unescape_string (base, NULL);
      return g_strdup (uri != NULL && g_uri_get_host (uri) ? g_uri_get_host (uri) : location);
    }
  return g_filename_display_basename (location);
}

static char *
url_extension (const char *location)
{
  g_autofree char *name = display_name (location);
  const char *dot = strrchr (name, '.');

  return dot != NULL && dot[1] != '\0' ? g_ascii_strdown (dot + 1, -1) : NULL;
}

/* --- state --- */

static void
set_string (char       **field,
            const char  *value,
            GObject     *object,
            GParamSpec  *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  if (pspec != NULL)
    g_object_notify_by_pspec (object, pspec);
}

static void
set_busy (DlyInputPicker *self,
          gboolean        busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_display (DlyInputPicker *self)
{
  gboolean has = self->location != NULL;
  const char *shown_error = self->error != NULL ? self->error : self->notice;
  g_autofree char *name = has ? display_name (self->location) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->remove_button), has);
  gtk_label_set_text (self->name_label,
                      has ? name
                          : is_image (self) ? _("Choose, drop or paste an image")
                                            : _("Choose, drop or paste an audio track"));
  if (has)
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "dim-label");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), self->location);

  if (self->busy)
    gtk_label_set_text (self->details_label, _("Reading…"));
  else
    gtk_label_set_text (self->details_label, self->details != NULL ? self->details : "");
  gtk_widget_set_visible (GTK_WIDGET (self->details_label),
                          self->busy || self->details != NULL);

  gtk_label_set_text (self->error_label, shown_error != NULL ? shown_error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), shown_error != NULL);

  if (gtk_image_get_paintable (self->thumb_picture) != NULL && has)
    gtk_stack_set_visible_child (self->thumb_stack, GTK_WIDGET (self->thumb_picture));
  else
    gtk_stack_set_visible_child (self->thumb_stack, GTK_WIDGET (self->thumb_icon));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "picker.remove", has);
}

/* Checks the location against the backend's rules; reading the file adds its own. */
static void
update_error (DlyInputPicker *self)
{
  g_autofree char *error = NULL;
  g_autofree char *name = NULL;

  if (self->location == NULL)
    goto done;

  name = display_name (self->location);
  if (self->accepted == DLY_INPUT_NONE)
    /* Translators: "LTX-2 server takes no audio; remove it" */
    error = g_strdup_printf (_("%s takes no %s; remove it"), backend_label (self), what (self));
  else if (dly_request_location_is_url (self->location))
    {
      g_autofree char *extension = url_extension (self->location);
      const char * const *extensions = is_image (self) ? image_extensions : audio_extensions;

      if (!(self->accepted & DLY_INPUT_URL))
        error = g_strdup_printf (_("%s uploads the %s from a file and cannot fetch a link: "
                                   "download “%s” and choose the file instead"),
                                 backend_label (self), what (self), name);
      else if (extension != NULL && strlen (extension) <= 4
               && !g_strv_contains (extensions, extension))
        error = g_strdup_printf (_("“%s” does not look like %s: the backend takes %s"),
                                 name, is_image (self) ? _("an image") : _("audio"),
                                 formats (self));
    }
  else if (!(self->accepted & DLY_INPUT_FILE))
    error = g_strdup_printf (_("%s takes the %s only as a link (http or https), not as a file "
                               "from this computer. Upload “%s” where %s can fetch it, then "
                               "paste its link here."),
                             backend_label (self), what (self), name, backend_label (self));
  else if (self->read_error != NULL)
    error = g_strdup (self->read_error);

done:
  set_string (&self->error, error, G_OBJECT (self), properties[PROP_ERROR]);
  update_display (self);
}

/* --- reading a file --- */

typedef struct
{
  DlyInputPickerKind kind;
  char              *path;
  GdkTexture        *texture;
  goffset            size;
  char              *content_type;
  char              *problem;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_free (data->path);
  g_clear_object (&data->texture);
  g_free (data->content_type);
  g_free (data->problem);
  g_free (data);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DlyInputPicker *self = source_object;
  ReadData *data = task_data;
  g_autoptr(GFile) file = g_file_new_for_path (data->path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_filename_display_basename (data->path);

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        data->problem = g_strdup_printf (_("“%s” does not exist"), name);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        data->problem = g_strdup_printf (_("Cannot read “%s”: %s"), name, error->message);
      g_task_return_boolean (task, !g_cancellable_is_cancelled (cancellable));
      return;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      data->problem = g_strdup_printf (_("“%s” is not a file"), name);
      g_task_return_boolean (task, TRUE);
      return;
    }

  data->size = g_file_info_get_size (info);
  data->content_type = g_strdup (g_file_info_get_content_type (info));

  if (!type_is_allowed (self, data->content_type))
    {
      g_autofree char *type = short_type_name (data->content_type);

      data->problem = g_strdup_printf (_("“%s” is %s; the backend takes %s"), name,
                                       type != NULL ? type : _("of an unknown type"),
                                       formats (self));
    }
  else if (data->size > max_size (self))
    {
      g_autofree char *size = g_format_size (data->size);
      g_autofree char *limit = g_format_size (max_size (self));

      /* Translators: "“photo.png” is 12.3 MB; images can be at most 10.0 MB" */
      data->problem = g_strdup_printf (is_image (self)
                                       ? _("“%s” is %s; images can be at most %s")
                                       : _("“%s” is %s; audio can be at most %s"),
                                       name, size, limit);
    }

  /* The thumbnail, and proof that the picture can be read at all. */
  if (data->kind == DLY_INPUT_PICKER_IMAGE && data->problem == NULL)
    {
      data->texture = gdk_texture_new_from_file (file, &error);
      if (data->texture == NULL)
        data->problem = g_strdup_printf (_("“%s” cannot be read as an image: %s"),
                                         name, error->message);
    }

  g_task_return_boolean (task, !g_cancellable_is_cancelled (cancellable));
}

static void
on_media_info_loaded (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(DlyInputPicker) self = user_data;
  g_autoptr(DlyMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = dly_media_info_load_finish (result, &error);
  /* A newer location cancelled this one. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (info == NULL)
    {
      g_autofree char *name = display_name (self->location);

      g_free (self->read_error);
      self->read_error = g_strdup_printf (_("“%s” cannot be read as audio: %s"),
                                          name, error->message);
    }
  else
    {
      double seconds = dly_media_info_get_duration (info) / 1e9;
      g_autofree char *duration = NULL;
      g_autofree char *details = NULL;

      if (seconds < 60)
        /* Translators: a duration in seconds */
        duration = g_strdup_printf (_("%.1f s"), seconds);
      else
        duration = g_strdup_printf ("%d:%02d", (int) seconds / 60, (int) seconds % 60);
      details = self->details != NULL ? g_strdup_printf ("%s · %s", duration, self->details)
                                      : g_strdup (duration);
      set_string (&self->details, details, G_OBJECT (self), properties[PROP_DETAILS]);
    }
  set_busy (self, FALSE);
  update_error (self);
}

static void
on_read_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  DlyInputPicker *self = DLY_INPUT_PICKER (source);
  ReadData *data = g_task_get_task_data (G_TASK (result));
  g_autofree char *details = NULL;
  g_autofree char *size = NULL;
  g_autofree char *type = NULL;

  /* A newer location took over, or the picker went away. */
  if (!g_task_propagate_boolean (G_TASK (result), NULL)
      || g_strcmp0 (data->path, self->location) != 0)
    return;

  g_clear_pointer (&self->read_error, g_free);
  self->read_error = g_steal_pointer (&data->problem);
  gtk_image_set_from_paintable (self->thumb_picture, GDK_PAINTABLE (data->texture));

  if (data->content_type != NULL)
    {
      size = g_format_size (data->size);
      type = short_type_name (data->content_type);
      if (data->texture != NULL)
        details = g_strdup_printf ("%d × %d · %s · %s",
                                   gdk_texture_get_width (data->texture),
                                   gdk_texture_get_height (data->texture), size, type);
      else
        details = g_strdup_printf ("%s · %s", size, type);
    }
  set_string (&self->details, details, G_OBJECT (self), properties[PROP_DETAILS]);

  if (data->kind == DLY_INPUT_PICKER_AUDIO && self->read_error == NULL)
    {
      /* The duration comes from GStreamer, itself off the main thread. */
      dly_media_info_load_async (data->path, self->cancellable, on_media_info_loaded,
                                 g_object_ref (self));
      update_error (self);
      return;
    }

  set_busy (self, FALSE);
  update_error (self);
}

static void
start_reading (DlyInputPicker *self)
{
  g_autoptr(GTask) task = NULL;
  ReadData *data;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->read_error, g_free);
  gtk_image_clear (self->thumb_picture);
  set_string (&self->details, NULL, G_OBJECT (self), properties[PROP_DETAILS]);

  if (self->location == NULL || dly_request_location_is_url (self->location))
    {
      /* Links are not fetched: the backend does that. Say where it points. */
      if (self->location != NULL)
        {
          g_autoptr(GUri) uri = g_uri_parse (self->location, G_URI_FLAGS_NONE, NULL);
          g_autofree char *details = NULL;

          if (uri != NULL && g_uri_get_host (uri) != NULL)
            /* Translators: %s is a host name, "example.com" */
            details = g_strdup_printf (_("Link to %s"), g_uri_get_host (uri));
          set_string (&self->details, details, G_OBJECT (self), properties[PROP_DETAILS]);
        }
      set_busy (self, FALSE);
      update_error (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  data = g_new0 (ReadData, 1);
  data->kind = self->kind;
  data->path = g_strdup (self->location);
  task = g_task_new (self, self->cancellable, on_read_done, NULL);
  g_task_set_source_tag (task, start_reading);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  set_busy (self, TRUE);
  update_error (self);
  g_task_run_in_thread (task, read_thread);
}

/* --- where inputs come from --- */

static void
set_notice (DlyInputPicker *self,
            const char     *notice)
{
  set_string (&self->notice, notice, NULL, NULL);
  update_display (self);
}

/* Text from a paste, a drop or the URL entry: a link, a file URI or an absolute path. */
static gboolean
use_text (DlyInputPicker *self,
          const char     *text)
{
  g_auto(GStrv) lines = NULL;
  char *first;

  if (text == NULL)
    return FALSE;
  /* A text/uri-list holds one URI a line; the first one counts. */
  lines = g_strsplit (text, "\n", 2);
  first = g_strstrip (lines[0]);
  if (dly_request_location_is_url (first) || g_str_has_prefix (first, "file://")
      || g_path_is_absolute (first))
    {
      dly_input_picker_set_location (self, first);
      return TRUE;
    }
  return FALSE;
}

static void
use_file (DlyInputPicker *self,
          GFile          *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *uri = NULL;

  if (path != NULL)
    {
      dly_input_picker_set_location (self, path);
      return;
    }
  uri = g_file_get_uri (file);
  if (!use_text (self, uri))
    set_notice (self, _("Only local files and http(s) links can be used"));
}

/* A pasted or dropped picture becomes a PNG in the cache, so that it can be uploaded and
 * its take reproduced. */
static void
save_texture_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GdkTexture *texture = task_data;
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (texture);
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "dailies", "inputs", NULL);
  g_autofree char *checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errno),
                               _("Cannot create %s: %s"), dir, g_strerror (errno));
      return;
    }
  /* Named by content: pasting the same picture twice makes one file. */
  checksum[16] = '\0';
  name = g_strdup_printf ("pasted-%s.png", checksum);
  path = g_build_filename (dir, name, NULL);
  if (!g_file_set_contents (path, g_bytes_get_data (png, NULL), (gssize) g_bytes_get_size (png),
                            &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&path), g_free);
}

static void
on_texture_saved (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DlyInputPicker *self = DLY_INPUT_PICKER (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_task_propagate_pointer (G_TASK (result), &error);

  if (path == NULL)
    {
      g_autofree char *notice = g_strdup_printf (_("Could not keep the pasted picture: %s"),
                                                 error->message);

      set_notice (self, notice);
      return;
    }
  dly_input_picker_set_location (self, path);
}

static void
use_texture (DlyInputPicker *self,
             GdkTexture     *texture)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_texture_saved, NULL);

  g_task_set_source_tag (task, use_texture);
  g_task_set_task_data (task, g_object_ref (texture), g_object_unref);
  g_task_run_in_thread (task, save_texture_thread);
}

static gboolean
use_value (DlyInputPicker *self,
           const GValue   *value)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));
      gboolean used = files != NULL;

      if (used)
        use_file (self, files->data);
      g_slist_free (files);
      return used;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_FILE) && g_value_get_object (value) != NULL)
    {
      use_file (self, g_value_get_object (value));
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE) && g_value_get_object (value) != NULL
      && is_image (self))
    {
      use_texture (self, g_value_get_object (value));
      return TRUE;
    }
  if (G_VALUE_HOLDS_STRING (value))
    return use_text (self, g_value_get_string (value));
  return FALSE;
}

static gboolean
on_drop_target_drop_cb (GtkDropTarget  *target,
                        const GValue   *value,
                        double          x,
                        double          y,
                        DlyInputPicker *self)
{
  if (use_value (self, value))
    return TRUE;
  set_notice (self, is_image (self) ? _("Drop an image file, a picture or a link")
                                    : _("Drop an audio file or a link"));
  return FALSE;
}

static void
on_clipboard_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DlyInputPicker) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, &error);

  if (value == NULL || !use_value (self, value))
    set_notice (self, is_image (self) ? _("The clipboard holds no image file, picture or link")
                                      : _("The clipboard holds no audio file or link"));
}

static void
on_clipboard_text_read (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(DlyInputPicker) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);

  if (!use_text (self, text))
    set_notice (self, is_image (self) ? _("The clipboard holds no image file, picture or link")
                                      : _("The clipboard holds no audio file or link"));
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DlyInputPicker *self = DLY_INPUT_PICKER (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GdkContentFormats *available = gdk_clipboard_get_formats (clipboard);
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE, GDK_TYPE_TEXTURE };

  set_notice (self, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (types[i] == GDK_TYPE_TEXTURE && !is_image (self))
        continue;
      if (gdk_content_formats_contain_gtype (available, types[i]))
        {
          gdk_clipboard_read_value_async (clipboard, types[i], G_PRIORITY_DEFAULT, NULL,
                                          on_clipboard_read, g_object_ref (self));
          return;
        }
    }
  gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text_read, g_object_ref (self));
}

static void
on_chooser_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        DlyInputPicker  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        use_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DlyInputPicker *self = DLY_INPUT_PICKER (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  const char * const *types = is_image (self) ? image_types : audio_types;
  const char * const *extensions = is_image (self) ? image_extensions : audio_extensions;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }

  self->chooser = gtk_file_chooser_native_new (is_image (self) ? _("Choose an Image")
                                                                : _("Choose an Audio Track"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  gtk_file_filter_set_name (filter, is_image (self) ? _("Images (JPG, PNG, WebP)")
                                                    : _("Audio (MP3, WAV)"));
  for (guint i = 0; types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, types[i]);
  /* Portals match by name where the type is unknown. */
  for (guint i = 0; extensions[i] != NULL; i++)
    {
      g_autofree char *pattern = g_strdup_printf ("*.%s", extensions[i]);
      g_autofree char *upper = g_ascii_strup (pattern, -1);

      gtk_file_filter_add_pattern (filter, pattern);
      gtk_file_filter_add_pattern (filter, upper);
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  dly_input_picker_set_location (DLY_INPUT_PICKER (widget), NULL);
}

static void
show_url_entry (DlyInputPicker *self,
                gboolean        show)
{
  gtk_revealer_set_reveal_child (self->url_revealer, show);
  gtk_widget_set_visible (GTK_WIDGET (self->url_revealer), show);
  if (show)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->url_entry),
                             dly_request_location_is_url (self->location) ? self->location : "");
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
    }
}

static void
enter_url_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DlyInputPicker *self = DLY_INPUT_PICKER (widget);

  show_url_entry (self, !gtk_revealer_get_reveal_child (self->url_revealer));
}

static void
on_url_entry_activate_cb (GtkEntry       *entry,
                          DlyInputPicker *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (*stripped == '\0')
    {
      show_url_entry (self, FALSE);
      return;
    }
  if (!dly_request_location_is_url (stripped))
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      set_notice (self, _("Enter a link that starts with http:// or https://"));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  dly_input_picker_set_location (self, stripped);
  show_url_entry (self, FALSE);
}

static void
on_use_button_clicked_cb (GtkButton      *button,
                          DlyInputPicker *self)
{
  on_url_entry_activate_cb (self->url_entry, self);
}

static void
on_url_entry_changed_cb (GtkEditable    *entry,
                         DlyInputPicker *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
}

/* --- GObject --- */

static void
dly_input_picker_constructed (GObject *object)
{
  DlyInputPicker *self = DLY_INPUT_PICKER (object);
  gboolean image = is_image (self);

  G_OBJECT_CLASS (dly_input_picker_parent_class)->constructed (object);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), image ? _("Image") : _("Audio"));
  gtk_image_set_from_icon_name (self->thumb_icon,
                                image ? "image-x-generic-symbolic" : "audio-x-generic-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->open_button),
                               image ? _("Choose an Image File") : _("Choose an Audio File"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->more_button),
                               image ? _("Paste or Link an Image") : _("Paste or Link Audio"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->remove_button),
                               image ? _("Remove the Image") : _("Remove the Audio"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->open_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_widget_get_tooltip_text (GTK_WIDGET (self->open_button)),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->more_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_widget_get_tooltip_text (GTK_WIDGET (self->more_button)),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_widget_get_tooltip_text (GTK_WIDGET (self->remove_button)),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->url_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  image ? _("Image Link") : _("Audio Link"), -1);
  gtk_entry_set_placeholder_text (self->url_entry,
                                  image ? "https://example.com/portrait.jpg"
                                        : "https://example.com/speech.mp3");
  update_error (self);
}

static void
dly_input_picker_dispose (GObject *object)
{
  DlyInputPicker *self = DLY_INPUT_PICKER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), DLY_TYPE_INPUT_PICKER);

  G_OBJECT_CLASS (dly_input_picker_parent_class)->dispose (object);
}

static void
dly_input_picker_finalize (GObject *object)
{
  DlyInputPicker *self = DLY_INPUT_PICKER (object);

  g_free (self->location);
  g_free (self->backend_label);
  g_free (self->read_error);
  g_free (self->error);
  g_free (self->notice);
  g_free (self->details);

  G_OBJECT_CLASS (dly_input_picker_parent_class)->finalize (object);
}

static void
dly_input_picker_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DlyInputPicker *self = DLY_INPUT_PICKER (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_DETAILS:
      g_value_set_string (value, self->details);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_input_picker_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DlyInputPicker *self = DLY_INPUT_PICKER (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_LOCATION:
      dly_input_picker_set_location (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_input_picker_class_init (DlyInputPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = dly_input_picker_constructed;
  object_class->dispose = dly_input_picker_dispose;
  object_class->finalize = dly_input_picker_finalize;
  object_class->get_property = dly_input_picker_get_property;
  object_class->set_property = dly_input_picker_set_property;

  /**
   * DlyInputPicker:kind:
   * Whether it picks an image or an audio track.
   */
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, DLY_TYPE_INPUT_PICKER_KIND, DLY_INPUT_PICKER_IMAGE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * DlyInputPicker:location:
   * The input: a local path or an http(s) URL, or %NULL.
   */
  properties[PROP_LOCATION] =
    g_param_spec_string ("location", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * DlyInputPicker:error:
   * Why the input cannot be sent, or %NULL.
   */
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);

  /**
   * DlyInputPicker:busy:
   * Whether the file is still being read.
   */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);

  /**
   * DlyInputPicker:details:
   * What the input is, in one line, or %NULL before it is known.
   */
  properties[PROP_DETAILS] = g_param_spec_string ("details", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "picker.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "picker.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "picker.enter-url", NULL, enter_url_action);
  gtk_widget_class_install_action (widget_class, "picker.remove", NULL, remove_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK,
                                       "picker.paste", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dailies/Dailies/ui/dly-input-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, DlyInputPicker, thumb_stack);
  gtk_widget_class_bind_template_child (widget_class, DlyInputPicker, thumb_picture);
  gtk_widget_class_bind_template_child (widget_class, DlyInputPicker, thumb_icon);
  gtk_widget_class_bind_template_child (widget_class, DlyInputPicker, name_label);
  gtk_widget_class_bind_template_child (widget_class, DlyInputPicker, details_label);
  gtk_widget_class_bind_template_child (widget_class, DlyInputPicker, error_label);
  gtk_widget_class_bind_template_child (widget_class, DlyInputPicker, open_button);
  gtk_widget_class_bind_template_child (widget_class, DlyInputPicker, more_button);
  gtk_widget_class_bind_template_child (widget_class, DlyInputPicker, more_menu);
  gtk_widget_class_bind_template_child (widget_class, DlyInputPicker, remove_button);
  gtk_widget_class_bind_template_child (widget_class, DlyInputPicker, url_revealer);
  gtk_widget_class_bind_template_child (widget_class, DlyInputPicker, url_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_url_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_use_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_url_entry_changed_cb);
}

static void
dly_input_picker_init (DlyInputPicker *self)
{
  GtkDropTarget *target;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE, GDK_TYPE_TEXTURE, G_TYPE_STRING };

  self->accepted = DLY_INPUT_FILE | DLY_INPUT_URL;
  gtk_widget_init_template (GTK_WIDGET (self));
  dly_lazy_menu_attach (self->more_button, self->more_menu);

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop_target_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

GtkWidget *
dly_input_picker_new (DlyInputPickerKind kind)
{
  return g_object_new (DLY_TYPE_INPUT_PICKER, "kind", kind, NULL);
}

DlyInputPickerKind
dly_input_picker_get_kind (DlyInputPicker *self)
{
  g_return_val_if_fail (DLY_IS_INPUT_PICKER (self), DLY_INPUT_PICKER_IMAGE);
  return self->kind;
}

const char *
dly_input_picker_get_location (DlyInputPicker *self)
{
  g_return_val_if_fail (DLY_IS_INPUT_PICKER (self), NULL);
  return self->location;
}

void
dly_input_picker_set_location (DlyInputPicker *self,
                               const char     *location)
{
  g_autofree char *normalized = NULL;

  g_return_if_fail (DLY_IS_INPUT_PICKER (self));

  if (location != NULL)
    {
      normalized = g_strstrip (g_strdup (location));
      if (g_str_has_prefix (normalized, "file://"))
        {
          char *path = g_filename_from_uri (normalized, NULL, NULL);

          if (path != NULL)
            {
              g_free (normalized);
              normalized = path;
            }
        }
      if (*normalized == '\0')
        g_clear_pointer (&normalized, g_free);
    }

  set_string (&self->notice, NULL, NULL, NULL);
  if (g_strcmp0 (normalized, self->location) == 0)
    {
      update_display (self);
      return;
    }

  g_free (self->location);
  self->location = g_steal_pointer (&normalized);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION]);
  start_reading (self);
}

void
dly_input_picker_set_accepted (DlyInputPicker *self,
                               DlyInputKinds   accepted,
                               const char     *backend_label)
{
  g_return_if_fail (DLY_IS_INPUT_PICKER (self));

  self->accepted = accepted;
  g_free (self->backend_label);
  self->backend_label = g_strdup (backend_label);
  update_error (self);
}

const char *
dly_input_picker_get_error (DlyInputPicker *self)
{
  g_return_val_if_fail (DLY_IS_INPUT_PICKER (self), NULL);
  return self->error;
}

gboolean
dly_input_picker_get_busy (DlyInputPicker *self)
{
  g_return_val_if_fail (DLY_IS_INPUT_PICKER (self), FALSE);
  return self->busy;
}

const char *
dly_input_picker_get_details (DlyInputPicker *self)
{
  g_return_val_if_fail (DLY_IS_INPUT_PICKER (self), NULL);
  return self->details;
}
