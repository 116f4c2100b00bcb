/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dly-error.h"
#include "dly-selfhosted-private.h"

const char *
dly_selfhosted_get_string (JsonObject *object,
                           const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

char *
dly_selfhosted_object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

char *
dly_selfhosted_body_start (GBytes *body)
{
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  g_autofree char *text = g_utf8_make_valid (data ? data : "", MIN (size, 80));

  return g_strdup (g_strstrip (text));
}

/* Celery's ids are UUID strings, but a plain integer id is just as usable. */
char *
dly_selfhosted_get_task_id (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "task_id");
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_STRING)
    {
      const char *id = json_node_get_string (node);

      if (id != NULL && *id != '\0' && strlen (id) <= 256)
        return g_strdup (id);
    }
  return NULL;
}

/* One FastAPI validation item ({"loc":["body","width"],"msg":"..."}) as "width: ...". */
static char *
describe_detail_item (JsonNode *item)
{
  static const char * const sources[] = { "body", "query", "path", "form", "header", NULL };
  g_autoptr(GString) where = g_string_new (NULL);
  JsonObject *object;
  JsonNode *loc;
  const char *msg;

  if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (item));
  if (!JSON_NODE_HOLDS_OBJECT (item))
    return json_to_string (item, FALSE);

  object = json_node_get_object (item);
  msg = dly_selfhosted_get_string (object, "msg");
  if (msg == NULL)
    msg = dly_selfhosted_get_string (object, "message");
  if (msg == NULL)
    return json_to_string (item, FALSE);

  loc = json_object_get_member (object, "loc");
  if (loc != NULL && JSON_NODE_HOLDS_ARRAY (loc))
    {
      JsonArray *parts = json_node_get_array (loc);
      guint n = json_array_get_length (parts);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *part = json_array_get_element (parts, i);
          g_autofree char *text = NULL;

          if (!JSON_NODE_HOLDS_VALUE (part))
            continue;
          if (json_node_get_value_type (part) == G_TYPE_STRING)
            text = g_strdup (json_node_get_string (part));
          else if (json_node_get_value_type (part) == G_TYPE_INT64)
            text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (part));
          else
            continue;
          /* "body" or "query" only says where FastAPI looked, not what was wrong. */
          if (i == 0 && n > 1 && g_strv_contains (sources, text))
            continue;
          if (where->len > 0)
            g_string_append_c (where, '.');
          g_string_append (where, text);
        }
    }
  if (where->len == 0)
    return g_strdup (msg);
  return g_strdup_printf ("%s: %s", where->str, msg);
}

char *
dly_selfhosted_error_text (GBytes *body)
{
  g_autoptr(JsonObject) object = dly_backend_parse_json_object (body, NULL);

  if (object == NULL)
    return NULL;
  return dly_selfhosted_error_text_from_object (object);
}

char *
dly_selfhosted_error_text_from_object (JsonObject *object)
{
  JsonNode *detail;
  const char *text;

  detail = json_object_get_member (object, "detail");
  if (detail != NULL && JSON_NODE_HOLDS_ARRAY (detail))
    {
      JsonArray *items = json_node_get_array (detail);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) lines = NULL;

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          g_autofree char *line = describe_detail_item (json_array_get_element (items, i));

          g_strv_builder_add (builder, line);
        }
      lines = g_strv_builder_end (builder);
      if (lines[0] != NULL)
        return g_strjoinv ("; ", lines);
    }
  else if (detail != NULL && !JSON_NODE_HOLDS_NULL (detail))
    return describe_detail_item (detail);

  if ((text = dly_selfhosted_get_string (object, "error")) != NULL
      || (text = dly_selfhosted_get_string (object, "message")) != NULL)
    return g_strdup (text);
  return NULL;
}

void
dly_selfhosted_set_http_error (DlyBackend  *self,
                               SoupMessage *message,
                               GBytes      *body,
                               GError     **error)
{
  g_autofree char *text = dly_selfhosted_error_text (body);

  dly_backend_set_http_error (self, message, body, text, error);
}

void
dly_selfhosted_append_form_params (DlyBackend    *self,
                                   DlyRequest    *request,
                                   DlyMode        mode,
                                   SoupMultipart *multipart)
{
  GParamSpec **params;
  guint n_params = 0;

  params = dly_backend_list_params (self, &n_params);
  for (guint i = 0; i < n_params; i++)
    {
      const char *name = g_param_spec_get_name (params[i]);
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *text = NULL;

      if (!(dly_param_get_modes (params[i]) & DLY_MODE_TO_FLAG (mode))
          || !dly_backend_get_param_value (self, request, name, &value))
        continue;
      text = dly_param_format_value (params[i], &value);
      soup_multipart_append_form_string (multipart, name, text);
    }
}

