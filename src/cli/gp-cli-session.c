/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-cli-private.h"
#include "gp-session.h"

/* activate, deactivate and status: the active profile and the desktop
 * session (core/gp-session.c does the applying). */

static void
keep_note (GpProfileManager *manager,
           const GError     *note,
           GError          **kept)
{
  g_clear_error (kept);
  *kept = g_error_copy (note);
}

/* Exit 3 or 5 when the session got the proxy without its credentials;
 * a place that could not be reached is only said (by the warning). */
static int
status_for_note (const GError *note)
{
  if (note == NULL)
    return GP_EXIT_OK;
  if (note->domain == GP_SECRET_ERROR)
    return GP_EXIT_KEYRING;
  if (g_error_matches (note, GP_SESSION_ERROR, GP_SESSION_ERROR_NO_PASSWORD))
    return GP_EXIT_NO_PASSWORD;
  if (g_error_matches (note, GP_SESSION_ERROR, GP_SESSION_ERROR_FAILED))
    return GP_EXIT_FAILED;
  return GP_EXIT_OK;
}

static int
set_active (GpCli      *cli,
            GpProfile  *profile)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) note = NULL;
  GpProfileManager *manager = gp_cli_get_manager (cli);
  gulong handler;
  gboolean ok;

  handler = g_signal_connect (manager, "warning", G_CALLBACK (keep_note), &note);
  ok = gp_profile_manager_activate (manager, profile ? gp_profile_get_id (profile) : NULL, NULL, &error);
  g_signal_handler_disconnect (manager, handler);
  if (!ok)
    return gp_cli_fail_error (error);
  return status_for_note (note);
}

int
gp_cli_cmd_activate (GpCli  *cli,
                     int     argc,
                     char  **argv)
{
  gboolean login = FALSE;
  GOptionEntry entries[] = {
    { "login", 0, 0, G_OPTION_ARG_NONE, &login,
      N_("Re-apply the active profile, with its password from the keyring (the autostart entry runs this at login)"), NULL },
    { NULL }
  };
  GpProfile *profile = NULL;
  int status;

  if (!gp_cli_parse_options ("activate", _("NAME"),
                             _("Make a profile the active one and apply it to the desktop session: "
                               "the session file (environment.d), the running session's environment, "
                               "GNOME's proxy settings when the profile asks for it, and an autostart "
                               "entry that re-applies it at login."),
                             entries, &argc, &argv, 0, 1, &status))
    return status;
  /* --login is known only once the options are parsed. */
  if (login ? argc != 1 : argc != 2)
    return gp_cli_fail (GP_EXIT_USAGE, login
                        ? _("activate --login takes no NAME: it applies the active profile again")
                        : _("activate expects NAME (or --login); see “gatepass --headless activate --help”"));
  if ((status = gp_cli_load_store (cli)) != GP_EXIT_OK)
    return status;

  if (login)
    profile = gp_profile_store_get_active (cli->store);
  else if ((status = gp_cli_find_profile (cli, argv[1], &profile)) != GP_EXIT_OK)
    return status;
  return set_active (cli, profile);
}

int
gp_cli_cmd_deactivate (GpCli  *cli,
                       int     argc,
                       char  **argv)
{
  int status;

  if (!gp_cli_parse_options ("deactivate", "",
                             _("Make no profile active, and undo exactly what activate applied to "
                               "the session."),
                             NULL, &argc, &argv, 0, 0, &status) ||
      (status = gp_cli_load_store (cli)) != GP_EXIT_OK)
    return status;
  return set_active (cli, NULL);
}

/* --- status --------------------------------------------------------------------- */

static void
add_place (JsonBuilder          *builder,
           const char           *name,
           const GpSessionPlace *place)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, gp_session_place_state_to_string (place->state));
}

static void
add_session_file (JsonBuilder     *builder,
                  GpSessionStatus *status)
{
  json_builder_set_member_name (builder, "session_file");
  if (status->session_file == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, status->session_file);
  json_builder_set_member_name (builder, "credentials");
  json_builder_add_boolean_value (builder, status->file_credentials);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, status->file_state);
  json_builder_end_object (builder);
}

/* "reasons": place → machine-readable reason (GP_SANDBOX_REASON), only
 * when a place has one, so that the host's output stays as it was. */
static void
add_reasons (JsonBuilder     *builder,
             GpSessionStatus *status)
{
  const struct { const char *name; const GpSessionPlace *place; } places[] = {
    { "systemd", &status->systemd }, { "activation_environment", &status->activation },
    { "gnome_proxy", &status->gnome }, { "autostart", &status->autostart },
  };
  gboolean any = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    any |= places[i].place->code != NULL;
  if (!any)
    return;
  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    if (places[i].place->code != NULL)
      {
        json_builder_set_member_name (builder, places[i].name);
        json_builder_add_string_value (builder, places[i].place->code);
      }
  json_builder_end_object (builder);
}

