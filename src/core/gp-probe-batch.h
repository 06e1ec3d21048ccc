/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gp-prober.h"
#include "gp-secret-store.h"

G_BEGIN_DECLS

#define GP_TYPE_PROBE_BATCH (gp_probe_batch_get_type ())

G_DECLARE_FINAL_TYPE (GpProbeBatch, gp_probe_batch, GP, PROBE_BATCH, GObject)

GpProbeBatch *gp_probe_batch_new          (GpProber            *prober,
                                           GpSecretStore       *secrets,
                                           guint                max_in_flight);
void          gp_probe_batch_run_async    (GpProbeBatch        *self,
                                           GPtrArray           *profiles,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray    *gp_probe_batch_run_finish   (GpProbeBatch        *self,
                                           GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
