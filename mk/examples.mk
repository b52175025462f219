# SPDX-License-Identifier: MIT
# mk/examples.mk - the complete example programs in examples/, built by `make` (into $(B)/examples)
# against the static library exactly as a user's program would be, and run by test/t_examples.sh.
# Included from the Makefile, whose B, CC, CFLAGS and SAN it uses.

EXAMPLES := $(patsubst examples/%.c,$(B)/examples/%,$(wildcard examples/*.c))

.PHONY: examples

all: examples
examples: $(EXAMPLES)

$(B)/examples/%: examples/%.c $(B)/libsctpio.a
	@mkdir -p $(B)/examples
	$(CC) $(CFLAGS) -std=c11 -Wall -Wextra -Werror -Iinclude $(SAN) -o $@ $< $(B)/libsctpio.a -pthread
