/* SPDX-License-Identifier: MIT
 *
 * The gnuplot script writer: user text is only ever written inside
 * single-quoted strings (checked by a small lexer over every script), data
 * blocks hold numbers only and cannot be ended early, numbers do not
 * depend on the locale, scripts are byte-identical across runs, hostile
 * labels rendered by gnuplot run nothing, every error code is raised, and
 * the autocorrelations of the residual plot match R's acf().
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <locale.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot/plot_int.h"
#include "tally/tally_plot.h"
#include "tally/tally_status.h"

extern char **environ;

/* ---- helpers ------------------------------------------------------------ */

/* Run fn into a memory buffer and return the text (caller frees). */
static char *capture_quote(const char *s, int as_format)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    cr_assert_not_null(fp);
    tly_plot_quote(fp, s, as_format);
    fclose(fp);
    return buf;
}

static char *write_figure(const tally_plot_options *o,
                          const tally_plot_figure *fig, int *status)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    cr_assert_not_null(fp);
    *status = tally_plot_write(fp, o, fig);
    fclose(fp);
    return buf;
}

/* The lexer behind the safety invariant.  Outside single-quoted strings a
 * script line may not hold a double quote, a backquote or '@' (gnuplot's
 * places for command substitution and macros); every single-quoted string
 * ends on its line; inside data blocks every line is empty, a comment or
 * numbers (with a leading period such as 2022-01 or 2022-Q1), and the
 * only line equal to the terminator is the block's end.  Returns NULL when
 * the script is clean, else a description of the first problem (static
 * buffer). */
