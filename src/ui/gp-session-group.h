/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gp-profile.h"

G_BEGIN_DECLS

#define GP_TYPE_SESSION_GROUP (gp_session_group_get_type ())

G_DECLARE_FINAL_TYPE (GpSessionGroup, gp_session_group, GP, SESSION_GROUP, AdwPreferencesGroup)

/* Shows where the active profile PROFILE is applied now, fetched in the
 * background; NULL hides the group (the profile shown is not the active
 * one) and drops a fetch under way. */
void gp_session_group_show_profile (GpSessionGroup *self,
                                    GpProfile      *profile);
/* Fetches the status again, if the group is shown. */
void gp_session_group_refresh      (GpSessionGroup *self);

char *gp_session_group_shorten_path (const char *path);

G_END_DECLS
