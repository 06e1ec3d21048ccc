/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-ca.h"
#include "gp-enums.h"
#include "gp-proxy-url.h"
#include "gp-secret-store.h"
#include "gp-verdict.h"

/* What each verdict is, beside its name (the enum's nick): how bad, its
 * freedesktop icon, and its title for people. One row per verdict. */
typedef struct
{
  GpSeverity  severity;
  const char *icon_name;
  const char *title;
} VerdictInfo;

static const VerdictInfo verdict_info[] = {
  [GP_VERDICT_OK] = { GP_SEVERITY_OK, "emblem-ok-symbolic", N_("Working") },
  [GP_VERDICT_AUTH_REQUIRED] = { GP_SEVERITY_ERROR, "dialog-password-symbolic", N_("Credentials Required") },
  [GP_VERDICT_AUTH_REJECTED] = { GP_SEVERITY_ERROR, "dialog-password-symbolic", N_("Credentials Rejected") },
  [GP_VERDICT_SCHEME_UNSUPPORTED] = { GP_SEVERITY_ERROR, "dialog-password-symbolic",
                                      N_("Unsupported Authentication") },
  [GP_VERDICT_FORBIDDEN] = { GP_SEVERITY_ERROR, "action-unavailable-symbolic", N_("Forbidden by the Proxy") },
  [GP_VERDICT_TARGET_ERROR] = { GP_SEVERITY_WARNING, "network-error-symbolic", N_("Error from the Target") },
  [GP_VERDICT_UNREACHABLE] = { GP_SEVERITY_ERROR, "network-error-symbolic", N_("Proxy Unreachable") },
  [GP_VERDICT_TIMEOUT] = { GP_SEVERITY_ERROR, "preferences-system-time-symbolic", N_("Timed Out") },
  [GP_VERDICT_TLS_ERROR] = { GP_SEVERITY_ERROR, "channel-insecure-symbolic", N_("TLS Failed") },
  [GP_VERDICT_KEYRING_ERROR] = { GP_SEVERITY_ERROR, "dialog-password-symbolic", N_("Keyring Unavailable") },
  [GP_VERDICT_REDIRECTED] = { GP_SEVERITY_ERROR, "mail-forward-symbolic", N_("Redirected") },
  [GP_VERDICT_PROTOCOL_ERROR] = { GP_SEVERITY_ERROR, "network-error-symbolic", N_("Not a Usable Answer") },
  [GP_VERDICT_TLS_INSPECTED] = { GP_SEVERITY_ERROR, "channel-insecure-symbolic", N_("TLS Inspected by the Proxy") },
};

const char *
gp_enum_to_nick (GType type,
                 int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value (klass, value);

  /* The class stays loaded: a static type is never unloaded, so its
   * nicks outlive this reference. */
  return found != NULL ? found->value_nick : NULL;
}

gboolean
gp_enum_from_nick (GType       type,
                   const char *nick,
                   int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *found;

  g_return_val_if_fail (value != NULL, FALSE);

  if (nick == NULL)
    return FALSE;
  klass = g_type_class_ref (type);
  found = g_enum_get_value_by_nick (klass, nick);
  if (found == NULL)
    return FALSE;
  *value = found->value;
  return TRUE;
}

static const VerdictInfo *
verdict_get_info (GpVerdict verdict)
{
  /* Every value of the enum has its row: tests/test-verdict.c checks. */
  g_return_val_if_fail ((guint) verdict < G_N_ELEMENTS (verdict_info), &verdict_info[GP_VERDICT_UNREACHABLE]);
  return &verdict_info[verdict];
}

const char *
gp_verdict_to_string (GpVerdict verdict)
{
  const char *nick = gp_enum_to_nick (GP_TYPE_VERDICT, verdict);

  g_return_val_if_fail (nick != NULL, "unreachable");
  return nick;
}

gboolean
gp_verdict_from_string (const char *text,
                        GpVerdict  *verdict)
{
  int value;

  if (!gp_enum_from_nick (GP_TYPE_VERDICT, text, &value))
    return FALSE;
  *verdict = (GpVerdict) value;
  return TRUE;
}

