/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gp-profile-manager.h"

G_BEGIN_DECLS

#define GP_TYPE_PASSWORDS_NOTICE (gp_passwords_notice_get_type ())

G_DECLARE_FINAL_TYPE (GpPasswordsNotice, gp_passwords_notice, GP, PASSWORDS_NOTICE, AdwBin)

/* Inside the Flatpak, once: when profiles need a password and the
 * keyring has none of them, says that a native install's passwords stay
 * in its login keyring. Dismissed, settings remembers it. */
void     gp_passwords_notice_check       (GpPasswordsNotice *self,
                                          GpProfileManager  *manager,
                                          GSettings         *settings);
gboolean gp_passwords_notice_is_revealed (GpPasswordsNotice *self);

G_END_DECLS
