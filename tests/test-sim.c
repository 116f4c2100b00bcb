/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The backend simulator, driven over real HTTP by a raw SoupSession: every dialect's happy
 * path down to decoding the MP4 it made, and every fault it can inject. The simulator runs
 * in-process on this thread's main context, except where a test says otherwise. */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dly-sim.h"

/* Small and short, so that the whole file stays well under a minute on two cores. */
#define W          256
#define H          160
#define FRAMES     25
#define JOB_SECS   0.4

typedef struct
{
  DlySim      *sim;
  SoupSession *session;
} Fixture;

typedef struct
{
  SoupMessage *msg;
  GBytes      *body;
  GError      *error;
  JsonNode    *json;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_object (&reply->msg);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* --- plumbing --------------------------------------------------------------------------- */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  f->sim = dly_sim_new ();
  dly_sim_set_job_seconds (f->sim, JOB_SECS);
  g_assert_true (dly_sim_start (f->sim, 0, &error));
  g_assert_no_error (error);
  f->session = soup_session_new_with_options ("timeout", 30, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  dly_sim_stop (f->sim);
  g_clear_object (&f->sim);
  g_clear_object (&f->session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
on_timeout_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
sleep_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                   &reply->error);
  if (reply->body == NULL)
    reply->body = g_bytes_new (NULL, 0);
}

/* Sends asynchronously and runs the main context meanwhile: the server answers from it. */
static Reply *
send (Fixture     *f,
      SoupMessage *msg)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->msg = msg;
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, reply);
  while (reply->body == NULL)
    g_main_context_iteration (NULL, TRUE);
  return reply;
}

static SoupMessage *
message (const char *method,
         const char *url)
{
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  return msg;
}

static SoupMessage *
json_message (const char *method,
              const char *url,
              const char *json)
{
  SoupMessage *msg = message (method, url);
  g_autoptr (GBytes) body = g_bytes_new (json, strlen (json));

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  return msg;
}

static void
add_header (SoupMessage *msg,
            const char  *name,
            const char  *value)
{
  soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);
}

static Reply *
get (Fixture    *f,
     const char *url)
{
  return send (f, message ("GET", url));
}

static Reply *
get_with (Fixture    *f,
          const char *url,
          const char *name,
          const char *value)
{
  SoupMessage *msg = message ("GET", url);

  add_header (msg, name, value);
  return send (f, msg);
}

static Reply *
post_json_with (Fixture    *f,
                const char *url,
                const char *json,
                const char *name,
                const char *value)
{
  SoupMessage *msg = json_message ("POST", url, json);

  add_header (msg, name, value);
  return send (f, msg);
}

static guint
status_of (Reply *reply)
{
  g_assert_no_error (reply->error);
  return soup_message_get_status (reply->msg);
}

static const char *
header_of (Reply      *reply,
           const char *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (reply->msg), name);
}

static JsonObject *
json_of (Reply *reply)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (reply->body, &size);

  g_assert_no_error (reply->error);
  if (!json_parser_load_from_data (parser, data, size, &error))
    g_error ("Not JSON (%s): %.*s", error->message, (int) size, data);
  g_clear_pointer (&reply->json, json_node_unref);
  reply->json = json_node_ref (json_parser_get_root (parser));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

static char *
url_for (Fixture    *f,
         const char *dialect,
         const char *path)
{
  return g_strconcat (dly_sim_get_base_url (f->sim, dialect), path, NULL);
}

static char *
host_port (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
}

/* A picture made with GStreamer, to be used as an image input. */
static GBytes *
make_png (const char *pattern,
          guint       width,
          guint       height)
{
  g_autofree char *path = NULL;
  g_autofree char *desc = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;
  g_autoptr (GError) error = NULL;
  char *contents;
  gsize length;
  int fd;

  fd = g_file_open_tmp ("test-sim-XXXXXX.png", &path, &error);
  g_assert_no_error (error);
  close (fd);

  desc = g_strdup_printf ("videotestsrc num-buffers=1 pattern=%s ! "
                          "video/x-raw,width=%u,height=%u ! videoconvert ! pngenc ! "
                          "filesink location=\"%s\"", pattern, width, height, path);
  pipeline = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_unlink (path);
  return g_bytes_new_take (contents, length);
}

/* --- decoding what came back ------------------------------------------------------------ */

typedef struct
{
  guint   width;
  guint   height;
  guint   n_frames;
  char   *profile;
  double  audio_seconds;
  guint8  center[3];    /* RGB in the middle of the second frame */
} Mp4Info;

static void
mp4_info_clear (Mp4Info *info)
{
  g_clear_pointer (&info->profile, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Mp4Info, mp4_info_clear)

static GstPadProbeReturn
on_video_frame (GstPad          *pad,
                GstPadProbeInfo *probe,
                gpointer         user_data)
{
  Mp4Info *info = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (probe);

  if (info->n_frames == 1)
    {
      g_autoptr (GstCaps) caps = gst_pad_get_current_caps (pad);
      GstVideoInfo video;
      GstVideoFrame frame;

      g_assert_true (gst_video_info_from_caps (&video, caps));
      info->width = GST_VIDEO_INFO_WIDTH (&video);
      info->height = GST_VIDEO_INFO_HEIGHT (&video);
      if (gst_video_frame_map (&frame, &video, buffer, GST_MAP_READ))
        {
          const guint8 *row = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
                              + (info->height / 2) * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);

          memcpy (info->center, row + (info->width / 2) * 3, 3);
          gst_video_frame_unmap (&frame);
        }
    }
  info->n_frames++;
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_audio_buffer (GstPad          *pad,
                 GstPadProbeInfo *probe,
                 gpointer         user_data)
{
  Mp4Info *info = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (probe);

  if (GST_BUFFER_DURATION_IS_VALID (buffer))
    info->audio_seconds += (double) GST_BUFFER_DURATION (buffer) / GST_SECOND;
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_parsed_caps (GstPad          *pad,
                GstPadProbeInfo *probe,
                gpointer         user_data)
{
  Mp4Info *info = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (probe);

  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS && info->profile == NULL)
    {
      GstCaps *caps;
      const char *profile;

      gst_event_parse_caps (event, &caps);
      profile = gst_structure_get_string (gst_caps_get_structure (caps, 0), "profile");
      info->profile = g_strdup (profile);
    }
  return GST_PAD_PROBE_OK;
}

static void
probe_element (GstElement         *pipeline,
               const char         *name,
               const char         *pad_name,
               GstPadProbeType     type,
               GstPadProbeCallback callback,
               Mp4Info            *info)
{
  g_autoptr (GstElement) element = gst_bin_get_by_name (GST_BIN (pipeline), name);
  g_autoptr (GstPad) pad = gst_element_get_static_pad (element, pad_name);

  gst_pad_add_probe (pad, type, callback, info, NULL);
}

/* Checks the bytes are an MP4 and decodes every frame and every audio sample. */
static void
inspect_mp4 (GBytes  *bytes,
             Mp4Info *info)
{
  g_autofree char *path = NULL;
  g_autofree char *desc = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;
  g_autoptr (GError) error = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  int fd;

  memset (info, 0, sizeof *info);
  g_assert_cmpuint (size, >, 64);
  g_assert_cmpmem (data + 4, 4, "ftyp", 4);

  fd = g_file_open_tmp ("test-sim-XXXXXX.mp4", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);

  desc = g_strdup_printf ("filesrc location=\"%s\" ! qtdemux name=d "
                          "d.video_0 ! queue ! h264parse name=parse ! avdec_h264 ! "
                          "videoconvert ! video/x-raw,format=RGB ! fakesink name=vsink sync=false "
                          "d.audio_0 ! queue ! aacparse ! avdec_aac ! fakesink name=asink "
                          "sync=false", path);
  pipeline = gst_parse_launch (desc, &error);
  g_assert_no_error (error);

  probe_element (pipeline, "vsink", "sink", GST_PAD_PROBE_TYPE_BUFFER, on_video_frame, info);
  probe_element (pipeline, "asink", "sink", GST_PAD_PROBE_TYPE_BUFFER, on_audio_buffer, info);
  probe_element (pipeline, "parse", "src", GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_parsed_caps,
                 info);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autoptr (GError) gst_error = NULL;

      gst_message_parse_error (msg, &gst_error, NULL);
      g_error ("Decoding failed: %s", gst_error->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_unlink (path);
}

static void
assert_mp4 (GBytes *bytes,
            guint   width,
            guint   height,
            guint   n_frames)
{
  g_auto (Mp4Info) info;

  inspect_mp4 (bytes, &info);
  g_assert_cmpuint (info.width, ==, width);
  g_assert_cmpuint (info.height, ==, height);
  g_assert_cmpuint (info.n_frames, ==, n_frames);
  g_assert_cmpstr (info.profile, ==, "main");
  g_assert_cmpfloat (info.audio_seconds, >, 0.5 * n_frames / 30.0);
}

static gboolean
is_red (const guint8 *rgb)
{
  return rgb[0] > 200 && rgb[1] < 70 && rgb[2] < 70;
}

/* --- ltxv-task -------------------------------------------------------------------------- */

static SoupMessage *
ltxv_generate (Fixture    *f,
               const char *prompt,
               const char *extra_name,
               const char *extra_value,
               GBytes     *image)
{
  g_autofree char *url = url_for (f, DLY_SIM_DIALECT_LTXV_TASK, "/generate");
  SoupMultipart *multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autofree char *width = g_strdup_printf ("%d", W);
  g_autofree char *height = g_strdup_printf ("%d", H);
  g_autofree char *frames = g_strdup_printf ("%d", FRAMES);
  SoupMessage *msg;

  if (prompt != NULL)
    soup_multipart_append_form_string (multipart, "prompt", prompt);
  soup_multipart_append_form_string (multipart, "negative_prompt", "blurry");
  soup_multipart_append_form_string (multipart, "width", width);
  soup_multipart_append_form_string (multipart, "height", height);
  soup_multipart_append_form_string (multipart, "num_frames", frames);
  if (extra_name != NULL)
    soup_multipart_append_form_string (multipart, extra_name, extra_value);
  if (image != NULL)
    soup_multipart_append_form_file (multipart, "image", "picture.png", "image/png", image);

  msg = soup_message_new_from_multipart (url, multipart);
  soup_multipart_free (multipart);
  return msg;
}

static JsonObject *
ltxv_wait (Fixture    *f,
           const char *task_id,
           Reply     **out,
           gboolean   *saw_started)
{
  g_autofree char *url = NULL;

  url = g_strdup_printf ("%s/status/%s", dly_sim_get_base_url (f->sim, "ltxv-task"), task_id);
  for (guint i = 0; i < 200; i++)
    {
      Reply *reply = get (f, url);
      JsonObject *object = json_of (reply);
      const char *status = json_object_get_string_member (object, "status");

      g_assert_cmpuint (status_of (reply), ==, 200);
      g_assert_cmpstr (json_object_get_string_member (object, "task_id"), ==, task_id);
      if (saw_started != NULL && g_str_equal (status, "STARTED"))
        *saw_started = TRUE;
      if (g_str_equal (status, "SUCCESS") || g_str_equal (status, "FAILURE"))
        {
          *out = reply;
          return object;
        }
      g_assert_true (g_str_equal (status, "PENDING") || g_str_equal (status, "STARTED"));
      g_assert_true (json_object_get_null_member (object, "result"));
      reply_free (reply);
      sleep_ms (50);
    }
  g_error ("ltxv-task job %s never finished", task_id);
}

static char *
ltxv_submit (Fixture *f,
             GBytes  *image,
             guint    seed)
{
  g_autofree char *seed_text = g_strdup_printf ("%u", seed);
  g_autoptr (Reply) reply = send (f, ltxv_generate (f, "A cat walking in the garden", "seed",
                                                    seed_text, image));
  JsonObject *object = json_of (reply);

  g_assert_cmpuint (status_of (reply), ==, 200);
  return g_strdup (json_object_get_string_member (object, "task_id"));
}

static void
test_ltxv_task (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = ltxv_submit (f, NULL, 42);
  g_autoptr (Reply) done = NULL;
  g_autoptr (Reply) video = NULL;
  g_autofree char *video_url = NULL;
  gboolean started = FALSE;
  JsonObject *object;
  const char *result;

  object = ltxv_wait (f, id, &done, &started);
  g_assert_true (started);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "SUCCESS");
  result = json_object_get_string_member (object, "result");
  g_assert_true (g_str_has_prefix (result, "task_results/"));
  g_assert_true (g_str_has_suffix (result, ".mp4"));

  video_url = g_strdup_printf ("%s/video/%s", dly_sim_get_base_url (f->sim, "ltxv-task"),
                               strrchr (result, '/') + 1);
  video = get (f, video_url);
  g_assert_cmpuint (status_of (video), ==, 200);
  g_assert_cmpstr (header_of (video, "Content-Type"), ==, "video/mp4");
  assert_mp4 (video->body, W, H, FRAMES);

  g_assert_cmpuint (dly_sim_get_count (f->sim, "ltxv-task", DLY_SIM_COUNT_SUBMITS), ==, 1);
  g_assert_cmpuint (dly_sim_get_count (f->sim, "ltxv-task", DLY_SIM_COUNT_STATUS), >=, 2);
  g_assert_cmpuint (dly_sim_get_count (f->sim, "ltxv-task", DLY_SIM_COUNT_DOWNLOADS), ==, 1);
  g_assert_cmpuint (dly_sim_get_count (f->sim, "runpod", DLY_SIM_COUNT_SUBMITS), ==, 0);
}

static void
test_ltxv_task_image (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GBytes) red = make_png ("red", 64, 48);
  g_autofree char *id = ltxv_submit (f, red, 7);
  g_autoptr (Reply) done = NULL;
  g_autoptr (Reply) video = NULL;
  g_autofree char *video_url = NULL;
  g_auto (Mp4Info) info;
  JsonObject *object;

  object = ltxv_wait (f, id, &done, NULL);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "SUCCESS");
  video_url = g_strdup_printf ("%s/video/%s", dly_sim_get_base_url (f->sim, "ltxv-task"),
                               strrchr (json_object_get_string_member (object, "result"), '/')
                               + 1);
  video = get (f, video_url);
  g_assert_cmpuint (status_of (video), ==, 200);

  /* The uploaded picture is what the frames show. */
  inspect_mp4 (video->body, &info);
  g_assert_cmpuint (info.width, ==, W);
  g_assert_cmpuint (info.height, ==, H);
  g_assert_cmpuint (info.n_frames, ==, FRAMES);
  g_assert_true (is_red (info.center));
}

