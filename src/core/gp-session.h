/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gp-profile.h"

G_BEGIN_DECLS

#define GP_SESSION_ERROR (gp_session_error_quark ())

typedef enum
{
  GP_SESSION_ERROR_NO_PASSWORD,   /* applied without credentials: none is stored */
  GP_SESSION_ERROR_UNAVAILABLE,   /* applied, but a place could not be reached */
  GP_SESSION_ERROR_FAILED,        /* a file could not be written */
} GpSessionError;

typedef enum
{
  GP_SESSION_PLACE_NOT_REQUESTED,
  GP_SESSION_PLACE_APPLIED,
  GP_SESSION_PLACE_UNAVAILABLE,
} GpSessionPlaceState;

typedef struct
{
  GpSessionPlaceState  state;
  char                *reason;       /* unavailable: why */
  const char          *code;         /* unavailable: GP_SANDBOX_REASON, or NULL */
} GpSessionPlace;

/* Where the active profile is applied now: the record compared with the
 * live state, for `status` and the window. */
typedef struct
{
  char           *profile_id;        /* NULL: nothing is applied */
  char           *profile_name;
  char           *session_file;      /* the path, or NULL */
  gboolean        file_credentials;
  const char     *file_state;        /* applied, missing, changed; NULL without a file */
  GpSessionPlace  systemd;
  GpSessionPlace  activation;
  GpSessionPlace  gnome;
  GpSessionPlace  autostart;
  char           *credentials;       /* sent, not-needed, no-password, keyring-error */
  GPtrArray      *problems;          /* sentences: what differs from what was applied */
} GpSessionStatus;

GQuark           gp_session_error_quark        (void);
const char      *gp_session_place_state_to_string (GpSessionPlaceState state);

char            *gp_session_file_path          (void);
char            *gp_session_autostart_path     (void);

/* Applies profile to the session, replacing what was applied before;
 * NULL undoes what is recorded. password: NULL when the profile sends
 * none, none is stored or the keyring failed (credentials says which);
 * credential_modified: its keyring item's modification time, or -1
 * (recorded, so that clear-stale can tell a copy made before a change).
 * TRUE when everything reachable was applied; a place that could not
 * be reached is then GP_SESSION_ERROR_UNAVAILABLE in *note. */
gboolean         gp_session_apply              (GpProfile    *profile,
                                                const char   *password,
                                                const char   *credentials,
                                                gint64        credential_modified,
                                                GError      **note,
                                                GError      **error);
GpSessionStatus *gp_session_get_status         (void);
void             gp_session_get_status_async   (GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* NULL only when cancelled. */
GpSessionStatus *gp_session_get_status_finish  (GAsyncResult        *result,
                                                GError             **error);
void             gp_session_status_free        (GpSessionStatus *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpSessionStatus, gp_session_status_free)

G_END_DECLS
