/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GpProbeBatch with enough profiles to read the keyring in one go (a
 * snapshot, which holds no modification times), against the lab's Basic
 * squid and a real gnome-keyring: a rejected password's result gets the
 * keyring item's modification time, asked for after the test, and only
 * while the item still holds the password that was rejected.
 *
 * Run as keyring-session.sh proxy-lab.sh test-probe-batch. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gp-probe-batch.h"
#include "gp-probe-result.h"
#include "gp-prober.h"
#include "gp-profile.h"
#include "gp-secret-store.h"

/* More than the batch's SNAPSHOT_MIN_PROFILES (8). */
#define N_PROFILES  10
#define WATCHDOG_S  60

static const char *
lab (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    {
      g_print ("Bail out! %s is not set: run as keyring-session.sh proxy-lab.sh test-probe-batch\n", name);
      exit (1);
    }
  return value;
}

static void
store_password (const char *profile_id,
                const char *username,
                const char *password)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_secret_store_store (store, profile_id, username, "Gatepass test", password, NULL, &error));
  g_assert_no_error (error);
}

static guint64
item_modified (const char *profile_id,
               const char *username)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPassword) password = NULL;
  guint64 modified = 0;

  password = gp_secret_store_lookup_full (store, profile_id, username, &modified, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (password);
  return modified;
}

static GpProfile *
new_profile (const char *url,
             const char *username,
             const char *password)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *id = g_strconcat ("batch-", uuid, NULL);
  GpProfile *profile = gp_profile_new (id);

  gp_profile_set_name (profile, id);
  gp_profile_set_url (profile, url);
  gp_profile_set_username (profile, username);
  gp_profile_set_auth (profile, GP_AUTH_PASSWORD);
  store_password (id, username, password);
  return profile;
}

typedef struct
{
  GpVerdict verdicts[N_PROFILES];
  gint64    modified[N_PROFILES];
  guint     told;
  GPtrArray *results;
  GError    *error;
  gboolean   done;
} Run;

static void
on_result (GpProbeBatch  *batch,
           guint          index,
           GpProfile     *profile,
           GpProbeResult *result,
           gint64         credential_modified,
           Run           *run)
{
  g_assert_cmpuint (index, <, N_PROFILES);
  run->verdicts[index] = gp_probe_result_get_verdict (result);
  run->modified[index] = credential_modified;
  run->told++;
}

static void
on_done (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Run *run = user_data;

  run->results = gp_probe_batch_run_finish (GP_PROBE_BATCH (source), res, &run->error);
  run->done = TRUE;
}

static gboolean
on_watchdog (gpointer user_data)
{
  g_error ("the batch did not finish within %d s", WATCHDOG_S);
  return G_SOURCE_REMOVE;
}

static void
run_batch (GPtrArray *profiles,
           Run       *run)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autofree char *echo = g_strconcat (lab ("GP_LAB_ECHO_HTTP"), "/", NULL);
  g_autoptr(GpProber) prober = gp_prober_new (echo);
  g_autoptr(GpProbeBatch) batch = gp_probe_batch_new (prober, store, 4);
  guint watchdog = g_timeout_add_seconds (WATCHDOG_S, on_watchdog, NULL);

  g_assert_cmpuint (profiles->len, ==, N_PROFILES);
  g_signal_connect (batch, "result", G_CALLBACK (on_result), run);
  gp_probe_batch_run_async (batch, profiles, NULL, on_done, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog);

  g_assert_no_error (run->error);
  g_assert_nonnull (run->results);
  g_assert_cmpuint (run->told, ==, N_PROFILES);
  g_ptr_array_unref (run->results);
}

/* Nine right passwords and one wrong, all from the snapshot: the wrong
 * one's result has its item's time, the others none (nothing needs it). */
static void
test_rejected_gets_its_time (void)
{
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  const guint wrong = 4;
  Run run = { 0 };

  /* Another user for the wrong password: squid keeps one credential
   * state per user, and would reject the right password sent beside it. */
  for (guint i = 0; i < N_PROFILES; i++)
    g_ptr_array_add (profiles, i == wrong ? new_profile (lab ("GP_LAB_BASIC"), "nobody-the-lab-knows", "wrong")
                                          : new_profile (lab ("GP_LAB_BASIC"), lab ("GP_LAB_USER"),
                                                         lab ("GP_LAB_PASSWORD")));
  run_batch (profiles, &run);

  for (guint i = 0; i < N_PROFILES; i++)
    {
      GpProfile *profile = g_ptr_array_index (profiles, i);

      if (i == wrong)
        {
          g_assert_cmpint (run.verdicts[i], ==, GP_VERDICT_AUTH_REJECTED);
          g_assert_cmpint (run.modified[i], >, 0);
          g_assert_cmpint (run.modified[i], ==,
                           (gint64) item_modified (gp_profile_get_id (profile), gp_profile_get_username (profile)));
        }
      else
        {
          g_assert_cmpint (run.verdicts[i], ==, GP_VERDICT_OK);
          g_assert_cmpint (run.modified[i], ==, -1);
        }
    }
}

/* --- a proxy that rejects every password, and changes one meanwhile --- */

#define CHANGES_USER "changes"
#define STAYS_USER   "stays"

static char *changing_profile_id;   /* whose keyring password the proxy changes */

static char *
basic_user (const char *line)
{
  const char *prefix = "Proxy-Authorization: Basic ";
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  char *colon;

  if (g_ascii_strncasecmp (line, prefix, strlen (prefix)) != 0)
    return NULL;
  decoded = g_base64_decode (line + strlen (prefix), &length);
  text = g_strndup ((const char *) decoded, length);
  colon = strchr (text, ':');
  return colon != NULL ? g_strndup (text, colon - text) : NULL;
}

