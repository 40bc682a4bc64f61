/* SPDX-License-Identifier: MIT
 *
 * tally run: execute a study file (include/tally/tally_study.h) step by
 * step in this process, write every output inside one folder with a
 * manifest of SHA-256 hashes, and with --check rerun into a temporary
 * folder and compare.  Each step is an ordinary tally command; the runner
 * only builds its argument vector and names its outputs after the step.
 */
#include "cli/cli.h"
#include "cli/run_report.h"

#include "tally/tally_status.h"
#include "tally/tally_study.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { OPT_OUT = CLI_KEY_FIRST_FREE, OPT_CHECK, OPT_RENDER, OPT_NO_RENDER };

static const cli_opt run_opts[] = {
    {"out", OPT_OUT, 1, "DIR",
     "output folder (default: the study's 'out', relative to the study file)"},
    {"check", OPT_CHECK, 0, NULL,
     "rerun into a temporary folder and compare every hash with DIR/manifest.json"},
    {"no-render", OPT_NO_RENDER, 0, NULL,
     "do not render plot scripts to PNG even when gnuplot is installed"},
    {NULL, 0, 0, NULL, NULL}};

/* One file the run wrote (relative to the output folder) and its hash. */
typedef struct {
    char name[128];
    char sha[TALLY_SHA256_HEX];
} out_file;

typedef struct {
    size_t n, cap;
    out_file *files;
} out_list;

static int add_output(out_list *l, const char *dir, const char *name)
{
    char *path = tally_path_join(dir, name);
    if (path == NULL) {
        return CLI_EIO;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        out_file *p = realloc(l->files, cap * sizeof *p);
        if (p == NULL) {
            free(path);
            return CLI_EIO;
        }
        l->files = p;
        l->cap = cap;
    }
    out_file *f = &l->files[l->n];
    snprintf(f->name, sizeof f->name, "%s", name);
    int st = tally_sha256_file(path, f->sha);
    free(path);
    if (st != TALLY_OK) {
        return cli_fail(st);
    }
    l->n++;
    return CLI_OK;
}

/* mkdir -p for a relative or absolute folder. */
static int make_dirs(const char *dir)
{
    char buf[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf) {
        return -1;
    }
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
                return -1;
            }
            buf[i] = c;
        }
    }
    return 0;
}

static int have_gnuplot(void)
{
    const char *path = getenv("PATH");
    if (path == NULL) {
        return 0;
    }
    char buf[4096];
    const char *p = path;
    while (*p) {
        size_t len = strcspn(p, ":");
        if (len > 0 && len + 10 < sizeof buf) {
            memcpy(buf, p, len);
            memcpy(buf + len, "/gnuplot", 9);
            if (access(buf, X_OK) == 0) {
                return 1;
            }
        }
        p += len;
        if (*p == ':') {
            p++;
        }
    }
    return 0;
}

/* Render a plot script with gnuplot (argv, no shell).  The script names
 * its picture relative to itself (STEP.png), so gnuplot runs inside the
 * output folder. */
static int render_png(const char *dir, const char *step)
{
    char gp[512];
    snprintf(gp, sizeof gp, "%s.gp", step);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        if (chdir(dir) != 0) {
            _exit(126);
        }
        execlp("gnuplot", "gnuplot", gp, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)
        || WEXITSTATUS(status) != 0) {
        return -1;
    }
    return 0;
}

/* The files a step writes: its main output (.json, .csv for aggregate,
 * .gp for plot) and, for analyses, a CSV table as well. */
static const char *main_ext(const char *command)
{
    if (strcmp(command, "aggregate") == 0) {
        return "csv";
    }
    if (strcmp(command, "plot") == 0) {
        return "gp";
    }
    return "json";
}

/* Resolve a value naming an earlier step ("@step") to that step's main
 * output; other values are returned as they are.  Caller frees. */
