"""What every ``pixel-voice`` command shares: exit codes, the storage root, DAGSTER_HOME.

Nothing here imports Dagster, pandas or the pipeline at module level: ``status`` and
``query`` must start in about a second.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pixel_assets.warehouse.storage import Storage

EXIT_OK = 0
EXIT_USAGE = 2  # bad input, or an environment the pipeline cannot run in
EXIT_INTERRUPTED = 130  # as shells report SIGINT


def ensure_dagster_home() -> Path:
    """The Dagster instance folder (``$DAGSTER_HOME``, default ``./.dagster_home``), created
    with a local ``dagster.yaml`` (GPU pool limited to 1) when missing."""
    home = Path(os.environ.get("DAGSTER_HOME") or ".dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        # A local SQLite instance whose GPU pool admits one step at a time, so two
        # `pixel-voice run`s never transcribe at once; deploy/ has fuller examples (run
        # queue, PostgreSQL) and deploy/README.md explains them.
        config.write_text(
            "telemetry:\n  enabled: false\nconcurrency:\n  pools:\n    default_limit: 1\n"
        )
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def open_cli_storage() -> Storage:
    """The warehouse :class:`Storage` from the environment, without building any resource."""
    from pixel_assets.catalog import open_storage
    from pixel_assets.settings import load_settings

    settings = load_settings()
    options: dict[str, Any] = {}
    if "://" in settings.data_dir and not settings.data_dir.startswith("file://"):
        # s3fs reads AWS credentials from the environment itself.
        if settings.s3_endpoint_url:
            options["endpoint_url"] = settings.s3_endpoint_url
        if settings.aws_region:
            options["client_kwargs"] = {"region_name": settings.aws_region}
    return open_storage(settings.data_dir, storage_options=options)


def local_data_dir() -> Path | None:
    """The local storage root, or None when ``PIXEL_DATA_DIR`` is remote (e.g. S3)."""
    from pixel_assets.settings import load_settings

    data_dir = load_settings().data_dir
    if "://" in data_dir and not data_dir.startswith("file://"):
        return None
    return Path(data_dir.removeprefix("file://"))


def plural(n: int, word: str) -> str:
    """``1 row``, ``2 rows``."""
    return f"{n} {word}" + ("" if n == 1 else "s")
