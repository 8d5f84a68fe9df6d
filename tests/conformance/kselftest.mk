# SPDX-License-Identifier: GPL-2.0
# Read after each kselftest target's own Makefile (make -f Makefile -f
# THIS) by tests/conformance/conformance: rules a target needs so that its
# programs link statically, as a UKL app and as the linux column's
# program both do.

# rseq: the tests link -lrseq, which the target builds as librseq.so
# (-shared -fPIC).  The same object in a static archive instead
# (kselftest.txt sets TEST_GEN_PROGS_EXTENDED to it).
$(OUTPUT)/librseq.a: rseq.c rseq.h rseq-*.h
	$(CC) $(CFLAGS) -c $< -o $(OUTPUT)/rseq.o
	$(AR) rcs $@ $(OUTPUT)/rseq.o
