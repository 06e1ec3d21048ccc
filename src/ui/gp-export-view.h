/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gp-profile-manager.h"
#include "gp-profile.h"
#include "gp-secret-store.h"

G_BEGIN_DECLS

#define GP_TYPE_EXPORT_VIEW (gp_export_view_get_type ())

G_DECLARE_FINAL_TYPE (GpExportView, gp_export_view, GP, EXPORT_VIEW, AdwBin)

void  gp_export_view_set_profile (GpExportView     *self,
                                  GpProfile        *profile,
                                  GpProfileManager *manager);
void  gp_export_view_set_password_known (GpExportView *self,
                                         gboolean      known,
                                         gboolean      stored);

void  gp_export_view_refresh (GpExportView *self);

G_END_DECLS
