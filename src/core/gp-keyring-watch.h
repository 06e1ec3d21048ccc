/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GP_TYPE_KEYRING_WATCH (gp_keyring_watch_get_type ())

G_DECLARE_FINAL_TYPE (GpKeyringWatch, gp_keyring_watch, GP, KEYRING_WATCH, GObject)

GpKeyringWatch *gp_keyring_watch_new (void);

G_END_DECLS
