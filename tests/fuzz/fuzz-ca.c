/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CA check (the file a user gives with --ca-file or the window's
 * chooser): never crashes, whatever the bytes; the DER walker stays
 * inside its input; what it accepts is CERTIFICATE blocks only (never a
 * key, never the file's other text), and is accepted again unchanged. */
#include <string.h>

#include "fuzz-common.h"
#include "gp-ca.h"

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *at = haystack; (at = strstr (at, needle)) != NULL; at += strlen (needle))
    n++;
  return n;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree guint8 *der = g_memdup2 (data, size);
  g_autofree char *pem = NULL;
  g_autofree char *again = NULL;
  g_autofree char *subjects = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_init_once ();
  /* A copy of exactly size bytes, so that ASan sees any read past it. */
  (void) gp_der_certificate_is_ca (der, size);

  pem = gp_ca_check_pem ((const char *) data, size, &subjects, &error);
  if (pem == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == GP_CA_ERROR);
      return 0;
    }

  FUZZ_CHECK (subjects != NULL);
  FUZZ_CHECK (g_utf8_validate (pem, -1, NULL));
  FUZZ_CHECK (strstr (pem, "PRIVATE KEY") == NULL);
  FUZZ_CHECK (count (pem, "-----BEGIN ") == count (pem, "-----BEGIN CERTIFICATE-----"));
  FUZZ_CHECK (count (pem, "-----BEGIN CERTIFICATE-----") >= 1);
  again = gp_ca_check_pem (pem, strlen (pem), NULL, NULL);
  FUZZ_CHECK (again != NULL && strcmp (again, pem) == 0);
  return 0;
}
