/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "gp-ca.h"
#include "gp-cli-private.h"
#include "gp-env.h"
#include "gp-proxy-url.h"
#include "gp-result-store.h"

/* One whole sentence per client, each with what the client does, so that
 * the user knows which of their tools will fail and how it shows. */
static void
warn_unusable_scheme (GpProxyClients  client,
                      const char     *scheme)
{
  switch (client)
    {
    case GP_PROXY_CLIENT_WGET:
      gp_cli_warn (_("wget cannot use a %s:// proxy from the variables; it stops with "
                     "“Unsupported scheme”"), scheme);
      break;
    case GP_PROXY_CLIENT_PYTHON_URLLIB:
      gp_cli_warn (_("Python's urllib cannot use a %s:// proxy from the variables; it stops with "
                     "“unknown url type”"), scheme);
      break;
    case GP_PROXY_CLIENT_PYTHON_REQUESTS:
      gp_cli_warn (_("Python's requests can use a %s:// proxy from the variables only when PySocks "
                     "(python3-socks) is installed"), scheme);
      break;
    case GP_PROXY_CLIENT_APT:
      gp_cli_warn (_("apt cannot use a socks5:// proxy from the variables, only socks5h://; it stops "
                     "with “Unsupported proxy configured”"));
      break;
    case GP_PROXY_CLIENT_GO:
      gp_cli_warn (_("Go's net/http (1.19, as in Debian 12) cannot use a socks5h:// proxy from the "
                     "variables, only socks5://; it takes “socks5h” for the proxy's host name"));
      break;
    case GP_PROXY_CLIENT_NONE:
    default:
      break;
    }
}

/* A SOCKS URL lands in http_proxy and https_proxy (and all_proxy), where
 * some clients cannot use it: say which, once per client, naming the
 * scheme it fails on. */
void
gp_cli_warn_scheme_quirks (GpProfile *profile)
{
  const char *urls[] = { gp_profile_get_url (profile), gp_profile_get_https_proxy (profile) };
  GpProxyClients warned = GP_PROXY_CLIENT_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GpProxyUrl) url = urls[i] != NULL ? gp_proxy_url_parse (urls[i], NULL) : NULL;
      GpProxyClients clients;

      if (url == NULL)
        continue;

      clients = gp_proxy_scheme_unusable_by (gp_proxy_url_get_scheme (url)) & ~warned;
      for (guint bit = 1; bit != 0 && bit <= clients; bit <<= 1)
        if (clients & bit)
          warn_unusable_scheme (bit, gp_proxy_scheme_to_string (gp_proxy_url_get_scheme (url)));
      warned |= clients;
    }
}

static gboolean
has_socks_url (GpProfile *profile)
{
  const char *urls[] = { gp_profile_get_url (profile), gp_profile_get_https_proxy (profile) };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GpProxyUrl) url = urls[i] != NULL ? gp_proxy_url_parse (urls[i], NULL) : NULL;

      if (url != NULL && (gp_proxy_url_get_scheme (url) == GP_PROXY_SCHEME_SOCKS5 ||
                          gp_proxy_url_get_scheme (url) == GP_PROXY_SCHEME_SOCKS5H))
        return TRUE;
    }
  return FALSE;
}

/* npm 9 (Debian 12's) joins a SOCKS proxy's username and password with
 * ":" and splits them again at the first ":". */
static void
warn_socks_colon (GpProfile  *profile,
                  const char *password)
{
  const char *username = gp_profile_get_username (profile);

  if (!has_socks_url (profile) ||
      (strchr (password, ':') == NULL && (username == NULL || strchr (username, ':') == NULL)))
    return;
  gp_cli_warn (_("npm 9 (as in Debian 12) cuts a SOCKS proxy's credentials at their first “:”, so this "
                 "username or password reaches the proxy altered; npm 10 and later send it whole"));
}

/* Which recorded result the Basic warning was last given for: its
 * tested_at, kept apart from the result file, which `test` may be
 * rewriting at the same moment. */
static char *
basic_marker_path (GpProfile *profile)
{
  return g_build_filename (g_get_user_state_dir (), "gatepass", "export-warned",
                           gp_profile_get_id (profile), NULL);
}

/* The tested_at of the profile's recorded result when that result found
 * no Basic among the proxy's schemes, else NULL. A missing or unreadable
 * result is no reason to fail an export. */
static char *
basic_missing_since (GpProfile *profile)
{
  g_autofree char *dir = gp_result_store_default_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpStoredResult) stored = gp_result_store_load (dir, gp_profile_get_id (profile), &error);

  if (stored == NULL)
    {
      if (error != NULL)
        g_debug ("No Basic check on export: %s", error->message);
      return NULL;
    }
  if (gp_probe_result_get_basic_offered (stored->result) != 0)
    return NULL;
  return g_steal_pointer (&stored->tested_at);
}

static void
remember_warning (const char *path,
                  const char *what)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (path, what, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Cannot remember the warning in %s: %s", path,
             error != NULL ? error->message : g_strerror (errno));
}

/* A Digest- or NTLM-only proxy tests ok, yet clients that read the
 * variables answer with Basic only and get 407. A login script runs
 * export every time: warn once per recorded result, again after a new
 * test. */
