"""PII scrubbing of transcript text before it is stored as a training pair.

One presidio :class:`AnalyzerEngine` per process, built with :class:`NoOpNlpEngine` (no spaCy
model, nothing downloaded) and a custom registry of the ASR-aware recognisers in
:mod:`pixel_assets.pairs.pii_patterns` and :mod:`pixel_assets.pairs.pii_names`. Names from a
video's metadata (speaker names in the list, a personal channel's name) are added per call as
presidio ad-hoc recognisers. When
``PiiOptions.ner_model_path`` names a local spaCy pipeline, presidio's spaCy engine runs it and
its PERSON entities are redacted too (the path must exist: nothing is downloaded).

Found spans become typed placeholders (``[PHONE]``, ``[NUMBER]``, ``[EMAIL]``, ``[URL]``,
``[HANDLE]``, ``[ADDRESS]``, ``[PLACE]``, ``[DOB]``, ``[NAME]``); overlapping finds keep the
longest span. A name the transcript itself introduces ("I'm Sarah.") is redacted wherever the
video says it again (:meth:`PiiScrubber.names_in`, passed back as ``found_names``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NoOpNlpEngine

from pixel_assets.pairs.names import looks_like_person, names_from_metadata
from pixel_assets.pairs.pii_given_names import GivenNameRecognizer, SpelledNameRecognizer
from pixel_assets.pairs.pii_more import (
    HandleCueRecognizer,
    PhoneExtensionRecognizer,
    ProviderEmailRecognizer,
    SpokenDobRecognizer,
    SpokenPostcodeRecognizer,
    StatedIdRecognizer,
)
from pixel_assets.pairs.pii_names import NameListRecognizer, TitledNameRecognizer, names_in
from pixel_assets.pairs.pii_patterns import (
    AsrAddressRecognizer,
    AsrDobRecognizer,
    AsrEmailRecognizer,
    AsrPhoneRecognizer,
    AsrUrlRecognizer,
    LongNumberRecognizer,
    RegexRecognizer,
    SocialHandleRecognizer,
    words_of,
)
from pixel_assets.pairs.pii_places import CityRecognizer, NamedPlaceRecognizer, PlaceRecognizer
from pixel_assets.pairs.schemas import PLACEHOLDERS


@dataclass(frozen=True)
class PiiOptions:
    """How text is scrubbed.

    Attributes:
        names: Names always redacted, on top of those from each video's metadata.
        ner_model_path: A local spaCy pipeline directory whose NER finds further PERSON names
            (e.g. an installed ``en_core_web_sm`` folder). ``None``: patterns and metadata
            names only, which needs no model at all.
        min_score: Results below this presidio score are ignored (patterns score 0.7-0.95).
        prefilter: Skip the analyzer for texts no recogniser could match (same results,
            much faster); ignored when NER runs, since NER has no anchor.
    """

    names: tuple[str, ...] = ()
    ner_model_path: str | None = None
    min_score: float = 0.5
    prefilter: bool = True


@dataclass(frozen=True)
class ScrubResult:
    """A scrubbed text and what was replaced.

    Attributes:
        text: The text with each PII span replaced by its placeholder.
        entities: The presidio entity type of each replacement, in text order.
    """

    text: str
    entities: tuple[str, ...] = field(default_factory=tuple)

    @property
    def count(self) -> int:
        return len(self.entities)


class _NoContextEnhancer(ContextAwareEnhancer):
    """Our recognisers check their own context; presidio's lemma enhancer needs tokens."""

    def __init__(self) -> None:
        super().__init__(0.0, 0.0, 0, 0)

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):  # noqa: ANN001
        return raw_results


