/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dly-backend.h"

G_BEGIN_DECLS

#define DLY_TYPE_BACKEND_LTXV_TASK (dly_backend_ltxv_task_get_type ())
G_DECLARE_FINAL_TYPE (DlyBackendLtxvTask, dly_backend_ltxv_task, DLY, BACKEND_LTXV_TASK, DlyBackend)

/**
 * DLY_LTXV_TASK_DEFAULT_NEGATIVE_PROMPT:
 * What the ltxv-task dialect sends when the request has no negative prompt (the document's
 * default); the composer may show it as the entry's placeholder.
 */
#define DLY_LTXV_TASK_DEFAULT_NEGATIVE_PROMPT \
  "worst quality, inconsistent motion, blurry, jittery, distorted"

/* The largest image the server takes (seeds/ltxv-task-api.md: "до 10MB"). */
#define DLY_LTXV_TASK_MAX_IMAGE_SIZE (10 * 1024 * 1024)

G_END_DECLS
