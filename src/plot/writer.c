/* SPDX-License-Identifier: MIT
 *
 * The gnuplot script writer shared by every kind of figure: the
 * open/finalize pair that writes a script's header (terminal, output,
 * house style) and trailer, safe quoting of user text, numbers that do not
 * depend on the locale, inline data blocks and the time axis with
 * month/quarter/year labels.
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <locale.h>
#include <math.h>
#include <string.h>

const char *const tly_plot_colors[TLY_PLOT_NCOLORS] = {
    "#0072B2", "#D55E00", "#009E73", "#E69F00",
    "#56B4E9", "#CC79A7", "#F0E442", "#000000"};

static const char *const month_abbr[12] = {"Jan", "Feb", "Mar", "Apr",
                                           "May", "Jun", "Jul", "Aug",
                                           "Sep", "Oct", "Nov", "Dec"};

/* Default picture sizes: pixels for the graphic terminals, characters for
 * dumb. */
enum { DEF_W = 1000, DEF_H = 560, DUMB_W = 100, DUMB_H = 30 };

void tally_plot_options_init(tally_plot_options *o)
{
    memset(o, 0, sizeof *o);
    o->terminal = TALLY_PLOT_PNG;
}

/* ---- numbers ---------------------------------------------------------- */

/* printf takes its decimal point from LC_NUMERIC.  tally never calls
 * setlocale, but a program linking the library may have: put the '.'
 * back so the script reads the same everywhere. */
static void fix_decimal_point(char *buf)
{
    const char *dp = localeconv()->decimal_point;
    if (dp != NULL && dp[0] != '\0' && strcmp(dp, ".") != 0) {
        char *at = strstr(buf, dp);
        if (at != NULL) {
            size_t dl = strlen(dp);
            *at = '.';
            memmove(at + 1, at + dl, strlen(at + dl) + 1);
        }
    }
}

char *tly_plot_num_text(double v, char *buf, size_t size)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "%s", TLY_PLOT_NA);
        return buf;
    }
    snprintf(buf, size, "%.17g", v);
    fix_decimal_point(buf);
    return buf;
}

char *tly_plot_pretty(double v, char *buf, size_t size)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "NA");
        return buf;
    }
    double a = fabs(v);
    if (a >= 1e9) {
        snprintf(buf, size, "%.4g", v);
    } else {
        int decimals = a >= 100 ? 0 : (a >= 10 ? 1 : 2);
        snprintf(buf, size, "%.*f", decimals, v);
    }
    fix_decimal_point(buf);
    /* "-0" and "-0.0" read as a sign error: drop the sign of a zero. */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)) {
        memmove(buf, buf + 1, strlen(buf));
    }
    return buf;
}

char *tly_plot_level_text(double level, char *buf, size_t size)
{
    snprintf(buf, size, "%.6g", level);
    fix_decimal_point(buf);
    return buf;
}

void tly_plot_key(FILE *fp, const char *title)
{
    fputs(" title ", fp);
    tly_plot_quote(fp, title, 0);
}

void tly_plot_num(FILE *fp, double v)
{
    char b[48];
    fputs(tly_plot_num_text(v, b, sizeof b), fp);
}

/* ---- quoting ---------------------------------------------------------- */

/* Length of the valid UTF-8 sequence starting at s (1..4), or 0 when the
 * bytes there are not valid UTF-8 (overlong forms, surrogates and code
 * points above U+10FFFF are invalid, as RFC 3629 says). */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80) {
        return 1;
    }
    size_t n;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
        return 0;
    }
    return n;
}

