/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gp-ca.h"
#include "gp-prober.h"
#include "gp-proxy-auth.h"
#include "gp-proxy-url.h"
#include "gp-secret-store.h"
#include "gp-text.h"
#include "gp-verdict.h"

/* An IP address fits in far less; a larger answer is not an echo service. */
#define ECHO_BODY_MAX (64 * 1024)
#define READ_CHUNK    4096

struct _GpProber
{
  GObject        parent_instance;

  char          *ip_echo_url;
  guint          timeout;
  GTlsDatabase  *tls_database;
  gboolean       probe_direct;
  GHashTable    *ca_databases;   /* profile id → CaDatabase */
};

/* A profile's own CA (gp-ca-store.c), read once per version of its
 * bundle: parsing the system's CAs costs milliseconds. */
typedef struct
{
  GTlsDatabase *database;
  char         *bundle_stamp;
} CaDatabase;

static void
ca_database_free (CaDatabase *entry)
{
  g_clear_object (&entry->database);
  g_free (entry->bundle_stamp);
  g_free (entry);
}

G_DEFINE_FINAL_TYPE (GpProber, gp_prober, G_TYPE_OBJECT)

/* Where libsoup 3.2 answers differently from curl and proxies expect
 * (see gp-proxy-auth.c), Gatepass answers in a second request itself. */
typedef enum
{
  MANUAL_NONE,
  MANUAL_BASIC,
  MANUAL_DIGEST,
} ManualAuth;

typedef struct
{
  GpProfile      *profile;
  GpPassword     *password;
  GpProxyUrl     *proxy;
  GUri           *target;
  GpProbePath     path;
  SoupSession    *session;
  SoupMessage    *message;
  GInputStream   *stream;
  GByteArray     *body;
  GCancellable   *cancellable;    /* ours: the deadline and the caller's both cancel it */
  GCancellable   *caller_cancellable;
  gulong          caller_cancelled_id;
  guint           deadline_id;
  gboolean        timed_out;
  gint64          started;
  GPtrArray      *challenges;     /* those of the first 407, NULL until one came */
  gboolean        challenges_dropped;
  gboolean        connected;      /* a TCP connection to the proxy was made */
  gboolean        tunnel_open;    /* the proxy answered CONNECT with 2xx */
  guint           tunnel_status;  /* the proxy's answer to CONNECT, 0: none */
  gboolean        proxy_401;      /* a 401 that the proxy, not the target, sent */
  char           *location;       /* of a 3xx, from the proxy or the target */
  gboolean        credentials_sent;
  ManualAuth      manual;         /* a scheme we answer ourselves, in a retry */
  gboolean        manual_retried;
  char           *cnonce;
  GpTlsInfo      *tls;            /* the echo host's certificate, through the proxy */
  GTlsCertificateFlags tls_errors;
  SoupMessage    *direct_message; /* --direct: the same request without the proxy */
  GpTlsInfo      *direct_tls;
  GpProbeResult  *result;
} Probe;

static void
probe_free (Probe *probe)
{
  g_clear_pointer (&probe->tls, gp_tls_info_free);
  g_clear_pointer (&probe->direct_tls, gp_tls_info_free);
  g_clear_object (&probe->direct_message);
  g_clear_handle_id (&probe->deadline_id, g_source_remove);
  if (probe->caller_cancellable != NULL)
    g_cancellable_disconnect (probe->caller_cancellable, probe->caller_cancelled_id);
  g_clear_object (&probe->caller_cancellable);
  g_clear_object (&probe->profile);
  g_clear_pointer (&probe->password, gp_password_free);
  g_clear_pointer (&probe->proxy, gp_proxy_url_free);
  g_clear_pointer (&probe->target, g_uri_unref);
  g_clear_object (&probe->message);
  g_clear_object (&probe->stream);
  g_clear_object (&probe->session);
  g_clear_pointer (&probe->body, g_byte_array_unref);
  g_clear_object (&probe->cancellable);
  g_clear_pointer (&probe->challenges, g_ptr_array_unref);
  g_free (probe->location);
  g_free (probe->cnonce);
  g_clear_object (&probe->result);
  g_free (probe);
}

/* Echo services answer plain text ("203.0.113.7") or JSON with an "ip"
 * or "origin" field ("origin" may list several, the client's first).
 * Only a real IP address is accepted: the answer is the network's. */
