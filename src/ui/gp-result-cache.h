/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "gp-probe-result.h"
#include "gp-profile.h"

G_BEGIN_DECLS

#define GP_TYPE_RESULT_CACHE (gp_result_cache_get_type ())

G_DECLARE_FINAL_TYPE (GpResultCache, gp_result_cache, GP, RESULT_CACHE, GObject)

GpResultCache *gp_result_cache_new         (const char    *dir);
gboolean       gp_result_cache_get_verdict (GpResultCache *self,
                                            const char    *profile_id,
                                            GpVerdict     *verdict);
GpProbeResult *gp_result_cache_get_result  (GpResultCache *self,
                                            const char    *profile_id,
                                            GDateTime    **tested_at);
void           gp_result_cache_record      (GpResultCache *self,
                                            GpProfile     *profile,
                                            GpProbeResult *result,
                                            gint64         credential_modified);
void           gp_result_cache_remember    (GpResultCache *self,
                                            GpProfile     *profile,
                                            GpProbeResult *result,
                                            gint64         credential_modified);
void           gp_result_cache_save        (GpResultCache *self);
gboolean       gp_result_cache_get_saving  (GpResultCache *self);
const char    *gp_severity_css_class       (GpSeverity     severity);

G_END_DECLS
