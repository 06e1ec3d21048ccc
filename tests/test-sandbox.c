/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib.h>

#include "gp-sandbox.h"
#include "gp-session.h"

/* What gp-sandbox reads once per process (/.flatpak-info, or the tests'
 * GP_TEST_SANDBOX=flatpak): each case runs in a subprocess of its own,
 * with the environment its parent set before starting it. */

static void
skip_in_flatpak (void)
{
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    g_test_skip ("running inside a real Flatpak");
}

static void
test_host_child (void)
{
  g_autofree char *dir = gp_sandbox_environment_d_dir ();
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (), "environment.d", NULL);
  g_autofree char *file = gp_session_file_path ();

  g_assert_false (gp_sandbox_is_flatpak ());
  g_assert_null (gp_sandbox_app_id ());
  g_assert_cmpstr (dir, ==, expected);
  g_assert_true (g_str_has_prefix (file, g_get_user_config_dir ()));
}

static void
test_flatpak_child (void)
{
  g_autofree char *dir = gp_sandbox_environment_d_dir ();
  g_autofree char *expected = g_build_filename (g_get_home_dir (), ".config", "environment.d", NULL);
  g_autofree char *file = gp_session_file_path ();
  g_autofree char *expected_file = g_build_filename (expected, "60-gatepass.conf", NULL);

  g_assert_true (gp_sandbox_is_flatpak ());
  g_assert_cmpstr (gp_sandbox_app_id (), ==, "io.github.gatepass.Gatepass");
  g_assert_cmpstr (dir, ==, expected);
  g_assert_cmpstr (file, ==, expected_file);
  g_assert_cmpstr (GP_SANDBOX_REASON, ==, "sandbox");
}

static void
run_child (const char *path,
           const char *override)
{
  skip_in_flatpak ();
  if (g_test_failed () || g_test_get_path () == NULL)
    return;
  if (override != NULL)
    g_setenv ("GP_TEST_SANDBOX", override, TRUE);
  else
    g_unsetenv ("GP_TEST_SANDBOX");
  g_setenv ("FLATPAK_ID", "io.github.gatepass.Gatepass", TRUE);
  g_test_trap_subprocess (path, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_host (void)
{
  run_child ("/sandbox/host/subprocess", NULL);
}

/* Only the exact word turns it on: nothing else a variable might hold. */
static void
test_other_value (void)
{
  run_child ("/sandbox/host/subprocess", "yes");
}

static void
test_flatpak (void)
{
  run_child ("/sandbox/flatpak/subprocess", "flatpak");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* XDG_CONFIG_HOME (tests/hermetic.sh) is outside the home, as it is
   * inside the sandbox: the two paths must differ. */
  g_test_add_func ("/sandbox/host", test_host);
  g_test_add_func ("/sandbox/host/subprocess", test_host_child);
  g_test_add_func ("/sandbox/other-value", test_other_value);
  g_test_add_func ("/sandbox/flatpak", test_flatpak);
  g_test_add_func ("/sandbox/flatpak/subprocess", test_flatpak_child);
  return g_test_run ();
}
