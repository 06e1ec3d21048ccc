/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gp-profile-manager.h"
#include "gp-result-cache.h"

G_BEGIN_DECLS

#define GP_TYPE_TEST_PANEL (gp_test_panel_get_type ())

G_DECLARE_FINAL_TYPE (GpTestPanel, gp_test_panel, GP, TEST_PANEL, AdwPreferencesGroup)

void     gp_test_panel_set_context  (GpTestPanel      *self,
                                     GpProfileManager *manager,
                                     GSettings        *settings,
                                     GpResultCache    *results);
void     gp_test_panel_show_profile (GpTestPanel      *self,
                                     GpProfile        *saved);
void     gp_test_panel_run          (GpTestPanel      *self,
                                     GpProfile        *edited,
                                     const char       *typed_password,
                                     GpProfile        *saved,
                                     gboolean          speaks_for_saved);
void     gp_test_panel_cancel       (GpTestPanel      *self);
gboolean gp_test_panel_is_running   (GpTestPanel      *self);

G_END_DECLS
