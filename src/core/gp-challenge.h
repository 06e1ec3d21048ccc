/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GP_CHALLENGE_ERROR (gp_challenge_error_quark ())

typedef enum
{
  GP_CHALLENGE_ERROR_TOO_LARGE,
  GP_CHALLENGE_ERROR_INVALID,
} GpChallengeError;

/* Bounds on what a proxy can make us hold. */
#define GP_CHALLENGE_MAX_INPUT      (64 * 1024)
#define GP_CHALLENGE_MAX_CHALLENGES 64
#define GP_CHALLENGE_MAX_PARAMS     64

#define GP_TYPE_CHALLENGE (gp_challenge_get_type ())

typedef struct _GpChallenge GpChallenge;

GQuark        gp_challenge_error_quark   (void);
GType         gp_challenge_get_type      (void) G_GNUC_CONST;

/* In core-net (gp-challenge-parser.c): parsing needs libsoup. */
GPtrArray    *gp_challenge_parse         (const char * const *header_values,
                                          GError            **error);
GPtrArray    *gp_challenge_parse_first   (const char * const *header_values,
                                          gboolean           *dropped);

GpChallenge  *gp_challenge_new           (const char        *scheme,
                                          gsize              length);
void          gp_challenge_set_token68   (GpChallenge       *self,
                                          const char        *token68);
gboolean      gp_challenge_add_param     (GpChallenge       *self,
                                          const char        *name,
                                          const char        *value);
gboolean      gp_challenge_is_token68    (const char        *text);
gsize         gp_challenge_token_length  (const char        *text);
GpChallenge  *gp_challenge_ref           (GpChallenge       *self);
void          gp_challenge_unref         (GpChallenge       *self);

const char   *gp_challenge_get_scheme    (GpChallenge       *self);
const char   *gp_challenge_get_token68   (GpChallenge       *self);
const char   *gp_challenge_get_param     (GpChallenge       *self,
                                          const char        *name);
const char   *gp_challenge_get_realm     (GpChallenge       *self);
guint         gp_challenge_get_n_params  (GpChallenge       *self);
const char   *gp_challenge_get_param_name (GpChallenge      *self,
                                          guint              index);
const char   *gp_challenge_get_param_value (GpChallenge     *self,
                                          guint              index);
gboolean      gp_challenge_is_scheme     (GpChallenge       *self,
                                          const char        *scheme);
char         *gp_challenge_to_string     (GpChallenge       *self);
void          gp_challenge_add_json      (GpChallenge       *self,
                                          JsonBuilder       *builder);
GpChallenge  *gp_challenge_new_from_json (JsonObject        *object,
                                          GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpChallenge, gp_challenge_unref)

G_END_DECLS
