/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dailies-cli profiles: the saved backends shared with the app. A profile's key goes to the
 * keyring (read from stdin, never from the command line, where `ps` and the shell history
 * would see it) or stays in an environment variable the profile names. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "dly-cli.h"
#include "dly-cli-profiles.h"
#include "dly-error.h"
#include "dly-profile-store.h"

typedef int (*ActionFunc) (int argc, char **argv);

/* Loading and saving */

static DlyProfileStore *
load_store (GError **error)
{
  g_autoptr(DlyProfileStore) store = dly_profile_store_new ();
  DlyCliAwait await;
  gboolean ok;

  dly_cli_await_init (&await);
  dly_profile_store_load_async (store, NULL, dly_cli_await_cb, &await);
  ok = dly_profile_store_load_finish (store, dly_cli_await_result (&await), error);
  dly_cli_await_clear (&await);
  return ok ? g_steal_pointer (&store) : NULL;
}

static gboolean
save_store (DlyProfileStore  *store,
            GError          **error)
{
  DlyCliAwait await;
  gboolean ok;

  dly_cli_await_init (&await);
  dly_profile_store_save_async (store, NULL, dly_cli_await_cb, &await);
  ok = dly_profile_store_save_finish (store, dly_cli_await_result (&await), error);
  dly_cli_await_clear (&await);
  return ok;
}

static int
fail (const GError *error)
{
  dly_cli_printerr ("%s", error->message);
  return dly_cli_exit_code_for_error (error);
}

static GOptionContext *
new_context (const char         *parameters,
             const char         *summary,
             const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

static void
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* list */

static JsonNode *
profile_to_json (DlyProfile *profile)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *key_ref = dly_profile_dup_key_ref (profile);
  g_auto(GStrv) defaults = dly_profile_list_defaults (profile);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, dly_profile_get_name (profile));
  json_builder_set_member_name (builder, "dialect");
  json_builder_add_string_value (builder, dly_profile_get_dialect (profile));
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, dly_profile_get_base_url (profile));
  /* Where the key is, never the key. */
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key_ref);
  json_builder_set_member_name (builder, "concurrency");
  json_builder_add_int_value (builder, dly_profile_get_effective_concurrency (profile));
  json_builder_set_member_name (builder, "defaults");
  json_builder_begin_object (builder);
  for (guint i = 0; defaults[i] != NULL; i++)
    {
      json_builder_set_member_name (builder, defaults[i]);
      json_builder_add_string_value (builder, dly_profile_get_default (profile, defaults[i]));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char *
describe_key (DlyProfile *profile)
{
  switch (dly_profile_get_key_source (profile))
    {
    case DLY_KEY_SOURCE_KEYRING:
      return g_strdup (_("keyring"));
    case DLY_KEY_SOURCE_ENV:
      return g_strdup_printf ("$%s", dly_profile_get_key_env (profile));
    case DLY_KEY_SOURCE_NONE:
    default:
      return g_strdup (_("none"));
    }
}

static int
action_list (int    argc,
             char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the profiles as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (NULL, _("Lists the saved backend profiles."),
                                                   entries);
  g_autoptr(DlyProfileStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  if (!dly_cli_parse_options (context, &argc, &argv))
    return DLY_CLI_EXIT_INVALID;
  store = load_store (&error);
  if (store == NULL)
    return fail (error);
  n = g_list_model_get_n_items (G_LIST_MODEL (store));

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(DlyProfile) profile = g_list_model_get_item (G_LIST_MODEL (store), i);

          json_array_add_element (array, profile_to_json (profile));
        }
      json_node_set_array (root, array);
      print_json (root);
      return DLY_CLI_EXIT_OK;
    }

  if (n == 0)
    {
      g_printerr (_("No profiles yet; add one with\n"
                    "  dailies-cli profiles add NAME --backend DIALECT --url BASE_URL "
                    "--key-from-stdin\n"));
      return DLY_CLI_EXIT_OK;
    }

  g_print ("%-20s %-12s %-44s %-22s %s\n", _("NAME"), _("DIALECT"), _("URL"), _("KEY"),
           _("JOBS AT ONCE"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlyProfile) profile = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autofree char *key = describe_key (profile);
      g_auto(GStrv) defaults = dly_profile_list_defaults (profile);

      g_print ("%-20s %-12s %-44s %-22s %u\n", dly_profile_get_name (profile),
               dly_profile_get_dialect (profile), dly_profile_get_base_url (profile), key,
               dly_profile_get_effective_concurrency (profile));
      for (guint j = 0; defaults[j] != NULL; j++)
        g_print ("%-20s   %s=%s\n", "", defaults[j], dly_profile_get_default (profile, defaults[j]));
    }
  return DLY_CLI_EXIT_OK;
}

