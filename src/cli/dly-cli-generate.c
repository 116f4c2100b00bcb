/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dailies-cli generate: one take, from the command line to a file. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <glib/gi18n-lib.h>

#include "dly-cli.h"
#include "dly-error.h"

/* Splits "URL[:SCALE]". URLs have colons of their own (scheme, port), so only a last
 * part that is a whole number is a scale, and never the port of a bare "http://host:8080". */
static gboolean
parse_lora (const char  *text,
            char       **url,
            double      *scale,
            GError     **error)
{
  const char *colon = strrchr (text, ':');
  g_autofree char *left = NULL;
  const char *authority;
  char *end = NULL;
  double value;

  *scale = 1.0;
  *url = NULL;

  if (colon != NULL && colon[1] != '\0')
    {
      errno = 0;
      value = g_ascii_strtod (colon + 1, &end);
      left = g_strndup (text, colon - text);
      authority = strstr (left, "://");
      if (errno == 0 && end != NULL && *end == '\0' && isfinite (value)
          && !(authority != NULL && strchr (authority + 3, '/') == NULL))
        {
          *scale = value;
          *url = g_steal_pointer (&left);
        }
    }
  if (*url == NULL)
    *url = g_strdup (text);

  if (**url == '\0')
    {
      g_clear_pointer (url, g_free);
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("--lora “%s” names no LoRA; give URL[:SCALE]"), text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_set (DlyBackend *backend,
           DlyRequest *request,
           const char *assignment,
           GError    **error)
{
  const char *equals = strchr (assignment, '=');
  g_autofree char *name = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GParamSpec *pspec;

  if (equals == NULL || equals == assignment)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("--set “%s” is not NAME=VALUE"), assignment);
      return FALSE;
    }

  name = g_strndup (assignment, equals - assignment);
  pspec = dly_backend_find_param (backend, name);
  if (pspec == NULL)
    {
      guint n_params = 0;
      GParamSpec **params = dly_backend_list_params (backend, &n_params);
      g_autoptr(GString) known = g_string_new (NULL);

      for (guint i = 0; i < n_params; i++)
        g_string_append_printf (known, "%s%s", i ? ", " : "", g_param_spec_get_name (params[i]));
      g_free (params);
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("%s has no parameter “%s”; it has: %s"),
                   dly_backend_get_dialect (backend), name, known->str);
      return FALSE;
    }

  if (!dly_param_parse (pspec, equals + 1, &value, error))
    return FALSE;

  dly_request_set_param (request, name, &value);
  return TRUE;
}

/* Resume may run from another directory: keep local paths absolute. */
static char *
absolute_location (const char *location)
{
  if (location == NULL || dly_request_location_is_url (location))
    return g_strdup (location);
  return g_canonicalize_filename (location, NULL);
}

static gboolean
check_file_type (GFile     *file,
                 GFileType  wanted,
                 gboolean   must_exist,
                 GError   **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = g_file_get_path (file);
  DlyCliAwait await;

  dly_cli_await_init (&await);
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, NULL, dly_cli_await_cb, &await);
  info = g_file_query_info_finish (file, dly_cli_await_result (&await), &local_error);
  dly_cli_await_clear (&await);

  if (info == NULL)
    {
      if (!must_exist && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT, "%s: %s", path,
                   local_error->message);
      return FALSE;
    }

  if (wanted == G_FILE_TYPE_DIRECTORY && g_file_info_get_file_type (info) != wanted)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT, _("%s is not a directory"), path);
      return FALSE;
    }
  if (wanted == G_FILE_TYPE_REGULAR && g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("%s is a directory; give a file name"), path);
      return FALSE;
    }
  return TRUE;
}

/* Everything a typo can get wrong is checked here, before the ledger sees the job. */
static gboolean
check_paths (const char *output,
             const char *image,
             const char *audio,
             GError    **error)
{
  g_autoptr(GFile) output_file = g_file_new_for_path (output);
  g_autoptr(GFile) output_dir = g_file_get_parent (output_file);
  const char *inputs[] = { image, audio };

  if (output_dir == NULL)
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("--output “%s” is not a file name"), output);
      return FALSE;
    }
  if (!check_file_type (output_dir, G_FILE_TYPE_DIRECTORY, TRUE, error)
      || !check_file_type (output_file, G_FILE_TYPE_REGULAR, FALSE, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GFile) input = NULL;

      if (inputs[i] == NULL || dly_request_location_is_url (inputs[i]))
        continue;
      input = g_file_new_for_path (inputs[i]);
      if (!check_file_type (input, G_FILE_TYPE_REGULAR, TRUE, error))
        return FALSE;
    }
  return TRUE;
}

