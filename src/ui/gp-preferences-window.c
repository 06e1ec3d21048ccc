/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-preferences-window.h"
#include "gp-settings.h"

struct _GpPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkWidget            *test_group;
  AdwEntryRow          *echo_row;
  AdwActionRow         *operator_row;
  GtkWidget            *default_button;
  GtkSpinButton        *timeout_spin;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (GpPreferencesWindow, gp_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Who learns the addresses: the default's operator by name, any other
 * service by its host, which the user chose. */
static void
show_operator (GpPreferencesWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "ip-echo-url");
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  gboolean is_default = g_strcmp0 (url, GP_SETTINGS_DEFAULT_IP_ECHO_URL) == 0;
  g_autofree char *text = NULL;

  if (is_default)
    text = g_strdup (_("ipify (api.ipify.org), a third party, the default"));
  else if (uri != NULL && g_uri_get_host (uri) != NULL)
    text = g_strdup_printf (_("Whoever runs %s, chosen here"), g_uri_get_host (uri));
  else
    text = g_strdup (_("Unknown"));
  adw_action_row_set_subtitle (self->operator_row, text);
  gtk_widget_set_visible (self->default_button, !is_default);
}

static void
on_use_default (GpPreferencesWindow *self)
{
  g_autofree char *url = NULL;

  g_settings_reset (self->settings, "ip-echo-url");
  url = g_settings_get_string (self->settings, "ip-echo-url");
  gtk_editable_set_text (GTK_EDITABLE (self->echo_row), url);
  gtk_widget_remove_css_class (GTK_WIDGET (self->echo_row), "error");
}

static void
on_echo_apply (GpPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->echo_row))));

  if (!gp_settings_is_echo_url (text))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->echo_row), "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("The echo service needs an http or https URL")));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->echo_row), "error");
  g_settings_set_string (self->settings, "ip-echo-url", text);
}

static void
gp_preferences_window_dispose (GObject *object)
{
  GpPreferencesWindow *self = GP_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (gp_preferences_window_parent_class)->dispose (object);
}

static void
gp_preferences_window_class_init (GpPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/gatepass/Gatepass/gp-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GpPreferencesWindow, test_group);
  gtk_widget_class_bind_template_child (widget_class, GpPreferencesWindow, echo_row);
  gtk_widget_class_bind_template_child (widget_class, GpPreferencesWindow, operator_row);
  gtk_widget_class_bind_template_child (widget_class, GpPreferencesWindow, default_button);
  gtk_widget_class_bind_template_child (widget_class, GpPreferencesWindow, timeout_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_echo_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_use_default);
}

static void
gp_preferences_window_init (GpPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* settings may be NULL in a build-tree run: then there is nothing to set. */
GtkWindow *
gp_preferences_window_new (GSettings *settings)
{
  GpPreferencesWindow *self = g_object_new (GP_TYPE_PREFERENCES_WINDOW, NULL);
  g_autofree char *url = NULL;

  if (settings == NULL)
    {
      gtk_widget_set_sensitive (self->test_group, FALSE);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->test_group),
                                             _("Gatepass is running from its build folder, without its "
                                               "settings schema; install it to change these."));
      return GTK_WINDOW (self);
    }

  self->settings = g_object_ref (settings);
  url = g_settings_get_string (settings, "ip-echo-url");
  gtk_editable_set_text (GTK_EDITABLE (self->echo_row), url);
  g_settings_bind (settings, "test-timeout", self->timeout_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (settings, "changed::ip-echo-url", G_CALLBACK (show_operator), self, G_CONNECT_SWAPPED);
  show_operator (self);
  return GTK_WINDOW (self);
}
