/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  GP_AUTH_NONE,
  GP_AUTH_PASSWORD,
  GP_AUTH_IP,
} GpAuthMode;

#define GP_PROFILE_ERROR (gp_profile_error_quark ())

typedef enum
{
  GP_PROFILE_ERROR_INVALID_NAME,
  GP_PROFILE_ERROR_INVALID,
} GpProfileError;

#define GP_TYPE_PROFILE (gp_profile_get_type ())

G_DECLARE_FINAL_TYPE (GpProfile, gp_profile, GP, PROFILE, GObject)

GQuark              gp_profile_error_quark      (void);

const char         *gp_auth_mode_to_string      (GpAuthMode    mode);
gboolean            gp_auth_mode_from_string    (const char   *text,
                                                 GpAuthMode   *mode);

gboolean            gp_profile_validate_name    (const char   *name,
                                                 GError      **error);
char               *gp_profile_new_id           (void);
gboolean            gp_profile_is_valid_id      (const char   *id);

GpProfile          *gp_profile_new              (const char   *id);
GpProfile          *gp_profile_copy             (GpProfile    *self);
void                gp_profile_update_from      (GpProfile    *self,
                                                 GpProfile    *other);
gboolean            gp_profile_equal            (GpProfile    *self,
                                                 GpProfile    *other);

const char         *gp_profile_get_id           (GpProfile    *self);
const char         *gp_profile_get_name         (GpProfile    *self);
void                gp_profile_set_name         (GpProfile    *self,
                                                 const char   *name);
const char         *gp_profile_get_url          (GpProfile    *self);
void                gp_profile_set_url          (GpProfile    *self,
                                                 const char   *url);
const char         *gp_profile_get_https_proxy  (GpProfile    *self);
void                gp_profile_set_https_proxy  (GpProfile    *self,
                                                 const char   *url);
const char * const *gp_profile_get_no_proxy     (GpProfile    *self);
void                gp_profile_set_no_proxy     (GpProfile    *self,
                                                 const char * const *hosts);
const char         *gp_profile_get_username     (GpProfile    *self);
void                gp_profile_set_username     (GpProfile    *self,
                                                 const char   *username);
GpAuthMode          gp_profile_get_auth         (GpProfile    *self);
void                gp_profile_set_auth         (GpProfile    *self,
                                                 GpAuthMode    auth);

gboolean            gp_profile_get_session_credentials (GpProfile *self);
void                gp_profile_set_session_credentials (GpProfile *self,
                                                        gboolean   enabled);
gboolean            gp_profile_get_gnome_proxy  (GpProfile    *self);
void                gp_profile_set_gnome_proxy  (GpProfile    *self,
                                                 gboolean      enabled);
gboolean            gp_profile_sends_credentials (GpProfile   *self);
gboolean            gp_profile_validate         (GpProfile    *self,
                                                 GError      **error);

G_END_DECLS
