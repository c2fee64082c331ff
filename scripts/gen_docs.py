"""Write docs/ from the provider schema and the HCL examples: ``.venv/bin/python scripts/gen_docs.py``.

Run it after changing a schema description or an example; ``tests/provider/test_docs.py`` fails until
the committed pages match.
"""

from __future__ import annotations

from pathlib import Path

from blaxel_constructs.provider.docs import render_docs

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    for relative, text in render_docs(REPO / "examples").items():
        path = REPO / "docs" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
