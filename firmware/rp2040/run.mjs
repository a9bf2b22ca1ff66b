// Runs earshot's RP2040 MicroPython firmware under rp2040js.
//
//   node run.mjs [--firmware F] [--pty] [--script file.py] [--cycles-limit N] [--quiet]
//
// UART0 is bridged to stdio (Ctrl-] quits a terminal session), or with --pty to a pseudo-terminal whose path is printed
// on stdout as "PTY <path>" (for mpremote). --script runs a file in the raw REPL and
// exits with 1 when it raised. On exit the total cycle count goes to stderr.
// Exit codes: 0 ok, 1 the script raised, 2 bad arguments, 3 firmware fault, 4 cycle limit.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RP2040 } from 'rp2040js';
import { loadFirmware } from './load_firmware.mjs';
import { CycleCounter, CYCLE_COUNTER_SLOT } from './cycle_counter.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const CLOCK_HZ = 125e6;
const NANOS_PER_CYCLE = 1e9 / CLOCK_HZ;
const CHUNK = 200000; // instructions between looks at the event loop
const FEED_EVERY = 256; // instructions between UART receive top-ups

function usage(message) {
  process.stderr.write(`run.mjs: ${message}\n`);
  process.stderr.write('usage: node run.mjs [--firmware F] [--pty] [--script file.py] [--cycles-limit N] [--quiet]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { firmware: join(HERE, '../../build/firmware/rp2040/firmware.elf'), pty: false, script: null,
    cyclesLimit: Infinity, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--firmware') args.firmware = value();
    else if (a === '--pty') args.pty = true;
    else if (a === '--script') args.script = value();
    else if (a === '--quiet') args.quiet = true;
    else if (a === '--cycles-limit') {
      args.cyclesLimit = Number(value());
      if (!Number.isInteger(args.cyclesLimit) || args.cyclesLimit <= 0) usage('--cycles-limit wants a positive integer');
    } else usage(`unknown argument ${a}`);
  }
  if (args.pty && args.script) usage('--pty and --script do not mix');
  return args;
}

// rp2040js logs, and carries on after, what a real chip would turn into a HardFault:
// bad addresses, unaligned accesses, undefined instructions. We stop there instead.
const FAULTS = [
  ['RP2040', /invalid memory address|undefined address|not 32 bit aligned/],
  ['CortexM0Core', /not implemented/],
];

function faultLogger(board) {
  const check = (component, message) => {
    if (board.fault === null && FAULTS.some(([c, re]) => c === component && re.test(message))) {
      board.fault = message;
    }
  };
  return {
    debug() {}, info() {},
    warn: check,
    error(component, message) {
      check(component, message);
      if (board.fault === null) process.stderr.write(`rp2040js: ${component}: ${message}\n`);
    },
  };
}

class Board {
  constructor(image) {
    this.mcu = new RP2040();
    this.mcu.logger = faultLogger(this);
    this.mcu.peripherals[CYCLE_COUNTER_SLOT] = new CycleCounter(this.mcu, 'EMU_CYCLES');
    loadFirmware(this.mcu, image);
    this.mcu.core.VTOR = 0x10000000;
    this.mcu.core.reset();
    this.input = [];
    this.output = [];
    this.fault = null;
    this.mcu.onBreak = (code) => { this.fault = `breakpoint 0x${code.toString(16)}`; };
    this.mcu.uart[0].onByte = (byte) => this.output.push(byte);
  }

  get cycles() { return this.mcu.core.cycles; }

  feed() {
    const uart = this.mcu.uart[0];
    while (this.input.length && !uart.rxFIFO.full) uart.feedByte(this.input.shift());
  }

