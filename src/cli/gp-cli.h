/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The exit statuses of the headless contract (shared/CLI.md). */
typedef enum
{
  GP_EXIT_OK          = 0,
  GP_EXIT_FAILED      = 1,  /* test: a profile is not ok; otherwise an I/O failure */
  GP_EXIT_USAGE       = 2,  /* bad option or input, corrupt profiles file */
  GP_EXIT_KEYRING     = 3,  /* keyring unavailable or locked */
  GP_EXIT_NO_PROFILE  = 4,
  GP_EXIT_NO_PASSWORD = 5,
} GpExitStatus;

int          gp_cli_run   (int    argc,
                           char **argv);
const char  *gp_cli_usage (void);

/* gp-cli-net.c: what the executables of Gatepass share. */
void         gp_cli_init_process (void);
char        *gp_cli_find_helper  (const char *name);

G_END_DECLS
