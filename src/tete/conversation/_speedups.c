/* Compiled speed-ups for tete.conversation, optional: every function here has a
 * pure-Python equivalent that runs when this extension is not built, and the tests check
 * that both give the same results (tests/conversation/test_speedups.py).
 *
 * - plain_cues(text, srt): a caption file of plain cues (WebVTT or SRT) read in one pass
 *   (see formats/webvtt_fast.py for the shape), or None for anything else;
 * - whisper_json(text) and whisper_words(text, offset, word_type): a Whisper or WhisperX
 *   JSON file's segments, and each one's words when asked, as formats/whisper.py reads
 *   them, or None;
 * - text_counts(text, fillers): words, questions and filler words of an ASCII text, as
 *   metrics.count_words, count_questions and count_fillers count them, or None.
 *
 * Both only read their str arguments; nothing here keeps a reference past a call.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

/* ---- Caption files of plain cues (WebVTT and SRT) ------------------------------------- */

/* A stretch of the text, in characters. */
typedef struct {
    Py_ssize_t start, len;
} Span;

/* One cue, as offsets into the text (in characters). */
typedef struct {
    int64_t start_ms, end_ms;
    Py_ssize_t name, name_len;    /* the <v Name> voice; name_len < 0: no voice */
    Py_ssize_t first_line, lines; /* its text lines, in the table of line spans */
    Py_ssize_t text_len;          /* the lines joined by one space */
    Py_UCS4 max_char;             /* the widest character of its text */
} Cue;

#define ALWAYS_INLINE static inline __attribute__((always_inline))

ALWAYS_INLINE Py_UCS4 char_at(int kind, const void *data, Py_ssize_t index)
{
    return PyUnicode_READ(kind, data, index);
}

ALWAYS_INLINE int is_digit(Py_UCS4 c) { return c >= '0' && c <= '9'; }

/* A timestamp from `*at`: HH:MM:SS.mmm or MM:SS.mmm (WebVTT), or HH:MM:SS,mmm (SRT, with
 * `fraction` ','); minutes and seconds below 60. Moves `*at` past it. */
ALWAYS_INLINE int read_timestamp(int kind, const void *data, Py_ssize_t *at, Py_ssize_t stop,
                                 Py_UCS4 fraction, int64_t *ms)
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
    } else if (fraction != '.') {
        return 0; /* SRT always writes the hours */
    }
    if (!(d[0] >= '0' && d[0] <= '5') || !is_digit(d[1]) || d[2] != ':'
        || !(d[3] >= '0' && d[3] <= '5') || !is_digit(d[4]) || d[5] != fraction
        || !is_digit(d[6]) || !is_digit(d[7]) || !is_digit(d[8]))
        return 0;
    int64_t minutes = (d[0] - '0') * 10 + (d[1] - '0');
    int64_t seconds = (d[3] - '0') * 10 + (d[4] - '0');
    int64_t millis = (d[6] - '0') * 100 + (d[7] - '0') * 10 + (d[8] - '0');
    *ms = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
    *at = p + 9;
    return 1;
}

/* Whether `c` may stand in a name or a text that the full readers leave as it is: no
 * control character, no white space but the plain space (str.split() would collapse it),
 * no markup, character reference, arrow or SRT override tag. */
ALWAYS_INLINE int plain_char(Py_UCS4 c)
{
    if (c < 0x80)
        return c >= 0x20 && c != '<' && c != '&' && c != '>' && c != '{';
    return !Py_UNICODE_ISSPACE(c);
}

/* The run of plain characters from `p` up to `end_mark` (or `stop`, when `end_mark` is
 * 0); no leading, trailing or doubled space, not empty. Returns the run's end, or -1.
 * Raises `*max_char` to the widest character seen. */
ALWAYS_INLINE Py_ssize_t plain_run(int kind, const void *data, Py_ssize_t p, Py_ssize_t stop,
                                   Py_UCS4 end_mark, Py_UCS4 *max_char)
{
    Py_ssize_t first = p;
    Py_UCS4 previous = ' '; /* so that a leading space counts as doubled */
    Py_UCS4 widest = *max_char;
    while (p < stop) {
        Py_UCS4 c = char_at(kind, data, p);
        if (c == end_mark)
            break;
        if (!plain_char(c) || (c == ' ' && previous == ' '))
            return -1;
        if (c > widest)
            widest = c;
        previous = c;
        p++;
    }
    if ((end_mark && p >= stop) || p == first || previous == ' ')
        return -1;
    *max_char = widest;
    return p;
}

ALWAYS_INLINE Py_ssize_t line_end_from(int kind, const void *data, Py_ssize_t p, Py_ssize_t n)
{
    while (p < n && char_at(kind, data, p) != '\n')
        p++;
    return p;
}

ALWAYS_INLINE int holds_arrow(int kind, const void *data, Py_ssize_t p, Py_ssize_t end)
{
    for (; p + 2 < end; p++)
        if (char_at(kind, data, p) == '-' && char_at(kind, data, p + 1) == '-'
            && char_at(kind, data, p + 2) == '>')
            return 1;
    return 0;
}

/* Reads every cue into `cues` and their text lines into `spans`, or returns -1 when the
 * text is not of the plain shape: blocks separated by empty lines, each an optional
 * identifier line (SRT: the cue number), the timings with nothing after them but WebVTT
 * cue settings, and one or more text lines of plain text, the first of which may open a
 * voice (`<v Name>`) and the last close it (`</v>`). WebVTT text starts at the empty line
 * that ends the header. `cues` and `spans` have room for all the text can hold (a cue
 * takes more than 20 characters, a line at least 2). */
