"""One rules engine: threshold rules → pass/fail per row → machine-readable reasons.

Every filter in the pipeline (video audio QC, segments, transcripts, exchange validation,
pairs) states its thresholds as :class:`Rule` objects and calls :func:`apply_rules`. Each row
gets ``passed`` and ``reasons``: a list of ``{rule, column, measured, threshold}`` records, one
per failed rule, in rule order; :func:`render_reasons` turns them into the text the UI shows
(``"snr_db 4.2 < min_snr_db 10.0"``). No row is ever dropped: the caller splits on ``passed``.

In SQL: ``list_contains(list_transform(reasons, lambda r: r.rule), 'min_snr_db')``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

Op = Literal["ge", "le", "gt", "lt", "isin", "notin", "true", "false"]

# How a failure reads: the comparison the value broke.
_FAILED_AS = {"ge": "<", "le": ">", "gt": "<=", "lt": ">=", "isin": "not in", "notin": "in",
              "true": "is not", "false": "is not"}


@dataclass(frozen=True)
class Rule:
    """A condition every kept row meets.

    Attributes:
        name: What users query and see (``min_snr_db``); unique within a rule set.
        column: The measured column.
        op: ``ge``/``le``/``gt``/``lt`` against a number, ``isin``/``notin`` a collection,
            ``true``/``false`` for a flag (threshold ignored).
        threshold: The bar; ``None`` disables the rule.
        null_passes: A value that was not measured (null/NaN) passes; set False where a
            missing measurement must reject (e.g. an unparseable judge answer).
        digits: Decimals when rendering numbers.
    """

    name: str
    column: str
    op: Op
    threshold: Any = None
    null_passes: bool = True
    digits: int = 2

    @property
    def enabled(self) -> bool:
        return self.op in ("true", "false") or self.threshold is not None

    def passes(self, values: pd.Series) -> pd.Series:
        """Boolean mask of the values meeting the rule (nulls as ``null_passes`` says)."""
        null = values.isna()
        if self.op in ("isin", "notin"):
            allowed = list(self.threshold)
            inside = values.isin(allowed)
            ok = inside if self.op == "isin" else ~inside
        elif self.op in ("true", "false"):
            flag = values.fillna(False).astype(bool)
            ok = flag if self.op == "true" else ~flag
        else:
            numeric = pd.to_numeric(values, errors="coerce")
            compare = {"ge": numeric.ge, "le": numeric.le, "gt": numeric.gt, "lt": numeric.lt}
            ok = compare[self.op](self.threshold)
        return (ok & ~null) | (null & self.null_passes)

    def render_value(self, value: Any) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "null"
        if isinstance(value, bool | np.bool_):
            return str(bool(value)).lower()
        if isinstance(value, int | float | np.integer | np.floating):
            return f"{float(value):.{self.digits}f}"
        return str(value)

    def render_threshold(self) -> str:
        if self.op in ("true", "false"):
            return self.op
        if isinstance(self.threshold, list | tuple | set | frozenset):
            return "[" + ", ".join(str(v) for v in self.threshold) + "]"
        return self.render_value(self.threshold)

    def reason(self, value: Any) -> dict[str, str]:
        return {
            "rule": self.name,
            "column": self.column,
            "measured": self.render_value(value),
            "threshold": self.render_threshold(),
        }

    def explain(self, reason: dict[str, str]) -> str:
        if self.op in ("true", "false"):
            return f"{self.column} is {reason['measured']} ({self.name})"
        return (
            f"{self.column} {reason['measured']} {_FAILED_AS[self.op]} {self.name} "
            f"{reason['threshold']}"
        )


@dataclass(frozen=True)
class RuleSet:
    """Rules applied together, in the order reasons are listed."""

    rules: tuple[Rule, ...]

    def __post_init__(self) -> None:
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names):
            raise ValueError(f"RuleSet: duplicate rule names in {names}")

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> RuleSet:
        return cls(tuple(rules))

    def by_name(self) -> dict[str, Rule]:
        return {r.name: r for r in self.rules}

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``frame`` with ``passed`` (bool) and ``reasons`` (list of dicts).

        Raises:
            KeyError: a rule's column is missing, naming the rule and the columns present.
        """
        out = frame.copy()
        reasons: list[list[dict[str, str]]] = [[] for _ in range(len(frame))]
        for rule in self.rules:
            if not rule.enabled:
                continue
            if rule.column not in frame.columns:
                raise KeyError(
                    f"rule {rule.name!r} needs column {rule.column!r}, which is not among "
                    f"{list(frame.columns)}"
                )
            values = frame[rule.column]
            failing = np.flatnonzero(~rule.passes(values).to_numpy(dtype=bool))
            for position in failing:
                reasons[position].append(rule.reason(values.iloc[position]))
        out["reasons"] = pd.Series(reasons, index=frame.index, dtype=object)
        out["passed"] = pd.Series([not r for r in reasons], index=frame.index, dtype=bool)
        return out

    def split(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``(kept, rejected)``: every input row is in exactly one, both with reasons."""
        judged = self.apply(frame)
        return judged[judged["passed"]], judged[~judged["passed"]]

    def render(self, reasons: Sequence[dict[str, str]] | None) -> str:
        """One line for people: ``"snr_db 4.2 < min_snr_db 10.00; ..."`` ("" when none)."""
        known = self.by_name()
        parts = []
        for reason in list(reasons if reasons is not None else []):
            rule = known.get(reason["rule"])
            parts.append(rule.explain(reason) if rule else f"{reason['rule']} failed")
        return "; ".join(parts)


def render_reasons(reasons: Sequence[dict[str, str]] | None) -> str:
    """Render stored reasons without the rule set (from the stored fields alone)."""
    return "; ".join(
        f"{r['column']} {r['measured']} fails {r['rule']} {r['threshold']}"
        for r in list(reasons if reasons is not None else [])
    )


def reason_counts(reasons: pd.Series) -> dict[str, int]:
    """How many rows each rule rejected (a row failing two rules counts for both)."""
    counts: dict[str, int] = {}
    for row in reasons:
        for reason in list(row if row is not None else []):
            counts[reason["rule"]] = counts.get(reason["rule"], 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
