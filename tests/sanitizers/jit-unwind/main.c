/* SPDX-License-Identifier: GPL-3.0-or-later
 * Registers unwind tables with __register_frame, as LLVM's JIT does for the
 * code it generates (llvmpipe: RTDyldMemoryManager::registerEHFrames), then
 * allocates (see run.sh). The tables registered are this executable's own
 * .eh_frame, found through the linker's __GNU_EH_FRAME_HDR. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void __register_frame (const void *begin);
extern const unsigned char __GNU_EH_FRAME_HDR[];

static void *volatile kept;

int
main (int argc, char **argv)
{
  const unsigned char *hdr = __GNU_EH_FRAME_HDR;

  if (argc > 1 && strcmp (argv[1], "register") == 0)
    {
      int32_t offset;

      /* version 1, eh_frame_ptr encoded DW_EH_PE_pcrel | DW_EH_PE_sdata4 */
      if (hdr[0] != 1 || hdr[1] != 0x1b)
        return 2;
      memcpy (&offset, hdr + 4, sizeof offset);
      __register_frame (hdr + 4 + offset);
      puts ("registered");
      fflush (stdout);
    }
  kept = malloc (16);
  free (kept);
  puts ("allocated");
  return 0;
}
