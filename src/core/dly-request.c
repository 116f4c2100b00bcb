/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dly-error.h"
#include "dly-request.h"

typedef struct
{
  char  *url;
  double scale;
} Lora;

struct _DlyRequest
{
  GObject     parent_instance;

  char       *prompt;
  char       *negative_prompt;
  char       *image;
  char       *audio;
  GArray     *loras;   /* of Lora, owned */
  GHashTable *params;  /* name → GValue*, owned */
};

G_DEFINE_FINAL_TYPE (DlyRequest, dly_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROMPT,
  PROP_NEGATIVE_PROMPT,
  PROP_IMAGE,
  PROP_AUDIO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lora_clear (gpointer data)
{
  Lora *lora = data;

  g_clear_pointer (&lora->url, g_free);
}

static void
value_free (gpointer data)
{
  GValue *value = data;

  g_value_unset (value);
  g_free (value);
}

static void
dly_request_finalize (GObject *object)
{
  DlyRequest *self = DLY_REQUEST (object);

  g_free (self->prompt);
  g_free (self->negative_prompt);
  g_free (self->image);
  g_free (self->audio);
  g_array_unref (self->loras);
  g_hash_table_unref (self->params);

  G_OBJECT_CLASS (dly_request_parent_class)->finalize (object);
}

static void
dly_request_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DlyRequest *self = DLY_REQUEST (object);

  switch (prop_id)
    {
    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;
    case PROP_NEGATIVE_PROMPT:
      g_value_set_string (value, self->negative_prompt);
      break;
    case PROP_IMAGE:
      g_value_set_string (value, self->image);
      break;
    case PROP_AUDIO:
      g_value_set_string (value, self->audio);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_request_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DlyRequest *self = DLY_REQUEST (object);

  switch (prop_id)
    {
    case PROP_PROMPT:
      dly_request_set_prompt (self, g_value_get_string (value));
      break;
    case PROP_NEGATIVE_PROMPT:
      dly_request_set_negative_prompt (self, g_value_get_string (value));
      break;
    case PROP_IMAGE:
      dly_request_set_image (self, g_value_get_string (value));
      break;
    case PROP_AUDIO:
      dly_request_set_audio (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dly_request_class_init (DlyRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dly_request_finalize;
  object_class->get_property = dly_request_get_property;
  object_class->set_property = dly_request_set_property;

  /** DlyRequest:prompt: what the take should show. */
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, flags);
  /** DlyRequest:negative-prompt: what it should not show. */
  properties[PROP_NEGATIVE_PROMPT] = g_param_spec_string ("negative-prompt", NULL, NULL, NULL,
                                                          flags);
  /** DlyRequest:image: a local path or http(s) URL of the input image. */
  properties[PROP_IMAGE] = g_param_spec_string ("image", NULL, NULL, NULL, flags);
  /** DlyRequest:audio: a local path or http(s) URL of the input audio. */
  properties[PROP_AUDIO] = g_param_spec_string ("audio", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dly_request_init (DlyRequest *self)
{
  self->loras = g_array_new (FALSE, TRUE, sizeof (Lora));
  g_array_set_clear_func (self->loras, lora_clear);
  self->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, value_free);
}

DlyRequest *
dly_request_new (void)
{
  return g_object_new (DLY_TYPE_REQUEST, NULL);
}

DlyRequest *
dly_request_copy (DlyRequest *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (DLY_IS_REQUEST (self), NULL);

  node = dly_request_to_json (self);
  return dly_request_new_from_json (node, NULL);
}

/* Empty strings mean "none": the composer's entries give "" rather than NULL. */
static gboolean
set_string (char      **field,
            const char *value)
{
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

const char *
dly_request_get_prompt (DlyRequest *self)
{
  g_return_val_if_fail (DLY_IS_REQUEST (self), NULL);
  return self->prompt;
}

void
dly_request_set_prompt (DlyRequest *self,
                        const char *prompt)
{
  g_return_if_fail (DLY_IS_REQUEST (self));
  if (set_string (&self->prompt, prompt))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROMPT]);
}

const char *
dly_request_get_negative_prompt (DlyRequest *self)
{
  g_return_val_if_fail (DLY_IS_REQUEST (self), NULL);
  return self->negative_prompt;
}

void
dly_request_set_negative_prompt (DlyRequest *self,
                                 const char *negative_prompt)
{
  g_return_if_fail (DLY_IS_REQUEST (self));
  if (set_string (&self->negative_prompt, negative_prompt))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEGATIVE_PROMPT]);
}

const char *
dly_request_get_image (DlyRequest *self)
{
  g_return_val_if_fail (DLY_IS_REQUEST (self), NULL);
  return self->image;
}

void
dly_request_set_image (DlyRequest *self,
                       const char *image)
{
  g_return_if_fail (DLY_IS_REQUEST (self));
  if (set_string (&self->image, image))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE]);
}