/* add */

/* Reads one line from stdin: the key. On a terminal it is asked for without echo. */
static char *
read_key (const char  *name,
          GError     **error)
{
  g_autoptr(GInputStream) raw = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) input = g_data_input_stream_new (raw);
  g_autoptr(GError) local = NULL;
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  gboolean echo_off = FALSE;
  DlyCliAwait await;
  char *line;

  if (tty)
    {
      g_printerr (_("API key for “%s”: "), name);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

  dly_cli_await_init (&await);
  g_data_input_stream_read_line_async (input, G_PRIORITY_DEFAULT, NULL, dly_cli_await_cb, &await);
  line = g_data_input_stream_read_line_finish_utf8 (input, dly_cli_await_result (&await), NULL,
                                                    &local);
  dly_cli_await_clear (&await);

  if (echo_off)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  if (tty)
    g_printerr ("\n");

  if (local != NULL)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("Could not read the API key from stdin: %s"), local->message);
      return NULL;
    }
  if (line != NULL)
    g_strstrip (line);
  if (line == NULL || *line == '\0')
    {
      g_free (line);
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("--key-from-stdin: no key on stdin (give it as one line, e.g. "
                     "`secret-tool lookup … | dailies-cli profiles add …`)"));
      return NULL;
    }
  return line;
}

static void
key_free (char *key)
{
  if (key != NULL)
    memset (key, 0, strlen (key));
  g_free (key);
}

/* A key in memory is wiped before it is freed. */
typedef char DlyCliKey;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlyCliKey, key_free)

/* The service's public URL when it has one; a template to fill in is no default. */
static const char *
default_url (const char *dialect)
{
  const char *placeholder;
  const char *url = dly_backend_suggest_url (dialect, &placeholder);

  return placeholder == NULL ? url : NULL;
}

static gboolean
dialect_needs_key (const char *dialect)
{
  GType type = dly_backend_type_for_dialect (dialect);
  DlyBackendClass *klass;
  gboolean needs;

  if (type == G_TYPE_INVALID)
    return FALSE;
  klass = g_type_class_ref (type);
  needs = klass->needs_api_key;
  g_type_class_unref (klass);
  return needs;
}