char *
gp_prober_parse_echo_body (const char *body,
                           gsize       length)
{
  g_autofree char *text = NULL;
  g_autofree char *candidate = NULL;

  if (body == NULL || length == 0 || length > ECHO_BODY_MAX || memchr (body, '\0', length) != NULL ||
      !g_utf8_validate (body, length, NULL))
    return NULL;

  text = g_strstrip (g_strndup (body, length));
  if (text[0] == '{')
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;
      const char *field;

      if (!json_parser_load_from_data (parser, text, -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        return NULL;
      object = json_node_get_object (json_parser_get_root (parser));
      field = json_object_has_member (object, "ip") ? "ip" : "origin";
      if (!json_object_has_member (object, field) ||
          json_node_get_value_type (json_object_get_member (object, field)) != G_TYPE_STRING)
        return NULL;
      candidate = g_strdup (json_object_get_string_member (object, field));
    }
  else
    candidate = g_strdup (text);

  candidate[strcspn (candidate, ", \t\r\n")] = '\0';
  return gp_text_parse_ip (candidate);
}

static gint64
elapsed_ms_since (gint64 start_usec)
{
  return (g_get_monotonic_time () - start_usec) / 1000;
}

static gint64
metrics_span_ms (guint64 from,
                 guint64 to)
{
  return from != 0 && to >= from ? (gint64) ((to - from) / 1000) : -1;
}

static void
record_timings (Probe *probe)
{
  SoupMessageMetrics *metrics = probe->message ? soup_message_get_metrics (probe->message) : NULL;

  gp_probe_result_set_elapsed_ms (probe->result, elapsed_ms_since (probe->started));
  if (metrics == NULL)
    return;

  gp_probe_result_set_timings (probe->result,
                               metrics_span_ms (soup_message_metrics_get_connect_start (metrics),
                                                soup_message_metrics_get_connect_end (metrics)),
                               metrics_span_ms (soup_message_metrics_get_tls_start (metrics),
                                                soup_message_metrics_get_connect_end (metrics)),
                               metrics_span_ms (soup_message_metrics_get_request_start (metrics),
                                                soup_message_metrics_get_response_start (metrics)));
}

static void
probe_dispose_session (Probe *probe)
{
  if (probe->session == NULL)
    return;
  g_signal_handlers_disconnect_by_data (probe->session, probe);
  soup_session_abort (probe->session);
}

/* The certificate of a handshake that worked; one that failed was
 * recorded by on_message_accept_certificate (). */
static GpTlsInfo *
tls_info_of (SoupMessage           *msg,
             GUri                  *target,
             GpTlsInfo            **recorded,
             GTlsCertificateFlags  *errors)
{
  GTlsCertificate *certificate;

  if (*recorded != NULL || msg == NULL)
    return *recorded;
  certificate = soup_message_get_tls_peer_certificate (msg);
  if (certificate == NULL)
    return NULL;
  if (errors != NULL)
    *errors = soup_message_get_tls_peer_certificate_errors (msg);
  *recorded = gp_tls_info_new (g_uri_get_host (target), certificate,
                               soup_message_get_tls_peer_certificate_errors (msg) == 0);
  return *recorded;
}

static void
finish (GTask *task)
{
  Probe *probe = g_task_get_task_data (task);
  g_autofree char *target = g_uri_to_string (probe->target);
  GpTlsInfo *tls = tls_info_of (probe->message, probe->target, &probe->tls, &probe->tls_errors);
  GpTlsInfo *direct_tls = tls_info_of (probe->direct_message, probe->target, &probe->direct_tls, NULL);

  record_timings (probe);
  gp_probe_result_set_credentials_sent (probe->result, probe->credentials_sent);
  gp_probe_result_set_path (probe->result, probe->path);
  if (probe->challenges != NULL)
    gp_probe_result_set_challenges (probe->result, probe->challenges);
  gp_probe_result_set_challenges_dropped (probe->result, probe->challenges_dropped);
  gp_probe_result_set_location (probe->result, probe->location);
  gp_probe_result_set_proxy_401 (probe->result, probe->proxy_401);
  gp_probe_result_set_tls (probe->result, tls);
  gp_probe_result_set_direct_tls (probe->result, direct_tls);
  gp_probe_result_set_verdict (probe->result,
                               gp_verdict_for_tls (gp_probe_result_get_verdict (probe->result), probe->path,
                                                   tls, probe->tls_errors, direct_tls));
  gp_verdict_explain (probe->result, probe->profile, target);

  probe_dispose_session (probe);
  g_task_return_pointer (task, g_object_ref (probe->result), g_object_unref);
}

/* Whether text holds the password in any form it travels in: plain,
 * percent-encoded, or inside the base64 of "user:password". Whatever the
 * password's length: a short one is as secret as a long one. */
static gboolean
reveals_password (Probe      *probe,
                  const char *text)
{
  const char *username = gp_profile_get_username (probe->profile);
  g_autofree char *encoded = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *base64 = NULL;
  gboolean found;

  if (text == NULL || probe->password == NULL || *probe->password == '\0')
    return FALSE;

  encoded = gp_proxy_url_escape_userinfo (probe->password);
  pair = g_strconcat (username != NULL ? username : "", ":", probe->password, NULL);
  base64 = g_base64_encode ((const guchar *) pair, strlen (pair));
  found = strstr (text, probe->password) != NULL || strstr (text, encoded) != NULL ||
          strstr (text, base64) != NULL;
  explicit_bzero (pair, strlen (pair));
  explicit_bzero (base64, strlen (base64));
  explicit_bzero (encoded, strlen (encoded));
  return found;
}

/* Error texts may quote what GIO was given, a URI with the credentials,
 * and a hostile proxy may echo them in its reason phrase. */
static char *
scrub_detail (Probe      *probe,
              const char *detail)
{
  if (reveals_password (probe, detail))
    return g_strdup (_("the connection failed (details withheld: they quoted the credentials)"));
  return gp_text_sanitize (detail, -1, GP_TEXT_MAX_NETWORK);
}

static void
conclude_with_direct_ip (GTask *task);

static void
conclude_from_error (GTask  *task,
                     GError *error)
{
  Probe *probe = g_task_get_task_data (task);
  g_autofree char *detail = NULL;
  GpFailure failure = { 0 };

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !probe->timed_out)
    {
      probe_dispose_session (probe);
      g_task_return_error (task, g_error_copy (error));
      return;
    }

  /* Codes, never messages: libsoup's messages are translated. */
  g_debug ("probe of %s failed: %s %d, connected %d", gp_profile_get_name (probe->profile),
           g_quark_to_string (error->domain), error->code, probe->connected);
  failure.timed_out = probe->timed_out;
  failure.connected = probe->connected;
  failure.socks = probe->path == GP_PROBE_PATH_GIO &&
                  gp_proxy_url_get_scheme (probe->proxy) != GP_PROXY_SCHEME_HTTPS;
  /* Our deadline cancels the request: its error says "Operation was
   * cancelled", which is not what happened. */
  if (probe->timed_out)
    detail = g_strdup_printf (_("No complete answer within %u s"),
                              gp_prober_get_timeout (g_task_get_source_object (task)));
  else
    detail = scrub_detail (probe, error->message);
  gp_probe_result_set_verdict (probe->result, gp_verdict_for_error (error, &failure));
  gp_probe_result_set_detail (probe->result, detail);
  if (probe->message != NULL && soup_message_get_status (probe->message) >= 100)
    gp_probe_result_set_status (probe->result, soup_message_get_status (probe->message));
  conclude_with_direct_ip (task);
}

