/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gp-challenge.h"
#include "gp-verdict-kind.h"

G_BEGIN_DECLS

/* Who spoke the proxy protocol: libsoup (http://) shows us the 407s,
 * GIO (https://, socks5://) does not. */
typedef enum
{
  GP_PROBE_PATH_LIBSOUP,
  GP_PROBE_PATH_GIO,
} GpProbePath;

#define GP_PROBE_RESULT_ERROR (gp_probe_result_error_quark ())

typedef enum
{
  GP_PROBE_RESULT_ERROR_INVALID,
} GpProbeResultError;

/* Bound on each text a stored result may hold. */
#define GP_PROBE_RESULT_MAX_TEXT (64 * 1024)

/* The certificate the echo host (or an https:// proxy) presented: who it
 * names, who signed it, its SHA-256 (of the DER, lower-case hex) and
 * whether this system trusts it. Every string is sanitised. */
typedef struct
{
  char     *host;
  char     *subject;
  char     *issuer;
  char     *sha256;
  gboolean  trusted;
} GpTlsInfo;

GpTlsInfo     *gp_tls_info_new                      (const char      *host,
                                                     GTlsCertificate *certificate,
                                                     gboolean         trusted);
GpTlsInfo     *gp_tls_info_copy                     (const GpTlsInfo *info);
void           gp_tls_info_free                     (GpTlsInfo       *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpTlsInfo, gp_tls_info_free)

#define GP_TYPE_PROBE_RESULT (gp_probe_result_get_type ())

G_DECLARE_FINAL_TYPE (GpProbeResult, gp_probe_result, GP, PROBE_RESULT, GObject)

GQuark         gp_probe_result_error_quark          (void);

GpProbeResult *gp_probe_result_new                  (const char    *profile_name);
GpProbeResult *gp_probe_result_new_from_json        (JsonObject    *object,
                                                     GError       **error);

const char    *gp_probe_result_get_profile          (GpProbeResult *self);
GpVerdict      gp_probe_result_get_verdict          (GpProbeResult *self);
void           gp_probe_result_set_verdict          (GpProbeResult *self,
                                                     GpVerdict      verdict);
guint          gp_probe_result_get_status           (GpProbeResult *self);
void           gp_probe_result_set_status           (GpProbeResult *self,
                                                     guint          status);
GPtrArray     *gp_probe_result_get_challenges       (GpProbeResult *self);
void           gp_probe_result_set_challenges       (GpProbeResult *self,
                                                     GPtrArray     *challenges);
const char    *gp_probe_result_get_exit_ip          (GpProbeResult *self);
void           gp_probe_result_set_exit_ip          (GpProbeResult *self,
                                                     const char    *ip);
const char    *gp_probe_result_get_direct_ip        (GpProbeResult *self);
void           gp_probe_result_set_direct_ip        (GpProbeResult *self,
                                                     const char    *ip);
gint64         gp_probe_result_get_elapsed_ms       (GpProbeResult *self);
void           gp_probe_result_set_elapsed_ms       (GpProbeResult *self,
                                                     gint64         ms);
void           gp_probe_result_set_timings          (GpProbeResult *self,
                                                     gint64         connect_ms,
                                                     gint64         tls_ms,
                                                     gint64         first_byte_ms);
void           gp_probe_result_get_timings          (GpProbeResult *self,
                                                     gint64        *connect_ms,
                                                     gint64        *tls_ms,
                                                     gint64        *first_byte_ms);
gboolean       gp_probe_result_get_credentials_sent (GpProbeResult *self);
void           gp_probe_result_set_credentials_sent (GpProbeResult *self,
                                                     gboolean       sent);
GpProbePath    gp_probe_result_get_path             (GpProbeResult *self);
void           gp_probe_result_set_path             (GpProbeResult *self,
                                                     GpProbePath    path);
const char    *gp_probe_result_get_detail           (GpProbeResult *self);
void           gp_probe_result_set_detail           (GpProbeResult *self,
                                                     const char    *detail);
const char    *gp_probe_result_get_advice           (GpProbeResult *self);
void           gp_probe_result_set_advice           (GpProbeResult *self,
                                                     const char    *advice);
GpAdviceAction gp_probe_result_get_action           (GpProbeResult *self);
void           gp_probe_result_set_action           (GpProbeResult *self,
                                                     GpAdviceAction action);
const char    *gp_probe_result_get_location         (GpProbeResult *self);
void           gp_probe_result_set_location         (GpProbeResult *self,
                                                     const char    *location);
gboolean       gp_probe_result_get_challenges_dropped (GpProbeResult *self);
void           gp_probe_result_set_challenges_dropped (GpProbeResult *self,
                                                     gboolean       dropped);
gboolean       gp_probe_result_get_proxy_401        (GpProbeResult *self);
void           gp_probe_result_set_proxy_401        (GpProbeResult *self,
                                                     gboolean       proxy_401);
int            gp_probe_result_get_basic_offered    (GpProbeResult *self);
const GpTlsInfo *gp_probe_result_get_tls          (GpProbeResult *self);
void           gp_probe_result_set_tls              (GpProbeResult *self,
                                                     const GpTlsInfo *tls);
const GpTlsInfo *gp_probe_result_get_direct_tls   (GpProbeResult *self);
void           gp_probe_result_set_direct_tls       (GpProbeResult *self,
                                                     const GpTlsInfo *tls);
const char    *gp_probe_result_get_curl_command     (GpProbeResult *self);
void           gp_probe_result_set_curl_command     (GpProbeResult *self,
                                                     const char    *command);

void           gp_json_add_string_or_null           (JsonBuilder   *builder,
                                                     const char    *name,
                                                     const char    *value);
void           gp_probe_result_add_json             (GpProbeResult *self,
                                                     JsonBuilder   *builder);

G_END_DECLS
