/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gp-profile-manager.h"

G_BEGIN_DECLS

/* Profiles from what the system already has: the calling environment's
 * proxy variables and GNOME's proxy settings. Credentials found there
 * are percent-decoded and moved to the keyring; the plaintext copies are
 * reported, for clear-stale to remove when the user asks. */

typedef struct
{
  char       *source;      /* env or gnome */
  GpProfile  *profile;     /* NULL: skipped */
  GpPassword *password;    /* decoded, or NULL */
  char       *skipped;     /* why, when skipped */
  const char *unavailable; /* GP_SANDBOX_REASON when the source is out of
                            * reach (skipped then says why), or NULL */
  GPtrArray  *plaintext;   /* where a copy of the credentials still sits */
} GpImportCandidate;

void       gp_import_candidate_free (GpImportCandidate *candidate);

/* One candidate at most per source (NULL: the source sets no proxy). */
GpImportCandidate *gp_import_from_env   (const char * const *environment);
GpImportCandidate *gp_import_from_gnome (void);

/* Both sources, or the one from names (env or gnome), in that order:
 * GpImportCandidate. */
GPtrArray *gp_import_gather         (const char        *from);

/* Names the candidate's profile (name, or the proxy's host; a name taken
 * gets a suffix) or skips it when a profile has its URL and username. */
void       gp_import_name           (GpImportCandidate *candidate,
                                     GpProfileStore    *store,
                                     GPtrArray         *taken,
                                     const char        *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpImportCandidate, gp_import_candidate_free)

G_END_DECLS
