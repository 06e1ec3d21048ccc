/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "gp-challenge.h"
#include "gp-probe-result.h"
#include "gp-prober.h"
#include "gp-profile.h"
#include "gp-proxy-url.h"

/* The prober against the real proxies of tests/proxy-lab.sh: squid with
 * Basic, Digest and NTLM, open and deny-all squids, a proxy that offers
 * only Negotiate, one that never answers, a closed port, and gp-echo-server
 * over HTTP and HTTPS. The squids connect out from 127.0.0.2; the echo
 * server sees a direct client as 127.0.0.1. */

#define SQUID_EXIT_IP  "127.0.0.2"
#define DIRECT_IP      "127.0.0.1"

/* No probe may take longer than this, whatever goes wrong. */
#define WATCHDOG_S     60

/* ---- the lab ----------------------------------------------------------- */

static const char *
lab (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run this test under tests/proxy-lab.sh", name);
  return value;
}

/* Everything the lab exports that these tests read. One check for the
 * whole program: a missing lab fails the run at once, and no test can
 * pass or be skipped without it. */
static const char * const lab_variables[] = {
  "GP_LAB_BASIC", "GP_LAB_DIGEST", "GP_LAB_NTLM", "GP_LAB_NEGOTIATE", "GP_LAB_OPEN",
  "GP_LAB_DENY", "GP_LAB_HANG", "GP_LAB_CLOSED", "GP_LAB_ECHO_HTTP", "GP_LAB_ECHO_HTTPS",
  "GP_LAB_CA", "GP_LAB_USER", "GP_LAB_PASSWORD", "GP_LAB_UTF8_USER", "GP_LAB_UTF8_PASSWORD",
};

static void
require_lab (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (lab_variables); i++)
    {
      const char *value = g_getenv (lab_variables[i]);

      if (value == NULL || *value == '\0')
        {
          g_print ("Bail out! %s is not set: run as keyring-session.sh proxy-lab.sh test-prober\n",
                   lab_variables[i]);
          exit (1);
        }
    }
}

static char *
echo_url (const char *base,
          const char *path)
{
  return g_strconcat (lab (base), path, NULL);
}

static GpProfile *
lab_profile (const char *proxy_variable,
             const char *username,
             GpAuthMode  auth)
{
  g_autofree char *id = g_strdup_printf ("lab-%s", proxy_variable + strlen ("GP_LAB_"));
  GpProfile *profile;

  for (char *p = id; *p; p++)
    *p = *p == '_' ? '-' : g_ascii_tolower (*p);
  profile = gp_profile_new (id);
  gp_profile_set_name (profile, id);
  gp_profile_set_url (profile, lab (proxy_variable));
  gp_profile_set_username (profile, username);
  gp_profile_set_auth (profile, auth);
  return profile;
}

static GpProfile *
password_profile (const char *proxy_variable)
{
  return lab_profile (proxy_variable, lab ("GP_LAB_USER"), GP_AUTH_PASSWORD);
}

static GTlsDatabase *
lab_tls_database (void)
{
  g_autoptr(GError) error = NULL;
  GTlsDatabase *database = g_tls_file_database_new (lab ("GP_LAB_CA"), &error);

  g_assert_no_error (error);
  g_assert_nonnull (database);
  return database;
}

static GpProber *
lab_prober (const char *echo_base,
            const char *path)
{
  g_autofree char *url = echo_url (echo_base, path);
  GpProber *prober = gp_prober_new (url);

  if (g_str_has_prefix (url, "https:"))
    {
      g_autoptr(GTlsDatabase) database = lab_tls_database ();

      gp_prober_set_tls_database (prober, database);
    }
  gp_prober_set_timeout (prober, 10);
  return prober;
}

/* ---- running a probe ----------------------------------------------------- */

typedef struct
{
  GMainLoop     *loop;
  GpProbeResult *result;
  GError        *error;
  gboolean       done;
  gint64         finished;     /* monotonic µs */
} Run;

static void
on_probed (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Run *run = user_data;

  run->result = gp_prober_probe_finish (GP_PROBER (source), res, &run->error);
  run->done = TRUE;
  run->finished = g_get_monotonic_time ();
  g_main_loop_quit (run->loop);
}

static gboolean
on_watchdog (gpointer user_data)
{
  g_error ("a probe took more than %d s", WATCHDOG_S);
  return G_SOURCE_REMOVE;
}

static void
run_probe (Run          *run,
           GpProber     *prober,
           GpProfile    *profile,
           const char   *password,
           GCancellable *cancellable)
{
  guint watchdog = g_timeout_add_seconds (WATCHDOG_S, on_watchdog, NULL);

  run->loop = g_main_loop_new (NULL, FALSE);
  gp_prober_probe_async (prober, profile, password, cancellable, on_probed, run);
  if (!run->done)
    g_main_loop_run (run->loop);
  g_source_remove (watchdog);
  g_clear_pointer (&run->loop, g_main_loop_unref);
}

