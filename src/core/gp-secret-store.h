/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GP_SECRET_SCHEMA_NAME "io.github.gatepass.Profile"

#define GP_SECRET_ERROR (gp_secret_error_quark ())

typedef enum
{
  GP_SECRET_ERROR_NO_BUS,       /* no D-Bus session bus at all */
  GP_SECRET_ERROR_NO_SERVICE,   /* the bus has no Secret Service */
  GP_SECRET_ERROR_NO_KEYRING,   /* the service has no default keyring */
  GP_SECRET_ERROR_LOCKED,       /* the item or keyring is locked, and we may not prompt */
  GP_SECRET_ERROR_FAILED,
  GP_SECRET_ERROR_TIMED_OUT,    /* the service did not answer within the store's budget */
} GpSecretError;

/* A password in memory that is wiped when freed. */
typedef char GpPassword;

void gp_password_free (GpPassword *password);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpPassword, gp_password_free)

#define GP_TYPE_SECRET_STORE (gp_secret_store_get_type ())

G_DECLARE_FINAL_TYPE (GpSecretStore, gp_secret_store, GP, SECRET_STORE, GObject)

typedef struct _GpSecretSnapshot GpSecretSnapshot;

#define GP_TYPE_KEYRING_LISTING (gp_keyring_listing_get_type ())

typedef struct _GpKeyringListing GpKeyringListing;

GType             gp_keyring_listing_get_type  (void) G_GNUC_CONST;
GpKeyringListing *gp_keyring_listing_ref       (GpKeyringListing *self);
void              gp_keyring_listing_unref     (GpKeyringListing *self);
gboolean          gp_keyring_listing_has       (GpKeyringListing *self,
                                                const char       *profile_id,
                                                const char       *username);
GStrv             gp_keyring_listing_get_keys  (GpKeyringListing *self);
gboolean          gp_keyring_listing_is_locked (GpKeyringListing *self,
                                                const char       *profile_id,
                                                const char       *username);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpKeyringListing, gp_keyring_listing_unref)

GQuark          gp_secret_error_quark          (void);
gboolean        gp_secret_error_set_locked     (GError          **error);

GpSecretStore  *gp_secret_store_new            (gboolean          allow_prompt);
void            gp_secret_store_set_budget     (GpSecretStore    *self,
                                                guint             budget_ms);

GpPassword     *gp_secret_store_lookup         (GpSecretStore    *self,
                                                const char       *profile_id,
                                                const char       *username,
                                                GCancellable     *cancellable,
                                                GError          **error);
GpPassword     *gp_secret_store_lookup_full    (GpSecretStore    *self,
                                                const char       *profile_id,
                                                const char       *username,
                                                guint64          *out_modified,
                                                GCancellable     *cancellable,
                                                GError          **error);
gboolean        gp_secret_store_store          (GpSecretStore    *self,
                                                const char       *profile_id,
                                                const char       *username,
                                                const char       *label,
                                                const char       *password,
                                                GCancellable     *cancellable,
                                                GError          **error);
gboolean        gp_secret_store_clear          (GpSecretStore    *self,
                                                const char       *profile_id,
                                                GCancellable     *cancellable,
                                                GError          **error);
gboolean        gp_secret_store_clear_except   (GpSecretStore    *self,
                                                const char       *profile_id,
                                                const char       *keep_username,
                                                GCancellable     *cancellable,
                                                GError          **error);
gboolean        gp_secret_store_clear_one      (GpSecretStore    *self,
                                                const char       *profile_id,
                                                const char       *username,
                                                GCancellable     *cancellable,
                                                GError          **error);
GpKeyringListing *gp_secret_store_list         (GpSecretStore    *self,
                                                GCancellable     *cancellable,
                                                GError          **error);

void            gp_secret_store_lookup_async   (GpSecretStore      *self,
                                                const char         *profile_id,
                                                const char         *username,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
GpPassword     *gp_secret_store_lookup_finish  (GpSecretStore    *self,
                                                GAsyncResult     *result,
                                                GError          **error);
void            gp_secret_store_store_async    (GpSecretStore      *self,
                                                const char         *profile_id,
                                                const char         *username,
                                                const char         *label,
                                                const char         *password,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
gboolean        gp_secret_store_store_finish   (GpSecretStore    *self,
                                                GAsyncResult     *result,
                                                GError          **error);
void            gp_secret_store_clear_async    (GpSecretStore      *self,
                                                const char         *profile_id,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
gboolean        gp_secret_store_clear_finish   (GpSecretStore    *self,
                                                GAsyncResult     *result,
                                                GError          **error);

void            gp_secret_store_list_async     (GpSecretStore      *self,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
GpKeyringListing *gp_secret_store_list_finish    (GpSecretStore    *self,
                                                GAsyncResult     *result,
                                                GError          **error);

typedef void    (*GpSecretSnapshotFunc)         (GpSecretSnapshot *part,
                                                gpointer          user_data);
gboolean        gp_secret_store_read_all_parts (GpSecretStore        *self,
                                                GpSecretSnapshotFunc  func,
                                                gpointer              user_data,
                                                GCancellable         *cancellable,
                                                GError              **error);
gboolean        gp_secret_store_unlock         (GpSecretStore    *self,
                                                GCancellable     *cancellable,
                                                GError          **error);
void            gp_secret_store_unlock_async   (GpSecretStore      *self,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
gboolean        gp_secret_store_unlock_finish  (GpSecretStore    *self,
                                                GAsyncResult     *result,
                                                GError          **error);

G_END_DECLS