ALWAYS_INLINE Py_ssize_t scan_cues(int kind, const void *data, Py_ssize_t n, int srt, Cue *cues,
                                   Span *spans)
{
    Py_ssize_t p = 0, count = 0, span_count = 0;
    const Py_UCS4 fraction = srt ? ',' : '.';
    for (;;) {
        Py_ssize_t blank = p;
        while (p < n && char_at(kind, data, p) == '\n')
            p++;
        if (p >= n)
            break;
        /* an empty line before each block (the line end of the text before is behind);
         * a WebVTT body starts with the header's line end and an empty line, an SRT file
         * may start at its first cue */
        if (p - blank < (count ? 1 : srt ? 0 : 2))
            return -1;
        Py_ssize_t line_end = line_end_from(kind, data, p, n);
        if (!holds_arrow(kind, data, p, line_end)) { /* an identifier: skipped */
            if (srt) {
                for (Py_ssize_t q = p; q < line_end; q++)
                    if (!is_digit(char_at(kind, data, q)))
                        return -1;
            }
            p = line_end + 1;
            if (p >= n)
                return -1;
            line_end = line_end_from(kind, data, p, n);
        }
        Cue *cue = &cues[count];
        if (!read_timestamp(kind, data, &p, line_end, fraction, &cue->start_ms))
            return -1;
        if (p + 5 > line_end || char_at(kind, data, p) != ' ' || char_at(kind, data, p + 1) != '-'
            || char_at(kind, data, p + 2) != '-' || char_at(kind, data, p + 3) != '>'
            || char_at(kind, data, p + 4) != ' ')
            return -1;
        p += 5;
        if (!read_timestamp(kind, data, &p, line_end, fraction, &cue->end_ms)
            || cue->end_ms < cue->start_ms)
            return -1;
        if (p != line_end) { /* WebVTT cue settings, after white space */
            Py_UCS4 c = char_at(kind, data, p);
            if (srt || (c != ' ' && c != '\t'))
                return -1;
        }
        p = line_end + 1;
        if (p >= n)
            return -1; /* no text */
        /* the text lines, up to an empty line or the end */
        cue->name_len = -1;
        cue->first_line = span_count;
        cue->text_len = -1;
        cue->max_char = 0;
        int closed = 0;
        while (p < n && char_at(kind, data, p) != '\n') {
            if (closed)
                return -1; /* text after </v> would be a piece of its own */
            line_end = line_end_from(kind, data, p, n);
            Py_ssize_t start = p, end = line_end;
            if (span_count == cue->first_line && end - start > 3 && char_at(kind, data, p) == '<'
                && char_at(kind, data, p + 1) == 'v' && char_at(kind, data, p + 2) == ' ') {
                Py_UCS4 ignored = 0;
                Py_ssize_t name_end = plain_run(kind, data, p + 3, end, '>', &ignored);
                /* a name ending in "--" would make "-->": the line would be timings */
                if (name_end < 0
                    || (name_end - (p + 3) >= 2 && char_at(kind, data, name_end - 1) == '-'
                        && char_at(kind, data, name_end - 2) == '-'))
                    return -1;
                cue->name = p + 3;
                cue->name_len = name_end - (p + 3);
                start = name_end + 1;
            }
            if (cue->name_len >= 0 && end - start > 4 && char_at(kind, data, end - 4) == '<'
                && char_at(kind, data, end - 3) == '/' && char_at(kind, data, end - 2) == 'v'
                && char_at(kind, data, end - 1) == '>') {
                end -= 4;
                closed = 1;
            }
            if (plain_run(kind, data, start, end, 0, &cue->max_char) != end)
                return -1;
            spans[span_count].start = start;
            spans[span_count].len = end - start;
            cue->text_len += end - start + 1;
            span_count++;
            p = line_end + 1;
        }
        cue->lines = span_count - cue->first_line;
        if (cue->lines == 0)
            return -1; /* a cue with no text: the full reader leaves it out */
        count++;
        if (p >= n)
            break;
    }
    return count;
}

static Py_ssize_t scan_any(int kind, const void *data, Py_ssize_t n, int srt, Cue *cues,
                           Span *spans)
{
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        return scan_cues(PyUnicode_1BYTE_KIND, data, n, srt, cues, spans);
    case PyUnicode_2BYTE_KIND:
        return scan_cues(PyUnicode_2BYTE_KIND, data, n, srt, cues, spans);
    default:
        return scan_cues(PyUnicode_4BYTE_KIND, data, n, srt, cues, spans);
    }
}

/* Whether two spans of the text hold the same characters. */
static int same_span(PyObject *text, Span a, Span b)
{
    if (a.len != b.len)
        return 0;
    int kind = PyUnicode_KIND(text);
    const char *data = PyUnicode_DATA(text);
    return memcmp(data + a.start * kind, data + b.start * kind, (size_t)(a.len * kind)) == 0;
}

/* How many cues roll, as webvtt.py's _rolling counts them: they start with lines the cue
 * before ended with, then go on with new ones. */
static Py_ssize_t rolling_cues(PyObject *text, const Cue *cues, Py_ssize_t count,
                               const Span *spans)
{
    Py_ssize_t rolls = 0;
    for (Py_ssize_t i = 1; i < count; i++) {
        const Cue *before = &cues[i - 1], *now = &cues[i];
        Py_ssize_t most = before->lines < now->lines ? before->lines : now->lines;
        for (Py_ssize_t size = most; size > 0; size--) {
            Py_ssize_t k = 0;
            while (k < size
                   && same_span(text, spans[now->first_line + k],
                                spans[before->first_line + before->lines - size + k]))
                k++;
            if (k == size) {
                rolls += size < now->lines;
                break;
            }
        }
    }
    return rolls;
}