void tly_plot_quote(FILE *fp, const char *s, int as_format)
{
    /* Inside single quotes gnuplot does no backquote substitution, no
     * @macro expansion and no backslash escapes; the only special
     * character is the quote itself, written twice.  A newline would end
     * the command, so every control character becomes a space. */
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    size_t used = 0;
    fputc('\'', fp);
    while (*p != '\0') {
        size_t n = utf8_len(p);
        if (used + (n ? n : 1) > TLY_PLOT_TEXT_MAX) {
            fputs("...", fp);
            break;
        }
        if (n == 0) {
            fputc('?', fp);
            p++;
            used++;
            continue;
        }
        if (n == 1) {
            unsigned c = *p;
            if (c < 0x20 || c == 0x7F) {
                fputc(' ', fp);
            } else if (c == '\'') {
                fputs("''", fp);
            } else if (c == '%' && as_format) {
                fputs("%%", fp);
            } else {
                fputc((int)c, fp);
            }
        } else if (n == 2 && p[0] == 0xC2 && p[1] < 0xA0) {
            /* C1 control characters (U+0080..U+009F). */
            fputc(' ', fp);
        } else {
            fwrite(p, 1, n, fp);
        }
        p += n;
        used += n;
    }
    fputc('\'', fp);
}

/* ---- open / finalize -------------------------------------------------- */

static int check_options(const tally_plot_options *o)
{
    if ((int)o->terminal < TALLY_PLOT_PNG || o->terminal > TALLY_PLOT_DUMB) {
        return TALLY_ERROR(TALLY_EINVAL, "plot: unknown terminal %d",
                           (int)o->terminal);
    }
    if (o->width < 0 || o->height < 0 || o->width > 20000 ||
        o->height > 20000) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "plot: picture size %d x %d is out of range",
                           o->width, o->height);
    }
    if (o->picture != NULL) {
        if (o->picture[0] == '/' || o->picture[0] == '\0') {
            return TALLY_ERROR(TALLY_EINVAL,
                               "plot: the picture name must be a relative "
                               "file name (no absolute path in scripts)");
        }
        for (const unsigned char *p = (const unsigned char *)o->picture; *p;
             p++) {
            if (*p < 0x20 || *p == 0x7F) {
                return TALLY_ERROR(TALLY_EINVAL,
                                   "plot: the picture name holds a control "
                                   "character");
            }
        }
    }
    return TALLY_OK;
}

static void write_terminal(tly_plot *w, double height_scale)
{
    const tally_plot_options *o = w->o;
    FILE *fp = w->fp;
    int dumb = o->terminal == TALLY_PLOT_DUMB;
    int wd = o->width > 0 ? o->width : (dumb ? DUMB_W : DEF_W);
    int ht = o->height > 0
                 ? o->height
                 : (int)lround((dumb ? DUMB_H : DEF_H) * height_scale);
    switch (o->terminal) {
    case TALLY_PLOT_PNG:
        fprintf(fp,
                "set terminal pngcairo size %d,%d noenhanced "
                "font 'sans,11' background rgb 'white'\n",
                wd, ht);
        break;
    case TALLY_PLOT_SVG:
        fprintf(fp,
                "set terminal svg size %d,%d noenhanced "
                "font 'sans,11' background rgb 'white'\n",
                wd, ht);
        break;
    case TALLY_PLOT_PDF:
        /* pdfcairo sizes are in inches: 100 pixels to the inch keeps the
         * proportions of the PNG. */
        fprintf(fp,
                "set terminal pdfcairo size %d.%02din,%d.%02din "
                "noenhanced font 'sans,9'\n",
                wd / 100, wd % 100, ht / 100, ht % 100);
        break;
    case TALLY_PLOT_DUMB:
        fprintf(fp, "set terminal dumb size %d,%d noenhanced\n", wd, ht);
        break;
    }
    if (!dumb && o->picture != NULL) {
        fputs("set output ", fp);
        tly_plot_quote(fp, o->picture, 0);
        fputc('\n', fp);
    }
}

/* The house style: thin dark frame on two sides, light horizontal grid,
 * the legend in rows under the plot (where it never hides data),
 * the Okabe-Ito colours as line types 1..8, solid fills. */