static void
test_ltxv_task_errors (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (Reply) invalid = send (f, ltxv_generate (f, NULL, "seed", "forty-two", NULL));
  g_autoptr (Reply) unknown = NULL;
  g_autoptr (Reply) missing = NULL;
  g_autoptr (Reply) bad_size = NULL;
  g_autoptr (Reply) done = NULL;
  g_autofree char *url = NULL;
  JsonObject *object;
  JsonArray *detail;
  gboolean saw_missing = FALSE, saw_int = FALSE;

  /* FastAPI's validation error: every bad field, each with its type and location. */
  g_assert_cmpuint (status_of (invalid), ==, 422);
  detail = json_object_get_array_member (json_of (invalid), "detail");
  for (guint i = 0; i < json_array_get_length (detail); i++)
    {
      JsonObject *item = json_array_get_object_element (detail, i);
      JsonArray *loc = json_object_get_array_member (item, "loc");

      g_assert_cmpstr (json_array_get_string_element (loc, 0), ==, "body");
      if (g_str_equal (json_object_get_string_member (item, "type"), "missing"))
        saw_missing = g_str_equal (json_array_get_string_element (loc, 1), "prompt");
      if (g_str_equal (json_object_get_string_member (item, "type"), "int_parsing"))
        saw_int = g_str_equal (json_array_get_string_element (loc, 1), "seed")
                  && g_str_equal (json_object_get_string_member (item, "input"), "forty-two");
    }
  g_assert_true (saw_missing);
  g_assert_true (saw_int);

  /* Celery calls ids it never saw PENDING. */
  url = url_for (f, "ltxv-task", "/status/no-such-task");
  unknown = get (f, url);
  g_assert_cmpuint (status_of (unknown), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_of (unknown), "status"), ==, "PENDING");
  g_clear_pointer (&url, g_free);

  url = url_for (f, "ltxv-task", "/video/result_nothing.mp4");
  missing = get (f, url);
  g_assert_cmpuint (status_of (missing), ==, 404);
  g_assert_cmpstr (json_object_get_string_member (json_of (missing), "detail"), ==,
                   "Video not found");

  /* Accepted by the form, refused by the model: the task fails with the error as result. */
  bad_size = send (f, ltxv_generate (f, "cat", "width", "0", NULL));
  g_assert_cmpuint (status_of (bad_size), ==, 200);
  object = ltxv_wait (f, json_object_get_string_member (json_of (bad_size), "task_id"), &done,
                      NULL);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "FAILURE");
  g_assert_nonnull (strstr (json_object_get_string_member (object, "result"), "width"));
}

/* --- ltx2-server ------------------------------------------------------------------------ */

static JsonObject *
ltx2_wait (Fixture    *f,
           const char *task_id,
           Reply     **out)
{
  g_autofree char *url = NULL;

  url = g_strdup_printf ("%s/v1/video/tasks/%s", dly_sim_get_base_url (f->sim, "ltx2-server"),
                         task_id);
  for (guint i = 0; i < 200; i++)
    {
      Reply *reply = get (f, url);
      JsonObject *object = json_of (reply);
      const char *status = json_object_get_string_member (object, "status");

      g_assert_cmpuint (status_of (reply), ==, 200);
      if (!g_str_equal (status, "processing"))
        {
          *out = reply;
          return object;
        }
      g_assert_cmpuint (json_object_get_size (object), ==, 1);
      reply_free (reply);
      sleep_ms (50);
    }
  g_error ("ltx2-server job %s never finished", task_id);
}

static void
test_ltx2_server (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = url_for (f, "ltx2-server", "/v1/video/async_t2v");
  g_autofree char *health_url = url_for (f, "ltx2-server", "/health");
  g_autoptr (Reply) submit = NULL;
  g_autoptr (Reply) done = NULL;
  g_autoptr (Reply) video = NULL;
  g_autoptr (Reply) health = NULL;
  g_autofree char *api = host_port (dly_sim_get_url (f->sim));
  g_autofree char *host = NULL;
  JsonObject *object;
  const char *video_url;

  submit = send (f, json_message ("POST", url,
                                  "{\"prompt\":\"A cinematic sunset\",\"width\":256,"
                                  "\"height\":192,\"num_frames\":17,\"frame_rate\":24.0,"
                                  "\"num_inference_steps\":20,\"seed\":3}"));
  g_assert_cmpuint (status_of (submit), ==, 200);
  object = json_of (submit);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "processing");
  g_assert_nonnull (json_object_get_string_member (object, "message"));

  object = ltx2_wait (f, json_object_get_string_member (object, "task_id"), &done);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "completed");
  video_url = json_object_get_string_member (object, "url");
  host = host_port (video_url);
  g_assert_cmpstr (host, ==, api);
  g_assert_nonnull (strstr (video_url, "/outputs/"));

  video = get (f, video_url);
  g_assert_cmpuint (status_of (video), ==, 200);
  assert_mp4 (video->body, 256, 192, 17);

  health = get (f, health_url);
  g_assert_cmpuint (status_of (health), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_of (health), "status"), ==, "ok");
}

