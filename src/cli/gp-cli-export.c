/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "gp-cli-private.h"
#include "gp-env.h"

static int
variables_for (GpCli       *cli,
               GpProfile   *profile,
               GPtrArray  **out_variables)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPassword) password = NULL;

  if (gp_profile_sends_credentials (profile))
    {
      password = gp_secret_store_lookup (gp_cli_get_secrets (cli), gp_profile_get_id (profile),
                                         gp_profile_get_username (profile), NULL, &error);
      if (error != NULL)
        return gp_cli_fail_error (error);
      if (password == NULL)
        return gp_cli_fail (GP_EXIT_NO_PASSWORD,
                            _("The profile “%s” needs a password and none is stored; store it with "
                              "“gatepass --headless set-password %s”"),
                            gp_profile_get_name (profile), gp_profile_get_name (profile));
      gp_cli_warn_quirks (gp_profile_get_username (profile), password);
    }

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

  fputs (output, stdout);
  explicit_bzero (output, strlen (output));
  return GP_EXIT_OK;
}