/* Whether a 401's WWW-Authenticate repeats the realm of the proxy's own
 * 407: tinyproxy 1.11 answers bad proxy credentials so. */
static gboolean
repeats_proxy_realm (Probe              *probe,
                     SoupMessageHeaders *headers)
{
  const char *values[] = { soup_message_headers_get_list (headers, "WWW-Authenticate"), NULL };
  g_autoptr(GPtrArray) challenges = NULL;
  gboolean dropped;

  if (values[0] == NULL || probe->challenges == NULL)
    return FALSE;
  challenges = gp_challenge_parse_first (values, &dropped);
  for (guint i = 0; i < challenges->len; i++)
    for (guint j = 0; j < probe->challenges->len; j++)
      {
        GpChallenge *target = g_ptr_array_index (challenges, i);
        GpChallenge *proxy = g_ptr_array_index (probe->challenges, j);

        if (gp_challenge_is_scheme (target, gp_challenge_get_scheme (proxy)) &&
            g_strcmp0 (gp_challenge_get_realm (target), gp_challenge_get_realm (proxy)) == 0)
          return TRUE;
      }
  return FALSE;
}

/* A 401 is the proxy's when it answers a CONNECT (no tunnel opened, so
 * no target spoke), when it asks for proxy credentials, or when it
 * answers our credentials with the realm of the proxy's own 407. */
