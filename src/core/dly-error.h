/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DLY_ERROR (dly_error_quark ())

/**
 * DlyError:
 * @DLY_ERROR_INVALID_INPUT: a request or parameter is not valid; nothing was sent.
 * @DLY_ERROR_BACKEND_FAILED: the backend reported that the job failed; the message is its own.
 * @DLY_ERROR_TRANSIENT: a failure that may heal by retrying (connection refused, 429, 5xx).
 * @DLY_ERROR_TRANSPORT: the backend could not be reached, even after retries.
 * @DLY_ERROR_AUTH: the backend refused the credentials (401, 403).
 * @DLY_ERROR_CREDITS: the account is out of credits (402, 406).
 * @DLY_ERROR_PROTOCOL: the backend answered something this dialect does not describe.
 * @DLY_ERROR_NOT_FOUND: the backend no longer knows the job or its result.
 * @DLY_ERROR_TIMEOUT: the job took longer than its overall time limit.
 * @DLY_ERROR_CANCELLED: the user cancelled.
 * @DLY_ERROR_UNKNOWN_SUBMISSION: a submit may have reached the backend but no id came back.
 * @DLY_ERROR_RESULT: the result is not a usable video (not MP4, too large, truncated).
 */
typedef enum
{
  DLY_ERROR_INVALID_INPUT,
  DLY_ERROR_BACKEND_FAILED,
  DLY_ERROR_TRANSIENT,
  DLY_ERROR_TRANSPORT,
  DLY_ERROR_AUTH,
  DLY_ERROR_CREDITS,
  DLY_ERROR_PROTOCOL,
  DLY_ERROR_NOT_FOUND,
  DLY_ERROR_TIMEOUT,
  DLY_ERROR_CANCELLED,
  DLY_ERROR_UNKNOWN_SUBMISSION,
  DLY_ERROR_RESULT,
} DlyError;

GQuark   dly_error_quark           (void);

/* Transient errors may say how long to wait (a 429's Retry-After), in milliseconds; 0 = unsaid. */
void     dly_error_set_retry_after (GError *error,
                                    guint   milliseconds);
guint    dly_error_get_retry_after (const GError *error);

/* TRUE for errors that can heal by retrying the same step. */
gboolean dly_error_is_transient    (const GError *error);

/* The error code an HTTP failure status means, shared by every request the core makes:
 * 401/403 AUTH, 402 CREDITS (406 too when @text speaks of credits), 404/410 NOT_FOUND,
 * 408/425/429/5xx TRANSIENT, other 4xx INVALID_INPUT, anything else PROTOCOL. */
DlyError dly_error_code_for_http_status (guint       status,
                                         const char *text);

G_END_DECLS
