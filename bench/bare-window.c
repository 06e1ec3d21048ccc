/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The baseline for bench/gui-start.sh: the least a libadwaita app can
 * show, an AdwApplicationWindow holding a label, started the way the
 * Gatepass window is (an AdwApplication that registers on the session bus
 * and opens its window on activate), at the same default size. Built by
 * the bench script itself:
 *
 *   cc -O2 bench/bare-window.c $(pkg-config --cflags --libs libadwaita-1)
 */
#include <adwaita.h>

static void
on_activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));

  gtk_window_set_title (GTK_WINDOW (window), "Bare");
  gtk_window_set_default_size (GTK_WINDOW (window), 980, 720);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), gtk_label_new ("Hello"));
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.gatepass.BenchBareWindow",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
