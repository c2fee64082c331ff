"""The seam between the constructs and the CDK they run on: cdktf 0.21 or CDK Terrain (``cdktn``).

CDK Terrain is the maintained fork of the archived cdktf, with the same API under another import name.
A user's app is built on one of them, and every construct of this library must be made of that one's
classes (mixing the two in one app is not supported by either). So no construct module imports
``cdktf`` or ``cdktn``: they ask this module, which

- finds the framework an app is built on from the scope a construct is created in (its jsii type name,
  ``cdktf.App`` or ``cdktn.TerraformStack``, or its parent's, up to the app), ``framework_of``;
- imports the framework lazily, so that ``import blaxel_constructs`` works with either installed, or
  with neither as long as no construct is built (``FrameworkNotFoundError`` then says what to install);
- builds each construct class on the framework's own base class, once per framework: a class such as
  ``BlaxelProvider`` is declared on ``framework_base("TerraformProvider")``, a placeholder; creating one
  (``BlaxelProvider(stack, "blaxel")``) picks the framework from ``stack`` and instantiates a subclass of
  ``BlaxelProvider`` *and* of that framework's ``TerraformProvider``, built on first use and cached. So
  ``isinstance(p, BlaxelProvider)`` holds under both frameworks, and jsii sees an ordinary subclass of
  its own class (overrides such as ``_synthesize_attributes`` are found as usual). Users may subclass
  these classes (``class MyStack(EnvironmentStack)``); their subclasses are built the same way.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import sys
import threading
import weakref
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Final, Literal

from blaxel_constructs.errors import FrameworkNotFoundError

__all__ = [
    "FRAMEWORKS",
    "Framework",
    "FrameworkBound",
    "FrameworkNotFoundError",
    "current_framework",
    "framework_base",
    "framework_interfaces",
    "framework_named",
    "framework_of",
    "inherit_framework",
]

FrameworkName = Literal["cdktn", "cdktf"]

#: The frameworks this library builds on, in order of preference when nothing else decides: CDK Terrain
#: first (maintained), then cdktf 0.21 (archived, what existing apps run).
FRAMEWORKS: Final[tuple[FrameworkName, ...]] = ("cdktn", "cdktf")

_INSTALL_HINT: Final = (
    'install one: pip install "blaxel-constructs[cdktn]" (CDK Terrain, maintained) '
    'or pip install "blaxel-constructs[cdktf]" (cdktf 0.21.0)'
)


@dataclass(frozen=True)
class Framework:
    """One CDK: its import ``name`` (``cdktf`` or ``cdktn``) and the imported module.

    ``framework.module.TerraformStack`` is that framework's class; ``cli`` is the command that
    synthesizes and deploys its apps (``cdktf`` or ``cdktn``).
    """

    name: FrameworkName
    module: ModuleType

    @property
    def cli(self) -> str:
        """The framework's command-line tool (npm ``cdktf-cli`` or ``cdktn-cli``)."""
        return self.name

    def attribute(self, name: str) -> Any:
        """The framework's class or function ``name`` (``"TerraformVariable"``), typed loosely on purpose."""
        return getattr(self.module, name)


_LOCK = threading.Lock()
_LOADED: dict[str, Framework] = {}
#: The framework found for a scope, by scope: walking up a tree costs jsii round trips, paid once per scope.
_BY_SCOPE: weakref.WeakKeyDictionary[Any, Framework] = weakref.WeakKeyDictionary()


def framework_named(name: str) -> Framework:
    """The framework imported as ``name`` (``cdktf`` or ``cdktn``); ``FrameworkNotFoundError`` if not installed."""
    if name not in FRAMEWORKS:
        raise FrameworkNotFoundError(f"unknown framework {name!r}; expected one of: {', '.join(FRAMEWORKS)}")
    with _LOCK:
        if name not in _LOADED:
            try:
                module = importlib.import_module(name)
            except ImportError as error:
                raise FrameworkNotFoundError(
                    f"the app is built on {name}, which cannot be imported ({error}); {_INSTALL_HINT}"
                ) from error
            _LOADED[name] = Framework(name, module)
        return _LOADED[name]


def current_framework() -> Framework:
    """The framework to use when no scope says: the one the app already imported, else the one installed.

    Raises ``FrameworkNotFoundError`` when neither is installed, saying what to install, and when both
    are imported and nothing tells which one the app is built on.
    """
    imported = [name for name in FRAMEWORKS if sys.modules.get(name) is not None]
    if len(imported) == 1:
        return framework_named(imported[0])
    if len(imported) > 1:
        raise FrameworkNotFoundError(
            "both cdktf and cdktn are imported, and this object is not created in a construct scope that "
            "says which one the app is built on; create it inside a stack, or import only one of them"
        )
    for name in FRAMEWORKS:
        if importlib.util.find_spec(name) is not None:
            return framework_named(name)
    raise FrameworkNotFoundError(f"neither cdktn nor cdktf is installed; {_INSTALL_HINT}")


