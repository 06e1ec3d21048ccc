/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GP_TYPE_PREFERENCES_WINDOW (gp_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (GpPreferencesWindow, gp_preferences_window, GP, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWindow *gp_preferences_window_new (GSettings *settings);

G_END_DECLS
