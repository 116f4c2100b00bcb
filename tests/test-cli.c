/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dailies-cli as scripts use it: the real executable, spawned against the in-process
 * simulator over loopback, with its ledger in this test's own XDG_DATA_HOME. The test's
 * main context serves the simulator, so every wait below iterates it. */
#include "config.h"

#include <signal.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "dly-sim.h"

#define CLI_TIMEOUT_MS 45000
#define WAIT_TIMEOUT_MS 20000

/* Small and short: every take is 64×64, 9 frames. */
#define SMALL_SETS "--set", "width=64", "--set", "height=64", "--set", "num_frames=9"

typedef struct
{
  DlySim *sim;
  char   *dir;       /* outputs and inputs, inside this test's isolated HOME */
} Fixture;

typedef struct
{
  GSubprocess *process;
  gboolean     done;
  char        *out;
  char        *err;
  GError      *error;
} Cli;

typedef struct
{
  int   status;      /* the exit status, or minus the signal that ended it */
  char *out;
  char *err;
} CliResult;

static void
cli_result_free (CliResult *result)
{
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

/* Iterating */

static gboolean
flag_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_ms (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, flag_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Spawning dailies-cli */

static const char *
cli_path (void)
{
  const char *path = g_getenv ("DAILIES_CLI");

  g_assert_nonnull (path);
  return path;
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Cli *cli = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &cli->out, &cli->err,
                                        &cli->error);
  cli->done = TRUE;
}

static Cli *
cli_startv (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Cli *cli = g_new0 (Cli, 1);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Fast polls and retries: the engine reads its tuning from the environment. */
  g_subprocess_launcher_setenv (launcher, "DAILIES_POLL_INITIAL_MS", "50", TRUE);
  g_subprocess_launcher_setenv (launcher, "DAILIES_POLL_MAX_MS", "150", TRUE);
  g_subprocess_launcher_setenv (launcher, "DAILIES_RETRY_BASE_MS", "20", TRUE);
  g_subprocess_launcher_setenv (launcher, "DAILIES_RETRY_MAX_MS", "200", TRUE);
  g_subprocess_launcher_setenv (launcher, "DAILIES_MAX_RETRIES", "6", TRUE);
  g_subprocess_launcher_setenv (launcher, "DAILIES_JOB_TIMEOUT_S", "60", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  /* The isolated directories of this test (GLib points the variables themselves at
   * /dev/null): the CLI's ledger lands in this test's own XDG_DATA_HOME. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);

  g_ptr_array_add (argv, (gpointer) cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  cli->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (cli->process, NULL, NULL, on_communicated, cli);
  return cli;
}

static CliResult *
cli_finish (Cli *cli)
{
  CliResult *result = g_new0 (CliResult, 1);
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add (CLI_TIMEOUT_MS, flag_timeout_cb, &timed_out);

  while (!cli->done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      g_subprocess_force_exit (cli->process);
      while (!cli->done)
        g_main_context_iteration (NULL, TRUE);
    }
  else
    g_source_remove (timeout);

  g_assert_no_error (cli->error);
  if (g_subprocess_get_if_exited (cli->process))
    result->status = g_subprocess_get_exit_status (cli->process);
  else
    result->status = -g_subprocess_get_term_sig (cli->process);
  result->out = g_steal_pointer (&cli->out);
  result->err = g_steal_pointer (&cli->err);

  if (g_test_verbose ())
    g_printerr ("exit %d\n--- stdout\n%s--- stderr\n%s---\n", result->status, result->out,
                result->err);
  g_assert_false (timed_out);

  g_object_unref (cli->process);
  g_free (cli);
  return result;
}

#define cli_start(...) cli_startv ((const char *[]) { __VA_ARGS__, NULL })
#define cli_run(...) cli_finish (cli_start (__VA_ARGS__))

/* JSON on stdout */

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static JsonArray *
ledger_jobs (void)
{
  g_autoptr(CliResult) result = cli_run ("jobs", "--json");
  g_autoptr(JsonNode) node = NULL;

  if (result->status != 0)
    g_printerr ("jobs --json: %s", result->err);
  g_assert_cmpint (result->status, ==, 0);
  node = parse_json (result->out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

static JsonObject *
ledger_job (const char *id)
{
  g_autoptr(JsonArray) jobs = ledger_jobs ();

  for (guint i = 0; i < json_array_get_length (jobs); i++)
    {
      JsonObject *job = json_array_get_object_element (jobs, i);

      if (g_strcmp0 (json_object_get_string_member (job, "id"), id) == 0)
        return json_object_ref (job);
    }
  return NULL;
}

/* The only job of the ledger, once it has one. */
static JsonObject *
ledger_single_job (void)
{
  g_autoptr(JsonArray) jobs = ledger_jobs ();

  if (json_array_get_length (jobs) == 0)
    return NULL;
  g_assert_cmpuint (json_array_get_length (jobs), ==, 1);
  return json_object_ref (json_array_get_object_element (jobs, 0));
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return json_node_get_string (node);
}

/* Waits until the ledger's only job has reached one of @states (space-separated) and,
 * with @need_remote_id, has its remote id recorded. Returns it. */
static JsonObject *
wait_for_ledger (const char *states,
                 gboolean    need_remote_id)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_TIMEOUT_MS * 1000;
  g_auto(GStrv) wanted = g_strsplit (states, " ", -1);

  g_autofree char *last = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonObject) job = ledger_single_job ();

      if (job != NULL && g_strv_contains ((const char * const *) wanted, member_string (job, "state"))
          && (!need_remote_id || member_string (job, "remote_id") != NULL))
        return g_steal_pointer (&job);
      if (job != NULL)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), job);

          g_free (last);
          last = json_to_string (node, FALSE);
        }
      spin_ms (30);
    }
  g_error ("The ledger's job never reached %s; last seen: %s", states, last ? last : "none");
  return NULL;
}

