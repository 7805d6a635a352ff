"""Personality and emotion consistency of one voice across its videos (``speaker_consistency``).

For every global speaker seen in at least ``min_videos`` videos, its per-video profiles are read
in video order (upload date, else registration order). Each video's profile is compared with
the mean of the speaker's *earlier* videos: the distance is the root-mean-square difference in
corpus standard deviations (features standardised over all profiles given), so 1.0 means "moved
one corpus standard deviation per feature on average" whatever the number of features. A video
is flagged when the distance exceeds ``max_distance`` (a :class:`~pixel_assets.rules.Rule`, so
the reason is stored like every other filter's). The first video has no distance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pixel_assets.analysis.matrix import as_matrix, feature_columns, top_deviations, video_order
from pixel_assets.analysis.schemas import CORPUS, SpeakerConsistency
from pixel_assets.rules import Rule, RuleSet


@dataclass(frozen=True)
class ConsistencyOptions:
    """Settings of the consistency table.

    Attributes:
        feature_columns: Profile columns compared; None = every numeric non-key column.
        exclude_columns: Numeric columns left out of the automatic choice (sizes, not style).
        max_distance: Flag a video whose RMS z-distance from the earlier mean exceeds this.
            1.0 = a shift of one corpus standard deviation in every feature (or 3 SD in a
            ninth of them); ordinary video-to-video variation of one voice sits well below.
        min_videos: Only speakers seen in at least this many videos get rows.
        top_n: Features named per row, those that moved most.
    """

    feature_columns: tuple[str, ...] | None = None
    exclude_columns: tuple[str, ...] = ("talk_s", "speech_s", "n_utterances", "n_words",
                                        "n_turns", "duration_s")
    max_distance: float = 1.0
    min_videos: int = 2
    top_n: int = 3

    def rules(self) -> RuleSet:
        """The flag rule (a first video's null distance passes)."""
        return RuleSet.of([Rule("max_profile_shift", "distance", "le", self.max_distance)])


def speaker_consistency(
    profiles: pd.DataFrame,
    links: pd.DataFrame,
    videos: pd.DataFrame | None = None,
    options: ConsistencyOptions | None = None,
) -> pd.DataFrame:
    """Distance of each video's profile from the speaker's running mean, flagged above a bar.

    Args:
        profiles: ``speaker_profiles`` rows of every passing video.
        links: ``speaker_links`` rows (``video_id``, ``speaker``, ``global_speaker_id``).
        videos: ``videos`` rows for the order (``upload_date``, ``ingested_at``); optional.
        options: Features, threshold, minimum number of videos.

    Returns:
        ``speaker_consistency`` rows, ordered by speaker and position.
    """
    options = options or ConsistencyOptions()
    out_columns = list(SpeakerConsistency.to_schema().columns)
    if profiles.empty or links.empty:
        return pd.DataFrame(columns=out_columns)
    columns = feature_columns(profiles, options.feature_columns, options.exclude_columns)
    linked = profiles.merge(
        links[["video_id", "speaker", "global_speaker_id"]].drop_duplicates(
            ["video_id", "speaker"]),
        on=["video_id", "speaker"], how="inner", validate="one_to_one",
    )
    n_videos = linked.groupby("global_speaker_id")["video_id"].transform("nunique")
    linked = linked[n_videos >= options.min_videos]
    if linked.empty:
        return pd.DataFrame(columns=out_columns)
    # Standardise over all profiles: "how unusual a change is" is judged against the corpus.
    from sklearn.impute import SimpleImputer  # lazily: see style_clusters.py
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    scaler = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True),
                           StandardScaler()).fit(as_matrix(profiles, columns))
    order = video_order(videos, profiles["video_id"].tolist())
    linked = linked.merge(order, on="video_id", how="left")
    linked = linked.sort_values(["global_speaker_id", "rank", "speaker"], kind="stable")
    linked = linked.reset_index(drop=True)
    z = pd.DataFrame(scaler.transform(as_matrix(linked, columns)), index=linked.index)
    grouped = z.groupby(linked["global_speaker_id"], sort=False)
    earlier = grouped.cumsum() - z  # sum of the speaker's earlier videos
    count = linked.groupby("global_speaker_id", sort=False).cumcount().to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        running_mean = earlier.to_numpy() / count[:, None]
    delta = z.to_numpy() - running_mean
    distance = np.sqrt(np.mean(delta**2, axis=1))
    distance[count == 0] = np.nan
    names, _ = top_deviations(np.where(count[:, None] == 0, np.nan, delta), columns,
                              options.top_n)
    rows = pd.DataFrame(
        {
            "corpus": CORPUS,
            "global_speaker_id": linked["global_speaker_id"].to_numpy(),
            "video_id": linked["video_id"].to_numpy(),
            "speaker": linked["speaker"].to_numpy(),
            "position": count + 1,
            "upload_date": linked["upload_date"].to_numpy(),
            "distance": distance,
            "top_features": names,
        }
    )
    judged = options.rules().apply(rows)
    judged["flagged"] = ~judged["passed"]
    return judged[out_columns]
