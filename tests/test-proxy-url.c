/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "gp-proxy-url.h"

/* Written out by hand, not computed: the test must not share a formula
 * with the code it checks. Only A-Z a-z 0-9 - . _ ~ stay literal, and
 * the hex digits are upper case (CLI.md, "Percent-encoding"). */
static const struct {
  char        byte;
  const char *encoded;
} ascii_table[] = {
  { ' ', "%20" }, { '!', "%21" }, { '"', "%22" }, { '#', "%23" },
  { '$', "%24" }, { '%', "%25" }, { '&', "%26" }, { '\'', "%27" },
  { '(', "%28" }, { ')', "%29" }, { '*', "%2A" }, { '+', "%2B" },
  { ',', "%2C" }, { '-', "-" }, { '.', "." }, { '/', "%2F" },
  { '0', "0" }, { '1', "1" }, { '2', "2" }, { '3', "3" },
  { '4', "4" }, { '5', "5" }, { '6', "6" }, { '7', "7" },
  { '8', "8" }, { '9', "9" }, { ':', "%3A" }, { ';', "%3B" },
  { '<', "%3C" }, { '=', "%3D" }, { '>', "%3E" }, { '?', "%3F" },
  { '@', "%40" }, { 'A', "A" }, { 'B', "B" }, { 'C', "C" },
  { 'D', "D" }, { 'E', "E" }, { 'F', "F" }, { 'G', "G" },
  { 'H', "H" }, { 'I', "I" }, { 'J', "J" }, { 'K', "K" },
  { 'L', "L" }, { 'M', "M" }, { 'N', "N" }, { 'O', "O" },
  { 'P', "P" }, { 'Q', "Q" }, { 'R', "R" }, { 'S', "S" },
  { 'T', "T" }, { 'U', "U" }, { 'V', "V" }, { 'W', "W" },
  { 'X', "X" }, { 'Y', "Y" }, { 'Z', "Z" }, { '[', "%5B" },
  { '\\', "%5C" }, { ']', "%5D" }, { '^', "%5E" }, { '_', "_" },
  { '`', "%60" }, { 'a', "a" }, { 'b', "b" }, { 'c', "c" },
  { 'd', "d" }, { 'e', "e" }, { 'f', "f" }, { 'g', "g" },
  { 'h', "h" }, { 'i', "i" }, { 'j', "j" }, { 'k', "k" },
  { 'l', "l" }, { 'm', "m" }, { 'n', "n" }, { 'o', "o" },
  { 'p', "p" }, { 'q', "q" }, { 'r', "r" }, { 's', "s" },
  { 't', "t" }, { 'u', "u" }, { 'v', "v" }, { 'w', "w" },
  { 'x', "x" }, { 'y', "y" }, { 'z', "z" }, { '{', "%7B" },
  { '|', "%7C" }, { '}', "%7D" }, { '~', "~" },
};

static void
test_escape_ascii_table (void)
{
  /* A hole or a duplicate in the table would leave a byte unchecked. */
  g_assert_cmpuint (G_N_ELEMENTS (ascii_table), ==, 0x7e - 0x20 + 1);

  for (guint i = 0; i < G_N_ELEMENTS (ascii_table); i++)
    {
      char text[2] = { ascii_table[i].byte, '\0' };
      g_autofree char *escaped = NULL;

      g_assert_cmpint ((guchar) ascii_table[i].byte, ==, 0x20 + i);
      escaped = gp_proxy_url_escape_userinfo (text);
      g_assert_cmpstr (escaped, ==, ascii_table[i].encoded);
    }
}

static const struct {
  const char *text;
  const char *encoded;
} escape_cases[] = {
  { "p@ss:w/rd #?%", "p%40ss%3Aw%2Frd%20%23%3F%25" },
  { "ü", "%C3%BC" },
  { "üñí©ødé", "%C3%BC%C3%B1%C3%AD%C2%A9%C3%B8d%C3%A9" },
  { "€", "%E2%82%AC" },
  { "🚀", "%F0%9F%9A%80" },
  { "Grüße 100%", "Gr%C3%BC%C3%9Fe%20100%25" },
  /* Already encoded text is encoded again: the value is taken as typed. */
  { "%41", "%2541" },
  { "a+b=c&d", "a%2Bb%3Dc%26d" },
  { "", "" },
};

