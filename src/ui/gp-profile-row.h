/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "gp-profile-store.h"
#include "gp-result-cache.h"

G_BEGIN_DECLS

#define GP_TYPE_PROFILE_ROW (gp_profile_row_get_type ())

G_DECLARE_FINAL_TYPE (GpProfileRow, gp_profile_row, GP, PROFILE_ROW, GtkBox)

GtkWidget *gp_profile_row_new    (GpProfileStore *store,
                                  GpResultCache  *results);
void       gp_profile_row_bind   (GpProfileRow   *self,
                                  GpProfile      *profile);
void       gp_profile_row_unbind (GpProfileRow   *self);

G_END_DECLS
