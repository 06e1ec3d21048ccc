/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gp-probe-result.h"
#include "gp-profile.h"

G_BEGIN_DECLS

gboolean   gp_verdict_can_answer     (GPtrArray     *challenges);
GpVerdict  gp_verdict_for_status     (guint          status,
                                      gboolean       credentials_sent,
                                      GPtrArray     *challenges,
                                      gboolean       has_exit_ip);
GpVerdict  gp_verdict_for_error      (const GError  *error,
                                      gboolean       timed_out);
char      *gp_verdict_curl_command   (GpProfile     *profile,
                                      const char    *target_url);
void       gp_verdict_explain        (GpProbeResult *result,
                                      GpProfile     *profile,
                                      const char    *target_url);

G_END_DECLS