static void
test_escape_strings (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (escape_cases); i++)
    {
      g_autofree char *escaped = gp_proxy_url_escape_userinfo (escape_cases[i].text);

      g_assert_cmpstr (escaped, ==, escape_cases[i].encoded);
    }
}

static const struct {
  const char *url;
  const char *username;
  const char *password;
  const char *expected;
} userinfo_cases[] = {
  { "http://proxy.example:3128", "al@ice", "p@ss", "http://al%40ice:p%40ss@proxy.example:3128" },
  { "http://proxy.example:3128", "alice", "p@ss:w/rd #?%",
    "http://alice:p%40ss%3Aw%2Frd%20%23%3F%25@proxy.example:3128" },
  { "http://proxy.example:3128", "alice", NULL, "http://alice@proxy.example:3128" },
  { "http://proxy.example:3128", NULL, NULL, "http://proxy.example:3128" },
  { "http://[::1]:8080", "u", "p", "http://u:p@[::1]:8080" },
  { "https://[2001:db8::1]:3128", NULL, NULL, "https://[2001:db8::1]:3128" },
  { "socks5h://10.0.0.1:1080", "dom:user", "üñí",
    "socks5h://dom%3Auser:%C3%BC%C3%B1%C3%AD@10.0.0.1:1080" },
};

static void
test_to_string_with_userinfo (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (userinfo_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpProxyUrl) url = gp_proxy_url_parse (userinfo_cases[i].url, &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = gp_proxy_url_to_string_with_userinfo (url, userinfo_cases[i].username,
                                                   userinfo_cases[i].password);
      g_assert_cmpstr (text, ==, userinfo_cases[i].expected);
    }
}

static const struct {
  const char *input;
  const char *canonical;
} accepted_urls[] = {
  { "http://proxy.example:3128", "http://proxy.example:3128" },
  { "proxy.example:3128", "http://proxy.example:3128" },
  { "HTTP://proxy.example:3128", "http://proxy.example:3128" },
  { "HtTpS://proxy.example:443", "https://proxy.example:443" },
  { "http://PROXY.Example.COM:3128", "http://proxy.example.com:3128" },
  { "http://proxy.example:3128/", "http://proxy.example:3128" },
  { "http://proxy.example.com.:3128", "http://proxy.example.com:3128" },
  { "http://192.168.1.10:8080", "http://192.168.1.10:8080" },
  { "http://[::1]:8080", "http://[::1]:8080" },
  { "[::1]:8080", "http://[::1]:8080" },
  { "http://[2001:db8::1]:3128", "http://[2001:db8::1]:3128" },
  { "http://[2001:DB8::1]:3128", "http://[2001:db8::1]:3128" },
  /* RFC 6874: the zone, written back as %25 (found by tests/fuzz). */
  { "http://[fe80::1%25eth0]:3128", "http://[fe80::1%25eth0]:3128" },
  { "https://proxy.example:8443", "https://proxy.example:8443" },
  { "socks5://proxy.example:1080", "socks5://proxy.example:1080" },
  { "socks5h://proxy.example:1080", "socks5h://proxy.example:1080" },
  { "SOCKS5H://proxy.example:1080", "socks5h://proxy.example:1080" },
  { "http://bücher.example:3128", "http://xn--bcher-kva.example:3128" },
  { "http://BÜCHER.example:3128", "http://xn--bcher-kva.example:3128" },
  { "  http://proxy.example:3128  ", "http://proxy.example:3128" },
  { "\thttp://proxy.example:3128\n", "http://proxy.example:3128" },
  { "http://localhost:1", "http://localhost:1" },
  { "http://proxy.example:65535", "http://proxy.example:65535" },
  { "http://intra_net.corp:3128", "http://intra_net.corp:3128" },
  { "http://a-b.example:3128", "http://a-b.example:3128" },
};

static void
test_parse_accepted (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (accepted_urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpProxyUrl) url = gp_proxy_url_parse (accepted_urls[i].input, &error);
      g_autofree char *text = NULL;

      g_test_message ("accept: %s", accepted_urls[i].input);
      g_assert_no_error (error);
      g_assert_nonnull (url);
      text = gp_proxy_url_to_string (url);
      g_assert_cmpstr (text, ==, accepted_urls[i].canonical);
    }
}

