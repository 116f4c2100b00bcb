/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The hosted dialects end to end: the real dailies-cli, with profiles whose keys live in
 * libsecret's file backend (a throwaway keyring in this test's own directories) or in the
 * environment, against the in-process simulator over loopback. Results come from the
 * simulator's second host (the "CDN"), which records the headers it receives: no key may
 * ever reach it. At the end of each test every byte the CLI printed, the ledger and the
 * profiles file are searched for the key.
 *
 * The test's main context serves the simulator, so every wait below iterates it. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dly-sim.h"

#define KEY        "sk-e2e-S3cret-Key-7f3a9c1d5e8b2046"
#define WRONG_KEY  "sk-e2e-Wrong-Key-0000111122223333"
#define ENV_VAR    "DAILIES_TEST_HOSTED_KEY"
#define PROMPT     "A lighthouse on a cliff at dusk, waves crashing, slow push-in"

#define CLI_TIMEOUT_MS 60000

typedef struct
{
  DlySim  *sim;
  char    *dir;        /* outputs */
  char    *keyring;    /* libsecret's file backend */
  GString *printed;    /* everything every CLI run printed */
} Fixture;

typedef struct
{
  GSubprocess *process;
  gboolean     done;
  char        *out;
  char        *err;
  GError      *error;
} Run;

typedef struct
{
  int   status;
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

/* Spawning dailies-cli */

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err,
                                        &run->error);
  run->done = TRUE;
}

/* Runs dailies-cli with @args; @input goes to its stdin; @env is NAME=VALUE pairs. */
static CliResult *
cli_runv (Fixture            *f,
          const char         *input,
          const char * const *env,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  CliResult *result = g_new0 (CliResult, 1);
  gboolean timed_out = FALSE;
  Run run = { NULL };
  guint timeout;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Fast polls and retries, read by the engine from the environment. */
  g_subprocess_launcher_setenv (launcher, "DAILIES_POLL_INITIAL_MS", "50", TRUE);
  g_subprocess_launcher_setenv (launcher, "DAILIES_POLL_MAX_MS", "150", TRUE);
  g_subprocess_launcher_setenv (launcher, "DAILIES_RETRY_BASE_MS", "20", TRUE);
  g_subprocess_launcher_setenv (launcher, "DAILIES_RETRY_MAX_MS", "200", TRUE);
  g_subprocess_launcher_setenv (launcher, "DAILIES_MAX_RETRIES", "8", TRUE);
  g_subprocess_launcher_setenv (launcher, "DAILIES_JOB_TIMEOUT_S", "60", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  /* Never the user's keyring. */
  g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH", f->keyring, TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PASSWORD", "test", TRUE);
  g_subprocess_launcher_unsetenv (launcher, ENV_VAR);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  g_ptr_array_add (argv, (gpointer) g_getenv ("DAILIES_CLI"));
  g_assert_nonnull (argv->pdata[0]);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  run.process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (run.process, input ? input : "", NULL, on_communicated, &run);

  timeout = g_timeout_add (CLI_TIMEOUT_MS, on_timeout, &timed_out);
  while (!run.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      g_subprocess_force_exit (run.process);
      while (!run.done)
        g_main_context_iteration (NULL, TRUE);
    }
  else
    g_source_remove (timeout);

  g_assert_no_error (run.error);
  result->status = g_subprocess_get_if_exited (run.process)
                   ? g_subprocess_get_exit_status (run.process)
                   : -g_subprocess_get_term_sig (run.process);
  result->out = g_steal_pointer (&run.out);
  result->err = g_steal_pointer (&run.err);
  g_string_append_printf (f->printed, "%s\n%s\n", result->out, result->err);
  g_object_unref (run.process);

  if (g_test_verbose () || timed_out)
    {
      g_autofree char *command = g_strjoinv (" ", (char **) args);

      /* The debug log is long; the lines of dailies-cli itself say what happened. */
      g_printerr ("$ dailies-cli %s\nexit %d\n--- stdout\n%s--- stderr (dailies lines)\n",
                  command, result->status, result->out);
      {
        g_auto(GStrv) lines = g_strsplit (result->err, "\n", -1);

        for (guint i = 0; lines[i] != NULL; i++)
          if (strstr (lines[i], "-DEBUG") == NULL && *lines[i] != '\0')
            g_printerr ("%s\n", lines[i]);
      }
    }
  g_assert_false (timed_out);
  return result;
}