static char *resolve_value(const tally_study *s, size_t upto, const char *dir,
                           const char *value)
{
    if (value[0] != '@') {
        size_t n = strlen(value) + 1;
        char *d = malloc(n);
        if (d != NULL) {
            memcpy(d, value, n);
        }
        return d;
    }
    for (size_t i = 0; i < upto; i++) {
        if (strcmp(s->steps[i].name, value + 1) == 0) {
            char name[256];
            snprintf(name, sizeof name, "%s.%s", value + 1,
                     main_ext(s->steps[i].command));
            return tally_path_join(dir, name);
        }
    }
    return NULL;
}

/* Build and run one command of a step, writing to dir/<step>.<ext>. */
static int run_step_format(const tally_study *s, size_t k, const char *dir,
                           const char *format, const char *ext, out_list *outs,
                           json_t *jargs)
{
    const tally_study_step *sp = &s->steps[k];
    size_t cap = 8 + 2 * sp->nopt;
    char **argv = calloc(cap, sizeof *argv);
    char **owned = calloc(cap, sizeof *owned);
    size_t argc = 0, nowned = 0;
    int rc = CLI_OK;
    if (argv == NULL || owned == NULL) {
        free(argv);
        free(owned);
        return CLI_EIO;
    }
    argv[argc++] = sp->command;
    /* "arg = X" keys are positional arguments placed before the input
     * (e.g. the KIND of tally plot KIND INPUT). */
    for (size_t j = 0; j < sp->nopt; j++) {
        if (strcmp(sp->opts[j].key, "arg") == 0) {
            argv[argc++] = sp->opts[j].value;
            json_array_append_new(jargs, json_string(sp->opts[j].value));
        }
    }
    if (sp->input != NULL) {
        const tally_study_input *in = tally_study_find_input(s, sp->input);
        char *p = tally_path_join(s->dir, in->path);
        owned[nowned++] = p;
        argv[argc++] = p;
        json_array_append_new(jargs, json_string(sp->input));
    }
    for (size_t j = 0; j < sp->nopt && rc == CLI_OK; j++) {
        if (strcmp(sp->opts[j].key, "arg") == 0) {
            continue;
        }
        size_t n = strlen(sp->opts[j].key) + 3;
        char *flag = malloc(n);
        owned[nowned++] = flag;
        if (flag == NULL) {
            rc = CLI_EIO;
            break;
        }
        snprintf(flag, n, "--%s", sp->opts[j].key);
        argv[argc++] = flag;
        json_array_append_new(jargs, json_string(flag));
        if (strcmp(sp->opts[j].value, "true") != 0) {
            char *v = resolve_value(s, k, dir, sp->opts[j].value);
            owned[nowned++] = v;
            if (v == NULL) {
                fprintf(stderr, "tally: %s: step '%s': '%s' names no earlier step\n",
                        s->path, sp->name, sp->opts[j].value);
                rc = CLI_EUSAGE;
                break;
            }
            argv[argc++] = v;
            json_array_append_new(jargs, json_string(sp->opts[j].value));
        }
    }
    char outname[256];
    snprintf(outname, sizeof outname, "%s.%s", sp->name, ext);
    char *outpath = tally_path_join(dir, outname);
    owned[nowned++] = outpath;
    if (rc == CLI_OK && outpath != NULL) {
        if (format != NULL) {
            argv[argc++] = "--format";
            argv[argc++] = (char *)format;
        }
        argv[argc++] = "-o";
        argv[argc++] = outpath;
        argv[argc++] = "--force";
        argv[argc] = NULL;
        fflush(stdout);
        rc = cli_dispatch((int)argc, argv);
        if (rc != CLI_OK) {
            fprintf(stderr, "tally: %s: step '%s' (tally %s) failed with exit status %d\n",
                    s->path, sp->name, sp->command, rc);
        } else {
            rc = add_output(outs, dir, outname);
        }
    }
    for (size_t j = 0; j < nowned; j++) {
        free(owned[j]);
    }
    free(owned);
    free(argv);
    return rc;
}

static int cmp_out(const void *a, const void *b)
{
    return strcmp(((const out_file *)a)->name, ((const out_file *)b)->name);
}

