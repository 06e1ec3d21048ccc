/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-application.h"
#include "gp-preferences-window.h"
#include "gp-profile-manager.h"
#include "gp-settings.h"
#include "gp-window.h"

struct _GpApplication
{
  AdwApplication   parent_instance;

  GpProfileStore   *store;
  GpProfileManager *manager;
  GSettings        *settings;   /* NULL when the schema is not installed */
};

G_DEFINE_FINAL_TYPE (GpApplication, gp_application, ADW_TYPE_APPLICATION)

static GpWindow *
ensure_window (GpApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (gp_window_new (self, self->manager, self->settings));
  return GP_WINDOW (window);
}

static void
gp_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (ensure_window (GP_APPLICATION (app))));
}

static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  GpApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* Closing the window asks about unsaved edits first. */
  if (window != NULL)
    gtk_window_close (window);
  else
    g_application_quit (G_APPLICATION (self));
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GpApplication *self = user_data;
  GtkWindow *preferences = gp_preferences_window_new (self->settings);

  gtk_window_set_transient_for (preferences, GTK_WINDOW (ensure_window (self)));
  gtk_window_present (preferences);
}

static void
on_about (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GpApplication *self = user_data;
  static const char *developers[] = { "The Gatepass developers", NULL };

  adw_show_about_window (GTK_WINDOW (ensure_window (self)),
                         "application-name", _("Gatepass"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Gatepass developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Proxy profiles with their passwords in the keyring, encoded right "
                                       "for every client, and a tester that explains every 407."),
                         "website", "https://github.com/gatepass/gatepass",
                         "issue-url", "https://github.com/gatepass/gatepass/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", on_quit },
  { "preferences", on_preferences },
  { "about", on_about },
};

static void
gp_application_startup (GApplication *app)
{
  GpApplication *self = GP_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (gp_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-profile",
                                         (const char *[]) { "<Control>n", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search",
                                         (const char *[]) { "<Control>f", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.test-all",
                                         (const char *[]) { "<Control><Shift>t", NULL });
  /* GTK's own, set by GTK only for a gtk/help-overlay.ui (see gp-window.c). */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         (const char *[]) { "<Control>question", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.save",
                                         (const char *[]) { "<Control>s", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.test",
                                         (const char *[]) { "<Control>t", NULL });

  /* The window reports a file it cannot read; watching can still start. */
  gp_profile_store_load (self->store, NULL);
  if (!gp_profile_store_watch (self->store, &error))
    g_warning ("Cannot follow changes to %s: %s", gp_profile_store_get_path (self->store), error->message);
}

static void
gp_application_dispose (GObject *object)
{
  GpApplication *self = GP_APPLICATION (object);

  g_clear_object (&self->manager);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gp_application_parent_class)->dispose (object);
}

static void
gp_application_class_init (GpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = gp_application_dispose;
  app_class->activate = gp_application_activate;
  app_class->startup = gp_application_startup;
}

static void
gp_application_init (GpApplication *self)
{
  g_autofree char *path = gp_profile_store_default_path ();
  /* The window may ask the desktop to unlock the keyring; headless never. */
  g_autoptr(GpSecretStore) secrets = gp_secret_store_new (TRUE);

  self->store = gp_profile_store_new (path);
  self->manager = gp_profile_manager_new (self->store, secrets);
  self->settings = gp_settings_open ();
}

GpApplication *
gp_application_new (void)
{
  return g_object_new (GP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/gatepass/Gatepass",
                       NULL);
}