#define ARGS(...) ((const char * const []) { __VA_ARGS__, NULL })
#define cli_run(f, ...) cli_runv (f, NULL, NULL, ARGS (__VA_ARGS__))

/* Helpers */

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack ? haystack : "(null)", needle);
}

static char *
output_path (Fixture    *f,
             const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
assert_mp4 (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (contents + 4, 4, "ftyp", 4);
}

static char *
fixture_url (Fixture    *f,
             const char *name)
{
  return g_strdup_printf ("%s/_sim/fixtures/%s", dly_sim_get_url (f->sim), name);
}

/* A profile named after the dialect, with @key in the keyring. */
static void
add_profile (Fixture    *f,
             const char *name,
             const char *dialect,
             const char *key)
{
  g_autofree char *input = g_strconcat (key, "\n", NULL);
  g_autoptr(CliResult) result = NULL;

  /* apixo's shortest, smallest take, as a profile's defaults. */
  if (g_str_equal (dialect, "apixo"))
    result = cli_runv (f, input, NULL,
                       ARGS ("profiles", "add", name, "--backend", dialect,
                             "--url", dly_sim_get_base_url (f->sim, dialect), "--key-from-stdin",
                             "--set", "resolution=480p", "--set", "duration=5"));
  else
    result = cli_runv (f, input, NULL,
                       ARGS ("profiles", "add", name, "--backend", dialect,
                             "--url", dly_sim_get_base_url (f->sim, dialect), "--key-from-stdin"));
  g_assert_cmpint (result->status, ==, 0);
  assert_contains (result->out, "key: keyring");
}

static CliResult *
generate (Fixture            *f,
          const char         *profile,
          const char         *output,
          const char * const *extra)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, "generate");
  g_ptr_array_add (args, "--profile");
  g_ptr_array_add (args, (gpointer) profile);
  g_ptr_array_add (args, "--prompt");
  g_ptr_array_add (args, PROMPT);
  g_ptr_array_add (args, "--output");
  g_ptr_array_add (args, (gpointer) output);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, NULL);
  /* Debug logging on: a key must not show up there either. (GLib writes debug messages to
   * stdout, so only where stdout is not parsed.) */
  return cli_runv (f, NULL, ARGS ("G_MESSAGES_DEBUG=all"), (const char * const *) args->pdata);
}

/* Runs a take that must succeed and returns nothing; checks the file. */
static void
generate_ok (Fixture            *f,
             const char         *profile,
             const char         *name,
             const char * const *extra)
{
  g_autofree char *output = output_path (f, name);
  g_autoptr(CliResult) result = generate (f, profile, output, extra);

  g_assert_cmpint (result->status, ==, 0);
  assert_mp4 (output);
}

/* The result host saw requests, and none carried a credential. */
static void
assert_cdn_clean (Fixture *f,
                  gboolean used)
{
  if (used)
    g_assert_cmpuint (dly_sim_get_cdn_request_count (f->sim), >, 0);
  g_assert_false (dly_sim_cdn_saw_header (f->sim, "Authorization"));
  g_assert_false (dly_sim_cdn_saw_header (f->sim, "x-api-key"));
}

static gboolean
bytes_contain (const char *data,
               gsize       size,
               const char *needle)
{
  gsize length = strlen (needle);

  for (gsize i = 0; length <= size && i <= size - length; i++)
    if (memcmp (data + i, needle, length) == 0)
      return TRUE;
  return FALSE;
}

/* Every file under @dir, searched byte by byte. */
static guint
assert_no_key_in_dir (const char *dir,
                      const char *key)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_files = 0;

  if (handle == NULL)
    return 0;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n_files += assert_no_key_in_dir (path, key);
          continue;
        }
      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      if (bytes_contain (contents, length, key))
        g_error ("The key is in %s", path);
      n_files++;
    }
  return n_files;
}

