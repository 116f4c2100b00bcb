/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dly-backend.h"

G_BEGIN_DECLS

#define DLY_TYPE_BACKEND_LTX2_SERVER (dly_backend_ltx2_server_get_type ())
G_DECLARE_FINAL_TYPE (DlyBackendLtx2Server, dly_backend_ltx2_server, DLY, BACKEND_LTX2_SERVER, DlyBackend)

/* The document gives no limit; a bigger file is no photo, and it is read into memory. */
#define DLY_LTX2_SERVER_MAX_IMAGE_SIZE (50 * 1024 * 1024)

G_END_DECLS