/* Every secret of the lab, as typed, percent-encoded and in a Basic header. */
static void
assert_holds_no_secret (const char *text)
{
  static const char * const pairs[][2] = {
    { "GP_LAB_USER", "GP_LAB_PASSWORD" },
    { "GP_LAB_UTF8_USER", "GP_LAB_UTF8_PASSWORD" },
  };

  if (text == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      const char *user = lab (pairs[i][0]);
      const char *password = lab (pairs[i][1]);
      g_autofree char *escaped = gp_proxy_url_escape_userinfo (password);
      g_autofree char *pair = g_strconcat (user, ":", password, NULL);
      g_autofree char *basic = g_base64_encode ((const guchar *) pair, strlen (pair));

      g_assert_null (strstr (text, password));
      g_assert_null (strstr (text, escaped));
      g_assert_null (strstr (text, basic));
    }
}

static JsonObject *
result_json (GpProbeResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  gp_probe_result_add_json (result, builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_test_message ("result: %s", text);
  assert_holds_no_secret (text);

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Probes, checks what every result must hold, and returns the result. */
static GpProbeResult *
probe (GpProber   *prober,
       GpProfile  *profile,
       const char *password)
{
  Run run = { 0 };
  g_autoptr(JsonObject) object = NULL;

  run_probe (&run, prober, profile, password, NULL);
  g_assert_no_error (run.error);
  g_assert_nonnull (run.result);

  g_assert_cmpstr (gp_probe_result_get_profile (run.result), ==, gp_profile_get_name (profile));
  g_assert_nonnull (gp_probe_result_get_advice (run.result));
  g_assert_cmpstr (gp_probe_result_get_advice (run.result), !=, "");
  g_assert_cmpint (gp_probe_result_get_elapsed_ms (run.result), >=, 0);
  assert_holds_no_secret (gp_probe_result_get_advice (run.result));
  assert_holds_no_secret (gp_probe_result_get_detail (run.result));
  assert_holds_no_secret (gp_probe_result_get_curl_command (run.result));

  object = result_json (run.result);
  g_assert_cmpstr (json_object_get_string_member (object, "verdict"), ==,
                   gp_verdict_to_string (gp_probe_result_get_verdict (run.result)));
  if (gp_probe_result_get_verdict (run.result) != GP_VERDICT_OK)
    g_assert_true (json_object_get_null_member (object, "exit_ip"));
  if (gp_probe_result_get_status (run.result) == 0)
    g_assert_true (json_object_get_null_member (object, "status"));
  return run.result;
}

static void
assert_verdict (GpProbeResult *result,
                GpVerdict      verdict)
{
  g_assert_cmpstr (gp_verdict_to_string (gp_probe_result_get_verdict (result)), ==,
                   gp_verdict_to_string (verdict));
}

static GpChallenge *
only_challenge (GpProbeResult *result)
{
  GPtrArray *challenges = gp_probe_result_get_challenges (result);

  g_assert_cmpuint (challenges->len, ==, 1);
  return g_ptr_array_index (challenges, 0);
}

static void
assert_basic_challenge (GpProbeResult *result)
{
  GpChallenge *challenge = only_challenge (result);

  g_assert_cmpstr (gp_challenge_get_scheme (challenge), ==, "Basic");
  g_assert_cmpstr (gp_challenge_get_realm (challenge), ==, "Gatepass Basic");
  g_assert_null (gp_challenge_get_token68 (challenge));
}

/* ---- Basic ------------------------------------------------------------- */

static void
test_basic_no_password (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = password_profile ("GP_LAB_BASIC");
  result = probe (prober, profile, NULL);

  assert_verdict (result, GP_VERDICT_AUTH_REQUIRED);
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 407);
  assert_basic_challenge (result);
  g_assert_false (gp_probe_result_get_credentials_sent (result));
  g_assert_cmpint (gp_probe_result_get_path (result), ==, GP_PROBE_PATH_LIBSOUP);
  g_assert_null (gp_probe_result_get_exit_ip (result));
  /* The advice says what is missing; storing it is the action. */
  g_assert_nonnull (strstr (gp_probe_result_get_advice (result), "no password is stored"));
  g_assert_cmpint (gp_probe_result_get_action (result), ==, GP_ADVICE_ACTION_STORE_PASSWORD);
}

static void
test_basic_auth_none (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  /* A profile that sends nothing ignores a password handed in anyway. */
  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = lab_profile ("GP_LAB_BASIC", lab ("GP_LAB_USER"), GP_AUTH_NONE);
  result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));

  assert_verdict (result, GP_VERDICT_AUTH_REQUIRED);
  assert_basic_challenge (result);
  g_assert_false (gp_probe_result_get_credentials_sent (result));
}

