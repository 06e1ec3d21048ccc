/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-proxy-url.h"

struct _GpProxyUrl
{
  GpProxyScheme  scheme;
  char          *host;     /* ASCII, lower case, IPv6 without brackets */
  guint16        port;
};

G_DEFINE_BOXED_TYPE (GpProxyUrl, gp_proxy_url, gp_proxy_url_copy, gp_proxy_url_free)

G_DEFINE_QUARK (gp-proxy-url-error-quark, gp_proxy_url_error)

static const struct {
  const char    *name;
  GpProxyScheme  scheme;
} schemes[] = {
  { "http", GP_PROXY_SCHEME_HTTP },
  { "https", GP_PROXY_SCHEME_HTTPS },
  { "socks5", GP_PROXY_SCHEME_SOCKS5 },
  { "socks5h", GP_PROXY_SCHEME_SOCKS5H },
};

static gboolean
set_invalid (GError     **error,
             const char  *text,
             const char  *why)
{
  /* Whatever stands before an "@" may be a password: never repeat it. */
  if (strchr (text, '@') != NULL)
    {
      g_set_error (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_INVALID,
                   _("The proxy URL is not valid: %s"), why);
      return FALSE;
    }

  g_set_error (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_INVALID,
               /* Translators: the first %s is what the user typed, the second says why it is wrong */
               _("“%s” is not a valid proxy URL: %s"), text, why);
  return FALSE;
}