/* A cue's text: its lines joined by one space (a new string), or the one line. */
static PyObject *cue_text(PyObject *text, const Cue *cue, const Span *spans)
{
    const Span *first = &spans[cue->first_line];
    if (cue->lines == 1)
        return PyUnicode_Substring(text, first->start, first->start + first->len);
    /* built at the width of its widest character, as every str must be */
    PyObject *joined = PyUnicode_New(cue->text_len, cue->max_char);
    if (joined == NULL)
        return NULL;
    Py_ssize_t at = 0;
    for (Py_ssize_t line = 0; line < cue->lines; line++) {
        const Span *span = &spans[cue->first_line + line];
        if (line) {
            PyUnicode_WRITE(PyUnicode_KIND(joined), PyUnicode_DATA(joined), at, ' ');
            at++;
        }
        if (PyUnicode_CopyCharacters(joined, at, text, span->start, span->len) < 0) {
            Py_DECREF(joined);
            return NULL;
        }
        at += span->len;
    }
    return joined;
}

/* Where the `Name: ` label of a plain text ends (the start of the rest), and the name's
 * length, as labels.split_label finds it: the text before the first ": ", less a space
 * before the colon, is a name when it is 1 to 64 characters and at most 10 words long,
 * does not start with a digit and holds no "://". A text starting with "[" is left to
 * Python (-2). Returns 0 when there is no label. */
static Py_ssize_t label_end(PyObject *text, Py_ssize_t *name_len)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (n && char_at(kind, data, 0) == '[')
        return -2;
    Py_ssize_t colon = 0;
    while (colon + 1 < n
           && !(char_at(kind, data, colon) == ':' && char_at(kind, data, colon + 1) == ' '))
        colon++;
    if (colon + 1 >= n)
        return 0;
    Py_ssize_t length = colon;
    if (length && char_at(kind, data, length - 1) == ' ')
        length--;
    if (length < 1 || length > 64 || Py_UNICODE_ISDIGIT(char_at(kind, data, 0)))
        return 0;
    Py_ssize_t words = 1;
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 c = char_at(kind, data, i);
        words += c == ' ';
        if (c == ':' && i + 2 < length && char_at(kind, data, i + 1) == '/'
            && char_at(kind, data, i + 2) == '/')
            return 0;
    }
    if (words > 10)
        return 0;
    *name_len = length;
    return colon + 2;
}

PyDoc_STRVAR(plain_cues_doc,
"plain_cues(text, srt, /)\n--\n\n"
"The cues of a caption file of plain cues, or None for any other shape.\n\n"
"`text` is a WebVTT body (from the empty line that ends the header, with \\n line ends)\n"
"or, with `srt`, a whole SRT file. Each cue is an optional identifier, the timings (and\n"
"WebVTT cue settings), and lines of plain text, the first of which may open a voice\n"
"`<v Name>` and the last close it; names and texts hold no markup, character reference\n"
"or odd white space. Cues without a voice take the speaker of their `Name: ` prefix when\n"
"at least half of them have one (labels.py). None as well for rolling captions.\n\n"
"Returns (voices, speakers, codes, starts, ends, texts, start_times, end_times, lengths,\n"
"labelled): the named speakers in order of first appearance, each cue's speaker (None\n"
"when it has none) and its index in voices (-1 for none; bytes of native Py_ssize_t),\n"
"starts and ends in seconds (lists of float, and again as bytes of float64), the texts,\n"
"each text's length (bytes of Py_ssize_t) and how many speakers came from a prefix.");

