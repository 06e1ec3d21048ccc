/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "gp-challenge.h"
#include "gp-proxy-auth.h"

static GpChallenge *
parse_one (const char *header)
{
  const char *values[] = { header, NULL };
  g_autoptr(GPtrArray) challenges = gp_challenge_parse (values, NULL);

  g_assert_nonnull (challenges);
  g_assert_cmpuint (challenges->len, ==, 1);
  return gp_challenge_ref (g_ptr_array_index (challenges, 0));
}

static void
test_basic_utf8 (void)
{
  g_autofree char *value = gp_proxy_auth_basic ("dörte", "üñí©ødé");
  g_autofree char *expected_pair = NULL;
  gsize length;
  g_autofree guchar *decoded = NULL;

  g_assert_true (g_str_has_prefix (value, "Basic "));
  decoded = g_base64_decode (value + strlen ("Basic "), &length);
  expected_pair = g_strdup ("d\xc3\xb6rte:\xc3\xbc\xc3\xb1\xc3\xad\xc2\xa9\xc3\xb8" "d\xc3\xa9");
  /* The UTF-8 bytes, as curl sends them; not ISO-8859-1. */
  g_assert_cmpmem (decoded, length, expected_pair, strlen (expected_pair));
}

/* RFC 2617, section 3.5: the worked example. */
static void
test_digest_rfc2617 (void)
{
  g_autoptr(GpChallenge) challenge =
    parse_one ("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
               "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  g_autofree char *value = gp_proxy_auth_digest (challenge, "Mufasa", "Circle Of Life",
                                                 "GET", "/dir/index.html", "0a4f113b");

  g_assert_nonnull (value);
  g_assert_nonnull (strstr (value, "response=\"6629fae49393a05397450978507c4ef1\""));
  g_assert_nonnull (strstr (value, "username=\"Mufasa\""));
  g_assert_nonnull (strstr (value, "qop=auth, nc=00000001"));
  g_assert_nonnull (strstr (value, "cnonce=\"0a4f113b\""));
  g_assert_nonnull (strstr (value, "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""));
}

static void
test_digest_utf8_username_is_raw (void)
{
  g_autoptr(GpChallenge) challenge = parse_one ("Digest realm=\"r\", nonce=\"n\", qop=\"auth\"");
  g_autofree char *value = gp_proxy_auth_digest (challenge, "dörte \"x\"", "pw", "CONNECT", "h:443", "c");

  /* Raw UTF-8 in a quoted string, quotes escaped; never username*=. */
  g_assert_nonnull (strstr (value, "username=\"dörte \\\"x\\\"\""));
  g_assert_null (strstr (value, "username*"));
  g_assert_null (strstr (value, "pw"));
}

static void
test_digest_refuses_what_it_cannot_answer (void)
{
  const char *headers[] = {
    "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256",
    "Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"",
    "Digest nonce=\"n\"",
    "Digest realm=\"r\"",
    "Basic realm=\"r\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autoptr(GpChallenge) challenge = parse_one (headers[i]);
      g_autofree char *value = gp_proxy_auth_digest (challenge, "u", "p", "GET", "/", "c");

      g_test_message ("%s", headers[i]);
      g_assert_null (value);
    }
}

static void
test_digest_md5_sess (void)
{
  g_autoptr(GpChallenge) challenge = parse_one ("Digest realm=\"r\", nonce=\"n\", algorithm=MD5-sess");
  g_autofree char *value = gp_proxy_auth_digest (challenge, "u", "p", "GET", "/", "c");
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  g_autofree char *ha1_input = NULL;
  g_autofree char *ha1 = NULL;
  g_autofree char *ha2 = NULL;
  g_autofree char *response_input = NULL;
  g_autofree char *expected = NULL;

  /* HA1 = MD5(MD5(u:r:p):n:c); no qop: response = MD5(HA1:n:HA2).
   * One variable per step: reassigning a g_autofree one leaks the first value. */
  g_checksum_update (checksum, (const guchar *) "u:r:p", -1);
  ha1_input = g_strdup_printf ("%s:n:c", g_checksum_get_string (checksum));
  ha1 = g_compute_checksum_for_string (G_CHECKSUM_MD5, ha1_input, -1);
  ha2 = g_compute_checksum_for_string (G_CHECKSUM_MD5, "GET:/", -1);
  response_input = g_strdup_printf ("%s:n:%s", ha1, ha2);
  expected = g_compute_checksum_for_string (G_CHECKSUM_MD5, response_input, -1);

  g_assert_nonnull (strstr (value, expected));
  g_assert_nonnull (strstr (value, "algorithm=MD5-sess"));
  g_assert_null (strstr (value, "qop="));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/proxy-auth/basic/utf8", test_basic_utf8);
  g_test_add_func ("/proxy-auth/digest/rfc2617", test_digest_rfc2617);
  g_test_add_func ("/proxy-auth/digest/utf8-username", test_digest_utf8_username_is_raw);
  g_test_add_func ("/proxy-auth/digest/unanswerable", test_digest_refuses_what_it_cannot_answer);
  g_test_add_func ("/proxy-auth/digest/md5-sess", test_digest_md5_sess);

  return g_test_run ();
}
