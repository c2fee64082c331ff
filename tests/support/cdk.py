"""The CDK the construct tests run on: cdktf in ``.venv``, CDK Terrain (cdktn) in ``.venv-cdktn``.

The same test files run under both (``make test`` runs ``tests/constructs`` in each venv). They take
``App``, ``TerraformStack``, ``Testing``... from here, chosen through the library's own seam
(``blaxel_constructs.constructs.framework``), never from ``cdktf`` directly.
"""

from __future__ import annotations

import os
from typing import Any

# Before the framework is imported: no Node end-of-life banner, no network checks.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("CHECKPOINT_DISABLE", "1")
os.environ.setdefault("DISABLE_VERSION_CHECK", "1")

from blaxel_constructs.constructs.framework import Framework, current_framework

__all__ = [
    "FRAMEWORK",
    "App",
    "Aspects",
    "TerraformOutput",
    "TerraformStack",
    "TerraformVariable",
    "Testing",
    "Token",
]

#: The framework installed in this venv (cdktn when present, else cdktf).
FRAMEWORK: Framework = current_framework()

App: Any = FRAMEWORK.attribute("App")
Aspects: Any = FRAMEWORK.attribute("Aspects")
TerraformOutput: Any = FRAMEWORK.attribute("TerraformOutput")
TerraformStack: Any = FRAMEWORK.attribute("TerraformStack")
TerraformVariable: Any = FRAMEWORK.attribute("TerraformVariable")
Testing: Any = FRAMEWORK.attribute("Testing")
Token: Any = FRAMEWORK.attribute("Token")
