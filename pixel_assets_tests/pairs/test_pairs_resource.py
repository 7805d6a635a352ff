"""The pairs resource builds one scrubber per configuration and the step options."""

from __future__ import annotations

from pixel_assets.resources.pairs import PairsResource


def test_resource_builds_options_and_caches_the_scrubber():
    resource = PairsResource(pii_names=["Zoe Quinn"], max_per_video=7, train=0.6,
                             validation=0.2, test=0.2, export_formats=["jsonl"])
    scrubber = resource.get_scrubber()
    assert scrubber is PairsResource(pii_names=["Zoe Quinn"]).get_scrubber()
    assert scrubber.scrub("zoe said to ring 555 123 4567", []).text == "[NAME] said to ring [PHONE]"
    options = resource.dataset_options()
    assert options.balance.max_per_video == 7
    assert options.split.ratios().tolist() == [0.6, 0.2, 0.2]
    assert resource.export_options().formats == ("jsonl",)
    assert resource.pair_options().exclude_outliers is False
