/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "gp-ca.h"
#include "gp-cli-private.h"
#include "gp-no-proxy.h"
#include "gp-probe-result.h"
#include "gp-proxy-url.h"

/* The options add and edit share; strings are NULL when not given and ""
 * when given empty (which clears the field). */
typedef struct
{
  char     *url;
  char     *https_proxy;
  char     *no_proxy;
  char     *username;
  char     *auth;
  char     *rename;
  char     *session_credentials;
  char     *gnome_proxy;
  char     *ca_file;
  gboolean  password_stdin;
} ProfileOptions;

static void
profile_options_clear (ProfileOptions *options)
{
  g_free (options->url);
  g_free (options->https_proxy);
  g_free (options->no_proxy);
  g_free (options->username);
  g_free (options->auth);
  g_free (options->rename);
  g_free (options->session_credentials);
  g_free (options->gnome_proxy);
  g_free (options->ca_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ProfileOptions, profile_options_clear)

#define SHARED_ENTRIES(o) \
  { "https-proxy", 0, 0, G_OPTION_ARG_STRING, &(o).https_proxy, N_("A separate proxy for HTTPS"), N_("URL") }, \
  { "no-proxy", 0, 0, G_OPTION_ARG_STRING, &(o).no_proxy, N_("Hosts and domains to reach directly, comma-separated"), N_("LIST") }, \
  { "username", 0, 0, G_OPTION_ARG_STRING, &(o).username, N_("The proxy username"), N_("USER") }, \
  { "auth", 0, 0, G_OPTION_ARG_STRING, &(o).auth, N_("password, ip (the provider allowlists your address) or none"), N_("MODE") }, \
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &(o).password_stdin, N_("Read the password from standard input (a prompt on a terminal)"), NULL }, \
  { "session-credentials", 0, 0, G_OPTION_ARG_STRING, &(o).session_credentials, N_("yes: the session file holds the credentials too, on disk (default: no)"), N_("yes|no") }, \
  { "gnome-proxy", 0, 0, G_OPTION_ARG_STRING, &(o).gnome_proxy, N_("yes: activate also sets GNOME's proxy settings, never a password (default: no)"), N_("yes|no") }, \
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &(o).ca_file, N_("The CA certificate (PEM) of a TLS-inspecting proxy, - for standard input, '' for none"), N_("PATH") }

/* Tri-state for JSON: -1 is "the keyring could not be asked". */
static int
has_password_state (GpKeyringListing *listing,
                    GpProfile        *profile)
{
  if (gp_profile_get_username (profile) == NULL)
    return 0;
  if (listing == NULL)
    return -1;
  return gp_keyring_listing_has (listing, gp_profile_get_id (profile),
                                      gp_profile_get_username (profile));
}

/* One keyring search answers for every profile; a keyring that cannot be
 * reached gives NULL, and the command still succeeds. */
static GpKeyringListing *
list_passwords (GpCli *cli)
{
  GListModel *model = G_LIST_MODEL (cli->store);
  gboolean any_username = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (model) && !any_username; i++)
    {
      g_autoptr(GpProfile) profile = g_list_model_get_item (model, i);
      any_username = gp_profile_get_username (profile) != NULL;
    }

  /* No profile asks for the listing then: see has_password_state (). */
  if (!any_username)
    return NULL;
  return gp_profile_manager_list_passwords (gp_cli_get_manager (cli), NULL, NULL);
}

static void
add_ca_file_member (JsonBuilder *builder,
                    GpProfile   *profile)
{
  g_autofree char *path = gp_ca_store_has (gp_profile_get_id (profile))
                          ? gp_ca_store_path (gp_profile_get_id (profile)) : NULL;

  gp_json_add_string_or_null (builder, "ca_file", path);
}

