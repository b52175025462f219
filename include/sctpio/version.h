/* SPDX-License-Identifier: MIT */
/*
 * sctpio/version.h - which sctpio a program was compiled against, and which one it runs with.
 *
 * The ABI promise (README.md, "ABI"): within one soname (libsctpio.so.0) a program built against an
 * older release runs with a newer one. Functions are never removed or changed there, only added, each
 * release's additions under a symbol version node of their own (src/sctpio.map). Structs the caller
 * allocates and sctpio reads or fills end in reserved space (`reserved[]`, to be zeroed by the
 * caller), so a release can give them new fields without changing their size: a field takes
 * reserved space whose zero means "as before". A change that cannot keep these rules raises the
 * soname. CI compares the built library's ABI with the recorded one of the last release (abi/).
 */
#ifndef SCTPIO_VERSION_H
#define SCTPIO_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SCTPIO_API
#define SCTPIO_API __attribute__((visibility("default")))
#endif

#define SCTPIO_VERSION_MAJOR 0
#define SCTPIO_VERSION_MINOR 1
#define SCTPIO_VERSION_PATCH 0
/* One number, ordered as the releases are: 10000 * major + 100 * minor + patch. */
#define SCTPIO_VERSION_NUMBER (SCTPIO_VERSION_MAJOR * 10000 + SCTPIO_VERSION_MINOR * 100 + SCTPIO_VERSION_PATCH)

/*
 * sctpio_version - the version of the library running, as SCTPIO_VERSION_NUMBER gives the one
 * compiled against: a program may refuse a library older than its headers with
 * `if (sctpio_version() < SCTPIO_VERSION_NUMBER)`. Returns the number (> 0); any thread.
 */
SCTPIO_API int sctpio_version(void);

/* sctpio_version_string - the same as "MAJOR.MINOR.PATCH"; a static string, never freed. */
SCTPIO_API const char *sctpio_version_string(void);

#ifdef __cplusplus
}
#endif
#endif
