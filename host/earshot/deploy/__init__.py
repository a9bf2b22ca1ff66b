"""Putting the app, the native modules and a model on a board, and talking to it.

  board.py       connect to a board (serial port or pty) through mpremote's transport
  arch.py        which .mpy architecture a board runs, read from sys.implementation._mpy
  files.py       what to copy (modules for that arch, device/, model) and the copy itself
  device_code.py the board's own Python (device/earshot_app) imported on the host, so
                 host and board share settings parsing, decisions and packet framing
"""
