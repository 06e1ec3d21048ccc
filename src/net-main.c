/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-cli-private.h"

/* gatepass-net: the headless commands that talk to proxies, and so need
 * libsoup, which `gatepass` itself never loads (see gp-cli-net.c). Only
 * gatepass starts it, with its own arguments: --headless COMMAND …. */

static const struct {
  const char   *name;
  GpCliCommand  run;
} commands[] = {
  { "test", gp_cli_cmd_test },
};

int
main (int    argc,
      char **argv)
{
  gp_cli_init_process ();

  if (argc > 2 && strcmp (argv[1], "--headless") == 0)
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      if (strcmp (argv[2], commands[i].name) == 0)
        return gp_cli_run_command (commands[i].run, argc - 2, argv + 2);

  return gp_cli_fail (GP_EXIT_USAGE,
                      _("gatepass-net runs the network commands of gatepass: "
                        "use “gatepass --headless test …”"));
}
