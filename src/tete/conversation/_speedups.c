/* Compiled speed-ups for tete.conversation, optional: every function here has a
 * pure-Python equivalent that runs when this extension is not built, and the tests check
 * that both give the same results (tests/conversation/test_speedups.py).
 *
 * - plain_cues(text, srt): a caption file of plain cues (WebVTT or SRT) read in one pass
 *   (see formats/webvtt_fast.py for the shape), or None for anything else;
 * - whisper_json(text, max_depth) and whisper_words(text, offset, word_type): a Whisper or WhisperX
 *   JSON file's segments, and each one's words when asked, as formats/whisper.py reads
 *   them, or None;
 * - text_counts(text, fillers): words, questions and filler words of an ASCII text, as
 *   metrics.count_words, count_questions and count_fillers count them, or None;
 * - first_long_line(text, most): the first line longer than the limits allow (limits.py).
 *
 * The readers are in _cues.c and _json.c (declared in _speedups.h). They only read their
 * str arguments; nothing keeps a reference past a call but the words offsets whisper_json
 * gives, which whisper_words takes back with the same str.
 */
#include "_speedups.h"

/* Classes of ASCII characters: white space as str.split() sees it, word characters as \w
 * sees them, and the question mark. */
enum { SPACE = 1, WORD = 2, QUESTION = 4 };

static unsigned char ascii_class[128];

static void init_ascii_class(void)
{
    for (int c = 0; c < 128; c++) {
        unsigned char bits = 0;
        if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f))
            bits |= SPACE;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
            bits |= WORD;
        if (c == '?')
            bits |= QUESTION;
        ascii_class[c] = bits;
    }
}

static unsigned char lower_ascii(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* The length of the first filler (in their order) that starts at `i` as a whole word,
 * ignoring case, or 0: `first` and `next` chain the fillers by their first letter. */
ALWAYS_INLINE Py_ssize_t try_fillers(const unsigned char *s, Py_ssize_t n, Py_ssize_t i,
                                     const signed char *first, const signed char *next,
                                     const char *const *fillers, const Py_ssize_t *lengths)
{
    for (int f = first[lower_ascii(s[i])]; f >= 0; f = next[f]) {
        Py_ssize_t length = lengths[f], k = 1;
        if (i + length > n)
            continue;
        while (k < length && lower_ascii(s[i + k]) == (unsigned char)fillers[f][k])
            k++;
        if (k == length && (i + length == n || !(ascii_class[s[i + length]] & WORD)))
            return length;
    }
    return 0;
}

#if defined(__GNUC__) && defined(__SSE2__)
#include <emmintrin.h>
#define BY_SIXTY_FOUR 1

/* The first letters of the fillers that are word characters, as text_counts tries them:
 * letters either case (compared with the character's 0x20 bit set), others as they are. */
enum { MOST_LETTERS = 8 };
typedef struct {
    int count;
    unsigned char letter[MOST_LETTERS];
    unsigned char either_case[MOST_LETTERS];
} Letters;

/* Whether the fillers' first letters are few enough to be looked for sixty-four at a time. */
static int filler_letters(const signed char *first, Letters *letters)
{
    letters->count = 0;
    for (int c = 0; c < 128; c++) {
        if (first[c] < 0 || !(ascii_class[c] & WORD) || (c >= 'A' && c <= 'Z'))
            continue; /* (an upper-case filler letter is never tried: characters are lowered) */
        if (letters->count == MOST_LETTERS)
            return 0;
        letters->letter[letters->count] = (unsigned char)c;
        letters->either_case[letters->count++] = c >= 'a' && c <= 'z';
    }
    return 1;
}

/* A bit per character of each class: white space, word characters, '?', and the start of a
 * filler's first letter (either case). */
typedef struct {
    uint64_t space, word, question, letter;
} Classes;

/* The bytes of `x` from `low` to `high`. */
ALWAYS_INLINE __m128i in_range(__m128i x, unsigned char low, unsigned char high)
{
    __m128i shifted = _mm_sub_epi8(x, _mm_set1_epi8((char)low));
    return _mm_cmpeq_epi8(_mm_min_epu8(shifted, _mm_set1_epi8((char)(high - low))), shifted);
}

ALWAYS_INLINE Classes classify64(const unsigned char *s, const Letters *letters)
{
    Classes c = {0, 0, 0, 0};
    for (int block = 0; block < 4; block++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + 16 * block));
        __m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20)); /* A-Z to a-z, and no others */
        __m128i space = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
                                     _mm_or_si128(in_range(x, '\t', '\r'), in_range(x, 0x1c, 0x1f)));
        __m128i word = _mm_or_si128(_mm_or_si128(in_range(lower, 'a', 'z'), in_range(x, '0', '9')),
                                    _mm_cmpeq_epi8(x, _mm_set1_epi8('_')));
        __m128i letter = _mm_setzero_si128();
        for (int l = 0; l < letters->count; l++)
            letter = _mm_or_si128(letter, _mm_cmpeq_epi8(letters->either_case[l] ? lower : x,
                                                         _mm_set1_epi8((char)letters->letter[l])));
        int shift = 16 * block;
        c.space |= (uint64_t)(unsigned)_mm_movemask_epi8(space) << shift;
        c.word |= (uint64_t)(unsigned)_mm_movemask_epi8(word) << shift;
        c.question |= (uint64_t)(unsigned)_mm_movemask_epi8(
                          _mm_cmpeq_epi8(x, _mm_set1_epi8('?'))) << shift;
        c.letter |= (uint64_t)(unsigned)_mm_movemask_epi8(letter) << shift;
    }
    return c;
}
#endif

