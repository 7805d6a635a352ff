"""The LLM judge against a scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
from judge_server import Reply, ScriptedJudgeServer, scores_json, sequence

from pixel_assets.validation.judge import (
    DirectoryCache,
    JudgeClient,
    JudgeOptions,
    StorageCache,
    load_rubric,
)
from pixel_assets.validation.scoring import ScoringOptions, judge_failure_rate, score_exchanges
from pixel_assets.warehouse.storage import Storage

EXCHANGE = {
    "exchange_id": "0" * 20,
    "video_id": "vid",
    "prompt_text": "I lost my job and I feel like I failed my family.",
    "response_text": "It sounds like you feel ashamed. How has that been for you?",
    "context": [{"turn_index": 0, "speaker": "A", "role": "counsellor",
                 "text": "What brings you here today?"}],
}


def options(url: str, **kw) -> JudgeOptions:
    base = {"base_url": url, "model": "test-judge", "timeout_s": 5.0, "max_retries": 2,
            "backoff_initial_s": 0.01, "backoff_max_s": 0.05}
    return JudgeOptions(**{**base, **kw})


def test_valid_json_is_parsed_with_temperature_zero_and_the_rubric(tmp_path: Path):
    with ScriptedJudgeServer(sequence(Reply(content=scores_json(empathy=0.9)))) as server:
        with JudgeClient(options(server.url, api_key="sk-test")) as client:
            verdict = client.judge(EXCHANGE)
    assert verdict.ok and verdict.error is None
    assert verdict.scores.empathy == 0.9
    assert verdict.rubric_version == "exchange-v1"
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["json"]["temperature"] == 0
    assert request["json"]["model"] == "test-judge"
    assert request["authorization"] == "Bearer sk-test"
    system, user = request["json"]["messages"]
    assert system["content"] == load_rubric().system
    assert EXCHANGE["prompt_text"] in user["content"]
    assert "Counsellor: What brings you here today?" in user["content"]


def test_answer_in_a_code_fence_is_accepted():
    fenced = "Here you go:\n```json\n" + scores_json(overall=0.7) + "\n```"
    with ScriptedJudgeServer(sequence(Reply(content=fenced))) as server:
        with JudgeClient(options(server.url)) as client:
            assert client.judge(EXCHANGE).scores.overall == 0.7


@pytest.mark.parametrize(
    "content",
    ["The reply is empathic, I'd give it 0.8.", '{"empathy": 0.9, "overall": 1.7}',
     '{"empathy": "high"'],
    ids=["prose", "out_of_range_and_missing", "truncated"],
)
def test_malformed_answers_fail_with_raw_output_kept(content: str):
    with ScriptedJudgeServer(sequence(Reply(content=content))) as server:
        with JudgeClient(options(server.url)) as client:
            verdict = client.judge(EXCHANGE)
        assert server.calls == 1  # a malformed answer is not retried (temperature 0)
    assert not verdict.ok and verdict.scores is None
    assert verdict.raw == content
    assert "unparseable" in verdict.error


def test_429_then_200_is_retried():
    script = sequence(Reply(status=429, headers={"Retry-After": "0"}),
                      Reply(content=scores_json()))
    with ScriptedJudgeServer(script) as server:
        with JudgeClient(options(server.url)) as client:
            verdict = client.judge(EXCHANGE)
        assert server.calls == 2
    assert verdict.ok and verdict.attempts == 2


def test_500_every_time_fails_after_the_retries():
    with ScriptedJudgeServer(sequence(Reply(status=500))) as server:
        with JudgeClient(options(server.url, max_retries=2)) as client:
            verdict = client.judge(EXCHANGE)
        assert server.calls == 3  # first try + 2 retries
    assert not verdict.ok and verdict.raw is None
    assert "HTTP 500" in verdict.error and "after 3 attempts" in verdict.error


def test_400_is_not_retried():
    with ScriptedJudgeServer(sequence(Reply(status=400))) as server:
        with JudgeClient(options(server.url)) as client:
            verdict = client.judge(EXCHANGE)
        assert server.calls == 1
    assert "HTTP 400" in verdict.error and "not retried" in verdict.error


def test_timeout_is_retried_then_fails():
    with ScriptedJudgeServer(sequence(Reply(content=scores_json(), delay_s=1.0))) as server:
        with JudgeClient(options(server.url, timeout_s=0.2, max_retries=1)) as client:
            started = time.perf_counter()
            verdict = client.judge(EXCHANGE)
            elapsed = time.perf_counter() - started
        assert server.calls == 2
    assert not verdict.ok and "timed out" in verdict.error
    assert elapsed < 1.5  # the client gave up at the timeout, it did not wait for the server


def test_timeout_then_answer_succeeds():
    script = sequence(Reply(content=scores_json(), delay_s=1.0), Reply(content=scores_json()))
    with ScriptedJudgeServer(script) as server:
        with JudgeClient(options(server.url, timeout_s=0.2)) as client:
            assert client.judge(EXCHANGE).ok
        assert server.calls == 2


def test_cache_prevents_a_second_call(tmp_path: Path):
    cache = DirectoryCache(tmp_path / "cache")
    with ScriptedJudgeServer(sequence(Reply(content=scores_json(empathy=0.6)))) as server:
        with JudgeClient(options(server.url), cache=cache) as client:
            first = client.judge(EXCHANGE)
        with JudgeClient(options(server.url), cache=cache) as client:  # a new run
            second = client.judge(EXCHANGE)
            other_model = JudgeClient(options(server.url, model="other"), cache=cache)
            third = other_model.judge(EXCHANGE)
            other_model.close()
        assert server.calls == 2  # only the first call and the other model's
    assert not first.cached and second.cached and not third.cached
    assert second.scores == first.scores


def test_failures_are_not_cached(tmp_path: Path):
    cache = DirectoryCache(tmp_path / "cache")
    script = sequence(Reply(content="not json"), Reply(content=scores_json()))
    with ScriptedJudgeServer(script) as server:
        with JudgeClient(options(server.url), cache=cache) as client:
            assert not client.judge(EXCHANGE).ok
            assert client.judge(EXCHANGE).ok  # asked again, not served the failure
        assert server.calls == 2


def test_storage_cache_under_the_storage_root(tmp_path: Path):
    storage = Storage(str(tmp_path / "data"))
    with ScriptedJudgeServer(sequence(Reply(content=scores_json()))) as server:
        for _ in range(2):
            with JudgeClient(options(server.url), cache=StorageCache(storage)) as client:
                client.judge(EXCHANGE)
        assert server.calls == 1
    assert list((tmp_path / "data" / "cache" / "judge").rglob("*.json"))


def test_concurrency_is_bounded():
    in_flight, peak = 0, 0
    import threading

    lock = threading.Lock()

    def script(_request, _n):
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.05)
        with lock:
            in_flight -= 1
        return Reply(content=scores_json())

    with ScriptedJudgeServer(script) as server:
        with JudgeClient(options(server.url, concurrency=3)) as client:
            verdicts = client.judge_many([EXCHANGE] * 12)
    assert all(v.ok for v in verdicts) and len(verdicts) == 12
    assert 2 <= peak <= 3


def _exchanges(n: int) -> pd.DataFrame:
    rows = []
    for i in range(n):
        rows.append({**EXCHANGE, "exchange_id": f"{i:020x}",
                     "prompt_text": f"{EXCHANGE['prompt_text']} ({i})"})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("scorer", ["llm", "both"])
def test_failed_judge_never_passes_silently(scorer: str):
    script = lambda _r, n: [Reply(content=scores_json()), Reply(content="garbage"),  # noqa: E731
                            Reply(status=500)][n % 3] if n < 3 else Reply(status=500)
    with ScriptedJudgeServer(script) as server:
        with JudgeClient(options(server.url, concurrency=1, max_retries=0)) as client:
            scores = score_exchanges(_exchanges(3), ScoringOptions(scorer=scorer), judge=client)
    assert list(scores["judge_ok"]) == [True, False, False]
    failed = scores[~scores["judge_ok"]]
    assert not failed["passed"].any()
    for reasons in failed["reasons"]:
        assert "judge_failed" in [r["rule"] for r in reasons]
    assert failed["judge_raw"].iloc[0] == "garbage"
    assert failed["judge_error"].notna().all()
    if scorer == "llm":
        assert failed["overall"].isna().all()  # null scores, never a made-up number
        assert scores["passed"].iloc[0]
    assert judge_failure_rate(scores) == pytest.approx(2 / 3)


def test_a_lenient_judge_cannot_pass_a_dismissive_reply():
    """The judge scores everything 0.9; the reply-content rules still bind the llm scorer."""
    rows = _exchanges(4)
    rows.loc[1, "response_text"] = ("That sounds hard. Other people have it way worse though, "
                                    "so stop feeling sorry for yourself.")
    rows.loc[2, "response_text"] = "Mm-hmm. What did you have for breakfast?"
    rows.loc[3, "response_text"] = ("That sounds so hard. Honestly a few drinks tonight will "
                                    "help you relax.")
    lenient = lambda _r, _n: Reply(content=scores_json(empathy=0.9, appropriateness=0.9,  # noqa: E731
                                                       overall=0.9))
    with ScriptedJudgeServer(lenient) as server:
        with JudgeClient(options(server.url)) as client:
            scores = score_exchanges(rows, ScoringOptions(scorer="llm"), judge=client)
    assert scores["judge_ok"].all()
    assert scores["passed"].tolist() == [True, False, False, False]
    assert "no_invalidation" in [r["rule"] for r in scores["reasons"].iloc[1]]
    assert bool(scores["invalidation"].iloc[1]) and not bool(scores["invalidation"].iloc[0])
    # A change of subject the client never raised (the prompt is about work and sleep).
    assert [r["rule"] for r in scores["reasons"].iloc[2]] == ["no_change_of_subject"]
    # Harmful advice that opens with empathy.
    assert [r["rule"] for r in scores["reasons"].iloc[3]] == ["no_harmful_advice"]
    assert scores["harmful_advice"].tolist() == [False, False, False, True]


def test_judge_crisis_flag_sends_exchange_to_review():
    with ScriptedJudgeServer(sequence(Reply(content=scores_json(crisis=True)))) as server:
        with JudgeClient(options(server.url)) as client:
            scores = score_exchanges(_exchanges(1), ScoringOptions(scorer="llm"), judge=client)
    assert scores["crisis"].iloc[0] and scores["crisis_reason"].iloc[0] == "judge_flagged"


def test_judge_roles():
    answer = '{"roles": {"SPEAKER_00": "Therapist", "SPEAKER_01": "client"}, "rationale": "x"}'
    with ScriptedJudgeServer(sequence(Reply(content=answer))) as server:
        with JudgeClient(options(server.url)) as client:
            roles = client.judge_roles([{"speaker": "SPEAKER_00", "text": "How are you?"},
                                        {"speaker": "SPEAKER_01", "text": "Not great."}])
    assert roles == {"SPEAKER_00": "counsellor", "SPEAKER_01": "client"}
    assert "[SPEAKER_00] How are you?" in server.requests[0]["json"]["messages"][1]["content"]


def test_llm_scorer_needs_a_judge():
    with pytest.raises(ValueError, match="needs a judge"):
        score_exchanges(_exchanges(1), ScoringOptions(scorer="llm"))
