"""``video_list_sensor`` on a persistent instance: partitions, run requests, cursor."""

from __future__ import annotations

import json

import dagster as dg

from pixel_assets.ingest.assets import raw_audio
from pixel_assets.ingest.sensors import video_list_sensor
from pixel_assets.partitions import videos_partitions

IDS = ["aaaaaaaaaaa", "bbbbbbbbbbb", "ccccccccccc", "ddddddddddd"]


def tick(instance, resources, cursor=None) -> dg.SensorResult:
    """One sensor evaluation; applies partition additions as the daemon would."""
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources)
    result = video_list_sensor(context)
    for request in result.dynamic_partitions_requests or []:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    return result


def requested(result: dg.SensorResult) -> list[str]:
    return [r.partition_key for r in result.run_requests or []]


def test_new_unchanged_and_changed_lists(dagster_instance, pixel_resources, lists_dir):
    talks = lists_dir / "talks.txt"
    talks.write_text("\n".join(f"https://youtu.be/{v}" for v in IDS[:2]) + "\n")

    first = tick(dagster_instance, pixel_resources)
    assert requested(first) == IDS[:2]
    (add,) = first.dynamic_partitions_requests
    assert add.partitions_def_name == "videos" and list(add.partition_keys) == IDS[:2]
    assert dagster_instance.get_dynamic_partitions("videos") == IDS[:2]

    again = tick(dagster_instance, pixel_resources, first.cursor)
    assert not again.run_requests and not again.dynamic_partitions_requests
    assert "no new or changed" in again.skip_reason.skip_message
    assert again.cursor == first.cursor

    # A changed list: one old ID, two new ones, one repeated within the list.
    talks.write_text(
        "\n".join(f"https://www.youtube.com/watch?v={v}" for v in [IDS[1], IDS[2], IDS[3], IDS[2]])
    )
    changed = tick(dagster_instance, pixel_resources, again.cursor)
    assert requested(changed) == IDS[2:]
    assert sorted(dagster_instance.get_dynamic_partitions("videos")) == IDS


def test_lost_cursor_never_duplicates_partitions(dagster_instance, pixel_resources, lists_dir):
    (lists_dir / "a.txt").write_text(f"https://youtu.be/{IDS[0]}\n")
    tick(dagster_instance, pixel_resources)
    replay = tick(dagster_instance, pixel_resources, cursor=None)
    assert not replay.run_requests
    assert dagster_instance.get_dynamic_partitions("videos") == [IDS[0]]


def test_bad_lines_only_add_nothing_and_record_rejections(
    dagster_instance, pixel_resources, lists_dir
):
    (lists_dir / "bad.txt").write_text("not a url\nhttps://youtube.com/watch?v=short\n")
    (lists_dir / "broken.csv").write_text("link\nhttps://youtu.be/aaaaaaaaaaa\n")
    result = tick(dagster_instance, pixel_resources)
    assert not result.run_requests
    assert dagster_instance.get_dynamic_partitions("videos") == []
    assert "2 rejected lines, 1 unreadable" in result.skip_reason.skip_message

    rejections = pixel_resources["storage"].get_storage().read_table("ingest_rejections")
    by_line = rejections.set_index(["list_file", "line_number"])["reason"]
    bad = str((lists_dir / "bad.txt").resolve())
    assert "not a URL" in by_line[(bad, 1)] or "spaces" in by_line[(bad, 1)]
    assert "invalid" in by_line[(bad, 2)]
    assert "'url' column" in by_line[(str((lists_dir / "broken.csv").resolve()), 0)]

    # Fixing the list replaces its rejections.
    (lists_dir / "bad.txt").write_text("https://youtu.be/aaaaaaaaaaa\n")
    fixed = tick(dagster_instance, pixel_resources, result.cursor)
    assert requested(fixed) == ["aaaaaaaaaaa"]
    rejections = pixel_resources["storage"].get_storage().read_table("ingest_rejections")
    assert bad not in set(rejections["list_file"])


def test_list_metadata_reaches_videos_table(
    dagster_instance, pixel_resources, lists_dir, media_server
):
    (lists_dir / "sessions.csv").write_text(
        "url,title,speaker,role,tags,language\n"
        f"{media_server}/speech.ogg,Intake session,Dr Lee,therapist,cbt;intake,en\n"
    )
    result = tick(dagster_instance, pixel_resources)
    (key,) = requested(result)
    assert dg.materialize(
        [raw_audio], partition_key=key, instance=dagster_instance, resources=pixel_resources
    ).success
    row = pixel_resources["storage"].get_storage().read_table("videos").iloc[0]
    assert row["title"] == "Intake session"
    assert (row["list_speaker"], row["list_role"], row["list_tags"], row["list_language"]) == (
        "Dr Lee", "therapist", "cbt;intake", "en"
    )
    assert row["list_file"].endswith("sessions.csv") and row["line_number"] == 2


def test_cursor_is_json_of_content_hashes(dagster_instance, pixel_resources, lists_dir):
    (lists_dir / "a.jsonl").write_text(json.dumps({"url": f"https://youtu.be/{IDS[0]}"}) + "\n")
    cursor = json.loads(tick(dagster_instance, pixel_resources).cursor)
    assert list(cursor) == [str((lists_dir / "a.jsonl").resolve())]
    assert len(next(iter(cursor.values()))) == 64


def test_sensor_is_running_by_default_and_targets_per_video_job():
    assert video_list_sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert video_list_sensor.job_name == "per_video_job"
    assert videos_partitions.name == "videos"