static gboolean
is_proxy_401 (Probe       *probe,
              SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

  if (soup_message_get_status (msg) != SOUP_STATUS_UNAUTHORIZED)
    return FALSE;
  if (g_strcmp0 (soup_message_get_method (msg), SOUP_METHOD_CONNECT) == 0)
    return TRUE;
  if (probe->tunnel_open)
    return FALSE;
  return soup_message_headers_get_list (headers, "Proxy-Authenticate") != NULL ||
         (probe->manual_retried && repeats_proxy_realm (probe, headers));
}

static void
set_verdict_for_status (Probe      *probe,
                        guint       status,
                        const char *ip)
{
  /* The proxy's 401 means what a 407 means. */
  guint as_status = probe->proxy_401 ? SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED : status;

  gp_probe_result_set_status (probe->result, status);
  gp_probe_result_set_exit_ip (probe->result, ip);
  gp_probe_result_set_verdict (probe->result,
                               gp_verdict_for_status (as_status, probe->credentials_sent,
                                                      probe->challenges, ip != NULL));
}

static void
conclude_from_response (GTask *task)
{
  Probe *probe = g_task_get_task_data (task);
  guint status = soup_message_get_status (probe->message);
  g_autofree char *ip = NULL;
  g_autofree char *reason = NULL;

  /* Through a tunnel that never opened, the message holds the status of
   * the CONNECT and none of its headers. */
  if (probe->tunnel_status != 0 && !probe->tunnel_open)
    status = probe->tunnel_status;
  if (SOUP_STATUS_IS_SUCCESSFUL (status) && probe->body != NULL)
    ip = gp_prober_parse_echo_body ((const char *) probe->body->data, probe->body->len);

  set_verdict_for_status (probe, status, ip);
  reason = scrub_detail (probe, soup_message_get_reason_phrase (probe->message));
  if (probe->challenges_dropped)
    gp_probe_result_set_detail (probe->result,
                                _("the proxy sent more challenges than Gatepass keeps; the first ones are listed"));
  else if (SOUP_STATUS_IS_SUCCESSFUL (status) && ip == NULL)
    gp_probe_result_set_detail (probe->result, _("the echo service's answer held no IP address"));
  else if (!SOUP_STATUS_IS_SUCCESSFUL (status) && status != SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED &&
           reason != NULL && *reason != '\0')
    gp_probe_result_set_detail (probe->result, reason);

  conclude_with_direct_ip (task);
}

static void read_next_chunk (GTask *task);

static void
on_chunk_read (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), res, &error);

  if (bytes == NULL)
    {
      conclude_from_error (task, error);
      return;
    }

  if (g_bytes_get_size (bytes) == 0 || probe->body->len > ECHO_BODY_MAX)
    {
      conclude_from_response (task);
      return;
    }

  g_byte_array_append (probe->body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  read_next_chunk (g_steal_pointer (&task));
}

static void
read_next_chunk (GTask *task)
{
  Probe *probe = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (probe->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   probe->cancellable, on_chunk_read, task);
}

static void send_request (GTask *task);
static char *manual_authorization (Probe *probe, const char *method, const char *uri);

static gboolean
can_answer_manually (Probe *probe)
{
  g_autofree char *value = NULL;

  if (probe->manual == MANUAL_NONE)
    return FALSE;
  value = manual_authorization (probe, SOUP_METHOD_GET, "/");
  if (value != NULL)
    explicit_bzero (value, strlen (value));
  return value != NULL;
}

static void
on_sent (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), res, &error);
  guint status;

  if (stream == NULL)
    {
      conclude_from_error (task, error);
      return;
    }

  status = soup_message_get_status (probe->message);
  if ((status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED || probe->proxy_401) && !probe->manual_retried &&
      can_answer_manually (probe))
    {
      /* The one credentialed attempt, answered by us. */
      probe->manual_retried = TRUE;
      probe->credentials_sent = TRUE;
      probe->proxy_401 = FALSE;
      probe->tunnel_status = 0;
      g_input_stream_close (stream, NULL, NULL);
      send_request (g_steal_pointer (&task));
      return;
    }

  probe->stream = g_steal_pointer (&stream);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    read_next_chunk (g_steal_pointer (&task));
  else
    conclude_from_response (task);
}