def framework_of(scope: Any) -> Framework:
    """The framework the construct ``scope`` belongs to, from its jsii type or its nearest ancestor's.

    A ``cdktf.App``, a user's ``TerraformStack`` subclass or a construct of this library answers at
    once; a plain ``constructs.Construct`` (such as a ``ModelEndpoint``) defers to its parent. A tree
    that names no framework at all (only plain constructs) falls back to ``current_framework()``.
    """
    found = _framework_of_type(type(scope))
    if found is not None:
        return found
    try:
        return _BY_SCOPE[scope]
    except (KeyError, TypeError):
        pass
    node = getattr(scope, "node", None)
    parent = getattr(node, "scope", None) if node is not None else None
    framework = framework_of(parent) if parent is not None else current_framework()
    with contextlib.suppress(TypeError):  # not weak-referenceable: nothing to cache
        _BY_SCOPE[scope] = framework
    return framework


def inherit_framework(construct: Any, scope: Any) -> None:
    """Record that ``construct``, just created in ``scope``, is on ``scope``'s framework.

    For this library's plain ``Construct`` wrappers (``ModelEndpoint``...): their children then find the
    framework here instead of walking ``node.scope`` up the tree, two jsii round trips per construct, a
    measurable share of synthesizing a large stack.
    """
    with contextlib.suppress(TypeError):  # not weak-referenceable: children walk the tree instead
        _BY_SCOPE[construct] = framework_of(scope)


def _framework_of_type(cls: type) -> Framework | None:
    bound = cls.__dict__.get("__blaxel_framework__")
    if isinstance(bound, Framework):
        return bound
    fqn = getattr(cls, "__jsii_type__", None)
    root = fqn.split(".", 1)[0] if isinstance(fqn, str) else None
    if root in FRAMEWORKS:
        return framework_named(root)
    return None


class _FrameworkDispatch(type):
    """Metaclass of the framework-neutral construct classes: creating one builds the framework's own subclass.

    ``Cls(scope, ...)`` picks the framework from ``scope`` (or, for classes created without a scope,
    such as aspects, from ``current_framework()``), then instantiates ``Cls`` built on that framework.
    """

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if "__blaxel_framework__" in cls.__dict__:
            return super().__call__(*args, **kwargs)
        if getattr(cls, "__framework_scoped__", True):
            scope = args[0] if args else kwargs.get("scope")
            framework = framework_of(scope) if scope is not None else current_framework()
        else:
            framework = current_framework()
        return _bound(cls, framework)(*args, **kwargs)


_BOUND: dict[tuple[type, str], type] = {}


def _bound(cls: type, framework: Framework) -> type:
    """``cls`` built on ``framework``: a subclass of ``cls`` and of the framework's base class, cached."""
    key = (cls, framework.name)
    with _LOCK:
        if key in _BOUND:
            return _BOUND[key]
    base_name = getattr(cls, "__framework_base__", None)
    bases: tuple[type, ...] = (cls,)
    if base_name is not None:
        bases = (cls, framework.attribute(base_name))
    interfaces = [framework.attribute(name) for name in getattr(cls, "__framework_interfaces__", ())]
    metaclasses = [type(base) for base in bases]
    metaclass = _metaclass(*metaclasses)
    namespace: dict[str, Any] = {
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
        "__doc__": cls.__doc__,
        "__blaxel_framework__": framework,
    }
    if interfaces:  # what ``jsii.implements`` sets: a plain object (no jsii class) with these interfaces
        namespace["__jsii_type__"] = getattr(cls, "__jsii_type__", None)
        namespace["__jsii_ifaces__"] = interfaces
    built = metaclass(cls.__name__, bases, namespace)
    with _LOCK:
        return _BOUND.setdefault(key, built)


_METACLASSES: dict[tuple[type, ...], type] = {}


def _metaclass(*metaclasses: type) -> type:
    """One metaclass deriving from every distinct one given (``_FrameworkDispatch`` and jsii's), cached."""
    distinct = tuple(
        dict.fromkeys(m for m in metaclasses if not any(m is not o and issubclass(o, m) for o in metaclasses))
    )
    if len(distinct) == 1:
        return distinct[0]
    if distinct not in _METACLASSES:
        _METACLASSES[distinct] = type("_FrameworkBoundMeta", distinct, {})
    return _METACLASSES[distinct]


class FrameworkBound(metaclass=_FrameworkDispatch):
    """Root of the classes that ``framework_base`` and ``framework_interfaces`` declare (see the module doc)."""

    __framework_base__: str | None = None
    __framework_interfaces__: tuple[str, ...] = ()
    __framework_scoped__: bool = True

    @property
    def framework(self) -> Framework:
        """The framework this object is built on."""
        found = _framework_of_type(type(self))
        if found is None:  # pragma: no cover - every instance is of a class built by _bound
            raise FrameworkNotFoundError(f"{type(self).__name__} was not built on a framework")
        return found


def framework_base(name: str) -> type:
    """A base class standing for the framework's class ``name`` (``"TerraformResource"``), resolved per scope.

    Declare ``class BlaxelModelResource(framework_base("TerraformResource"))``; type checkers are told
    the cdktf class instead (``if TYPE_CHECKING``), so that the jsii members are checked.
    """
    return _FrameworkDispatch(f"{name}Base", (FrameworkBound,), {"__framework_base__": name, "__module__": __name__})


def framework_interfaces(*names: str) -> type:
    """A base class for a plain Python object implementing the framework's jsii interfaces ``names``.

    Such an object (an aspect: ``framework_interfaces("IAspect")``) is created without a scope, so the
    framework is ``current_framework()``: the one the user's app imported.
    """
    return _FrameworkDispatch(
        "Implements" + "".join(names),
        (FrameworkBound,),
        {"__framework_interfaces__": names, "__framework_scoped__": False, "__module__": __name__},
    )