static void
wait_for_submits (Fixture    *f,
                  const char *dialect,
                  guint       count)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_TIMEOUT_MS * 1000;

  while (dly_sim_get_count (f->sim, dialect, DLY_SIM_COUNT_SUBMITS) < count)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      spin_ms (20);
    }
}

/* What the simulator serves for a job, fetched through the dialect's own API. */

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **bytes = user_data;
  g_autoptr(GError) error = NULL;

  *bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static GBytes *
http_get (const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  GBytes *bytes = NULL;

  g_assert_nonnull (message);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, on_read, &bytes);
  while (bytes == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  return bytes;
}

static GBytes *
sim_video (Fixture    *f,
           const char *dialect,
           const char *remote_id)
{
  const char *base = dly_sim_get_base_url (f->sim, dialect);
  g_autofree char *status_url = NULL;
  g_autofree char *video_url = NULL;
  g_autoptr(GBytes) status = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  if (g_str_equal (dialect, DLY_SIM_DIALECT_LTXV_TASK))
    status_url = g_strdup_printf ("%s/status/%s", base, remote_id);
  else
    status_url = g_strdup_printf ("%s/v1/video/tasks/%s", base, remote_id);

  status = http_get (status_url);
  node = parse_json (g_bytes_get_data (status, NULL));
  object = json_node_get_object (node);

  if (g_str_equal (dialect, DLY_SIM_DIALECT_LTXV_TASK))
    {
      g_autofree char *name = g_path_get_basename (json_object_get_string_member (object, "result"));

      video_url = g_strdup_printf ("%s/video/%s", base, name);
    }
  else
    {
      g_autofree char *base_slash = g_strconcat (base, "/", NULL);

      video_url = g_uri_resolve_relative (base_slash, json_object_get_string_member (object, "url"),
                                          G_URI_FLAGS_NONE, NULL);
    }
  g_assert_nonnull (video_url);
  return http_get (video_url);
}

/* The output is exactly the MP4 that the simulator rendered for the job. */
static void
assert_output_is_sim_video (Fixture    *f,
                            const char *dialect,
                            const char *path,
                            const char *remote_id)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) served = NULL;

  g_assert_nonnull (remote_id);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (contents + 4, 4, "ftyp", 4);

  served = sim_video (f, dialect, remote_id);
  g_assert_cmpmem (contents, length, g_bytes_get_data (served, NULL), g_bytes_get_size (served));
}

/* A real PNG, written here: a gradient, RGB 8-bit, zlib-compressed through GIO. */

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         length)
{
  crc = ~crc;
  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
  return ~crc;
}

static void
png_chunk (GByteArray   *png,
           const char   *type,
           const guint8 *data,
           gsize         length)
{
  guint32 be_length = GUINT32_TO_BE ((guint32) length);
  guint32 crc = crc32_update (0, (const guint8 *) type, 4);
  guint32 be_crc;

  crc = crc32_update (crc, data, length);
  be_crc = GUINT32_TO_BE (crc);
  g_byte_array_append (png, (const guint8 *) &be_length, 4);
  g_byte_array_append (png, (const guint8 *) type, 4);
  if (length > 0)
    g_byte_array_append (png, data, length);
  g_byte_array_append (png, (const guint8 *) &be_crc, 4);
}

static GBytes *
make_png (guint width,
          guint height)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) zlib = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;
  guint8 header[13];
  guint32 be;

  for (guint y = 0; y < height; y++)
    {
      guint8 filter = 0;

      g_byte_array_append (raw, &filter, 1);
      for (guint x = 0; x < width; x++)
        {
          guint8 rgb[3] = { (guint8) (x * 255 / width), (guint8) (y * 255 / height), 0x80 };

          g_byte_array_append (raw, rgb, 3);
        }
    }
  g_output_stream_write_all (zlib, raw->data, raw->len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (zlib, NULL, &error);
  g_assert_no_error (error);

  be = GUINT32_TO_BE (width);
  memcpy (header, &be, 4);
  be = GUINT32_TO_BE (height);
  memcpy (header + 4, &be, 4);
  header[8] = 8;    /* bit depth */
  header[9] = 2;    /* RGB */
  header[10] = header[11] = header[12] = 0;

  g_byte_array_append (png, signature, sizeof signature);
  png_chunk (png, "IHDR", header, sizeof header);
  png_chunk (png, "IDAT", g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
             g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)));
  png_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

/* Fixture */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_build_filename (g_get_home_dir (), "takes", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);

  f->sim = dly_sim_new ();
  dly_sim_start (f->sim, 0, &error);
  g_assert_no_error (error);
  dly_sim_set_job_seconds (f->sim, 0.3);

  /* Make the ledger first, alone, as any earlier run would have: two processes creating it
   * at once can fail, since switching a new database to WAL answers SQLITE_BUSY without
   * waiting (a defect of the ledger's open, reported; not what these tests are about). */
  {
    g_autoptr(JsonArray) jobs = ledger_jobs ();

    g_assert_cmpuint (json_array_get_length (jobs), ==, 0);
  }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  dly_sim_stop (f->sim);
  g_clear_object (&f->sim);
  g_free (f->dir);
}

