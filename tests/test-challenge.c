/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "gp-challenge.h"

/* ---- helpers ------------------------------------------------------------ */

/* Parses header values that must parse; NULL-terminated. */
static GPtrArray *
parse_values (const char * const *values)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *challenges = gp_challenge_parse (values, &error);

  g_assert_no_error (error);
  g_assert_nonnull (challenges);
  return challenges;
}

static GPtrArray *
parse_one (const char *value)
{
  const char *values[] = { value, NULL };

  return parse_values (values);
}

static GpChallenge *
nth (GPtrArray *challenges,
     guint      index)
{
  g_assert_cmpuint (index, <, challenges->len);
  return g_ptr_array_index (challenges, index);
}

/* Checks the scheme, the token68 and exactly the given params, in order:
 * a NULL-terminated list of name, value pairs. */
static void
assert_challenge (GpChallenge *challenge,
                  const char  *scheme,
                  const char  *token68,
                  ...)
{
  va_list args;
  guint n = 0;
  const char *name;

  g_assert_cmpstr (gp_challenge_get_scheme (challenge), ==, scheme);
  g_assert_cmpstr (gp_challenge_get_token68 (challenge), ==, token68);

  va_start (args, token68);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_assert_cmpuint (n, <, gp_challenge_get_n_params (challenge));
      g_assert_cmpstr (gp_challenge_get_param_name (challenge, n), ==, name);
      g_assert_cmpstr (gp_challenge_get_param_value (challenge, n), ==, value);
      g_assert_cmpstr (gp_challenge_get_param (challenge, name), ==, value);
      n++;
    }
  va_end (args);

  g_assert_cmpuint (gp_challenge_get_n_params (challenge), ==, n);
}

static void
assert_utf8 (const char *text)
{
  if (text != NULL)
    g_assert_true (g_utf8_validate (text, -1, NULL));
}

/* What a front end may do with any parsed challenge: everything valid
 * UTF-8, within bounds, printable and serialisable. */
static void
assert_sane (GPtrArray *challenges)
{
  g_assert_cmpuint (challenges->len, <=, GP_CHALLENGE_MAX_CHALLENGES);

  for (guint i = 0; i < challenges->len; i++)
    {
      GpChallenge *challenge = g_ptr_array_index (challenges, i);
      g_autofree char *text = gp_challenge_to_string (challenge);
      guint n_params = gp_challenge_get_n_params (challenge);

      g_assert_nonnull (gp_challenge_get_scheme (challenge));
      g_assert_cmpstr (gp_challenge_get_scheme (challenge), !=, "");
      assert_utf8 (gp_challenge_get_scheme (challenge));
      assert_utf8 (gp_challenge_get_token68 (challenge));
      g_assert_cmpuint (n_params, <=, GP_CHALLENGE_MAX_PARAMS);
      for (guint p = 0; p < n_params; p++)
        {
          g_assert_nonnull (gp_challenge_get_param_name (challenge, p));
          assert_utf8 (gp_challenge_get_param_name (challenge, p));
          assert_utf8 (gp_challenge_get_param_value (challenge, p));
        }
      g_assert_true (gp_challenge_is_scheme (challenge, gp_challenge_get_scheme (challenge)));
      g_assert_nonnull (text);
      assert_utf8 (text);
    }
}

/* The JSON of one challenge, generated and parsed back. */
static JsonObject *
challenge_json (GpChallenge *challenge)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  json_builder_begin_array (builder);
  gp_challenge_add_json (challenge, builder);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  return json_object_ref (json_array_get_object_element (array, 0));
}

static gboolean
is_utf8 (const char *text)
{
  return text == NULL || g_utf8_validate (text, -1, NULL);
}

/* assert_sane () as a predicate, so that a fuzz loop can name the input
 * before it fails. */
static gboolean
challenges_are_sane (GPtrArray *challenges)
{
  if (challenges->len > GP_CHALLENGE_MAX_CHALLENGES)
    return FALSE;

  for (guint i = 0; i < challenges->len; i++)
    {
      GpChallenge *challenge = g_ptr_array_index (challenges, i);
      const char *scheme = gp_challenge_get_scheme (challenge);
      g_autofree char *text = gp_challenge_to_string (challenge);

      if (scheme == NULL || *scheme == '\0' || !is_utf8 (scheme) ||
          !is_utf8 (gp_challenge_get_token68 (challenge)) || !is_utf8 (text) ||
          gp_challenge_get_n_params (challenge) > GP_CHALLENGE_MAX_PARAMS)
        return FALSE;
      for (guint p = 0; p < gp_challenge_get_n_params (challenge); p++)
        if (gp_challenge_get_param_name (challenge, p) == NULL ||
            !is_utf8 (gp_challenge_get_param_name (challenge, p)) ||
            !is_utf8 (gp_challenge_get_param_value (challenge, p)))
          return FALSE;
    }
  return TRUE;
}

static void
check_fuzz_result (GPtrArray  *challenges,
                   guint       round,
                   const char *input)
{
  if (!challenges_are_sane (challenges))
    {
      g_autofree char *escaped = g_strescape (input, NULL);

      g_test_message ("fuzz round %u: \"%s\"", round, escaped);
      assert_sane (challenges);
    }
  for (guint i = 0; i < challenges->len; i++)
    {
      g_autoptr(JsonObject) object = challenge_json (g_ptr_array_index (challenges, i));

      g_assert_nonnull (json_object_get_string_member (object, "scheme"));
    }
}