static const char *script_problem(const char *script)
{
    static char why[256];
    int in_block = 0;
    size_t lineno = 0;
    const char *p = script;
    while (*p != '\0') {
        const char *eol = strchr(p, '\n');
        size_t len = eol != NULL ? (size_t)(eol - p) : strlen(p);
        char line[4096];
        lineno++;
        if (len >= sizeof line) {
            snprintf(why, sizeof why, "line %zu too long", lineno);
            return why;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (eol != NULL);
        if (in_block) {
            if (strcmp(line, "EOD") == 0) {
                in_block = 0;
                continue;
            }
            if (line[0] == '\0' || line[0] == '#') {
                continue;
            }
            /* Tokens: numbers, NaN, or a period (digits, '-', 'Q'). */
            for (const char *c = line; *c; c++) {
                if (!strchr("0123456789.-+eQNa ", *c)) {
                    snprintf(why, sizeof why,
                             "line %zu: data line holds '%c': %.60s", lineno,
                             *c, line);
                    return why;
                }
            }
            continue;
        }
        if (strcmp(line, "EOD") == 0) {
            snprintf(why, sizeof why, "line %zu: EOD outside a block", lineno);
            return why;
        }
        int quoted = 0;
        for (const char *c = line; *c; c++) {
            if (quoted) {
                if (*c == '\'' && c[1] == '\'') {
                    c++;
                } else if (*c == '\'') {
                    quoted = 0;
                } else if ((unsigned char)*c < 0x20) {
                    snprintf(why, sizeof why,
                             "line %zu: control character in a string", lineno);
                    return why;
                }
                continue;
            }
            if (*c == '\'') {
                quoted = 1;
            } else if (*c == '"' || *c == '`' || *c == '@') {
                snprintf(why, sizeof why,
                         "line %zu: '%c' outside a single-quoted string: "
                         "%.60s",
                         lineno, *c, line);
                return why;
            } else if (*c == '#') {
                break; /* a comment (only the header writes them) */
            }
        }
        if (quoted) {
            snprintf(why, sizeof why, "line %zu: unterminated string: %.60s",
                     lineno, line);
            return why;
        }
        size_t n = strlen(line);
        if (n >= 6 && strcmp(line + n - 6, "<< EOD") == 0) {
            in_block = 1;
        }
    }
    return in_block ? "a data block is not closed" : NULL;
}

/* Texts chosen to break out of a gnuplot script in every known way. */
static const char *const hostile[] = {
    "`touch PWNED1`",
    "system(\"touch PWNED2\")",
    "x' . system('touch PWNED3') . '",
    "$(touch PWNED4)",
    "EOD",
    "a\nEOD\n! touch PWNED5\nset output 'PWNED6'",
    "@mac @ARG1",
    "\"`touch PWNED7`\"",
    "%n%s%s%d%%",
    "back\\slash\\",
    "tab\tcr\rdel\x7f end",
    "bad utf8 \xff\xfe \xc0\xaf \xed\xa0\x80",
    "K\xc3\xa4rnten \xe2\x80\x94 "
    "\xd9\x83\xd8\xb1\xd8\xa7\xd8\xaa\xd8\xb4\xdb\x8c",
};
#define NHOSTILE (sizeof hostile / sizeof hostile[0])

/* ---- quoting ------------------------------------------------------------ */

Test(plot, quoting_doubles_quotes_and_replaces_control_characters)
{
    struct {
        const char *in;
        int fmt;
        const char *out;
    } cases[] = {
        {"Sindh", 0, "'Sindh'"},
        {NULL, 0, "''"},
        {"it's", 0, "'it''s'"},
        {"x' . system('touch P') . '", 0, "'x'' . system(''touch P'') . '''"},
        {"`touch P`", 0, "'`touch P`'"},
        {"a\nEOD\nb", 0, "'a EOD b'"},
        {"tab\tcr\rdel\x7f", 0, "'tab cr del '"},
        /* C1 controls (U+0085 next line) become spaces too. */
        {"a\xc2\x85z", 0, "'a z'"},
        {"50%", 0, "'50%'"},
        {"50%", 1, "'50%%'"},
        {"%n%s", 1, "'%%n%%s'"},
        {"back\\", 0, "'back\\'"},
        /* Invalid UTF-8: a stray byte, an overlong '/', a surrogate. */
        {"\xff", 0, "'?'"},
        {"\xc0\xaf", 0, "'?\?'"},
        {"\xed\xa0\x80", 0, "'?\?\?'"},
        {"K\xc3\xa4rnten", 0, "'K\xc3\xa4rnten'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = capture_quote(cases[i].in, cases[i].fmt);
        cr_expect_str_eq(got, cases[i].out, "case %zu", i);
        free(got);
    }
}

Test(plot, quoting_cuts_long_text_at_a_character_boundary)
{
    /* 150 two-byte characters (300 bytes): 100 fit in the 200-byte cap. */
    char in[301];
    for (int i = 0; i < 150; i++) {
        in[2 * i] = (char)0xc3;
        in[2 * i + 1] = (char)0xa4;
    }
    in[300] = '\0';
    char *got = capture_quote(in, 0);
    size_t n = strlen(got);
    cr_expect_eq(n, 1 + TLY_PLOT_TEXT_MAX + 3 + 1, "length %zu", n);
    cr_expect_str_eq(got + n - 4, "...'");
    cr_expect_eq((unsigned char)got[TLY_PLOT_TEXT_MAX - 1], 0xc3);
    free(got);
}

/* ---- numbers and locale -------------------------------------------------- */

Test(plot, numbers_round_trip_and_missing_values_have_one_token)
{
    char b[48];
    cr_expect_str_eq(tly_plot_num_text(0.1, b, sizeof b),
                     "0.10000000000000001");
    cr_expect_str_eq(tly_plot_num_text(12, b, sizeof b), "12");
    cr_expect_str_eq(tly_plot_num_text(-1.5e-300, b, sizeof b),
                     "-1.5000000000000001e-300");
    cr_expect_str_eq(tly_plot_num_text(NAN, b, sizeof b), "NaN");
    cr_expect_str_eq(tly_plot_num_text(INFINITY, b, sizeof b), "NaN");
    cr_expect_str_eq(tly_plot_num_text(-INFINITY, b, sizeof b), "NaN");
    const double pi = 3.141592653589793;
    cr_expect(strtod(tly_plot_num_text(pi, b, sizeof b), NULL) == pi);
    cr_expect_str_eq(tly_plot_pretty(29.7, b, sizeof b), "29.7");
    cr_expect_str_eq(tly_plot_pretty(118.3, b, sizeof b), "118");
    cr_expect_str_eq(tly_plot_pretty(-0.001, b, sizeof b), "0.00");
    cr_expect_str_eq(tly_plot_level_text(97.5, b, sizeof b), "97.5");
}

/* The folder a locale was compiled into, removed after the test. */
static char locale_dir[] = "/tmp/tally-locale-XXXXXX";
static int locale_dir_made;

/* Remove a folder tree of plain files and folders (what localedef
 * writes). */
static void remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0) {
        return;
    }
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        for (struct dirent *e = d != NULL ? readdir(d) : NULL; e != NULL;
             e = readdir(d)) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
                continue;
            }
            char sub[1024];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            remove_tree(sub);
        }
        if (d != NULL) {
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Switch LC_NUMERIC to a locale whose decimal point is a comma: an
 * installed German locale, or one compiled with localedef into a
 * temporary folder (LOCPATH).  Returns 1 when the decimal point is now
 * ','. */
static int comma_locale(void)
{
    const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (setlocale(LC_NUMERIC, names[i]) != NULL) {
            return strcmp(localeconv()->decimal_point, ",") == 0;
        }
    }
    if (mkdtemp(locale_dir) == NULL) {
        return 0;
    }
    locale_dir_made = 1;
    char target[128];
    snprintf(target, sizeof target, "%s/de_DE.UTF-8", locale_dir);
    char *argv[] = {"localedef", "-i", "de_DE", "-f", "UTF-8", target, NULL};
    pid_t pid;
    if (posix_spawnp(&pid, "localedef", NULL, NULL, argv, environ) != 0) {
        return 0;
    }
    int status;
    waitpid(pid, &status, 0);
    setenv("LOCPATH", locale_dir, 1);
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL) {
        return 0;
    }
    return strcmp(localeconv()->decimal_point, ",") == 0;
}