static void
add_profile_object (JsonBuilder *builder,
                    GpProfile   *profile,
                    gboolean     active,
                    int          has_password)
{
  const char * const *no_proxy = gp_profile_get_no_proxy (profile);

  json_builder_begin_object (builder);
  gp_json_add_string_or_null (builder, "id", gp_profile_get_id (profile));
  gp_json_add_string_or_null (builder, "name", gp_profile_get_name (profile));
  gp_json_add_string_or_null (builder, "url", gp_profile_get_url (profile));
  gp_json_add_string_or_null (builder, "https_proxy", gp_profile_get_https_proxy (profile));
  json_builder_set_member_name (builder, "no_proxy");
  json_builder_begin_array (builder);
  for (guint i = 0; no_proxy[i] != NULL; i++)
    json_builder_add_string_value (builder, no_proxy[i]);
  json_builder_end_array (builder);
  gp_json_add_string_or_null (builder, "username", gp_profile_get_username (profile));
  gp_json_add_string_or_null (builder, "auth", gp_auth_mode_to_string (gp_profile_get_auth (profile)));
  json_builder_set_member_name (builder, "session_credentials");
  json_builder_add_boolean_value (builder, gp_profile_get_session_credentials (profile));
  json_builder_set_member_name (builder, "gnome_proxy");
  json_builder_add_boolean_value (builder, gp_profile_get_gnome_proxy (profile));
  add_ca_file_member (builder, profile);
  json_builder_set_member_name (builder, "active");
  json_builder_add_boolean_value (builder, active);
  json_builder_set_member_name (builder, "has_password");
  if (has_password < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_boolean_value (builder, has_password);
  json_builder_end_object (builder);
}

static void
print_list_text (GpCli *cli)
{
  GListModel *model = G_LIST_MODEL (cli->store);
  GpProfile *active = gp_profile_store_get_active (cli->store);
  guint n = g_list_model_get_n_items (model);
  glong width = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GpProfile) profile = g_list_model_get_item (model, i);
      width = MAX (width, g_utf8_strlen (gp_profile_get_name (profile), -1));
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GpProfile) profile = g_list_model_get_item (model, i);
      const char *name = gp_profile_get_name (profile);
      glong pad = width - g_utf8_strlen (name, -1);

      g_print ("%c %s%*s  %s\n", profile == active ? '*' : ' ', name, (int) pad, "",
               gp_profile_get_url (profile));
    }

  if (n == 0 && isatty (STDOUT_FILENO))
    g_printerr (_("No profiles yet; add one with “gatepass --headless add NAME URL”\n"));
}

int
gp_cli_cmd_list (GpCli  *cli,
                 int     argc,
                 char  **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GpKeyringListing) listing = NULL;
  g_autoptr(JsonNode) root = NULL;
  GListModel *model = G_LIST_MODEL (cli->store);
  int status;

  if (!gp_cli_parse_options ("list", "", _("List the profiles."), entries, &argc, &argv, 0, 0, &status) ||
      (status = gp_cli_load_store (cli)) != GP_EXIT_OK)
    return status;

  if (!json)
    {
      print_list_text (cli);
      return GP_EXIT_OK;
    }

  listing = list_passwords (cli);
  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GpProfile) profile = g_list_model_get_item (model, i);

      add_profile_object (builder, profile, profile == gp_profile_store_get_active (cli->store),
                          has_password_state (listing, profile));
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  gp_cli_print_json (root);
  return GP_EXIT_OK;
}