GpSeverity
gp_verdict_get_severity (GpVerdict verdict)
{
  return verdict_get_info (verdict)->severity;
}

const char *
gp_verdict_get_icon_name (GpVerdict verdict)
{
  return verdict_get_info (verdict)->icon_name;
}

const char *
gp_verdict_get_title (GpVerdict verdict)
{
  return _(verdict_get_info (verdict)->title);
}

const char *
gp_advice_action_to_string (GpAdviceAction action)
{
  const char *nick = gp_enum_to_nick (GP_TYPE_ADVICE_ACTION, action);

  g_return_val_if_fail (nick != NULL, "none");
  return nick;
}

gboolean
gp_advice_action_from_string (const char     *text,
                              GpAdviceAction *action)
{
  int value;

  if (!gp_enum_from_nick (GP_TYPE_ADVICE_ACTION, text, &value))
    return FALSE;
  *action = (GpAdviceAction) value;
  return TRUE;
}

static const char * const answerable_schemes[] = { "Basic", "Digest", "NTLM" };

static gboolean
has_scheme (GPtrArray  *challenges,
            const char *scheme)
{
  for (guint i = 0; challenges != NULL && i < challenges->len; i++)
    if (gp_challenge_is_scheme (g_ptr_array_index (challenges, i), scheme))
      return TRUE;
  return FALSE;
}

/* Whether libsoup (with NTLM added) can answer one of the challenges. */
gboolean
gp_verdict_can_answer (GPtrArray *challenges)
{
  for (guint i = 0; i < G_N_ELEMENTS (answerable_schemes); i++)
    if (has_scheme (challenges, answerable_schemes[i]))
      return TRUE;
  return FALSE;
}

GpVerdict
gp_verdict_for_status (guint      status,
                       gboolean   credentials_sent,
                       GPtrArray *challenges,
                       gboolean   has_exit_ip)
{
  if (status == 407)
    {
      if (credentials_sent)
        return GP_VERDICT_AUTH_REJECTED;
      if (challenges != NULL && challenges->len > 0 && !gp_verdict_can_answer (challenges))
        return GP_VERDICT_SCHEME_UNSUPPORTED;
      return GP_VERDICT_AUTH_REQUIRED;
    }

  if (status == 403)
    return GP_VERDICT_FORBIDDEN;

  /* Never followed: from the proxy (its block page) or the echo service. */
  if (status >= 300 && status < 400)
    return GP_VERDICT_REDIRECTED;

  if (status >= 200 && status < 300 && has_exit_ip)
    return GP_VERDICT_OK;

  return GP_VERDICT_TARGET_ERROR;
}

/* GIO reports what https:// and socks5:// proxies said as errors. */
static GpVerdict
verdict_for_proxy_error (const GError    *error,
                         const GpFailure *failure)
{
  switch (error->code)
    {
    case G_IO_ERROR_PROXY_NEED_AUTH:
      return GP_VERDICT_AUTH_REQUIRED;
    case G_IO_ERROR_PROXY_AUTH_FAILED:
      return GP_VERDICT_AUTH_REJECTED;
    case G_IO_ERROR_PROXY_NOT_ALLOWED:
      return GP_VERDICT_FORBIDDEN;
    default:
      /* GIO's HTTP proxy puts the status in the message only; the number
       * is not translated. */
      if (strstr (error->message, "403") != NULL)
        return GP_VERDICT_FORBIDDEN;
      /* Connected, but no SOCKS or HTTP proxy answered as one. */
      return failure->connected ? GP_VERDICT_PROTOCOL_ERROR : GP_VERDICT_UNREACHABLE;
    }
}

/* Failures before any TCP connection to the proxy was made. */
static gboolean
is_connection_failure (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR)
    return TRUE;
  return error->domain == G_IO_ERROR &&
         (error->code == G_IO_ERROR_CONNECTION_REFUSED || error->code == G_IO_ERROR_HOST_UNREACHABLE ||
          error->code == G_IO_ERROR_NETWORK_UNREACHABLE || error->code == G_IO_ERROR_HOST_NOT_FOUND);
}

