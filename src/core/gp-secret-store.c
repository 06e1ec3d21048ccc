/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
/* The path-level calls, for reading every item at once. */
#define SECRET_API_SUBJECT_TO_CHANGE
#include <libsecret/secret.h>
#include <string.h>

#include "gp-deadline.h"
#include "gp-secret-snapshot.h"
#include "gp-secret-store.h"
#include "gp-secret-store-private.h"

struct _GpSecretStore
{
  GObject         parent_instance;

  GMutex          mutex;     /* guards service: async calls run in threads */
  SecretService  *service;
  gboolean        allow_prompt;
  gboolean        file;      /* libsecret's keyring file (the Flatpak), not the Secret Service */
  GpDeadline     *deadline;  /* NULL: no budget (the window's calls) */
};

G_DEFINE_FINAL_TYPE (GpSecretStore, gp_secret_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (gp-secret-error-quark, gp_secret_error)

const SecretSchema gp_secret_schema = {
  GP_SECRET_SCHEMA_NAME,
  SECRET_SCHEMA_NONE,
  {
    { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

void
gp_password_free (GpPassword *password)
{
  if (password == NULL)
    return;
  explicit_bzero (password, strlen (password));
  g_free (password);
}

gboolean
gp_secret_error_set_locked (GError **error)
{
  g_set_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_LOCKED,
               _("The keyring is locked; unlock it (for example by logging in to the desktop, "
                 "or with the Passwords and Keys application) and try again"));
  return FALSE;
}

void
gp_secret_call_end (Call *call)
{
  if (call->budget_handler != 0)
    g_cancellable_disconnect (gp_deadline_get_cancellable (call->store->deadline), call->budget_handler);
  if (call->caller_handler != 0)
    g_cancellable_disconnect (call->caller, call->caller_handler);
  g_clear_object (&call->cancellable);
}

static void
on_source_cancelled (GCancellable *source,
                     GCancellable *both)
{
  g_cancellable_cancel (both);
}

void
gp_secret_call_begin (Call          *call,
            GpSecretStore *self,
            GCancellable  *caller)
{
  GCancellable *budget;

  call->store = self;
  call->caller = caller;
  if (self->deadline == NULL)
    {
      call->cancellable = caller != NULL ? g_object_ref (caller) : NULL;
      return;
    }

  gp_deadline_start (self->deadline);
  budget = gp_deadline_get_cancellable (self->deadline);
  if (caller == NULL)
    {
      call->cancellable = g_object_ref (budget);
      return;
    }

  call->cancellable = g_cancellable_new ();
  call->budget_handler = g_cancellable_connect (budget, G_CALLBACK (on_source_cancelled),
                                                call->cancellable, NULL);
  call->caller_handler = g_cancellable_connect (caller, G_CALLBACK (on_source_cancelled),
                                                call->cancellable, NULL);
}

static gboolean
set_timed_out_error (Call    *call,
                     GError **error)
{
  guint seconds = (gp_deadline_get_budget_ms (call->store->deadline) + 999) / 1000;

  g_set_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_TIMED_OUT,
               _("The keyring (Secret Service) did not answer within %u s; it may be stuck: "
                 "restart gnome-keyring-daemon (or log out and in again) and try again"), seconds);
  return FALSE;
}

/* A cancelled call is the caller's cancel (G_IO_ERROR_CANCELLED, which
 * front ends ignore) unless the budget ran out. */
gboolean
gp_secret_call_check (Call    *call,
                      GError **error)
{
  if (call->cancellable == NULL || !g_cancellable_is_cancelled (call->cancellable))
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (call->caller, error))
    return FALSE;
  return set_timed_out_error (call, error);
}

void
gp_secret_translate_error (Call    *call,
                         GError  *source,
                         GError **error)
{
  if (g_error_matches (source, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !gp_secret_call_check (call, error))
    return;

  if (g_error_matches (source, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (source, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
      g_error_matches (source, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND) ||
      g_error_matches (source, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_CHILD_EXITED) ||
      g_error_matches (source, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_EXEC_FAILED))
    g_set_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_NO_SERVICE,
                 _("No Secret Service is running on the session bus; install and start "
                   "gnome-keyring (or another Secret Service) to store proxy passwords"));
  else if (g_error_matches (source, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    gp_secret_error_set_locked (error);
  else
    g_set_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_FAILED,
                 _("The keyring failed: %s"), source->message);
}

SecretService *
gp_secret_get_service (GpSecretStore  *self,
             Call           *call,
             GError        **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->service != NULL)
    return g_object_ref (self->service);

  /* Calls of other threads waited for the lock while this one hung: once
   * the budget is spent, none of them asks again. */
  if (!gp_secret_call_check (call, error))
    return NULL;

  /* Ask for the bus first: "no bus" and "no keyring on the bus" need
   * different advice. */
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, call->cancellable, &local_error);
  if (bus == NULL && !gp_secret_call_check (call, error))
    return NULL;
  if (bus == NULL)
    {
      g_set_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_NO_BUS,
                   _("No D-Bus session bus, so no keyring can be reached (%s); run Gatepass "
                     "inside a desktop or login session"), local_error->message);
      return NULL;
    }

  self->service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, call->cancellable, &local_error);
  if (self->service == NULL)
    {
      gp_secret_translate_error (call, local_error, error);
      return NULL;
    }

  return g_object_ref (self->service);
}