static void
print_profile_text (GpProfile *profile,
                    gboolean   active,
                    int        has_password)
{
  const char * const *no_proxy = gp_profile_get_no_proxy (profile);
  g_autofree char *no_proxy_text = g_strjoinv (", ", (char **) no_proxy);
  g_autofree char *ca_path = gp_ca_store_has (gp_profile_get_id (profile))
                             ? gp_ca_store_path (gp_profile_get_id (profile)) : NULL;
  const char *password;

  if (!gp_profile_sends_credentials (profile))
    password = _("not used");
  else if (has_password < 0)
    password = _("unknown (the keyring cannot be reached)");
  else
    password = has_password ? _("stored in the keyring") : _("not stored");

  gp_cli_print_field ("", _("Name:"), gp_profile_get_name (profile));
  gp_cli_print_field ("", _("Id:"), gp_profile_get_id (profile));
  gp_cli_print_field ("", _("URL:"), gp_profile_get_url (profile));
  gp_cli_print_field ("", _("HTTPS proxy:"),
           gp_profile_get_https_proxy (profile) ? gp_profile_get_https_proxy (profile) : _("the URL above"));
  gp_cli_print_field ("", _("No proxy:"), *no_proxy_text ? no_proxy_text : _("(none)"));
  gp_cli_print_field ("", _("Auth:"), gp_auth_mode_to_string (gp_profile_get_auth (profile)));
  gp_cli_print_field ("", _("Username:"),
           gp_profile_get_username (profile) ? gp_profile_get_username (profile) : _("(none)"));
  gp_cli_print_field ("", _("Password:"), password);
  gp_cli_print_field ("", _("Session file:"), gp_profile_get_session_credentials (profile)
                      ? _("with the credentials") : _("without credentials"));
  gp_cli_print_field ("", _("GNOME proxy:"), gp_profile_get_gnome_proxy (profile)
                      ? _("set by activate") : _("not touched"));
  gp_cli_print_field ("", _("CA:"), ca_path != NULL ? ca_path : _("the system's only"));
  gp_cli_print_field ("", _("Active:"), active ? _("yes") : _("no"));
}

int
gp_cli_cmd_show (GpCli  *cli,
                 int     argc,
                 char  **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GpKeyringListing) listing = NULL;
  GpProfile *profile;
  gboolean active;
  int status;

  if (!gp_cli_parse_options ("show", _("NAME"), _("Show one profile."), entries, &argc, &argv, 1, 1, &status) ||
      (status = gp_cli_load_store (cli)) != GP_EXIT_OK ||
      (status = gp_cli_find_profile (cli, argv[1], &profile)) != GP_EXIT_OK)
    return status;

  if (gp_profile_get_username (profile) != NULL)
    listing = gp_profile_manager_list_passwords (gp_cli_get_manager (cli), NULL, NULL);
  active = profile == gp_profile_store_get_active (cli->store);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      add_profile_object (builder, profile, active, has_password_state (listing, profile));
      root = json_builder_get_root (builder);
      gp_cli_print_json (root);
    }
  else
    print_profile_text (profile, active, has_password_state (listing, profile));

  return GP_EXIT_OK;
}

static gboolean
set_proxy_url (GpProfile   *profile,
               const char  *text,
               gboolean     https,
               GError     **error)
{
  g_autoptr(GpProxyUrl) url = NULL;
  g_autofree char *canonical = NULL;

  if (https && *text == '\0')
    {
      gp_profile_set_https_proxy (profile, NULL);
      return TRUE;
    }

  url = gp_proxy_url_parse (text, error);
  if (url == NULL)
    {
      /* The command line's own way to give them, and why not in argv. */
      if (error != NULL && g_error_matches (*error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_HAS_USERINFO))
        {
          g_clear_error (error);
          g_set_error_literal (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_HAS_USERINFO,
                               _("The proxy URL must not contain a username or password: give the "
                                 "username with --username and the password on standard input "
                                 "(--password-stdin), since other users can read command lines"));
        }
      return FALSE;
    }

  canonical = gp_proxy_url_to_string (url);
  if (https)
    gp_profile_set_https_proxy (profile, canonical);
  else
    gp_profile_set_url (profile, canonical);
  return TRUE;
}

