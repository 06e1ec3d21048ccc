/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reproducer for the libsoup suppressions in lsan.supp (libsoup 3.2.3): no
 * Gatepass code, only libsoup. A SoupServer on loopback, its URIs read once
 * (soup_server_get_uris, freed as documented), one client connection
 * accepted and closed, the server disconnected and unreffed. LeakSanitizer
 * reports the accepted GSocket (g_socket_accept under libsoup's listener)
 * and the GSocketAddress under soup_server_get_uris.
 *
 *   PKGS=libsoup-3.0 tests/sanitizers/reproduce.sh soup-server-leak
 */
#include <libsoup/soup.h>
#include <string.h>

static void
on_request (SoupServer *server, SoupServerMessage *msg, const char *path,
            GHashTable *query, gpointer user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
}

static gpointer
client (gpointer data)
{
  guint16 port = GPOINTER_TO_UINT (data);
  GSocketClient *socket_client = g_socket_client_new ();
  GSocketConnection *connection;
  const char *request = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  char buffer[512];

  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port, NULL, NULL);
  g_assert (connection != NULL);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, NULL);
  while (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                              buffer, sizeof buffer, NULL, NULL) > 0)
    ;
  g_object_unref (connection);
  g_object_unref (socket_client);
  return NULL;
}

static gboolean
quit_when_done (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (void)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  GMainLoop *loop = g_main_loop_new (NULL, FALSE);
  GSList *uris;
  guint16 port;
  GThread *thread;
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address = g_inet_socket_address_new (loopback, 0);

  soup_server_add_handler (server, NULL, on_request, NULL, NULL);
  if (!soup_server_listen (server, address, 0, NULL))
    g_error ("listen");
  g_object_unref (address);
  g_object_unref (loopback);
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  thread = g_thread_new ("client", client, GUINT_TO_POINTER (port));
  g_timeout_add (1000, quit_when_done, loop);
  g_main_loop_run (loop);
  g_thread_join (thread);

  soup_server_disconnect (server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (server);
  g_main_loop_unref (loop);
  g_print ("done\n");
  return 0;
}