static void
test_ltx2_server_image (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *url = url_for (f, "ltx2-server", "/v1/video/async_i2v");
  g_autoptr (GBytes) red = make_png ("red", 80, 80);
  g_autoptr (Reply) submit = NULL;
  g_autoptr (Reply) no_image = NULL;
  g_autoptr (Reply) done = NULL;
  g_autoptr (Reply) video = NULL;
  g_auto (Mp4Info) info;
  SoupMultipart *multipart;
  JsonObject *object;

  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_string (multipart, "prompt", "The scene comes alive");
  soup_multipart_append_form_string (multipart, "width", "128");
  soup_multipart_append_form_string (multipart, "height", "128");
  soup_multipart_append_form_string (multipart, "num_frames", "9");
  soup_multipart_append_form_string (multipart, "frame_rate", "25");
  soup_multipart_append_form_file (multipart, "image", "red.png", "image/png", red);
  submit = send (f, soup_message_new_from_multipart (url, multipart));
  soup_multipart_free (multipart);
  g_assert_cmpuint (status_of (submit), ==, 200);

  object = ltx2_wait (f, json_object_get_string_member (json_of (submit), "task_id"), &done);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "completed");
  video = get (f, json_object_get_string_member (object, "url"));
  inspect_mp4 (video->body, &info);
  g_assert_cmpuint (info.width, ==, 128);
  g_assert_cmpuint (info.height, ==, 128);
  g_assert_cmpuint (info.n_frames, ==, 9);
  g_assert_true (is_red (info.center));

  /* The image is required on this endpoint. */
  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_string (multipart, "prompt", "x");
  no_image = send (f, soup_message_new_from_multipart (url, multipart));
  soup_multipart_free (multipart);
  g_assert_cmpuint (status_of (no_image), ==, 422);
  object = json_array_get_object_element (json_object_get_array_member (json_of (no_image),
                                                                        "detail"), 0);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "missing");
}

static void
test_ltx2_server_errors (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *url = url_for (f, "ltx2-server", "/v1/video/async_t2v");
  g_autofree char *sync_url = url_for (f, "ltx2-server", "/v1/video/t2v");
  g_autofree char *task_url = url_for (f, "ltx2-server", "/v1/video/tasks/nope");
  g_autoptr (Reply) odd = NULL;
  g_autoptr (Reply) broken = NULL;
  g_autoptr (Reply) unknown = NULL;
  g_autoptr (Reply) sync = NULL;
  g_autoptr (Reply) failed = NULL;
  g_autoptr (Reply) done = NULL;
  JsonObject *item, *object;

  odd = send (f, json_message ("POST", url, "{\"prompt\":\"x\",\"width\":250,\"height\":192}"));
  g_assert_cmpuint (status_of (odd), ==, 422);
  item = json_array_get_object_element (json_object_get_array_member (json_of (odd), "detail"),
                                        0);
  g_assert_cmpstr (json_object_get_string_member (item, "type"), ==, "value_error");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (item, "loc"), 1),
                   ==, "width");
  g_assert_nonnull (strstr (json_object_get_string_member (item, "msg"), "multiple of 64"));

  broken = send (f, json_message ("POST", url, "{\"prompt\": "));
  g_assert_cmpuint (status_of (broken), ==, 422);

  unknown = get (f, task_url);
  g_assert_cmpuint (status_of (unknown), ==, 404);

  /* The legacy endpoint holds the connection and answers the finished task. */
  sync = send (f, json_message ("POST", sync_url,
                                "{\"prompt\":\"x\",\"width\":128,\"height\":128,"
                                "\"num_frames\":9}"));
  g_assert_cmpuint (status_of (sync), ==, 200);
  object = json_of (sync);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "completed");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "url"), ".mp4"));

  dly_sim_fail_next_jobs (f->sim, "ltx2-server", 1, "CUDA out of memory", NULL);
  failed = send (f, json_message ("POST", url, "{\"prompt\":\"x\",\"width\":128,"
                                               "\"height\":128,\"num_frames\":9}"));
  object = ltx2_wait (f, json_object_get_string_member (json_of (failed), "task_id"), &done);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, "CUDA out of memory");
}

/* --- apixo ------------------------------------------------------------------------------ */

static Reply *
apixo_generate (Fixture    *f,
                const char *key,
                const char *input_json)
{
  g_autofree char *url = url_for (f, "apixo", "/api/v1/generateTask/ltx-2-19b");
  g_autofree char *body = g_strdup_printf ("{\"request_type\":\"async\",\"input\":%s}",
                                           input_json);
  SoupMessage *msg = json_message ("POST", url, body);

  if (key != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", key, NULL);

      add_header (msg, "Authorization", auth);
    }
  return send (f, msg);
}

static char *
apixo_submit (Fixture    *f,
              const char *input_json)
{
  g_autoptr (Reply) reply = apixo_generate (f, "sk-test", input_json);
  JsonObject *object = json_of (reply);

  g_assert_cmpuint (status_of (reply), ==, 200);
  g_assert_cmpint (json_object_get_int_member (object, "code"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object, "message"), ==, "success");
  return g_strdup (json_object_get_string_member (json_object_get_object_member (object, "data"),
                                                  "taskId"));
}

static JsonObject *
apixo_wait (Fixture    *f,
            const char *task_id,
            Reply     **out,
            GHashTable *states)
{
  g_autofree char *url = NULL;

  url = g_strdup_printf ("%s/api/v1/statusTask/ltx-2-19b?taskId=%s",
                         dly_sim_get_base_url (f->sim, "apixo"), task_id);
  for (guint i = 0; i < 300; i++)
    {
      SoupMessage *msg = message ("GET", url);
      Reply *reply;
      JsonObject *data;
      const char *state;

      add_header (msg, "Authorization", "Bearer sk-test");
      reply = send (f, msg);
      g_assert_cmpuint (status_of (reply), ==, 200);
      g_assert_cmpint (json_object_get_int_member (json_of (reply), "code"), ==, 200);
      data = json_object_get_object_member (json_of (reply), "data");
      g_assert_cmpstr (json_object_get_string_member (data, "taskId"), ==, task_id);
      state = json_object_get_string_member (data, "state");
      if (states != NULL)
        g_hash_table_add (states, g_strdup (state));
      if (g_str_equal (state, "success") || g_str_equal (state, "failed"))
        {
          *out = reply;
          return data;
        }
      g_assert_false (json_object_has_member (data, "resultJson"));
      reply_free (reply);
      sleep_ms (50);
    }
  g_error ("apixo task %s never finished", task_id);
}

static void
test_apixo (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr (GHashTable) states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (Reply) done = NULL;
  g_autoptr (Reply) video = NULL;
  g_autoptr (Reply) keyed = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *cdn = host_port (dly_sim_get_cdn_url (f->sim));
  g_autofree char *api = host_port (dly_sim_get_url (f->sim));
  g_autofree char *result_host = NULL;
  g_auto (Mp4Info) info;
  gint64 now_ms = g_get_real_time () / 1000;
  JsonObject *result, *task;
  JsonArray *urls;
  const char *video_url;

  dly_sim_set_api_key (f->sim, "sk-test");
  /* Long enough that a loaded machine still sees the pending quarter. */
  dly_sim_set_job_seconds (f->sim, 1.2);
  /* 480p 16:9 is 864x480; this keeps it quick while proving the scaling keeps the shape. */
  dly_sim_set_max_render_pixels (f->sim, 40000);

  task_id = apixo_submit (f, "{\"mode\":\"text-to-video\",\"prompt\":\"a futuristic city\","
                             "\"resolution\":\"480p\",\"duration\":5,\"aspect_ratio\":\"16:9\","
                             "\"seed\":54248617}");
  g_assert_true (g_str_has_prefix (task_id, "task_"));

  task = apixo_wait (f, task_id, &done, states);
  g_assert_true (g_hash_table_contains (states, "pending"));
  g_assert_true (g_hash_table_contains (states, "processing"));
  g_assert_cmpstr (json_object_get_string_member (task, "state"), ==, "success");

  /* resultJson is a string that holds JSON. */
  json_parser_load_from_data (parser, json_object_get_string_member (task, "resultJson"), -1,
                              &error);
  g_assert_no_error (error);
  result = json_node_get_object (json_parser_get_root (parser));
  urls = json_object_get_array_member (result, "resultUrls");
  g_assert_cmpuint (json_array_get_length (urls), ==, 1);
  video_url = json_array_get_string_element (urls, 0);

  /* Unix milliseconds, and the cost is the span between them. */
  g_assert_cmpint (ABS (json_object_get_int_member (task, "createTime") - now_ms), <, 10000);
  g_assert_cmpint (json_object_get_int_member (task, "completeTime"), >=,
                   json_object_get_int_member (task, "createTime") + (gint64) (JOB_SECS * 900));
  g_assert_cmpint (json_object_get_int_member (task, "costTime"), ==,
                   json_object_get_int_member (task, "completeTime")
                   - json_object_get_int_member (task, "createTime"));

  /* The result lives on another host, which must never see the key. */
  result_host = host_port (video_url);
  g_assert_cmpstr (result_host, ==, cdn);
  g_assert_cmpstr (result_host, !=, api);
  video = get (f, video_url);
  g_assert_cmpuint (status_of (video), ==, 200);
  inspect_mp4 (video->body, &info);
  g_assert_cmpuint (info.n_frames, ==, 129);
  g_assert_cmpuint ((guint64) info.width * info.height, <=, 40000);
  g_assert_cmpfloat_with_epsilon ((double) info.width / info.height, 864.0 / 480.0, 0.05);
  g_assert_cmpuint (dly_sim_get_count (f->sim, "apixo", DLY_SIM_COUNT_DOWNLOADS), ==, 1);
  g_assert_cmpuint (dly_sim_get_cdn_request_count (f->sim), ==, 1);
  g_assert_false (dly_sim_cdn_saw_header (f->sim, "Authorization"));

  /* And the CDN does record keys, so the assertion above means something. */
  keyed = get_with (f, video_url, "Authorization", "Bearer leaked");
  g_assert_cmpuint (status_of (keyed), ==, 200);
  g_assert_true (dly_sim_cdn_saw_header (f->sim, "authorization"));
}

