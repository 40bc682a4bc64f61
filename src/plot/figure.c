/* SPDX-License-Identifier: MIT
 *
 * The public entry points of the plot module: kind names, writing a
 * figure's script to a stream (open, the kind's body, finalize) and saving
 * it to a file atomically, replacing only files tally wrote unless forced.
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const kind_names[TALLY_PLOT_NKINDS] = {
    [TALLY_PLOT_SERIES] = "series",
    [TALLY_PLOT_ANNUAL] = "annual",
    [TALLY_PLOT_SHARES] = "shares",
    [TALLY_PLOT_TREND] = "trend",
    [TALLY_PLOT_ITS] = "its",
    [TALLY_PLOT_COMPARE] = "compare",
    [TALLY_PLOT_CHANGEPOINT] = "changepoint",
    [TALLY_PLOT_FORECAST] = "forecast",
    [TALLY_PLOT_BACKTEST] = "backtest",
    [TALLY_PLOT_RESIDUALS] = "residuals",
    [TALLY_PLOT_SEASONAL] = "seasonal",
};

const char *tally_plot_kind_name(tally_plot_kind kind)
{
    if ((int)kind < 0 || kind >= TALLY_PLOT_NKINDS) {
        return NULL;
    }
    return kind_names[kind];
}

int tally_plot_kind_parse(const char *name, tally_plot_kind *kind)
{
    for (int k = 0; k < TALLY_PLOT_NKINDS; k++) {
        if (name != NULL && strcmp(name, kind_names[k]) == 0) {
            *kind = (tally_plot_kind)k;
            return TALLY_OK;
        }
    }
    return TALLY_ERROR(TALLY_EINVAL, "unknown plot kind '%s'",
                       name != NULL ? name : "(null)");
}

/* The residual plot stacks two panels, so it is taller. */
static double height_scale(tally_plot_kind kind)
{
    return kind == TALLY_PLOT_RESIDUALS ? 1.4 : 1.0;
}

static int write_body(tly_plot *w, const tally_plot_figure *fig)
{
    switch (fig->kind) {
    case TALLY_PLOT_SERIES:
        return tly_plot_series_write(w, &fig->series);
    case TALLY_PLOT_ANNUAL:
        return tly_plot_annual_write(w, &fig->annual);
    case TALLY_PLOT_SHARES:
        return tly_plot_shares_write(w, &fig->shares);
    case TALLY_PLOT_TREND:
        return tly_plot_trend_write(w, &fig->trend);
    case TALLY_PLOT_ITS:
        return tly_plot_its_write(w, &fig->its);
    case TALLY_PLOT_COMPARE:
        return tly_plot_compare_write(w, &fig->compare);
    case TALLY_PLOT_CHANGEPOINT:
        return tly_plot_changepoint_write(w, &fig->changepoint);
    case TALLY_PLOT_FORECAST:
        return tly_plot_forecast_write(w, &fig->forecast);
    case TALLY_PLOT_BACKTEST:
        return tly_plot_backtest_write(w, &fig->backtest);
    case TALLY_PLOT_RESIDUALS:
        return tly_plot_residuals_write(w, &fig->residuals);
    case TALLY_PLOT_SEASONAL:
        return tly_plot_seasonal_write(w, &fig->seasonal);
    case TALLY_PLOT_NKINDS:
        break;
    }
    return TALLY_ERROR(TALLY_EINVAL, "unknown plot kind %d", (int)fig->kind);
}

int tally_plot_write(FILE *fp, const tally_plot_options *o,
                     const tally_plot_figure *fig)
{
    tally_plot_options defaults;
    tly_plot w;
    if (fp == NULL || fig == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot: no stream or no figure");
    }
    if (o == NULL) {
        tally_plot_options_init(&defaults);
        o = &defaults;
    }
    const char *name = tally_plot_kind_name(fig->kind);
    if (name == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "unknown plot kind %d",
                           (int)fig->kind);
    }
    /* The script is built in memory and written out only when complete,
     * so an error leaves nothing on fp. */
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (mem == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "plot: out of memory");
    }
    int st = tly_plot_open(&w, mem, o, name, height_scale(fig->kind));
    if (st == TALLY_OK) {
        st = write_body(&w, fig);
    }
    if (st == TALLY_OK) {
        st = tly_plot_finalize(&w);
    }
    if (fclose(mem) != 0 && st == TALLY_OK) {
        st = TALLY_ERROR(TALLY_ENOMEM, "plot: out of memory");
    }
    if (st == TALLY_OK && (fwrite(buf, 1, len, fp) != len || ferror(fp))) {
        st = TALLY_ERROR(TALLY_EIO, "plot: cannot write the script");
    }
    free(buf);
    return st;
}

/* Did tally write the file at path?  Its first line starts with the
 * marker. */
static int written_by_tally(const char *path)
{
    char line[64];
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        return 0;
    }
    int yes = fgets(line, sizeof line, fp) != NULL &&
              strncmp(line, TLY_PLOT_MARKER, strlen(TLY_PLOT_MARKER)) == 0;
    fclose(fp);
    return yes;
}

int tally_plot_save(const char *path, const tally_plot_options *o,
                    const tally_plot_figure *fig)
{
    struct stat sb;
    if (path == NULL || path[0] == '\0') {
        return TALLY_ERROR(TALLY_EINVAL, "plot: no script file name");
    }
    if (stat(path, &sb) == 0) {
        if (!S_ISREG(sb.st_mode)) {
            return TALLY_ERROR(TALLY_EIO, "%s: not a regular file", path);
        }
        if (!(o != NULL && o->force) && !written_by_tally(path)) {
            return TALLY_ERROR(TALLY_EEXIST,
                               "%s exists and was not written by tally plot; "
                               "use --force to replace it",
                               path);
        }
    }
    /* Write next to the destination, then rename over it: a reader sees
     * the old script or the new one, never half of one. */
    size_t len = strlen(path) + 16;
    char *tmp = malloc(len);
    if (tmp == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "plot: out of memory");
    }
    snprintf(tmp, len, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fp == NULL) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return TALLY_ERROR(TALLY_EIO, "cannot write %s: %s", path, strerror(e));
    }
    int st = tally_plot_write(fp, o, fig);
    if (fclose(fp) != 0 && st == TALLY_OK) {
        st = TALLY_ERROR(TALLY_EIO, "cannot write %s: %s", path,
                         strerror(errno));
    }
    if (st == TALLY_OK) {
        /* mkstemp creates the file 0600; give it the usual permissions. */
        mode_t mask = umask(0);
        umask(mask);
        chmod(tmp, 0666 & ~mask);
        if (rename(tmp, path) != 0) {
            st = TALLY_ERROR(TALLY_EIO, "cannot write %s: %s", path,
                             strerror(errno));
        }
    }
    if (st != TALLY_OK) {
        unlink(tmp);
    }
    free(tmp);
    return st;
}