static void write_style(tly_plot *w)
{
    FILE *fp = w->fp;
    fputs("set encoding utf8\n"
          "set border 3 lc rgb '#333333' lw 1\n"
          "set xtics nomirror out scale 0.6,0.3\n"
          "set ytics nomirror out scale 0.6\n"
          "set key outside bottom center horizontal Left reverse "
          "noopaque nobox samplen 2.5 spacing 1.1 width 2\n"
          "set title font ',13'\n"
          "set style fill solid 1.0 noborder\n",
          fp);
    /* In text a grid would be drawn with the characters of the data. */
    if (w->o->terminal != TALLY_PLOT_DUMB) {
        fputs("set grid ytics lt 1 lc rgb '" TLY_PLOT_LIGHT "' lw 1\n", fp);
    }
    for (int i = 0; i < TLY_PLOT_NCOLORS; i++) {
        fprintf(fp, "set linetype %d lc rgb '%s' lw 2 pt 7 ps 0.7 dt 1\n",
                i + 1, tly_plot_colors[i]);
    }
    fputs("set linetype cycle 8\n", fp);
}

int tly_plot_open(tly_plot *w, FILE *fp, const tally_plot_options *o,
                  const char *kind, double height_scale)
{
    int st = check_options(o);
    if (st != TALLY_OK) {
        return st;
    }
    memset(w, 0, sizeof *w);
    w->fp = fp;
    w->o = o;
    w->kind = kind;
    fprintf(fp,
            TLY_PLOT_MARKER
            " (%s), written by tally.\n"
            "# Self-contained: the data are in the inline blocks below."
            "  Run it with\n"
            "#   gnuplot SCRIPT\n"
            "# Missing values are written " TLY_PLOT_NA
            "; numbers use '.' as decimal point.\n"
            "reset\n",
            kind);
    write_terminal(w, height_scale);
    write_style(w);
    return TALLY_OK;
}

int tly_plot_finalize(tly_plot *w)
{
    if (w->multiplot) {
        fputs("unset multiplot\n", w->fp);
        w->multiplot = 0;
    }
    /* Closing the output makes gnuplot finish the file now rather than at
     * exit; with no file set it does nothing. */
    fputs("unset output\n", w->fp);
    if (fflush(w->fp) != 0 || ferror(w->fp)) {
        return TALLY_ERROR(TALLY_EIO, "plot: cannot write the script");
    }
    return TALLY_OK;
}

/* ---- titles ----------------------------------------------------------- */

void tly_plot_titles(tly_plot *w, const char *def_title, const char *ylabel)
{
    const char *title = w->o->title != NULL ? w->o->title : def_title;
    fputs("set title ", w->fp);
    tly_plot_quote(w->fp, title, 0);
    fputc('\n', w->fp);
    if (ylabel != NULL && ylabel[0] != '\0') {
        fputs("set ylabel ", w->fp);
        tly_plot_quote(w->fp, ylabel, 0);
        fputc('\n', w->fp);
    }
}

/* ---- time axis -------------------------------------------------------- */

/* Tic steps (in periods) that read naturally, for each frequency. */
static const long month_steps[] = {1,  2,   3,   6,   12,   24,  36,
                                   60, 120, 240, 600, 1200, 2400};
