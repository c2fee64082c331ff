"""The emulator process handle lives in the library (``blaxel_constructs.emulator.process``); tests use it from here."""

from blaxel_constructs.emulator.process import EmulatorProcess, EmulatorStartError

__all__ = ["EmulatorProcess", "EmulatorStartError"]