static char *
output_path (Fixture    *f,
             const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static guint
submits (Fixture    *f,
         const char *dialect)
{
  return dly_sim_get_count (f->sim, dialect, DLY_SIM_COUNT_SUBMITS);
}

/* `generate` on @dialect of the simulator, small and fast; add options, then NULL-terminate
 * with args_end(). */
static GPtrArray *
generate_args (Fixture    *f,
               const char *dialect,
               const char *prompt,
               const char *output)
{
  GPtrArray *args = g_ptr_array_new ();
  const char *fixed[] = { "generate", "--backend", dialect,
                          "--url", dly_sim_get_base_url (f->sim, dialect),
                          "--prompt", prompt, SMALL_SETS, "--output", output };

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (args, (gpointer) fixed[i]);
  return args;
}

static const char * const *
args_end (GPtrArray *args)
{
  g_ptr_array_add (args, NULL);
  return (const char * const *) args->pdata;
}

static JsonObject *
result_object (CliResult *result)
{
  g_autoptr(JsonNode) node = parse_json (result->out);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* Tests */

static void
test_text_to_video (Fixture       *f,
                    gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *out = output_path (f, "fox.mp4");
  g_autoptr(GPtrArray) args = generate_args (f, dialect, "A red fox trots through fresh snow", out);
  g_autoptr(CliResult) result = NULL;
  g_autoptr(JsonObject) job = NULL;

  g_ptr_array_add (args, "--json");
  result = cli_finish (cli_startv (args_end (args)));
  g_assert_cmpint (result->status, ==, 0);
  g_assert_nonnull (strstr (result->err, "succeeded"));

  job = result_object (result);
  g_assert_cmpstr (member_string (job, "state"), ==, "succeeded");
  g_assert_cmpstr (member_string (job, "output_path"), ==, out);
  g_assert_cmpstr (member_string (job, "backend"), ==, dialect);
  g_assert_nonnull (member_string (job, "id"));
  g_assert_cmpfloat (json_object_get_double_member (job, "elapsed_seconds"), >, 0.0);
  assert_output_is_sim_video (f, dialect, out, member_string (job, "remote_id"));
  g_assert_cmpuint (submits (f, dialect), ==, 1);
}

static void
test_image_to_video (Fixture       *f,
                     gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *out = output_path (f, "portrait.mp4");
  g_autofree char *png_path = output_path (f, "portrait.png");
  g_autoptr(GBytes) png = make_png (64, 64);
  g_autoptr(GPtrArray) args = generate_args (f, dialect, "The portrait slowly smiles", out);
  g_autoptr(CliResult) result = NULL;
  g_autoptr(JsonObject) job = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *request;

  g_file_set_contents (png_path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error);
  g_assert_no_error (error);

  g_ptr_array_add (args, "--image");
  g_ptr_array_add (args, png_path);
  g_ptr_array_add (args, "--json");
  result = cli_finish (cli_startv (args_end (args)));
  g_assert_cmpint (result->status, ==, 0);

  job = result_object (result);
  g_assert_cmpstr (member_string (job, "state"), ==, "succeeded");
  request = json_object_get_object_member (job, "request");
  g_assert_nonnull (request);
  g_assert_cmpstr (member_string (request, "image"), ==, png_path);
  assert_output_is_sim_video (f, dialect, out, member_string (job, "remote_id"));
  g_assert_cmpuint (submits (f, dialect), ==, 1);
}

static void
test_backend_failure (Fixture       *f,
                      gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *out = output_path (f, "oom.mp4");
  g_autoptr(GPtrArray) args = generate_args (f, dialect, "A storm over the sea", out);
  g_autoptr(CliResult) result = NULL;
  g_autoptr(JsonObject) job = NULL;

  dly_sim_fail_next_jobs (f->sim, dialect, 1, "CUDA out of memory (simulated)", NULL);
  g_ptr_array_add (args, "--json");
  result = cli_finish (cli_startv (args_end (args)));

  g_assert_cmpint (result->status, ==, 1);
  g_assert_nonnull (strstr (result->err, "CUDA out of memory (simulated)"));
  job = result_object (result);
  g_assert_cmpstr (member_string (job, "state"), ==, "failed");
  g_assert_nonnull (strstr (member_string (job, "message"), "CUDA out of memory (simulated)"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_transient_faults (Fixture       *f,
                       gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *out = output_path (f, "bumpy.mp4");
  g_autoptr(GPtrArray) args = generate_args (f, dialect, "A lighthouse at dusk", out);
  g_autoptr(CliResult) result = NULL;
  g_autoptr(JsonObject) job = NULL;

  /* Three 503s, then a 429 that asks for one second: all absorbed by retries. */
  dly_sim_inject_http_errors (f->sim, dialect, 503, 3, 0);
  dly_sim_inject_http_errors (f->sim, dialect, 429, 1, 1);
  g_ptr_array_add (args, "--json");
  result = cli_finish (cli_startv (args_end (args)));

  g_assert_cmpint (result->status, ==, 0);
  g_assert_nonnull (strstr (result->err, "trying again"));
  g_assert_cmpuint (dly_sim_get_count (f->sim, dialect, DLY_SIM_COUNT_FAULTS), ==, 4);
  g_assert_cmpuint (submits (f, dialect), ==, 1);
  job = result_object (result);
  assert_output_is_sim_video (f, dialect, out, member_string (job, "remote_id"));
}

static void
test_invalid_set (Fixture       *f,
                  gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *out = output_path (f, "never.mp4");
  /* An unknown name, a value out of range, and a rule of the dialect's own. */
  const char *bad[] = {
    "colour=red", "colour",
    "width=9000", "width",
    g_str_equal (dialect, DLY_SIM_DIALECT_LTX2_SERVER) ? "height=100" : "num_frames=abc",
    g_str_equal (dialect, DLY_SIM_DIALECT_LTX2_SERVER) ? "height" : "num_frames",
  };
  g_autoptr(JsonArray) jobs = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i += 2)
    {
      g_autoptr(GPtrArray) args = generate_args (f, dialect, "Never sent", out);
      g_autoptr(CliResult) result = NULL;

      g_ptr_array_add (args, "--set");
      g_ptr_array_add (args, (gpointer) bad[i]);
      result = cli_finish (cli_startv (args_end (args)));
      g_assert_cmpint (result->status, ==, 2);
      g_assert_nonnull (strstr (result->err, bad[i + 1]));
      g_assert_cmpstr (result->out, ==, "");
    }

  g_assert_cmpuint (submits (f, dialect), ==, 0);
  jobs = ledger_jobs ();
  g_assert_cmpuint (json_array_get_length (jobs), ==, 0);
}

static void
test_bad_usage (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *out = output_path (f, "never.mp4");
  const char *url = dly_sim_get_base_url (f->sim, DLY_SIM_DIALECT_LTXV_TASK);
  g_autoptr(CliResult) unknown_dialect = NULL;
  g_autoptr(CliResult) no_output = NULL;
  g_autoptr(CliResult) no_backend = NULL;
  g_autoptr(CliResult) no_command = NULL;
  g_autoptr(CliResult) bad_command = NULL;
  g_autoptr(CliResult) missing_key = NULL;
  g_autoptr(CliResult) no_such_dir = NULL;
  g_autoptr(CliResult) no_profiles = NULL;
  g_autoptr(JsonArray) jobs = NULL;

  unknown_dialect = cli_run ("generate", "--backend", "ltx-nonesuch", "--url", url,
                             "--prompt", "x", "--output", out);
  g_assert_cmpint (unknown_dialect->status, ==, 2);
  g_assert_nonnull (strstr (unknown_dialect->err, "ltx-nonesuch"));
  g_assert_nonnull (strstr (unknown_dialect->err, "ltxv-task"));   /* says what exists */

  no_output = cli_run ("generate", "--backend", "ltxv-task", "--url", url, "--prompt", "x");
  g_assert_cmpint (no_output->status, ==, 2);
  g_assert_nonnull (strstr (no_output->err, "--output"));

  no_backend = cli_run ("generate", "--prompt", "x", "--output", out);
  g_assert_cmpint (no_backend->status, ==, 2);

  no_command = cli_run ("--bogus-flag");
  g_assert_cmpint (no_command->status, ==, 2);
  bad_command = cli_run ("frobnicate");
  g_assert_cmpint (bad_command->status, ==, 2);
  g_assert_nonnull (strstr (bad_command->err, "frobnicate"));

  missing_key = cli_run ("generate", "--backend", "ltxv-task", "--url", url, "--prompt", "x",
                         "--api-key-env", "DAILIES_TEST_NO_SUCH_VARIABLE", "--output", out);
  g_assert_cmpint (missing_key->status, ==, 2);
  g_assert_nonnull (strstr (missing_key->err, "DAILIES_TEST_NO_SUCH_VARIABLE"));

  no_such_dir = cli_run ("generate", "--backend", "ltxv-task", "--url", url, "--prompt", "x",
                         "--output", "/nonexistent-dir-of-dailies/take.mp4");
  g_assert_cmpint (no_such_dir->status, ==, 2);

  no_profiles = cli_run ("generate", "--profile", "studio", "--prompt", "x", "--output", out);
  g_assert_cmpint (no_profiles->status, ==, 2);
  g_assert_nonnull (strstr (no_profiles->err, "studio"));

  g_assert_cmpuint (submits (f, DLY_SIM_DIALECT_LTXV_TASK), ==, 0);
  jobs = ledger_jobs ();
  g_assert_cmpuint (json_array_get_length (jobs), ==, 0);
}

static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  /* Bound, never listening, then closed: connecting to it is refused. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  g_socket_close (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *out = output_path (f, "nowhere.mp4");
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autoptr(CliResult) result = NULL;
  g_autoptr(JsonObject) job = NULL;

  result = cli_run ("generate", "--backend", dialect, "--url", url, "--prompt", "Anyone there?",
                    SMALL_SETS, "--output", out, "--json");
  g_assert_cmpint (result->status, ==, 3);
  g_assert_nonnull (strstr (result->err, "failed"));
  job = result_object (result);
  g_assert_cmpstr (member_string (job, "state"), ==, "failed");
  g_assert_null (member_string (job, "remote_id"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static gboolean
dialect_has_remote_cancel (const char *dialect)
{
  g_autoptr(CliResult) result = cli_run ("backends", "--json");
  g_autoptr(JsonNode) node = parse_json (result->out);
  JsonArray *backends = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (backends); i++)
    {
      JsonObject *backend = json_array_get_object_element (backends, i);

      if (g_strcmp0 (member_string (backend, "name"), dialect) == 0)
        return json_object_get_boolean_member (backend, "remote_cancel");
    }
  g_assert_not_reached ();
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *out = output_path (f, "long.mp4");
  g_autoptr(GPtrArray) args = generate_args (f, dialect, "A very long take", out);
  g_autoptr(CliResult) cancel = NULL;
  g_autoptr(CliResult) again = NULL;
  g_autoptr(CliResult) generate = NULL;
  g_autoptr(JsonObject) job = NULL;
  g_autoptr(JsonObject) after = NULL;
  gboolean remote_cancel = dialect_has_remote_cancel (dialect);
  Cli *cli;

  dly_sim_set_job_seconds (f->sim, 30);
  cli = cli_startv (args_end (args));
  /* Running, so that the generating process has nothing left to record but progress. */
  job = wait_for_ledger ("running", TRUE);

  cancel = cli_run ("cancel", member_string (job, "id"));
  g_assert_cmpint (cancel->status, ==, 0);
  g_assert_nonnull (strstr (cancel->err, "cancelled"));

  generate = cli_finish (cli);
  g_assert_cmpint (generate->status, ==, 4);
  g_assert_nonnull (strstr (generate->err, "cancelled"));

  after = ledger_job (member_string (job, "id"));
  g_assert_cmpstr (member_string (after, "state"), ==, "cancelled");
  g_assert_cmpuint (dly_sim_get_count (f->sim, dialect, DLY_SIM_COUNT_CANCELS), ==,
                    remote_cancel ? 1 : 0);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  /* Cancelling again is not an error; the job simply is cancelled. */
  again = cli_run ("cancel", member_string (job, "id"));
  g_assert_cmpint (again->status, ==, 0);
  g_assert_cmpuint (submits (f, dialect), ==, 1);
}

static void
test_detach_then_wait (Fixture       *f,
                       gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *out = output_path (f, "later.mp4");
  g_autoptr(GPtrArray) args = generate_args (f, dialect, "Waves on a pebble beach", out);
  g_autoptr(CliResult) detached = NULL;
  g_autoptr(CliResult) waited = NULL;
  g_autoptr(CliResult) waited_again = NULL;
  g_autoptr(JsonObject) recorded = NULL;
  g_autoptr(JsonObject) job = NULL;
  g_autofree char *id = NULL;

  dly_sim_set_job_seconds (f->sim, 1.5);
  g_ptr_array_add (args, "--detach");
  detached = cli_finish (cli_startv (args_end (args)));
  g_assert_cmpint (detached->status, ==, 0);

  /* stdout is the job id alone, for `ID=$(dailies-cli generate … --detach)`. */
  id = g_strdup (detached->out);
  g_strchomp (id);
  g_assert_true (g_uuid_string_is_valid (id));
  recorded = ledger_job (id);
  g_assert_nonnull (recorded);
  g_assert_nonnull (member_string (recorded, "remote_id"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  waited = cli_run ("wait", id, "--json");
  g_assert_cmpint (waited->status, ==, 0);
  job = result_object (waited);
  g_assert_cmpstr (member_string (job, "state"), ==, "succeeded");
  g_assert_cmpstr (member_string (job, "output_path"), ==, out);
  assert_output_is_sim_video (f, dialect, out, member_string (job, "remote_id"));
  g_assert_cmpuint (submits (f, dialect), ==, 1);

  /* A finished job: `wait` reports it at once, by a unique prefix of its id too. */
  id[8] = '\0';
  waited_again = cli_run ("wait", id);
  g_assert_cmpint (waited_again->status, ==, 0);
  g_assert_cmpuint (submits (f, dialect), ==, 1);
}

static void
test_interrupt_detaches (Fixture       *f,
                         gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *out = output_path (f, "interrupted.mp4");
  g_autoptr(GPtrArray) args = generate_args (f, dialect, "Rain on a tin roof", out);
  g_autoptr(CliResult) interrupted = NULL;
  g_autoptr(CliResult) waited = NULL;
  g_autoptr(JsonObject) job = NULL;
  g_autoptr(JsonObject) after = NULL;
  Cli *cli;

  dly_sim_set_job_seconds (f->sim, 2.0);
  cli = cli_startv (args_end (args));
  job = wait_for_ledger ("waiting running", TRUE);

  g_subprocess_send_signal (cli->process, SIGINT);
  interrupted = cli_finish (cli);
  g_assert_cmpint (interrupted->status, ==, 130);
  g_assert_nonnull (strstr (interrupted->err, "keeps running"));
  g_assert_nonnull (strstr (interrupted->err, "dailies-cli wait"));

  /* Ctrl+C is not cancel: nothing was cancelled anywhere. */
  after = ledger_job (member_string (job, "id"));
  g_assert_cmpstr (member_string (after, "state"), !=, "cancelled");
  g_assert_cmpuint (dly_sim_get_count (f->sim, dialect, DLY_SIM_COUNT_CANCELS), ==, 0);

  waited = cli_run ("wait", member_string (job, "id"));
  g_assert_cmpint (waited->status, ==, 0);
  assert_output_is_sim_video (f, dialect, out, member_string (job, "remote_id"));
  g_assert_cmpuint (submits (f, dialect), ==, 1);
}

/* The key test: the CLI dies after submitting, and `resume` finishes the job without a
 * second submit, into the file that was asked for. */
static void
test_kill_then_resume (Fixture       *f,
                       gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *out = output_path (f, "survivor.mp4");
  g_autoptr(GPtrArray) args = generate_args (f, dialect, "A phoenix rising from embers", out);
  g_autoptr(CliResult) killed = NULL;
  g_autoptr(CliResult) resumed = NULL;
  g_autoptr(CliResult) nothing = NULL;
  g_autoptr(JsonObject) job = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *records;
  JsonObject *record;
  Cli *cli;

  dly_sim_set_job_seconds (f->sim, 2.5);
  cli = cli_startv (args_end (args));
  wait_for_submits (f, dialect, 1);
  job = wait_for_ledger ("waiting running", TRUE);
  g_assert_cmpuint (submits (f, dialect), ==, 1);

  g_subprocess_force_exit (cli->process);
  killed = cli_finish (cli);
  g_assert_cmpint (killed->status, ==, -SIGKILL);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  resumed = cli_run ("resume", "--json");
  g_assert_cmpint (resumed->status, ==, 0);
  node = parse_json (resumed->out);
  records = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  record = json_array_get_object_element (records, 0);
  g_assert_cmpstr (member_string (record, "id"), ==, member_string (job, "id"));
  g_assert_cmpstr (member_string (record, "state"), ==, "succeeded");
  g_assert_cmpstr (member_string (record, "output_path"), ==, out);
  g_assert_cmpstr (member_string (record, "remote_id"), ==, member_string (job, "remote_id"));

  assert_output_is_sim_video (f, dialect, out, member_string (job, "remote_id"));
  g_assert_cmpuint (submits (f, dialect), ==, 1);

  after = ledger_job (member_string (job, "id"));
  g_assert_cmpstr (member_string (after, "state"), ==, "succeeded");
  nothing = cli_run ("resume");
  g_assert_cmpint (nothing->status, ==, 0);
  g_assert_cmpuint (submits (f, dialect), ==, 1);
}

/* Killed while the submit is on the wire: nobody knows whether the backend took it, so
 * `resume` must not send it again. */
static void
test_kill_while_submitting (Fixture       *f,
                            gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *out = output_path (f, "limbo.mp4");
  g_autoptr(GPtrArray) args = generate_args (f, dialect, "A cat in a box", out);
  g_autoptr(CliResult) killed = NULL;
  g_autoptr(CliResult) resumed = NULL;
  g_autoptr(CliResult) again = NULL;
  g_autoptr(CliResult) waited = NULL;
  g_autoptr(JsonObject) job = NULL;
  g_autoptr(JsonObject) after = NULL;
  Cli *cli;

  /* Every answer takes 2 s: the CLI is killed well inside the submit's. */
  dly_sim_set_latency_ms (f->sim, 2000);
  cli = cli_startv (args_end (args));
  job = wait_for_ledger ("submitting", FALSE);
  spin_ms (400);
  g_subprocess_force_exit (cli->process);
  killed = cli_finish (cli);
  g_assert_cmpint (killed->status, ==, -SIGKILL);

  after = ledger_single_job ();
  g_assert_cmpstr (member_string (after, "state"), ==, "submitting");
  g_assert_null (member_string (after, "remote_id"));
  g_clear_pointer (&after, json_object_unref);

  /* The submit did arrive: the simulator handles it once its latency has passed, although
   * nobody is left to read the answer. From now on any second submit is counted at once. */
  wait_for_submits (f, dialect, 1);
  dly_sim_set_latency_ms (f->sim, 0);

  resumed = cli_run ("resume");
  g_assert_cmpint (resumed->status, ==, 1);
  g_assert_nonnull (strstr (resumed->err, "unknown"));
  g_assert_nonnull (strstr (resumed->err, "check the backend"));

  after = ledger_job (member_string (job, "id"));
  g_assert_cmpstr (member_string (after, "state"), ==, "unknown");

  /* Unknown is final: neither resume nor wait sends it again. */
  again = cli_run ("resume");
  g_assert_cmpint (again->status, ==, 0);
  waited = cli_run ("wait", member_string (job, "id"));
  g_assert_cmpint (waited->status, ==, 1);
  g_assert_nonnull (strstr (waited->err, "check the backend"));
  g_assert_cmpuint (submits (f, dialect), ==, 1);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_jobs_newest_first (Fixture       *f,
                        gconstpointer  data)
{
  const char *dialect = DLY_SIM_DIALECT_LTXV_TASK;
  g_autofree char *first_out = output_path (f, "first.mp4");
  g_autofree char *second_out = output_path (f, "second.mp4");
  g_autoptr(GPtrArray) first_args = generate_args (f, dialect, "First take: a failing one", first_out);
  g_autoptr(GPtrArray) second_args = generate_args (f, dialect, "Second take\nwith two lines", second_out);
  g_autoptr(CliResult) first = NULL;
  g_autoptr(CliResult) second = NULL;
  g_autoptr(CliResult) table = NULL;
  g_autoptr(JsonObject) first_job = NULL;
  g_autoptr(JsonObject) second_job = NULL;
  g_autoptr(JsonArray) jobs = NULL;
  g_autofree char *first_short = NULL;
  g_autofree char *second_short = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *newest, *oldest;
  const char *first_row, *second_row;

  dly_sim_fail_next_jobs (f->sim, dialect, 1, "Simulated failure", NULL);
  g_ptr_array_add (first_args, "--json");
  first = cli_finish (cli_startv (args_end (first_args)));
  g_assert_cmpint (first->status, ==, 1);
  first_job = result_object (first);
  g_ptr_array_add (second_args, "--json");
  second = cli_finish (cli_startv (args_end (second_args)));
  g_assert_cmpint (second->status, ==, 0);
  second_job = result_object (second);

  jobs = ledger_jobs ();
  g_assert_cmpuint (json_array_get_length (jobs), ==, 2);
  newest = json_array_get_object_element (jobs, 0);
  oldest = json_array_get_object_element (jobs, 1);
  g_assert_cmpstr (member_string (newest, "id"), ==, member_string (second_job, "id"));
  g_assert_cmpstr (member_string (newest, "state"), ==, "succeeded");
  g_assert_cmpstr (member_string (newest, "output_path"), ==, second_out);
  g_assert_cmpstr (member_string (oldest, "id"), ==, member_string (first_job, "id"));
  g_assert_cmpstr (member_string (oldest, "state"), ==, "failed");
  g_assert_cmpstr (member_string (oldest, "message"), ==, member_string (first_job, "message"));
  g_assert_cmpint (json_object_get_int_member (newest, "created_at"), >=,
                   json_object_get_int_member (oldest, "created_at"));

  /* The human table: a header, one line per job, newest first, prompts on one line. */
  table = cli_run ("jobs");
  g_assert_cmpint (table->status, ==, 0);
  g_assert_true (g_str_has_prefix (table->out, "ID"));
  g_assert_nonnull (strstr (table->out, "STATE"));
  first_short = g_strndup (member_string (first_job, "id"), 8);
  second_short = g_strndup (member_string (second_job, "id"), 8);
  first_row = strstr (table->out, first_short);
  second_row = strstr (table->out, second_short);
  g_assert_nonnull (first_row);
  g_assert_nonnull (second_row);
  g_assert_true (second_row < first_row);
  g_assert_nonnull (strstr (table->out, "Second take with two lines"));
  g_assert_nonnull (strstr (table->out, second_out));
  lines = g_strsplit (table->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, two jobs, and the last newline */
}

/* --lora URL[:SCALE]: URLs have colons of their own, so only a trailing number is a scale.
 * apixo takes LoRAs and a key, which goes by its variable's name and is never printed. */
static void
test_lora_and_key (Fixture       *f,
                   gconstpointer  data)
{
  const char *dialect = DLY_SIM_DIALECT_APIXO;
  g_autofree char *out = output_path (f, "styled.mp4");
  g_autoptr(GBytes) weights = g_bytes_new_static ("not really safetensors", 22);
  g_autofree char *style = dly_sim_add_asset (f->sim, "style.safetensors", weights, NULL);
  g_autofree char *grain = dly_sim_add_asset (f->sim, "grain.safetensors", weights, NULL);
  g_autofree char *style_arg = g_strconcat (style, ":0.7", NULL);
  g_autoptr(CliResult) no_key = NULL;
  g_autoptr(CliResult) result = NULL;
  g_autoptr(JsonObject) job = NULL;
  g_autoptr(JsonArray) ledger = NULL;
  g_autofree char *ledger_text = NULL;
  JsonArray *loras;
  JsonObject *lora;

  /* The CDN URLs carry a port: "http://HOST:PORT/…/style.safetensors:0.7". */
  g_assert_nonnull (strstr (style, "://"));
  dly_sim_set_api_key (f->sim, "sim-secret-key");
  dly_sim_set_max_render_pixels (f->sim, 64 * 64);
  g_setenv ("DAILIES_TEST_APIXO_KEY", "sim-secret-key", TRUE);

  /* A key the backend needs and nobody gave: refused before anything is sent. */
  no_key = cli_run ("generate", "--backend", dialect, "--url", dly_sim_get_base_url (f->sim, dialect),
                    "--prompt", "A watercolour harbour", "--output", out);
  g_assert_cmpint (no_key->status, ==, 2);
  g_assert_cmpuint (submits (f, dialect), ==, 0);

  result = cli_run ("generate", "--backend", dialect, "--url", dly_sim_get_base_url (f->sim, dialect),
                    "--prompt", "A watercolour harbour", "--set", "resolution=480p",
                    "--set", "duration=5", "--lora", style_arg, "--lora", grain,
                    "--api-key-env", "DAILIES_TEST_APIXO_KEY", "--output", out, "--json");
  g_unsetenv ("DAILIES_TEST_APIXO_KEY");
  g_assert_cmpint (result->status, ==, 0);
  job = result_object (result);
  g_assert_cmpstr (member_string (job, "state"), ==, "succeeded");
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (submits (f, dialect), ==, 1);

  loras = json_object_get_array_member (json_object_get_object_member (job, "request"), "loras");
  g_assert_cmpuint (json_array_get_length (loras), ==, 2);
  lora = json_array_get_object_element (loras, 0);
  g_assert_cmpstr (member_string (lora, "url"), ==, style);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (lora, "scale"), 0.7, 1e-9);
  lora = json_array_get_object_element (loras, 1);
  g_assert_cmpstr (member_string (lora, "url"), ==, grain);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (lora, "scale"), 1.0, 1e-9);

  /* The key itself is nowhere: not on stdout, stderr, nor in the ledger. */
  ledger = ledger_jobs ();
  {
    g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), ledger);

    ledger_text = json_to_string (node, FALSE);
  }
  g_assert_null (strstr (result->out, "sim-secret-key"));
  g_assert_null (strstr (result->err, "sim-secret-key"));
  g_assert_null (strstr (ledger_text, "sim-secret-key"));
}

static JsonObject *
find_named (JsonArray  *array,
            const char *name)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (member_string (object, "name"), name) == 0)
        return object;
    }
  return NULL;
}

