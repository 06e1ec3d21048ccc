/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-no-proxy.h"
#include "gp-profile-file.h"
#include "gp-profile-store.h"
#include "gp-proxy-url.h"

/* Reading profiles.ini: what GKeyFile accepts is checked once more, line
 * by line, so that a file means one thing only, and each profile is
 * validated as the command line validates input. Errors name the path
 * and line (GP_PROFILE_STORE_ERROR_CORRUPT). */

static guint
find_bad_line (const char *data,
               gsize       length)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *copy = g_strndup (data, length);

  if (strlen (copy) != length)
    {
      /* A NUL byte: count the lines before it. */
      guint line = 1;
      for (const char *p = copy; *p; p++)
        line += *p == '\n';
      return line;
    }

  lines = g_strsplit (copy, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      while (g_ascii_isspace (*line))
        line++;
      if (!g_utf8_validate (line, -1, NULL))
        return i + 1;
      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '[' ? strchr (line, ']') == NULL : strchr (line, '=') == NULL)
        return i + 1;
    }

  return 0;
}

static guint
find_group_line (const char *data,
                 const char *group)
{
  g_autofree char *header = g_strdup_printf ("[%s]", group);
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strcmp (g_strstrip (lines[i]), header) == 0)
      return i + 1;
  return 0;
}

/* No path: the text is not a file yet (a save checks what it would write),
 * and the advice about correcting the file does not apply. */
static void
set_corrupt (GError     **error,
             const char  *path,
             guint        line,
             const char  *message)
{
  if (path == NULL && line > 0)
    g_set_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_CORRUPT,
                 _("line %u: %s"), line, message);
  else if (path == NULL)
    g_set_error_literal (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_CORRUPT, message);
  else if (line > 0)
    g_set_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_CORRUPT,
                 _("%s:%u: %s. Correct the file or move it away; Gatepass will not overwrite it until then"),
                 path, line, message);
  else
    g_set_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_CORRUPT,
                 _("%s: %s. Correct the file or move it away; Gatepass will not overwrite it until then"),
                 path, message);
}

/* ---- what GKeyFile accepts but reads otherwise than it writes ---------- */

/* The group name as GKeyFile takes it: up to the first "]". */
static char *
group_name (const char *line)
{
  const char *end = strchr (line, ']');

  return g_strndup (line + 1, end != NULL ? end - line - 1 : 0);
}

static char *
key_name (const char *line)
{
  const char *end = strchr (line, '=');

  if (end == NULL)
    return NULL;
  while (end > line && g_ascii_isspace (end[-1]))
    end--;
  return g_strndup (line, end - line);
}

/* GKeyFile checks Encoding= only in the first group; a save that removes
 * that group would move a later one's to the front, and then every load
 * fails. Accept there only what the first group would accept. */
static gboolean
is_bad_encoding (const char *key,
                 const char *line,
                 gboolean    first_group)
{
  const char *value;

  if (first_group || strcmp (key, "Encoding") != 0)
    return FALSE;
  value = strchr (line, '=') + 1;
  while (g_ascii_isspace (*value))
    value++;
  return g_ascii_strcasecmp (value, "UTF-8") != 0;
}

static char *
check_group_line (GHashTable *groups,
                  const char *group,
                  guint       number)
{
  guint first = GPOINTER_TO_UINT (g_hash_table_lookup (groups, group));

  if (first != 0)
    return g_strdup_printf (_("the group [%s] appears a second time (first on line %u)"),
                            group, first);
  g_hash_table_insert (groups, g_strdup (group), GUINT_TO_POINTER (number));
  return NULL;
}

static char *
check_key_line (GHashTable *keys,
                const char *group,
                const char *line,
                guint       number,
                gboolean    first_group)
{
  g_autofree char *key = key_name (line);
  g_autofree char *where = NULL;
  guint first;

  if (key == NULL)
    return NULL;
  if (is_bad_encoding (key, line, first_group))
    return g_strdup_printf (_("“%s” in [%s]: Gatepass reads only UTF-8 files"), line, group);

  where = g_strconcat (group, "\n", key, NULL);
  first = GPOINTER_TO_UINT (g_hash_table_lookup (keys, where));
  if (first != 0)
    return g_strdup_printf (_("the key “%s” appears a second time in [%s] (first on line %u), "
                              "and only one of them can count"), key, group, first);
  g_hash_table_insert (keys, g_steal_pointer (&where), GUINT_TO_POINTER (number));
  return NULL;
}

/* GKeyFile keeps both copies of a repeated key and reads the last, and
 * merges a repeated group into the first: a later save would then write
 * back a value that never took effect (an old https-proxy, say). Called
 * once GKeyFile has taken the file, so every key line is in a group. */
static gboolean
check_lines (const char  *path,
             const char  *data,
             GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *group = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *message = NULL;
      char *line = lines[i];
      gsize length;

      while (g_ascii_isspace (*line))
        line++;
      /* GKeyFile drops the "\r" of a "\r\n". */
      length = strlen (line);
      if (length > 0 && line[length - 1] == '\r')
        line[length - 1] = '\0';
      if (*line == '\0' || *line == '#')
        continue;

      if (*line == '[')
        {
          g_free (group);
          group = group_name (line);
          message = check_group_line (groups, group, i + 1);
        }
      else if (group != NULL)
        message = check_key_line (keys, group, line, i + 1, g_hash_table_size (groups) == 1);

      if (message != NULL)
        {
          set_corrupt (error, path, i + 1, message);
          return FALSE;
        }
    }

  return TRUE;
}