/* Run every step into dir and write report.md and manifest.json there. */
static int run_study(const tally_study *s, const char *dir, int render,
                     char (*input_sha)[TALLY_SHA256_HEX])
{
    out_list outs = {0, 0, NULL};
    json_t *steps = json_array();
    int rc = CLI_OK;
    if (make_dirs(dir) != 0) {
        fprintf(stderr, "tally: cannot create %s: %s\n", dir, strerror(errno));
        json_decref(steps);
        return CLI_EIO;
    }
    int gnuplot = render && have_gnuplot();
    for (size_t k = 0; k < s->nsteps && rc == CLI_OK; k++) {
        const tally_study_step *sp = &s->steps[k];
        json_t *jstep = json_object();
        json_t *jargs = json_array();
        json_object_set_new(jstep, "name", json_string(sp->name));
        json_object_set_new(jstep, "command", json_string(sp->command));
        const char *ext = main_ext(sp->command);
        int analysis = strcmp(sp->command, "aggregate") != 0
                       && strcmp(sp->command, "plot") != 0;
        rc = run_step_format(s, k, dir, analysis ? "json" : NULL, ext, &outs,
                             jargs);
        json_object_set_new(jstep, "args", jargs);
        if (rc == CLI_OK && analysis) {
            json_t *unused = json_array();
            rc = run_step_format(s, k, dir, "csv", "csv", &outs, unused);
            json_decref(unused);
        }
        if (rc == CLI_OK && gnuplot && strcmp(sp->command, "plot") == 0
            && render_png(dir, sp->name) != 0) {
            fprintf(stderr, "tally: warning: gnuplot could not render %s/%s.gp; "
                            "the script is kept\n", dir, sp->name);
        }
        json_array_append_new(steps, jstep);
    }
    if (rc == CLI_OK) {
        rc = tly_run_report_write(s, dir, gnuplot);
        if (rc == CLI_OK) {
            rc = add_output(&outs, dir, "report.md");
        }
    }
    if (rc == CLI_OK) {
        qsort(outs.files, outs.n, sizeof *outs.files, cmp_out);
        json_t *m = json_object();
        json_t *tool = json_object();
        json_object_set_new(tool, "version", json_string(cli_version()));
        json_object_set_new(tool, "commit", json_string(cli_commit()));
        json_object_set_new(tool, "libraries", json_string(cli_libraries()));
        json_object_set_new(m, "tally", tool);
        json_t *study = json_object();
        json_object_set_new(study, "name", json_string(s->name));
        char sha[TALLY_SHA256_HEX];
        if (tally_sha256_file(s->path, sha) == TALLY_OK) {
            json_object_set_new(study, "sha256", json_string(sha));
        }
        json_object_set_new(m, "study", study);
        json_t *ins = json_array();
        for (size_t i = 0; i < s->ninputs; i++) {
            json_t *ji = json_object();
            json_object_set_new(ji, "name", json_string(s->inputs[i].name));
            json_object_set_new(ji, "path", json_string(s->inputs[i].path));
            json_object_set_new(ji, "sha256", json_string(input_sha[i]));
            json_array_append_new(ins, ji);
        }
        json_object_set_new(m, "inputs", ins);
        json_object_set_new(m, "steps", steps);
        steps = NULL;
        json_t *jo = json_array();
        for (size_t i = 0; i < outs.n; i++) {
            json_t *f = json_object();
            json_object_set_new(f, "file", json_string(outs.files[i].name));
            json_object_set_new(f, "sha256", json_string(outs.files[i].sha));
            json_array_append_new(jo, f);
        }
        json_object_set_new(m, "outputs", jo);
        char *mpath = tally_path_join(dir, "manifest.json");
        FILE *fp = mpath ? fopen(mpath, "w") : NULL;
        if (fp == NULL) {
            fprintf(stderr, "tally: cannot write %s/manifest.json\n", dir);
            json_decref(m);
            rc = CLI_EIO;
        } else {
            rc = cli_json_print(fp, m);
            if (fclose(fp) != 0) {
                rc = CLI_EIO;
            }
        }
        free(mpath);
    }
    json_decref(steps);
    free(outs.files);
    return rc;
}

