/* SPDX-License-Identifier: MIT
 *
 * Study-file parsing with inih, validation (unique safe names, known
 * inputs), SHA-256 of files with nettle, and path joining.
 */
#include "tally/tally_study.h"
#include "tally/tally_status.h"

#include <errno.h>
#include <ini.h>
#include <nettle/sha2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parser state: the study being built and the first error. */
typedef struct {
    tally_study *s;
    int status;
    int section_kind;   /* 0 none, 1 study, 2 input, 3 step */
    char *section;      /* current section text */
    FILE *fp;           /* the study file */
    int line;           /* line last handed to inih (1-based) */
    int at_start;       /* the next read starts a new line */
    int section_seq;    /* section headers read so far */
    int section_line;   /* line of the latest section header */
    int cur_seq;        /* section_seq of the section being filled */
} parse_state;

/* inih's line reader, counting lines so messages can name them (Debian's
 * inih is built without line numbers in the handler). */
static char *read_line(char *str, int num, void *stream)
{
    parse_state *ps = stream;
    char *r = fgets(str, num, ps->fp);
    if (r != NULL) {
        if (ps->at_start) {
            ps->line++;
        }
        const char *c = r;
        while (*c == ' ' || *c == '\t') {
            c++;
        }
        if (*c == '[') {
            ps->section_seq++;
            ps->section_line = ps->line;
        }
        ps->at_start = strchr(r, '\n') != NULL;
    }
    return r;
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL) {
        memcpy(d, s, n);
    }
    return d;
}

int tally_study_safe_name(const char *name)
{
    if (name == NULL || name[0] == '\0' || name[0] == '.' || strlen(name) > 100) {
        return 0;
    }
    for (const char *c = name; *c; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')
              || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.')) {
            return 0;
        }
    }
    return strstr(name, "..") == NULL;
}

static void *grow(void *p, size_t n, size_t size)
{
    return realloc(p, (n + 1) * size);
}

/* Start a section: "study", "input NAME" or "step NAME". */
static int begin_section(parse_state *ps, const char *section, int line)
{
    tally_study *s = ps->s;
    char kind[16];
    const char *sp = strchr(section, ' ');
    size_t klen = sp ? (size_t)(sp - section) : strlen(section);
    if (klen >= sizeof kind) {
        klen = sizeof kind - 1;
    }
    memcpy(kind, section, klen);
    kind[klen] = '\0';
    const char *name = sp ? sp + 1 : "";
    while (*name == ' ') {
        name++;
    }
    free(ps->section);
    ps->section = dupstr(section);
    if (strcmp(kind, "study") == 0 && sp == NULL) {
        ps->section_kind = 1;
        return TALLY_OK;
    }
    if ((strcmp(kind, "input") == 0 || strcmp(kind, "step") == 0)) {
        if (!tally_study_safe_name(name)) {
            return TALLY_ERROR(TALLY_EPARSE,
                "%s:%d: section [%s]: the name must be letters, digits, '_', '-' or '.'",
                s->path, line, section);
        }
        if (kind[1] == 'n') {
            for (size_t i = 0; i < s->ninputs; i++) {
                if (strcmp(s->inputs[i].name, name) == 0) {
                    return TALLY_ERROR(TALLY_EPARSE, "%s:%d: input '%s' defined twice",
                                       s->path, line, name);
                }
            }
            tally_study_input *p = grow(s->inputs, s->ninputs, sizeof *p);
            if (p == NULL) {
                return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            }
            s->inputs = p;
            memset(&p[s->ninputs], 0, sizeof *p);
            p[s->ninputs].name = dupstr(name);
            p[s->ninputs].line = (size_t)line;
            s->ninputs++;
            ps->section_kind = 2;
        } else {
            for (size_t i = 0; i < s->nsteps; i++) {
                if (strcmp(s->steps[i].name, name) == 0) {
                    return TALLY_ERROR(TALLY_EPARSE, "%s:%d: step '%s' defined twice",
                                       s->path, line, name);
                }
            }
            tally_study_step *p = grow(s->steps, s->nsteps, sizeof *p);
            if (p == NULL) {
                return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            }
            s->steps = p;
            memset(&p[s->nsteps], 0, sizeof *p);
            p[s->nsteps].name = dupstr(name);
            p[s->nsteps].line = (size_t)line;
            s->nsteps++;
            ps->section_kind = 3;
        }
        return TALLY_OK;
    }
    return TALLY_ERROR(TALLY_EPARSE,
        "%s:%d: unknown section [%s] (expected [study], [input NAME] or [step NAME])",
        s->path, line, section);
}