static const long quarter_steps[] = {1, 2, 4, 8, 12, 20, 40, 80, 200, 400};
static const long year_steps[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

/* Choose the smallest natural step giving at most max_labels labels over
 * span periods. */
static long choose_step(tally_freq freq, long span, long max_labels)
{
    const long *steps = year_steps;
    size_t n = sizeof year_steps / sizeof year_steps[0];
    if (freq == TALLY_FREQ_MONTH) {
        steps = month_steps;
        n = sizeof month_steps / sizeof month_steps[0];
    } else if (freq == TALLY_FREQ_QUARTER) {
        steps = quarter_steps;
        n = sizeof quarter_steps / sizeof quarter_steps[0];
    }
    for (size_t i = 0; i < n; i++) {
        if (span / steps[i] + 1 <= max_labels) {
            return steps[i];
        }
    }
    return steps[n - 1];
}

/* Does period p carry a tic of step `step`?  Steps below a year are
 * aligned to the start of the year; steps of whole years to years
 * divisible by the number of years. */
static int on_step(tally_freq freq, tally_period p, long step)
{
    int f = (int)freq;
    int sub = tally_period_sub(freq, p);
    if (step < f) {
        return (sub - 1) % step == 0;
    }
    long years = step / f;
    int year = tally_period_year(freq, p);
    return sub == 1 && year % years == 0;
}

/* The minor step for a major step: every period below a year, every
 * quarter for one-year steps of monthly data, else every year (or a fifth
 * of the step for long annual axes). */
static long minor_step(tally_freq freq, long step)
{
    int f = (int)freq;
    if (step == 1) {
        return 0;
    }
    if (step < f) {
        return 1;
    }
    if (step == f) {
        return freq == TALLY_FREQ_MONTH ? 3 : (f > 1 ? 1 : 0);
    }
    if (freq == TALLY_FREQ_YEAR) {
        return step <= 10 ? 1 : step / 5;
    }
    return f;
}

/* A tic label: "Jan 2022" at January (and at the first label), "Apr"
 * elsewhere, "Q1 2022" / "Q3" for quarters, "2022" for years.  Generated
 * text from a fixed alphabet, single-quoted like everything else. */
static void tic_label(tly_plot *w, tally_freq freq, tally_period p, long step,
                      int first)
{
    int year = tally_period_year(freq, p);
    int sub = tally_period_sub(freq, p);
    FILE *fp = w->fp;
    if (freq == TALLY_FREQ_YEAR || step >= (long)freq) {
        fprintf(fp, "'%d'", year);
    } else if (freq == TALLY_FREQ_MONTH) {
        if (sub == 1 || first) {
            fprintf(fp, "'%s %d'", month_abbr[sub - 1], year);
        } else {
            fprintf(fp, "'%s'", month_abbr[sub - 1]);
        }
    } else {
        if (sub == 1 || first) {
            fprintf(fp, "'Q%d %d'", sub, year);
        } else {
            fprintf(fp, "'Q%d'", sub);
        }
    }
}

void tly_plot_time_axis(tly_plot *w, tally_freq freq, tally_period first,
                        tally_period last)
{
    FILE *fp = w->fp;
    long span = (long)(last - first);
    long max_labels = w->o->terminal == TALLY_PLOT_DUMB ? 8 : 12;
    long step = choose_step(freq, span, max_labels);
    long minor = minor_step(freq, step);
    w->freq = freq;
    w->origin = first;
    fputs("set xrange [", fp);
    tly_plot_num(fp, -0.5);
    fputc(':', fp);
    tly_plot_num(fp, (double)span + 0.5);
    fputs("]\n", fp);
    /* Explicit tics: positions are period offsets from the first period,
     * so the data need no date parsing and the labels are exact. */
    fputs("set xtics (", fp);
    int first_label = 1;
    for (tally_period p = first; p <= last; p++) {
        if (!on_step(freq, p, step)) {
            continue;
        }
        if (!first_label) {
            fputs(", ", fp);
        }
        tic_label(w, freq, p, step, first_label);
        fprintf(fp, " %ld", (long)(p - first));
        first_label = 0;
    }
    fputs(")\n", fp);
    /* Minor tics (level 1 in gnuplot's tic list), unless too many. */
    if (minor > 0 && span / minor <= 240) {
        int any = 0;
        for (tally_period p = first; p <= last; p++) {
            if (on_step(freq, p, step) || !on_step(freq, p, minor)) {
                continue;
            }
            fputs(any ? ", " : "set xtics add (", fp);
            fprintf(fp, "'' %ld 1", (long)(p - first));
            any = 1;
        }
        if (any) {
            fputs(")\n", fp);
        }
    }
}

double tly_plot_x(const tly_plot *w, tally_period p)
{
    return (double)(p - w->origin);
}

/* ---- data blocks ------------------------------------------------------ */

void tly_plot_block_open(tly_plot *w, const char *name, const char *columns)
{
    fprintf(w->fp, "$%s << " TLY_PLOT_EOD "\n", name);
    if (columns != NULL) {
        fprintf(w->fp, "# %s\n", columns);
    }
}

void tly_plot_row(tly_plot *w, tally_period p, const double *v, size_t nv)
{
    char b[TALLY_PERIOD_BUFSIZE];
    fputs(tally_period_format(w->freq, p, b, sizeof b), w->fp);
    fputc(' ', w->fp);
    tly_plot_num(w->fp, tly_plot_x(w, p));
    for (size_t i = 0; i < nv; i++) {
        fputc(' ', w->fp);
        tly_plot_num(w->fp, v[i]);
    }
    fputc('\n', w->fp);
}

void tly_plot_row_plain(tly_plot *w, const double *v, size_t nv)
{
    for (size_t i = 0; i < nv; i++) {
        if (i > 0) {
            fputc(' ', w->fp);
        }
        tly_plot_num(w->fp, v[i]);
    }
    fputc('\n', w->fp);
}

void tly_plot_row_gap(tly_plot *w)
{
    fputc('\n', w->fp);
}

void tly_plot_block_close(tly_plot *w)
{
    fputs(TLY_PLOT_EOD "\n", w->fp);
}

/* ---- markers and ranges ----------------------------------------------- */

void tly_plot_band(tly_plot *w, const char *sep, const char *block, int lo,
                   int hi, const char *color, double alpha, const char *title)
{
    FILE *fp = w->fp;
    if (w->o->terminal == TALLY_PLOT_DUMB) {
        fprintf(fp, "%s$%s using 2:%d with lines lc rgb '%s' lw 1 dt 3", sep,
                block, lo, color);
        tly_plot_key(fp, title);
        fprintf(fp,
                ", \\\n     $%s using 2:%d with lines lc rgb '%s' lw 1 "
                "dt 3 notitle",
                block, hi, color);
        return;
    }
    fprintf(fp, "%s$%s using 2:%d:%d with filledcurves fc rgb '%s' fs ", sep,
            block, lo, hi, color);
    if (alpha < 1) {
        /* A style constant, not data: six digits are plenty. */
        char b[32];
        fprintf(fp, "transparent solid %s",
                tly_plot_level_text(alpha, b, sizeof b));
    } else {
        fputs("solid 1.0", fp);
    }
    fputs(" noborder", fp);
    tly_plot_key(fp, title);
}

void tly_plot_vline(tly_plot *w, int tag, double x, const char *color,
                    const char *label)
{
    FILE *fp = w->fp;
    fprintf(fp, "set arrow %d from ", tag);
    tly_plot_num(fp, x);
    fputs(", graph 0 to ", fp);
    tly_plot_num(fp, x);
    fprintf(fp, ", graph 1 nohead lc rgb '%s' lw 1.5 dt 2 back\n", color);
    if (label != NULL) {
        fprintf(fp, "set label %d ", tag);
        tly_plot_quote(fp, label, 0);
        fputs(" at ", fp);
        tly_plot_num(fp, x);
        fprintf(fp, ", graph 0.98 left offset 0.4,0 tc rgb '%s' front\n",
                color);
    }
}

size_t tly_plot_extent(const double *v, size_t n, double *lo, double *hi)
{
    size_t k = 0;
    if (v == NULL) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (isfinite(v[i])) {
            if (v[i] < *lo) {
                *lo = v[i];
            }
            if (v[i] > *hi) {
                *hi = v[i];
            }
            k++;
        }
    }
    return k;
}

void tly_plot_yrange_counts(tly_plot *w, double lo)
{
    if (lo >= 0) {
        fputs("set yrange [0:*]\n", w->fp);
    }
}

int tly_plot_check_axis(const tally_plot_axis *t, const char *what)
{
    if (t->freq != TALLY_FREQ_MONTH && t->freq != TALLY_FREQ_QUARTER &&
        t->freq != TALLY_FREQ_YEAR) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "plot %s: the time axis needs a monthly, "
                           "quarterly or annual frequency",
                           what);
    }
    if (t->n == 0) {
        return TALLY_ERROR(TALLY_ETOOFEW, "plot %s: no periods to draw", what);
    }
    if (t->n > 1000000) {
        return TALLY_ERROR(TALLY_EINVAL, "plot %s: %zu periods is too many",
                           what, t->n);
    }
    return TALLY_OK;
}