/* Remove a temporary folder made by --check (flat: the runner writes no
 * sub-folders). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
                continue;
            }
            char *p = tally_path_join(dir, e->d_name);
            if (p != NULL) {
                unlink(p);
                free(p);
            }
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Compare the manifest of a fresh run (fresh) with the recorded one. */
static int compare_manifests(const char *recorded_path, const char *fresh_path)
{
    json_error_t err;
    json_t *a = json_load_file(recorded_path, 0, &err);
    if (a == NULL) {
        fprintf(stderr, "tally: cannot read %s: %s (run the study without --check first)\n",
                recorded_path, err.text);
        return CLI_EIO;
    }
    json_t *b = json_load_file(fresh_path, 0, &err);
    if (b == NULL) {
        json_decref(a);
        fprintf(stderr, "tally: cannot read the fresh manifest: %s\n", err.text);
        return CLI_EIO;
    }
    size_t ndiff = 0;
    const char *keys[2] = {"inputs", "outputs"};
    for (int part = 0; part < 2; part++) {
        json_t *ra = json_object_get(a, keys[part]);
        json_t *rb = json_object_get(b, keys[part]);
        const char *id = part == 0 ? "name" : "file";
        size_t i;
        json_t *ea;
        json_array_foreach(ra, i, ea) {
            const char *name = json_string_value(json_object_get(ea, id));
            const char *sha = json_string_value(json_object_get(ea, "sha256"));
            const char *shb = NULL;
            size_t j;
            json_t *eb;
            json_array_foreach(rb, j, eb) {
                const char *nb = json_string_value(json_object_get(eb, id));
                if (name && nb && strcmp(name, nb) == 0) {
                    shb = json_string_value(json_object_get(eb, "sha256"));
                }
            }
            if (shb == NULL) {
                printf("missing %s: %s\n", part == 0 ? "input" : "output", name ? name : "?");
                ndiff++;
            } else if (sha == NULL || strcmp(sha, shb) != 0) {
                if (part == 0) {
                    printf("input changed: %s (%s): sha256 %s, recorded %s\n", name,
                           json_string_value(json_object_get(ea, "path")), shb,
                           sha ? sha : "?");
                } else {
                    printf("output differs: %s\n", name);
                }
                ndiff++;
            }
        }
        json_array_foreach(rb, i, ea) {
            const char *name = json_string_value(json_object_get(ea, id));
            int found = 0;
            size_t j;
            json_t *eb;
            json_array_foreach(ra, j, eb) {
                const char *na = json_string_value(json_object_get(eb, id));
                found |= name && na && strcmp(name, na) == 0;
            }
            if (!found) {
                printf("new %s not in the manifest: %s\n", part == 0 ? "input" : "output",
                       name ? name : "?");
                ndiff++;
            }
        }
    }
    const char *sa = json_string_value(json_object_get(json_object_get(a, "study"), "sha256"));
    const char *sb = json_string_value(json_object_get(json_object_get(b, "study"), "sha256"));
    if (sa == NULL || sb == NULL || strcmp(sa, sb) != 0) {
        printf("study file changed: sha256 %s, recorded %s\n", sb ? sb : "?", sa ? sa : "?");
        ndiff++;
    }
    /* Recorded for information, never compared: a commit cannot hold its
     * own hash, and library builds differ between machines. */
    json_t *ta = json_object_get(a, "tally");
    json_t *tb = json_object_get(b, "tally");
    const char *fields[3] = {"version", "commit", "libraries"};
    for (int f = 0; f < 3; f++) {
        const char *va = json_string_value(json_object_get(ta, fields[f]));
        const char *vb = json_string_value(json_object_get(tb, fields[f]));
        if (va && vb && strcmp(va, vb) != 0) {
            printf("note: tally %s was '%s', now '%s' (not compared)\n", fields[f], va, vb);
        }
    }
    json_decref(a);
    json_decref(b);
    if (ndiff > 0) {
        printf("check failed: %zu difference%s\n", ndiff, ndiff == 1 ? "" : "s");
        return CLI_EANALYSIS;
    }
    printf("check passed: every input and output matches the manifest\n");
    return CLI_OK;
}

