/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dly-backend.h"

G_BEGIN_DECLS

#define DLY_TYPE_BACKEND_RUNPOD (dly_backend_runpod_get_type ())
G_DECLARE_FINAL_TYPE (DlyBackendRunpod, dly_backend_runpod, DLY, BACKEND_RUNPOD, DlyBackend)

/* A RunPod serverless endpoint's base URL; ENDPOINT_ID is the user's own. */
#define DLY_RUNPOD_URL_TEMPLATE "https://api.runpod.ai/v2/ENDPOINT_ID"

G_END_DECLS
