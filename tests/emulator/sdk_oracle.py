"""Check raw JSON answers against Blaxel's official Python SDK (``blaxel`` on PyPI, MIT).

The SDK's models (``blaxel.core.client.models``) are generated from the same OpenAPI document as the
API, so they are the oracle for response shapes and enum values; the document itself stays outside
the repository (its license is not stated). The emulator may use the project's pydantic models to
validate input, so its tests must not: a wrong shared model cannot hide behind a second copy of itself.

``SdkOracle.problems(value, "Model")`` returns, as ``path: what`` strings (so a failing assertion shows
all of them at once), everything the SDK does not take exactly as sent:

- what ``from_dict`` refuses: a missing required key, an enum value it does not know;
- every key that lands in an ``additional_properties`` bag (a key the model does not define), except
  in the map schemas (``MetadataLabels``), whose values are checked against the map's value type;
- every value whose Python type is not the one the model's field declares (``from_dict`` copies
  strings, numbers and booleans through unchecked, so a round trip alone would not see ``"name": 7``);
- every difference between the document and the SDK's ``to_dict()`` of it (a snake_case alias such as
  ``endpoint_name``, an empty enum value, a ``null`` the SDK drops), except the two normalisations of
  the generated code: an absent list comes back empty, and an empty object is dropped.

Importing the SDK runs its ``autoload()``: it reads ``~/.blaxel/config.yaml`` for credentials and
tracking, ``./blaxel.toml`` and ``./.env`` of the working directory, may start error reporting and
telemetry, and configures the root logger. ``load_oracle()`` imports it once, inside an empty
temporary HOME and working directory with tracking and telemetry off, then restores the environment,
the working directory and the logging configuration.
"""

from __future__ import annotations

import enum
import importlib
import logging
import os
import re
import tempfile
import types
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import attrs

__all__ = ["SDK_MODELS", "SdkOracle", "load_oracle", "quarantined_sdk_env", "sdk_quarantine"]

#: Where the generated models live in the SDK.
SDK_MODELS = "blaxel.core.client.models"

#: Loggers whose level the SDK's ``init_logger`` changes on import.
_SDK_TOUCHED_LOGGERS = ("urllib3", "httpx", "httpcore", "openai", "openai._base_client", "LiteLLM")

_MISSING = object()


def quarantined_sdk_env(home: str) -> dict[str, str]:
    """The variables that keep an SDK process off the network and off the machine's own configuration.

    ``DO_NOT_TRACK`` turns off Sentry and PostHog; ``BL_ENABLE_OPENTELEMETRY=false`` keeps telemetry (and
    its SIGINT handler) off; ``HOME`` hides ``~/.blaxel``. The end-to-end SDK client uses the same set.
    """
    return {"HOME": home, "DO_NOT_TRACK": "1", "BL_ENABLE_OPENTELEMETRY": "false", "BL_ENV": "prod"}


@contextmanager
def sdk_quarantine() -> Iterator[None]:
    """Run the SDK's import-time side effects in an empty temporary home and directory, then undo them."""
    saved_environ = dict(os.environ)
    saved_cwd = os.getcwd()
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    saved_levels = {name: logging.getLogger(name).level for name in _SDK_TOUCHED_LOGGERS}
    with tempfile.TemporaryDirectory(prefix="blaxel-sdk-home-") as home:
        for name in ("BL_API_KEY", "BL_CLIENT_CREDENTIALS", "BL_WORKSPACE", "BL_API_VERSION"):
            os.environ.pop(name, None)
        os.environ.update(quarantined_sdk_env(home))
        os.chdir(home)
        try:
            yield
        finally:
            os.chdir(saved_cwd)
            os.environ.clear()
            os.environ.update(saved_environ)
            root.handlers[:] = saved_handlers
            root.setLevel(saved_level)
            for name, level in saved_levels.items():
                logging.getLogger(name).setLevel(level)


def _camel(field_name: str) -> str:
    """The JSON key of a generated field name (``created_at`` -> ``createdAt``, ``type_`` -> ``type``)."""
    head, *rest = field_name.rstrip("_").split("_")
    return head + "".join(part.title() for part in rest)