static PyObject *plain_cues(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "plain_cues() needs a str and a flag");
        return NULL;
    }
    PyObject *body = args[0];
    int srt = PyObject_IsTrue(args[1]);
    if (srt < 0)
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(body);
    int kind = PyUnicode_KIND(body);
    const void *data = PyUnicode_DATA(body);
    Py_ssize_t room = n / 20 + 1;
    Cue *cues = PyMem_Malloc(sizeof(Cue) * (size_t)room);
    Span *spans = PyMem_Malloc(sizeof(Span) * (size_t)(n / 2 + 1));
    PyObject **texts_made = NULL;
    PyObject *result = NULL, *known = NULL, *voices = NULL, *speakers = NULL, *texts = NULL;
    PyObject *starts = NULL, *ends = NULL, *codes = NULL, *start_times = NULL;
    PyObject *end_times = NULL, *lengths = NULL;
    Py_ssize_t *rests = NULL;
    Py_ssize_t count = 0;
    if (cues == NULL || spans == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    count = scan_any(kind, data, n, srt, cues, spans);
    /* rolling captions: the full reader counts their repeated lines once */
    Py_ssize_t rolls = count > 2 && !srt ? rolling_cues(body, cues, count, spans) : 0;
    if (count <= 0 || (rolls >= 2 && rolls * 4 >= count)) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    /* Each cue's text, and for cues without a voice, where a prefix label would end. */
    texts_made = PyMem_Calloc((size_t)count, sizeof(PyObject *));
    rests = PyMem_Malloc(sizeof(Py_ssize_t) * 2 * (size_t)count);
    if (texts_made == NULL || rests == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t unvoiced = 0, labelled = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        texts_made[i] = cue_text(body, &cues[i], spans);
        if (texts_made[i] == NULL)
            goto done;
        rests[2 * i] = 0;
        if (cues[i].name_len < 0) {
            unvoiced++;
            Py_ssize_t end = label_end(texts_made[i], &rests[2 * i + 1]);
            if (end == -2) {
                result = Py_NewRef(Py_None);
                goto done;
            }
            rests[2 * i] = end;
            labelled += end > 0;
        }
    }
    int convention = labelled > 0 && labelled * 2 >= unvoiced;
    if (!convention)
        labelled = 0;

    known = PyDict_New(); /* name -> its number */
    voices = PyList_New(0);
    speakers = PyList_New(count);
    texts = PyList_New(count);
    starts = PyList_New(count);
    ends = PyList_New(count);
    codes = PyBytes_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(Py_ssize_t));
    start_times = PyBytes_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(double));
    end_times = PyBytes_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(double));
    lengths = PyBytes_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(Py_ssize_t));
    if (!known || !voices || !speakers || !texts || !starts || !ends || !codes || !start_times
        || !end_times || !lengths)
        goto done;
    Py_ssize_t *code_values = (Py_ssize_t *)PyBytes_AS_STRING(codes);
    double *start_values = (double *)PyBytes_AS_STRING(start_times);
    double *end_values = (double *)PyBytes_AS_STRING(end_times);
    Py_ssize_t *length_values = (Py_ssize_t *)PyBytes_AS_STRING(lengths);
    Py_ssize_t previous = -1; /* the last cue with a voice from a <v> tag */
    for (Py_ssize_t i = 0; i < count; i++) {
        const Cue *cue = &cues[i];
        /* whole milliseconds / 1000, as Python's int / int gives it */
        double start = (double)cue->start_ms / 1000.0, end = (double)cue->end_ms / 1000.0;
        start_values[i] = start;
        end_values[i] = end;
        PyObject *text = texts_made[i], *name = NULL;
        texts_made[i] = NULL; /* the lists own it from here */
        Py_ssize_t code = -1;
        if (cue->name_len >= 0) {
            /* the voice of the <v> cue before, compared in place: no string made */
            if (previous >= 0 && cues[previous].name_len == cue->name_len
                && memcmp((const char *)data + cues[previous].name * kind,
                          (const char *)data + cue->name * kind,
                          (size_t)(cue->name_len * kind)) == 0) {
                code = code_values[previous];
            } else {
                name = PyUnicode_Substring(body, cue->name, cue->name + cue->name_len);
            }
            previous = i;
        } else if (convention && rests[2 * i] > 0) {
            Py_ssize_t rest = rests[2 * i];
            name = PyUnicode_Substring(text, 0, rests[2 * i + 1]);
            PyObject *after = PyUnicode_Substring(text, rest, PyUnicode_GET_LENGTH(text));
            Py_SETREF(text, after);
        }
        if (text == NULL) {
            Py_XDECREF(name);
            goto done;
        }
        PyList_SET_ITEM(texts, i, text);
        length_values[i] = PyUnicode_GET_LENGTH(text);
        if (name != NULL) {
            PyObject *number = PyDict_GetItemWithError(known, name);
            if (number != NULL) {
                code = PyLong_AsSsize_t(number);
            } else if (PyErr_Occurred()) {
                Py_DECREF(name);
                goto done;
            } else {
                code = PyList_GET_SIZE(voices);
                number = PyLong_FromSsize_t(code);
                if (number == NULL || PyDict_SetItem(known, name, number) < 0
                    || PyList_Append(voices, name) < 0) {
                    Py_XDECREF(number);
                    Py_DECREF(name);
                    goto done;
                }
                Py_DECREF(number);
            }
            Py_DECREF(name);
        } else if (PyErr_Occurred()) {
            goto done;
        }
        code_values[i] = code;
        PyObject *speaker = code >= 0 ? PyList_GET_ITEM(voices, code) : Py_None;
        PyList_SET_ITEM(speakers, i, Py_NewRef(speaker));
        PyObject *start_float = PyFloat_FromDouble(start);
        PyObject *end_float = PyFloat_FromDouble(end);
        if (!start_float || !end_float) {
            Py_XDECREF(start_float);
            Py_XDECREF(end_float);
            goto done;
        }
        PyList_SET_ITEM(starts, i, start_float);
        PyList_SET_ITEM(ends, i, end_float);
    }
    PyObject *voice_tuple = PyList_AsTuple(voices);
    if (voice_tuple == NULL)
        goto done;
    result = Py_BuildValue("(NOOOOOOOOn)", voice_tuple, speakers, codes, starts, ends, texts,
                           start_times, end_times, lengths, labelled);
done:
    if (texts_made != NULL) {
        for (Py_ssize_t i = 0; i < count; i++)
            Py_XDECREF(texts_made[i]);
        PyMem_Free(texts_made);
    }
    PyMem_Free(cues);
    PyMem_Free(spans);
    PyMem_Free(rests);
    Py_XDECREF(known);
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

/* ---- Whisper-family JSON ------------------------------------------------------------- */

/* The reader walks the text once, checking the JSON grammar as json.loads does (strict:
 * no control characters in strings) and building only what formats/whisper.py keeps: each
 * segment's start, end, text, speaker and timed words. Anything it does not take exactly
 * as whisper.py does (NaN, a key with an escape, a segment that is not an object, a
 * number too long to convert alike, an error of any kind) makes it give up, and the
 * Python reader runs, so errors are always reported by Python. */

#define JSON_DEPTH 200
#define GIVE_UP (-1)

/* The file's text as UTF-8 (for an ASCII str, its own characters: nothing is copied). */
typedef struct {
    const unsigned char *s;
    Py_ssize_t n;
} Text;

ALWAYS_INLINE Py_ssize_t skip_space(const Text *t, Py_ssize_t p)
{
    while (p < t->n) {
        unsigned char c = t->s[p];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p++;
    }
    return p;
}

ALWAYS_INLINE int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The end of the string whose opening quote is at `p` (past its closing quote), or -1;
 * `*escaped` says whether it holds a backslash. */
static Py_ssize_t skip_string(const Text *t, Py_ssize_t p, int *escaped)
{
    const unsigned char *s = t->s;
    *escaped = 0;
    p++;
    while (p < t->n) {
        unsigned char c = s[p];
        if (c == '"')
            return p + 1;
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            *escaped = 1;
            if (p + 1 >= t->n)
                return -1;
            unsigned char e = s[p + 1];
            if (e == 'u') {
                if (p + 6 > t->n)
                    return -1;
                for (int i = 2; i < 6; i++)
                    if (hex_value(s[p + i]) < 0)
                        return -1;
                p += 6;
                continue;
            }
            if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r'
                && e != 't')
                return -1;
            p += 2;
            continue;
        }
        p++;
    }
    return -1;
}

