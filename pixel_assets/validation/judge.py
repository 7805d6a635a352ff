"""LLM judge over the OpenAI-compatible chat API (vLLM, Ollama, llama.cpp server, hosted).

One request per exchange: temperature 0, the versioned rubric in ``rubrics/`` as the system
and user messages, JSON mode. The answer is validated with pydantic (:class:`JudgeScores`).

Failure handling, so a judge problem is never a silent pass:

- HTTP 429, 5xx and timeouts are retried with exponential backoff and jitter (tenacity), up to
  ``max_retries`` times; any other HTTP error (400, 401, 404…) fails at once.
- An answer that is not valid JSON or misses a field, and a request that still fails after
  the retries, give a :class:`JudgeVerdict` with ``scores = None``, the raw output kept and the
  error named; the scoring step turns it into ``passed = false`` with reason ``judge_failed``.
- Valid answers are cached by (rubric version, model, content hash), so re-materialising a
  video does not call the model again. Failures are not cached: the next run retries them.

Requests run on a thread pool of ``concurrency`` workers (bounded concurrency: a local model
server serves a few requests at a time well, and a hosted one rate-limits).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, Protocol

import httpx
from pydantic import BaseModel, Field, ValidationError
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

DEFAULT_RUBRIC = "exchange-v1"
ROLES_RUBRIC = "roles-v1"


class JudgeScores(BaseModel):
    """The judge's answer for one exchange (each score 0..1)."""

    empathy: float = Field(ge=0, le=1)
    appropriateness: float = Field(ge=0, le=1)
    authenticity: float = Field(ge=0, le=1)
    naturalness: float = Field(ge=0, le=1)
    overall: float = Field(ge=0, le=1)
    crisis: bool = False
    rationale: str = Field(default="", max_length=4000)


class JudgeRoles(BaseModel):
    """The judge's answer on speaker roles."""

    roles: dict[str, str]
    rationale: str = ""


@dataclass(frozen=True)
class Rubric:
    """A versioned prompt: ``version`` is the file name (``exchange-v1``)."""

    version: str
    system: str
    user: Template

    def messages(self, **values: str) -> list[dict[str, str]]:
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.user.safe_substitute(values)},
        ]


@cache
def load_rubric(version: str = DEFAULT_RUBRIC) -> Rubric:
    """Load ``rubrics/<version>.md`` from the package (``## system`` / ``## user`` parts).

    Raises:
        FileNotFoundError: naming the rubrics available.
    """
    folder = resources.files("pixel_assets.validation") / "rubrics"
    source = folder / f"{version}.md"
    if not source.is_file():
        known = sorted(
            p.name.removesuffix(".md") for p in folder.iterdir() if p.name.endswith(".md")
        )
        raise FileNotFoundError(f"judge rubric {version!r} not found; available: {known}.")
    text = re.sub(r"<!--.*?-->", "", source.read_text(encoding="utf-8"), flags=re.S)
    parts = re.split(r"^## (system|user)\s*$", text, flags=re.M)
    sections = dict(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))
    if set(sections) != {"system", "user"}:
        raise ValueError(f"judge rubric {version!r} needs a '## system' and a '## user' part.")
    return Rubric(version, sections["system"], Template(sections["user"]))


