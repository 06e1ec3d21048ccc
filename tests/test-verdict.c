/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gp-ca.h"
#include "gp-challenge.h"
#include "gp-enums.h"
#include "gp-probe-result.h"
#include "gp-prober.h"
#include "gp-profile.h"
#include "gp-settings.h"
#include "gp-verdict.h"

#define PASSWORD "s3cr3t-Pa55"

static const GpVerdict all_verdicts[] = {
  GP_VERDICT_OK,
  GP_VERDICT_AUTH_REQUIRED,
  GP_VERDICT_AUTH_REJECTED,
  GP_VERDICT_SCHEME_UNSUPPORTED,
  GP_VERDICT_FORBIDDEN,
  GP_VERDICT_TARGET_ERROR,
  GP_VERDICT_UNREACHABLE,
  GP_VERDICT_TIMEOUT,
  GP_VERDICT_TLS_ERROR,
  GP_VERDICT_KEYRING_ERROR,
  GP_VERDICT_REDIRECTED,
  GP_VERDICT_PROTOCOL_ERROR,
  GP_VERDICT_TLS_INSPECTED,
};

/* ---- helpers ------------------------------------------------------------ */

static GPtrArray *
challenges_from (const char *header)
{
  const char *values[] = { header, NULL };
  g_autoptr(GError) error = NULL;
  GPtrArray *challenges = gp_challenge_parse (values, &error);

  g_assert_no_error (error);
  g_assert_nonnull (challenges);
  return challenges;
}

static GpProfile *
new_profile (const char *url,
             const char *username,
             GpAuthMode  auth)
{
  GpProfile *profile = gp_profile_new ("office-1");

  gp_profile_set_name (profile, "office");
  gp_profile_set_url (profile, url);
  gp_profile_set_username (profile, username);
  gp_profile_set_auth (profile, auth);
  return profile;
}

/* The curl command as the shell would split it. */
static char **
curl_argv (GpProfile  *profile,
           const char *target)
{
  g_autofree char *command = gp_verdict_curl_command (profile, target);
  g_autoptr(GError) error = NULL;
  char **argv = NULL;

  g_assert_nonnull (command);
  g_assert_null (strstr (command, PASSWORD));
  g_assert_true (g_shell_parse_argv (command, NULL, &argv, &error));
  g_assert_no_error (error);
  return argv;
}

/* Where `option` is in argv, and the argument after it. */
static const char *
option_value (char       **argv,
              const char  *option)
{
  for (guint i = 0; argv[i] != NULL; i++)
    if (g_str_equal (argv[i], option))
      return argv[i + 1];
  return NULL;
}

