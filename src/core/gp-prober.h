/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gp-probe-result.h"
#include "gp-profile.h"

G_BEGIN_DECLS

#define GP_PROBER_DEFAULT_TIMEOUT 15

#define GP_TYPE_PROBER (gp_prober_get_type ())

G_DECLARE_FINAL_TYPE (GpProber, gp_prober, GP, PROBER, GObject)

GpProber      *gp_prober_new                (const char          *ip_echo_url);
void           gp_prober_set_timeout        (GpProber            *self,
                                             guint                seconds);
guint          gp_prober_get_timeout        (GpProber            *self);
void           gp_prober_set_tls_database   (GpProber            *self,
                                             GTlsDatabase        *database);
void           gp_prober_set_probe_direct   (GpProber            *self,
                                             gboolean             direct);
const char    *gp_prober_get_ip_echo_url    (GpProber            *self);

void           gp_prober_probe_async        (GpProber            *self,
                                             GpProfile           *profile,
                                             const char          *password,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GpProbeResult *gp_prober_probe_finish       (GpProber            *self,
                                             GAsyncResult        *result,
                                             GError             **error);

char          *gp_prober_parse_echo_body    (const char          *body,
                                             gsize                length);

G_END_DECLS