static void
test_basic_wrong (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = password_profile ("GP_LAB_BASIC");
  result = probe (prober, profile, "wrong password");

  assert_verdict (result, GP_VERDICT_AUTH_REJECTED);
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 407);
  g_assert_true (gp_probe_result_get_credentials_sent (result));
  assert_basic_challenge (result);
  g_assert_null (gp_probe_result_get_exit_ip (result));
}

static void
test_basic_right (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;
  g_autoptr(JsonObject) object = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = password_profile ("GP_LAB_BASIC");
  result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));

  assert_verdict (result, GP_VERDICT_OK);
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 200);
  g_assert_cmpstr (gp_probe_result_get_exit_ip (result), ==, SQUID_EXIT_IP);
  g_assert_true (gp_probe_result_get_credentials_sent (result));
  /* The challenge that came before the authenticated retry. */
  assert_basic_challenge (result);
  g_assert_nonnull (strstr (gp_probe_result_get_advice (result), SQUID_EXIT_IP));

  object = result_json (result);
  g_assert_cmpstr (json_object_get_string_member (object, "exit_ip"), ==, SQUID_EXIT_IP);
  g_assert_cmpint (json_object_get_int_member (object, "status"), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "challenges")), ==, 1);
}

static void
test_basic_utf8 (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  /* squid compares the bytes: only UTF-8 Basic credentials match. */
  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = lab_profile ("GP_LAB_BASIC", lab ("GP_LAB_UTF8_USER"), GP_AUTH_PASSWORD);
  result = probe (prober, profile, lab ("GP_LAB_UTF8_PASSWORD"));

  assert_verdict (result, GP_VERDICT_OK);
  g_assert_cmpstr (gp_probe_result_get_exit_ip (result), ==, SQUID_EXIT_IP);
}

/* ---- Digest and NTLM ------------------------------------------------------ */

static void
test_digest_right (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;
  GpChallenge *challenge;

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = password_profile ("GP_LAB_DIGEST");
  result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));

  assert_verdict (result, GP_VERDICT_OK);
  g_assert_cmpstr (gp_probe_result_get_exit_ip (result), ==, SQUID_EXIT_IP);
  g_assert_true (gp_probe_result_get_credentials_sent (result));
  challenge = only_challenge (result);
  g_assert_cmpstr (gp_challenge_get_scheme (challenge), ==, "Digest");
  g_assert_cmpstr (gp_challenge_get_realm (challenge), ==, "Gatepass Digest");
  g_assert_nonnull (gp_challenge_get_param (challenge, "nonce"));
  g_assert_cmpstr (gp_challenge_get_param (challenge, "nonce"), !=, "");
}

static void
test_digest_wrong (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = password_profile ("GP_LAB_DIGEST");
  result = probe (prober, profile, "wrong password");

  assert_verdict (result, GP_VERDICT_AUTH_REJECTED);
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 407);
  g_assert_true (gp_probe_result_get_credentials_sent (result));
  g_assert_cmpstr (gp_challenge_get_scheme (only_challenge (result)), ==, "Digest");
}

static void
assert_ntlm_then_basic (GpProbeResult *result)
{
  GPtrArray *challenges = gp_probe_result_get_challenges (result);

  g_assert_cmpuint (challenges->len, ==, 2);
  if (challenges->len != 2)
    return;
  g_assert_cmpstr (gp_challenge_get_scheme (g_ptr_array_index (challenges, 0)), ==, "NTLM");
  g_assert_null (gp_challenge_get_token68 (g_ptr_array_index (challenges, 0)));
  g_assert_cmpstr (gp_challenge_get_scheme (g_ptr_array_index (challenges, 1)), ==, "Basic");
  g_assert_cmpstr (gp_challenge_get_realm (g_ptr_array_index (challenges, 1)), ==, "Gatepass Basic");
}

static void
test_ntlm_right (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = password_profile ("GP_LAB_NTLM");
  result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));

  assert_verdict (result, GP_VERDICT_OK);
  g_assert_cmpstr (gp_probe_result_get_exit_ip (result), ==, SQUID_EXIT_IP);
  g_assert_true (gp_probe_result_get_credentials_sent (result));
  assert_ntlm_then_basic (result);
}

static void
test_negotiate (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = password_profile ("GP_LAB_NEGOTIATE");
  result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));

  assert_verdict (result, GP_VERDICT_SCHEME_UNSUPPORTED);
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 407);
  g_assert_false (gp_probe_result_get_credentials_sent (result));
  g_assert_cmpstr (gp_challenge_get_scheme (only_challenge (result)), ==, "Negotiate");
  g_assert_nonnull (strstr (gp_probe_result_get_advice (result), "Kerberos"));
}

/* ---- no authentication ------------------------------------------------------ */

