/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Runs a libFuzzer target over files, for compilers without libFuzzer: the corpus in tests/fuzz/corpus
 * becomes a regression test under the sanitizers. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char *argv[])
{
        for (int i = 1; i < argc; i++) {
                FILE *f = fopen(argv[i], "rb");
                char buf[65536];
                size_t n;

                if (!f) {
                        perror(argv[i]);
                        return EXIT_FAILURE;
                }
                n = fread(buf, 1, sizeof(buf), f);
                fclose(f);
                LLVMFuzzerTestOneInput((const uint8_t *) buf, n);
        }
        printf("1..1\nok 1 - %d inputs replayed\n", argc - 1);
        return EXIT_SUCCESS;
}
