/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gp-profile.h"
#include "gp-profile-store.h"
#include "gp-secret-store.h"

G_BEGIN_DECLS

#define GP_PROFILE_MANAGER_ERROR (gp_profile_manager_error_quark ())

typedef enum
{
  GP_PROFILE_MANAGER_ERROR_NOT_FOUND,       /* no profile has that id (removed meanwhile) */
  GP_PROFILE_MANAGER_ERROR_NO_CREDENTIALS,  /* the profile sends no password */
} GpProfileManagerError;

typedef enum
{
  GP_PROFILE_UPDATE_NONE         = 0,
  /* A profile that sends no credentials loses its keyring items even if
   * it sent none before (items left by older edits included). */
  GP_PROFILE_UPDATE_CLEAR_UNUSED = 1 << 0,
} GpProfileUpdateFlags;

#define GP_TYPE_PROFILE_MANAGER (gp_profile_manager_get_type ())

G_DECLARE_FINAL_TYPE (GpProfileManager, gp_profile_manager, GP, PROFILE_MANAGER, GObject)

GQuark            gp_profile_manager_error_quark     (void);

GpProfileManager *gp_profile_manager_new             (GpProfileStore       *store,
                                                      GpSecretStore        *secrets);
GpProfileStore   *gp_profile_manager_get_store       (GpProfileManager     *self);
GpSecretStore    *gp_profile_manager_get_secrets     (GpProfileManager     *self);

/* The use cases, sync: for the CLI, which may block. */
gboolean          gp_profile_manager_add             (GpProfileManager     *self,
                                                      GpProfile            *profile,
                                                      const char           *password,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
gboolean          gp_profile_manager_update          (GpProfileManager     *self,
                                                      GpProfile            *edited,
                                                      const char           *password,
                                                      GpProfileUpdateFlags  flags,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
char             *gp_profile_manager_duplicate       (GpProfileManager     *self,
                                                      const char           *id,
                                                      const char           *name,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
gboolean          gp_profile_manager_remove          (GpProfileManager     *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
gboolean          gp_profile_manager_set_password    (GpProfileManager     *self,
                                                      const char           *id,
                                                      const char           *password,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
gboolean          gp_profile_manager_forget_password (GpProfileManager     *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
gboolean          gp_profile_manager_activate        (GpProfileManager     *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
gboolean          gp_profile_manager_deactivate      (GpProfileManager     *self,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
gboolean          gp_profile_manager_set_ca          (GpProfileManager     *self,
                                                      const char           *id,
                                                      const char           *pem,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
GpKeyringListing *gp_profile_manager_list_passwords  (GpProfileManager     *self,
                                                      GCancellable         *cancellable,
                                                      GError              **error);

/* The same, async: for the window, whose main thread never blocks. */
void              gp_profile_manager_add_async       (GpProfileManager     *self,
                                                      GpProfile            *profile,
                                                      const char           *password,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void              gp_profile_manager_update_async    (GpProfileManager     *self,
                                                      GpProfile            *edited,
                                                      const char           *password,
                                                      GpProfileUpdateFlags  flags,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void              gp_profile_manager_duplicate_async (GpProfileManager     *self,
                                                      const char           *id,
                                                      const char           *name,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
char             *gp_profile_manager_duplicate_finish (GpProfileManager    *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void              gp_profile_manager_remove_async    (GpProfileManager     *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void              gp_profile_manager_set_password_async (GpProfileManager  *self,
                                                      const char           *id,
                                                      const char           *password,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void              gp_profile_manager_forget_password_async (GpProfileManager *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void              gp_profile_manager_activate_async  (GpProfileManager     *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void              gp_profile_manager_set_ca_async    (GpProfileManager     *self,
                                                      const char           *id,
                                                      const char           *pem,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* Finishes every use case above but duplicate. */
gboolean          gp_profile_manager_finish          (GpProfileManager     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void              gp_profile_manager_list_passwords_async  (GpProfileManager *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GpKeyringListing *gp_profile_manager_list_passwords_finish (GpProfileManager *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
GpPassword       *gp_profile_manager_lookup_password (GpProfileManager *self,
                                                      GpProfile            *profile,
                                                      GCancellable         *cancellable,
                                                      GError              **error);
void              gp_profile_manager_lookup_password_async (GpProfileManager *self,
                                                      GpProfile            *profile,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GpPassword       *gp_profile_manager_lookup_password_finish (GpProfileManager *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void              gp_profile_manager_unlock_keyring_async (GpProfileManager  *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean          gp_profile_manager_unlock_keyring_finish (GpProfileManager *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS
