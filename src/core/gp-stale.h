/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gp-profile-manager.h"

G_BEGIN_DECLS

/* Stale cached credentials: copies of a proxy password that no longer
 * work or that nothing uses, which make proxies answer 407 again and
 * again after a password change (clear-stale, and its window dialog). */

typedef enum
{
  GP_STALE_REJECTED_CREDENTIAL,    /* rejected at the last test, unchanged since */
  GP_STALE_ORPHANED_CREDENTIAL,    /* a keyring item no profile uses */
  GP_STALE_GNOME_SETTINGS_PASSWORD,/* a plaintext password in GNOME's proxy settings */
  GP_STALE_SESSION_COPY,           /* the session holds other credentials than the keyring */
  GP_STALE_ENVIRONMENT_COPY,       /* a proxy URL with credentials in a file of the user's */
} GpStaleKind;

typedef struct
{
  GpStaleKind  kind;
  char        *profile_name;   /* the profile it belongs to, or NULL */
  char        *profile_id;     /* a keyring item's profile attribute, or NULL */
  char        *username;       /* a keyring item's username attribute, or NULL */
  char        *location;       /* keyring, gnome-settings, systemd, activation-environment, or a path */
  guint        line;           /* environment-copy: the line in location, from 1 */
  char        *explanation;    /* one sentence, never the secret */
} GpStaleFinding;

const char *gp_stale_kind_to_string   (GpStaleKind     kind);
void        gp_stale_finding_free     (GpStaleFinding *finding);
/* Whether clear-stale removes it: environment copies are only listed. */
gboolean    gp_stale_finding_removable (GpStaleFinding *finding);

/* What gp_stale_find cannot look at here: inside the Flatpak, findings
 * (explanation: why) of the kinds and locations the sandbox cannot reach,
 * which it then skips; empty on the host. */
GPtrArray  *gp_stale_unreachable      (void);

/* Never contacts a proxy: the last recorded test of each profile says
 * which passwords were rejected. The keyring must be reachable. */
GPtrArray  *gp_stale_find             (GpProfileManager *manager,
                                       const char       *results_dir,
                                       GCancellable     *cancellable,
                                       GError          **error);
/* Removes what one removable finding holds. *session_redone: FALSE at
 * first; the session's copies are all replaced by one re-apply. */
gboolean    gp_stale_remove           (GpProfileManager *manager,
                                       GpStaleFinding   *finding,
                                       gboolean         *session_redone,
                                       GCancellable     *cancellable,
                                       GError          **error);

/* The same in a worker thread (the window). remove_all: every removable
 * finding; the first failure is the error, the others are still tried. */
void        gp_stale_find_async        (GpProfileManager    *manager,
                                        const char          *results_dir,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GPtrArray  *gp_stale_find_finish       (GpProfileManager    *manager,
                                        GAsyncResult        *result,
                                        GError             **error);
void        gp_stale_remove_all_async  (GpProfileManager    *manager,
                                        GPtrArray           *findings,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean    gp_stale_remove_all_finish (GpProfileManager    *manager,
                                        GAsyncResult        *result,
                                        GError             **error);

/* gp-stale-files.c: kind 5, in the files of the user's and the system's
 * that set proxies (shell start-up files, /etc/environment, apt). */
void        gp_stale_scan_files       (GPtrArray        *findings);
/* The files (and apt's folder) that gp_stale_scan_files reads. */
GStrv       gp_stale_scanned_files    (void);
/* The user:password part of the first proxy URL in text that has one
 * (as written there: percent-encoded or not), or NULL. */
char       *gp_stale_find_userinfo    (const char       *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpStaleFinding, gp_stale_finding_free)

G_END_DECLS
