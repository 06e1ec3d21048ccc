/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-enums.h"
#include "gp-no-proxy.h"
#include "gp-profile.h"
#include "gp-proxy-url.h"

#define GP_PROFILE_NAME_MAX 64
#define GP_PROFILE_ID_MAX   64

struct _GpProfile
{
  GObject      parent_instance;

  char        *id;
  char        *name;
  char        *url;
  char        *https_proxy;
  GStrv        no_proxy;
  char        *username;
  GpAuthMode   auth;
  /* How activate applies the profile to the session (gp-session.c). */
  gboolean     session_credentials;
  gboolean     gnome_proxy;
};

G_DEFINE_FINAL_TYPE (GpProfile, gp_profile, G_TYPE_OBJECT)

G_DEFINE_QUARK (gp-profile-error-quark, gp_profile_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_URL,
  PROP_HTTPS_PROXY,
  PROP_NO_PROXY,
  PROP_USERNAME,
  PROP_AUTH,
  PROP_SESSION_CREDENTIALS,
  PROP_GNOME_PROXY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const auth_names[] = {
  [GP_AUTH_NONE] = "none",
  [GP_AUTH_PASSWORD] = "password",
  [GP_AUTH_IP] = "ip",
};

/* g_set_str () arrives only in GLib 2.76. */
static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  /* An empty string means "unset" for every optional field. */
  if (value != NULL && *value == '\0')
    value = NULL;
  return replace_string (field, value);
}

static void
gp_profile_finalize (GObject *object)
{
  GpProfile *self = (GpProfile *) object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->url);
  g_free (self->https_proxy);
  g_strfreev (self->no_proxy);
  g_free (self->username);

  G_OBJECT_CLASS (gp_profile_parent_class)->finalize (object);
}

static void
gp_profile_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GpProfile *self = GP_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_URL: g_value_set_string (value, self->url); break;
    case PROP_HTTPS_PROXY: g_value_set_string (value, self->https_proxy); break;
    case PROP_NO_PROXY: g_value_set_boxed (value, self->no_proxy); break;
    case PROP_USERNAME: g_value_set_string (value, self->username); break;
    case PROP_AUTH: g_value_set_enum (value, self->auth); break;
    case PROP_SESSION_CREDENTIALS: g_value_set_boolean (value, self->session_credentials); break;
    case PROP_GNOME_PROXY: g_value_set_boolean (value, self->gnome_proxy); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_profile_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  GpProfile *self = GP_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID: self->id = g_value_dup_string (value); break;
    case PROP_NAME: gp_profile_set_name (self, g_value_get_string (value)); break;
    case PROP_URL: gp_profile_set_url (self, g_value_get_string (value)); break;
    case PROP_HTTPS_PROXY: gp_profile_set_https_proxy (self, g_value_get_string (value)); break;
    case PROP_NO_PROXY: gp_profile_set_no_proxy (self, g_value_get_boxed (value)); break;
    case PROP_USERNAME: gp_profile_set_username (self, g_value_get_string (value)); break;
    case PROP_AUTH: gp_profile_set_auth (self, g_value_get_enum (value)); break;
    case PROP_SESSION_CREDENTIALS:
      gp_profile_set_session_credentials (self, g_value_get_boolean (value));
      break;
    case PROP_GNOME_PROXY: gp_profile_set_gnome_proxy (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_profile_class_init (GpProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gp_profile_finalize;
  object_class->get_property = gp_profile_get_property;
  object_class->set_property = gp_profile_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HTTPS_PROXY] =
    g_param_spec_string ("https-proxy", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NO_PROXY] =
    g_param_spec_boxed ("no-proxy", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTH] =
    g_param_spec_enum ("auth", NULL, NULL, GP_TYPE_AUTH_MODE, GP_AUTH_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The session file holds the credentials too (the user opted in). */
  properties[PROP_SESSION_CREDENTIALS] =
    g_param_spec_boolean ("session-credentials", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* activate sets GNOME's proxy settings too. */
  properties[PROP_GNOME_PROXY] =
    g_param_spec_boolean ("gnome-proxy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gp_profile_init (GpProfile *self)
{
  self->no_proxy = g_new0 (char *, 1);
}

const char *
gp_auth_mode_to_string (GpAuthMode mode)
{
  g_return_val_if_fail (mode <= GP_AUTH_IP, "none");
  return auth_names[mode];
}

gboolean
gp_auth_mode_from_string (const char *text,
                          GpAuthMode *mode)
{
  g_return_val_if_fail (mode != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (auth_names); i++)
    {
      if (g_strcmp0 (text, auth_names[i]) == 0)
        {
          *mode = (GpAuthMode) i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
gp_profile_validate_name (const char  *name,
                          GError     **error)
{
  glong length;

  if (name == NULL || *name == '\0')
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID_NAME,
                   _("The profile name is empty"));
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID_NAME,
                   _("The profile name is not valid UTF-8"));
      return FALSE;
    }

  length = g_utf8_strlen (name, -1);
  if (length > GP_PROFILE_NAME_MAX)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID_NAME,
                   _("The profile name is %ld characters long; the limit is %d"),
                   length, GP_PROFILE_NAME_MAX);
      return FALSE;
    }

  if (name[0] == '-')
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID_NAME,
                   _("The profile name “%s” starts with “-”, which would read as an option"), name);
      return FALSE;
    }

  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isprint (g_utf8_get_char (p)) && *p != ' ')
        {
          g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID_NAME,
                       _("The profile name contains a character that cannot be printed"));
          return FALSE;
        }
    }

  return TRUE;
}

