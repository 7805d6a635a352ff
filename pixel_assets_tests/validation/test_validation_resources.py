"""The judge and validation resources: env-var API key, cache under the storage root."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from judge_server import Reply, ScriptedJudgeServer, scores_json, sequence

from pixel_assets.resources.validation import JudgeResource, ValidationResource
from pixel_assets.validation.judge import DirectoryCache, StorageCache
from pixel_assets.warehouse.storage import Storage

EXCHANGE = {"prompt_text": "I feel alone.", "response_text": "That sounds lonely.",
            "context": []}


def test_api_key_from_env_and_cache_under_storage(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("PIXEL_JUDGE_API_KEY", "sk-from-env")
    storage = Storage(str(tmp_path / "data"))
    with ScriptedJudgeServer(sequence(Reply(content=scores_json()))) as server:
        resource = JudgeResource(
            base_url=server.url, model="m", api_key=dg.EnvVar("PIXEL_JUDGE_API_KEY")
        )
        initialised = resource.process_config_and_initialize()  # resolves the EnvVar
        for _ in range(2):
            with initialised.get_client(storage) as client:
                assert isinstance(client.cache, StorageCache)
                assert client.judge(EXCHANGE).ok
        assert server.calls == 1
        assert server.requests[0]["authorization"] == "Bearer sk-from-env"


def test_cache_dir_wins_and_no_storage_means_no_cache(tmp_path: Path):
    with JudgeResource(cache_dir=str(tmp_path)).get_client() as client:
        assert isinstance(client.cache, DirectoryCache)
    with JudgeResource().get_client() as client:
        assert client.cache is None


def test_validation_settings_become_plain_options():
    resource = ValidationResource(scorer="both", min_empathy=0.5, context_turns=2,
                                  max_turn_gap_s=1.5)
    options = resource.scoring_options()
    assert options.scorer == "both" and options.thresholds.min_empathy == 0.5
    assert resource.exchange_options().context_turns == 2
    assert resource.turn_options().max_gap_s == 1.5
