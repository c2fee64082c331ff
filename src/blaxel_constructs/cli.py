"""The ``blaxel-constructs`` command: ``emulator`` serves the local API, ``install-provider`` installs the plugin,
``environments`` compares environments and checks them for drift, ``import`` writes code adopting a workspace.

``blaxel-constructs --version`` prints the package's version (also the provider's) and exits 0.

Only argument parsing lives here; each subcommand calls one function of its own module, imported when
that subcommand runs so that neither pays for the other's dependencies.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from blaxel_constructs._version import __version__
from blaxel_constructs.environment_commands.environments_parser import add_environments_parser
from blaxel_constructs.workspace_import.import_parser import add_import_parser

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="blaxel-constructs", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    emu = sub.add_parser("emulator", help="serve the local Blaxel control-plane emulator in the foreground")
    emu.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    emu.add_argument("--port", type=int, default=4010, help="port to bind; 0 picks a free one (default 4010)")
    emu.add_argument("--db", type=Path, default=None, help="SQLite file for persistent state (default: in memory)")
    emu.add_argument(
        "--deploy-seconds", type=float, default=1.0, help="time a deployment spends DEPLOYING (default 1.0)"
    )
    emu.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        default=None,
        metavar="KEY",
        help="accepted API key; repeat for several (default: emulator-key)",
    )
    emu.add_argument("--workspace", default="emulator", help="the workspace the keys give access to")
    emu.add_argument(
        "--client-credentials",
        action="append",
        dest="client_credentials",
        default=None,
        metavar="ID:SECRET",
        help="accepted OAuth client for POST /v0/oauth/token; repeat for several "
        "(default: emulator-client:emulator-secret)",
    )
    emu.add_argument(
        "--token-seconds", type=float, default=7200.0, help="lifetime of issued OAuth tokens (default 7200)"
    )

    inst = sub.add_parser("install-provider", help="install terraform-provider-blaxel into a plugin directory")
    inst.add_argument(
        "--plugin-dir",
        type=Path,
        default=None,
        help="Terraform plugin directory (default ~/.terraform.d/plugins)",
    )
    inst.add_argument(
        "--cli-config",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write a Terraform CLI configuration that installs the provider from the plugin directory "
        "(use it with TF_CLI_CONFIG_FILE when the plugin directory is not the default one)",
    )
    add_environments_parser(sub)
    add_import_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``blaxel-constructs`` console script."""
    args = _parser().parse_args(argv)
    if args.command == "emulator":
        from blaxel_constructs.emulator.server import run_emulator

        return run_emulator(
            host=args.host,
            port=args.port,
            db=args.db,
            deploy_seconds=args.deploy_seconds,
            api_keys=tuple(args.api_keys or ("emulator-key",)),
            workspace=args.workspace,
            client_credentials=tuple(args.client_credentials or ("emulator-client:emulator-secret",)),
            token_seconds=args.token_seconds,
        )
    if args.command == "environments":
        from blaxel_constructs.environment_commands.environments_command import run_environments

        return run_environments(args)
    if args.command == "import":
        from blaxel_constructs.workspace_import.import_command import run_import

        return run_import(args)
    from blaxel_constructs.provider.install import cli_config_text, default_plugin_dir, install_provider

    location = install_provider(args.plugin_dir)
    print(f"installed terraform-provider-blaxel at {location} (it runs {sys.executable})")
    if args.cli_config is not None:
        args.cli_config.parent.mkdir(parents=True, exist_ok=True)
        args.cli_config.write_text(cli_config_text(args.plugin_dir or default_plugin_dir()))
        print(f"wrote Terraform CLI configuration {args.cli_config} (export TF_CLI_CONFIG_FILE={args.cli_config})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