static const char *
explain (GpProbeResult *result,
         GpProfile     *profile)
{
  gp_verdict_explain (result, profile, "http://echo.example/");
  g_assert_nonnull (gp_probe_result_get_advice (result));
  g_assert_cmpstr (gp_probe_result_get_advice (result), !=, "");
  return gp_probe_result_get_advice (result);
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
  g_assert_null (strstr (text, PASSWORD));

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* ---- verdict for an HTTP answer ------------------------------------------ */

static void
test_for_status (void)
{
  g_autoptr(GPtrArray) basic = challenges_from ("Basic realm=\"Corp\"");
  g_autoptr(GPtrArray) negotiate = challenges_from ("Negotiate");
  g_autoptr(GPtrArray) windows = challenges_from ("Negotiate, NTLM");
  g_autoptr(GPtrArray) unknown = challenges_from ("Bearer realm=\"x\", Kerberos");
  g_autoptr(GPtrArray) lower = challenges_from ("digest realm=\"x\", nonce=\"n\"");
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  /* 407: whether credentials went out decides. */
  g_assert_cmpint (gp_verdict_for_status (407, FALSE, basic, FALSE), ==, GP_VERDICT_AUTH_REQUIRED);
  g_assert_cmpint (gp_verdict_for_status (407, TRUE, basic, FALSE), ==, GP_VERDICT_AUTH_REJECTED);
  g_assert_cmpint (gp_verdict_for_status (407, FALSE, negotiate, FALSE), ==, GP_VERDICT_SCHEME_UNSUPPORTED);
  g_assert_cmpint (gp_verdict_for_status (407, FALSE, unknown, FALSE), ==, GP_VERDICT_SCHEME_UNSUPPORTED);
  g_assert_cmpint (gp_verdict_for_status (407, FALSE, windows, FALSE), ==, GP_VERDICT_AUTH_REQUIRED);
  g_assert_cmpint (gp_verdict_for_status (407, FALSE, lower, FALSE), ==, GP_VERDICT_AUTH_REQUIRED);
  /* No challenge at all (a CONNECT 407 seen without headers). */
  g_assert_cmpint (gp_verdict_for_status (407, FALSE, none, FALSE), ==, GP_VERDICT_AUTH_REQUIRED);
  g_assert_cmpint (gp_verdict_for_status (407, FALSE, NULL, FALSE), ==, GP_VERDICT_AUTH_REQUIRED);
  g_assert_cmpint (gp_verdict_for_status (407, TRUE, NULL, FALSE), ==, GP_VERDICT_AUTH_REJECTED);

  g_assert_cmpint (gp_verdict_for_status (403, FALSE, NULL, FALSE), ==, GP_VERDICT_FORBIDDEN);
  g_assert_cmpint (gp_verdict_for_status (403, TRUE, basic, FALSE), ==, GP_VERDICT_FORBIDDEN);

  g_assert_cmpint (gp_verdict_for_status (200, FALSE, NULL, TRUE), ==, GP_VERDICT_OK);
  g_assert_cmpint (gp_verdict_for_status (200, TRUE, basic, TRUE), ==, GP_VERDICT_OK);
  g_assert_cmpint (gp_verdict_for_status (204, FALSE, NULL, TRUE), ==, GP_VERDICT_OK);
  g_assert_cmpint (gp_verdict_for_status (200, FALSE, NULL, FALSE), ==, GP_VERDICT_TARGET_ERROR);

  /* The target's answers, not the proxy's. */
  g_assert_cmpint (gp_verdict_for_status (401, FALSE, NULL, FALSE), ==, GP_VERDICT_TARGET_ERROR);
  g_assert_cmpint (gp_verdict_for_status (401, TRUE, basic, FALSE), ==, GP_VERDICT_TARGET_ERROR);
  g_assert_cmpint (gp_verdict_for_status (404, FALSE, NULL, FALSE), ==, GP_VERDICT_TARGET_ERROR);
  g_assert_cmpint (gp_verdict_for_status (502, FALSE, NULL, FALSE), ==, GP_VERDICT_TARGET_ERROR);
  g_assert_cmpint (gp_verdict_for_status (503, TRUE, NULL, FALSE), ==, GP_VERDICT_TARGET_ERROR);
  g_assert_cmpint (gp_verdict_for_status (301, FALSE, NULL, TRUE), ==, GP_VERDICT_REDIRECTED);
}

static void
test_can_answer (void)
{
  static const struct {
    const char *header;
    gboolean answerable;
  } cases[] = {
    { "Basic realm=\"x\"", TRUE },
    { "Digest realm=\"x\", nonce=\"n\"", TRUE },
    { "NTLM", TRUE },
    { "ntlm", TRUE },
    { "BASIC realm=\"x\"", TRUE },
    { "Negotiate", FALSE },
    { "Negotiate, Kerberos", FALSE },
    { "Bearer realm=\"x\"", FALSE },
    { "Negotiate, NTLM", TRUE },
    { "Bearer, Digest nonce=\"n\"", TRUE },
    { "Basically realm=\"x\"", FALSE },
    { "", FALSE },
  };

  g_assert_false (gp_verdict_can_answer (NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) challenges = challenges_from (cases[i].header);

      g_test_message ("can answer: %s", cases[i].header);
      g_assert_cmpint (gp_verdict_can_answer (challenges), ==, cases[i].answerable);
    }
}

/* ---- verdict for an error ------------------------------------------------ */

static void
test_for_error (void)
{
  static const struct {
    GQuark    (*domain) (void);
    int         code;
    const char *message;
    gboolean    timed_out;
    GpVerdict   verdict;
  } cases[] = {
    { g_io_error_quark, G_IO_ERROR_TIMED_OUT, "Socket I/O timed out", FALSE, GP_VERDICT_TIMEOUT },
    /* Our own deadline cancels: then the flag says what happened. */
    { g_io_error_quark, G_IO_ERROR_CANCELLED, "Operation was cancelled", TRUE, GP_VERDICT_TIMEOUT },
    { g_io_error_quark, G_IO_ERROR_CONNECTION_REFUSED, "Connection refused", TRUE, GP_VERDICT_TIMEOUT },
    { g_tls_error_quark, G_TLS_ERROR_BAD_CERTIFICATE, "Unacceptable TLS certificate", FALSE,
      GP_VERDICT_TLS_ERROR },
    { g_tls_error_quark, G_TLS_ERROR_NOT_TLS, "Peer failed to perform TLS handshake", FALSE,
      GP_VERDICT_TLS_ERROR },
    { g_io_error_quark, G_IO_ERROR_PROXY_NEED_AUTH, "HTTP proxy authentication required", FALSE,
      GP_VERDICT_AUTH_REQUIRED },
    { g_io_error_quark, G_IO_ERROR_PROXY_AUTH_FAILED, "HTTP proxy authentication failed", FALSE,
      GP_VERDICT_AUTH_REJECTED },
    { g_io_error_quark, G_IO_ERROR_PROXY_NOT_ALLOWED, "HTTP proxy connection not allowed", FALSE,
      GP_VERDICT_FORBIDDEN },
    { g_io_error_quark, G_IO_ERROR_PROXY_FAILED, "HTTP proxy connection failed: 403", FALSE,
      GP_VERDICT_FORBIDDEN },
    { g_io_error_quark, G_IO_ERROR_PROXY_FAILED, "HTTP proxy connection failed: 502", FALSE,
      GP_VERDICT_UNREACHABLE },
    { g_io_error_quark, G_IO_ERROR_PROXY_FAILED, "The server is not a SOCKSv5 proxy server.", FALSE,
      GP_VERDICT_UNREACHABLE },
    { g_io_error_quark, G_IO_ERROR_CONNECTION_REFUSED, "Connection refused", FALSE,
      GP_VERDICT_UNREACHABLE },
    { g_io_error_quark, G_IO_ERROR_HOST_UNREACHABLE, "No route to host", FALSE, GP_VERDICT_UNREACHABLE },
    { g_io_error_quark, G_IO_ERROR_NETWORK_UNREACHABLE, "Network is unreachable", FALSE,
      GP_VERDICT_UNREACHABLE },
    { g_resolver_error_quark, G_RESOLVER_ERROR_NOT_FOUND, "Name or service not known", FALSE,
      GP_VERDICT_UNREACHABLE },
    { g_resolver_error_quark, G_RESOLVER_ERROR_TEMPORARY_FAILURE, "Temporary failure", FALSE,
      GP_VERDICT_UNREACHABLE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain (), cases[i].code, cases[i].message);

      g_test_message ("for error: %s (%d), timed out: %d", cases[i].message, cases[i].code,
                      cases[i].timed_out);
      g_assert_cmpstr (gp_verdict_to_string (gp_verdict_for_error (error, &(GpFailure) { .timed_out = cases[i].timed_out })), ==,
                       gp_verdict_to_string (cases[i].verdict));
    }
}

/* ---- names --------------------------------------------------------------- */

static void
test_names (void)
{
  static const char * const names[] = {
    "ok", "auth-required", "auth-rejected", "scheme-unsupported", "forbidden",
    "target-error", "unreachable", "timeout", "tls-error", "keyring-error", "redirected",
    "protocol-error", "tls-inspected",
  };
  GpVerdict verdict;

  g_assert_cmpuint (G_N_ELEMENTS (names), ==, G_N_ELEMENTS (all_verdicts));
  for (guint i = 0; i < G_N_ELEMENTS (all_verdicts); i++)
    {
      verdict = GP_VERDICT_TLS_INSPECTED - all_verdicts[i];
      g_assert_cmpstr (gp_verdict_to_string (all_verdicts[i]), ==, names[i]);
      g_assert_true (gp_verdict_from_string (names[i], &verdict));
      g_assert_cmpint (verdict, ==, all_verdicts[i]);
    }

  verdict = GP_VERDICT_TIMEOUT;
  g_assert_false (gp_verdict_from_string ("OK", &verdict));
  g_assert_false (gp_verdict_from_string ("", &verdict));
  g_assert_false (gp_verdict_from_string ("auth_required", &verdict));
  g_assert_false (gp_verdict_from_string ("ok ", &verdict));
  g_assert_false (gp_verdict_from_string (NULL, &verdict));
  g_assert_cmpint (verdict, ==, GP_VERDICT_TIMEOUT);
}

/* Every verdict the enum has is a whole verdict: a contract name, a
 * severity, a symbolic icon and a title, so that adding one to the enum
 * without its row in gp-verdict.c fails here. */
static void
test_every_verdict_described (void)
{
  static const char * const contract[] = {
    "ok", "auth-required", "auth-rejected", "scheme-unsupported", "forbidden", "target-error",
    "unreachable", "timeout", "tls-error", "keyring-error", "redirected", "protocol-error",
    "tls-inspected",
  };
  g_autoptr(GEnumClass) klass = g_type_class_ref (GP_TYPE_VERDICT);

  g_assert_cmpuint (klass->n_values, ==, G_N_ELEMENTS (contract));
  for (guint i = 0; i < klass->n_values; i++)
    {
      GpVerdict verdict = klass->values[i].value;
      GpVerdict back = GP_VERDICT_OK;

      g_assert_cmpstr (gp_verdict_to_string (verdict), ==, contract[i]);
      g_assert_true (gp_verdict_from_string (contract[i], &back));
      g_assert_cmpint (back, ==, verdict);
      g_assert_cmpint (gp_verdict_get_severity (verdict), <=, GP_SEVERITY_ERROR);
      g_assert_cmpint (gp_verdict_get_severity (verdict) == GP_SEVERITY_OK, ==, verdict == GP_VERDICT_OK);
      g_assert_true (g_str_has_suffix (gp_verdict_get_icon_name (verdict), "-symbolic"));
      g_assert_cmpstr (gp_verdict_get_title (verdict), !=, "");
    }
  g_assert_cmpint (gp_verdict_get_severity (GP_VERDICT_TARGET_ERROR), ==, GP_SEVERITY_WARNING);
}

static void
test_action_names (void)
{
  static const char * const names[] = {
    "none", "store-password", "edit-credentials", "allow-more-time", "test-directly", "unlock-keyring",
  };
  g_autoptr(GEnumClass) klass = g_type_class_ref (GP_TYPE_ADVICE_ACTION);
  GpAdviceAction untouched = GP_ADVICE_ACTION_TEST_DIRECTLY;

  g_assert_cmpuint (klass->n_values, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < klass->n_values; i++)
    {
      GpAdviceAction action = GP_ADVICE_ACTION_NONE;

      g_assert_cmpstr (gp_advice_action_to_string (klass->values[i].value), ==, names[i]);
      g_assert_true (gp_advice_action_from_string (names[i], &action));
      g_assert_cmpint (action, ==, klass->values[i].value);
    }
  g_assert_false (gp_advice_action_from_string ("store_password", &untouched));
  g_assert_false (gp_advice_action_from_string (NULL, &untouched));
  g_assert_cmpint (untouched, ==, GP_ADVICE_ACTION_TEST_DIRECTLY);
}

/* ---- curl ---------------------------------------------------------------- */

static void
test_curl_http_proxy (void)
{
  g_autoptr(GpProfile) profile = new_profile ("http://proxy.example:3128", "alice", GP_AUTH_PASSWORD);
  g_autofree char *command = gp_verdict_curl_command (profile, "http://echo.example/");
  g_auto(GStrv) argv = curl_argv (profile, "http://echo.example/");
  guint n = g_strv_length (argv);

  g_assert_true (strstr (command, " -x 'http://proxy.example:3128' --proxy-anyauth -U 'alice'") != NULL);
  g_assert_cmpstr (argv[0], ==, "curl");
  g_assert_cmpstr (option_value (argv, "-x"), ==, "http://proxy.example:3128");
  g_assert_cmpstr (option_value (argv, "-U"), ==, "alice");
  g_assert_true (g_strv_contains ((const char * const *) argv, "--proxy-anyauth"));
  g_assert_cmpstr (argv[n - 1], ==, "http://echo.example/");
  /* -U without a colon: curl asks for the password itself. */
  g_assert_null (strchr (option_value (argv, "-U"), ':'));
}

static void
test_curl_no_credentials (void)
{
  static const struct {
    const char *username;
    GpAuthMode  auth;
  } cases[] = {
    { NULL, GP_AUTH_NONE },
    { "alice", GP_AUTH_NONE },
    { "alice", GP_AUTH_IP },
    { NULL, GP_AUTH_PASSWORD },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GpProfile) profile = new_profile ("http://proxy.example:3128", cases[i].username,
                                                  cases[i].auth);
      g_auto(GStrv) argv = curl_argv (profile, "http://echo.example/");

      g_assert_cmpstr (option_value (argv, "-x"), ==, "http://proxy.example:3128");
      g_assert_false (g_strv_contains ((const char * const *) argv, "-U"));
      g_assert_false (g_strv_contains ((const char * const *) argv, "--proxy-anyauth"));
    }
}

