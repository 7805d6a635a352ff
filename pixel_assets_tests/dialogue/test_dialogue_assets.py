"""The dialogue assets as the definitions compose them, on the transcribed fixture chain.

The counselling ``session.flac`` (a counsellor who asks and reflects, a client who discloses)
and ``monologue.flac`` go through the feature assets and ``dialogue_turns`` → ``exchanges``
once per module (on a private copy of the session's ``transcribed_chain``); tests that change
the warehouse work on their own copy of that result.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import shutil
import sys
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from pixel_assets.definitions import ASSETS
from pixel_assets.partitions import videos_partitions
from pixel_assets.resources import StorageResource, resources_for
from pixel_assets.resources.features import EmbedderResource, FeaturesResource
from pixel_assets.resources.validation import JudgeResource, ValidationResource
from pixel_assets.warehouse.query import connect

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "counselling"
FEATURES = ("utterance_features", "utterance_embeddings", "speaker_profiles")
DIALOGUE = ("dialogue_turns", "exchanges")
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def assets_named(*names: str) -> list[dg.AssetsDefinition]:
    chosen = [a for a in ASSETS if a.key.to_user_string() in names]
    assert len(chosen) == len(names), f"not in the definitions: {names}"
    return chosen


def warehouse_resources(data: Path) -> dict:
    """Every resource with its defaults (the feature ones too), storage under ``data``."""
    return {
        "features": FeaturesResource(),
        "embedder": EmbedderResource(),
        **resources_for(),
        "storage": StorageResource(data_dir=str(data)),
    }


def metadata_of(result: dg.ExecuteInProcessResult, asset: str) -> dict:
    return {k: getattr(v, "value", v)
            for k, v in result.asset_materializations_for_node(asset)[-1].metadata.items()}


@pytest.fixture(scope="module")
def base(transcribed_chain, tmp_path_factory):
    """Features and dialogue materialised for the session and the monologue."""
    root = tmp_path_factory.mktemp("dialogue_assets")
    shutil.copytree(transcribed_chain["root"] / "data", root / "data")
    resources = warehouse_resources(root / "data")
    videos = transcribed_chain["videos"]
    results = {}
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(videos_partitions.name, list(videos.values()))
        for name in ("session.flac", "monologue.flac"):
            results[name] = dg.materialize(
                assets_named(*FEATURES, *DIALOGUE), partition_key=videos[name],
                instance=instance, resources=resources,
            )
    return {"data": root / "data", "videos": videos, "results": results,
            "storage": resources["storage"].get_storage()}


@pytest.fixture
def fork(base, tmp_path, dagster_instance):
    """A private copy of ``base``'s warehouse, its videos registered in a fresh instance."""
    shutil.copytree(base["data"], tmp_path / "data")
    resources = warehouse_resources(tmp_path / "data")
    dagster_instance.add_dynamic_partitions(
        videos_partitions.name, list(base["videos"].values())
    )
    return {"resources": resources, "instance": dagster_instance, "videos": base["videos"],
            "storage": resources["storage"].get_storage()}


def truth_role(start_s: float, end_s: float, truth: dict) -> str:
    """The scripted role of the sentences a turn overlaps most."""
    overlap: dict[str, float] = {}
    for s in truth["sentences"]:
        shared = min(end_s, s["end_s"]) - max(start_s, s["start_s"])
        if shared > 0:
            overlap[s["role"]] = overlap.get(s["role"], 0.0) + shared
    return max(overlap, key=overlap.__getitem__)


def turns_of(storage, video_id: str) -> pd.DataFrame:
    with connect(storage) as con:
        return con.execute(
            "SELECT * FROM dialogue_turns WHERE video_id = ? ORDER BY turn_index", [video_id]
        ).df()


def exchanges_of(storage, video_id: str) -> pd.DataFrame:
    with connect(storage) as con:
        return con.execute(
            "SELECT * FROM exchanges WHERE video_id = ? ORDER BY prompt_turn_index", [video_id]
        ).df()


def set_video_fields(storage, video_id: str, **fields) -> None:
    """Change the video's ``videos`` row as a re-registered list line would."""
    row = storage.read_partition("videos", video_id)
    for column, value in fields.items():
        row[column] = value
    storage.write_partition("videos", video_id, row)


