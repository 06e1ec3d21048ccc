/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gp-profile-manager.h"

G_BEGIN_DECLS

#define GP_TYPE_KEYRING_ROW (gp_keyring_row_get_type ())

G_DECLARE_FINAL_TYPE (GpKeyringRow, gp_keyring_row, GP, KEYRING_ROW, AdwActionRow)

void     gp_keyring_row_set_manager      (GpKeyringRow     *self,
                                          GpProfileManager *manager);
void     gp_keyring_row_set_profile      (GpKeyringRow     *self,
                                          GpProfile        *profile);
void     gp_keyring_row_refresh          (GpKeyringRow     *self);
void     gp_keyring_row_unlock           (GpKeyringRow     *self);
void     gp_keyring_row_show_problem     (GpKeyringRow     *self,
                                          const GError     *error);
gboolean gp_keyring_row_get_has_password (GpKeyringRow     *self);
gboolean gp_keyring_row_get_known        (GpKeyringRow     *self);

G_END_DECLS
