/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "dly-types.h"
#include "dly-param.h"
#include "dly-request.h"
#include "dly-remote-status.h"

G_BEGIN_DECLS

#define DLY_TYPE_BACKEND (dly_backend_get_type ())
G_DECLARE_DERIVABLE_TYPE (DlyBackend, dly_backend, DLY, BACKEND, GObject)

/**
 * DlyBackendClass:
 * @dialect: the dialect's id, as used by `--backend` ("ltxv-task")
 * @label: a human name ("LTX-Video task server")
 * @description: one sentence on what speaks this dialect
 * @modes: the modes it supports (and %DLY_MODE_FLAG_LORA if it takes LoRAs)
 * @image_inputs: whether it takes the image as a local file, a URL, or both
 * @audio_inputs: likewise for audio
 * @uses_negative_prompt: whether the negative prompt is sent at all
 * @needs_api_key: whether requests carry a key
 * @max_loras: how many LoRAs it takes (0 for none)
 * @remote_cancel: whether it has a cancel request (else cancelling aborts the request)
 * @inline_result: whether the submit's response body can be the video itself
 * @submit_timeout: seconds to wait for the submit's answer (cold starts are slow)
 * @url_template: where a new profile points: the service's public URL, or a template with
 *   a part the user must replace
 * @url_placeholder: that part ("ENDPOINT_ID", "HOST:PORT"), or %NULL when the URL is complete
 * @choose_mode: picks the mode from the request's inputs, or says why none fits
 * @validate: dialect rules beyond each parameter's own (cross-field, inputs)
 * @build_submit: encodes the submit request; runs in a worker thread (it may read input files)
 * @parse_submit: decodes the submit's answer (any HTTP status) into a status with a remote id
 * @build_poll: encodes a status request for @remote_id
 * @parse_poll: decodes a status answer (any HTTP status)
 * @build_cancel: encodes a cancel request, or returns NULL when the dialect has none
 * @build_result: encodes the download of a finished job's video
 * @build_check: encodes the cheapest honest request that proves the backend is there
 * @parse_check: says what the check found, in one line
 * @apply_auth: puts the key on a message bound for the backend's own host
 *
 * A backend dialect. Subclasses are encoders and decoders only: the base class sends,
 * classifies transport and HTTP failures, and never sends a key to a foreign host.
 */
struct _DlyBackendClass
{
  GObjectClass parent_class;

  const char   *dialect;
  const char   *label;
  const char   *description;
  DlyModeFlags  modes;
  DlyInputKinds image_inputs;
  DlyInputKinds audio_inputs;
  gboolean      uses_negative_prompt;
  gboolean      needs_api_key;
  guint         max_loras;
  gboolean      remote_cancel;
  gboolean      inline_result;
  guint         submit_timeout;
  const char   *url_template;
  const char   *url_placeholder;

  gboolean          (*choose_mode)   (DlyBackend        *self,
                                      DlyRequest        *request,
                                      DlyMode           *mode,
                                      GError           **error);
  gboolean          (*validate)      (DlyBackend        *self,
                                      DlyRequest        *request,
                                      DlyMode            mode,
                                      GError           **error);
  SoupMessage      *(*build_submit)  (DlyBackend        *self,
                                      DlyRequest        *request,
                                      DlyMode            mode,
                                      GError           **error);
  DlyRemoteStatus  *(*parse_submit)  (DlyBackend        *self,
                                      SoupMessage       *message,
                                      GBytes            *body,
                                      GError           **error);
  SoupMessage      *(*build_poll)    (DlyBackend        *self,
                                      const char        *remote_id);
  DlyRemoteStatus  *(*parse_poll)    (DlyBackend        *self,
                                      const char        *remote_id,
                                      SoupMessage       *message,
                                      GBytes            *body,
                                      GError           **error);
  SoupMessage      *(*build_cancel)  (DlyBackend        *self,
                                      const char        *remote_id);
  SoupMessage      *(*build_result)  (DlyBackend        *self,
                                      const DlyRemoteStatus *status,
                                      GError           **error);
  SoupMessage      *(*build_check)   (DlyBackend        *self);
  char             *(*parse_check)   (DlyBackend        *self,
                                      SoupMessage       *message,
                                      GBytes            *body,
                                      GError           **error);
  void              (*apply_auth)    (DlyBackend        *self,
                                      SoupMessage       *message,
                                      const char        *api_key);

  gpointer padding[8];
};

/* Class setup, from a subclass's class_init. Takes ownership of @pspec. */
void          dly_backend_class_install_param (DlyBackendClass *klass,
                                               GParamSpec      *pspec);

/* Registry of dialects. */
GStrv         dly_backend_list_dialects      (void);
GType         dly_backend_type_for_dialect   (const char      *dialect);
DlyBackend   *dly_backend_new_for_dialect    (const char      *dialect,
                                              const char      *base_url,
                                              GError         **error);

/* Where a new profile of @dialect points: its service's public URL, or a template with a
 * part to replace (@placeholder is set to it, else to NULL). NULL for an unknown dialect. */
const char   *dly_backend_suggest_url        (const char      *dialect,
                                              const char     **placeholder);