static void
test_open (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = lab_profile ("GP_LAB_OPEN", NULL, GP_AUTH_NONE);
  result = probe (prober, profile, NULL);

  assert_verdict (result, GP_VERDICT_OK);
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 200);
  g_assert_cmpstr (gp_probe_result_get_exit_ip (result), ==, SQUID_EXIT_IP);
  g_assert_cmpuint (gp_probe_result_get_challenges (result)->len, ==, 0);
  g_assert_false (gp_probe_result_get_credentials_sent (result));
}

static void
test_open_with_password (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  /* No challenge, so nothing is sent. */
  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = password_profile ("GP_LAB_OPEN");
  result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));

  assert_verdict (result, GP_VERDICT_OK);
  g_assert_cmpuint (gp_probe_result_get_challenges (result)->len, ==, 0);
  g_assert_false (gp_probe_result_get_credentials_sent (result));
}

static void
test_echo_shapes (void)
{
  static const char * const paths[] = { "/", "/json", "/origin" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GpProber) prober = lab_prober ("GP_LAB_ECHO_HTTP", paths[i]);
      g_autoptr(GpProfile) profile = password_profile ("GP_LAB_BASIC");
      g_autoptr(GpProbeResult) result = NULL;

      g_test_message ("echo path %s", paths[i]);
      result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));
      assert_verdict (result, GP_VERDICT_OK);
      g_assert_cmpstr (gp_probe_result_get_exit_ip (result), ==, SQUID_EXIT_IP);
    }
}

static void
test_target_errors (void)
{
  static const struct {
    const char *path;
    guint status;
  } cases[] = {
    { "/no-ip", 200 },
    { "/401", 401 },
    { "/500", 500 },
    { "/no-such-page", 404 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GpProber) prober = lab_prober ("GP_LAB_ECHO_HTTP", cases[i].path);
      g_autoptr(GpProfile) profile = password_profile ("GP_LAB_BASIC");
      g_autoptr(GpProbeResult) result = NULL;

      g_test_message ("target path %s", cases[i].path);
      result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));
      assert_verdict (result, GP_VERDICT_TARGET_ERROR);
      g_assert_cmpuint (gp_probe_result_get_status (result), ==, cases[i].status);
      g_assert_null (gp_probe_result_get_exit_ip (result));
      g_assert_true (gp_probe_result_get_credentials_sent (result));
    }
}

/* A redirect is reported with its target, never followed: the verdict,
 * the Location without its userinfo, no exit IP; through the tunnel too. */
static void
test_redirect_not_followed (void)
{
  static const char * const echoes[] = { "GP_LAB_ECHO_HTTP", "GP_LAB_ECHO_HTTPS" };

  for (guint i = 0; i < G_N_ELEMENTS (echoes); i++)
    {
      g_autoptr(GpProber) prober = lab_prober (echoes[i], "/redirect");
      g_autoptr(GpProfile) profile = password_profile ("GP_LAB_BASIC");
      g_autoptr(GpProbeResult) result = NULL;

      g_test_message ("redirect via %s", echoes[i]);
      result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));
      assert_verdict (result, GP_VERDICT_REDIRECTED);
      g_assert_cmpuint (gp_probe_result_get_status (result), ==, 302);
      g_assert_cmpstr (gp_probe_result_get_location (result), ==, "http://198.51.100.9/elsewhere");
      g_assert_null (strstr (gp_probe_result_get_advice (result), "s3cret"));
      g_assert_nonnull (strstr (gp_probe_result_get_advice (result), "http://198.51.100.9/elsewhere"));
    }
}

/* The echo answer is an exit IP only when it is an address. */
static void
test_echo_hostile_ip (void)
{
  g_autoptr(GpProber) bad_prober = NULL;
  g_autoptr(GpProber) zone_prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) bad = NULL;
  g_autoptr(GpProbeResult) zone = NULL;

  bad_prober = lab_prober ("GP_LAB_ECHO_HTTP", "/bad-ip");
  zone_prober = lab_prober ("GP_LAB_ECHO_HTTP", "/zone-ip");
  profile = password_profile ("GP_LAB_BASIC");

  bad = probe (bad_prober, profile, lab ("GP_LAB_PASSWORD"));
  assert_verdict (bad, GP_VERDICT_TARGET_ERROR);
  g_assert_null (gp_probe_result_get_exit_ip (bad));

  zone = probe (zone_prober, profile, lab ("GP_LAB_PASSWORD"));
  assert_verdict (zone, GP_VERDICT_OK);
  g_assert_cmpstr (gp_probe_result_get_exit_ip (zone), ==, "fe80::1%eth0");
}

/* A Digest-only proxy tests ok, and the result says that clients reading
 * http_proxy (Basic only) cannot use it. */