static void
assert_too_large (const char * const *values)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) challenges = gp_challenge_parse (values, &error);

  g_assert_null (challenges);
  g_assert_error (error, GP_CHALLENGE_ERROR, GP_CHALLENGE_ERROR_TOO_LARGE);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

/* ---- RFC 9110 ----------------------------------------------------------- */

static void
test_rfc_example (void)
{
  /* RFC 9110 §11.6.1, with its escaped quotes. */
  g_autoptr(GPtrArray) challenges =
    parse_one ("Newauth realm=\"apps\", type=1,\n"
               "                       title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"");

  g_assert_cmpuint (challenges->len, ==, 2);
  assert_challenge (nth (challenges, 0), "Newauth", NULL,
                    "realm", "apps", "type", "1", "title", "Login to \"apps\"", NULL);
  assert_challenge (nth (challenges, 1), "Basic", NULL, "realm", "simple", NULL);
  g_assert_cmpstr (gp_challenge_get_realm (nth (challenges, 0)), ==, "apps");
  g_assert_cmpstr (gp_challenge_get_realm (nth (challenges, 1)), ==, "simple");
}

static void
test_rfc_example_one_line (void)
{
  g_autoptr(GPtrArray) challenges =
    parse_one ("Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"");

  g_assert_cmpuint (challenges->len, ==, 2);
  assert_challenge (nth (challenges, 0), "Newauth", NULL,
                    "realm", "apps", "type", "1", "title", "Login to \"apps\"", NULL);
  assert_challenge (nth (challenges, 1), "Basic", NULL, "realm", "simple", NULL);
}

static void
test_rfc_order_reversed (void)
{
  g_autoptr(GPtrArray) challenges = parse_one ("Basic realm=\"simple\", Newauth realm=\"apps\"");

  g_assert_cmpuint (challenges->len, ==, 2);
  assert_challenge (nth (challenges, 0), "Basic", NULL, "realm", "simple", NULL);
  assert_challenge (nth (challenges, 1), "Newauth", NULL, "realm", "apps", NULL);
}

static void
test_several_headers (void)
{
  const char *values[] = {
    "Negotiate",
    "NTLM",
    "Basic realm=\"Corp\"",
    "Digest realm=\"Corp\", nonce=\"n1\", qop=\"auth\"",
    NULL
  };
  g_autoptr(GPtrArray) challenges = parse_values (values);

  g_assert_cmpuint (challenges->len, ==, 4);
  assert_challenge (nth (challenges, 0), "Negotiate", NULL, NULL);
  assert_challenge (nth (challenges, 1), "NTLM", NULL, NULL);
  assert_challenge (nth (challenges, 2), "Basic", NULL, "realm", "Corp", NULL);
  assert_challenge (nth (challenges, 3), "Digest", NULL,
                    "realm", "Corp", "nonce", "n1", "qop", "auth", NULL);
}

static void
test_several_headers_several_challenges (void)
{
  const char *values[] = {
    "Digest realm=\"d\", nonce=\"x\", Basic realm=\"b\"",
    "",
    "NTLM, Negotiate",
    NULL
  };
  g_autoptr(GPtrArray) challenges = parse_values (values);

  g_assert_cmpuint (challenges->len, ==, 4);
  assert_challenge (nth (challenges, 0), "Digest", NULL, "realm", "d", "nonce", "x", NULL);
  assert_challenge (nth (challenges, 1), "Basic", NULL, "realm", "b", NULL);
  assert_challenge (nth (challenges, 2), "NTLM", NULL, NULL);
  assert_challenge (nth (challenges, 3), "Negotiate", NULL, NULL);
}

static void
test_params_do_not_cross_headers (void)
{
  /* Each header value is a list of its own; a param at the start of the
   * second one has no scheme before it in that value. Whichever way it is
   * read, it must not become a challenge. */
  const char *values[] = { "Basic realm=\"a\"", "Digest nonce=\"n\"", NULL };
  g_autoptr(GPtrArray) challenges = parse_values (values);

  g_assert_cmpuint (challenges->len, ==, 2);
  assert_challenge (nth (challenges, 0), "Basic", NULL, "realm", "a", NULL);
  assert_challenge (nth (challenges, 1), "Digest", NULL, "nonce", "n", NULL);
}

static void
test_scheme_case (void)
{
  g_autoptr(GPtrArray) challenges = parse_one ("bAsIc REALM=\"Mixed\", Charset=\"UTF-8\"");
  GpChallenge *challenge;

  g_assert_cmpuint (challenges->len, ==, 1);
  challenge = nth (challenges, 0);
  /* As the proxy sent it, but compared without case. */
  assert_challenge (challenge, "bAsIc", NULL, "realm", "Mixed", "charset", "UTF-8", NULL);
  g_assert_true (gp_challenge_is_scheme (challenge, "Basic"));
  g_assert_true (gp_challenge_is_scheme (challenge, "BASIC"));
  g_assert_true (gp_challenge_is_scheme (challenge, "basic"));
  g_assert_false (gp_challenge_is_scheme (challenge, "Basi"));
  g_assert_false (gp_challenge_is_scheme (challenge, "Basics"));
  g_assert_false (gp_challenge_is_scheme (challenge, "Digest"));
  g_assert_false (gp_challenge_is_scheme (challenge, ""));
  /* Lookups ignore case too. */
  g_assert_cmpstr (gp_challenge_get_param (challenge, "REALM"), ==, "Mixed");
  g_assert_cmpstr (gp_challenge_get_param (challenge, "CharSet"), ==, "UTF-8");
  g_assert_null (gp_challenge_get_param (challenge, "nonce"));
}

static void
test_token68 (void)
{
  g_autoptr(GPtrArray) ntlm = parse_one ("NTLM TlRMTVNTUAACAAAA==");
  g_autoptr(GPtrArray) negotiate = parse_one ("Negotiate");
  g_autoptr(GPtrArray) negotiate_token = parse_one ("Negotiate YIIBhwYGKwYBBQUCoII+/a-b.c_d~e");
  g_autoptr(GPtrArray) mixed = parse_one ("NTLM TlRMTVNTUAACAAAA==, Basic realm=\"x\"");
  /* A param that follows a token68 belongs to no challenge. */
  g_autoptr(GPtrArray) stray = parse_one ("NTLM abc=, realm=\"x\", Basic realm=\"y\"");

  g_assert_cmpuint (ntlm->len, ==, 1);
  assert_challenge (nth (ntlm, 0), "NTLM", "TlRMTVNTUAACAAAA==", NULL);
  g_assert_null (gp_challenge_get_realm (nth (ntlm, 0)));

  g_assert_cmpuint (negotiate->len, ==, 1);
  assert_challenge (nth (negotiate, 0), "Negotiate", NULL, NULL);

  g_assert_cmpuint (negotiate_token->len, ==, 1);
  assert_challenge (nth (negotiate_token, 0), "Negotiate", "YIIBhwYGKwYBBQUCoII+/a-b.c_d~e", NULL);

  g_assert_cmpuint (mixed->len, ==, 2);
  assert_challenge (nth (mixed, 0), "NTLM", "TlRMTVNTUAACAAAA==", NULL);
  assert_challenge (nth (mixed, 1), "Basic", NULL, "realm", "x", NULL);

  g_assert_cmpuint (stray->len, ==, 2);
  assert_challenge (nth (stray, 0), "NTLM", "abc=", NULL);
  assert_challenge (nth (stray, 1), "Basic", NULL, "realm", "y", NULL);
}

static void
test_empty_elements (void)
{
  static const char * const cases[] = {
    "Basic , realm=\"x\"",
    ",Basic realm=\"x\"",
    "Basic realm=\"x\",,",
    " , ,Basic realm=\"x\" , ,",
    "Basic ,, , realm=\"x\",",
    "\t,\tBasic\trealm=\"x\"\t,\t",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) challenges = NULL;

      g_test_message ("empty elements: %s", cases[i]);
      challenges = parse_one (cases[i]);
      g_assert_cmpuint (challenges->len, ==, 1);
      assert_challenge (nth (challenges, 0), "Basic", NULL, "realm", "x", NULL);
    }
}

static void
test_empty_input (void)
{
  static const char * const nothing[] = {
    "", ",", ",,,,,", " ", "   \t  ", " , , ", "=", "==", "a=", "=x", "\"quoted\"",
    "=\"x\"", "realm=\"x\"", "a=b, c=d",
  };
  const char *no_values[] = { NULL };
  g_autoptr(GPtrArray) from_null = NULL;
  g_autoptr(GPtrArray) from_empty_list = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (nothing); i++)
    {
      g_autoptr(GPtrArray) challenges = NULL;

      g_test_message ("no challenge in: %s", nothing[i]);
      challenges = parse_one (nothing[i]);
      g_assert_cmpuint (challenges->len, ==, 0);
    }

  from_null = gp_challenge_parse (NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (from_null);
  g_assert_cmpuint (from_null->len, ==, 0);

  from_empty_list = parse_values (no_values);
  g_assert_cmpuint (from_empty_list->len, ==, 0);
}

/* ---- real proxies ------------------------------------------------------- */

static void
test_squid (void)
{
  const char *values[] = {
    "Digest realm=\"Gatepass Digest\", nonce=\"abc\", qop=\"auth\", stale=false",
    "Basic realm=\"Squid proxy-caching web server\"",
    NULL
  };
  g_autoptr(GPtrArray) challenges = parse_values (values);

  g_assert_cmpuint (challenges->len, ==, 2);
  assert_challenge (nth (challenges, 0), "Digest", NULL,
                    "realm", "Gatepass Digest", "nonce", "abc", "qop", "auth", "stale", "false", NULL);
  assert_challenge (nth (challenges, 1), "Basic", NULL,
                    "realm", "Squid proxy-caching web server", NULL);
}

static void
test_digest_rfc7616 (void)
{
  /* RFC 7616 §3.9.1: a comma inside a quoted qop list, an unquoted
   * algorithm token. */
  g_autoptr(GPtrArray) challenges =
    parse_one ("Digest "
               "realm=\"http-auth@example.org\", "
               "qop=\"auth, auth-int\", "
               "algorithm=SHA-256, "
               "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
               "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", "
               "Digest realm=\"http-auth@example.org\", algorithm=MD5");

  g_assert_cmpuint (challenges->len, ==, 2);
  assert_challenge (nth (challenges, 0), "Digest", NULL,
                    "realm", "http-auth@example.org",
                    "qop", "auth, auth-int",
                    "algorithm", "SHA-256",
                    "nonce", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                    "opaque", "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
                    NULL);
  assert_challenge (nth (challenges, 1), "Digest", NULL,
                    "realm", "http-auth@example.org", "algorithm", "MD5", NULL);
}

static void
test_windows (void)
{
  const char *values[] = { "Negotiate", "Kerberos", "NTLM", NULL };
  g_autoptr(GPtrArray) challenges = parse_values (values);
  g_autoptr(GPtrArray) one_line = parse_one ("Negotiate, Kerberos, NTLM");

  g_assert_cmpuint (challenges->len, ==, 3);
  assert_challenge (nth (challenges, 0), "Negotiate", NULL, NULL);
  assert_challenge (nth (challenges, 1), "Kerberos", NULL, NULL);
  assert_challenge (nth (challenges, 2), "NTLM", NULL, NULL);

  g_assert_cmpuint (one_line->len, ==, 3);
  assert_challenge (nth (one_line, 0), "Negotiate", NULL, NULL);
  assert_challenge (nth (one_line, 1), "Kerberos", NULL, NULL);
  assert_challenge (nth (one_line, 2), "NTLM", NULL, NULL);
}

static void
test_bws (void)
{
  static const char * const cases[] = {
    "Basic realm = \"x\", charset =UTF-8",
    "Basic realm= \"x\" , charset= UTF-8",
    "Basic\trealm\t=\t\"x\"\t,\tcharset\t=\tUTF-8",
    "  Basic   realm  =  \"x\"  ,  charset  =  UTF-8  ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) challenges = NULL;

      g_test_message ("BWS: %s", cases[i]);
      challenges = parse_one (cases[i]);
      g_assert_cmpuint (challenges->len, ==, 1);
      assert_challenge (nth (challenges, 0), "Basic", NULL, "realm", "x", "charset", "UTF-8", NULL);
    }
}

static void
test_unknown_params (void)
{
  g_autoptr(GPtrArray) challenges =
    parse_one ("Basic realm=\"x\", X-Custom=\"hello, world\", flag=yes, empty=\"\"");

  g_assert_cmpuint (challenges->len, ==, 1);
  assert_challenge (nth (challenges, 0), "Basic", NULL,
                    "realm", "x", "x-custom", "hello, world", "flag", "yes", "empty", "", NULL);
}

static void
test_duplicate_param (void)
{
  g_autoptr(GPtrArray) challenges =
    parse_one ("Basic realm=\"first\", realm=\"second\", REALM=\"third\", Basic realm=\"other\"");

  g_assert_cmpuint (challenges->len, ==, 2);
  assert_challenge (nth (challenges, 0), "Basic", NULL, "realm", "first", NULL);
  assert_challenge (nth (challenges, 1), "Basic", NULL, "realm", "other", NULL);
}

static void
test_quoted_specials (void)
{
  g_autoptr(GPtrArray) challenges =
    parse_one ("Basic realm=\"a, b = c\", note=\"back\\\\slash \\q\", Digest realm=\"\\\"\"");

  g_assert_cmpuint (challenges->len, ==, 2);
  /* A quoted-pair stands for its second character. */
  assert_challenge (nth (challenges, 0), "Basic", NULL,
                    "realm", "a, b = c", "note", "back\\slash q", NULL);
  assert_challenge (nth (challenges, 1), "Digest", NULL, "realm", "\"", NULL);
}

static void
test_utf8_kept (void)
{
  g_autoptr(GPtrArray) challenges = parse_one ("Basic realm=\"Büro € 🚀\"");

  g_assert_cmpuint (challenges->len, ==, 1);
  assert_challenge (nth (challenges, 0), "Basic", NULL, "realm", "Büro € 🚀", NULL);
}

/* ---- output ------------------------------------------------------------- */

static void
test_to_string (void)
{
  static const struct {
    const char *header;
    const char *expected[3];
  } cases[] = {
    { "Basic realm=\"Corp\"", { "Basic realm=\"Corp\"" } },
    { "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"",
      { "Newauth realm=\"apps\", type=\"1\", title=\"Login to \\\"apps\\\"\"", "Basic realm=\"simple\"" } },
    { "NTLM TlRMTVNTUAACAAAA==", { "NTLM TlRMTVNTUAACAAAA==" } },
    { "Negotiate, Kerberos", { "Negotiate", "Kerberos" } },
    { "Basic realm=\"back\\\\slash\"", { "Basic realm=\"back\\\\slash\"" } },
    /* Control characters never reach people: C0, DEL, C1 (U+009B is a CSI
     * on many terminals), an escape sequence, a bidi override. */
    { "Basic realm=\"a\tb\x01" "c\x7f\"", { "Basic realm=\"a\uFFFDb\uFFFDc\uFFFD\"" } },
    { "Basic realm=\"x\xc2\x9b" "2J\xc2\x85y\"", { "Basic realm=\"x\uFFFD" "2J\uFFFDy\"" } },
    { "Basic realm=\"\x1b]0;owned\x07\"", { "Basic realm=\"\uFFFD]0;owned\uFFFD\"" } },
    { "Basic realm=\"abc\xe2\x80\xae" "def\"", { "Basic realm=\"abc\uFFFDdef\"" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) challenges = parse_one (cases[i].header);
      guint n = 0;

      g_test_message ("to_string: %s", cases[i].header);
      while (n < G_N_ELEMENTS (cases[i].expected) && cases[i].expected[n] != NULL)
        n++;
      g_assert_cmpuint (challenges->len, ==, n);
      for (guint c = 0; c < n; c++)
        {
          g_autofree char *text = gp_challenge_to_string (nth (challenges, c));

          g_assert_cmpstr (text, ==, cases[i].expected[c]);
        }
    }
}

static void
test_json_params (void)
{
  g_autoptr(GPtrArray) challenges =
    parse_one ("Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\"");
  g_autoptr(JsonObject) object = challenge_json (nth (challenges, 0));
  JsonObject *params;
  g_autoptr(GList) names = NULL;

  g_assert_cmpstr (json_object_get_string_member (object, "scheme"), ==, "Newauth");
  g_assert_cmpstr (json_object_get_string_member (object, "realm"), ==, "apps");
  g_assert_false (json_object_has_member (object, "token68"));
  g_assert_cmpuint (json_object_get_size (object), ==, 3);

  params = json_object_get_object_member (object, "params");
  g_assert_nonnull (params);
  g_assert_cmpuint (json_object_get_size (params), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (params, "realm"), ==, "apps");
  g_assert_cmpstr (json_object_get_string_member (params, "type"), ==, "1");
  g_assert_cmpstr (json_object_get_string_member (params, "title"), ==, "Login to \"apps\"");

  /* In the order the proxy sent them. */
  names = json_object_get_members (params);
  g_assert_cmpstr (g_list_nth_data (names, 0), ==, "realm");
  g_assert_cmpstr (g_list_nth_data (names, 1), ==, "type");
  g_assert_cmpstr (g_list_nth_data (names, 2), ==, "title");
}

static void
test_json_no_realm (void)
{
  g_autoptr(GPtrArray) challenges = parse_one ("Negotiate, Digest nonce=\"n\"");
  g_autoptr(JsonObject) negotiate = challenge_json (nth (challenges, 0));
  g_autoptr(JsonObject) digest = challenge_json (nth (challenges, 1));

  g_assert_cmpstr (json_object_get_string_member (negotiate, "scheme"), ==, "Negotiate");
  g_assert_true (json_object_has_member (negotiate, "realm"));
  g_assert_true (json_object_get_null_member (negotiate, "realm"));
  g_assert_false (json_object_has_member (negotiate, "token68"));
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (negotiate, "params")), ==, 0);

  g_assert_true (json_object_get_null_member (digest, "realm"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (digest, "params"),
                                                  "nonce"), ==, "n");
}

