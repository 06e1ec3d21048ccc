/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gp-profile.h"
#include "gp-secret-store.h"

G_BEGIN_DECLS

/* One use case's change to the keyring, and how to put it back: a helper
 * of GpProfileManager, which decides when each step runs. */
typedef struct _GpKeyringChange GpKeyringChange;

GpKeyringChange *gp_keyring_change_new    (GpSecretStore     *secrets);
void             gp_keyring_change_free   (GpKeyringChange   *self);
char            *gp_keyring_change_label  (GpProfile         *profile);

gboolean         gp_keyring_change_update (GpKeyringChange   *self,
                                           GpProfile         *before,
                                           GpProfile         *after,
                                           const char        *password,
                                           gboolean           clear_unused,
                                           GCancellable      *cancellable,
                                           GError           **error);
gboolean         gp_keyring_change_remove (GpKeyringChange   *self,
                                           GpProfile         *profile,
                                           GCancellable      *cancellable,
                                           GError           **error);
void             gp_keyring_change_undo   (GpKeyringChange   *self,
                                           GError           **leftover);
void             gp_keyring_change_commit (GpKeyringChange   *self,
                                           GError           **leftover);

G_END_DECLS