static int
action_add (int    argc,
            char **argv)
{
  g_autofree char *dialect = NULL;
  g_autofree char *url = NULL;
  g_autofree char *key_env = NULL;
  g_auto(GStrv) sets = NULL;
  gboolean key_from_stdin = FALSE;
  gboolean replace = FALSE;
  int concurrency = 0;
  const GOptionEntry entries[] = {
    { "backend", 0, 0, G_OPTION_ARG_STRING, &dialect,
      N_("The backend's dialect (see `dailies-cli backends`)"), N_("DIALECT") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url,
      N_("The backend's base URL (apixo and segmind have a default)"), N_("BASE_URL") },
    { "key-from-stdin", 0, 0, G_OPTION_ARG_NONE, &key_from_stdin,
      N_("Read the API key from stdin and keep it in the keyring"), NULL },
    { "key-env", 0, 0, G_OPTION_ARG_STRING, &key_env,
      N_("Take the API key from this environment variable when used"), N_("VAR") },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      N_("A default parameter value, by the backend's own name (repeatable)"), N_("NAME=VALUE") },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency,
      N_("How many jobs may run at once (default: 4 hosted, 2 self-hosted)"), N_("N") },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_("Replace a profile of the same name (its key stays unless a new one is given)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DlyProfileStore) store = NULL;
  g_autoptr(DlyProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyCliKey) key = NULL;
  DlyProfile *existing;
  const char *name;

  context = new_context (_("NAME"),
                         _("Saves a backend as a profile. The key is never written to the "
                           "profiles file:\n--key-from-stdin keeps it in the keyring, --key-env "
                           "names the environment\nvariable that will hold it."),
                         entries);
  if (!dly_cli_parse_options (context, &argc, &argv))
    return DLY_CLI_EXIT_INVALID;
  if (argc != 2)
    {
      dly_cli_printerr (_("Give the profile’s name: dailies-cli profiles add NAME --backend "
                          "DIALECT --url BASE_URL"));
      return DLY_CLI_EXIT_INVALID;
    }
  name = argv[1];
  if (dialect == NULL)
    {
      dly_cli_printerr (_("--backend is required (see `dailies-cli backends`)"));
      return DLY_CLI_EXIT_INVALID;
    }
  if (url == NULL && default_url (dialect) == NULL)
    {
      dly_cli_printerr (_("--url is required for %s"), dialect);
      return DLY_CLI_EXIT_INVALID;
    }
  if (key_from_stdin && key_env != NULL)
    {
      dly_cli_printerr (_("Give either --key-from-stdin or --key-env, not both"));
      return DLY_CLI_EXIT_INVALID;
    }
  if (concurrency < 0 || concurrency > DLY_PROFILE_MAX_CONCURRENCY)
    {
      dly_cli_printerr (_("--concurrency must be from 1 to %d"), DLY_PROFILE_MAX_CONCURRENCY);
      return DLY_CLI_EXIT_INVALID;
    }

  store = load_store (&error);
  if (store == NULL)
    return fail (error);
  existing = dly_profile_store_lookup (store, name);
  if (existing != NULL && !replace)
    {
      dly_cli_printerr (_("A profile named “%s” exists already; add --replace to change it"), name);
      return DLY_CLI_EXIT_INVALID;
    }

  profile = dly_profile_new (name, dialect, url ? url : default_url (dialect));
  dly_profile_set_concurrency (profile, (guint) concurrency);
  if (key_env != NULL)
    {
      g_autofree char *ref = g_strconcat ("env:", key_env, NULL);

      if (!dly_profile_set_key_ref (profile, ref, &error))
        {
          dly_cli_printerr (_("--key-env: “%s” is not an environment variable name"), key_env);
          return DLY_CLI_EXIT_INVALID;
        }
    }
  else if (!key_from_stdin && existing != NULL)
    {
      /* Changing a URL or a default must not lose the key. */
      dly_profile_set_key_source (profile, dly_profile_get_key_source (existing),
                                  dly_profile_get_key_env (existing));
    }
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      const char *equals = strchr (sets[i], '=');
      g_autofree char *param = NULL;

      if (equals == NULL || equals == sets[i])
        {
          dly_cli_printerr (_("--set “%s” is not NAME=VALUE"), sets[i]);
          return DLY_CLI_EXIT_INVALID;
        }
      param = g_strndup (sets[i], equals - sets[i]);
      dly_profile_set_default (profile, param, equals + 1);
    }
  if (!dly_profile_validate (profile, &error))
    return fail (error);

  /* The key first: a profile that says "keyring" with nothing there would only fail later. */
  if (key_from_stdin)
    {
      DlyCliAwait await;
      gboolean stored;

      key = read_key (name, &error);
      if (key == NULL)
        return fail (error);
      dly_cli_await_init (&await);
      dly_profile_store_set_key_async (store, profile, key, NULL, dly_cli_await_cb, &await);
      stored = dly_profile_store_set_key_finish (store, dly_cli_await_result (&await), &error);
      dly_cli_await_clear (&await);
      if (!stored)
        return fail (error);
    }

  if (!dly_profile_store_replace (store, profile, &error) || !save_store (store, &error))
    return fail (error);

  {
    g_autofree char *where = describe_key (profile);

    g_print (existing ? _("Replaced profile “%s”: %s at %s, key: %s\n")
                      : _("Added profile “%s”: %s at %s, key: %s\n"),
             name, dialect, dly_profile_get_base_url (profile), where);
  }
  if (dialect_needs_key (dialect) && dly_profile_get_key_source (profile) == DLY_KEY_SOURCE_NONE)
    g_printerr (_("Note: %s needs an API key. Give one with --key-from-stdin or --key-env now, "
                  "or with --api-key-env VAR when generating.\n"),
                dialect);
  return DLY_CLI_EXIT_OK;
}