/* ---- figures ------------------------------------------------------------- */

/* PICSS monthly militant attacks 2022-01..2022-12 (tests/fixtures/plot). */
static const double picss2022[12] = {24, 13, 26, 34, 29, 26,
                                     33, 31, 42, 39, 34, 49};

/* One figure of every kind, on small data with some missing values. */
typedef struct {
    double y[24], y2[24], fit[24], lo[24], hi[24], cf[24], cflo[24], cfhi[24];
    double mean[6], levels[2], lower[12], upper[12];
    double mae[6], rmse[6];
    double tot[4];
    size_t per[4];
    const double *ys[2];
    const double *bt[2];
    tally_period breaks[1];
    tally_plot_segment seg[2];
} fixture;

static const char *const groups[2] = {"Khyber Pakhtunkhwa", "Balochistan"};
static const char *const measures[2] = {"MAE", "RMSE"};

static void fixture_init(fixture *x)
{
    for (int i = 0; i < 24; i++) {
        x->y[i] = picss2022[i % 12] + (i >= 12 ? 10 : 0);
        x->y2[i] = 0.5 * x->y[i];
        x->fit[i] = 25 + 0.8 * i;
        x->lo[i] = x->fit[i] - 3;
        x->hi[i] = x->fit[i] + 3;
        x->cf[i] = i >= 10 ? 25 + 0.5 * i : NAN;
        x->cflo[i] = x->cf[i] - 4;
        x->cfhi[i] = x->cf[i] + 4;
    }
    x->y[5] = NAN;
    x->y2[7] = NAN;
    for (int i = 0; i < 6; i++) {
        x->mean[i] = 45 + i;
        x->lower[i] = x->mean[i] - 5 - i; /* 80% */
        x->upper[i] = x->mean[i] + 5 + i;
        x->lower[6 + i] = x->mean[i] - 8 - i; /* 95% */
        x->upper[6 + i] = x->mean[i] + 8 + i;
        x->mae[i] = 5 + i;
        x->rmse[i] = 7 + 1.5 * i;
    }
    x->levels[0] = 80;
    x->levels[1] = 95;
    x->tot[0] = 153;
    x->tot[1] = 380;
    x->tot[2] = 648;
    x->tot[3] = 905;
    x->per[0] = 5;
    x->per[1] = x->per[2] = x->per[3] = 12;
    x->ys[0] = x->y;
    x->ys[1] = x->y2;
    x->bt[0] = x->mae;
    x->bt[1] = x->rmse;
    x->breaks[0] = tally_period_make(TALLY_FREQ_MONTH, 2022, 11);
    x->seg[0] =
        (tally_plot_segment){tally_period_make(TALLY_FREQ_MONTH, 2022, 1),
                             tally_period_make(TALLY_FREQ_MONTH, 2022, 8), 30};
    x->seg[1] =
        (tally_plot_segment){tally_period_make(TALLY_FREQ_MONTH, 2022, 9),
                             tally_period_make(TALLY_FREQ_MONTH, 2023, 12), 44};
}

