/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gp-application.h"

/* The window's own executable, so that the headless `gatepass` never
 * loads GTK. `gatepass` starts it, and so does D-Bus activation. */
int
main (int    argc,
      char **argv)
{
  g_autoptr(GpApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Gatepass"));
  app = gp_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