static gboolean
apply_auth (GpProfile       *profile,
            ProfileOptions  *options,
            GError         **error)
{
  GpAuthMode auth;

  if (options->auth != NULL)
    {
      if (!gp_auth_mode_from_string (options->auth, &auth))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--auth %s is not one of password, ip, none"), options->auth);
          return FALSE;
        }
      gp_profile_set_auth (profile, auth);
    }
  else if (options->username != NULL && gp_profile_get_auth (profile) == GP_AUTH_NONE &&
           gp_profile_get_username (profile) != NULL)
    /* Giving a username means "log in with it", unless told otherwise. */
    gp_profile_set_auth (profile, GP_AUTH_PASSWORD);
  else if (options->username != NULL && gp_profile_get_username (profile) == NULL &&
           gp_profile_get_auth (profile) == GP_AUTH_PASSWORD)
    gp_profile_set_auth (profile, GP_AUTH_NONE);

  if (gp_profile_get_auth (profile) == GP_AUTH_PASSWORD && gp_profile_get_username (profile) == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Password authentication needs a username: add --username USER"));
      return FALSE;
    }

  if (options->password_stdin && gp_profile_get_auth (profile) != GP_AUTH_PASSWORD)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--password-stdin needs password authentication (--auth password --username USER)"));
      return FALSE;
    }

  return TRUE;
}

/* A yes|no option: NULL (not given) leaves the flag as it is. */
static gboolean
apply_flag (const char  *option,
            const char  *text,
            void       (*set) (GpProfile *, gboolean),
            GpProfile   *profile,
            GError     **error)
{
  if (text == NULL)
    return TRUE;
  if (g_strcmp0 (text, "yes") != 0 && g_strcmp0 (text, "no") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--%s %s is neither yes nor no"), option, text);
      return FALSE;
    }
  set (profile, g_strcmp0 (text, "yes") == 0);
  return TRUE;
}

static gboolean
apply_options (GpProfile       *profile,
               ProfileOptions  *options,
               GError         **error)
{
  if (!apply_flag ("session-credentials", options->session_credentials,
                   gp_profile_set_session_credentials, profile, error) ||
      !apply_flag ("gnome-proxy", options->gnome_proxy, gp_profile_set_gnome_proxy, profile, error))
    return FALSE;

  if (options->rename != NULL && !gp_profile_validate_name (options->rename, error))
    return FALSE;
  if (options->rename != NULL)
    gp_profile_set_name (profile, options->rename);

  if (options->url != NULL && !set_proxy_url (profile, options->url, FALSE, error))
    return FALSE;
  if (options->https_proxy != NULL && !set_proxy_url (profile, options->https_proxy, TRUE, error))
    return FALSE;

  if (options->no_proxy != NULL)
    {
      g_auto(GStrv) hosts = gp_no_proxy_parse (options->no_proxy, error);

      if (hosts == NULL)
        return FALSE;
      gp_profile_set_no_proxy (profile, (const char * const *) hosts);
    }

  if (options->username != NULL)
    gp_profile_set_username (profile, options->username);

  return apply_auth (profile, options, error) && gp_profile_validate (profile, error);
}

static int
read_password_option (ProfileOptions  *options,
                      GpProfile       *profile,
                      GpPassword     **out_password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;

  *out_password = NULL;
  if (!options->password_stdin)
    return GP_EXIT_OK;

  prompt = g_strdup_printf (_("Password for %s at %s: "),
                            gp_profile_get_username (profile), gp_profile_get_name (profile));
  *out_password = gp_cli_read_password (prompt, &error);
  if (*out_password == NULL)
    return gp_cli_fail_error (error);
  return GP_EXIT_OK;
}

/* Reads and checks --ca-file before anything changes. *out_pem stays
 * NULL when the option is not given or is empty (which removes the CA). */
static int
read_ca_option (ProfileOptions  *options,
                char           **out_pem)
{
  g_autoptr(GError) error = NULL;

  *out_pem = NULL;
  if (options->ca_file == NULL || *options->ca_file == '\0')
    return GP_EXIT_OK;
  if (g_strcmp0 (options->ca_file, "-") == 0 && options->password_stdin)
    return gp_cli_fail (GP_EXIT_USAGE, _("--ca-file - and --password-stdin would both read standard "
                                         "input: give the CA certificate as a file"));

  *out_pem = gp_cli_read_ca_file (options->ca_file, &error);
  if (*out_pem == NULL)
    return gp_cli_fail_error (error);
  return GP_EXIT_OK;
}

/* Edit with --ca-file: the CA changes first, and goes back to what it
 * was when the rest of the edit then fails. */
