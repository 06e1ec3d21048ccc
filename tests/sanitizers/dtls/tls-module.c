/* SPDX-License-Identifier: GPL-3.0-or-later
 * A module with a thread-local variable, as libgnutls is (see run.sh). */
__thread char buffer[16] = "x";
char *touch (void) { return buffer; }