PyDoc_STRVAR(text_counts_doc,
"text_counts(text, fillers, /)\n--\n\n"
"(words, questions, filler words) in an ASCII text: words are runs between white space,\n"
"a question is a run of '?', and a filler is one of `fillers` (lower-case ASCII, tried in\n"
"order) as a whole word, ignoring case, counted without overlaps from the left. None\n"
"when the text is not ASCII.");

static PyObject *text_counts(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "text_counts() needs a str and a tuple of str");
        return NULL;
    }
    PyObject *text = args[0], *filler_tuple = args[1];
    if (!PyUnicode_IS_ASCII(text))
        Py_RETURN_NONE;
    const unsigned char *s = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t filler_count = PyTuple_GET_SIZE(filler_tuple);
    enum { MOST_FILLERS = 64 };
    const char *fillers[MOST_FILLERS];
    Py_ssize_t filler_lengths[MOST_FILLERS];
    if (filler_count > MOST_FILLERS)
        Py_RETURN_NONE;
    /* Fillers are tried only at the start of a word, and only those that begin with its
     * first letter (in their order): `first[c]` is the first such filler, `next[f]` the one
     * after `f`. */
    signed char first[128], next[MOST_FILLERS], last[128];
    memset(first, -1, sizeof first);
    memset(last, -1, sizeof last);
    for (Py_ssize_t f = 0; f < filler_count; f++) {
        PyObject *item = PyTuple_GET_ITEM(filler_tuple, f);
        if (!PyUnicode_Check(item) || !PyUnicode_IS_ASCII(item) || PyUnicode_GET_LENGTH(item) == 0)
            Py_RETURN_NONE;
        fillers[f] = (const char *)PyUnicode_1BYTE_DATA(item);
        filler_lengths[f] = PyUnicode_GET_LENGTH(item);
        unsigned char letter = (unsigned char)fillers[f][0];
        next[f] = -1;
        if (last[letter] < 0)
            first[letter] = (signed char)f;
        else
            next[(int)last[letter]] = (signed char)f;
        last[letter] = (signed char)f;
    }
    Py_ssize_t words = 0, questions = 0, filler_words = 0;
    Py_ssize_t free_from = 0; /* a filler may start here or later (no overlaps) */
    unsigned char before = SPACE; /* the class of the character before */
    Py_ssize_t i = 0;
