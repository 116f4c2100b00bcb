/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HTTP plumbing shared by the dialects: JSON replies and error shapes, form and JSON
 * parsing, streamed downloads with their faults, and fetching inputs from URLs. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "dly-sim-private.h"

/* Big enough for a 500 MB download to be quick, small enough to bound memory. */
#define CHUNK_SIZE (256 * 1024)

G_DEFINE_QUARK (dly-sim-fetch-error-quark, dly_sim_fetch_error)

/* --- pausing ---------------------------------------------------------------------------- */

static void
on_watched_message_finished (SoupServerMessage *msg,
                             gpointer           user_data)
{
  g_object_set_data (G_OBJECT (msg), "dly-sim-finished", GINT_TO_POINTER (TRUE));
}

static void
watch_message (SoupServerMessage *msg)
{
  if (g_object_get_data (G_OBJECT (msg), "dly-sim-watched") != NULL)
    return;
  g_object_set_data (G_OBJECT (msg), "dly-sim-watched", GINT_TO_POINTER (TRUE));
  g_signal_connect (msg, "finished", G_CALLBACK (on_watched_message_finished), NULL);
  /* A server that disconnects drops the message's I/O without finishing it. */
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_watched_message_finished), NULL);
}

void
dly_sim_pause (SoupServerMessage *msg)
{
  watch_message (msg);
  soup_server_message_pause (msg);
}

gboolean
dly_sim_unpause (SoupServerMessage *msg)
{
  /* A message whose connection went away has no I/O left to resume. */
  if (g_object_get_data (G_OBJECT (msg), "dly-sim-finished") != NULL)
    return FALSE;
  soup_server_message_unpause (msg);
  return TRUE;
}

/* --- replies ---------------------------------------------------------------------------- */

const char *
dly_sim_status_phrase (guint status)
{
  const char *phrase;

  /* libsoup 3.2 has no phrase for 429 and would send "Unknown Error". */
  if (status == 429)
    return "Too Many Requests";
  phrase = soup_status_get_phrase (status);
  return phrase != NULL && !g_str_equal (phrase, "Unknown Error") ? phrase : "Error";
}

static void
set_status (SoupServerMessage *msg,
            guint              status)
{
  soup_server_message_set_status (msg, status, dly_sim_status_phrase (status));
}

static char *
object_to_text (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return json_to_string (node, FALSE);
}

void
dly_sim_reply_object (SoupServerMessage *msg,
                      guint              status,
                      JsonObject        *object)
{
  char *text = object_to_text (object);

  set_status (msg, status);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text,
                                    strlen (text));
}

void
dly_sim_reply_malformed (SoupServerMessage *msg,
                         guint              status,
                         JsonObject        *object)
{
  char *text = object_to_text (object);
  gsize length = strlen (text);

  /* Cut inside the document, as a proxy that drops a connection mid-body would. */
  set_status (msg, status);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text,
                                    MAX (1, length / 2));
}

void
dly_sim_reply_error (SoupServerMessage *msg,
                     DlySimDialect      dialect,
                     guint              status,
                     const char        *message)
{
  JsonObject *object = json_object_new ();

  switch (dialect)
    {
    case DLY_SIM_APIXO:
      json_object_set_int_member (object, "code", status);
      json_object_set_string_member (object, "message", message);
      json_object_set_null_member (object, "data");
      break;
    case DLY_SIM_RUNPOD:
    case DLY_SIM_SEGMIND:
      json_object_set_string_member (object, "error", message);
      break;
    case DLY_SIM_LTXV_TASK:
    case DLY_SIM_LTX2_SERVER:
    case DLY_SIM_N_DIALECTS:
    default:
      json_object_set_string_member (object, "detail", message);
      break;
    }

  dly_sim_reply_object (msg, status, object);
}

void
dly_sim_detail_add (JsonArray  *details,
                    const char *type,
                    const char *field,
                    const char *message,
                    JsonNode   *input)
{
  JsonObject *item = json_object_new ();
  JsonArray *loc = json_array_new ();

  json_array_add_string_element (loc, "body");
  if (field != NULL)
    json_array_add_string_element (loc, field);

  json_object_set_string_member (item, "type", type);
  json_object_set_array_member (item, "loc", loc);
  json_object_set_string_member (item, "msg", message);
  json_object_set_member (item, "input", input ? input : json_node_new (JSON_NODE_NULL));
  json_array_add_object_element (details, item);
}

