/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gp-profile.h"
#include "gp-secret-store.h"

G_BEGIN_DECLS

char     *gp_credentials_label        (GpProfile      *profile);
gboolean  gp_credentials_prepare      (GpSecretStore  *secrets,
                                       GpProfile      *before,
                                       GpProfile      *after,
                                       const char     *password,
                                       gboolean        clear_unused,
                                       GCancellable   *cancellable,
                                       GError        **error);
gboolean  gp_credentials_complete     (GpSecretStore  *secrets,
                                       GpProfile      *before,
                                       GpProfile      *after,
                                       GCancellable   *cancellable,
                                       GError        **error);

G_END_DECLS