static void
test_json_token68 (void)
{
  g_autoptr(GPtrArray) challenges = parse_one ("NTLM TlRMTVNTUAACAAAA==");
  g_autoptr(JsonObject) object = challenge_json (nth (challenges, 0));

  g_assert_cmpstr (json_object_get_string_member (object, "scheme"), ==, "NTLM");
  g_assert_true (json_object_get_null_member (object, "realm"));
  g_assert_cmpstr (json_object_get_string_member (object, "token68"), ==, "TlRMTVNTUAACAAAA==");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "params")), ==, 0);
}

static void
test_json_hostile_values (void)
{
  g_autoptr(GPtrArray) challenges =
    parse_one ("Basic realm=\"\\\"}], \\\\ \x01\x1f \xff\xfe Büro\"");
  g_autoptr(JsonObject) object = NULL;
  const char *realm;

  g_assert_cmpuint (challenges->len, ==, 1);
  object = challenge_json (nth (challenges, 0));
  realm = json_object_get_string_member (object, "realm");
  /* JSON quotes survive; control bytes and invalid UTF-8 do not. */
  g_assert_true (g_str_has_prefix (realm, "\"}], \\ \uFFFD\uFFFD "));
  g_assert_true (g_str_has_suffix (realm, " Büro"));
  g_assert_true (g_utf8_validate (realm, -1, NULL));
  for (const char *p = realm; *p; p++)
    g_assert_cmpint ((guchar) *p, >=, 0x20);
}

