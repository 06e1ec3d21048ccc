/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gp-profile-manager.h"

G_BEGIN_DECLS

/* removed: the findings (GpStaleFinding) that were removed. */
typedef void (*GpStaleDialogDone) (GtkWindow *parent,
                                   GPtrArray *removed,
                                   gpointer   user_data);

/* "Clear Stale Credentials…": finds them (in a worker thread), shows
 * each in a sentence, and removes the removable ones when the user
 * confirms; errors and "nothing found" are said in the dialog too. */
void gp_stale_dialog_present (GtkWindow         *parent,
                              GpProfileManager  *manager,
                              GpStaleDialogDone  done,
                              gpointer           user_data);

G_END_DECLS
