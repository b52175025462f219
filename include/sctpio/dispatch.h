/* SPDX-License-Identifier: MIT */
/*
 * sctpio/dispatch.h - serving many SCTP sockets (and many associations on one one-to-many socket)
 * from a few threads. Three objects:
 *
 *  - struct sctpio_pool, the receiver pool: N threads wait on one shared epoll instance; a registered
 *    socket's callback runs on one of them when the socket is ready.
 *  - struct sctpio_poller, the poller: its threads wait on one shared epoll instance and hand ready
 *    sockets, through a bounded queue, to worker threads that the caller runs. A worker pops a socket,
 *    drains and processes it, and gives it back with sctpio_poller_done, which re-arms it.
 *  - struct sctpio_queue, the bounded multi-producer multi-consumer queue the poller uses, public
 *    because handing work from one thread to another is what dispatching programs do next.
 *
 * The rule both models are built on: every socket is registered one-shot (EPOLLONESHOT), so exactly
 * one thread holds a ready socket at a time, and it is re-armed only after the code that read it has
 * finished with what it read. Hence ORDER: per association and stream, messages reach the processing
 * code in the order SCTP delivered them, with any number of threads. (Re-arming between reading and
 * processing would let a second thread read the next messages and overtake the first.) The cost is
 * that one socket is served by one thread at a time; a one-to-many socket carrying many busy
 * associations is served serially, and sctpio_sock_peeloff spreads such associations over sockets.
 *
 * Readiness is level-triggered: a socket that still holds data when it is re-armed is reported again
 * at once, so a callback or worker may drain only part of a socket (to be fair to others) and lose
 * nothing.
 *
 * Neither model owns the descriptors: sctpio never reads, writes or closes a registered socket. Remove
 * a socket before closing it; a socket closed while registered (its last descriptor) simply stops
 * being reported, but its registration stays until removed or the object is freed.
 *
 * There is no global state: any number of pools, pollers and queues may live in one process.
 * Functions return >= 0 on success and -errno on failure, as everywhere in sctpio.
 */
#ifndef SCTPIO_DISPATCH_H
#define SCTPIO_DISPATCH_H

#include <stddef.h>
#include <stdint.h>
#include "addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Why a socket is reported, and (IN, OUT) what a registration waits for. ERR and HUP are always
 * reported, asked for or not. OUT is one-shot: a report that carries OUT drops it from the interest
 * set (a report without OUT leaves it asked for), so a socket that is nearly always writable does not
 * wake a thread again and again; ask for it again (sctpio_pool_modify / sctpio_poller_modify) after
 * the next -EAGAIN from a send. The pool drops it as the callback starts, the poller as it queues the
 * socket; a modify made while the callback runs or the socket is queued or held applies when that
 * ends, so it asks again for the next report. A socket that asked for OUT, has had no report carrying
 * it since, and is writable, is reported (t_dispatch_torture checks it within a bound).
 */
enum sctpio_ready {
	SCTPIO_READY_IN = 1 << 0,  /* readable: a message, a notification, or end of stream is waiting */
	SCTPIO_READY_OUT = 1 << 1, /* writable again (after -EAGAIN) */
	SCTPIO_READY_ERR = 1 << 2, /* the socket has a pending error: read it with sctpio_sock_error */
	SCTPIO_READY_HUP = 1 << 3, /* the peer shut down or the association is gone; read to end of stream */
};

/* ---- receiver pool ---------------------------------------------------------------------------------- */

struct sctpio_pool;

/*
 * A pool callback. It runs on one of the pool's threads, never on two threads at once for the same
 * socket, and never again for a socket after sctpio_pool_remove of that socket has returned.
 * ready: enum sctpio_ready flags saying why it runs. fd and data are what sctpio_pool_add was given;
 * pool is valid for the whole call. The socket stays un-armed until the callback returns: reading
 * and processing happen in one callback, which is what keeps order.
 *
 * What a callback may do:
 *  - read, write, and anything else on its socket; leave data unread (it is reported again);
 *  - sctpio_pool_add, sctpio_pool_modify on any socket, sctpio_pool_stats;
 *  - sctpio_pool_remove of its own socket: returns at once, the callback is never called again, and
 *    the socket may be closed right away (even inside the callback); the same fd added again (from
 *    this callback or any thread) gets its first callback only after this one has returned;
 *  - sctpio_pool_remove of another socket: waits until that socket's running callback (if any)
 *    returns, or returns -EDEADLK where that callback is itself waiting, directly or through others,
 *    for this one;
 *  - block: it holds one thread meanwhile; the other threads go on serving every other socket, so a
 *    pool of N threads keeps serving with up to N - 1 blocked callbacks;
 *  - NOT sctpio_pool_free of its own pool (returns -EDEADLK, nothing is freed).
 */
