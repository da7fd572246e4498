/* test_hyph: the hyphenator on readable strings ("ud-vik-lings-kon-trak-ter")
 * with Debian's Danish patterns, plus exact byte offsets where the mapping
 * from Latin-1 positions back to UTF-8 is what is being tested. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hyph.h"
#include "lexicon.h"

#define DA_DIC "/usr/share/hyphen/hyph_da_DK.dic"

static int setup(void **state) {
    char err[256];
    hyph_t *h = hyph_new(DA_DIC, 2, 3, err, sizeof err);
    if (!h) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    *state = h;
    return 0;
}

static int teardown(void **state) {
    hyph_drop(*state);
    return 0;
}

static void expect(const hyph_t *h, const char *word, const char *want) {
    char *got = hyph_debug(h, word);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* Runs hyph_word on the whole string and compares the byte offsets. */
static void expect_offsets(const hyph_t *h, const char *word, const size_t *want, size_t nwant) {
    size_t *br = NULL, cap = 0;
    size_t n = hyph_word(h, word, strlen(word), &br, &cap);
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++) assert_int_equal(br[i], want[i]);
    assert_true(n == 0 || cap >= n);
    free(br);
}

static void test_danish_words(void **state) {
    const hyph_t *h = *state;
    expect(h, "udviklingskontrakter", "udvik-lings-kon-trak-ter");
    expect(h, "effektiviseringsprocesser", "ef-fek-ti-vi-se-rings-pro-ces-ser");
    expect(h, "opgaveløsningen", "op-ga-ve-løsnin-gen");
    expect(h, "bæredygtig", "bæ-re-dyg-tig");
    expect(h, "rådighed", "rå-dig-hed");
    expect(h, "fællesskabet", "fæl-les-ska-bet");
    /* what the 1994 patterns give: "ledelses" is one piece, no le-del-ses */
    expect(h, "ledelseskommunikation", "le-delses-kom-mu-ni-ka-tion");
}


static void expect_ranked(const hyph_t *h, const char *word, const char *want) {
    char *got = hyph_debug_ranked(h, word);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* The Danish rule for consonants between vowels (only the last goes over):
 * "politis-ke", never "politi-ske". With rhmin 3 the two-letter "ke" is too
 * short, so "politiske" then has no break there at all. */
static void test_danish_sk_rule(void **state) {
    const hyph_t *h = *state;
    expect(h, "politiske", "po-li-tiske");
    expect(h, "politiskes", "po-li-tis-kes");
    expect(h, "praktiske", "prak-tiske");
    char err[256];
    hyph_t *h2 = hyph_new(DA_DIC, 2, 2, err, sizeof err);
    assert_non_null(h2);
    expect(h2, "politiske", "po-li-tis-ke");
    expect(h2, "økonomiske", "øko-no-mis-ke");
    hyph_drop(h2);
}

/* The compound words of the issue: joints ('=') from the Danish word list,
 * pattern points inside members ('-') ranked below them, and pattern points
 * two letters from a joint between long members dropped: "persona-le",
 * "borgerre-", "afta-le", "vær-di", "samarbejdsre-", "opga-ve". */
static void test_compound_joints(void **state) {
    hyph_t *h = *state;
    /* without the word list: the patterns alone, joints unmarked */
    expect_ranked(h, "personalegrupper", "per-so-na-le-grup-per");
    hyph_set_lexicon(h, &lexicon_da);
    expect_ranked(h, "personalegrupper", "per-so-nale=grup-per");
    expect_ranked(h, "borgerrepræsentationen", "bor-ger=repræ-sen-ta-tio-nen");
    expect_ranked(h, "aftaleholder", "af-tale=hol-der");
    expect_ranked(h, "medarbejderne", "med=ar-bejderne");
    expect_ranked(h, "værdibaseret", "værdi=base-ret");
    expect_ranked(h, "samarbejdsrelationer", "sam-ar-bejds=rela-tio-ner");
    expect_ranked(h, "opgaveløsningen", "op-gave=løsnin-gen");
    expect_ranked(h, "Ledelsesgrundlaget", "Le-delses=grund-laget");
    expect_ranked(h, "personaleudvikling", "per-so-nale=udvik-ling");
    expect_ranked(h, "udviklingssporene", "udvik-lings=spo-rene");
    /* not compounds: the patterns alone */
    expect_ranked(h, "motiverende", "mo-ti-verende");
    expect_ranked(h, "organisationen", "or-ga-ni-sa-tio-nen");
    /* the -iske adjective is no compound of politi + ske */
    expect_ranked(h, "politiske", "po-li-tiske");
    /* the exception list still wins over the word list */
    assert_true(hyph_add_exception(h, "per-sonale-grupper"));
    expect_ranked(h, "personalegrupper", "per-sonale-grupper");
    /* the ranks of hyph_word_ranked: joint, member, plain */
    size_t *br = NULL, cap = 0;
    unsigned char *rk = NULL;
    size_t n = hyph_word_ranked(h, "aftaleholder", strlen("aftaleholder"), &br, &rk, &cap);
    assert_int_equal(n, 3); /* af-tale=hol-der */
    assert_int_equal(br[1], 6);
    assert_int_equal(rk[1], HYPH_JOINT);
    assert_int_equal(rk[0], HYPH_MEMBER);
    n = hyph_word_ranked(h, "organisationen", strlen("organisationen"), &br, &rk, &cap);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) assert_int_equal(rk[i], HYPH_PLAIN);
    free(br);
    free(rk);
    hyph_set_lexicon(h, NULL);
    expect_ranked(h, "personaleudvikling", "per-so-nale-udvik-ling");
}