/* remove */

static int
action_remove (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DlyProfileStore) store = NULL;
  g_autoptr(GError) error = NULL;
  DlyProfile *profile;
  gboolean keyring;
  const char *name;

  context = new_context (_("NAME"),
                         _("Removes a profile, and its key from the keyring. Jobs made with it "
                           "stay in the ledger."),
                         NULL);
  if (!dly_cli_parse_options (context, &argc, &argv))
    return DLY_CLI_EXIT_INVALID;
  if (argc != 2)
    {
      dly_cli_printerr (_("Give the profile’s name: dailies-cli profiles remove NAME"));
      return DLY_CLI_EXIT_INVALID;
    }
  name = argv[1];

  store = load_store (&error);
  if (store == NULL)
    return fail (error);
  profile = dly_profile_store_lookup (store, name);
  if (profile == NULL)
    {
      dly_cli_printerr (_("No profile named “%s”; `dailies-cli profiles list` shows them"), name);
      return DLY_CLI_EXIT_INVALID;
    }
  keyring = dly_profile_get_key_source (profile) == DLY_KEY_SOURCE_KEYRING;
  dly_profile_store_remove (store, name);
  if (!save_store (store, &error))
    return fail (error);

  if (keyring)
    {
      DlyCliAwait await;

      dly_cli_await_init (&await);
      dly_profile_store_clear_key_async (store, name, NULL, dly_cli_await_cb, &await);
      if (!dly_profile_store_clear_key_finish (store, dly_cli_await_result (&await), &error))
        g_printerr (_("Warning: the key of “%s” may still be in the keyring: %s\n"),
                    name, error->message);
      dly_cli_await_clear (&await);
    }
  g_print (_("Removed profile “%s”\n"), name);
  return DLY_CLI_EXIT_OK;
}

/* test */

/* Checks one profile; prints what it found. Returns the exit code. */
static int
test_profile (DlyProfileStore *store,
              DlyProfile      *profile,
              SoupSession     *session,
              JsonBuilder     *json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *name = dly_profile_get_name (profile);
  DlyCliAwait await;

  dly_cli_await_init (&await);
  dly_profile_store_check_async (store, profile, NULL, session, NULL, dly_cli_await_cb, &await);
  text = dly_profile_store_check_finish (store, dly_cli_await_result (&await), &error);
  dly_cli_await_clear (&await);

  if (json != NULL)
    {
      json_builder_begin_object (json);
      json_builder_set_member_name (json, "name");
      json_builder_add_string_value (json, name);
      json_builder_set_member_name (json, "dialect");
      json_builder_add_string_value (json, dly_profile_get_dialect (profile));
      json_builder_set_member_name (json, "url");
      json_builder_add_string_value (json, dly_profile_get_base_url (profile));
      json_builder_set_member_name (json, "ok");
      json_builder_add_boolean_value (json, error == NULL);
      json_builder_set_member_name (json, "message");
      json_builder_add_string_value (json, error ? error->message : text);
      json_builder_end_object (json);
    }
  else if (error == NULL)
    g_print ("%s: %s\n", name, text);

  if (error != NULL)
    {
      if (json == NULL)
        dly_cli_printerr ("%s: %s", name, error->message);
      return dly_cli_exit_code_for_error (error);
    }
  return DLY_CLI_EXIT_OK;
}

