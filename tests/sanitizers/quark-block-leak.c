/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reproducer: no Gatepass code, only GLib. GLib 2.74 keeps its quarks in an
 * array that its constructor (glib_init, run by _dl_init) allocates for 2048
 * of them; when a process makes more, g_quark_from_string copies them into a
 * larger array and, so that readers need no lock, never frees the first. A
 * window process (GTK, libadwaita, libsoup, our types) passes 2048.
 * LeakSanitizer reports the first block, 16384 bytes, with the stack
 * g_malloc < (glib, stripped) < call_init < _dl_init.
 */
#include <glib.h>

int
main (void)
{
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *name = g_strdup_printf ("gatepass-reproducer-quark-%u", i);

      g_quark_from_string (name);
    }
  return 0;
}