void
dly_sim_reply_details (SoupServerMessage *msg,
                       JsonArray         *details)
{
  JsonObject *object = json_object_new ();

  json_object_set_array_member (object, "detail", details);
  dly_sim_reply_object (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, object);
}

void
dly_sim_serve_bytes (SoupServerMessage *msg,
                     GBytes            *bytes,
                     const char        *content_type)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* Accumulated bodies get Range handling from libsoup itself. */
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, content_type, NULL);
  soup_message_headers_replace (headers, "Accept-Ranges", "bytes");
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

/* --- parsing ---------------------------------------------------------------------------- */

JsonNode *
dly_sim_parse_json_body (SoupServerMessage  *msg,
                         GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   "The request has no body");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, size, error))
    return NULL;

  return json_node_ref (json_parser_get_root (parser));
}

static char *
dup_text (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (g_utf8_validate_len (data, size, NULL))
    return g_strndup (data, size);
  return g_utf8_make_valid (data, size);
}

gboolean
dly_sim_parse_form (SoupServerMessage  *msg,
                    const char *const  *file_fields,
                    GHashTable        **fields,
                    GHashTable        **files,
                    GError            **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr (GHashTable) out_fields = NULL;
  g_autoptr (GHashTable) out_files = NULL;
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);

  out_fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  out_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_bytes_unref);

  if (content_type != NULL && g_ascii_strcasecmp (content_type, "multipart/form-data") == 0)
    {
      SoupMultipart *multipart = soup_multipart_new_from_message (headers, bytes);

      if (multipart == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "There was an error parsing the body");
          return FALSE;
        }

      for (int i = 0; i < soup_multipart_get_length (multipart); i++)
        {
          SoupMessageHeaders *part_headers;
          GBytes *part_body;
          g_autoptr (GHashTable) params = NULL;
          const char *name;

          if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body)
              || !soup_message_headers_get_content_disposition (part_headers, NULL, &params))
            continue;

          name = g_hash_table_lookup (params, "name");
          if (name == NULL)
            continue;

          if (g_hash_table_contains (params, "filename")
              || (file_fields != NULL && g_strv_contains (file_fields, name)))
            g_hash_table_replace (out_files, g_strdup (name), g_bytes_ref (part_body));
          else
            g_hash_table_replace (out_fields, g_strdup (name), dup_text (part_body));
        }
      soup_multipart_free (multipart);
    }
  else if (content_type != NULL
           && g_ascii_strcasecmp (content_type, "application/x-www-form-urlencoded") == 0)
    {
      g_autofree char *text = dup_text (bytes);
      g_autoptr (GHashTable) form = soup_form_decode (text);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, form);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (out_fields, g_strdup (key), g_strdup (value));
    }
  else if (g_bytes_get_size (bytes) > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Expected multipart/form-data, not %s",
                   content_type ? content_type : "a body without a type");
      return FALSE;
    }

  *fields = g_steal_pointer (&out_fields);
  *files = g_steal_pointer (&out_files);
  return TRUE;
}

char *
dly_sim_dup_bearer (SoupServerMessage *msg,
                    gboolean           allow_bare)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");

  if (value == NULL)
    return NULL;
  if (g_ascii_strncasecmp (value, "Bearer ", 7) == 0)
    return g_strstrip (g_strdup (value + 7));
  if (allow_bare)
    return g_strstrip (g_strdup (value));
  return NULL;
}

gboolean
dly_sim_parse_int (const char *text,
                   gint64     *value)
{
  g_autofree char *copy = NULL;

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  return g_ascii_string_to_signed (copy, 10, G_MININT64, G_MAXINT64, value, NULL);
}

gboolean
dly_sim_parse_double (const char *text,
                      double     *value)
{
  g_autofree char *copy = NULL;
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    return FALSE;
  *value = g_ascii_strtod (copy, &end);
  return end != NULL && *end == '\0' && isfinite (*value);
}

