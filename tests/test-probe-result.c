/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gp-challenge.h"
#include "gp-enums.h"
#include "gp-probe-result.h"
#include "gp-result-store.h"

/* ---- helpers ------------------------------------------------------------ */

static GPtrArray *
challenges_from (const char *header)
{
  const char *values[] = { header, NULL };
  g_autoptr(GError) error = NULL;
  GPtrArray *challenges = gp_challenge_parse (values, &error);

  g_assert_no_error (error);
  return challenges;
}

static char *
encode (GpProbeResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  gp_probe_result_add_json (result, builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static GpProbeResult *
decode (const char  *text,
        GError     **error)
{
  g_autoptr(JsonObject) object = parse_object (text);

  return gp_probe_result_new_from_json (object, error);
}

static void
assert_challenges_equal (GPtrArray *a,
                         GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      GpChallenge *x = g_ptr_array_index (a, i), *y = g_ptr_array_index (b, i);

      g_assert_cmpstr (gp_challenge_get_scheme (x), ==, gp_challenge_get_scheme (y));
      g_assert_cmpstr (gp_challenge_get_token68 (x), ==, gp_challenge_get_token68 (y));
      g_assert_cmpuint (gp_challenge_get_n_params (x), ==, gp_challenge_get_n_params (y));
      for (guint p = 0; p < gp_challenge_get_n_params (x); p++)
        {
          g_assert_cmpstr (gp_challenge_get_param_name (x, p), ==, gp_challenge_get_param_name (y, p));
          g_assert_cmpstr (gp_challenge_get_param_value (x, p), ==, gp_challenge_get_param_value (y, p));
        }
    }
}

static void
assert_results_equal (GpProbeResult *a,
                      GpProbeResult *b)
{
  gint64 ac, at, af, bc, bt, bf;

  g_assert_cmpstr (gp_probe_result_get_profile (a), ==, gp_probe_result_get_profile (b));
  g_assert_cmpint (gp_probe_result_get_verdict (a), ==, gp_probe_result_get_verdict (b));
  g_assert_cmpuint (gp_probe_result_get_status (a), ==, gp_probe_result_get_status (b));
  g_assert_cmpint (gp_probe_result_get_elapsed_ms (a), ==, gp_probe_result_get_elapsed_ms (b));
  gp_probe_result_get_timings (a, &ac, &at, &af);
  gp_probe_result_get_timings (b, &bc, &bt, &bf);
  g_assert_cmpint (ac, ==, bc);
  g_assert_cmpint (at, ==, bt);
  g_assert_cmpint (af, ==, bf);
  g_assert_cmpint (gp_probe_result_get_credentials_sent (a), ==, gp_probe_result_get_credentials_sent (b));
  g_assert_cmpint (gp_probe_result_get_path (a), ==, gp_probe_result_get_path (b));
  g_assert_cmpint (gp_probe_result_get_challenges_dropped (a), ==, gp_probe_result_get_challenges_dropped (b));
  g_assert_cmpint (gp_probe_result_get_proxy_401 (a), ==, gp_probe_result_get_proxy_401 (b));
  g_assert_cmpint (gp_probe_result_get_basic_offered (a), ==, gp_probe_result_get_basic_offered (b));
  g_assert_cmpint (gp_probe_result_get_action (a), ==, gp_probe_result_get_action (b));
  g_assert_cmpstr (gp_probe_result_get_direct_ip (a), ==, gp_probe_result_get_direct_ip (b));
  g_assert_cmpstr (gp_probe_result_get_location (a), ==, gp_probe_result_get_location (b));
  g_assert_cmpstr (gp_probe_result_get_detail (a), ==, gp_probe_result_get_detail (b));
  g_assert_cmpstr (gp_probe_result_get_advice (a), ==, gp_probe_result_get_advice (b));
  g_assert_cmpstr (gp_probe_result_get_curl_command (a), ==, gp_probe_result_get_curl_command (b));
  /* The contract prints the exit address of a working proxy only. */
  if (gp_probe_result_get_verdict (a) == GP_VERDICT_OK)
    g_assert_cmpstr (gp_probe_result_get_exit_ip (a), ==, gp_probe_result_get_exit_ip (b));
  assert_challenges_equal (gp_probe_result_get_challenges (a), gp_probe_result_get_challenges (b));
}

/* One result per verdict and path, each with a different mix of fields. */
static GpProbeResult *
sample_result (guint n)
{
  static const char * const headers[] = {
    NULL,
    "Basic realm=\"Corp\"",
    "Digest realm=\"x\", nonce=\"a\\\"b\", qop=\"auth\", stale, NTLM TlRMTVNTUAACAAAA==",
    "Negotiate, Bearer realm=\"é ü\" error=\"invalid_token\"",
    "NTLM",
  };
  g_autofree char *name = g_strdup_printf ("profile-%u ñ", n);
  GpProbeResult *result = gp_probe_result_new (name);
  g_autoptr(GEnumClass) verdicts = g_type_class_ref (GP_TYPE_VERDICT);
  g_autoptr(GEnumClass) actions = g_type_class_ref (GP_TYPE_ADVICE_ACTION);
  const char *header = headers[n % G_N_ELEMENTS (headers)];

  gp_probe_result_set_verdict (result, verdicts->values[n % verdicts->n_values].value);
  gp_probe_result_set_action (result, actions->values[n % actions->n_values].value);
  gp_probe_result_set_status (result, (n % 3 == 0) ? 0 : 200 + n % 300);
  gp_probe_result_set_elapsed_ms (result, n % 4 == 0 ? -1 : (gint64) n * 37);
  gp_probe_result_set_timings (result, n % 2 ? -1 : (gint64) n, n % 3 ? -1 : (gint64) n * 2,
                               n % 5 ? (gint64) n * 3 : -1);
  gp_probe_result_set_credentials_sent (result, n % 2);
  gp_probe_result_set_path (result, n % 7 == 0 ? GP_PROBE_PATH_GIO : GP_PROBE_PATH_LIBSOUP);
  gp_probe_result_set_challenges_dropped (result, n % 11 == 0);
  gp_probe_result_set_proxy_401 (result, n % 13 == 0);
  gp_probe_result_set_exit_ip (result, "203.0.113.7");
  gp_probe_result_set_direct_ip (result, n % 2 ? "198.51.100.23" : NULL);
  gp_probe_result_set_location (result, n % 5 == 1 ? "http://portal.example/login?a=1&b=“2”" : NULL);
  gp_probe_result_set_detail (result, n % 3 == 1 ? "Connection refused" : NULL);
  gp_probe_result_set_advice (result, n % 9 == 8 ? NULL : "Some advice, with “quotes” and a \\ backslash.");
  gp_probe_result_set_curl_command (result, "curl -sS -x 'http://proxy.example:3128' -U 'alice'");
  if (header != NULL)
    {
      g_autoptr(GPtrArray) challenges = challenges_from (header);
      gp_probe_result_set_challenges (result, challenges);
    }
  return result;
}

/* ---- round trip --------------------------------------------------------- */

static void
test_round_trip (void)
{
  for (guint n = 0; n < 200; n++)
    {
      g_autoptr(GpProbeResult) result = sample_result (n);
      g_autofree char *text = encode (result);
      g_autoptr(GError) error = NULL;
      g_autoptr(GpProbeResult) back = decode (text, &error);
      g_autofree char *again = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (back);
      assert_results_equal (result, back);
      again = encode (back);
      g_assert_cmpstr (again, ==, text);
    }
}

static void
test_round_trip_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gp-result-store-XXXXXX", NULL);
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 modified[20];
  g_autoptr(GError) error = NULL;

  for (guint n = 0; n < G_N_ELEMENTS (modified); n++)
    {
      g_autofree char *id = gp_profile_new_id ();

      g_ptr_array_add (profiles, gp_profile_new (id));
      g_ptr_array_add (results, sample_result (n));
      modified[n] = n % 2 ? -1 : (gint64) 1700000000 + n;
    }
  g_assert_true (gp_result_store_save_all (dir, profiles, results, modified, &error));
  g_assert_no_error (error);

  for (guint n = 0; n < profiles->len; n++)
    {
      const char *id = gp_profile_get_id (g_ptr_array_index (profiles, n));
      g_autoptr(GpStoredResult) stored = gp_result_store_load (dir, id, &error);

      g_assert_no_error (error);
      g_assert_nonnull (stored);
      g_assert_cmpstr (stored->profile_id, ==, id);
      g_assert_cmpint (stored->credential_modified, ==, modified[n]);
      g_assert_nonnull (stored->tested_at);
      assert_results_equal (g_ptr_array_index (results, n), stored->result);
    }

  g_assert_null (gp_result_store_load (dir, "never-tested", &error));
  g_assert_no_error (error);

  for (guint n = 0; n < profiles->len; n++)
    {
      g_autofree char *name = g_strconcat (gp_profile_get_id (g_ptr_array_index (profiles, n)), ".json", NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  /* The batch writers' lock stays with the folder; nothing else may. */
  {
    g_autofree char *lock = g_build_filename (dir, ".lock", NULL);

    g_remove (lock);
  }
  g_assert_cmpint (g_remove (dir), ==, 0);
}

static void
on_saved (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (res);
}

static gboolean
on_save_timeout (gpointer data)
{
  g_error ("the asynchronous save did not finish");
  return G_SOURCE_REMOVE;
}

static void
wait_for (GAsyncResult **res)
{
  guint timeout = g_timeout_add_seconds (30, on_save_timeout, NULL);

  while (*res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static void
remove_store_dir (const char *dir,
                  GPtrArray  *ids)
{
  g_autofree char *lock = g_build_filename (dir, ".lock", NULL);

  for (guint n = 0; n < ids->len; n++)
    {
      g_autofree char *name = g_strconcat (g_ptr_array_index (ids, n), ".json", NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_remove (lock);
  g_assert_cmpint (g_remove (dir), ==, 0);
}

/* The window saves in a worker thread: the save works on its own copies,
 * so the caller may change or drop its profiles and arrays at once. */
static void
test_save_all_async (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gp-result-store-XXXXXX", NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  gint64 modified[12];

  {
    g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint n = 0; n < G_N_ELEMENTS (modified); n++)
      {
        g_ptr_array_add (ids, gp_profile_new_id ());
        g_ptr_array_add (profiles, gp_profile_new (g_ptr_array_index (ids, n)));
        g_ptr_array_add (results, sample_result (n));
        g_ptr_array_add (kept, g_object_ref (g_ptr_array_index (results, n)));
        modified[n] = n % 3 ? (gint64) 1700000000 + n : -1;
      }
    gp_result_store_save_all_async (dir, profiles, results, modified, NULL, on_saved, &res);
    /* What a reload does on the main thread while the thread writes. */
    for (guint n = 0; n < profiles->len; n++)
      gp_profile_set_username (g_ptr_array_index (profiles, n), "changed");
    memset (modified, 0, sizeof modified);
  }

  wait_for (&res);
  g_assert_true (gp_result_store_save_all_finish (res, &error));
  g_assert_no_error (error);

  for (guint n = 0; n < ids->len; n++)
    {
      g_autoptr(GpStoredResult) stored = gp_result_store_load (dir, g_ptr_array_index (ids, n), &error);

      g_assert_no_error (error);
      g_assert_nonnull (stored);
      g_assert_cmpstr (stored->profile_id, ==, g_ptr_array_index (ids, n));
      g_assert_cmpint (stored->credential_modified, ==, n % 3 ? (gint64) 1700000000 + n : -1);
      assert_results_equal (g_ptr_array_index (kept, n), stored->result);
    }
  remove_store_dir (dir, ids);
}

/* A result shorter than the one its spare file held before: what is left
 * of the older one is cut (the spare is overwritten in place), so the
 * file holds the new result and nothing after it. Three saves: the
 * second creates the spare, the third writes over the longer first. */
static void
test_save_shorter_after_longer (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gp-result-store-XXXXXX", NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *long_advice = g_strnfill (20000, 'x');
  gint64 modified = -1;

  g_ptr_array_add (ids, gp_profile_new_id ());
  g_ptr_array_add (profiles, gp_profile_new (g_ptr_array_index (ids, 0)));
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GpStoredResult) stored = NULL;

      g_ptr_array_add (results, sample_result (round));
      if (round == 0)
        gp_probe_result_set_advice (g_ptr_array_index (results, 0), long_advice);
      g_assert_true (gp_result_store_save_all (dir, profiles, results, &modified, &error));
      g_assert_no_error (error);

      stored = gp_result_store_load (dir, g_ptr_array_index (ids, 0), &error);
      g_assert_no_error (error);
      g_assert_nonnull (stored);
      assert_results_equal (g_ptr_array_index (results, 0), stored->result);
    }
  {
    g_autofree char *name = g_strconcat (g_ptr_array_index (ids, 0), ".json.spare", NULL);
    g_autofree char *spare = g_build_filename (dir, name, NULL);

    g_assert_cmpint (g_remove (spare), ==, 0);
  }
  remove_store_dir (dir, ids);
}

/* Cancelled before it started: nothing is written. */
static void
test_save_all_async_cancelled (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gp-result-store-XXXXXX", NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpStoredResult) stored = NULL;
  gint64 modified = -1;

  g_ptr_array_add (ids, gp_profile_new_id ());
  g_ptr_array_add (profiles, gp_profile_new (g_ptr_array_index (ids, 0)));
  g_ptr_array_add (results, sample_result (0));
  g_cancellable_cancel (cancellable);
  gp_result_store_save_all_async (dir, profiles, results, &modified, cancellable, on_saved, &res);
  wait_for (&res);
  g_assert_false (gp_result_store_save_all_finish (res, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  stored = gp_result_store_load (dir, g_ptr_array_index (ids, 0), &error);
  g_assert_no_error (error);
  g_assert_null (stored);
  remove_store_dir (dir, ids);
}

/* A file written by an older Gatepass, before action, proxy_401 and
 * proxy_path: still a result. Unknown members are ignored. */
static void
test_older_and_extra_members (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProbeResult) result = decode (
    "{ \"profile\": \"office\", \"verdict\": \"auth-required\", \"status\": 407, \"challenges\": [],"
    "  \"exit_ip\": null, \"elapsed_ms\": 5, \"advice\": \"Store it.\","
    "  \"timings\": { \"connect_ms\": 1, \"tls_ms\": null, \"first_byte_ms\": 4 },"
    "  \"credentials_sent\": false, \"direct_ip\": null, \"location\": null,"
    "  \"challenges_dropped\": false, \"basic_offered\": true, \"detail\": null, \"curl\": \"curl\","
    "  \"from_the_future\": { \"anything\": [1, 2] } }", &error);

  g_assert_no_error (error);
  g_assert_cmpint (gp_probe_result_get_verdict (result), ==, GP_VERDICT_AUTH_REQUIRED);
  g_assert_cmpint (gp_probe_result_get_action (result), ==, GP_ADVICE_ACTION_NONE);
  g_assert_cmpint (gp_probe_result_get_path (result), ==, GP_PROBE_PATH_LIBSOUP);
  g_assert_false (gp_probe_result_get_proxy_401 (result));
  /* Derived from the challenges, not taken from the file. */
  g_assert_cmpint (gp_probe_result_get_basic_offered (result), ==, -1);
}

/* ---- hostile files ------------------------------------------------------- */

/* Replaces one member of a good result's JSON with `value` (NULL: drops it). */
static char *
with_member (const char *member,
             const char *value)
{
  g_autoptr(GpProbeResult) good = sample_result (2);
  g_autofree char *text = encode (good);
  g_autoptr(JsonObject) object = parse_object (text);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  if (value == NULL)
    json_object_remove_member (object, member);
  else
    json_object_set_member (object, member, json_from_string (value, NULL));
  json_node_set_object (root, object);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
test_rejects_bad_members (void)
{
  g_autofree char *huge = g_strnfill (GP_PROBE_RESULT_MAX_TEXT + 1, 'a');
  g_autofree char *huge_json = g_strdup_printf ("\"%s\"", huge);
  const struct { const char *member; const char *value; } cases[] = {
    { "profile", NULL }, { "profile", "null" }, { "profile", "7" },
    { "verdict", NULL }, { "verdict", "\"splendid\"" }, { "verdict", "\"OK\"" }, { "verdict", "0" },
    { "status", NULL }, { "status", "\"200\"" }, { "status", "99" }, { "status", "1000" }, { "status", "2.5" },
    { "status", "-1" }, { "challenges", NULL }, { "challenges", "{}" }, { "challenges", "[1]" },
    { "challenges", "[{ \"params\": {} }]" }, { "challenges", "[{ \"scheme\": \"\", \"params\": {} }]" },
    { "challenges", "[{ \"scheme\": \"Basic realm\", \"params\": {} }]" },
    { "challenges", "[{ \"scheme\": \"Basic\" }]" },
    { "challenges", "[{ \"scheme\": \"Basic\", \"params\": { \"Realm\": \"x\" } }]" },
    { "challenges", "[{ \"scheme\": \"Basic\", \"params\": { \"realm\": 1 } }]" },
    { "challenges", "[{ \"scheme\": \"Basic\", \"params\": { \"a b\": \"x\" } }]" },
    { "challenges", "[{ \"scheme\": \"Basic\", \"params\": { \"realm\": \"a\\u0007b\" } }]" },
    { "challenges", "[{ \"scheme\": \"NTLM\", \"token68\": \"a b\", \"params\": {} }]" },
    { "challenges", "[{ \"scheme\": \"NTLM\", \"token68\": 5, \"params\": {} }]" },
    { "elapsed_ms", NULL }, { "elapsed_ms", "-5" }, { "elapsed_ms", "true" }, { "elapsed_ms", "1e99" },
    { "timings", NULL }, { "timings", "[]" }, { "timings", "{ \"connect_ms\": 1, \"tls_ms\": null }" },
    { "credentials_sent", NULL }, { "credentials_sent", "1" }, { "challenges_dropped", "\"no\"" },
    { "proxy_401", "0" }, { "action", "\"dance\"" }, { "action", "3" }, { "proxy_path", "\"carrier-pigeon\"" },
    { "advice", NULL }, { "advice", "[]" }, { "advice", huge_json }, { "advice", "\"line\\nbreak\"" },
    { "detail", "\"\\u001b[31mred\"" }, { "exit_ip", "1" }, { "direct_ip", "{}" }, { "location", "false" },
    { "curl", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = with_member (cases[i].member, cases[i].value);
      g_autoptr(GError) error = NULL;
      g_autoptr(GpProbeResult) result = decode (text, &error);

      g_test_message ("%s: %.40s", cases[i].member, cases[i].value != NULL ? cases[i].value : "(missing)");
      g_assert_null (result);
      g_assert_nonnull (error);
      g_assert_true (error->domain == GP_PROBE_RESULT_ERROR || error->domain == GP_CHALLENGE_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_rejects_bad_challenge_counts (void)
{
  g_autoptr(GString) many = g_string_new ("[");
  g_autoptr(GString) params = g_string_new ("[{ \"scheme\": \"Basic\", \"params\": {");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  for (guint i = 0; i <= GP_CHALLENGE_MAX_CHALLENGES; i++)
    g_string_append_printf (many, "%s{ \"scheme\": \"Basic\", \"params\": {} }", i > 0 ? ", " : "");
  g_string_append (many, "]");
  text = with_member ("challenges", many->str);
  result = decode (text, &error);
  g_assert_null (result);
  g_assert_error (error, GP_PROBE_RESULT_ERROR, GP_PROBE_RESULT_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&text, g_free);

  for (guint i = 0; i <= GP_CHALLENGE_MAX_PARAMS; i++)
    g_string_append_printf (params, "%s\"p%u\": \"v\"", i > 0 ? ", " : "", i);
  g_string_append (params, "} }]");
  text = with_member ("challenges", params->str);
  result = decode (text, &error);
  g_assert_null (result);
  g_assert_error (error, GP_CHALLENGE_ERROR, GP_CHALLENGE_ERROR_INVALID);
}

/* Invalid UTF-8 never reaches the decoder through json-glib's parser;
 * an object built by other means is checked all the same. */
static void
test_rejects_invalid_utf8 (void)
{
  g_autoptr(GpProbeResult) good = sample_result (1);
  g_autofree char *text = encode (good);
  g_autoptr(JsonObject) object = parse_object (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  json_object_set_string_member (object, "detail", "bad \xff\xfe bytes");
  result = gp_probe_result_new_from_json (object, &error);
  g_assert_null (result);
  g_assert_error (error, GP_PROBE_RESULT_ERROR, GP_PROBE_RESULT_ERROR_INVALID);
}

static void
write_file (const char *dir,
            const char *id,
            const char *contents)
{
  g_autofree char *name = g_strconcat (id, ".json", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
test_store_rejects_bad_files (void)
{
  g_autoptr(GpProbeResult) good = sample_result (3);
  g_autofree char *result = encode (good);
  g_autofree char *dir = g_dir_make_tmp ("gp-result-store-XXXXXX", NULL);
  const char *cases[] = {
    "{ not json", "[]", "\"result\"", "{}",
    "{ \"profile_id\": \"other\", \"tested_at\": \"2026-01-02T03:04:05Z\", \"credential_modified\": null, \"result\": RESULT }",
    "{ \"profile_id\": \"p\", \"tested_at\": \"yesterday\", \"credential_modified\": null, \"result\": RESULT }",
    "{ \"profile_id\": \"p\", \"tested_at\": 5, \"credential_modified\": null, \"result\": RESULT }",
    "{ \"profile_id\": \"p\", \"tested_at\": \"2026-01-02T03:04:05Z\", \"credential_modified\": \"x\", \"result\": RESULT }",
    "{ \"profile_id\": \"p\", \"tested_at\": \"2026-01-02T03:04:05Z\", \"result\": RESULT }",
    "{ \"profile_id\": \"p\", \"tested_at\": \"2026-01-02T03:04:05Z\", \"credential_modified\": 1, \"result\": [] }",
    "{ \"profile_id\": \"p\", \"tested_at\": \"2026-01-02T03:04:05Z\", \"credential_modified\": 1 }",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) parts = g_strsplit (cases[i], "RESULT", -1);
      g_autofree char *contents = g_strjoinv (result, parts);
      g_autoptr(GError) error = NULL;
      g_autoptr(GpStoredResult) stored = NULL;

      write_file (dir, "p", contents);
      stored = gp_result_store_load (dir, "p", &error);
      g_test_message ("case %u", i);
      g_assert_null (stored);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, dir));
    }

  {
    g_autofree char *contents = g_strconcat ("{ \"profile_id\": \"p\", \"tested_at\": \"2026-01-02T03:04:05Z\", "
                                             "\"credential_modified\": 17, \"result\": ", result, " }", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GpStoredResult) stored = NULL;

    write_file (dir, "p", contents);
    stored = gp_result_store_load (dir, "p", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (stored->tested_at, ==, "2026-01-02T03:04:05Z");
    g_assert_cmpint (stored->credential_modified, ==, 17);
  }

  {
    g_autofree char *path = g_build_filename (dir, "p.json", NULL);
    g_remove (path);
    g_remove (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probe-result/round-trip", test_round_trip);
  g_test_add_func ("/probe-result/round-trip-store", test_round_trip_store);
  g_test_add_func ("/probe-result/store/save-all-async", test_save_all_async);
  g_test_add_func ("/probe-result/store/save-all-async-cancelled", test_save_all_async_cancelled);
  g_test_add_func ("/probe-result/store/shorter-after-longer", test_save_shorter_after_longer);
  g_test_add_func ("/probe-result/older-and-extra-members", test_older_and_extra_members);
  g_test_add_func ("/probe-result/rejects/members", test_rejects_bad_members);
  g_test_add_func ("/probe-result/rejects/counts", test_rejects_bad_challenge_counts);
  g_test_add_func ("/probe-result/rejects/utf8", test_rejects_invalid_utf8);
  g_test_add_func ("/probe-result/store/rejects", test_store_rejects_bad_files);

  return g_test_run ();
}
