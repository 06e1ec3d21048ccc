/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The settings activate may write: this schema and its children. */
#define GP_GNOME_PROXY_SCHEMA "org.gnome.system.proxy"

/* One GNOME setting that activate wrote: what it held before and what
 * Gatepass wrote, each as GVariant text, so that deactivate restores a
 * key only while it still holds Gatepass's value. */
typedef struct
{
  char *schema;
  char *key;
  char *previous;
  char *written;
} GpGnomeKey;

/* What activate applied, kept in $XDG_STATE_HOME/gatepass/session.json so
 * that deactivate can undo it whatever profiles.ini says by then (also
 * after a crash or a reboot). It never holds a password: the variables
 * are kept as they read without credentials. */
typedef struct
{
  char       *profile_id;
  char       *profile_name;
  char       *session_file;      /* the path written, or NULL */
  gboolean    file_credentials;  /* it holds the credentials too */
  GPtrArray  *variables;         /* GpEnvVariable, without credentials */
  gboolean    systemd;           /* sent to the systemd user manager */
  gboolean    activation;        /* sent to the bus's activation environment */
  GPtrArray  *gnome_keys;        /* GpGnomeKey; empty: GNOME untouched */
  char       *autostart;         /* the entry's path, or NULL */
  char       *credentials;       /* sent, not-needed, no-password, keyring-error */
  gint64      credential_modified; /* the keyring item's modification time when sent, or -1 */
  GHashTable *unavailable;       /* place → why it could not be reached */
} GpSessionRecord;

GpSessionRecord *gp_session_record_new      (void);
void             gp_session_record_free     (GpSessionRecord *record);
GpGnomeKey      *gp_gnome_key_new           (const char      *schema,
                                             const char      *key,
                                             const char      *previous,
                                             const char      *written);
void             gp_gnome_key_free          (GpGnomeKey      *key);
GpGnomeKey      *gp_session_record_find_key (GpSessionRecord *record,
                                             const char      *schema,
                                             const char      *key);

char            *gp_session_record_path     (void);
/* NULL with no error: nothing is recorded. */
GpSessionRecord *gp_session_record_load     (const char      *path,
                                             GError         **error);
gboolean         gp_session_record_save     (GpSessionRecord *record,
                                             const char      *path,
                                             GError         **error);
gboolean         gp_session_record_delete   (const char      *path,
                                             GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpSessionRecord, gp_session_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpGnomeKey, gp_gnome_key_free)

G_END_DECLS