static void
test_parse_parts (void)
{
  g_autoptr(GpProxyUrl) url = gp_proxy_url_parse ("socks5h://[2001:db8::1]:1080", NULL);
  g_autoptr(GpProxyUrl) copy = NULL;
  g_autoptr(GpProxyUrl) http = gp_proxy_url_parse ("proxy.example:3128", NULL);

  g_assert_nonnull (url);
  g_assert_cmpint (gp_proxy_url_get_scheme (url), ==, GP_PROXY_SCHEME_SOCKS5H);
  g_assert_cmpstr (gp_proxy_url_get_host (url), ==, "2001:db8::1");
  g_assert_cmpuint (gp_proxy_url_get_port (url), ==, 1080);
  g_assert_true (gp_proxy_url_is_socks (url));

  copy = gp_proxy_url_copy (url);
  g_assert_cmpstr (gp_proxy_url_get_host (copy), ==, "2001:db8::1");
  g_assert_cmpuint (gp_proxy_url_get_port (copy), ==, 1080);

  g_assert_nonnull (http);
  g_assert_cmpint (gp_proxy_url_get_scheme (http), ==, GP_PROXY_SCHEME_HTTP);
  g_assert_false (gp_proxy_url_is_socks (http));
}

static const struct {
  const char *input;
  int         code;
} refused_urls[] = {
  { "http://proxy.example", GP_PROXY_URL_ERROR_INVALID },
  { "proxy.example", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.example:", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.example:0", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.example:65536", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.example:99999", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.example:port", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.example:3128/x", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.example:3128//", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.example:3128?q", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.example:3128/?q=1", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.example:3128#f", GP_PROXY_URL_ERROR_INVALID },
  { "http://user:pw@proxy.example:3128", GP_PROXY_URL_ERROR_HAS_USERINFO },
  { "http://user@proxy.example:3128", GP_PROXY_URL_ERROR_HAS_USERINFO },
  { "user:pw@proxy.example:3128", GP_PROXY_URL_ERROR_HAS_USERINFO },
  { "socks5://user:pw@proxy.example:1080", GP_PROXY_URL_ERROR_HAS_USERINFO },
  { "ftp://proxy.example:21", GP_PROXY_URL_ERROR_INVALID },
  { "socks4://proxy.example:1080", GP_PROXY_URL_ERROR_INVALID },
  { "socks://proxy.example:1080", GP_PROXY_URL_ERROR_INVALID },
  { "", GP_PROXY_URL_ERROR_INVALID },
  { "   ", GP_PROXY_URL_ERROR_INVALID },
  { "http://", GP_PROXY_URL_ERROR_INVALID },
  { "http://:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy example:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.example :3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy\tex:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy\x01.example:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.example:3128\x7f", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.\n.example:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy.ex\xff:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://[::g]:3128", GP_PROXY_URL_ERROR_INVALID },
  /* a zone that cannot be written back (found by tests/fuzz) */
  { "http://[fe80::1%2580::1%25eth0]:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://[fe80::1%25et%60x]:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://[1::2::3]:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://[12345::1]:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://[::1:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://::1:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://999.1.1.1:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://1.2.3:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://-proxy.example:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy-.example:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://proxy..example:3128", GP_PROXY_URL_ERROR_INVALID },
  { "http://pro$xy.example:3128", GP_PROXY_URL_ERROR_INVALID },
  /* 64 characters: one more than DNS allows in a label. */
  { "http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example:3128",
    GP_PROXY_URL_ERROR_INVALID },
};

static void
test_parse_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refused_urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpProxyUrl) url = NULL;
      g_autofree char *shown = g_strescape (refused_urls[i].input, NULL);

      g_test_message ("refuse: %s", shown);
      url = gp_proxy_url_parse (refused_urls[i].input, &error);
      g_assert_null (url);
      g_assert_error (error, GP_PROXY_URL_ERROR, refused_urls[i].code);
      /* The core speaks no front end: each words its own options. */
      g_assert_null (strstr (error->message, "--"));
    }
}

/* GLib's own words ("Port ‘70000’ in URI is out of range") name neither
 * the range nor what to do: the message says both, whatever the shape. */