static gboolean
array_has_string (JsonArray  *array,
                  const char *text)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), text) == 0)
      return TRUE;
  return FALSE;
}

static void
test_backends (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CliResult) json = cli_run ("backends", "--json");
  g_autoptr(CliResult) human = cli_run ("backends");
  g_autoptr(JsonNode) node = NULL;
  const char *dialects[] = { DLY_SIM_DIALECT_LTXV_TASK, DLY_SIM_DIALECT_LTX2_SERVER };
  JsonArray *backends;

  g_assert_cmpint (json->status, ==, 0);
  node = parse_json (json->out);
  backends = json_node_get_array (node);

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      JsonObject *backend = find_named (backends, dialects[i]);
      JsonArray *params;
      JsonObject *width, *frames;

      g_assert_nonnull (backend);
      g_assert_nonnull (member_string (backend, "label"));
      g_assert_true (array_has_string (json_object_get_array_member (backend, "modes"), "text-to-video"));
      g_assert_true (array_has_string (json_object_get_array_member (backend, "modes"), "image-to-video"));
      g_assert_true (array_has_string (json_object_get_array_member (backend, "image_inputs"), "file"));

      params = json_object_get_array_member (backend, "parameters");
      width = find_named (params, "width");
      g_assert_nonnull (width);
      g_assert_cmpstr (member_string (width, "type"), ==, "int");
      g_assert_cmpint (json_object_get_int_member (width, "minimum"), ==, 64);
      g_assert_cmpint (json_object_get_int_member (width, "default"), >=,
                       json_object_get_int_member (width, "minimum"));
      g_assert_cmpint (json_object_get_int_member (width, "default"), <=,
                       json_object_get_int_member (width, "maximum"));
      g_assert_nonnull (member_string (width, "rules"));
      frames = find_named (params, "num_frames");
      g_assert_nonnull (frames);
      g_assert_nonnull (find_named (params, "seed"));
    }

  /* ltx2-server's sizes are multiples of 64 and its frame counts 8k+1. */
  {
    JsonArray *params = json_object_get_array_member (find_named (backends, DLY_SIM_DIALECT_LTX2_SERVER),
                                                      "parameters");
    JsonObject *frame_rate = find_named (params, "frame_rate");

    g_assert_cmpint (json_object_get_int_member (find_named (params, "width"), "multiple_of"), ==, 64);
    g_assert_true (json_object_get_boolean_member (find_named (params, "num_frames"), "frame_count"));
    g_assert_nonnull (frame_rate);
    g_assert_cmpstr (member_string (frame_rate, "type"), ==, "double");
    g_assert_cmpstr (member_string (frame_rate, "unit"), ==, "fps");
  }

  g_assert_cmpint (human->status, ==, 0);
  g_assert_nonnull (strstr (human->out, "ltxv-task"));
  g_assert_nonnull (strstr (human->out, "ltx2-server"));
  g_assert_nonnull (strstr (human->out, "frame_rate"));
  g_assert_nonnull (strstr (human->out, "multiple of 64"));
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  const char *commands[] = { "generate", "wait", "resume", "jobs", "cancel", "backends" };
  g_autoptr(CliResult) top = cli_run ("--help");

  g_assert_cmpint (top->status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(CliResult) sub = cli_run (commands[i], "--help");

      g_assert_nonnull (strstr (top->out, commands[i]));
      g_assert_cmpint (sub->status, ==, 0);
      /* Every --help documents the exit codes, including the failure mapping. */
      g_assert_nonnull (strstr (sub->out, "Exit status"));
      g_assert_nonnull (strstr (sub->out, "130"));
    }
  g_assert_nonnull (strstr (top->out, "Exit status"));
}

