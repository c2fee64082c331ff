"""Error annotations: how a rule broken at synth reaches the user as its message, not as a jsii traceback.

The aspects (``EnvironmentLabels``, ``EnvironmentPolicy``) report each violation as a cdktf error
annotation on the offending construct. Under the cdktf CLI (``cdktf synth``/``deploy``) that is all it
takes: the CLI lets the app finish synth and prints ``ERROR [prod/chat]: field 'sandbox': ...`` itself.
A plain ``python main.py`` has no CLI around it: cdktf's ``app.synth()`` then throws inside Node, and the
user gets a Python traceback wrapped around a JavaScript stack. ``synth_app`` is the boundary that
translates that failure once, into ``AnnotationError`` carrying the same lines the CLI prints::

    try:
        synth_app(app)
    except SpecError as error:      # AnnotationError is a SpecError, as are configuration errors
        sys.exit(f"{error}")
"""

from __future__ import annotations

from typing import Any, Final

from constructs import IConstruct

from blaxel_constructs.errors import SpecError

__all__ = ["ERROR_ANNOTATION", "AnnotationError", "error_annotations", "synth_app"]

#: The construct metadata type cdktf reads as an error annotation (``AnnotationMetadataEntryType.ERROR``).
ERROR_ANNOTATION: Final = "@cdktf/error"


class AnnotationError(SpecError):
    """Synth stopped on error annotations; ``annotations`` holds each as ``(construct path, message)``.

    The message is one line per annotation, as the cdktf CLI prints them:
    ``ERROR [prod/chat]: field 'sandbox': sandbox endpoints are not allowed in environment 'prod' ...``.
    """

    def __init__(self, annotations: list[tuple[str, str]]) -> None:
        super().__init__("\n".join(f"ERROR [{path}]: {message}" for path, message in annotations))
        self.annotations = annotations


def error_annotations(scope: IConstruct) -> list[tuple[str, str]]:
    """Every error annotation in ``scope`` and below, as ``(construct path, message)``, in tree order."""
    found: list[tuple[str, str]] = []
    for construct in scope.node.find_all():
        for entry in construct.node.metadata:
            if entry.type == ERROR_ANNOTATION:
                found.append((construct.node.path, str(entry.data)))
    return found


def synth_app(app: Any) -> None:
    """``app.synth()`` of a cdktf or cdktn ``App``, raising ``AnnotationError`` instead of the framework's jsii
    error when annotations stop it (both frameworks write the same ``@cdktf/error`` metadata).

    Any other failure of synth is re-raised unchanged: only what the annotations explain is translated.
    """
    try:
        app.synth()
    except RuntimeError:
        annotations = error_annotations(app)
        if not annotations:
            raise
        raise AnnotationError(annotations) from None