/* The key in no output, no ledger, no profiles file, no `jobs --json`. */
static void
assert_key_nowhere (Fixture    *f,
                    const char *key)
{
  g_autoptr(CliResult) jobs = cli_run (f, "jobs", "--json");
  g_autoptr(CliResult) profiles = cli_run (f, "profiles", "list", "--json");
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "dailies", NULL);
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "dailies", NULL);
  g_autofree char *ledger = g_build_filename (data_dir, "ledger.sqlite", NULL);
  g_autofree char *profiles_file = g_build_filename (config_dir, "profiles.ini", NULL);

  g_assert_cmpint (jobs->status, ==, 0);
  g_assert_cmpint (profiles->status, ==, 0);
  g_assert_true (g_file_test (ledger, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (profiles_file, G_FILE_TEST_EXISTS));
  g_assert_null (strstr (f->printed->str, key));
  g_assert_cmpuint (assert_no_key_in_dir (data_dir, key), >, 0);
  g_assert_cmpuint (assert_no_key_in_dir (config_dir, key), >, 0);
}

/* Fixture */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_build_filename (g_get_home_dir (), "takes", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
  /* Outside the directories searched for the key: libsecret encrypts it, but keeps it. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_state_dir (), 0700), ==, 0);
  f->keyring = g_build_filename (g_get_user_state_dir (), "keyring", NULL);
  f->printed = g_string_new (NULL);

  f->sim = dly_sim_new ();
  dly_sim_start (f->sim, 0, &error);
  g_assert_no_error (error);
  dly_sim_set_job_seconds (f->sim, 0.3);
  /* Real MP4s, but small ones: hosted takes are HD and seconds long. */
  dly_sim_set_max_render_pixels (f->sim, 160 * 96);
  dly_sim_set_api_key (f->sim, KEY);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Whatever the test did, the key is nowhere. */
  if (!g_test_failed ())
    {
      assert_key_nowhere (f, KEY);
      assert_key_nowhere (f, WRONG_KEY);
    }
  dly_sim_stop (f->sim);
  g_clear_object (&f->sim);
  g_free (f->dir);
  g_free (f->keyring);
  g_string_free (f->printed, TRUE);
}

/* Tests */

static void
test_text_to_video (Fixture       *f,
                    gconstpointer  data)
{
  const char *dialect = data;

  add_profile (f, dialect, dialect, KEY);
  generate_ok (f, dialect, "t2v.mp4", ARGS ("--set", "seed=42"));
  g_assert_cmpuint (dly_sim_get_count (f->sim, dialect, DLY_SIM_COUNT_SUBMITS), ==, 1);
  /* apixo's results are on the CDN host; Segmind's video is the submit's answer. */
  assert_cdn_clean (f, g_str_equal (dialect, "apixo"));
}

static void
test_image_to_video (Fixture       *f,
                     gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *image = fixture_url (f, "image.png");

  add_profile (f, dialect, dialect, KEY);
  generate_ok (f, dialect, "i2v.mp4", ARGS ("--image", image));
  assert_cdn_clean (f, g_str_equal (dialect, "apixo"));
}

