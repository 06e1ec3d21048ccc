/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-env.h"
#include "gp-session-bus.h"

#define SYSTEMD_NAME "org.freedesktop.systemd1"
#define SYSTEMD_PATH "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER "org.freedesktop.systemd1.Manager"

/* Long enough for a loaded session, short enough that activate never
 * looks hung. */
#define CALL_TIMEOUT_MS 5000

GDBusConnection *
gp_session_bus_get (GError **error)
{
  g_autoptr(GError) local_error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &local_error);

  if (bus == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                 _("there is no session bus (%s)"), local_error->message);
  return bus;
}

static GVariant *
call (GDBusConnection     *bus,
      const char          *name,
      const char          *path,
      const char          *interface,
      const char          *method,
      GVariant            *parameters,
      const GVariantType  *reply_type,
      GError             **error)
{
  /* Never auto-start: Debian ships a session service file for systemd1
   * that only fails, and a missing manager is an answer, not a wait. */
  return g_dbus_connection_call_sync (bus, name, path, interface, method, parameters, reply_type,
                                      G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MS, NULL, error);
}

gboolean
gp_session_bus_has_systemd (GDBusConnection  *bus,
                            GError          **error)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                "NameHasOwner", g_variant_new ("(s)", SYSTEMD_NAME), G_VARIANT_TYPE ("(b)"), error);
  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(b)", &has_owner);
  if (!has_owner)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("no systemd user manager is on the session bus"));
  return has_owner;
}

static GVariant *
names_variant (const char * const *names)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("as"));
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    g_variant_builder_add (&builder, "s", names[i]);
  return g_variant_builder_end (&builder);
}

/* What we send holds the credentials: every string in the GVariant's copy
 * of it is wiped before it goes (names too, which is harmless). */
static void
wipe_strings (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      gsize length;
      const char *text = g_variant_get_string (value, &length);

      explicit_bzero ((char *) text, length);
    }
  else if (g_variant_is_container (value))
    {
      gsize n = g_variant_n_children (value);

      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

          wipe_strings (child);
        }
    }
}

gboolean
gp_session_bus_systemd_set (GDBusConnection     *bus,
                            GPtrArray           *variables,
                            const char * const  *unset,
                            GError             **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) assignments = NULL;
  GVariantBuilder builder;

  if (unset != NULL && unset[0] != NULL)
    {
      reply = call (bus, SYSTEMD_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER, "UnsetEnvironment",
                    g_variant_new ("(@as)", names_variant (unset)), NULL, error);
      if (reply == NULL)
        return FALSE;
      g_clear_pointer (&reply, g_variant_unref);
    }
  if (variables->len == 0)
    return TRUE;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("as"));
  for (guint i = 0; i < variables->len; i++)
    {
      GpEnvVariable *variable = g_ptr_array_index (variables, i);
      g_autofree char *assignment = g_strconcat (variable->name, "=", variable->value, NULL);

      g_variant_builder_add (&builder, "s", assignment);
      explicit_bzero (assignment, strlen (assignment));
    }
  assignments = g_variant_ref_sink (g_variant_builder_end (&builder));
  reply = call (bus, SYSTEMD_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER, "SetEnvironment",
                g_variant_new ("(@as)", assignments), NULL, error);
  wipe_strings (assignments);
  return reply != NULL;
}

GStrv
gp_session_bus_systemd_environment (GDBusConnection  *bus,
                                    GError          **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = call (bus, SYSTEMD_NAME, SYSTEMD_PATH, "org.freedesktop.DBus.Properties", "Get",
                g_variant_new ("(ss)", SYSTEMD_MANAGER, "Environment"), G_VARIANT_TYPE ("(v)"), error);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(v)", &value);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("the systemd user manager's Environment is not a list of strings"));
      return NULL;
    }
  return g_variant_dup_strv (value, NULL);
}

gboolean
gp_session_bus_update_activation (GDBusConnection     *bus,
                                  GPtrArray           *variables,
                                  const char * const  *cleared,
                                  GError             **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) environment = NULL;
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; cleared != NULL && cleared[i] != NULL; i++)
    g_variant_builder_add (&builder, "{ss}", cleared[i], "");
  for (guint i = 0; variables != NULL && i < variables->len; i++)
    {
      GpEnvVariable *variable = g_ptr_array_index (variables, i);

      g_variant_builder_add (&builder, "{ss}", variable->name, variable->value);
    }
  environment = g_variant_ref_sink (g_variant_builder_end (&builder));
  if (g_variant_n_children (environment) == 0)
    return TRUE;

  reply = call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                "UpdateActivationEnvironment", g_variant_new ("(@a{ss})", environment), NULL, error);
  wipe_strings (environment);
  return reply != NULL;
}
