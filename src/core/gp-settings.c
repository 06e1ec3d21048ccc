/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "gp-prober.h"
#include "gp-settings.h"

/* A build-tree run has no installed schema: then the built-in defaults
 * apply, silently (g_settings_new () would abort). */
GSettings *
gp_settings_open (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, GP_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

char *
gp_settings_get_ip_echo_url (void)
{
  g_autoptr(GSettings) settings = gp_settings_open ();
  g_autofree char *url = settings != NULL ? g_settings_get_string (settings, "ip-echo-url") : NULL;

  if (url == NULL || *url == '\0')
    return g_strdup (GP_SETTINGS_DEFAULT_IP_ECHO_URL);
  return g_steal_pointer (&url);
}

guint
gp_settings_get_test_timeout (void)
{
  g_autoptr(GSettings) settings = gp_settings_open ();
  guint timeout = settings != NULL ? g_settings_get_uint (settings, "test-timeout") : 0;

  return timeout > 0 ? timeout : GP_SETTINGS_DEFAULT_TEST_TIMEOUT;
}

/* What --ip-echo and the preferences accept: an http or https URL. */
gboolean
gp_settings_is_echo_url (const char *text)
{
  g_autoptr(GUri) uri = text != NULL ? g_uri_parse (text, G_URI_FLAGS_NONE, NULL) : NULL;

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
         (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 || g_strcmp0 (g_uri_get_scheme (uri), "https") == 0);
}

/* A prober with the echo service and timeout of the settings, or of the
 * built-in defaults when settings is NULL (a build-tree run). */
GpProber *
gp_settings_new_prober (GSettings *settings)
{
  g_autofree char *echo_url = settings != NULL ? g_settings_get_string (settings, "ip-echo-url") : NULL;
  guint timeout = settings != NULL ? g_settings_get_uint (settings, "test-timeout") : 0;
  GpProber *prober = gp_prober_new (echo_url != NULL && *echo_url != '\0' ? echo_url : GP_SETTINGS_DEFAULT_IP_ECHO_URL);

  gp_prober_set_timeout (prober, timeout > 0 ? timeout : GP_SETTINGS_DEFAULT_TEST_TIMEOUT);
  return prober;
}
