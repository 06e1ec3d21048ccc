/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-import.h"
#include "gp-no-proxy.h"
#include "gp-proxy-url.h"
#include "gp-sandbox.h"
#include "gp-session-gnome.h"
#include "gp-session-record.h"

void
gp_import_candidate_free (GpImportCandidate *candidate)
{
  if (candidate == NULL)
    return;
  g_free (candidate->source);
  g_clear_object (&candidate->profile);
  gp_password_free (candidate->password);
  g_free (candidate->skipped);
  g_ptr_array_unref (candidate->plaintext);
  g_free (candidate);
}

static GpImportCandidate *
candidate_new (const char *source)
{
  GpImportCandidate *candidate = g_new0 (GpImportCandidate, 1);

  candidate->source = g_strdup (source);
  candidate->plaintext = g_ptr_array_new_with_free_func (g_free);
  return candidate;
}

G_GNUC_PRINTF (2, 3)
static GpImportCandidate *
skip (GpImportCandidate *candidate,
      const char        *format,
      ...)
{
  va_list args;

  g_clear_object (&candidate->profile);
  g_clear_pointer (&candidate->password, gp_password_free);
  va_start (args, format);
  g_free (candidate->skipped);
  candidate->skipped = g_strdup_vprintf (format, args);
  va_end (args);
  return candidate;
}

/* Inside the sandbox GSettings is the app's own file: it would read
 * defaults, not the host's settings, and import nothing without saying
 * why. */
static GpImportCandidate *
sandboxed (GpImportCandidate *candidate)
{
  candidate->unavailable = GP_SANDBOX_REASON;
  return skip (candidate, _("GNOME's proxy settings on the host: %s"), gp_sandbox_unreachable_reason ());
}

/* --- a URL that may hold credentials --------------------------------------------- */

typedef struct
{
  char       *url;        /* canonical, without credentials */
  char       *username;   /* decoded, or NULL */
  GpPassword *password;   /* decoded, or NULL */
} SplitUrl;

static void
split_url_clear (SplitUrl *split)
{
  g_free (split->url);
  g_free (split->username);
  gp_password_free (split->password);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SplitUrl, split_url_clear)

/* NULL when the escapes are broken or decode to a NUL. */
static char *
decode (const char *text,
        gsize       length)
{
  g_autofree char *part = g_strndup (text, length);
  char *decoded = g_uri_unescape_string (part, NULL);

  explicit_bzero (part, length);
  return decoded;
}

static gboolean
take_userinfo (const char  *userinfo,
               gsize        length,
               SplitUrl    *split,
               GError     **error)
{
  const char *colon = memchr (userinfo, ':', length);
  gsize user_length = colon != NULL ? (gsize) (colon - userinfo) : length;

  split->username = decode (userinfo, user_length);
  if (colon != NULL)
    split->password = decode (colon + 1, length - user_length - 1);
  if (split->username == NULL || (colon != NULL && split->password == NULL))
    {
      /* xgettext:no-c-format */
      g_set_error_literal (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_INVALID,
                           _("its username or password holds a broken %-escape"));
      return FALSE;
    }
  if (*split->username == '\0')
    g_clear_pointer (&split->username, g_free);
  if (split->password != NULL && *split->password == '\0')
    g_clear_pointer (&split->password, gp_password_free);
  return TRUE;
}

static gboolean
split_url (const char  *text,
           SplitUrl    *split,
           GError     **error)
{
  const char *userinfo;
  gsize length;
  g_autofree char *bare = NULL;
  g_autoptr(GpProxyUrl) url = NULL;

  if (gp_proxy_url_find_userinfo (text, &userinfo, &length) &&
      !take_userinfo (userinfo, length, split, error))
    return FALSE;
  bare = gp_proxy_url_without_userinfo (text);
  url = gp_proxy_url_parse (bare, error);
  if (url == NULL)
    return FALSE;
  split->url = gp_proxy_url_to_string (url);
  return TRUE;
}