/* An answer that ended early: a SOCKS server that closes during the
 * handshake refuses this client (its rules block the address). */
static gboolean
is_closed_early (const GError *error)
{
  return error->domain == G_IO_ERROR &&
         (error->code == G_IO_ERROR_CONNECTION_CLOSED || error->code == G_IO_ERROR_PARTIAL_INPUT ||
          error->code == G_IO_ERROR_BROKEN_PIPE || error->code == G_IO_ERROR_FAILED ||
          error->code == G_IO_ERROR_NOT_CONNECTED);
}

GpVerdict
gp_verdict_for_error (const GError    *error,
                      const GpFailure *failure)
{
  g_return_val_if_fail (error != NULL && failure != NULL, GP_VERDICT_UNREACHABLE);

  if (failure->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return GP_VERDICT_TIMEOUT;

  if (error->domain == G_TLS_ERROR)
    return GP_VERDICT_TLS_ERROR;

  if (error->domain == G_IO_ERROR &&
      (error->code == G_IO_ERROR_PROXY_NEED_AUTH || error->code == G_IO_ERROR_PROXY_AUTH_FAILED ||
       error->code == G_IO_ERROR_PROXY_NOT_ALLOWED || error->code == G_IO_ERROR_PROXY_FAILED))
    return verdict_for_proxy_error (error, failure);

  if (!failure->connected || is_connection_failure (error))
    return GP_VERDICT_UNREACHABLE;

  /* Connected: whatever came back (libsoup's parse errors, "header too
   * big" and "connection terminated" alike, resets) was no usable answer. */
  if (failure->socks && is_closed_early (error))
    return GP_VERDICT_FORBIDDEN;
  return GP_VERDICT_PROTOCOL_ERROR;
}

/* A command that reproduces the test, shell-quoted; -U without a password
 * makes curl ask for it, so none is ever printed. */
/* The proxy a request to target_url goes through, as the prober picks it. */
/**
 * gp_verdict_for_tls:
 * @verdict: what the probe's answer or error alone said
 * @path: who spoke to the proxy
 * @tunnel: (nullable): the echo host's certificate as seen through the proxy
 * @errors: what GIO found wrong with it
 * @direct: (nullable): the echo host's certificate without the proxy
 *
 * A TLS failure through an http:// proxy's tunnel with a certificate
 * this system does not trust is what a proxy that re-signs looks like.
 * The same certificate without the proxy is the echo host's own.
 */
GpVerdict
gp_verdict_for_tls (GpVerdict             verdict,
                    GpProbePath           path,
                    const GpTlsInfo      *tunnel,
                    GTlsCertificateFlags  errors,
                    const GpTlsInfo      *direct)
{
  if (verdict != GP_VERDICT_TLS_ERROR || path != GP_PROBE_PATH_LIBSOUP || tunnel == NULL || tunnel->trusted)
    return verdict;
  if ((errors & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0)
    return verdict;
  if (direct != NULL && direct->sha256 != NULL && g_strcmp0 (direct->sha256, tunnel->sha256) == 0)
    return verdict;
  return GP_VERDICT_TLS_INSPECTED;
}

static char *
advice_tls_inspected (GpProbeResult *result)
{
  const GpTlsInfo *tls = gp_probe_result_get_tls (result);
  const char *issuer = tls != NULL && tls->issuer != NULL ? tls->issuer : _("an unknown issuer");
  const char *host = tls != NULL && tls->host != NULL ? tls->host : "";

  if (gp_probe_result_get_direct_tls (result) != NULL)
    return g_strdup_printf (_("The proxy inspects TLS: through it, %s presents a certificate issued by "
                              "“%s” instead of its own, and this system does not trust that issuer. The "
                              "proxy's CA certificate must be trusted, system-wide or for this profile."),
                            host, issuer);
  return g_strdup_printf (_("The proxy probably inspects TLS: through it, %s presents a certificate issued "
                            "by “%s”, which this system does not trust. The proxy's CA certificate must be "
                            "trusted, system-wide or for this profile. Test directly as well, to rule out a "
                            "problem of the echo host itself."), host, issuer);
}

static char *
advice_tls_error (GpProbeResult *result,
                  const char    *detail)
{
  const GpTlsInfo *tls = gp_probe_result_get_tls (result);
  const GpTlsInfo *direct = gp_probe_result_get_direct_tls (result);

  if (tls != NULL && direct != NULL && !tls->trusted && g_strcmp0 (tls->sha256, direct->sha256) == 0)
    return g_strdup_printf (_("TLS failed (%s). %s presents the same untrusted certificate, issued by “%s”, "
                              "with and without the proxy: the echo host's own certificate is the problem, "
                              "not the proxy. Use another echo URL, or trust that issuer."),
                            detail, tls->host != NULL ? tls->host : "",
                            tls->issuer != NULL ? tls->issuer : _("an unknown issuer"));
  return g_strdup_printf (_("TLS failed (%s). For an https:// proxy, check that its certificate is "
                            "valid for its name and trusted here; a proxy that speaks plain HTTP needs an "
                            "http:// URL."), detail);
}

static const char *
proxy_for_target (GpProfile  *profile,
                  const char *target_url)
{
  g_autoptr(GUri) target = g_uri_parse (target_url, G_URI_FLAGS_NONE, NULL);

  if (target != NULL && g_strcmp0 (g_uri_get_scheme (target), "https") == 0 &&
      gp_profile_get_https_proxy (profile) != NULL)
    return gp_profile_get_https_proxy (profile);
  return gp_profile_get_url (profile);
}

char *
gp_verdict_curl_command (GpProfile  *profile,
                         const char *target_url)
{
  g_autoptr(GString) out = g_string_new ("curl -sS -o /dev/null -w '%{http_code}\\n'");
  const char *proxy = proxy_for_target (profile, target_url);
  g_autofree char *quoted_proxy = NULL;
  g_autofree char *quoted_target = g_shell_quote (target_url);

  quoted_proxy = g_shell_quote (proxy);
  g_string_append_printf (out, " -x %s", quoted_proxy);

  if (gp_profile_sends_credentials (profile))
    {
      g_autofree char *quoted_user = g_shell_quote (gp_profile_get_username (profile));

      if (g_str_has_prefix (proxy, "http"))
        g_string_append (out, " --proxy-anyauth");
      g_string_append_printf (out, " -U %s", quoted_user);
    }

  g_string_append_printf (out, " %s", quoted_target);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
advice_auth_required (GpProbeResult *result,
                      GpProfile     *profile)
{
  const char *name = gp_profile_get_name (profile);
  const char *direct_ip = gp_probe_result_get_direct_ip (result);

  switch (gp_profile_get_auth (profile))
    {
    case GP_AUTH_IP:
      if (direct_ip != NULL)
        return g_strdup_printf (_("The proxy asks for credentials, so your address is not on the "
                                  "provider's allowlist. Ask them to add %s, the address you connect from."),
                                direct_ip);
      return g_strdup (_("The proxy asks for credentials, so your address is not on the provider's "
                         "allowlist. Ask them to add the address you connect from; a test that also asks "
                         "the echo service directly shows it."));
    case GP_AUTH_PASSWORD:
      return g_strdup_printf (_("The proxy wants credentials and no password is stored for “%s”: store "
                                "its password."), name);
    case GP_AUTH_NONE:
    default:
      return g_strdup_printf (_("The proxy wants credentials. Give “%s” a username and a password, or, if "
                                "your provider allowlists addresses, ask for yours to be added."), name);
    }
}

static char *
advice_scheme_unsupported (GpProbeResult *result)
{
  GPtrArray *challenges = gp_probe_result_get_challenges (result);
  g_autoptr(GString) schemes = g_string_new (NULL);

  if (has_scheme (challenges, "Negotiate"))
    return g_strdup (_("The proxy offers only Negotiate: Kerberos single sign-on, which uses the ticket "
                       "of your domain login instead of a password. Gatepass cannot answer it; use a client "
                       "with Kerberos (kinit, then curl --proxy-negotiate -U :), or ask for Basic, Digest or "
                       "NTLM to be enabled."));

  for (guint i = 0; i < challenges->len; i++)
    g_string_append_printf (schemes, "%s%s", i > 0 ? ", " : "",
                            gp_challenge_get_scheme (g_ptr_array_index (challenges, i)));
  return g_strdup_printf (_("The proxy offers only schemes Gatepass cannot answer (%s); Basic, Digest "
                            "and NTLM are supported. Ask the proxy's administrators which to use."),
                          schemes->str);
}

static char *
advice_forbidden (GpProbeResult *result)
{
  const char *direct_ip = gp_probe_result_get_direct_ip (result);

  if (gp_probe_result_get_credentials_sent (result) &&
      gp_probe_result_get_path (result) == GP_PROBE_PATH_LIBSOUP)
    return g_strdup (_("The proxy accepted the credentials but blocks this destination by policy. Try "
                       "another echo URL, or ask the proxy's administrators to allow it."));

  if (direct_ip != NULL)
    return g_strdup_printf (_("The proxy refuses the request: its policy blocks this destination, or it does "
                              "not allow your address. You connect from %s: ask the proxy's administrators "
                              "to allow that address."), direct_ip);
  return g_strdup (_("The proxy refuses the request: its policy blocks this destination, or it does not "
                     "allow your address. A test that also asks the echo service directly shows the "
                     "address you connect from; ask the proxy's administrators to allow it."));
}

static char *
advice_redirected (GpProbeResult *result)
{
  const char *location = gp_probe_result_get_location (result);

  if (location == NULL)
    return g_strdup (_("The answer was a redirect without a target. Gatepass never follows redirects. "
                       "Check the echo URL, or whether the proxy sends its own page instead."));
  return g_strdup_printf (_("The answer was a redirect to %s, from the proxy (often its block page or a "
                            "login portal) or from the echo service. Gatepass never follows redirects: the "
                            "credentials would travel with them. If that is the proxy's page, open it in "
                            "a browser; otherwise choose an echo URL that answers directly."), location);
}

static char *
advice_protocol_error (const char *proxy,
                       const char *detail)
{
  return g_strdup_printf (_("A connection to %s was made, but its answer was not a usable proxy answer "
                            "(%s). Check that the port is the proxy's and not another service's, and that "
                            "the URL's scheme (http, https, socks5) is the one the proxy speaks."),
                          proxy, detail);
}

static char *
advice_target_error (GpProbeResult *result)
{
  guint status = gp_probe_result_get_status (result);

  if (status == 401)
    return g_strdup (_("The 401 comes from the target site, not from the proxy: the proxy let the "
                       "request through, and the site itself wants a login."));
  if (status >= 200 && status < 300)
    return g_strdup (_("The proxy let the request through, but the echo service's answer held no IP "
                       "address. Check the echo URL: it must answer with the address as text, or JSON "
                       "with an “ip” or “origin” field."));
  return g_strdup_printf (_("The proxy forwarded the request and HTTP %u came back, from the target or "
                            "from the proxy's own gateway. The proxy is working; check the echo URL, or "
                            "whether the proxy can reach the internet."), status);
}

/* A profile with a CA of its own (gp-ca-store.c) that still fails TLS:
 * either the proxy signs with another CA, or, for an https:// proxy, the
 * failing certificate is the proxy's own, which GIO checks against the
 * system's CAs only (the profile's CA serves the tunnel). */
static char *
with_ca_note (char        *advice,
              GpProfile   *profile,
              GpVerdict    verdict,
              const char  *proxy)
{
  g_autofree char *owned = advice;
  const char *note;

  if (profile == NULL || !gp_ca_store_has (gp_profile_get_id (profile)))
    return g_steal_pointer (&owned);
  if (verdict == GP_VERDICT_TLS_INSPECTED)
    note = _("This profile's own CA certificate did not sign it: the proxy re-signs with another CA, "
             "and that one must be trusted for this profile.");
  else if (proxy != NULL && g_str_has_prefix (proxy, "https://"))
    note = _("This profile's CA certificate is trusted for the sites reached through the proxy, not for "
             "the https:// proxy's own certificate, which must be trusted system-wide.");
  else
    return g_steal_pointer (&owned);
  return g_strconcat (owned, " ", note, NULL);
}

static char *
advice_for (GpProbeResult *result,
            GpProfile     *profile,
            const char    *proxy,
            guint          timeout)
{
  const char *detail = gp_probe_result_get_detail (result);
  const char *exit_ip = gp_probe_result_get_exit_ip (result);
  const char *direct_ip = gp_probe_result_get_direct_ip (result);

  if (detail == NULL)
    detail = "";

  switch (gp_probe_result_get_verdict (result))
    {
    case GP_VERDICT_OK:
      if (direct_ip != NULL && g_strcmp0 (direct_ip, exit_ip) == 0)
        return g_strdup_printf (_("The request went through, but the echo service saw %s with and without "
                                  "the proxy: the echo service may be on your own network."), exit_ip);
      return g_strdup_printf (_("The proxy works: requests leave through it as %s."), exit_ip);
    case GP_VERDICT_AUTH_REQUIRED:
      return advice_auth_required (result, profile);
    case GP_VERDICT_AUTH_REJECTED:
      return g_strdup (_("The proxy rejected the credentials. Check the username and password character "
                         "by character (a pasted trailing space, letter case, special characters), whether "
                         "the password was changed or has expired, and whether the proxy wants DOMAIN\\user. "
                         "Gatepass tried once only, so this test cannot lock the account."));
    case GP_VERDICT_SCHEME_UNSUPPORTED:
      return advice_scheme_unsupported (result);
    case GP_VERDICT_FORBIDDEN:
      return advice_forbidden (result);
    case GP_VERDICT_TARGET_ERROR:
      return advice_target_error (result);
    case GP_VERDICT_TIMEOUT:
      return g_strdup_printf (_("No complete answer within %u s: the proxy, or the site behind it, is too "
                                "slow or silently drops the connection. Check the port, or allow more "
                                "time."), timeout);
    case GP_VERDICT_TLS_ERROR:
      return with_ca_note (advice_tls_error (result, detail), profile, GP_VERDICT_TLS_ERROR, proxy);
    case GP_VERDICT_TLS_INSPECTED:
      return with_ca_note (advice_tls_inspected (result), profile, GP_VERDICT_TLS_INSPECTED, proxy);
    case GP_VERDICT_KEYRING_ERROR:
      return g_strdup_printf (_("The password could not be read from the keyring: %s"), detail);
    case GP_VERDICT_REDIRECTED:
      return advice_redirected (result);
    case GP_VERDICT_PROTOCOL_ERROR:
      return advice_protocol_error (proxy, detail);
    case GP_VERDICT_UNREACHABLE:
    default:
      return g_strdup_printf (_("No connection to the proxy %s (%s). Check the host name and port, that the "
                                "proxy is running, and that no firewall is in the way."),
                              proxy, detail);
    }
}

static char *
append_note (char       *advice,
             const char *note)
{
  char *with_note = g_strconcat (advice, " ", note, NULL);

  g_free (advice);
  return with_note;
}

/* What a person needs beside the verdict, said once after the advice:
 * why GIO's proxies show no challenges, a proxy's non-standard 401, and
 * a proxy that clients reading http_proxy cannot answer. */
static char *
append_notes (char          *advice,
              GpProbeResult *result)
{
  GpVerdict verdict = gp_probe_result_get_verdict (result);
  gboolean about_auth = verdict == GP_VERDICT_AUTH_REQUIRED || verdict == GP_VERDICT_AUTH_REJECTED;

  if (gp_probe_result_get_path (result) == GP_PROBE_PATH_GIO && (verdict == GP_VERDICT_OK || about_auth))
    advice = append_note (advice, _("(This proxy is spoken to by GIO, which sends the credentials up front "
                                    "and does not show the proxy's challenges.)"));
  if (about_auth && gp_probe_result_get_proxy_401 (result))
    advice = append_note (advice, _("The proxy answered 401 where the standard says 407; it is the proxy "
                                    "asking for its credentials, not the target site."));
  if (verdict == GP_VERDICT_OK && gp_probe_result_get_basic_offered (result) == 0)
    advice = append_note (advice, _("It offers no Basic authentication, though: curl, wget, git, Python and "
                                    "Go send only Basic from http_proxy, so they get 407 from it. What works: "
                                    "curl --proxy-anyauth, or a client's own proxy authentication setting."));
  return advice;
}

/* The one step the advice suggests, when a front end can offer it. */
static GpAdviceAction
action_for (GpProbeResult *result,
            GpProfile     *profile)
{
  gboolean knows_address = gp_probe_result_get_direct_ip (result) != NULL;

  switch (gp_probe_result_get_verdict (result))
    {
    case GP_VERDICT_AUTH_REQUIRED:
      if (gp_profile_get_auth (profile) == GP_AUTH_PASSWORD)
        return GP_ADVICE_ACTION_STORE_PASSWORD;
      if (gp_profile_get_auth (profile) == GP_AUTH_IP)
        return knows_address ? GP_ADVICE_ACTION_NONE : GP_ADVICE_ACTION_TEST_DIRECTLY;
      return GP_ADVICE_ACTION_EDIT_CREDENTIALS;
    case GP_VERDICT_FORBIDDEN:
      /* As advice_forbidden (): a blocked destination needs no address. */
      if (gp_probe_result_get_credentials_sent (result) &&
          gp_probe_result_get_path (result) == GP_PROBE_PATH_LIBSOUP)
        return GP_ADVICE_ACTION_NONE;
      return knows_address ? GP_ADVICE_ACTION_NONE : GP_ADVICE_ACTION_TEST_DIRECTLY;
    case GP_VERDICT_TIMEOUT:
      return GP_ADVICE_ACTION_ALLOW_MORE_TIME;
    case GP_VERDICT_TLS_INSPECTED:
      /* Without the direct handshake, the echo host's own certificate is
       * not ruled out. */
      return gp_probe_result_get_direct_tls (result) != NULL ? GP_ADVICE_ACTION_NONE
                                                             : GP_ADVICE_ACTION_TEST_DIRECTLY;
    default:
      return GP_ADVICE_ACTION_NONE;
    }
}

void
gp_verdict_explain (GpProbeResult *result,
                    GpProfile     *profile,
                    const char    *target_url)
{
  g_autofree char *curl = gp_verdict_curl_command (profile, target_url);
  g_autofree char *advice = NULL;
  guint timeout = 0;

  if (gp_probe_result_get_verdict (result) == GP_VERDICT_TIMEOUT)
    timeout = (gp_probe_result_get_elapsed_ms (result) + 500) / 1000;

  advice = advice_for (result, profile, proxy_for_target (profile, target_url), timeout);
  advice = append_notes (g_steal_pointer (&advice), result);
  gp_probe_result_set_advice (result, advice);
  gp_probe_result_set_action (result, action_for (result, profile));
  gp_probe_result_set_curl_command (result, curl);
}

/* The result of a test that could not run: the password could not be
 * read (verdict keyring-error) or the prober failed before any answer.
 * A locked keyring is the one such error a front end can act on. */
GpProbeResult *
gp_verdict_result_for_error (GpProfile    *profile,
                             GpVerdict     verdict,
                             const GError *error,
                             const char   *target_url)
{
  GpProbeResult *result = gp_probe_result_new (gp_profile_get_name (profile));

  gp_probe_result_set_verdict (result, verdict);
  gp_probe_result_set_detail (result, error->message);
  gp_verdict_explain (result, profile, target_url);
  if (g_error_matches (error, GP_SECRET_ERROR, GP_SECRET_ERROR_LOCKED))
    gp_probe_result_set_action (result, GP_ADVICE_ACTION_UNLOCK_KEYRING);
  return result;
}
