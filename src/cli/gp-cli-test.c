/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-cli-private.h"
#include "gp-prober.h"
#include "gp-result-store.h"
#include "gp-settings.h"
#include "gp-verdict.h"

/* Enough to keep a proxy busy, few enough that 1,000 profiles do not
 * exhaust file descriptors (each probe holds two or three). */
#define MAX_IN_FLIGHT 64
#define MAX_TIMEOUT   600

typedef struct
{
  GpCli      *cli;
  GpProber   *prober;
  GPtrArray  *profiles;   /* GpProfile, in profile order */
  GPtrArray  *results;    /* GpProbeResult or NULL, same order */
  char       *result_dir;
  guint       next;
  guint       in_flight;
  guint       done;
  GMainLoop  *loop;
} TestRun;

typedef struct
{
  TestRun *run;
  guint    index;
  gint64   credential_modified;
} ProbeSlot;

static void start_more (TestRun *run);

static void
store_result (TestRun       *run,
              guint          index,
              GpProbeResult *result,
              gint64         credential_modified)
{
  GpProfile *profile = g_ptr_array_index (run->profiles, index);
  g_autoptr(GError) error = NULL;

  /* A result that cannot be kept is worth a warning, not a failure. */
  if (!gp_result_store_save (run->result_dir, profile, result, credential_modified, &error))
    gp_cli_warn (_("cannot keep the result of “%s”: %s"), gp_profile_get_name (profile), error->message);

  g_ptr_array_index (run->results, index) = g_object_ref (result);
  run->done++;
  if (run->done == run->profiles->len)
    g_main_loop_quit (run->loop);
}

static GpProbeResult *
result_from_error (GpProfile    *profile,
                   GpVerdict     verdict,
                   const GError *error,
                   const char   *target)
{
  GpProbeResult *result = gp_probe_result_new (gp_profile_get_name (profile));

  gp_probe_result_set_verdict (result, verdict);
  gp_probe_result_set_detail (result, error->message);
  gp_verdict_explain (result, profile, target);
  return result;
}

static void
on_probe_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  ProbeSlot *slot = user_data;
  TestRun *run = slot->run;
  GpProfile *profile = g_ptr_array_index (run->profiles, slot->index);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProbeResult) result = gp_prober_probe_finish (GP_PROBER (source), res, &error);

  if (result == NULL)
    result = result_from_error (profile, GP_VERDICT_UNREACHABLE, error,
                                gp_prober_get_ip_echo_url (run->prober));

  run->in_flight--;
  store_result (run, slot->index, result, slot->credential_modified);
  g_free (slot);
  start_more (run);
}

static void
start_one (TestRun *run,
           guint    index)
{
  GpProfile *profile = g_ptr_array_index (run->profiles, index);
  g_autoptr(GpPassword) password = NULL;
  g_autoptr(GError) error = NULL;
  guint64 modified = 0;
  ProbeSlot *slot;

  if (gp_profile_sends_credentials (profile))
    {
      password = gp_secret_store_lookup_full (gp_cli_get_secrets (run->cli), gp_profile_get_id (profile),
                                              gp_profile_get_username (profile), &modified, NULL, &error);
      if (error != NULL)
        {
          g_autoptr(GpProbeResult) result =
            result_from_error (profile, GP_VERDICT_KEYRING_ERROR, error, gp_prober_get_ip_echo_url (run->prober));
          store_result (run, index, result, -1);
          return;
        }
    }

  slot = g_new0 (ProbeSlot, 1);
  slot->run = run;
  slot->index = index;
  slot->credential_modified = password != NULL ? (gint64) modified : -1;
  run->in_flight++;
  gp_prober_probe_async (run->prober, profile, password, NULL, on_probe_done, slot);
}

static void
start_more (TestRun *run)
{
  while (run->in_flight < MAX_IN_FLIGHT && run->next < run->profiles->len)
    start_one (run, run->next++);
}

static void
print_timings (GpProbeResult *result)
{
  gint64 connect_ms, tls_ms, first_byte_ms;
  g_autoptr(GString) parts = g_string_new (NULL);
  g_autofree char *elapsed = g_strdup_printf (_("%d ms"), (int) gp_probe_result_get_elapsed_ms (result));

  gp_probe_result_get_timings (result, &connect_ms, &tls_ms, &first_byte_ms);
  if (connect_ms >= 0)
    g_string_append_printf (parts, _(", connect %d ms"), (int) connect_ms);
  if (tls_ms >= 0)
    g_string_append_printf (parts, _(", TLS %d ms"), (int) tls_ms);
  if (first_byte_ms >= 0)
    g_string_append_printf (parts, _(", first byte %d ms"), (int) first_byte_ms);

  g_string_prepend (parts, elapsed);
  gp_cli_print_field ("  ", _("Time:"), parts->str);
}

