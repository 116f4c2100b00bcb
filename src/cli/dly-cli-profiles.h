/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* dailies-cli profiles list|add|remove|test: argv[0] is "dailies-cli profiles". */
int dly_cli_profiles (int    argc,
                      char **argv);

G_END_DECLS
