/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What differs inside the Flatpak: where the host's session file is, and
 * which places the sandbox cannot reach (the systemd user manager and the
 * activation environment, GNOME's settings on the host, the autostart
 * entry, files outside the sandbox). */

/* The machine-readable reason for a place the sandbox cannot reach
 * (`status --json`, `clear-stale --json`). */
#define GP_SANDBOX_REASON "sandbox"

gboolean    gp_sandbox_is_flatpak          (void);
/* The Flatpak's application id, or NULL outside one. */
const char *gp_sandbox_app_id              (void);
/* One sentence: why a place is out of reach inside the sandbox. */
const char *gp_sandbox_unreachable_reason  (void);
/* The host's environment.d folder, where the session file goes: the
 * user's config folder outside the sandbox, ~/.config/environment.d
 * inside it. */
char       *gp_sandbox_environment_d_dir   (void);

G_END_DECLS