/* ---- hostile input ------------------------------------------------------ */

static void
test_megabytes (void)
{
  gsize size = 4 * 1024 * 1024;
  g_autofree char *huge = g_malloc (size + 1);
  const char *values[] = { huge, NULL };

  memset (huge, 'a', size);
  huge[size] = '\0';
  memcpy (huge, "Basic realm=\"", strlen ("Basic realm=\""));
  assert_too_large (values);
}

static void
test_too_large_over_headers (void)
{
  /* Each value is under the bound; together they are over it. */
  gsize size = GP_CHALLENGE_MAX_INPUT / 2;
  g_autofree char *half = g_strnfill (size, 'b');
  const char *values[] = { "Basic realm=\"x\"", half, half, NULL };

  assert_too_large (values);
}

static void
test_input_bound (void)
{
  /* Exactly at the bound is accepted. */
  g_autofree char *exact = g_strnfill (GP_CHALLENGE_MAX_INPUT, 'A');
  g_autofree char *over = g_strnfill (GP_CHALLENGE_MAX_INPUT + 1, 'A');
  const char *exact_values[] = { exact, NULL };
  const char *over_values[] = { over, NULL };
  g_autoptr(GPtrArray) challenges = parse_values (exact_values);

  /* A very long token is one (odd) scheme, no more. */
  g_assert_cmpuint (challenges->len, ==, 1);
  g_assert_cmpuint (strlen (gp_challenge_get_scheme (nth (challenges, 0))), ==, GP_CHALLENGE_MAX_INPUT);
  assert_too_large (over_values);
}

