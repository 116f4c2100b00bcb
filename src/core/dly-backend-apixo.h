/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dly-backend.h"

G_BEGIN_DECLS

#define DLY_TYPE_BACKEND_APIXO (dly_backend_apixo_get_type ())
G_DECLARE_FINAL_TYPE (DlyBackendApixo, dly_backend_apixo, DLY, BACKEND_APIXO, DlyBackend)

/* The public service; a profile may point elsewhere (a proxy, the simulator). */
#define DLY_APIXO_DEFAULT_URL "https://api.apixo.ai"

G_END_DECLS