static void
test_curl_socks (void)
{
  g_autoptr(GpProfile) profile = new_profile ("socks5h://127.0.0.1:1080", "alice", GP_AUTH_PASSWORD);
  g_autoptr(GpProfile) socks5 = new_profile ("socks5://10.0.0.1:1080", NULL, GP_AUTH_NONE);
  g_auto(GStrv) argv = curl_argv (profile, "https://echo.example/");
  g_auto(GStrv) plain = curl_argv (socks5, "http://echo.example/");

  g_assert_cmpstr (option_value (argv, "-x"), ==, "socks5h://127.0.0.1:1080");
  g_assert_cmpstr (option_value (argv, "-U"), ==, "alice");
  g_assert_false (g_strv_contains ((const char * const *) argv, "--proxy-anyauth"));

  g_assert_cmpstr (option_value (plain, "-x"), ==, "socks5://10.0.0.1:1080");
}

static void
test_curl_https_proxy (void)
{
  g_autoptr(GpProfile) profile = new_profile ("http://plain.example:3128", "alice", GP_AUTH_PASSWORD);
  g_auto(GStrv) https_argv = NULL;
  g_auto(GStrv) http_argv = NULL;

  gp_profile_set_https_proxy (profile, "https://tls.example:3129");
  https_argv = curl_argv (profile, "https://echo.example/json");
  http_argv = curl_argv (profile, "http://echo.example/json");

  g_assert_cmpstr (option_value (https_argv, "-x"), ==, "https://tls.example:3129");
  g_assert_cmpstr (option_value (https_argv, "-U"), ==, "alice");
  g_assert_cmpstr (https_argv[g_strv_length (https_argv) - 1], ==, "https://echo.example/json");
  g_assert_cmpstr (option_value (http_argv, "-x"), ==, "http://plain.example:3128");
}

