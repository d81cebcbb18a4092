"""The transcript model every reader produces: segments of speech, with words when known."""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import Any, Literal, NamedTuple, overload

#: How much a transcript says about time.
#: ``cues``: every segment has its own start and end (WebVTT, SRT, JSON, old Teams).
#: ``starts``: only start times are written; ends are inferred (Otter, Teams, Google Meet).
#: ``none``: no times at all (plain ``Name: text`` lines): only word-based metrics.
Timing = Literal["cues", "starts", "none"]

#: The JSON contract's file formats (``audio``: a recording, see :class:`Recording`).
Format = Literal["webvtt", "srt", "text", "json", "audio"]

#: How a recording tells people apart: a file per person, a channel per person, or one
#: microphone whose voices are told apart by how they sound (an estimate).
RecordingKind = Literal["tracks", "channels", "one_microphone"]


# Word and Segment are named tuples: a one-hour transcript has thousands of them, and a
# tuple is several times cheaper to create than a frozen dataclass.
class Word(NamedTuple):
    """A word with its own times, as Whisper-style JSON writes them."""

    text: str
    start: float
    end: float


class Segment(NamedTuple):
    """A stretch of speech by one speaker (``None`` when the file does not say who)."""

    speaker: str | None
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()


class Skipped(NamedTuple):
    """A part of a file that a reader left out as its format's rules say: where it is
    (the line, when the format has lines) and why."""

    line: int | None
    reason: str


class Columns:
    """A transcript's segments column by column, as a reader that read the file in bulk
    already holds them; the metrics use the columns instead of taking segments apart.

    ``segments`` is a :class:`Segments` view of the same data, whose segment tuples are
    made only when something looks at them. ``plain`` says that every text is non-empty
    and already ``" ".join(text.split())``; ``times``, when the reader made them, holds the
    starts and the ends again as numpy float64 arrays; ``voices`` and ``codes``, when the
    reader made them, the distinct speakers in order of first appearance and each
    segment's speaker as its index there (a numpy array); ``lengths``, the length of each
    text (a numpy array); ``labelled``, how many speakers came from a ``Name:`` prefix;
    ``words``, when the reader has them, each segment's timed words.
    """

    __slots__ = (
        "_segments", "codes", "ends", "labelled", "lengths", "plain", "speakers", "starts",
        "texts", "times", "voices", "words",
    )  # fmt: skip

    def __init__(
        self,
        speakers: Sequence[str | None],
        starts: Sequence[float],
        ends: Sequence[float],
        texts: Sequence[str],
        *,
        plain: bool = False,
        times: tuple[Any, Any] | None = None,
        voices: tuple[str, ...] | None = None,
        codes: Any = None,
        lengths: Any = None,
        labelled: int = 0,
        words: Sequence[tuple[Word, ...]] | None = None,
    ) -> None:
        self.speakers = speakers
        self.starts = starts
        self.ends = ends
        self.texts = texts
        self.plain = plain
        self.times = times
        self.voices = voices
        self.codes = codes
        self.lengths = lengths
        self.labelled = labelled
        self.words = words
        self._segments: weakref.ref[Segments] | None = None

    @property
    def segments(self) -> Segments:
        """The :class:`Segments` view of these columns: the same one while anything holds it.

        It is held weakly here. Held both ways, a transcript (and the file's text, which its
        words are read from) would outlive its last use until the garbage collector's next
        pass, and each file read would take fresh memory from the system.
        """
        made = None if self._segments is None else self._segments()
        if made is None:
            made = Segments(self)
            self._segments = weakref.ref(made)
        return made

    def __getstate__(self) -> dict[str, Any]:
        state = {name: getattr(self, name) for name in self.__slots__}
        # the segments themselves (a weak reference cannot be pickled): pickled with the
        # transcript's, they come back as the same object
        state["_segments"] = None if self._segments is None else self._segments()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        made = state.pop("_segments")
        for name, value in state.items():
            setattr(self, name, value)
        self._segments = None if made is None else weakref.ref(made)


