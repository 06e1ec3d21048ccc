/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a test found. The nicks (from glib-mkenums) are the contract's
 * `verdict` strings: "auth-required", "protocol-error"... Adding one
 * means a row in gp-verdict.c's table, its rule and its advice there. */
typedef enum
{
  GP_VERDICT_OK,
  GP_VERDICT_AUTH_REQUIRED,
  GP_VERDICT_AUTH_REJECTED,
  GP_VERDICT_SCHEME_UNSUPPORTED,
  GP_VERDICT_FORBIDDEN,
  GP_VERDICT_TARGET_ERROR,
  GP_VERDICT_UNREACHABLE,
  GP_VERDICT_TIMEOUT,
  GP_VERDICT_TLS_ERROR,
  GP_VERDICT_KEYRING_ERROR,
  GP_VERDICT_REDIRECTED,
  GP_VERDICT_PROTOCOL_ERROR,
  GP_VERDICT_TLS_INSPECTED,
} GpVerdict;

/* How bad a verdict is: a front end's colour. */
typedef enum
{
  GP_SEVERITY_OK,
  GP_SEVERITY_WARNING,
  GP_SEVERITY_ERROR,
} GpSeverity;

/* What the advice suggests doing, as data: each front end words it (a
 * command line, a button, a pointer to a row). */
typedef enum
{
  GP_ADVICE_ACTION_NONE,
  GP_ADVICE_ACTION_STORE_PASSWORD,     /* the profile needs a password, none is stored */
  GP_ADVICE_ACTION_EDIT_CREDENTIALS,   /* the profile needs a username and a password */
  GP_ADVICE_ACTION_ALLOW_MORE_TIME,    /* test again with a longer timeout */
  GP_ADVICE_ACTION_TEST_DIRECTLY,      /* test again, also asking the echo service directly */
  GP_ADVICE_ACTION_UNLOCK_KEYRING,     /* the password is in a locked keyring */
} GpAdviceAction;

const char     *gp_verdict_to_string        (GpVerdict       verdict);
gboolean        gp_verdict_from_string      (const char     *text,
                                             GpVerdict      *verdict);
GpSeverity      gp_verdict_get_severity     (GpVerdict       verdict);
const char     *gp_verdict_get_icon_name    (GpVerdict       verdict);
const char     *gp_verdict_get_title        (GpVerdict       verdict);

const char     *gp_advice_action_to_string  (GpAdviceAction  action);
gboolean        gp_advice_action_from_string (const char    *text,
                                             GpAdviceAction *action);

/* For any enum registered by glib-mkenums: its nick, and back. */
const char     *gp_enum_to_nick             (GType           type,
                                             int             value);
gboolean        gp_enum_from_nick           (GType           type,
                                             const char     *nick,
                                             int            *value);

G_END_DECLS