static const double POWERS_OF_TEN[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The number at `p`, checked against the JSON grammar, as whisper.py's _number takes it
 * (seconds: finite, not negative). Sets `*end` past it. Returns 1 for a number it takes,
 * 0 for one it refuses, -1 for bad JSON or a number left to Python. */
static int read_number(const Text *t, Py_ssize_t p, Py_ssize_t *end, double *value)
{
    const unsigned char *s = t->s;
    Py_ssize_t first = p;
    int negative = 0, digits = 0, decimals = 0, integer = 1;
    uint64_t mantissa = 0;
    if (p < t->n && s[p] == '-') {
        negative = 1;
        p++;
    }
    *end = -1;
    if (p >= t->n || !is_digit(s[p]))
        return -1;
    if (s[p] == '0') {
        p++;
    } else {
        while (p < t->n && is_digit(s[p])) {
            if (digits < 19)
                mantissa = mantissa * 10 + (uint64_t)(s[p] - '0');
            digits++;
            p++;
        }
    }
    if (p < t->n && s[p] == '.') {
        integer = 0;
        p++;
        if (p >= t->n || !is_digit(s[p]))
            return -1;
        while (p < t->n && is_digit(s[p])) {
            if (digits < 19)
                mantissa = mantissa * 10 + (uint64_t)(s[p] - '0');
            if (mantissa || digits)
                digits++;
            decimals++;
            p++;
        }
    }
    int exponent = 0;
    if (p < t->n && (s[p] == 'e' || s[p] == 'E')) {
        integer = 0;
        exponent = 1;
        p++;
        if (p < t->n && (s[p] == '+' || s[p] == '-'))
            p++;
        if (p >= t->n || !is_digit(s[p]))
            return -1;
        while (p < t->n && is_digit(s[p]))
            p++;
    }
    *end = p;
    if (integer) { /* a Python int, made a float by whisper.py */
        if (digits > 15)
            return -1;
        if (negative && mantissa)
            return 0;
        *value = (double)mantissa; /* "-0" is the int 0: 0.0 */
        return 1;
    }
    double number;
    if (!exponent && digits <= 15 && decimals <= 22) {
        /* both exact in a double, so the quotient is correctly rounded, as strtod's */
        number = (double)mantissa / POWERS_OF_TEN[decimals];
        if (negative)
            number = -number;
    } else {
        char buffer[64];
        if (p - first >= (Py_ssize_t)sizeof buffer)
            return -1;
        memcpy(buffer, s + first, (size_t)(p - first));
        buffer[p - first] = '\0';
        number = PyOS_string_to_double(buffer, NULL, NULL);
        if (number == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            return -1;
        }
    }
    if (!isfinite(number) || number < 0)
        return 0;
    *value = number;
    return 1;
}

/* The end of the JSON value at `p`, or -1. */
static Py_ssize_t skip_value(const Text *t, Py_ssize_t p, int depth);

/* Object members, walked in place: `member_start` reads `"key":` from `*p` and leaves
 * `*p` at the value; `member_next` reads what follows a value. */
static int member_start(const Text *t, Py_ssize_t *p, Py_ssize_t *key, Py_ssize_t *key_end,
                        int *escaped)
{
    Py_ssize_t q = skip_space(t, *p);
    if (q >= t->n || t->s[q] != '"')
        return -1;
    *key = q;
    q = skip_string(t, q, escaped);
    if (q < 0)
        return -1;
    *key_end = q;
    q = skip_space(t, q);
    if (q >= t->n || t->s[q] != ':')
        return -1;
    *p = skip_space(t, q + 1);
    return *p < t->n ? 0 : -1;
}

/* 1: another member follows; 0: the object (or array, with `close` ']') ended; -1. */
static int member_next(const Text *t, Py_ssize_t *p, unsigned char close)
{
    Py_ssize_t q = skip_space(t, *p);
    if (q >= t->n)
        return -1;
    *p = q + 1;
    if (t->s[q] == close)
        return 0;
    return t->s[q] == ',' ? 1 : -1;
}

/* Whether the key from `p` (its opening quote) to `end` is `name`. */
ALWAYS_INLINE int key_is(const Text *t, Py_ssize_t p, Py_ssize_t end, const char *name,
                         Py_ssize_t length)
{
    return end - p - 2 == length && memcmp(t->s + p + 1, name, (size_t)length) == 0;
}
#define KEY_IS(name) key_is(t, key, key_end, name, (Py_ssize_t)sizeof(name) - 1)

static Py_ssize_t skip_value(const Text *t, Py_ssize_t p, int depth)
{
    p = skip_space(t, p);
    if (p >= t->n || depth > JSON_DEPTH)
        return -1;
    unsigned char c = t->s[p];
    int escaped;
    if (c == '"')
        return skip_string(t, p, &escaped);
    if (c == '-' || is_digit(c)) {
        Py_ssize_t end;
        double ignored;
        read_number(t, p, &end, &ignored); /* -1 past a grammar error */
        return end;
    }
    if (c == 't')
        return p + 4 <= t->n && memcmp(t->s + p, "true", 4) == 0 ? p + 4 : -1;
    if (c == 'f')
        return p + 5 <= t->n && memcmp(t->s + p, "false", 5) == 0 ? p + 5 : -1;
    if (c == 'n')
        return p + 4 <= t->n && memcmp(t->s + p, "null", 4) == 0 ? p + 4 : -1;
    if (c == '[') {
        p = skip_space(t, p + 1);
        if (p < t->n && t->s[p] == ']')
            return p + 1;
        int more = 1;
        while (more == 1) {
            p = skip_value(t, p, depth + 1);
            if (p < 0)
                return -1;
            more = member_next(t, &p, ']');
        }
        return more == 0 ? p : -1;
    }
    if (c == '{') {
        Py_ssize_t q = skip_space(t, p + 1);
        if (q < t->n && t->s[q] == '}')
            return q + 1;
        p = q;
        int more = 1;
        while (more == 1) {
            Py_ssize_t key, key_end;
            if (member_start(t, &p, &key, &key_end, &escaped) < 0)
                return -1;
            p = skip_value(t, p, depth + 1);
            if (p < 0)
                return -1;
            more = member_next(t, &p, '}');
        }
        return more == 0 ? p : -1;
    }
    return -1; /* NaN, Infinity and anything else: left to Python */
}

/* How read_string leaves white space: as it is, stripped at both ends, or also collapsed
 * (" ".join(s.split())). */
enum { KEEP, STRIP, COLLAPSE };

/* The string at `p` decoded as json.loads decodes it, its white space left as `mode`
 * says. Sets `*end` past it (-1 for bad JSON, with NULL and no error set). */
static PyObject *read_string(const Text *t, Py_ssize_t p, int mode, Py_ssize_t *end)
{
    int escaped;
    *end = skip_string(t, p, &escaped);
    if (*end < 0)
        return NULL;
    const unsigned char *s = t->s;
    if (!escaped) { /* the usual string: ASCII, spaces single, maybe some at either end */
        Py_ssize_t first = p + 1, last = *end - 1, q;
        while (mode != KEEP && first < last && s[first] == ' ')
            first++;
        while (mode != KEEP && last > first && s[last - 1] == ' ')
            last--;
        for (q = first; q < last; q++)
            if (s[q] >= 0x80 || (mode == COLLAPSE && s[q] == ' ' && s[q + 1] == ' '))
                break;
        if (q == last)
            return PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, s + first, last - first);
    }
    Py_ssize_t length = 0;
    Py_UCS4 *decoded = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(*end - p));
    if (decoded == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t q = p + 1; q < *end - 1;) {
        Py_UCS4 c = s[q];
        if (c >= 0x80) { /* UTF-8, as CPython encoded it: well formed */
            int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
            c &= more == 3 ? 0x07 : more == 2 ? 0x0f : 0x1f;
            for (int i = 1; i <= more; i++)
                c = (c << 6) | (s[q + i] & 0x3f);
            decoded[length++] = c;
            q += more + 1;
            continue;
        }
        if (c != '\\') {
            decoded[length++] = c;
            q++;
            continue;
        }
        unsigned char e = s[q + 1];
        if (e != 'u') {
            decoded[length++] = e == 'b' ? '\b' : e == 'f' ? '\f' : e == 'n' ? '\n' : e == 'r' ? '\r'
                              : e == 't' ? '\t' : e;
            q += 2;
            continue;
        }
        Py_UCS4 unit = 0;
        for (int i = 2; i < 6; i++)
            unit = unit * 16 + (Py_UCS4)hex_value(s[q + i]);
        q += 6;
        /* a high surrogate and an escaped low one make one character, as in json */
        if (unit >= 0xd800 && unit <= 0xdbff && q + 6 <= *end - 1 && s[q] == '\\'
            && s[q + 1] == 'u') {
            Py_UCS4 low = 0;
            for (int i = 2; i < 6; i++)
                low = low * 16 + (Py_UCS4)hex_value(s[q + i]);
            if (low >= 0xdc00 && low <= 0xdfff) {
                unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                q += 6;
            }
        }
        decoded[length++] = unit;
    }
    Py_ssize_t first = 0, last = length, kept = 0;
    while (mode != KEEP && first < last && Py_UNICODE_ISSPACE(decoded[first]))
        first++;
    while (mode != KEEP && last > first && Py_UNICODE_ISSPACE(decoded[last - 1]))
        last--;
    int in_space = 0;
    for (Py_ssize_t i = first; i < last; i++) {
        if (mode == COLLAPSE && Py_UNICODE_ISSPACE(decoded[i])) {
            in_space = 1;
            continue;
        }
        if (in_space)
            decoded[kept++] = ' ';
        in_space = 0;
        decoded[kept++] = decoded[i];
    }
    /* made at the width of its widest character, as every str must be */
    PyObject *made = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, decoded, kept);
    PyMem_Free(decoded);
    return made;
}

