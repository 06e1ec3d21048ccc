/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-credentials.h"

/* What a change to a profile means for its keyring items, shared by the
 * headless `edit` and the window's Save. The order keeps every failure
 * harmless: prepare (before the profiles file is saved) only adds or
 * deletes what the new profile needs, so an unreachable keyring changes
 * nothing; complete (after the save) drops the copy under an old name. */

char *
gp_credentials_label (GpProfile *profile)
{
  return g_strdup_printf (_("Gatepass proxy password for “%s” (%s)"),
                          gp_profile_get_name (profile), gp_profile_get_username (profile));
}

static gboolean
username_changed (GpProfile *before,
                  GpProfile *after)
{
  return before != NULL &&
         g_strcmp0 (gp_profile_get_username (before), gp_profile_get_username (after)) != 0;
}

/* before: the profile as saved, or NULL for a new one. password: a new
 * password, or NULL to keep (and, for a new username, move) the stored
 * one. clear_unused: delete the items of a profile that sends no
 * credentials even if it did not send any before (orphans included). */
gboolean
gp_credentials_prepare (GpSecretStore  *secrets,
                        GpProfile      *before,
                        GpProfile      *after,
                        const char     *password,
                        gboolean        clear_unused,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(GpPassword) moved = NULL;
  g_autofree char *label = NULL;
  const char *id = gp_profile_get_id (after);

  g_return_val_if_fail (GP_IS_SECRET_STORE (secrets), FALSE);
  g_return_val_if_fail (before == NULL || GP_IS_PROFILE (before), FALSE);
  g_return_val_if_fail (GP_IS_PROFILE (after), FALSE);

  if (!gp_profile_sends_credentials (after))
    {
      gboolean sent_before = before != NULL && gp_profile_sends_credentials (before);

      if (clear_unused || sent_before)
        return gp_secret_store_clear (secrets, id, cancellable, error);
      return TRUE;
    }

  if (password == NULL && username_changed (before, after) && gp_profile_sends_credentials (before))
    {
      g_autoptr(GError) local_error = NULL;

      moved = gp_secret_store_lookup (secrets, id, gp_profile_get_username (before), cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      password = moved;
    }

  if (password == NULL)
    return TRUE;

  label = gp_credentials_label (after);
  return gp_secret_store_store (secrets, id, gp_profile_get_username (after), label, password,
                                cancellable, error);
}

gboolean
gp_credentials_complete (GpSecretStore  *secrets,
                         GpProfile      *before,
                         GpProfile      *after,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_return_val_if_fail (GP_IS_SECRET_STORE (secrets), FALSE);
  g_return_val_if_fail (GP_IS_PROFILE (after), FALSE);

  if (!username_changed (before, after) || !gp_profile_sends_credentials (after))
    return TRUE;

  return gp_secret_store_clear_except (secrets, gp_profile_get_id (after),
                                       gp_profile_get_username (after), cancellable, error);
}
