"""Fixtures shared by every test folder: the real emulator process and the installed provider."""

from __future__ import annotations

import os

from tests.support.fixtures import emulator

__all__ = ["emulator"]

# Whatever runs terraform, cdktf or jsii from a test must stay offline and quiet.
os.environ.setdefault("CHECKPOINT_DISABLE", "1")
os.environ.setdefault("DISABLE_VERSION_CHECK", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