static int
action_test (int    argc,
             char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the results as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DlyProfileStore) store = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  int code = DLY_CLI_EXIT_OK;

  context = new_context (_("[NAME…]"),
                         _("Checks that each profile’s backend answers and accepts its key, with "
                           "the cheapest\nrequest that proves it (RunPod: /health; apixo: a status "
                           "query; Segmind: an\nempty request, refused before any generation). "
                           "Without a name, checks every profile."),
                         entries);
  if (!dly_cli_parse_options (context, &argc, &argv))
    return DLY_CLI_EXIT_INVALID;

  store = load_store (&error);
  if (store == NULL)
    return fail (error);
  if (argc < 2)
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
      g_ptr_array_add (profiles, g_list_model_get_item (G_LIST_MODEL (store), i));
  for (int i = 1; i < argc; i++)
    {
      DlyProfile *profile = dly_profile_store_lookup (store, argv[i]);

      if (profile == NULL)
        {
          dly_cli_printerr (_("No profile named “%s”; `dailies-cli profiles list` shows them"),
                            argv[i]);
          return DLY_CLI_EXIT_INVALID;
        }
      g_ptr_array_add (profiles, g_object_ref (profile));
    }
  if (profiles->len == 0)
    {
      g_printerr (_("No profiles to test\n"));
      return json ? (g_print ("[]\n"), DLY_CLI_EXIT_OK) : DLY_CLI_EXIT_OK;
    }

  session = soup_session_new_with_options ("user-agent", "dailies-cli/" PACKAGE_VERSION, NULL);
  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  for (guint i = 0; i < profiles->len; i++)
    {
      int result = test_profile (store, g_ptr_array_index (profiles, i), session, builder);

      if (code == DLY_CLI_EXIT_OK)
        code = result;
    }
  if (json)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      print_json (root);
    }
  return code;
}

/* Dispatch */

static const struct
{
  const char *name;
  const char *usage;
  ActionFunc  run;
} actions[] = {
  { "list", N_("[--json]"), action_list },
  { "add", N_("NAME --backend DIALECT [--url BASE_URL] [--key-from-stdin | --key-env VAR] "
              "[--set NAME=VALUE]… [--concurrency N] [--replace]"), action_add },
  { "remove", N_("NAME"), action_remove },
  { "test", N_("[NAME…] [--json]"), action_test },
};

static void
print_usage (FILE *stream)
{
  g_autoptr(GString) text = g_string_new (_("Usage:\n"));

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    g_string_append_printf (text, "  dailies-cli profiles %s %s\n", actions[i].name,
                            _(actions[i].usage));
  g_string_append (text, _("\nProfiles are saved backends, shared with the Dailies app in "
                           "$XDG_CONFIG_HOME/dailies/profiles.ini.\nKeys are never written "
                           "there: they live in the keyring, or in an environment variable.\n"
                           "Use one with `dailies-cli generate --profile NAME`.\n"));
  fputs (text->str, stream);
}

int
dly_cli_profiles (int    argc,
                  char **argv)
{
  const char *name;

  if (argc < 2)
    {
      print_usage (stderr);
      return DLY_CLI_EXIT_INVALID;
    }
  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      print_usage (stdout);
      return DLY_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (name, actions[i].name))
      {
        g_autofree char *prgname = g_strdup_printf ("dailies-cli profiles %s", name);
        char *saved = argv[1];
        int code;

        g_set_prgname (prgname);
        argv[1] = prgname;
        code = actions[i].run (argc - 1, argv + 1);
        argv[1] = saved;
        return code;
      }

  dly_cli_printerr (_("Unknown profiles action “%s”; it is list, add, remove or test"), name);
  return DLY_CLI_EXIT_INVALID;
}
