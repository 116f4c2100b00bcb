/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

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
