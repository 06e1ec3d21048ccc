/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "gp-cli.h"

static gboolean
has_display (void)
{
  return g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL;
}

/* The window lives in its own executable, so that `gatepass --headless`
 * never loads GTK: a login script's export must stay cheap. */
/* Run from the build tree, the window sits beside us; installed, it is
 * in libexecdir. */
static char *
find_window_executable (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self != NULL ? g_path_get_dirname (self) : NULL;
  g_autofree char *sibling = dir != NULL ? g_build_filename (dir, "gatepass-window", NULL) : NULL;

  if (sibling != NULL && g_file_test (sibling, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&sibling);
  return g_build_filename (GATEPASS_LIBEXECDIR, "gatepass-window", NULL);
}

static int
start_window (int    argc,
              char **argv)
{
  g_autofree char *window = find_window_executable ();

  if (!has_display ())
    {
      g_printerr (_("gatepass: no display (DISPLAY and WAYLAND_DISPLAY are unset); "
                    "the headless commands work without one:\n\n"));
      g_printerr ("%s", gp_cli_usage ());
      return GP_EXIT_USAGE;
    }

  argv[0] = window;
  execv (window, argv);
  g_printerr (_("gatepass: cannot start the window (%s: %s); "
                "the headless commands work: see “gatepass --help”\n"),
              window, g_strerror (errno));
  return GP_EXIT_FAILED;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* GLib sends debug messages to stdout by default: keep export and
   * --json output clean even with G_MESSAGES_DEBUG=all. */
  g_log_writer_default_set_use_stderr (TRUE);
  g_set_prgname ("gatepass");

  if (argc > 1 && strcmp (argv[1], "--headless") == 0)
    return gp_cli_run (argc - 1, argv + 1);

  if (argc > 1 && strcmp (argv[1], "--version") == 0)
    {
      g_print ("gatepass %s\n", PACKAGE_VERSION);
      return GP_EXIT_OK;
    }

  if (argc > 1 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      g_print ("%s", gp_cli_usage ());
      return GP_EXIT_OK;
    }

  if (argc > 1 && argv[1][0] != '-')
    {
      g_printerr (_("gatepass: commands run headless: “gatepass --headless %s …”\n"), argv[1]);
      return GP_EXIT_USAGE;
    }

  return start_window (argc, argv);
}
