/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the self-hosted dialects (ltxv-task, ltx2-server) share: both are FastAPI servers
 * that take an uploaded image and answer JSON with a task id. Not a public API. */
#pragma once

#include "dly-backend.h"

G_BEGIN_DECLS

typedef enum
{
  DLY_IMAGE_FORMAT_JPEG = 1 << 0,
  DLY_IMAGE_FORMAT_PNG  = 1 << 1,
  DLY_IMAGE_FORMAT_WEBP = 1 << 2,
  DLY_IMAGE_FORMAT_BMP  = 1 << 3,
  DLY_IMAGE_FORMAT_GIF  = 1 << 4,
} DlyImageFormats;

/* JSON answers */
const char *dly_selfhosted_get_string     (JsonObject   *object,
                                           const char   *name);
char       *dly_selfhosted_object_to_text (JsonObject   *object);
char       *dly_selfhosted_body_start     (GBytes       *body);
char       *dly_selfhosted_get_task_id    (JsonObject   *object);

/* FastAPI's {"detail": "..."} or 422 {"detail": [{"loc": [...], "msg": "..."}]} in one
 * line, or {"error": "..."}; NULL when the body says nothing usable. */
char       *dly_selfhosted_error_text     (GBytes       *body);
char       *dly_selfhosted_error_text_from_object (JsonObject *object);
/* dly_backend_set_http_error() with the server's own words from the body. */
void        dly_selfhosted_set_http_error (DlyBackend   *self,
                                           SoupMessage  *message,
                                           GBytes       *body,
                                           GError      **error);

/* Request bodies */
/* Appends every parameter that applies to @mode and has a value, as form fields. */
void        dly_selfhosted_append_form_params (DlyBackend    *self,
                                               DlyRequest    *request,
                                               DlyMode        mode,
                                               SoupMultipart *multipart);
void        dly_selfhosted_set_multipart_body (SoupMessage   *message,
                                               SoupMultipart *multipart);

/* Reads a local image (a path or a file:// URI) for upload, in a worker thread: it must be a
 * regular file of at most @max_size bytes whose content is one of @formats. Every failure is
 * DLY_ERROR_INVALID_INPUT and names the file. */
GBytes     *dly_selfhosted_load_image     (DlyBackend       *self,
                                           const char       *location,
                                           DlyImageFormats   formats,
                                           goffset           max_size,
                                           char            **filename,
                                           const char      **content_type,
                                           GError          **error);

G_END_DECLS