static int
edit_with_ca (GpCli                *cli,
              GpProfile            *edited,
              const char           *ca_pem,
              GpPassword           *password,
              GpProfileUpdateFlags  flags)
{
  GpProfileManager *manager = gp_cli_get_manager (cli);
  const char *id = gp_profile_get_id (edited);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) undo_error = NULL;
  g_autofree char *old_pem = gp_ca_store_read (id, &error);

  if (error != NULL || !gp_profile_manager_set_ca (manager, id, ca_pem, NULL, &error))
    return gp_cli_fail_error (error);
  if (gp_profile_manager_update (manager, edited, password, flags, NULL, &error))
    return GP_EXIT_OK;

  if (!gp_profile_manager_set_ca (manager, id, old_pem, NULL, &undo_error))
    gp_cli_warn (_("the profile's earlier CA certificate could not be put back: %s"), undo_error->message);
  return gp_cli_fail_error (error);
}

/* The user opted in to a password on disk: say so each time it is set. */
static void
warn_session_credentials (GpProfile      *profile,
                          ProfileOptions *options)
{
  if (g_strcmp0 (options->session_credentials, "yes") == 0 && gp_profile_sends_credentials (profile))
    gp_cli_warn (_("while “%s” is active, its password sits on disk in the session file "
                   "(~/.config/environment.d/60-gatepass.conf, readable by you only); "
                   "the running session gets it without that file"), gp_profile_get_name (profile));
}

static void
warn_missing_password (GpProfile  *profile,
                       const char *password)
{
  if (gp_profile_sends_credentials (profile) && password == NULL)
    gp_cli_warn (_("no password is stored for “%s” yet; store it with "
                   "“gatepass --headless set-password %s”"),
                 gp_profile_get_name (profile), gp_profile_get_name (profile));
}

int
gp_cli_cmd_add (GpCli  *cli,
                int     argc,
                char  **argv)
{
  g_auto(ProfileOptions) options = { 0 };
  GOptionEntry entries[] = { SHARED_ENTRIES (options), { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProfile) profile = NULL;
  g_autoptr(GpPassword) password = NULL;
  g_autofree char *id = gp_profile_new_id ();
  g_autofree char *ca_pem = NULL;
  int status;

  if (!gp_cli_parse_options ("add", _("NAME URL"), _("Add a proxy profile."), entries, &argc, &argv, 2, 2, &status))
    return status;

  if (!gp_profile_validate_name (argv[1], &error))
    return gp_cli_fail_error (error);

  profile = gp_profile_new (id);
  gp_profile_set_name (profile, argv[1]);
  options.url = g_strdup (argv[2]);
  if (!apply_options (profile, &options, &error))
    return gp_cli_fail_error (error);

  if ((status = read_ca_option (&options, &ca_pem)) != GP_EXIT_OK ||
      (status = read_password_option (&options, profile, &password)) != GP_EXIT_OK)
    return status;

  if (!gp_profile_manager_add (gp_cli_get_manager (cli), profile, password, NULL, &error))
    return gp_cli_fail_error (error);
  if (ca_pem != NULL && !gp_profile_manager_set_ca (gp_cli_get_manager (cli), id, ca_pem, NULL, &error))
    {
      g_autoptr(GError) undo_error = NULL;

      /* Nothing half-made stays behind. */
      if (!gp_profile_manager_remove (gp_cli_get_manager (cli), id, NULL, &undo_error))
        gp_cli_warn ("%s", undo_error->message);
      return gp_cli_fail_error (error);
    }

  gp_cli_warn_quirks (gp_profile_get_username (profile), password);
  gp_cli_warn_scheme_quirks (profile);
  warn_session_credentials (profile, &options);
  warn_missing_password (profile, password);
  return GP_EXIT_OK;
}

int
gp_cli_cmd_edit (GpCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_auto(ProfileOptions) options = { 0 };
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &options.url, N_("The proxy URL"), N_("URL") },
    SHARED_ENTRIES (options),
    { "rename", 0, 0, G_OPTION_ARG_STRING, &options.rename, N_("A new name for the profile"), N_("NEW") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPassword) password = NULL;
  g_autoptr(GpProfile) edited = NULL;
  g_autofree char *ca_pem = NULL;
  GpProfileUpdateFlags flags;
  GpProfile *profile;
  int status;

  if (!gp_cli_parse_options ("edit", _("NAME"), _("Change a proxy profile."), entries, &argc, &argv, 1, 1, &status) ||
      (status = gp_cli_load_store (cli)) != GP_EXIT_OK ||
      (status = gp_cli_find_profile (cli, argv[1], &profile)) != GP_EXIT_OK)
    return status;

  edited = gp_profile_copy (profile);
  if (!apply_options (edited, &options, &error))
    return gp_cli_fail_error (error);
  if ((status = read_ca_option (&options, &ca_pem)) != GP_EXIT_OK ||
      (status = read_password_option (&options, edited, &password)) != GP_EXIT_OK)
    return status;

  /* An explicit --auth ip|none also deletes items left by older edits. */
  flags = options.auth != NULL ? GP_PROFILE_UPDATE_CLEAR_UNUSED : GP_PROFILE_UPDATE_NONE;
  if (options.ca_file != NULL)
    {
      if ((status = edit_with_ca (cli, edited, ca_pem, password, flags)) != GP_EXIT_OK)
        return status;
    }
  else if (!gp_profile_manager_update (gp_cli_get_manager (cli), edited, password, flags, NULL, &error))
    return gp_cli_fail_error (error);

  gp_cli_warn_quirks (options.username, password);
  if (options.url != NULL || options.https_proxy != NULL)
    gp_cli_warn_scheme_quirks (edited);
  warn_session_credentials (edited, &options);
  return GP_EXIT_OK;
}

