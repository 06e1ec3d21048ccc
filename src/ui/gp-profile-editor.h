/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gp-profile-manager.h"
#include "gp-result-cache.h"
#include "gp-secret-store.h"

G_BEGIN_DECLS

#define GP_TYPE_PROFILE_EDITOR (gp_profile_editor_get_type ())

G_DECLARE_FINAL_TYPE (GpProfileEditor, gp_profile_editor, GP, PROFILE_EDITOR, AdwBin)

void       gp_profile_editor_set_context     (GpProfileEditor  *self,
                                              GpProfileManager *manager,
                                              GSettings        *settings,
                                              GpResultCache    *results);
void       gp_profile_editor_edit            (GpProfileEditor *self,
                                              GpProfile       *profile);
void       gp_profile_editor_edit_new        (GpProfileEditor *self,
                                              const char      *name);
GpProfile *gp_profile_editor_get_profile     (GpProfileEditor *self);
gboolean   gp_profile_editor_is_editing      (GpProfileEditor *self);
gboolean   gp_profile_editor_is_dirty        (GpProfileEditor *self);
gboolean   gp_profile_editor_save            (GpProfileEditor *self);
void       gp_profile_editor_detach          (GpProfileEditor *self);
void       gp_profile_editor_refresh_keyring (GpProfileEditor *self);

G_END_DECLS
