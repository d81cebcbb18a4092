"""What a recording may be. Each limit is named in the error that refuses a recording.

Documented in docs/metrics.md ("Recordings").
"""

from __future__ import annotations

#: Largest file read, in bytes (a 4-hour 48 kHz 16-bit stereo WAV is 2.8 GB).
MAX_FILE_BYTES = 4 * 1024**3
#: Longest recording, in seconds, whether its header says so or its decoded sound shows it.
MAX_DURATION_S = 4 * 3600.0
#: Shortest recording worth analysing, in seconds.
MIN_DURATION_S = 1.0
#: Most channels in one file (one person per channel) or tracks in one analysis.
MAX_CHANNELS = 8
#: Lowest sample rate accepted; 8 kHz telephone sound is analysed, with a warning.
MIN_SAMPLE_RATE = 8000
#: Sample rates below this one are telephone quality and said so in a warning.
WIDEBAND_SAMPLE_RATE = 16000
#: Tracks of one conversation may end this far apart (a person who joined late, an offset);
#: further apart, they are not from the same conversation.
MAX_TRACK_SPREAD_S = 30 * 60.0
#: Largest offset of a track, in seconds, either way.
MAX_OFFSET_S = 3600.0