static void
print_result_text (GpProbeResult *result)
{
  GPtrArray *challenges = gp_probe_result_get_challenges (result);

  g_print ("%s: %s\n", gp_probe_result_get_profile (result),
           gp_verdict_to_string (gp_probe_result_get_verdict (result)));
  if (gp_probe_result_get_status (result) != 0)
    {
      g_autofree char *status = g_strdup_printf ("%u", gp_probe_result_get_status (result));
      gp_cli_print_field ("  ", _("Status:"), status);
    }
  for (guint i = 0; i < challenges->len; i++)
    {
      g_autofree char *text = gp_challenge_to_string (g_ptr_array_index (challenges, i));
      gp_cli_print_field ("  ", i == 0 ? _("Challenges:") : "", text);
    }
  if (gp_probe_result_get_verdict (result) == GP_VERDICT_OK)
    gp_cli_print_field ("  ", _("Exit IP:"), gp_probe_result_get_exit_ip (result));
  if (gp_probe_result_get_direct_ip (result) != NULL)
    gp_cli_print_field ("  ", _("Direct IP:"), gp_probe_result_get_direct_ip (result));
  print_timings (result);
  if (gp_probe_result_get_detail (result) != NULL)
    gp_cli_print_field ("  ", _("Detail:"), gp_probe_result_get_detail (result));
  gp_cli_print_field ("  ", _("Advice:"), gp_probe_result_get_advice (result));
  gp_cli_print_field ("  ", _("Reproduce:"), gp_probe_result_get_curl_command (result));
}

static int
print_results (TestRun  *run,
               gboolean  json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  int status = GP_EXIT_OK;

  json_builder_begin_array (builder);
  for (guint i = 0; i < run->results->len; i++)
    {
      GpProbeResult *result = g_ptr_array_index (run->results, i);

      if (gp_probe_result_get_verdict (result) != GP_VERDICT_OK)
        status = GP_EXIT_FAILED;
      if (json)
        gp_probe_result_add_json (result, builder);
      else
        print_result_text (result);
      if (!json && i + 1 < run->results->len)
        g_print ("\n");
    }
  json_builder_end_array (builder);

  if (json)
    {
      root = json_builder_get_root (builder);
      gp_cli_print_json (root);
    }
  return status;
}

static int
collect_profiles (GpCli      *cli,
                  int         argc,
                  char      **argv,
                  gboolean    all,
                  GPtrArray  *out)
{
  GListModel *model = G_LIST_MODEL (cli->store);
  GpProfile *profile;
  int status;

  if (all && argc > 1)
    return gp_cli_fail (GP_EXIT_USAGE, _("test: give profile names or --all, not both"));

  if (all)
    {
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        g_ptr_array_add (out, g_list_model_get_item (model, i));
      return GP_EXIT_OK;
    }

  if (argc <= 1)
    {
      profile = gp_profile_store_get_active (cli->store);
      if (profile == NULL)
        return gp_cli_fail (GP_EXIT_USAGE, _("No profile is active; name the profiles to test, or use --all"));
      g_ptr_array_add (out, g_object_ref (profile));
      return GP_EXIT_OK;
    }

  for (int i = 1; i < argc; i++)
    {
      if ((status = gp_cli_find_profile (cli, argv[i], &profile)) != GP_EXIT_OK)
        return status;
      g_ptr_array_add (out, g_object_ref (profile));
    }
  return GP_EXIT_OK;
}

static int
run_probes (GpCli     *cli,
            GPtrArray *profiles,
            GpProber  *prober,
            gboolean   json)
{
  TestRun run = { 0 };
  int status;

  run.cli = cli;
  run.prober = prober;
  run.profiles = profiles;
  run.results = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_set_size (run.results, profiles->len);
  run.result_dir = gp_result_store_default_dir ();
  run.loop = g_main_loop_new (NULL, FALSE);

  start_more (&run);
  if (run.done < profiles->len)
    g_main_loop_run (run.loop);

  status = print_results (&run, json);

  g_main_loop_unref (run.loop);
  g_free (run.result_dir);
  g_ptr_array_unref (run.results);
  return status;
}

int
gp_cli_cmd_test (GpCli  *cli,
                 int     argc,
                 char  **argv)
{
  gboolean json = FALSE, all = FALSE, direct = FALSE;
  g_autofree char *ip_echo = NULL;
  int timeout = G_MININT;   /* not given */
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Test every profile"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "ip-echo", 0, 0, G_OPTION_ARG_STRING, &ip_echo, N_("The service that reports the caller's address"), N_("URL") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Seconds before a test gives up (default 15)"), N_("SECONDS") },
    { "direct", 0, 0, G_OPTION_ARG_NONE, &direct, N_("Also ask the echo service directly, without the proxy"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GpProber) prober = NULL;
  int status;

  if (!gp_cli_parse_options ("test", _("[NAME…]"),
                             _("Test profiles through their proxies: status, challenges, exit IP, time "
                               "and advice. Without NAME, the active profile."),
                             entries, &argc, &argv, 0, G_MAXINT, &status))
    return status;

  if (timeout != G_MININT && (timeout < 1 || timeout > MAX_TIMEOUT))
    return gp_cli_fail (GP_EXIT_USAGE, _("--timeout must be between 1 and %d seconds"), MAX_TIMEOUT);
  if (ip_echo == NULL)
    ip_echo = gp_settings_get_ip_echo_url ();
  if (!gp_settings_is_echo_url (ip_echo))
    return gp_cli_fail (GP_EXIT_USAGE, _("--ip-echo “%s” is not an http or https URL"), ip_echo);

  if ((status = gp_cli_load_store (cli)) != GP_EXIT_OK ||
      (status = collect_profiles (cli, argc, argv, all, profiles)) != GP_EXIT_OK)
    return status;
  if (profiles->len == 0)
    return GP_EXIT_OK;

  prober = gp_prober_new (ip_echo);
  gp_prober_set_timeout (prober, timeout != G_MININT ? (guint) timeout : gp_settings_get_test_timeout ());
  gp_prober_set_probe_direct (prober, direct);
  return run_probes (cli, profiles, prober, json);
}