class JudgeCache(Protocol):
    """Where valid answers are kept (by key); see :class:`DirectoryCache`, :class:`StorageCache`."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str) -> None: ...


@dataclass
class DirectoryCache:
    """Answers as JSON files in a local folder."""

    directory: Path

    def _path(self, key: str) -> Path:
        return Path(self.directory) / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        path = self._path(key)
        return path.read_text(encoding="utf-8") if path.exists() else None

    def put(self, key: str, value: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(value, encoding="utf-8")
        tmp.replace(path)


@dataclass
class StorageCache:
    """Answers under the storage root (local or S3): ``cache/judge/<key>.json``.

    ``storage`` is a :class:`pixel_assets.warehouse.storage.Storage` (``path``,
    ``write_bytes``).
    """

    storage: Any
    prefix: str = "cache/judge"

    def get(self, key: str) -> str | None:
        path = self.storage.path(self.prefix, key[:2], f"{key}.json")
        return path.read_text(encoding="utf-8") if path.exists() else None

    def put(self, key: str, value: str) -> None:
        self.storage.write_bytes(value.encode("utf-8"), self.prefix, key[:2], f"{key}.json")


@dataclass(frozen=True)
class JudgeOptions:
    """How to reach the judge model.

    Attributes:
        base_url: OpenAI-compatible API root, e.g. ``http://localhost:8000/v1`` (vLLM),
            ``http://localhost:11434/v1`` (Ollama), ``https://api.openai.com/v1``.
        model: Model name as the server knows it.
        api_key: Bearer token (None for local servers that need none).
        timeout_s: Per-request timeout.
        concurrency: Requests in flight at once.
        max_retries: Retries after the first try, on 429/5xx/timeouts only.
        backoff_initial_s: First backoff; doubles per retry (with jitter) up to
            ``backoff_max_s``.
        backoff_max_s: Longest wait between tries.
        max_tokens: Answer length limit.
        json_mode: Send ``response_format: json_object`` (all of vLLM, Ollama, llama.cpp
            and OpenAI accept it); turn off for servers that reject the field.
        rubric: Rubric version used for exchanges.
    """

    base_url: str
    model: str
    api_key: str | None = None
    timeout_s: float = 60.0
    concurrency: int = 4
    max_retries: int = 3
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 8.0
    max_tokens: int = 400
    json_mode: bool = True
    rubric: str = DEFAULT_RUBRIC

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError(f"JudgeOptions.concurrency must be >= 1, got {self.concurrency}.")
        if self.max_retries < 0:
            raise ValueError(f"JudgeOptions.max_retries must be >= 0, got {self.max_retries}.")


@dataclass(frozen=True)
class JudgeVerdict:
    """One exchange's judge result: ``scores`` is None when the judge failed."""

    scores: JudgeScores | None
    raw: str | None
    error: str | None
    cached: bool
    model: str
    rubric_version: str
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return self.scores is not None


class JudgeRequestError(RuntimeError):
    """A request that failed for good (after retries, or not retryable)."""

    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, httpx.TimeoutException):
        return True
    if isinstance(exc, httpx.HTTPStatusError):
        code = exc.response.status_code
        return code == 429 or code >= 500
    return False


def _extract_json(content: str) -> str:
    """The JSON object in an answer (models sometimes wrap it in a code fence or prose)."""
    fenced = re.search(r"```(?:json)?\s*(\{.*?\})\s*```", content, flags=re.S)
    if fenced:
        return fenced.group(1)
    start, end = content.find("{"), content.rfind("}")
    return content[start : end + 1] if start != -1 and end > start else content


def format_context(context: Sequence[Mapping[str, Any]] | None) -> str:
    """Context turns as ``Role: text`` lines for the prompt."""
    lines = []
    for turn in list(context if context is not None else []):
        role = str(turn.get("role") or "other").capitalize()
        lines.append(f"{role}: {turn.get('text', '')}")
    return "\n".join(lines) or "(start of the session)"


