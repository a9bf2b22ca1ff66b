"""One module per `earshot` subcommand; see earshot/cli.py for the protocol."""
