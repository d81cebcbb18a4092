/* Caption files of plain cues, WebVTT and SRT, read in one pass: see plain_cues_doc. */
#include "_speedups.h"

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

ALWAYS_INLINE Py_UCS4 char_at(int kind, const void *data, Py_ssize_t index)
{
    return PyUnicode_READ(kind, data, index);
}

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
 * that ends the header. `cues` has room for one cue per ">" of the text (each has an arrow),
 * `spans` for one line per line end and one more. */
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

/* How many ">" and line ends the text holds (added to `*arrows` and `*lines`). */
static void count_marks(int kind, const void *data, Py_ssize_t n, Py_ssize_t *arrows,
                        Py_ssize_t *lines)
{
    if (kind == PyUnicode_1BYTE_KIND) { /* memchr: many characters a step */
        const char *text = data, *end = text + n;
        for (const char *at = text; (at = memchr(at, '>', (size_t)(end - at))) != NULL; at++)
            (*arrows)++;
        for (const char *at = text; (at = memchr(at, '\n', (size_t)(end - at))) != NULL; at++)
            (*lines)++;
        return;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        *arrows += c == '>';
        *lines += c == '\n';
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

const char plain_cues_doc[] = PyDoc_STR(
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

PyObject *plain_cues(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
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
    /* room for what this text can hold, not for what any text of its length could */
    Py_ssize_t arrows = 0, lines = 1;
    count_marks(kind, data, n, &arrows, &lines);
    Cue *cues = PyMem_Malloc(sizeof(Cue) * (size_t)(arrows + 1));
    Span *spans = PyMem_Malloc(sizeof(Span) * (size_t)lines);
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