const char *
dly_request_get_audio (DlyRequest *self)
{
  g_return_val_if_fail (DLY_IS_REQUEST (self), NULL);
  return self->audio;
}

void
dly_request_set_audio (DlyRequest *self,
                       const char *audio)
{
  g_return_if_fail (DLY_IS_REQUEST (self));
  if (set_string (&self->audio, audio))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO]);
}

void
dly_request_add_lora (DlyRequest *self,
                      const char *url,
                      double      scale)
{
  Lora lora = { g_strdup (url), scale };

  g_return_if_fail (DLY_IS_REQUEST (self));
  g_return_if_fail (url != NULL);
  g_array_append_val (self->loras, lora);
}

guint
dly_request_get_n_loras (DlyRequest *self)
{
  g_return_val_if_fail (DLY_IS_REQUEST (self), 0);
  return self->loras->len;
}

const char *
dly_request_get_lora (DlyRequest *self,
                      guint       index,
                      double     *scale)
{
  Lora *lora;

  g_return_val_if_fail (DLY_IS_REQUEST (self), NULL);
  g_return_val_if_fail (index < self->loras->len, NULL);

  lora = &g_array_index (self->loras, Lora, index);
  if (scale != NULL)
    *scale = lora->scale;
  return lora->url;
}

void
dly_request_clear_loras (DlyRequest *self)
{
  g_return_if_fail (DLY_IS_REQUEST (self));
  g_array_set_size (self->loras, 0);
}

void
dly_request_set_param (DlyRequest   *self,
                       const char   *name,
                       const GValue *value)
{
  GValue *copy;

  g_return_if_fail (DLY_IS_REQUEST (self));
  g_return_if_fail (name != NULL && value != NULL);

  copy = g_new0 (GValue, 1);
  g_value_init (copy, G_VALUE_TYPE (value));
  g_value_copy (value, copy);
  g_hash_table_replace (self->params, g_strdup (name), copy);
}

void
dly_request_set_param_int (DlyRequest *self,
                           const char *name,
                           gint64      value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_INT64);
  g_value_set_int64 (&gvalue, value);
  dly_request_set_param (self, name, &gvalue);
}

void
dly_request_set_param_double (DlyRequest *self,
                              const char *name,
                              double      value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_DOUBLE);
  g_value_set_double (&gvalue, value);
  dly_request_set_param (self, name, &gvalue);
}

void
dly_request_set_param_string (DlyRequest *self,
                              const char *name,
                              const char *value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_STRING);
  g_value_set_string (&gvalue, value);
  dly_request_set_param (self, name, &gvalue);
}

void
dly_request_set_param_boolean (DlyRequest *self,
                               const char *name,
                               gboolean    value)
{
  g_auto(GValue) gvalue = G_VALUE_INIT;

  g_value_init (&gvalue, G_TYPE_BOOLEAN);
  g_value_set_boolean (&gvalue, value);
  dly_request_set_param (self, name, &gvalue);
}

void
dly_request_unset_param (DlyRequest *self,
                         const char *name)
{
  g_return_if_fail (DLY_IS_REQUEST (self));
  g_hash_table_remove (self->params, name);
}

