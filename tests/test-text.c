/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "gp-challenge.h"
#include "gp-prober.h"
#include "gp-text.h"

/* Text from the network reaches terminals and JSON only through
 * gp_text_sanitize (): valid UTF-8, no control character of any kind. */
static void
test_sanitize (void)
{
  static const struct {
    const char *input;
    const char *expected;
  } cases[] = {
    { "Forbidden", "Forbidden" },
    { "Büro 日本", "Büro 日本" },
    { "\x1b]0;title\x07", "\uFFFD]0;title\uFFFD" },
    { "a\x1b[2Jb", "a\uFFFD[2Jb" },
    { "line\r\nfake: ok", "line\uFFFD\uFFFDfake: ok" },
    { "csi\xc2\x9b" "31m", "csi\uFFFD" "31m" },
    { "bad \xff\xfe utf8", "bad \uFFFD\uFFFD utf8" },
    { "rtl \xe2\x80\xae" "txt", "rtl \uFFFD" "txt" },
    { "del\x7f", "del\uFFFD" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *clean = gp_text_sanitize (cases[i].input, -1, 1024);

      g_assert_cmpstr (clean, ==, cases[i].expected);
      g_assert_true (gp_text_is_clean (clean));
    }
  g_assert_false (gp_text_is_clean ("a\x1b" "b"));
  g_assert_false (gp_text_is_clean ("\xc2\x9b"));
  g_assert_null (gp_text_sanitize (NULL, -1, 10));
}

static void
test_sanitize_bounds (void)
{
  g_autofree char *long_text = g_strnfill (100000, 'x');
  g_autofree char *cut = gp_text_sanitize (long_text, -1, 1024);
  g_autofree char *with_nul = gp_text_sanitize ("ab\0cd", 5, 1024);

  g_assert_cmpuint (strlen (cut), <=, 1024 + strlen ("…"));
  g_assert_true (g_str_has_suffix (cut, "…"));
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  /* A NUL inside a counted buffer cannot end the text early unseen. */
  g_assert_true (gp_text_is_clean (with_nul));
}

static void
test_parse_ip (void)
{
  static const struct {
    const char *input;
    const char *expected;
  } cases[] = {
    { "203.0.113.7", "203.0.113.7" },
    { "2001:db8::1", "2001:db8::1" },
    { "fe80::1%eth0", "fe80::1%eth0" },
    { "fe80::1%enp0s3.100", "fe80::1%enp0s3.100" },
    { "fe80::1%", NULL },
    { "fe80::1%\x1b[31m", NULL },
    { "fe80::1%eth0\xff", NULL },
    { "fe80::1%a b", NULL },
    { "10.0.0.1%eth0", NULL },
    { "203.0.113.7.", NULL },
    { "localhost", NULL },
    { "999.1.1.1", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ip = gp_text_parse_ip (cases[i].input);
      g_autofree char *escaped = g_strescape (cases[i].input, NULL);

      g_test_message ("parse_ip: %s", escaped);
      g_assert_cmpstr (ip, ==, cases[i].expected);
    }
}

static void
test_echo_body (void)
{
  static const char hostile[] = "fe80::1%\x1b]0;owned\x07\xff\xfe";
  g_autofree char *plain = gp_prober_parse_echo_body ("198.51.100.4\n", 13);
  g_autofree char *json = gp_prober_parse_echo_body ("{\"ip\": \"fe80::1%eth0\"}", 22);
  g_autofree char *bad = gp_prober_parse_echo_body (hostile, sizeof hostile - 1);
  g_autofree char *bad_json = gp_prober_parse_echo_body ("{\"origin\": \"fe80::1%\\u001b[2J\"}", 31);

  g_assert_cmpstr (plain, ==, "198.51.100.4");
  g_assert_cmpstr (json, ==, "fe80::1%eth0");
  g_assert_null (bad);
  g_assert_null (bad_json);
}

/* 10,000 challenges: the first ones are kept, and the caller learns that
 * the rest were dropped. */
static void
test_challenges_dropped (void)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autoptr(GPtrArray) challenges = NULL;
  g_autoptr(GPtrArray) few = NULL;
  const char *one[] = { "Basic realm=\"x\"", NULL };
  gboolean dropped = FALSE;

  for (guint i = 0; i < 10000; i++)
    g_ptr_array_add (values, (gpointer) "Basic realm=\"r\"");
  g_ptr_array_add (values, NULL);

  challenges = gp_challenge_parse_first ((const char * const *) values->pdata, &dropped);
  g_assert_nonnull (challenges);
  g_assert_cmpuint (challenges->len, ==, GP_CHALLENGE_MAX_CHALLENGES);
  g_assert_true (dropped);

  few = gp_challenge_parse_first (one, &dropped);
  g_assert_cmpuint (few->len, ==, 1);
  g_assert_false (dropped);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/sanitize", test_sanitize);
  g_test_add_func ("/text/sanitize-bounds", test_sanitize_bounds);
  g_test_add_func ("/text/parse-ip", test_parse_ip);
  g_test_add_func ("/text/echo-body", test_echo_body);
  g_test_add_func ("/text/challenges-dropped", test_challenges_dropped);

  return g_test_run ();
}
