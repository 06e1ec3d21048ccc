/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The echo answer parser (the exit IP): never crashes; an answer it
 * accepts is a real IP address (g_inet_address_new_from_string accepts
 * it once a zone id "%..." is removed) and clean text. */
#include <gio/gio.h>
#include <string.h>

#include "fuzz-common.h"
#include "gp-prober.h"
#include "gp-text.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *ip = NULL;
  g_autofree char *address_text = NULL;
  g_autoptr(GInetAddress) address = NULL;

  fuzz_init_once ();
  /* The body as received: its length, NULs and all. */
  ip = gp_prober_parse_echo_body ((const char *) data, size);
  if (ip == NULL)
    return 0;

  FUZZ_CHECK (*ip != '\0');
  FUZZ_CHECK (gp_text_is_clean (ip));
  address_text = g_strndup (ip, strcspn (ip, "%"));
  address = g_inet_address_new_from_string (address_text);
  if (address == NULL)
    fprintf (stderr, "not an address: \"%s\"\n", ip);
  FUZZ_CHECK (address != NULL);
  return 0;
}