/* The profile's credentials: checked as add checks them. */
static gboolean
set_credentials (GpImportCandidate  *candidate,
                 SplitUrl           *split,
                 GError            **error)
{
  g_autoptr(GpProxyUrl) url = gp_proxy_url_parse (split->url, NULL);

  if (split->username == NULL)
    {
      gp_profile_set_auth (candidate->profile, GP_AUTH_NONE);
      return split->password == NULL || (g_set_error_literal (error, GP_PROXY_URL_ERROR,
                                                              GP_PROXY_URL_ERROR_INVALID_CREDENTIAL,
                                                              _("it has a password but no username")), FALSE);
    }
  if (!gp_proxy_url_validate_username (split->username, gp_proxy_url_get_scheme (url), error) ||
      (split->password != NULL && !gp_proxy_url_validate_password (split->password, error)))
    return FALSE;
  gp_profile_set_username (candidate->profile, split->username);
  gp_profile_set_auth (candidate->profile, GP_AUTH_PASSWORD);
  candidate->password = g_steal_pointer (&split->password);
  return TRUE;
}

static GpImportCandidate *
candidate_for_urls (const char         *source,
                    const char         *main_text,
                    const char         *main_origin,
                    const char         *https_text,
                    const char * const *no_proxy)
{
  g_autoptr(GpImportCandidate) candidate = candidate_new (source);
  g_auto(SplitUrl) main_url = { 0 };
  g_auto(SplitUrl) https_url = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = gp_profile_new_id ();

  if (!split_url (main_text, &main_url, &error) ||
      (https_text != NULL && !split_url (https_text, &https_url, &error)))
    return skip (g_steal_pointer (&candidate), _("%s: %s"), main_origin, error->message);

  /* An HTTPS proxy without credentials of its own uses the profile's. */
  if (https_text != NULL && https_url.username != NULL &&
      (g_strcmp0 (main_url.username, https_url.username) != 0 ||
       g_strcmp0 (main_url.password, https_url.password) != 0))
    return skip (g_steal_pointer (&candidate),
                 _("%s and its HTTPS proxy carry different credentials, and a profile has one pair"),
                 main_origin);

  candidate->profile = gp_profile_new (id);
  gp_profile_set_url (candidate->profile, main_url.url);
  if (https_text != NULL && g_strcmp0 (https_url.url, main_url.url) != 0)
    gp_profile_set_https_proxy (candidate->profile, https_url.url);
  gp_profile_set_no_proxy (candidate->profile, no_proxy);
  if (!set_credentials (candidate, &main_url, &error))
    return skip (g_steal_pointer (&candidate), _("%s: %s"), main_origin, error->message);
  return g_steal_pointer (&candidate);
}

/* --- the environment ---------------------------------------------------------------- */

static const char *
lookup_either (const char * const *environment,
               const char         *lower)
{
  g_autofree char *upper = g_ascii_strup (lower, -1);
  const char *value = g_environ_getenv ((char **) environment, lower);

  if (value == NULL || *value == '\0')
    value = g_environ_getenv ((char **) environment, upper);
  return value != NULL && *value != '\0' ? value : NULL;
}

GpImportCandidate *
gp_import_from_env (const char * const *environment)
{
  const char *http = lookup_either (environment, "http_proxy");
  const char *https = lookup_either (environment, "https_proxy");
  const char *all = lookup_either (environment, "all_proxy");
  const char *no_proxy_text = lookup_either (environment, "no_proxy");
  const char *main_text = http != NULL ? http : all != NULL ? all : https;
  const char *origin = http != NULL ? "http_proxy" : all != NULL ? "all_proxy" : "https_proxy";
  g_auto(GStrv) no_proxy = NULL;
  g_autoptr(GError) error = NULL;
  GpImportCandidate *candidate;

  if (main_text == NULL)
    return NULL;
  no_proxy = no_proxy_text != NULL ? gp_no_proxy_parse (no_proxy_text, &error) : g_new0 (char *, 1);
  if (no_proxy == NULL)
    return skip (candidate_new ("env"), _("no_proxy: %s"), error->message);

  candidate = candidate_for_urls ("env", main_text, origin, https != main_text ? https : NULL,
                                  (const char * const *) no_proxy);
  if (candidate->password != NULL)
    g_ptr_array_add (candidate->plaintext,
                     g_strdup_printf (_("the environment variable %s (and the others that hold the "
                                        "same URL), wherever it is set: see clear-stale"), origin));
  return candidate;
}

/* --- GNOME's proxy settings ------------------------------------------------------------ */

static char *
read_string (const char *schema,
             const char *key)
{
  g_autofree char *text = gp_session_gnome_read (schema, key);
  g_autoptr(GVariant) value = text != NULL && *text != '\0' ? g_variant_parse (G_VARIANT_TYPE_STRING, text, NULL, NULL, NULL) : NULL;

  if (text != NULL)
    explicit_bzero (text, strlen (text));
  return value != NULL ? g_variant_dup_string (value, NULL) : g_strdup ("");
}

