/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "gp-challenge.h"

G_BEGIN_DECLS

char *gp_proxy_auth_basic  (const char  *username,
                            const char  *password);
char *gp_proxy_auth_digest (GpChallenge *challenge,
                            const char  *username,
                            const char  *password,
                            const char  *method,
                            const char  *uri,
                            const char  *cnonce);

G_END_DECLS
