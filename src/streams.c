// SPDX-License-Identifier: MIT
/*
 * streams.c - per-stream control: schedulers and their per-stream values, stream reconfiguration
 * (RFC 6525: reset, add, association reset) and SCTP over UDP encapsulation (RFC 6951).
 * Built on the raw sctpio_opt_get/sctpio_opt_set of options.c, which check fd and lengths.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

static int av_get(int fd, int name, sctp_assoc_t assoc, uint32_t *value)
{
	struct sctp_assoc_value av = { .assoc_id = assoc };
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, name, &av, sizeof(av));
	if (rc < 0)
		return rc;
	*value = av.assoc_value;
	return 0;
}

static int av_set(int fd, int name, sctp_assoc_t assoc, uint32_t value)
{
	struct sctp_assoc_value av = { .assoc_id = assoc, .assoc_value = value };
	return sctpio_opt_set(fd, IPPROTO_SCTP, name, &av, sizeof(av));
}

/* --- SCTP over UDP --------------------------------------------------------------------------------- */

/* Fill the request; an all-zero address is how the kernel is told "the association, not one path". */
static int encaps_req(struct sctp_udpencaps *e, sctp_assoc_t assoc, const sctpio_addr *peer)
{
	memset(e, 0, sizeof(*e));
	e->sue_assoc_id = assoc;
	if (peer) {
		socklen_t l = sctpio_addr_len(peer);
		if (!l)
			return -EINVAL;
		memcpy(&e->sue_address, peer, l);
	}
	return 0;
}

int sctpio_opt_get_udp_encaps_port(int fd, sctp_assoc_t assoc, const sctpio_addr *peer)
{
	struct sctp_udpencaps e;
	int rc;

	if ((rc = encaps_req(&e, assoc, peer)) < 0)
		return rc;
	if ((rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &e, sizeof(e))) < 0)
		return rc;
	/* The kernel keeps and reports the port in network order (it goes straight into the UDP header). */
	return ntohs(e.sue_port);
}

int sctpio_opt_set_udp_encaps_port(int fd, sctp_assoc_t assoc, const sctpio_addr *peer, uint16_t port)
{
	struct sctp_udpencaps e;
	int rc;

	if ((rc = encaps_req(&e, assoc, peer)) < 0)
		return rc;
	e.sue_port = htons(port);
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &e, sizeof(e));
}

/* --- schedulers ------------------------------------------------------------------------------------ */

int sctpio_opt_get_stream_scheduler(int fd, sctp_assoc_t assoc)
{
	uint32_t v;
	int rc = av_get(fd, SCTP_STREAM_SCHEDULER, assoc, &v);
	return rc < 0 ? rc : (int)(v & 0xffff);
}

int sctpio_opt_set_stream_scheduler(int fd, sctp_assoc_t assoc, int sched)
{
	if (sched < SCTPIO_SCHED_FCFS || sched > SCTPIO_SCHED_WFQ)
		return -EINVAL;
	return av_set(fd, SCTP_STREAM_SCHEDULER, assoc, (uint32_t)sched);
}

int sctpio_opt_get_stream_scheduler_value(int fd, sctp_assoc_t assoc, uint16_t stream)
{
	struct sctp_stream_value sv = { .assoc_id = assoc, .stream_id = stream };
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_STREAM_SCHEDULER_VALUE, &sv, sizeof(sv));
	return rc < 0 ? rc : sv.stream_value;
}

int sctpio_opt_set_stream_scheduler_value(int fd, sctp_assoc_t assoc, uint16_t stream, uint16_t value)
{
	struct sctp_stream_value sv = { .assoc_id = assoc, .stream_id = stream, .stream_value = value };
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_STREAM_SCHEDULER_VALUE, &sv, sizeof(sv));
}

/* --- reconfiguration ------------------------------------------------------------------------------- */

int sctpio_opt_get_reconfig_supported(int fd, sctp_assoc_t assoc)
{
	uint32_t v;
	int rc = av_get(fd, SCTP_RECONFIG_SUPPORTED, assoc, &v);
	return rc < 0 ? rc : !!v;
}

int sctpio_opt_set_reconfig_supported(int fd, sctp_assoc_t assoc, int on)
{
	if (on != 0 && on != 1)
		return -EINVAL;
	return av_set(fd, SCTP_RECONFIG_SUPPORTED, assoc, (uint32_t)on);
}

int sctpio_opt_get_enable_stream_reset(int fd, sctp_assoc_t assoc)
{
	uint32_t v;
	int rc = av_get(fd, SCTP_ENABLE_STREAM_RESET, assoc, &v);
	return rc < 0 ? rc : (int)(v & SCTP_ENABLE_STRRESET_MASK);
}

int sctpio_opt_set_enable_stream_reset(int fd, sctp_assoc_t assoc, unsigned flags)
{
	if (flags & ~(unsigned)SCTP_ENABLE_STRRESET_MASK)
		return -EINVAL;
	return av_set(fd, SCTP_ENABLE_STREAM_RESET, assoc, flags);
}

int sctpio_stream_reset(int fd, sctp_assoc_t assoc, unsigned flags, const uint16_t *streams, size_t n)
{
	const unsigned known = SCTPIO_STREAM_RESET_IN | SCTPIO_STREAM_RESET_OUT;

	if (fd < 0)
		return -EBADF;
	if (!flags || (flags & ~known) || (n && !streams) || n > UINT16_MAX)
		return -EINVAL;
	/* The request carries its stream list inline, so it is built on the heap at its exact size. */
	size_t len = sizeof(struct sctp_reset_streams) + n * sizeof(uint16_t);
	struct sctp_reset_streams *rs = calloc(1, len);
	if (!rs)
		return -ENOMEM;
	rs->srs_assoc_id = assoc;
	rs->srs_flags = (uint16_t)flags;
	rs->srs_number_streams = (uint16_t)n;
	if (n)
		memcpy(rs->srs_stream_list, streams, n * sizeof(uint16_t));
	int rc = sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_RESET_STREAMS, rs, len);
	free(rs);
	return rc;
}

int sctpio_stream_add(int fd, sctp_assoc_t assoc, uint16_t add_in, uint16_t add_out)
{
	if (!add_in && !add_out)
		return -EINVAL;
	struct sctp_add_streams as = { .sas_assoc_id = assoc, .sas_instrms = add_in, .sas_outstrms = add_out };
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_ADD_STREAMS, &as, sizeof(as));
}

int sctpio_assoc_reset(int fd, sctp_assoc_t assoc)
{
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_RESET_ASSOC, &assoc, sizeof(assoc));
}
