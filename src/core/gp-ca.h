/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The CA certificate of a TLS-inspecting proxy, checked before a profile
 * trusts it (gp-ca.c), and the copies Gatepass keeps of it
 * (gp-ca-store.c). */

#define GP_CA_ERROR (gp_ca_error_quark ())

typedef enum
{
  GP_CA_ERROR_INVALID,   /* not PEM CA certificates: the user gave the wrong file */
  GP_CA_ERROR_FAILED,    /* the copies could not be written or read */
} GpCaError;

/* Longest file accepted: a CA certificate is a few KiB. */
#define GP_CA_MAX_BYTES (1024 * 1024)

GQuark    gp_ca_error_quark          (void);

gboolean  gp_der_certificate_is_ca   (const guint8 *der,
                                      gsize         length);
char     *gp_ca_check_pem            (const char   *text,
                                      gsize         length,
                                      char        **subjects,
                                      GError      **error);

char     *gp_ca_store_dir            (void);
char     *gp_ca_store_path           (const char   *profile_id);
char     *gp_ca_store_bundle_path    (const char   *profile_id);
gboolean  gp_ca_store_has            (const char   *profile_id);
char     *gp_ca_store_read           (const char   *profile_id,
                                      GError      **error);
gboolean  gp_ca_store_install        (const char   *profile_id,
                                      const char   *pem,
                                      GError      **error);
gboolean  gp_ca_store_remove         (const char   *profile_id,
                                      GError      **error);
const char *gp_ca_system_bundle      (void);
char     *gp_ca_store_file_stamp     (const char   *path);
char     *gp_ca_store_ensure_bundle  (const char   *profile_id,
                                      gboolean     *rebuilt,
                                      GError      **error);
gboolean  gp_ca_is_ours              (const char   *path);

G_END_DECLS
