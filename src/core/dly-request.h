/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "dly-types.h"

G_BEGIN_DECLS

#define DLY_TYPE_REQUEST (dly_request_get_type ())
G_DECLARE_FINAL_TYPE (DlyRequest, dly_request, DLY, REQUEST, GObject)

/**
 * DlyRequest:
 * What to generate: prompts, inputs (a local path or an http(s) URL), LoRAs and the
 * backend-native parameter values the user set. Unset parameters take the backend's defaults.
 * Serialises to JSON for the ledger and recipes.
 */

DlyRequest  *dly_request_new                (void);
DlyRequest  *dly_request_copy               (DlyRequest   *self);

const char  *dly_request_get_prompt          (DlyRequest   *self);
void         dly_request_set_prompt          (DlyRequest   *self,
                                              const char   *prompt);
const char  *dly_request_get_negative_prompt (DlyRequest   *self);
void         dly_request_set_negative_prompt (DlyRequest   *self,
                                              const char   *negative_prompt);
/* A local file path or an http(s) URL; NULL for none. */
const char  *dly_request_get_image           (DlyRequest   *self);
void         dly_request_set_image           (DlyRequest   *self,
                                              const char   *image);
const char  *dly_request_get_audio           (DlyRequest   *self);
void         dly_request_set_audio           (DlyRequest   *self,
                                              const char   *audio);

void         dly_request_add_lora            (DlyRequest   *self,
                                              const char   *url,
                                              double        scale);
guint        dly_request_get_n_loras         (DlyRequest   *self);
const char  *dly_request_get_lora            (DlyRequest   *self,
                                              guint         index,
                                              double       *scale);
void         dly_request_clear_loras         (DlyRequest   *self);

/* Parameter values by the backend's own names. Values are stored as given and checked
 * against the backend's GParamSpecs by dly_backend_validate(). */
void         dly_request_set_param           (DlyRequest   *self,
                                              const char   *name,
                                              const GValue *value);
void         dly_request_set_param_int       (DlyRequest   *self,
                                              const char   *name,
                                              gint64        value);
void         dly_request_set_param_double    (DlyRequest   *self,
                                              const char   *name,
                                              double        value);
void         dly_request_set_param_string    (DlyRequest   *self,
                                              const char   *name,
                                              const char   *value);
void         dly_request_set_param_boolean   (DlyRequest   *self,
                                              const char   *name,
                                              gboolean      value);
void         dly_request_unset_param         (DlyRequest   *self,
                                              const char   *name);
/* Returns the value set by the user, or NULL. */
const GValue *dly_request_get_param          (DlyRequest   *self,
                                              const char   *name);
/* Names of the set parameters, sorted. */
GStrv        dly_request_list_params         (DlyRequest   *self);

/* TRUE when @location is an http:// or https:// URL (not a local path). */
gboolean     dly_request_location_is_url     (const char   *location);

JsonNode    *dly_request_to_json             (DlyRequest   *self);
DlyRequest  *dly_request_new_from_json       (JsonNode     *node,
                                              GError      **error);

G_END_DECLS