static int set_once(char **field, const char *value, const char *path,
                    int line, const char *key)
{
    if (*field != NULL) {
        return TALLY_ERROR(TALLY_EPARSE, "%s:%d: '%s' given twice", path, line, key);
    }
    *field = dupstr(value);
    return *field ? TALLY_OK : TALLY_ERROR(TALLY_ENOMEM, "out of memory");
}

static int on_entry(void *user, const char *section, const char *key,
                    const char *value)
{
    parse_state *ps = user;
    int line = ps->line;
    tally_study *s = ps->s;
    if (ps->status != TALLY_OK) {
        return 0;
    }
    if (ps->cur_seq != ps->section_seq) {
        ps->cur_seq = ps->section_seq;
        ps->status = begin_section(ps, section, ps->section_line);
        if (ps->status != TALLY_OK) {
            return 0;
        }
    }
    if (key == NULL) {
        return 1; /* a section line alone */
    }
    int st = TALLY_OK;
    switch (ps->section_kind) {
    case 1:
        if (strcmp(key, "name") == 0) {
            st = set_once(&s->name, value, s->path, line, key);
        } else if (strcmp(key, "title") == 0) {
            st = set_once(&s->title, value, s->path, line, key);
        } else if (strcmp(key, "out") == 0) {
            st = set_once(&s->out, value, s->path, line, key);
        } else {
            st = TALLY_ERROR(TALLY_EPARSE, "%s:%d: unknown key '%s' in [study]",
                             s->path, line, key);
        }
        break;
    case 2: {
        tally_study_input *in = &s->inputs[s->ninputs - 1];
        if (strcmp(key, "path") == 0) {
            st = set_once(&in->path, value, s->path, line, key);
        } else if (strcmp(key, "sha256") == 0) {
            st = set_once(&in->sha256, value, s->path, line, key);
            if (st == TALLY_OK && strlen(value) != 64) {
                st = TALLY_ERROR(TALLY_EPARSE, "%s:%d: sha256 must be 64 hex digits",
                                 s->path, line);
            }
        } else {
            st = TALLY_ERROR(TALLY_EPARSE, "%s:%d: unknown key '%s' in an input",
                             s->path, line, key);
        }
        break;
    }
    case 3: {
        tally_study_step *sp = &s->steps[s->nsteps - 1];
        if (strcmp(key, "command") == 0) {
            st = set_once(&sp->command, value, s->path, line, key);
        } else if (strcmp(key, "input") == 0) {
            st = set_once(&sp->input, value, s->path, line, key);
        } else if (strcmp(key, "output") == 0 || strcmp(key, "o") == 0
                   || strcmp(key, "format") == 0 || strcmp(key, "force") == 0) {
            st = TALLY_ERROR(TALLY_EPARSE,
                "%s:%d: '%s' is set by tally run (outputs are named after the step)",
                s->path, line, key);
        } else {
            tally_study_opt *o = grow(sp->opts, sp->nopt, sizeof *o);
            if (o == NULL) {
                st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
                break;
            }
            sp->opts = o;
            o[sp->nopt].key = dupstr(key);
            o[sp->nopt].value = dupstr(value);
            sp->nopt++;
        }
        break;
    }
    default:
        st = TALLY_ERROR(TALLY_EPARSE, "%s:%d: '%s' outside a section", s->path,
                         line, key);
    }
    ps->status = st;
    return st == TALLY_OK;
}