gboolean
dly_sim_json_get_int (JsonObject *object,
                      const char *member,
                      gint64     *value,
                      gboolean   *present)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  *present = TRUE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* 512.0 is an integer; 512.5 is not. */
      if (d != (double) (gint64) d)
        return FALSE;
      *value = (gint64) d;
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    return dly_sim_parse_int (json_node_get_string (node), value);
  return FALSE;
}

gboolean
dly_sim_json_get_double (JsonObject *object,
                         const char *member,
                         double     *value,
                         gboolean   *present)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  *present = TRUE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    {
      *value = json_node_get_double (node);
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    return dly_sim_parse_double (json_node_get_string (node), value);
  return FALSE;
}

char *
dly_sim_random_hex (guint n_chars)
{
  GString *text = g_string_sized_new (n_chars);

  while (text->len < n_chars)
    g_string_append_printf (text, "%08x", g_random_int ());
  g_string_truncate (text, n_chars);
  return g_string_free (text, FALSE);
}

/* --- streamed downloads ----------------------------------------------------------------- */

typedef struct
{
  SoupServerMessage *msg;
  GMainContext      *context;
  GMappedFile       *map;       /* NULL for a blob */
  guint64            total;     /* length of the whole resource */
  guint64            pos;       /* next byte to send */
  guint64            stop;      /* first byte not sent: the range's end or the cut */
  guint64            rate;      /* bytes per second, 0 = unlimited */
  guint64            sent;
  gint64             started_us;
  GSource           *timer;
  gulong             chunk_handler;
  gulong             finished_handler;
  gulong             disconnected_handler;
  gboolean           complete;
} Stream;

static GBytes *
blob_filler (void)
{
  static GBytes *filler;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      guint8 *data = g_malloc (CHUNK_SIZE);

      /* Not all zeros, so nothing on the way can compress it to nothing. */
      for (gsize i = 0; i < CHUNK_SIZE; i++)
        data[i] = (guint8) ((i * 131) ^ (i >> 8));
      filler = g_bytes_new_take (data, CHUNK_SIZE);
      g_once_init_leave (&initialized, 1);
    }
  return filler;
}

/* The blob is a real ISO BMFF start (ftyp + an mdat box as long as the rest), so that a
 * client's "is this an MP4" check passes, followed by filler. */
static gsize
blob_header (guint64  total,
             guint8  *out)
{
  static const guint8 ftyp[32] = {
    0, 0, 0, 32, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
    'i', 's', 'o', 'm', 'i', 's', 'o', '2', 'a', 'v', 'c', '1', 'm', 'p', '4', '1',
  };
  guint64 mdat = total - sizeof ftyp;
  gsize length = sizeof ftyp;

  memcpy (out, ftyp, sizeof ftyp);
  if (mdat <= G_MAXUINT32)
    {
      guint32 size = GUINT32_TO_BE ((guint32) mdat);

      memcpy (out + length, &size, 4);
      memcpy (out + length + 4, "mdat", 4);
      length += 8;
    }
  else
    {
      guint32 one = GUINT32_TO_BE (1);
      guint64 size = GUINT64_TO_BE (mdat);

      memcpy (out + length, &one, 4);
      memcpy (out + length + 4, "mdat", 4);
      memcpy (out + length + 8, &size, 8);
      length += 16;
    }
  return length;
}

static GBytes *
stream_chunk (Stream  *stream,
              guint64  length)
{
  guint8 header[48];
  gsize header_length;

  if (stream->map != NULL)
    return g_bytes_new_with_free_func (g_mapped_file_get_contents (stream->map) + stream->pos,
                                       length, (GDestroyNotify) g_mapped_file_unref,
                                       g_mapped_file_ref (stream->map));

  header_length = blob_header (stream->total, header);
  if (stream->pos < header_length)
    {
      guint8 *data = g_malloc (length);
      guint64 from_header = MIN (length, header_length - stream->pos);

      memcpy (data, header + stream->pos, from_header);
      memcpy (data + from_header, g_bytes_get_data (blob_filler (), NULL), length - from_header);
      return g_bytes_new_take (data, length);
    }
  return g_bytes_new_from_bytes (blob_filler (), 0, length);
}

