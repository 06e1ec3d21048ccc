/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "gp-ca.h"
#include "gp-profile.h"

/* A profile's CA lives in $XDG_DATA_HOME/gatepass/ca/ID.pem: a copy, so
 * that it still works when the user's file moves, and inside the
 * sandbox, which sees only its own data folder. Beside it, ID-bundle.pem
 * holds the system's CAs followed by that CA: most clients take one
 * file in place of the system bundle (CURL_CA_BUNDLE, SSL_CERT_FILE…),
 * so they trust both. Certificates are public: the files are 0644. */

/* Where distributions keep the system bundle, Debian's (and the GNOME
 * runtime's) first. */
static const char * const system_bundles[] = {
  "/etc/ssl/certs/ca-certificates.crt",
  "/etc/pki/tls/certs/ca-bundle.crt",
  "/etc/ssl/ca-bundle.pem",
  "/etc/ssl/cert.pem",
};

char *
gp_ca_store_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "gatepass", "ca", NULL);
}

static char *
file_in_store (const char *profile_id,
               const char *suffix)
{
  g_autofree char *dir = gp_ca_store_dir ();
  g_autofree char *name = g_strconcat (profile_id, suffix, NULL);

  g_return_val_if_fail (gp_profile_is_valid_id (profile_id), NULL);
  return g_build_filename (dir, name, NULL);
}

char *
gp_ca_store_path (const char *profile_id)
{
  return file_in_store (profile_id, ".pem");
}

char *
gp_ca_store_bundle_path (const char *profile_id)
{
  return file_in_store (profile_id, "-bundle.pem");
}

gboolean
gp_ca_store_has (const char *profile_id)
{
  g_autofree char *path = gp_ca_store_path (profile_id);

  return path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* Whether path is one of the files of this store: the variables that
 * point there are Gatepass's to unset. */
gboolean
gp_ca_is_ours (const char *path)
{
  g_autofree char *dir = gp_ca_store_dir ();
  gsize length = strlen (dir);

  return path != NULL && strncmp (path, dir, length) == 0 && path[length] == G_DIR_SEPARATOR;
}

/* The profile's CA as PEM; NULL without an error when it has none. */
char *
gp_ca_store_read (const char  *profile_id,
                  GError     **error)
{
  g_autofree char *path = gp_ca_store_path (profile_id);
  g_autoptr(GError) local = NULL;
  char *pem = NULL;

  if (g_file_get_contents (path, &pem, NULL, &local))
    return pem;
  if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_set_error (error, GP_CA_ERROR, GP_CA_ERROR_FAILED, _("Cannot read the CA certificate %s: %s"),
                 path, local->message);
  return NULL;
}

static gboolean
write_file (const char  *path,
            const char  *contents,
            gsize        length,
            GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) local = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, GP_CA_ERROR, GP_CA_ERROR_FAILED, _("Cannot create the folder %s: %s"), dir,
                   g_strerror (saved_errno));
      return FALSE;
    }
  if (!g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error_literal (error, GP_CA_ERROR, GP_CA_ERROR_FAILED, local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
remove_file (const char  *path,
             GError     **error)
{
  int saved_errno;

  if (g_unlink (path) == 0 || (saved_errno = errno) == ENOENT)
    return TRUE;
  g_set_error (error, GP_CA_ERROR, GP_CA_ERROR_FAILED, _("Cannot remove %s: %s"), path,
               g_strerror (saved_errno));
  return FALSE;
}

/* Installs pem (checked by gp_ca_check_pem ()) as the profile's CA, in
 * place of any other, atomically. The old bundle goes, so that the next
 * export builds one with the new CA. */
gboolean
gp_ca_store_install (const char  *profile_id,
                     const char  *pem,
                     GError     **error)
{
  g_autofree char *path = gp_ca_store_path (profile_id);
  g_autofree char *bundle = gp_ca_store_bundle_path (profile_id);

  g_return_val_if_fail (path != NULL && pem != NULL, FALSE);
  return remove_file (bundle, error) && write_file (path, pem, strlen (pem), error);
}

/* Removes the profile's CA and bundle; having none is no error. */
gboolean
gp_ca_store_remove (const char  *profile_id,
                    GError     **error)
{
  g_autofree char *path = gp_ca_store_path (profile_id);
  g_autofree char *bundle = gp_ca_store_bundle_path (profile_id);

  g_return_val_if_fail (path != NULL, FALSE);
  return remove_file (path, error) && remove_file (bundle, error);
}

/* The system's CA bundle, or NULL on a system with none we know. */
const char *
gp_ca_system_bundle (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (system_bundles); i++)
    if (g_file_test (system_bundles[i], G_FILE_TEST_IS_REGULAR))
      return system_bundles[i];
  return NULL;
}

static gint64
stat_ns (const struct stat *info)
{
  return (gint64) info->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + info->st_mtim.tv_nsec;
}

static gint64
modified_ns (const char *path)
{
  struct stat info;

  if (stat (path, &info) != 0)
    return -1;
  return stat_ns (&info);
}

/* Which version of the file at path this is (its modification time to
 * the nanosecond, and its size), or NULL when there is none: what the
 * tester's cached CA database and export's wget note are kept for. */
char *
gp_ca_store_file_stamp (const char *path)
{
  struct stat info;

  if (path == NULL || stat (path, &info) != 0)
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, stat_ns (&info), (gint64) info.st_size);
}

static gboolean
bundle_is_current (const char *bundle,
                   const char *ca,
                   const char *system)
{
  gint64 built = modified_ns (bundle);

  return built >= 0 && built >= modified_ns (ca) && (system == NULL || built >= modified_ns (system));
}

static gboolean
build_bundle (const char  *bundle,
              const char  *ca,
              const char  *system,
              GError     **error)
{
  g_autofree char *system_pem = NULL;
  g_autofree char *ca_pem = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;
  gsize system_length = 0;

  if (system != NULL && !g_file_get_contents (system, &system_pem, &system_length, &local))
    {
      g_set_error (error, GP_CA_ERROR, GP_CA_ERROR_FAILED, _("Cannot read the system's CA bundle: %s"),
                   local->message);
      return FALSE;
    }
  if (!g_file_get_contents (ca, &ca_pem, NULL, &local))
    {
      g_set_error (error, GP_CA_ERROR, GP_CA_ERROR_FAILED, _("Cannot read the CA certificate: %s"),
                   local->message);
      return FALSE;
    }
  contents = g_strconcat (system_pem != NULL ? system_pem : "",
                          system_length > 0 && system_pem[system_length - 1] != '\n' ? "\n" : "",
                          ca_pem, NULL);
  return write_file (bundle, contents, strlen (contents), error);
}

/* The path of the profile's bundle (the system's CAs and the profile's),
 * built when it is missing or older than either; NULL without an error
 * when the profile has no CA. *rebuilt says whether it was built now. */
char *
gp_ca_store_ensure_bundle (const char  *profile_id,
                           gboolean    *rebuilt,
                           GError     **error)
{
  g_autofree char *ca = gp_ca_store_path (profile_id);
  g_autofree char *bundle = gp_ca_store_bundle_path (profile_id);
  const char *system = gp_ca_system_bundle ();

  if (rebuilt != NULL)
    *rebuilt = FALSE;
  if (ca == NULL || !g_file_test (ca, G_FILE_TEST_IS_REGULAR))
    return NULL;
  if (bundle_is_current (bundle, ca, system))
    return g_steal_pointer (&bundle);
  if (!build_bundle (bundle, ca, system, error))
    return NULL;
  if (rebuilt != NULL)
    *rebuilt = TRUE;
  return g_steal_pointer (&bundle);
}