static int
read_int (const char *schema,
          const char *key)
{
  g_autofree char *text = gp_session_gnome_read (schema, key);
  g_autoptr(GVariant) value = text != NULL && *text != '\0' ? g_variant_parse (G_VARIANT_TYPE_INT32, text, NULL, NULL, NULL) : NULL;

  return value != NULL ? g_variant_get_int32 (value) : 0;
}

static GStrv
read_strv (const char *schema,
           const char *key)
{
  g_autofree char *text = gp_session_gnome_read (schema, key);
  g_autoptr(GVariant) value = text != NULL && *text != '\0' ? g_variant_parse (G_VARIANT_TYPE_STRING_ARRAY, text, NULL, NULL, NULL) : NULL;

  return value != NULL ? g_variant_dup_strv (value, NULL) : g_new0 (char *, 1);
}

/* The entries of GNOME's ignore-hosts that a no-proxy list can hold
 * (GNOME takes a few shapes that clients do not). */
static GStrv
valid_hosts (GStrv hosts)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) owned = hosts;
  g_autofree char *joined = NULL;

  for (guint i = 0; owned[i] != NULL; i++)
    if (gp_no_proxy_validate_entry (owned[i], NULL))
      g_strv_builder_add (builder, owned[i]);
  g_strfreev (owned);
  owned = g_strv_builder_end (builder);
  joined = g_strjoinv (",", owned);
  return *joined != '\0' ? gp_no_proxy_parse (joined, NULL) : g_new0 (char *, 1);
}

/* host:port of one of GNOME's proxy schemas, with the scheme it means;
 * NULL when the host is empty. */
static char *
gnome_url (const char *kind,
           const char *scheme)
{
  g_autofree char *schema = g_strconcat (GP_GNOME_PROXY_SCHEMA ".", kind, NULL);
  g_autofree char *host = read_string (schema, "host");
  int port = read_int (schema, "port");

  if (*host == '\0')
    return NULL;
  /* No port is GNOME's "unset", which no client shares: skipped below. */
  if (port <= 0)
    return g_strdup_printf ("%s://%s%s%s", scheme, strchr (host, ':') ? "[" : "", host, strchr (host, ':') ? "]" : "");
  return g_strdup_printf ("%s://%s%s%s:%d", scheme, strchr (host, ':') ? "[" : "", host,
                          strchr (host, ':') ? "]" : "", port);
}

/* GNOME keeps the credentials apart from the host: put them into the URL
 * the way export writes them, for the one parser. */
static char *
with_gnome_credentials (const char *url)
{
  g_autofree char *user = read_string (GP_GNOME_PROXY_SCHEMA ".http", "authentication-user");
  g_autofree char *password = read_string (GP_GNOME_PROXY_SCHEMA ".http", "authentication-password");
  g_autofree char *use = gp_session_gnome_read (GP_GNOME_PROXY_SCHEMA ".http", "use-authentication");
  g_autofree char *user_escaped = NULL;
  g_autofree char *password_escaped = NULL;
  const char *rest = strstr (url, "://");
  g_autofree char *scheme = g_strndup (url, rest - url);
  char *joined;

  if (g_strcmp0 (use, "true") != 0 || *user == '\0')
    {
      explicit_bzero (password, strlen (password));
      return g_strdup (url);
    }
  user_escaped = gp_proxy_url_escape_userinfo (user);
  password_escaped = gp_proxy_url_escape_userinfo (password);
  joined = g_strdup_printf ("%s://%s%s%s@%s", scheme, user_escaped, *password ? ":" : "", password_escaped, rest + 3);
  explicit_bzero (password, strlen (password));
  explicit_bzero (password_escaped, strlen (password_escaped));
  return joined;
}

static gboolean
gnome_holds_password (void)
{
  g_autofree char *password = read_string (GP_GNOME_PROXY_SCHEMA ".http", "authentication-password");
  gboolean holds = *password != '\0';

  explicit_bzero (password, strlen (password));
  return holds;
}