static void
test_digest_only_noted (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) digest = NULL;
  g_autoptr(GpProfile) basic = NULL;
  g_autoptr(GpProbeResult) result = NULL;
  g_autoptr(GpProbeResult) basic_result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTPS", "/");
  digest = password_profile ("GP_LAB_DIGEST");
  basic = password_profile ("GP_LAB_BASIC");

  result = probe (prober, digest, lab ("GP_LAB_PASSWORD"));
  assert_verdict (result, GP_VERDICT_OK);
  g_assert_cmpint (gp_probe_result_get_basic_offered (result), ==, 0);
  g_assert_nonnull (strstr (gp_probe_result_get_advice (result), "--proxy-anyauth"));

  basic_result = probe (prober, basic, lab ("GP_LAB_PASSWORD"));
  assert_verdict (basic_result, GP_VERDICT_OK);
  g_assert_cmpint (gp_probe_result_get_basic_offered (basic_result), ==, 1);
  g_assert_null (strstr (gp_probe_result_get_advice (basic_result), "--proxy-anyauth"));
}

/* A hostile proxy that echoes what it was sent in its reason phrase: the
 * first answer asks for Basic, the second quotes the Proxy-Authorization
 * and its decoded password. */
static gboolean
on_reflecting_run (GThreadedSocketService *service,
                   GSocketConnection      *connection,
                   GObject                *source,
                   gpointer                user_data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (in);
  g_autofree char *credentials = NULL;
  char *line;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (data), FALSE);
  g_data_input_stream_set_newline_type (data, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  for (guint requests = 0; requests < 2; requests++)
    {
      g_autofree char *answer = NULL;

      while ((line = g_data_input_stream_read_line (data, NULL, NULL, NULL)) != NULL && *line != '\0')
        {
          if (g_ascii_strncasecmp (line, "Proxy-Authorization: Basic ", 27) == 0)
            {
              gsize length = 0;
              g_autofree guchar *decoded = g_base64_decode (line + 27, &length);

              credentials = g_strdup_printf ("%s %.*s", line + 27, (int) length, (char *) decoded);
            }
          g_free (line);
        }
      g_free (line);
      answer = credentials == NULL
               ? g_strdup ("HTTP/1.1 407 Who\r\nProxy-Authenticate: Basic realm=\"r\"\r\nContent-Length: 0\r\n\r\n")
               : g_strdup_printf ("HTTP/1.1 502 got %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                                  credentials);
      if (!g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL) || credentials != NULL)
        break;
    }
  return TRUE;
}

/* Details never hold the password, whatever its length: not as it is,
 * not percent-encoded, not inside base64 (user:password). */
static void
test_short_password_scrubbed (void)
{
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (2);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (on_reflecting_run), NULL);
  g_socket_service_start (service);
  url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = gp_profile_new ("short");
  gp_profile_set_name (profile, "short");
  gp_profile_set_url (profile, url);
  gp_profile_set_username (profile, "alice");
  gp_profile_set_auth (profile, GP_AUTH_PASSWORD);
  result = probe (prober, profile, "pw5xz");
  g_socket_service_stop (service);

  g_test_message ("detail: %s", gp_probe_result_get_detail (result));
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 502);
  g_assert_true (gp_probe_result_get_credentials_sent (result));
  g_assert_nonnull (gp_probe_result_get_detail (result));
  g_assert_null (strstr (gp_probe_result_get_detail (result), "pw5xz"));
  g_assert_null (strstr (gp_probe_result_get_detail (result), "YWxpY2U6cHc1eHo="));
  g_assert_null (strstr (gp_probe_result_get_advice (result), "pw5xz"));
}

static void
test_deny (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = lab_profile ("GP_LAB_DENY", NULL, GP_AUTH_NONE);
  result = probe (prober, profile, NULL);

  assert_verdict (result, GP_VERDICT_FORBIDDEN);
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 403);
  g_assert_cmpuint (gp_probe_result_get_challenges (result)->len, ==, 0);
}

/* ---- no answer ------------------------------------------------------------ */

static void
test_closed (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = password_profile ("GP_LAB_CLOSED");
  result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));

  assert_verdict (result, GP_VERDICT_UNREACHABLE);
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 0);
  g_assert_false (gp_probe_result_get_credentials_sent (result));
  g_assert_nonnull (gp_probe_result_get_detail (result));
  g_assert_nonnull (strstr (gp_probe_result_get_advice (result), lab ("GP_LAB_CLOSED")));
}

static void
test_hang_timeout (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;
  gint64 start;
  gint64 elapsed_ms;

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  gp_prober_set_timeout (prober, 2);
  g_assert_cmpuint (gp_prober_get_timeout (prober), ==, 2);
  profile = password_profile ("GP_LAB_HANG");

  start = g_get_monotonic_time ();
  result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  assert_verdict (result, GP_VERDICT_TIMEOUT);
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 0);
  g_assert_cmpint (elapsed_ms, >=, 1500);
  g_assert_cmpint (elapsed_ms, <, 5000);
  g_assert_cmpint (gp_probe_result_get_elapsed_ms (result), <, 5000);
  g_assert_nonnull (strstr (gp_probe_result_get_advice (result), "2 s"));
  /* The deadline cancels the request; the detail says what happened. */
  g_assert_cmpstr (gp_probe_result_get_detail (result), ==, "No complete answer within 2 s");
}

