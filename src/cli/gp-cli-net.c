/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <unistd.h>

#include "gp-cli-private.h"

/* The command line is two executables. `gatepass` runs every command that
 * stays on this machine and links no libsoup, so that a login script's
 * export pays for its keyring lookup and little else. The commands that
 * talk to proxies (test; forward later) live in gatepass-net, under
 * libexec, which links the tester: gatepass execs it with the same
 * arguments, so it keeps our pid, standard streams and exit status, and
 * its keyring budget is counted exactly as ours would be. */

void
gp_cli_init_process (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* GLib sends debug messages to stdout by default: keep export and
   * --json output clean even with G_MESSAGES_DEBUG=all. */
  g_log_writer_default_set_use_stderr (TRUE);
  g_set_prgname ("gatepass");
}

/* Run from the build tree, our helpers sit beside us; installed, they are
 * in libexecdir. */
char *
gp_cli_find_helper (const char *name)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *sibling = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  dir = self != NULL ? g_path_get_dirname (self) : NULL;
  sibling = dir != NULL ? g_build_filename (dir, name, NULL) : NULL;
  if (sibling != NULL && g_file_test (sibling, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&sibling);
  return g_build_filename (GATEPASS_LIBEXECDIR, name, NULL);
}

/* A GpCliCommand for gp-cli.c's table: argv[0] is the command's name. */
int
gp_cli_net_exec (GpCli  *cli G_GNUC_UNUSED,
                 int     argc,
                 char  **argv)
{
  g_autofree char *helper = gp_cli_find_helper ("gatepass-net");
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, helper);
  g_ptr_array_add (args, "--headless");
  for (int i = 0; i < argc; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);

  execv (helper, (char **) args->pdata);
  return gp_cli_fail (GP_EXIT_FAILED,
                      _("Cannot run “%s”: its helper %s does not start (%s); reinstall Gatepass"),
                      argv[0], helper, g_strerror (errno));
}
