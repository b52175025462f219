// SPDX-License-Identifier: MIT
/*
 * stats.c - what an association counted: SCTP_GET_ASSOC_STATS, and the messages PR-SCTP abandoned
 * (SCTP_PR_ASSOC_STATUS, SCTP_PR_STREAM_STATUS) under sctpio's policy numbering.
 */
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

int sctpio_opt_get_assoc_stats(int fd, sctp_assoc_t assoc, struct sctpio_assoc_stats *out)
{
	struct sctp_assoc_stats s;

	if (!out)
		return -EINVAL;
	memset(&s, 0, sizeof(s));
	s.sas_assoc_id = assoc;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &s, sizeof(s));
	if (rc < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	sctpio__addr_from_kernel(&out->max_rto_addr, &s.sas_obs_rto_ipaddr);
	out->max_rto_ticks = s.sas_maxrto;
	out->sacks_in = s.sas_isacks;
	out->sacks_out = s.sas_osacks;
	out->packets_in = s.sas_ipackets;
	out->packets_out = s.sas_opackets;
	out->rtx_chunks = s.sas_rtxchunks;
	out->out_of_seq_tsns = s.sas_outofseqtsns;
	out->dup_chunks_in = s.sas_idupchunks;
	out->gap_acks_in = s.sas_gapcnt;
	out->unordered_in = s.sas_iuodchunks;
	out->unordered_out = s.sas_ouodchunks;
	out->ordered_in = s.sas_iodchunks;
	out->ordered_out = s.sas_oodchunks;
	out->ctrl_in = s.sas_ictrlchunks;
	out->ctrl_out = s.sas_octrlchunks;
	return 0;
}

/* sctpio's policy numbers (1..3, SCTPIO_PR_ALL) as the kernel's: bits 4-5, or SCTP_PR_SCTP_ALL. */
static int pr_kernel_policy(int policy, uint16_t *out)
{
	if (policy == SCTPIO_PR_ALL)
		*out = SCTP_PR_SCTP_ALL;
	else if (policy >= SCTPIO_PR_TTL && policy <= SCTPIO_PR_PRIO)
		*out = (uint16_t)(policy << 4);
	else
		return -EINVAL;
	return 0;
}

static int pr_status(int fd, int name, sctp_assoc_t assoc, uint16_t stream, int policy, struct sctpio_pr_status *out)
{
	struct sctp_prstatus p;
	uint16_t kp;

	if (!out || pr_kernel_policy(policy, &kp) < 0)
		return -EINVAL;
	memset(&p, 0, sizeof(p));
	p.sprstat_assoc_id = assoc;
	p.sprstat_sid = stream;
	p.sprstat_policy = kp;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, name, &p, sizeof(p));
	if (rc < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->abandoned_unsent = p.sprstat_abandoned_unsent;
	out->abandoned_sent = p.sprstat_abandoned_sent;
	return 0;
}

int sctpio_opt_get_pr_assoc_status(int fd, sctp_assoc_t assoc, int policy, struct sctpio_pr_status *out)
{
	return pr_status(fd, SCTP_PR_ASSOC_STATUS, assoc, 0, policy, out);
}

int sctpio_opt_get_pr_stream_status(int fd, sctp_assoc_t assoc, uint16_t stream, int policy,
				    struct sctpio_pr_status *out)
{
	return pr_status(fd, SCTP_PR_STREAM_STATUS, assoc, stream, policy, out);
}
