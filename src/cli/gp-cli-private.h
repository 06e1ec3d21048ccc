/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "gp-cli.h"
#include "gp-profile-manager.h"
#include "gp-profile-store.h"
#include "gp-secret-store.h"

G_BEGIN_DECLS

typedef struct
{
  GpProfileStore *store;
  GpSecretStore  *secrets;   /* created on first use: most commands never need D-Bus */
  GpProfileManager *manager; /* the use cases, on store and secrets; created on first use */
} GpCli;

typedef int (*GpCliCommand) (GpCli  *cli,
                             int     argc,
                             char  **argv);

/* Reporting: one line on stderr, named after the program. */
int             gp_cli_fail               (int          status,
                                           const char  *format,
                                           ...) G_GNUC_PRINTF (2, 3);
int             gp_cli_fail_error         (const GError *error);
void            gp_cli_warn               (const char  *format,
                                           ...) G_GNUC_PRINTF (1, 2);
int             gp_cli_status_for_error   (const GError *error);

gboolean        gp_cli_parse_options      (const char    *command,
                                           const char    *parameters,
                                           const char    *summary,
                                           GOptionEntry  *entries,
                                           int           *argc,
                                           char        ***argv,
                                           int            min_args,
                                           int            max_args,
                                           int           *status);

GpSecretStore  *gp_cli_get_secrets        (GpCli        *cli);
GpProfileManager *gp_cli_get_manager      (GpCli        *cli);
int             gp_cli_load_store         (GpCli        *cli);
int             gp_cli_find_profile       (GpCli        *cli,
                                           const char   *name,
                                           GpProfile   **out_profile);
GpPassword     *gp_cli_read_password      (const char   *prompt,
                                           GError      **error);
char           *gp_cli_read_ca_file       (const char   *path,
                                           GError      **error);
void            gp_cli_warn_quirks        (const char   *username,
                                           const char   *password);
void            gp_cli_warn_scheme_quirks (GpProfile    *profile);
void            gp_cli_print_json         (JsonNode     *node);
void            gp_cli_print_field        (const char   *indent,
                                           const char   *label,
                                           const char   *value);

int             gp_cli_run_command        (GpCliCommand  run,
                                           int           argc,
                                           char        **argv);

/* gp-cli-net.c: runs the command in gatepass-net. */
int             gp_cli_net_exec           (GpCli        *cli,
                                           int           argc,
                                           char        **argv);

int gp_cli_cmd_list          (GpCli *cli, int argc, char **argv);
int gp_cli_cmd_show          (GpCli *cli, int argc, char **argv);
int gp_cli_cmd_add           (GpCli *cli, int argc, char **argv);
int gp_cli_cmd_edit          (GpCli *cli, int argc, char **argv);
int gp_cli_cmd_remove        (GpCli *cli, int argc, char **argv);
int gp_cli_cmd_set_password  (GpCli *cli, int argc, char **argv);
int gp_cli_cmd_activate      (GpCli *cli, int argc, char **argv);
int gp_cli_cmd_deactivate    (GpCli *cli, int argc, char **argv);
int gp_cli_cmd_status        (GpCli *cli, int argc, char **argv);
int gp_cli_cmd_clear_stale   (GpCli *cli, int argc, char **argv);
int gp_cli_cmd_import        (GpCli *cli, int argc, char **argv);
int gp_cli_cmd_export        (GpCli *cli, int argc, char **argv);
int gp_cli_cmd_test          (GpCli *cli, int argc, char **argv);  /* gatepass-net only */

G_END_DECLS
