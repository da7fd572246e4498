/* mklexicon: a word list (one UTF-8 word a line, e.g. Debian's wdanish
 * /usr/share/dict/danish) -> a C source with the words as a minimal acyclic
 * automaton (a DAFSA), for hyph's compound splitter (src/lexicon.h).
 *
 * Run at build time, so the repository holds no derived data and grundlag
 * reads no word list at run time: 313,000 words become about a megabyte of
 * constant data that a lookup walks letter by letter, with nothing to parse
 * at start-up.
 *
 * Words are folded to lowercase ISO-8859-1 (the hyphenator's alphabet);
 * words with anything but Latin-1 letters (hyphens, apostrophes, other
 * scripts) are left out. The automaton is built with Daciuk et al.'s
 * incremental algorithm for sorted input ("Incremental construction of
 * minimal acyclic finite-state automata", 2000).
 *
 * Output format (see src/lexicon.h): an array of uint32_t edges; a state is
 * the index of its first edge, its edges follow in ascending letter order,
 * the last one flagged. Edge bits: 0-7 the letter, 8 the word may end after
 * it, 9 last edge of its state, 10-31 the target state (0: no edges).
 * Edge 0 is unused, so that 0 can mean "no edges"; the root starts at 1.
 *
 * usage: mklexicon WORDLIST NAME > out.c */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct edge {
    unsigned char c;
    uint32_t to; /* state index */
} edge_t;

typedef struct state {
    bool final;
    edge_t *e;
    uint32_t n, cap;
    uint32_t out; /* first edge index in the output; 0 until written */
} state_t;

static state_t *S;
static uint32_t nS, capS;

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) {
        fprintf(stderr, "mklexicon: out of memory\n");
        exit(1);
    }
    return q;
}

static uint32_t new_state(void) {
    if (nS == capS) {
        capS = capS ? capS * 2 : 1024;
        S = xrealloc(S, capS * sizeof *S);
    }
    memset(&S[nS], 0, sizeof S[nS]);
    return nS++;
}

static void add_edge(uint32_t s, unsigned char c, uint32_t to) {
    state_t *st = &S[s];
    if (st->n == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 2;
        st->e = xrealloc(st->e, st->cap * sizeof *st->e);
    }
    st->e[st->n++] = (edge_t){c, to};
}

/* ---- the register: registered states by their right language ---------- */

static uint32_t *reg; /* open addressing, state index + 1; 0 empty */
static size_t capR, nR;

static uint64_t sig(uint32_t s) {
    uint64_t h = S[s].final ? 0x9E3779B97F4A7C15u : 1469598103934665603u;
    for (uint32_t i = 0; i < S[s].n; i++) h = (h ^ (S[s].e[i].c | ((uint64_t)S[s].e[i].to << 8))) * 1099511628211u;
    return h;
}

static bool same(uint32_t a, uint32_t b) {
    if (S[a].final != S[b].final || S[a].n != S[b].n) return false;
    for (uint32_t i = 0; i < S[a].n; i++)
        if (S[a].e[i].c != S[b].e[i].c || S[a].e[i].to != S[b].e[i].to) return false;
    return true;
}

static uint32_t *reg_slot(uint32_t s) {
    size_t i = (size_t)sig(s) & (capR - 1);
    while (reg[i] && !same(reg[i] - 1, s)) i = (i + 1) & (capR - 1);
    return &reg[i];
}

