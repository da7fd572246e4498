/* comma_locale: a locale with a decimal comma, for the tests that prove
 * number reading and writing ignore the C locale. Header-only; include after
 * cmocka.h. Use restore_locale as the test's teardown. */
#ifndef GRUNDLAG_TESTS_COMMA_LOCALE_H
#define GRUNDLAG_TESTS_COMMA_LOCALE_H

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A locale whose decimal point is a comma, for LC_NUMERIC: an installed one,
 * else da_DK compiled with localedef into a temporary LOCPATH (Debian ships
 * the sources in the locales package but generates none by default). Sets
 * *tmp to that directory. NULL when there is no way to get one. */
static inline const char *comma_locale(char **tmp) {
    static const char *const names[] = {"da_DK.UTF-8", "da_DK.utf8", "de_DE.UTF-8", "fr_FR.UTF-8", NULL};
    *tmp = NULL;
    for (int i = 0; names[i]; i++)
        if (setlocale(LC_NUMERIC, names[i])) return names[i];
    char dir[] = "/tmp/grundlag-locale-XXXXXX";
    if (!mkdtemp(dir)) return NULL;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "localedef -i da_DK -f UTF-8 %s/da_DK.UTF-8 >/dev/null 2>&1", dir);
    int rc = system(cmd);
    *tmp = strdup(dir);
    if (rc != 0) return NULL;
    setenv("LOCPATH", dir, 1);
    return setlocale(LC_NUMERIC, "da_DK.UTF-8") ? "da_DK.UTF-8" : NULL;
}

static inline int restore_locale(void **state) {
    char *tmp = *state;
    setlocale(LC_NUMERIC, "C");
    if (tmp) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmp);
        unsetenv("LOCPATH");
        free(tmp);
    }
    return 0;
}

#endif