GpImportCandidate *
gp_import_from_gnome (void)
{
  g_autofree char *mode = NULL;
  g_autofree char *http = NULL;
  g_autofree char *https = NULL;
  g_autofree char *socks = NULL;
  g_autofree char *main_text = NULL;
  g_auto(GStrv) ignore = NULL;
  GpImportCandidate *candidate;

  if (gp_sandbox_is_flatpak ())
    return sandboxed (candidate_new ("gnome"));
  if (!gp_session_gnome_available (NULL))
    return NULL;
  mode = read_string (GP_GNOME_PROXY_SCHEMA, "mode");
  if (g_str_equal (mode, "auto"))
    return skip (candidate_new ("gnome"),
                 _("GNOME's proxy settings are automatic (a PAC file), which a profile cannot hold"));
  if (!g_str_equal (mode, "manual"))
    return NULL;

  http = gnome_url ("http", "http");
  https = gnome_url ("https", "http");
  socks = gnome_url ("socks", "socks5");
  if (http == NULL && socks == NULL && https == NULL)
    return skip (candidate_new ("gnome"), _("GNOME's proxy settings are manual, but name no proxy host"));

  main_text = http != NULL ? with_gnome_credentials (http) : g_strdup (socks != NULL ? socks : https);
  ignore = valid_hosts (read_strv (GP_GNOME_PROXY_SCHEMA, "ignore-hosts"));
  candidate = candidate_for_urls ("gnome", main_text, _("GNOME's proxy settings"),
                                  http != NULL && https != NULL && g_strcmp0 (https, http) != 0
                                  ? (const char *) https : NULL,
                                  (const char * const *) ignore);
  explicit_bzero (main_text, strlen (main_text));
  /* GNOME may keep a password it does not use (authentication off, or no
   * user): a plaintext copy all the same. */
  if (candidate->password != NULL || gnome_holds_password ())
    g_ptr_array_add (candidate->plaintext,
                     g_strdup (_("GNOME's proxy settings (org.gnome.system.proxy.http "
                                 "authentication-password): clear-stale removes it")));
  return candidate;
}

/* --- naming ------------------------------------------------------------------------------ */

static GpProfile *
find_same (GpProfileStore *store,
           GPtrArray      *taken,
           GpProfile      *profile)
{
  GListModel *model = G_LIST_MODEL (store);

  for (guint i = 0; i < g_list_model_get_n_items (model) + taken->len; i++)
    {
      g_autoptr(GpProfile) other = i < g_list_model_get_n_items (model)
                                   ? g_list_model_get_item (model, i)
                                   : g_object_ref (g_ptr_array_index (taken, i - g_list_model_get_n_items (model)));

      if (g_strcmp0 (gp_profile_get_url (other), gp_profile_get_url (profile)) == 0 &&
          g_strcmp0 (gp_profile_get_username (other), gp_profile_get_username (profile)) == 0)
        return other;
    }
  return NULL;
}

static gboolean
name_taken (GpProfileStore *store,
            GPtrArray      *taken,
            const char     *name)
{
  if (gp_profile_store_find (store, name) != NULL)
    return TRUE;
  for (guint i = 0; i < taken->len; i++)
    if (g_strcmp0 (gp_profile_get_name (g_ptr_array_index (taken, i)), name) == 0)
      return TRUE;
  return FALSE;
}

/* taken: the profiles this import made so far (GpProfile). */
void
gp_import_name (GpImportCandidate *candidate,
                GpProfileStore    *store,
                GPtrArray         *taken,
                const char        *name)
{
  g_autoptr(GpProxyUrl) url = NULL;
  g_autofree char *chosen = NULL;
  GpProfile *same;

  if (candidate->profile == NULL)
    return;
  same = find_same (store, taken, candidate->profile);
  if (same != NULL)
    {
      skip (candidate, _("the profile “%s” has the same proxy and username"), gp_profile_get_name (same));
      return;
    }

  url = gp_proxy_url_parse (gp_profile_get_url (candidate->profile), NULL);
  if (name == NULL)
    name = gp_proxy_url_get_host (url);
  chosen = g_strdup (name);
  for (guint n = 2; name_taken (store, taken, chosen); n++)
    {
      g_free (chosen);
      chosen = g_strdup_printf ("%s-%u", name, n);
    }
  gp_profile_set_name (candidate->profile, chosen);
}

GPtrArray *
gp_import_gather (const char *from)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_import_candidate_free);
  g_auto(GStrv) environment = g_get_environ ();
  GpImportCandidate *candidate;

  if ((from == NULL || g_str_equal (from, "env")) &&
      (candidate = gp_import_from_env ((const char * const *) environment)) != NULL)
    g_ptr_array_add (candidates, candidate);
  if ((from == NULL || g_str_equal (from, "gnome")) && (candidate = gp_import_from_gnome ()) != NULL)
    g_ptr_array_add (candidates, candidate);
  return g_steal_pointer (&candidates);
}
