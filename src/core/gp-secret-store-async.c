/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "gp-secret-store.h"

/* The window's calls: the sync calls of gp-secret-store.c, each run in a
 * worker thread, so that no D-Bus round trip (nor a prompt to unlock)
 * ever blocks the main loop. */

typedef struct
{
  char *profile_id;
  char *username;
  char *label;
  char *password;
} Request;

static void
request_free (Request *request)
{
  g_free (request->profile_id);
  g_free (request->username);
  g_free (request->label);
  gp_password_free (request->password);
  g_free (request);
}

static GTask *
new_request_task (GpSecretStore       *self,
                  gpointer             source_tag,
                  const char          *profile_id,
                  const char          *username,
                  const char          *label,
                  const char          *password,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  request->profile_id = g_strdup (profile_id);
  request->username = g_strdup (username);
  request->label = g_strdup (label);
  request->password = g_strdup (password);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  return task;
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Request *request = task_data;
  GError *error = NULL;
  GpPassword *password;

  password = gp_secret_store_lookup (source_object, request->profile_id, request->username,
                                     cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) gp_password_free);
}

void
gp_secret_store_lookup_async (GpSecretStore       *self,
                              const char          *profile_id,
                              const char          *username,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GP_IS_SECRET_STORE (self));
  g_return_if_fail (profile_id != NULL && username != NULL);

  task = new_request_task (self, gp_secret_store_lookup_async, profile_id, username, NULL, NULL,
                           cancellable, callback, user_data);
  g_task_run_in_thread (task, lookup_thread);
}

GpPassword *
gp_secret_store_lookup_finish (GpSecretStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Request *request = task_data;
  GError *error = NULL;

  if (gp_secret_store_store (source_object, request->profile_id, request->username,
                             request->label, request->password, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
gp_secret_store_store_async (GpSecretStore       *self,
                             const char          *profile_id,
                             const char          *username,
                             const char          *label,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GP_IS_SECRET_STORE (self));
  g_return_if_fail (profile_id != NULL && username != NULL);
  g_return_if_fail (label != NULL && password != NULL);

  task = new_request_task (self, gp_secret_store_store_async, profile_id, username, label, password,
                           cancellable, callback, user_data);
  g_task_run_in_thread (task, store_thread);
}

gboolean
gp_secret_store_store_finish (GpSecretStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Request *request = task_data;
  GError *error = NULL;

  if (gp_secret_store_clear (source_object, request->profile_id, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
gp_secret_store_clear_async (GpSecretStore       *self,
                             const char          *profile_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GP_IS_SECRET_STORE (self));
  g_return_if_fail (profile_id != NULL);

  task = new_request_task (self, gp_secret_store_clear_async, profile_id, NULL, NULL, NULL,
                           cancellable, callback, user_data);
  g_task_run_in_thread (task, clear_thread);
}

gboolean
gp_secret_store_clear_finish (GpSecretStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GpKeyringListing *listing = gp_secret_store_list (source_object, cancellable, &error);

  if (listing == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, listing, (GDestroyNotify) gp_keyring_listing_unref);
}

void
gp_secret_store_list_async (GpSecretStore       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GP_IS_SECRET_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_secret_store_list_async);
  g_task_run_in_thread (task, list_thread);
}

GpKeyringListing *
gp_secret_store_list_finish (GpSecretStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
unlock_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (gp_secret_store_unlock (source_object, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
gp_secret_store_unlock_async (GpSecretStore       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GP_IS_SECRET_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_secret_store_unlock_async);
  g_task_run_in_thread (task, unlock_thread);
}

gboolean
gp_secret_store_unlock_finish (GpSecretStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

