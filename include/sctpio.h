/* SPDX-License-Identifier: MIT */
/*
 * sctpio.h - complete and fast SCTP for Linux programs.
 *
 * Layers, one header each: addresses (sctpio/addr.h), sockets (sctpio/socket.h), messages with their
 * metadata (sctpio/msg.h), notifications (sctpio/notify.h), socket options (sctpio/options.h) and
 * batches of messages moved by one system call (sctpio/batch.h), and dispatch of many sockets to a
 * few threads (sctpio/dispatch.h).
 * Conventions: functions return >= 0 on success and -errno on failure; the caller owns every buffer
 * it passes in; borrowed pointers are valid until the next call on their owner.
 */
#ifndef SCTPIO_H
#define SCTPIO_H

#include "sctpio/version.h"
#include "sctpio/addr.h"
#include "sctpio/socket.h"
#include "sctpio/msg.h"
#include "sctpio/notify.h"
#include "sctpio/options.h"
#include "sctpio/auth.h"
#include "sctpio/batch.h"
#include "sctpio/dispatch.h"

#endif
