/* Whisper-family JSON read in one pass: see whisper_json_doc. */
#include "_speedups.h"

/* The reader walks the text once, checking the JSON grammar as json.loads does (strict:
 * no control characters in strings) and building only what formats/whisper.py keeps: each
 * segment's start, end, text, speaker and timed words. Anything it does not take exactly
 * as whisper.py does (NaN, a key with an escape, a segment that is not an object, a
 * number too long to convert alike, JSON nested deeper than the limit, an error of any
 * kind) makes it give up, and the Python reader runs, so errors are always reported by
 * Python.
 *
 * Most of a WhisperX file is word objects, a few short keys and values each, so the cost
 * is per token: the walk has no bounds checks (the text ends with a NUL, which no JSON
 * token holds, so every scan stops there), and strings are scanned eight bytes at a time. */

/* The deepest nesting the walk follows, whatever the limit: deeper is left to Python. */
#define JSON_DEPTH_CAP 256

/* The file's text as UTF-8 (for an ASCII str, its own characters: nothing is copied).
 * `s[n]` is a NUL, as in every str's UTF-8 and every bytes object. */
typedef struct {
    const unsigned char *s;
    Py_ssize_t n;
    int max_depth; /* arrays and objects nested deeper are left to Python, which refuses them */
} Text;

static const unsigned char IS_SPACE[256] = {[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1};

ALWAYS_INLINE Py_ssize_t skip_space(const Text *t, Py_ssize_t p)
{
    const unsigned char *s = t->s;
    if (s[p] > ' ') /* most often: none */
        return p;
    p += s[p] == ' '; /* json.dump's separators, ", " and ": ", hold one */
    if (s[p] > ' ')
        return p;
    while (IS_SPACE[s[p]])
        p++;
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

/* The bytes a string scan stops at: the closing quote, a backslash, a control character
 * (the closing NUL among them), and the first byte of a UTF-8 sequence. */
static const unsigned char STRING_STOP[256] = {
    [0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x80 ... 0xff] = 1,
};

#if defined(__GNUC__) && defined(__SSE2__)
#include <emmintrin.h>
#define SIXTEEN_AT_A_TIME 1
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define EIGHT_AT_A_TIME 1
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* The high bit of each byte of `x` below `below` (at most 0x80). Bits above the first such
 * byte may be wrong (a borrow), so only the lowest set bit is to be used. */
ALWAYS_INLINE uint64_t bytes_below(uint64_t x, unsigned char below)
{
    return (x - ONES * below) & ~x & HIGHS;
}

/* The high bit of each byte of `x` that is a string scan's stop (STRING_STOP); again only
 * the lowest is exact. */
ALWAYS_INLINE uint64_t stop_bytes(uint64_t x)
{
    return bytes_below(x ^ (ONES * '"'), 1) | bytes_below(x ^ (ONES * '\\'), 1)
           | bytes_below(x, 0x20) | (x & HIGHS);
}
#endif

/* Where the next stop byte of a string is, from `p`. */
ALWAYS_INLINE Py_ssize_t next_string_stop(const Text *t, Py_ssize_t p)
{
    const unsigned char *s = t->s;
#if defined(SIXTEEN_AT_A_TIME)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    const __m128i control = _mm_set1_epi8(0x1f);
    while (p + 16 <= t->n) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + p));
        /* the quote, the backslash, bytes up to 0x1f (their unsigned max with 0x1f is
         * 0x1f), and bytes from 0x80 (the sign bit movemask reads) */
        __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                                    _mm_cmpeq_epi8(_mm_max_epu8(x, control), control));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(stop, x));
        if (mask)
            return p + __builtin_ctz(mask);
        p += 16;
    }
#elif defined(EIGHT_AT_A_TIME)
    while (p + 8 <= t->n) {
        uint64_t x;
        memcpy(&x, s + p, 8);
        uint64_t stop = stop_bytes(x);
        if (stop)
            return p + (__builtin_ctzll(stop) >> 3);
        p += 8;
    }
#endif
    while (!STRING_STOP[s[p]])
        p++;
    return p;
}

/* The end of the UTF-8 sequence at `p`, or -1 where Python's strict decoder refuses it
 * (overlong, a surrogate, past U+10FFFF, cut short). */
