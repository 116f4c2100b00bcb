/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dly-types.h"

G_BEGIN_DECLS

/* Inputs are checked before they are sent: these are the limits of every dialect's document. */
#define DLY_INPUT_PICKER_MAX_IMAGE_SIZE (10 * 1000 * 1000)
#define DLY_INPUT_PICKER_MAX_AUDIO_SIZE (50 * 1000 * 1000)

typedef enum
{
  DLY_INPUT_PICKER_IMAGE,
  DLY_INPUT_PICKER_AUDIO,
} DlyInputPickerKind;

#define DLY_TYPE_INPUT_PICKER_KIND (dly_input_picker_kind_get_type ())
GType dly_input_picker_kind_get_type (void);

#define DLY_TYPE_INPUT_PICKER (dly_input_picker_get_type ())
G_DECLARE_FINAL_TYPE (DlyInputPicker, dly_input_picker, DLY, INPUT_PICKER, AdwPreferencesRow)

/**
 * DlyInputPicker:
 *
 * A row for one input of a take, an image or an audio track: chosen with the file chooser
 * (a portal inside Flatpak), dropped, pasted (a file, a link, or for images a picture,
 * which is saved to $XDG_CACHE_HOME/dailies/inputs/), or typed as a URL. It shows what it
 * holds (an image's thumbnail, size and dimensions; an audio track's duration) and checks it
 * against the backend's rules: JPG, PNG or WebP up to 10 MB, MP3 or WAV up to 50 MB, a URL
 * for backends that only fetch, a file for backends that only upload.
 *
 * Actions: `picker.open`, `picker.paste` (Ctrl+V), `picker.enter-url`, `picker.remove`.
 */

GtkWidget          *dly_input_picker_new          (DlyInputPickerKind  kind);
DlyInputPickerKind  dly_input_picker_get_kind     (DlyInputPicker     *self);

/* A local path, a file:// URI (kept as its path) or an http(s) URL; NULL removes it. */
const char         *dly_input_picker_get_location (DlyInputPicker     *self);
void                dly_input_picker_set_location (DlyInputPicker     *self,
                                                   const char         *location);

/* How the backend named @backend_label takes this input; its messages name it. */
void                dly_input_picker_set_accepted (DlyInputPicker     *self,
                                                   DlyInputKinds       accepted,
                                                   const char         *backend_label);

/* Why the input cannot be sent, or NULL. */
const char         *dly_input_picker_get_error    (DlyInputPicker     *self);
/* TRUE while the file is being read (its size, type, thumbnail or duration). */
gboolean            dly_input_picker_get_busy     (DlyInputPicker     *self);
/* A line of what the input is ("1024 × 768 · 1.2 MB"), or NULL before it is known. */
const char         *dly_input_picker_get_details  (DlyInputPicker     *self);

G_END_DECLS
