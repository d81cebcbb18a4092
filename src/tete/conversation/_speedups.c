/* Compiled speed-ups for tete.conversation, optional: every function here has a
 * pure-Python equivalent that runs when this extension is not built, and the tests check
 * that both give the same results (tests/conversation/test_speedups.py).
 *
 * - uniform_webvtt(body): the common WebVTT file read in one pass (see
 *   formats/webvtt_fast.py for the shape), or None for anything else;
 * - text_counts(text, fillers): words, questions and filler words of an ASCII text, as
 *   metrics.count_words, count_questions and count_fillers count them, or None.
 *
 * Both only read their str arguments; nothing here keeps a reference past a call.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* One cue of the uniform shape, as offsets into the body (in characters). */
typedef struct {
    int64_t start_ms, end_ms;
    Py_ssize_t name, name_len, text, text_len;
} Cue;

#define ALWAYS_INLINE static inline __attribute__((always_inline))

ALWAYS_INLINE Py_UCS4 char_at(int kind, const void *data, Py_ssize_t index)
{
    return PyUnicode_READ(kind, data, index);
}

ALWAYS_INLINE int is_digit(Py_UCS4 c) { return c >= '0' && c <= '9'; }

/* A timestamp, HH:MM:SS.mmm or MM:SS.mmm, from `*at`; moves `*at` past it. */
ALWAYS_INLINE int read_timestamp(int kind, const void *data, Py_ssize_t *at,
                                 Py_ssize_t stop, int64_t *ms)
{
    Py_ssize_t p = *at;
    Py_UCS4 d[12];
    if (p + 9 > stop)
        return 0;
    for (int i = 0; i < 9; i++)
        d[i] = char_at(kind, data, p + i);
    int64_t hours = 0;
    if (d[5] == ':') { /* HH:MM:SS.mmm */
        if (p + 12 > stop)
            return 0;
        for (int i = 9; i < 12; i++)
            d[i] = char_at(kind, data, p + i);
        if (!is_digit(d[0]) || !is_digit(d[1]) || d[2] != ':')
            return 0;
        hours = (d[0] - '0') * 10 + (d[1] - '0');
        memmove(d, d + 3, 9 * sizeof(Py_UCS4));
        p += 3;
    }
    /* MM:SS.mmm, minutes and seconds below 60 */
    if (!(d[0] >= '0' && d[0] <= '5') || !is_digit(d[1]) || d[2] != ':'
        || !(d[3] >= '0' && d[3] <= '5') || !is_digit(d[4]) || d[5] != '.'
        || !is_digit(d[6]) || !is_digit(d[7]) || !is_digit(d[8]))
        return 0;
    int64_t minutes = (d[0] - '0') * 10 + (d[1] - '0');
    int64_t seconds = (d[3] - '0') * 10 + (d[4] - '0');
    int64_t millis = (d[6] - '0') * 100 + (d[7] - '0') * 10 + (d[8] - '0');
    *ms = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
    *at = p + 9;
    return 1;
}

/* Whether `c` may stand in a name or a text that the full reader leaves as it is:
 * no control character, no white space but the plain space (str.split() would collapse
 * it), no markup or character reference. */
ALWAYS_INLINE int plain_char(Py_UCS4 c)
{
    if (c < 0x80)
        return c >= 0x20 && c != '<' && c != '&' && c != '>';
    return !Py_UNICODE_ISSPACE(c);
}

/* The run of plain characters from `p` up to `end_mark`; checks no leading, trailing or
 * doubled space. Returns the run's end (at `end_mark`), or -1. */
ALWAYS_INLINE Py_ssize_t plain_run(int kind, const void *data, Py_ssize_t p, Py_ssize_t stop,
                                   Py_UCS4 end_mark)
{
    Py_ssize_t first = p;
    Py_UCS4 previous = ' '; /* so that a leading space counts as doubled */
    while (p < stop) {
        Py_UCS4 c = char_at(kind, data, p);
        if (c == end_mark)
            break;
        if (!plain_char(c) || (c == ' ' && previous == ' '))
            return -1;
        previous = c;
        p++;
    }
    if (p >= stop || p == first || previous == ' ')
        return -1;
    return p;
}

/* Reads every cue, or returns 0 when the body is not of the uniform shape. `cues` has room
 * for every cue the body can hold (each takes more than 20 characters). */
