/* SPDX-License-Identifier: MIT
 *
 * Rendering: run gnuplot on a saved script, only when asked.  gnuplot is
 * looked up on PATH and executed directly with an argument vector (fork
 * and exec, never a shell), so no file name is ever interpreted by a
 * shell.  It runs in the script's folder, which is where the script's
 * relative `set output` puts the picture.
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Copy of the first len bytes of s, or NULL. */
static char *dup_n(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d != NULL) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

/* The full name of an executable regular file `name` in one of the
 * folders of PATH (the system default path when PATH is unset), or
 * NULL. */
static char *find_program(const char *name)
{
    const char *path = getenv("PATH");
    char fallback[256];
    if (path == NULL) {
        size_t n = confstr(_CS_PATH, fallback, sizeof fallback);
        if (n == 0 || n > sizeof fallback) {
            return NULL;
        }
        path = fallback;
    }
    for (const char *p = path;;) {
        size_t len = strcspn(p, ":");
        /* An empty PATH entry means the current folder, as for execvp. */
        const char *dir = len > 0 ? p : ".";
        size_t dlen = len > 0 ? len : 1;
        size_t total = dlen + 1 + strlen(name) + 1;
        char *cand = malloc(total);
        if (cand == NULL) {
            return NULL;
        }
        snprintf(cand, total, "%.*s/%s", (int)dlen, dir, name);
        struct stat sb;
        if (stat(cand, &sb) == 0 && S_ISREG(sb.st_mode) &&
            access(cand, X_OK) == 0) {
            return cand;
        }
        free(cand);
        if (p[len] == '\0') {
            return NULL;
        }
        p += len + 1;
    }
}

int tally_plot_render(const char *path, int *missing)
{
    int dummy;
    if (missing == NULL) {
        missing = &dummy;
    }
    *missing = 0;
    if (path == NULL || path[0] == '\0') {
        return TALLY_ERROR(TALLY_EINVAL, "plot: no script to render");
    }
    char *prog = find_program("gnuplot");
    if (prog == NULL) {
        *missing = 1;
        return TALLY_ERROR(TALLY_EIO,
                           "gnuplot is not installed (no 'gnuplot' on PATH)");
    }
    /* Split the script's name into its folder and base name; the base name
     * gets "./" in front when it starts with '-', so gnuplot cannot take
     * it for an option. */
    const char *slash = strrchr(path, '/');
    char *dir = slash == NULL
                    ? dup_n(".", 1)
                    : dup_n(path, slash == path ? 1 : (size_t)(slash - path));
    const char *base = slash == NULL ? path : slash + 1;
    size_t blen = strlen(base) + 3;
    char *arg = malloc(blen);
    int devnull = open("/dev/null", O_RDONLY);
    if (dir == NULL || arg == NULL || devnull < 0) {
        free(dir);
        free(arg);
        free(prog);
        if (devnull >= 0) {
            close(devnull);
        }
        return TALLY_ERROR(TALLY_EIO, "cannot start gnuplot: %s",
                           strerror(errno));
    }
    snprintf(arg, blen, "%s%s", base[0] == '-' ? "./" : "", base);
    char *argv[] = {"gnuplot", "--default-settings", arg, NULL};
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        /* Child: only async-signal-safe calls until exec. */
        if (dup2(devnull, STDIN_FILENO) < 0 || chdir(dir) != 0) {
            _exit(126);
        }
        close(devnull);
        execv(prog, argv);
        _exit(127);
    }
    int e = errno;
    close(devnull);
    int status = 0;
    int st = TALLY_OK;
    if (pid < 0) {
        st = TALLY_ERROR(TALLY_EIO, "cannot start gnuplot: %s", strerror(e));
    } else {
        pid_t r;
        do {
            r = waitpid(pid, &status, 0);
        } while (r < 0 && errno == EINTR);
        if (r < 0) {
            st = TALLY_ERROR(TALLY_EIO, "waiting for gnuplot: %s",
                             strerror(errno));
        } else if (WIFSIGNALED(status)) {
            st = TALLY_ERROR(TALLY_EIO,
                             "gnuplot was killed by signal %d "
                             "while rendering %s",
                             WTERMSIG(status), path);
        } else if (WEXITSTATUS(status) == 126) {
            st = TALLY_ERROR(TALLY_EIO, "cannot enter the folder of %s", path);
        } else if (WEXITSTATUS(status) != 0) {
            st = TALLY_ERROR(TALLY_EIO,
                             "gnuplot failed (exit status %d) "
                             "rendering %s",
                             WEXITSTATUS(status), path);
        }
    }
    free(dir);
    free(arg);
    free(prog);
    return st;
}
