/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-keyring-change.h"

/* What a change to a profile means for its keyring items, in two halves
 * around the save of the profiles file, so that a use case that fails
 * leaves the keyring exactly as it was:
 *
 * - additions (a new password, the password under a new username) run
 *   before the save, so that the file never names a password that is
 *   not there; when the save fails, undo deletes exactly the item that
 *   was added, or puts back exactly the secret it replaced;
 * - deletions (every item of a removed profile or of one that no longer
 *   sends credentials, the item under an old username) wait for the
 *   save, so that a failed save needs no undo: before it the keyring is
 *   only asked, so that one that cannot be reached, or is locked, stops
 *   the use case while nothing has changed; commit deletes them once the
 *   file no longer names them, and a failure then leaves an item that
 *   nothing sends, reported (the stale-credential cleaner finds it). */

typedef enum
{
  DROP_NONE,
  DROP_ONE,     /* the item of (id, drop_username) */
  DROP_ALL,     /* every item of id, orphans under other usernames too */
} Drop;

struct _GpKeyringChange
{
  GpSecretStore *secrets;
  char          *id;
  char          *name;           /* the profile's, for messages */

  /* The addition, and how to undo it. */
  gboolean       added;
  char          *username;       /* whose item was written */
  char          *label;          /* to put replaced back with */
  GpPassword    *replaced;       /* NULL: there was no item, undo deletes it */

  /* The deletion that waits for the save. */
  Drop           drop;
  char          *drop_username;
};

GpKeyringChange *
gp_keyring_change_new (GpSecretStore *secrets)
{
  GpKeyringChange *self = g_new0 (GpKeyringChange, 1);

  self->secrets = g_object_ref (secrets);
  return self;
}

void
gp_keyring_change_free (GpKeyringChange *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->secrets);
  g_free (self->id);
  g_free (self->name);
  g_free (self->username);
  g_free (self->label);
  gp_password_free (self->replaced);
  g_free (self->drop_username);
  g_free (self);
}

char *
gp_keyring_change_label (GpProfile *profile)
{
  return g_strdup_printf (_("Gatepass proxy password for “%s” (%s)"),
                          gp_profile_get_name (profile), gp_profile_get_username (profile));
}

static void
begin (GpKeyringChange *self,
       GpProfile       *profile)
{
  self->id = g_strdup (gp_profile_get_id (profile));
  self->name = g_strdup (gp_profile_get_name (profile));
}

static gboolean
username_changed (GpProfile *before,
                  GpProfile *after)
{
  return before != NULL &&
         g_strcmp0 (gp_profile_get_username (before), gp_profile_get_username (after)) != 0;
}

/* Writes password under after's username, having read what that item
 * held, so that undo can put exactly that back. The label to put back is
 * the one the item had as far as the file knows: before's, when before
 * sent that username. */
static gboolean
add_item (GpKeyringChange  *self,
          GpProfile        *before,
          GpProfile        *after,
          const char       *password,
          GCancellable     *cancellable,
          GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = gp_keyring_change_label (after);
  const char *username = gp_profile_get_username (after);

  self->replaced = gp_secret_store_lookup (self->secrets, self->id, username, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!gp_secret_store_store (self->secrets, self->id, username, label, password, cancellable, error))
    return FALSE;

  self->added = TRUE;
  self->username = g_strdup (username);
  self->label = before != NULL && !username_changed (before, after) ? gp_keyring_change_label (before)
                                                                     : g_steal_pointer (&label);
  return TRUE;
}

/* Only asks the keyring: the deletion itself waits for commit. username:
 * the item the file names, whose lock a listing shows, or NULL. */
static gboolean
plan_drop_all (GpKeyringChange  *self,
               const char       *username,
               GCancellable     *cancellable,
               GError          **error)
{
  g_autoptr(GpKeyringListing) listing = gp_secret_store_list (self->secrets, cancellable, error);

  if (listing == NULL)
    return FALSE;
  if (username != NULL && gp_keyring_listing_is_locked (listing, self->id, username))
    return gp_secret_error_set_locked (error);
  self->drop = DROP_ALL;
  return TRUE;
}

