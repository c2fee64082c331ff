"""Helpers shared by the test suites: a real emulator process, its pytest fixture, spec checks, fakes."""