static void
add_dialect_test (const char *name,
                  const char *dialect,
                  void      (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strdup_printf ("/cli/%s/%s", dialect, name);

  g_test_add (path, Fixture, dialect, fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  const char *dialects[] = { DLY_SIM_DIALECT_LTXV_TASK, DLY_SIM_DIALECT_LTX2_SERVER };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/cli/help", Fixture, NULL, fixture_setup, test_help, fixture_teardown);
  g_test_add ("/cli/bad-usage", Fixture, NULL, fixture_setup, test_bad_usage, fixture_teardown);
  g_test_add ("/cli/backends", Fixture, NULL, fixture_setup, test_backends, fixture_teardown);
  g_test_add ("/cli/jobs", Fixture, NULL, fixture_setup, test_jobs_newest_first, fixture_teardown);
  g_test_add ("/cli/lora-and-key", Fixture, NULL, fixture_setup, test_lora_and_key, fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      add_dialect_test ("text-to-video", dialects[i], test_text_to_video);
      add_dialect_test ("image-to-video", dialects[i], test_image_to_video);
      add_dialect_test ("backend-failure", dialects[i], test_backend_failure);
      add_dialect_test ("transient-faults", dialects[i], test_transient_faults);
      add_dialect_test ("invalid-set", dialects[i], test_invalid_set);
      add_dialect_test ("unreachable", dialects[i], test_unreachable);
      add_dialect_test ("cancel", dialects[i], test_cancel);
      add_dialect_test ("detach-then-wait", dialects[i], test_detach_then_wait);
      add_dialect_test ("kill-then-resume", dialects[i], test_kill_then_resume);
    }
  add_dialect_test ("interrupt-detaches", DLY_SIM_DIALECT_LTXV_TASK, test_interrupt_detaches);
  add_dialect_test ("kill-while-submitting", DLY_SIM_DIALECT_LTX2_SERVER, test_kill_while_submitting);

  return g_test_run ();
}
