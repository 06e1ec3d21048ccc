/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>

#include "gp-cli-private.h"
#include "gp-probe-batch.h"
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
  GMainLoop    *loop;
  GCancellable *cancellable;          /* SIGINT, SIGTERM */
  GPtrArray    *profiles;             /* those that finished, in profile order */
  GPtrArray    *results;              /* theirs */
  GpProbeResult **by_index;           /* per profile, from ::result; NULL: not finished */
  gint64       *credential_modified;  /* per profile, from ::result */
  gboolean      cancelled;
} TestRun;

static void
on_batch_result (GpProbeBatch  *batch,
                 guint          index,
                 GpProfile     *profile,
                 GpProbeResult *result,
                 gint64         credential_modified,
                 TestRun       *run)
{
  run->by_index[index] = g_object_ref (result);
  run->credential_modified[index] = credential_modified;
}

/* Kept all at once, after the run: one flush to disk instead of two per
 * profile. A result that cannot be kept is worth a warning, not a failure. */
static void
keep_results (TestRun *run)
{
  g_autofree char *dir = gp_result_store_default_dir ();
  g_autofree gint64 *modified = g_new0 (gint64, run->profiles->len + 1);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  for (guint i = 0; n < run->profiles->len; i++)
    if (run->by_index[i] != NULL)
      modified[n++] = run->credential_modified[i];
  if (!gp_result_store_save_all (dir, run->profiles, run->results, modified, &error))
    gp_cli_warn (_("cannot keep the test results: %s"), error->message);
}

/* The profiles that were tested to the end, and their results: all of
 * them, unless the run was interrupted. */
static void
collect_finished (TestRun   *run,
                  GPtrArray *profiles)
{
  run->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  run->results = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < profiles->len; i++)
    if (run->by_index[i] != NULL)
      {
        g_ptr_array_add (run->profiles, g_object_ref (g_ptr_array_index (profiles, i)));
        g_ptr_array_add (run->results, g_object_ref (run->by_index[i]));
      }
}

static void
on_batch_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  TestRun *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = gp_probe_batch_run_finish (GP_PROBE_BATCH (source), res, &error);

  run->cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_main_loop_quit (run->loop);
}

