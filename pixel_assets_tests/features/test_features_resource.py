"""The features resource turns its (launchpad / --set) fields into FeatureOptions."""

from __future__ import annotations

import dataclasses

import pytest

from pixel_assets.features import FeatureOptions


def test_every_option_is_a_resource_field_with_the_same_default():
    from pixel_assets.resources.features import FeaturesResource

    fields = FeaturesResource.model_fields
    for option in dataclasses.fields(FeatureOptions):
        assert option.name in fields, f"FeatureOptions.{option.name} is not configurable"
    assert FeaturesResource().options() == FeatureOptions()


def test_overrides_reach_the_options():
    from pixel_assets.resources.features import FeaturesResource

    options = FeaturesResource(
        min_voiced_s=1.0, fillers=["um"], prosody_backend="librosa", text=False,
        invalidation_patterns=[r"\bwhatever\b"],
    ).options()
    assert options.min_voiced_s == 1.0 and options.fillers == ("um",)
    assert options.prosody_backend == "librosa" and not options.text
    assert options.invalidation_patterns == (r"\bwhatever\b",)


def test_a_bad_backend_is_named_when_options_are_built():
    from pixel_assets.resources.features import FeaturesResource

    with pytest.raises(ValueError, match="prosody_backend 'opensmile'"):
        FeaturesResource(prosody_backend="opensmile").options()
