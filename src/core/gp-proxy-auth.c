/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "gp-proxy-auth.h"

/* Proxy-Authorization values that Gatepass writes itself, where libsoup
 * 3.2 answers differently from curl and browsers and proxies refuse it:
 * Basic sent as ISO-8859-1, and Digest with a non-ASCII username sent as
 * username*= (RFC 7616), which squid does not read. Both here send the
 * UTF-8 bytes, as curl does. */

char *
gp_proxy_auth_basic (const char *username,
                     const char *password)
{
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;

  g_return_val_if_fail (username != NULL && password != NULL, NULL);

  pair = g_strconcat (username, ":", password, NULL);
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  explicit_bzero (pair, strlen (pair));
  return g_strconcat ("Basic ", encoded, NULL);
}

static char *
md5_hex (const char *first,
         ...)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  const char *part = first;
  va_list args;

  va_start (args, first);
  for (gboolean colon = FALSE; part != NULL; part = va_arg (args, const char *), colon = TRUE)
    {
      if (colon)
        g_checksum_update (checksum, (const guchar *) ":", 1);
      g_checksum_update (checksum, (const guchar *) part, strlen (part));
    }
  va_end (args);

  return g_strdup (g_checksum_get_string (checksum));
}

static void
append_quoted (GString    *out,
               const char *name,
               const char *value)
{
  g_string_append_printf (out, "%s%s=\"", out->len > strlen ("Digest ") ? ", " : "", name);
  for (const char *p = value; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
offers_qop_auth (const char *qop)
{
  g_auto(GStrv) options = NULL;

  if (qop == NULL)
    return FALSE;
  options = g_strsplit (qop, ",", -1);
  for (guint i = 0; options[i] != NULL; i++)
    if (g_ascii_strcasecmp (g_strstrip (options[i]), "auth") == 0)
      return TRUE;
  return FALSE;
}

/* RFC 2617/7616 with MD5 or MD5-sess and qop "auth" (or none); NULL for
 * what it cannot answer, which then stays with libsoup. */
char *
gp_proxy_auth_digest (GpChallenge *challenge,
                      const char  *username,
                      const char  *password,
                      const char  *method,
                      const char  *uri,
                      const char  *cnonce)
{
  const char *realm, *nonce, *opaque, *algorithm;
  g_autofree char *ha1 = NULL;
  g_autofree char *ha2 = NULL;
  g_autofree char *response = NULL;
  gboolean qop_auth, sess;
  GString *out;

  g_return_val_if_fail (challenge != NULL && username != NULL && password != NULL, NULL);
  g_return_val_if_fail (method != NULL && uri != NULL && cnonce != NULL, NULL);

  realm = gp_challenge_get_realm (challenge);
  nonce = gp_challenge_get_param (challenge, "nonce");
  opaque = gp_challenge_get_param (challenge, "opaque");
  algorithm = gp_challenge_get_param (challenge, "algorithm");
  qop_auth = offers_qop_auth (gp_challenge_get_param (challenge, "qop"));
  sess = algorithm != NULL && g_ascii_strcasecmp (algorithm, "MD5-sess") == 0;

  if (!gp_challenge_is_scheme (challenge, "Digest") || realm == NULL || nonce == NULL ||
      (algorithm != NULL && !sess && g_ascii_strcasecmp (algorithm, "MD5") != 0) ||
      (gp_challenge_get_param (challenge, "qop") != NULL && !qop_auth))
    return NULL;

  ha1 = md5_hex (username, realm, password, NULL);
  if (sess)
    {
      g_autofree char *base = g_steal_pointer (&ha1);
      ha1 = md5_hex (base, nonce, cnonce, NULL);
    }
  ha2 = md5_hex (method, uri, NULL);
  response = qop_auth ? md5_hex (ha1, nonce, "00000001", cnonce, "auth", ha2, NULL)
                      : md5_hex (ha1, nonce, ha2, NULL);

  out = g_string_new ("Digest ");
  append_quoted (out, "username", username);
  append_quoted (out, "realm", realm);
  append_quoted (out, "nonce", nonce);
  append_quoted (out, "uri", uri);
  append_quoted (out, "response", response);
  if (opaque != NULL)
    append_quoted (out, "opaque", opaque);
  if (algorithm != NULL)
    g_string_append_printf (out, ", algorithm=%s", sess ? "MD5-sess" : "MD5");
  if (qop_auth)
    {
      g_string_append (out, ", qop=auth, nc=00000001");
      append_quoted (out, "cnonce", cnonce);
    }

  explicit_bzero (ha1, strlen (ha1));
  return g_string_free (out, FALSE);
}