static void
warn_basic_missing (GpProfile *profile)
{
  g_autofree char *tested_at = basic_missing_since (profile);
  g_autofree char *path = NULL;
  g_autofree char *warned_for = NULL;

  if (tested_at == NULL)
    return;

  path = basic_marker_path (profile);
  if (g_file_get_contents (path, &warned_for, NULL, NULL) && g_strcmp0 (warned_for, tested_at) == 0)
    return;

  gp_cli_warn (_("the last test of “%s” found that its proxy offers no Basic authentication; curl, "
                 "wget, git, Python and Go send only Basic from the variables and get 407 from it. "
                 "What works: curl --proxy-anyauth, or a client's own proxy authentication setting. "
                 "This is said once for each test result."),
               gp_profile_get_name (profile));
  remember_warning (path, tested_at);
}

/* wget and apt take their CAs from their own files only. Said once for
 * each version of the bundle, whichever command built it (test builds
 * it too), not on every login: the marker holds the bundle's stamp. */
static void
warn_ca_by_file (GpProfile  *profile,
                 const char *bundle)
{
  gp_cli_warn (_("the variables point curl, Python, OpenSSL, Node.js and git at a bundle with the CA "
                 "of “%s” (%s); wget and apt read no variable for it: wget needs “ca_certificate = %s” "
                 "in ~/.wgetrc, apt needs “Acquire::https::CaInfo \"%s\";” in a file under "
                 "/etc/apt/apt.conf.d/. This is said again only when the bundle is rebuilt."),
               gp_profile_get_name (profile), bundle, bundle, bundle);
}

static void
warn_ca_once (GpProfile  *profile,
              const char *bundle)
{
  g_autofree char *name = g_strconcat (gp_profile_get_id (profile), ".ca", NULL);
  g_autofree char *marker = g_build_filename (g_get_user_state_dir (), "gatepass", "export-warned", name, NULL);
  g_autofree char *stamp = gp_ca_store_file_stamp (bundle);
  g_autofree char *warned_for = NULL;

  if (stamp == NULL ||
      (g_file_get_contents (marker, &warned_for, NULL, NULL) && g_strcmp0 (warned_for, stamp) == 0))
    return;
  warn_ca_by_file (profile, bundle);
  remember_warning (marker, stamp);
}

/* The bundle the CA variables name must exist before they are printed. */
static int
ensure_ca_bundle (GpProfile *profile)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bundle = NULL;

  bundle = gp_ca_store_ensure_bundle (gp_profile_get_id (profile), NULL, &error);
  if (error != NULL)
    return gp_cli_fail_error (error);
  if (bundle != NULL)
    warn_ca_once (profile, bundle);
  return GP_EXIT_OK;
}

static int
variables_for (GpCli       *cli,
               GpProfile   *profile,
               GPtrArray  **out_variables)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPassword) password = NULL;
  int status;

  if (gp_profile_sends_credentials (profile))
    {
      password = gp_profile_manager_lookup_password (gp_cli_get_manager (cli), profile, NULL, &error);
      if (error != NULL)
        return gp_cli_fail_error (error);
      if (password == NULL)
        return gp_cli_fail (GP_EXIT_NO_PASSWORD,
                            _("The profile “%s” needs a password and none is stored; store it with "
                              "“gatepass --headless set-password %s”"),
                            gp_profile_get_name (profile), gp_profile_get_name (profile));
      gp_cli_warn_quirks (gp_profile_get_username (profile), password);
      warn_socks_colon (profile, password);
    }

  if ((status = ensure_ca_bundle (profile)) != GP_EXIT_OK)
    return status;
  *out_variables = gp_env_variables_for_profile (profile, password);
  return GP_EXIT_OK;
}

int
gp_cli_cmd_export (GpCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *format_name = NULL;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      N_("sh (the default), fish, csh, environment.d or json"), N_("FORMAT") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) variables = NULL;
  g_autofree char *output = NULL;
  GpEnvFormat format = GP_ENV_FORMAT_SH;
  GpProfile *profile;
  int status;

  if (!gp_cli_parse_options ("export", _("[NAME]"),
                             _("Print the proxy variables of a profile (the active one when NAME "
                               "is not given), with the credentials percent-encoded."),
                             entries, &argc, &argv, 0, 1, &status))
    return status;

  if (format_name != NULL && !gp_env_format_from_string (format_name, &format))
    return gp_cli_fail (GP_EXIT_USAGE,
                        _("--format %s is not one of sh, fish, csh, environment.d, json"), format_name);

  if ((status = gp_cli_load_store (cli)) != GP_EXIT_OK)
    return status;

  if (argc > 1 && (status = gp_cli_find_profile (cli, argv[1], &profile)) != GP_EXIT_OK)
    return status;
  if (argc <= 1)
    profile = gp_profile_store_get_active (cli->store);

  /* No active profile: print what clears the variables. */
  if (profile == NULL)
    variables = g_ptr_array_new ();
  else if ((status = variables_for (cli, profile, &variables)) != GP_EXIT_OK)
    return status;

  output = gp_env_render (variables, format, &error);
  if (output == NULL)
    return gp_cli_fail_error (error);

  if (profile != NULL)
    {
      gp_cli_warn_scheme_quirks (profile);
      warn_basic_missing (profile);
    }

  fputs (output, stdout);
  explicit_bzero (output, strlen (output));
  return GP_EXIT_OK;
}