/* A word object at `p`, as whisper.py's _words keeps it: a new `word_type` (text, start,
 * end), Py_None when it skips the word or when `word_type` is NULL (only checked), NULL to
 * give up (or on an error, then set). */
static PyObject *read_word(const Text *t, Py_ssize_t *p, PyTypeObject *word_type)
{
    Py_ssize_t q = skip_space(t, *p + 1);
    /* the last of each key counts, as in a dict */
    Py_ssize_t word = -1, text = -1;
    double start = 0, stop = 0;
    int start_ok = 0, stop_ok = 0;
    if (q < t->n && t->s[q] == '}') {
        *p = q + 1;
        Py_RETURN_NONE;
    }
    int more = 1;
    while (more == 1) {
        Py_ssize_t key, key_end, value_end;
        int escaped;
        if (member_start(t, &q, &key, &key_end, &escaped) < 0 || escaped)
            return NULL;
        unsigned char c = t->s[q];
        if ((c == '-' || is_digit(c)) && (KEY_IS("start") || KEY_IS("end"))) {
            double seconds;
            int taken = read_number(t, q, &value_end, &seconds);
            if (taken < 0)
                return NULL;
            if (KEY_IS("start"))
                start_ok = taken, start = seconds;
            else
                stop_ok = taken, stop = seconds;
        } else {
            value_end = skip_value(t, q, 3);
            if (value_end < 0)
                return NULL;
            if (KEY_IS("word"))
                word = q;
            else if (KEY_IS("text"))
                text = q;
            else if (KEY_IS("start"))
                start_ok = 0;
            else if (KEY_IS("end"))
                stop_ok = 0;
        }
        q = value_end;
        more = member_next(t, &q, '}');
    }
    if (more < 0)
        return NULL;
    *p = q;
    Py_ssize_t said = word >= 0 ? word : text;
    if (said < 0 || t->s[said] != '"' || !start_ok || !stop_ok || word_type == NULL)
        Py_RETURN_NONE;
    Py_ssize_t ignored;
    PyObject *said_text = read_string(t, said, STRIP, &ignored);
    if (said_text == NULL)
        return NULL;
    PyObject *item = word_type->tp_alloc(word_type, 3);
    PyObject *start_float = PyFloat_FromDouble(start);
    PyObject *end_float = PyFloat_FromDouble(stop > start ? stop : start);
    if (!item || !start_float || !end_float) {
        Py_XDECREF(item);
        Py_XDECREF(start_float);
        Py_XDECREF(end_float);
        Py_DECREF(said_text);
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        return NULL;
    }
    PyTuple_SET_ITEM(item, 0, said_text);
    PyTuple_SET_ITEM(item, 1, start_float);
    PyTuple_SET_ITEM(item, 2, end_float);
    return item;
}

