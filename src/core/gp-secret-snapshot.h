/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gp-secret-store.h"

G_BEGIN_DECLS

/* Every password of Gatepass's schema, read from the keyring at once:
 * what `test --all` of many profiles uses instead of one lookup each. */

GpSecretSnapshot *gp_secret_snapshot_new     (void);
void              gp_secret_snapshot_free    (GpSecretSnapshot *self);
void              gp_secret_snapshot_add     (GpSecretSnapshot *self,
                                              const char       *profile_id,
                                              const char       *username,
                                              const char       *password,
                                              guint64           modified);
void              gp_secret_snapshot_add_locked (GpSecretSnapshot *self,
                                              const char       *profile_id,
                                              const char       *username);
guint             gp_secret_snapshot_get_size (GpSecretSnapshot *self);
GpPassword       *gp_secret_snapshot_lookup  (GpSecretSnapshot *self,
                                              const char       *profile_id,
                                              const char       *username,
                                              guint64          *out_modified,
                                              GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpSecretSnapshot, gp_secret_snapshot_free)

G_END_DECLS
