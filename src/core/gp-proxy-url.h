/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  GP_PROXY_SCHEME_HTTP,
  GP_PROXY_SCHEME_HTTPS,
  GP_PROXY_SCHEME_SOCKS5,
  GP_PROXY_SCHEME_SOCKS5H,
} GpProxyScheme;

#define GP_PROXY_URL_ERROR (gp_proxy_url_error_quark ())

typedef enum
{
  GP_PROXY_URL_ERROR_INVALID,
  GP_PROXY_URL_ERROR_HAS_USERINFO,
  GP_PROXY_URL_ERROR_INVALID_CREDENTIAL,
} GpProxyUrlError;

/* Shapes of a username or password that some clients mangle. */
typedef enum
{
  GP_CREDENTIAL_QUIRK_NONE         = 0,
  /* git with libcurl < 8.8 decodes proxy credentials twice. */
  GP_CREDENTIAL_QUIRK_PERCENT_HEX  = 1 << 0,
  /* Python requests sends Basic credentials as Latin-1. */
  GP_CREDENTIAL_QUIRK_NON_ASCII    = 1 << 1,
} GpCredentialQuirks;

/* Clients that cannot use a proxy of some scheme from the proxy variables
 * (Debian 12's, checked against microsocks by tests/test-e2e-squid.sh). */
typedef enum
{
  GP_PROXY_CLIENT_NONE            = 0,
  GP_PROXY_CLIENT_WGET            = 1 << 0,
  GP_PROXY_CLIENT_PYTHON_URLLIB   = 1 << 1,
  /* without PySocks; with it, both SOCKS schemes work */
  GP_PROXY_CLIENT_PYTHON_REQUESTS = 1 << 2,
  /* apt 2.6 knows socks5h:// only */
  GP_PROXY_CLIENT_APT             = 1 << 3,
  /* Go 1.19's net/http knows socks5:// only */
  GP_PROXY_CLIENT_GO              = 1 << 4,
} GpProxyClients;

#define GP_TYPE_PROXY_URL (gp_proxy_url_get_type ())

typedef struct _GpProxyUrl GpProxyUrl;

GQuark              gp_proxy_url_error_quark             (void);
GType               gp_proxy_url_get_type                (void) G_GNUC_CONST;

GpProxyUrl         *gp_proxy_url_parse                   (const char     *text,
                                                          GError        **error);
GpProxyUrl         *gp_proxy_url_copy                    (const GpProxyUrl *self);
void                gp_proxy_url_free                    (GpProxyUrl     *self);

GpProxyScheme       gp_proxy_url_get_scheme              (const GpProxyUrl *self);
const char         *gp_proxy_url_get_host                (const GpProxyUrl *self);
guint16             gp_proxy_url_get_port                (const GpProxyUrl *self);
gboolean            gp_proxy_url_is_socks                (const GpProxyUrl *self);
char               *gp_proxy_url_to_string               (const GpProxyUrl *self);
char               *gp_proxy_url_to_string_with_userinfo (const GpProxyUrl *self,
                                                          const char       *username,
                                                          const char       *password);

const char         *gp_proxy_scheme_to_string            (GpProxyScheme   scheme);
GpProxyClients      gp_proxy_scheme_unusable_by          (GpProxyScheme   scheme);

char               *gp_proxy_url_escape_userinfo         (const char     *text);
gboolean            gp_proxy_url_find_userinfo           (const char     *text,
                                                          const char    **out_start,
                                                          gsize          *out_length);
char               *gp_proxy_url_without_userinfo        (const char     *text);
gboolean            gp_proxy_url_validate_username       (const char     *username,
                                                          GpProxyScheme   scheme,
                                                          GError        **error);
gboolean            gp_proxy_url_validate_password       (const char     *password,
                                                          GError        **error);
GpCredentialQuirks  gp_proxy_url_credential_quirks       (const char     *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpProxyUrl, gp_proxy_url_free)

G_END_DECLS
