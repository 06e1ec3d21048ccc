/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reproducer for the secret_service_unlock_sync suppression in lsan.supp:
 * no Gatepass code, only libsecret. Stores one item, locks the default
 * keyring (as a screen locker does), then searches for the item with
 * SECRET_SEARCH_UNLOCK, as the window does (it may prompt). The test
 * session has no prompter, so the unlock ends without unlocking; the
 * result is freed as documented and the service dropped. LeakSanitizer
 * reports a GPtrArray allocated inside libsecret's unlock
 * (g_ptr_array_new_with_free_func under secret_service_unlock_sync).
 *
 *   tests/sanitizers/reproduce.sh unlock-search-leak
 */
#define SECRET_API_SUBJECT_TO_CHANGE
#include <libsecret/secret.h>

static const SecretSchema schema = {
  "io.github.gatepass.SanitizerReproducer", SECRET_SCHEMA_NONE,
  { { "key", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
};

int
main (void)
{
  GError *error = NULL;
  GHashTable *attributes;
  SecretService *service;
  SecretCollection *collection;
  GList *items, *locked = NULL;

  if (!secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "reproducer", "pw",
                                   NULL, &error, "key", "v", NULL))
    g_error ("store: %s", error->message);

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  if (service == NULL)
    g_error ("service: %s", error->message);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  if (collection == NULL)
    g_error ("collection: %s", error->message);
  locked = g_list_append (locked, collection);
  secret_service_lock_sync (service, locked, NULL, NULL, &error);
  g_clear_error (&error);

  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (gpointer) "key", (gpointer) "v");
  items = secret_service_search_sync (service, &schema, attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, NULL, &error);
  g_print ("%u item(s), %s\n", g_list_length (items), error != NULL ? error->message : "no error");
  g_clear_error (&error);
  g_list_free_full (items, g_object_unref);
  g_hash_table_unref (attributes);
  g_list_free (locked);
  g_object_unref (collection);
  g_object_unref (service);
  secret_service_disconnect ();
  return 0;
}
