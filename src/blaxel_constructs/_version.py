"""The package version; also the provider version that constructs pin in ``required_providers``."""

__version__ = "0.1.0"
