/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The groups of profiles.ini that hold a profile: "[profile <id>]". */
#define GP_PROFILE_GROUP_PREFIX "profile "

GKeyFile *gp_profile_file_parse         (const char  *path,
                                         const char  *data,
                                         gsize        length,
                                         GError     **error);
gboolean  gp_profile_file_read_profiles (const char  *path,
                                         GKeyFile    *keyfile,
                                         const char  *data,
                                         GPtrArray   *profiles,
                                         GError     **error);

G_END_DECLS
