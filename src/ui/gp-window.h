/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gp-application.h"
#include "gp-profile-manager.h"

G_BEGIN_DECLS

#define GP_TYPE_WINDOW (gp_window_get_type ())

G_DECLARE_FINAL_TYPE (GpWindow, gp_window, GP, WINDOW, AdwApplicationWindow)

GpWindow *gp_window_new (GpApplication    *application,
                         GpProfileManager *manager,
                         GSettings        *settings);

G_END_DECLS
