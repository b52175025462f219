// SPDX-License-Identifier: MIT
/*
 * The host grammar of addr.h, case by case from test/addr_cases.txt, the table that
 * sctp/addr_cases_test.go holds the Go ResolveAddr to as well, so that the two languages provably
 * agree. Runs on the host: no SCTP, and no name is looked up — a "name" case is checked with the
 * parser that decides what goes to the resolver (sctpio__host_parse, linked from the static library);
 * every other case goes through the public sctpio_addr_parse / sctpio_addr_parse_list, which never
 * reach the resolver for them. Usage: t_addr_grammar [CASES-FILE] (default: test/addr_cases.txt,
 * found from the working directory or next to the program's build directory).
 */
#include <arpa/inet.h>
#include <libgen.h>
#include <net/if.h>

#include "test.h"

/* src/internal.h: the classifier behind sctpio_addr_parse (0 literal, 1 name, -EINVAL). */
int sctpio__host_parse(const char *host, sctpio_addr *out);

static int failures, cases;

/* Undo the table's escapes in place: "" is empty, \s space, \t tab, \\ backslash. */
static void unescape(char *s)
{
	char *w = s;

	if (strcmp(s, "\"\"") == 0) {
		*s = '\0';
		return;
	}
	for (char *r = s; *r; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 's' ? ' ' : *r == 't' ? '\t' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* The address an expected text names, as sctpio_addr_parse would give it (port 0). */
static void expected_addr(const char *text, sctpio_addr *a, int line)
{
	char ip[128];
	const char *pct = strchr(text, '%');
	size_t n = pct ? (size_t)(pct - text) : strlen(text);

	memset(a, 0, sizeof(*a));
	memcpy(ip, text, n);
	ip[n] = '\0';
	if (inet_pton(AF_INET, ip, &a->sin.sin_addr) == 1) {
		a->sin.sin_family = AF_INET;
		return;
	}
	if (inet_pton(AF_INET6, ip, &a->sin6.sin6_addr) != 1)
		FAIL("line %d: expected address %s does not parse", line, text);
	a->sin6.sin6_family = AF_INET6;
	if (pct) {
		unsigned idx = if_nametoindex(pct + 1);
		a->sin6.sin6_scope_id = idx ? idx : (uint32_t)strtoul(pct + 1, NULL, 10);
	}
}

static void bad(int line, const char *kind, const char *input, const char *expect, const char *got)
{
	fprintf(stderr, "line %d: %s \"%s\": expected %s, got %s\n", line, kind, input, expect, got);
	failures++;
}

static void fmt_result(int rc, const sctpio_addr *a, int n, char *out, size_t len)
{
	if (rc < 0) {
		snprintf(out, len, "%s", strerror(-rc));
		return;
	}
	size_t off = 0;
	for (int i = 0; i < n; i++) {
		char t[SCTPIO_ADDR_TEXT_MAX];
		sctpio_addr_format(&a[i], t, sizeof(t));
		off += (size_t)snprintf(out + off, len - off, "%s%s", i ? "," : "", t);
	}
}

static void host_case(int line, const char *expect, const char *input)
{
	sctpio_addr got, want;
	char text[512];

	if (strcmp(expect, "name") == 0) {
		int rc = sctpio__host_parse(input, &got);
		if (rc != 1)
			bad(line, "host", input, "a name", rc == 0 ? "a literal" : "invalid");
		return;
	}
	int rc = sctpio_addr_parse(&got, input, 0);
	fmt_result(rc, &got, 1, text, sizeof(text));
	if (strcmp(expect, "invalid") == 0) {
		if (rc != -EINVAL)
			bad(line, "host", input, "invalid (-EINVAL)", text);
		if (*input && sctpio__host_parse(input, &got) != -EINVAL)
			bad(line, "host", input, "invalid to the classifier", "a literal or a name");
		return;
	}
	if (strcmp(expect, "any") == 0) {
		OK(sctpio_addr_parse(&want, "::", 0));
		if (rc != 0 || !sctpio_addr_equal(&got, &want))
			bad(line, "host", input, "the wildcard", text);
		return;
	}
	expected_addr(expect, &want, line);
	if (rc != 0 || !sctpio_addr_equal(&got, &want))
		bad(line, "host", input, expect, text);
	/* A literal keeps the port, and the classifier calls it a literal. */
	if (rc == 0) {
		OK(sctpio_addr_parse(&got, input, 36412));
		CHECK_EQ(sctpio_addr_port(&got), 36412);
		if (sctpio__host_parse(input, &got) != 0)
			bad(line, "host", input, "a literal to the classifier", "something else");
	}
}

static void list_case(int line, const char *expect, const char *input)
{
	sctpio_addr got[8], want[8];
	char text[1024], ex[512];
	int n = 0;

	int rc = sctpio_addr_parse_list(got, 8, input, 0);
	fmt_result(rc, got, rc, text, sizeof(text));
	if (strcmp(expect, "invalid") == 0) {
		if (rc != -EINVAL)
			bad(line, "list", input, "invalid (-EINVAL)", text);
		return;
	}
	snprintf(ex, sizeof(ex), "%s", expect);
	for (char *save, *e = strtok_r(ex, ",", &save); e; e = strtok_r(NULL, ",", &save))
		expected_addr(e, &want[n++], line);
	int same = rc == n;
	for (int i = 0; same && i < n; i++)
		same = sctpio_addr_equal(&got[i], &want[i]);
	if (!same)
		bad(line, "list", input, expect, text);
}

static FILE *open_cases(int argc, char **argv)
{
	char path[4096];

	if (argc > 1)
		return fopen(argv[1], "r");
	FILE *f = fopen("test/addr_cases.txt", "r");
	if (f)
		return f;
	/* build/test/t_addr_grammar -> build/../test/addr_cases.txt */
	snprintf(path, sizeof(path), "%s", argv[0]);
	char *dir = dirname(path);
	char full[4200];
	snprintf(full, sizeof(full), "%s/../../test/addr_cases.txt", dir);
	return fopen(full, "r");
}

int main(int argc, char **argv)
{
	char buf[1024];
	int line = 0;
	FILE *f = open_cases(argc, argv);

	if (!f)
		FAIL("cannot open addr_cases.txt (run from the repository root, or name the file)");
	while (fgets(buf, sizeof(buf), f)) {
		char kind[16], expect[512], input[512];
		line++;
		if (buf[0] == '#' || buf[0] == '\n')
			continue;
		if (sscanf(buf, "%15s %511s %511s", kind, expect, input) != 3)
			FAIL("line %d: want KIND EXPECT INPUT", line);
		unescape(input);
		cases++;
		if (strcmp(kind, "host") == 0)
			host_case(line, expect, input);
		else if (strcmp(kind, "list") == 0)
			list_case(line, expect, input);
		else
			FAIL("line %d: unknown kind %s", line, kind);
	}
	fclose(f);

	/* Beyond the table: NULL is the wildcard too, and sizes. */
	sctpio_addr a, want, many[2];
	OK(sctpio_addr_parse(&a, NULL, 7));
	OK(sctpio_addr_parse(&want, "::", 7));
	CHECK(sctpio_addr_equal(&a, &want));
	CHECK_EQ(sctpio_addr_parse(NULL, "1.2.3.4", 0), -EINVAL);
	CHECK_EQ(sctpio_addr_parse_list(many, 1, "1.2.3.4,::1", 0), -ENOBUFS);
	CHECK_EQ(sctpio_addr_parse_list(NULL, 1, "1.2.3.4", 0), -EINVAL);
	CHECK_EQ(sctpio_addr_parse_list(many, 2, NULL, 0), -EINVAL);
	char longname[300];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK_EQ(sctpio_addr_parse(&a, longname, 0), -EINVAL);

	printf("%d cases, %d wrong\n", cases, failures);
	CHECK(cases > 100);
	CHECK_EQ(failures, 0);
	return 0;
}
