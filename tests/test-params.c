/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The generic parts every dialect relies on: parameter rules and --set parsing, the request's
 * JSON round trip, parameter lookup on a backend, and the mapping of HTTP failures to errors.
 * HTTP statuses come from a SoupServer on 127.0.0.1 (libsoup has no public way to give a
 * client message a status); nothing else is touched. */
#include "config.h"

#include <string.h>

#include "dly-backend.h"
#include "dly-error.h"

/* A dialect with nothing but a name, a label and a few parameters. */
#define TEST_TYPE_BACKEND (test_backend_get_type ())
G_DECLARE_FINAL_TYPE (TestBackend, test_backend, TEST, BACKEND, DlyBackend)

struct _TestBackend
{
  DlyBackend parent_instance;
};

G_DEFINE_FINAL_TYPE (TestBackend, test_backend, DLY_TYPE_BACKEND)

static void
test_backend_class_init (TestBackendClass *klass)
{
  DlyBackendClass *backend_class = DLY_BACKEND_CLASS (klass);
  GParamSpec *pspec;

  backend_class->dialect = "test";
  backend_class->label = "Test backend";
  backend_class->modes = DLY_MODE_FLAG_TEXT_TO_VIDEO;

  pspec = dly_param_int ("num_frames", "Frames", "8k+1 frames", 9, 257, 121);
  dly_param_set_frame_count (pspec);
  dly_backend_class_install_param (backend_class, pspec);
  pspec = dly_param_int ("seed", "Seed", "Random when unset", 0, G_MAXUINT32, 0);
  dly_param_set_optional (pspec);
  dly_backend_class_install_param (backend_class, pspec);
  pspec = dly_param_string ("sampler", "Sampler", "Sampler name", "euler");
  dly_backend_class_install_param (backend_class, pspec);
}

static void
test_backend_init (TestBackend *self)
{
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack ? haystack : "(null)", needle);
}

/* Validates @value against @pspec and returns the error message (NULL when valid). */
static char *
validate_int (GParamSpec *pspec,
              gint64      number)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) normalized = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_value_init (&value, G_TYPE_INT64);
  g_value_set_int64 (&value, number);
  if (dly_param_validate (pspec, &value, &normalized, &error))
    {
      g_assert_no_error (error);
      g_assert_cmpint (g_value_get_int64 (&normalized), ==, number);
      return NULL;
    }
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  return g_strdup (error->message);
}