static gboolean
on_cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Run run = { 0 };
  gint64 start;

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  gp_prober_set_timeout (prober, 30);
  profile = password_profile ("GP_LAB_HANG");

  g_timeout_add (300, on_cancel_later, cancellable);
  start = g_get_monotonic_time ();
  run_probe (&run, prober, profile, lab ("GP_LAB_PASSWORD"), cancellable);

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.result);
  g_assert_cmpint ((run.finished - start) / 1000, <, 1500);
  g_clear_error (&run.error);
}

static void
test_cancel_before (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Run run = { 0 };

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = lab_profile ("GP_LAB_OPEN", NULL, GP_AUTH_NONE);

  g_cancellable_cancel (cancellable);
  run_probe (&run, prober, profile, NULL, cancellable);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.result);
  g_clear_error (&run.error);
}

/* ---- HTTPS through CONNECT ------------------------------------------------- */

static void
test_https_no_password (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTPS", "/");
  profile = password_profile ("GP_LAB_BASIC");
  result = probe (prober, profile, NULL);

  assert_verdict (result, GP_VERDICT_AUTH_REQUIRED);
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 407);
  /* Read from the CONNECT message: the GET shows no headers. */
  assert_basic_challenge (result);
  g_assert_false (gp_probe_result_get_credentials_sent (result));
}

static void
test_https_wrong (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTPS", "/");
  profile = password_profile ("GP_LAB_BASIC");
  result = probe (prober, profile, "wrong password");

  assert_verdict (result, GP_VERDICT_AUTH_REJECTED);
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 407);
  g_assert_true (gp_probe_result_get_credentials_sent (result));
  assert_basic_challenge (result);
}

static void
test_https_right (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTPS", "/");
  profile = password_profile ("GP_LAB_BASIC");
  result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));

  assert_verdict (result, GP_VERDICT_OK);
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 200);
  g_assert_cmpstr (gp_probe_result_get_exit_ip (result), ==, SQUID_EXIT_IP);
  g_assert_true (gp_probe_result_get_credentials_sent (result));
  assert_basic_challenge (result);
}

static void
test_https_utf8 (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTPS", "/json");
  profile = lab_profile ("GP_LAB_BASIC", lab ("GP_LAB_UTF8_USER"), GP_AUTH_PASSWORD);
  result = probe (prober, profile, lab ("GP_LAB_UTF8_PASSWORD"));

  assert_verdict (result, GP_VERDICT_OK);
  g_assert_cmpstr (gp_probe_result_get_exit_ip (result), ==, SQUID_EXIT_IP);
}

static void
test_https_untrusted (void)
{
  g_autofree char *url = NULL;
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  /* The system's CAs do not know the lab's. */
  url = echo_url ("GP_LAB_ECHO_HTTPS", "/");
  prober = gp_prober_new (url);
  gp_prober_set_timeout (prober, 10);
  profile = password_profile ("GP_LAB_BASIC");
  result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));

  /* Through squid, which does not inspect: without the direct handshake
   * this looks like inspection, and the advice says "probably". */
  assert_verdict (result, GP_VERDICT_TLS_INSPECTED);
  g_assert_null (gp_probe_result_get_exit_ip (result));
  g_assert_nonnull (gp_probe_result_get_detail (result));
  g_assert_nonnull (gp_probe_result_get_tls (result));
  g_assert_false (gp_probe_result_get_tls (result)->trusted);
  g_assert_cmpuint (strlen (gp_probe_result_get_tls (result)->sha256), ==, 64);
  g_assert_cmpint (gp_probe_result_get_action (result), ==, GP_ADVICE_ACTION_TEST_DIRECTLY);
  g_assert_nonnull (strstr (gp_probe_result_get_advice (result), "probably"));
  g_clear_object (&result);

  /* The same certificate without the proxy: the echo host's own. */
  gp_prober_set_probe_direct (prober, TRUE);
  result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));
  assert_verdict (result, GP_VERDICT_TLS_ERROR);
  g_assert_nonnull (gp_probe_result_get_tls (result));
  g_assert_nonnull (gp_probe_result_get_direct_tls (result));
  g_assert_cmpstr (gp_probe_result_get_tls (result)->sha256, ==,
                   gp_probe_result_get_direct_tls (result)->sha256);
  g_assert_nonnull (strstr (gp_probe_result_get_advice (result), "same untrusted certificate"));
}

