"""Pairs and export settings, and the PII scrubber (built once per process and configuration).

The sentence embedder the pairs are embedded with (for near-duplicate search) is the features
stage's :class:`~pixel_assets.resources.features.EmbedderResource` (all-MiniLM-L6-v2 offline by
default): ``select_pairs(..., embed=embedder.get_embedder().encode)``.
"""

from __future__ import annotations

from functools import cache

import dagster as dg
from pydantic import Field

from pixel_assets.export.chat import DEFAULT_SYSTEM_PROMPT
from pixel_assets.export.writer import FORMATS, ExportOptions
from pixel_assets.pairs.balance import BalanceOptions
from pixel_assets.pairs.dataset import DatasetOptions
from pixel_assets.pairs.dedup import DedupOptions
from pixel_assets.pairs.select import PairOptions
from pixel_assets.pairs.splits import SplitOptions

_B = BalanceOptions()
_D = DedupOptions()
_S = SplitOptions()


@cache
def _scrubber(names: tuple[str, ...], ner_model_path: str | None, min_score: float):
    from pixel_assets.pairs.pii import PiiOptions, PiiScrubber  # presidio imports torch

    return PiiScrubber(PiiOptions(names=names, ner_model_path=ner_model_path,
                                  min_score=min_score))


class PairsResource(dg.ConfigurableResource):
    """Which exchanges become pairs, how PII is scrubbed, how the dataset is built and exported."""

    exclude_outliers: bool = Field(False, description="withhold exchanges flagged in outliers")
    min_overall: float | None = Field(None, description="extra bar on the scorer's overall")
    pii_names: list[str] = Field(default_factory=list,
                                 description="names always redacted, besides metadata names")
    pii_ner_model_path: str | None = Field(
        None, description="local spaCy pipeline folder for PERSON NER (None: patterns only)")
    pii_min_score: float = Field(0.5, description="presidio score below which finds are ignored")
    near_duplicate_cosine: float | None = Field(
        _D.near_duplicate_cosine, description="embedding cosine for near-duplicates (None: off)")
    max_per_video: int | None = Field(_B.max_per_video, description="pairs per video")
    max_per_counsellor: int | None = Field(_B.max_per_counsellor,
                                           description="pairs per counsellor global speaker")
    max_per_emotion: int | None = Field(_B.max_per_emotion, description="pairs per emotion")
    max_emotion_share: float | None = Field(_B.max_emotion_share,
                                            description="largest share of one prompt emotion")
    train: float = Field(_S.train, description="train share")
    validation: float = Field(_S.validation, description="validation share")
    test: float = Field(_S.test, description="test share")
    export_formats: list[str] = Field(default_factory=lambda: list(FORMATS),
                                      description="jsonl, csv, parquet, duckdb")
    system_prompt: str = Field(DEFAULT_SYSTEM_PROMPT, description="system message of records")

    def get_scrubber(self):
        """The PII scrubber, built once per process and configuration."""
        return _scrubber(tuple(self.pii_names), self.pii_ner_model_path, self.pii_min_score)

    def pair_options(self) -> PairOptions:
        return PairOptions(exclude_outliers=self.exclude_outliers, min_overall=self.min_overall)

    def dataset_options(self) -> DatasetOptions:
        return DatasetOptions(
            dedup=DedupOptions(near_duplicate_cosine=self.near_duplicate_cosine),
            balance=BalanceOptions(self.max_per_video, self.max_per_counsellor,
                                   self.max_per_emotion, self.max_emotion_share),
            split=SplitOptions(self.train, self.validation, self.test),
        )

    def export_options(self) -> ExportOptions:
        return ExportOptions(formats=tuple(self.export_formats), system_prompt=self.system_prompt)
