"""The provider starts many times per ``terraform apply``: what importing it loads, in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN_ROOTS = ("cdktf", "cdktn", "jsii", "constructs", "pydantic", "flask", "werkzeug")


def test_given_a_fresh_interpreter_when_importing_the_provider_then_no_construct_emulator_or_pydantic_is_loaded() -> (
    None
):
    code = (
        "import blaxel_constructs.provider.main, blaxel_constructs.provider.terraform_provider, sys; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {set(FORBIDDEN_ROOTS)!r} "
        "or m.startswith('blaxel_constructs.emulator') or m.startswith('blaxel_constructs.constructs')))"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "[]"


def test_given_a_fresh_interpreter_when_importing_the_provider_then_the_http_client_is_not_loaded_yet() -> None:
    """``requests`` costs about 0.1 s to import: the client is imported on the first call that needs it."""
    code = (
        "import blaxel_constructs.provider.main, blaxel_constructs.provider.terraform_provider, sys; "
        "print(sorted(m for m in ('requests', 'urllib3', 'blaxel_constructs.client') if m in sys.modules))"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "[]"
