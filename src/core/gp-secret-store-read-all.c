/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "gp-secret-snapshot.h"
#include "gp-secret-store-private.h"

/* Items read, and handed on, at a time. */
#define READ_CHUNK 64

/* Reading every item at once: one search, the attributes of every item
 * asked for all together (not one D-Bus proxy per item, each with its
 * match rules), one GetSecrets. 1,000 lookups one by one cost seconds,
 * and gnome-keyring serves them on a single thread. It finds an item by
 * a scan of all of them, so each Get costs in proportion to the keyring
 * (about 0.26 ms of its time per item with 1,000 items): ask for the one
 * property needed, never GetAll, and not the modification times, which
 * would double the cost (gp-secret-snapshot.h). */

typedef struct
{
  GHashTable *attributes;   /* path → a{ss} */
  guint       pending;
  GError     *error;
} Fetch;

typedef struct
{
  Fetch      *fetch;
  char       *path;
} FetchItem;

static void
on_item_property (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  FetchItem *item = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), res, &error);

  if (reply != NULL)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (reply, 0);

      g_hash_table_insert (item->fetch->attributes, g_steal_pointer (&item->path), g_variant_get_variant (boxed));
    }
  else if (item->fetch->error == NULL)
    item->fetch->error = g_steal_pointer (&error);
  item->fetch->pending--;
  g_free (item->path);
  g_free (item);
}

static void
ask_attributes (SecretService *service,
                const char    *path,
                GCancellable  *cancellable,
                Fetch         *fetch)
{
  GDBusProxy *proxy = G_DBUS_PROXY (service);
  FetchItem *item = g_new0 (FetchItem, 1);

  item->fetch = fetch;
  item->path = g_strdup (path);
  fetch->pending++;
  g_dbus_connection_call (g_dbus_proxy_get_connection (proxy), g_dbus_proxy_get_name (proxy), path,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", "org.freedesktop.Secret.Item", "Attributes"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                          on_item_property, item);
}

/* The attributes of the n items at paths, in a main context of this
 * thread's own. */
static void
fetch_attributes (SecretService *service,
                  char         **paths,
                  guint          n,
                  GCancellable  *cancellable,
                  Fetch         *fetch)
{
  g_autoptr(GMainContext) context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  for (guint i = 0; i < n; i++)
    ask_attributes (service, paths[i], cancellable, fetch);
  while (fetch->pending > 0)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
}

static void
add_to_snapshot (GpSecretSnapshot *snapshot,
                 GVariant         *attributes,
                 SecretValue      *value)
{
  const char *id = NULL, *username = NULL;

  if (attributes == NULL || !g_variant_is_of_type (attributes, G_VARIANT_TYPE ("a{ss}")) ||
      !g_variant_lookup (attributes, "profile", "&s", &id) ||
      !g_variant_lookup (attributes, "username", "&s", &username))
    return;

  if (value != NULL && secret_value_get_text (value) != NULL)
    gp_secret_snapshot_add (snapshot, id, username, secret_value_get_text (value));
  else
    gp_secret_snapshot_add_locked (snapshot, id, username);
}

static void
fetch_clear (Fetch *fetch)
{
  g_clear_pointer (&fetch->attributes, g_hash_table_unref);
  g_clear_error (&fetch->error);
}

/* The n items at paths, all unlocked or all locked, into snapshot: their
 * attributes, and the secrets of unlocked ones in one GetSecrets. */
static gboolean
read_paths (SecretService     *service,
            char             **paths,
            guint              n,
            gboolean           unlocked,
            Call              *call,
            GpSecretSnapshot  *snapshot,
            GError           **error)
{
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree const char **slice = NULL;
  Fetch fetch = { 0 };

  fetch.attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  fetch_attributes (service, paths, n, call->cancellable, &fetch);
  if (fetch.error == NULL && unlocked)
    {
      slice = g_new0 (const char *, n + 1);
      memcpy (slice, paths, n * sizeof (char *));
      secrets = secret_service_get_secrets_for_dbus_paths_sync (service, slice, call->cancellable, &local_error);
    }
  if (fetch.error != NULL || local_error != NULL)
    {
      gp_secret_translate_error (call, fetch.error != NULL ? fetch.error : local_error, error);
      fetch_clear (&fetch);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    add_to_snapshot (snapshot, g_hash_table_lookup (fetch.attributes, paths[i]),
                     secrets != NULL ? g_hash_table_lookup (secrets, paths[i]) : NULL);
  fetch_clear (&fetch);
  return TRUE;
}

/* The items at paths, READ_CHUNK at a time, each chunk handed on as soon
 * as it is read. The keyring serves one call at a time: the first chunk
 * comes after some 20 ms instead of the whole keyring's 300. */
static gboolean
read_in_chunks (SecretService          *service,
                char                  **paths,
                gboolean                unlocked,
                Call                   *call,
                GpSecretSnapshotFunc    func,
                gpointer                user_data,
                GError                **error)
{
  guint total = g_strv_length (paths);

  for (guint first = 0; first < total; first += READ_CHUNK)
    {
      g_autoptr(GpSecretSnapshot) chunk = gp_secret_snapshot_new ();

      if (!read_paths (service, paths + first, MIN (READ_CHUNK, total - first), unlocked, call, chunk, error))
        return FALSE;
      func (g_steal_pointer (&chunk), user_data);
    }
  return TRUE;
}

/* Every password of the schema, handed to func in parts as they are read
 * (in the keyring's order, the unlocked items first; func takes each
 * part); the pairs that only locked items hold are marked so. A pair
 * that a part gives a password is final: as in a lookup, the first
 * readable item counts. Under the store's budget like any other call;
 * never prompts. FALSE with error when the keyring cannot be read (the
 * parts handed on before stand). */
gboolean
gp_secret_store_read_all_parts (GpSecretStore         *self,
                                GpSecretSnapshotFunc   func,
                                gpointer               user_data,
                                GCancellable          *cancellable,
                                GError               **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_auto(GStrv) unlocked = NULL;
  g_auto(GStrv) locked = NULL;
  g_auto(Call) call = { 0 };

  g_return_val_if_fail (GP_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  gp_secret_call_begin (&call, self, cancellable);
  if (gp_secret_store_uses_file (self))
    {
      GpSecretSnapshot *all = gp_secret_file_read_all (&call, error);

      if (all != NULL)
        func (all, user_data);
      return all != NULL;
    }
  service = gp_secret_get_service (self, &call, error);
  if (service == NULL)
    return FALSE;

  attributes = gp_secret_make_attributes (NULL, NULL);
  if (!gp_secret_search_paths (service, attributes, &call, &unlocked, &locked, error))
    return FALSE;
  return read_in_chunks (service, unlocked, TRUE, &call, func, user_data, error) &&
         read_in_chunks (service, locked, FALSE, &call, func, user_data, error);
}
