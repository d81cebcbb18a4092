"""Recordings with known ground truth, made from Debian's flite voices and mixed with numpy.

A conversation is a script of utterances; each person's clean voice is laid on a timeline
(pauses, overlaps, backchannels), and the ground truth is where that clean voice sounds
(10 ms frames above -50 dBFS, bridged and cleaned as the analysis does). The recordings
are then what microphones would hear: each person on their own channel with the other
leaking in at -15 to -25 dB and room noise, or everyone on one microphone.

Used by the tests (short conversations, cached per session), by benchmarks/audio.py, and by
the demo for its one recording (tete/demo/recordings.py), only where flite is installed.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

RATE = 16000
FLITE = shutil.which("flite") or "/usr/bin/flite"
NO_FLITE = (
    "flite not found: install Debian's package (apt-get install flite) to run the tests "
    "that synthesise recordings"
)

LINES = (
    "I wanted to talk about the release next week and how the team is doing.",
    "The onboarding plan is going well, but the documentation needs more time.",
    "Honestly, I feel a bit stuck on the design review.",
    "Can you review the draft before our next one on one?",
    "I will send you the notes by Friday.",
    "We should look at the hiring pipeline together.",
    "The customer feedback was better than expected.",
    "I am not sure the roadmap still makes sense for this quarter.",
    "My workload has been heavy since the migration started.",
    "What would help you most right now?",
    "Let us pick one thing to improve before the next sprint.",
    "The on call rotation was quiet this week, which was great.",
    "I would like to lead the planning session next month.",
    "That sounds like a good idea, let me think about how to support it.",
    "We agreed to move the deadline, so there is some room now.",
    "Tell me more about what happened in the retro.",
)
BACKCHANNELS = ("Mm-hmm.", "Yeah.", "Right.", "Okay.")


def have_flite() -> bool:
    return Path(FLITE).exists()


_CACHE = Path(os.environ.get("TETE_SYNTH_CACHE") or tempfile.gettempdir()) / "tete-flite-cache"


def speak(text: str, voice: str) -> np.ndarray:
    """``text`` spoken by flite's ``voice``, float32 at 16 kHz, leading and trailing
    silence trimmed (cached on disk: flite is deterministic)."""
    _CACHE.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(f"{voice}\0{text}".encode()).hexdigest()[:24]
    path = _CACHE / f"{key}.wav"
    if not path.exists():
        partial = path.with_suffix(f".{os.getpid()}.tmp.wav")
        subprocess.run([FLITE, "-voice", voice, "-t", text, "-o", str(partial)], check=True)
        partial.replace(path)
    with wave.open(str(path)) as file:
        rate = file.getframerate()
        samples = np.frombuffer(file.readframes(file.getnframes()), dtype=np.int16)
    audio = samples.astype(np.float32) / 32768
    if rate != RATE:  # flite's voices speak at 16 kHz; keep the helper honest if not
        positions = np.arange(0, len(audio), rate / RATE)
        audio = np.interp(positions, np.arange(len(audio)), audio).astype(np.float32)
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    return audio[loud[0] : loud[-1] + 1] if len(loud) else audio


@dataclass
class Conversation:
    """Each person's clean voice on one timeline, and the utterances laid on it."""

    voices: tuple[np.ndarray, ...]
    #: (person, start, end, is_backchannel) per utterance, seconds.
    utterances: list[tuple[int, float, float, bool]] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        return len(self.voices[0]) / RATE


def converse(
    voices: tuple[str, ...] = ("slt", "rms"),
    turns: int = 16,
    seed: int = 1,
    shares: tuple[float, ...] | None = None,
    overlap_rate: float = 0.2,
    backchannel_rate: float = 0.4,
) -> Conversation:
    """A conversation of ``turns`` turns between flite voices: pauses of 0.3–1.2 s between
    turns, some turns starting over the end of the previous one (``overlap_rate``), and
    backchannels ("mm-hmm") from the listener inside long turns. ``shares`` weighs who
    takes the next turn (several sentences per turn for the one who talks more)."""
    rng = random.Random(seed)
    people = len(voices)
    weights = shares or tuple(1 / people for _ in voices)
    placed: list[tuple[int, int, np.ndarray, bool]] = []  # person, start sample, audio
    cursor = int(0.5 * RATE)
    speaker = 0
    for turn in range(turns):
        if turn:
            others = [p for p in range(people) if p != speaker]
            speaker = others[0] if people == 2 else rng.choice(others)
        sentences = max(1, round(weights[speaker] * people * rng.uniform(0.7, 1.6)))
        clip = np.concatenate(
            [
                np.concatenate(
                    (speak(rng.choice(LINES), voices[speaker]), np.zeros(int(0.15 * RATE)))
                )
                for _ in range(sentences)
            ]
        )[: -int(0.15 * RATE)]
        if turn and rng.random() < overlap_rate:
            start = cursor - int(rng.uniform(0.6, 1.4) * RATE)  # starts over the other
        else:
            start = cursor + int(rng.uniform(0.3, 1.2) * RATE)
        start = max(start, 0)
        placed.append((speaker, start, clip, False))
        if len(clip) > 3.5 * RATE and rng.random() < backchannel_rate:
            listener = (speaker + 1) % people
            back = speak(rng.choice(BACKCHANNELS), voices[listener])
            at = start + int(rng.uniform(0.3, 0.7) * len(clip))
            placed.append((listener, at, back, True))
        cursor = max(cursor, start + len(clip))
    length = cursor + int(0.8 * RATE)
    tracks = tuple(np.zeros(length, dtype=np.float32) for _ in voices)
    conversation = Conversation(tracks)
    for person, start, clip, backchannel in placed:
        tracks[person][start : start + len(clip)] += clip
        conversation.utterances.append(
            (person, start / RATE, (start + len(clip)) / RATE, backchannel)
        )
    return conversation


