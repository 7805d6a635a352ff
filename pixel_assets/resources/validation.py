"""Validation resources: the LLM ``judge`` and the exchange validation settings.

The judge speaks the OpenAI-compatible chat API, so the same resource reaches a vLLM,
Ollama or llama.cpp server on the GPU box or a hosted provider. Give the key as an env var::

    JudgeResource(base_url="http://gpu-box:8000/v1", model="Qwen/Qwen2.5-7B-Instruct",
                  api_key=dg.EnvVar("PIXEL_JUDGE_API_KEY"))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import Field

from pixel_assets.dialogue.exchanges import ExchangeOptions
from pixel_assets.dialogue.roles import RoleOptions
from pixel_assets.dialogue.turns import TurnOptions
from pixel_assets.validation.judge import (
    DEFAULT_RUBRIC,
    DirectoryCache,
    JudgeClient,
    JudgeOptions,
    StorageCache,
)
from pixel_assets.validation.scoring import ScoreThresholds, ScoringOptions

_J = JudgeOptions(base_url="", model="")
_T = ScoreThresholds()


class JudgeResource(dg.ConfigurableResource):
    """An OpenAI-compatible chat model that scores exchanges (and, optionally, roles).

    Answers are cached by (rubric version, model, content hash) under the storage root
    (``cache/judge/``) or ``cache_dir``, so re-materialising does not call the model again.
    """

    base_url: str = Field(
        "http://127.0.0.1:8000/v1",
        description="API root: vLLM :8000/v1, Ollama :11434/v1, llama.cpp :8080/v1, or hosted",
    )
    model: str = Field("judge", description="model name as the server knows it")
    api_key: str | None = Field(
        None, description="bearer token; pass dg.EnvVar('PIXEL_JUDGE_API_KEY'), never a literal"
    )
    timeout_s: float = Field(_J.timeout_s, description="per-request timeout (s)")
    concurrency: int = Field(_J.concurrency, description="requests in flight at once")
    max_retries: int = Field(_J.max_retries, description="retries on 429/5xx/timeouts only")
    backoff_initial_s: float = Field(_J.backoff_initial_s, description="first retry wait (s)")
    backoff_max_s: float = Field(_J.backoff_max_s, description="longest retry wait (s)")
    max_tokens: int = Field(_J.max_tokens, description="answer length limit")
    json_mode: bool = Field(_J.json_mode, description="send response_format json_object")
    rubric: str = Field(DEFAULT_RUBRIC, description="rubric file in validation/rubrics/")
    cache_dir: str | None = Field(
        None, description="local answer cache; None = cache/judge/ under the storage root"
    )

    def options(self) -> JudgeOptions:
        return JudgeOptions(
            base_url=self.base_url,
            model=self.model,
            api_key=self.api_key,
            timeout_s=self.timeout_s,
            concurrency=self.concurrency,
            max_retries=self.max_retries,
            backoff_initial_s=self.backoff_initial_s,
            backoff_max_s=self.backoff_max_s,
            max_tokens=self.max_tokens,
            json_mode=self.json_mode,
            rubric=self.rubric,
        )

    def get_client(self, storage: Any | None = None) -> JudgeClient:
        """A client (close it after use); ``storage`` hosts the cache unless ``cache_dir``."""
        if self.cache_dir:
            cache = DirectoryCache(Path(self.cache_dir))
        elif storage is not None:
            cache = StorageCache(storage)
        else:
            cache = None
        return JudgeClient(self.options(), cache=cache)


class ValidationResource(dg.ConfigurableResource):
    """Dialogue construction and exchange validation settings."""

    scorer: str = Field("offline", description="offline | llm | both (both must pass)")
    judge_roles: bool = Field(
        False, description="ask the judge for speaker roles (the video list still wins)"
    )
    max_turn_gap_s: float = Field(TurnOptions().max_gap_s, description="max pause in a turn")
    min_talk_share: float = Field(
        RoleOptions().min_talk_share, description="talk share to count as a participant"
    )
    context_turns: int = Field(ExchangeOptions().context_turns, description="k context turns")
    max_judge_failure_rate: float = Field(
        0.2, description="blocking check: most of a video's exchanges the judge may fail"
    )
    min_empathy: float | None = Field(_T.min_empathy, description="offline bar")
    min_appropriateness: float | None = Field(_T.min_appropriateness, description="offline bar")
    max_toxicity: float | None = Field(_T.max_toxicity, description="offline bar")
    max_unsolicited_directives: float | None = Field(
        _T.max_unsolicited_directives, description="offline bar"
    )
    min_authenticity: float | None = Field(_T.min_authenticity, description="offline bar")
    min_naturalness: float | None = Field(_T.min_naturalness, description="offline bar")
    min_overall: float | None = Field(_T.min_overall, description="offline bar")
    judge_min_empathy: float | None = Field(_T.judge_min_empathy, description="judge bar")
    judge_min_appropriateness: float | None = Field(
        _T.judge_min_appropriateness, description="judge bar"
    )
    judge_min_overall: float | None = Field(_T.judge_min_overall, description="judge bar")

    def turn_options(self) -> TurnOptions:
        return TurnOptions(max_gap_s=self.max_turn_gap_s)

    def role_options(self) -> RoleOptions:
        return RoleOptions(min_talk_share=self.min_talk_share)

    def exchange_options(self) -> ExchangeOptions:
        return ExchangeOptions(context_turns=self.context_turns)

    def scoring_options(self) -> ScoringOptions:
        thresholds = ScoreThresholds(
            **{name: getattr(self, name) for name in ScoreThresholds.__dataclass_fields__}
        )
        return ScoringOptions(scorer=self.scorer, thresholds=thresholds)  # type: ignore[arg-type]