static void
test_long_token68 (void)
{
  g_autofree char *token = g_strnfill (60000, 'Q');
  g_autofree char *header = g_strconcat ("Negotiate ", token, "==", NULL);
  g_autofree char *expected = g_strconcat (token, "==", NULL);
  g_autoptr(GPtrArray) challenges = parse_one (header);

  g_assert_cmpuint (challenges->len, ==, 1);
  assert_challenge (nth (challenges, 0), "Negotiate", expected, NULL);
}

static void
test_many_challenges (void)
{
  g_autoptr(GString) at_limit = g_string_new (NULL);
  g_autoptr(GString) thousands = g_string_new (NULL);
  g_autoptr(GPtrArray) challenges = NULL;
  const char *at_limit_values[] = { NULL, NULL };
  const char *over_values[] = { NULL, "Basic", NULL };
  const char *thousands_values[] = { NULL, NULL };

  for (guint i = 0; i < GP_CHALLENGE_MAX_CHALLENGES; i++)
    g_string_append_printf (at_limit, "S%u realm=\"r%u\", ", i, i);
  at_limit_values[0] = at_limit->str;
  challenges = parse_values (at_limit_values);
  g_assert_cmpuint (challenges->len, ==, GP_CHALLENGE_MAX_CHALLENGES);
  assert_challenge (nth (challenges, GP_CHALLENGE_MAX_CHALLENGES - 1), "S63", NULL, "realm", "r63", NULL);

  /* One more, in another header. */
  over_values[0] = at_limit->str;
  assert_too_large (over_values);

  for (guint i = 0; i < 5000; i++)
    g_string_append (thousands, "Basic, ");
  thousands_values[0] = thousands->str;
  assert_too_large (thousands_values);
}