static tally_plot_figure make_figure(const fixture *x, tally_plot_kind kind)
{
    tally_plot_figure f;
    memset(&f, 0, sizeof f);
    f.kind = kind;
    tally_plot_axis t = {TALLY_FREQ_MONTH,
                         tally_period_make(TALLY_FREQ_MONTH, 2022, 1), 24};
    switch (kind) {
    case TALLY_PLOT_SERIES:
        f.series =
            (tally_plot_series){t, 2, groups, x->ys, 1, "attacks", "province"};
        break;
    case TALLY_PLOT_ANNUAL:
        f.annual = (tally_plot_annual){2021, 4, x->tot, x->per, 12, "attacks"};
        break;
    case TALLY_PLOT_SHARES:
        f.shares =
            (tally_plot_shares){2, groups, x->tot, "attacks", "province"};
        break;
    case TALLY_PLOT_TREND:
        f.trend =
            (tally_plot_trend){t, x->y, x->fit, x->lo, x->hi, 95, "attacks"};
        break;
    case TALLY_PLOT_ITS:
        f.its = (tally_plot_its){t,       x->y, x->fit,    x->cf, x->cflo,
                                 x->cfhi, 1,    x->breaks, 95,    "attacks"};
        break;
    case TALLY_PLOT_COMPARE:
        f.compare = (tally_plot_compare){
            t,   x->y, t.start,  t.start + 9, t.start + 12, t.start + 23,
            NAN, NAN,  "attacks"};
        break;
    case TALLY_PLOT_CHANGEPOINT:
        f.changepoint =
            (tally_plot_changepoint){t, x->y, 2, x->seg, 0, NULL, "attacks"};
        break;
    case TALLY_PLOT_FORECAST:
        f.forecast = (tally_plot_forecast){
            t,        x->y,     t.start + 24,   6,        x->mean, 2, x->levels,
            x->lower, x->upper, "ARIMA(0,1,1)", "attacks"};
        break;
    case TALLY_PLOT_BACKTEST:
        f.backtest = (tally_plot_backtest){6, 2, measures, x->bt, "attacks"};
        break;
    case TALLY_PLOT_RESIDUALS:
        f.residuals = (tally_plot_residuals){t, x->y2, 0, 95, "attacks"};
        break;
    case TALLY_PLOT_SEASONAL:
        f.seasonal = (tally_plot_seasonal){t, x->y, "attacks"};
        break;
    case TALLY_PLOT_NKINDS:
        break;
    }
    return f;
}

Test(plot, every_kind_writes_a_clean_deterministic_script)
{
    fixture x;
    fixture_init(&x);
    for (int term = TALLY_PLOT_PNG; term <= TALLY_PLOT_DUMB; term++) {
        tally_plot_options o;
        tally_plot_options_init(&o);
        o.terminal = (tally_plot_terminal)term;
        o.picture = "picture.out";
        for (int k = 0; k < TALLY_PLOT_NKINDS; k++) {
            tally_plot_figure f = make_figure(&x, (tally_plot_kind)k);
            int st1, st2;
            char *a = write_figure(&o, &f, &st1);
            char *b = write_figure(&o, &f, &st2);
            cr_expect_eq(st1, TALLY_OK, "%s: %s", tally_plot_kind_name(k),
                         tally_last_error());
            cr_expect_str_eq(a, b, "%s not deterministic",
                             tally_plot_kind_name(k));
            const char *why = script_problem(a);
            cr_expect_null(why, "%s: %s", tally_plot_kind_name(k), why);
            cr_expect(strncmp(a, TLY_PLOT_MARKER, strlen(TLY_PLOT_MARKER)) ==
                      0);
            /* No path of this machine: the cwd never appears. */
            char cwd[1024];
            cr_assert_not_null(getcwd(cwd, sizeof cwd));
            cr_expect_null(strstr(a, cwd));
            free(a);
            free(b);
        }
    }
}