/* One connection: every request is answered 407 with a Basic challenge;
 * before it answers a request with credentials from CHANGES_USER, it
 * stores another password for that profile, as a user changing it in
 * the middle of a test would. */
static gboolean
on_fake_proxy_connection (GThreadedSocketService *service,
                          GSocketConnection      *connection,
                          GObject                *source,
                          gpointer                user_data)
{
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  static const char answer[] = "HTTP/1.1 407 Proxy Authentication Required\r\n"
                               "Proxy-Authenticate: Basic realm=\"Gatepass Batch\"\r\n"
                               "Content-Length: 0\r\n\r\n";

  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  for (;;)
    {
      g_autofree char *user = NULL;
      gboolean ended = FALSE;

      for (;;)
        {
          g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);

          if (line == NULL)
            return TRUE;
          if (*line == '\0')
            break;
          if (user == NULL)
            user = basic_user (line);
          ended = TRUE;
        }
      if (!ended)
        continue;
      if (g_strcmp0 (user, CHANGES_USER) == 0)
        store_password (changing_profile_id, CHANGES_USER, "a password stored during the test");
      if (!g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL))
        return TRUE;
    }
}

static char *
start_fake_proxy (GSocketService **out_service)
{
  GSocketService *service = g_threaded_socket_service_new (4);
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);

  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (on_fake_proxy_connection), NULL);
  g_socket_service_start (service);
  *out_service = service;
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

/* Both passwords are rejected; the one changed while it was tested has
 * no time (the result is of a password no longer stored), the other its
 * item's. */
static void
test_changed_during_test_gets_no_time (void)
{
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketService) service = NULL;
  g_autofree char *fake = start_fake_proxy (&service);
  const guint changes = 2, stays = 7;
  Run run = { 0 };

  for (guint i = 0; i < N_PROFILES; i++)
    {
      const char *url = i == changes || i == stays ? fake : lab ("GP_LAB_BASIC");
      const char *user = i == changes ? CHANGES_USER : i == stays ? STAYS_USER : lab ("GP_LAB_USER");

      g_ptr_array_add (profiles, new_profile (url, user, i == changes || i == stays ? "rejected anyway"
                                                                                   : lab ("GP_LAB_PASSWORD")));
    }
  changing_profile_id = g_strdup (gp_profile_get_id (g_ptr_array_index (profiles, changes)));
  run_batch (profiles, &run);
  g_socket_service_stop (service);

  g_assert_cmpint (run.verdicts[changes], ==, GP_VERDICT_AUTH_REJECTED);
  g_assert_cmpint (run.modified[changes], ==, -1);
  g_assert_cmpint (run.verdicts[stays], ==, GP_VERDICT_AUTH_REJECTED);
  g_assert_cmpint (run.modified[stays], ==,
                   (gint64) item_modified (gp_profile_get_id (g_ptr_array_index (profiles, stays)), STAYS_USER));
  g_assert_cmpint (run.modified[stays], >, 0);
  for (guint i = 0; i < N_PROFILES; i++)
    if (i != changes && i != stays)
      g_assert_cmpint (run.verdicts[i], ==, GP_VERDICT_OK);
  g_clear_pointer (&changing_profile_id, g_free);
}

/* 150 profiles, their passwords stored in the reverse order of the
 * profiles, so that the keyring's parts (64 items each) answer for the
 * last profiles first: every one is tested with its own password. */
static void
test_many_in_keyring_order (void)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autofree char *echo = g_strconcat (lab ("GP_LAB_ECHO_HTTP"), "/", NULL);
  g_autoptr(GpProber) prober = gp_prober_new (echo);
  g_autoptr(GpProbeBatch) batch = gp_probe_batch_new (prober, store, 16);
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  const guint n = 150, wrong = 3;
  Run run = { 0 };
  guint ok = 0;
  guint watchdog = g_timeout_add_seconds (WATCHDOG_S, on_watchdog, NULL);

  g_ptr_array_set_size (profiles, n);
  for (guint i = n; i-- > 0;)
    g_ptr_array_index (profiles, i) =
      i == wrong ? new_profile (lab ("GP_LAB_BASIC"), "nobody-the-lab-knows", "wrong")
                 : new_profile (lab ("GP_LAB_BASIC"), lab ("GP_LAB_USER"), lab ("GP_LAB_PASSWORD"));
  gp_probe_batch_run_async (batch, profiles, NULL, on_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog);

  g_assert_no_error (run.error);
  g_assert_cmpuint (run.results->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      GpProbeResult *result = g_ptr_array_index (run.results, i);

      g_assert_nonnull (result);
      if (i == wrong)
        g_assert_cmpint (gp_probe_result_get_verdict (result), ==, GP_VERDICT_AUTH_REJECTED);
      else if (gp_probe_result_get_verdict (result) == GP_VERDICT_OK)
        ok++;
    }
  g_assert_cmpuint (ok, ==, n - 1);
  g_ptr_array_unref (run.results);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  lab ("GP_LAB_BASIC");
  lab ("GP_LAB_ECHO_HTTP");
  lab ("GP_LAB_USER");
  lab ("GP_LAB_PASSWORD");

  g_test_add_func ("/probe-batch/snapshot/rejected-gets-its-time", test_rejected_gets_its_time);
  g_test_add_func ("/probe-batch/snapshot/changed-during-test-gets-no-time", test_changed_during_test_gets_no_time);
  g_test_add_func ("/probe-batch/snapshot/many-in-keyring-order", test_many_in_keyring_order);

  return g_test_run ();
}