static void
test_curl_quoting (void)
{
  static const char * const usernames[] = {
    "o'brien",
    "DOMAIN\\alice",
    "a b\t$(touch /tmp/gatepass-pwned) `id` \"q\" ; |&",
    "ünïcødé",
    "'",
    "''",
  };

  for (guint i = 0; i < G_N_ELEMENTS (usernames); i++)
    {
      g_autoptr(GpProfile) profile = new_profile ("http://proxy.example:3128", usernames[i],
                                                  GP_AUTH_PASSWORD);
      g_auto(GStrv) argv = NULL;

      g_test_message ("curl quoting: %s", usernames[i]);
      argv = curl_argv (profile, "http://echo.example/?a=1&b='2'");
      g_assert_cmpstr (option_value (argv, "-U"), ==, usernames[i]);
      g_assert_cmpstr (argv[g_strv_length (argv) - 1], ==, "http://echo.example/?a=1&b='2'");
    }
}

static void
test_curl_runs_in_sh (void)
{
  /* What a person pastes runs in a POSIX shell, not in GLib's parser. */
  g_autoptr(GpProfile) profile = new_profile ("http://proxy.example:3128",
                                              "o'brien $(echo pwned) `id`", GP_AUTH_PASSWORD);
  g_autofree char *command = gp_verdict_curl_command (profile, "http://echo.example/");
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "/bin/sh", "-c", NULL, NULL };

  g_assert_true (g_str_has_prefix (command, "curl "));
  /* Replace curl by a printer of its arguments. */
  script = g_strconcat ("curl () { printf '%s\\n' \"$@\"; }; ", command, NULL);
  argv[2] = script;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "\n-U\no'brien $(echo pwned) `id`\n"));
  g_assert_null (strstr (out, "\npwned"));
}

/* ---- advice -------------------------------------------------------------- */

static const char * const front_end_words[] = {
  "gatepass", "--headless", "--password-stdin", "--timeout", "--direct", "--username", "set-password",
};

static void
test_explain_every_verdict (void)
{
  static const GpAuthMode modes[] = { GP_AUTH_PASSWORD, GP_AUTH_NONE, GP_AUTH_IP };

  for (guint path = GP_PROBE_PATH_LIBSOUP; path <= GP_PROBE_PATH_GIO; path++)
    for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
      for (guint i = 0; i < G_N_ELEMENTS (all_verdicts); i++)
        {
          g_autoptr(GpProfile) profile = new_profile ("http://proxy.example:3128", "alice", modes[m]);
          g_autoptr(GpProbeResult) result = gp_probe_result_new ("office");
          g_autoptr(GPtrArray) challenges = challenges_from ("Basic realm=\"Corp\"");
          const char *advice;

          gp_probe_result_set_verdict (result, all_verdicts[i]);
          gp_probe_result_set_path (result, path);
          gp_probe_result_set_challenges (result, challenges);
          gp_probe_result_set_status (result, all_verdicts[i] == GP_VERDICT_OK ? 200 : 0);
          gp_probe_result_set_exit_ip (result, "203.0.113.7");
          gp_probe_result_set_detail (result, "some detail");
          gp_probe_result_set_elapsed_ms (result, 1200);

          g_test_message ("explain %s, path %u", gp_verdict_to_string (all_verdicts[i]), path);
          advice = explain (result, profile);
          g_assert_true (g_utf8_validate (advice, -1, NULL));
          g_assert_null (strstr (advice, PASSWORD));
          /* The core speaks no front end: each words the action itself. */
          for (guint w = 0; w < G_N_ELEMENTS (front_end_words); w++)
            g_assert_null (strstr (advice, front_end_words[w]));
          g_assert_nonnull (gp_probe_result_get_curl_command (result));
          g_assert_true (g_str_has_prefix (gp_probe_result_get_curl_command (result), "curl "));
        }
}

static void
test_explain_auth_required (void)
{
  g_autoptr(GpProfile) by_ip = new_profile ("http://proxy.example:3128", NULL, GP_AUTH_IP);
  g_autoptr(GpProfile) by_password = new_profile ("http://proxy.example:3128", "alice", GP_AUTH_PASSWORD);
  g_autoptr(GpProfile) by_none = new_profile ("http://proxy.example:3128", NULL, GP_AUTH_NONE);
  g_autoptr(GpProbeResult) result = gp_probe_result_new ("office");
  g_autofree char *ip_advice = NULL;
  g_autofree char *ip_advice_direct = NULL;
  g_autofree char *password_advice = NULL;
  g_autofree char *none_advice = NULL;

  gp_probe_result_set_verdict (result, GP_VERDICT_AUTH_REQUIRED);
  gp_probe_result_set_status (result, 407);

  ip_advice = g_strdup (explain (result, by_ip));
  password_advice = g_strdup (explain (result, by_password));
  none_advice = g_strdup (explain (result, by_none));
  gp_probe_result_set_direct_ip (result, "198.51.100.23");
  ip_advice_direct = g_strdup (explain (result, by_ip));

  g_assert_cmpstr (ip_advice, !=, password_advice);
  g_assert_cmpstr (ip_advice, !=, none_advice);
  g_assert_cmpstr (password_advice, !=, none_advice);
  g_assert_cmpstr (ip_advice, !=, ip_advice_direct);

  g_assert_nonnull (strstr (ip_advice_direct, "198.51.100.23"));
  g_assert_null (strstr (ip_advice, "198.51.100.23"));
  g_assert_nonnull (strstr (ip_advice, "directly"));
  g_assert_nonnull (strstr (password_advice, "password"));
  g_assert_nonnull (strstr (password_advice, "office"));
  g_assert_nonnull (strstr (none_advice, "username"));
  g_assert_nonnull (strstr (none_advice, "office"));
}