/* The D-Bus paths of the schema's items matching attributes, unlocked and
 * locked apart: no SecretItem proxy (two match rules, a name-owner query
 * and GetAll each) is made for them. */
gboolean
gp_secret_search_paths (SecretService  *service,
                        GHashTable     *attributes,
                        Call           *call,
                        char         ***out_unlocked,
                        char         ***out_locked,
                        GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  if (secret_service_search_for_dbus_paths_sync (service, &gp_secret_schema, attributes, call->cancellable,
                                                 out_unlocked, out_locked, &local_error))
    return TRUE;
  gp_secret_translate_error (call, local_error, error);
  return FALSE;
}

GHashTable *
gp_secret_make_attributes (const char *profile_id,
                 const char *username)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  if (profile_id != NULL)
    g_hash_table_insert (attributes, (gpointer) "profile", (gpointer) profile_id);
  if (username != NULL)
    g_hash_table_insert (attributes, (gpointer) "username", (gpointer) username);
  return attributes;
}

/* A lookup in a locked keyring returns nothing, exactly as if no item
 * existed; searching with SECRET_SEARCH_ALL lists locked items too, so
 * the two can be told apart. */
static GList *
search_items (GpSecretStore  *self,
              SecretService  *service,
              GHashTable     *attributes,
              gboolean        load_secrets,
              Call           *call,
              GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  SecretSearchFlags flags = SECRET_SEARCH_ALL;
  GList *items;

  if (load_secrets)
    flags |= SECRET_SEARCH_LOAD_SECRETS;
  if (self->allow_prompt)
    flags |= SECRET_SEARCH_UNLOCK;

  items = secret_service_search_sync (service, &gp_secret_schema, attributes, flags,
                                      call->cancellable, &local_error);
  if (local_error != NULL)
    gp_secret_translate_error (call, local_error, error);
  return items;
}

static gboolean
any_locked (GList *items)
{
  for (GList *l = items; l != NULL; l = l->next)
    if (secret_item_get_locked (l->data))
      return TRUE;
  return FALSE;
}

static void
gp_secret_store_finalize (GObject *object)
{
  GpSecretStore *self = (GpSecretStore *) object;

  g_clear_object (&self->service);
  g_clear_object (&self->deadline);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (gp_secret_store_parent_class)->finalize (object);
}

static void
gp_secret_store_class_init (GpSecretStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gp_secret_store_finalize;
}

static void
gp_secret_store_init (GpSecretStore *self)
{
  g_mutex_init (&self->mutex);
}