void
dly_selfhosted_set_multipart_body (SoupMessage   *message,
                                   SoupMultipart *multipart)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *content_type = NULL;

  soup_multipart_to_message (multipart, headers, &body);
  /* Copied: setting the body replaces the header that holds the boundary. */
  content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  soup_message_set_request_body_from_bytes (message, content_type, body);
}

/* Input images */

static const struct
{
  DlyImageFormats format;
  const char     *name;
  const char     *content_type;
  gsize           offset;
  gsize           length;
  const char     *magic;
} image_magics[] = {
  { DLY_IMAGE_FORMAT_JPEG, "JPEG", "image/jpeg", 0, 3, "\xff\xd8\xff" },
  { DLY_IMAGE_FORMAT_PNG, "PNG", "image/png", 0, 8, "\x89PNG\r\n\x1a\n" },
  { DLY_IMAGE_FORMAT_WEBP, "WebP", "image/webp", 8, 4, "WEBP" },  /* after "RIFF" and a size */
  { DLY_IMAGE_FORMAT_BMP, "BMP", "image/bmp", 0, 2, "BM" },
  { DLY_IMAGE_FORMAT_GIF, "GIF", "image/gif", 0, 4, "GIF8" },
};

/* By content, never by the file's name. */
static const char *
sniff_image (GBytes          *bytes,
             DlyImageFormats  formats)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  for (guint i = 0; i < G_N_ELEMENTS (image_magics); i++)
    {
      if (!(formats & image_magics[i].format)
          || size < image_magics[i].offset + image_magics[i].length)
        continue;
      if (image_magics[i].format == DLY_IMAGE_FORMAT_WEBP && memcmp (data, "RIFF", 4) != 0)
        continue;
      if (memcmp (data + image_magics[i].offset, image_magics[i].magic, image_magics[i].length) == 0)
        return image_magics[i].content_type;
    }
  return NULL;
}

static char *
format_names (DlyImageFormats formats)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (image_magics); i++)
    if (formats & image_magics[i].format)
      g_strv_builder_add (builder, image_magics[i].name);
  names = g_strv_builder_end (builder);
  return g_strjoinv (", ", names);
}

GBytes *
dly_selfhosted_load_image (DlyBackend       *self,
                           const char       *location,
                           DlyImageFormats   formats,
                           goffset           max_size,
                           char            **filename,
                           const char      **content_type,
                           GError          **error)
{
  const char *label = dly_backend_get_label (self);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  goffset size;

  if (g_ascii_strncasecmp (location, "file://", 7) == 0)
    file = g_file_new_for_uri (location);
  else
    file = g_file_new_for_path (location);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local);
  if (info == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                     _("The image “%s” does not exist"), location);
      else
        g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                     _("Cannot read the image “%s”: %s"), location, local->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("The image “%s” is not a regular file"), location);
      return NULL;
    }

  /* Checked before reading, so that a huge file is never loaded, and after, in case it grew. */
  size = g_file_info_get_size (info);
  if (size <= max_size)
    {
      bytes = g_file_load_bytes (file, NULL, NULL, &local);
      if (bytes == NULL)
        {
          g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                       _("Cannot read the image “%s”: %s"), location, local->message);
          return NULL;
        }
      size = g_bytes_get_size (bytes);
    }
  if (size > max_size)
    {
      g_autofree char *have = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *limit = g_format_size_full (max_size, G_FORMAT_SIZE_IEC_UNITS);

      /* "is 10.0 MiB; takes at most 10.0 MiB" would say nothing: give the bytes then. */
      if (g_strcmp0 (have, limit) == 0)
        {
          g_free (have);
          have = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS | G_FORMAT_SIZE_LONG_FORMAT);
        }

      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("The image “%s” is %s; %s takes images of at most %s. Scale it down or "
                     "save it as JPEG"),
                   location, have, label, limit);
      return NULL;
    }
  if (size == 0)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("The image “%s” is empty"), location);
      return NULL;
    }

  *content_type = sniff_image (bytes, formats);
  if (*content_type == NULL)
    {
      g_autofree char *names = format_names (formats);

      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("The image “%s” is not in a format %s takes (%s); convert it first"),
                   location, label, names);
      return NULL;
    }
  *filename = g_file_get_basename (file);
  return g_steal_pointer (&bytes);
}