Test(plot, scripts_do_not_depend_on_the_numeric_locale)
{
    fixture x;
    fixture_init(&x);
    tally_plot_options o;
    tally_plot_options_init(&o);
    char *c_locale[TALLY_PLOT_NKINDS];
    for (int k = 0; k < TALLY_PLOT_NKINDS; k++) {
        tally_plot_figure f = make_figure(&x, (tally_plot_kind)k);
        int st;
        c_locale[k] = write_figure(&o, &f, &st);
        cr_assert_eq(st, TALLY_OK);
    }
    int comma = comma_locale();
    if (!comma) {
        setlocale(LC_NUMERIC, "C");
        if (locale_dir_made) {
            remove_tree(locale_dir);
        }
        for (int k = 0; k < TALLY_PLOT_NKINDS; k++) {
            free(c_locale[k]);
        }
        cr_skip_test("no locale with a decimal comma can be loaded here");
    }
    char probe[32];
    snprintf(probe, sizeof probe, "%.1f", 0.5);
    cr_assert_str_eq(probe, "0,5", "the test locale is not in effect");
    for (int k = 0; k < TALLY_PLOT_NKINDS; k++) {
        tally_plot_figure f = make_figure(&x, (tally_plot_kind)k);
        int st;
        char *s = write_figure(&o, &f, &st);
        cr_expect_str_eq(s, c_locale[k], "%s differs under a comma locale",
                         tally_plot_kind_name(k));
        free(s);
        free(c_locale[k]);
    }
    setlocale(LC_NUMERIC, "C");
    if (locale_dir_made) {
        remove_tree(locale_dir);
    }
}

Test(plot, time_axis_labels_months_quarters_and_years)
{
    fixture x;
    fixture_init(&x);
    tally_plot_options o;
    tally_plot_options_init(&o);
    tally_plot_figure f = make_figure(&x, TALLY_PLOT_SERIES);
    int st;
    /* 24 months from 2022-01: every 2 months (at most 12 labels), the
     * year on January. */
    char *s = write_figure(&o, &f, &st);
    cr_expect_neq(strstr(s, "set xtics ('Jan 2022' 0, 'Mar' 2, 'May' 4, "
                            "'Jul' 6, 'Sep' 8, 'Nov' 10, 'Jan 2023' 12, "
                            "'Mar' 14, 'May' 16, 'Jul' 18, 'Sep' 20, "
                            "'Nov' 22)\n"),
                  NULL, "%s", s);
    free(s);
    /* 24 quarters from 2019-Q3: every 2 quarters, the first with its
     * year. */
    f.series.t.freq = TALLY_FREQ_QUARTER;
    f.series.t.start = tally_period_make(TALLY_FREQ_QUARTER, 2019, 3);
    s = write_figure(&o, &f, &st);
    cr_expect_neq(strstr(s, "set xtics ('Q3 2019' 0, 'Q1 2020' 2, 'Q3' 4, "),
                  NULL, "%s", s);
    free(s);
    /* 24 years from 2001: every 2 years, on even years. */
    f.series.t.freq = TALLY_FREQ_YEAR;
    f.series.t.start = tally_period_make(TALLY_FREQ_YEAR, 2001, 1);
    s = write_figure(&o, &f, &st);
    cr_expect_neq(strstr(s, "set xtics ('2002' 1, '2004' 3, "), NULL, "%s", s);
    free(s);
}

/* ---- hostile labels ------------------------------------------------------ */

/* Is there a file whose name starts with PWNED in dir? */
static int pwned_in(const char *dir)
{
    DIR *d = opendir(dir);
    int found = 0;
    if (d == NULL) {
        return 0;
    }
    for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
        found |= strncmp(e->d_name, "PWNED", 5) == 0;
    }
    closedir(d);
    return found;
}