/* A hostile proxy that knows the password could put it in a realm. */
static void
drop_revealing_challenges (Probe *probe)
{
  for (guint i = probe->challenges->len; i > 0; i--)
    {
      g_autofree char *text = gp_challenge_to_string (g_ptr_array_index (probe->challenges, i - 1));

      if (reveals_password (probe, text))
        g_ptr_array_remove_index (probe->challenges, i - 1);
    }
}

static void
capture_challenges (Probe       *probe,
                    SoupMessage *msg)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  SoupMessageHeadersIter iter;
  const char *name, *value;
  guint status = soup_message_get_status (msg);

  if ((status != SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED && !probe->proxy_401) || probe->challenges != NULL)
    return;

  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Proxy-Authenticate") == 0)
      g_ptr_array_add (values, (gpointer) value);
  g_ptr_array_add (values, NULL);

  probe->challenges = gp_challenge_parse_first ((const char * const *) values->pdata,
                                                &probe->challenges_dropped);
  drop_revealing_challenges (probe);
}

/* The target of a redirect, without any userinfo: a Location header may
 * carry credentials, and relative ones are resolved against the request. */
static char *
redirect_location (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_autoptr(GUri) resolved = NULL;

  if (value == NULL)
    return NULL;
  resolved = g_uri_parse_relative (soup_message_get_uri (msg), value, G_URI_FLAGS_ENCODED, NULL);
  if (resolved == NULL)
    return g_strdup (_("(an address that is not a valid URI)"));
  return g_uri_to_string_partial (resolved, G_URI_HIDE_USERINFO);
}

static void
on_message_got_headers (SoupMessage *msg,
                        Probe       *probe)
{
  guint status = soup_message_get_status (msg);

  if (g_strcmp0 (soup_message_get_method (msg), SOUP_METHOD_CONNECT) == 0)
    {
      probe->tunnel_status = status;
      probe->tunnel_open = SOUP_STATUS_IS_SUCCESSFUL (status);
    }
  if (is_proxy_401 (probe, msg))
    probe->proxy_401 = TRUE;
  if (SOUP_STATUS_IS_REDIRECTION (status) && probe->location == NULL)
    probe->location = redirect_location (msg);
  capture_challenges (probe, msg);
}

static void
on_message_network_event (SoupMessage        *msg,
                          GSocketClientEvent  event,
                          GIOStream          *connection,
                          Probe              *probe)
{
  if (event == G_SOCKET_CLIENT_CONNECTED)
    probe->connected = TRUE;
}

/* GIO found the echo host's certificate unacceptable: keep what it
 * showed (a TLS-inspecting proxy's re-signed one, say) and refuse it. */
static gboolean
on_message_accept_certificate (SoupMessage          *msg,
                               GTlsCertificate      *certificate,
                               GTlsCertificateFlags  errors,
                               Probe                *probe)
{
  GpTlsInfo **recorded = msg == probe->direct_message ? &probe->direct_tls : &probe->tls;
  GUri *target = soup_message_get_uri (msg);

  if (*recorded == NULL && certificate != NULL)
    {
      *recorded = gp_tls_info_new (g_uri_get_host (target), certificate, FALSE);
      if (msg == probe->message)
        probe->tls_errors = errors;
    }
  return FALSE;
}

static GpChallenge *
find_challenge (Probe      *probe,
                const char *scheme)
{
  for (guint i = 0; probe->challenges != NULL && i < probe->challenges->len; i++)
    if (gp_challenge_is_scheme (g_ptr_array_index (probe->challenges, i), scheme))
      return g_ptr_array_index (probe->challenges, i);
  return NULL;
}

/* The Proxy-Authorization value of our own retry, or NULL. */
static char *
manual_authorization (Probe      *probe,
                      const char *method,
                      const char *uri)
{
  const char *username = gp_profile_get_username (probe->profile);
  GpChallenge *digest;

  switch (probe->manual)
    {
    case MANUAL_BASIC:
      return gp_proxy_auth_basic (username, probe->password);
    case MANUAL_DIGEST:
      digest = find_challenge (probe, "Digest");
      if (digest == NULL)
        return NULL;
      if (probe->cnonce == NULL)
        probe->cnonce = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
      return gp_proxy_auth_digest (digest, username, probe->password, method, uri, probe->cnonce);
    case MANUAL_NONE:
    default:
      return NULL;
    }
}

