/* SPDX-License-Identifier: GPL-3.0-or-later
 * dlopen a module with thread-local storage (as GIO dlopens
 * libgiognutls.so, and with it libgnutls), use it from a second thread,
 * leak 7 bytes, exit while the thread still runs (see run.sh). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char *(*touch) (void);
static void *volatile leaked;

static void *
run (void *data)
{
  printf ("thread-local buffer at %p\n", touch ());
  pause ();
  return NULL;
}

int
main (int argc, char **argv)
{
  void *module = dlopen (argv[1], RTLD_NOW);
  pthread_t thread;

  touch = dlsym (module, "touch");
  pthread_create (&thread, NULL, run, NULL);
  sleep (1);
  leaked = malloc (7);
  leaked = NULL;
  exit (0);
}
