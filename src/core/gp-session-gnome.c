/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-proxy-url.h"
#include "gp-session-gnome.h"

#define PROXY_SCHEMA GP_GNOME_PROXY_SCHEMA

static GSettingsSchema *
lookup_schema (const char *id)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();

  return source != NULL ? g_settings_schema_source_lookup (source, id, TRUE) : NULL;
}

gboolean
gp_session_gnome_available (GError **error)
{
  g_autoptr(GSettingsSchema) schema = lookup_schema (PROXY_SCHEMA);

  if (schema == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("GNOME's proxy settings (org.gnome.system.proxy, in "
                             "gsettings-desktop-schemas) are not installed"));
      return FALSE;
    }
  return TRUE;
}

static void
plan_key (GPtrArray  *plan,
          const char *schema,
          const char *key,
          GVariant   *value)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (value);
  g_autofree char *text = g_variant_print (owned, TRUE);

  g_ptr_array_add (plan, gp_gnome_key_new (schema, key, NULL, text));
}

static void
plan_host (GPtrArray        *plan,
           const char       *schema,
           const GpProxyUrl *url)
{
  plan_key (plan, schema, "host", g_variant_new_string (url != NULL ? gp_proxy_url_get_host (url) : ""));
  plan_key (plan, schema, "port", g_variant_new_int32 (url != NULL ? gp_proxy_url_get_port (url) : 0));
}

GPtrArray *
gp_session_gnome_plan (GpProfile  *profile,
                       GError    **error)
{
  g_autoptr(GPtrArray) plan = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_gnome_key_free);
  g_autoptr(GpProxyUrl) url = gp_proxy_url_parse (gp_profile_get_url (profile), error);
  g_autoptr(GpProxyUrl) https = NULL;
  const char * const *no_proxy = gp_profile_get_no_proxy (profile);

  if (url == NULL)
    return NULL;
  if (gp_profile_get_https_proxy (profile) != NULL &&
      (https = gp_proxy_url_parse (gp_profile_get_https_proxy (profile), error)) == NULL)
    return NULL;

  if (gp_proxy_url_get_scheme (url) == GP_PROXY_SCHEME_HTTPS ||
      (https != NULL && gp_proxy_url_get_scheme (https) == GP_PROXY_SCHEME_HTTPS))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("GNOME's proxy settings cannot say that the proxy speaks TLS (an "
                             "https:// proxy URL), so they were left alone"));
      return NULL;
    }

  plan_key (plan, PROXY_SCHEMA, "mode", g_variant_new_string ("manual"));
  /* Every host key is written, the unused ones empty, so that a host the
   * user had set before cannot take part in what this profile says. */
  if (gp_proxy_url_is_socks (url))
    {
      plan_host (plan, PROXY_SCHEMA ".http", NULL);
      plan_host (plan, PROXY_SCHEMA ".https", NULL);
      plan_host (plan, PROXY_SCHEMA ".socks", url);
    }
  else
    {
      plan_host (plan, PROXY_SCHEMA ".http", url);
      plan_host (plan, PROXY_SCHEMA ".https", https != NULL ? https : url);
      plan_host (plan, PROXY_SCHEMA ".socks", NULL);
    }
  plan_key (plan, PROXY_SCHEMA, "ignore-hosts", g_variant_new_strv (no_proxy, -1));
  return g_steal_pointer (&plan);
}

static GSettings *
settings_for (const char *schema_id,
              const char *key,
              GError    **error)
{
  g_autoptr(GSettingsSchema) schema = lookup_schema (schema_id);

  if (schema == NULL || !g_settings_schema_has_key (schema, key))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("this system's GNOME settings have no key %s %s"), schema_id, key);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

char *
gp_session_gnome_read (const char *schema,
                       const char *key)
{
  g_autoptr(GSettings) settings = settings_for (schema, key, NULL);
  g_autoptr(GVariant) value = NULL;

  if (settings == NULL)
    return NULL;
  /* "": the key holds its default, which deactivate then resets it to
   * (rather than writing the default's value as the user's own). */
  value = g_settings_get_user_value (settings, key);
  return value != NULL ? g_variant_print (value, TRUE) : g_strdup ("");
}

gboolean
gp_session_gnome_write (const char  *schema,
                        const char  *key,
                        const char  *text,
                        GError     **error)
{
  g_autoptr(GSettings) settings = settings_for (schema, key, error);
  g_autoptr(GVariant) value = NULL;

  if (settings == NULL)
    return FALSE;
  if (*text == '\0')
    {
      g_settings_reset (settings, key);
      return TRUE;
    }
  value = g_variant_parse (NULL, text, NULL, NULL, NULL);
  if (value == NULL || !g_settings_set_value (settings, key, value))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("GNOME's setting %s %s does not take the value %s"), schema, key, text);
      return FALSE;
    }
  return TRUE;
}

void
gp_session_gnome_sync (void)
{
  g_settings_sync ();
}