static char *
target_authority (Probe *probe)
{
  const char *host = g_uri_get_host (probe->target);
  int port = g_uri_get_port (probe->target);

  if (port == -1)
    port = g_strcmp0 (g_uri_get_scheme (probe->target), "https") == 0 ? 443 : 80;
  return g_strdup_printf (strchr (host, ':') != NULL ? "[%s]:%d" : "%s:%d", host, port);
}

static void
set_authorization (SoupMessage *msg,
                   char        *value)
{
  if (value == NULL)
    return;
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Proxy-Authorization", value);
  explicit_bzero (value, strlen (value));
  g_free (value);
}

static gboolean
on_message_authenticate (SoupMessage *msg,
                         SoupAuth    *auth,
                         gboolean     retrying,
                         Probe       *probe)
{
  /* A 401 is the target's business; and one credentialed attempt only,
   * since repeated failures lock corporate accounts. */
  const char *scheme = soup_auth_get_scheme_name (auth);

  if (!soup_auth_is_for_proxy (auth) || probe->password == NULL || retrying || probe->manual_retried)
    return FALSE;

  /* libsoup 3.2 sends Basic as ISO-8859-1 where it fits; its Digest
   * names a tunnel's uri as a path (Apache refuses it) and a non-ASCII
   * username as username*=. Answer both in a second request. */
  if (g_ascii_strcasecmp (scheme, "Basic") == 0)
    {
      probe->manual = MANUAL_BASIC;
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "Digest") == 0)
    {
      probe->manual = MANUAL_DIGEST;
      return FALSE;
    }

  /* Only what we hand over counts as credentials sent: libsoup's NTLM
   * opens with a message of its own that carries none. */
  probe->credentials_sent = TRUE;
  soup_auth_authenticate (auth, gp_profile_get_username (probe->profile), probe->password);
  return TRUE;
}

static void
watch_message (Probe       *probe,
               SoupMessage *msg)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_message_got_headers), probe);
  g_signal_connect (msg, "authenticate", G_CALLBACK (on_message_authenticate), probe);
  g_signal_connect (msg, "network-event", G_CALLBACK (on_message_network_event), probe);
  if (msg == probe->message)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_message_accept_certificate), probe);
}

/* A 407 on CONNECT reaches our message with no headers: the tunnel's own
 * message, queued here, has them. */
static void
on_session_request_queued (SoupSession *session,
                           SoupMessage *msg,
                           Probe       *probe)
{
  if (msg == probe->message)
    return;

  watch_message (probe, msg);
  if (probe->manual_retried && g_strcmp0 (soup_message_get_method (msg), SOUP_METHOD_CONNECT) == 0)
    {
      g_autofree char *authority = target_authority (probe);
      set_authorization (msg, manual_authorization (probe, SOUP_METHOD_CONNECT, authority));
    }
}

static void
send_request (GTask *task)
{
  Probe *probe = g_task_get_task_data (task);
  gboolean tunnel = g_strcmp0 (g_uri_get_scheme (probe->target), "https") == 0;

  g_clear_object (&probe->message);
  probe->message = soup_message_new_from_uri (SOUP_METHOD_GET, probe->target);
  /* Never follow a redirect: it would carry the credentials, or a header
   * set here, to wherever the Location points. */
  soup_message_add_flags (probe->message, SOUP_MESSAGE_COLLECT_METRICS | SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (probe->message),
                                "Accept", "application/json, text/plain;q=0.9, */*;q=0.1");
  watch_message (probe, probe->message);

  /* Through a tunnel the header goes on the CONNECT only: inside it, it
   * would reach the target. */
  if (probe->manual_retried && !tunnel)
    {
      g_autofree char *uri = g_uri_to_string (probe->target);
      set_authorization (probe->message, manual_authorization (probe, SOUP_METHOD_GET, uri));
    }

  soup_session_send_async (probe->session, probe->message, G_PRIORITY_DEFAULT,
                           probe->cancellable, on_sent, task);
}

static void
on_direct_read (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), res, NULL);

  if (bytes != NULL)
    {
      g_autofree char *ip = gp_prober_parse_echo_body (g_bytes_get_data (bytes, NULL),
                                                       g_bytes_get_size (bytes));
      gp_probe_result_set_direct_ip (probe->result, ip);
    }
  finish (task);
}

/* The address the echo service sees without the proxy: what a provider
 * that allowlists IPs needs, and proof that the proxy changed it. */