ALWAYS_INLINE Py_ssize_t utf8_sequence_end(const unsigned char *s, Py_ssize_t p)
{
    unsigned char c = s[p];
    if (c < 0xc2 || c > 0xf4)
        return -1;
    if (c < 0xe0)
        return (s[p + 1] & 0xc0) == 0x80 ? p + 2 : -1;
    unsigned char low = 0x80, high = 0xbf;
    if (c == 0xe0)
        low = 0xa0;
    else if (c == 0xed)
        high = 0x9f;
    else if (c == 0xf0)
        low = 0x90;
    else if (c == 0xf4)
        high = 0x8f;
    if (s[p + 1] < low || s[p + 1] > high)
        return -1;
    if (c < 0xf0)
        return (s[p + 2] & 0xc0) == 0x80 ? p + 3 : -1;
    return (s[p + 2] & 0xc0) == 0x80 && (s[p + 3] & 0xc0) == 0x80 ? p + 4 : -1;
}

/* The end of the string whose opening quote is at `p` (past its closing quote), or -1;
 * `*escaped` says whether it holds a backslash. */
ALWAYS_INLINE Py_ssize_t skip_string(const Text *t, Py_ssize_t p, int *escaped)
{
    const unsigned char *s = t->s;
    *escaped = 0;
    p++;
    for (;;) {
        p = next_string_stop(t, p);
        unsigned char c = s[p];
        if (c == '"')
            return p + 1;
        if (c >= 0x80) {
            p = utf8_sequence_end(s, p);
            if (p < 0)
                return -1;
            continue;
        }
        if (c != '\\')
            return -1; /* a control character, or the end of the text */
        *escaped = 1;
        unsigned char e = s[p + 1];
        if (e == 'u') {
            for (int i = 2; i < 6; i++) /* (stops at the closing NUL) */
                if (hex_value(s[p + i]) < 0)
                    return -1;
            p += 6;
            continue;
        }
        if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r'
            && e != 't')
            return -1;
        p += 2;
    }
}

ALWAYS_INLINE Py_ssize_t skip_digits(const Text *t, Py_ssize_t p)
{
    const unsigned char *s = t->s;
#ifdef __GNUC__
    /* eight at a time: a byte is a digit when its high half is 3 and adding 6 keeps it so */
    while (p + 8 <= t->n) {
        uint64_t x;
        memcpy(&x, s + p, 8);
        uint64_t other = ((x & 0xf0f0f0f0f0f0f0f0ULL) ^ 0x3030303030303030ULL)
                         | (((x + 0x0606060606060606ULL) & 0xf0f0f0f0f0f0f0f0ULL)
                            ^ 0x3030303030303030ULL);
        if (other) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return p + (__builtin_ctzll(other) >> 3);
#else
            break;
#endif
        }
        p += 8;
    }
#endif
    while (is_digit(s[p]))
        p++;
    return p;
}

/* The end of the number at `p` by the JSON grammar, or -1; -1 too for an integer of more
 * than 15 digits, which Python converts with limits of its own (and whisper.py then makes
 * a float of it): those are left to Python. */
ALWAYS_INLINE Py_ssize_t skip_number(const Text *t, Py_ssize_t p)
{
    const unsigned char *s = t->s;
    p += s[p] == '-';
    Py_ssize_t first = p;
    if (s[p] == '0')
        p++;
    else if (is_digit(s[p]))
        p = skip_digits(t, p + 1);
    else
        return -1;
    int fraction = s[p] == '.';
    if (fraction) {
        if (!is_digit(s[p + 1]))
            return -1;
        p = skip_digits(t, p + 2);
    }
    if (s[p] == 'e' || s[p] == 'E') {
        p++;
        p += s[p] == '+' || s[p] == '-';
        if (!is_digit(s[p]))
            return -1;
        return skip_digits(t, p + 1);
    }
    return !fraction && p - first > 15 ? -1 : p;
}

