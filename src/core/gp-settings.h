/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _GpProber GpProber;

#define GP_SETTINGS_SCHEMA_ID            "io.github.gatepass.Gatepass"
#define GP_SETTINGS_DEFAULT_IP_ECHO_URL  "https://api.ipify.org?format=json"
#define GP_SETTINGS_DEFAULT_TEST_TIMEOUT 15

GSettings *gp_settings_open           (void);
gboolean   gp_settings_is_echo_url    (const char *text);
char      *gp_settings_get_ip_echo_url  (void);
guint  gp_settings_get_test_timeout (void);
GpProber  *gp_settings_new_prober     (GSettings  *settings);

G_END_DECLS