static void
test_parse_port_range (void)
{
  static const struct {
    const char *input;
    const char *message;
  } cases[] = {
    { "http://proxy.example:70000", "the port 70000 is out of range: use 1 to 65535" },
    { "http://proxy.example:65536", "the port 65536 is out of range: use 1 to 65535" },
    { "http://proxy.example:0", "the port 0 is out of range: use 1 to 65535" },
    { "http://proxy.example:-1", "the port -1 is out of range: use 1 to 65535" },
    { "http://proxy.example:99999999999",
      "the port 99999999999 is out of range: use 1 to 65535" },
    { "proxy.example:70000", "the port 70000 is out of range: use 1 to 65535" },
    { "socks5://[2001:db8::1]:70000/", "the port 70000 is out of range: use 1 to 65535" },
    { "http://proxy.example:port", "the port “port” is not a number: use 1 to 65535" },
    { "http://proxy.example:+80", "the port “+80” is not a number: use 1 to 65535" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpProxyUrl) url = gp_proxy_url_parse (cases[i].input, &error);

      g_test_message ("port: %s", cases[i].input);
      g_assert_null (url);
      g_assert_error (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_INVALID);
      g_assert_true (g_str_has_suffix (error->message, cases[i].message));
      g_assert_nonnull (strstr (error->message, cases[i].input));
    }
}

static void
test_parse_port_bounds (void)
{
  static const struct {
    const char *input;
    guint16     port;
  } cases[] = {
    { "http://proxy.example:1", 1 },
    { "http://proxy.example:65535", 65535 },
    { "http://proxy.example:00080", 80 },
    { "http://[::1]:3128", 3128 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpProxyUrl) url = gp_proxy_url_parse (cases[i].input, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (gp_proxy_url_get_port (url), ==, cases[i].port);
    }
}

static void
test_parse_label_limit (void)
{
  /* 63 characters is the longest label DNS allows: the boundary itself. */
  const char *url63 =
    "http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example:3128";
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProxyUrl) url = gp_proxy_url_parse (url63, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = gp_proxy_url_to_string (url);
  g_assert_cmpstr (text, ==, url63);
}

static void
test_userinfo_error_hides_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProxyUrl) url = gp_proxy_url_parse ("http://alice:s3cr3t-word@proxy.example:3128",
                                                  &error);

  /* The message ends up on stderr and in logs: it must not repeat it. */
  g_assert_null (url);
  g_assert_error (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_HAS_USERINFO);
  g_assert_null (strstr (error->message, "s3cr3t-word"));
}

static const char * const bad_credentials[] = {
  "",
  "tab\there",
  "line\nbreak",
  "cr\rhere",
  "del\x7f",
  "\x1f",
  "bad\xff",
  "bad\xc3\x28utf8",
  "\xed\xa0\x80",  /* an encoded UTF-16 surrogate */
};

static void
assert_credential_refused (const char *text)
{
  g_autoptr(GError) user_error = NULL;
  g_autoptr(GError) password_error = NULL;
  g_autofree char *shown = g_strescape (text, NULL);

  g_test_message ("refuse credential: \"%s\"", shown);
  g_assert_false (gp_proxy_url_validate_username (text, GP_PROXY_SCHEME_SOCKS5, &user_error));
  g_assert_error (user_error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_INVALID_CREDENTIAL);
  g_assert_false (gp_proxy_url_validate_password (text, &password_error));
  g_assert_error (password_error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_INVALID_CREDENTIAL);
}

static void
test_credentials_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_credentials); i++)
    assert_credential_refused (bad_credentials[i]);

  /* Every C0 control byte, embedded between ordinary characters. */
  for (guint c = 0x01; c <= 0x1f; c++)
    {
      char text[4] = { 'a', (char) c, 'b', '\0' };

      assert_credential_refused (text);
    }
}

static void
test_credentials_accepted (void)
{
  const char * const good[] = {
    "alice", "p@ss w/rd #?%", "üñí©ødé", "'\"\\$`!;&|<>*~", "🚀", " lead", "trail ",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_assert_true (gp_proxy_url_validate_username (good[i], GP_PROXY_SCHEME_HTTP, &error));
      g_assert_no_error (error);
      g_assert_true (gp_proxy_url_validate_password (good[i], &error));
      g_assert_no_error (error);
    }

  /* Basic authentication cannot carry a colon in the user name; SOCKS5 can,
   * and so can every password. */
  g_assert_true (gp_proxy_url_validate_password ("a:b", &error));
  g_assert_no_error (error);
  g_assert_true (gp_proxy_url_validate_username ("dom:user", GP_PROXY_SCHEME_SOCKS5, &error));
  g_assert_no_error (error);
  g_assert_true (gp_proxy_url_validate_username ("dom:user", GP_PROXY_SCHEME_SOCKS5H, &error));
  g_assert_no_error (error);
}

