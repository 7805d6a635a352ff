"""Video lists: URL normalisation to partition keys and per-line rejections."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pixel_assets.ingest.video_lists import (
    InvalidSourceError,
    LocalFilePolicy,
    VideoListError,
    normalize_source,
    parse_video_list,
    read_video_list,
)

VID = "dQw4w9WgXcQ"

YOUTUBE_FORMS = [
    f"https://www.youtube.com/watch?v={VID}",
    f"http://www.youtube.com/watch?v={VID}",
    f"https://youtube.com/watch?v={VID}",
    f"https://m.youtube.com/watch?v={VID}",
    f"https://music.youtube.com/watch?v={VID}",
    f"https://www.youtube.com/watch?v={VID}&t=42s",
    f"https://www.youtube.com/watch?v={VID}&feature=youtu.be",
    f"https://www.youtube.com/watch?feature=share&v={VID}",
    f"https://www.youtube.com/watch?v={VID}&list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG&index=3",
    f"https://www.youtube.com/watch?v={VID}#t=1m30s",
    f"https://youtu.be/{VID}",
    f"https://youtu.be/{VID}?t=10",
    f"https://youtu.be/{VID}?si=AbCdEfGh12345",
    f"https://www.youtube.com/shorts/{VID}",
    f"https://youtube.com/shorts/{VID}?feature=share",
    f"https://www.youtube.com/embed/{VID}",
    f"https://www.youtube.com/embed/{VID}?start=30&autoplay=1",
    f"https://www.youtube-nocookie.com/embed/{VID}",
    f"https://www.youtube.com/live/{VID}",
    f"https://www.youtube.com/live/{VID}?feature=shared",
    f"https://www.youtube.com/v/{VID}",
    f"https://www.youtube.com/e/{VID}",
    f"https://www.youtube.com/playlist?v={VID}&list=PL123",
    f"www.youtube.com/watch?v={VID}",
    f"youtube.com/watch?v={VID}",
    f"youtu.be/{VID}",
    f"m.youtube.com/watch?v={VID}",
    f"HTTPS://WWW.YOUTUBE.COM/watch?v={VID}",
    f"https://www.youtube.com/attribution_link?a=xyz&u=%2Fwatch%3Fv%3D{VID}%26feature%3Dshare",
    f"  https://www.youtube.com/watch?v={VID}  ",
    VID,
]


@pytest.mark.parametrize("url", YOUTUBE_FORMS)
def test_youtube_forms_normalise_to_video_id(url: str) -> None:
    source = normalize_source(url)
    assert source.video_id == VID
    assert source.source_kind == "youtube"
    assert source.source_url == f"https://www.youtube.com/watch?v={VID}"


def test_ids_with_dash_and_underscore_are_kept() -> None:
    assert normalize_source("https://youtu.be/-_aB3cD4eF5").video_id == "-_aB3cD4eF5"


MALFORMED = [
    ("https://www.youtube.com/watch?v=short", "invalid"),
    ("https://www.youtube.com/watch?v=waytoolongvideoid", "invalid"),
    ("https://www.youtube.com/watch?v=dQw4w9WgX$Q", "invalid"),
    ("https://www.youtube.com/watch", "no video ID"),
    ("https://youtu.be/", "no video ID"),
    ("https://www.youtube.com/playlist?list=PL123", "playlist"),
    ("https://www.youtube.com/@somechannel", "channel"),
    ("https://www.youtube.com/channel/UC1234567890", "channel"),
    ("ftp://example.com/video.mp4", "unsupported URL scheme 'ftp'"),
    ("mailto:someone@example.com", "unsupported URL scheme 'mailto'"),
    ("javascript:alert(1)", "unsupported URL scheme 'javascript'"),
    ("http://", "no host"),
    ("just some words", "spaces"),
    ("dQw4w9WgXc", "11-character"),
    ("dQw4w9WgXcQQ", "11-character"),
    ("https://www.youtube.com/watch?v=../../etc", "invalid"),
    ("/etc/passwd", "local files are not allowed"),
    ("file:///etc/passwd", "local files are not allowed"),
    ("https://exa\x00mple.com/a.mp3", "control characters"),
]


@pytest.mark.parametrize(("line", "reason"), MALFORMED)
def test_malformed_entries_are_rejected_with_reason(line: str, reason: str) -> None:
    with pytest.raises(InvalidSourceError, match=re.escape(reason)):
        normalize_source(line)


def test_other_http_urls_get_stable_hashed_key() -> None:
    first = normalize_source("https://Example.com/talks/episode-1.mp3#fragment")
    second = normalize_source("https://example.com/talks/episode-1.mp3")
    assert first.video_id == second.video_id
    assert re.fullmatch(r"url-[0-9a-f]{12}", first.video_id)
    assert first.source_kind == "url"
    assert normalize_source("https://example.com/other.mp3").video_id != first.video_id


def test_keys_never_contain_path_characters() -> None:
    nasty = "https://example.com/../../../etc/passwd?x=../../y"
    key = normalize_source(nasty).video_id
    assert re.fullmatch(r"[A-Za-z0-9_-]+", key)


def test_local_files_need_permission_and_stay_inside_root(tmp_path: Path) -> None:
    inside = tmp_path / "lists" / "audio.wav"
    inside.parent.mkdir()
    inside.write_bytes(b"RIFF")
    outside = tmp_path / "secret.wav"
    outside.write_bytes(b"RIFF")
    policy = LocalFilePolicy(allowed=True)
    base = inside.parent

    source = normalize_source("audio.wav", base_dir=base, local_files=policy)
    assert source.source_kind == "file"
    assert re.fullmatch(r"file-[0-9a-f]{12}", source.video_id)
    assert source.source_url == inside.resolve().as_uri()
    assert normalize_source(inside.as_uri(), base_dir=base, local_files=policy) == source

    with pytest.raises(InvalidSourceError, match="outside the allowed folder"):
        normalize_source("../secret.wav", base_dir=base, local_files=policy)
    with pytest.raises(InvalidSourceError, match="outside the allowed folder"):
        normalize_source(outside.as_uri(), base_dir=base, local_files=policy)
    with pytest.raises(InvalidSourceError, match="does not exist"):
        normalize_source("missing.wav", base_dir=base, local_files=policy)
    with pytest.raises(InvalidSourceError, match="not allowed"):
        normalize_source("audio.wav", base_dir=base, local_files=LocalFilePolicy(allowed=False))


def test_txt_list_keeps_going_past_bad_lines() -> None:
    text = "\n".join(
        [
            "# therapy talks",
            "",
            f"https://youtu.be/{VID}",
            "not a url",
            "https://www.youtube.com/watch?v=abc",
            f"https://www.youtube.com/watch?v={VID}&t=3",  # duplicate of line 3
            "https://www.youtube.com/shorts/aaaaaaaaaaa  # inline comment",
            "https://example.com/a.mp3",
        ]
    )
    parsed = parse_video_list("talks.txt", text)
    assert parsed.video_ids == [VID, "aaaaaaaaaaa", parsed.entries[2].video_id]
    assert [e.line_number for e in parsed.entries] == [3, 7, 8]
    reasons = {r.line_number: r.reason for r in parsed.rejections}
    assert set(reasons) == {4, 5, 6}
    assert "spaces" in reasons[4]
    assert "invalid" in reasons[5]
    assert reasons[6] == f"duplicate of line 3 (video {VID})."
    assert parsed.rejections[0].raw_text == "not a url"


def test_csv_list_keeps_metadata() -> None:
    text = (
        "url,title,speaker,role,tags,language\n"
        f"https://youtu.be/{VID},Session one,Dr A,therapist,cbt;anxiety,en\n"
        "bad-url,,,,,\n"
        "https://www.youtube.com/watch?v=bbbbbbbbbbb,,,,,\n"
    )
    parsed = parse_video_list("list.csv", text)
    assert parsed.video_ids == [VID, "bbbbbbbbbbb"]
    first = parsed.entries[0]
    assert first.metadata == {
        "title": "Session one",
        "speaker": "Dr A",
        "role": "therapist",
        "tags": "cbt;anxiety",
        "language": "en",
    }
    assert parsed.entries[1].metadata["title"] is None
    assert [(r.line_number, r.raw_text.split(",")[0]) for r in parsed.rejections] == [
        (3, "bad-url")
    ]


def test_csv_without_url_column_is_an_unreadable_list() -> None:
    with pytest.raises(VideoListError, match="'url' column"):
        parse_video_list("list.csv", "link,title\nhttps://youtu.be/dQw4w9WgXcQ,x\n")


def test_jsonl_list_rejects_bad_json_per_line() -> None:
    lines = [
        json.dumps({"url": f"https://youtu.be/{VID}", "speaker": "Client", "tags": ["a", "b"]}),
        "{not json",
        json.dumps(["https://youtu.be/ccccccccccc"]),
        json.dumps({"title": "no url"}),
        json.dumps({"url": "https://youtu.be/ccccccccccc", "role": "client"}),
    ]
    parsed = parse_video_list("list.jsonl", "\n".join(lines))
    assert parsed.video_ids == [VID, "ccccccccccc"]
    assert parsed.entries[0].metadata["tags"] == "a;b"
    assert parsed.entries[1].metadata["role"] == "client"
    reasons = {r.line_number: r.reason for r in parsed.rejections}
    assert "invalid JSON" in reasons[2]
    assert "not a JSON object" in reasons[3]
    assert "no string 'url'" in reasons[4]


def test_unknown_format_and_bad_encoding_are_list_errors(tmp_path: Path) -> None:
    with pytest.raises(VideoListError, match="unsupported list format .xlsx"):
        parse_video_list("list.xlsx", "")
    binary = tmp_path / "list.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(VideoListError, match="not UTF-8"):
        read_video_list(binary)


def test_read_video_list_resolves_local_paths_from_list_folder(tmp_path: Path) -> None:
    (tmp_path / "a.mp3").write_bytes(b"x")
    list_file = tmp_path / "list.txt"
    list_file.write_text("a.mp3\n../../../../etc/passwd\n")
    parsed = read_video_list(list_file, local_files=LocalFilePolicy(allowed=True))
    assert len(parsed.entries) == 1
    assert parsed.entries[0].source.source_url.endswith("/a.mp3")
    assert "outside the allowed folder" in parsed.rejections[0].reason