/* A local file is refused before anything is sent. */
static void
test_local_file_refused (Fixture       *f,
                         gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *image = output_path (f, "portrait.png");
  g_autofree char *output = output_path (f, "never.mp4");
  g_autoptr(CliResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (image, "\x89PNG\r\n\x1a\n", 8, &error);
  g_assert_no_error (error);
  add_profile (f, dialect, dialect, KEY);
  result = generate (f, dialect, output, ARGS ("--image", image));
  g_assert_cmpint (result->status, ==, 2);
  assert_contains (result->err, "only as an http(s) URL");
  assert_contains (result->err, "ltxv-task, ltx2-server");
  g_assert_cmpuint (dly_sim_get_count (f->sim, dialect, DLY_SIM_COUNT_SUBMITS), ==, 0);
}

static void
test_apixo_loras (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *style = g_strdup_printf ("%s/_sim/blob/4096:1.2", dly_sim_get_url (f->sim));
  g_autofree char *detail = g_strdup_printf ("%s/_sim/blob/8192:0.8", dly_sim_get_url (f->sim));
  g_autofree char *image = fixture_url (f, "image.png");

  add_profile (f, "apixo", "apixo", KEY);
  generate_ok (f, "apixo", "lora-t2v.mp4", ARGS ("--lora", style, "--lora", detail));
  generate_ok (f, "apixo", "lora-i2v.mp4", ARGS ("--lora", style, "--image", image,
                                                 "--set", "resolution=480p",
                                                 "--set", "duration=5"));
  assert_cdn_clean (f, TRUE);
}

static void
test_runpod_modes (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *image = fixture_url (f, "image.png");
  g_autofree char *audio = fixture_url (f, "audio.wav");
  g_autofree char *output = output_path (f, "too-long.mp4");
  g_autoptr(CliResult) refused = NULL;

  add_profile (f, "runpod", "runpod", KEY);
  generate_ok (f, "runpod", "lip-sync.mp4", ARGS ("--image", image, "--audio", audio,
                                                  "--set", "quality_preset=fast",
                                                  "--set", "lora_camera=0"));
  generate_ok (f, "runpod", "audio-gen.mp4", ARGS ("--image", image, "--set", "duration=2",
                                                   "--negative-prompt", "blurry"));
  g_assert_cmpuint (dly_sim_get_count (f->sim, "runpod", DLY_SIM_COUNT_SUBMITS), ==, 2);
  assert_cdn_clean (f, TRUE);

  /* A duration the worker refuses is refused here: nothing is sent. */
  refused = generate (f, "runpod", output, ARGS ("--image", image, "--set", "duration=31"));
  g_assert_cmpint (refused->status, ==, 2);
  assert_contains (refused->err, "duration");
  g_assert_cmpuint (dly_sim_get_count (f->sim, "runpod", DLY_SIM_COUNT_SUBMITS), ==, 2);
}

/* A refused key: exit 1, the backend's own words, never retried. */
static void
test_auth_failure (Fixture       *f,
                   gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *output = output_path (f, "auth.mp4");
  g_autofree char *image = fixture_url (f, "image.png");
  g_autofree char *audio = fixture_url (f, "audio.wav");
  g_autoptr(CliResult) result = NULL;
  g_autoptr(CliResult) check = NULL;

  add_profile (f, dialect, dialect, WRONG_KEY);
  if (g_str_equal (dialect, "runpod"))
    result = generate (f, dialect, output, ARGS ("--image", image, "--audio", audio));
  else
    result = generate (f, dialect, output, NULL);
  g_assert_cmpint (result->status, ==, 1);
  assert_contains (result->err, "refused the API key");
  if (g_str_equal (dialect, "apixo"))
    assert_contains (result->err, "Invalid or missing API key");
  else
    assert_contains (result->err, "Unauthorized");
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));

  check = cli_run (f, "profiles", "test", dialect);
  g_assert_cmpint (check->status, ==, 1);
  assert_contains (check->err, "refused the API key");
}

static void
test_out_of_credits (Fixture       *f,
                     gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *output = output_path (f, "credits.mp4");
  g_autofree char *image = fixture_url (f, "image.png");
  g_autofree char *audio = fixture_url (f, "audio.wav");
  g_autoptr(CliResult) result = NULL;

  add_profile (f, dialect, dialect, KEY);
  dly_sim_set_credits_exhausted (f->sim, TRUE);
  if (g_str_equal (dialect, "runpod"))
    result = generate (f, dialect, output, ARGS ("--image", image, "--audio", audio));
  else
    result = generate (f, dialect, output, NULL);
  g_assert_cmpint (result->status, ==, 1);
  assert_contains (result->err, "out of credits");
  if (!g_str_equal (dialect, "runpod"))
    assert_contains (result->err, "Insufficient credits");
  /* Not retried: one refusal is the whole story. */
  g_assert_cmpuint (dly_sim_get_count (f->sim, dialect, DLY_SIM_COUNT_SUBMITS), ==, 1);
}

static void
test_content_violation (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *output = output_path (f, "violation.mp4");
  g_autoptr(CliResult) result = NULL;

  add_profile (f, "apixo", "apixo", KEY);
  dly_sim_fail_next_jobs (f->sim, "apixo", 1, "Content does not meet safety guidelines",
                          "CONTENT_VIOLATION");
  result = generate (f, "apixo", output, NULL);
  g_assert_cmpint (result->status, ==, 1);
  assert_contains (result->err, "CONTENT_VIOLATION: Content does not meet safety guidelines");
  g_assert_cmpuint (dly_sim_get_count (f->sim, "apixo", DLY_SIM_COUNT_SUBMITS), ==, 1);
}

