/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "gp-test-keyring.h"

#define SECRETS_NAME            "org.freedesktop.secrets"
#define SECRETS_PATH            "/org/freedesktop/secrets"
#define SERVICE_INTERFACE       "org.freedesktop.Secret.Service"
#define GNOME_KEYRING_INTERFACE "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"
#define LOGIN_COLLECTION        "/org/freedesktop/secrets/collection/login"

/* Locking never prompts: the service answers with the empty prompt "/". */
gboolean
gp_test_keyring_lock (GError **error)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
  g_autoptr(GVariant) reply = NULL;
  const char *objects[] = { LOGIN_COLLECTION };
  const char *prompt = NULL;

  if (bus == NULL)
    return FALSE;

  reply = g_dbus_connection_call_sync (bus, SECRETS_NAME, SECRETS_PATH, SERVICE_INTERFACE, "Lock",
                                       g_variant_new ("(@ao)", g_variant_new_objv (objects, 1)),
                                       G_VARIANT_TYPE ("(aoo)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  if (reply == NULL)
    return FALSE;

  g_variant_get (reply, "(@ao&o)", NULL, &prompt);
  if (g_strcmp0 (prompt, "/") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "locking asked for a prompt (%s)", prompt);
      return FALSE;
    }
  return TRUE;
}

/* The public Unlock would prompt: gnome-keyring's own interface takes the
 * password (GATEPASS_KEYRING_PASSWORD, set by keyring-session.sh), sent in
 * a "plain" session opened on the same connection. */
gboolean
gp_test_keyring_unlock (GError **error)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
  g_autoptr(GVariant) session_reply = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *password = g_getenv ("GATEPASS_KEYRING_PASSWORD");
  const char *session = NULL;
  GVariant *secret;

  if (bus == NULL)
    return FALSE;
  if (password == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "GATEPASS_KEYRING_PASSWORD is not set");
      return FALSE;
    }

  session_reply = g_dbus_connection_call_sync (bus, SECRETS_NAME, SECRETS_PATH, SERVICE_INTERFACE, "OpenSession",
                                               g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                               G_VARIANT_TYPE ("(vo)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  if (session_reply == NULL)
    return FALSE;
  g_variant_get (session_reply, "(v&o)", NULL, &session);

  secret = g_variant_new ("(o@ay@ays)", session,
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, password, strlen (password), 1),
                          "text/plain");
  reply = g_dbus_connection_call_sync (bus, SECRETS_NAME, SECRETS_PATH, GNOME_KEYRING_INTERFACE,
                                       "UnlockWithMasterPassword",
                                       g_variant_new ("(o@(oayays))", LOGIN_COLLECTION, secret),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  return reply != NULL;
}
