/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GP_NO_PROXY_ERROR (gp_no_proxy_error_quark ())

typedef enum
{
  GP_NO_PROXY_ERROR_INVALID,
} GpNoProxyError;

GQuark    gp_no_proxy_error_quark      (void);

char    **gp_no_proxy_parse            (const char          *text,
                                        GError             **error);
char    **gp_no_proxy_normalize        (const char * const  *entries,
                                        GError             **error);
gboolean  gp_no_proxy_validate_entry   (const char          *entry,
                                        GError             **error);
char     *gp_no_proxy_join             (const char * const  *entries);

G_END_DECLS
