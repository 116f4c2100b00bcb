/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What sets two takes apart, said briefly, for the labels of the compare view. */
#pragma once

#include "dly-request.h"

G_BEGIN_DECLS

/**
 * dly_take_diff_labels:
 * @a: the left take's request
 * @backend_a: (nullable): the backend it went to (a profile name)
 * @b: the right take's request
 * @backend_b: (nullable): likewise
 * @label_a: (out) (transfer full): the left take's label
 * @label_b: (out) (transfer full): the right take's label
 *
 * Writes one label per take from what differs between the two requests, the most telling
 * first: backend, seed, prompt (the words that differ, in context), negative prompt,
 * inputs, LoRAs, then every other parameter by name. The first line is the headline
 * (the compare view shows it bold), the rest a caption; takes made from the same request
 * are told apart as A and B.
 */
void dly_take_diff_labels (DlyRequest  *a,
                           const char  *backend_a,
                           DlyRequest  *b,
                           const char  *backend_b,
                           char       **label_a,
                           char       **label_b);

G_END_DECLS
