/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gp-profile-manager.h"

/* Reading the keyring for the front ends to show it: no lock, no change,
 * so none of the use cases' ordering applies. Kept apart from
 * gp-profile-manager.c, which is about changing things. */

/* Which profiles have a password, locked or not; no secret is read. */
GpKeyringListing *
gp_profile_manager_list_passwords (GpProfileManager  *self,
                                   GCancellable      *cancellable,
                                   GError           **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), NULL);
  return gp_secret_store_list (gp_profile_manager_get_secrets (self), cancellable, error);
}

static void
on_listed (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GpKeyringListing *listing = gp_secret_store_list_finish (GP_SECRET_STORE (source), res, &error);

  if (listing == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, listing, (GDestroyNotify) gp_keyring_listing_unref);
}

void
gp_profile_manager_list_passwords_async (GpProfileManager    *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GP_IS_PROFILE_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_profile_manager_list_passwords_async);
  gp_secret_store_list_async (gp_profile_manager_get_secrets (self), cancellable, on_listed, task);
}

GpKeyringListing *
gp_profile_manager_list_passwords_finish (GpProfileManager  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GpPassword *password = gp_secret_store_lookup_finish (GP_SECRET_STORE (source), res, &error);

  /* NULL without an error is "no password stored". */
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) gp_password_free);
}

/* The stored password of the profile (its id and username), for the
 * front ends that show or export it; NULL without an error when none is
 * stored. */
GpPassword *
gp_profile_manager_lookup_password (GpProfileManager  *self,
                                    GpProfile         *profile,
                                    GCancellable      *cancellable,
                                    GError           **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), NULL);
  g_return_val_if_fail (GP_IS_PROFILE (profile), NULL);

  return gp_secret_store_lookup (gp_profile_manager_get_secrets (self), gp_profile_get_id (profile), gp_profile_get_username (profile),
                                 cancellable, error);
}

void
gp_profile_manager_lookup_password_async (GpProfileManager    *self,
                                          GpProfile           *profile,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GP_IS_PROFILE_MANAGER (self));
  g_return_if_fail (GP_IS_PROFILE (profile));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_profile_manager_lookup_password_async);
  gp_secret_store_lookup_async (gp_profile_manager_get_secrets (self), gp_profile_get_id (profile),
                                gp_profile_get_username (profile), cancellable, on_looked_up, task);
}

GpPassword *
gp_profile_manager_lookup_password_finish (GpProfileManager  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_unlocked (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (gp_secret_store_unlock_finish (GP_SECRET_STORE (source), res, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Asks the desktop to unlock the keyring (it prompts the user). */
void
gp_profile_manager_unlock_keyring_async (GpProfileManager    *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GP_IS_PROFILE_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_profile_manager_unlock_keyring_async);
  gp_secret_store_unlock_async (gp_profile_manager_get_secrets (self), cancellable, on_unlocked, task);
}

gboolean
gp_profile_manager_unlock_keyring_finish (GpProfileManager  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
