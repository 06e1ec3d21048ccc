/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "gp-probe-result.h"
#include "gp-profile.h"

G_BEGIN_DECLS

/* A result as the store kept it, with what it knew beside the result. */
typedef struct
{
  char          *profile_id;
  char          *tested_at;             /* ISO 8601, as written */
  gint64         credential_modified;   /* the keyring item's, or -1 */
  GpProbeResult *result;
} GpStoredResult;

void            gp_stored_result_free       (GpStoredResult *stored);

char       *gp_result_store_default_dir (void);
gboolean    gp_result_store_save_all    (const char     *dir,
                                         GPtrArray      *profiles,
                                         GPtrArray      *results,
                                         const gint64   *credential_modified,
                                         GError        **error);
void        gp_result_store_save_all_async  (const char          *dir,
                                             GPtrArray           *profiles,
                                             GPtrArray           *results,
                                             const gint64        *credential_modified,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean    gp_result_store_save_all_finish (GAsyncResult        *result,
                                             GError             **error);
gboolean    gp_result_store_forget_credential (const char *dir,
                                               const char *profile_id,
                                               GError    **error);
GpStoredResult *gp_result_store_load    (const char     *dir,
                                         const char     *profile_id,
                                         GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpStoredResult, gp_stored_result_free)

G_END_DECLS