int cmd_run(int argc, char **argv)
{
    cli_cmd c;
    cli_init(&c, "run", "STUDY.ini [--out DIR] [--check]",
             "Run every step of a study file: inputs are hashed (and checked\n"
             "against their recorded sha256), each step runs the tally command it\n"
             "names and writes STEP.json and STEP.csv (aggregate: STEP.csv; plot:\n"
             "STEP.gp, rendered to STEP.png when gnuplot is installed), then\n"
             "report.md and manifest.json (tally version and commit, library\n"
             "versions, every input's and output's sha256, each step's options).\n"
             "--check reruns into a temporary folder and compares the hashes of\n"
             "the inputs and of every output tally writes (PNGs excluded: they\n"
             "depend on the gnuplot build) with DIR/manifest.json.",
             "  tally run models/truce.ini\n"
             "  tally run models/truce.ini --check\n",
             run_opts, 0);
    const char *out = NULL;
    int check = 0, render = 1;
    char *arg;
    int key;
    while ((key = cli_next(&c, argc, argv, &arg)) != CLI_END) {
        switch (key) {
        case CLI_DONE_OK:
            return CLI_OK;
        case CLI_DONE_USAGE:
            return CLI_EUSAGE;
        case OPT_OUT:
            out = arg;
            break;
        case OPT_CHECK:
            check = 1;
            break;
        case OPT_NO_RENDER:
            render = 0;
            break;
        default:
            return cli_usage_error(&c, "unexpected option");
        }
    }
    if (argc - optind != 1) {
        return cli_usage_error(&c, "expected one study file");
    }
    tally_study *s = NULL;
    int st = tally_study_read(argv[optind], &s);
    if (st != TALLY_OK) {
        return cli_fail(st);
    }
    char *dir = NULL;
    if (out != NULL) {
        dir = tally_path_join(".", out);
    } else if (s->out != NULL) {
        dir = tally_path_join(s->dir, s->out);
    } else {
        char rel[256];
        snprintf(rel, sizeof rel, "out/%s", s->name);
        dir = tally_path_join(".", rel);
    }
    char (*sha)[TALLY_SHA256_HEX] = calloc(s->ninputs ? s->ninputs : 1, sizeof *sha);
    int rc = (dir == NULL || sha == NULL) ? CLI_EIO : CLI_OK;
    for (size_t i = 0; i < s->ninputs && rc == CLI_OK; i++) {
        char *p = tally_path_join(s->dir, s->inputs[i].path);
        st = p ? tally_sha256_file(p, sha[i]) : TALLY_ENOMEM;
        free(p);
        if (st != TALLY_OK) {
            rc = cli_fail(st);
        } else if (!check && s->inputs[i].sha256 != NULL
                   && strcmp(s->inputs[i].sha256, sha[i]) != 0) {
            fprintf(stderr, "tally: input '%s' (%s) has changed: sha256 %s, the study expects %s\n",
                    s->inputs[i].name, s->inputs[i].path, sha[i], s->inputs[i].sha256);
            rc = CLI_EANALYSIS;
        }
    }
    if (rc == CLI_OK && !check) {
        rc = run_study(s, dir, render, sha);
        if (rc == CLI_OK) {
            fprintf(stderr, "tally: study '%s' done: report %s/report.md, manifest %s/manifest.json\n",
                    s->name, dir, dir);
        }
    } else if (rc == CLI_OK) {
        const char *tmp = getenv("TMPDIR");
        char tdir[4096];
        snprintf(tdir, sizeof tdir, "%s/tally-check-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (mkdtemp(tdir) == NULL) {
            fprintf(stderr, "tally: cannot create a temporary folder: %s\n", strerror(errno));
            rc = CLI_EIO;
        } else {
            rc = run_study(s, tdir, 0, sha);
            if (rc == CLI_OK) {
                char *rec = tally_path_join(dir, "manifest.json");
                char *fresh = tally_path_join(tdir, "manifest.json");
                rc = compare_manifests(rec, fresh);
                free(rec);
                free(fresh);
            }
            remove_tree(tdir);
        }
    }
    free(sha);
    free(dir);
    tally_study_free(s);
    return rc;
}
