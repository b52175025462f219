// SPDX-License-Identifier: MIT
/* version.c - the library's version at run time (sctpio/version.h). */
#include "internal.h"

#define STR2(x) #x
#define STR(x) STR2(x)

int sctpio_version(void)
{
	return SCTPIO_VERSION_NUMBER;
}

const char *sctpio_version_string(void)
{
	return STR(SCTPIO_VERSION_MAJOR) "." STR(SCTPIO_VERSION_MINOR) "." STR(SCTPIO_VERSION_PATCH);
}
