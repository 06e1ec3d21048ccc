/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reproducer for the secret_password_searchv_sync suppression in lsan.supp:
 * no Gatepass code, only libsecret. Stores one item, searches for it, frees
 * the result exactly as documented (g_list_free_full + g_object_unref) and
 * drops the default SecretService. LeakSanitizer still reports the
 * SecretItem proxies' allocations (secret_item_new_for_dbus_path under
 * secret_password_searchv_sync) and GDBus messages kept by them.
 *
 *   tests/sanitizers/reproduce.sh searchv-leak
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
  GList *items;

  if (!secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "reproducer", "pw",
                                   NULL, &error, "key", "v", NULL))
    g_error ("store: %s", error->message);

  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (gpointer) "key", (gpointer) "v");
  for (int i = 0; i < 5; i++)
    {
      items = secret_password_searchv_sync (&schema, attributes, SECRET_SEARCH_ALL, NULL, &error);
      if (error != NULL)
        g_error ("search: %s", error->message);
      g_print ("%u item(s)\n", g_list_length (items));
      g_list_free_full (items, g_object_unref);
    }
  g_hash_table_unref (attributes);

  secret_password_clear_sync (&schema, NULL, NULL, "key", "v", NULL);
  secret_service_disconnect ();
  return 0;
}
