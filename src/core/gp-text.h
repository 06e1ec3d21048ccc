/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest text from the network that a result keeps, in bytes. */
#define GP_TEXT_MAX_NETWORK 1024

char     *gp_text_sanitize        (const char *bytes,
                                   gssize      length,
                                   gsize       max_bytes);
gboolean  gp_text_is_clean        (const char *text);
char     *gp_text_parse_ip        (const char *text);

G_END_DECLS
