/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gp-secret-store.h"

G_BEGIN_DECLS

/* Every password of Gatepass's schema, read from the keyring at once:
 * what `test --all` of many profiles uses instead of one lookup each.
 * It holds no modification times: asking for them doubles the cost of
 * the read, and only a rejected password needs one (gp-probe-batch.c). */

GpSecretSnapshot *gp_secret_snapshot_new     (void);
void              gp_secret_snapshot_free    (GpSecretSnapshot *self);
void              gp_secret_snapshot_add     (GpSecretSnapshot *self,
                                              const char       *profile_id,
                                              const char       *username,
                                              const char       *password);
void              gp_secret_snapshot_add_locked (GpSecretSnapshot *self,
                                              const char       *profile_id,
                                              const char       *username);
guint             gp_secret_snapshot_get_size (GpSecretSnapshot *self);
GpPassword       *gp_secret_snapshot_lookup  (GpSecretSnapshot *self,
                                              const char       *profile_id,
                                              const char       *username,
                                              GError          **error);

void              gp_secret_snapshot_merge   (GpSecretSnapshot *self,
                                              GpSecretSnapshot *later);
gboolean          gp_secret_snapshot_has_password (GpSecretSnapshot *self,
                                              const char       *profile_id,
                                              const char       *username);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpSecretSnapshot, gp_secret_snapshot_free)

G_END_DECLS