static void
test_apixo_image (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (GBytes) red = make_png ("red", 120, 90);
  g_autofree char *image_url = dly_sim_add_asset (f->sim, "red.png", red, "image/png");
  g_autofree char *input = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *lora_url = NULL;
  g_autoptr (GBytes) lora = g_bytes_new_static ("safetensors", 11);
  g_autoptr (Reply) done = NULL;
  g_autoptr (Reply) video = NULL;
  g_autoptr (JsonNode) stats = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_auto (Mp4Info) info;
  JsonObject *task;
  JsonArray *log;
  gboolean fetched = FALSE;

  dly_sim_set_max_render_pixels (f->sim, 30000);
  lora_url = dly_sim_add_asset (f->sim, "style.safetensors", lora, NULL);
  input = g_strdup_printf ("{\"mode\":\"image-to-video-LoRA\",\"prompt\":\"slow pan\","
                           "\"resolution\":\"720p\",\"duration\":5,\"image_urls\":[\"%s\"],"
                           "\"loras\":[{\"path\":\"%s\",\"scale\":1.2}]}", image_url, lora_url);
  task_id = apixo_submit (f, input);
  task = apixo_wait (f, task_id, &done, NULL);
  g_assert_cmpstr (json_object_get_string_member (task, "state"), ==, "success");

  json_parser_load_from_data (parser, json_object_get_string_member (task, "resultJson"), -1,
                              NULL);
  video = get (f, json_array_get_string_element (
                     json_object_get_array_member (json_node_get_object (
                                                     json_parser_get_root (parser)),
                                                   "resultUrls"), 0));
  inspect_mp4 (video->body, &info);
  g_assert_true (is_red (info.center));

  /* The simulator fetched the picture itself, from the URL it was given. */
  stats = dly_sim_dup_stats (f->sim);
  log = json_object_get_array_member (json_object_get_object_member (json_node_get_object (stats),
                                                                     "cdn"), "log");
  for (guint i = 0; i < json_array_get_length (log); i++)
    fetched |= g_str_equal (json_object_get_string_member (json_array_get_object_element (log, i),
                                                           "path"), "/_sim/assets/red.png");
  g_assert_true (fetched);
}

static void
on_callback_request (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  GBytes **received = user_data;

  *received = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  soup_server_message_set_status (msg, 200, NULL);
}

static void
test_apixo_errors (Fixture       *f,
                   gconstpointer  data)
{
  static const char t2v[] = "{\"mode\":\"text-to-video\",\"prompt\":\"x\",\"resolution\":"
                            "\"480p\",\"duration\":5}";
  g_autoptr (Reply) no_key = NULL;
  g_autoptr (Reply) no_key_http = NULL;
  g_autoptr (Reply) broke = NULL;
  g_autoptr (Reply) too_many = NULL;
  g_autoptr (Reply) bad_duration = NULL;
  g_autoptr (Reply) done = NULL;
  g_autoptr (Reply) done2 = NULL;
  g_autoptr (Reply) done3 = NULL;
  g_autoptr (Reply) no_task = NULL;
  g_autoptr (Reply) callback = NULL;
  g_autoptr (SoupServer) receiver = soup_server_new (NULL, NULL);
  g_autoptr (GBytes) received = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *task_id = NULL;
  g_autofree char *input = NULL;
  g_autofree char *status_url = url_for (f, "apixo", "/api/v1/statusTask/ltx-2-19b");
  g_autofree char *generate_url = url_for (f, "apixo", "/api/v1/generateTask/ltx-2-19b");
  g_autofree char *missing_url = NULL;
  g_autofree char *callback_url = NULL;
  g_autofree char *body = NULL;
  JsonObject *task;
  GSList *uris;

  dly_sim_set_api_key (f->sim, "sk-test");
  dly_sim_set_max_render_pixels (f->sim, 20000);

  /* A bad key is an envelope error under HTTP 200, or a real 401 if so configured. */
  no_key = apixo_generate (f, "wrong", t2v);
  g_assert_cmpuint (status_of (no_key), ==, 200);
  g_assert_cmpint (json_object_get_int_member (json_of (no_key), "code"), ==, 401);
  g_assert_true (json_object_get_null_member (json_of (no_key), "data"));
  dly_sim_set_apixo_http_errors (f->sim, TRUE);
  no_key_http = apixo_generate (f, NULL, t2v);
  g_assert_cmpuint (status_of (no_key_http), ==, 401);
  g_assert_cmpint (json_object_get_int_member (json_of (no_key_http), "code"), ==, 401);
  dly_sim_set_apixo_http_errors (f->sim, FALSE);

  dly_sim_set_credits_exhausted (f->sim, TRUE);
  broke = apixo_generate (f, "sk-test", t2v);
  g_assert_cmpuint (status_of (broke), ==, 200);
  g_assert_cmpint (json_object_get_int_member (json_of (broke), "code"), ==, 400);
  g_assert_cmpstr (json_object_get_string_member (json_of (broke), "message"), ==,
                   "Insufficient credits");
  dly_sim_set_credits_exhausted (f->sim, FALSE);

  too_many = apixo_generate (f, "sk-test",
                             "{\"mode\":\"text-to-video-LoRA\",\"prompt\":\"x\",\"loras\":["
                             "{\"path\":\"http://a/1\",\"scale\":1},{\"path\":\"http://a/2\","
                             "\"scale\":1},{\"path\":\"http://a/3\",\"scale\":1},"
                             "{\"path\":\"http://a/4\",\"scale\":1}]}");
  g_assert_cmpint (json_object_get_int_member (json_of (too_many), "code"), ==, 400);
  bad_duration = apixo_generate (f, "sk-test", "{\"prompt\":\"x\",\"duration\":21}");
  g_assert_cmpint (json_object_get_int_member (json_of (bad_duration), "code"), ==, 400);

  /* A picture that cannot be fetched fails the task with INVALID_IMAGE_URL. */
  missing_url = g_strdup_printf ("%s/_sim/assets/nothing.png", dly_sim_get_cdn_url (f->sim));
  input = g_strdup_printf ("{\"mode\":\"image-to-video\",\"prompt\":\"x\",\"resolution\":"
                           "\"480p\",\"duration\":5,\"image_urls\":[\"%s\"]}", missing_url);
  task_id = apixo_submit (f, input);
  task = apixo_wait (f, task_id, &done, NULL);
  g_assert_cmpstr (json_object_get_string_member (task, "state"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (task, "failCode"), ==, "INVALID_IMAGE_URL");
  g_assert_nonnull (strstr (json_object_get_string_member (task, "failMsg"), "404"));
  g_clear_pointer (&task_id, g_free);
  g_clear_pointer (&input, g_free);

  input = g_strdup_printf ("{\"mode\":\"text-to-video-LoRA\",\"prompt\":\"x\",\"resolution\":"
                           "\"480p\",\"duration\":5,\"loras\":[{\"path\":\"%s\",\"scale\":1}]}",
                           missing_url);
  task_id = apixo_submit (f, input);
  task = apixo_wait (f, task_id, &done2, NULL);
  g_assert_cmpstr (json_object_get_string_member (task, "failCode"), ==, "INVALID_LORA_URL");
  g_clear_pointer (&task_id, g_free);

  dly_sim_fail_next_jobs (f->sim, "apixo", 1, "Content does not meet safety guidelines",
                          "CONTENT_VIOLATION");
  task_id = apixo_submit (f, t2v);
  task = apixo_wait (f, task_id, &done3, NULL);
  g_assert_cmpstr (json_object_get_string_member (task, "state"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (task, "failCode"), ==, "CONTENT_VIOLATION");
  g_assert_cmpstr (json_object_get_string_member (task, "failMsg"), ==,
                   "Content does not meet safety guidelines");
  g_assert_true (json_object_has_member (task, "completeTime"));
  g_clear_pointer (&task_id, g_free);

  no_task = get_with (f, status_url, "Authorization", "Bearer sk-test");
  g_assert_cmpint (json_object_get_int_member (json_of (no_task), "code"), ==, 400);

  /* Callback mode: the finished task's envelope is POSTed to the given URL. */
  soup_server_add_handler (receiver, NULL, on_callback_request, &received, NULL);
  g_assert_true (soup_server_listen_local (receiver, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (receiver);
  callback_url = g_strdup_printf ("http://127.0.0.1:%d/hook",
                                  g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  body = g_strdup_printf ("{\"request_type\":\"callback\",\"callback_url\":\"%s\","
                          "\"input\":%s}", callback_url, t2v);
  callback = post_json_with (f, generate_url, body, "Authorization", "Bearer sk-test");
  g_assert_cmpint (json_object_get_int_member (json_of (callback), "code"), ==, 200);
  for (guint i = 0; i < 200 && received == NULL; i++)
    sleep_ms (25);
  g_assert_nonnull (received);
  json_parser_load_from_data (parser, g_bytes_get_data (received, NULL),
                              g_bytes_get_size (received), &error);
  g_assert_no_error (error);
  task = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                        "data");
  g_assert_cmpstr (json_object_get_string_member (task, "state"), ==, "success");
  g_assert_true (json_object_has_member (task, "resultJson"));
  soup_server_disconnect (receiver);
}

/* --- runpod ----------------------------------------------------------------------------- */

static Reply *
runpod_post (Fixture    *f,
             const char *op,
             const char *auth,
             const char *json)
{
  g_autofree char *url = url_for (f, "runpod", op);
  SoupMessage *msg = json_message ("POST", url, json ? json : "{}");

  if (auth != NULL)
    add_header (msg, "Authorization", auth);
  return send (f, msg);
}

static char *
runpod_submit (Fixture    *f,
               const char *input_json)
{
  g_autofree char *body = g_strdup_printf ("{\"input\":%s}", input_json);
  g_autoptr (Reply) reply = runpod_post (f, "/run", "Bearer rp-key", body);
  JsonObject *object = json_of (reply);

  g_assert_cmpuint (status_of (reply), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "IN_QUEUE");
  return g_strdup (json_object_get_string_member (object, "id"));
}

static Reply *
runpod_status (Fixture    *f,
               const char *id)
{
  g_autofree char *path = g_strdup_printf ("/status/%s", id);
  g_autofree char *url = url_for (f, "runpod", path);
  SoupMessage *msg = message ("GET", url);

  add_header (msg, "Authorization", "Bearer rp-key");
  return send (f, msg);
}

static JsonObject *
runpod_wait (Fixture    *f,
             const char *id,
             Reply     **out,
             gboolean   *saw_progress)
{
  for (guint i = 0; i < 300; i++)
    {
      Reply *reply = runpod_status (f, id);
      JsonObject *object = json_of (reply);
      const char *status = json_object_get_string_member (object, "status");

      g_assert_cmpuint (status_of (reply), ==, 200);
      g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, id);
      if (g_str_equal (status, "IN_PROGRESS"))
        {
          JsonObject *output = json_object_get_object_member (object, "output");

          /* Progress, not a result. */
          g_assert_cmpstr (json_object_get_string_member (output, "status"), !=, "success");
          g_assert_true (json_object_has_member (output, "progress"));
          if (saw_progress != NULL)
            *saw_progress = TRUE;
        }
      else if (!g_str_equal (status, "IN_QUEUE"))
        {
          *out = reply;
          return object;
        }
      reply_free (reply);
      sleep_ms (50);
    }
  g_error ("runpod job %s never finished", id);
}

static void
test_runpod_audio_gen (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (GBytes) portrait = make_png ("red", 60, 90);
  g_autofree char *image_url = dly_sim_add_asset (f->sim, "portrait.png", portrait, "image/png");
  g_autofree char *input = NULL;
  g_autofree char *id = NULL;
  g_autofree char *cdn = host_port (dly_sim_get_cdn_url (f->sim));
  g_autofree char *host = NULL;
  g_autoptr (Reply) done = NULL;
  g_autoptr (Reply) video = NULL;
  g_autoptr (Reply) health = NULL;
  g_autofree char *health_url = url_for (f, "runpod", "/health");
  g_auto (Mp4Info) info;
  gboolean saw_progress = FALSE;
  JsonObject *object, *outer, *result;

  dly_sim_set_api_key (f->sim, "rp-key");
  input = g_strdup_printf ("{\"image_url\":\"%s\",\"duration\":1.0,\"width\":%d,"
                           "\"height\":%d,\"quality_preset\":\"fast\",\"seed\":1769452070347,"
                           "\"prompt_positive\":\"A person speaking about nature\"}",
                           image_url, W, H);
  id = runpod_submit (f, input);
  object = runpod_wait (f, id, &done, &saw_progress);
  g_assert_true (saw_progress);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "COMPLETED");
  g_assert_cmpint (json_object_get_int_member (object, "delayTime"), >=, 0);
  g_assert_cmpint (json_object_get_int_member (object, "executionTime"), >=,
                   (gint64) (JOB_SECS * 0.75 * 900));

  outer = json_object_get_object_member (object, "output");
  g_assert_cmpstr (json_object_get_string_member (outer, "status"), ==, "success");
  result = json_object_get_object_member (outer, "output");
  g_assert_cmpstr (json_object_get_string_member (result, "mode"), ==, "audio_gen");
  g_assert_cmpint (json_object_get_int_member (result, "frames"), ==, 31);
  g_assert_cmpint (json_object_get_int_member (result, "audio_frames"), ==, 25);
  g_assert_cmpint (json_object_get_int_member (result, "fps"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (result, "seed"), ==, 1769452070347);
  g_assert_cmpstr (json_object_get_string_member (result, "quality_preset"), ==, "fast");
  g_assert_cmpstr (json_object_get_string_member (result, "resolution"), ==, "256x160");
  g_assert_cmpstr (json_object_get_string_member (result, "duration"), ==, "1.0s");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (result, "gcs_url"), "gs://"));
  host = host_port (json_object_get_string_member (result, "video_url"));
  g_assert_cmpstr (host, ==, cdn);

  video = get (f, json_object_get_string_member (result, "video_url"));
  g_assert_cmpuint (status_of (video), ==, 200);
  g_assert_cmpuint (g_bytes_get_size (video->body), ==,
                    json_object_get_int_member (result, "video_size_bytes"));
  inspect_mp4 (video->body, &info);
  g_assert_cmpuint (info.n_frames, ==, 31);
  g_assert_cmpuint (info.width, ==, W);
  g_assert_true (is_red (info.center));
  g_assert_cmpfloat_with_epsilon (info.audio_seconds, 1.0, 0.1);
  g_assert_false (dly_sim_cdn_saw_header (f->sim, "Authorization"));

  health = get_with (f, health_url, "Authorization", "Bearer rp-key");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_of (health),
                                                                              "jobs"),
                                               "completed"), ==, 1);
}