/* before: the profile as saved, or NULL for a new one. password: a new
 * password, or NULL to keep (and, for a new username, move) the stored
 * one. clear_unused: delete the items of a profile that sends no
 * credentials even if it did not send any before (orphans included). */
gboolean
gp_keyring_change_update (GpKeyringChange  *self,
                          GpProfile        *before,
                          GpProfile        *after,
                          const char       *password,
                          gboolean          clear_unused,
                          GCancellable     *cancellable,
                          GError          **error)
{
  g_autoptr(GpPassword) moved = NULL;
  gboolean sent_before = before != NULL && gp_profile_sends_credentials (before);
  gboolean moving = sent_before && username_changed (before, after);

  g_return_val_if_fail (self != NULL && self->id == NULL, FALSE);

  begin (self, after);
  if (!gp_profile_sends_credentials (after))
    return !(sent_before || clear_unused) ||
           plan_drop_all (self, sent_before ? gp_profile_get_username (before) : NULL, cancellable, error);

  if (password == NULL && moving)
    {
      g_autoptr(GError) local_error = NULL;

      moved = gp_secret_store_lookup (self->secrets, self->id, gp_profile_get_username (before),
                                      cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      password = moved;
    }

  /* Nothing stored to move: nothing to add, nothing to drop. */
  if (password == NULL)
    return TRUE;
  if (!add_item (self, before, after, password, cancellable, error))
    return FALSE;
  if (moving)
    {
      self->drop = DROP_ONE;
      self->drop_username = g_strdup (gp_profile_get_username (before));
    }
  return TRUE;
}

gboolean
gp_keyring_change_remove (GpKeyringChange  *self,
                          GpProfile        *profile,
                          GCancellable     *cancellable,
                          GError          **error)
{
  g_return_val_if_fail (self != NULL && self->id == NULL, FALSE);

  begin (self, profile);
  return plan_drop_all (self, gp_profile_get_username (profile), cancellable, error);
}

/* After a failed save: the planned deletion never ran, so only the
 * addition is taken back. */
void
gp_keyring_change_undo (GpKeyringChange  *self,
                        GError          **leftover)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  self->drop = DROP_NONE;
  if (!self->added)
    return;

  /* No cancellable: a rollback that stops halfway is worse than a slow one. */
  if (self->replaced != NULL)
    ok = gp_secret_store_store (self->secrets, self->id, self->username, self->label, self->replaced,
                                NULL, &error);
  else
    ok = gp_secret_store_clear_one (self->secrets, self->id, self->username, NULL, &error);
  self->added = FALSE;

  if (ok || leftover == NULL || *leftover != NULL)
    return;
  if (self->replaced != NULL)
    g_set_error (leftover, GP_SECRET_ERROR, GP_SECRET_ERROR_FAILED,
                 _("The keyring change could not be undone: the earlier password of “%s” under “%s” "
                   "could not be put back: %s"), self->name, self->username, error->message);
  else
    g_set_error (leftover, GP_SECRET_ERROR, GP_SECRET_ERROR_FAILED,
                 _("The keyring change could not be undone: the new password of “%s” under “%s” "
                   "could not be removed: %s"), self->name, self->username, error->message);
}

/* After a successful save: the file no longer names what goes now, so a
 * failure only leaves an item that nothing sends. */
void
gp_keyring_change_commit (GpKeyringChange  *self,
                          GError          **leftover)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->drop == DROP_NONE)
    return;

  /* No cancellable: the use case is done, only its cleanup remains. */
  if (self->drop == DROP_ONE)
    ok = gp_secret_store_clear_one (self->secrets, self->id, self->drop_username, NULL, &error);
  else
    ok = gp_secret_store_clear (self->secrets, self->id, NULL, &error);

  if (ok || leftover == NULL || *leftover != NULL)
    return;
  if (self->drop == DROP_ONE)
    g_set_error (leftover, GP_SECRET_ERROR, GP_SECRET_ERROR_FAILED,
                 _("Saved, but the password of “%s” stored under the old username “%s” could not be "
                   "removed from the keyring: %s"), self->name, self->drop_username, error->message);
  else
    g_set_error (leftover, GP_SECRET_ERROR, GP_SECRET_ERROR_FAILED,
                 _("Saved, but the passwords stored for “%s” could not be removed from the keyring: %s"),
                 self->name, error->message);
}