/* allow_prompt: the window may ask the user to unlock; headless never does. */
GpSecretStore *
gp_secret_store_new (gboolean allow_prompt)
{
  GpSecretStore *self = g_object_new (GP_TYPE_SECRET_STORE, NULL);

  self->allow_prompt = allow_prompt;
  self->file = gp_secret_file_in_use ();
  return self;
}

gboolean
gp_secret_store_uses_file (GpSecretStore *self)
{
  return self->file;
}

/* Gives every later call of the store one shared budget, counted from
 * the first call that asks the keyring: a call still waiting when it is
 * spent fails with GP_SECRET_ERROR_TIMED_OUT, and so does every call
 * after it, at once. Headless commands set one (a login script must not
 * hang on a stuck keyring); the window does not, since its unlock waits
 * for a person and stays merely cancellable. Set it before the first call. */
void
gp_secret_store_set_budget (GpSecretStore *self,
                            guint          budget_ms)
{
  g_return_if_fail (GP_IS_SECRET_STORE (self));
  g_return_if_fail (self->deadline == NULL);

  self->deadline = gp_deadline_new (budget_ms);
}

/* Returns NULL without an error when no password is stored. */
GpPassword *
gp_secret_store_lookup (GpSecretStore  *self,
                        const char     *profile_id,
                        const char     *username,
                        GCancellable   *cancellable,
                        GError        **error)
{
  return gp_secret_store_lookup_full (self, profile_id, username, NULL, cancellable, error);
}

