/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-no-proxy.h"

G_DEFINE_QUARK (gp-no-proxy-error-quark, gp_no_proxy_error)

/* What curl, wget, Python, Go and Node all understand: host and domain
 * names, IP addresses with an optional prefix length, and "*" alone. */
gboolean
gp_no_proxy_validate_entry (const char  *entry,
                            GError     **error)
{
  if (entry == NULL || *entry == '\0')
    {
      g_set_error (error, GP_NO_PROXY_ERROR, GP_NO_PROXY_ERROR_INVALID,
                   _("The no-proxy list has an empty entry"));
      return FALSE;
    }

  if (strcmp (entry, "*") == 0)
    return TRUE;

  for (const char *p = entry; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr (".-_:/[]", *p) == NULL)
        {
          g_set_error (error, GP_NO_PROXY_ERROR, GP_NO_PROXY_ERROR_INVALID,
                       _("The no-proxy entry “%s” is not a host name, domain or address; "
                         "separate entries with commas"), entry);
          return FALSE;
        }
    }

  return TRUE;
}

static char *
normalize_entry (const char *entry)
{
  g_autofree char *ascii = NULL;
  g_autofree char *lower = NULL;

  /* GNOME writes "*.example.com"; the environment clients want ".example.com". */
  if (g_str_has_prefix (entry, "*.") && entry[2] != '\0')
    entry++;

  ascii = g_hostname_to_ascii (entry[0] == '.' ? entry + 1 : entry);
  if (ascii == NULL)
    return g_strdup (entry);

  lower = g_ascii_strdown (ascii, -1);
  if (entry[0] == '.')
    return g_strconcat (".", lower, NULL);

  return g_steal_pointer (&lower);
}

/* Trims, lower-cases, converts international names to ASCII, rewrites
 * "*.domain" as ".domain" and drops duplicates, keeping the first order. */
char **
gp_no_proxy_normalize (const char * const  *entries,
                       GError             **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; entries != NULL && entries[i] != NULL; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (entries[i]));
      char *normalized;

      if (*trimmed == '\0')
        continue;

      normalized = normalize_entry (trimmed);
      if (!gp_no_proxy_validate_entry (normalized, error))
        {
          g_free (normalized);
          return NULL;
        }

      if (g_hash_table_contains (seen, normalized))
        {
          g_free (normalized);
          continue;
        }

      g_hash_table_add (seen, normalized);
      g_ptr_array_add (out, normalized);
    }

  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_steal (out, NULL);
}

/* Accepts the list as people type it: commas, spaces or both. */
char **
gp_no_proxy_parse (const char  *text,
                   GError     **error)
{
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, GP_NO_PROXY_ERROR, GP_NO_PROXY_ERROR_INVALID,
                   _("The no-proxy list is not valid UTF-8"));
      return NULL;
    }

  parts = g_regex_split_simple ("[,\\s]+", text, 0, 0);
  return gp_no_proxy_normalize ((const char * const *) parts, error);
}

char *
gp_no_proxy_join (const char * const *entries)
{
  return g_strjoinv (",", (char **) entries);
}