def truth(conversation: Conversation) -> list[list[tuple[float, float]]]:
    """Per person, where their clean voice sounds: the analysis's own rules for bridging
    pauses and dropping crumbs, on frames above -50 dBFS."""
    from tete.conversation.audio.speech import intervals, stretches

    out = []
    for voice in conversation.voices:
        frames = voice[: len(voice) - len(voice) % 160].reshape(-1, 160)
        level = 10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-10)
        out.append(intervals(stretches(level > -50)))
    return out


def room_noise(length: int, level_db: float, seed: int) -> np.ndarray:
    """Steady room noise (mostly low frequencies, as ventilation) at ``level_db`` dBFS RMS."""
    rng = np.random.default_rng(seed)
    white = rng.standard_normal(length + 64)
    # a gentle low-pass: the mean of 8 samples, twice
    kernel = np.ones(8) / 8
    noise = np.convolve(np.convolve(white, kernel, "same"), kernel, "same")[:length]
    noise *= 10 ** (level_db / 20) / (np.sqrt(np.mean(noise**2)) + 1e-12)
    return noise.astype(np.float32)


def microphones(
    conversation: Conversation,
    leak_db: tuple[float, ...] = (-20.0, -20.0),
    noise_db: float = -55.0,
    gains_db: tuple[float, ...] | None = None,
    seed: int = 7,
) -> np.ndarray:
    """One channel per person, ``(people, samples)``: their own voice, each other voice
    leaking in at ``leak_db`` (per receiving channel, 5 ms late) and room noise."""
    people = len(conversation.voices)
    gains = gains_db or tuple(0.0 for _ in range(people))
    delay = int(0.005 * RATE)
    channels = []
    for person in range(people):
        channel = conversation.voices[person] * 10 ** (gains[person] / 20)
        for other in range(people):
            if other != person:
                leaked = np.roll(conversation.voices[other], delay) * 10 ** (leak_db[person] / 20)
                channel = channel + leaked
        channel = channel + room_noise(len(channel), noise_db, seed + person)
        channels.append(channel)
    return np.stack(channels).astype(np.float32)


def one_microphone(
    conversation: Conversation,
    gains_db: tuple[float, ...] = (0.0, -3.0),
    noise_db: float = -50.0,
    seed: int = 11,
) -> np.ndarray:
    """Everyone on one microphone, ``(1, samples)``: each voice at its distance (gain), a
    short room echo, and room noise."""
    mixed = sum(
        voice * 10 ** (gain / 20) for voice, gain in zip(conversation.voices, gains_db, strict=True)
    )
    assert isinstance(mixed, np.ndarray)
    echo = np.zeros_like(mixed)
    echo[int(0.012 * RATE) :] = 0.25 * mixed[: -int(0.012 * RATE)]
    mixed = mixed + echo + room_noise(len(mixed), noise_db, seed)
    return mixed[np.newaxis, :].astype(np.float32)


def write(
    path: Path,
    channels: np.ndarray,
    rate: int = RATE,
    container_options: dict[str, str] | None = None,
    **options: object,
) -> Path:
    """Encode ``(channels, samples)`` float audio with PyAV; the container and codec follow
    the suffix (wav, flac, mp3, m4a, ogg/opus, webm/opus). ``rate`` resamples first;
    ``container_options`` go to the muxer (``{"movflags": "empty_moov"}``: fragmented MP4)."""
    import av

    suffix = path.suffix.lower()
    codec, sample_format, container_format = {
        ".wav": ("pcm_s16le", "s16", None),
        ".flac": ("flac", "s16", None),
        ".mp3": ("libmp3lame", "fltp", None),
        ".m4a": ("aac", "fltp", "mp4"),
        ".ogg": ("libopus", "flt", "ogg"),
        ".opus": ("libopus", "flt", "ogg"),
        ".webm": ("libopus", "flt", "webm"),
    }[suffix]
    if suffix in (".ogg", ".opus", ".webm") and rate not in (8000, 12000, 16000, 24000, 48000):
        raise ValueError("opus takes 8, 12, 16, 24 or 48 kHz")
    data = np.clip(channels, -1, 1).astype(np.float32)
    if rate != RATE:
        positions = np.arange(0, data.shape[1], RATE / rate)
        data = np.stack(
            [np.interp(positions, np.arange(data.shape[1]), row) for row in data]
        ).astype(np.float32)
    layout = {1: "mono", 2: "stereo"}.get(len(data), f"{len(data)}c")
    with av.open(
        str(path), "w", format=container_format, options=container_options or {}
    ) as container:
        stream = container.add_stream(codec, rate=rate, layout=layout)
        assert isinstance(stream, av.AudioStream)
        for key, value in options.items():
            setattr(stream, key, value)
        block = rate  # one second per frame
        for at in range(0, data.shape[1], block):
            part = data[:, at : at + block]
            if sample_format == "s16":
                array = (part.T * 32767).astype(np.int16).reshape(1, -1)
            elif sample_format == "flt":
                array = np.ascontiguousarray(part.T).reshape(1, -1)
            else:
                array = np.ascontiguousarray(part)
            frame = av.AudioFrame.from_ndarray(array, format=sample_format, layout=layout)
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path
