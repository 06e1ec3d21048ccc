/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "gp-profile.h"

G_BEGIN_DECLS

typedef enum
{
  GP_ENV_FORMAT_SH,
  GP_ENV_FORMAT_FISH,
  GP_ENV_FORMAT_CSH,
  GP_ENV_FORMAT_ENVIRONMENT_D,
  GP_ENV_FORMAT_JSON,
} GpEnvFormat;

#define GP_ENV_ERROR (gp_env_error_quark ())

typedef enum
{
  GP_ENV_ERROR_UNREPRESENTABLE,
} GpEnvError;

typedef struct
{
  char *name;
  char *value;
} GpEnvVariable;

GQuark         gp_env_error_quark           (void);

gboolean       gp_env_format_from_string    (const char   *text,
                                             GpEnvFormat  *format);

GpEnvVariable *gp_env_variable_new          (const char   *name,
                                             const char   *value);
void           gp_env_variable_free         (GpEnvVariable *variable);

const char * const *gp_env_managed_names    (void);
const char * const *gp_env_ca_names         (void);
GPtrArray     *gp_env_variables_for_profile (GpProfile    *profile,
                                             const char   *password);
char          *gp_env_render                (GPtrArray    *variables,
                                             GpEnvFormat   format,
                                             GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpEnvVariable, gp_env_variable_free)

G_END_DECLS
