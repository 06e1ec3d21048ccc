/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-cli-private.h"
#include "gp-import.h"
#include "gp-probe-result.h"
#include "gp-sandbox.h"

/* import: profiles from the calling environment and GNOME's settings
 * (core/gp-import.c), their credentials moved to the keyring. */

typedef struct
{
  JsonBuilder *imported;
  JsonBuilder *skipped;
  JsonBuilder *unavailable;   /* sources out of reach, as clear-stale's "unavailable" */
  guint        n_unavailable;
  GPtrArray   *plaintext;
} Report;

static void
report_unavailable (Report            *report,
                    GpImportCandidate *candidate,
                    gboolean           json)
{
  json_builder_begin_object (report->unavailable);
  gp_json_add_string_or_null (report->unavailable, "source", candidate->source);
  gp_json_add_string_or_null (report->unavailable, "reason", candidate->unavailable);
  json_builder_end_object (report->unavailable);
  report->n_unavailable++;
  if (!json)
    g_print (_("unavailable: %s: %s (%s)\n"), candidate->unavailable, candidate->source, candidate->skipped);
}

static void
report_skipped (Report            *report,
                GpImportCandidate *candidate,
                gboolean           json)
{
  json_builder_begin_object (report->skipped);
  gp_json_add_string_or_null (report->skipped, "source", candidate->source);
  gp_json_add_string_or_null (report->skipped, "reason", candidate->skipped);
  json_builder_end_object (report->skipped);
  if (!json)
    g_print (_("skipped (%s): %s\n"), candidate->source, candidate->skipped);
}

static void
report_imported (Report            *report,
                 GpImportCandidate *candidate,
                 gboolean           dry_run,
                 gboolean           json)
{
  const char *credentials = candidate->password != NULL ? "moved-to-keyring" : "none";

  json_builder_begin_object (report->imported);
  gp_json_add_string_or_null (report->imported, "profile", gp_profile_get_name (candidate->profile));
  gp_json_add_string_or_null (report->imported, "source", candidate->source);
  gp_json_add_string_or_null (report->imported, "url", gp_profile_get_url (candidate->profile));
  gp_json_add_string_or_null (report->imported, "credentials", credentials);
  json_builder_end_object (report->imported);
  for (guint i = 0; i < candidate->plaintext->len; i++)
    g_ptr_array_add (report->plaintext, g_strdup (g_ptr_array_index (candidate->plaintext, i)));
  if (!json)
    g_print (dry_run ? _("would import “%s” (%s) from %s%s\n") : _("imported “%s” (%s) from %s%s\n"),
             gp_profile_get_name (candidate->profile), gp_profile_get_url (candidate->profile),
             candidate->source, candidate->password != NULL ? _(", its password into the keyring") : "");
}

static void
print_json (Report *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "imported");
  json_builder_end_array (report->imported);
  json_builder_add_value (builder, json_builder_get_root (report->imported));
  json_builder_set_member_name (builder, "skipped");
  json_builder_end_array (report->skipped);
  json_builder_add_value (builder, json_builder_get_root (report->skipped));
  /* Only when a source was out of reach: the host's output stays as it was. */
  json_builder_end_array (report->unavailable);
  if (report->n_unavailable > 0)
    {
      json_builder_set_member_name (builder, "unavailable");
      json_builder_add_value (builder, json_builder_get_root (report->unavailable));
    }
  json_builder_set_member_name (builder, "plaintext_left");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->plaintext->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (report->plaintext, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  gp_cli_print_json (root);
}

static int
import_one (GpCli             *cli,
            GpImportCandidate *candidate,
            GPtrArray         *taken,
            const char        *name,
            gboolean           dry_run)
{
  g_autoptr(GError) error = NULL;

  gp_import_name (candidate, cli->store, taken, name);
  if (candidate->profile == NULL)
    return GP_EXIT_OK;
  if (!dry_run &&
      !gp_profile_manager_add (gp_cli_get_manager (cli), candidate->profile, candidate->password, NULL, &error))
    return gp_cli_fail_error (error);
  g_ptr_array_add (taken, g_object_ref (candidate->profile));
  return GP_EXIT_OK;
}

/* --from gnome asked for one source only, and it was out of reach: that
 * is a failure (CLI.md's "another failure"), not "nothing to import".
 * Without --from, the proxy variables were still read: a success, with
 * the other source reported unavailable, as status does. */
static int
only_source_unavailable (const char *from,
                         Report     *report)
{
  if (from == NULL || report->n_unavailable == 0)
    return GP_EXIT_OK;
  return gp_cli_fail (GP_EXIT_FAILED,
                      _("GNOME's proxy settings on the host: unavailable: %s (%s); inside the Flatpak, "
                        "import the proxy variables with --from env, or add the profile with add"),
                      GP_SANDBOX_REASON, gp_sandbox_unreachable_reason ());
}

int
gp_cli_cmd_import (GpCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *name = NULL;
  gboolean dry_run = FALSE, json = FALSE;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("env (the proxy variables) or gnome (GNOME's proxy settings); both by default"), N_("SOURCE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The new profile's name (default: the proxy's host)"), N_("NAME") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would be imported, and change nothing"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonBuilder) imported = json_builder_new ();
  g_autoptr(JsonBuilder) skipped = json_builder_new ();
  g_autoptr(JsonBuilder) unavailable = json_builder_new ();
  g_autoptr(GPtrArray) plaintext = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  Report report = { imported, skipped, unavailable, 0, plaintext };
  int status;

  if (!gp_cli_parse_options ("import", "",
                             _("Create profiles from the proxy variables of this environment and from "
                               "GNOME's proxy settings; passwords found there go into the keyring."),
                             entries, &argc, &argv, 0, 0, &status) ||
      (status = gp_cli_load_store (cli)) != GP_EXIT_OK)
    return status;
  if (from != NULL && !g_str_equal (from, "env") && !g_str_equal (from, "gnome"))
    return gp_cli_fail (GP_EXIT_USAGE, _("--from %s is neither env nor gnome"), from);
  if (name != NULL && !gp_profile_validate_name (name, &error))
    return gp_cli_fail_error (error);

  candidates = gp_import_gather (from);
  json_builder_begin_array (imported);
  json_builder_begin_array (skipped);
  json_builder_begin_array (unavailable);
  for (guint i = 0; i < candidates->len; i++)
    {
      GpImportCandidate *candidate = g_ptr_array_index (candidates, i);

      if ((status = import_one (cli, candidate, taken, name, dry_run)) != GP_EXIT_OK)
        return status;
      if (candidate->profile != NULL)
        report_imported (&report, candidate, dry_run, json);
      else if (candidate->unavailable != NULL)
        report_unavailable (&report, candidate, json);
      else
        report_skipped (&report, candidate, json);
    }

  if (json)
    print_json (&report);
  else if (candidates->len == 0)
    g_print ("%s\n", _("Nothing to import: no proxy variables are set, and GNOME's proxy settings name no proxy."));
  for (guint i = 0; !json && i < plaintext->len; i++)
    g_print (_("A plaintext copy is left in %s\n"), (char *) g_ptr_array_index (plaintext, i));
  return only_source_unavailable (from, &report);
}
