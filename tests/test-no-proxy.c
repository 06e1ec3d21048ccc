/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gp-no-proxy.h"

/* Expected lists end with NULL; at most eight entries in these tables. */
static const struct {
  const char *input;
  const char *expected[9];
} parse_cases[] = {
  { "localhost", { "localhost", NULL } },
  { "  localhost  ", { "localhost", NULL } },
  { "a.example,b.example", { "a.example", "b.example", NULL } },
  { "a.example b.example", { "a.example", "b.example", NULL } },
  { " a.example ,  b.example\tc.example\nd.example ,, ,",
    { "a.example", "b.example", "c.example", "d.example", NULL } },
  /* "a b" is two entries, not one entry with a blank. */
  { "a b", { "a", "b", NULL } },
  { "Example.COM,LOCALHOST", { "example.com", "localhost", NULL } },
  { "b.example,a.example,b.example,A.EXAMPLE", { "b.example", "a.example", NULL } },
  /* GNOME's form and the clients' form of a domain are the same entry. */
  { "*.example.com", { ".example.com", NULL } },
  { "*.example.com,.example.com", { ".example.com", NULL } },
  { ".Corp.Example", { ".corp.example", NULL } },
  { "*", { "*", NULL } },
  { "10.0.0.0/8,192.168.1.0/24,127.0.0.1", { "10.0.0.0/8", "192.168.1.0/24", "127.0.0.1", NULL } },
  { "::1,fd00::/8,[::1],FE80::1", { "::1", "fd00::/8", "[::1]", "fe80::1", NULL } },
  { "intra_net.corp", { "intra_net.corp", NULL } },
  { "bücher.example,.bücher.example",
    { "xn--bcher-kva.example", ".xn--bcher-kva.example", NULL } },
  { "", { NULL } },
  { " , ,\t", { NULL } },
};

static void
assert_strv (const char * const *got,
             const char * const *expected)
{
  g_autofree char *got_text = g_strjoinv ("|", (char **) got);
  g_autofree char *expected_text = g_strjoinv ("|", (char **) expected);

  /* Joined first so that a failure shows both whole lists. */
  g_assert_cmpstr (got_text, ==, expected_text);
  g_assert_cmpuint (g_strv_length ((char **) got), ==, g_strv_length ((char **) expected));
}

static void
test_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) entries = NULL;
      g_autofree char *shown = g_strescape (parse_cases[i].input, NULL);

      g_test_message ("parse: \"%s\"", shown);
      entries = gp_no_proxy_parse (parse_cases[i].input, &error);
      g_assert_no_error (error);
      g_assert_nonnull (entries);
      assert_strv ((const char * const *) entries, parse_cases[i].expected);
    }
}

static const char * const refused[] = {
  "a;b",
  "x$y",
  "localhost,x$y",
  "a.example,b;c",
  "host:3128\"",
  "`touch x`",
  "a|b",
  "*.",
  "**.example",
  "a*b",
  "bad\xff",
};

static void
test_parse_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) entries = NULL;
      g_autofree char *shown = g_strescape (refused[i], NULL);

      g_test_message ("refuse: \"%s\"", shown);
      entries = gp_no_proxy_parse (refused[i], &error);
      g_assert_null (entries);
      g_assert_error (error, GP_NO_PROXY_ERROR, GP_NO_PROXY_ERROR_INVALID);
    }
}

static void
test_normalize (void)
{
  const char * const input[] = {
    "  Localhost ", "", "   ", "*.Corp.Example", ".corp.example", "localhost", "10.0.0.0/8", NULL
  };
  const char * const expected[] = { "localhost", ".corp.example", "10.0.0.0/8", NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) entries = gp_no_proxy_normalize (input, &error);

  g_assert_no_error (error);
  assert_strv ((const char * const *) entries, expected);
}

static void
test_normalize_refused (void)
{
  const char * const input[] = { "localhost", "a b", NULL };
  const char * const semicolon[] = { "a;b", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) semicolon_error = NULL;
  g_auto(GStrv) entries = NULL;
  g_auto(GStrv) semicolon_entries = NULL;

  /* A blank inside one entry: normalize, unlike parse, does not split. */
  entries = gp_no_proxy_normalize (input, &error);
  g_assert_null (entries);
  g_assert_error (error, GP_NO_PROXY_ERROR, GP_NO_PROXY_ERROR_INVALID);

  semicolon_entries = gp_no_proxy_normalize (semicolon, &semicolon_error);
  g_assert_null (semicolon_entries);
  g_assert_error (semicolon_error, GP_NO_PROXY_ERROR, GP_NO_PROXY_ERROR_INVALID);
}

static void
test_normalize_empty (void)
{
  const char * const input[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) entries = gp_no_proxy_normalize (input, &error);
  g_auto(GStrv) from_null = gp_no_proxy_normalize (NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entries);
  g_assert_null (entries[0]);
  g_assert_nonnull (from_null);
  g_assert_null (from_null[0]);
}

static void
test_validate_entry (void)
{
  const char * const good[] = { "*", "localhost", ".example.com", "10.0.0.0/8", "::1", "[::1]" };
  const char * const bad[] = { "", "a b", "a;b", "x$y", "a,b", "ü" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (gp_no_proxy_validate_entry (good[i], NULL));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (gp_no_proxy_validate_entry (bad[i], &error));
      g_assert_error (error, GP_NO_PROXY_ERROR, GP_NO_PROXY_ERROR_INVALID);
    }
}

static void
test_join (void)
{
  const char * const two[] = { "localhost", ".corp.example", NULL };
  const char * const none[] = { NULL };
  g_autofree char *joined = gp_no_proxy_join (two);
  g_autofree char *empty = gp_no_proxy_join (none);

  g_assert_cmpstr (joined, ==, "localhost,.corp.example");
  g_assert_cmpstr (empty, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/no-proxy/parse", test_parse);
  g_test_add_func ("/no-proxy/parse/refused", test_parse_refused);
  g_test_add_func ("/no-proxy/normalize", test_normalize);
  g_test_add_func ("/no-proxy/normalize/refused", test_normalize_refused);
  g_test_add_func ("/no-proxy/normalize/empty", test_normalize_empty);
  g_test_add_func ("/no-proxy/validate-entry", test_validate_entry);
  g_test_add_func ("/no-proxy/join", test_join);

  return g_test_run ();
}
