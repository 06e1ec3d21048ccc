/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gp-profile-manager.h"

G_BEGIN_DECLS

/* imported: the new profiles' ids, in order; message: what to tell the
 * user (what was imported or skipped); plaintext_left: a copy of a
 * password still sits where it was found (for Clear Stale Credentials). */
typedef void (*GpImportDone) (GtkWindow  *parent,
                              GStrv       imported,
                              const char *message,
                              gboolean    plaintext_left,
                              gpointer    user_data);

/* The empty state's "Import From This System": profiles from the
 * session's proxy variables and GNOME's proxy settings, as `import`
 * makes them, passwords into the keyring. */
void gp_import_flow_run (GtkWindow        *parent,
                         GpProfileManager *manager,
                         GpImportDone      done,
                         gpointer          user_data);

G_END_DECLS
