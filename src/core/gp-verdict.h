/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gp-probe-result.h"
#include "gp-profile.h"

G_BEGIN_DECLS

/* What the prober knew when a probe failed with an error. */
typedef struct
{
  gboolean timed_out;   /* our deadline passed */
  gboolean connected;   /* a TCP connection to the proxy was made */
  gboolean socks;       /* the proxy speaks SOCKS */
} GpFailure;

gboolean   gp_verdict_can_answer     (GPtrArray     *challenges);
GpVerdict  gp_verdict_for_status     (guint          status,
                                      gboolean       credentials_sent,
                                      GPtrArray     *challenges,
                                      gboolean       has_exit_ip);
GpVerdict  gp_verdict_for_error      (const GError  *error,
                                      const GpFailure *failure);
GpVerdict  gp_verdict_for_tls        (GpVerdict              verdict,
                                      GpProbePath            path,
                                      const GpTlsInfo       *tunnel,
                                      GTlsCertificateFlags   errors,
                                      const GpTlsInfo       *direct);
char      *gp_verdict_curl_command   (GpProfile     *profile,
                                      const char    *target_url);
void       gp_verdict_explain        (GpProbeResult *result,
                                      GpProfile     *profile,
                                      const char    *target_url);
GpProbeResult *gp_verdict_result_for_error (GpProfile    *profile,
                                            GpVerdict     verdict,
                                            const GError *error,
                                            const char   *target_url);

G_END_DECLS
