/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dly-backend.h"

G_BEGIN_DECLS

#define DLY_TYPE_BACKEND_SEGMIND (dly_backend_segmind_get_type ())
G_DECLARE_FINAL_TYPE (DlyBackendSegmind, dly_backend_segmind, DLY, BACKEND_SEGMIND, DlyBackend)

#define DLY_SEGMIND_DEFAULT_URL "https://api.segmind.com"

G_END_DECLS
