/* SPDX-License-Identifier: MIT */
/* sctpio/batch.h - placeholder: being written. */
#ifndef SCTPIO_BATCH_H
#define SCTPIO_BATCH_H
#endif