def test_roles_are_right_for_every_turn_without_metadata(base):
    truth = json.loads((FIXTURES / "session.json").read_text())
    turns = turns_of(base["storage"], base["videos"]["session.flac"])
    assert len(turns) == truth["n_turns"]
    expected = [truth_role(t.start_s, t.end_s, truth) for t in turns.itertuples()]
    assert list(turns["role"]) == expected
    assert set(turns["role_source"]) == {"heuristic"}
    assert set(turns["conversation_type"]) == {"two_party"}
    # No speaker_links for this video yet: global ids stay null, nothing fails.
    assert turns["global_speaker_id"].isna().all()


def test_dialogue_metadata_shows_roles_cues_and_the_dialogue(base):
    meta = metadata_of(base["results"]["session.flac"], "dialogue_turns")
    turns = turns_of(base["storage"], base["videos"]["session.flac"])
    counsellor = turns.loc[turns["role"] == "counsellor", "speaker"].iloc[0]
    client = turns.loc[turns["role"] == "client", "speaker"].iloc[0]
    assert meta["conversation_type"] == "two_party"
    assert (meta["counsellor"], meta["client"]) == (counsellor, client)
    assert meta["role_sources"] == {counsellor: "heuristic", client: "heuristic"}
    assert "reflection_rate" in meta["role_cues"] and counsellor in meta["role_cues"]
    dialogue = meta["dialogue"]

    def md(name: str) -> str:
        return name.replace("_", "\\_")  # speaker labels are escaped in the markdown

    assert dialogue.count(f"**Counsellor ({md(counsellor)})**") == 4
    assert dialogue.count(f"**Client ({md(client)})**") == 3
    # Every turn, in order, with its time and its words.
    positions = []
    for turn in turns.itertuples():
        start = int(turn.start_s)
        positions.append(dialogue.index(f"`0:{start // 60:02d}:{start % 60:02d}`: "))
        assert all(w in dialogue for w in re.findall(r"[A-Za-z']+", turn.text)), turn.text
    assert positions == sorted(positions)


def test_exchanges_pair_client_turns_with_replies_and_link_to_the_moment(base):
    storage, video_id = base["storage"], base["videos"]["session.flac"]
    exchanges = exchanges_of(storage, video_id)
    assert list(exchanges["prompt_turn_index"]) == [1, 3, 5]
    assert list(exchanges["response_turn_index"]) == [2, 4, 6]
    video = storage.read_partition("videos", video_id).iloc[0]
    # A local file has no seekable URL: the link is the source itself.
    assert set(exchanges["deep_link"]) == {video["webpage_url"] or video["source_url"]}
    assert set(exchanges["title"]) == {video["title"]}
    assert [len(c) for c in exchanges["context"]] == [1, 3, 4]
    # The feature tables reached the exchanges: reply empathy and prompt/reply similarity.
    assert exchanges["response_empathy"].notna().all()
    assert exchanges["similarity"].notna().all()
    assert exchanges["exchange_id"].str.fullmatch(r"[0-9a-f]{20}").all()
    meta = metadata_of(base["results"]["session.flac"], "exchanges")
    assert meta["exchanges"] == 3 and meta["with_deep_link"] == 3
    assert meta["with_features_share"] == 1.0
    assert "**Client:**" in meta["preview"] and "**Counsellor:**" in meta["preview"]


def test_monologue_gives_no_exchanges(base):
    storage, video_id = base["storage"], base["videos"]["monologue.flac"]
    turns = turns_of(storage, video_id)
    assert len(turns) and set(turns["conversation_type"]) == {"monologue"}
    assert set(turns["role"]) == {"other"}
    # The partition is written (empty), so the video reads as done, not missing.
    assert storage.read_partition("exchanges", video_id) is not None
    assert exchanges_of(storage, video_id).empty
    meta = metadata_of(base["results"]["monologue.flac"], "exchanges")
    assert meta["exchanges"] == 0 and "monologue" in meta["preview"]


