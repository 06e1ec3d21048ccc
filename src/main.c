/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
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
static int
start_window (int    argc,
              char **argv)
{
  g_autofree char *window = gp_cli_find_helper ("gatepass-window");

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
  gp_cli_init_process ();

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