  // Runs about `count` instructions; returns 'idle' when the core sleeps with nothing
  // to wake it, 'fault' on a breakpoint, 'limit' past the cycle limit, else 'run'.
  run(count, cyclesLimit) {
    const { core, clock } = this.mcu;
    for (let done = 0; done < count; done += FEED_EVERY) {
      if (this.input.length) this.feed();
      if (core.cycles > cyclesLimit) return 'limit';
      if (core.waiting) {
        if (core.pendingInterrupts & core.enabledInterrupts) {
          core.waiting = false; // WFI returns on a pending interrupt, even when masked
        } else if (clock.nextAlarm) {
          clock.tick(clock.nanosToNextAlarm);
          continue;
        } else {
          return 'idle';
        }
      }
      for (let i = 0; i < FEED_EVERY && !core.waiting; i++) {
        clock.tick(core.executeInstruction() * NANOS_PER_CYCLE);
        if (this.fault !== null) return 'fault';
      }
    }
    return core.cycles > cyclesLimit ? 'limit' : 'run';
  }

  takeOutput() {
    const bytes = Buffer.from(this.output);
    this.output = [];
    return bytes;
  }
}

// Script mode: enter the raw REPL, send the script, split stdout and the traceback.
class ScriptSession {
  constructor(board, source) {
    this.board = board;
    this.source = source;
    this.state = 'banner';
    this.text = '';
    this.failed = false;
    board.input.push(0x03, 0x01); // Ctrl-C (stop main.py, if any), Ctrl-A: raw REPL
  }

  onOutput(bytes) {
    this.text += bytes.toString('latin1');
    if (this.state === 'banner') {
      const ready = this.text.indexOf('raw REPL; CTRL-B to exit\r\n>');
      if (ready < 0) return false;
      this.text = '';
      this.state = 'ok';
      this.board.input.push(...Buffer.from(this.source), 0x04);
    }
    if (this.state === 'ok') {
      if (this.text.length < 2) return false;
      if (!this.text.startsWith('OK')) throw new Error(`raw REPL refused the script: ${JSON.stringify(this.text)}`);
      this.text = this.text.slice(2);
      this.state = 'stdout';
    }
    if (this.state === 'stdout') {
      const end = this.text.indexOf('\x04');
      process.stdout.write(Buffer.from(end < 0 ? this.text : this.text.slice(0, end), 'latin1'));
      if (end < 0) { this.text = ''; return false; }
      this.text = this.text.slice(end + 1);
      this.state = 'stderr';
    }
    if (this.state === 'stderr') {
      const end = this.text.indexOf('\x04');
      const part = end < 0 ? this.text : this.text.slice(0, end);
      if (part.length) this.failed = true;
      process.stderr.write(Buffer.from(part, 'latin1'));
      if (end < 0) { this.text = ''; return false; }
      return true;
    }
    return false;
  }
}

function openPty(onData) {
  const bridge = spawn('python3', [join(HERE, 'pty_bridge.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  let announced = false;
  let pending = Buffer.alloc(0);
  bridge.stdout.on('data', (chunk) => {
    if (announced) { onData(chunk); return; }
    pending = Buffer.concat([pending, chunk]);
    const nl = pending.indexOf(10);
    if (nl < 0) return;
    process.stdout.write(`PTY ${pending.subarray(0, nl).toString()}\n`);
    announced = true;
    if (nl + 1 < pending.length) onData(pending.subarray(nl + 1));
  });
  bridge.on('exit', () => finish(0));
  return {
    write: (bytes) => bridge.stdin.write(bytes),
    // Ends the bridge's input: it forwards what is left, then exits and the pty closes.
    close: (done) => bridge.stdin.end(done),
  };
}

const args = parseArgs(process.argv.slice(2));
let image;
try {
  image = readFileSync(args.firmware);
} catch (err) {
  usage(`cannot read firmware ${args.firmware}: ${err.message}; run 'make firmware'`);
}
const board = new Board(image);
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
  board.input.push(...bytes);
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
    else if (session) finish(3, `the firmware went idle before the script finished (state ${session.state}, pending ${board.input.length}, last output ${JSON.stringify(session.text.slice(-300))})`);
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
  pty = openPty(receive);
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