static void
print_status_json (const char      *active,
                   GpSessionStatus *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "active");
  active != NULL ? json_builder_add_string_value (builder, active) : json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "apply");
  active != NULL ? json_builder_add_string_value (builder, "direct") : json_builder_add_null_value (builder);
  add_session_file (builder, status);
  add_place (builder, "systemd", &status->systemd);
  add_place (builder, "activation_environment", &status->activation);
  add_place (builder, "gnome_proxy", &status->gnome);
  add_place (builder, "autostart", &status->autostart);
  add_reasons (builder, status);
  json_builder_set_member_name (builder, "credentials");
  status->credentials != NULL ? json_builder_add_string_value (builder, status->credentials)
                              : json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "forwarder");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < status->problems->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (status->problems, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  gp_cli_print_json (root);
}

static char *
place_text (const GpSessionPlace *place)
{
  switch (place->state)
    {
    case GP_SESSION_PLACE_APPLIED:
      return g_strdup (_("applied"));
    case GP_SESSION_PLACE_UNAVAILABLE:
      if (place->code != NULL)
        return g_strdup_printf (_("unavailable: %s (%s)"), place->code, place->reason);
      return place->reason != NULL ? g_strdup_printf (_("unavailable: %s"), place->reason)
                                   : g_strdup (_("unavailable"));
    case GP_SESSION_PLACE_NOT_REQUESTED:
    default:
      return g_strdup (_("not requested"));
    }
}

static char *
file_text (GpSessionStatus *status)
{
  if (status->session_file == NULL)
    return g_strdup (_("none"));
  return g_strdup_printf ("%s (%s, %s)",
                          g_str_equal (status->file_state, "applied") ? _("applied")
                          : g_str_equal (status->file_state, "missing") ? _("missing") : _("changed by hand"),
                          status->session_file,
                          status->file_credentials ? _("with the credentials") : _("without credentials"));
}

static void
print_status_text (const char      *active,
                   GpSessionStatus *status)
{
  const struct { const char *label; const GpSessionPlace *place; } places[] = {
    { N_("systemd user manager:"), &status->systemd },
    { N_("Activation environment:"), &status->activation },
    { N_("GNOME proxy settings:"), &status->gnome },
    { N_("Autostart at login:"), &status->autostart },
  };
  g_autofree char *file = file_text (status);

  gp_cli_print_field ("", _("Active profile:"), active != NULL ? active : _("none"));
  gp_cli_print_field ("", _("Session file:"), file);
  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      g_autofree char *text = place_text (places[i].place);

      gp_cli_print_field ("", _(places[i].label), text);
    }
  for (guint i = 0; i < status->problems->len; i++)
    gp_cli_print_field ("", _("Differs:"), g_ptr_array_index (status->problems, i));
}

/* The reasons go to stderr for --json, once each. */
static void
warn_unavailable (GpSessionStatus *status)
{
  const GpSessionPlace *places[] = { &status->systemd, &status->activation, &status->gnome, &status->autostart };
  const char *names[] = { N_("the systemd user manager"), N_("the activation environment"),
                          N_("GNOME's proxy settings"), N_("the autostart entry") };

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    if (places[i]->state == GP_SESSION_PLACE_UNAVAILABLE && places[i]->reason != NULL)
      gp_cli_warn (_("%s: %s"), _(names[i]), places[i]->reason);
}

static void
add_active_mismatch (GpSessionStatus *status,
                     GpProfile       *active)
{
  const char *applied = status->profile_id;

  if (active != NULL && g_strcmp0 (applied, gp_profile_get_id (active)) != 0)
    g_ptr_array_add (status->problems,
                     g_strdup_printf (_("“%s” is the active profile, but the session has %s applied: "
                                        "run “gatepass --headless activate %s”"),
                                      gp_profile_get_name (active),
                                      applied != NULL ? status->profile_name : _("nothing"),
                                      gp_profile_get_name (active)));
  else if (active == NULL && applied != NULL)
    g_ptr_array_add (status->problems,
                     g_strdup_printf (_("No profile is active, but the session still has “%s” applied: "
                                        "run “gatepass --headless deactivate”"), status->profile_name));
}

int
gp_cli_cmd_status (GpCli  *cli,
                   int     argc,
                   char  **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GpSessionStatus) status = NULL;
  GpProfile *active;
  int exit_status;

  if (!gp_cli_parse_options ("status", "",
                             _("Show the active profile and where it is applied now, checked "
                               "against what activate recorded."),
                             entries, &argc, &argv, 0, 0, &exit_status) ||
      (exit_status = gp_cli_load_store (cli)) != GP_EXIT_OK)
    return exit_status;

  active = gp_profile_store_get_active (cli->store);
  status = gp_session_get_status ();
  add_active_mismatch (status, active);
  if (json)
    {
      warn_unavailable (status);
      print_status_json (active != NULL ? gp_profile_get_name (active) : NULL, status);
    }
  else
    print_status_text (active != NULL ? gp_profile_get_name (active) : NULL, status);
  return GP_EXIT_OK;
}