const GValue *
dly_request_get_param (DlyRequest *self,
                       const char *name)
{
  g_return_val_if_fail (DLY_IS_REQUEST (self), NULL);
  return g_hash_table_lookup (self->params, name);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

GStrv
dly_request_list_params (DlyRequest *self)
{
  g_autofree char **names = NULL;
  guint n = 0;

  g_return_val_if_fail (DLY_IS_REQUEST (self), NULL);

  names = (char **) g_hash_table_get_keys_as_array (self->params, &n);
  qsort (names, n, sizeof (char *), compare_strings);
  {
    GStrv copy = g_new0 (char *, n + 1);

    for (guint i = 0; i < n; i++)
      copy[i] = g_strdup (names[i]);
    return copy;
  }
}

gboolean
dly_request_location_is_url (const char *location)
{
  return location != NULL
         && (g_ascii_strncasecmp (location, "http://", 7) == 0
             || g_ascii_strncasecmp (location, "https://", 8) == 0);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

JsonNode *
dly_request_to_json (DlyRequest *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (DLY_IS_REQUEST (self), NULL);

  json_builder_begin_object (builder);
  add_string_member (builder, "prompt", self->prompt);
  add_string_member (builder, "negative_prompt", self->negative_prompt);
  add_string_member (builder, "image", self->image);
  add_string_member (builder, "audio", self->audio);

  if (self->loras->len > 0)
    {
      json_builder_set_member_name (builder, "loras");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->loras->len; i++)
        {
          Lora *lora = &g_array_index (self->loras, Lora, i);

          json_builder_begin_object (builder);
          add_string_member (builder, "url", lora->url);
          json_builder_set_member_name (builder, "scale");
          json_builder_add_double_value (builder, lora->scale);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  names = dly_request_list_params (self);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const GValue *value = g_hash_table_lookup (self->params, names[i]);

      json_builder_set_member_name (builder, names[i]);
      if (G_VALUE_HOLDS_INT64 (value))
        json_builder_add_int_value (builder, g_value_get_int64 (value));
      else if (G_VALUE_HOLDS_INT (value))
        json_builder_add_int_value (builder, g_value_get_int (value));
      else if (G_VALUE_HOLDS_DOUBLE (value))
        json_builder_add_double_value (builder, g_value_get_double (value));
      else if (G_VALUE_HOLDS_BOOLEAN (value))
        json_builder_add_boolean_value (builder, g_value_get_boolean (value));
      else if (G_VALUE_HOLDS_STRING (value))
        json_builder_add_string_value (builder, g_value_get_string (value));
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static const char *
get_optional_string (JsonObject *object,
                     const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

DlyRequest *
dly_request_new_from_json (JsonNode *node,
                           GError  **error)
{
  g_autoptr(DlyRequest) self = NULL;
  JsonObject *object;
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("A request must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);

  self = dly_request_new ();
  dly_request_set_prompt (self, get_optional_string (object, "prompt"));
  dly_request_set_negative_prompt (self, get_optional_string (object, "negative_prompt"));
  dly_request_set_image (self, get_optional_string (object, "image"));
  dly_request_set_audio (self, get_optional_string (object, "audio"));

  member = json_object_get_member (object, "loras");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *array = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          JsonObject *lora;
          const char *url;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            continue;
          lora = json_node_get_object (item);
          url = get_optional_string (lora, "url");
          if (url != NULL)
            dly_request_add_lora (self, url, json_object_get_double_member_with_default (lora, "scale", 1.0));
        }
    }

  member = json_object_get_member (object, "params");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *params = json_node_get_object (member);
      g_autoptr(GList) names = json_object_get_members (params);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (params, l->data);
          GType type;

          if (!JSON_NODE_HOLDS_VALUE (value))
            continue;
          type = json_node_get_value_type (value);
          if (type == G_TYPE_INT64)
            dly_request_set_param_int (self, l->data, json_node_get_int (value));
          else if (type == G_TYPE_DOUBLE)
            dly_request_set_param_double (self, l->data, json_node_get_double (value));
          else if (type == G_TYPE_BOOLEAN)
            dly_request_set_param_boolean (self, l->data, json_node_get_boolean (value));
          else if (type == G_TYPE_STRING)
            dly_request_set_param_string (self, l->data, json_node_get_string (value));
        }
    }

  return g_steal_pointer (&self);
}
