/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the subcommands of dailies-cli share: exit codes, the engine, waiting for jobs. */
#pragma once

#include <gio/gio.h>

#include "dly-engine.h"

G_BEGIN_DECLS

/* The exit codes are a contract with scripts: never renumber them. */
typedef enum
{
  DLY_CLI_EXIT_OK = 0,
  DLY_CLI_EXIT_FAILED = 1,       /* the backend reported a failure, or the job's fate is unknown */
  DLY_CLI_EXIT_INVALID = 2,      /* invalid input or usage; nothing was sent */
  DLY_CLI_EXIT_TRANSPORT = 3,    /* the backend could not be reached, even after retries */
  DLY_CLI_EXIT_CANCELLED = 4,
  DLY_CLI_EXIT_INTERRUPTED = 130 /* SIGINT or SIGTERM: the job keeps running remotely */
} DlyCliExit;

/* A subcommand: argv[0] is "dailies-cli NAME"; returns the exit code. */
typedef int (*DlyCliCommandFunc) (int    argc,
                                  char **argv);

int          dly_cli_generate          (int argc, char **argv);
int          dly_cli_wait              (int argc, char **argv);
int          dly_cli_resume            (int argc, char **argv);
int          dly_cli_jobs              (int argc, char **argv);
int          dly_cli_cancel            (int argc, char **argv);
int          dly_cli_backends          (int argc, char **argv);

/* The paragraph on exit codes shown by every --help. */
const char  *dly_cli_exit_codes_help   (void);

/* Parses a subcommand's options; prints the error and returns FALSE on bad usage. */
gboolean     dly_cli_parse_options     (GOptionContext  *context,
                                        int             *argc,
                                        char          ***argv);

/* Prints "dailies-cli: MESSAGE" on stderr. */
void         dly_cli_printerr          (const char      *format,
                                        ...) G_GNUC_PRINTF (1, 2);

/* The exit code for a job that has finished (see dly_cli_exit_codes_help). */
int          dly_cli_exit_code_for_job   (DlyJob        *job);
/* The exit code for an error that stopped us before or while submitting. */
int          dly_cli_exit_code_for_error (const GError  *error);

/* Runs the main loop until an async operation started with dly_cli_await_cb completes. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} DlyCliAwait;

void          dly_cli_await_init       (DlyCliAwait     *await);
void          dly_cli_await_cb         (GObject         *source,
                                        GAsyncResult    *result,
                                        gpointer         user_data);
GAsyncResult *dly_cli_await_result     (DlyCliAwait     *await);
void          dly_cli_await_clear      (DlyCliAwait     *await);

/* Makes an engine on the shared ledger (XDG_DATA_HOME), able to pick up jobs made with a
 * profile or with a key from the environment, and opens it. */
DlyEngine   *dly_cli_open_engine       (GError         **error);

/* Finds a job by its id or a unique prefix of it (as `jobs` prints it). */
DlyJob      *dly_cli_find_job          (DlyEngine       *engine,
                                        const char      *id_or_prefix,
                                        GError         **error);

/* The first characters of an id, as `jobs` shows it. */
char        *dly_cli_short_id          (const char      *id);

/* TRUE when the key a job needs (from its environment variable) is available here. */
gboolean     dly_cli_check_job_key     (DlyJob          *job,
                                        GError         **error);

/**
 * DlyCliWatch:
 * Follows jobs of an engine until each has finished: progress on stderr, the final
 * record on stdout with --json, SIGINT/SIGTERM detach (the remote job keeps running).
 * With @detach, a job counts as done once the ledger has its remote id.
 */
typedef struct _DlyCliWatch DlyCliWatch;

DlyCliWatch *dly_cli_watch_new         (DlyEngine       *engine,
                                        gboolean         json,
                                        gboolean         detach);
/* With --json, print an array even for one job (resume). */
void         dly_cli_watch_set_json_array (DlyCliWatch  *watch,
                                           gboolean      json_array);
/* @restarting: the job was finished and has just been resumed (a lost connection), so its
 * present state is not its outcome. */
void         dly_cli_watch_add         (DlyCliWatch     *watch,
                                        DlyJob          *job,
                                        gboolean         restarting);
/* Runs the main loop until every job is done; returns the exit code. */
int          dly_cli_watch_run         (DlyCliWatch     *watch);
void         dly_cli_watch_free        (DlyCliWatch     *watch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlyCliWatch, dly_cli_watch_free)

/**
 * dly_cli_resolve_profile_async:
 * @engine: the engine (a profile may set its backend's concurrency on it)
 * @name: the profile's name, from `--profile` or from a job of the ledger
 * @request: (nullable): a new request, to receive the profile's default parameters
 *   where the user set none; %NULL when resuming a job (its request is complete)
 *
 * Makes the backend a profile describes, with its key. Lives in its own file,
 * dly-cli-resolve-profile.c, so that the profiles work can fill it in.
 */
void         dly_cli_resolve_profile_async  (DlyEngine           *engine,
                                             const char          *name,
                                             DlyRequest          *request,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
DlyBackend  *dly_cli_resolve_profile_finish (GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