static gboolean
scheme_from_name (const char    *name,
                  GpProxyScheme *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      if (g_ascii_strcasecmp (name, schemes[i].name) == 0)
        {
          *out = schemes[i].scheme;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
has_control_or_space (const char *text)
{
  for (const char *p = text; *p; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

static gboolean
is_valid_label (const char *label,
                gsize       len)
{
  if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (label[i]) && label[i] != '-' && label[i] != '_')
      return FALSE;
  return TRUE;
}

/* Host names as resolvers accept them (RFC 1123, plus the underscore that
 * real intranets use); an all-numeric last label must be an IPv4 address,
 * so that a mistyped address is not taken for a name. */
static gboolean
is_valid_hostname (const char *host)
{
  gsize len = strlen (host);
  const char *last_label = host;
  const char *start = host;

  if (len == 0 || len > 253)
    return FALSE;

  for (const char *p = host; ; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          if (!is_valid_label (start, p - start))
            return FALSE;
          last_label = start;
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }

  for (const char *p = last_label; *p; p++)
    if (!g_ascii_isdigit (*p))
      return TRUE;
  return FALSE;
}

static char *
normalize_host (const char  *text,
                const char  *raw_host,
                GError     **error)
{
  g_autofree char *host = NULL;
  gsize len;

  if (raw_host == NULL || *raw_host == '\0')
    {
      set_invalid (error, text, _("the host name is missing"));
      return NULL;
    }

  if (strchr (raw_host, ':') != NULL)
    {
      /* GLib takes any zone; RFC 6874's is unreserved characters only,
       * the one kind that a URL can carry back as %25 and the zone. */
      const char *zone = strchr (raw_host, '%');
      const char *unreserved = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";

      if (!g_hostname_is_ip_address (raw_host) ||
          (zone != NULL && (zone[1] == '\0' || strspn (zone + 1, unreserved) != strlen (zone + 1))))
        {
          set_invalid (error, text, _("the IPv6 address is not valid"));
          return NULL;
        }
      return g_ascii_strdown (raw_host, -1);
    }

  host = g_hostname_to_ascii (raw_host);
  if (host == NULL)
    {
      set_invalid (error, text, _("the host name is not valid"));
      return NULL;
    }

  /* A fully qualified "proxy.example.com." means the same host. */
  len = strlen (host);
  if (len > 1 && host[len - 1] == '.')
    host[len - 1] = '\0';

  if (!g_hostname_is_ip_address (host) && !is_valid_hostname (host))
    {
      set_invalid (error, text, _("the host name is not valid"));
      return NULL;
    }

  return g_ascii_strdown (host, -1);
}

static gboolean
set_has_userinfo (GError **error)
{
  g_set_error (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_HAS_USERINFO,
               _("The proxy URL must not contain a username or password: they are kept apart "
                 "from it, the password in the keyring"));
  return FALSE;
}

/* An "@" in the authority (before any "/", "?" or "#") means userinfo. */
static gboolean
has_userinfo (const char *text)
{
  const char *start = strstr (text, "://");
  const char *end;

  start = start != NULL ? start + 3 : text;
  end = start + strcspn (start, "/?#");
  return memchr (start, '@', end - start) != NULL;
}

/* The text after the authority's last ":" (past any IPv6 brackets), or
 * NULL when there is none: GUri's own message for a bad port names
 * neither the port nor the range a person may use. */
static char *
find_port_text (const char *full)
{
  const char *start = strstr (full, "://") + 3;
  const char *end = start + strcspn (start, "/?#");
  const char *colon;

  if (*start == '[')
    {
      const char *bracket = memchr (start, ']', end - start);

      if (bracket == NULL)
        return NULL;
      start = bracket + 1;
    }
  colon = memchr (start, ':', end - start);
  if (colon == NULL)
    return NULL;
  while (memchr (colon + 1, ':', end - colon - 1) != NULL)
    colon = memchr (colon + 1, ':', end - colon - 1);
  return g_strndup (colon + 1, end - colon - 1);
}

static gboolean
is_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
check_port (const char  *text,
            const char  *full,
            GError     **error)
{
  g_autofree char *port = find_port_text (full);
  g_autofree char *why = NULL;
  guint64 value = 0;

  /* A missing or empty port gets its own advice from check_uri_parts (). */
  if (port == NULL || *port == '\0')
    return TRUE;

  if (is_digits (port) || (port[0] == '-' && is_digits (port + 1)))
    {
      if (port[0] != '-' &&
          g_ascii_string_to_unsigned (port, 10, 1, G_MAXUINT16, &value, NULL))
        return TRUE;
      why = g_strdup_printf (_("the port %s is out of range: use 1 to 65535"), port);
    }
  else
    why = g_strdup_printf (_("the port “%s” is not a number: use 1 to 65535"), port);

  return set_invalid (error, text, why);
}

static gboolean
check_uri_parts (const char  *text,
                 GUri        *uri,
                 GError     **error)
{
  const char *path = g_uri_get_path (uri);

  if (g_uri_get_userinfo (uri) != NULL)
    return set_has_userinfo (error);

  if (g_uri_get_port (uri) == -1)
    return set_invalid (error, text,
                        _("the port is missing; add it, for example http://proxy.example.com:3128"));

  if ((path[0] != '\0' && strcmp (path, "/") != 0) ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return set_invalid (error, text, _("a proxy URL has no path, query or fragment"));

  return TRUE;
}

GpProxyUrl *
gp_proxy_url_parse (const char  *text,
                    GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *full = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GpProxyUrl) self = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    {
      g_set_error (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_INVALID,
                   _("The proxy URL is empty; give one such as http://proxy.example.com:3128"));
      return NULL;
    }

  /* Refuse credentials before anything else looks at the text. */
  if (has_userinfo (trimmed))
    {
      set_has_userinfo (error);
      return NULL;
    }

  if (!g_utf8_validate (trimmed, -1, NULL) || has_control_or_space (trimmed))
    {
      set_invalid (error, "…", _("it contains spaces, control characters or invalid UTF-8"));
      return NULL;
    }

  /* A bare "host:port" means HTTP, as every client reads it. */
  full = strstr (trimmed, "://") ? g_strdup (trimmed) : g_strconcat ("http://", trimmed, NULL);

  if (!check_port (trimmed, full, error))
    return NULL;

  uri = g_uri_parse (full, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      set_invalid (error, trimmed, local_error->message);
      return NULL;
    }

  self = g_new0 (GpProxyUrl, 1);
  if (!scheme_from_name (g_uri_get_scheme (uri), &self->scheme))
    {
      set_invalid (error, trimmed, _("the scheme must be http, https, socks5 or socks5h"));
      return NULL;
    }

  if (!check_uri_parts (trimmed, uri, error))
    return NULL;

  self->host = normalize_host (trimmed, g_uri_get_host (uri), error);
  if (self->host == NULL)
    return NULL;
  self->port = (guint16) g_uri_get_port (uri);

  return g_steal_pointer (&self);
}

GpProxyUrl *
gp_proxy_url_copy (const GpProxyUrl *self)
{
  GpProxyUrl *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (GpProxyUrl, 1);
  copy->scheme = self->scheme;
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  return copy;
}

void
gp_proxy_url_free (GpProxyUrl *self)
{
  if (self == NULL)
    return;
  g_free (self->host);
  g_free (self);
}

GpProxyScheme
gp_proxy_url_get_scheme (const GpProxyUrl *self)
{
  g_return_val_if_fail (self != NULL, GP_PROXY_SCHEME_HTTP);
  return self->scheme;
}

const char *
gp_proxy_url_get_host (const GpProxyUrl *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->host;
}

guint16
gp_proxy_url_get_port (const GpProxyUrl *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->port;
}

gboolean
gp_proxy_url_is_socks (const GpProxyUrl *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->scheme == GP_PROXY_SCHEME_SOCKS5 || self->scheme == GP_PROXY_SCHEME_SOCKS5H;
}

const char *
gp_proxy_scheme_to_string (GpProxyScheme scheme)
{
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (schemes[i].scheme == scheme)
      return schemes[i].name;
  g_return_val_if_reached ("http");
}

/* What each client does with a SOCKS URL in http_proxy: curl, git and
 * npm take both schemes; wget ("Unsupported scheme"), urllib ("unknown
 * url type") and requests without PySocks refuse both; apt refuses
 * socks5:// ("Unsupported proxy configured"); Go 1.19 reads socks5h://
 * as an HTTP proxy on a host named "socks5h". */
GpProxyClients
gp_proxy_scheme_unusable_by (GpProxyScheme scheme)
{
  const GpProxyClients no_socks = GP_PROXY_CLIENT_WGET | GP_PROXY_CLIENT_PYTHON_URLLIB |
                                  GP_PROXY_CLIENT_PYTHON_REQUESTS;

  switch (scheme)
    {
    case GP_PROXY_SCHEME_SOCKS5:
      return no_socks | GP_PROXY_CLIENT_APT;
    case GP_PROXY_SCHEME_SOCKS5H:
      return no_socks | GP_PROXY_CLIENT_GO;
    case GP_PROXY_SCHEME_HTTP:
    case GP_PROXY_SCHEME_HTTPS:
    default:
      return GP_PROXY_CLIENT_NONE;
    }
}

char *
gp_proxy_url_to_string (const GpProxyUrl *self)
{
  return gp_proxy_url_to_string_with_userinfo (self, NULL, NULL);
}

/* Percent-encodes the username and password so that only the unreserved
 * characters stay literal: the one form that every client decodes alike
 * and that environment.d leaves alone. */
char *
gp_proxy_url_to_string_with_userinfo (const GpProxyUrl *self,
                                      const char       *username,
                                      const char       *password)
{
  GString *out;
  gboolean ipv6;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (password == NULL || username != NULL, NULL);

  out = g_string_new (gp_proxy_scheme_to_string (self->scheme));
  g_string_append (out, "://");

  if (username != NULL)
    {
      g_autofree char *user = gp_proxy_url_escape_userinfo (username);

      g_string_append (out, user);
      if (password != NULL)
        {
          g_autofree char *pass = gp_proxy_url_escape_userinfo (password);

          g_string_append_c (out, ':');
          g_string_append (out, pass);
        }
      g_string_append_c (out, '@');
    }

  ipv6 = strchr (self->host, ':') != NULL;
  if (ipv6)
    {
      /* RFC 6874: the zone's "%" is written "%25" inside the brackets,
       * or the URL does not parse again ("[fe80::1%eth0]"). */
      const char *zone = strchr (self->host, '%');

      g_string_append_c (out, '[');
      g_string_append_len (out, self->host, zone != NULL ? zone - self->host : -1);
      if (zone != NULL)
        g_string_append_printf (out, "%%25%s", zone + 1);
      g_string_append_printf (out, "]:%u", self->port);
    }
  else
    g_string_append_printf (out, "%s:%u", self->host, self->port);

  return g_string_free (out, FALSE);
}

char *
gp_proxy_url_escape_userinfo (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  return g_uri_escape_string (text, NULL, FALSE);
}

/* Where the user:password part of a URL's text is (before the last '@'
 * of the authority, as curl and browsers read it, so that a raw '@' in
 * a hand-written password stays in the password). FALSE when there is
 * none. The text need not be a valid URL: the callers are import, which
 * reads what the user wrote, and the session, which reads back what
 * Gatepass wrote. */
gboolean
gp_proxy_url_find_userinfo (const char  *text,
                            const char **out_start,
                            gsize       *out_length)
{
  const char *scheme_end = strstr (text, "://");
  const char *authority = scheme_end != NULL ? scheme_end + 3 : text;
  const char *end = authority + strcspn (authority, "/");
  const char *at = g_strrstr_len (authority, end - authority, "@");

  if (at == NULL)
    return FALSE;
  *out_start = authority;
  *out_length = at - authority;
  return TRUE;
}

/* The text without its user:password@ part; the text as it is without
 * one. */
char *
gp_proxy_url_without_userinfo (const char *text)
{
  const char *start;
  gsize length;
  g_autofree char *before = NULL;

  if (!gp_proxy_url_find_userinfo (text, &start, &length))
    return g_strdup (text);
  before = g_strndup (text, start - text);
  return g_strconcat (before, start + length + 1, NULL);
}

/* Full sentences for each field: translations need them whole. */
typedef struct
{
  const char *empty;
  const char *not_utf8;
  const char *control;
} CredentialMessages;

static gboolean
validate_credential (const char               *text,
                     const CredentialMessages *messages,
                     GError                  **error)
{
  const char *message = NULL;

  if (text == NULL || *text == '\0')
    message = messages->empty;
  else if (!g_utf8_validate (text, -1, NULL))
    message = messages->not_utf8;
  else
    for (const char *p = text; *p && message == NULL; p++)
      if ((guchar) *p < 0x20 || *p == 0x7f)
        message = messages->control;

  if (message == NULL)
    return TRUE;
  g_set_error_literal (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_INVALID_CREDENTIAL, message);
  return FALSE;
}

gboolean
gp_proxy_url_validate_username (const char     *username,
                                GpProxyScheme   scheme,
                                GError        **error)
{
  const CredentialMessages messages = {
    _("The username is empty"),
    _("The username is not valid UTF-8"),
    _("The username contains a control character (such as a tab or a line break), "
      "which a Proxy-Authorization header cannot carry"),
  };

  if (!validate_credential (username, &messages, error))
    return FALSE;

  if ((scheme == GP_PROXY_SCHEME_HTTP || scheme == GP_PROXY_SCHEME_HTTPS) &&
      strchr (username, ':') != NULL)
    {
      g_set_error (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_INVALID_CREDENTIAL,
                   _("The username contains “:”, which HTTP Basic authentication cannot carry"));
      return FALSE;
    }

  return TRUE;
}

gboolean
gp_proxy_url_validate_password (const char  *password,
                                GError     **error)
{
  const CredentialMessages messages = {
    _("The password is empty"),
    _("The password is not valid UTF-8"),
    _("The password contains a control character (such as a tab or a line break), "
      "which a Proxy-Authorization header cannot carry"),
  };

  return validate_credential (password, &messages, error);
}

GpCredentialQuirks
gp_proxy_url_credential_quirks (const char *text)
{
  GpCredentialQuirks quirks = GP_CREDENTIAL_QUIRK_NONE;

  g_return_val_if_fail (text != NULL, quirks);

  for (const char *p = text; *p; p++)
    {
      if ((guchar) *p >= 0x80)
        quirks |= GP_CREDENTIAL_QUIRK_NON_ASCII;
      else if (p[0] == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        quirks |= GP_CREDENTIAL_QUIRK_PERCENT_HEX;
    }

  return quirks;
}