static int have_gnuplot(void)
{
    const char *p = getenv("PATH");
    while (p != NULL && *p != '\0') {
        size_t len = strcspn(p, ":");
        char cand[4200];
        snprintf(cand, sizeof cand, "%.*s/gnuplot", (int)len, p);
        if (len > 0 && access(cand, X_OK) == 0) {
            return 1;
        }
        p += len + (p[len] == ':');
    }
    return 0;
}

Test(plot, hostile_labels_stay_text_and_run_nothing)
{
    char dir[] = "/tmp/tally-plot-hostile-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    double y[NHOSTILE][6];
    const double *ys[NHOSTILE];
    for (size_t g = 0; g < NHOSTILE; g++) {
        for (int i = 0; i < 6; i++) {
            y[g][i] = (double)(g + i);
        }
        ys[g] = y[g];
    }
    tally_plot_axis t = {TALLY_FREQ_MONTH,
                         tally_period_make(TALLY_FREQ_MONTH, 2022, 1), 6};
    int rendered = 0;
    for (int term = TALLY_PLOT_PNG; term <= TALLY_PLOT_DUMB;
         term += TALLY_PLOT_DUMB - TALLY_PLOT_PNG) {
        for (size_t h = 0; h < NHOSTILE; h++) {
            tally_plot_options o;
            tally_plot_options_init(&o);
            o.terminal = (tally_plot_terminal)term;
            o.title = hostile[h];
            o.picture = "hostile.png";
            o.force = 1;
            /* Hostile names in the legend, the y label and the title... */
            tally_plot_figure f;
            memset(&f, 0, sizeof f);
            f.kind = TALLY_PLOT_SERIES;
            f.series = (tally_plot_series){t, NHOSTILE,   hostile,   ys,
                                           0, hostile[h], hostile[h]};
            char path[256];
            snprintf(path, sizeof path, "%s/hostile.gp", dir);
            cr_assert_eq(tally_plot_save(path, &o, &f), TALLY_OK, "%s",
                         tally_last_error());
            /* ...and as tic labels (shares), which gnuplot formats. */
            tally_plot_figure s;
            memset(&s, 0, sizeof s);
            s.kind = TALLY_PLOT_SHARES;
            double tot[NHOSTILE];
            for (size_t g = 0; g < NHOSTILE; g++) {
                tot[g] = (double)(g + 1);
            }
            s.shares = (tally_plot_shares){NHOSTILE, hostile, tot, hostile[h],
                                           hostile[h]};
            char path2[256];
            snprintf(path2, sizeof path2, "%s/hostile_shares.gp", dir);
            cr_assert_eq(tally_plot_save(path2, &o, &s), TALLY_OK);
            for (int which = 0; which < 2; which++) {
                const char *p = which ? path2 : path;
                FILE *fp = fopen(p, "r");
                char text[65536];
                size_t n = fread(text, 1, sizeof text - 1, fp);
                fclose(fp);
                text[n] = '\0';
                const char *why = script_problem(text);
                cr_expect_null(why, "label %zu: %s", h, why);
                if (have_gnuplot()) {
                    int missing;
                    /* Dumb output goes to our stdout: keep the log short. */
                    fflush(stdout);
                    int saved = dup(STDOUT_FILENO);
                    FILE *null = fopen("/dev/null", "w");
                    dup2(fileno(null), STDOUT_FILENO);
                    int st = tally_plot_render(p, &missing);
                    fflush(stdout);
                    dup2(saved, STDOUT_FILENO);
                    close(saved);
                    fclose(null);
                    cr_expect_eq(st, TALLY_OK, "label %zu: %s", h,
                                 tally_last_error());
                    rendered++;
                }
            }
        }
    }
    char cwd[1024];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_expect(!pwned_in(dir), "a hostile label ran a command in %s", dir);
    cr_expect(!pwned_in(cwd), "a hostile label ran a command in %s", cwd);
    /* Tidy up: the scripts and pictures only. */
    const char *files[] = {"hostile.gp", "hostile_shares.gp", "hostile.png"};
    for (size_t i = 0; i < 3; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
    if (rendered == 0) {
        cr_log_warn("gnuplot not installed: scripts checked, not rendered");
    }
}

/* ---- errors -------------------------------------------------------------- */

Test(plot, each_error_code_is_raised)
{
    fixture x;
    fixture_init(&x);
    tally_plot_options o;
    tally_plot_options_init(&o);
    int st;
    char *s;
    tally_plot_figure f = make_figure(&x, TALLY_PLOT_TREND);

    /* TALLY_EINVAL: an absolute picture path; a band with one limit. */
    o.picture = "/tmp/x.png";
    s = write_figure(&o, &f, &st);
    cr_expect_eq(st, TALLY_EINVAL);
    cr_expect_neq(strstr(tally_last_error(), "relative"), NULL);
    free(s);
    o.picture = NULL;
    f.trend.high = NULL;
    s = write_figure(&o, &f, &st);
    cr_expect_eq(st, TALLY_EINVAL);
    free(s);

    /* TALLY_EMISSING: nothing but NaN. */
    double nan6[6] = {NAN, NAN, NAN, NAN, NAN, NAN};
    const double *ys[1] = {nan6};
    tally_plot_figure g;
    memset(&g, 0, sizeof g);
    g.kind = TALLY_PLOT_SERIES;
    g.series = (tally_plot_series){
        {TALLY_FREQ_MONTH, tally_period_make(TALLY_FREQ_MONTH, 2022, 1), 6},
        1,
        NULL,
        ys,
        0,
        NULL,
        NULL};
    s = write_figure(&o, &g, &st);
    cr_expect_eq(st, TALLY_EMISSING);
    free(s);

    /* TALLY_ETOOFEW: an empty axis. */
    g.series.t.n = 0;
    s = write_figure(&o, &g, &st);
    cr_expect_eq(st, TALLY_ETOOFEW);
    free(s);

    /* TALLY_ERANGE: a break outside the series. */
    f = make_figure(&x, TALLY_PLOT_ITS);
    tally_period late = tally_period_make(TALLY_FREQ_MONTH, 2030, 1);
    f.its.breaks = &late;
    s = write_figure(&o, &f, &st);
    cr_expect_eq(st, TALLY_ERANGE);
    cr_expect_neq(strstr(tally_last_error(), "2030-01"), NULL);
    free(s);

    /* TALLY_EDOMAIN and TALLY_ECONSTANT: negative and zero totals. */
    double neg[2] = {3, -1}, zero[2] = {0, 0};
    f = make_figure(&x, TALLY_PLOT_SHARES);
    f.shares.total = neg;
    s = write_figure(&o, &f, &st);
    cr_expect_eq(st, TALLY_EDOMAIN);
    free(s);
    f.shares.total = zero;
    s = write_figure(&o, &f, &st);
    cr_expect_eq(st, TALLY_ECONSTANT);
    free(s);

    /* TALLY_EEXIST: a file tally did not write is kept. */
    char dir[] = "/tmp/tally-plot-exist-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/notes.gp", dir);
    FILE *fp = fopen(path, "w");
    fputs("my own notes\n", fp);
    fclose(fp);
    f = make_figure(&x, TALLY_PLOT_SERIES);
    cr_expect_eq(tally_plot_save(path, &o, &f), TALLY_EEXIST);
    char line[64];
    fp = fopen(path, "r");
    cr_expect_not_null(fgets(line, sizeof line, fp));
    fclose(fp);
    cr_expect_str_eq(line, "my own notes\n");
    /* With force it is replaced; then, written by tally, it is replaced
     * again without force. */
    o.force = 1;
    cr_expect_eq(tally_plot_save(path, &o, &f), TALLY_OK);
    o.force = 0;
    cr_expect_eq(tally_plot_save(path, &o, &f), TALLY_OK);
    unlink(path);
    rmdir(dir);

    /* TALLY_EIO: no gnuplot on PATH; *missing says so. */
    const char *old = getenv("PATH");
    char *saved = old != NULL ? strdup(old) : NULL;
    setenv("PATH", "/nonexistent-tally-test", 1);
    int missing = 0;
    cr_expect_eq(tally_plot_render("x.gp", &missing), TALLY_EIO);
    cr_expect_eq(missing, 1);
    cr_expect_neq(strstr(tally_last_error(), "not installed"), NULL);
    if (saved != NULL) {
        setenv("PATH", saved, 1);
        free(saved);
    }

    /* Unknown kinds. */
    tally_plot_kind k;
    cr_expect_eq(tally_plot_kind_parse("pie", &k), TALLY_EINVAL);
    cr_expect_eq(tally_plot_kind_parse("its", &k), TALLY_OK);
    cr_expect_eq(k, TALLY_PLOT_ITS);
}