static void
test_many_params (void)
{
  g_autoptr(GString) header = g_string_new ("Basic realm=\"r\"");
  g_autoptr(GPtrArray) challenges = NULL;
  GpChallenge *challenge;

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (header, ", p%u=%u", i, i);
  g_string_append (header, ", Digest realm=\"d\"");

  challenges = parse_one (header->str);
  g_assert_cmpuint (challenges->len, ==, 2);
  challenge = nth (challenges, 0);
  /* The first ones are kept, the rest dropped: no error. */
  g_assert_cmpuint (gp_challenge_get_n_params (challenge), ==, GP_CHALLENGE_MAX_PARAMS);
  g_assert_cmpstr (gp_challenge_get_param_name (challenge, 0), ==, "realm");
  g_assert_cmpstr (gp_challenge_get_param (challenge, "p0"), ==, "0");
  g_assert_null (gp_challenge_get_param (challenge, "p2999"));
  assert_challenge (nth (challenges, 1), "Digest", NULL, "realm", "d", NULL);
  assert_sane (challenges);
}

static void
test_unterminated_quote (void)
{
  const char *values[] = { "Basic realm=\"abc, Digest realm=x", "NTLM", NULL };
  g_autoptr(GPtrArray) challenges = parse_values (values);
  g_autoptr(GPtrArray) bare = parse_one ("Basic realm=\"");

  /* The quote runs to the end of its own header value, not beyond. */
  g_assert_cmpuint (challenges->len, ==, 2);
  g_assert_cmpstr (gp_challenge_get_scheme (nth (challenges, 0)), ==, "Basic");
  g_assert_cmpstr (gp_challenge_get_realm (nth (challenges, 0)), ==, "abc, Digest realm=x");
  assert_challenge (nth (challenges, 1), "NTLM", NULL, NULL);
  assert_sane (challenges);

  g_assert_cmpuint (bare->len, ==, 1);
  g_assert_cmpstr (gp_challenge_get_scheme (nth (bare, 0)), ==, "Basic");
  g_assert_cmpstr (gp_challenge_get_realm (nth (bare, 0)), ==, "");
}

static void
test_backslash_at_end (void)
{
  static const char * const cases[] = {
    "Basic realm=\"x\\",
    "Basic realm=x\\",
    "Basic realm=\"x\\\"",
    "\\",
    "Basic \\",
    "Basic realm=\"x\", \\",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) challenges = NULL;

      g_test_message ("backslash: %s", cases[i]);
      challenges = parse_one (cases[i]);
      assert_sane (challenges);
      if (i < 3 || i == 5)
        {
          g_assert_cmpuint (challenges->len, ==, 1);
          g_assert_cmpstr (gp_challenge_get_scheme (nth (challenges, 0)), ==, "Basic");
        }
    }
}