static DlyBackend *
resolve_profile (DlyEngine  *engine,
                 const char *profile,
                 DlyRequest *request,
                 GError    **error)
{
  DlyCliAwait await;
  DlyBackend *backend;

  dly_cli_await_init (&await);
  dly_cli_resolve_profile_async (engine, profile, request, NULL, dly_cli_await_cb, &await);
  backend = dly_cli_resolve_profile_finish (dly_cli_await_result (&await), error);
  dly_cli_await_clear (&await);
  return backend;
}

static int
fail (GError *error)
{
  dly_cli_printerr ("%s", error->message);
  return dly_cli_exit_code_for_error (error);
}

int
dly_cli_generate (int    argc,
                  char **argv)
{
  g_autofree char *dialect = NULL;
  g_autofree char *url = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *negative_prompt = NULL;
  g_autofree char *image_arg = NULL;
  g_autofree char *audio_arg = NULL;
  g_auto(GStrv) loras = NULL;
  g_auto(GStrv) sets = NULL;
  g_autofree char *api_key_env = NULL;
  g_autofree char *output_arg = NULL;
  gboolean json = FALSE;
  gboolean detach = FALSE;
  const GOptionEntry entries[] = {
    { "backend", 0, 0, G_OPTION_ARG_STRING, &dialect,
      N_("The backend's dialect (see `dailies-cli backends`)"), N_("DIALECT") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url,
      N_("The backend's base URL"), N_("BASE_URL") },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile,
      N_("A configured backend, instead of --backend and --url"), N_("NAME") },
    { "prompt", 0, 0, G_OPTION_ARG_STRING, &prompt,
      N_("What to generate (required)"), N_("TEXT") },
    { "negative-prompt", 0, 0, G_OPTION_ARG_STRING, &negative_prompt,
      N_("What to avoid"), N_("TEXT") },
    { "image", 0, 0, G_OPTION_ARG_FILENAME, &image_arg,
      N_("An image to animate: a local file or an http(s) URL"), N_("PATH|URL") },
    { "audio", 0, 0, G_OPTION_ARG_FILENAME, &audio_arg,
      N_("An audio track to lip-sync the image to"), N_("PATH|URL") },
    { "lora", 0, 0, G_OPTION_ARG_STRING_ARRAY, &loras,
      N_("A LoRA to apply, with an optional scale (repeatable)"), N_("URL[:SCALE]") },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      N_("A backend parameter, by the backend's own name (repeatable)"), N_("NAME=VALUE") },
    { "api-key-env", 0, 0, G_OPTION_ARG_STRING, &api_key_env,
      N_("Read the API key from this environment variable"), N_("VAR") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output_arg,
      N_("Where to write the video (required)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the final job record as JSON on stdout"), NULL },
    { "detach", 0, 0, G_OPTION_ARG_NONE, &detach,
      N_("Return once the backend has accepted the job; print its id"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlyEngine) engine = NULL;
  g_autoptr(DlyBackend) backend = NULL;
  g_autoptr(DlyRequest) request = NULL;
  g_autoptr(DlyJob) job = NULL;
  g_autoptr(DlyCliWatch) watch = NULL;
  g_autofree char *output = NULL;
  g_autofree char *image = NULL;
  g_autofree char *audio = NULL;

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Generates one take and writes the video to --output.\n"
      "\n"
      "dailies-cli generate (--backend DIALECT --url BASE_URL | --profile NAME) --prompt TEXT\n"
      "    [--negative-prompt TEXT] [--image PATH|URL] [--audio PATH|URL] [--lora URL[:SCALE]]...\n"
      "    [--set NAME=VALUE]... [--api-key-env VAR] --output FILE [--json] [--detach]"));
  description = g_strdup_printf ("%s\n\n%s",
    _("--set takes the backend's own parameter names and is checked against them\n"
      "before anything is sent; `dailies-cli backends` lists them. Progress goes to\n"
      "stderr. The job is kept in the ledger: with --detach, or after Ctrl+C,\n"
      "`dailies-cli wait JOB_ID` finishes it later. Ctrl+C never cancels the remote\n"
      "job; `dailies-cli cancel JOB_ID` does. With --detach, stdout is the job id\n"
      "alone (or its record with --json)."),
    dly_cli_exit_codes_help ());
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!dly_cli_parse_options (context, &argc, &argv))
    return DLY_CLI_EXIT_INVALID;

  if (argc > 1)
    {
      dly_cli_printerr (_("Unexpected argument “%s”; quote the prompt and give it with --prompt"),
                        argv[1]);
      return DLY_CLI_EXIT_INVALID;
    }
  if (profile != NULL && (dialect != NULL || url != NULL))
    {
      dly_cli_printerr (_("Give either --profile or --backend and --url, not both"));
      return DLY_CLI_EXIT_INVALID;
    }
  if (profile == NULL && (dialect == NULL || url == NULL))
    {
      dly_cli_printerr (_("Say where to generate: --backend DIALECT --url BASE_URL, "
                          "or --profile NAME"));
      return DLY_CLI_EXIT_INVALID;
    }
  if (prompt == NULL || *g_strstrip (prompt) == '\0')
    {
      dly_cli_printerr (_("--prompt is required"));
      return DLY_CLI_EXIT_INVALID;
    }
  if (output_arg == NULL || *output_arg == '\0')
    {
      dly_cli_printerr (_("--output is required: the file to write the video to"));
      return DLY_CLI_EXIT_INVALID;
    }

  output = g_canonicalize_filename (output_arg, NULL);
  image = absolute_location (image_arg);
  audio = absolute_location (audio_arg);

  request = dly_request_new ();
  dly_request_set_prompt (request, prompt);
  if (negative_prompt != NULL)
    dly_request_set_negative_prompt (request, negative_prompt);
  if (image != NULL)
    dly_request_set_image (request, image);
  if (audio != NULL)
    dly_request_set_audio (request, audio);
  for (guint i = 0; loras != NULL && loras[i] != NULL; i++)
    {
      g_autofree char *lora_url = NULL;
      double scale;

      if (!parse_lora (loras[i], &lora_url, &scale, &error))
        return fail (error);
      dly_request_add_lora (request, lora_url, scale);
    }

  if (profile == NULL)
    {
      backend = dly_backend_new_for_dialect (dialect, url, &error);
      if (backend == NULL)
        return fail (error);
    }

  /* A typo in --set or a path must not cost a submission, nor leave a job in the ledger. */
  for (guint i = 0; backend != NULL && sets != NULL && sets[i] != NULL; i++)
    if (!apply_set (backend, request, sets[i], &error))
      return fail (error);
  if (!check_paths (output, image, audio, &error))
    return fail (error);

  if (api_key_env != NULL)
    {
      const char *key = g_getenv (api_key_env);

      if (key == NULL || *key == '\0')
        {
          dly_cli_printerr (_("--api-key-env: $%s is not set or empty"), api_key_env);
          return DLY_CLI_EXIT_INVALID;
        }
    }

  engine = dly_cli_open_engine (&error);
  if (engine == NULL)
    {
      dly_cli_printerr (_("Cannot open the job ledger: %s"), error->message);
      return DLY_CLI_EXIT_FAILED;
    }

  if (profile != NULL)
    {
      /* The profile's defaults fill in what --set left unset, so --set comes after. */
      backend = resolve_profile (engine, profile, request, &error);
      if (backend == NULL)
        return fail (error);
      for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
        if (!apply_set (backend, request, sets[i], &error))
          return fail (error);
    }

  if (api_key_env != NULL)
    dly_backend_set_api_key (backend, g_getenv (api_key_env));

  job = dly_engine_submit (engine, backend, request, profile, api_key_env, output, &error);
  if (job == NULL)
    return fail (error);
  g_object_ref (job);

  watch = dly_cli_watch_new (engine, json, detach);
  dly_cli_watch_add (watch, job, FALSE);
  return dly_cli_watch_run (watch);
}
