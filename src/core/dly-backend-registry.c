/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which dialects exist: one line per DlyBackend subclass. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dly-backend.h"
#include "dly-backend-apixo.h"
#include "dly-backend-ltx2-server.h"
#include "dly-backend-ltxv-task.h"
#include "dly-backend-runpod.h"
#include "dly-backend-segmind.h"
#include "dly-error.h"

typedef GType (*GetTypeFunc) (void);

/* Declared here rather than including every subclass header: the registry only needs types. */
static const GetTypeFunc backend_types[] = {
  dly_backend_ltxv_task_get_type,
  dly_backend_ltx2_server_get_type,
  dly_backend_apixo_get_type,
  dly_backend_runpod_get_type,
  dly_backend_segmind_get_type,
  NULL,
};

GStrv
dly_backend_list_dialects (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; backend_types[i] != NULL; i++)
    {
      DlyBackendClass *klass = g_type_class_ref (backend_types[i] ());

      g_strv_builder_add (builder, klass->dialect);
      g_type_class_unref (klass);
    }
  return g_strv_builder_end (builder);
}

GType
dly_backend_type_for_dialect (const char *dialect)
{
  for (guint i = 0; backend_types[i] != NULL; i++)
    {
      GType type = backend_types[i] ();
      DlyBackendClass *klass = g_type_class_ref (type);
      gboolean match = g_strcmp0 (klass->dialect, dialect) == 0;

      g_type_class_unref (klass);
      if (match)
        return type;
    }
  return G_TYPE_INVALID;
}

const char *
dly_backend_suggest_url (const char  *dialect,
                         const char **placeholder)
{
  GType type = dly_backend_type_for_dialect (dialect);
  DlyBackendClass *klass;
  const char *url;

  *placeholder = NULL;
  if (type == G_TYPE_INVALID)
    return NULL;
  klass = g_type_class_ref (type);
  url = klass->url_template;
  *placeholder = klass->url_placeholder;
  g_type_class_unref (klass);   /* static classes outlive this: the strings stay valid */
  return url;
}

DlyBackend *
dly_backend_new_for_dialect (const char *dialect,
                             const char *base_url,
                             GError    **error)
{
  GType type = dly_backend_type_for_dialect (dialect);
  g_autoptr(GUri) uri = NULL;

  if (type == G_TYPE_INVALID)
    {
      g_auto(GStrv) dialects = dly_backend_list_dialects ();
      g_autofree char *known = g_strjoinv (", ", dialects);

      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("Unknown backend dialect “%s”; known dialects: %s"),
                   dialect ? dialect : "", known);
      return NULL;
    }

  uri = base_url ? g_uri_parse (base_url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0
          && g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0))
    {
      g_set_error (error, DLY_ERROR, DLY_ERROR_INVALID_INPUT,
                   _("“%s” is not a backend URL: give http://host:port or https://host"),
                   base_url ? base_url : "");
      return NULL;
    }

  return g_object_new (type, "base-url", base_url, NULL);
}