/* The other proxies, through a tunnel: what the CONNECT met decides. */
static void
test_https_matrix (void)
{
  static const struct {
    const char *proxy;
    gboolean    right_password;
    GpVerdict   verdict;
    guint       status;
    const char *scheme;        /* of the first challenge, NULL: none */
  } cases[] = {
    { "GP_LAB_DIGEST", TRUE, GP_VERDICT_OK, 200, "Digest" },
    { "GP_LAB_DIGEST", FALSE, GP_VERDICT_AUTH_REJECTED, 407, "Digest" },
    { "GP_LAB_NTLM", TRUE, GP_VERDICT_OK, 200, "NTLM" },
    { "GP_LAB_OPEN", TRUE, GP_VERDICT_OK, 200, NULL },
    { "GP_LAB_DENY", TRUE, GP_VERDICT_FORBIDDEN, 403, NULL },
    { "GP_LAB_NEGOTIATE", TRUE, GP_VERDICT_SCHEME_UNSUPPORTED, 407, "Negotiate" },
    { "GP_LAB_CLOSED", TRUE, GP_VERDICT_UNREACHABLE, 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GpProber) prober = lab_prober ("GP_LAB_ECHO_HTTPS", "/json");
      g_autoptr(GpProfile) profile = password_profile (cases[i].proxy);
      g_autoptr(GpProbeResult) result = NULL;
      GPtrArray *challenges;

      g_test_message ("HTTPS through %s, %s password", cases[i].proxy,
                      cases[i].right_password ? "right" : "wrong");
      result = probe (prober, profile, cases[i].right_password ? lab ("GP_LAB_PASSWORD") : "wrong password");
      assert_verdict (result, cases[i].verdict);
      g_assert_cmpuint (gp_probe_result_get_status (result), ==, cases[i].status);
      if (cases[i].verdict == GP_VERDICT_OK)
        g_assert_cmpstr (gp_probe_result_get_exit_ip (result), ==, SQUID_EXIT_IP);
      challenges = gp_probe_result_get_challenges (result);
      if (cases[i].scheme == NULL)
        g_assert_cmpuint (challenges->len, ==, 0);
      else
        {
          g_assert_cmpuint (challenges->len, >=, 1);
          g_assert_cmpstr (gp_challenge_get_scheme (g_ptr_array_index (challenges, 0)), ==, cases[i].scheme);
        }
    }
}

static void
test_https_hang (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;
  gint64 start;

  /* The CONNECT is never answered. */
  prober = lab_prober ("GP_LAB_ECHO_HTTPS", "/");
  gp_prober_set_timeout (prober, 2);
  profile = password_profile ("GP_LAB_HANG");

  start = g_get_monotonic_time ();
  result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));
  assert_verdict (result, GP_VERDICT_TIMEOUT);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 5000);
}

/* ---- the direct address -------------------------------------------------- */

static void
test_direct (void)
{
  static const char * const echoes[] = { "GP_LAB_ECHO_HTTP", "GP_LAB_ECHO_HTTPS" };

  for (guint i = 0; i < G_N_ELEMENTS (echoes); i++)
    {
      g_autoptr(GpProber) prober = lab_prober (echoes[i], "/json");
      g_autoptr(GpProfile) profile = password_profile ("GP_LAB_BASIC");
      g_autoptr(GpProbeResult) result = NULL;
      g_autoptr(JsonObject) object = NULL;

      g_test_message ("direct through %s", echoes[i]);
      gp_prober_set_probe_direct (prober, TRUE);
      result = probe (prober, profile, lab ("GP_LAB_PASSWORD"));

      assert_verdict (result, GP_VERDICT_OK);
      g_assert_cmpstr (gp_probe_result_get_exit_ip (result), ==, SQUID_EXIT_IP);
      g_assert_cmpstr (gp_probe_result_get_direct_ip (result), ==, DIRECT_IP);
      object = result_json (result);
      g_assert_cmpstr (json_object_get_string_member (object, "direct_ip"), ==, DIRECT_IP);
    }
}

static void
test_direct_for_ip_allowlist (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  /* An allowlisted-IP profile meets a proxy that wants a password: the
   * advice names the address to allowlist. */
  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  gp_prober_set_probe_direct (prober, TRUE);
  profile = lab_profile ("GP_LAB_BASIC", NULL, GP_AUTH_IP);
  result = probe (prober, profile, NULL);

  assert_verdict (result, GP_VERDICT_AUTH_REQUIRED);
  g_assert_cmpstr (gp_probe_result_get_direct_ip (result), ==, DIRECT_IP);
  g_assert_nonnull (strstr (gp_probe_result_get_advice (result), DIRECT_IP));
}

static void
test_no_direct_by_default (void)
{
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  profile = lab_profile ("GP_LAB_OPEN", NULL, GP_AUTH_NONE);
  result = probe (prober, profile, NULL);

  assert_verdict (result, GP_VERDICT_OK);
  g_assert_null (gp_probe_result_get_direct_ip (result));
}

/* ---- NTLM without credentials ------------------------------------------ */

