// SPDX-License-Identifier: MIT
/*
 * tunables.c - the simpler options: on/off switches, SACK timing, the receiver's context, burst
 * limit, SCTP_REUSE_PORT, v4-mapped addresses, RCVINFO on receive, reading a subscription back, and
 * the extensions negotiated at association set-up (ECN, ASCONF, I-DATA, auto-ASCONF). SCTP-AUTH is
 * in auth.c.
 */
#include <limits.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

static int get_bool(int fd, int name)
{
	int v = 0;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, name, &v, sizeof(v));
	return rc < 0 ? rc : !!v;
}

static int set_bool(int fd, int name, int on)
{
	if (on != 0 && on != 1)
		return -EINVAL;
	return sctpio_opt_set(fd, IPPROTO_SCTP, name, &on, sizeof(on));
}

static int av_get_bool(int fd, int name, sctp_assoc_t assoc)
{
	uint32_t v;
	int rc = sctpio__av_get(fd, name, assoc, &v);
	return rc < 0 ? rc : !!v;
}

static int av_set_bool(int fd, int name, sctp_assoc_t assoc, int on)
{
	if (on != 0 && on != 1)
		return -EINVAL;
	return sctpio__av_set(fd, name, assoc, (uint32_t)on);
}

int sctpio_opt_get_disable_fragments(int fd)
{
	return get_bool(fd, SCTP_DISABLE_FRAGMENTS);
}

int sctpio_opt_set_disable_fragments(int fd, int on)
{
	return set_bool(fd, SCTP_DISABLE_FRAGMENTS, on);
}

int sctpio_opt_get_delayed_sack(int fd, sctp_assoc_t assoc, uint32_t *delay_ms, uint32_t *freq)
{
	struct sctp_sack_info s;

	if (!delay_ms || !freq)
		return -EINVAL;
	memset(&s, 0, sizeof(s));
	s.sack_assoc_id = assoc;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_DELAYED_SACK, &s, sizeof(s));
	if (rc < 0)
		return rc;
	*delay_ms = s.sack_delay;
	*freq = s.sack_freq;
	return 0;
}

int sctpio_opt_set_delayed_sack(int fd, sctp_assoc_t assoc, uint32_t delay_ms, uint32_t freq)
{
	struct sctp_sack_info s;

	if (delay_ms > 500)
		return -EINVAL;
	memset(&s, 0, sizeof(s));
	s.sack_assoc_id = assoc;
	s.sack_delay = delay_ms;
	s.sack_freq = freq;
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_DELAYED_SACK, &s, sizeof(s));
}

int sctpio_opt_get_context(int fd, sctp_assoc_t assoc, uint32_t *context)
{
	if (!context)
		return -EINVAL;
	return sctpio__av_get(fd, SCTP_CONTEXT, assoc, context);
}

int sctpio_opt_set_context(int fd, sctp_assoc_t assoc, uint32_t context)
{
	return sctpio__av_set(fd, SCTP_CONTEXT, assoc, context);
}

int sctpio_opt_get_max_burst(int fd, sctp_assoc_t assoc)
{
	uint32_t v;
	int rc = sctpio__av_get(fd, SCTP_MAX_BURST, assoc, &v);
	return rc < 0 ? rc : (v > INT_MAX ? INT_MAX : (int)v);
}

int sctpio_opt_set_max_burst(int fd, sctp_assoc_t assoc, uint32_t packets)
{
	return sctpio__av_set(fd, SCTP_MAX_BURST, assoc, packets);
}

int sctpio_opt_get_sctp_reuse_port(int fd)
{
	return get_bool(fd, SCTP_REUSE_PORT);
}

int sctpio_opt_set_sctp_reuse_port(int fd, int on)
{
	int rc = set_bool(fd, SCTP_REUSE_PORT, on);
	/* The kernel's answer for "already bound"; our buffer is valid, so EFAULT can mean nothing else. */
	return rc == -EFAULT ? -EINVAL : rc;
}

int sctpio_opt_get_mapped_v4(int fd)
{
	return get_bool(fd, SCTP_I_WANT_MAPPED_V4_ADDR);
}

int sctpio_opt_set_mapped_v4(int fd, int on)
{
	return set_bool(fd, SCTP_I_WANT_MAPPED_V4_ADDR, on);
}

int sctpio_opt_get_recvrcvinfo(int fd)
{
	return get_bool(fd, SCTP_RECVRCVINFO);
}

int sctpio_opt_set_recvrcvinfo(int fd, int on)
{
	return set_bool(fd, SCTP_RECVRCVINFO, on);
}

int sctpio_opt_get_event(int fd, sctp_assoc_t assoc, uint16_t type)
{
	struct sctp_event ev;

	/* memset: the struct ends in a byte followed by padding. */
	memset(&ev, 0, sizeof(ev));
	ev.se_assoc_id = assoc;
	ev.se_type = type;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev));
	return rc < 0 ? rc : !!ev.se_on;
}

int sctpio_opt_get_ecn_supported(int fd, sctp_assoc_t assoc)
{
	return av_get_bool(fd, SCTP_ECN_SUPPORTED, assoc);
}

int sctpio_opt_set_ecn_supported(int fd, sctp_assoc_t assoc, int on)
{
	return av_set_bool(fd, SCTP_ECN_SUPPORTED, assoc, on);
}

int sctpio_opt_get_asconf_supported(int fd, sctp_assoc_t assoc)
{
	return av_get_bool(fd, SCTP_ASCONF_SUPPORTED, assoc);
}

int sctpio_opt_set_asconf_supported(int fd, sctp_assoc_t assoc, int on)
{
	return av_set_bool(fd, SCTP_ASCONF_SUPPORTED, assoc, on);
}

int sctpio_opt_get_interleaving_supported(int fd, sctp_assoc_t assoc)
{
	return av_get_bool(fd, SCTP_INTERLEAVING_SUPPORTED, assoc);
}

int sctpio_opt_set_interleaving_supported(int fd, sctp_assoc_t assoc, int on)
{
	return av_set_bool(fd, SCTP_INTERLEAVING_SUPPORTED, assoc, on);
}

int sctpio_opt_get_auto_asconf(int fd)
{
	return get_bool(fd, SCTP_AUTO_ASCONF);
}

int sctpio_opt_set_auto_asconf(int fd, int on)
{
	return set_bool(fd, SCTP_AUTO_ASCONF, on);
}
