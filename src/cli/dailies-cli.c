/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dailies-cli: the engine and ledger of Dailies for scripts. The interface is a contract. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "dly-cli.h"
#include "dly-cli-profiles.h"

typedef struct
{
  const char        *name;
  const char        *usage;
  const char        *summary;
  DlyCliCommandFunc  run;
} DlyCliCommand;

/* One row per subcommand; a new one is a row here and a function elsewhere. */
static const DlyCliCommand commands[] = {
  { "generate", N_("(--backend DIALECT --url URL | --profile NAME) --prompt TEXT --output FILE …"),
    N_("Generate one take and write the video"), dly_cli_generate },
  { "wait", N_("JOB_ID"),
    N_("Wait for a job of the ledger and write its output"), dly_cli_wait },
  { "resume", N_("[--json]"),
    N_("Resume every unfinished job of the ledger, wait for all"), dly_cli_resume },
  { "jobs", N_("[--json]"),
    N_("The ledger, newest first"), dly_cli_jobs },
  { "cancel", N_("JOB_ID"),
    N_("Cancel a job, wherever it runs"), dly_cli_cancel },
  { "backends", N_("[--json]"),
    N_("Dialects and their parameters"), dly_cli_backends },
  { "profiles", N_("list|add|remove|test …"),
    N_("Saved backends and their keys"), dly_cli_profiles },
};

static void
print_help (FILE *stream)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append (text, _("Usage:\n  dailies-cli COMMAND [OPTION…]\n\n"));
  g_string_append (text, _("Generates AI videos with LTX-Video and LTX-2 on remote backends, "
                           "with the job ledger\nof the Dailies app.\n\n"));
  g_string_append (text, _("Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append (text, "\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  dailies-cli %s %s\n", commands[i].name, _(commands[i].usage));
  g_string_append (text, _("\n“dailies-cli COMMAND --help” describes each command.\n\n"));
  g_string_append (text, dly_cli_exit_codes_help ());
  g_string_append (text, "\n");

  fputs (text->str, stream);
}

int
main (int   argc,
      char *argv[])
{
  const char *name;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("dailies-cli");

  if (argc < 2)
    {
      print_help (stderr);
      return DLY_CLI_EXIT_INVALID;
    }

  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      print_help (stdout);
      return DLY_CLI_EXIT_OK;
    }
  if (g_str_equal (name, "--version"))
    {
      g_print ("dailies-cli %s\n", PACKAGE_VERSION);
      return DLY_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (name, commands[i].name))
        {
          g_autofree char *prgname = g_strdup_printf ("dailies-cli %s", name);
          char *saved = argv[1];
          int code;

          /* The subcommand sees itself as the program, so its --help reads naturally. */
          g_set_prgname (prgname);
          argv[1] = prgname;
          code = commands[i].run (argc - 1, argv + 1);
          argv[1] = saved;
          return code;
        }
    }

  dly_cli_printerr (_("Unknown command “%s”; “dailies-cli --help” lists them"), name);
  return DLY_CLI_EXIT_INVALID;
}