#ifdef BY_SIXTY_FOUR
    /* Sixty-four characters at a time: a bit per character for each class, counted by
     * their edges; only where a word starts with a filler's first letter is it tried. */
    uint64_t was_space = 1, was_word = 0, was_question = 0;
    Letters letters;
    if (filler_letters(first, &letters)) {
        for (; i + 64 <= n; i += 64) {
            Classes c = classify64(s + i, &letters);
            words += __builtin_popcountll(~c.space & ((c.space << 1) | was_space));
            questions += __builtin_popcountll(c.question & ~((c.question << 1) | was_question));
            uint64_t tried = c.word & ~((c.word << 1) | was_word) & c.letter;
            was_space = c.space >> 63, was_word = c.word >> 63, was_question = c.question >> 63;
            for (; tried; tried &= tried - 1) {
                Py_ssize_t at = i + __builtin_ctzll(tried);
                if (at < free_from)
                    continue;
                Py_ssize_t length = try_fillers(s, n, at, first, next, fillers, filler_lengths);
                if (length) {
                    filler_words++;
                    free_from = at + length;
                }
            }
        }
        if (i > 0)
            before = ascii_class[s[i - 1]];
    }
#endif
    for (; i < n; i++) {
        unsigned char c = s[i], now = ascii_class[c];
        words += (before & SPACE) && !(now & SPACE);
        questions += (now & QUESTION) && !(before & QUESTION);
        if ((now & WORD) && !(before & WORD) && i >= free_from) {
            Py_ssize_t length = try_fillers(s, n, i, first, next, fillers, filler_lengths);
            if (length) {
                filler_words++;
                free_from = i + length;
            }
        }
        before = now;
    }
    return Py_BuildValue("(nnn)", words, questions, filler_words);
}

PyDoc_STRVAR(first_long_line_doc,
"first_long_line(text, most, /)\n--\n\n"
"The number (from 1) of the first line of `text` (lines as text.split('\\n') makes them)\n"
"longer than `most` characters, and its length; (0, 0) when there is none.");

/* The offset of the next '\n' in a str's characters from `from`, or `length`. */
static Py_ssize_t next_line_end(int kind, const void *data, Py_ssize_t from, Py_ssize_t length)
{
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *chars = data, *found = memchr(chars + from, '\n', (size_t)(length - from));
        return found ? found - chars : length;
    }
    for (; from < length; from++)
        if (PyUnicode_READ(kind, data, from) == '\n')
            return from;
    return length;
}

static PyObject *first_long_line(PyObject *Py_UNUSED(module), PyObject *const *args,
                                 Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyLong_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "first_long_line() needs a str and an int");
        return NULL;
    }
    Py_ssize_t most = PyLong_AsSsize_t(args[1]);
    if (most == -1 && PyErr_Occurred())
        return NULL;
    PyObject *text = args[0];
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), start = 0, number = 1;
    for (;; number++) {
        Py_ssize_t end = next_line_end(kind, data, start, length);
        if (end - start > most)
            return Py_BuildValue("(nn)", number, end - start);
        if (end == length)
            return Py_BuildValue("(nn)", (Py_ssize_t)0, (Py_ssize_t)0);
        start = end + 1;
    }
}

static PyMethodDef methods[] = {
    {"first_long_line", (PyCFunction)(void (*)(void))first_long_line, METH_FASTCALL,
     first_long_line_doc},
    {"plain_cues", (PyCFunction)(void (*)(void))plain_cues, METH_FASTCALL, plain_cues_doc},
    {"whisper_json", (PyCFunction)(void (*)(void))whisper_json, METH_FASTCALL, whisper_json_doc},
    {"whisper_words", (PyCFunction)(void (*)(void))whisper_words, METH_FASTCALL, whisper_words_doc},
    {"text_counts", (PyCFunction)(void (*)(void))text_counts, METH_FASTCALL, text_counts_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "tete.conversation._speedups",
    .m_doc = "Compiled speed-ups for tete.conversation (optional; see native.py).",
    .m_size = 0,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__speedups(void)
{
    init_ascii_class();
    return PyModuleDef_Init(&module_def);
}
