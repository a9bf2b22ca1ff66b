"""The `earshot` command line: a thin parser over the library.

Each subcommand lives in earshot/commands/<name>.py and defines
  HELP: one line for `earshot --help`
  add_arguments(parser): its options
  run(args): does the work (heavy imports inside, so --help stays instant),
             returns an exit code or None.
"""
import argparse
import importlib
import pkgutil
import sys

from earshot import __version__, commands
from earshot.errors import EarshotError


def command_modules():
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            yield info.name.replace("_", "-"), importlib.import_module(f"earshot.commands.{info.name}")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="earshot",
        description="Train a sound classifier on a PC and run it on an RP2040 under MicroPython.")
    parser.add_argument("--version", action="version", version=f"earshot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in command_modules():
        p = sub.add_parser(name, help=module.HELP, description=module.__doc__)
        module.add_arguments(p)
        p.set_defaults(run=module.run)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args) or 0
    except EarshotError as exc:
        print(f"earshot: error: {exc}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("earshot: interrupted", file=sys.stderr)
        return 130
