// SPDX-License-Identifier: MIT
/*
 * paths.c - options about an association's paths: the primary (ours and the peer's), failure
 * thresholds with RFC 7829's potentially-failed state and who may see it, and the PLPMTUD probe
 * interval. The kernel structs here are packed and hold a sockaddr_storage: each is zeroed whole
 * before use, so no byte of padding or of a shorter address reaches the kernel uninitialised.
 */
#include <limits.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

int sctpio_opt_get_primary_addr(int fd, sctp_assoc_t assoc, sctpio_addr *out)
{
	struct sctp_prim p;

	if (!out)
		return -EINVAL;
	memset(&p, 0, sizeof(p));
	p.ssp_assoc_id = assoc;
	int rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_PRIMARY_ADDR, &p, sizeof(p));
	if (rc < 0)
		return rc;
	sctpio__addr_from_kernel(out, &p.ssp_addr);
	return 0;
}

int sctpio_opt_set_peer_primary_addr(int fd, sctp_assoc_t assoc, const sctpio_addr *local)
{
	struct sctp_setpeerprim p;
	int rc;

	if (!local || !sctpio_addr_len(local))
		return -EINVAL;
	memset(&p, 0, sizeof(p));
	p.sspp_assoc_id = assoc;
	if ((rc = sctpio__addr_to_kernel(&p.sspp_addr, local)) < 0)
		return rc;
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_SET_PEER_PRIMARY_ADDR, &p, sizeof(p));
}

int sctpio_opt_get_paddrthlds(int fd, sctp_assoc_t assoc, struct sctpio_paddrthlds *t)
{
	struct sctp_paddrthlds_v2 k;
	int rc;

	if (!t)
		return -EINVAL;
	memset(&k, 0, sizeof(k));
	k.spt_assoc_id = assoc;
	if ((rc = sctpio__addr_to_kernel(&k.spt_address, &t->addr)) < 0)
		return rc;
	int v2 = 1;
	rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_THLDS_V2, &k, sizeof(k));
	if (rc == -ENOPROTOOPT) { /* before Linux 5.5: no switchover threshold */
		v2 = 0;
		rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_THLDS, &k, sizeof(struct sctp_paddrthlds));
	}
	if (rc < 0)
		return rc;
	sctpio_addr a = t->addr;
	memset(t, 0, sizeof(*t));
	t->addr = a;
	t->path_max_retrans = k.spt_pathmaxrxt;
	t->pf_threshold = k.spt_pathpfthld;
	t->ps_threshold = v2 ? k.spt_pathcpthld : SCTPIO_PS_OFF;
	t->flags = v2 ? SCTPIO_THLDS_PS : 0;
	return 0;
}

int sctpio_opt_set_paddrthlds(int fd, sctp_assoc_t assoc, const struct sctpio_paddrthlds *t)
{
	struct sctp_paddrthlds_v2 k;
	int rc;

	if (!t || (t->flags & ~(uint32_t)SCTPIO_THLDS_PS))
		return -EINVAL;
	int v2 = !!(t->flags & SCTPIO_THLDS_PS);
	if (v2 && t->ps_threshold < t->pf_threshold)
		return -EINVAL;
	/* The v1 struct is the v2 struct without its last field, so one zeroed buffer serves both. */
	memset(&k, 0, sizeof(k));
	k.spt_assoc_id = assoc;
	if ((rc = sctpio__addr_to_kernel(&k.spt_address, &t->addr)) < 0)
		return rc;
	k.spt_pathmaxrxt = t->path_max_retrans;
	k.spt_pathpfthld = t->pf_threshold;
	k.spt_pathcpthld = t->ps_threshold;
	if (v2)
		return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_THLDS_V2, &k, sizeof(k));
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_THLDS, &k, sizeof(struct sctp_paddrthlds));
}

int sctpio_opt_get_pf_expose(int fd, sctp_assoc_t assoc)
{
	uint32_t v;
	int rc = sctpio__av_get(fd, SCTP_EXPOSE_POTENTIALLY_FAILED_STATE, assoc, &v);
	return rc < 0 ? rc : (v > INT_MAX ? INT_MAX : (int)v);
}

int sctpio_opt_set_pf_expose(int fd, sctp_assoc_t assoc, int how)
{
	if (how < SCTPIO_PF_EXPOSE_UNSET || how > SCTPIO_PF_EXPOSE_ENABLE)
		return -EINVAL;
	return sctpio__av_set(fd, SCTP_EXPOSE_POTENTIALLY_FAILED_STATE, assoc, (uint32_t)how);
}

static int probe_req(struct sctp_probeinterval *p, sctp_assoc_t assoc, const sctpio_addr *peer)
{
	memset(p, 0, sizeof(*p));
	p->spi_assoc_id = assoc;
	if (peer && !sctpio_addr_len(peer))
		return -EINVAL;
	return sctpio__addr_to_kernel(&p->spi_address, peer);
}

int sctpio_opt_get_plpmtud_probe_interval(int fd, sctp_assoc_t assoc, const sctpio_addr *peer)
{
	struct sctp_probeinterval p;
	int rc;

	if ((rc = probe_req(&p, assoc, peer)) < 0)
		return rc;
	if ((rc = sctpio_opt_get(fd, IPPROTO_SCTP, SCTP_PLPMTUD_PROBE_INTERVAL, &p, sizeof(p))) < 0)
		return rc;
	return p.spi_interval > INT_MAX ? INT_MAX : (int)p.spi_interval;
}

int sctpio_opt_set_plpmtud_probe_interval(int fd, sctp_assoc_t assoc, const sctpio_addr *peer, uint32_t ms)
{
	struct sctp_probeinterval p;
	int rc;

	if ((rc = probe_req(&p, assoc, peer)) < 0)
		return rc;
	p.spi_interval = ms;
	return sctpio_opt_set(fd, IPPROTO_SCTP, SCTP_PLPMTUD_PROBE_INTERVAL, &p, sizeof(p));
}
