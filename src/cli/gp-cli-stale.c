/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-cli-private.h"
#include "gp-result-store.h"
#include "gp-sandbox.h"
#include "gp-stale.h"

/* clear-stale: find stale cached credentials (core/gp-stale.c), and
 * remove them unless --dry-run. Never contacts a proxy. */

static const char *
action_for (GpStaleFinding *finding,
            gboolean        dry_run,
            gboolean        removed)
{
  if (!gp_stale_finding_removable (finding))
    return "listed";
  if (dry_run)
    return "would-remove";
  return removed ? "removed" : "failed";
}

static void
add_finding_json (JsonBuilder    *builder,
                  GpStaleFinding *finding,
                  const char     *action)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, gp_stale_kind_to_string (finding->kind));
  gp_json_add_string_or_null (builder, "profile", finding->profile_name);
  gp_json_add_string_or_null (builder, "id", finding->profile_id);
  gp_json_add_string_or_null (builder, "location", finding->location);
  json_builder_set_member_name (builder, "line");
  if (finding->line > 0)
    json_builder_add_int_value (builder, finding->line);
  else
    json_builder_add_null_value (builder);
  gp_json_add_string_or_null (builder, "explanation", finding->explanation);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, action);
  json_builder_end_object (builder);
}

static void
print_finding_text (GpStaleFinding *finding,
                    const char     *action)
{
  const char *label = g_str_equal (action, "removed") ? _("removed")
                      : g_str_equal (action, "would-remove") ? _("would remove")
                      : g_str_equal (action, "listed") ? _("left as it is") : _("not removed");

  g_print ("%s: %s\n", label, finding->explanation);
  if (finding->kind == GP_STALE_REJECTED_CREDENTIAL && g_str_equal (action, "removed"))
    g_print ("  %s\n", _("Store the new password with:"));
  if (finding->kind == GP_STALE_REJECTED_CREDENTIAL && g_str_equal (action, "removed"))
    g_print ("  gatepass --headless set-password %s\n", finding->profile_name);
}

/* "unavailable": what the sandbox cannot reach; only when there is any,
 * so that the host's output stays as it was. */
static void
add_unreachable_json (JsonBuilder *builder,
                      GPtrArray   *unreachable)
{
  if (unreachable->len == 0)
    return;
  json_builder_set_member_name (builder, "unavailable");
  json_builder_begin_array (builder);
  for (guint i = 0; i < unreachable->len; i++)
    {
      GpStaleFinding *place = g_ptr_array_index (unreachable, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, gp_stale_kind_to_string (place->kind));
      gp_json_add_string_or_null (builder, "location", place->location);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, GP_SANDBOX_REASON);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_unreachable_text (GPtrArray *unreachable)
{
  for (guint i = 0; i < unreachable->len; i++)
    {
      GpStaleFinding *place = g_ptr_array_index (unreachable, i);

      g_print (_("unavailable: %s: %s, %s (%s)\n"), GP_SANDBOX_REASON,
               gp_stale_kind_to_string (place->kind), place->location, place->explanation);
    }
}

int
gp_cli_cmd_clear_stale (GpCli  *cli,
                        int     argc,
                        char  **argv)
{
  gboolean json = FALSE, dry_run = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("List what would be removed, and change nothing"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) unreachable = gp_stale_unreachable ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *results_dir = gp_result_store_default_dir ();
  gboolean session_redone = FALSE;
  int status = GP_EXIT_OK;

  if (!gp_cli_parse_options ("clear-stale", "",
                             _("Find stale cached proxy credentials (passwords the proxy rejected, "
                               "keyring items no profile uses, plaintext copies) and remove them."),
                             entries, &argc, &argv, 0, 0, &status) ||
      (status = gp_cli_load_store (cli)) != GP_EXIT_OK)
    return status;

  findings = gp_stale_find (gp_cli_get_manager (cli), results_dir, NULL, &error);
  if (findings == NULL)
    return gp_cli_fail_error (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < findings->len; i++)
    {
      GpStaleFinding *finding = g_ptr_array_index (findings, i);
      g_autoptr(GError) remove_error = NULL;
      gboolean removed = FALSE;
      const char *action;

      if (!dry_run && gp_stale_finding_removable (finding))
        removed = gp_stale_remove (gp_cli_get_manager (cli), finding, &session_redone, NULL, &remove_error);
      if (remove_error != NULL)
        {
          gp_cli_warn (_("%s: %s"), finding->explanation, remove_error->message);
          status = gp_cli_status_for_error (remove_error);
        }
      action = action_for (finding, dry_run, removed);
      if (json)
        add_finding_json (builder, finding, action);
      else
        print_finding_text (finding, action);
    }
  json_builder_end_array (builder);
  add_unreachable_json (builder, unreachable);
  json_builder_end_object (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);

      gp_cli_print_json (root);
    }
  else
    {
      print_unreachable_text (unreachable);
      if (findings->len == 0)
        g_print ("%s\n", _("No stale credentials found."));
    }
  return status;
}