/* What the advice suggests doing is data; the advice names no command. */
static void
test_explain_actions (void)
{
  g_autoptr(GpProfile) by_ip = new_profile ("http://proxy.example:3128", NULL, GP_AUTH_IP);
  g_autoptr(GpProfile) by_password = new_profile ("http://proxy.example:3128", "alice", GP_AUTH_PASSWORD);
  g_autoptr(GpProfile) by_none = new_profile ("http://proxy.example:3128", NULL, GP_AUTH_NONE);
  g_autoptr(GpProbeResult) result = gp_probe_result_new ("office");

  gp_probe_result_set_verdict (result, GP_VERDICT_AUTH_REQUIRED);
  gp_probe_result_set_status (result, 407);
  explain (result, by_password);
  g_assert_cmpint (gp_probe_result_get_action (result), ==, GP_ADVICE_ACTION_STORE_PASSWORD);
  explain (result, by_none);
  g_assert_cmpint (gp_probe_result_get_action (result), ==, GP_ADVICE_ACTION_EDIT_CREDENTIALS);
  explain (result, by_ip);
  g_assert_cmpint (gp_probe_result_get_action (result), ==, GP_ADVICE_ACTION_TEST_DIRECTLY);
  gp_probe_result_set_direct_ip (result, "198.51.100.23");
  explain (result, by_ip);
  g_assert_cmpint (gp_probe_result_get_action (result), ==, GP_ADVICE_ACTION_NONE);

  gp_probe_result_set_verdict (result, GP_VERDICT_FORBIDDEN);
  gp_probe_result_set_status (result, 403);
  explain (result, by_ip);
  g_assert_cmpint (gp_probe_result_get_action (result), ==, GP_ADVICE_ACTION_NONE);
  gp_probe_result_set_direct_ip (result, NULL);
  explain (result, by_ip);
  g_assert_cmpint (gp_probe_result_get_action (result), ==, GP_ADVICE_ACTION_TEST_DIRECTLY);
  gp_probe_result_set_credentials_sent (result, TRUE);
  explain (result, by_password);
  g_assert_cmpint (gp_probe_result_get_action (result), ==, GP_ADVICE_ACTION_NONE);

  gp_probe_result_set_verdict (result, GP_VERDICT_TIMEOUT);
  gp_probe_result_set_status (result, 0);
  explain (result, by_password);
  g_assert_cmpint (gp_probe_result_get_action (result), ==, GP_ADVICE_ACTION_ALLOW_MORE_TIME);

  gp_probe_result_set_verdict (result, GP_VERDICT_UNREACHABLE);
  explain (result, by_password);
  g_assert_cmpint (gp_probe_result_get_action (result), ==, GP_ADVICE_ACTION_NONE);
}

static void
test_explain_scheme_unsupported (void)
{
  g_autoptr(GpProfile) profile = new_profile ("http://proxy.example:3128", "alice", GP_AUTH_PASSWORD);
  g_autoptr(GpProbeResult) negotiate = gp_probe_result_new ("office");
  g_autoptr(GpProbeResult) bearer = gp_probe_result_new ("office");
  g_autoptr(GPtrArray) negotiate_challenges = challenges_from ("Negotiate, Kerberos");
  g_autoptr(GPtrArray) bearer_challenges = challenges_from ("Bearer realm=\"x\", Kerberos");
  const char *advice;

  gp_probe_result_set_verdict (negotiate, GP_VERDICT_SCHEME_UNSUPPORTED);
  gp_probe_result_set_challenges (negotiate, negotiate_challenges);
  advice = explain (negotiate, profile);
  g_assert_nonnull (strstr (advice, "Kerberos"));
  g_assert_nonnull (strstr (advice, "Negotiate"));

  gp_probe_result_set_verdict (bearer, GP_VERDICT_SCHEME_UNSUPPORTED);
  gp_probe_result_set_challenges (bearer, bearer_challenges);
  advice = explain (bearer, profile);
  /* It names what the proxy offered. */
  g_assert_nonnull (strstr (advice, "Bearer"));
  g_assert_nonnull (strstr (advice, "Kerberos"));
}

static void
test_explain_gio_note (void)
{
  /* Where the missing challenges matter: the contract says the advice
   * says why they are empty, on success too. */
  static const GpVerdict noted[] = { GP_VERDICT_OK, GP_VERDICT_AUTH_REQUIRED, GP_VERDICT_AUTH_REJECTED };

  for (guint i = 0; i < G_N_ELEMENTS (all_verdicts); i++)
    {
      g_autoptr(GpProfile) profile = new_profile ("socks5://127.0.0.1:1080", "alice", GP_AUTH_PASSWORD);
      g_autoptr(GpProbeResult) gio = gp_probe_result_new ("office");
      g_autoptr(GpProbeResult) soup = gp_probe_result_new ("office");
      gboolean wants_note = all_verdicts[i] == noted[0] || all_verdicts[i] == noted[1] ||
                            all_verdicts[i] == noted[2];

      gp_probe_result_set_verdict (gio, all_verdicts[i]);
      gp_probe_result_set_path (gio, GP_PROBE_PATH_GIO);
      gp_probe_result_set_verdict (soup, all_verdicts[i]);
      gp_probe_result_set_path (soup, GP_PROBE_PATH_LIBSOUP);

      g_test_message ("GIO note for %s", gp_verdict_to_string (all_verdicts[i]));
      g_assert_cmpint (strstr (explain (gio, profile), "GIO") != NULL, ==, wants_note);
      g_assert_null (strstr (explain (soup, profile), "GIO"));
    }
}

