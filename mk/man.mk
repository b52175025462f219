# SPDX-License-Identifier: MIT
# mk/man.mk - the manual: man/man3 (one page per exported function, generated from the comments in
# include/ by scripts/mkman: edit the header, then `make man`) and man/man7/sctpio.7 (the overview).
# `make install` installs them under $(MANDIR); test/t_man.sh checks they are current and complete.
# Included from the Makefile, whose PREFIX and DESTDIR it uses.

MANDIR ?= $(PREFIX)/share/man

.PHONY: man install-man

man:
	scripts/mkman

install: install-man

install-man:
	install -d $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7
	install -m 644 man/man3/sctpio_*.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 644 man/man7/sctpio.7 $(DESTDIR)$(MANDIR)/man7/