static void
test_runpod_lip_sync (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GBytes) portrait = make_png ("green", 64, 64);
  g_autofree char *image_url = dly_sim_add_asset (f->sim, "face.png", portrait, "image/png");
  g_autofree char *input = NULL;
  g_autofree char *id = NULL;
  g_autoptr (Reply) done = NULL;
  g_autoptr (Reply) video = NULL;
  g_auto (Mp4Info) info;
  JsonObject *object, *result;

  /* The simulator serves a WAV fixture; bare keys are accepted as RunPod's docs show. */
  input = g_strdup_printf ("{\"image_url\":\"%s\",\"audio_url\":\"%s/_sim/fixtures/audio.wav"
                           "?seconds=1.2\",\"width\":%d,\"height\":%d}",
                           image_url, dly_sim_get_cdn_url (f->sim), W, H);
  id = runpod_submit (f, input);
  object = runpod_wait (f, id, &done, NULL);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "COMPLETED");
  result = json_object_get_object_member (json_object_get_object_member (object, "output"),
                                          "output");
  g_assert_false (json_object_has_member (result, "mode"));
  g_assert_cmpint (json_object_get_int_member (result, "frames"), ==, 37);

  video = get (f, json_object_get_string_member (result, "video_url"));
  inspect_mp4 (video->body, &info);
  g_assert_cmpuint (info.n_frames, ==, 37);
  /* The fetched sound, not a generated tone of another length. */
  g_assert_cmpfloat_with_epsilon (info.audio_seconds, 1.2, 0.1);
}

static void
test_runpod_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *missing = g_strdup_printf ("%s/_sim/assets/none.png",
                                              dly_sim_get_cdn_url (f->sim));
  g_autofree char *input = NULL;
  g_autofree char *id = NULL;
  g_autoptr (Reply) done = NULL;
  g_autoptr (Reply) short_done = NULL;
  g_autoptr (Reply) long_done = NULL;
  g_autoptr (Reply) graceful_done = NULL;
  g_autoptr (Reply) timeout_done = NULL;
  g_autoptr (Reply) unauthorized = NULL;
  g_autoptr (Reply) bare = NULL;
  g_autoptr (Reply) broke = NULL;
  g_autoptr (Reply) cancel = NULL;
  g_autoptr (Reply) cancelled = NULL;
  g_autoptr (Reply) expired = NULL;
  g_autoptr (Reply) sync = NULL;
  g_autoptr (GBytes) image = make_png ("blue", 32, 32);
  g_autofree char *image_url = dly_sim_add_asset (f->sim, "blue.png", image, "image/png");
  g_autofree char *ok_input = NULL;
  g_autofree char *cancel_path = NULL;
  JsonObject *object, *output;

  dly_sim_set_api_key (f->sim, "rp-key");
  ok_input = g_strdup_printf ("{\"image_url\":\"%s\",\"duration\":1,\"width\":128,"
                              "\"height\":128}", image_url);

  input = g_strdup_printf ("{\"image_url\":\"%s\",\"duration\":2}", missing);
  id = runpod_submit (f, input);
  object = runpod_wait (f, id, &done, NULL);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "FAILED");
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==,
                   "Failed to download image: 404 Not Found");
  g_clear_pointer (&id, g_free);
  g_clear_pointer (&input, g_free);

  input = g_strdup_printf ("{\"image_url\":\"%s\",\"duration\":0.5}", image_url);
  id = runpod_submit (f, input);
  object = runpod_wait (f, id, &short_done, NULL);
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==,
                   "Duration must be at least 1 second");
  g_clear_pointer (&id, g_free);
  g_clear_pointer (&input, g_free);

  input = g_strdup_printf ("{\"image_url\":\"%s\",\"duration\":31}", image_url);
  id = runpod_submit (f, input);
  object = runpod_wait (f, id, &long_done, NULL);
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==,
                   "Duration cannot exceed 30 seconds");
  g_clear_pointer (&id, g_free);

  /* The worker's graceful failure: COMPLETED, but its own output says FAILED. */
  dly_sim_set_graceful_failures (f->sim, TRUE);
  dly_sim_fail_next_jobs (f->sim, "runpod", 1, "ComfyUI failed to start", NULL);
  id = runpod_submit (f, ok_input);
  object = runpod_wait (f, id, &graceful_done, NULL);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "COMPLETED");
  output = json_object_get_object_member (object, "output");
  g_assert_cmpstr (json_object_get_string_member (output, "status"), ==, "FAILED");
  g_assert_cmpstr (json_object_get_string_member (output, "error"), ==,
                   "ComfyUI failed to start");
  dly_sim_set_graceful_failures (f->sim, FALSE);
  g_clear_pointer (&id, g_free);

  dly_sim_time_out_next_jobs (f->sim, "runpod", 1);
  id = runpod_submit (f, ok_input);
  object = runpod_wait (f, id, &timeout_done, NULL);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "TIMED_OUT");
  g_clear_pointer (&id, g_free);

  unauthorized = runpod_post (f, "/run", "Bearer nope", "{\"input\":{}}");
  g_assert_cmpuint (status_of (unauthorized), ==, 401);
  g_assert_nonnull (json_object_get_string_member (json_of (unauthorized), "error"));
  bare = runpod_post (f, "/run", "rp-key", "{\"input\":{}}");
  g_assert_cmpuint (status_of (bare), ==, 200);
  dly_sim_set_credits_exhausted (f->sim, TRUE);
  broke = runpod_post (f, "/run", "Bearer rp-key", "{\"input\":{}}");
  g_assert_cmpuint (status_of (broke), ==, 402);
  dly_sim_set_credits_exhausted (f->sim, FALSE);

  /* Cancel while queued; the job stays cancelled and is counted. */
  dly_sim_set_job_seconds (f->sim, 4);
  id = runpod_submit (f, ok_input);
  cancel_path = g_strdup_printf ("/cancel/%s", id);
  cancel = runpod_post (f, cancel_path, "Bearer rp-key", NULL);
  g_assert_cmpuint (status_of (cancel), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_of (cancel), "status"), ==, "CANCELLED");
  cancelled = runpod_status (f, id);
  g_assert_cmpstr (json_object_get_string_member (json_of (cancelled), "status"), ==,
                   "CANCELLED");
  g_assert_cmpuint (dly_sim_get_count (f->sim, "runpod", DLY_SIM_COUNT_CANCELS), ==, 1);

  /* Past the retention time the id is gone: 404. */
  dly_sim_set_result_retention (f->sim, 0.2);
  sleep_ms (300);
  expired = runpod_status (f, id);
  g_assert_cmpuint (status_of (expired), ==, 404);
  g_clear_pointer (&id, g_free);
  dly_sim_set_result_retention (f->sim, 1800);

  /* /runsync waits for the result when it comes in time. */
  dly_sim_set_job_seconds (f->sim, JOB_SECS);
  input = g_strdup_printf ("{\"input\":%s}", ok_input);
  sync = runpod_post (f, "/runsync", "Bearer rp-key", input);
  g_assert_cmpstr (json_object_get_string_member (json_of (sync), "status"), ==, "COMPLETED");
}