static void stream_push (Stream *stream);

static gboolean
on_stream_timer (gpointer user_data)
{
  Stream *stream = user_data;

  g_clear_pointer (&stream->timer, g_source_unref);
  stream_push (stream);
  return G_SOURCE_REMOVE;
}

static void
stream_push (Stream *stream)
{
  SoupMessageBody *body = soup_server_message_get_response_body (stream->msg);
  guint64 length;

  if (stream->complete || stream->timer != NULL)
    return;

  if (stream->pos >= stream->stop)
    {
      /* Before the Content-Length is reached when truncating: with "Connection: close"
       * the client sees the connection end early. */
      stream->complete = TRUE;
      soup_message_body_complete (body);
      dly_sim_unpause (stream->msg);
      return;
    }

  length = MIN (CHUNK_SIZE, stream->stop - stream->pos);

  if (stream->rate > 0)
    {
      gint64 due_us = stream->started_us + (gint64) (stream->sent * (double) G_USEC_PER_SEC
                                                     / stream->rate);
      gint64 now = g_get_monotonic_time ();

      /* About ten writes a second keeps the rate smooth without busy work. */
      length = MIN (length, MAX (stream->rate / 10, 1024));
      if (due_us > now)
        {
          stream->timer = g_timeout_source_new (MAX (1, (due_us - now) / 1000));
          g_source_set_callback (stream->timer, on_stream_timer, stream, NULL);
          g_source_attach (stream->timer, stream->context);
          return;
        }
    }

  {
    g_autoptr (GBytes) chunk = stream_chunk (stream, length);

    soup_message_body_append_bytes (body, chunk);
  }
  stream->pos += length;
  stream->sent += length;
  dly_sim_unpause (stream->msg);
}

static void
stream_free (Stream *stream)
{
  if (stream->timer != NULL)
    {
      g_source_destroy (stream->timer);
      g_source_unref (stream->timer);
    }
  g_signal_handler_disconnect (stream->msg, stream->chunk_handler);
  g_signal_handler_disconnect (stream->msg, stream->finished_handler);
  g_signal_handler_disconnect (stream->msg, stream->disconnected_handler);
  g_object_unref (stream->msg);
  g_main_context_unref (stream->context);
  g_clear_pointer (&stream->map, g_mapped_file_unref);
  g_free (stream);
}

static void
on_stream_wrote_chunk (SoupServerMessage *msg,
                       gpointer           user_data)
{
  stream_push (user_data);
}

static void
on_stream_finished (SoupServerMessage *msg,
                    gpointer           user_data)
{
  stream_free (user_data);
}

static void
stream_start (DlySim            *self,
              SoupServerMessage *msg,
              DlySimDialect      dialect,
              GMappedFile       *map,
              guint64            total,
              const char        *content_type)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  DlySimSettings settings = { 0 };
  SoupRange *ranges = NULL;
  int n_ranges = 0;
  guint64 start = 0, end = total;
  guint status = SOUP_STATUS_OK;
  Stream *stream;

  dly_sim_get_settings (self, &settings);

  /* One range is what resuming downloaders ask for; several get the whole file. */
  if (total > 0 && soup_message_headers_get_ranges (request_headers, total, &ranges, &n_ranges))
    {
      if (n_ranges == 1)
        {
          start = ranges[0].start;
          end = ranges[0].end + 1;
          status = SOUP_STATUS_PARTIAL_CONTENT;
          soup_message_headers_set_content_range (headers, ranges[0].start, ranges[0].end,
                                                  total);
        }
      soup_message_headers_free_ranges (request_headers, ranges);
    }

  stream = g_new0 (Stream, 1);
  stream->msg = g_object_ref (msg);
  stream->context = g_main_context_ref (dly_sim_get_context (self));
  stream->map = map;
  stream->total = total;
  stream->pos = start;
  stream->stop = end;
  stream->rate = settings.download_rate;
  stream->started_us = g_get_monotonic_time ();

  if (dialect != DLY_SIM_ANY && dly_sim_take_truncate (self, dialect))
    {
      stream->stop = start + (end - start) / 2;
      soup_message_headers_replace (headers, "Connection", "close");
    }

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_set_content_type (headers, content_type, NULL);
  soup_message_headers_set_content_length (headers, end - start);
  soup_message_headers_replace (headers, "Accept-Ranges", "bytes");
  /* Written chunks are dropped at once: a 500 MB blob never sits in memory. */
  soup_message_body_set_accumulate (body, FALSE);

  watch_message (msg);
  stream->chunk_handler = g_signal_connect (msg, "wrote-chunk",
                                            G_CALLBACK (on_stream_wrote_chunk), stream);
  stream->finished_handler = g_signal_connect (msg, "finished",
                                               G_CALLBACK (on_stream_finished), stream);
  stream->disconnected_handler = g_signal_connect (msg, "disconnected",
                                                   G_CALLBACK (on_stream_finished), stream);

  dly_sim_settings_clear (&settings);
  stream_push (stream);
}

