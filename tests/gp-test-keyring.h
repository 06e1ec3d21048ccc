/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* For tests run under tests/keyring-session.sh: lock and unlock its login
 * keyring over D-Bus, as a screen locker would, and never with a prompt. */
gboolean gp_test_keyring_lock   (GError **error);
gboolean gp_test_keyring_unlock (GError **error);

G_END_DECLS
