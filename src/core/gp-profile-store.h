/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gp-profile.h"

G_BEGIN_DECLS

#define GP_PROFILE_STORE_ERROR (gp_profile_store_error_quark ())

typedef enum
{
  GP_PROFILE_STORE_ERROR_CORRUPT,
  GP_PROFILE_STORE_ERROR_EXISTS,
  GP_PROFILE_STORE_ERROR_BUSY,
  GP_PROFILE_STORE_ERROR_WOULD_CHANGE,
} GpProfileStoreError;

#define GP_TYPE_PROFILE_STORE (gp_profile_store_get_type ())

G_DECLARE_FINAL_TYPE (GpProfileStore, gp_profile_store, GP, PROFILE_STORE, GObject)

GQuark          gp_profile_store_error_quark     (void);
char           *gp_profile_store_default_path    (void);

GpProfileStore *gp_profile_store_new             (const char      *path);
const char     *gp_profile_store_get_path        (GpProfileStore  *self);

gboolean        gp_profile_store_load            (GpProfileStore  *self,
                                                  GError         **error);
void            gp_profile_store_update_from     (GpProfileStore  *self,
                                                  GpProfileStore  *other);
gboolean        gp_profile_store_watch           (GpProfileStore  *self,
                                                  GError         **error);
gboolean        gp_profile_store_lock            (GpProfileStore  *self,
                                                  GError         **error);
void            gp_profile_store_unlock          (GpProfileStore  *self);
gboolean        gp_profile_store_save            (GpProfileStore  *self,
                                                  GError         **error);

GpProfile      *gp_profile_store_find            (GpProfileStore  *self,
                                                  const char      *name);
GpProfile      *gp_profile_store_find_by_id      (GpProfileStore  *self,
                                                  const char      *id);
gboolean        gp_profile_store_check_name_free (GpProfileStore  *self,
                                                  const char      *name,
                                                  GpProfile       *except,
                                                  GError         **error);
gboolean        gp_profile_store_add             (GpProfileStore  *self,
                                                  GpProfile       *profile,
                                                  GError         **error);
void            gp_profile_store_remove          (GpProfileStore  *self,
                                                  GpProfile       *profile);

GpProfile      *gp_profile_store_get_active      (GpProfileStore  *self);
void            gp_profile_store_set_active      (GpProfileStore  *self,
                                                  GpProfile       *profile);

G_END_DECLS