void
dly_sim_serve_render (DlySim            *self,
                      SoupServerMessage *msg,
                      DlySimDialect      dialect,
                      DlySimRender      *render)
{
  g_autoptr (GError) error = NULL;
  GMappedFile *map = g_mapped_file_new (render->path, FALSE, &error);

  if (map == NULL)
    {
      dly_sim_reply_error (msg, dialect, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
      return;
    }

  stream_start (self, msg, dialect, map, g_mapped_file_get_length (map), render->content_type);
}

void
dly_sim_serve_blob (DlySim            *self,
                    SoupServerMessage *msg,
                    guint64            size)
{
  stream_start (self, msg, DLY_SIM_ANY, NULL, size, "video/mp4");
}

/* --- fetching inputs -------------------------------------------------------------------- */

static void
return_http_error (GTask       *task,
                   SoupMessage *message)
{
  guint status = soup_message_get_status (message);
  const char *reason = soup_message_get_reason_phrase (message);

  if (reason == NULL || *reason == '\0')
    reason = soup_status_get_phrase (status);

  g_task_return_new_error (task, DLY_SIM_FETCH_ERROR, status, "%u %s", status,
                           reason ? reason : "");
}

static void
on_fetch_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    g_task_return_new_error (task, DLY_SIM_FETCH_ERROR, 0, "%s", error->message);
  else if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    return_http_error (task, message);
  else
    g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
on_probe_sent (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) stream = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      g_task_return_new_error (task, DLY_SIM_FETCH_ERROR, 0, "%s", error->message);
      return;
    }

  /* The headers say whether the file is there; its body is not needed. */
  g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    return_http_error (task, message);
  else
    g_task_return_pointer (task, g_bytes_new (NULL, 0), (GDestroyNotify) g_bytes_unref);
}

void
dly_sim_fetch_async (DlySim              *self,
                     const char          *url,
                     gboolean             probe_only,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) error = NULL;
  SoupMessage *message;
  const char *scheme;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dly_sim_fetch_async);

  if (url == NULL || *url == '\0')
    {
      g_task_return_new_error (task, DLY_SIM_FETCH_ERROR, 0, "No URL");
      return;
    }

  if (g_ascii_strncasecmp (url, "data:", 5) == 0)
    {
      GBytes *bytes = soup_uri_decode_data_uri (url, NULL);

      if (bytes == NULL)
        g_task_return_new_error (task, DLY_SIM_FETCH_ERROR, 0, "Invalid data URI");
      else
        g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
      return;
    }

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || scheme == NULL
      || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_task_return_new_error (task, DLY_SIM_FETCH_ERROR, 0, "Invalid URL: %s", url);
      return;
    }

  message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  g_task_set_task_data (task, message, g_object_unref);

  if (probe_only)
    soup_session_send_async (dly_sim_get_session (self), message, G_PRIORITY_DEFAULT,
                             cancellable, on_probe_sent, g_steal_pointer (&task));
  else
    soup_session_send_and_read_async (dly_sim_get_session (self), message, G_PRIORITY_DEFAULT,
                                      cancellable, on_fetch_read, g_steal_pointer (&task));
}

GBytes *
dly_sim_fetch_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
