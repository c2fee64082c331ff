"""Recognise cdktf tokens, so that validation can let unresolved references through.

A construct argument may be a reference that only Terraform can resolve (``var.model_name``,
another resource's attribute). cdktf hands such values to Python as placeholders: strings such as
``${TfToken[TOKEN.1]}``, lists holding ``#{TfToken[TOKEN.2]}``, maps keyed ``&{TfToken[TOKEN.3]}``, or
``IResolvable`` objects (booleans, whole objects). Their content cannot be checked at synth time,
so the constructs skip validation for them and leave the check to the provider at plan time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from blaxel_constructs.constructs.framework import framework_of

__all__ = ["is_token"]

#: The marker cdktf 0.21 and cdktn 0.24 put in every string, list-element and map-key token encoding.
_TOKEN_MARKER: Final = "TfToken["


def is_token(value: Any) -> bool:
    """True when ``value`` is, or contains, an unresolved cdktf token.

    Strings, lists and maps are inspected in Python (no jsii round trip, and no failure on values
    jsii cannot serialise); jsii objects such as ``IResolvable`` are asked to their framework (cdktf or cdktn).
    """
    if isinstance(value, str):
        return _TOKEN_MARKER in value
    if isinstance(value, Mapping):
        return any(is_token(key) or is_token(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(is_token(item) for item in value)
    if hasattr(value, "__jsii_ref__"):
        return bool(framework_of(value).module.Token.is_unresolved(value))
    return False