typedef void (*sctpio_pool_cb)(struct sctpio_pool *pool, int fd, uint32_t ready, void *data);

/*
 * sctpio_pool_new - start a pool of `threads` threads (1..1024) and store it in *out.
 * Why one shared epoll instance, EPOLLONESHOT, and one event per epoll_wait (see pool.c for more):
 * the kernel queues epoll_wait callers on an instance as exclusive waiters, so one readiness change
 * wakes one thread (no thundering herd); taking one event at a time leaves the other ready sockets to
 * the other threads (no starvation of the ready, no idle thread beside waiting work); one-shot arming
 * means a socket whose callback blocks holds just that thread (no blockage of the rest).
 * The threads block every signal, so signals go to the caller's threads.
 * Returns 0, -EINVAL (out NULL, threads 0 or above 1024), -ENOMEM, or the -errno of epoll_create1,
 * eventfd or pthread_create (nothing is left running on failure). Free the pool with sctpio_pool_free.
 */
SCTPIO_API int sctpio_pool_new(struct sctpio_pool **out, unsigned threads);

/*
 * sctpio_pool_free - stop the pool: no callback starts any more, the running ones are waited for, the
 * threads are joined, and everything the pool allocated is freed. Registered sockets are not closed
 * (the caller owns them) and their callbacks are not told. NULL: no-op, 0.
 * A sctpio_pool_remove already waiting for a callback when this begins is waited for too (it returns
 * 0 once the callback has). No thread may start a call into the pool after this began, except the
 * callbacks still running (their sctpio_pool_add then returns -ECANCELED).
 * Returns 0, or -EDEADLK when called from one of the pool's own callbacks (nothing is done).
 */
SCTPIO_API int sctpio_pool_free(struct sctpio_pool *pool);

/*
 * sctpio_pool_add - register socket fd, waiting for `events` (SCTPIO_READY_IN and/or
 * SCTPIO_READY_OUT); cb(pool, fd, ready, data) runs on a pool thread when it is ready. data is the
 * caller's, passed back untouched. Any thread, callbacks included. The callback may run on another
 * thread before this returns.
 * Returns 0, or -EINVAL (pool or cb NULL, fd < 0, events with other bits), -EEXIST (fd is
 * registered), -ECANCELED (the pool is being freed), -ENOMEM, or the -errno of epoll_ctl (-EBADF,
 * -EPERM for a descriptor epoll cannot watch).
 */
SCTPIO_API int sctpio_pool_add(struct sctpio_pool *pool, int fd, uint32_t events, sctpio_pool_cb cb,
			       void *data);

/*
 * sctpio_pool_modify - change what fd waits for (SCTPIO_READY_IN / SCTPIO_READY_OUT). Any thread;
 * while fd's callback runs, the change applies when it returns. Returns 0, -EINVAL, -ENOENT (fd is
 * not registered), or the -errno of epoll_ctl.
 */
SCTPIO_API int sctpio_pool_modify(struct sctpio_pool *pool, int fd, uint32_t events);

/*
 * sctpio_pool_remove - unregister fd. When this returns 0, fd's callback is not running (except when
 * called from that callback itself) and will not run again, so fd may be closed and data freed.
 * From any other thread it waits for a running callback of fd to return.
 * Returns 0, -EINVAL (pool NULL), -ENOENT (not registered), or -EDEADLK (called from a callback that
 * fd's running callback is waiting for, directly or through other removes; nothing is changed).
 */
SCTPIO_API int sctpio_pool_remove(struct sctpio_pool *pool, int fd);

