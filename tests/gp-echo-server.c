/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * gp-echo-server: a tiny IP echo service for the tests.
 *
 *   gp-echo-server [--tls-cert FILE --tls-key FILE] [--port N]
 *
 * Listens on 127.0.0.1 (port 0 picks a free one), prints the port and a
 * newline on stdout, then serves until it is killed:
 *
 *   /        200, text/plain: the client's address
 *   /json    200, {"ip":"<address>"}
 *   /origin  200, {"origin":"<address>, 198.51.100.1"} (as httpbin answers)
 *   /no-ip   200, "hello" (an answer that holds no address)
 *   /401     401 with WWW-Authenticate: Basic realm="target"
 *   /500     500
 *
 * With a certificate and a key it speaks HTTPS only.
 */
#include <gio/gio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                      body, strlen (body));
}

static char *
json_object_with (const char *name,
                  const char *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  const char *remote = soup_server_message_get_remote_host (msg);
  const char *method = soup_server_message_get_method (msg);

  if (remote == NULL)
    remote = "";

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      respond (msg, SOUP_STATUS_NOT_IMPLEMENTED, NULL, NULL);
      return;
    }

  if (g_str_equal (path, "/"))
    {
      respond (msg, SOUP_STATUS_OK, "text/plain", remote);
    }
  else if (g_str_equal (path, "/json"))
    {
      g_autofree char *body = json_object_with ("ip", remote);

      respond (msg, SOUP_STATUS_OK, "application/json", body);
    }
  else if (g_str_equal (path, "/origin"))
    {
      /* httpbin lists every hop; the client comes first. */
      g_autofree char *origin = g_strdup_printf ("%s, 198.51.100.1", remote);
      g_autofree char *body = json_object_with ("origin", origin);

      respond (msg, SOUP_STATUS_OK, "application/json", body);
    }
  else if (g_str_equal (path, "/redirect"))
    {
      /* A redirect a prober must report, never follow; its userinfo must
       * never be shown. */
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

      soup_message_headers_replace (headers, "Location", "http://someone:s3cret@198.51.100.9/elsewhere");
      respond (msg, SOUP_STATUS_FOUND, "text/plain", "moved\n");
    }
  else if (g_str_equal (path, "/bad-ip"))
    {
      /* An IPv6 zone id that is really a terminal escape. */
      respond (msg, SOUP_STATUS_OK, "text/plain", "fe80::1%\033]0;owned\007\033[2J");
    }
  else if (g_str_equal (path, "/zone-ip"))
    {
      respond (msg, SOUP_STATUS_OK, "text/plain", "fe80::1%eth0");
    }
  else if (g_str_equal (path, "/no-ip"))
    {
      respond (msg, SOUP_STATUS_OK, "text/plain", "hello");
    }
  else if (g_str_equal (path, "/401"))
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

      soup_message_headers_replace (headers, "WWW-Authenticate", "Basic realm=\"target\"");
      respond (msg, SOUP_STATUS_UNAUTHORIZED, "text/plain", "target wants credentials\n");
    }
  else if (g_str_equal (path, "/500"))
    {
      respond (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain", "target failed\n");
    }
  else
    {
      respond (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "not found\n");
    }
}

static gboolean
on_signal_quit (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static guint
listening_port (SoupServer *server)
{
  g_autoslist(GUri) uris = soup_server_get_uris (server);

  if (uris == NULL)
    return 0;

  return g_uri_get_port (uris->data);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  int port = 0;
  const GOptionEntry entries[] = {
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "Serve HTTPS with this PEM certificate", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "The certificate's PEM private key", "FILE" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free port)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  SoupServerListenOptions options = 0;

  context = g_option_context_new ("- answer with the client's IP address");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("gp-echo-server: %s\n", error->message);
      return 2;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("gp-echo-server: --tls-cert and --tls-key go together\n");
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("gp-echo-server: --port wants 0 to 65535\n");
      return 2;
    }

  server = soup_server_new ("server-header", "gp-echo-server ", NULL);

  if (tls_cert != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = NULL;

      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (certificate == NULL)
        {
          g_printerr ("gp-echo-server: cannot load the certificate: %s\n", error->message);
          return 1;
        }
      soup_server_set_tls_certificate (server, certificate);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  soup_server_add_handler (server, NULL, on_request, NULL, NULL);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);
  if (!soup_server_listen (server, address, options, &error))
    {
      g_printerr ("gp-echo-server: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }

  /* The caller reads the port from our first line. */
  printf ("%u\n", listening_port (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal_quit, loop);
  g_unix_signal_add (SIGINT, on_signal_quit, loop);
  g_main_loop_run (loop);

  /* Close the clients that are still connected (keep-alive) and let their
   * connections finish closing: unreffing the server alone leaves their
   * sockets behind (LeakSanitizer). */
  soup_server_disconnect (server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return EXIT_SUCCESS;
}