/* The words of the array at `*p` (moved past it), as a tuple (empty when `word_type` is
 * NULL: only checked); NULL to give up. */
static PyObject *read_words(const Text *t, Py_ssize_t *p, PyTypeObject *word_type)
{
    PyObject *words = PyList_New(0);
    if (words == NULL)
        return NULL;
    Py_ssize_t q = skip_space(t, *p + 1);
    int more = 1;
    if (q < t->n && t->s[q] == ']') {
        q++;
        more = 0;
    }
    while (more == 1) {
        q = skip_space(t, q);
        if (q >= t->n || t->s[q] == '[')
            goto fail; /* faster-whisper's word arrays */
        if (t->s[q] == '{') {
            PyObject *word = read_word(t, &q, word_type);
            if (word == NULL)
                goto fail;
            int appended = word == Py_None ? 0 : PyList_Append(words, word);
            Py_DECREF(word);
            if (appended < 0)
                goto fail;
        } else {
            q = skip_value(t, q, 3); /* whisper.py skips anything else */
            if (q < 0)
                goto fail;
        }
        more = member_next(t, &q, ']');
    }
    if (more < 0)
        goto fail;
    *p = q;
    PyObject *tuple = PyList_AsTuple(words);
    Py_DECREF(words);
    return tuple;
fail:
    Py_DECREF(words);
    return NULL;
}

/* What whisper_json gathers. */
typedef struct {
    PyObject *speakers, *starts, *ends, *texts, *words; /* words: each one's offset, as int */
    int has_speaker;
} Gathered;

/* One segment object at `*p` (moved past it), appended to `g` unless its text is empty;
 * 0, or -1 to give up (with an error set on an error). Its words are checked, and only
 * where they start is kept (whisper_words reads them when asked). */
static int read_segment(const Text *t, Py_ssize_t *p, Gathered *g)
{
    Py_ssize_t q = skip_space(t, *p + 1);
    Py_ssize_t said = -1, speaker = -1, words_at = -1;
    double start = 0, stop = 0;
    int start_ok = 0, stop_ok = 0, more = 1, status = -1;
    PyObject *words = NULL, *said_text = NULL, *name = NULL, *start_float = NULL;
    PyObject *end_float = NULL;
    if (q < t->n && t->s[q] == '}')
        return -1; /* no start: whisper.py's error */
    while (more == 1) {
        Py_ssize_t key, key_end, value_end;
        int escaped;
        if (member_start(t, &q, &key, &key_end, &escaped) < 0 || escaped)
            goto done;
        unsigned char c = t->s[q];
        if (KEY_IS("start") || KEY_IS("end")) {
            double seconds;
            if (!(c == '-' || is_digit(c)) || read_number(t, q, &value_end, &seconds) != 1)
                goto done; /* whisper.py's error */
            if (KEY_IS("start"))
                start_ok = 1, start = seconds;
            else
                stop_ok = 1, stop = seconds;
        } else if (KEY_IS("words")) {
            words_at = -1; /* anything but a list: no words */
            value_end = q;
            if (c == '[') {
                PyObject *checked = read_words(t, &value_end, NULL);
                if (checked == NULL)
                    goto done;
                Py_DECREF(checked);
                words_at = q;
            } else {
                value_end = skip_value(t, q, 3);
            }
        } else {
            value_end = skip_value(t, q, 3);
            if (KEY_IS("text"))
                said = q;
            else if (KEY_IS("speaker"))
                speaker = q;
        }
        if (value_end < 0)
            goto done;
        q = value_end;
        more = member_next(t, &q, '}');
    }
    if (more < 0 || !start_ok || !stop_ok || stop < start || said < 0 || t->s[said] != '"')
        goto done;
    if (speaker >= 0 && t->s[speaker] != 'n') {
        if (t->s[speaker] != '"')
            goto done;
        g->has_speaker = 1; /* even when the text is empty, as in whisper.py */
    }
    Py_ssize_t ignored;
    said_text = read_string(t, said, COLLAPSE, &ignored);
    if (said_text == NULL)
        goto done;
    if (PyUnicode_GET_LENGTH(said_text) == 0) { /* whisper.py keeps no empty segment */
        status = 0;
        goto done;
    }
    name = speaker >= 0 && t->s[speaker] == '"' ? read_string(t, speaker, KEEP, &ignored)
                                                : Py_NewRef(Py_None);
    words = PyLong_FromSsize_t(words_at);
    start_float = PyFloat_FromDouble(start);
    end_float = PyFloat_FromDouble(stop);
    if (name && words && start_float && end_float && PyList_Append(g->speakers, name) == 0
        && PyList_Append(g->starts, start_float) == 0 && PyList_Append(g->ends, end_float) == 0
        && PyList_Append(g->texts, said_text) == 0 && PyList_Append(g->words, words) == 0)
        status = 0;
done:
    if (status == 0)
        *p = q;
    Py_XDECREF(words);
    Py_XDECREF(said_text);
    Py_XDECREF(name);
    Py_XDECREF(start_float);
    Py_XDECREF(end_float);
    return status;
}