ALWAYS_INLINE Py_ssize_t scan_cues(int kind, const void *data, Py_ssize_t n, Cue *cues)
{
    Py_ssize_t p = 0, count = 0;
    while (p < n) {
        /* the blank line before the cue */
        if (p + 2 > n || char_at(kind, data, p) != '\n' || char_at(kind, data, p + 1) != '\n')
            return 0;
        p += 2;
        Py_ssize_t line_end = p;
        int arrow = 0;
        while (line_end < n && char_at(kind, data, line_end) != '\n') {
            arrow |= char_at(kind, data, line_end) == '>';
            line_end++;
        }
        if (line_end >= n || line_end == p)
            return 0;
        if (!arrow) { /* an identifier: skipped, as the full reader skips it */
            p = line_end + 1;
            line_end = p;
            while (line_end < n && char_at(kind, data, line_end) != '\n')
                line_end++;
            if (line_end >= n)
                return 0;
        }
        Cue *cue = &cues[count];
        /* start --> end, nothing else on the line */
        if (!read_timestamp(kind, data, &p, line_end, &cue->start_ms))
            return 0;
        if (p + 5 > line_end || char_at(kind, data, p) != ' ' || char_at(kind, data, p + 1) != '-'
            || char_at(kind, data, p + 2) != '-' || char_at(kind, data, p + 3) != '>'
            || char_at(kind, data, p + 4) != ' ')
            return 0;
        p += 5;
        if (!read_timestamp(kind, data, &p, line_end, &cue->end_ms) || p != line_end
            || cue->end_ms < cue->start_ms)
            return 0;
        p = line_end + 1;
        /* <v Name>text</v> */
        if (p + 3 > n || char_at(kind, data, p) != '<' || char_at(kind, data, p + 1) != 'v'
            || char_at(kind, data, p + 2) != ' ')
            return 0;
        p += 3;
        Py_ssize_t name_end = plain_run(kind, data, p, n, '>');
        /* a name ending in "--" would make "-->": the line would be read as timings */
        if (name_end < 0
            || (name_end - p >= 2 && char_at(kind, data, name_end - 1) == '-'
                && char_at(kind, data, name_end - 2) == '-'))
            return 0;
        cue->name = p;
        cue->name_len = name_end - p;
        p = name_end + 1;
        Py_ssize_t text_end = plain_run(kind, data, p, n, '<');
        if (text_end < 0 || text_end + 4 > n || char_at(kind, data, text_end + 1) != '/'
            || char_at(kind, data, text_end + 2) != 'v' || char_at(kind, data, text_end + 3) != '>')
            return 0;
        cue->text = p;
        cue->text_len = text_end - p;
        p = text_end + 4;
        count++;
    }
    return count;
}

static Py_ssize_t scan_any(int kind, const void *data, Py_ssize_t n, Cue *cues)
{
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        return scan_cues(PyUnicode_1BYTE_KIND, data, n, cues);
    case PyUnicode_2BYTE_KIND:
        return scan_cues(PyUnicode_2BYTE_KIND, data, n, cues);
    default:
        return scan_cues(PyUnicode_4BYTE_KIND, data, n, cues);
    }
}

/* Each cue's speaker as a number in order of first appearance; the distinct names go to
 * `voices` (a list). Returns -1 on error. */
static int number_speakers(PyObject *body, int kind, const void *data, const Cue *cues,
                           Py_ssize_t count, Py_ssize_t *codes, PyObject *voices)
{
    PyObject *known = PyDict_New(); /* name -> its number */
    if (known == NULL)
        return -1;
    Py_ssize_t previous = -1;
    for (Py_ssize_t i = 0; i < count; i++) {
        const Cue *cue = &cues[i];
        /* the speaker of the cue before, compared in place: no string made */
        if (previous >= 0 && cues[previous].name_len == cue->name_len
            && memcmp((const char *)data + cues[previous].name * kind,
                      (const char *)data + cue->name * kind, (size_t)(cue->name_len * kind)) == 0) {
            codes[i] = codes[previous];
            previous = i;
            continue;
        }
        PyObject *name = PyUnicode_Substring(body, cue->name, cue->name + cue->name_len);
        if (name == NULL)
            goto fail;
        PyObject *code = PyDict_GetItemWithError(known, name);
        if (code != NULL) {
            codes[i] = PyLong_AsSsize_t(code);
        } else if (PyErr_Occurred()) {
            Py_DECREF(name);
            goto fail;
        } else {
            Py_ssize_t number = PyList_GET_SIZE(voices);
            code = PyLong_FromSsize_t(number);
            if (code == NULL || PyDict_SetItem(known, name, code) < 0
                || PyList_Append(voices, name) < 0) {
                Py_XDECREF(code);
                Py_DECREF(name);
                goto fail;
            }
            Py_DECREF(code);
            codes[i] = number;
        }
        Py_DECREF(name);
        previous = i;
    }
    Py_DECREF(known);
    return 0;
fail:
    Py_DECREF(known);
    return -1;
}

PyDoc_STRVAR(uniform_webvtt_doc,
"uniform_webvtt(body, /)\n--\n\n"
"The cues of a WebVTT body (from the blank line after the header, with \\n line ends, no\n"
"trailing line ends) when every cue is [identifier], start --> end, and one line\n"
"<v Name>text</v> with plain names and texts; else None.\n\n"
"Returns (voices, speakers, codes, starts, ends, texts, start_times, end_times, lengths):\n"
"the speakers in order of first appearance, each cue's speaker, and its index in voices\n"
"(bytes of native Py_ssize_t), starts and ends in seconds (lists of float, and again as bytes of\n"
"float64), the texts, and each text's length (bytes of Py_ssize_t).");