/* The lookup through libsecret's items: the one that may prompt. */
static GpPassword *
lookup_with_items (GpSecretStore  *self,
                   const char     *profile_id,
                   const char     *username,
                   guint64        *out_modified,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(Call) call = { 0 };
  GList *items;
  GpPassword *password = NULL;

  gp_secret_call_begin (&call, self, cancellable);
  service = gp_secret_get_service (self, &call, error);
  if (service == NULL)
    return NULL;

  attributes = gp_secret_make_attributes (profile_id, username);
  items = search_items (self, service, attributes, TRUE, &call, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (GList *l = items; l != NULL && password == NULL; l = l->next)
    {
      g_autoptr(SecretValue) value = secret_item_get_secret (l->data);

      if (value != NULL && secret_value_get_text (value) != NULL)
        {
          password = g_strdup (secret_value_get_text (value));
          if (out_modified != NULL)
            *out_modified = secret_item_get_modified (l->data);
        }
    }

  if (password == NULL && any_locked (items))
    gp_secret_error_set_locked (error);

  g_list_free_full (items, g_object_unref);
  return password;
}

static guint64
item_modified (SecretService *service,
               const char    *path,
               Call          *call)
{
  GDBusProxy *proxy = G_DBUS_PROXY (service);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = g_dbus_connection_call_sync (g_dbus_proxy_get_connection (proxy), g_dbus_proxy_get_name (proxy), path,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.freedesktop.Secret.Item", "Modified"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, call->cancellable, NULL);
  if (reply == NULL)
    return 0;
  g_variant_get (reply, "(v)", &value);
  return g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64) ? g_variant_get_uint64 (value) : 0;
}

/* The first readable item of unlocked: its text, and its modification
 * time when asked for. The time is read before the text: were the
 * password changed in between, the time would be older than the item's
 * then, and a result recorded with it never passes for the new
 * password's (gp-stale.c compares it with the item's). */
static GpPassword *
read_first (SecretService  *service,
            char          **unlocked,
            guint64        *out_modified,
            Call           *call,
            GError        **error)
{
  for (guint i = 0; unlocked[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(SecretValue) value = NULL;
      guint64 modified = out_modified != NULL ? item_modified (service, unlocked[i], call) : 0;

      value = secret_service_get_secret_for_dbus_path_sync (service, unlocked[i], call->cancellable, &local_error);
      if (local_error != NULL)
        {
          gp_secret_translate_error (call, local_error, error);
          return NULL;
        }
      if (value == NULL || secret_value_get_text (value) == NULL)
        continue;
      if (out_modified != NULL)
        *out_modified = modified;
      return g_strdup (secret_value_get_text (value));
    }
  return NULL;
}

/* As lookup, and out_modified gets the item's modification time (seconds
 * since the epoch), so that a result can tell which password it tested.
 * By D-Bus paths, not SecretItem proxies: a proxy per item costs five
 * more messages (match rules, name owner, GetAll), which `export` in a
 * login script would pay every time. Only the window may prompt to
 * unlock, which takes libsecret's item search. */
GpPassword *
gp_secret_store_lookup_full (GpSecretStore  *self,
                             const char     *profile_id,
                             const char     *username,
                             guint64        *out_modified,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) unlocked = NULL;
  g_auto(GStrv) locked = NULL;
  g_auto(Call) call = { 0 };
  GpPassword *password;

  g_return_val_if_fail (GP_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (profile_id != NULL && username != NULL, NULL);

  if (self->file)
    {
      gp_secret_call_begin (&call, self, cancellable);
      return gp_secret_file_lookup (&call, profile_id, username, out_modified, error);
    }
  if (self->allow_prompt)
    return lookup_with_items (self, profile_id, username, out_modified, cancellable, error);

  gp_secret_call_begin (&call, self, cancellable);
  service = gp_secret_get_service (self, &call, error);
  if (service == NULL)
    return NULL;

  attributes = gp_secret_make_attributes (profile_id, username);
  if (!gp_secret_search_paths (service, attributes, &call, &unlocked, &locked, error))
    return NULL;

  password = read_first (service, unlocked, out_modified, &call, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (password == NULL && locked[0] != NULL)
    gp_secret_error_set_locked (error);
  return password;
}

static gboolean
check_default_collection (GpSecretStore  *self,
                          SecretService  *service,
                          Call           *call,
                          GError        **error)
{
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) local_error = NULL;

  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, call->cancellable, &local_error);
  if (local_error != NULL)
    {
      gp_secret_translate_error (call, local_error, error);
      return FALSE;
    }

  /* Creating a keyring would need a prompt: leave that to the desktop. */
  if (collection == NULL)
    {
      g_set_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_NO_KEYRING,
                   _("The Secret Service has no default keyring; create one with the "
                     "Passwords and Keys application and try again"));
      return FALSE;
    }

  if (secret_collection_get_locked (collection) && !self->allow_prompt)
    return gp_secret_error_set_locked (error);

  return TRUE;
}