/* --- segmind ---------------------------------------------------------------------------- */

static Reply *
segmind_post (Fixture    *f,
              const char *key,
              const char *json)
{
  g_autofree char *url = url_for (f, "segmind", "/v1/ltx-video");
  SoupMessage *msg = json_message ("POST", url, json);

  if (key != NULL)
    add_header (msg, "x-api-key", key);
  return send (f, msg);
}

static void
test_segmind (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr (Reply) first = NULL;
  g_autoptr (Reply) second = NULL;
  g_autoptr (GBytes) tall = make_png ("red", 200, 300);
  g_autofree char *image_url = dly_sim_add_asset (f->sim, "tall.png", tall, "image/png");
  g_autofree char *body = NULL;
  g_auto (Mp4Info) info;
  double credits_before, credits_after;

  dly_sim_set_api_key (f->sim, "sg-key");
  first = segmind_post (f, "sg-key", "{\"prompt\":\"A woman looks down and to her right\","
                                     "\"negative_prompt\":\"low quality\",\"cfg\":3,"
                                     "\"steps\":30,\"length\":97,\"target_size\":512,"
                                     "\"aspect_ratio\":\"16:9\",\"seed\":2357108}");
  g_assert_cmpuint (status_of (first), ==, 200);
  g_assert_cmpstr (header_of (first, "Content-Type"), ==, "video/mp4");
  g_assert_nonnull (header_of (first, "x-remaining-credits"));
  /* target_size is the long side; the short one is 512 * 9/16 on a 32 grid. */
  assert_mp4 (first->body, 512, 288, 97);

  /* With an image, its shape wins over aspect_ratio. */
  body = g_strdup_printf ("{\"prompt\":\"x\",\"length\":97,\"target_size\":512,"
                          "\"aspect_ratio\":\"16:9\",\"image\":\"%s\"}", image_url);
  second = segmind_post (f, "sg-key", body);
  g_assert_cmpuint (status_of (second), ==, 200);
  inspect_mp4 (second->body, &info);
  g_assert_cmpuint (info.width, ==, 352);
  g_assert_cmpuint (info.height, ==, 512);
  g_assert_true (is_red (info.center));

  credits_before = g_ascii_strtod (header_of (first, "x-remaining-credits"), NULL);
  credits_after = g_ascii_strtod (header_of (second, "x-remaining-credits"), NULL);
  g_assert_cmpfloat (credits_after, <, credits_before);
  g_assert_cmpuint (dly_sim_get_count (f->sim, "segmind", DLY_SIM_COUNT_DOWNLOADS), ==, 2);
}

static void
test_segmind_errors (Fixture       *f,
                     gconstpointer  data)
{
  static const char *const bad_bodies[] = {
    "{\"negative_prompt\":\"no prompt\"}",
    "{\"prompt\":\"x\",\"aspect_ratio\":\"7:3\"}",
    "{\"prompt\":\"x\",\"cfg\":21}",
    "{\"prompt\":\"x\",\"steps\":0}",
    "{\"prompt\":\"x\",\"length\":100}",
    "{\"prompt\":\"x\",\"target_size\":600}",
    "{\"prompt\":\"x\",\"seed\":\"abc\"}",
    "not json",
  };
  static const char small[] = "{\"prompt\":\"x\",\"length\":97,\"target_size\":512}";
  g_autofree char *other = url_for (f, "segmind", "/v1/some-other-model");
  g_autofree char *model_url = url_for (f, "segmind", "/v1/ltx-video");
  g_autoptr (GBytes) form = g_bytes_new_static ("prompt=x", 8);
  SoupMessage *msg;
  g_autoptr (Reply) unauthorized = NULL;
  g_autoptr (Reply) wrong_type = NULL;
  g_autoptr (Reply) broke = NULL;
  g_autoptr (Reply) limited = NULL;
  g_autoptr (Reply) failed = NULL;
  g_autoptr (Reply) timed_out = NULL;
  g_autoptr (Reply) not_found = NULL;
  g_autoptr (GDateTime) reset = NULL;

  dly_sim_set_api_key (f->sim, "sg-key");

  unauthorized = segmind_post (f, NULL, small);
  g_assert_cmpuint (status_of (unauthorized), ==, 401);
  g_assert_nonnull (json_object_get_string_member (json_of (unauthorized), "error"));

  for (guint i = 0; i < G_N_ELEMENTS (bad_bodies); i++)
    {
      g_autoptr (Reply) bad = segmind_post (f, "sg-key", bad_bodies[i]);

      g_assert_cmpuint (status_of (bad), ==, 400);
      g_assert_nonnull (json_object_get_string_member (json_of (bad), "error"));
    }

  msg = message ("POST", model_url);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
  add_header (msg, "x-api-key", "sg-key");
  wrong_type = send (f, msg);
  g_assert_cmpuint (status_of (wrong_type), ==, 406);

  dly_sim_set_credits_exhausted (f->sim, TRUE);
  broke = segmind_post (f, "sg-key", small);
  g_assert_cmpuint (status_of (broke), ==, 406);
  g_assert_cmpstr (json_object_get_string_member (json_of (broke), "error"), ==,
                   "Insufficient credits");
  g_assert_cmpstr (header_of (broke, "x-remaining-credits"), ==, "0.00");
  dly_sim_set_credits_exhausted (f->sim, FALSE);

  /* Segmind names the reset time instead of sending Retry-After. */
  dly_sim_inject_http_errors (f->sim, "segmind", 429, 1, 30);
  limited = segmind_post (f, "sg-key", small);
  g_assert_cmpuint (status_of (limited), ==, 429);
  g_assert_null (header_of (limited, "Retry-After"));
  reset = g_date_time_new_from_iso8601 (header_of (limited, "x-rate-limit-reset-at-utc"), NULL);
  g_assert_nonnull (reset);
  g_assert_cmpint (g_date_time_to_unix (reset) - g_get_real_time () / G_USEC_PER_SEC, >=, 25);

  dly_sim_fail_next_jobs (f->sim, "segmind", 1, "Internal server error", NULL);
  failed = segmind_post (f, "sg-key", small);
  g_assert_cmpuint (status_of (failed), ==, 500);
  g_assert_cmpstr (json_object_get_string_member (json_of (failed), "error"), ==,
                   "Internal server error");

  dly_sim_time_out_next_jobs (f->sim, "segmind", 1);
  timed_out = segmind_post (f, "sg-key", small);
  g_assert_cmpuint (status_of (timed_out), ==, 504);

  not_found = post_json_with (f, other, small, "x-api-key", "sg-key");
  g_assert_cmpuint (status_of (not_found), ==, 404);
}

/* --- faults ----------------------------------------------------------------------------- */

static void
test_http_bursts (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = url_for (f, "ltxv-task", "/status/anything");
  g_autofree char *health = url_for (f, "ltx2-server", "/health");
  g_autofree char *apixo_url = url_for (f, "apixo", "/api/v1/statusTask/ltx-2-19b?taskId=x");
  g_autoptr (Reply) other = NULL;
  g_autoptr (Reply) apixo = NULL;
  guint expected[] = { 503, 503, 429, 200 };

  dly_sim_inject_http_errors (f->sim, "ltxv-task", 503, 2, 2);
  dly_sim_inject_http_errors (f->sim, "ltxv-task", 429, 1, 5);

  /* Scoped to one dialect: another dialect is not affected. */
  other = get (f, health);
  g_assert_cmpuint (status_of (other), ==, 200);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr (Reply) reply = get (f, url);

      g_assert_cmpuint (status_of (reply), ==, expected[i]);
      if (expected[i] == 503)
        g_assert_cmpstr (header_of (reply, "Retry-After"), ==, "2");
      else if (expected[i] == 429)
        {
          g_assert_cmpstr (header_of (reply, "Retry-After"), ==, "5");
          g_assert_cmpstr (soup_message_get_reason_phrase (reply->msg), ==,
                           "Too Many Requests");
        }
      if (expected[i] != 200)
        g_assert_nonnull (json_object_get_string_member (json_of (reply), "detail"));
    }
  g_assert_cmpuint (dly_sim_get_count (f->sim, "ltxv-task", DLY_SIM_COUNT_FAULTS), ==, 3);
  g_assert_cmpuint (dly_sim_get_count (f->sim, "ltxv-task", DLY_SIM_COUNT_STATUS), ==, 1);

  /* Each dialect answers in its own shape: apixo's envelope under the real status. */
  dly_sim_inject_http_errors (f->sim, NULL, 503, 1, 0);
  apixo = get (f, apixo_url);
  g_assert_cmpuint (status_of (apixo), ==, 503);
  g_assert_cmpint (json_object_get_int_member (json_of (apixo), "code"), ==, 503);
  g_assert_null (header_of (apixo, "Retry-After"));
}

static char *
finished_ltxv_video_url (Fixture *f)
{
  g_autofree char *id = ltxv_submit (f, NULL, 11);
  g_autoptr (Reply) done = NULL;
  JsonObject *object = ltxv_wait (f, id, &done, NULL);

  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "SUCCESS");
  return g_strdup_printf ("%s/video/%s", dly_sim_get_base_url (f->sim, "ltxv-task"),
                          strrchr (json_object_get_string_member (object, "result"), '/') + 1);
}

