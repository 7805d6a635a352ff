"""Speaker diarization of a whole video: who speaks when, with one label per voice.

The default :class:`ResemblyzerDiarizer` works offline: GE2E d-vectors (resemblyzer) on short
sliding windows inside the speech regions, agglomerative clustering with an automatic speaker
count, then smoothing into turns. pyannote.audio and WhisperX are optional backends behind the
same :class:`Diarizer` protocol, selected with :func:`make_diarizer`.

Modules: ``types`` (options, results, protocol), ``clustering`` (speaker clustering on voice
embeddings, reusable across videos), ``turns`` (windows → turns), ``resemblyzer_backend``,
``optional`` (pyannote / WhisperX adapters), ``factory`` (``make_diarizer``).
"""

from pixel_assets.transcription.diarization.clustering import estimate_speakers
from pixel_assets.transcription.diarization.factory import (
    SingleSpeakerDiarizer,
    WithVoicePrints,
    make_diarizer,
)
from pixel_assets.transcription.diarization.optional import PyannoteDiarizer, WhisperXDiarizer
from pixel_assets.transcription.diarization.resemblyzer_backend import ResemblyzerDiarizer
from pixel_assets.transcription.diarization.types import (
    EMBED_SAMPLE_RATE,
    DiarizationOptions,
    DiarizationResult,
    Diarizer,
    MissingBackendError,
    SpeakerTurn,
)

__all__ = [
    "EMBED_SAMPLE_RATE",
    "DiarizationOptions",
    "DiarizationResult",
    "Diarizer",
    "MissingBackendError",
    "PyannoteDiarizer",
    "ResemblyzerDiarizer",
    "SingleSpeakerDiarizer",
    "SpeakerTurn",
    "WhisperXDiarizer",
    "WithVoicePrints",
    "estimate_speakers",
    "make_diarizer",
]
