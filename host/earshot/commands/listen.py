"""Live view of the board's decisions: one bar per label (smoothed score, 0..1000), the
decided label, and start/stop events; optionally every decision logged to CSV."""
HELP = "show the board's decisions live (score bars), optionally logged to CSV"


def add_arguments(parser):
    parser.add_argument("--port", help="serial port or pty of the board (default: the Pico on USB, or $EARSHOT_PORT)")
    parser.add_argument("--csv", help="also append every decision to this CSV file")
    parser.add_argument("--seconds", type=float, help="stop after this much audio (default: until Ctrl-C)")
    parser.add_argument("--source", help="override the board's audio source (pdm, adc, i2s, wav)")


def run(args):
    from earshot.deploy.board import Board
    from earshot.deploy.listen import listen

    with Board(args.port) as board:
        try:
            listen(board, csv_path=args.csv, seconds=args.seconds, source=args.source)
        finally:
            board.interrupt()
    return 0
