// Runs earshot's RP2040 MicroPython firmware under rp2040js.
//
//   node run.mjs [--firmware F] [--pty] [--script file.py] [--cycles-limit N] [--quiet]
//
// UART0 is bridged to stdio (Ctrl-] quits a terminal session), or with --pty to a
// pseudo-terminal whose path is printed on stdout as "PTY <path>" (for mpremote).
// --script runs a file in the raw REPL. On exit the total cycle count goes to stderr.
// Exit codes: 0 ok, 1 the script raised, 2 bad arguments, 3 firmware fault, 4 cycle limit.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Board, CLOCK_HZ } from './board.mjs';
import { openPty } from './pty.mjs';
import { ScriptSession } from './script_session.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHUNK = 200000; // instructions between looks at the event loop

function usage(message) {
  process.stderr.write(`run.mjs: ${message}\n`);
  process.stderr.write('usage: node run.mjs [--firmware F] [--pty] [--script file.py] [--cycles-limit N] [--quiet]'
    + ' [--core1-busy]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { firmware: join(HERE, '../../build/firmware/rp2040/firmware.elf'), pty: false, script: null,
    cyclesLimit: Infinity, quiet: false, core1Busy: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--firmware') args.firmware = value();
    else if (a === '--pty') args.pty = true;
    else if (a === '--script') args.script = value();
    else if (a === '--quiet') args.quiet = true;
    else if (a === '--core1-busy') args.core1Busy = true;
    else if (a === '--cycles-limit') {
      args.cyclesLimit = Number(value());
      if (!Number.isInteger(args.cyclesLimit) || args.cyclesLimit <= 0) usage('--cycles-limit wants a positive integer');
    } else usage(`unknown argument ${a}`);
  }
  if (args.pty && args.script) usage('--pty and --script do not mix');
  return args;
}

const args = parseArgs(process.argv.slice(2));
let image;
try {
  image = readFileSync(args.firmware);
} catch (err) {
  usage(`cannot read firmware ${args.firmware}: ${err.message}; run 'make firmware'`);
}
const board = new Board(image, { core1Busy: args.core1Busy });
const started = process.hrtime.bigint();
let promptCycles = null;
let session = null;
let pty = null;
let idle = false;
let finished = false;
let stdinEnded = false;

function finish(code, message) {
  if (finished) return;
  finished = true;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cycles = board.cycles;
  if (message) process.stderr.write(`run.mjs: ${message}\n`);
  if (!args.quiet || code !== 0) {
    process.stderr.write(`run.mjs: ${cycles} cycles (${(cycles / CLOCK_HZ * 1e3).toFixed(3)} ms at 125 MHz), `
      + `${seconds.toFixed(2)} s wall, ${(cycles / seconds / 1e6).toFixed(1)} emulated MHz\n`);
  }
  process.exitCode = code;
  if (pty) {
    // Whoever holds the pty (mpremote) sees why the board went away.
    if (message) pty.write(Buffer.from(`\r\n[run.mjs: ${message}]\r\n`));
    pty.close(() => process.exit(code));
    setTimeout(() => process.exit(code), 2000).unref();
  } else {
    setImmediate(() => process.exit(code));
  }
}

function deliver(bytes) {
  if (!bytes.length) return;
  if (promptCycles === null && bytes.includes('>>> ')) {
    promptCycles = board.cycles;
    if (!args.quiet) process.stderr.write(`run.mjs: boot: ${promptCycles} cycles to the first prompt\n`);
  }
  if (session) {
    let done;
    try {
      done = session.onOutput(bytes);
    } catch (err) {
      finish(3, err.message);
      return;
    }
    if (done) finish(session.failed ? 1 : 0);
  } else if (pty) pty.write(bytes);
  else process.stdout.write(bytes);
}

function receive(bytes) {
  board.input.push(bytes);
  if (idle) { idle = false; setImmediate(step); }
}

function step() {
  if (finished) return;
  const state = board.run(CHUNK, args.cyclesLimit);
  deliver(board.takeOutput());
  if (finished) return;
  if (state === 'fault') {
    finish(3, `firmware fault: ${board.fault} (pc=0x${board.mcu.core.PC.toString(16)}); a real RP2040 would HardFault here`);
  } else if (state === 'limit') {
    finish(4, `cycle limit reached: stopped after ${board.cycles} cycles (--cycles-limit ${args.cyclesLimit})`);
  } else if (state === 'idle' && board.input.length) {
    setImmediate(step);
  } else if (state === 'idle') {
    if (stdinEnded) finish(0);
    else if (session) finish(3, `the firmware went idle before the script finished (${session.describe()})`);
    else idle = true;
  } else setImmediate(step);
}

if (args.script) {
  let source;
  try {
    source = readFileSync(args.script);
  } catch (err) {
    usage(`cannot read script ${args.script}: ${err.message}`);
  }
  session = new ScriptSession(board, source);
} else if (args.pty) {
  pty = openPty({
    onPath: (path) => process.stdout.write(`PTY ${path}\n`),
    onData: receive,
    onExit: () => finish(0),
  });
} else {
  // A terminal goes raw (Ctrl-C reaches the board; Ctrl-] quits); piped lines end in
  // CR, which is what the REPL's line editor takes as Enter.
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.on('data', (bytes) => (bytes.includes(0x1d) ? finish(0) : receive(bytes)));
  } else {
    process.stdin.on('data', (bytes) => receive(bytes.map((b) => (b === 10 ? 13 : b))));
  }
  process.stdin.on('end', () => { stdinEnded = true; if (idle) finish(0); });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => finish(0, `stopped by ${signal}`));
step();
