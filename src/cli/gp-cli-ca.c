/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "gp-ca.h"
#include "gp-cli-private.h"

/* --ca-file of add and edit: the file (or standard input) is read and
 * checked before anything changes, so that a wrong file is refused with
 * exit 2 and every file stays as it was. */

static GBytes *
read_stdin (GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint8 chunk[4096];
  ssize_t n;

  while ((n = read (STDIN_FILENO, chunk, sizeof chunk)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot read the CA certificate from standard input: %s"), g_strerror (saved_errno));
          return NULL;
        }
      g_byte_array_append (bytes, chunk, n);
      /* One byte past the limit is enough for the check to refuse it. */
      if (bytes->len > GP_CA_MAX_BYTES)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static GBytes *
read_file (const char  *path,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local = NULL;
  char *contents = NULL;
  gsize length = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local);
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_clear_error (&local);
      g_set_error_literal (&local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("there is no such file"));
    }
  else if (info != NULL && g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    g_set_error_literal (&local, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, _("it is not a regular file"));
  else if (info != NULL && g_file_info_get_size (info) > GP_CA_MAX_BYTES)
    g_set_error_literal (&local, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("it is larger than 1 MiB, and a CA certificate is a few KiB"));
  if (local == NULL && g_file_load_contents (file, NULL, &contents, &length, NULL, &local))
    return g_bytes_new_take (contents, length);

  /* The user named the wrong file: bad input, exit 2. */
  g_set_error (error, GP_CA_ERROR, GP_CA_ERROR_INVALID, _("Cannot read the CA file %s: %s"), path,
               local->message);
  return NULL;
}

/* Reads and checks --ca-file's PATH ("-": standard input). Returns the
 * PEM to keep, or NULL with error (GP_CA_ERROR_INVALID: exit 2). An empty
 * PATH is handled by the caller: it removes the CA. */
char *
gp_cli_read_ca_file (const char  *path,
                     GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  const char *data;
  gsize length;
  char *pem;

  bytes = g_strcmp0 (path, "-") == 0 ? read_stdin (error) : read_file (path, error);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &length);
  pem = gp_ca_check_pem (data, length, NULL, &local);
  if (pem == NULL)
    g_set_error (error, local->domain, local->code, "%s: %s",
                 g_strcmp0 (path, "-") == 0 ? _("standard input") : path, local->message);
  return pem;
}
