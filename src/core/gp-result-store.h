/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "gp-probe-result.h"
#include "gp-profile.h"

G_BEGIN_DECLS

char       *gp_result_store_default_dir (void);
gboolean    gp_result_store_save        (const char     *dir,
                                         GpProfile      *profile,
                                         GpProbeResult  *result,
                                         gint64          credential_modified,
                                         GError        **error);
gboolean    gp_result_store_save_all    (const char     *dir,
                                         GPtrArray      *profiles,
                                         GPtrArray      *results,
                                         const gint64   *credential_modified,
                                         GError        **error);
JsonObject *gp_result_store_load        (const char     *dir,
                                         const char     *profile_id,
                                         GError        **error);

G_END_DECLS