static void
test_explain_other_advice (void)
{
  g_autoptr(GpProfile) profile = new_profile ("http://proxy.example:3128", "alice", GP_AUTH_PASSWORD);
  g_autoptr(GpProbeResult) result = gp_probe_result_new ("office");

  gp_probe_result_set_verdict (result, GP_VERDICT_TARGET_ERROR);
  gp_probe_result_set_status (result, 401);
  g_assert_nonnull (strstr (explain (result, profile), "401"));
  gp_probe_result_set_status (result, 502);
  g_assert_nonnull (strstr (explain (result, profile), "502"));

  gp_probe_result_set_verdict (result, GP_VERDICT_TIMEOUT);
  gp_probe_result_set_status (result, 0);
  gp_probe_result_set_elapsed_ms (result, 2004);
  g_assert_nonnull (strstr (explain (result, profile), "2 s"));

  gp_probe_result_set_verdict (result, GP_VERDICT_UNREACHABLE);
  gp_probe_result_set_detail (result, "Connection refused");
  g_assert_nonnull (strstr (explain (result, profile), "http://proxy.example:3128"));
  g_assert_nonnull (strstr (explain (result, profile), "Connection refused"));

  gp_probe_result_set_verdict (result, GP_VERDICT_TLS_ERROR);
  gp_probe_result_set_detail (result, "Unacceptable TLS certificate");
  g_assert_nonnull (strstr (explain (result, profile), "Unacceptable TLS certificate"));

  gp_probe_result_set_verdict (result, GP_VERDICT_OK);
  gp_probe_result_set_exit_ip (result, "203.0.113.7");
  g_assert_nonnull (strstr (explain (result, profile), "203.0.113.7"));

  gp_probe_result_set_verdict (result, GP_VERDICT_FORBIDDEN);
  gp_probe_result_set_credentials_sent (result, TRUE);
  gp_probe_result_set_path (result, GP_PROBE_PATH_LIBSOUP);
  g_assert_nonnull (strstr (explain (result, profile), "accepted the credentials"));
  gp_probe_result_set_credentials_sent (result, FALSE);
  g_assert_null (strstr (explain (result, profile), "accepted the credentials"));
}

/* ---- JSON ---------------------------------------------------------------- */

static void
test_result_json_contract (void)
{
  static const char * const contract[] = {
    "profile", "verdict", "status", "challenges", "exit_ip", "elapsed_ms", "advice",
  };
  g_autoptr(GpProfile) profile = new_profile ("http://proxy.example:3128", "alice", GP_AUTH_PASSWORD);
  g_autoptr(GpProbeResult) result = gp_probe_result_new ("office");
  g_autoptr(GPtrArray) challenges = challenges_from ("Basic realm=\"Corp\", NTLM TlRMTVNTUAACAAAA==");
  g_autoptr(JsonObject) object = NULL;
  JsonArray *array;
  JsonObject *basic;

  gp_probe_result_set_verdict (result, GP_VERDICT_OK);
  gp_probe_result_set_status (result, 200);
  gp_probe_result_set_challenges (result, challenges);
  gp_probe_result_set_exit_ip (result, "203.0.113.7");
  gp_probe_result_set_elapsed_ms (result, 84);
  gp_probe_result_set_credentials_sent (result, TRUE);
  explain (result, profile);
  object = result_json (result);

  for (guint i = 0; i < G_N_ELEMENTS (contract); i++)
    g_assert_true (json_object_has_member (object, contract[i]));
  g_assert_cmpstr (json_object_get_string_member (object, "profile"), ==, "office");
  g_assert_cmpstr (json_object_get_string_member (object, "verdict"), ==, "ok");
  g_assert_cmpint (json_object_get_int_member (object, "status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object, "exit_ip"), ==, "203.0.113.7");
  g_assert_cmpint (json_object_get_int_member (object, "elapsed_ms"), ==, 84);
  g_assert_cmpstr (json_object_get_string_member (object, "advice"), ==, gp_probe_result_get_advice (result));

  array = json_object_get_array_member (object, "challenges");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  basic = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (basic, "scheme"), ==, "Basic");
  g_assert_cmpstr (json_object_get_string_member (basic, "realm"), ==, "Corp");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (basic, "params"), "realm"),
                   ==, "Corp");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "token68"),
                   ==, "TlRMTVNTUAACAAAA==");
}

static void
test_result_json_nulls (void)
{
  g_autoptr(GpProfile) profile = new_profile ("http://proxy.example:3128", "alice", GP_AUTH_PASSWORD);
  g_autoptr(GpProbeResult) result = gp_probe_result_new ("office");
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) rejected = NULL;

  /* No HTTP answer: status null; an exit IP is shown only with "ok". */
  gp_probe_result_set_verdict (result, GP_VERDICT_UNREACHABLE);
  gp_probe_result_set_exit_ip (result, "203.0.113.7");
  explain (result, profile);
  object = result_json (result);

  g_assert_true (json_object_has_member (object, "status"));
  g_assert_true (json_object_get_null_member (object, "status"));
  g_assert_true (json_object_has_member (object, "exit_ip"));
  g_assert_true (json_object_get_null_member (object, "exit_ip"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "challenges")), ==, 0);
  g_assert_false (json_object_get_null_member (object, "elapsed_ms"));
  g_assert_cmpint (json_object_get_int_member (object, "elapsed_ms"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "verdict"), ==, "unreachable");

  gp_probe_result_set_verdict (result, GP_VERDICT_AUTH_REJECTED);
  gp_probe_result_set_status (result, 407);
  rejected = result_json (result);
  g_assert_cmpint (json_object_get_int_member (rejected, "status"), ==, 407);
  g_assert_true (json_object_get_null_member (rejected, "exit_ip"));
}

/* ---- echo bodies --------------------------------------------------------- */

