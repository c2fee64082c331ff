"""The framework seam: every construct is built on the CDK of the app it is created in, cdktf or cdktn.

These tests run in both venvs (``make test``): with cdktf in ``.venv`` and with CDK Terrain in
``.venv-cdktn``, where cdktf is not installed at all.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from blaxel_constructs import BlaxelProvider, ModelEndpoint
from blaxel_constructs.constructs import BlaxelModelResource, ephemeral_variable
from blaxel_constructs.constructs._tokens import is_token
from blaxel_constructs.constructs.environments import EnvironmentLabels, EnvironmentPolicy, load_environments
from blaxel_constructs.constructs.environments.environment_stack import EnvironmentStack
from blaxel_constructs.constructs.framework import Framework, framework_of
from blaxel_constructs.constructs.variables import supports_ephemeral
from blaxel_constructs.errors import BlaxelError, FrameworkNotFoundError
from tests.constructs.conftest import Synth
from tests.support.cdk import Aspects, TerraformStack

OTHER = {"cdktf": "cdktn", "cdktn": "cdktf"}


def _endpoint(stack: Any, id: str = "chat") -> ModelEndpoint:
    return ModelEndpoint(stack, id, name="chat", runtime={"type": "openai", "model": "gpt-4.1"})


def test_the_installed_framework_is_the_only_one_importable_in_this_venv(framework: Framework) -> None:
    other = OTHER[framework.name]

    found = subprocess.run([sys.executable, "-c", f"import {other}"], capture_output=True, text=True, check=False)

    assert found.returncode != 0, f"{other} is importable too: this venv must hold only {framework.name}"


def test_a_construct_in_a_stack_is_built_on_the_stacks_framework(stack: Any, framework: Framework) -> None:
    provider = BlaxelProvider(stack, "blaxel")
    endpoint = _endpoint(stack)

    assert framework_of(stack) == framework
    assert framework_of(provider) == framework
    assert framework_of(endpoint) == framework  # a plain Construct: its parent stack answers
    assert isinstance(provider, framework.module.TerraformProvider)
    assert isinstance(endpoint.resource, framework.module.TerraformResource)


def test_isinstance_holds_for_the_framework_neutral_classes(stack: Any) -> None:
    provider = BlaxelProvider(stack, "blaxel")
    endpoint = _endpoint(stack)

    assert isinstance(provider, BlaxelProvider)
    assert isinstance(endpoint.resource, BlaxelModelResource)
    assert type(provider).__name__ == "BlaxelProvider"


def test_the_framework_class_of_a_construct_is_built_once_and_reused(stack: Any) -> None:
    first = BlaxelProvider(stack, "one", alias="one")
    second = BlaxelProvider(stack, "two", alias="two")

    assert type(first) is type(second)


def test_a_users_subclass_of_environment_stack_is_built_on_the_apps_framework(
    app: Any, framework: Framework, synth: Synth, tmp_path: Path
) -> None:
    class MyStack(EnvironmentStack):
        def __init__(self, scope: Any, environment: Any) -> None:
            super().__init__(scope, environment)
            self.chat = self.model_endpoint("chat")

    config = tmp_path / "environments.yaml"
    config.write_text(
        "defaults: {endpoints: {chat: {runtime: {type: openai, model: gpt-4.1}}}}\nenvironments: {dev: {}}\n"
    )
    environments = load_environments(config)

    stack = MyStack(app, environments["dev"])

    assert isinstance(stack, MyStack)
    assert isinstance(stack, EnvironmentStack)
    assert isinstance(stack, framework.module.TerraformStack)
    (model,) = synth(stack)["resource"]["blaxel_model"].values()
    assert model["labels"]["environment"] == "dev"


def test_aspects_created_without_a_scope_implement_the_apps_iaspect(stack: Any, synth: Synth) -> None:
    _endpoint(stack)
    Aspects.of(stack).add(EnvironmentLabels({"team": "ml"}))
    policy = EnvironmentPolicy("prod", required_labels=["team"])
    Aspects.of(stack).add(policy)

    (model,) = synth(stack)["resource"]["blaxel_model"].values()

    assert model["labels"]["team"] == "ml"
    assert policy.violations == []


def test_an_aliased_provider_of_the_apps_framework_is_accepted_and_referenced(stack: Any, synth: Synth) -> None:
    shared = BlaxelProvider(stack, "shared", alias="shared")
    ModelEndpoint(stack, "chat", name="chat", runtime={"type": "openai", "model": "gpt-4.1"}, provider=shared)

    (model,) = synth(stack)["resource"]["blaxel_model"].values()

    assert model["provider"] == "blaxel.shared"


def test_an_ephemeral_variable_synthesizes_with_ephemeral_true_and_sensitive(stack: Any, synth: Synth) -> None:
    ephemeral_variable(stack, "openai_key", type="string", description="OpenAI API key")

    variable = synth(stack)["variable"]["openai_key"]

    assert variable == {"type": "string", "description": "OpenAI API key", "sensitive": True, "ephemeral": True}


def test_an_ephemeral_variable_is_a_terraform_variable_of_the_apps_framework(stack: Any, framework: Framework) -> None:
    variable = ephemeral_variable(stack, "secret")

    assert isinstance(variable, framework.module.TerraformVariable)
    assert is_token(variable.string_value)


def test_the_ephemeral_option_is_passed_to_a_framework_that_has_it_and_written_as_an_override_otherwise(
    framework: Framework,
) -> None:
    class WithEphemeral:
        def __init__(self, scope: Any, id: str, *, ephemeral: bool = False) -> None:
            self.ephemeral = ephemeral

    assert supports_ephemeral(WithEphemeral)
    # Neither cdktf 0.21 nor cdktn 0.24 has it: the helper writes the override (checked above by synth).
    assert not supports_ephemeral(framework.module.TerraformVariable)


def test_without_cdktf_and_cdktn_the_package_imports_and_a_construct_says_what_to_install() -> None:
    code = (
        "import sys\n"
        "sys.modules['cdktf'] = None; sys.modules['cdktn'] = None  # neither can be imported\n"
        "import blaxel_constructs\n"
        "from blaxel_constructs import BlaxelProvider\n"
        "from blaxel_constructs.errors import FrameworkNotFoundError\n"
        "from constructs import RootConstruct\n"
        "try:\n"
        "    BlaxelProvider(RootConstruct('root'), 'blaxel')  # a tree that names no framework\n"
        "except FrameworkNotFoundError as error:\n"
        "    print(type(error).__name__, error)\n"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.startswith("FrameworkNotFoundError neither cdktn nor cdktf is installed")
    assert 'pip install "blaxel-constructs[cdktn]"' in result.stdout
    assert 'pip install "blaxel-constructs[cdktf]"' in result.stdout


def test_a_framework_that_is_not_installed_is_reported_with_what_to_install(framework: Framework) -> None:
    from blaxel_constructs.constructs.framework import framework_named

    with pytest.raises(FrameworkNotFoundError, match=r"pip install \"blaxel-constructs\[cdktn\]\"") as raised:
        framework_named(OTHER[framework.name])

    assert isinstance(raised.value, BlaxelError)
    assert isinstance(raised.value, ImportError)


def test_a_stack_of_the_installed_framework_synthesizes_a_model_endpoint(synth: Synth, app: Any) -> None:
    stack = TerraformStack(app, "plain")
    BlaxelProvider(stack, "blaxel")
    _endpoint(stack)

    document = synth(stack)

    assert document["terraform"]["required_providers"]["blaxel"]["source"] == "blaxel-constructs/blaxel"
    assert list(document["resource"]["blaxel_model"]) != []
