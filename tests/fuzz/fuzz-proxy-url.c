/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The proxy URL parser and the userinfo encoder. Input: a URL, then
 * (after '\n') a username, then (after another '\n') a password.
 * - parse never crashes; a parsed URL, serialised, parses again to the
 *   same string;
 * - for every byte string x, decode (encode (x)) == x, where decode is
 *   what import and GUri use (g_uri_unescape_string), and encode (x)
 *   holds only unreserved characters and %XX;
 * - a URL with userinfo splits (GUri) back into the same host, port,
 *   username and password. */
#include <string.h>

#include "fuzz-common.h"
#include "gp-proxy-url.h"

static void
check_userinfo_round_trip (const char *x)
{
  g_autofree char *encoded = gp_proxy_url_escape_userinfo (x);
  g_autofree char *decoded = NULL;

  FUZZ_CHECK (encoded != NULL);
  for (const char *p = encoded; *p; p++)
    FUZZ_CHECK (g_ascii_isalnum (*p) || strchr ("-._~", *p) != NULL ||
                (*p == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])));
  decoded = g_uri_unescape_string (encoded, NULL);
  FUZZ_CHECK (decoded != NULL && strcmp (decoded, x) == 0);
}

static void
check_with_userinfo (const GpProxyUrl *url,
                     const char       *username,
                     const char       *password)
{
  g_autofree char *text = gp_proxy_url_to_string_with_userinfo (url, username, password);
  g_autofree char *user = NULL;
  g_autofree char *pass = NULL;
  g_autofree char *host = NULL;
  g_autofree char *user_decoded = NULL;
  g_autofree char *pass_decoded = NULL;
  g_autoptr(GError) error = NULL;
  int port = -1;

  if (!g_uri_split_with_user (text, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL,
                              &user, &pass, NULL, &host, &port, NULL, NULL, NULL, &error))
    {
      fprintf (stderr, "GUri: %s\n", error->message);
      FUZZ_CHECK (!"a URL with userinfo splits");
    }
  user_decoded = g_uri_unescape_string (user, NULL);
  FUZZ_CHECK (user_decoded != NULL && strcmp (user_decoded, username) == 0);
  if (password != NULL)
    {
      pass_decoded = g_uri_unescape_string (pass, NULL);
      FUZZ_CHECK (pass_decoded != NULL && strcmp (pass_decoded, password) == 0);
    }
  else
    FUZZ_CHECK (pass == NULL);
  FUZZ_CHECK (port == gp_proxy_url_get_port (url));
}

static void
check_url (const char *text,
           const char *username,
           const char *password)
{
  g_autoptr(GpProxyUrl) url = NULL;
  g_autoptr(GpProxyUrl) again = NULL;
  g_autoptr(GpProxyUrl) copy = NULL;
  g_autofree char *serialised = NULL;
  g_autofree char *serialised_again = NULL;
  g_autoptr(GError) error = NULL;

  url = gp_proxy_url_parse (text, &error);
  FUZZ_CHECK ((url == NULL) == (error != NULL));
  if (url == NULL)
    return;
  serialised = gp_proxy_url_to_string (url);
  again = gp_proxy_url_parse (serialised, NULL);
  FUZZ_CHECK (again != NULL);
  serialised_again = gp_proxy_url_to_string (again);
  FUZZ_CHECK (strcmp (serialised, serialised_again) == 0);
  FUZZ_CHECK (gp_proxy_url_get_scheme (again) == gp_proxy_url_get_scheme (url));
  FUZZ_CHECK (gp_proxy_url_get_port (again) == gp_proxy_url_get_port (url));
  FUZZ_CHECK (strcmp (gp_proxy_url_get_host (again), gp_proxy_url_get_host (url)) == 0);
  copy = gp_proxy_url_copy (url);
  FUZZ_CHECK (strcmp (gp_proxy_url_get_host (copy), gp_proxy_url_get_host (url)) == 0);

  if (username != NULL && *username != '\0')
    {
      check_with_userinfo (url, username, NULL);
      if (password != NULL)
        check_with_userinfo (url, username, password);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = NULL;
  g_auto(GStrv) parts = NULL;

  fuzz_init_once ();
  input = fuzz_strndup (data, size);
  parts = g_strsplit (input, "\n", 3);
  if (parts[0] == NULL)
    return 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      check_userinfo_round_trip (parts[i]);
      gp_proxy_url_credential_quirks (parts[i]);
      gp_proxy_url_validate_password (parts[i], NULL);
      gp_proxy_url_validate_username (parts[i], GP_PROXY_SCHEME_HTTP, NULL);
      gp_proxy_url_validate_username (parts[i], GP_PROXY_SCHEME_SOCKS5, NULL);
    }
  /* The whole input too: newlines and all. */
  check_userinfo_round_trip (input);
  check_url (parts[0], parts[1], parts[1] != NULL ? parts[2] : NULL);
  return 0;
}
