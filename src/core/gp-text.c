/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "gp-text.h"

/* Text that a proxy or an echo service chose (reason phrases, realms,
 * Location headers, error messages quoting them) is printed on terminals
 * and kept in JSON files. Whatever it holds, what we keep is valid UTF-8
 * with no control character: C0, DEL and C1 (U+009B is a CSI on many
 * terminals), and no bidirectional override that could reorder what a
 * person reads. */
static gboolean
is_unsafe (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x200e || c == 0x200f || c == 0x061c;
}

gboolean
gp_text_is_clean (const char *text)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (is_unsafe (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Returns the text with every invalid byte and unsafe character replaced
 * by U+FFFD, cut (at a character boundary) to at most max_bytes plus an
 * ellipsis. length -1: NUL-terminated. */
char *
gp_text_sanitize (const char *bytes,
                  gssize      length,
                  gsize       max_bytes)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (bytes == NULL)
    return NULL;
  valid = g_utf8_make_valid (bytes, length);
  out = g_string_sized_new (MIN (strlen (valid), max_bytes) + 4);

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (out->len + 6 > max_bytes)
        {
          g_string_append (out, "…");
          break;
        }
      if (is_unsafe (c))
        g_string_append (out, "\xef\xbf\xbd");
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* An IP address, and only one: "fe80::1%eth0" keeps its zone id when the
 * id is a plain interface name; anything else is refused (NULL). */
char *
gp_text_parse_ip (const char *text)
{
  g_autofree char *address = NULL;
  g_autoptr(GInetAddress) parsed = NULL;
  const char *zone;

  if (text == NULL || *text == '\0' || strlen (text) > 128)
    return NULL;

  address = g_strdup (text);
  zone = strchr (text, '%');
  if (zone != NULL)
    {
      const char *allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

      if (zone[1] == '\0' || strspn (zone + 1, allowed) != strlen (zone + 1))
        return NULL;
      address[zone - text] = '\0';
      if (strchr (address, ':') == NULL)
        return NULL;
    }

  parsed = g_inet_address_new_from_string (address);
  if (parsed == NULL)
    return NULL;
  return g_strdup (text);
}