class SdkOracle:
    """The SDK's generated models, with a checker that reports everything a raw JSON value gets wrong."""

    def __init__(self, models: types.ModuleType, unset: type, httpx: types.ModuleType) -> None:
        self.models = models
        self._unset = unset
        # ``Error`` annotates its private ``_response`` with ``httpx.Response``.
        self._namespace: dict[str, Any] = {**vars(models), "Unset": unset, "Any": Any, "httpx": httpx}
        self._hints: dict[type, dict[str, Any]] = {}

    def model(self, name: str) -> type:
        """The generated class ``name`` (e.g. ``Model``, ``Error``, ``ModelList``, ``RevisionMetadata``)."""
        found = getattr(self.models, name)
        if not attrs.has(found):
            raise TypeError(f"{SDK_MODELS}.{name} is not a generated model")
        return typing.cast(type, found)

    def enum(self, name: str) -> list[str]:
        """The values of the generated enum ``name`` (e.g. ``Status``, ``ModelRuntimeType``, ``FlavorType``)."""
        found = getattr(self.models, name)
        if not (isinstance(found, type) and issubclass(found, enum.Enum)):
            raise TypeError(f"{SDK_MODELS}.{name} is not an enum")
        return [str(member.value) for member in found]

    def problems(self, value: object, schema_name: str) -> list[str]:
        """Everything in ``value`` that the SDK's model ``schema_name`` does not take exactly as sent."""
        cls = self.model(schema_name)
        if not isinstance(value, dict) or not value:
            return [f"{schema_name}: expected a non-empty JSON object, got {type(value).__name__} {value!r}"]
        try:
            parsed = cls.from_dict(value)  # type: ignore[attr-defined]
        except KeyError as missing:
            return [f"{schema_name}: required key {missing} is missing (the SDK cannot read it)"]
        except (ValueError, TypeError, AttributeError) as refused:
            return [f"{schema_name}: the SDK refuses it: {type(refused).__name__}: {refused}"]
        found: list[str] = []
        self._check_object(parsed, schema_name, found)
        self._compare(value, parsed.to_dict(), schema_name, found)
        return found

    def _field_hints(self, cls: type) -> dict[str, Any]:
        if cls not in self._hints:
            self._hints[cls] = typing.get_type_hints(cls, globalns=self._namespace)
        return self._hints[cls]

    def _is_map(self, cls: type) -> bool:
        """A map schema (``additionalProperties`` only): its generated class has no field but the bag."""
        return [field.name for field in attrs.fields(cls)] == ["additional_properties"]

    def _check_object(self, obj: Any, path: str, found: list[str]) -> None:
        cls = type(obj)
        hints = self._field_hints(cls)
        bag: dict[str, Any] = obj.additional_properties
        if self._is_map(cls):
            for key, item in bag.items():
                self._check_value(item, hints["additional_properties"].__args__[1], f"{path}.{key}", found)
        else:
            found.extend(f"{path}.{key}: not defined by the SDK's {cls.__name__}" for key in bag)
        for field in attrs.fields(cls):
            if field.name == "additional_properties" or field.name.startswith("_"):
                continue
            self._check_value(getattr(obj, field.name), hints[field.name], f"{path}.{_camel(field.name)}", found)

    def _check_value(self, value: Any, hint: Any, path: str, found: list[str]) -> None:
        if not self._matches(value, hint):
            found.append(f"{path}: expected {_describe(hint)}, got {type(value).__name__} {value!r}")
            return
        if attrs.has(type(value)):
            self._check_object(value, path, found)
        elif isinstance(value, list):
            item_hint = _member(hint, list)
            for index, item in enumerate(value):
                self._check_value(item, item_hint, f"{path}[{index}]", found)
        elif isinstance(value, dict):
            value_hint = _member(hint, dict)
            for key, item in value.items():
                self._check_value(item, value_hint, f"{path}.{key}", found)

    def _matches(self, value: Any, hint: Any) -> bool:
        origin = typing.get_origin(hint)
        if hint is Any:
            return True
        if origin in (typing.Union, types.UnionType):
            return any(self._matches(value, member) for member in typing.get_args(hint))
        if origin in (list, dict):
            return isinstance(value, origin)
        if hint is type(None):
            return value is None
        if hint is bool:
            return isinstance(value, bool)
        if hint is int:
            return isinstance(value, int) and not isinstance(value, bool)
        if hint is float:
            return isinstance(value, int | float) and not isinstance(value, bool)
        if isinstance(hint, type) and attrs.has(hint):
            # The generated ``from_dict`` turns an empty object into None; the round trip judges it.
            return value is None or isinstance(value, hint)
        return isinstance(hint, type) and isinstance(value, hint)

    def _compare(self, sent: Any, back: Any, path: str, found: list[str]) -> None:
        if isinstance(sent, dict) and isinstance(back, dict):
            for key in sorted(set(sent) | set(back)):
                before, after = sent.get(key, _MISSING), back.get(key, _MISSING)
                if before is _MISSING and after == []:
                    continue  # the SDK fills an absent list (``events``) with an empty one
                if before == {} and after is _MISSING:
                    continue  # the SDK drops an empty object (``labels: {}``)
                if before is _MISSING:
                    found.append(f"{path}.{key}: added by the SDK's round trip as {after!r}")
                elif after is _MISSING:
                    found.append(f"{path}.{key}: dropped by the SDK's round trip (sent {before!r})")
                else:
                    self._compare(before, after, f"{path}.{key}", found)
        elif isinstance(sent, list) and isinstance(back, list) and len(sent) == len(back):
            for index, (before, after) in enumerate(zip(sent, back, strict=True)):
                self._compare(before, after, f"{path}[{index}]", found)
        elif sent != back or type(sent) is not type(back):
            found.append(f"{path}: sent {sent!r}, the SDK's round trip gives {back!r}")


def _member(hint: Any, container: type) -> Any:
    """The item type of the ``list[...]`` (or value type of the ``dict[...]``) member of a union hint."""
    members = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
    for member in members:
        if typing.get_origin(member) is container:
            return typing.get_args(member)[-1]
    return Any


def _describe(hint: Any) -> str:
    return re.sub(r"\b[\w.]+\.(\w+)", r"\1", str(hint)) if not isinstance(hint, type) else hint.__name__


@cache
def load_oracle() -> SdkOracle:
    """The SDK's models, imported once per test session with its import-time side effects quarantined."""
    with sdk_quarantine():
        models = importlib.import_module(SDK_MODELS)
        unset = importlib.import_module("blaxel.core.client.types").Unset
        httpx = importlib.import_module("httpx")
    return SdkOracle(models, unset, httpx)
