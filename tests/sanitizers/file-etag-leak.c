/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reproducer: no Gatepass code, only libsecret. A store, a clear and a
 * store again (secret_password_store_sync, secret_password_clear_sync) on
 * libsecret's keyring file (SECRET_BACKEND=file, as inside the Flatpak, with
 * a fixed key instead of the Secret portal's): LeakSanitizer reports the
 * etag strings of the file's earlier versions, each under the call that
 * wrote that version (one under storev, one under clearv).
 * libsecret 0.20.5's on_replace_contents (secret-file-collection.c) passes
 * &self->etag to g_file_replace_contents_finish, which overwrites the etag
 * that the load (or the previous write) left there without freeing it. The
 * allocation's only libsecret frame is secret_password_storev_sync.
 *
 *   tests/sanitizers/reproduce.sh file-etag-leak
 */
#include <libsecret/secret.h>

static const SecretSchema schema = {
  "io.github.gatepass.SanitizerReproducer", SECRET_SCHEMA_NONE,
  { { "key", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
};

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("file-etag-leak-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "default.keyring", NULL);
  GError *error = NULL;

  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "reproducer", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
  if (!secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "reproducer", "pw",
                                   NULL, &error, "key", "v", NULL))
    g_error ("store: %s", error->message);
  if (!secret_password_clear_sync (&schema, NULL, &error, "key", "v", NULL))
    g_error ("clear: %s", error != NULL ? error->message : "nothing to clear");
  if (!secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "reproducer", "pw",
                                   NULL, &error, "key", "v", NULL))
    g_error ("store: %s", error->message);
  g_print ("stored, cleared and stored again in %s\n", path);
  return 0;
}
