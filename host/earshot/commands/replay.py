"""Stream a recording to the board (its host-stream source) and print, hop by hop,
the board's decisions beside the host's prediction for the same samples (the board's
own C cores built for the host, and device/'s decision rules). They must be identical:
any difference is listed and the command fails."""
HELP = "replay a WAV through the board and check its decisions against the host's, hop by hop"


def add_arguments(parser):
    parser.add_argument("wav", help="16-bit PCM WAV at the model's sample rate")
    parser.add_argument("--port", help="serial port or pty of the board (default: the Pico on USB, or $EARSHOT_PORT)")
    parser.add_argument("--model", default="model.tflite",
                        help="the model the board runs, for the host's side (default: ./model.tflite)")
    parser.add_argument("--quiet", action="store_true", help="print only differences and the summary")


def run(args):
    from earshot.deploy import replay
    from earshot.deploy.board import Board

    audio, model_bytes = replay.load_inputs(args.wav, args.model)
    with Board(args.port) as board:
        result = replay.replay(board, model_bytes, audio)
    replay.print_side_by_side(result, quiet=args.quiet)
    return 0 if result.identical else 1
