/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dailies-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dly-take-diff.h"

/* Words of a differing stretch of prompt shown before it is cut with an ellipsis. */
#define MAX_PROMPT_WORDS 6
/* Differences listed under the headline; more would not fit under a video. */
#define MAX_CAPTION_ITEMS 4

typedef struct
{
  char *name;
  char *value_a;
  char *value_b;
} Difference;

static void
difference_free (Difference *difference)
{
  g_free (difference->name);
  g_free (difference->value_a);
  g_free (difference->value_b);
  g_free (difference);
}

static void
add_difference (GPtrArray  *differences,
                const char *name,
                char       *value_a,
                char       *value_b)
{
  Difference *difference = g_new0 (Difference, 1);

  difference->name = g_strdup (name);
  difference->value_a = value_a;
  difference->value_b = value_b;
  g_ptr_array_add (differences, difference);
}

static char *
format_value (const GValue *value)
{
  if (value == NULL)
    return g_strdup (_("default"));
  if (G_VALUE_HOLDS_STRING (value))
    return g_strdup (g_value_get_string (value));
  if (G_VALUE_HOLDS_BOOLEAN (value))
    return g_strdup (g_value_get_boolean (value) ? _("on") : _("off"));
  if (G_VALUE_HOLDS_DOUBLE (value))
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", g_value_get_double (value)));
    }
  if (G_VALUE_HOLDS_FLOAT (value))
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", g_value_get_float (value)));
    }
  if (G_VALUE_HOLDS_INT64 (value))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (value));
  if (G_VALUE_HOLDS_INT (value))
    return g_strdup_printf ("%d", g_value_get_int (value));
  if (G_VALUE_HOLDS_UINT (value))
    return g_strdup_printf ("%u", g_value_get_uint (value));
  if (G_VALUE_HOLDS_UINT64 (value))
    return g_strdup_printf ("%" G_GUINT64_FORMAT, g_value_get_uint64 (value));
  return g_strdup_value_contents (value);
}

static gboolean
values_equal (const GValue *a,
              const GValue *b)
{
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  /* "30" set as a string on one and 30 as a number on the other are the same to a person. */
  text_a = format_value (a);
  text_b = format_value (b);
  return g_strcmp0 (text_a, text_b) == 0;
}

static char *
join_words (char **words,
            guint  start,
            guint  end,
            guint  n_words)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint last = MIN (end, start + MAX_PROMPT_WORDS);

  if (start > 0)
    g_string_append (text, "…");
  for (guint i = start; i < last; i++)
    {
      if (i > start)
        g_string_append_c (text, ' ');
      g_string_append (text, words[i]);
    }
  if (last < n_words)
    g_string_append (text, "…");
  return g_strdup_printf ("“%s”", text->str);
}

/* The stretch of words where two prompts part, with a word of context on either side. */
static void
prompt_excerpts (const char  *a,
                 const char  *b,
                 char       **excerpt_a,
                 char       **excerpt_b)
{
  g_auto(GStrv) words_a = g_strsplit_set (a != NULL ? a : "", " \t\n", -1);
  g_auto(GStrv) words_b = g_strsplit_set (b != NULL ? b : "", " \t\n", -1);
  guint n_a, n_b, prefix = 0, suffix = 0;
  guint start, end_a, end_b;

  /* Empty strings from runs of spaces are dropped in place. */
  for (char **words = words_a; words != NULL; words = words == words_a ? words_b : NULL)
    {
      guint j = 0;

      for (guint i = 0; words[i] != NULL; i++)
        {
          if (*words[i] != '\0')
            words[j++] = words[i];
          else
            g_free (words[i]);
        }
      words[j] = NULL;
    }
  n_a = g_strv_length (words_a);
  n_b = g_strv_length (words_b);

  while (prefix < n_a && prefix < n_b && strcmp (words_a[prefix], words_b[prefix]) == 0)
    prefix++;
  while (suffix < n_a - prefix && suffix < n_b - prefix
         && strcmp (words_a[n_a - 1 - suffix], words_b[n_b - 1 - suffix]) == 0)
    suffix++;

  start = prefix > 0 ? prefix - 1 : 0;
  end_a = MIN (n_a, n_a - suffix + 1);
  end_b = MIN (n_b, n_b - suffix + 1);
  *excerpt_a = n_a > 0 ? join_words (words_a, start, end_a, n_a) : g_strdup (_("none"));
  *excerpt_b = n_b > 0 ? join_words (words_b, start, end_b, n_b) : g_strdup (_("none"));
}

static char *
describe_location (const char *location)
{
  if (location == NULL)
    return g_strdup (_("none"));
  if (dly_request_location_is_url (location))
    {
      const char *slash = strrchr (location, '/');

      return g_strdup (slash != NULL && slash[1] != '\0' ? slash + 1 : location);
    }
  return g_path_get_basename (location);
}

static char *
describe_loras (DlyRequest *request)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = dly_request_get_n_loras (request);

  if (n == 0)
    return g_strdup (_("none"));
  for (guint i = 0; i < n; i++)
    {
      double scale = 1.0;
      g_autofree char *name = describe_location (dly_request_get_lora (request, i, &scale));
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%s ×%s", name,
                              g_ascii_formatd (buffer, sizeof buffer, "%g", scale));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GPtrArray *
