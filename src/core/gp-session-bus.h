/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The running session's two environments, over the session bus: the
 * systemd user manager's (what the services and apps it starts get) and
 * the bus's activation environment (what D-Bus-activated apps get). Both
 * take the credentials in memory only. Each call waits at most a few
 * seconds, so a hung manager cannot hang activate. */

/* NULL with error set (the reason, for `status`) when there is no bus. */
GDBusConnection *gp_session_bus_get                   (GError          **error);

gboolean         gp_session_bus_has_systemd           (GDBusConnection  *bus,
                                                       GError          **error);
gboolean         gp_session_bus_systemd_set           (GDBusConnection  *bus,
                                                       GPtrArray        *variables,
                                                       const char * const *unset,
                                                       GError          **error);
/* The manager's Environment property: NAME=VALUE strings. */
GStrv            gp_session_bus_systemd_environment   (GDBusConnection  *bus,
                                                       GError          **error);
/* cleared: names set to "", since the activation environment cannot
 * unset a variable. */
gboolean         gp_session_bus_update_activation     (GDBusConnection  *bus,
                                                       GPtrArray        *variables,
                                                       const char * const *cleared,
                                                       GError          **error);

G_END_DECLS