static void
test_echo_body (void)
{
  static const struct {
    const char *body;
    const char *ip;
  } cases[] = {
    { "203.0.113.7", "203.0.113.7" },
    { "203.0.113.7\n", "203.0.113.7" },
    { "  203.0.113.7 \r\n", "203.0.113.7" },
    { "2001:db8::7\n", "2001:db8::7" },
    { "::1", "::1" },
    { "{\"ip\":\"203.0.113.7\"}", "203.0.113.7" },
    { "{\"ip\": \"2001:db8::1\"}\n", "2001:db8::1" },
    { "{\"origin\":\"1.2.3.4, 5.6.7.8\"}", "1.2.3.4" },
    { "{\"origin\":\"1.2.3.4\"}", "1.2.3.4" },
    { "{\"ip\":\"203.0.113.7\",\"origin\":\"1.2.3.4\"}", "203.0.113.7" },
    { "{\"ip\":1234}", NULL },
    { "{\"ip\":null}", NULL },
    { "{\"ip\":[\"1.2.3.4\"]}", NULL },
    { "{\"ip\":\"not an ip\"}", NULL },
    { "{\"address\":\"1.2.3.4\"}", NULL },
    { "{\"ip\":\"1.2.3.4\"", NULL },
    { "[\"1.2.3.4\"]", NULL },
    { "<html><body>1.2.3.4</body></html>", NULL },
    { "garbage", NULL },
    { "1.2.3", NULL },
    { "999.1.1.1", NULL },
    { "1.2.3.4.5", NULL },
    { "example.com", NULL },
    { " ", NULL },
    { "\n", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ip = gp_prober_parse_echo_body (cases[i].body, strlen (cases[i].body));

      g_test_message ("echo body: %s", cases[i].body);
      g_assert_cmpstr (ip, ==, cases[i].ip);
    }
}

static void
test_echo_body_bounds (void)
{
  const char nul_inside[] = "1.2.3.4\0garbage";
  const char nul_after[] = "1.2.3.4\0";
  gsize big = 64 * 1024 + 1;
  g_autofree char *huge = g_malloc (big);
  g_autofree char *not_terminated = g_memdup2 ("1.2.3.4XXXX", 11);
  char *ip;

  g_assert_null (gp_prober_parse_echo_body ("", 0));
  g_assert_null (gp_prober_parse_echo_body (NULL, 0));
  g_assert_null (gp_prober_parse_echo_body (nul_inside, sizeof nul_inside - 1));
  g_assert_null (gp_prober_parse_echo_body (nul_after, sizeof nul_after - 1));

  /* An address, then megabytes of padding: not an echo service. */
  memset (huge, ' ', big);
  memcpy (huge, "1.2.3.4", 7);
  g_assert_null (gp_prober_parse_echo_body (huge, big));
  ip = gp_prober_parse_echo_body (huge, big - 1);
  g_assert_cmpstr (ip, ==, "1.2.3.4");
  g_free (ip);

  /* The length is honoured: no terminator needed. */
  ip = gp_prober_parse_echo_body (not_terminated, 7);
  g_assert_cmpstr (ip, ==, "1.2.3.4");
  g_free (ip);
}

/* ---- settings ------------------------------------------------------------ */

static void
test_settings_schema_defaults (void)
{
  g_autofree char *url = NULL;
  g_autofree char *schema_file = NULL;
  const char *dir = g_getenv ("GSETTINGS_SCHEMA_DIR");

  /* meson test points this at the build's compiled schema. */
  g_assert_nonnull (dir);

  /* The compiled schema must really be there, or this checks nothing. */
  schema_file = g_build_filename (dir, "gschemas.compiled", NULL);
  g_assert_true (g_file_test (schema_file, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (g_settings_schema_source_get_default ());
  {
    g_autoptr(GSettingsSchema) schema =
      g_settings_schema_source_lookup (g_settings_schema_source_get_default (), GP_SETTINGS_SCHEMA_ID, TRUE);

    g_assert_nonnull (schema);
  }

  url = gp_settings_get_ip_echo_url ();
  g_assert_cmpstr (url, ==, GP_SETTINGS_DEFAULT_IP_ECHO_URL);
  g_assert_cmpuint (gp_settings_get_test_timeout (), ==, GP_SETTINGS_DEFAULT_TEST_TIMEOUT);
  g_assert_cmpuint (GP_SETTINGS_DEFAULT_TEST_TIMEOUT, ==, GP_PROBER_DEFAULT_TIMEOUT);
}

static void
test_settings_changed (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *url = NULL;

  /* meson test gives the build's schema and the memory backend. */
  g_assert_nonnull (g_getenv ("GSETTINGS_SCHEMA_DIR"));
  g_assert_cmpstr (g_getenv ("GSETTINGS_BACKEND"), ==, "memory");

  settings = g_settings_new (GP_SETTINGS_SCHEMA_ID);
  g_settings_set_string (settings, "ip-echo-url", "http://127.0.0.1:8080/json");
  g_settings_set_uint (settings, "test-timeout", 42);
  url = gp_settings_get_ip_echo_url ();
  g_assert_cmpstr (url, ==, "http://127.0.0.1:8080/json");
  g_assert_cmpuint (gp_settings_get_test_timeout (), ==, 42);

  /* An emptied URL falls back to the default. */
  g_settings_set_string (settings, "ip-echo-url", "");
  g_clear_pointer (&url, g_free);
  url = gp_settings_get_ip_echo_url ();
  g_assert_cmpstr (url, ==, GP_SETTINGS_DEFAULT_IP_ECHO_URL);

  g_settings_reset (settings, "ip-echo-url");
  g_settings_reset (settings, "test-timeout");
}

static void
test_settings_no_schema (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_schema_dir = g_strdup (g_getenv ("GSETTINGS_SCHEMA_DIR"));
  g_autofree char *old_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  g_autofree char *old_data_home = g_strdup (g_getenv ("XDG_DATA_HOME"));

  if (g_test_subprocess ())
    {
      g_autofree char *url = gp_settings_get_ip_echo_url ();

      g_assert_cmpstr (url, ==, GP_SETTINGS_DEFAULT_IP_ECHO_URL);
      g_assert_cmpuint (gp_settings_get_test_timeout (), ==, GP_SETTINGS_DEFAULT_TEST_TIMEOUT);
      return;
    }

  /* No schema anywhere GIO looks: not the build's, not an installed one. */
  dir = g_dir_make_tmp ("gatepass-no-schema-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("GSETTINGS_SCHEMA_DIR", dir, TRUE);
  g_setenv ("XDG_DATA_DIRS", dir, TRUE);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);

  if (old_schema_dir != NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", old_schema_dir, TRUE);
  else
    g_unsetenv ("GSETTINGS_SCHEMA_DIR");
  if (old_data_dirs != NULL)
    g_setenv ("XDG_DATA_DIRS", old_data_dirs, TRUE);
  else
    g_unsetenv ("XDG_DATA_DIRS");
  if (old_data_home != NULL)
    g_setenv ("XDG_DATA_HOME", old_data_home, TRUE);
  else
    g_unsetenv ("XDG_DATA_HOME");
  g_rmdir (dir);

  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("");
}

/* ---- the proxy that was used --------------------------------------------- */

static void
test_unreachable_names_https_proxy (void)
{
  g_autoptr(GpProfile) profile = new_profile ("http://plain.example:3128", "alice", GP_AUTH_PASSWORD);
  g_autoptr(GpProbeResult) result = gp_probe_result_new ("office");
  const char *advice;


  /* An https:// target goes through the separate HTTPS proxy (the curl
   * command says so too): the advice must name that one. */
  gp_profile_set_https_proxy (profile, "http://tls.example:3129");
  gp_probe_result_set_verdict (result, GP_VERDICT_UNREACHABLE);
  gp_probe_result_set_detail (result, "Connection refused");
  gp_verdict_explain (result, profile, "https://echo.example/");
  advice = gp_probe_result_get_advice (result);

  g_assert_nonnull (strstr (gp_probe_result_get_curl_command (result), "tls.example:3129"));
  g_test_message ("advice: %s", advice);
  g_assert_true (strstr (advice, "tls.example:3129") != NULL);
  g_assert_true (strstr (advice, "plain.example") == NULL);
}

/* ---- a profile with its own CA ------------------------------------------- */

static void
test_tls_advice_with_ca (void)
{
  g_autoptr(GpProfile) profile = new_profile ("http://inspect.example:3128", NULL, GP_AUTH_NONE);
  g_autoptr(GpProbeResult) inspected = gp_probe_result_new ("office");
  g_autoptr(GpProbeResult) failed = gp_probe_result_new ("office");
  g_autoptr(GpProbeResult) before = gp_probe_result_new ("office");
  g_autofree char *ca_path = g_build_filename (g_getenv ("GATEPASS_TESTS_SRCDIR"), "data", "ca", "ca.pem", NULL);
  g_autofree char *pem = NULL;

  gp_probe_result_set_verdict (before, GP_VERDICT_TLS_INSPECTED);
  g_assert_null (strstr (explain (before, profile), "own CA"));

  g_assert_true (g_file_get_contents (ca_path, &pem, NULL, NULL));
  g_assert_true (gp_ca_store_install (gp_profile_get_id (profile), pem, NULL));

  gp_probe_result_set_verdict (inspected, GP_VERDICT_TLS_INSPECTED);
  g_assert_nonnull (strstr (explain (inspected, profile), "This profile's own CA certificate did not sign it"));

  /* An https:// proxy's own certificate is GIO's, checked against the
   * system's CAs only. */
  gp_profile_set_url (profile, "https://inspect.example:3129");
  gp_probe_result_set_verdict (failed, GP_VERDICT_TLS_ERROR);
  gp_probe_result_set_detail (failed, "Unacceptable TLS certificate");
  g_assert_nonnull (strstr (explain (failed, profile), "not for the https:// proxy's own certificate"));

  g_assert_true (gp_ca_store_remove (gp_profile_get_id (profile), NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/verdict/for-status", test_for_status);
  g_test_add_func ("/verdict/tls-advice-with-ca", test_tls_advice_with_ca);
  g_test_add_func ("/verdict/can-answer", test_can_answer);
  g_test_add_func ("/verdict/for-error", test_for_error);
  g_test_add_func ("/verdict/names", test_names);
  g_test_add_func ("/verdict/described", test_every_verdict_described);
  g_test_add_func ("/verdict/action-names", test_action_names);
  g_test_add_func ("/verdict/curl/http-proxy", test_curl_http_proxy);
  g_test_add_func ("/verdict/curl/no-credentials", test_curl_no_credentials);
  g_test_add_func ("/verdict/curl/socks", test_curl_socks);
  g_test_add_func ("/verdict/curl/https-proxy", test_curl_https_proxy);
  g_test_add_func ("/verdict/curl/quoting", test_curl_quoting);
  g_test_add_func ("/verdict/curl/runs-in-sh", test_curl_runs_in_sh);
  g_test_add_func ("/verdict/explain/every-verdict", test_explain_every_verdict);
  g_test_add_func ("/verdict/explain/auth-required", test_explain_auth_required);
  g_test_add_func ("/verdict/explain/actions", test_explain_actions);
  g_test_add_func ("/verdict/explain/scheme-unsupported", test_explain_scheme_unsupported);
  g_test_add_func ("/verdict/explain/gio-note", test_explain_gio_note);
  g_test_add_func ("/verdict/explain/other", test_explain_other_advice);
  g_test_add_func ("/verdict/json/contract", test_result_json_contract);
  g_test_add_func ("/verdict/json/nulls", test_result_json_nulls);
  g_test_add_func ("/verdict/echo-body/parse", test_echo_body);
  g_test_add_func ("/verdict/echo-body/bounds", test_echo_body_bounds);
  g_test_add_func ("/verdict/settings/schema-defaults", test_settings_schema_defaults);
  g_test_add_func ("/verdict/settings/changed", test_settings_changed);
  g_test_add_func ("/verdict/settings/no-schema", test_settings_no_schema);
  g_test_add_func ("/verdict/unreachable-advice-names-used-proxy",
                   test_unreachable_names_https_proxy);

  return g_test_run ();
}