static void
conclude_with_direct_ip (GTask *task)
{
  Probe *probe = g_task_get_task_data (task);
  GpProber *self = g_task_get_source_object (task);
  g_autoptr(GProxyResolver) direct = NULL;
  g_autoptr(SoupSession) session = NULL;

  if (!self->probe_direct || probe->timed_out || g_cancellable_is_cancelled (probe->cancellable))
    {
      finish (task);
      return;
    }

  direct = g_simple_proxy_resolver_new ("direct://", NULL);
  session = soup_session_new_with_options ("proxy-resolver", direct, "timeout", self->timeout, NULL);
  if (self->tls_database != NULL)
    soup_session_set_tls_database (session, self->tls_database);
  probe->direct_message = soup_message_new_from_uri (SOUP_METHOD_GET, probe->target);
  g_signal_connect (probe->direct_message, "accept-certificate",
                    G_CALLBACK (on_message_accept_certificate), probe);
  soup_session_send_and_read_async (session, probe->direct_message, G_PRIORITY_DEFAULT, probe->cancellable,
                                    on_direct_read, g_object_ref (task));
}

static gboolean
on_deadline (gpointer user_data)
{
  Probe *probe = user_data;

  probe->deadline_id = 0;
  probe->timed_out = TRUE;
  g_cancellable_cancel (probe->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

/* What GSimpleProxyResolver is given. libsoup speaks to http:// proxies
 * itself and must never see credentials there (on a 407 it would copy
 * the proxy URI into the message); GIO speaks to https:// and socks5://
 * proxies and reads the credentials from the URI, percent-encoded. */
static char *
resolver_uri (Probe *probe)
{
  g_autofree char *uri = NULL;
  gboolean with_credentials = probe->path == GP_PROBE_PATH_GIO && probe->password != NULL;

  uri = with_credentials
        ? gp_proxy_url_to_string_with_userinfo (probe->proxy, gp_profile_get_username (probe->profile),
                                                probe->password)
        : gp_proxy_url_to_string (probe->proxy);

  /* GIO knows socks5, which resolves names at the proxy too. */
  if (gp_proxy_url_get_scheme (probe->proxy) == GP_PROXY_SCHEME_SOCKS5H)
    return g_strconcat ("socks5", uri + strlen ("socks5h"), NULL);
  return g_steal_pointer (&uri);
}

/* The database that trusts the system's CAs and the profile's own, or
 * NULL when the profile has none (or its bundle cannot be read: then the
 * handshake fails as without it, and the verdict says so). */
static GTlsDatabase *
profile_tls_database (GpProber  *self,
                      GpProfile *profile)
{
  const char *id = gp_profile_get_id (profile);
  g_autoptr(GError) error = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *stamp = NULL;
  CaDatabase *entry;

  if (!gp_ca_store_has (id))
    return NULL;
  bundle = gp_ca_store_ensure_bundle (id, NULL, &error);
  if (bundle == NULL || (stamp = gp_ca_store_file_stamp (bundle)) == NULL)
    {
      g_debug ("No CA bundle for profile %s: %s", id, error != NULL ? error->message : "gone");
      return NULL;
    }

  entry = g_hash_table_lookup (self->ca_databases, id);
  if (entry != NULL && g_strcmp0 (entry->bundle_stamp, stamp) == 0)
    return entry->database;

  entry = g_new0 (CaDatabase, 1);
  entry->database = g_tls_file_database_new (bundle, &error);
  entry->bundle_stamp = g_steal_pointer (&stamp);
  if (entry->database == NULL)
    g_debug ("Cannot read the CA bundle %s: %s", bundle, error->message);
  g_hash_table_replace (self->ca_databases, g_strdup (id), entry);
  return entry->database;
}

static void
setup_session (GpProber *self,
               Probe    *probe)
{
  GTlsDatabase *database = profile_tls_database (self, probe->profile);
  g_autofree char *uri = resolver_uri (probe);
  g_autoptr(GProxyResolver) resolver = g_simple_proxy_resolver_new (uri, NULL);
  g_autofree char *agent = g_strdup_printf ("Gatepass/%s", PACKAGE_VERSION);

  explicit_bzero (uri, strlen (uri));

  /* A fresh session per probe: connections are pooled per target, and a
   * session would send one proxy's cached credential to the next. */
  probe->session = soup_session_new_with_options ("proxy-resolver", resolver,
                                                  "timeout", self->timeout,
                                                  "user-agent", agent,
                                                  NULL);
  if (database != NULL || self->tls_database != NULL)
    soup_session_set_tls_database (probe->session, database != NULL ? database : self->tls_database);
  soup_session_add_feature_by_type (probe->session, SOUP_TYPE_AUTH_NTLM);
  g_signal_connect (probe->session, "request-queued", G_CALLBACK (on_session_request_queued), probe);
}

static const char *
choose_proxy (GpProfile *profile,
              GUri      *target)
{
  if (g_strcmp0 (g_uri_get_scheme (target), "https") == 0 && gp_profile_get_https_proxy (profile) != NULL)
    return gp_profile_get_https_proxy (profile);
  return gp_profile_get_url (profile);
}

static void
gp_prober_finalize (GObject *object)
{
  GpProber *self = (GpProber *) object;

  g_free (self->ip_echo_url);
  g_clear_object (&self->tls_database);
  g_hash_table_unref (self->ca_databases);

  G_OBJECT_CLASS (gp_prober_parent_class)->finalize (object);
}

static void
gp_prober_class_init (GpProberClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gp_prober_finalize;
}

static void
gp_prober_init (GpProber *self)
{
  self->timeout = GP_PROBER_DEFAULT_TIMEOUT;
  self->ca_databases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) ca_database_free);
}

