/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gp-profile.h"
#include "gp-session-record.h"

G_BEGIN_DECLS

/* GNOME's proxy settings (org.gnome.system.proxy and its children), for
 * --gnome-proxy yes: hosts, ports and ignore-hosts, never a password. */

/* FALSE with the reason when this system has no such settings. */
gboolean   gp_session_gnome_available (GError     **error);
/* The keys and values (GpGnomeKey, previous NULL) that apply the profile;
 * NULL with the reason when GNOME's settings cannot say it. */
GPtrArray *gp_session_gnome_plan      (GpProfile   *profile,
                                       GError     **error);
/* The key's value now, as GVariant text: "" when it holds its default
 * (writing "" resets it); NULL when it cannot be read. */
char      *gp_session_gnome_read      (const char  *schema,
                                       const char  *key);
gboolean   gp_session_gnome_write     (const char  *schema,
                                       const char  *key,
                                       const char  *text,
                                       GError     **error);
/* Waits until the writes have reached the settings backend. */
void       gp_session_gnome_sync      (void);

G_END_DECLS