static void
test_download_faults (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = finished_ltxv_video_url (f);
  g_autofree char *blob_url = g_strdup_printf ("%s/_sim/blob/120000", dly_sim_get_url (f->sim));
  g_autoptr (Reply) whole = get (f, url);
  g_autoptr (Reply) cut = NULL;
  g_autoptr (Reply) again = NULL;
  g_autoptr (Reply) range = NULL;
  g_autoptr (Reply) slow = NULL;
  SoupMessage *msg;
  gint64 started;
  double seconds;

  g_assert_cmpuint (status_of (whole), ==, 200);

  /* A truncated body: the connection ends before Content-Length; the client must notice. */
  dly_sim_truncate_next_downloads (f->sim, "ltxv-task", 1);
  cut = get (f, url);
  g_assert_true (cut->error != NULL
                 || g_bytes_get_size (cut->body) < g_bytes_get_size (whole->body));
  g_assert_cmpuint (soup_message_headers_get_content_length (
                      soup_message_get_response_headers (cut->msg)), ==,
                    g_bytes_get_size (whole->body));
  again = get (f, url);
  g_assert_true (g_bytes_equal (again->body, whole->body));

  /* Resuming from a byte offset. */
  msg = message ("GET", url);
  soup_message_headers_set_range (soup_message_get_request_headers (msg), 100, -1);
  range = send (f, msg);
  g_assert_cmpuint (status_of (range), ==, 206);
  g_assert_cmpuint (g_bytes_get_size (range->body), ==, g_bytes_get_size (whole->body) - 100);
  g_assert_cmpmem (g_bytes_get_data (range->body, NULL), 64,
                   (const guint8 *) g_bytes_get_data (whole->body, NULL) + 100, 64);

  /* 120 kB at 200 kB/s takes about 0.6 s. */
  dly_sim_set_download_rate (f->sim, 200000);
  started = g_get_monotonic_time ();
  slow = get (f, blob_url);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_assert_cmpuint (status_of (slow), ==, 200);
  g_assert_cmpuint (g_bytes_get_size (slow->body), ==, 120000);
  g_assert_cmpfloat (seconds, >=, 0.45);
  g_assert_cmpfloat (seconds, <, 5.0);
}

static void
test_malformed_and_latency (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *id = runpod_submit (f, "{\"image_url\":\"http://127.0.0.1:1/x.png\","
                                          "\"duration\":1}");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (Reply) broken = NULL;
  g_autoptr (Reply) fine = NULL;
  g_autoptr (Reply) slow = NULL;
  g_autofree char *health = url_for (f, "ltx2-server", "/health");
  gint64 started;

  dly_sim_malform_next_status (f->sim, NULL, 1);
  broken = runpod_status (f, id);
  g_assert_cmpuint (status_of (broken), ==, 200);
  g_assert_false (json_parser_load_from_data (parser, g_bytes_get_data (broken->body, NULL),
                                              g_bytes_get_size (broken->body), NULL));
  fine = runpod_status (f, id);
  g_assert_cmpstr (json_object_get_string_member (json_of (fine), "id"), ==, id);

  dly_sim_set_latency_ms (f->sim, 300);
  started = g_get_monotonic_time ();
  slow = get (f, health);
  g_assert_cmpuint (status_of (slow), ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 290 * 1000);
}

static void
test_redirect (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *video_url = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *api = host_port (dly_sim_get_url (f->sim));
  g_autofree char *cdn = host_port (dly_sim_get_cdn_url (f->sim));
  g_autofree char *first_host = NULL;
  g_autofree char *final_host = NULL;
  g_autoptr (Reply) done = NULL;
  g_autoptr (Reply) hop = NULL;
  g_autoptr (Reply) followed = NULL;
  g_autoptr (Reply) ltxv = NULL;
  g_autoptr (GUri) final_uri = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *ltxv_url = NULL;
  JsonObject *task;
  SoupMessage *msg;

  dly_sim_set_redirect_results (f->sim, TRUE);
  dly_sim_set_max_render_pixels (f->sim, 20000);
  task_id = apixo_submit (f, "{\"prompt\":\"x\",\"resolution\":\"480p\",\"duration\":5}");
  task = apixo_wait (f, task_id, &done, NULL);
  json_parser_load_from_data (parser, json_object_get_string_member (task, "resultJson"), -1,
                              NULL);
  video_url = g_strdup (json_array_get_string_element (
                          json_object_get_array_member (json_node_get_object (
                                                          json_parser_get_root (parser)),
                                                        "resultUrls"), 0));

  /* The URL names the API host, which hands the download to the CDN. */
  first_host = host_port (video_url);
  g_assert_cmpstr (first_host, ==, api);
  msg = message ("GET", video_url);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  hop = send (f, msg);
  g_assert_cmpuint (status_of (hop), ==, 302);
  final_uri = g_uri_parse (header_of (hop, "Location"), G_URI_FLAGS_NONE, NULL);
  final_host = g_strdup_printf ("%s:%d", g_uri_get_host (final_uri), g_uri_get_port (final_uri));
  g_assert_cmpstr (final_host, ==, cdn);

  followed = get (f, video_url);
  g_assert_cmpuint (status_of (followed), ==, 200);
  g_assert_cmpuint (dly_sim_get_cdn_request_count (f->sim), ==, 1);
  g_assert_false (dly_sim_cdn_saw_header (f->sim, "Authorization"));

  /* The self-hosted download paths redirect too. */
  dly_sim_set_redirect_results (f->sim, FALSE);
  ltxv_url = finished_ltxv_video_url (f);
  dly_sim_set_redirect_results (f->sim, TRUE);
  msg = message ("GET", ltxv_url);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  ltxv = send (f, msg);
  g_assert_cmpuint (status_of (ltxv), ==, 302);
  g_assert_true (g_str_has_prefix (header_of (ltxv, "Location"), dly_sim_get_cdn_url (f->sim)));
}

/* --- control API, blob, cache ----------------------------------------------------------- */

static void
test_control (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *config_url = g_strdup_printf ("%s/_sim/config", dly_sim_get_url (f->sim));
  g_autofree char *stats_url = g_strdup_printf ("%s/_sim/stats", dly_sim_get_url (f->sim));
  g_autofree char *reset_url = g_strdup_printf ("%s/_sim/reset", dly_sim_get_url (f->sim));
  g_autofree char *index_url = g_strdup_printf ("%s/_sim/", dly_sim_get_url (f->sim));
  g_autofree char *status_url = url_for (f, "ltxv-task", "/status/x");
  g_autoptr (Reply) set = NULL;
  g_autoptr (Reply) typo = NULL;
  g_autoptr (Reply) faulted = NULL;
  g_autoptr (Reply) stats = NULL;
  g_autoptr (Reply) reset = NULL;
  g_autoptr (Reply) index = NULL;
  JsonObject *object, *pending, *dialects;

  set = send (f, json_message ("POST", config_url,
                               "{\"job_seconds\":2.5,\"api_key\":\"k\",\"download_rate\":1000,"
                               "\"fail_next\":{\"count\":2,\"message\":\"boom\","
                               "\"dialect\":\"runpod\"},\"content_violation_next\":1,"
                               "\"http_errors\":[{\"status\":503,\"count\":1,"
                               "\"dialect\":\"ltxv-task\",\"retry_after\":1}],"
                               "\"malformed_next\":3,\"truncate_next\":{\"count\":1}}"));
  g_assert_cmpuint (status_of (set), ==, 200);
  object = json_of (set);
  g_assert_cmpfloat (json_object_get_double_member (object, "job_seconds"), ==, 2.5);
  g_assert_true (json_object_get_boolean_member (object, "api_key_required"));
  g_assert_cmpfloat (dly_sim_get_job_seconds (f->sim), ==, 2.5);
  pending = json_object_get_object_member (object, "pending");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (pending,
                                                                              "fail_next"),
                                               "runpod"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (pending,
                                                                              "fail_next"),
                                               "any"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (pending,
                                                                              "malformed_next"),
                                               "any"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pending,
                                                                         "http_errors")), ==, 1);

  /* A typo is refused whole: nothing of it is applied. */
  typo = send (f, json_message ("POST", config_url, "{\"job_seconds\":9,\"jobs_seconds\":1}"));
  g_assert_cmpuint (status_of (typo), ==, 400);
  g_assert_cmpfloat (dly_sim_get_job_seconds (f->sim), ==, 2.5);

  faulted = get (f, status_url);
  g_assert_cmpuint (status_of (faulted), ==, 503);

  stats = get (f, stats_url);
  dialects = json_object_get_object_member (json_of (stats), "dialects");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (dialects,
                                                                              "ltxv-task"),
                                               "faults"), ==, 1);
  g_assert_true (json_object_has_member (json_of (stats), "cdn"));
  g_assert_true (json_object_has_member (json_of (stats), "renders"));

  reset = send (f, json_message ("POST", reset_url, "{}"));
  g_assert_cmpuint (status_of (reset), ==, 200);
  object = json_of (reset);
  g_assert_false (json_object_get_boolean_member (object, "api_key_required"));
  g_assert_cmpint (json_object_get_size (json_object_get_object_member (
                     json_object_get_object_member (object, "pending"), "fail_next")), ==, 0);
  g_assert_cmpuint (dly_sim_get_count (f->sim, NULL, DLY_SIM_COUNT_FAULTS), ==, 0);

  index = get (f, index_url);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_of (index),
                                                                                 "dialects"),
                                                  "runpod"), ==,
                   dly_sim_get_base_url (f->sim, "runpod"));
}

static void
test_blob (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("%s/_sim/blob/10M", dly_sim_get_url (f->sim));
  g_autoptr (Reply) blob = get (f, url);
  g_autoptr (Reply) head = NULL;
  SoupMessage *msg;
  const guint8 *bytes;
  guint32 mdat;

  g_assert_cmpuint (status_of (blob), ==, 200);
  g_assert_cmpuint (g_bytes_get_size (blob->body), ==, 10000000);
  bytes = g_bytes_get_data (blob->body, NULL);
  /* A real ftyp box, then an mdat box that spans the rest. */
  g_assert_cmpmem (bytes + 4, 4, "ftyp", 4);
  g_assert_cmpmem (bytes + 36, 4, "mdat", 4);
  memcpy (&mdat, bytes + 32, 4);
  g_assert_cmpuint (GUINT32_FROM_BE (mdat), ==, 10000000 - 32);

  msg = message ("GET", url);
  soup_message_headers_set_range (soup_message_get_request_headers (msg), 0, 31);
  head = send (f, msg);
  g_assert_cmpuint (status_of (head), ==, 206);
  g_assert_cmpuint (g_bytes_get_size (head->body), ==, 32);
  g_assert_cmpmem (g_bytes_get_data (head->body, NULL), 32, bytes, 32);
}