char *
gp_profile_new_id (void)
{
  return g_uuid_string_random ();
}

/* Ids end up in keyring attributes, file group names and JSON: keep them
 * to a plain alphabet even when somebody edits the file by hand. */
gboolean
gp_profile_is_valid_id (const char *id)
{
  gsize len;

  if (id == NULL)
    return FALSE;

  len = strlen (id);
  if (len == 0 || len > GP_PROFILE_ID_MAX)
    return FALSE;

  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;

  return TRUE;
}

GpProfile *
gp_profile_new (const char *id)
{
  g_return_val_if_fail (gp_profile_is_valid_id (id), NULL);

  return g_object_new (GP_TYPE_PROFILE, "id", id, NULL);
}

GpProfile *
gp_profile_copy (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);

  return g_object_new (GP_TYPE_PROFILE,
                       "id", self->id,
                       "name", self->name,
                       "url", self->url,
                       "https-proxy", self->https_proxy,
                       "no-proxy", self->no_proxy,
                       "username", self->username,
                       "auth", self->auth,
                       "session-credentials", self->session_credentials,
                       "gnome-proxy", self->gnome_proxy,
                       NULL);
}

/* Takes every field but the id: an editor changes a copy, and a save
 * applies it to the profile the store holds. */
void
gp_profile_update_from (GpProfile *self,
                        GpProfile *other)
{
  g_return_if_fail (GP_IS_PROFILE (self));
  g_return_if_fail (GP_IS_PROFILE (other));

  g_object_freeze_notify (G_OBJECT (self));
  gp_profile_set_name (self, other->name);
  gp_profile_set_url (self, other->url);
  gp_profile_set_https_proxy (self, other->https_proxy);
  gp_profile_set_no_proxy (self, (const char * const *) other->no_proxy);
  gp_profile_set_username (self, other->username);
  gp_profile_set_auth (self, other->auth);
  gp_profile_set_session_credentials (self, other->session_credentials);
  gp_profile_set_gnome_proxy (self, other->gnome_proxy);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Every field, the id too: what a save must read back unchanged. */
gboolean
gp_profile_equal (GpProfile *self,
                  GpProfile *other)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (GP_IS_PROFILE (other), FALSE);

  return g_strcmp0 (self->id, other->id) == 0 &&
         g_strcmp0 (self->name, other->name) == 0 &&
         g_strcmp0 (self->url, other->url) == 0 &&
         g_strcmp0 (self->https_proxy, other->https_proxy) == 0 &&
         g_strv_equal ((const char * const *) self->no_proxy,
                       (const char * const *) other->no_proxy) &&
         g_strcmp0 (self->username, other->username) == 0 &&
         self->auth == other->auth &&
         self->session_credentials == other->session_credentials &&
         self->gnome_proxy == other->gnome_proxy;
}

const char *
gp_profile_get_id (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);
  return self->id;
}

const char *
gp_profile_get_name (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);
  return self->name;
}