collect_differences (DlyRequest *a,
                     const char *backend_a,
                     DlyRequest *b,
                     const char *backend_b)
{
  GPtrArray *differences = g_ptr_array_new_with_free_func ((GDestroyNotify) difference_free);
  g_auto(GStrv) names_a = dly_request_list_params (a);
  g_auto(GStrv) names_b = dly_request_list_params (b);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *loras_a = describe_loras (a);
  g_autofree char *loras_b = describe_loras (b);

  if (g_strcmp0 (backend_a, backend_b) != 0)
    add_difference (differences, _("Backend"),
                    g_strdup (backend_a != NULL ? backend_a : _("unknown")),
                    g_strdup (backend_b != NULL ? backend_b : _("unknown")));

  if (!values_equal (dly_request_get_param (a, "seed"), dly_request_get_param (b, "seed")))
    add_difference (differences, _("Seed"),
                    format_value (dly_request_get_param (a, "seed")),
                    format_value (dly_request_get_param (b, "seed")));

  if (g_strcmp0 (dly_request_get_prompt (a), dly_request_get_prompt (b)) != 0)
    {
      char *excerpt_a, *excerpt_b;

      prompt_excerpts (dly_request_get_prompt (a), dly_request_get_prompt (b),
                       &excerpt_a, &excerpt_b);
      add_difference (differences, _("Prompt"), excerpt_a, excerpt_b);
    }
  if (g_strcmp0 (dly_request_get_negative_prompt (a), dly_request_get_negative_prompt (b)) != 0)
    {
      char *excerpt_a, *excerpt_b;

      prompt_excerpts (dly_request_get_negative_prompt (a), dly_request_get_negative_prompt (b),
                       &excerpt_a, &excerpt_b);
      add_difference (differences, _("Negative"), excerpt_a, excerpt_b);
    }
  if (g_strcmp0 (dly_request_get_image (a), dly_request_get_image (b)) != 0)
    add_difference (differences, _("Image"), describe_location (dly_request_get_image (a)),
                    describe_location (dly_request_get_image (b)));
  if (g_strcmp0 (dly_request_get_audio (a), dly_request_get_audio (b)) != 0)
    add_difference (differences, _("Audio"), describe_location (dly_request_get_audio (a)),
                    describe_location (dly_request_get_audio (b)));
  if (g_strcmp0 (loras_a, loras_b) != 0)
    add_difference (differences, _("LoRAs"), g_steal_pointer (&loras_a),
                    g_steal_pointer (&loras_b));

  /* Every other parameter either take set, once, in name order (both lists are sorted). */
  for (guint i = 0, j = 0; names_a[i] != NULL || names_b[j] != NULL;)
    {
      int order = names_a[i] == NULL ? 1 : names_b[j] == NULL ? -1 : strcmp (names_a[i], names_b[j]);
      const char *name = order <= 0 ? names_a[i] : names_b[j];

      if (order <= 0)
        i++;
      if (order >= 0)
        j++;
      if (g_strcmp0 (name, "seed") != 0)
        g_ptr_array_add (names, (gpointer) name);
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const GValue *value_a = dly_request_get_param (a, name);
      const GValue *value_b = dly_request_get_param (b, name);

      if (!values_equal (value_a, value_b))
        add_difference (differences, name, format_value (value_a), format_value (value_b));
    }

  return differences;
}

static char *
build_label (GPtrArray *differences,
             gboolean   side_b)
{
  g_autoptr(GString) label = g_string_new (NULL);

  for (guint i = 0; i < differences->len && i <= MAX_CAPTION_ITEMS; i++)
    {
      Difference *difference = g_ptr_array_index (differences, i);

      if (i == 1)
        g_string_append_c (label, '\n');
      else if (i > 1)
        g_string_append (label, " · ");
      /* Translators: a difference between two takes, such as "Seed 42" or "steps 30" */
      g_string_append_printf (label, C_("take difference", "%s %s"), difference->name,
                              side_b ? difference->value_b : difference->value_a);
    }
  if (differences->len > MAX_CAPTION_ITEMS + 1)
    g_string_append_printf (label, " · %s",
                            /* Translators: more differences than are listed */
                            _("and more"));
  return g_string_free (g_steal_pointer (&label), FALSE);
}

void
dly_take_diff_labels (DlyRequest  *a,
                      const char  *backend_a,
                      DlyRequest  *b,
                      const char  *backend_b,
                      char       **label_a,
                      char       **label_b)
{
  g_autoptr(GPtrArray) differences = NULL;

  g_return_if_fail (DLY_IS_REQUEST (a));
  g_return_if_fail (DLY_IS_REQUEST (b));
  g_return_if_fail (label_a != NULL && label_b != NULL);

  differences = collect_differences (a, backend_a, b, backend_b);
  if (differences->len == 0)
    {
      *label_a = g_strdup_printf ("%s\n%s", _("Take A"), _("Same request"));
      *label_b = g_strdup_printf ("%s\n%s", _("Take B"), _("Same request"));
      return;
    }
  *label_a = build_label (differences, FALSE);
  *label_b = build_label (differences, TRUE);
}