static guint
stat_member (Fixture    *f,
             const char *name)
{
  g_autoptr (JsonNode) stats = dly_sim_dup_stats (f->sim);

  return json_object_get_int_member (json_object_get_object_member (json_node_get_object (stats),
                                                                    "renders"), name);
}

static void
test_render_cache (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *a = finished_ltxv_video_url (f);
  g_autofree char *b = finished_ltxv_video_url (f);
  g_autoptr (Reply) first = get (f, a);
  g_autoptr (Reply) second = get (f, b);
  g_autofree char *c = NULL;

  /* Same request, same clip: rendered once. */
  g_assert_cmpstr (a, !=, b);
  g_assert_true (g_bytes_equal (first->body, second->body));
  g_assert_cmpuint (stat_member (f, "rendered"), ==, 1);
  g_assert_cmpuint (stat_member (f, "cache_hits"), ==, 1);

  {
    g_autofree char *id = ltxv_submit (f, NULL, 12);
    g_autoptr (Reply) done = NULL;

    ltxv_wait (f, id, &done, NULL);
  }
  g_assert_cmpuint (stat_member (f, "rendered"), ==, 2);
}

/* Stopping while requests are held open (sync generations, latency) must end them cleanly. */
static void
test_stop_while_busy (void)
{
  g_autoptr (DlySim) sim = dly_sim_new ();
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *segmind = NULL;
  g_autofree char *runsync = NULL;
  g_autofree char *health = NULL;
  Reply *replies[3] = { NULL, };
  SoupMessage *msgs[3];

  dly_sim_set_job_seconds (sim, 30);
  g_assert_true (dly_sim_start (sim, 0, &error));
  g_assert_no_error (error);

  segmind = g_strconcat (dly_sim_get_base_url (sim, "segmind"), "/v1/ltx-video", NULL);
  runsync = g_strconcat (dly_sim_get_base_url (sim, "runpod"), "/runsync", NULL);
  msgs[0] = json_message ("POST", segmind, "{\"prompt\":\"x\",\"length\":97,"
                                           "\"target_size\":512}");
  msgs[1] = json_message ("POST", runsync, "{\"input\":{\"image_url\":\"data:,x\","
                                           "\"duration\":1}}");
  for (guint i = 0; i < 2; i++)
    {
      replies[i] = g_new0 (Reply, 1);
      replies[i]->msg = msgs[i];
      soup_session_send_and_read_async (session, msgs[i], G_PRIORITY_DEFAULT, NULL, on_sent,
                                        replies[i]);
    }
  while (dly_sim_get_count (sim, NULL, DLY_SIM_COUNT_SUBMITS) < 2)
    g_main_context_iteration (NULL, TRUE);

  dly_sim_set_latency_ms (sim, 5000);
  health = g_strconcat (dly_sim_get_base_url (sim, "ltx2-server"), "/health", NULL);
  msgs[2] = message ("GET", health);
  replies[2] = g_new0 (Reply, 1);
  replies[2]->msg = msgs[2];
  soup_session_send_and_read_async (session, msgs[2], G_PRIORITY_DEFAULT, NULL, on_sent,
                                    replies[2]);
  sleep_ms (100);

  dly_sim_stop (sim);
  g_clear_object (&sim);

  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      while (replies[i]->body == NULL)
        g_main_context_iteration (NULL, TRUE);
      /* The connection went away: no answer, and nothing crashed on the way. */
      g_assert_true (replies[i]->error != NULL || soup_message_get_status (msgs[i]) >= 500);
      reply_free (replies[i]);
    }
  /* Late timers of the stopped simulator (the latency, runsync's wait) find nothing to do. */
  sleep_ms (200);
}

/* --- a simulator in its own thread, with a blocking client ------------------------------ */

static void
test_threaded (void)
{
  g_autoptr (DlySim) sim = dly_sim_new ();
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupMessage) submit = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GBytes) video = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *url = NULL;
  g_autofree char *status_url = NULL;
  g_autofree char *video_url = NULL;
  g_autofree char *task_id = NULL;
  const char *status = NULL;

  dly_sim_set_job_seconds (sim, 0.2);
  g_assert_true (dly_sim_start_in_thread (sim, 0, &error));
  g_assert_no_error (error);

  url = g_strconcat (dly_sim_get_base_url (sim, "ltx2-server"), "/v1/video/async_t2v", NULL);
  submit = json_message ("POST", url, "{\"prompt\":\"x\",\"width\":64,\"height\":64,"
                                      "\"num_frames\":5}");
  body = soup_session_send_and_read (session, submit, NULL, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                              &error);
  g_assert_no_error (error);
  task_id = g_strdup (json_object_get_string_member (json_node_get_object (
                                                       json_parser_get_root (parser)),
                                                     "task_id"));

  status_url = g_strdup_printf ("%s/v1/video/tasks/%s", dly_sim_get_url (sim), task_id);
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr (SoupMessage) poll = message ("GET", status_url);
      g_autoptr (GBytes) answer = soup_session_send_and_read (session, poll, NULL, &error);
      JsonObject *object;

      g_assert_no_error (error);
      json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                  g_bytes_get_size (answer), &error);
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));
      status = json_object_get_string_member (object, "status");
      if (!g_str_equal (status, "processing"))
        {
          video_url = g_strdup (json_object_get_string_member (object, "url"));
          break;
        }
      g_usleep (20000);
    }
  g_assert_cmpstr (status, ==, "completed");

  {
    g_autoptr (SoupMessage) download = message ("GET", video_url);

    video = soup_session_send_and_read (session, download, NULL, &error);
    g_assert_no_error (error);
  }
  assert_mp4 (video, 64, 64, 5);
  g_assert_cmpuint (dly_sim_get_count (sim, "ltx2-server", DLY_SIM_COUNT_DOWNLOADS), ==, 1);

  dly_sim_stop (sim);
  g_assert_false (dly_sim_is_running (sim));
}

/* --- the dailies-sim program ------------------------------------------------------------ */

static void
die_with_parent (gpointer user_data)
{
  /* A failed assertion must not leave a server running behind the test. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
test_program (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) urls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (Reply) first = NULL;
  g_autoptr (Reply) second = NULL;
  g_autoptr (Reply) config = NULL;
  g_autoptr (Reply) unauthorized = NULL;
  g_autofree char *status_url = NULL;
  g_autofree char *config_url = NULL;
  g_autofree char *apixo_url = NULL;
  const char *program = g_getenv ("DAILIES_SIM");

  if (program == NULL)
    program = DAILIES_SIM_PATH;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, program, "--port", "0",
                                         "--job-seconds", "0.3", "--api-key", "cli-key",
                                         "--http-503", "1", "--fault-dialect", "ltxv-task",
                                         "--quiet", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);
      g_auto (GStrv) fields = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_equal (line, "ready"))
        break;
      fields = g_strsplit_set (line, " ", -1);
      g_hash_table_insert (urls, g_strdup (fields[0]),
                           g_strdup (fields[g_strv_length (fields) - 1]));
    }

  for (guint i = 0; dly_sim_list_dialects ()[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (urls, dly_sim_list_dialects ()[i]));
  g_assert_true (g_str_has_suffix (g_hash_table_lookup (urls, "runpod"), "/v2/sim-endpoint"));

  /* The burst from the command line, then the normal answer. */
  status_url = g_strconcat (g_hash_table_lookup (urls, "ltxv-task"), "/status/abc", NULL);
  first = get (f, status_url);
  g_assert_cmpuint (status_of (first), ==, 503);
  second = get (f, status_url);
  g_assert_cmpuint (status_of (second), ==, 200);

  apixo_url = g_strconcat (g_hash_table_lookup (urls, "apixo"),
                           "/api/v1/statusTask/ltx-2-19b?taskId=x", NULL);
  unauthorized = get (f, apixo_url);
  g_assert_cmpint (json_object_get_int_member (json_of (unauthorized), "code"), ==, 401);

  config_url = g_strconcat (g_hash_table_lookup (urls, "control"), "config", NULL);
  config = get (f, config_url);
  g_assert_cmpfloat (json_object_get_double_member (json_of (config), "job_seconds"), ==, 0.3);

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/sim/ltxv-task/text-to-video", test_ltxv_task);
  ADD ("/sim/ltxv-task/image-to-video", test_ltxv_task_image);
  ADD ("/sim/ltxv-task/errors", test_ltxv_task_errors);
  ADD ("/sim/ltx2-server/text-to-video", test_ltx2_server);
  ADD ("/sim/ltx2-server/image-to-video", test_ltx2_server_image);
  ADD ("/sim/ltx2-server/errors", test_ltx2_server_errors);
  ADD ("/sim/apixo/text-to-video", test_apixo);
  ADD ("/sim/apixo/image-to-video-lora", test_apixo_image);
  ADD ("/sim/apixo/errors", test_apixo_errors);
  ADD ("/sim/runpod/audio-generation", test_runpod_audio_gen);
  ADD ("/sim/runpod/lip-sync", test_runpod_lip_sync);
  ADD ("/sim/runpod/errors", test_runpod_errors);
  ADD ("/sim/segmind/generate", test_segmind);
  ADD ("/sim/segmind/errors", test_segmind_errors);
  ADD ("/sim/faults/http-bursts", test_http_bursts);
  ADD ("/sim/faults/downloads", test_download_faults);
  ADD ("/sim/faults/malformed-and-latency", test_malformed_and_latency);
  ADD ("/sim/faults/redirect", test_redirect);
  ADD ("/sim/control/config-and-stats", test_control);
  ADD ("/sim/control/blob", test_blob);
  ADD ("/sim/renderer/cache", test_render_cache);
  ADD ("/sim/program", test_program);
#undef ADD
  g_test_add_func ("/sim/threaded", test_threaded);
  g_test_add_func ("/sim/stop-while-busy", test_stop_while_busy);

  return g_test_run ();
}
