/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include "gp-test-keyring.h"

/* gp-test-keyring-tool lock|unlock: the test session's login keyring
 * locked or unlocked from outside Gatepass, as a screen locker does, for
 * tests that are not written in C (tests/test-window-input.py). */
int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  gboolean done;

  if (argc != 2 || (strcmp (argv[1], "lock") != 0 && strcmp (argv[1], "unlock") != 0))
    {
      fprintf (stderr, "Usage: %s lock|unlock\n", argv[0]);
      return 2;
    }
  done = strcmp (argv[1], "lock") == 0 ? gp_test_keyring_lock (&error) : gp_test_keyring_unlock (&error);
  if (!done)
    {
      fprintf (stderr, "%s: %s\n", argv[1], error->message);
      return 1;
    }
  return 0;
}