static const double POWERS_OF_TEN[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The number at `p`, as whisper.py's _number takes it (seconds: finite, not negative).
 * Sets `*end` past it. Returns 1 for a number it takes, 0 for one it refuses, -1 for bad
 * JSON or a number left to Python. */
static int read_number(const Text *t, Py_ssize_t p, Py_ssize_t *end, double *value)
{
    const unsigned char *s = t->s;
    *end = skip_number(t, p);
    if (*end < 0)
        return -1;
    Py_ssize_t first = p, last = *end;
    int negative = s[p] == '-', digits = 0, decimals = 0, integer = 1, exponent = 0;
    uint64_t mantissa = 0;
    for (p += negative; p < last; p++) {
        unsigned char c = s[p];
        if (c == '.') {
            integer = 0;
            continue;
        }
        if (c == 'e' || c == 'E') {
            integer = 0;
            exponent = 1;
            break;
        }
        if (digits < 19)
            mantissa = mantissa * 10 + (uint64_t)(c - '0');
        if (mantissa || digits)
            digits++; /* significant digits (leading zeros of a fraction are not) */
        decimals += !integer;
    }
    if (integer) { /* a Python int (of 15 digits at most), made a float by whisper.py */
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
        if (last - first >= (Py_ssize_t)sizeof buffer)
            return -1;
        memcpy(buffer, s + first, (size_t)(last - first));
        buffer[last - first] = '\0';
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

/* The end of the JSON value at `p`, or -1. `depth` is its own depth when it is an array or
 * an object (the file's outermost value is at 1), checked with all within it against
 * `t->max_depth`. Walked without recursion. */
static Py_ssize_t skip_value(const Text *t, Py_ssize_t p, int depth)
{
    const unsigned char *s = t->s;
    unsigned char closers[JSON_DEPTH_CAP]; /* what closes each array or object open */
    int open = 0, escaped;
    int most = t->max_depth < JSON_DEPTH_CAP ? t->max_depth : JSON_DEPTH_CAP;
value:
    p = skip_space(t, p);
    switch (s[p]) {
    case '"':
        p = skip_string(t, p, &escaped);
        break;
    case '-': case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
    case '8': case '9':
        p = skip_number(t, p);
        break;
    case 't': /* (each compared in turn: the closing NUL stops them) */
        p = s[p + 1] == 'r' && s[p + 2] == 'u' && s[p + 3] == 'e' ? p + 4 : -1;
        break;
    case 'f':
        p = s[p + 1] == 'a' && s[p + 2] == 'l' && s[p + 3] == 's' && s[p + 4] == 'e' ? p + 5 : -1;
        break;
    case 'n':
        p = s[p + 1] == 'u' && s[p + 2] == 'l' && s[p + 3] == 'l' ? p + 4 : -1;
        break;
    case '[':
    case '{':
        if (depth + open > most)
            return -1;
        closers[open++] = s[p] == '[' ? ']' : '}';
        p = skip_space(t, p + 1);
        if (s[p] == closers[open - 1]) {
            p++;
            open--;
            break;
        }
        if (closers[open - 1] == ']')
            goto value;
        goto key;
    default:
        return -1; /* NaN, Infinity and anything else: left to Python */
    }
after_value:
    if (p < 0 || open == 0)
        return p;
    p = skip_space(t, p);
    if (s[p] == ',') {
        p = skip_space(t, p + 1);
        if (closers[open - 1] == ']')
            goto value;
        goto key;
    }
    if (s[p] != closers[open - 1])
        return -1;
    p++;
    open--;
    goto after_value;
key:
    if (s[p] != '"')
        return -1;
    p = skip_string(t, p, &escaped);
    if (p < 0)
        return -1;
    p = skip_space(t, p);
    if (s[p] != ':')
        return -1;
    p++;
    goto value;
}

/* skip_value, with strings and numbers (most values) skipped in place. */
ALWAYS_INLINE Py_ssize_t skip_member_value(const Text *t, Py_ssize_t p, int depth)
{
    unsigned char c = t->s[p];
    int escaped;
    if (c == '"')
        return skip_string(t, p, &escaped);
    if (c == '-' || is_digit(c))
        return skip_number(t, p);
    return skip_value(t, p, depth);
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

/* Object members, walked in place: `member_start` reads `"key":` from `*p` and leaves
 * `*p` at the value; `member_next` reads what follows a value. */
ALWAYS_INLINE int member_start(const Text *t, Py_ssize_t *p, Py_ssize_t *key,
                               Py_ssize_t *key_end, int *escaped)
{
    Py_ssize_t q = skip_space(t, *p);
    if (t->s[q] != '"')
        return -1;
    *key = q;
    q = skip_string(t, q, escaped);
    if (q < 0)
        return -1;
    *key_end = q;
    q = skip_space(t, q);
    if (t->s[q] != ':')
        return -1;
    *p = skip_space(t, q + 1);
    return 0;
}

/* 1: another member follows; 0: the object (or array, with `close` ']') ended; -1. */
ALWAYS_INLINE int member_next(const Text *t, Py_ssize_t *p, unsigned char close)
{
    Py_ssize_t q = skip_space(t, *p);
    unsigned char c = t->s[q];
    *p = q + 1;
    if (c == close)
        return 0;
    return c == ',' ? 1 : -1;
}

/* Whether the key from `p` (its opening quote) to `end` is `name`. */
ALWAYS_INLINE int key_is(const Text *t, Py_ssize_t p, Py_ssize_t end, const char *name,
                         Py_ssize_t length)
{
    return end - p - 2 == length && memcmp(t->s + p + 1, name, (size_t)length) == 0;
}
#define KEY_IS(name) key_is(t, key, key_end, name, (Py_ssize_t)sizeof(name) - 1)

/* Machine-written JSON repeats one layout for thousands of objects (a WhisperX file's
 * words: the same keys in the same order, the same white space; only the values differ).
 * A Layout holds one object's text between its values (pieces of the text itself) and
 * what kind each value is; an object that has the same pieces, its values checked by the
 * same grammar, is the same walk through the grammar, without reading its keys again.
 * Any difference sends the object to the full walk, and the next one it reads whole is
 * learned instead (a few times at most, should the objects keep changing). */
#define LAYOUT_VALUES 16
#define LAYOUT_LEARNED 16

typedef struct {
    int values;  /* how many values (strings or numbers); 0: none learned */
    int learned; /* how many times one was learned */
    const unsigned char *piece[LAYOUT_VALUES + 1];
    Py_ssize_t length[LAYOUT_VALUES + 1];
    unsigned char kind[LAYOUT_VALUES]; /* '"' a string, '0' a number */
    /* Where each word object the walk checked in the segments is, and how long, in order:
     * WhisperX's "word_segments" repeats them, and an object of the same bytes as one
     * checked is checked (a JSON value's grammar does not depend on what is around it). */
    Py_ssize_t *seen_at, *seen_length, seen, seen_room;
} Layout;

/* Note the word object from `at` to `end` as checked (not when memory runs short: then
 * the later copies are checked in full). */
static void note_checked(Layout *layout, Py_ssize_t at, Py_ssize_t end)
{
    if (layout->seen == layout->seen_room) {
        Py_ssize_t room = layout->seen_room ? 2 * layout->seen_room : 4096;
        Py_ssize_t *ats = PyMem_Realloc(layout->seen_at, (size_t)room * sizeof(Py_ssize_t));
        if (ats == NULL)
            return;
        layout->seen_at = ats;
        Py_ssize_t *lengths =
            PyMem_Realloc(layout->seen_length, (size_t)room * sizeof(Py_ssize_t));
        if (lengths == NULL)
            return;
        layout->seen_length = lengths;
        layout->seen_room = room;
    }
    layout->seen_at[layout->seen] = at;
    layout->seen_length[layout->seen++] = end - at;
}

/* Learn the layout of the object at `p`, which the full walk has checked: only objects
 * whose values are all strings and numbers, and whose keys have no escapes, are learned. */
static void learn_layout(const Text *t, Py_ssize_t p, Layout *layout)
{
    const unsigned char *s = t->s;
    Py_ssize_t piece_start = p, q = skip_space(t, p + 1);
    int values = 0, escaped;
    layout->values = 0;
    layout->learned++;
    if (s[q] == '}')
        return;
    for (;;) {
        if (values == LAYOUT_VALUES || s[q] != '"')
            return;
        q = skip_string(t, q, &escaped);
        if (q < 0 || escaped)
            return;
        q = skip_space(t, q);
        if (s[q] != ':')
            return;
        q = skip_space(t, q + 1);
        Py_ssize_t end;
        if (s[q] == '"') {
            end = skip_string(t, q, &escaped);
            layout->kind[values] = '"';
        } else if (s[q] == '-' || is_digit(s[q])) {
            end = skip_number(t, q);
            layout->kind[values] = '0';
        } else {
            return;
        }
        if (end < 0)
            return;
        layout->piece[values] = s + piece_start;
        layout->length[values] = q - piece_start;
        values++;
        piece_start = end;
        q = skip_space(t, end);
        if (s[q] == '}')
            break;
        if (s[q] != ',')
            return;
        q = skip_space(t, q + 1);
    }
    layout->piece[values] = s + piece_start;
    layout->length[values] = q + 1 - piece_start;
    layout->values = values;
}

ALWAYS_INLINE uint64_t load8(const unsigned char *a)
{
    uint64_t x;
    memcpy(&x, a, 8);
    return x;
}

ALWAYS_INLINE uint32_t load4(const unsigned char *a)
{
    uint32_t x;
    memcpy(&x, a, 4);
    return x;
}

/* Whether `length` bytes at `a` and `b` are the same; the last few are compared by a load
 * that overlaps the one before, rather than byte by byte. */
ALWAYS_INLINE int same_bytes(const unsigned char *a, const unsigned char *b, Py_ssize_t length)
{
    if (length >= 8) {
        for (; length > 8; a += 8, b += 8, length -= 8)
            if (load8(a) != load8(b))
                return 0;
        return load8(a + length - 8) == load8(b + length - 8);
    }
    if (length >= 4)
        return load4(a) == load4(b) && load4(a + length - 4) == load4(b + length - 4);
    for (; length > 0; length--)
        if (*a++ != *b++)
            return 0;
    return 1;
}

/* The end of the object at `p` when it has the layout learned, else -1 (read it whole). */
static Py_ssize_t match_layout(const Text *t, Py_ssize_t p, const Layout *layout)
{
    const unsigned char *s = t->s;
    int escaped;
    for (int i = 0; i <= layout->values; i++) {
        Py_ssize_t length = layout->length[i];
        if (length > t->n - p || !same_bytes(s + p, layout->piece[i], length))
            return -1;
        p += length;
        if (i == layout->values)
            return p;
        if (layout->kind[i] == '"')
            p = s[p] == '"' ? skip_string(t, p, &escaped) : -1;
        else
            p = s[p] == '-' || is_digit(s[p]) ? skip_number(t, p) : -1;
        if (p < 0)
            return -1;
    }
    return -1; /* (not reached) */
}

/* The end of the array at `p`, checked as skip_value checks it, its objects matched
 * against `layout` first (WhisperX's "word_segments"). */
static Py_ssize_t skip_array_of_objects(const Text *t, Py_ssize_t p, int depth, Layout *layout)
{
    const unsigned char *s = t->s;
    p = skip_space(t, p + 1);
    if (s[p] == ']')
        return p + 1;
    for (Py_ssize_t item = 0;; item++) {
        Py_ssize_t end = -1;
        if (s[p] == '{' && item < layout->seen) { /* the same bytes as the item-th word */
            Py_ssize_t length = layout->seen_length[item];
            if (length <= t->n - p && memcmp(s + p, s + layout->seen_at[item], (size_t)length) == 0)
                end = p + length;
        }
        if (end < 0 && s[p] == '{' && layout->values)
            end = match_layout(t, p, layout);
        if (end < 0) {
            end = skip_value(t, p, depth + 1);
            if (end < 0)
                return -1;
            if (s[p] == '{' && layout->learned < LAYOUT_LEARNED)
                learn_layout(t, p, layout);
        }
        p = skip_space(t, end);
        if (s[p] == ']')
            return p + 1;
        if (s[p] != ',')
            return -1;
        p = skip_space(t, p + 1);
    }
}

/* Depths in a Whisper object: the segments array, a segment, its words, a word. */
enum { SEGMENTS_DEPTH = 2, SEGMENT_DEPTH = 3, WORDS_DEPTH = 4, WORD_DEPTH = 5 };

/* A word object at `*p` (moved past it), as whisper.py's _words keeps it: a new
 * `word_type` (text, start, end), Py_None when it skips the word or when `word_type` is
 * NULL (only checked), NULL to give up (or on an error, then set). */
static PyObject *read_word(const Text *t, Py_ssize_t *p, PyTypeObject *word_type)
{
    Py_ssize_t q = skip_space(t, *p + 1);
    /* the last of each key counts, as in a dict */
    Py_ssize_t word = -1, text = -1;
    double start = 0, stop = 0;
    int start_ok = 0, stop_ok = 0;
    if (t->s[q] == '}') {
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
            double seconds = 0;
            int taken;
            if (word_type == NULL) { /* checked only: converted alike, or left to Python */
                value_end = skip_number(t, q);
                taken = value_end < 0 ? -1 : 1;
            } else {
                taken = read_number(t, q, &value_end, &seconds);
            }
            if (taken < 0)
                return NULL;
            if (KEY_IS("start"))
                start_ok = taken, start = seconds;
            else
                stop_ok = taken, stop = seconds;
        } else {
            value_end = skip_member_value(t, q, WORD_DEPTH + 1);
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

/* The words of the array at `*p` (moved past it), appended to `list` as `word_type`, or
 * only checked when `list` is NULL, then against `layout` first; 0, or -1 to give up (with
 * an error set on an error). */
static int read_words(const Text *t, Py_ssize_t *p, PyTypeObject *word_type, PyObject *list,
                      Layout *layout)
{
    Py_ssize_t q = skip_space(t, *p + 1);
    int more = 1;
    if (t->s[q] == ']') {
        q++;
        more = 0;
    }
    while (more == 1) {
        q = skip_space(t, q);
        unsigned char c = t->s[q];
        if (c == '[')
            return -1; /* faster-whisper's word arrays */
        if (c == '{') {
            if (WORD_DEPTH > t->max_depth)
                return -1;
            if (list == NULL && layout->values) { /* checked only: the same as read_word */
                Py_ssize_t end = match_layout(t, q, layout);
                if (end >= 0) {
                    note_checked(layout, q, end);
                    q = end;
                    more = member_next(t, &q, ']');
                    continue;
                }
            }
            Py_ssize_t word_at = q;
            PyObject *word = read_word(t, &q, list ? word_type : NULL);
            if (word == NULL)
                return -1;
            int appended = word == Py_None ? 0 : PyList_Append(list, word);
            Py_DECREF(word);
            if (appended < 0)
                return -1;
            if (list == NULL) {
                note_checked(layout, word_at, q);
                if (layout->learned < LAYOUT_LEARNED)
                    learn_layout(t, word_at, layout);
            }
        } else {
            q = skip_value(t, q, WORD_DEPTH); /* whisper.py skips anything else */
            if (q < 0)
                return -1;
        }
        more = member_next(t, &q, ']');
    }
    if (more < 0)
        return -1;
    *p = q;
    return 0;
}

/* Past this many speakers, the metrics find each segment's speaker themselves. */
#define MOST_VOICES 32

/* What whisper_json gathers: the columns as lists, and again as C arrays for numpy (the
 * times, each text's length, each speaker as its index in `voices`, -1 for none). */
typedef struct {
    PyObject *speakers, *starts, *ends, *texts, *words; /* words: each one's offset, as int */
    int has_speaker;
    PyObject *voices; /* the distinct speakers in order of first appearance; NULL: too many */
    Py_ssize_t count, room;
    double *start_times, *end_times;
    Py_ssize_t *lengths, *codes;
} Gathered;

/* A C array's bytes for Py_BuildValue's "y#" (which makes None of NULL: no segments). */
#define ARRAY_BYTES(array) \
    ((array) ? (const char *)(array) : ""), g.count * (Py_ssize_t)sizeof *(array)

/* Room in the C arrays for one more segment; -1 (with an error set) when memory runs out. */
static int make_room(Gathered *g)
{
    if (g->count < g->room)
        return 0;
    Py_ssize_t room = g->room ? 2 * g->room : 1024;
    double *starts = PyMem_Realloc(g->start_times, (size_t)room * sizeof(double));
    if (starts)
        g->start_times = starts;
    double *ends = starts ? PyMem_Realloc(g->end_times, (size_t)room * sizeof(double)) : NULL;
    if (ends)
        g->end_times = ends;
    Py_ssize_t *lengths = ends ? PyMem_Realloc(g->lengths, (size_t)room * sizeof(Py_ssize_t)) : NULL;
    if (lengths)
        g->lengths = lengths;
    Py_ssize_t *codes = lengths ? PyMem_Realloc(g->codes, (size_t)room * sizeof(Py_ssize_t)) : NULL;
    if (!codes) {
        PyErr_NoMemory();
        return -1;
    }
    g->codes = codes;
    g->room = room;
    return 0;
}

/* The index of `name` in g->voices, added when new; -1 for no name, or when there are too
 * many voices (g->voices is then NULL); -2 on an error. */
static Py_ssize_t voice_code(Gathered *g, PyObject *name)
{
    if (name == Py_None || g->voices == NULL)
        return -1;
    Py_ssize_t count = PyList_GET_SIZE(g->voices);
    for (Py_ssize_t code = 0; code < count; code++) {
        PyObject *voice = PyList_GET_ITEM(g->voices, code);
        if (voice == name)
            return code;
        int same = PyUnicode_Compare(voice, name);
        if (same == -1 && PyErr_Occurred())
            return -2;
        if (same == 0)
            return code;
    }
    if (count == MOST_VOICES) {
        Py_CLEAR(g->voices);
        return -1;
    }
    return PyList_Append(g->voices, name) < 0 ? -2 : count;
}

/* One segment object at `*p` (moved past it), appended to `g` unless its text is empty;
 * 0, or -1 to give up (with an error set on an error). Its words are checked, and only
 * where they start is kept (whisper_words reads them when asked). */
static int read_segment(const Text *t, Py_ssize_t *p, Gathered *g, Layout *layout)
{
    Py_ssize_t q = skip_space(t, *p + 1);
    Py_ssize_t said = -1, speaker = -1, words_at = -1;
    double start = 0, stop = 0;
    int start_ok = 0, stop_ok = 0, more = 1, status = -1;
    PyObject *words = NULL, *said_text = NULL, *name = NULL, *start_float = NULL;
    PyObject *end_float = NULL;
    if (t->s[q] == '}')
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
                if (WORDS_DEPTH > t->max_depth || read_words(t, &value_end, NULL, NULL, layout) < 0)
                    goto done;
                words_at = q;
            } else {
                value_end = skip_value(t, q, WORDS_DEPTH);
            }
        } else {
            value_end = skip_member_value(t, q, SEGMENT_DEPTH + 1);
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
    if (name && words && start_float && end_float && make_room(g) == 0
        && PyList_Append(g->speakers, name) == 0 && PyList_Append(g->starts, start_float) == 0
        && PyList_Append(g->ends, end_float) == 0 && PyList_Append(g->texts, said_text) == 0
        && PyList_Append(g->words, words) == 0) {
        Py_ssize_t code = voice_code(g, name);
        if (code > -2) {
            g->start_times[g->count] = start;
            g->end_times[g->count] = stop;
            g->lengths[g->count] = PyUnicode_GET_LENGTH(said_text);
            g->codes[g->count++] = code;
            status = 0;
        }
    }
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

const char whisper_json_doc[] = PyDoc_STR(
"whisper_json(text, max_depth, /)\n--\n\n"
"The segments of a Whisper or WhisperX JSON object, as formats/whisper.py reads them, or\n"
"None for anything it does not take exactly alike (Python then reads the file). `text` is\n"
"a str, or bytes that are its UTF-8 (bytes that are not well-formed UTF-8 give None);\n"
"arrays and objects nested deeper than `max_depth` give None.\n\n"
"Returns (speakers, starts, ends, texts, words, has_speaker, has_word_segments,\n"
"cue_timings, voices, codes, start_times, end_times, lengths): the kept segments' columns\n"
"(texts not empty, white space collapsed), where each one's words start (for\n"
"whisper_words; -1: none), whether any segment names a speaker, whether the object has\n"
"\"word_segments\" (WhisperX), how many times the text holds \"-->\" (as str.count\n"
"counts); then the distinct speakers in order of first appearance (None past 32) and, as\n"
"bytes of C arrays, each segment's speaker as its index there (Py_ssize_t, -1 for none or\n"
"past 32), its start and end (double) and its text's length (Py_ssize_t).");

/* The UTF-8 of a str (for an ASCII one, its own characters: nothing is copied), or the
 * bytes of a bytes object, as read_bytes hands them over undecoded; NULL with no error set
 * for a str holding lone surrogates. Both end with a NUL past `*size`. */
static const char *utf8_of(PyObject *text, Py_ssize_t *size)
{
    if (PyBytes_Check(text)) {
        *size = PyBytes_GET_SIZE(text);
        return PyBytes_AS_STRING(text);
    }
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, size);
    if (utf8 == NULL) /* lone surrogates: json.loads says what it makes of them */
        PyErr_Clear();
    return utf8;
}

/* How many times "-->" is in the text, as str.count counts it (the limits count cue timings
 * in every file). Found from its '>', which transcripts seldom hold, with memchr. */
static Py_ssize_t cue_timings(const Text *t)
{
    Py_ssize_t count = 0;
    const unsigned char *s = t->s, *end = s + t->n, *found = s + 2;
    while (found < end && (found = memchr(found, '>', (size_t)(end - found))) != NULL) {
        count += found[-1] == '-' && found[-2] == '-';
        found++;
    }
    return count;
}

PyObject *whisper_json(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !(PyUnicode_Check(args[0]) || PyBytes_Check(args[0]))
        || !PyLong_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "whisper_json() needs a str or bytes, and an int");
        return NULL;
    }
    long max_depth = PyLong_AsLong(args[1]);
    if (max_depth == -1 && PyErr_Occurred())
        return NULL;
    Py_ssize_t size;
    const char *utf8 = utf8_of(args[0], &size);
    if (utf8 == NULL)
        Py_RETURN_NONE;
    Text text = {(const unsigned char *)utf8, size, max_depth < INT_MAX ? (int)max_depth : INT_MAX};
    const Text *t = &text;
    Gathered g = {PyList_New(0), PyList_New(0), PyList_New(0), PyList_New(0), PyList_New(0), 0,
                  PyList_New(0), 0, 0, NULL, NULL, NULL, NULL};
    PyObject *result = NULL;
    int word_segments = 0, segments_seen = 0;
    Layout layout = {0}; /* the words' layout, once one is read */
    if (!g.speakers || !g.starts || !g.ends || !g.texts || !g.words || !g.voices)
        goto done;
    Py_ssize_t p = skip_space(t, 0);
    if (t->s[p] != '{' || t->max_depth < SEGMENT_DEPTH)
        goto give_up; /* (a limit this low refuses every Whisper file with a segment) */
    p = skip_space(t, p + 1);
    int more = 1;
    if (t->s[p] == '}')
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
            g.count = 0;
            Py_XSETREF(g.voices, PyList_New(0));
            if (g.voices == NULL)
                goto done;
            segments_seen = 1;
            p = skip_space(t, p + 1);
            int items = 1;
            if (t->s[p] == ']') {
                p++;
                items = 0;
            }
            while (items == 1) {
                p = skip_space(t, p);
                if (t->s[p] != '{')
                    goto give_up; /* faster-whisper's arrays, or whisper.py's error */
                if (read_segment(t, &p, &g, &layout) < 0) {
                    if (PyErr_Occurred())
                        goto done;
                    goto give_up;
                }
                items = member_next(t, &p, ']');
            }
            if (items < 0)
                goto give_up;
        } else {
            if (KEY_IS("word_segments")) {
                word_segments = 1;
                p = t->s[p] == '[' ? skip_array_of_objects(t, p, SEGMENTS_DEPTH, &layout)
                                   : skip_value(t, p, SEGMENTS_DEPTH);
            } else {
                p = skip_value(t, p, SEGMENTS_DEPTH);
            }
            if (p < 0)
                goto give_up;
        }
        more = member_next(t, &p, '}');
    }
    if (more < 0 || !segments_seen || skip_space(t, p) != t->n)
        goto give_up; /* not JSON, more after it, or no segments: Python says so */
    result = Py_BuildValue(
        "(OOOOOiinOy#y#y#y#)", g.speakers, g.starts, g.ends, g.texts, g.words, g.has_speaker,
        word_segments, cue_timings(t), g.voices ? g.voices : Py_None,
        ARRAY_BYTES(g.codes), ARRAY_BYTES(g.start_times), ARRAY_BYTES(g.end_times),
        ARRAY_BYTES(g.lengths));
    goto done;
give_up:
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(g.speakers);
    Py_XDECREF(g.starts);
    Py_XDECREF(g.ends);
    Py_XDECREF(g.texts);
    Py_XDECREF(g.words);
    Py_XDECREF(g.voices);
    PyMem_Free(layout.seen_at);
    PyMem_Free(layout.seen_length);
    PyMem_Free(g.start_times);
    PyMem_Free(g.end_times);
    PyMem_Free(g.lengths);
    PyMem_Free(g.codes);
    return result;
}

const char whisper_words_doc[] = PyDoc_STR(
"whisper_words(text, offset, word_type, /)\n--\n\n"
"The words of the array at `offset` of a text whisper_json read (an offset it gave), as\n"
"a tuple of `word_type` (text, start, end), as formats/whisper.py keeps them.");

PyObject *whisper_words(PyObject *Py_UNUSED(module), PyObject *const *args,
                               Py_ssize_t nargs)
{
    if (nargs != 3 || !(PyUnicode_Check(args[0]) || PyBytes_Check(args[0]))
        || !PyLong_Check(args[1]) || !PyType_Check(args[2])
        || !PyType_IsSubtype((PyTypeObject *)args[2], &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "whisper_words() needs a str, an int and a tuple type");
        return NULL;
    }
    Py_ssize_t size, offset = PyLong_AsSsize_t(args[1]);
    if (offset == -1 && PyErr_Occurred())
        return NULL;
    const char *utf8 = utf8_of(args[0], &size);
    if (utf8 == NULL) {
        PyErr_SetString(PyExc_ValueError, "whisper_words() needs a text whisper_json read");
        return NULL;
    }
    /* (read and checked by whisper_json already: no limit on depth needed here) */
    Text text = {(const unsigned char *)utf8, size, JSON_DEPTH_CAP};
    if (offset < 0 || offset >= size || text.s[offset] != '[') {
        PyErr_SetString(PyExc_ValueError, "whisper_words() needs the offset of a words array");
        return NULL;
    }
    PyObject *words = PyList_New(0);
    if (words == NULL)
        return NULL;
    if (read_words(&text, &offset, (PyTypeObject *)args[2], words, NULL) < 0) {
        Py_DECREF(words);
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "whisper_words() needs a text whisper_json read");
        return NULL;
    }
    PyObject *tuple = PyList_AsTuple(words);
    Py_DECREF(words);
    return tuple;
}