void
gp_profile_set_name (GpProfile  *self,
                     const char *name)
{
  g_return_if_fail (GP_IS_PROFILE (self));
  if (replace_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
gp_profile_get_url (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);
  return self->url;
}

void
gp_profile_set_url (GpProfile  *self,
                    const char *url)
{
  g_return_if_fail (GP_IS_PROFILE (self));
  if (set_string (&self->url, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}

const char *
gp_profile_get_https_proxy (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);
  return self->https_proxy;
}

void
gp_profile_set_https_proxy (GpProfile  *self,
                            const char *url)
{
  g_return_if_fail (GP_IS_PROFILE (self));
  if (set_string (&self->https_proxy, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HTTPS_PROXY]);
}

const char * const *
gp_profile_get_no_proxy (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);
  return (const char * const *) self->no_proxy;
}

void
gp_profile_set_no_proxy (GpProfile          *self,
                         const char * const *hosts)
{
  static const char * const empty[] = { NULL };

  g_return_if_fail (GP_IS_PROFILE (self));

  if (hosts == NULL)
    hosts = empty;
  if (g_strv_equal ((const char * const *) self->no_proxy, hosts))
    return;

  g_strfreev (self->no_proxy);
  self->no_proxy = g_strdupv ((char **) hosts);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NO_PROXY]);
}

const char *
gp_profile_get_username (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), NULL);
  return self->username;
}

void
gp_profile_set_username (GpProfile  *self,
                         const char *username)
{
  g_return_if_fail (GP_IS_PROFILE (self));
  if (set_string (&self->username, username))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
}

GpAuthMode
gp_profile_get_auth (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), GP_AUTH_NONE);
  return self->auth;
}

void
gp_profile_set_auth (GpProfile  *self,
                     GpAuthMode  auth)
{
  g_return_if_fail (GP_IS_PROFILE (self));
  g_return_if_fail (auth <= GP_AUTH_IP);

  if (self->auth == auth)
    return;
  self->auth = auth;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
}

gboolean
gp_profile_get_session_credentials (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), FALSE);
  return self->session_credentials;
}

void
gp_profile_set_session_credentials (GpProfile *self,
                                    gboolean   enabled)
{
  g_return_if_fail (GP_IS_PROFILE (self));
  enabled = !!enabled;
  if (self->session_credentials == enabled)
    return;
  self->session_credentials = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_CREDENTIALS]);
}

gboolean
gp_profile_get_gnome_proxy (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), FALSE);
  return self->gnome_proxy;
}

void
gp_profile_set_gnome_proxy (GpProfile *self,
                            gboolean   enabled)
{
  g_return_if_fail (GP_IS_PROFILE (self));
  enabled = !!enabled;
  if (self->gnome_proxy == enabled)
    return;
  self->gnome_proxy = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GNOME_PROXY]);
}

/* Only password profiles send or export credentials; a username kept on
 * an "ip" or "none" profile is remembered for switching back, never used. */
gboolean
gp_profile_sends_credentials (GpProfile *self)
{
  g_return_val_if_fail (GP_IS_PROFILE (self), FALSE);
  return self->auth == GP_AUTH_PASSWORD && self->username != NULL;
}

static gboolean
validate_proxy (const char     *text,
                const char     *username,
                GpProxyScheme  *scheme,
                GError        **error)
{
  g_autoptr(GpProxyUrl) url = gp_proxy_url_parse (text, error);

  if (url == NULL)
    return FALSE;
  *scheme = gp_proxy_url_get_scheme (url);
  return username == NULL || gp_proxy_url_validate_username (username, *scheme, error);
}

gboolean
gp_profile_validate (GpProfile  *self,
                     GError    **error)
{
  GpProxyScheme scheme;

  g_return_val_if_fail (GP_IS_PROFILE (self), FALSE);

  if (!gp_profile_validate_name (self->name, error))
    return FALSE;

  if (self->url == NULL)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   _("The profile “%s” has no proxy URL"), self->name);
      return FALSE;
    }

  if (!validate_proxy (self->url, self->username, &scheme, error))
    return FALSE;

  if (self->https_proxy != NULL &&
      !validate_proxy (self->https_proxy, self->username, &scheme, error))
    return FALSE;

  for (guint i = 0; self->no_proxy[i] != NULL; i++)
    if (!gp_no_proxy_validate_entry (self->no_proxy[i], error))
      return FALSE;

  if (self->auth == GP_AUTH_PASSWORD && self->username == NULL)
    {
      g_set_error (error, GP_PROFILE_ERROR, GP_PROFILE_ERROR_INVALID,
                   _("The profile “%s” uses password authentication but has no username"),
                   self->name);
      return FALSE;
    }

  return TRUE;
}
