// The emulated board: rp2040js with our firmware in flash, UART0 as byte queues, and
// a run loop that sleeps when the core waits for an interrupt nobody will raise.
import { RP2040 } from 'rp2040js';
import { loadFirmware } from './load_firmware.mjs';
import { CycleCounter, CYCLE_COUNTER_SLOT } from './cycle_counter.mjs';
import { Core1 } from './core1.mjs';

export const CLOCK_HZ = 125e6;
const NANOS_PER_CYCLE = 1e9 / CLOCK_HZ;
const FEED_EVERY = 256; // instructions between UART receive top-ups and limit checks

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

// Bytes waiting for the UART's receive FIFO, in arrival order.
class ByteQueue {
  constructor() { this.chunks = []; this.offset = 0; this.length = 0; }

  push(bytes) {
    if (bytes.length) { this.chunks.push(Buffer.from(bytes)); this.length += bytes.length; }
  }

  shift() {
    const chunk = this.chunks[0];
    const byte = chunk[this.offset++];
    if (this.offset === chunk.length) { this.chunks.shift(); this.offset = 0; }
    this.length--;
    return byte;
  }
}

export class Board {
  // core1Busy: core 1 runs code of its own (as under _thread) and answers no launch.
  constructor(image, { core1Busy = false } = {}) {
    this.mcu = new RP2040();
    this.mcu.logger = faultLogger(this);
    this.mcu.peripherals[CYCLE_COUNTER_SLOT] = new CycleCounter(this.mcu, 'EMU_CYCLES');
    loadFirmware(this.mcu, image);
    this.mcu.core.VTOR = 0x10000000;
    this.mcu.core.reset();
    this.core1 = new Core1(this.mcu, { busy: core1Busy });
    this.input = new ByteQueue();
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
  // to wake it, 'fault' where a chip would fault, 'limit' past the cycle limit, else 'run'.
  run(count, cyclesLimit) {
    const { core, clock } = this.mcu, core1 = this.core1;
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
        if (core1.running) core1.catchUp();
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