def test_list_roles_override_with_global_ids_and_youtube_links(fork):
    storage, video_id = fork["storage"], fork["videos"]["session.flac"]
    before = turns_of(storage, video_id)
    first, second = before["speaker"].iloc[0], before.loc[
        before["speaker"] != before["speaker"].iloc[0], "speaker"].iloc[0]
    set_video_fields(storage, video_id, list_role="client=first", webpage_url=YOUTUBE)
    links = {first: "gspk_0007", second: "gspk_0042"}
    storage.write_partition("speaker_links", video_id, pd.DataFrame(
        {"video_id": video_id, "speaker": list(links), "global_speaker_id": list(links.values()),
         "link_similarity": [0.9, 0.8]}))

    result = dg.materialize(assets_named(*DIALOGUE), partition_key=video_id,
                            instance=fork["instance"], resources=fork["resources"])
    turns = turns_of(storage, video_id)
    assert set(turns.loc[turns["speaker"] == first, "role"]) == {"client"}
    assert set(turns.loc[turns["speaker"] == second, "role"]) == {"counsellor"}
    assert set(turns["role_source"]) == {"metadata"}
    assert list(turns["global_speaker_id"]) == [links[s] for s in turns["speaker"]]
    assert metadata_of(result, "dialogue_turns")["role_metadata"] == "client=first"

    exchanges = exchanges_of(storage, video_id)
    # The first speaker's turns are now the prompts.
    assert list(exchanges["prompt_turn_index"]) == [0, 2, 4]
    assert set(exchanges["prompt_global_speaker_id"]) == {"gspk_0007"}
    assert set(exchanges["response_global_speaker_id"]) == {"gspk_0042"}
    assert list(exchanges["deep_link"]) == [
        f"{YOUTUBE}&t={math.floor(s)}s" for s in exchanges["prompt_start_s"]
    ]


def judge_server():
    """The scripted OpenAI-compatible server of the validation tests (a sibling folder)."""
    if "judge_server" not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "validation" / "judge_server.py"
        spec = importlib.util.spec_from_file_location("judge_server", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["judge_server"] = module
        spec.loader.exec_module(module)
    return sys.modules["judge_server"]


def test_judge_roles_apply_when_switched_on(fork):
    server_module = judge_server()
    Reply, ScriptedJudgeServer = server_module.Reply, server_module.ScriptedJudgeServer

    storage, video_id = fork["storage"], fork["videos"]["session.flac"]
    speakers = list(dict.fromkeys(turns_of(storage, video_id)["speaker"]))
    answer = json.dumps({"roles": {speakers[0]: "patient", speakers[1]: "therapist"}})
    with ScriptedJudgeServer(server_module.sequence(Reply(content=answer))) as server:
        resources = {**fork["resources"],
                     "validation": ValidationResource(judge_roles=True),
                     "judge": JudgeResource(base_url=server.url, model="m", max_retries=0)}
        result = dg.materialize(assets_named("dialogue_turns"), partition_key=video_id,
                                instance=fork["instance"], resources=resources)
        assert server.calls == 1
    turns = turns_of(storage, video_id)
    assert set(turns.loc[turns["speaker"] == speakers[0], "role"]) == {"client"}
    assert set(turns["role_source"]) == {"judge"}
    assert metadata_of(result, "dialogue_turns")["judge_roles"] == {
        speakers[0]: "client", speakers[1]: "counsellor"}


def test_unusable_role_metadata_fails_the_video_naming_the_fix(fork):
    storage, video_id = fork["storage"], fork["videos"]["session.flac"]
    set_video_fields(storage, video_id, list_role="counsellor=SPEAKER_99")
    result = dg.materialize(assets_named(*DIALOGUE), partition_key=video_id,
                            instance=fork["instance"], resources=fork["resources"],
                            raise_on_error=False)
    assert not result.success
    failure = storage.read_table("pipeline_failures").set_index("asset").loc["dialogue_turns"]
    assert failure["error_type"] == "invalid_role_metadata"
    assert video_id in failure["message"] and "SPEAKER_99" in failure["message"]
    assert "roles column" in failure["message"]


def test_missing_speaker_profiles_is_recorded_as_missing_input(fork):
    # The features stage never ran for one_voice in this warehouse.
    storage, video_id = fork["storage"], fork["videos"]["one_voice.flac"]
    result = dg.materialize(assets_named("dialogue_turns"), partition_key=video_id,
                            instance=fork["instance"], resources=fork["resources"],
                            raise_on_error=False)
    assert not result.success
    failure = storage.read_table("pipeline_failures").iloc[0]
    assert failure["error_type"] == "missing_input"
    assert "speaker_profiles" in failure["message"] and video_id in failure["message"]