/* ---- autocorrelation ---------------------------------------------------- */

/* x: PICSS monthly attacks 2021-08..2024-01 (30 values). */
static const double acf_x[30] = {45, 23, 33, 24, 28, 24, 13, 26, 34, 29,
                                 26, 33, 31, 42, 39, 34, 49, 44, 58, 37,
                                 48, 40, 47, 54, 99, 65, 47, 63, 46, 93};

Test(plot, acf_matches_r)
{
    /* R 4.2.2: sprintf("%.17g", acf(x, lag.max = 8, plot = FALSE)$acf[2:9]) */
    static const double r_full[8] = {0.46548201117694871, 0.47010439960750117,
                                     0.35122234715922729, 0.37602136001650854,
                                     0.45921508677506712, 0.24222309256989807,
                                     0.15512838330111647, 0.074742370069024192};
    /* x[c(3, 10, 11)] <- NA; acf(x, lag.max = 8, plot = FALSE,
     * na.action = na.pass)$acf[2:9] */
    static const double r_na[8] = {0.43332192265045361, 0.46027935088097927,
                                   0.28279006079909502, 0.30021789443133873,
                                   0.42522619198225892, 0.2144167528669341,
                                   0.13918003939547807, 0.068290790376787258};
    double got[8], x[30];
    cr_assert_eq(tly_plot_acf(acf_x, 30, 8, got), TALLY_OK);
    /* Sums of 30 products of two-digit numbers: agreement to a few ulps;
     * 1e-13 relative leaves room for a different summation order. */
    for (int k = 0; k < 8; k++) {
        cr_expect(fabs(got[k] - r_full[k]) <= 1e-13 * fabs(r_full[k]),
                  "lag %d: %.17g vs R %.17g", k + 1, got[k], r_full[k]);
    }
    memcpy(x, acf_x, sizeof x);
    x[2] = x[9] = x[10] = NAN;
    cr_assert_eq(tly_plot_acf(x, 30, 8, got), TALLY_OK);
    for (int k = 0; k < 8; k++) {
        cr_expect(fabs(got[k] - r_na[k]) <= 1e-13 * fabs(r_na[k]),
                  "lag %d with NA: %.17g vs R %.17g", k + 1, got[k], r_na[k]);
    }
    /* Constant and too short series. */
    double c[5] = {2, 2, 2, 2, 2};
    cr_expect_eq(tly_plot_acf(c, 5, 2, got), TALLY_ECONSTANT);
    cr_expect_eq(tly_plot_acf(c, 1, 0, got), TALLY_ETOOFEW);
}