static void
test_binary_bytes (void)
{
  char all[256];
  g_autofree char *in_quotes = NULL;
  g_autofree char *as_params = NULL;
  g_autoptr(GPtrArray) raw = NULL;
  g_autoptr(GPtrArray) quoted = NULL;
  g_autoptr(GPtrArray) params = NULL;

  for (guint i = 1; i < 256; i++)
    all[i - 1] = (char) i;
  all[255] = '\0';

  raw = parse_one (all);
  assert_sane (raw);

  in_quotes = g_strdup_printf ("Basic realm=\"%s\"", all);
  quoted = parse_one (in_quotes);
  assert_sane (quoted);
  g_assert_cmpuint (quoted->len, >=, 1);
  g_assert_cmpstr (gp_challenge_get_scheme (nth (quoted, 0)), ==, "Basic");

  as_params = g_strdup_printf ("X\xff\xfe realm\x80=\"\xc3\x28\", a\xe2\x82=b\xf0\x9f, %s", all + 0x7f);
  params = parse_one (as_params);
  assert_sane (params);

  /* Invalid UTF-8 inside a quoted realm becomes U+FFFD, valid text stays. */
  {
    g_autoptr(GPtrArray) challenges = parse_one ("Basic realm=\"caf\xe9 B\xc3\xbcro\"");

    g_assert_cmpuint (challenges->len, ==, 1);
    g_assert_cmpstr (gp_challenge_get_realm (nth (challenges, 0)), ==, "caf\xef\xbf\xbd B\xc3\xbcro");
  }
}

static void
test_ext_param_utf8 (void)
{
  /* RFC 8187 ext-values (`name*=charset''pct-encoded`) decode to bytes
   * that need not be UTF-8; what comes out must still be. */
  static const char * const cases[] = {
    "Basic realm=\"x\", title*=UTF-8''%ff%fe",
    "Basic title*=UTF-8''caf%e9",
    "Basic title*=utf-8''%c3%28, realm=\"x\"",
    "Basic title*=ISO-8859-1''caf%e9",
  };


  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) challenges = NULL;

      g_test_message ("ext-value: %s", cases[i]);
      challenges = parse_one (cases[i]);
      g_assert_cmpuint (challenges->len, ==, 1);
      assert_sane (challenges);
      g_clear_pointer (&challenges, g_ptr_array_unref);
    }
}

static void
test_odd_shapes (void)
{
  static const struct {
    const char *header;
    guint n_challenges;
  } cases[] = {
    { "=", 0 },
    { "==", 0 },
    { "a=", 0 },
    /* Neither an auth-param nor a token68: either reading will do. */
    { "Basic =", G_MAXUINT },
    { "Basic ==", G_MAXUINT },
    { "Basic realm", 1 },
    { "Basic realm=", 1 },
    { "Basic realm==", 1 },
    { "Basic a=b=c", 1 },
    { "Basic \"realm\"", 1 },
    { "Basic realm=\"x\" junk", 1 },
    { "Basic realm=\"x\"\"y\"", 1 },
    { "Basic, Basic, Basic", 3 },
    { "Basic realm=\"x\", a=, b==, =c, ==d", 1 },
    { "\"Basic\" realm=\"x\"", 0 },
    { "(Basic) realm=\"x\"", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) challenges = NULL;

      g_test_message ("odd shape: %s", cases[i].header);
      challenges = parse_one (cases[i].header);
      assert_sane (challenges);
      if (cases[i].n_challenges != G_MAXUINT)
        g_assert_cmpuint (challenges->len, ==, cases[i].n_challenges);
    }
}

static void
test_fuzz (void)
{
  static const char alphabet[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "  ,,,===\"\"\"\\\\/+*'%-._~\t"
    "\x01\x7f\x80\xbf\xc3\xe2\xf0\xff";
  /* A fixed seed, so that a failure can be replayed. */
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240607);
  char buffer[201];

  for (guint round = 0; round < 20000; round++)
    {
      guint length = g_rand_int_range (rand, 0, 201);
      guint cut;
      const char *values[3];
      g_autoptr(GPtrArray) challenges = NULL;
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < length; i++)
        buffer[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      buffer[length] = '\0';

      /* Sometimes as two header values. */
      cut = g_rand_int_range (rand, 0, length + 1);
      if (g_rand_boolean (rand) && cut < length)
        {
          values[0] = g_strndup (buffer, cut);
          values[1] = buffer + cut;
          values[2] = NULL;
        }
      else
        {
          values[0] = g_strdup (buffer);
          values[1] = NULL;
        }

      challenges = gp_challenge_parse (values, &error);
      /* "a,a,a,…" is more than the bound allows. */
      if (challenges == NULL)
        g_assert_error (error, GP_CHALLENGE_ERROR, GP_CHALLENGE_ERROR_TOO_LARGE);
      else
        {
          g_assert_no_error (error);
          check_fuzz_result (challenges, round, buffer);
        }
      g_free ((char *) values[0]);
    }
}

/* Random strings rarely look like headers: also put together pieces that
 * do, so the quoting, token68 and param paths are all walked. RFC 8187
 * `name*=` values are left to /challenge/hostile/ext-param-utf8. */