gboolean
gp_secret_store_store (GpSecretStore  *self,
                       const char     *profile_id,
                       const char     *username,
                       const char     *label,
                       const char     *password,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(Call) call = { 0 };

  g_return_val_if_fail (GP_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (profile_id != NULL && username != NULL, FALSE);
  g_return_val_if_fail (label != NULL && password != NULL, FALSE);

  gp_secret_call_begin (&call, self, cancellable);
  if (self->file)
    return gp_secret_file_store (&call, profile_id, username, label, password, error);
  service = gp_secret_get_service (self, &call, error);
  if (service == NULL || !check_default_collection (self, service, &call, error))
    return FALSE;

  attributes = gp_secret_make_attributes (profile_id, username);
  value = secret_value_new (password, -1, "text/plain");
  if (!secret_service_store_sync (service, &gp_secret_schema, attributes, SECRET_COLLECTION_DEFAULT,
                                  label, value, call.cancellable, &local_error))
    {
      gp_secret_translate_error (&call, local_error, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
item_has_username (SecretItem *item,
                   const char *username)
{
  g_autoptr(GHashTable) attributes = secret_item_get_attributes (item);

  return g_strcmp0 (g_hash_table_lookup (attributes, "username"), username) == 0;
}

/* Deletes the profile's items (only username's, when given) except those
 * of keep_username (when given). Nothing is deleted when any of them is
 * locked: a half-done deletion would be worse than none. */
static gboolean
delete_items (GpSecretStore  *self,
              const char     *profile_id,
              const char     *username,
              const char     *keep_username,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(Call) call = { 0 };
  GList *items;

  gp_secret_call_begin (&call, self, cancellable);
  if (self->file)
    return gp_secret_file_delete (&call, profile_id, username, keep_username, error);
  service = gp_secret_get_service (self, &call, error);
  if (service == NULL)
    return FALSE;

  attributes = gp_secret_make_attributes (profile_id, username);
  items = search_items (self, service, attributes, FALSE, &call, &local_error);
  if (local_error == NULL && any_locked (items))
    gp_secret_error_set_locked (&local_error);

  for (GList *l = items; l != NULL && local_error == NULL; l = l->next)
    {
      g_autoptr(GError) delete_error = NULL;

      if (keep_username != NULL && item_has_username (l->data, keep_username))
        continue;
      if (!secret_item_delete_sync (l->data, call.cancellable, &delete_error))
        gp_secret_translate_error (&call, delete_error, &local_error);
    }

  g_list_free_full (items, g_object_unref);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Deletes the profile's items whose username is not keep_username (NULL:
 * every item), so that items left behind by an earlier username go too.
 * Nothing is deleted when any of them is locked. */
gboolean
gp_secret_store_clear_except (GpSecretStore  *self,
                              const char     *profile_id,
                              const char     *keep_username,
                              GCancellable   *cancellable,
                              GError        **error)
{
  g_return_val_if_fail (GP_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);

  return delete_items (self, profile_id, NULL, keep_username, cancellable, error);
}

/* Deletes every item of the profile, whatever its username. */
gboolean
gp_secret_store_clear (GpSecretStore  *self,
                       const char     *profile_id,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return gp_secret_store_clear_except (self, profile_id, NULL, cancellable, error);
}

/* Deletes the item(s) of exactly (profile, username) and nothing else:
 * what undoes one addition, or drops the item under an old username.
 * Nothing is deleted when one of them is locked; none at all is fine. */
gboolean
gp_secret_store_clear_one (GpSecretStore  *self,
                           const char     *profile_id,
                           const char     *username,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_return_val_if_fail (GP_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (profile_id != NULL && username != NULL, FALSE);

  return delete_items (self, profile_id, username, NULL, cancellable, error);
}

/* Which (profile, username) pairs have an item, and whether it is locked:
 * the answer of one keyring search, for display. */
struct _GpKeyringListing
{
  gatomicrefcount  ref_count;
  GHashTable      *items;    /* "id\nusername" → ItemState */
};

typedef enum
{
  ITEM_ABSENT,
  ITEM_UNLOCKED,
  ITEM_LOCKED,
} ItemState;

G_DEFINE_BOXED_TYPE (GpKeyringListing, gp_keyring_listing, gp_keyring_listing_ref, gp_keyring_listing_unref)

static int
compare_strings (const char **a,
                    const char **b)
{
  return g_strcmp0 (*a, *b);
}

static char *
listing_key (const char *profile_id,
             const char *username)
{
  /* Neither ids nor usernames may hold a control character. */
  return g_strconcat (profile_id, "\n", username, NULL);
}

GpKeyringListing *
gp_keyring_listing_new (void)
{
  GpKeyringListing *self = g_new0 (GpKeyringListing, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
gp_keyring_listing_add (GpKeyringListing *self,
                        const char       *profile_id,
                        const char       *username,
                        gboolean          locked)
{
  g_hash_table_insert (self->items, listing_key (profile_id, username),
                       GINT_TO_POINTER (locked ? ITEM_LOCKED : ITEM_UNLOCKED));
}

GpKeyringListing *
gp_keyring_listing_ref (GpKeyringListing *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gp_keyring_listing_unref (GpKeyringListing *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_hash_table_unref (self->items);
  g_free (self);
}

static ItemState
listing_state (GpKeyringListing *self,
               const char       *profile_id,
               const char       *username)
{
  g_autofree char *key = NULL;

  if (profile_id == NULL || username == NULL)
    return ITEM_ABSENT;
  key = listing_key (profile_id, username);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->items, key));
}

gboolean
gp_keyring_listing_has (GpKeyringListing *self,
                        const char       *profile_id,
                        const char       *username)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return listing_state (self, profile_id, username) != ITEM_ABSENT;
}

/* Every listed item, as "profile id\nusername" strings, sorted: for
 * clear-stale, which looks for items that no profile uses. */
GStrv
gp_keyring_listing_get_keys (GpKeyringListing *self)
{
  g_autofree gpointer *keys = NULL;
  GStrv copy;
  guint n;

  g_return_val_if_fail (self != NULL, NULL);
  keys = g_hash_table_get_keys_as_array (self->items, &n);
  copy = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    copy[i] = g_strdup (keys[i]);
  qsort (copy, n, sizeof (char *), (int (*) (const void *, const void *)) compare_strings);
  return copy;
}

/* Whether the listed item of the profile is locked: the password is
 * there, but cannot be read until the keyring is unlocked. */
gboolean
gp_keyring_listing_is_locked (GpKeyringListing *self,
                              const char       *profile_id,
                              const char       *username)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return listing_state (self, profile_id, username) == ITEM_LOCKED;
}

/* No secret is read, so a locked keyring answers this too. */
GpKeyringListing *
gp_secret_store_list (GpSecretStore  *self,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(Call) call = { 0 };
  GpKeyringListing *listing;
  GList *items;

  g_return_val_if_fail (GP_IS_SECRET_STORE (self), NULL);

  gp_secret_call_begin (&call, self, cancellable);
  if (self->file)
    return gp_secret_file_list (&call, error);
  service = gp_secret_get_service (self, &call, error);
  if (service == NULL)
    return NULL;

  attributes = gp_secret_make_attributes (NULL, NULL);
  items = secret_service_search_sync (service, &gp_secret_schema, attributes, SECRET_SEARCH_ALL,
                                      call.cancellable, &local_error);
  if (local_error != NULL)
    {
      gp_secret_translate_error (&call, local_error, error);
      return NULL;
    }

  listing = gp_keyring_listing_new ();
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) item_attributes = secret_item_get_attributes (l->data);
      const char *id = g_hash_table_lookup (item_attributes, "profile");
      const char *username = g_hash_table_lookup (item_attributes, "username");

      if (id != NULL && username != NULL)
        gp_keyring_listing_add (listing, id, username, secret_item_get_locked (l->data));
    }

  g_list_free_full (items, g_object_unref);
  return listing;
}

/* Asks the Secret Service to unlock the default keyring; it prompts the
 * user. Only the window calls this: headless never prompts. */
gboolean
gp_secret_store_unlock (GpSecretStore  *self,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(Call) call = { 0 };
  GList *objects;
  int n_unlocked;

  g_return_val_if_fail (GP_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (self->allow_prompt, FALSE);

  gp_secret_call_begin (&call, self, cancellable);
  if (self->file)
    return gp_secret_file_unlock (&call, error);
  service = gp_secret_get_service (self, &call, error);
  if (service == NULL)
    return FALSE;

  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                                                 call.cancellable, &local_error);
  if (collection == NULL)
    {
      if (local_error != NULL)
        gp_secret_translate_error (&call, local_error, error);
      else
        g_set_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_NO_KEYRING,
                     _("The Secret Service has no default keyring"));
      return FALSE;
    }

  objects = g_list_append (NULL, collection);
  n_unlocked = secret_service_unlock_sync (service, objects, call.cancellable, NULL, &local_error);
  g_list_free (objects);
  if (local_error != NULL)
    {
      gp_secret_translate_error (&call, local_error, error);
      return FALSE;
    }
  if (n_unlocked == 0)
    return gp_secret_error_set_locked (error);
  return TRUE;
}