class PiiScrubber:
    """Finds and replaces PII in ASR text; build once per process (see the pairs resource)."""

    def __init__(self, options: PiiOptions | None = None) -> None:
        self.options = options or PiiOptions()
        self._recognizers = default_recognizers()
        # Its spans are needed before the analyzer runs: the names a text introduces.
        self._titled = next(r for r in self._recognizers if isinstance(r, TitledNameRecognizer))
        registry = RecognizerRegistry(
            recognizers=list(self._recognizers), supported_languages=["en"]
        )
        if self.options.ner_model_path:
            nlp_engine = _spacy_engine(self.options.ner_model_path)
            registry.add_nlp_recognizer(nlp_engine)
        else:
            nlp_engine = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
        self.engine = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=["en"],
            context_aware_enhancer=_NoContextEnhancer(),
            default_score_threshold=self.options.min_score,
        )
        self._names_cache: dict[tuple[tuple[str, ...], tuple[str, ...]],
                                NameListRecognizer | None] = {}

    @property
    def uses_ner(self) -> bool:
        return bool(self.options.ner_model_path)

    def _names_recognizer(
        self, names: Sequence[str], found: Sequence[str] = ()
    ) -> NameListRecognizer | None:
        listed = tuple(sorted({n.strip() for n in [*self.options.names, *names]
                               if n and n.strip()}))
        key = (listed, tuple(sorted({n.strip() for n in found if n and n.strip()})))
        if key not in self._names_cache:
            if len(self._names_cache) > 256:  # one entry per video; bound the memory
                self._names_cache.clear()
            self._names_cache[key] = (
                NameListRecognizer(key[0], name="MetadataNames", found=key[1])
                if key[0] or key[1] else None
            )
        return self._names_cache[key]

    def names_in(self, texts: Iterable[str | None]) -> list[str]:
        """Person names the transcript itself gives (an introduction, a relation, an
        honorific; with NER, every PERSON it finds), to pass as ``found_names`` when scrubbing
        the same video: a name said once with a cue is redacted wherever it is said again."""
        texts = [t for t in texts if isinstance(t, str) and t]
        found = dict.fromkeys(names_in(texts))
        if self.uses_ner:
            for text in dict.fromkeys(texts):
                for result in self.engine.analyze(text=text, language="en", entities=["PERSON"]):
                    found.setdefault(text[result.start:result.end], None)
        return list(found)

    def analyze(
        self, text: str, names: Sequence[str] = (), found_names: Sequence[str] = ()
    ) -> list[RecognizerResult]:
        """Presidio results for ``text``, overlaps resolved (longest span wins)."""
        if not text:
            return []
        words = words_of(text)
        titled = self._titled
        cue = titled.might_match(text, words)
        if cue:
            # A name the text itself introduces counts everywhere in it ("I'm Sarah by the
            # way, Sarah Collins"); only worth a recogniser when it is said again.
            lowered = text.lower()
            again = [n for n in names_in([text]) if lowered.count(n.split()[0].lower()) > 1]
            if again:
                found_names = [*found_names, *again]
        names_recognizer = self._names_recognizer(names, found_names)
        recognizers: list[RegexRecognizer] = list(self._recognizers)
        if names_recognizer is not None:
            recognizers.append(names_recognizer)
        if self.options.prefilter and not self.uses_ner:
            recognizers = [r for r in recognizers
                           if (cue if r is titled else r.might_match(text, words))]
            if not recognizers:
                return []
            entities = sorted({r.ENTITY for r in recognizers})
        else:
            entities = None
        results = self.engine.analyze(
            text=text,
            language="en",
            entities=entities,
            ad_hoc_recognizers=[names_recognizer] if names_recognizer is not None else None,
        )
        return _resolve_overlaps(r for r in results if r.entity_type in PLACEHOLDERS)

    def scrub(
        self, text: str | None, names: Sequence[str] = (), found_names: Sequence[str] = ()
    ) -> ScrubResult:
        """Replace PII in ``text`` with typed placeholders.

        Args:
            text: One utterance or turn as the ASR wrote it (``None`` is treated as "").
            names: Person names known for this video (see :func:`names_from_metadata`).
            found_names: Names found in the video's own transcript (see :meth:`names_in`).

        Returns:
            The scrubbed text and the entity type of each replacement.
        """
        text = text or ""
        results = self.analyze(text, names, found_names)
        if not results:
            return ScrubResult(text)
        pieces, cursor = [], 0
        for result in results:
            pieces.append(text[cursor:result.start])
            pieces.append(PLACEHOLDERS[result.entity_type])
            cursor = result.end
        pieces.append(text[cursor:])
        return ScrubResult("".join(pieces), tuple(r.entity_type for r in results))


def default_recognizers() -> list[RegexRecognizer]:
    """The pattern recognisers every scrubber runs (names from metadata are added per video)."""
    return [
        AsrPhoneRecognizer(),
        LongNumberRecognizer(),
        AsrEmailRecognizer(),
        AsrUrlRecognizer(),
        SocialHandleRecognizer(),
        AsrAddressRecognizer(),
        PlaceRecognizer(),
        CityRecognizer(),
        NamedPlaceRecognizer(),
        AsrDobRecognizer(),
        TitledNameRecognizer(),
        GivenNameRecognizer(),
        SpelledNameRecognizer(),
        PhoneExtensionRecognizer(),
        SpokenPostcodeRecognizer(),
        StatedIdRecognizer(),
        SpokenDobRecognizer(),
        HandleCueRecognizer(),
        ProviderEmailRecognizer(),
    ]


def _resolve_overlaps(results: Iterable[RecognizerResult]) -> list[RecognizerResult]:
    """One result per group of overlapping results, covering all of them (so no fragment of a
    shorter find is left: "7 Rosewood Close, Leeds LS" and "LS6 2AB" become one address),
    typed as its longest member (then the highest score)."""
    merged: list[list[RecognizerResult]] = []
    for result in sorted(results, key=lambda r: (r.start, -r.end)):
        if merged and result.start < max(r.end for r in merged[-1]):
            merged[-1].append(result)
        else:
            merged.append([result])
    kept = []
    for group in merged:
        best = min(group, key=lambda r: (-(r.end - r.start), -r.score, r.start, r.entity_type))
        end = max(r.end for r in group)
        kept.append(RecognizerResult(best.entity_type, group[0].start, end, best.score,
                                     best.analysis_explanation, best.recognition_metadata))
    return kept


def _spacy_engine(model_path: str):
    """Presidio's spaCy engine on a local pipeline folder (never a model name to download)."""
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

    path = Path(model_path).expanduser()
    if not (path / "meta.json").is_file() and not (path / "config.cfg").is_file():
        raise FileNotFoundError(
            f"PII NER model path {model_path!r} is not a spaCy pipeline folder (no config.cfg "
            "or meta.json). Point ner_model_path at a folder saved with nlp.to_disk() or an "
            "installed model's data folder, or leave it unset for pattern-only scrubbing."
        )
    config = NerModelConfiguration(
        model_to_presidio_entity_mapping={"PERSON": "PERSON", "PER": "PERSON"},
        labels_to_ignore=[],
    )
    engine = SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": str(path)}], ner_model_configuration=config
    )
    engine.load()
    return engine


def count_entities(entities: Iterable[str]) -> dict[str, int]:
    """Placeholder counts, e.g. ``{"[PHONE]": 1, "[NAME]": 2}`` (sorted for stable output)."""
    counts = Counter(PLACEHOLDERS.get(e, e) for e in entities)
    return dict(sorted(counts.items()))


__all__ = [
    "PiiOptions",
    "PiiScrubber",
    "RegexRecognizer",
    "ScrubResult",
    "count_entities",
    "looks_like_person",
    "names_from_metadata",
]
