/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dailies-cli backends: the dialects and their parameters, from their GParamSpecs. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dly-cli.h"

/* Parameters belong to instances; any well-formed URL makes one (nothing is sent). */
#define PLACEHOLDER_URL "http://127.0.0.1"

static const DlyMode all_modes[] = {
  DLY_MODE_TEXT_TO_VIDEO,
  DLY_MODE_IMAGE_TO_VIDEO,
  DLY_MODE_LIP_SYNC,
  DLY_MODE_AUDIO_GENERATION,
};

static GStrv
mode_names (DlyModeFlags modes)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (all_modes); i++)
    if (modes & DLY_MODE_TO_FLAG (all_modes[i]))
      g_strv_builder_add (builder, dly_mode_to_string (all_modes[i]));
  return g_strv_builder_end (builder);
}

static GStrv
input_names (DlyInputKinds kinds)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (kinds & DLY_INPUT_FILE)
    g_strv_builder_add (builder, "file");
  if (kinds & DLY_INPUT_URL)
    g_strv_builder_add (builder, "url");
  return g_strv_builder_end (builder);
}

static JsonNode *
strv_node (const char * const *strv)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  json_node_take_array (node, array);
  return node;
}

/* A value as JSON of its own type: numbers stay numbers for scripts. */
static JsonNode *
value_node (const GValue *value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  if (G_VALUE_HOLDS_INT64 (value))
    json_node_set_int (node, g_value_get_int64 (value));
  else if (G_VALUE_HOLDS_DOUBLE (value))
    json_node_set_double (node, g_value_get_double (value));
  else if (G_VALUE_HOLDS_BOOLEAN (value))
    json_node_set_boolean (node, g_value_get_boolean (value));
  else if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL)
    json_node_set_string (node, g_value_get_string (value));
  else
    json_node_init_null (node);
  return node;
}

static JsonNode *
param_to_json (GParamSpec *pspec)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const GValue *default_value = g_param_spec_get_default_value (pspec);
  g_autofree char *rules = dly_param_describe_rules (pspec);
  g_auto(GStrv) modes = mode_names (dly_param_get_modes (pspec));
  const char * const *choices = dly_param_get_choices (pspec);
  guint n_int_choices = 0;
  const gint64 *int_choices = dly_param_get_int_choices (pspec, &n_int_choices);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, g_param_spec_get_name (pspec));
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, g_param_spec_get_nick (pspec));
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, g_param_spec_get_blurb (pspec));
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, dly_param_get_type_name (pspec));

  if (G_IS_PARAM_SPEC_INT64 (pspec))
    {
      json_builder_set_member_name (builder, "minimum");
      json_builder_add_int_value (builder, G_PARAM_SPEC_INT64 (pspec)->minimum);
      json_builder_set_member_name (builder, "maximum");
      json_builder_add_int_value (builder, G_PARAM_SPEC_INT64 (pspec)->maximum);
    }
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    {
      json_builder_set_member_name (builder, "minimum");
      json_builder_add_double_value (builder, G_PARAM_SPEC_DOUBLE (pspec)->minimum);
      json_builder_set_member_name (builder, "maximum");
      json_builder_add_double_value (builder, G_PARAM_SPEC_DOUBLE (pspec)->maximum);
    }

  json_builder_set_member_name (builder, "default");
  json_builder_add_value (builder, value_node (default_value));

  json_builder_set_member_name (builder, "choices");
  if (choices != NULL)
    json_builder_add_value (builder, strv_node (choices));
  else if (int_choices != NULL)
    {
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_int_choices; i++)
        json_builder_add_int_value (builder, int_choices[i]);
      json_builder_end_array (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "multiple_of");
  json_builder_add_int_value (builder, MAX (dly_param_get_multiple_of (pspec), 1));
  json_builder_set_member_name (builder, "frame_count");
  json_builder_add_boolean_value (builder, dly_param_is_frame_count (pspec));
  json_builder_set_member_name (builder, "optional");
  json_builder_add_boolean_value (builder, dly_param_is_optional (pspec));
  json_builder_set_member_name (builder, "unit");
  if (dly_param_get_unit (pspec) != NULL)
    json_builder_add_string_value (builder, dly_param_get_unit (pspec));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "modes");
  json_builder_add_value (builder, strv_node ((const char * const *) modes));
  json_builder_set_member_name (builder, "rules");
  json_builder_add_string_value (builder, rules);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
backend_to_json (DlyBackend *backend)
{
  DlyBackendClass *klass = DLY_BACKEND_GET_CLASS (backend);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) modes = mode_names (dly_backend_get_modes (backend));
  g_auto(GStrv) image_inputs = input_names (dly_backend_get_image_inputs (backend));
  g_auto(GStrv) audio_inputs = input_names (dly_backend_get_audio_inputs (backend));
  guint n_params = 0;
  g_autofree GParamSpec **params = dly_backend_list_params (backend, &n_params);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, dly_backend_get_dialect (backend));
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, dly_backend_get_label (backend));
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, klass->description);
  json_builder_set_member_name (builder, "modes");
  json_builder_add_value (builder, strv_node ((const char * const *) modes));
  json_builder_set_member_name (builder, "image_inputs");
  json_builder_add_value (builder, strv_node ((const char * const *) image_inputs));
  json_builder_set_member_name (builder, "audio_inputs");
  json_builder_add_value (builder, strv_node ((const char * const *) audio_inputs));
  json_builder_set_member_name (builder, "negative_prompt");
  json_builder_add_boolean_value (builder, dly_backend_uses_negative_prompt (backend));
  json_builder_set_member_name (builder, "max_loras");
  json_builder_add_int_value (builder, dly_backend_get_max_loras (backend));
  json_builder_set_member_name (builder, "needs_api_key");
  json_builder_add_boolean_value (builder, klass->needs_api_key);
  json_builder_set_member_name (builder, "remote_cancel");
  json_builder_add_boolean_value (builder, dly_backend_has_remote_cancel (backend));

  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_params; i++)
    json_builder_add_value (builder, param_to_json (params[i]));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static char *