/* A boolean key: absent is FALSE; anything but true or false is refused. */
static gboolean
read_flag (GKeyFile    *keyfile,
           const char  *group,
           const char  *key,
           gboolean    *flag,
           GError     **error)
{
  g_autofree char *text = g_key_file_get_string (keyfile, group, key, NULL);

  *flag = g_strcmp0 (text, "true") == 0;
  if (text == NULL || *flag || g_strcmp0 (text, "false") == 0)
    return TRUE;
  g_set_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_CORRUPT,
               _("%s=%s is neither true nor false"), key, text);
  return FALSE;
}

static GpProfile *
read_profile (GKeyFile    *keyfile,
              const char  *group,
              GError     **error)
{
  const char *id = group + strlen (GP_PROFILE_GROUP_PREFIX);
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProxyUrl) url = NULL;
  g_autofree char *url_text = NULL;
  g_autofree char *auth_text = NULL;
  g_autofree char *https_proxy = NULL;
  g_autofree char *username = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) no_proxy = NULL;
  GpAuthMode auth;
  gboolean session_credentials, gnome_proxy;

  if (!gp_profile_is_valid_id (id))
    {
      g_set_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_CORRUPT,
                   _("the profile id “%s” may hold only letters, digits, “-”, “_” and “.”"), id);
      return NULL;
    }

  name = g_key_file_get_string (keyfile, group, "name", NULL);
  url_text = g_key_file_get_string (keyfile, group, "url", NULL);
  https_proxy = g_key_file_get_string (keyfile, group, "https-proxy", NULL);
  username = g_key_file_get_string (keyfile, group, "username", NULL);
  auth_text = g_key_file_get_string (keyfile, group, "auth", NULL);
  no_proxy = g_key_file_get_string_list (keyfile, group, "no-proxy", NULL, NULL);

  if (auth_text == NULL)
    auth = username != NULL ? GP_AUTH_PASSWORD : GP_AUTH_NONE;
  else if (!gp_auth_mode_from_string (auth_text, &auth))
    {
      g_set_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_CORRUPT,
                   _("auth=%s is not one of password, ip, none"), auth_text);
      return NULL;
    }

  if (!read_flag (keyfile, group, "session-credentials", &session_credentials, error) ||
      !read_flag (keyfile, group, "gnome-proxy", &gnome_proxy, error))
    return NULL;

  profile = gp_profile_new (id);
  gp_profile_set_session_credentials (profile, session_credentials);
  gp_profile_set_gnome_proxy (profile, gnome_proxy);
  gp_profile_set_name (profile, name);
  gp_profile_set_url (profile, url_text);
  gp_profile_set_https_proxy (profile, https_proxy);
  gp_profile_set_no_proxy (profile, (const char * const *) no_proxy);
  gp_profile_set_username (profile, username);
  gp_profile_set_auth (profile, auth);

  if (!gp_profile_validate (profile, error))
    return NULL;

  return g_steal_pointer (&profile);
}

gboolean
gp_profile_file_read_profiles (const char  *path,
                               GKeyFile    *keyfile,
                               const char  *data,
                               GPtrArray   *profiles,
                               GError     **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (keyfile, NULL);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      GpProfile *profile;

      if (!g_str_has_prefix (groups[i], GP_PROFILE_GROUP_PREFIX))
        continue;

      profile = read_profile (keyfile, groups[i], &local_error);
      if (profile == NULL)
        {
          set_corrupt (error, path, find_group_line (data, groups[i]), local_error->message);
          return FALSE;
        }

      g_ptr_array_add (profiles, profile);
      if (!g_hash_table_add (names, (gpointer) gp_profile_get_name (profile)))
        {
          g_autofree char *message =
            g_strdup_printf (_("a second profile is named “%s”"), gp_profile_get_name (profile));
          set_corrupt (error, path, find_group_line (data, groups[i]), message);
          return FALSE;
        }
    }

  return TRUE;
}

GKeyFile *
gp_profile_file_parse (const char  *path,
                       const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  /* GKeyFile reads a NUL as the end of a line and keeps invalid UTF-8 in
   * keys it is never asked about: refuse both, where they stand. */
  if (memchr (data, '\0', length) != NULL || !g_utf8_validate (data, length, NULL))
    {
      set_corrupt (error, path, find_bad_line (data, length),
                   _("the file holds a NUL byte or invalid UTF-8"));
      return NULL;
    }

  if (!g_key_file_load_from_data (keyfile, data, length,
                                  G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS,
                                  &local_error))
    {
      set_corrupt (error, path, find_bad_line (data, length), local_error->message);
      return NULL;
    }

  if (!check_lines (path, data, error))
    return NULL;

  return g_steal_pointer (&keyfile);
}