static void reg_grow(void) {
    size_t old = capR;
    uint32_t *o = reg;
    capR = capR ? capR * 2 : 1 << 16;
    reg = calloc(capR, sizeof *reg);
    if (!reg) {
        fprintf(stderr, "mklexicon: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < old; i++)
        if (o[i]) *reg_slot(o[i] - 1) = o[i];
    free(o);
}

/* Replaces the last child of s (recursively, deepest first) by an
 * equivalent registered state, or registers it. */
static void replace_or_register(uint32_t s) {
    uint32_t child = S[s].e[S[s].n - 1].to;
    if (S[child].n) replace_or_register(child);
    if (2 * (nR + 1) > capR) reg_grow();
    uint32_t *slot = reg_slot(child);
    if (*slot) {
        S[s].e[S[s].n - 1].to = *slot - 1;
        free(S[child].e); /* the duplicate is dropped (its index stays unused) */
        S[child].e = NULL;
        S[child].n = 0;
    } else {
        *slot = child + 1;
        nR++;
    }
}

/* ---- reading ------------------------------------------------------------ */

/* Folds a UTF-8 word to lowercase Latin-1 into out; false if it has anything
 * but Latin-1 letters. */
static bool fold(const char *w, unsigned char *out, size_t *n) {
    const unsigned char *s = (const unsigned char *)w;
    size_t k = 0;
    for (size_t i = 0; s[i];) {
        uint32_t cp;
        if (s[i] < 0x80) cp = s[i++];
        else if ((s[i] & 0xE0) == 0xC0 && (s[i + 1] & 0xC0) == 0x80) {
            cp = ((uint32_t)(s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F);
            i += 2;
        } else return false;
        if (cp >= 'A' && cp <= 'Z') cp += 0x20;
        else if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) cp += 0x20;
        bool letter = (cp >= 'a' && cp <= 'z') || (cp >= 0xDF && cp <= 0xFF && cp != 0xF7);
        if (!letter) return false;
        out[k++] = (unsigned char)cp;
    }
    *n = k;
    return k > 0;
}

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b); /* bytes: Latin-1 order */
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: mklexicon WORDLIST NAME > out.c\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    char **words = NULL;
    size_t nw = 0, capw = 0;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        unsigned char buf[512];
        size_t n;
        if (!fold(line, buf, &n)) continue;
        if (nw == capw) {
            capw = capw ? capw * 2 : 1 << 16;
            words = xrealloc(words, capw * sizeof *words);
        }
        words[nw] = xrealloc(NULL, n + 1);
        memcpy(words[nw], buf, n);
        words[nw][n] = '\0';
        nw++;
    }
    fclose(f);
    if (nw == 0) {
        fprintf(stderr, "mklexicon: no words in %s\n", argv[1]);
        return 1;
    }
    qsort(words, nw, sizeof *words, cmp);

    uint32_t root = new_state();
    const char *prev = "";
    size_t kept = 0;
    for (size_t w = 0; w < nw; w++) {
        const char *word = words[w];
        if (strcmp(word, prev) == 0) continue; /* folding makes duplicates */
        size_t p = 0;
        uint32_t s = root;
        /* follow the common prefix: it is the path of last edges */
        while (word[p] && S[s].n && S[s].e[S[s].n - 1].c == (unsigned char)word[p]) {
            s = S[s].e[S[s].n - 1].to;
            p++;
        }
        if (S[s].n) replace_or_register(s);
        for (; word[p]; p++) {
            uint32_t t = new_state();
            add_edge(s, (unsigned char)word[p], t);
            s = t;
        }
        S[s].final = true;
        prev = word;
        kept++;
    }
    if (S[root].n) replace_or_register(root);

    /* Lay the states out depth first from the root, each state's edges
     * together; a state reached twice is written once. */
    uint32_t *out = xrealloc(NULL, 2 * sizeof *out);
    size_t nout = 1, capout = 2;
    out[0] = 0;
    uint32_t *stack = xrealloc(NULL, (nS + 1) * sizeof *stack);
    size_t sp = 0;
    /* first pass: assign positions */
    stack[sp++] = root;
    S[root].out = 1;
    size_t next = 1 + S[root].n;
    while (sp) {
        uint32_t s = stack[--sp];
        for (uint32_t i = 0; i < S[s].n; i++) {
            uint32_t t = S[s].e[i].to;
            if (S[t].n && !S[t].out) {
                S[t].out = (uint32_t)next;
                next += S[t].n;
                stack[sp++] = t;
            }
        }
    }
    if (next >= (1u << 22)) {
        fprintf(stderr, "mklexicon: %zu edges do not fit 22 bits\n", next);
        return 1;
    }
    capout = next;
    out = xrealloc(out, capout * sizeof *out);
    for (size_t i = 0; i < capout; i++) out[i] = 0;
    nout = next;
    for (uint32_t s = 0; s < nS; s++) {
        if (!S[s].n || !S[s].out) continue;
        for (uint32_t i = 0; i < S[s].n; i++) {
            uint32_t t = S[s].e[i].to;
            out[S[s].out + i] = S[s].e[i].c | (S[t].final ? 1u << 8 : 0) | (i + 1 == S[s].n ? 1u << 9 : 0) |
                                (S[t].out << 10);
        }
    }
    printf("/* Generated by tools/mklexicon from %s (%zu words); do not edit. */\n", argv[1], kept);
    printf("#include \"lexicon.h\"\n\nstatic const uint32_t edges[%zu] = {\n", nout);
    for (size_t i = 0; i < nout; i++) printf("%uu,%s", out[i], i % 8 == 7 ? "\n" : "");
    printf("};\n\nconst lexicon_t %s = {edges, %zu, %zu};\n", argv[2], nout, kept);
    for (size_t w = 0; w < nw; w++) free(words[w]);
    free(words);
    for (uint32_t s = 0; s < nS; s++) free(S[s].e);
    free(S);
    free(reg);
    free(out);
    free(stack);
    return 0;
}