int
gp_cli_cmd_remove (GpCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autoptr(GError) error = NULL;
  GpProfile *profile;
  int status;

  if (!gp_cli_parse_options ("remove", _("NAME"), _("Remove a profile and its keyring item."),
                             NULL, &argc, &argv, 1, 1, &status))
    return status;

  if ((status = gp_cli_load_store (cli)) != GP_EXIT_OK ||
      (status = gp_cli_find_profile (cli, argv[1], &profile)) != GP_EXIT_OK)
    return status;

  if (!gp_profile_manager_remove (gp_cli_get_manager (cli), gp_profile_get_id (profile), NULL, &error))
    return gp_cli_fail_error (error);
  return GP_EXIT_OK;
}

int
gp_cli_cmd_set_password (GpCli  *cli,
                         int     argc,
                         char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPassword) password = NULL;
  g_autofree char *prompt = NULL;
  GpProfile *profile;
  int status;

  if (!gp_cli_parse_options ("set-password", _("NAME"),
                             _("Store the password of a profile in the keyring. It is read from "
                               "standard input, or asked for without echo on a terminal."),
                             NULL, &argc, &argv, 1, 1, &status) ||
      (status = gp_cli_load_store (cli)) != GP_EXIT_OK ||
      (status = gp_cli_find_profile (cli, argv[1], &profile)) != GP_EXIT_OK)
    return status;

  if (!gp_profile_sends_credentials (profile))
    return gp_cli_fail (GP_EXIT_USAGE,
                        _("The profile “%s” uses --auth %s and sends no password; switch it with "
                          "“gatepass --headless edit %s --auth password --username USER”"),
                        argv[1], gp_auth_mode_to_string (gp_profile_get_auth (profile)), argv[1]);

  prompt = g_strdup_printf (_("Password for %s at %s: "), gp_profile_get_username (profile), argv[1]);
  password = gp_cli_read_password (prompt, &error);
  if (password == NULL)
    return gp_cli_fail_error (error);

  if (!gp_profile_manager_set_password (gp_cli_get_manager (cli), gp_profile_get_id (profile), password,
                                        NULL, &error))
    return gp_cli_fail_error (error);

  gp_cli_warn_quirks (NULL, password);
  return GP_EXIT_OK;
}