/* RunPod's worker fails inside a COMPLETED job: its own output.status says so. */
static void
test_runpod_worker_failure (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *output = output_path (f, "worker.mp4");
  g_autofree char *image = fixture_url (f, "image.png");
  g_autofree char *audio = fixture_url (f, "audio.wav");
  g_autoptr(CliResult) result = NULL;

  add_profile (f, "runpod", "runpod", KEY);
  dly_sim_set_graceful_failures (f->sim, TRUE);
  dly_sim_fail_next_jobs (f->sim, "runpod", 1, "Failed to download audio", NULL);
  result = generate (f, "runpod", output, ARGS ("--image", image, "--audio", audio));
  g_assert_cmpint (result->status, ==, 1);
  assert_contains (result->err, "Failed to download audio");
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

/* 503s then 429s (with Retry-After) are waited out. */
static void
test_transient_bursts (Fixture       *f,
                       gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *image = fixture_url (f, "image.png");
  g_autofree char *audio = fixture_url (f, "audio.wav");

  add_profile (f, dialect, dialect, KEY);
  dly_sim_inject_http_errors (f->sim, dialect, 503, 3, 0);
  dly_sim_inject_http_errors (f->sim, dialect, 429, 2, 1);
  if (g_str_equal (dialect, "runpod"))
    generate_ok (f, dialect, "bursts.mp4", ARGS ("--image", image, "--audio", audio));
  else
    generate_ok (f, dialect, "bursts.mp4", NULL);
  g_assert_cmpuint (dly_sim_get_count (f->sim, dialect, DLY_SIM_COUNT_FAULTS), ==, 5);
  assert_cdn_clean (f, !g_str_equal (dialect, "segmind"));
}

/* The result URL is on the API host, which redirects to the CDN: the key stays behind. */
static void
test_redirect_to_cdn (Fixture       *f,
                      gconstpointer  data)
{
  const char *dialect = data;
  g_autofree char *image = fixture_url (f, "image.png");
  g_autofree char *audio = fixture_url (f, "audio.wav");

  add_profile (f, dialect, dialect, KEY);
  dly_sim_set_redirect_results (f->sim, TRUE);
  if (g_str_equal (dialect, "runpod"))
    generate_ok (f, dialect, "redirected.mp4", ARGS ("--image", image, "--audio", audio));
  else
    generate_ok (f, dialect, "redirected.mp4", NULL);
  assert_cdn_clean (f, TRUE);
}

/* Keys from the environment: a profile naming a variable, and --api-key-env. */
static void
test_env_keys (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *output = output_path (f, "env.mp4");
  g_autofree char *adhoc = output_path (f, "adhoc.mp4");
  g_autofree char *missing = output_path (f, "missing.mp4");
  const char *env[] = { ENV_VAR "=" KEY, NULL };
  g_autoptr(CliResult) added = NULL;
  g_autoptr(CliResult) result = NULL;
  g_autoptr(CliResult) unset = NULL;
  g_autoptr(CliResult) ad_hoc = NULL;

  added = cli_run (f, "profiles", "add", "seg-env", "--backend", "segmind",
                   "--url", dly_sim_get_base_url (f->sim, "segmind"), "--key-env", ENV_VAR);
  g_assert_cmpint (added->status, ==, 0);
  assert_contains (added->out, "$" ENV_VAR);

  result = cli_runv (f, NULL, env, ARGS ("generate", "--profile", "seg-env", "--prompt", PROMPT,
                                         "--output", output));
  g_assert_cmpint (result->status, ==, 0);
  assert_mp4 (output);

  /* Without the variable: refused before sending, and the message names it. */
  unset = cli_run (f, "generate", "--profile", "seg-env", "--prompt", PROMPT, "--output", missing);
  g_assert_cmpint (unset->status, ==, 2);
  assert_contains (unset->err, ENV_VAR);

  ad_hoc = cli_runv (f, NULL, env, ARGS ("generate", "--backend", "apixo",
                                         "--url", dly_sim_get_base_url (f->sim, "apixo"),
                                         "--api-key-env", ENV_VAR, "--prompt", PROMPT,
                                         "--output", adhoc));
  g_assert_cmpint (ad_hoc->status, ==, 0);
  assert_mp4 (adhoc);
  assert_cdn_clean (f, TRUE);
}

static void
test_profiles_commands (Fixture       *f,
                        gconstpointer  data)
{
  const char *dialects[] = { "apixo", "runpod", "segmind" };
  g_autoptr(CliResult) tested = NULL;
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(CliResult) removed = NULL;
  g_autoptr(CliResult) again = NULL;
  g_autoptr(CliResult) twice = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    add_profile (f, dialects[i], dialects[i], KEY);

  tested = cli_run (f, "profiles", "test", "--json");
  g_assert_cmpint (tested->status, ==, 0);
  node = json_from_string (tested->out, &error);
  g_assert_no_error (error);
  array = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      g_assert_true (json_object_get_boolean_member (object, "ok"));
      assert_contains (json_object_get_string_member (object, "message"), "Reachable");
    }
  g_clear_pointer (&node, json_node_unref);
  /* RunPod's check is its /health route, which reports the workers. */
  {
    g_autoptr(CliResult) runpod = cli_run (f, "profiles", "test", "runpod");

    g_assert_cmpint (runpod->status, ==, 0);
    assert_contains (runpod->out, "Workers:");
  }

  listed = cli_run (f, "profiles", "list");
  g_assert_cmpint (listed->status, ==, 0);
  assert_contains (listed->out, "apixo");
  assert_contains (listed->out, dly_sim_get_base_url (f->sim, "runpod"));
  assert_contains (listed->out, "keyring");

  twice = cli_runv (f, KEY "\n", NULL,
                    ARGS ("profiles", "add", "apixo", "--backend", "apixo", "--url",
                          dly_sim_get_base_url (f->sim, "apixo"), "--key-from-stdin"));
  g_assert_cmpint (twice->status, ==, 2);
  assert_contains (twice->err, "--replace");

  removed = cli_run (f, "profiles", "remove", "apixo");
  g_assert_cmpint (removed->status, ==, 0);
  again = cli_run (f, "profiles", "test", "apixo");
  g_assert_cmpint (again->status, ==, 2);
  assert_contains (again->err, "No profile named");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, dialect) \
  g_test_add (path, Fixture, dialect, fixture_setup, func, fixture_teardown)

  ADD ("/hosted-e2e/apixo/text-to-video", test_text_to_video, "apixo");
  ADD ("/hosted-e2e/segmind/text-to-video", test_text_to_video, "segmind");
  ADD ("/hosted-e2e/apixo/image-to-video", test_image_to_video, "apixo");
  ADD ("/hosted-e2e/segmind/image-to-video", test_image_to_video, "segmind");
  ADD ("/hosted-e2e/apixo/local-file-refused", test_local_file_refused, "apixo");
  ADD ("/hosted-e2e/runpod/local-file-refused", test_local_file_refused, "runpod");
  ADD ("/hosted-e2e/segmind/local-file-refused", test_local_file_refused, "segmind");
  ADD ("/hosted-e2e/apixo/loras", test_apixo_loras, NULL);
  ADD ("/hosted-e2e/runpod/modes", test_runpod_modes, NULL);
  ADD ("/hosted-e2e/apixo/auth-failure", test_auth_failure, "apixo");
  ADD ("/hosted-e2e/runpod/auth-failure", test_auth_failure, "runpod");
  ADD ("/hosted-e2e/segmind/auth-failure", test_auth_failure, "segmind");
  ADD ("/hosted-e2e/apixo/out-of-credits", test_out_of_credits, "apixo");
  ADD ("/hosted-e2e/runpod/out-of-credits", test_out_of_credits, "runpod");
  ADD ("/hosted-e2e/segmind/out-of-credits", test_out_of_credits, "segmind");
  ADD ("/hosted-e2e/apixo/content-violation", test_content_violation, NULL);
  ADD ("/hosted-e2e/runpod/worker-failure", test_runpod_worker_failure, NULL);
  ADD ("/hosted-e2e/apixo/transient-bursts", test_transient_bursts, "apixo");
  ADD ("/hosted-e2e/runpod/transient-bursts", test_transient_bursts, "runpod");
  ADD ("/hosted-e2e/segmind/transient-bursts", test_transient_bursts, "segmind");
  ADD ("/hosted-e2e/apixo/redirect-to-cdn", test_redirect_to_cdn, "apixo");
  ADD ("/hosted-e2e/runpod/redirect-to-cdn", test_redirect_to_cdn, "runpod");
  ADD ("/hosted-e2e/env-keys", test_env_keys, NULL);
  ADD ("/hosted-e2e/profiles-commands", test_profiles_commands, NULL);

#undef ADD

  return g_test_run ();
}
