/* Shared by the compiled speed-ups' source files (_speedups.c, _cues.c, _json.c). */
#ifndef TETE_SPEEDUPS_H
#define TETE_SPEEDUPS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))

ALWAYS_INLINE int is_digit(Py_UCS4 c) { return c >= '0' && c <= '9'; }

/* _cues.c: caption files of plain cues (WebVTT and SRT). */
extern const char plain_cues_doc[];
PyObject *plain_cues(PyObject *module, PyObject *const *args, Py_ssize_t nargs);

/* _json.c: Whisper-family JSON. */
extern const char whisper_json_doc[];
PyObject *whisper_json(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
extern const char whisper_words_doc[];
PyObject *whisper_words(PyObject *module, PyObject *const *args, Py_ssize_t nargs);

#endif
