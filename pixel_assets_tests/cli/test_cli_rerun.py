"""The up-to-date planner of ``pixel-voice run``: only what changed (and what lies below it)
is recomputed, on real materialisations in a test instance."""

from __future__ import annotations

import dagster as dg
import pytest

from pixel_assets.cli.rerun import RerunPlanner

VIDEOS = dg.StaticPartitionsDefinition(["v1", "v2"])


class Loud(dg.ConfigurableResource):
    gain_db: float = 0.0


class Cut(dg.ConfigurableResource):
    min_s: float = 1.0


class Unused(dg.ConfigurableResource):
    target: str = "local"


@dg.asset(partitions_def=VIDEOS)
def audio(loud: Loud) -> None:
    """Uses ``loud``."""


@dg.asset(partitions_def=VIDEOS, deps=[audio])
def pieces(cut: Cut) -> None:
    """Uses ``cut``; below ``audio``."""


@dg.asset(partitions_def=VIDEOS, deps=[pieces])
def words() -> None:
    """No resource; below ``pieces``."""


ASSETS = [audio, pieces, words]
ALL = dg.AssetSelection.assets(*ASSETS)


def names(selection: dg.AssetSelection | None) -> set[str]:
    if selection is None:
        return set()
    graph = dg.Definitions(assets=ASSETS, resources={"loud": Loud(), "cut": Cut()}
                           ).resolve_asset_graph()
    return {k.to_user_string() for k in selection.resolve(graph)}


@pytest.fixture
def instance():
    with dg.instance_for_test() as test_instance:
        yield test_instance


def run(instance, resources, run_config=None, selection=ALL, video="v1") -> RerunPlanner:
    planner = RerunPlanner(instance, ASSETS, selection, resources, run_config or {})
    stale = planner.stale_selection(video, set())
    if stale is not None:
        result = dg.materialize(ASSETS, selection=stale, partition_key=video, instance=instance,
                                resources=resources, run_config=run_config or {},
                                tags=planner.tags())
        assert result.success
    return planner


def test_only_what_changed_and_below_it_is_stale(instance):
    base = {"loud": Loud(), "cut": Cut()}
    assert names(RerunPlanner(instance, ASSETS, ALL, base, {}).stale_selection("v1", set())) == {
        "audio", "pieces", "words"}
    run(instance, base)
    same = RerunPlanner(instance, ASSETS, ALL, base, {})
    assert same.stale_selection("v1", set()) is None
    assert names(same.stale_selection("v2", set())) == {"audio", "pieces", "words"}

    # A resource no asset uses (as `dbt` for the per-video chain) changes nothing.
    extra = {**base, "unused": Unused(target="prod")}
    assert RerunPlanner(instance, ASSETS, ALL, extra, {}).stale_selection("v1", set()) is None

    # A setting of `cut` makes `pieces` and what lies below it stale, not `audio`.
    changed = {**base, "cut": Cut(min_s=2.0)}
    assert names(RerunPlanner(instance, ASSETS, ALL, changed, {}).stale_selection(
        "v1", set())) == {"pieces", "words"}
    # The same change given as run config (launchpad YAML, --config, --set).
    override = {"resources": {"cut": {"config": {"min_s": 2.0}}}}
    assert names(RerunPlanner(instance, ASSETS, ALL, base, override).stale_selection(
        "v1", set())) == {"pieces", "words"}
    # An open failure of an asset makes it stale too.
    assert names(RerunPlanner(instance, ASSETS, ALL, base, {}).stale_selection(
        "v1", {"words"})) == {"words"}


def test_newer_upstream_makes_downstream_stale(instance):
    base = {"loud": Loud(), "cut": Cut()}
    run(instance, base)
    # `audio` alone again (as from the UI): its input to `pieces` is newer than `pieces`.
    dg.materialize(ASSETS, selection=[audio.key], partition_key="v1", instance=instance,
                   resources=base, tags=RerunPlanner(instance, ASSETS, ALL, base, {}).tags())
    planner = RerunPlanner(instance, ASSETS, ALL, base, {})
    assert names(planner.stale_selection("v1", set())) == {"pieces", "words"}
    run(instance, base)
    assert RerunPlanner(instance, ASSETS, ALL, base, {}).stale_selection("v1", set()) is None


def test_until_limits_the_selection(instance):
    base = {"loud": Loud(), "cut": Cut()}
    until_pieces = dg.AssetSelection.assets(pieces).upstream()
    run(instance, base, selection=until_pieces)
    planner = RerunPlanner(instance, ASSETS, until_pieces, base, {})
    assert planner.stale_selection("v1", set()) is None
    assert names(RerunPlanner(instance, ASSETS, ALL, base, {}).stale_selection(
        "v1", set())) == {"words"}