/* libsoup opens an NTLM handshake by itself, with a Type 1 message in
 * Proxy-Authorization that holds no username and no password; only the
 * Type 2 challenge that answers it asks us for credentials. Sending that
 * first message is not sending credentials. */
static void
assert_ntlm_without_credentials (GpProfile  *profile,
                                 const char *password)
{
  g_autoptr(GpProber) prober = lab_prober ("GP_LAB_ECHO_HTTP", "/");
  g_autoptr(GpProbeResult) result = NULL;

  result = probe (prober, profile, password);
  g_assert_cmpuint (gp_probe_result_get_status (result), ==, 407);
  assert_ntlm_then_basic (result);
  g_assert_false (gp_probe_result_get_credentials_sent (result));
  assert_verdict (result, GP_VERDICT_AUTH_REQUIRED);
}

static void
test_ntlm_no_password (void)
{
  g_autoptr(GpProfile) profile = NULL;

  profile = password_profile ("GP_LAB_NTLM");
  assert_ntlm_without_credentials (profile, NULL);
}

static void
test_ntlm_auth_none (void)
{
  g_autoptr(GpProfile) profile = NULL;

  profile = lab_profile ("GP_LAB_NTLM", NULL, GP_AUTH_NONE);
  assert_ntlm_without_credentials (profile, lab ("GP_LAB_PASSWORD"));
}

/* ---- arguments ------------------------------------------------------------ */

static void
test_bad_echo_url (void)
{
  g_autoptr(GpProber) prober = gp_prober_new ("not a url");
  g_autoptr(GpProfile) profile = gp_profile_new ("bad-echo");
  Run run = { 0 };

  /* Needs no lab: refused before any connection. */
  gp_profile_set_name (profile, "bad-echo");
  gp_profile_set_url (profile, "http://127.0.0.1:9");
  gp_profile_set_auth (profile, GP_AUTH_NONE);
  g_assert_cmpstr (gp_prober_get_ip_echo_url (prober), ==, "not a url");
  g_assert_cmpuint (gp_prober_get_timeout (prober), ==, GP_PROBER_DEFAULT_TIMEOUT);

  run_probe (&run, prober, profile, NULL, NULL);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (run.result);
  g_clear_error (&run.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  require_lab ();

  g_test_add_func ("/prober/basic/no-password", test_basic_no_password);
  g_test_add_func ("/prober/basic/auth-none", test_basic_auth_none);
  g_test_add_func ("/prober/basic/wrong", test_basic_wrong);
  g_test_add_func ("/prober/basic/right", test_basic_right);
  g_test_add_func ("/prober/basic/utf8", test_basic_utf8);
  g_test_add_func ("/prober/digest/right", test_digest_right);
  g_test_add_func ("/prober/digest/wrong", test_digest_wrong);
  g_test_add_func ("/prober/ntlm/right", test_ntlm_right);
  g_test_add_func ("/prober/negotiate", test_negotiate);
  g_test_add_func ("/prober/open/no-auth", test_open);
  g_test_add_func ("/prober/open/with-password", test_open_with_password);
  g_test_add_func ("/prober/echo/shapes", test_echo_shapes);
  g_test_add_func ("/prober/echo/target-errors", test_target_errors);
  g_test_add_func ("/prober/deny", test_deny);
  g_test_add_func ("/prober/redirect/not-followed", test_redirect_not_followed);
  g_test_add_func ("/prober/echo/hostile-ip", test_echo_hostile_ip);
  g_test_add_func ("/prober/digest/only-noted", test_digest_only_noted);
  g_test_add_func ("/prober/scrub/short-password", test_short_password_scrubbed);
  g_test_add_func ("/prober/closed", test_closed);
  g_test_add_func ("/prober/timeout", test_hang_timeout);
  g_test_add_func ("/prober/cancel/during", test_cancel);
  g_test_add_func ("/prober/cancel/before", test_cancel_before);
  g_test_add_func ("/prober/https/no-password", test_https_no_password);
  g_test_add_func ("/prober/https/wrong", test_https_wrong);
  g_test_add_func ("/prober/https/right", test_https_right);
  g_test_add_func ("/prober/https/utf8", test_https_utf8);
  g_test_add_func ("/prober/https/untrusted", test_https_untrusted);
  g_test_add_func ("/prober/https/other-proxies", test_https_matrix);
  g_test_add_func ("/prober/https/timeout", test_https_hang);
  g_test_add_func ("/prober/direct/exit-and-direct", test_direct);
  g_test_add_func ("/prober/direct/ip-allowlist", test_direct_for_ip_allowlist);
  g_test_add_func ("/prober/direct/off-by-default", test_no_direct_by_default);
  g_test_add_func ("/prober/bad-echo-url", test_bad_echo_url);
  g_test_add_func ("/prober/ntlm-type1-no-password", test_ntlm_no_password);
  g_test_add_func ("/prober/ntlm-type1-auth-none", test_ntlm_auth_none);

  return g_test_run ();
}
