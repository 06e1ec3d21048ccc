/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gp-keyring-watch.h"

/* Tells when a keyring of the Secret Service was locked, unlocked,
 * created or removed, as the service announces it on the session bus:
 * a screen locker or Seahorse may do that while the window shows a
 * profile. Only signals are watched; nothing here calls the service, so
 * a hung service cannot block anyone. ::changed comes once per burst,
 * from the thread-default main context of the caller of _new (). */
struct _GpKeyringWatch
{
  GObject          parent_instance;

  GDBusConnection *bus;
  GCancellable    *cancellable;
  guint            collection_changed_id;
  guint            properties_changed_id;
  guint            idle_id;
};

G_DEFINE_FINAL_TYPE (GpKeyringWatch, gp_keyring_watch, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define SECRET_SERVICE_NAME "org.freedesktop.secrets"

static gboolean
emit_changed (gpointer user_data)
{
  GpKeyringWatch *self = user_data;

  self->idle_id = 0;
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
on_signal (GDBusConnection *bus,
           const char      *sender,
           const char      *path,
           const char      *interface,
           const char      *member,
           GVariant        *parameters,
           gpointer         user_data)
{
  GpKeyringWatch *self = user_data;

  /* gnome-keyring announces one unlock with several signals. */
  if (self->idle_id == 0)
    self->idle_id = g_idle_add (emit_changed, self);
}

static void
on_bus (GObject      *source,
        GAsyncResult *res,
        gpointer      user_data)
{
  g_autoptr(GpKeyringWatch) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (res, &error);

  if (bus == NULL)
    {
      /* No bus: no keyring either, and the store says so when asked. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Not watching the keyrings: %s", error->message);
      return;
    }
  if (self->cancellable == NULL)
    {
      g_object_unref (bus);   /* disposed meanwhile */
      return;
    }
  self->bus = bus;
  /* The service's own announcement, and the property itself: the
   * collection's Locked, which libsecret reads too. */
  self->collection_changed_id =
    g_dbus_connection_signal_subscribe (bus, SECRET_SERVICE_NAME, "org.freedesktop.Secret.Service", NULL,
                                        "/org/freedesktop/secrets", NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_signal, self, NULL);
  self->properties_changed_id =
    g_dbus_connection_signal_subscribe (bus, SECRET_SERVICE_NAME, "org.freedesktop.DBus.Properties",
                                        "PropertiesChanged", NULL, "org.freedesktop.Secret.Collection",
                                        G_DBUS_SIGNAL_FLAGS_NONE, on_signal, self, NULL);
}

static void
gp_keyring_watch_dispose (GObject *object)
{
  GpKeyringWatch *self = GP_KEYRING_WATCH (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->bus != NULL)
    {
      g_dbus_connection_signal_unsubscribe (self->bus, self->collection_changed_id);
      g_dbus_connection_signal_unsubscribe (self->bus, self->properties_changed_id);
      g_clear_object (&self->bus);
    }
  g_clear_handle_id (&self->idle_id, g_source_remove);

  G_OBJECT_CLASS (gp_keyring_watch_parent_class)->dispose (object);
}

static void
gp_keyring_watch_class_init (GpKeyringWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gp_keyring_watch_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gp_keyring_watch_init (GpKeyringWatch *self)
{
  self->cancellable = g_cancellable_new ();
}

GpKeyringWatch *
gp_keyring_watch_new (void)
{
  GpKeyringWatch *self = g_object_new (GP_TYPE_KEYRING_WATCH, NULL);

  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, on_bus, g_object_ref (self));
  return self;
}