static char *
parse_error (GParamSpec *pspec,
             const char *text)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_false (dly_param_parse (pspec, text, &value, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  g_assert_false (G_IS_VALUE (&value));
  return g_strdup (error->message);
}

/* Parameters */

static void
test_param_names (void)
{
  g_autoptr(GParamSpec) frames = dly_param_int ("num_frames", "Frames", "How many", 9, 257, 121);
  g_autoptr(GParamSpec) scale = dly_param_double ("cfg_scale_video", "Guidance", "CFG", 1, 20, 3);
  g_autoptr(GParamSpec) audio = dly_param_boolean ("generate_audio", "Audio", "Sound", TRUE);
  g_autoptr(GParamSpec) ratio = dly_param_choice ("aspect_ratio", "Aspect", "Shape",
                                                  (const char * const[]) { "16:9", "9:16", NULL },
                                                  "16:9");

  /* The backend's own spelling, underscores and all (GLib alone would refuse or rename it). */
  g_assert_cmpstr (g_param_spec_get_name (frames), ==, "num_frames");
  g_assert_cmpstr (g_param_spec_get_name (scale), ==, "cfg_scale_video");
  g_assert_cmpstr (g_param_spec_get_name (audio), ==, "generate_audio");
  g_assert_cmpstr (g_param_spec_get_name (ratio), ==, "aspect_ratio");
  g_assert_cmpstr (g_param_spec_get_nick (frames), ==, "Frames");
  g_assert_cmpstr (g_param_spec_get_blurb (frames), ==, "How many");
  g_assert_cmpstr (dly_param_get_type_name (frames), ==, "int");
  g_assert_cmpstr (dly_param_get_type_name (scale), ==, "double");
  g_assert_cmpstr (dly_param_get_type_name (audio), ==, "boolean");
  g_assert_cmpstr (dly_param_get_type_name (ratio), ==, "choice");
}

static void
test_param_multiple_of (void)
{
  g_autoptr(GParamSpec) width = dly_param_int ("width", "Width", NULL, 64, 2048, 768);
  g_autofree char *rules = NULL;
  g_autofree char *message = NULL;

  g_assert_null (validate_int (width, 700));
  dly_param_set_multiple_of (width, 64);
  g_assert_cmpuint (dly_param_get_multiple_of (width), ==, 64);

  g_assert_null (validate_int (width, 704));
  message = validate_int (width, 700);
  g_assert_cmpstr (message, ==, "width must be a multiple of 64: 700 is not; try 640 or 704");
  g_clear_pointer (&message, g_free);
  /* The range is checked first: its message says more. */
  message = validate_int (width, 4096);
  g_assert_cmpstr (message, ==, "width must be between 64 and 2048, not 4096");
  g_clear_pointer (&message, g_free);
  message = validate_int (width, 0);
  g_assert_cmpstr (message, ==, "width must be between 64 and 2048, not 0");

  rules = dly_param_describe_rules (width);
  g_assert_cmpstr (rules, ==, "64–2048, multiple of 64");

  g_assert_cmpint (dly_param_snap_int (width, 700), ==, 704);
  g_assert_cmpint (dly_param_snap_int (width, 660), ==, 640);
  g_assert_cmpint (dly_param_snap_int (width, 10), ==, 64);
  g_assert_cmpint (dly_param_snap_int (width, 5000), ==, 2048);
}

static void
test_param_frame_count (void)
{
  g_autoptr(GParamSpec) frames = dly_param_int ("num_frames", "Frames", NULL, 9, 257, 121);
  g_autofree char *rules = NULL;
  g_autofree char *message = NULL;

  g_assert_false (dly_param_is_frame_count (frames));
  dly_param_set_frame_count (frames);
  g_assert_true (dly_param_is_frame_count (frames));

  for (gint64 n = 9; n <= 257; n += 8)
    g_assert_null (validate_int (frames, n));
  message = validate_int (frames, 120);
  g_assert_cmpstr (message, ==, "num_frames must be 8k+1 frames: 120 is not; try 113 or 121");
  g_clear_pointer (&message, g_free);
  message = validate_int (frames, 122);
  g_assert_cmpstr (message, ==, "num_frames must be 8k+1 frames: 122 is not; try 121 or 129");
  g_clear_pointer (&message, g_free);
  message = validate_int (frames, 1);
  g_assert_cmpstr (message, ==, "num_frames must be between 9 and 257, not 1");

  rules = dly_param_describe_rules (frames);
  assert_contains (rules, "9–257, 8k+1");

  g_assert_cmpint (dly_param_snap_int (frames, 120), ==, 121);
  g_assert_cmpint (dly_param_snap_int (frames, 124), ==, 121);
  g_assert_cmpint (dly_param_snap_int (frames, 126), ==, 129);
  g_assert_cmpint (dly_param_snap_int (frames, 300), ==, 257);
  g_assert_cmpint (dly_param_snap_int (frames, 2), ==, 9);
}

static void
test_param_flags (void)
{
  g_autoptr(GParamSpec) seed = dly_param_int ("seed", "Seed", NULL, 0, G_MAXUINT32, 42);
  g_autoptr(GParamSpec) rate = dly_param_double ("frame_rate", "Frame rate", NULL, 1, 60, 25);

  g_assert_false (dly_param_is_optional (seed));
  dly_param_set_optional (seed);
  g_assert_true (dly_param_is_optional (seed));

  /* Unset modes mean every mode. */
  g_assert_cmpint (dly_param_get_modes (rate), ==, DLY_MODE_FLAG_ALL);
  dly_param_set_modes (rate, DLY_MODE_FLAG_TEXT_TO_VIDEO);
  g_assert_cmpint (dly_param_get_modes (rate), ==, DLY_MODE_FLAG_TEXT_TO_VIDEO);
  g_assert_false (dly_param_get_modes (rate) & DLY_MODE_TO_FLAG (DLY_MODE_IMAGE_TO_VIDEO));

  g_assert_null (dly_param_get_unit (rate));
  dly_param_set_unit (rate, "fps");
  g_assert_cmpstr (dly_param_get_unit (rate), ==, "fps");
}

static void
test_param_choices (void)
{
  const char * const ratios[] = { "16:9", "9:16", "1:1", NULL };
  const gint64 durations[] = { 6, 8, 10 };
  g_autoptr(GParamSpec) ratio = dly_param_choice ("aspect_ratio", "Aspect", NULL, ratios, "16:9");
  g_autoptr(GParamSpec) duration = dly_param_int_choice ("duration", "Duration", NULL,
                                                         durations, G_N_ELEMENTS (durations), 6);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *rules = NULL;
  const gint64 *values;
  guint n = 0;

  g_assert_true (g_strv_equal (dly_param_get_choices (ratio), ratios));
  g_assert_true (dly_param_parse (ratio, "9:16", &value, &error));
  g_assert_cmpstr (g_value_get_string (&value), ==, "9:16");
  g_value_unset (&value);
  message = parse_error (ratio, "4:3");
  g_assert_cmpstr (message, ==, "aspect_ratio must be one of 16:9, 9:16, 1:1, not “4:3”");
  g_clear_pointer (&message, g_free);

  values = dly_param_get_int_choices (duration, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (values[2], ==, 10);
  g_assert_cmpint (G_PARAM_SPEC_INT64 (duration)->minimum, ==, 6);
  g_assert_cmpint (G_PARAM_SPEC_INT64 (duration)->maximum, ==, 10);
  g_assert_null (validate_int (duration, 8));
  message = validate_int (duration, 7);
  g_assert_cmpstr (message, ==, "duration must be one of 6, 8, 10, not 7");
  rules = dly_param_describe_rules (duration);
  g_assert_cmpstr (rules, ==, "one of 6, 8, 10");
  g_assert_cmpint (dly_param_snap_int (duration, 9), ==, 8);
  g_assert_cmpint (dly_param_snap_int (duration, 100), ==, 10);
}

/* --set NAME=VALUE */
static void
test_param_parse (void)
{
  g_autoptr(GParamSpec) steps = dly_param_int ("num_inference_steps", "Steps", NULL, 1, 100, 40);
  g_autoptr(GParamSpec) rate = dly_param_double ("frame_rate", "Frame rate", NULL, 1, 60, 25);
  g_autoptr(GParamSpec) audio = dly_param_boolean ("generate_audio", "Audio", NULL, TRUE);
  g_autoptr(GParamSpec) sampler = dly_param_string ("sampler", "Sampler", NULL, "euler");
  const char *yes[] = { "true", "TRUE", "1", "yes", "on" };
  const char *no[] = { "false", "0", "No", "off" };
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_assert_true (dly_param_parse (steps, "20", &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_value_get_int64 (&value), ==, 20);
  g_value_unset (&value);
  message = parse_error (steps, "20.5");
  g_assert_cmpstr (message, ==, "“20.5” is not a valid value for num_inference_steps: expected 1–100");
  g_clear_pointer (&message, g_free);
  message = parse_error (steps, "0");
  g_assert_cmpstr (message, ==, "num_inference_steps must be between 1 and 100, not 0");
  g_clear_pointer (&message, g_free);
  message = parse_error (steps, "99999999999999999999");
  assert_contains (message, "is not a valid value for num_inference_steps");
  g_clear_pointer (&message, g_free);

  /* Always the C locale: "23.976", never "23,976". */
  g_assert_true (dly_param_parse (rate, "23.976", &value, &error));
  g_assert_cmpfloat (g_value_get_double (&value), ==, 23.976);
  g_value_unset (&value);
  g_assert_true (dly_param_parse (rate, "24", &value, &error));
  g_assert_cmpfloat (g_value_get_double (&value), ==, 24.0);
  g_value_unset (&value);
  message = parse_error (rate, "23,976");
  assert_contains (message, "“23,976” is not a valid value for frame_rate: expected 1–60");
  g_clear_pointer (&message, g_free);
  message = parse_error (rate, "nan");
  assert_contains (message, "“nan” is not a valid value");
  g_clear_pointer (&message, g_free);
  message = parse_error (rate, "inf");
  assert_contains (message, "“inf” is not a valid value");
  g_clear_pointer (&message, g_free);
  message = parse_error (rate, "120");
  g_assert_cmpstr (message, ==, "frame_rate must be between 1 and 60, not 120");
  g_clear_pointer (&message, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      g_assert_true (dly_param_parse (audio, yes[i], &value, &error));
      g_assert_true (g_value_get_boolean (&value));
      g_value_unset (&value);
    }
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    {
      g_assert_true (dly_param_parse (audio, no[i], &value, &error));
      g_assert_false (g_value_get_boolean (&value));
      g_value_unset (&value);
    }
  message = parse_error (audio, "maybe");
  g_assert_cmpstr (message, ==, "“maybe” is not a valid value for generate_audio: expected true or false");
  g_clear_pointer (&message, g_free);

  g_assert_true (dly_param_parse (sampler, "dpm++ 2m", &value, &error));
  g_assert_cmpstr (g_value_get_string (&value), ==, "dpm++ 2m");
}

/* Requests hold values as JSON gave them; validation converts them to the pspec's type. */
static void
test_param_convert (void)
{
  g_autoptr(GParamSpec) frames = dly_param_int ("num_frames", "Frames", NULL, 9, 257, 121);
  g_autoptr(GParamSpec) rate = dly_param_double ("frame_rate", "Frame rate", NULL, 1, 60, 25);
  g_autoptr(GParamSpec) ratio = dly_param_choice ("duration", "Duration", NULL,
                                                  (const char * const[]) { "5", "10", NULL }, "5");
  g_autoptr(GParamSpec) audio = dly_param_boolean ("generate_audio", "Audio", NULL, TRUE);
  g_auto(GValue) in = G_VALUE_INIT;
  g_auto(GValue) out = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_value_init (&in, G_TYPE_DOUBLE);
  g_value_set_double (&in, 121.0);
  g_assert_true (dly_param_validate (frames, &in, &out, &error));
  g_assert_true (G_VALUE_HOLDS_INT64 (&out));
  g_assert_cmpint (g_value_get_int64 (&out), ==, 121);
  g_value_unset (&out);

  g_value_set_double (&in, 121.5);
  g_assert_false (dly_param_validate (frames, &in, NULL, &error));
  g_assert_cmpstr (error->message, ==, "num_frames must be a whole number, not 121.5");
  g_clear_error (&error);
  g_value_unset (&in);

  g_value_init (&in, G_TYPE_INT64);
  g_value_set_int64 (&in, 24);
  g_assert_true (dly_param_validate (rate, &in, &out, &error));
  g_assert_cmpfloat (g_value_get_double (&out), ==, 24.0);
  g_value_unset (&out);

  /* A choice "10" that came back from JSON as a number. */
  g_value_set_int64 (&in, 10);
  g_assert_true (dly_param_validate (ratio, &in, &out, &error));
  g_assert_cmpstr (g_value_get_string (&out), ==, "10");
  g_value_unset (&out);

  g_assert_false (dly_param_validate (audio, &in, NULL, &error));
  g_assert_cmpstr (error->message, ==, "generate_audio must be a value of type boolean");
  g_clear_error (&error);
  g_value_unset (&in);

  g_value_init (&in, G_TYPE_STRING);
  g_value_set_string (&in, "97");
  g_assert_true (dly_param_validate (frames, &in, &out, &error));
  g_assert_cmpint (g_value_get_int64 (&out), ==, 97);
  text = dly_param_format_value (frames, &out);
  g_assert_cmpstr (text, ==, "97");
  g_clear_pointer (&text, g_free);
  g_value_unset (&out);

  g_value_set_string (&in, "off");
  g_assert_true (dly_param_validate (audio, &in, &out, &error));
  g_assert_false (g_value_get_boolean (&out));
  text = dly_param_format_value (audio, &out);
  g_assert_cmpstr (text, ==, "false");
  g_clear_pointer (&text, g_free);
  g_value_unset (&out);
  g_value_unset (&in);

  g_value_init (&in, G_TYPE_DOUBLE);
  g_value_set_double (&in, 3.5);
  text = dly_param_format_value (rate, &in);
  g_assert_cmpstr (text, ==, "3.5");
}

/* Requests */

static void
test_request_round_trip (void)
{
  g_autoptr(DlyRequest) request = dly_request_new ();
  g_autoptr(DlyRequest) back = NULL;
  g_autoptr(DlyRequest) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  g_auto(GStrv) names = NULL;
  const char * const sorted[] = { "cfg_scale_video", "generate_audio", "num_frames", "sampler", NULL };
  double scale = 0;

  dly_request_set_prompt (request, "A lighthouse in a storm, “quoted” and ünïcode");
  dly_request_set_negative_prompt (request, "blurry");
  dly_request_set_image (request, "/home/me/still.png");
  dly_request_set_audio (request, "https://example.com/voice.wav");
  dly_request_add_lora (request, "https://example.com/a.safetensors", 0.75);
  dly_request_add_lora (request, "https://example.com/b.safetensors", 1.0);
  dly_request_set_param_int (request, "num_frames", 121);
  dly_request_set_param_double (request, "cfg_scale_video", 3.5);
  dly_request_set_param_boolean (request, "generate_audio", FALSE);
  dly_request_set_param_string (request, "sampler", "euler");

  names = dly_request_list_params (request);
  g_assert_true (g_strv_equal ((const char * const *) names, sorted));

  node = dly_request_to_json (request);
  text = json_to_string (node, FALSE);
  parsed = json_from_string (text, &error);
  g_assert_no_error (error);
  back = dly_request_new_from_json (parsed, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (dly_request_get_prompt (back), ==, "A lighthouse in a storm, “quoted” and ünïcode");
  g_assert_cmpstr (dly_request_get_negative_prompt (back), ==, "blurry");
  g_assert_cmpstr (dly_request_get_image (back), ==, "/home/me/still.png");
  g_assert_cmpstr (dly_request_get_audio (back), ==, "https://example.com/voice.wav");
  g_assert_cmpuint (dly_request_get_n_loras (back), ==, 2);
  g_assert_cmpstr (dly_request_get_lora (back, 0, &scale), ==, "https://example.com/a.safetensors");
  g_assert_cmpfloat (scale, ==, 0.75);
  g_assert_cmpstr (dly_request_get_lora (back, 1, &scale), ==, "https://example.com/b.safetensors");
  g_assert_cmpfloat (scale, ==, 1.0);
  g_assert_cmpint (g_value_get_int64 (dly_request_get_param (back, "num_frames")), ==, 121);
  g_assert_cmpfloat (g_value_get_double (dly_request_get_param (back, "cfg_scale_video")), ==, 3.5);
  g_assert_false (g_value_get_boolean (dly_request_get_param (back, "generate_audio")));
  g_assert_cmpstr (g_value_get_string (dly_request_get_param (back, "sampler")), ==, "euler");
  g_assert_null (dly_request_get_param (back, "seed"));

  /* Serialising again gives the same text: nothing is lost or reordered. */
  {
    g_autoptr(JsonNode) node2 = dly_request_to_json (back);

    again = json_to_string (node2, FALSE);
    g_assert_cmpstr (again, ==, text);
  }

  copy = dly_request_copy (request);
  g_assert_true (copy != request);
  g_assert_cmpstr (dly_request_get_prompt (copy), ==, dly_request_get_prompt (request));
  dly_request_set_param_int (copy, "num_frames", 97);
  g_assert_cmpint (g_value_get_int64 (dly_request_get_param (request, "num_frames")), ==, 121);
}

static void
test_request_details (void)
{
  g_autoptr(DlyRequest) request = dly_request_new ();
  g_autoptr(JsonNode) array = json_from_string ("[1, 2]", NULL);
  g_autoptr(JsonNode) odd = json_from_string ("{\"prompt\": 5, \"loras\": [\"x\", {\"url\": "
                                              "\"https://e.com/l\"}], \"params\": {\"a\": [1], \"b\": null, \"c\": 2}}",
                                              NULL);
  g_autoptr(DlyRequest) from_odd = NULL;
  g_autoptr(GError) error = NULL;
  double scale = 0;

  /* The composer's empty entries mean "none". */
  dly_request_set_prompt (request, "");
  dly_request_set_image (request, "");
  g_assert_null (dly_request_get_prompt (request));
  g_assert_null (dly_request_get_image (request));

  dly_request_set_param_int (request, "seed", 1);
  dly_request_unset_param (request, "seed");
  g_assert_null (dly_request_get_param (request, "seed"));

  g_assert_true (dly_request_location_is_url ("https://example.com/a.png"));
  g_assert_true (dly_request_location_is_url ("HTTP://example.com/a.png"));
  g_assert_false (dly_request_location_is_url ("/home/me/a.png"));
  g_assert_false (dly_request_location_is_url ("file:///home/me/a.png"));
  g_assert_false (dly_request_location_is_url (NULL));

  g_assert_null (dly_request_new_from_json (array, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* What a hand-edited recipe may hold: wrong types are skipped, not fatal. */
  from_odd = dly_request_new_from_json (odd, &error);
  g_assert_no_error (error);
  g_assert_null (dly_request_get_prompt (from_odd));
  g_assert_cmpuint (dly_request_get_n_loras (from_odd), ==, 1);
  g_assert_cmpstr (dly_request_get_lora (from_odd, 0, &scale), ==, "https://e.com/l");
  g_assert_cmpfloat (scale, ==, 1.0);
  g_assert_null (dly_request_get_param (from_odd, "a"));
  g_assert_null (dly_request_get_param (from_odd, "b"));
  g_assert_cmpint (g_value_get_int64 (dly_request_get_param (from_odd, "c")), ==, 2);
}

/* Parameter lookup on a backend */

static void
test_backend_params (void)
{
  g_autoptr(DlyBackend) backend = g_object_new (TEST_TYPE_BACKEND, "base-url", "http://h:1/", NULL);
  g_autoptr(DlyRequest) request = dly_request_new ();
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_cmpstr (dly_backend_get_base_url (backend), ==, "http://h:1");
  dly_backend_list_params (backend, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_nonnull (dly_backend_find_param (backend, "num_frames"));
  g_assert_null (dly_backend_find_param (backend, "num-frames"));

  /* Unset: the default; an unset optional one is not sent at all. */
  g_assert_cmpint (dly_backend_get_param_int (backend, request, "num_frames"), ==, 121);
  g_assert_false (dly_backend_get_param_value (backend, request, "seed", &value));
  g_assert_false (G_IS_VALUE (&value));
  g_assert_cmpstr (dly_backend_get_param_string (backend, request, "sampler"), ==, "euler");

  dly_request_set_prompt (request, "A lighthouse");
  dly_request_set_param_string (request, "num_frames", "97");
  dly_request_set_param_int (request, "seed", 7);
  dly_request_set_param_string (request, "sampler", "ddim");
  g_assert_true (dly_backend_validate (backend, request, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dly_backend_get_param_int (backend, request, "num_frames"), ==, 97);
  g_assert_cmpint (dly_backend_get_param_int (backend, request, "seed"), ==, 7);
  g_assert_cmpstr (dly_backend_get_param_string (backend, request, "sampler"), ==, "ddim");

  dly_request_set_param_int (request, "num_frames", 100);
  g_assert_false (dly_backend_validate (backend, request, NULL, &error));
  g_assert_cmpstr (error->message, ==, "num_frames must be 8k+1 frames: 100 is not; try 97 or 105");
  g_clear_error (&error);

  dly_request_set_param_int (request, "num_frames", 97);
  dly_request_set_param_int (request, "steps", 20);
  g_assert_false (dly_backend_validate (backend, request, NULL, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT);
  assert_contains (error->message, "Test backend has no parameter “steps”");
  g_clear_error (&error);
  dly_request_unset_param (request, "steps");

  dly_request_set_image (request, "/tmp/a.png");
  g_assert_false (dly_backend_validate (backend, request, NULL, &error));
  assert_contains (error->message, "Test backend does not do");
}

/* HTTP failures */

typedef struct
{
  guint       status;
  const char *retry_after;
  const char *body;
} Answer;

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  const Answer *answer = *(const Answer **) user_data;

  soup_server_message_set_status (msg, answer->status, NULL);
  if (answer->retry_after != NULL)
    soup_message_headers_append (soup_server_message_get_response_headers (msg), "Retry-After",
                                 answer->retry_after);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, answer->body,
                                    strlen (answer->body));
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Sends one request to @base and maps its answer with dly_backend_set_http_error(). */
static GError *
http_error (DlyBackend  *backend,
            SoupSession *session,
            const char  *backend_message)
{
  g_autoptr(SoupMessage) message = dly_backend_new_message (backend, SOUP_METHOD_GET, "/job/1");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  GError *mapped = NULL;

  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, on_sent, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);

  dly_backend_set_http_error (backend, message, body, backend_message, &mapped);
  g_assert_nonnull (mapped);
  return mapped;
}

static void
test_http_errors (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", direct, NULL);
  g_autoptr(DlyBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *base = NULL;
  g_autofree char *long_body = g_strnfill (2000, 'x');
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_seconds (now, 30);
  g_autofree char *soon_text = soup_date_time_to_string (soon, SOUP_DATE_HTTP);
  const Answer *answer = NULL;
  struct
  {
    Answer      answer;
    const char *backend_message;
    int         code;
    const char *says;
    guint       retry_min;
    guint       retry_max;
  } cases[] = {
    { { 401, NULL, "Invalid API key" }, NULL, DLY_ERROR_AUTH,
      "Test backend refused the API key (HTTP 401: Invalid API key). Check the key", 0, 0 },
    { { 403, NULL, "Forbidden: sk-secret-1234 is revoked" }, NULL, DLY_ERROR_AUTH,
      "(HTTP 403: Forbidden: [key hidden] is revoked)", 0, 0 },
    { { 402, NULL, "Payment required" }, NULL, DLY_ERROR_CREDITS,
      "Test backend says the account is out of credits (HTTP 402: Payment required)", 0, 0 },
    { { 406, NULL, "Not enough credits to run" }, NULL, DLY_ERROR_CREDITS, "out of credits", 0, 0 },
    { { 406, NULL, "Unsupported resolution" }, NULL, DLY_ERROR_INVALID_INPUT,
      "Test backend rejected the request (HTTP 406: Unsupported resolution)", 0, 0 },
    { { 404, NULL, "{\"detail\":\"Not Found\"}" }, "Not Found", DLY_ERROR_NOT_FOUND,
      "Test backend no longer has it (HTTP 404: Not Found)", 0, 0 },
    { { 410, NULL, "" }, NULL, DLY_ERROR_NOT_FOUND, "(HTTP 410: Gone)", 0, 0 },
    /* The dialect's own reading of the body wins over the raw body. */
    { { 422, NULL, "{\"detail\":[{\"loc\":[\"body\",\"width\"]}]}" }, "width: not a multiple of 32",
      DLY_ERROR_INVALID_INPUT, "rejected the request (HTTP 422: width: not a multiple of 32)", 0, 0 },
    { { 418, NULL, "I'm a teapot" }, NULL, DLY_ERROR_INVALID_INPUT, "(HTTP 418: I'm a teapot)", 0, 0 },
    { { 429, "7", "Too many requests" }, NULL, DLY_ERROR_TRANSIENT,
      "Test backend is busy or failing (HTTP 429: Too many requests)", 7000, 7000 },
    { { 429, soon_text, "slow down" }, NULL, DLY_ERROR_TRANSIENT, "HTTP 429", 25000, 30000 },
    { { 429, "soon", "slow down" }, NULL, DLY_ERROR_TRANSIENT, "HTTP 429", 0, 0 },
    { { 500, NULL, "Traceback (most recent call last): boom" }, NULL, DLY_ERROR_TRANSIENT,
      "(HTTP 500: Traceback (most recent call last): boom)", 0, 0 },
    { { 503, "120", "" }, NULL, DLY_ERROR_TRANSIENT, "(HTTP 503: Service Unavailable)", 120000, 120000 },
    { { 504, NULL, "upstream timed out" }, NULL, DLY_ERROR_TRANSIENT, "HTTP 504", 0, 0 },
    { { 507, NULL, "Insufficient Storage" }, NULL, DLY_ERROR_TRANSIENT,
      "Test backend is busy or failing (HTTP 507: Insufficient Storage)", 0, 0 },
  };

  soup_server_add_handler (server, NULL, on_request, &answer, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  backend = g_object_new (TEST_TYPE_BACKEND, "base-url", base, "api-key", "sk-secret-1234", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) mapped = NULL;

      answer = &cases[i].answer;
      mapped = http_error (backend, session, cases[i].backend_message);
      g_assert_error (mapped, DLY_ERROR, cases[i].code);
      assert_contains (mapped->message, cases[i].says);
      g_assert_null (strstr (mapped->message, "sk-secret-1234"));
      g_assert_cmpuint (dly_error_get_retry_after (mapped), >=, cases[i].retry_min);
      g_assert_cmpuint (dly_error_get_retry_after (mapped), <=, cases[i].retry_max);
      g_assert_cmpint (dly_error_is_transient (mapped), ==, cases[i].code == DLY_ERROR_TRANSIENT);
    }

  /* A backend's text is shown, but never at any length. */
  {
    Answer big = { 500, NULL, long_body };
    g_autoptr(GError) mapped = NULL;

    answer = &big;
    mapped = http_error (backend, session, NULL);
    assert_contains (mapped->message, "…");
    g_assert_cmpuint (g_utf8_strlen (mapped->message, -1), <, 600);
  }

  soup_server_disconnect (server);
}

static void
test_json_helpers (void)
{
  g_autoptr(GBytes) good = g_bytes_new_static ("{\"a\": 1}", 8);
  g_autoptr(GBytes) html = g_bytes_new_static ("<html>Bad Gateway</html>", 24);
  g_autoptr(GBytes) array = g_bytes_new_static ("[]", 2);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) message = soup_message_new ("POST", "http://127.0.0.1:1/x");
  g_autoptr(JsonNode) node = json_from_string ("{\"prompt\": \"hi\"}", NULL);

  object = dly_backend_parse_json_object (good, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (object, "a"), ==, 1);

  g_assert_null (dly_backend_parse_json_object (html, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL);
  assert_contains (error->message, "“<html>Bad Gateway</html>”");
  g_clear_error (&error);
  g_assert_null (dly_backend_parse_json_object (array, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (dly_backend_parse_json_object (NULL, &error));
  g_assert_error (error, DLY_ERROR, DLY_ERROR_PROTOCOL);

  dly_backend_set_json_body (message, node);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_request_headers (message), NULL),
                   ==, "application/json");
}

static void
test_own_host (void)
{
  g_autoptr(DlyBackend) backend = g_object_new (TEST_TYPE_BACKEND, "base-url", "https://api.example.com",
                                                "api-key", "k-123456", NULL);
  const struct { const char *url; gboolean own; } cases[] = {
    { "https://api.example.com/v1/x", TRUE },
    { "https://API.example.com:443/v1/x", TRUE },
    { "http://api.example.com/v1/x", FALSE },
    { "https://api.example.com:8443/v1/x", FALSE },
    { "https://cdn.example.com/v1/x", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GUri) uri = g_uri_parse (cases[i].url, G_URI_FLAGS_NONE, NULL);

      g_assert_cmpint (dly_backend_is_own_host (backend, uri), ==, cases[i].own);
    }
  g_assert_null (dly_backend_new_message (backend, SOUP_METHOD_GET, "ftp://api.example.com/x"));
}

int
main (int   argc,
      char *argv[])
{
  /* Loopback only; the GNOME proxy resolver would look for GSettings schemas that the
   * isolated XDG directories hide, and abort. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/params/names", test_param_names);
  g_test_add_func ("/params/multiple-of", test_param_multiple_of);
  g_test_add_func ("/params/frame-count", test_param_frame_count);
  g_test_add_func ("/params/flags", test_param_flags);
  g_test_add_func ("/params/choices", test_param_choices);
  g_test_add_func ("/params/parse", test_param_parse);
  g_test_add_func ("/params/convert", test_param_convert);
  g_test_add_func ("/request/round-trip", test_request_round_trip);
  g_test_add_func ("/request/details", test_request_details);
  g_test_add_func ("/backend/params", test_backend_params);
  g_test_add_func ("/backend/http-errors", test_http_errors);
  g_test_add_func ("/backend/json-helpers", test_json_helpers);
  g_test_add_func ("/backend/own-host", test_own_host);

  return g_test_run ();
}