class Segments(Sequence[Segment]):
    """Segments held as columns: a sequence like the tuple of them, made on first use.

    A report of figures only never needs the segment tuples (the metrics read the
    columns), and making one per cue is a large share of reading a long file.
    """

    __slots__ = ("__weakref__", "_columns", "_made")

    def __init__(self, columns: Columns) -> None:
        self._columns = columns
        self._made: tuple[Segment, ...] | None = None

    def _tuple(self) -> tuple[Segment, ...]:
        made = self._made
        if made is None:
            columns = self._columns
            words = repeat((), len(columns.texts)) if columns.words is None else columns.words
            rows = zip(
                columns.speakers, columns.starts, columns.ends, columns.texts, words, strict=True
            )
            made = self._made = tuple(map(tuple.__new__, repeat(Segment), rows))
        return made

    def __len__(self) -> int:
        return len(self._columns.texts)

    @overload
    def __getitem__(self, index: int) -> Segment: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Segment, ...]: ...
    def __getitem__(self, index: int | slice) -> Segment | tuple[Segment, ...]:
        return self._tuple()[index]

    def __iter__(self) -> Iterator[Segment]:
        return iter(self._tuple())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Segments):
            other = other._tuple()
        return self._tuple() == other

    def __hash__(self) -> int:
        return hash(self._tuple())

    def __repr__(self) -> str:
        return repr(self._tuple())


@dataclass(frozen=True, slots=True)
class Voice:
    """One person heard in a recording: the name given to them, where the name came from
    (``label``: a track's file name, a channel such as ``left``, or ``voice 1`` for an
    estimated voice) and a few (start, end) stretches in which they are heard alone, for
    someone to listen to and say who it is."""

    name: str
    label: str
    excerpts: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Recording:
    """What a transcript made from a recording says about the recording itself.

    ``estimate`` is true when voices were told apart by how they sound (one microphone):
    the figures are then an estimate, with the accuracy docs/metrics.md gives; ``method``
    names how speech was found and attributed.
    """

    kind: RecordingKind
    estimate: bool
    method: str
    duration_s: float
    sample_rate: int
    channels: int
    voices: tuple[Voice, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "estimate": self.estimate,
            "method": self.method,
            "duration_s": round(self.duration_s, 3),
            "sample_rate": self.sample_rate,
            "channels": self.channels,
            "voices": [
                {
                    "name": voice.name,
                    "label": voice.label,
                    "excerpts": [[round(a, 3), round(b, 3)] for a, b in voice.excerpts],
                }
                for voice in self.voices
            ],
        }


@dataclass(frozen=True, slots=True)
class Transcript:
    """What a reader makes of a file: segments in file order, and how it was read.

    ``dialect`` names the vendor convention (``zoom``, ``teams``, ``otter``, ``meet``,
    ``whisper``, ``whisperx``, ``plain`` …) and ``warnings`` lists parts of the file a reader
    skipped as its format's rules say (for instance a WebVTT cue with broken timings),
    each naming the line.
    """

    source: str
    format: Format
    segments: Sequence[Segment]
    timing: Timing = "cues"
    dialect: str = ""
    warnings: tuple[str, ...] = field(default=())
    #: The cues (or entries) left out, each with its line and reason; each also has a
    #: warning.
    skipped: tuple[Skipped, ...] = field(default=())
    #: The segments as columns, when the reader has them (see :class:`Columns`); used only
    #: while ``columns.segments is segments``.
    columns: Columns | None = field(default=None, compare=False, repr=False)
    #: Set when the transcript was made from a recording: segments then carry a speaker
    #: and no text.
    recording: Recording | None = None

    @property
    def speakers(self) -> tuple[str, ...]:
        """Named speakers in order of first appearance."""
        columns = self.columns
        seen: dict[str | None, None]
        if columns is not None and columns.segments is self.segments:
            if columns.voices is not None:
                return columns.voices
            seen = dict.fromkeys(columns.speakers)
        else:
            seen = dict.fromkeys(map(itemgetter(0), self.segments))
        seen.pop(None, None)
        return tuple(name for name in seen if name is not None)
