"""``python -m pixel_assets.cli``: the same as ``pixel-voice``."""

from pixel_assets.cli import main

raise SystemExit(main())