/* A word as written is answered again from memory: the same answer, its
 * punctuation and soft hyphens included, a long token outside it. */
static void test_written_words_remembered(void **state) {
    hyph_t *h = *state;
    hyph_set_lexicon(h, &lexicon_da);
    const char *words[] = {"»Ledelsesgrundlaget«,", "aftaleholder", "af\xC2\xADtale\xC2\xADholder", "kontrakt-",
                           "udviklingssporene.", "2027", "x"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        char *first = hyph_debug_ranked(h, words[w]), *again = hyph_debug_ranked(h, words[w]);
        assert_non_null(first);
        assert_non_null(again);
        assert_string_equal(first, again);
        free(first);
        free(again);
    }
    expect_ranked(h, "»Ledelsesgrundlaget«,", "»Le-delses=grund-laget«,");
    char long_word[200];
    memset(long_word, 'a', sizeof long_word - 1);
    long_word[sizeof long_word - 1] = '\0';
    char *once = hyph_debug_ranked(h, long_word), *twice = hyph_debug_ranked(h, long_word);
    assert_string_equal(once, twice);
    free(once);
    free(twice);
    hyph_set_lexicon(h, NULL);
}

/* The generated word automaton answers for words, not their prefixes. */
static void test_lexicon(void **state) {
    (void)state;
    assert_true(lexicon_da.words > 300000);
    const char *yes[] = {"personale", "grupper", "personalegrupper", "ledelses", "grundlaget", "med"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        assert_true(lexicon_has(&lexicon_da, (const unsigned char *)yes[i], strlen(yes[i])));
    const char *no[] = {"personaleg", "grupperx", "xyz", ""};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        assert_false(lexicon_has(&lexicon_da, (const unsigned char *)no[i], strlen(no[i])));
    /* Latin-1 letters: "løsningen" is 6c f8 73 ... */
    assert_true(lexicon_has(&lexicon_da, (const unsigned char *)"l\xf8sningen", 9));
    bool word[12] = {0}, word_e[12] = {0};
    lexicon_prefixes(&lexicon_da, (const unsigned char *)"arbejderne", 10, word, word_e);
    assert_true(word[6] && word[7] && word[8] && word[10]); /* arbejd, -e, -er, -erne */
    assert_false(word[9]);
    assert_true(word_e[6]); /* arbejd + e */
}

static void test_case_is_kept(void **state) {
    const hyph_t *h = *state;
    expect(h, "Skanderborgkulturen", "Skan-der-borg-kul-tu-ren");
    expect(h, "BÆREDYGTIG", "BÆ-RE-DYG-TIG");
    expect(h, "RÅDIGHED", "RÅ-DIG-HED");
}

/* Offsets are UTF-8 bytes: "rå" is 3 bytes, "bæ" 3, "rådig" 6. Had the
 * Latin-1 positions been used unmapped, these would be one byte short. */
static void test_utf8_byte_offsets(void **state) {
    const hyph_t *h = *state;
    expect_offsets(h, "rådighed", (const size_t[]){3, 6}, 2);
    expect_offsets(h, "bæredygtig", (const size_t[]){3, 5, 8}, 3);
    /* op-ga-ve-løsnin-gen: ø counts two bytes from "løs" on */
    expect_offsets(h, "opgaveløsningen", (const size_t[]){2, 4, 6, 13}, 4);
}

static void test_exception(void **state) {
    hyph_t *h = *state;
    /* the pattern mistake the exception list exists for */
    expect(h, "værdsætter", "værds-æt-ter");
    assert_true(hyph_add_exception(h, "værd-sæt-ter"));
    expect(h, "værdsætter", "værd-sæt-ter");
    expect(h, "Værdsætter", "Værd-sæt-ter");
    expect(h, "VÆRDSÆTTER", "VÆRD-SÆT-TER");
    expect(h, "»Værdsætter«,", "»Værd-sæt-ter«,");
    /* an exception only matches the whole word */
    expect(h, "værdsætteren", "værds-æt-te-ren");
    /* added in capitals, still folds */
    assert_true(hyph_add_exception(h, "FÆL-LESSKABET"));
    expect(h, "fællesskabet", "fæl-lesskabet");
    /* a later entry replaces an earlier one; no hyphen = never hyphenate */
    assert_true(hyph_add_exception(h, "fællesskabet"));
    expect(h, "Fællesskabet", "Fællesskabet");
}

static void test_exception_respects_hyphenmin(void **state) {
    hyph_t *h = *state;
    /* rhmin 3: the "e-r" and "t-e" breaks are too near the ends */
    assert_true(hyph_add_exception(h, "k-on-trak-t-e-r"));
    expect(h, "kontrakter", "kon-trak-ter");
}

static void test_malformed_exceptions(void **state) {
    hyph_t *h = *state;
    assert_false(hyph_add_exception(h, ""));
    assert_false(hyph_add_exception(h, "-"));
    assert_false(hyph_add_exception(h, "-værd-sæt-ter"));
    assert_false(hyph_add_exception(h, "værd-sæt-ter-"));
    assert_false(hyph_add_exception(h, "værd--sæt-ter"));
    assert_false(hyph_add_exception(h, "værd sæt-ter"));
    assert_false(hyph_add_exception(h, "kom-mu-ne3"));
    assert_false(hyph_add_exception(h, "ud\xff-vik"));   /* invalid UTF-8 */
    assert_false(hyph_add_exception(h, "Ω-mega"));       /* outside Latin-1 */
    assert_false(hyph_add_exception(NULL, "værd-sæt-ter"));
    /* none of them changed anything */
    expect(h, "udviklingskontrakter", "udvik-lings-kon-trak-ter");
}

static void test_soft_hyphen(void **state) {
    const hyph_t *h = *state;
    /* "op" + U+00AD + "gave" + U+00AD + "løsningen": only the two soft
     * hyphens, at their own offsets (2 and 2+2+4 = 8); no pattern breaks in
     * "løsningen" (the patterns alone give op-ga-ve-løsnin-gen). */
    const char *w = "op\u00ADgave\u00ADløsningen";
    expect_offsets(h, w, (const size_t[]){2, 8}, 2);
    expect(h, w, "op-gave-løsningen");
    assert_memory_equal(w + 2, "\xC2\xAD", 2);
    /* soft hyphens with nothing before or after are no break points */
    expect_offsets(h, "\u00ADrådighed\u00AD", NULL, 0);
    /* » (2) + soft hyphen (2) + "rådig" (6) = 10 */
    expect_offsets(h, "»\u00ADrådig\u00ADhed\u00AD«,", (const size_t[]){10}, 1);
    /* explicit, so honoured even where patterns would not be used */
    expect_offsets(h, "Co\u00ADVid19", (const size_t[]){2}, 1);
}

/* A hard hyphen inside a word: the line breaker breaks after it and
 * nowhere else. At either end it stands for a word left out ("kontrakt- og
 * aftaleholder", "udviklingskontrakter og -aftaler"), and the rest is an
 * ordinary word: without its breaks such a phrase cannot move and opens
 * holes in the line before it. */
static void test_hard_hyphen_tokens(void **state) {
    const hyph_t *h = *state;
    expect(h, "kontrakt-", "kon-trakt-");
    expect(h, "-aftaler", "-af-ta-ler");
    expect(h, "-kontrakter,", "-kon-trak-ter,");
    expect_offsets(h, "-", NULL, 0);
    expect_offsets(h, "--", NULL, 0);
    expect_offsets(h, "udviklings-kontrakter", NULL, 0);
    expect_offsets(h, "3.0-sporet", NULL, 0);
    expect_offsets(h, "Kommunen-sporet", NULL, 0);
    expect_offsets(h, "udviklings\u2010kontrakter", NULL, 0); /* U+2010 HYPHEN */
    expect_offsets(h, "udviklings\u2011kontrakter", NULL, 0); /* U+2011 non-breaking */
}

static void test_punctuation_is_outside_the_word(void **state) {
    const hyph_t *h = *state;
    expect(h, "udviklingskontrakter,", "udvik-lings-kon-trak-ter,");
    expect(h, "(bæredygtig).", "(bæ-re-dyg-tig).");
    expect(h, "»rådighed«:", "»rå-dig-hed«:");
    expect(h, "„fællesskabet“", "„fæl-les-ska-bet“");
    expect(h, "udviklingskontrakter…", "udvik-lings-kon-trak-ter…");
    /* offsets shift by the prefix: "»" is 2 bytes */
    expect_offsets(h, "»rådighed«", (const size_t[]){5, 8}, 2);
    /* trailing comma: the last break still leaves 3 letters of the word */
    size_t *br = NULL, cap = 0;
    const char *w = "udviklingskontrakter,";
    size_t n = hyph_word(h, w, strlen(w), &br, &cap);
    assert_int_equal(n, 4);
    assert_int_equal(br[n - 1], strlen("udviklingskontrak"));
    free(br);
    /* punctuation inside the word: left alone */
    expect_offsets(h, "f.eks.", NULL, 0);
    expect_offsets(h, "udviklings/kontrakter", NULL, 0);
}

static void test_unbreakable_tokens(void **state) {
    const hyph_t *h = *state;
    /* Cyrillic "е" (U+0435) looks like "e" but is outside Latin-1 */
    expect_offsets(h, "udviklingskontrakt\u0435r", NULL, 0);
    expect_offsets(h, "Ελληνικά", NULL, 0);
    expect_offsets(h, "ledelseskommunikation2", NULL, 0);
    expect_offsets(h, "2025", NULL, 0);
    expect_offsets(h, "", NULL, 0);
    expect_offsets(h, "»«", NULL, 0);
    expect_offsets(h, "ud\xffvikling", NULL, 0); /* invalid UTF-8 */
    expect(h, "", "");
    expect(h, "Ærø", "Ærø"); /* shorter than lhmin + rhmin */
}

static void test_len_is_respected(void **state) {
    const hyph_t *h = *state;
    size_t *br = NULL, cap = 0;
    /* "bæredygtig" seen as "bæredy": bæ-redy (re-dy would leave 2 < rhmin) */
    size_t n = hyph_word(h, "bæredygtig", strlen("bæredy"), &br, &cap);
    assert_int_equal(n, 1);
    assert_int_equal(br[0], 3);
    free(br);
}

static void test_breaks_array_grows(void **state) {
    const hyph_t *h = *state;
    size_t cap = 1;
    size_t *br = malloc(cap * sizeof *br);
    assert_non_null(br);
    size_t n = hyph_word(h, "effektiviseringsprocesser", strlen("effektiviseringsprocesser"), &br, &cap);
    assert_int_equal(n, 8);
    assert_true(cap >= 8);
    assert_int_equal(br[0], 2);
    assert_int_equal(br[7], strlen("effektiviseringsproces"));
    free(br);
}

static void test_hyphenmin_counts_letters(void **state) {
    (void)state;
    char err[256];
    hyph_t *h = hyph_new(DA_DIC, 3, 3, err, sizeof err);
    assert_non_null(h);
    /* "bæ" is 3 bytes but 2 letters: with lhmin 3 it may not stand alone */
    expect(h, "bæredygtig", "bære-dyg-tig");
    expect(h, "»bæredygtig«", "»bære-dyg-tig«");
    hyph_drop(h);
}

static void test_missing_file(void **state) {
    (void)state;
    char err[256] = "untouched";
    assert_null(hyph_new("/x.dic", 2, 3, err, sizeof err));
    assert_string_equal(err, "cannot open hyphenation patterns '/x.dic': No such file or directory");
    assert_null(hyph_new("/tmp", 2, 3, err, sizeof err));
    assert_string_equal(err, "cannot read hyphenation patterns '/tmp': Is a directory");
    /* a short buffer is truncated, not overrun */
    char tiny[8];
    assert_null(hyph_new("/x.dic", 2, 3, tiny, sizeof tiny));
    assert_string_equal(tiny, "cannot ");
    assert_null(hyph_new("/x.dic", 2, 3, NULL, 0));
}

/* Writes `text` to a fresh temporary file; the caller unlinks it. */
static void write_temp(char *path, const char *text) {
    strcpy(path, "/tmp/test_hyph_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_not_a_pattern_file(void **state) {
    (void)state;
    char path[64], err[256], want[256];
    write_temp(path, "KOI8-R\n1ba\n");
    assert_null(hyph_new(path, 2, 3, err, sizeof err));
    snprintf(want, sizeof want,
             "hyphenation patterns '%s' are in encoding 'KOI8-R'; only ISO8859-1 and UTF-8 are "
             "supported",
             path);
    assert_string_equal(err, want);
    unlink(path);
    write_temp(path, "");
    assert_null(hyph_new(path, 2, 3, err, sizeof err));
    snprintf(want, sizeof want, "'%s' is not a hyphenation pattern file: its first line names no encoding",
             path);
    assert_string_equal(err, want);
    unlink(path);
}

/* The same one-pattern dictionary ("break after æ") in both encodings must
 * give the same UTF-8 offsets: the conversion is per dictionary. */
static void test_utf8_and_latin1_dictionaries(void **state) {
    (void)state;
    char path[64], err[256];
    write_temp(path, "UTF-8\næ1\n");
    hyph_t *u = hyph_new(path, 1, 1, err, sizeof err);
    unlink(path);
    assert_non_null(u);
    write_temp(path, "ISO8859-1\n\xE6" "1\n");
    hyph_t *l = hyph_new(path, 1, 1, err, sizeof err);
    unlink(path);
    assert_non_null(l);
    expect(u, "bæredygtig", "bæ-redygtig");
    expect(l, "bæredygtig", "bæ-redygtig");
    expect(u, "ÆÆÆ", "Æ-Æ-Æ");
    expect(l, "ÆÆÆ", "Æ-Æ-Æ");
    expect_offsets(u, "ææ", (const size_t[]){2}, 1);
    expect_offsets(l, "ææ", (const size_t[]){2}, 1);
    hyph_drop(u);
    hyph_drop(l);
}

static void test_null_handle(void **state) {
    (void)state;
    /* without patterns only the author's soft hyphens count */
    expect(NULL, "udviklingskontrakter", "udviklingskontrakter");
    expect(NULL, "op\u00ADgave", "op-gave");
    hyph_drop(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_danish_words),
        cmocka_unit_test(test_case_is_kept),
        cmocka_unit_test(test_utf8_byte_offsets),
        cmocka_unit_test_setup_teardown(test_exception, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exception_respects_hyphenmin, setup, teardown),
        cmocka_unit_test(test_malformed_exceptions),
        cmocka_unit_test(test_soft_hyphen),
        cmocka_unit_test(test_hard_hyphen_tokens),
        cmocka_unit_test(test_punctuation_is_outside_the_word),
        cmocka_unit_test(test_unbreakable_tokens),
        cmocka_unit_test(test_len_is_respected),
        cmocka_unit_test(test_breaks_array_grows),
        cmocka_unit_test(test_hyphenmin_counts_letters),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_not_a_pattern_file),
        cmocka_unit_test(test_utf8_and_latin1_dictionaries),
        cmocka_unit_test(test_null_handle),
        cmocka_unit_test_setup_teardown(test_danish_sk_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_written_words_remembered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compound_joints, setup, teardown),
        cmocka_unit_test(test_lexicon),
    };
    /* one dictionary for the read-only tests; exception tests get their own */
    return cmocka_run_group_tests(tests, setup, teardown);
}