PyDoc_STRVAR(whisper_json_doc,
"whisper_json(text, /)\n--\n\n"
"The segments of a Whisper or WhisperX JSON object, as formats/whisper.py reads them, or\n"
"None for anything it does not take exactly alike (Python then reads the file).\n\n"
"Returns (speakers, starts, ends, texts, words, has_speaker, has_word_segments): the\n"
"kept segments' columns (texts not empty, white space collapsed), where each one's words\n"
"start (for whisper_words; -1: none), whether any segment names a speaker, and whether\n"
"the object has \"word_segments\" (WhisperX).");

static PyObject *whisper_json(PyObject *Py_UNUSED(module), PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "whisper_json() needs a str");
        return NULL;
    }
    PyObject *args[] = {arg};
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(args[0], &size);
    if (utf8 == NULL) { /* lone surrogates: json.loads says what it makes of them */
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    Text text = {(const unsigned char *)utf8, size};
    const Text *t = &text;
    Gathered g = {PyList_New(0), PyList_New(0), PyList_New(0), PyList_New(0), PyList_New(0), 0};
    PyObject *result = NULL;
    int word_segments = 0, segments_seen = 0;
    if (!g.speakers || !g.starts || !g.ends || !g.texts || !g.words)
        goto done;
    Py_ssize_t p = skip_space(t, 0);
    if (p >= t->n || t->s[p] != '{')
        goto give_up;
    p = skip_space(t, p + 1);
    int more = 1;
    if (p < t->n && t->s[p] == '}')
        goto give_up; /* no segments */
    while (more == 1) {
        Py_ssize_t key, key_end;
        int escaped;
        if (member_start(t, &p, &key, &key_end, &escaped) < 0 || escaped)
            goto give_up;
        if (KEY_IS("segments")) {
            if (t->s[p] != '[')
                goto give_up;
            /* a later "segments" replaces an earlier one, as in a dict */
            PyObject *columns[] = {g.speakers, g.starts, g.ends, g.texts, g.words};
            for (int i = 0; i < 5; i++)
                if (PyList_SetSlice(columns[i], 0, PyList_GET_SIZE(columns[i]), NULL) < 0)
                    goto done;
            g.has_speaker = 0;
            segments_seen = 1;
            p = skip_space(t, p + 1);
            int items = 1;
            if (p < t->n && t->s[p] == ']') {
                p++;
                items = 0;
            }
            while (items == 1) {
                p = skip_space(t, p);
                if (p >= t->n || t->s[p] != '{')
                    goto give_up; /* faster-whisper's arrays, or whisper.py's error */
                if (read_segment(t, &p, &g) < 0) {
                    if (PyErr_Occurred())
                        goto done;
                    goto give_up;
                }
                items = member_next(t, &p, ']');
            }
            if (items < 0)
                goto give_up;
        } else {
            if (KEY_IS("word_segments"))
                word_segments = 1;
            p = skip_value(t, p, 1);
            if (p < 0)
                goto give_up;
        }
        more = member_next(t, &p, '}');
    }
    if (more < 0 || !segments_seen || skip_space(t, p) != t->n)
        goto give_up; /* not JSON, more after it, or no segments: Python says so */
    result = Py_BuildValue("(OOOOOii)", g.speakers, g.starts, g.ends, g.texts, g.words,
                           g.has_speaker, word_segments);
    goto done;
give_up:
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(g.speakers);
    Py_XDECREF(g.starts);
    Py_XDECREF(g.ends);
    Py_XDECREF(g.texts);
    Py_XDECREF(g.words);
    return result;
}

PyDoc_STRVAR(whisper_words_doc,
"whisper_words(text, offset, word_type, /)\n--\n\n"
"The words of the array at `offset` of a text whisper_json read (an offset it gave), as\n"
"a tuple of `word_type` (text, start, end), as formats/whisper.py keeps them.");

static PyObject *whisper_words(PyObject *Py_UNUSED(module), PyObject *const *args,
                               Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[0]) || !PyLong_Check(args[1]) || !PyType_Check(args[2])
        || !PyType_IsSubtype((PyTypeObject *)args[2], &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "whisper_words() needs a str, an int and a tuple type");
        return NULL;
    }
    Py_ssize_t size, offset = PyLong_AsSsize_t(args[1]);
    const char *utf8 = PyUnicode_AsUTF8AndSize(args[0], &size);
    if (utf8 == NULL || (offset == -1 && PyErr_Occurred()))
        return NULL;
    Text text = {(const unsigned char *)utf8, size};
    if (offset < 0 || offset >= size || text.s[offset] != '[') {
        PyErr_SetString(PyExc_ValueError, "whisper_words() needs the offset of a words array");
        return NULL;
    }
    PyObject *words = read_words(&text, &offset, (PyTypeObject *)args[2]);
    if (words == NULL && !PyErr_Occurred())
        PyErr_SetString(PyExc_ValueError, "whisper_words() needs a text whisper_json read");
    return words;
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
    {"plain_cues", (PyCFunction)(void (*)(void))plain_cues, METH_FASTCALL, plain_cues_doc},
    {"whisper_json", whisper_json, METH_O, whisper_json_doc},
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
