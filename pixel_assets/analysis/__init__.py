"""Cross-video analysis: the same voice across videos, style clusters, consistency, outliers, drift.

One module per job, all plain Python (no Dagster):

- :mod:`~pixel_assets.analysis.linking`: voice prints → ``global_speakers`` / ``speaker_links``;
- :mod:`~pixel_assets.analysis.style_clusters`: speaker profiles → a fitted cluster model,
  ``cluster_descriptions`` and per-video ``speaker_clusters``;
- :mod:`~pixel_assets.analysis.consistency`: ``speaker_consistency`` over a speaker's videos;
- :mod:`~pixel_assets.analysis.outliers`: a fitted outlier model and per-video ``outliers``;
- :mod:`~pixel_assets.analysis.drift`: the evidently drift report and ``drift_summary``.

Each corpus model is fitted on all passing videos and applied per video; its ``model_version``
(a hash of what it learned) is stored on every per-video row so stale rows can be found.
"""
