/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-stale.h"

/* Proxy URLs with credentials in files Gatepass did not write: listed
 * with the file and the line, never the secret, and never edited (they
 * are the user's or the administrator's to change). */

/* scheme://user:password@ (the password may be empty), anywhere in a
 * line: shell exports, /etc/environment, apt's Acquire::http::Proxy. */
#define USERINFO_PATTERN "[a-zA-Z][a-zA-Z0-9+.-]*://([^\\s/@:'\"]*:[^\\s/@'\"]*)@"

char *
gp_stale_find_userinfo (const char *text)
{
  static gsize once;
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;

  if (g_once_init_enter (&once))
    {
      regex = g_regex_new (USERINFO_PATTERN, G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&once, 1);
    }

  if (!g_utf8_validate (text, -1, NULL) || !g_regex_match (regex, text, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static char *
shown_path (const char *path)
{
  const char *home = g_get_home_dir ();
  gsize length = strlen (home);

  if (g_str_has_prefix (path, home) && path[length] == '/')
    return g_strconcat ("~", path + length, NULL);
  return g_strdup (path);
}

static void
scan_file (GPtrArray  *findings,
           const char *path)
{
  g_autofree char *data = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &data, NULL, NULL))
    return;
  lines = g_strsplit (data, "\n", -1);
  explicit_bzero (data, strlen (data));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *userinfo = gp_stale_find_userinfo (lines[i]);
      g_autofree char *shown = NULL;
      GpStaleFinding *finding;

      explicit_bzero (lines[i], strlen (lines[i]));
      if (userinfo == NULL)
        continue;
      explicit_bzero (userinfo, strlen (userinfo));

      shown = shown_path (path);
      finding = g_new0 (GpStaleFinding, 1);
      finding->kind = GP_STALE_ENVIRONMENT_COPY;
      finding->location = g_strdup (path);
      finding->line = i + 1;
      finding->explanation =
        g_strdup_printf (_("Line %u of %s holds a proxy URL with a password in plain text; Gatepass "
                           "does not edit that file: remove the password there, and let Gatepass "
                           "supply it from the keyring"), i + 1, shown);
      g_ptr_array_add (findings, finding);
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

#define APT_CONF_D "/etc/apt/apt.conf.d"

/* apt reads every file in apt.conf.d: scan them in its order. */
static void
scan_folder (GPtrArray  *findings,
             const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (folder, g_ptr_array_index (names, i), NULL);

      scan_file (findings, path);
    }
}

static const char * const in_home[] = {
  ".profile", ".bash_profile", ".bashrc", ".zprofile", ".zshrc", ".config/fish/config.fish",
};

/* In the order they are scanned; the folder stands for every file in it. */
GStrv
gp_stale_scanned_files (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (in_home); i++)
    {
      g_autofree char *path = g_build_filename (g_get_home_dir (), in_home[i], NULL);

      g_strv_builder_add (builder, path);
    }
  g_strv_builder_add_many (builder, "/etc/environment", "/etc/apt/apt.conf", APT_CONF_D, NULL);
  return g_strv_builder_end (builder);
}

void
gp_stale_scan_files (GPtrArray *findings)
{
  g_auto(GStrv) paths = gp_stale_scanned_files ();

  for (guint i = 0; paths[i] != NULL; i++)
    {
      if (g_str_equal (paths[i], APT_CONF_D))
        scan_folder (findings, paths[i]);
      else
        scan_file (findings, paths[i]);
    }
}