Test(plot, residual_bounds_are_r_s_white_noise_limits)
{
    /* R: sprintf("%.17g", qnorm(0.975) / sqrt(30)) */
    const char *r_bound = "0.35783882874343131";
    double y[30];
    memcpy(y, acf_x, sizeof y);
    tally_plot_figure f;
    memset(&f, 0, sizeof f);
    f.kind = TALLY_PLOT_RESIDUALS;
    f.residuals.t = (tally_plot_axis){
        TALLY_FREQ_MONTH, tally_period_make(TALLY_FREQ_MONTH, 2021, 8), 30};
    f.residuals.resid = y;
    int st;
    char *s = write_figure(NULL, &f, &st);
    cr_assert_eq(st, TALLY_OK, "%s", tally_last_error());
    /* GSL's quantile and R's agree to the last digit or two: compare the
     * bound as a number to 1e-15 relative. */
    const char *at = strstr(s, "     0.357838828743431");
    cr_assert_not_null(at, "%s", s);
    double got = strtod(at, NULL);
    cr_expect(fabs(got - strtod(r_bound, NULL)) <= 1e-15 * got, "%.17g", got);
    /* floor(10 log10 30) = 14 lags. */
    cr_expect_neq(strstr(s, "\n14 "), NULL);
    cr_expect_null(strstr(s, "\n15 "));
    free(s);
}
