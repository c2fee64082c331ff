"""The committed documentation is exactly what the schema renders, so it cannot go stale."""

from __future__ import annotations

from pathlib import Path

from blaxel_constructs import __version__
from blaxel_constructs.provider.docs import render_docs

REPO = Path(__file__).resolve().parents[2]


def test_every_committed_page_matches_the_schema_and_examples() -> None:
    pages = render_docs(REPO / "examples")

    for relative, text in pages.items():
        committed = REPO / "docs" / relative
        assert committed.exists(), f"docs/{relative} is missing: run scripts/gen_docs.py"
        assert committed.read_text() == text, f"docs/{relative} is stale: run scripts/gen_docs.py"


def test_the_resource_page_documents_every_argument_and_nested_attribute() -> None:
    page = render_docs(REPO / "examples")["resources/model.md"]

    for name in ("`name`", "`runtime`", "`flavors`", "`timeouts`", "`status`", "Nested Schema for `runtime`"):
        assert name in page
    assert "terraform import blaxel_model.chat team-chat" in page


def test_the_provider_example_pins_this_version() -> None:
    assert f'version = "{__version__}"' in (REPO / "examples" / "provider" / "provider.tf").read_text()
