"""Every environment variable Pixel Voice reads, in one place.

Values are read when a function is called, never at import, so tests can set variables
with ``monkeypatch`` without reloading modules.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

ENVIRONMENTS = ("local", "ci", "prod")


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name}={raw!r} is not a boolean; use true or false.")


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name}={raw!r} is not a number.") from exc


def _env_seconds(name: str, default: float) -> float:
    value = _env_float(name, default)
    if value < 0:
        raise ValueError(f"{name}={value!r} is negative; give seconds >= 0.")
    return value


def _env_count(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    message = f"{name}={raw!r} is not a whole number >= 0."
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(message) from None
    if value < 0:
        raise ValueError(message)
    return value


def _env_str(name: str) -> str | None:
    raw = os.environ.get(name)
    return raw if raw else None


@dataclass(frozen=True)
class Settings:
    """The environment's view of Pixel Voice (see README, "Configuration")."""

    environment: str
    data_dir: str
    video_lists_dir: str
    video_lists_s3_prefix: str | None
    s3_endpoint_url: str | None
    aws_region: str | None
    allow_local_files: bool
    max_duration_s: float
    target_lufs: float
    download_deadline_s: float = 3600.0
    min_download_bytes_per_s: float = 16_384.0
    gpu_preset: bool = False
    download_retries: int = 2
    download_retry_delay_s: float = 5.0


def load_settings() -> Settings:
    """Read the Pixel Voice environment variables now."""
    environment = os.environ.get("PIXEL_ENV", "local")
    if environment not in ENVIRONMENTS:
        raise ValueError(f"PIXEL_ENV={environment!r} is not one of {', '.join(ENVIRONMENTS)}.")
    data_dir = os.environ.get("PIXEL_DATA_DIR") or "data"
    if "://" not in data_dir:
        data_dir = str(Path(data_dir).expanduser().resolve())
    lists_dir = os.environ.get("PIXEL_VIDEO_LISTS_DIR") or "video_lists"
    return Settings(
        environment=environment,
        data_dir=data_dir,
        video_lists_dir=str(Path(lists_dir).expanduser().resolve()),
        video_lists_s3_prefix=_env_str("PIXEL_VIDEO_LISTS_S3"),
        s3_endpoint_url=_env_str("PIXEL_S3_ENDPOINT_URL"),
        aws_region=_env_str("AWS_REGION") or _env_str("AWS_DEFAULT_REGION"),
        allow_local_files=_env_bool("PIXEL_ALLOW_LOCAL_FILES", False),
        max_duration_s=_env_float("PIXEL_MAX_DURATION_S", 4 * 3600.0),
        target_lufs=_env_float("PIXEL_TARGET_LUFS", -23.0),
        download_deadline_s=_env_float("PIXEL_DOWNLOAD_DEADLINE_S", 3600.0),
        gpu_preset=_env_bool("PIXEL_GPU_PRESET", False),
        min_download_bytes_per_s=_env_float("PIXEL_MIN_DOWNLOAD_BYTES_PER_S", 16_384.0),
        download_retries=_env_count("PIXEL_DOWNLOAD_RETRIES", 2),
        download_retry_delay_s=_env_seconds("PIXEL_DOWNLOAD_RETRY_DELAY_S", 5.0),
    )


def log_level() -> str:
    """``PIXEL_LOG_LEVEL`` for the jobs' console logger (DEBUG adds stack traces); default INFO."""
    level = (os.environ.get("PIXEL_LOG_LEVEL") or "INFO").strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError(
            f"PIXEL_LOG_LEVEL={level!r} is not a log level; use DEBUG, INFO, WARNING or ERROR."
        )
    return level


def http_headers(name: str = "PIXEL_HTTP_HEADERS") -> dict[str, str]:
    """Extra download headers from the environment variable ``name`` (a JSON object).

    This is how private sources get a token without putting it in a list, a table or the
    run config (which the UI shows): e.g. ``PIXEL_HTTP_HEADERS='{"Authorization": "Bearer
    …"}'``. Read at call time; the values are never logged.

    Raises:
        ValueError: the variable is set but is not a JSON object of strings (the message
            does not repeat the value: it may be a secret).
    """
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{name} is not valid JSON ({exc.msg} at character {exc.pos}); set it to an "
            'object like {"Authorization": "Bearer TOKEN"}.'
        ) from None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError(f"{name} must be a JSON object of header names to string values.")
    return value
