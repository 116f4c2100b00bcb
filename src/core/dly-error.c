/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "dly-error.h"

/* The retry delay travels with the error itself, so that whoever retries needs no side
 * channel to the code that saw the 429. */
typedef struct
{
  guint retry_after_ms;
} DlyErrorPrivate;

static void
dly_error_private_init (DlyErrorPrivate *priv)
{
  priv->retry_after_ms = 0;
}

static void
dly_error_private_copy (const DlyErrorPrivate *src,
                        DlyErrorPrivate       *dest)
{
  dest->retry_after_ms = src->retry_after_ms;
}

static void
dly_error_private_clear (DlyErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (DlyError, dly_error)

void
dly_error_set_retry_after (GError *error,
                           guint   milliseconds)
{
  DlyErrorPrivate *priv = dly_error_get_private (error);

  g_return_if_fail (priv != NULL);
  priv->retry_after_ms = milliseconds;
}

guint
dly_error_get_retry_after (const GError *error)
{
  DlyErrorPrivate *priv = dly_error_get_private (error);

  return priv != NULL ? priv->retry_after_ms : 0;
}

gboolean
dly_error_is_transient (const GError *error)
{
  return error != NULL && g_error_matches (error, DLY_ERROR, DLY_ERROR_TRANSIENT);
}

DlyError
dly_error_code_for_http_status (guint       status,
                                const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text ? text : "", -1);

  switch (status)
    {
    case 401:
    case 403:
      return DLY_ERROR_AUTH;
    case 402:
      return DLY_ERROR_CREDITS;
    case 406:
      /* Segmind says "insufficient credits" with 406, and also uses it for bad content types. */
      if (strstr (lower, "credit") != NULL || strstr (lower, "spend") != NULL
          || strstr (lower, "balance") != NULL)
        return DLY_ERROR_CREDITS;
      return DLY_ERROR_INVALID_INPUT;
    case 404:
    case 410:
      return DLY_ERROR_NOT_FOUND;
    case 408:
    case 425:
    case 429:
      return DLY_ERROR_TRANSIENT;
    default:
      if (status >= 500 && status < 600)
        return DLY_ERROR_TRANSIENT;
      if (status >= 400 && status < 500)
        return DLY_ERROR_INVALID_INPUT;
      return DLY_ERROR_PROTOCOL;
    }
}
