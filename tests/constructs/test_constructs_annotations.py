"""synth_app: error annotations from the aspects end synth as one AnnotationError, without a jsii traceback."""

from __future__ import annotations

import pytest

from blaxel_constructs import BlaxelProvider, ModelEndpoint
from blaxel_constructs.constructs import AnnotationError, synth_app
from blaxel_constructs.constructs.annotations import error_annotations
from blaxel_constructs.constructs.environments import EnvironmentPolicy
from blaxel_constructs.errors import SpecError
from tests.support.cdk import App, Aspects, TerraformStack


def _prod(app: App) -> TerraformStack:
    stack = TerraformStack(app, "prod")
    BlaxelProvider(stack, "blaxel")
    Aspects.of(stack).add(EnvironmentPolicy("prod", allow_sandbox=False, require_flavors=True))
    return stack


def test_policy_violations_end_synth_as_one_annotation_error_listing_each_as_the_cdktf_cli_does(app: App) -> None:
    stack = _prod(app)
    ModelEndpoint(stack, "chat", name="chat", runtime={"type": "openai"}, sandbox=True)

    with pytest.raises(AnnotationError) as raised:
        synth_app(app)

    assert isinstance(raised.value, SpecError)
    assert str(raised.value).splitlines() == [
        "ERROR [prod/chat]: field 'sandbox': sandbox endpoints are not allowed in environment 'prod' "
        "(policy allow_sandbox: false)",
        "ERROR [prod/chat]: field 'flavors': at least one flavor is required in environment 'prod' "
        "(policy require_flavors: true)",
    ]
    assert [path for path, _ in raised.value.annotations] == ["prod/chat", "prod/chat"]
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_an_app_that_breaks_no_rule_synthesizes_and_carries_no_error_annotation(app: App) -> None:
    stack = _prod(app)
    ModelEndpoint(stack, "chat", name="chat", runtime={"type": "openai"}, flavors=[{"name": "t4", "type": "cpu"}])

    synth_app(app)

    assert error_annotations(app) == []