/* Instance. base-url and api-key are construct properties; the key is never readable. */
const char   *dly_backend_get_dialect        (DlyBackend      *self);
const char   *dly_backend_get_label          (DlyBackend      *self);
const char   *dly_backend_get_base_url       (DlyBackend      *self);
GUri         *dly_backend_get_base_uri       (DlyBackend      *self);
void          dly_backend_set_api_key        (DlyBackend      *self,
                                              const char      *api_key);
gboolean      dly_backend_has_api_key        (DlyBackend      *self);
DlyModeFlags  dly_backend_get_modes          (DlyBackend      *self);
DlyInputKinds dly_backend_get_image_inputs   (DlyBackend      *self);
DlyInputKinds dly_backend_get_audio_inputs   (DlyBackend      *self);
gboolean      dly_backend_uses_negative_prompt (DlyBackend    *self);
guint         dly_backend_get_max_loras      (DlyBackend      *self);
gboolean      dly_backend_has_remote_cancel  (DlyBackend      *self);
guint         dly_backend_get_submit_timeout (DlyBackend      *self);

/* Parameters: GParamSpecs, in declaration order. */
GParamSpec  **dly_backend_list_params        (DlyBackend      *self,
                                              guint           *n_params);
GParamSpec   *dly_backend_find_param         (DlyBackend      *self,
                                              const char      *name);
/* The request's value converted to the pspec's type, or the default; FALSE for an unset
 * optional parameter (nothing is sent). */
gboolean      dly_backend_get_param_value    (DlyBackend      *self,
                                              DlyRequest      *request,
                                              const char      *name,
                                              GValue          *value);
gint64        dly_backend_get_param_int      (DlyBackend      *self,
                                              DlyRequest      *request,
                                              const char      *name);
double        dly_backend_get_param_double   (DlyBackend      *self,
                                              DlyRequest      *request,
                                              const char      *name);
/* Returns NULL for an unset optional string. */
const char   *dly_backend_get_param_string   (DlyBackend      *self,
                                              DlyRequest      *request,
                                              const char      *name);

/* Mode and validation: everything that can be checked without sending anything.
 * Unknown parameter names, values out of range, wrong multiples, missing inputs, local
 * files given to URL-only backends, missing key: all DLY_ERROR_INVALID_INPUT. */
gboolean      dly_backend_choose_mode        (DlyBackend      *self,
                                              DlyRequest      *request,
                                              DlyMode         *mode,
                                              GError         **error);
gboolean      dly_backend_validate           (DlyBackend      *self,
                                              DlyRequest      *request,
                                              DlyMode         *mode,
                                              GError         **error);

/* Network operations. The session is the engine's. Transport failures become
 * DLY_ERROR_TRANSIENT when the request certainly did not reach the backend (and for
 * idempotent requests), else DLY_ERROR_UNKNOWN_SUBMISSION for a submit. */
void             dly_backend_submit_async    (DlyBackend          *self,
                                              SoupSession         *session,
                                              DlyRequest          *request,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DlyRemoteStatus *dly_backend_submit_finish   (DlyBackend          *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void             dly_backend_poll_async      (DlyBackend          *self,
                                              SoupSession         *session,
                                              const char          *remote_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DlyRemoteStatus *dly_backend_poll_finish     (DlyBackend          *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void             dly_backend_cancel_async    (DlyBackend          *self,
                                              SoupSession         *session,
                                              const char          *remote_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean         dly_backend_cancel_finish   (DlyBackend          *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* A message that downloads the finished job's video (credentials only for the own host). */
SoupMessage     *dly_backend_create_result_message (DlyBackend            *self,
                                                    const DlyRemoteStatus *status,
                                                    GError               **error);
void             dly_backend_check_async     (DlyBackend          *self,
                                              SoupSession         *session,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char            *dly_backend_check_finish    (DlyBackend          *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Helpers for subclasses. */
/* A message to @path_or_url resolved against the base URL, with auth when it is the own host. */
SoupMessage  *dly_backend_new_message        (DlyBackend      *self,
                                              const char      *method,
                                              const char      *path_or_url);
/* TRUE when @uri is on the backend's own scheme, host and port. */
gboolean      dly_backend_is_own_host        (DlyBackend      *self,
                                              GUri            *uri);
/* Sets @error from an HTTP failure status: 401/403 AUTH, 402 CREDITS, 404 NOT_FOUND,
 * 408/425/429/5xx TRANSIENT (with Retry-After), other 4xx INVALID_INPUT. @backend_message is
 * the backend's own words, extracted by the subclass (or NULL to use the body's text). */
void          dly_backend_set_http_error     (DlyBackend      *self,
                                              SoupMessage     *message,
                                              GBytes          *body,
                                              const char      *backend_message,
                                              GError         **error);
/* The backend's text made safe to show: valid UTF-8, at most 500 characters, key removed. */
char         *dly_backend_redact             (DlyBackend      *self,
                                              const char      *text);
/* Parses @body as a JSON object; a PROTOCOL error that quotes the start of the body if not. */
JsonObject   *dly_backend_parse_json_object  (GBytes          *body,
                                              GError         **error);
/* Builds a JSON request body and sets it on @message. */
void          dly_backend_set_json_body      (SoupMessage     *message,
                                              JsonNode        *node);

G_END_DECLS