class JudgeClient:
    """Scores exchanges with an OpenAI-compatible chat model (thread-safe).

    Args:
        options: Endpoint, model and limits.
        cache: Where valid answers are cached (None: no cache).
        transport: An httpx transport (tests and benchmarks may pass one; None = network).
    """

    def __init__(
        self,
        options: JudgeOptions,
        cache: JudgeCache | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.options = options
        self.cache = cache
        headers = {"Content-Type": "application/json"}
        if options.api_key:
            headers["Authorization"] = f"Bearer {options.api_key}"
        self._http = httpx.Client(
            base_url=options.base_url.rstrip("/") + "/",
            headers=headers,
            timeout=httpx.Timeout(options.timeout_s),
            limits=httpx.Limits(max_connections=options.concurrency * 2),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> JudgeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- requests
    def cache_key(self, rubric: Rubric, messages: list[dict[str, str]]) -> str:
        content = json.dumps(messages, sort_keys=True, ensure_ascii=False)
        key = f"{rubric.version}\x1f{self.options.model}\x1f{content}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    def _post(self, messages: list[dict[str, str]]) -> tuple[str, int]:
        body: dict[str, Any] = {
            "model": self.options.model,
            "messages": messages,
            "temperature": 0,
            "max_tokens": self.options.max_tokens,
        }
        if self.options.json_mode:
            body["response_format"] = {"type": "json_object"}
        attempts = 0
        retrying = Retrying(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(self.options.max_retries + 1),
            wait=wait_exponential_jitter(
                initial=self.options.backoff_initial_s, max=self.options.backoff_max_s
            ),
            reraise=False,
        )
        try:
            for attempt in retrying:
                with attempt:
                    attempts += 1
                    response = self._http.post("chat/completions", json=body)
                    response.raise_for_status()
        except RetryError as exc:
            last = exc.last_attempt.exception()
            raise JudgeRequestError(
                f"{self._describe(last)} after {attempts} attempts", attempts
            ) from last
        except httpx.HTTPStatusError as exc:
            raise JudgeRequestError(
                f"{self._describe(exc)} (not retried: check the judge's base_url, model "
                "name and API key)",
                attempts,
            ) from exc
        except httpx.HTTPError as exc:
            raise JudgeRequestError(self._describe(exc), attempts) from exc
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            # Not a chat completion: keep the whole body as the raw answer; parsing it as
            # scores fails and names the problem.
            return response.text, attempts
        return str(content or ""), attempts

    def _describe(self, exc: BaseException | None) -> str:
        where = f"{self.options.base_url} ({self.options.model})"
        if isinstance(exc, httpx.HTTPStatusError):
            return f"judge {where}: HTTP {exc.response.status_code} {exc.response.text[:200]!r}"
        if isinstance(exc, httpx.TimeoutException):
            return f"judge {where}: timed out after {self.options.timeout_s:g} s"
        return f"judge {where}: {type(exc).__name__}: {exc}"

    def ask(
        self, rubric: Rubric, values: Mapping[str, str], schema: type[BaseModel]
    ) -> tuple[BaseModel | None, str | None, str | None, bool, int]:
        """Send one rubric request: ``(parsed, raw, error, cached, attempts)``."""
        messages = rubric.messages(**values)
        key = self.cache_key(rubric, messages)
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                try:
                    return schema.model_validate_json(_extract_json(hit)), hit, None, True, 0
                except ValidationError:
                    pass  # a cache entry from an older schema: ask again
        try:
            raw, attempts = self._post(messages)
        except JudgeRequestError as exc:
            return None, None, str(exc), False, exc.attempts
        try:
            parsed = schema.model_validate_json(_extract_json(raw))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}" for e in exc.errors()
            )
            return None, raw, f"unparseable judge answer ({problems[:300]})", False, attempts
        if self.cache is not None:
            self.cache.put(key, raw)
        return parsed, raw, None, False, attempts

    # ----------------------------------------------------------------- public
    def judge(self, exchange: Mapping[str, Any]) -> JudgeVerdict:
        """Score one exchange (``prompt_text``, ``response_text``, ``context``)."""
        rubric = load_rubric(self.options.rubric)
        values = {
            "context": format_context(exchange.get("context")),
            "prompt": str(exchange.get("prompt_text") or ""),
            "response": str(exchange.get("response_text") or ""),
        }
        parsed, raw, error, cached, attempts = self.ask(rubric, values, JudgeScores)
        return JudgeVerdict(
            scores=parsed if isinstance(parsed, JudgeScores) else None,
            raw=raw,
            error=error,
            cached=cached,
            model=self.options.model,
            rubric_version=rubric.version,
            attempts=attempts,
        )

    def judge_many(self, exchanges: Sequence[Mapping[str, Any]]) -> list[JudgeVerdict]:
        """Score exchanges with at most ``concurrency`` requests in flight, in input order."""
        if not exchanges:
            return []
        workers = min(self.options.concurrency, len(exchanges))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="judge") as pool:
            return list(pool.map(self.judge, exchanges))

    def judge_roles(
        self, turns: Sequence[Mapping[str, Any]], max_turns: int = 40
    ) -> dict[str, str]:
        """Ask the judge who is the counsellor: ``speaker -> role`` (empty dict on failure)."""
        rubric = load_rubric(ROLES_RUBRIC)
        lines = [
            f"[{t.get('speaker') or 'UNKNOWN'}] {t.get('text', '')}" for t in turns[:max_turns]
        ]
        parsed, _raw, _error, _cached, _ = self.ask(
            rubric, {"transcript": "\n".join(lines)}, JudgeRoles
        )
        if not isinstance(parsed, JudgeRoles):
            return {}
        allowed = {"counsellor", "counselor", "therapist", "client", "patient", "other"}
        canon = {"counselor": "counsellor", "therapist": "counsellor", "patient": "client"}
        return {
            str(s): canon.get(r.lower(), r.lower())
            for s, r in parsed.roles.items()
            if r.lower() in allowed
        }