/* Parse an open study file; path names it in messages and locates inputs. */
static int read_stream(const char *path, FILE *fp, tally_study **out)
{
    tally_study *s = calloc(1, sizeof *s);
    parse_state ps = {s, TALLY_OK, 0, NULL, fp, 0, 1, 0, 0, 0};
    if (s == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    s->path = dupstr(path);
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        s->dir = dupstr(".");
    } else {
        size_t n = (size_t)(slash - path);
        s->dir = malloc(n + 2);
        if (s->dir != NULL) {
            memcpy(s->dir, path, n ? n : 1);
            s->dir[n ? n : 1] = '\0';
        }
    }
    /* Continuation lines would silently glue options together. */
    ini_allow_multiline = false;
    int rc = ini_parse_stream(read_line, &ps, on_entry, &ps);
    free(ps.section);
    int st = ps.status;
    if (st == TALLY_OK && rc != 0) {
        st = rc > 0 ? TALLY_ERROR(TALLY_EPARSE, "%s:%d: not a valid INI line "
                                  "(expected [section], key = value or a ; comment)",
                                  path, rc)
                    : TALLY_ERROR(TALLY_EIO, "cannot read %s", path);
    }
    if (st == TALLY_OK && s->name == NULL) {
        st = TALLY_ERROR(TALLY_EPARSE, "%s: missing [study] section with a name", path);
    }
    for (size_t i = 0; st == TALLY_OK && i < s->ninputs; i++) {
        if (s->inputs[i].path == NULL) {
            st = TALLY_ERROR(TALLY_EPARSE, "%s:%zu: input '%s' has no path", path,
                             s->inputs[i].line, s->inputs[i].name);
        }
    }
    for (size_t i = 0; st == TALLY_OK && i < s->nsteps; i++) {
        tally_study_step *sp = &s->steps[i];
        if (sp->command == NULL) {
            st = TALLY_ERROR(TALLY_EPARSE, "%s:%zu: step '%s' has no command", path,
                             sp->line, sp->name);
        } else if (strcmp(sp->command, "run") == 0) {
            /* A study running a study would nest output folders and
             * manifests (and could run itself forever). */
            st = TALLY_ERROR(TALLY_EPARSE,
                             "%s:%zu: step '%s': a step cannot be 'run' (a "
                             "study does not run another study)",
                             path, sp->line, sp->name);
        } else if (sp->input != NULL && tally_study_find_input(s, sp->input) == NULL) {
            st = TALLY_ERROR(TALLY_EPARSE, "%s:%zu: step '%s' uses unknown input '%s'",
                             path, sp->line, sp->name, sp->input);
        }
    }
    if (st == TALLY_OK && s->nsteps == 0) {
        st = TALLY_ERROR(TALLY_EPARSE, "%s: the study has no [step NAME] section", path);
    }
    if (st != TALLY_OK) {
        tally_study_free(s);
        return st;
    }
    *out = s;
    return TALLY_OK;
}

int tally_study_read(const char *path, tally_study **out)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        return TALLY_ERROR(TALLY_EIO, "cannot open %s: %s", path, strerror(errno));
    }
    int st = read_stream(path, fp, out);
    fclose(fp);
    return st;
}

int tally_study_read_mem(const char *name, const char *buf, size_t len,
                         tally_study **out)
{
    /* fmemopen cannot open an empty buffer portably: an empty study has
     * no [study] section anyway. */
    if (len == 0) {
        return TALLY_ERROR(TALLY_EPARSE, "%s: missing [study] section with a name",
                           name);
    }
    FILE *fp = fmemopen((void *)buf, len, "r");
    if (fp == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    int st = read_stream(name, fp, out);
    fclose(fp);
    return st;
}

void tally_study_free(tally_study *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t i = 0; i < s->ninputs; i++) {
        free(s->inputs[i].name);
        free(s->inputs[i].path);
        free(s->inputs[i].sha256);
    }
    for (size_t i = 0; i < s->nsteps; i++) {
        for (size_t j = 0; j < s->steps[i].nopt; j++) {
            free(s->steps[i].opts[j].key);
            free(s->steps[i].opts[j].value);
        }
        free(s->steps[i].opts);
        free(s->steps[i].name);
        free(s->steps[i].command);
        free(s->steps[i].input);
    }
    free(s->inputs);
    free(s->steps);
    free(s->path);
    free(s->dir);
    free(s->name);
    free(s->title);
    free(s->out);
    free(s);
}

const tally_study_input *tally_study_find_input(const tally_study *s,
                                                const char *name)
{
    for (size_t i = 0; i < s->ninputs; i++) {
        if (strcmp(s->inputs[i].name, name) == 0) {
            return &s->inputs[i];
        }
    }
    return NULL;
}

int tally_sha256_file(const char *path, char hex[TALLY_SHA256_HEX])
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return TALLY_ERROR(TALLY_EIO, "cannot open %s: %s", path, strerror(errno));
    }
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    unsigned char buf[65536];
    size_t n;
    sha256_init(&ctx);
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        sha256_update(&ctx, n, buf);
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        return TALLY_ERROR(TALLY_EIO, "cannot read %s", path);
    }
    sha256_digest(&ctx, sizeof digest, digest);
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof digest; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
    return TALLY_OK;
}

char *tally_path_join(const char *dir, const char *rel)
{
    if (rel[0] == '/' || dir == NULL || strcmp(dir, ".") == 0) {
        return dupstr(rel);
    }
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = malloc(n);
    if (p != NULL) {
        snprintf(p, n, "%s/%s", dir, rel);
    }
    return p;
}