static void
test_fuzz_fragments (void)
{
  static const char * const fragments[] = {
    "Basic", "Digest", "NTLM", "Negotiate", "Newauth", "realm", "nonce", "qop", "stale",
    "=", "==", "\"", "\\", ",", ", ", " ", "\t", "abc", "TlRMTVNTUAACAAAA==", "a/b+c",
    "\"x, y\"", "\"\\\"\"", "\xff", "\xc3", "\xc3\xa9", "\xe2\x82", "\x01", "\x7f", "\r\n",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7616);

  for (guint round = 0; round < 10000; round++)
    {
      g_autoptr(GString) value = g_string_new (NULL);
      guint n = g_rand_int_range (rand, 0, 31);
      const char *values[] = { NULL, NULL, NULL };
      g_autoptr(GPtrArray) challenges = NULL;
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < n; i++)
        g_string_append (value, fragments[g_rand_int_range (rand, 0, G_N_ELEMENTS (fragments))]);
      values[0] = value->str;
      values[1] = g_rand_boolean (rand) ? value->str : NULL;

      challenges = gp_challenge_parse (values, &error);
      g_assert_no_error (error);
      check_fuzz_result (challenges, round, value->str);
    }
}

static gboolean
has_control_byte (const char *text)
{
  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

/* The text form goes to terminals (`gatepass --headless test`): whatever
 * the proxy sent, no escape sequence or other control byte gets through,
 * in values or in names. */
static void
test_to_string_control_bytes (void)
{
  static const char * const cases[] = {
    "Basic realm=\"\x1b[2J\x1b]0;owned\x07\"",
    "Basic \x1b[31mevil=\"x\"",
    "Basic \x1b]0;title\x07",
    "Basic a\tb=\"x\"",
    "Basic realm=\"x\", nonce=\"\x7f\"",
  };


  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) challenges = parse_one (cases[i]);
      g_autofree char *escaped = g_strescape (cases[i], NULL);

      g_test_message ("to_string of: %s", escaped);
      g_assert_cmpuint (challenges->len, ==, 1);
      for (guint c = 0; c < challenges->len; c++)
        {
          g_autofree char *text = gp_challenge_to_string (nth (challenges, c));
          g_autofree char *text_escaped = g_strescape (text, NULL);

          g_test_message ("  gives: %s", text_escaped);
          g_assert_false (has_control_byte (text));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/challenge/rfc/example", test_rfc_example);
  g_test_add_func ("/challenge/rfc/example-one-line", test_rfc_example_one_line);
  g_test_add_func ("/challenge/rfc/order", test_rfc_order_reversed);
  g_test_add_func ("/challenge/headers/several", test_several_headers);
  g_test_add_func ("/challenge/headers/several-challenges", test_several_headers_several_challenges);
  g_test_add_func ("/challenge/headers/params-do-not-cross", test_params_do_not_cross_headers);
  g_test_add_func ("/challenge/scheme/case", test_scheme_case);
  g_test_add_func ("/challenge/token68", test_token68);
  g_test_add_func ("/challenge/empty/elements", test_empty_elements);
  g_test_add_func ("/challenge/empty/input", test_empty_input);
  g_test_add_func ("/challenge/real/squid", test_squid);
  g_test_add_func ("/challenge/real/digest-rfc7616", test_digest_rfc7616);
  g_test_add_func ("/challenge/real/windows", test_windows);
  g_test_add_func ("/challenge/params/bws", test_bws);
  g_test_add_func ("/challenge/params/unknown", test_unknown_params);
  g_test_add_func ("/challenge/params/duplicate", test_duplicate_param);
  g_test_add_func ("/challenge/params/quoted-specials", test_quoted_specials);
  g_test_add_func ("/challenge/params/utf8", test_utf8_kept);
  g_test_add_func ("/challenge/output/to-string", test_to_string);
  g_test_add_func ("/challenge/output/json", test_json_params);
  g_test_add_func ("/challenge/output/json-no-realm", test_json_no_realm);
  g_test_add_func ("/challenge/output/json-token68", test_json_token68);
  g_test_add_func ("/challenge/output/json-hostile", test_json_hostile_values);
  g_test_add_func ("/challenge/hostile/megabytes", test_megabytes);
  g_test_add_func ("/challenge/hostile/too-large-over-headers", test_too_large_over_headers);
  g_test_add_func ("/challenge/hostile/input-bound", test_input_bound);
  g_test_add_func ("/challenge/hostile/long-token68", test_long_token68);
  g_test_add_func ("/challenge/hostile/many-challenges", test_many_challenges);
  g_test_add_func ("/challenge/hostile/many-params", test_many_params);
  g_test_add_func ("/challenge/hostile/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/challenge/hostile/backslash-at-end", test_backslash_at_end);
  g_test_add_func ("/challenge/hostile/binary", test_binary_bytes);
  g_test_add_func ("/challenge/hostile/odd-shapes", test_odd_shapes);
  g_test_add_func ("/challenge/hostile/fuzz", test_fuzz);
  g_test_add_func ("/challenge/hostile/fuzz-fragments", test_fuzz_fragments);
  g_test_add_func ("/challenge/ext-param-utf8", test_ext_param_utf8);
  g_test_add_func ("/challenge/to-string-control-bytes", test_to_string_control_bytes);

  return g_test_run ();
}