static void
test_username_colon (void)
{
  const GpProxyScheme basic_schemes[] = { GP_PROXY_SCHEME_HTTP, GP_PROXY_SCHEME_HTTPS };

  for (guint i = 0; i < G_N_ELEMENTS (basic_schemes); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (gp_proxy_url_validate_username ("dom:user", basic_schemes[i], &error));
      g_assert_error (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_INVALID_CREDENTIAL);
    }
}

static const struct {
  const char         *text;
  GpCredentialQuirks  quirks;
} quirk_cases[] = {
  { "%41", GP_CREDENTIAL_QUIRK_PERCENT_HEX },
  { "pass%2fword", GP_CREDENTIAL_QUIRK_PERCENT_HEX },
  { "%%41", GP_CREDENTIAL_QUIRK_PERCENT_HEX },
  { "%zz", GP_CREDENTIAL_QUIRK_NONE },
  { "%4", GP_CREDENTIAL_QUIRK_NONE },
  { "%4g", GP_CREDENTIAL_QUIRK_NONE },
  { "100%", GP_CREDENTIAL_QUIRK_NONE },
  { "plain", GP_CREDENTIAL_QUIRK_NONE },
  { "é", GP_CREDENTIAL_QUIRK_NON_ASCII },
  { "€uro", GP_CREDENTIAL_QUIRK_NON_ASCII },
  { "é%41", GP_CREDENTIAL_QUIRK_NON_ASCII | GP_CREDENTIAL_QUIRK_PERCENT_HEX },
};

static void
test_credential_quirks (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (quirk_cases); i++)
    {
      g_test_message ("quirks: %s", quirk_cases[i].text);
      g_assert_cmpint (gp_proxy_url_credential_quirks (quirk_cases[i].text), ==,
                       quirk_cases[i].quirks);
    }
}

/* The userinfo is before the authority's last '@' (a raw '@' in a
 * hand-written password stays in it); an '@' in the path is not one. */
static void
test_userinfo_split (void)
{
  static const struct { const char *text, *userinfo, *without; } cases[] = {
    { "http://u:p@proxy:3128", "u:p", "http://proxy:3128" },
    { "http://u:p@ss@proxy:3128/", "u:p@ss", "http://proxy:3128/" },
    { "http://u%40x:p%3A@proxy", "u%40x:p%3A", "http://proxy" },
    { "u:p@proxy:8080", "u:p", "proxy:8080" },
    { "http://proxy:3128/a@b", NULL, "http://proxy:3128/a@b" },
    { "http://proxy:3128", NULL, "http://proxy:3128" },
    { "http://:@proxy", ":", "http://proxy" },
    { "", NULL, "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *start = NULL;
      gsize length = 0;
      g_autofree char *without = gp_proxy_url_without_userinfo (cases[i].text);
      gboolean found = gp_proxy_url_find_userinfo (cases[i].text, &start, &length);

      g_assert_cmpint (found, ==, cases[i].userinfo != NULL);
      if (found)
        {
          g_autofree char *userinfo = g_strndup (start, length);
          g_assert_cmpstr (userinfo, ==, cases[i].userinfo);
        }
      g_assert_cmpstr (without, ==, cases[i].without);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/proxy-url/escape/ascii-table", test_escape_ascii_table);
  g_test_add_func ("/proxy-url/escape/strings", test_escape_strings);
  g_test_add_func ("/proxy-url/to-string/userinfo", test_to_string_with_userinfo);
  g_test_add_func ("/proxy-url/parse/accepted", test_parse_accepted);
  g_test_add_func ("/proxy-url/parse/parts", test_parse_parts);
  g_test_add_func ("/proxy-url/parse/refused", test_parse_refused);
  g_test_add_func ("/proxy-url/parse/label-limit", test_parse_label_limit);
  g_test_add_func ("/proxy-url/parse/port-range", test_parse_port_range);
  g_test_add_func ("/proxy-url/parse/port-bounds", test_parse_port_bounds);
  g_test_add_func ("/proxy-url/parse/userinfo-error-hides-password",
                   test_userinfo_error_hides_password);
  g_test_add_func ("/proxy-url/credentials/refused", test_credentials_refused);
  g_test_add_func ("/proxy-url/credentials/accepted", test_credentials_accepted);
  g_test_add_func ("/proxy-url/credentials/username-colon", test_username_colon);
  g_test_add_func ("/proxy-url/credentials/quirks", test_credential_quirks);
  g_test_add_func ("/proxy-url/userinfo/split", test_userinfo_split);

  return g_test_run ();
}