static PyObject *uniform_webvtt(PyObject *Py_UNUSED(module), PyObject *body)
{
    if (!PyUnicode_Check(body)) {
        PyErr_SetString(PyExc_TypeError, "uniform_webvtt() needs a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(body);
    int kind = PyUnicode_KIND(body);
    const void *data = PyUnicode_DATA(body);
    Py_ssize_t room = n / 20 + 1;
    Cue *cues = PyMem_Malloc(sizeof(Cue) * (size_t)room);
    if (cues == NULL)
        return PyErr_NoMemory();
    Py_ssize_t count = scan_any(kind, data, n, cues);
    if (count == 0) {
        PyMem_Free(cues);
        Py_RETURN_NONE;
    }
    PyObject *result = NULL, *voices = NULL, *speakers = NULL, *texts = NULL, *starts = NULL,
             *ends = NULL;
    PyObject *codes = NULL, *start_times = NULL, *end_times = NULL, *lengths = NULL;
    voices = PyList_New(0);
    speakers = PyList_New(count);
    texts = PyList_New(count);
    starts = PyList_New(count);
    ends = PyList_New(count);
    codes = PyBytes_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(Py_ssize_t));
    start_times = PyBytes_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(double));
    end_times = PyBytes_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(double));
    lengths = PyBytes_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(Py_ssize_t));
    if (!voices || !speakers || !texts || !starts || !ends || !codes || !start_times || !end_times || !lengths)
        goto done;
    Py_ssize_t *code_values = (Py_ssize_t *)PyBytes_AS_STRING(codes);
    double *start_values = (double *)PyBytes_AS_STRING(start_times);
    double *end_values = (double *)PyBytes_AS_STRING(end_times);
    Py_ssize_t *length_values = (Py_ssize_t *)PyBytes_AS_STRING(lengths);
    if (number_speakers(body, kind, data, cues, count, code_values, voices) < 0)
        goto done;
    for (Py_ssize_t i = 0; i < count; i++) {
        const Cue *cue = &cues[i];
        /* whole milliseconds / 1000, as Python's int / int gives it */
        double start = (double)cue->start_ms / 1000.0, end = (double)cue->end_ms / 1000.0;
        start_values[i] = start;
        end_values[i] = end;
        length_values[i] = cue->text_len;
        PyObject *start_float = PyFloat_FromDouble(start);
        PyObject *end_float = PyFloat_FromDouble(end);
        PyObject *text = PyUnicode_Substring(body, cue->text, cue->text + cue->text_len);
        if (!start_float || !end_float || !text) {
            Py_XDECREF(start_float);
            Py_XDECREF(end_float);
            Py_XDECREF(text);
            goto done;
        }
        PyList_SET_ITEM(starts, i, start_float);
        PyList_SET_ITEM(ends, i, end_float);
        PyList_SET_ITEM(texts, i, text);
        PyObject *speaker = PyList_GET_ITEM(voices, code_values[i]);
        Py_INCREF(speaker);
        PyList_SET_ITEM(speakers, i, speaker);
    }
    PyObject *voice_tuple = PyList_AsTuple(voices);
    if (voice_tuple == NULL)
        goto done;
    result = Py_BuildValue("(NOOOOOOOO)", voice_tuple, speakers, codes, starts, ends, texts,
                           start_times, end_times, lengths);
done:
    PyMem_Free(cues);
    Py_XDECREF(voices);
    Py_XDECREF(speakers);
    Py_XDECREF(texts);
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    Py_XDECREF(codes);
    Py_XDECREF(start_times);
    Py_XDECREF(end_times);
    Py_XDECREF(lengths);
    return result;
}

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
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = s[i], now = ascii_class[c];
        words += (before & SPACE) && !(now & SPACE);
        questions += (now & QUESTION) && !(before & QUESTION);
        if ((now & WORD) && !(before & WORD) && i >= free_from) {
            for (int f = first[lower_ascii(c)]; f >= 0; f = next[f]) {
                Py_ssize_t length = filler_lengths[f], k = 1;
                if (i + length > n)
                    continue;
                while (k < length && lower_ascii(s[i + k]) == (unsigned char)fillers[f][k])
                    k++;
                if (k == length && (i + length == n || !(ascii_class[s[i + length]] & WORD))) {
                    filler_words++;
                    free_from = i + length;
                    break;
                }
            }
        }
        before = now;
    }
    return Py_BuildValue("(nnn)", words, questions, filler_words);
}

static PyMethodDef methods[] = {
    {"uniform_webvtt", uniform_webvtt, METH_O, uniform_webvtt_doc},
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
