"""Copy the native modules built for the board's architecture, the app (device/) and a
model to a MicroPython board, skipping files it already holds. The model is replaced
atomically: a deploy cut off half way leaves the old model working."""
HELP = "copy the modules, the app and a model to the board (unchanged files are skipped)"


def add_arguments(parser):
    parser.add_argument("--port", help="serial port or pty of the board (default: the Pico on USB, or $EARSHOT_PORT)")
    parser.add_argument("--model", default="model.tflite", help="the .tflite to deploy (default: ./model.tflite)")
    parser.add_argument("--no-model", action="store_true", help="copy the modules and the app only")
    parser.add_argument("--config", help="a config.json to copy (by default the board keeps its own)")
    parser.add_argument("--force", action="store_true", help="copy every file, changed or not")


def run(args):
    from earshot.deploy import arch, files
    from earshot.deploy.board import Board

    model = None if args.no_model else args.model
    with Board(args.port) as board:
        abi = arch.board_abi(board)
        plan = files.plan(abi, model, config_path=args.config)
        print(f"board on {board.port}: {abi}")
        copied, skipped = files.copy(board, plan, force=args.force)
    print(f"deployed: {len(copied)} copied, {len(skipped)} unchanged")
    return 0
