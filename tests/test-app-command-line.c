/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dailies executable's command line, run as a user would run it. */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_dailies (Run        *run,
             const char *argument)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  const char *exe = g_getenv ("DAILIES_EXE");

  g_assert_nonnull (exe);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, exe, argument, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

static void
test_version (void)
{
  g_auto(Run) run = { 0 };

  run_dailies (&run, "--version");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "dailies " PACKAGE_VERSION "\n");
}

static void
test_help (void)
{
  g_auto(Run) run = { 0 };

  run_dailies (&run, "--help");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--version"));
}

/* A stray argument is an error, not silently ignored; nothing is opened. Such a run ends
 * right after the application's startup, while its start-up worker may still be running,
 * so it is run several times: an exit under that worker aborted about one run in three. */
static void
test_unexpected_argument (void)
{
  for (guint i = 0; i < 8; i++)
    {
      g_auto(Run) run = { 0 };

      run_dailies (&run, "take.mp4");
      g_assert_cmpint (run.status, ==, 1);
      g_assert_nonnull (strstr (run.err, "take.mp4"));
      g_assert_nonnull (strstr (run.err, "dailies --help"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/command-line/version", test_version);
  g_test_add_func ("/app/command-line/help", test_help);
  g_test_add_func ("/app/command-line/unexpected-argument", test_unexpected_argument);

  return g_test_run ();
}