/* Counters of one pool thread, for tests and tuning. */
struct sctpio_pool_stats {
	uint64_t wakeups;   /* times epoll_wait returned with an event */
	uint64_t callbacks; /* callbacks run */
	uint64_t stale;     /* events dropped: their socket was removed or modified after epoll_wait
	                     * returned them (a modify re-arms, so the socket is reported afresh), or
	                     * an older registration of the same fd still ran (served when it returns) */
	uint64_t reserved[4]; /* zeroed (see sctpio/version.h) */
};

/*
 * sctpio_pool_stats - copy thread `thread`'s counters (0 <= thread < the count given to
 * sctpio_pool_new) into *out. Any thread; the counters are read without stopping the pool, so they
 * are exact only once the pool is quiet. Returns 0 or -EINVAL.
 */
SCTPIO_API int sctpio_pool_stats(const struct sctpio_pool *pool, unsigned thread, struct sctpio_pool_stats *out);

/* ---- bounded queue ---------------------------------------------------------------------------------- */

struct sctpio_queue;

/*
 * sctpio_queue_new - make a first-in first-out queue of at most `capacity` (1..2^24) pointers.
 * Any number of threads may push and pop at once (mutex and condition variables: blocked callers
 * sleep, they never poll). Returns 0, -EINVAL (out NULL, capacity 0 or too large) or -ENOMEM.
 */
SCTPIO_API int sctpio_queue_new(struct sctpio_queue **out, size_t capacity);

/*
 * sctpio_queue_free - free q. Items still queued are the caller's (pop them first if they own
 * memory). No thread may be inside a call on q, or call it later: close q, join the threads that use
 * it, then free. Returns 0 (NULL: no-op), or -EBUSY when a thread is still waiting inside a push or
 * pop (or was woken by close and has not left yet); nothing is freed then.
 */
SCTPIO_API int sctpio_queue_free(struct sctpio_queue *q);

/*
 * sctpio_queue_push - append item (any pointer, NULL included). When q is full, waits for room up to
 * timeout_ms milliseconds (-1: no limit, 0: do not wait). Returns 0, -EAGAIN (full and timeout 0),
 * -ETIMEDOUT (still full when the time ran out), -ECANCELED (q is closed: the item was not queued),
 * -EINVAL (q NULL).
 */
SCTPIO_API int sctpio_queue_push(struct sctpio_queue *q, void *item, int timeout_ms);

/*
 * sctpio_queue_pop - take the oldest item into *item. When q is empty, waits up to timeout_ms as for
 * push; a close wakes every waiting pop at once. After close, pop still returns the items left, then
 * -ECANCELED. Returns 0, -EAGAIN, -ETIMEDOUT, -ECANCELED, -EINVAL (q or item NULL).
 */
SCTPIO_API int sctpio_queue_pop(struct sctpio_queue *q, void **item, int timeout_ms);

/* sctpio_queue_close - refuse further pushes and wake every waiting push and pop. Idempotent.
 * Returns 0 or -EINVAL. */
SCTPIO_API int sctpio_queue_close(struct sctpio_queue *q);

/* sctpio_queue_count - the number of items queued now (0 for NULL). */
SCTPIO_API size_t sctpio_queue_count(struct sctpio_queue *q);

/* ---- poller and workers ----------------------------------------------------------------------------- */

struct sctpio_poller;

/*
 * A ready socket, held by the worker that popped it until it is given back with sctpio_poller_done.
 * The struct is the caller's (a local variable will do); fd and data are what sctpio_poller_add was
 * given; ready says why (enum sctpio_ready). Hand the same struct to sctpio_poller_done exactly once.
 */
struct sctpio_poller_event {
	int fd;
	uint32_t ready;
	void *data;
	uintptr_t hold; /* private: which hold this is; sctpio_poller_done clears it */
	uintptr_t reserved[2]; /* zeroed by pop (see sctpio/version.h) */
};

/*
 * sctpio_poller_new - start a poller with `threads` epoll threads (1..64; 1 is enough for most) that
 * push ready sockets into a queue of `queue_cap` entries (0: 1024), and store it in *out.
 * A full queue never loses a ready socket: the epoll thread blocks until a worker makes room (the
 * socket is held un-armed meanwhile, and the sockets behind it stay in the kernel's ready list).
 * Because a socket is one-shot, it sits in the queue at most once: a queue at least as large as the
 * number of sockets never blocks. Returns 0, -EINVAL, -ENOMEM, or the -errno of epoll_create1,
 * eventfd or pthread_create. Free it with sctpio_poller_free.
 */
