/* SPDX-License-Identifier: MIT */
/* sctpio/options.h - placeholder: being written. */
#ifndef SCTPIO_OPTIONS_H
#define SCTPIO_OPTIONS_H
#endif
