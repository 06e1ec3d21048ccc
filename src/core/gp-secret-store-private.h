/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by gp-secret-store.c and gp-secret-store-read-all.c only: how a
 * call of the store reaches libsecret, under the store's budget. */

#define SECRET_API_SUBJECT_TO_CHANGE
#include <libsecret/secret.h>

#include "gp-secret-store.h"

G_BEGIN_DECLS

extern const SecretSchema gp_secret_schema;

/* What one public call hands to libsecret. Every D-Bus call of libsecret
 * blocks until its reply or its cancellable, and a Secret Service that
 * has stopped answering would otherwise hold each for D-Bus's 25 s
 * default: with a budget, the cancellable is also cancelled once the
 * store's budget is spent. */
typedef struct
{
  GpSecretStore *store;
  GCancellable  *caller;
  GCancellable  *cancellable;   /* caller's, the budget's, or one tied to both */
  gulong         budget_handler;
  gulong         caller_handler;
} Call;

void           gp_secret_call_begin      (Call           *call,
                                          GpSecretStore  *self,
                                          GCancellable   *caller);
void           gp_secret_call_end        (Call           *call);
SecretService *gp_secret_get_service     (GpSecretStore  *self,
                                          Call           *call,
                                          GError        **error);
void           gp_secret_translate_error (Call           *call,
                                          GError         *source,
                                          GError        **error);
gboolean       gp_secret_search_paths    (SecretService  *service,
                                          GHashTable     *attributes,
                                          Call           *call,
                                          char         ***out_unlocked,
                                          char         ***out_locked,
                                          GError        **error);
GHashTable    *gp_secret_make_attributes (const char     *profile_id,
                                          const char     *username);
/* TRUE when the call may go on; otherwise the caller's cancel or the
 * budget's timeout, in error. */
gboolean       gp_secret_call_check      (Call           *call,
                                          GError        **error);
gboolean       gp_secret_store_uses_file (GpSecretStore  *self);

GpKeyringListing *gp_keyring_listing_new (void);
void           gp_keyring_listing_add    (GpKeyringListing *self,
                                          const char     *profile_id,
                                          const char     *username,
                                          gboolean        locked);

/* The same calls on libsecret's keyring file (gp-secret-file.c), which
 * the store uses inside the Flatpak: see gp_secret_file_in_use (). */
gboolean       gp_secret_file_in_use     (void);
GpPassword    *gp_secret_file_lookup     (Call           *call,
                                          const char     *profile_id,
                                          const char     *username,
                                          guint64        *out_modified,
                                          GError        **error);
gboolean       gp_secret_file_store      (Call           *call,
                                          const char     *profile_id,
                                          const char     *username,
                                          const char     *label,
                                          const char     *password,
                                          GError        **error);
gboolean       gp_secret_file_delete     (Call           *call,
                                          const char     *profile_id,
                                          const char     *username,
                                          const char     *keep_username,
                                          GError        **error);
GpKeyringListing *gp_secret_file_list    (Call           *call,
                                          GError        **error);
GpSecretSnapshot *gp_secret_file_read_all (Call          *call,
                                          GError        **error);
gboolean       gp_secret_file_unlock     (Call           *call,
                                          GError        **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Call, gp_secret_call_end)

G_END_DECLS