SCTPIO_API int sctpio_poller_new(struct sctpio_poller **out, unsigned threads, size_t queue_cap);

/*
 * sctpio_poller_shutdown - stop producing: every sctpio_poller_pop, waiting or later, returns
 * -ECANCELED at once; sctpio_poller_done still gives sockets back (without re-arming them). Any thread,
 * workers included; idempotent. The usual end: shutdown, join the workers, free.
 * Returns 0 or -EINVAL.
 */
SCTPIO_API int sctpio_poller_shutdown(struct sctpio_poller *p);

/*
 * sctpio_poller_free - shut down (as above), join the epoll threads, wait until every held socket has
 * been given back with sctpio_poller_done and every pop and remove that was waiting inside p has
 * left, then free everything. Registered sockets are not closed. Once this has begun, no thread may
 * start a call into p except sctpio_poller_done of a socket it holds: join the workers first (the
 * usual end), or free while they wait in pop or remove, and let them stop on -ECANCELED or on their
 * done without calling again.
 * Returns 0 (NULL is a no-op), or -EDEADLK when the calling thread holds a socket of p (nothing is
 * done: give it back first).
 */
SCTPIO_API int sctpio_poller_free(struct sctpio_poller *p);

/*
 * sctpio_poller_add / sctpio_poller_modify - register fd waiting for `events` (SCTPIO_READY_IN and/or
 * SCTPIO_READY_OUT) with the caller's data, or change what it waits for (while it is queued or held,
 * the change applies at sctpio_poller_done). Any thread, holders included. An fd removed by (or
 * while held by) a worker and added again is not popped by anyone until the old hold is given back. Returns 0, -EINVAL, -EEXIST, -ENOENT
 * (modify: not registered), -ECANCELED (add after shutdown), -ENOMEM, or the -errno of epoll_ctl.
 */
SCTPIO_API int sctpio_poller_add(struct sctpio_poller *p, int fd, uint32_t events, void *data);
SCTPIO_API int sctpio_poller_modify(struct sctpio_poller *p, int fd, uint32_t events);

/*
 * sctpio_poller_remove - unregister fd. When this returns 0 no worker holds fd and none will pop it
 * again, so fd may be closed and its data freed — with one exception: called by the thread that
 * popped fd and holds it now, it returns at once; that thread still calls sctpio_poller_done (which
 * then releases without re-arming) and may close fd at any time. From any other thread it waits
 * until the holder's sctpio_poller_done. A removed socket waiting in the queue is dropped there.
 * Returns 0, -EINVAL, -ENOENT (not registered), or -EDEADLK (the holder of fd is waiting, directly or
 * through other removes, for a socket this thread holds; nothing is changed).
 */
SCTPIO_API int sctpio_poller_remove(struct sctpio_poller *p, int fd);

/*
 * sctpio_poller_pop - wait up to timeout_ms (-1: no limit, 0: do not wait) for a ready socket and
 * hold it: fill *ev. Until sctpio_poller_done(p, ev) no other worker gets this socket and it is not
 * re-armed: drain it, process what was read, then call done. Any number of worker threads.
 * Returns 0, -EAGAIN (none ready and timeout 0), -ETIMEDOUT, -ECANCELED (shut down: stop the worker),
 * -EINVAL (p or ev NULL).
 */
SCTPIO_API int sctpio_poller_pop(struct sctpio_poller *p, struct sctpio_poller_event *ev, int timeout_ms);

/*
 * sctpio_poller_done - give back a socket popped into *ev: re-arm it (level-triggered: it is reported
 * again at once if it still holds data), or release it for good when it was removed or the poller is
 * shut down. Clears ev->hold, so a second call with the same struct returns -EINVAL. Any thread.
 * Returns 0, -EINVAL (NULL, or ev holds nothing), or the -errno of re-arming (-EBADF or -ENOENT when
 * fd was closed without being removed: remove it).
 */
SCTPIO_API int sctpio_poller_done(struct sctpio_poller *p, struct sctpio_poller_event *ev);

#ifdef __cplusplus
}
#endif
#endif