GpProber *
gp_prober_new (const char *ip_echo_url)
{
  GpProber *self;

  g_return_val_if_fail (ip_echo_url != NULL, NULL);

  self = g_object_new (GP_TYPE_PROBER, NULL);
  self->ip_echo_url = g_strdup (ip_echo_url);
  return self;
}

const char *
gp_prober_get_ip_echo_url (GpProber *self)
{
  g_return_val_if_fail (GP_IS_PROBER (self), NULL);
  return self->ip_echo_url;
}

void
gp_prober_set_timeout (GpProber *self,
                       guint     seconds)
{
  g_return_if_fail (GP_IS_PROBER (self));
  g_return_if_fail (seconds > 0);
  self->timeout = seconds;
}

guint
gp_prober_get_timeout (GpProber *self)
{
  g_return_val_if_fail (GP_IS_PROBER (self), 0);
  return self->timeout;
}

/* Tests hand in a database that trusts their throwaway CA. */
void
gp_prober_set_tls_database (GpProber     *self,
                            GTlsDatabase *database)
{
  g_return_if_fail (GP_IS_PROBER (self));
  g_set_object (&self->tls_database, database);
}

void
gp_prober_set_probe_direct (GpProber *self,
                            gboolean  direct)
{
  g_return_if_fail (GP_IS_PROBER (self));
  self->probe_direct = direct;
}

/* Tests one profile. The password is used only when the profile sends
 * credentials; the result holds no secret. */
void
gp_prober_probe_async (GpProber            *self,
                       GpProfile           *profile,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Probe *probe;

  g_return_if_fail (GP_IS_PROBER (self));
  g_return_if_fail (GP_IS_PROFILE (profile));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_prober_probe_async);

  probe = g_new0 (Probe, 1);
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);
  probe->started = g_get_monotonic_time ();
  probe->profile = g_object_ref (profile);
  probe->result = gp_probe_result_new (gp_profile_get_name (profile));
  probe->body = g_byte_array_new ();
  probe->cancellable = g_cancellable_new ();

  probe->target = g_uri_parse (self->ip_echo_url, SOUP_HTTP_URI_FLAGS, &error);
  if (probe->target == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The IP echo URL “%s” is not valid: %s"), self->ip_echo_url, error->message);
      return;
    }

  probe->proxy = gp_proxy_url_parse (choose_proxy (profile, probe->target), &error);
  if (probe->proxy == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (gp_profile_sends_credentials (profile) && password != NULL)
    probe->password = g_strdup (password);
  probe->path = gp_proxy_url_get_scheme (probe->proxy) == GP_PROXY_SCHEME_HTTP
                ? GP_PROBE_PATH_LIBSOUP : GP_PROBE_PATH_GIO;
  /* GIO sends credentials up front, without waiting for a challenge. */
  probe->credentials_sent = probe->path == GP_PROBE_PATH_GIO && probe->password != NULL;

  if (cancellable != NULL)
    {
      probe->caller_cancellable = g_object_ref (cancellable);
      probe->caller_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                          probe->cancellable, NULL);
    }
  probe->deadline_id = g_timeout_add (self->timeout * 1000, on_deadline, probe);

  setup_session (self, probe);
  send_request (g_steal_pointer (&task));
}

GpProbeResult *
gp_prober_probe_finish (GpProber      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
