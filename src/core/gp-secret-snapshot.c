/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gp-secret-snapshot.h"

struct _GpSecretSnapshot
{
  GHashTable *entries;   /* "id\nusername" → Entry */
};

typedef struct
{
  GpPassword *password;  /* NULL: only locked items */
} Entry;

static void
entry_free (Entry *entry)
{
  gp_password_free (entry->password);
  g_free (entry);
}

static char *
entry_key (const char *profile_id,
           const char *username)
{
  return g_strconcat (profile_id, "\n", username, NULL);
}

GpSecretSnapshot *
gp_secret_snapshot_new (void)
{
  GpSecretSnapshot *self = g_new0 (GpSecretSnapshot, 1);

  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
  return self;
}

void
gp_secret_snapshot_free (GpSecretSnapshot *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->entries);
  g_free (self);
}

/* With several items for one pair, the first readable one counts, as in
 * gp_secret_store_lookup_full (): a pair keeps its password, and a locked
 * item only marks a pair that has nothing yet. Takes key and incoming. */
static void
put_entry (GpSecretSnapshot *self,
           char             *key,
           Entry            *incoming)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry != NULL && (entry->password != NULL || incoming->password == NULL))
    {
      g_free (key);
      entry_free (incoming);
      return;
    }
  g_hash_table_replace (self->entries, key, incoming);
}

void
gp_secret_snapshot_add (GpSecretSnapshot *self,
                        const char       *profile_id,
                        const char       *username,
                        const char       *password)
{
  Entry *entry;

  g_return_if_fail (self != NULL && profile_id != NULL && username != NULL && password != NULL);

  entry = g_new0 (Entry, 1);
  entry->password = g_strdup (password);
  put_entry (self, entry_key (profile_id, username), entry);
}

void
gp_secret_snapshot_add_locked (GpSecretSnapshot *self,
                               const char       *profile_id,
                               const char       *username)
{
  g_return_if_fail (self != NULL && profile_id != NULL && username != NULL);

  put_entry (self, entry_key (profile_id, username), g_new0 (Entry, 1));
}

guint
gp_secret_snapshot_get_size (GpSecretSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return g_hash_table_size (self->entries);
}

/* As gp_secret_store_lookup_full (): NULL without an error when nothing
 * is stored, GP_SECRET_ERROR_LOCKED when only locked items are. */
GpPassword *
gp_secret_snapshot_lookup (GpSecretSnapshot *self,
                           const char       *profile_id,
                           const char       *username,
                           GError          **error)
{
  g_autofree char *key = NULL;
  Entry *entry;

  g_return_val_if_fail (self != NULL && profile_id != NULL && username != NULL, NULL);

  key = entry_key (profile_id, username);
  entry = g_hash_table_lookup (self->entries, key);
  if (entry == NULL)
    return NULL;
  if (entry->password == NULL)
    {
      gp_secret_error_set_locked (error);
      return NULL;
    }
  return g_strdup (entry->password);
}

/* Adds what later, read after self, holds, as if its items had been
 * added one by one: a pair that self gives a password keeps it. */
void
gp_secret_snapshot_merge (GpSecretSnapshot *self,
                          GpSecretSnapshot *later)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (self != NULL && later != NULL);

  g_hash_table_iter_init (&iter, later->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_iter_steal (&iter);
      put_entry (self, key, value);
    }
}

/* TRUE when a readable item gives the pair a password: no later part of
 * the keyring changes it. */
gboolean
gp_secret_snapshot_has_password (GpSecretSnapshot *self,
                                 const char       *profile_id,
                                 const char       *username)
{
  g_autofree char *key = NULL;
  Entry *entry;

  g_return_val_if_fail (self != NULL && profile_id != NULL && username != NULL, FALSE);

  key = entry_key (profile_id, username);
  entry = g_hash_table_lookup (self->entries, key);
  return entry != NULL && entry->password != NULL;
}