static gboolean
on_interrupt (gpointer user_data)
{
  TestRun *run = user_data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
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

/* A word of a suggested command line: bare when the shell leaves it as
 * it is, else quoted. */
static char *
shell_word (const char *word)
{
  for (const char *c = word; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && strchr ("._-/:@%+=,", *c) == NULL)
      return g_shell_quote (word);
  return *word != '\0' ? g_strdup (word) : g_shell_quote (word);
}

/* The command line that does what the advice suggests, or NULL. The
 * core names the action; the CLI words it for a terminal. */
static char *
action_command (GpProbeResult *result,
                GpProber      *prober,
                gboolean       echo_given)
{
  g_autofree char *name = shell_word (gp_probe_result_get_profile (result));
  g_autofree char *echo = shell_word (gp_prober_get_ip_echo_url (prober));
  g_autofree char *echo_option = echo_given ? g_strconcat (" --ip-echo ", echo, NULL) : g_strdup ("");
  guint timeout = gp_prober_get_timeout (prober);

  switch (gp_probe_result_get_action (result))
    {
    case GP_ADVICE_ACTION_STORE_PASSWORD:
      return g_strdup_printf ("gatepass --headless set-password %s", name);
    case GP_ADVICE_ACTION_EDIT_CREDENTIALS:
      return g_strdup_printf ("gatepass --headless edit %s --username USER --password-stdin", name);
    case GP_ADVICE_ACTION_ALLOW_MORE_TIME:
      if (timeout >= MAX_TIMEOUT)
        return NULL;
      return g_strdup_printf ("gatepass --headless test %s --timeout %u%s", name,
                              MIN (MAX (timeout * 2, timeout + 1), MAX_TIMEOUT), echo_option);
    case GP_ADVICE_ACTION_TEST_DIRECTLY:
      return g_strdup_printf ("gatepass --headless test %s --direct%s", name, echo_option);
    case GP_ADVICE_ACTION_NONE:
    default:
      return NULL;
    }
}

static void
print_result_text (GpProbeResult *result,
                   GpProber      *prober,
                   gboolean       echo_given)
{
  g_autofree char *next = action_command (result, prober, echo_given);
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
  if (gp_probe_result_get_location (result) != NULL)
    gp_cli_print_field ("  ", _("Location:"), gp_probe_result_get_location (result));
  print_timings (result);
  if (gp_probe_result_get_detail (result) != NULL)
    gp_cli_print_field ("  ", _("Detail:"), gp_probe_result_get_detail (result));
  gp_cli_print_field ("  ", _("Advice:"), gp_probe_result_get_advice (result));
  if (next != NULL)
    gp_cli_print_field ("  ", _("Next:"), next);
  gp_cli_print_field ("  ", _("Reproduce:"), gp_probe_result_get_curl_command (result));
}

static int
print_results (GPtrArray *results,
               GpProber  *prober,
               gboolean   echo_given,
               gboolean   json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  int status = GP_EXIT_OK;

  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    {
      GpProbeResult *result = g_ptr_array_index (results, i);

      if (gp_probe_result_get_verdict (result) != GP_VERDICT_OK)
        status = GP_EXIT_FAILED;
      if (json)
        gp_probe_result_add_json (result, builder);
      else
        print_result_text (result, prober, echo_given);
      if (!json && i + 1 < results->len)
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

static void
test_run_clear (TestRun   *run,
                GPtrArray *profiles)
{
  for (guint i = 0; i < profiles->len; i++)
    g_clear_object (&run->by_index[i]);
  g_free (run->by_index);
  g_free (run->credential_modified);
  g_clear_pointer (&run->profiles, g_ptr_array_unref);
  g_clear_pointer (&run->results, g_ptr_array_unref);
  g_clear_object (&run->cancellable);
  g_main_loop_unref (run->loop);
}

/* An interrupted test keeps what finished and records nothing for the
 * rest: their previous results stand. */
static int
run_probes (GpCli     *cli,
            GPtrArray *profiles,
            GpProber  *prober,
            gboolean   echo_given,
            gboolean   json)
{
  g_autoptr(GpProbeBatch) batch = gp_probe_batch_new (prober, gp_cli_get_secrets (cli), MAX_IN_FLIGHT);
  TestRun run = { 0 };
  guint sigint, sigterm;
  int status;

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  run.by_index = g_new0 (GpProbeResult *, profiles->len);
  run.credential_modified = g_new0 (gint64, profiles->len);
  g_signal_connect (batch, "result", G_CALLBACK (on_batch_result), &run);
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &run);

  gp_probe_batch_run_async (batch, profiles, run.cancellable, on_batch_done, &run);
  g_main_loop_run (run.loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  collect_finished (&run, profiles);
  keep_results (&run);
  status = print_results (run.results, prober, echo_given, json);
  if (run.cancelled)
    {
      gp_cli_warn (_("test: interrupted; %u of %u profiles were not tested and keep their previous results"),
                   profiles->len - run.results->len, profiles->len);
      status = GP_EXIT_FAILED;
    }

  test_run_clear (&run, profiles);
  return status;
}

/* Says what is wrong with an echo URL: GLib's own parse error (a port out
 * of range, say) where it has one. */
static int
fail_echo_url (const char *ip_echo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (ip_echo, G_URI_FLAGS_NONE, &error);

  if (uri == NULL)
    return gp_cli_fail (GP_EXIT_USAGE, _("--ip-echo “%s” is not a valid URL: %s"), ip_echo, error->message);
  return gp_cli_fail (GP_EXIT_USAGE, _("--ip-echo “%s” is not an http or https URL"), ip_echo);
}

int
gp_cli_cmd_test (GpCli  *cli,
                 int     argc,
                 char  **argv)
{
  gboolean json = FALSE, all = FALSE, direct = FALSE, echo_given;
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
  echo_given = ip_echo != NULL;
  if (ip_echo == NULL)
    ip_echo = gp_settings_get_ip_echo_url ();
  if (!gp_settings_is_echo_url (ip_echo))
    return fail_echo_url (ip_echo);

  if ((status = gp_cli_load_store (cli)) != GP_EXIT_OK ||
      (status = collect_profiles (cli, argc, argv, all, profiles)) != GP_EXIT_OK)
    return status;
  if (profiles->len == 0)
    {
      /* No profile at all (test --all): an empty array, still JSON. */
      if (json)
        g_print ("[]\n");
      return GP_EXIT_OK;
    }

  prober = gp_prober_new (ip_echo);
  gp_prober_set_timeout (prober, timeout != G_MININT ? (guint) timeout : gp_settings_get_test_timeout ());
  gp_prober_set_probe_direct (prober, direct);
  return run_probes (cli, profiles, prober, echo_given, json);
}
