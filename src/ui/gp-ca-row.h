/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gp-profile-manager.h"

G_BEGIN_DECLS

#define GP_TYPE_CA_ROW (gp_ca_row_get_type ())

G_DECLARE_FINAL_TYPE (GpCaRow, gp_ca_row, GP, CA_ROW, AdwActionRow)

void  gp_ca_row_set_manager (GpCaRow          *self,
                             GpProfileManager *manager);
void  gp_ca_row_set_profile (GpCaRow          *self,
                             GpProfile        *profile);
void  gp_ca_row_choose      (GpCaRow          *self);

G_END_DECLS
