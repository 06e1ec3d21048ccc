/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reproducer: no Gatepass code, only libsecret. One
 * secret_service_get_secret_for_dbus_path_sync, its SecretValue unreffed:
 * LeakSanitizer reports the GetSecrets reply body (a GVariant built in
 * g_dbus_message_new_from_blob on GDBus's worker thread), i.e. libsecret
 * keeps a reference to the reply. The allocation stack has no libsecret
 * frame, so it cannot be suppressed by one.
 *
 *   tests/sanitizers/reproduce.sh get-secret-leak
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
  SecretValue *value;
  gchar **unlocked = NULL;

  if (!secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "reproducer", "pw",
                                   NULL, &error, "key", "v", NULL))
    g_error ("store: %s", error->message);
  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  if (service == NULL)
    g_error ("service: %s", error->message);
  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (gpointer) "key", (gpointer) "v");
  if (!secret_service_search_for_dbus_paths_sync (service, &schema, attributes, NULL, &unlocked, NULL, &error))
    g_error ("search: %s", error->message);
  value = secret_service_get_secret_for_dbus_path_sync (service, unlocked[0], NULL, &error);
  g_print ("%s\n", value != NULL ? secret_value_get_text (value) : "(none)");
  secret_value_unref (value);
  g_strfreev (unlocked);
  g_hash_table_unref (attributes);
  secret_password_clear_sync (&schema, NULL, NULL, "key", "v", NULL);
  g_object_unref (service);
  secret_service_disconnect ();
  return 0;
}
