/* SPDX-License-Identifier: MIT */
/* sctpio/notify.h - placeholder: being written. */
#ifndef SCTPIO_NOTIFY_H
#define SCTPIO_NOTIFY_H
#endif
