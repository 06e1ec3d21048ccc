/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-keyring-change.h"

/* What a change to a profile means for its keyring items. The order keeps
 * every failure harmless: update and remove run before the profiles file
 * is saved and only add or delete what the new profile needs, so an
 * unreachable keyring changes nothing; undo puts it back when the save
 * fails; forget_old_username drops the copy under an old name once the
 * file no longer names it. */
struct _GpKeyringChange
{
  GpSecretStore *secrets;

  /* How to undo: the secret that was there, or, when there was none,
   * which items to delete again. */
  gboolean       armed;
  char          *id;
  char          *username;   /* whose item held password */
  char          *label;
  GpPassword    *password;   /* NULL: there was no item under username */
  char          *keep;       /* without password: the one username whose item stays */
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
  g_free (self->username);
  g_free (self->label);
  gp_password_free (self->password);
  g_free (self->keep);
  g_free (self);
}

char *
gp_keyring_change_label (GpProfile *profile)
{
  return g_strdup_printf (_("Gatepass proxy password for “%s” (%s)"),
                          gp_profile_get_name (profile), gp_profile_get_username (profile));
}

/* Reads what the item of (profile, username) holds now, so that it can be
 * put back; a keyring that cannot be read stops the use case here. */
static gboolean
remember (GpKeyringChange  *self,
          GpProfile        *profile,
          const char       *username,
          GCancellable     *cancellable,
          GError          **error)
{
  g_autoptr(GError) local_error = NULL;

  self->password = gp_secret_store_lookup (self->secrets, gp_profile_get_id (profile), username,
                                           cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->armed = TRUE;
  self->id = g_strdup (gp_profile_get_id (profile));
  self->username = g_strdup (username);
  self->label = gp_keyring_change_label (profile);
  return TRUE;
}

static gboolean
username_changed (GpProfile *before,
                  GpProfile *after)
{
  return before != NULL &&
         g_strcmp0 (gp_profile_get_username (before), gp_profile_get_username (after)) != 0;
}

static gboolean
clear_unused (GpKeyringChange  *self,
              GpProfile        *before,
              GpProfile        *after,
              GCancellable     *cancellable,
              GError          **error)
{
  if (before != NULL && gp_profile_sends_credentials (before) &&
      !remember (self, before, gp_profile_get_username (before), cancellable, error))
    return FALSE;
  return gp_secret_store_clear (self->secrets, gp_profile_get_id (after), cancellable, error);
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
                          gboolean          clear_unused_items,
                          GCancellable     *cancellable,
                          GError          **error)
{
  g_autoptr(GpPassword) moved = NULL;
  g_autofree char *label = NULL;
  gboolean sent_before = before != NULL && gp_profile_sends_credentials (before);
  gboolean moving = sent_before && username_changed (before, after);

  g_return_val_if_fail (self != NULL && !self->armed, FALSE);

  if (!gp_profile_sends_credentials (after))
    return !(sent_before || clear_unused_items) || clear_unused (self, before, after, cancellable, error);

  if (password == NULL && moving)
    {
      g_autoptr(GError) local_error = NULL;

      moved = gp_secret_store_lookup (self->secrets, gp_profile_get_id (after), gp_profile_get_username (before),
                                      cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      password = moved;
    }

  if (password == NULL)
    return TRUE;

  if (before == NULL)
    {
      /* A new profile: undone by deleting whatever its id holds. */
      self->armed = TRUE;
      self->id = g_strdup (gp_profile_get_id (after));
    }
  else if (!remember (self, after, gp_profile_get_username (after), cancellable, error))
    return FALSE;
  if (moving)
    self->keep = g_strdup (gp_profile_get_username (before));

  label = gp_keyring_change_label (after);
  return gp_secret_store_store (self->secrets, gp_profile_get_id (after), gp_profile_get_username (after),
                                label, password, cancellable, error);
}

/* Every item of the profile goes, orphans under other usernames too;
 * only the one a failed save must bring back is read first. */
gboolean
gp_keyring_change_remove (GpKeyringChange  *self,
                          GpProfile        *profile,
                          GCancellable     *cancellable,
                          GError          **error)
{
  g_return_val_if_fail (self != NULL && !self->armed, FALSE);

  if (gp_profile_get_username (profile) != NULL &&
      !remember (self, profile, gp_profile_get_username (profile), cancellable, error))
    return FALSE;
  return gp_secret_store_clear (self->secrets, gp_profile_get_id (profile), cancellable, error);
}

void
gp_keyring_change_undo (GpKeyringChange  *self,
                        GError          **leftover)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (!self->armed)
    return;

  /* No cancellable: a rollback that stops halfway is worse than a slow one. */
  if (self->password != NULL)
    ok = gp_secret_store_store (self->secrets, self->id, self->username, self->label, self->password,
                                NULL, &error);
  else
    ok = gp_secret_store_clear_except (self->secrets, self->id, self->keep, NULL, &error);
  self->armed = FALSE;

  if (!ok && leftover != NULL && *leftover == NULL)
    g_set_error (leftover, GP_SECRET_ERROR, GP_SECRET_ERROR_FAILED,
                 _("The keyring change could not be undone: %s"), error->message);
}

/* A failure leaves an item under the old username: harmless (nothing
 * sends it), reported, and the stale-credential cleaner finds it. */
void
gp_keyring_change_forget_old_username (GpKeyringChange  *self,
                                       GpProfile        *before,
                                       GpProfile        *after,
                                       GError          **leftover)
{
  g_autoptr(GError) error = NULL;

  if (after == NULL || !username_changed (before, after) || !gp_profile_sends_credentials (after))
    return;

  if (!gp_secret_store_clear_except (self->secrets, gp_profile_get_id (after),
                                     gp_profile_get_username (after), NULL, &error) &&
      leftover != NULL && *leftover == NULL)
    g_set_error (leftover, GP_SECRET_ERROR, GP_SECRET_ERROR_FAILED,
                 _("the password stored under the old username could not be removed: %s"),
                 error->message);
}