join_or_none (const char * const *strv)
{
  if (strv == NULL || strv[0] == NULL)
    return g_strdup (_("none"));
  return g_strjoinv (", ", (char **) strv);
}

static void
append_padded (GString    *line,
               const char *text,
               glong       width)
{
  g_string_append (line, text);
  for (glong i = g_utf8_strlen (text, -1); i < width; i++)
    g_string_append_c (line, ' ');
}

static void
print_backend (DlyBackend *backend)
{
  DlyBackendClass *klass = DLY_BACKEND_GET_CLASS (backend);
  g_auto(GStrv) modes = mode_names (dly_backend_get_modes (backend));
  g_auto(GStrv) image_inputs = input_names (dly_backend_get_image_inputs (backend));
  g_auto(GStrv) audio_inputs = input_names (dly_backend_get_audio_inputs (backend));
  g_autofree char *modes_text = join_or_none ((const char * const *) modes);
  g_autofree char *image_text = join_or_none ((const char * const *) image_inputs);
  g_autofree char *audio_text = join_or_none ((const char * const *) audio_inputs);
  guint n_params = 0;
  g_autofree GParamSpec **params = dly_backend_list_params (backend, &n_params);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  glong widths[4] = { 0, };

  g_print ("%s — %s\n", dly_backend_get_dialect (backend), dly_backend_get_label (backend));
  if (klass->description != NULL)
    g_print ("  %s\n", klass->description);
  g_print (_("  modes: %s\n"), modes_text);
  g_print (_("  inputs: image %s; audio %s; negative prompt %s; LoRAs %u\n"),
           image_text, audio_text,
           dly_backend_uses_negative_prompt (backend) ? _("yes") : _("no"),
           dly_backend_get_max_loras (backend));
  g_print (_("  API key: %s; remote cancel: %s\n"),
           klass->needs_api_key ? _("required") : _("not needed"),
           dly_backend_has_remote_cancel (backend) ? _("yes") : _("no"));
  g_print (_("  parameters (--set NAME=VALUE):\n"));

  /* name, type, rules, default (with unit), then the label. */
  for (guint i = 0; i < n_params; i++)
    {
      GParamSpec *pspec = params[i];
      const char *unit = dly_param_get_unit (pspec);
      g_autofree char *value = dly_param_format_value (pspec, g_param_spec_get_default_value (pspec));
      char **row = g_new0 (char *, 6);

      row[0] = g_strdup (g_param_spec_get_name (pspec));
      row[1] = g_strdup (dly_param_get_type_name (pspec));
      row[2] = dly_param_describe_rules (pspec);
      if (unit != NULL && *unit != '\0')
        {
          g_autofree char *rules = row[2];

          row[2] = g_strconcat (rules, " ", unit, NULL);
        }
      if (dly_param_is_optional (pspec))
        row[3] = g_strdup_printf (_("unset (backend picks; e.g. %s)"), value);
      else
        row[3] = g_strdup_printf (_("default %s%s%s"), value,
                                  unit != NULL && *unit != '\0' ? " " : "",
                                  unit != NULL ? unit : "");
      row[4] = g_strdup (g_param_spec_get_nick (pspec));
      g_ptr_array_add (rows, row);
      for (guint c = 0; c < G_N_ELEMENTS (widths); c++)
        widths[c] = MAX (widths[c], g_utf8_strlen (row[c], -1));
    }

  for (guint r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);
      g_autoptr(GString) line = g_string_new ("    ");

      for (guint c = 0; c < G_N_ELEMENTS (widths); c++)
        {
          append_padded (line, row[c], widths[c]);
          g_string_append (line, "  ");
        }
      g_string_append (line, row[4]);
      g_print ("%s\n", line->str);
    }
}

int
dly_cli_backends (int    argc,
                  char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the dialects and their parameters as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(JsonArray) array = json_array_new ();
  g_auto(GStrv) dialects = dly_backend_list_dialects ();

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Lists the backend dialects and their parameters: name, type, range or\n"
      "choices, default, unit and rules. These are the names --set takes."));
  g_option_context_set_description (context, dly_cli_exit_codes_help ());
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!dly_cli_parse_options (context, &argc, &argv))
    return DLY_CLI_EXIT_INVALID;
  if (argc > 1)
    {
      dly_cli_printerr (_("Unexpected argument “%s”"), argv[1]);
      return DLY_CLI_EXIT_INVALID;
    }

  for (guint i = 0; dialects[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlyBackend) backend = dly_backend_new_for_dialect (dialects[i], PLACEHOLDER_URL,
                                                                   &error);

      if (backend == NULL)
        {
          dly_cli_printerr ("%s", error->message);
          return DLY_CLI_EXIT_FAILED;
        }
      if (json)
        json_array_add_element (array, backend_to_json (backend));
      else
        {
          if (i > 0)
            g_print ("\n");
          print_backend (backend);
        }
    }

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      g_autofree char *text = NULL;

      json_node_set_array (node, array);
      text = json_to_string (node, TRUE);
      g_print ("%s\n", text);
    }
  return DLY_CLI_EXIT_OK;
}
