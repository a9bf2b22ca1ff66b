// Drives firmware/rp2040/core1.mjs on a bare rp2040js chip (no firmware) and prints what
// it observed as one JSON object, for tests/firmware/test_rp2040_core1.py.
import { RP2040 } from '../../../firmware/rp2040/node_modules/rp2040js/dist/esm/index.js';
import { Core1 } from '../../../firmware/rp2040/core1.mjs';

const SIO = 0xd0000000, FIFO_ST = SIO + 0x50, FIFO_WR = SIO + 0x54, FIFO_RD = SIO + 0x58;
const PSM_FRCE_OFF = 0x40010004, SET = 0x2000, CLR = 0x3000;
const RAM = 0x20000000;

const mcu = new RP2040();
mcu.logger = { debug() {}, info() {}, warn() {}, error() {} };
const core1 = new Core1(mcu);
const out = {};

// Thumb code in SRAM. Core 0: b . (spins). Core 1 at ENTRY: ldr r0, [pc, #8] (SIO);
// ldr r1, [r0, #0] (CPUID); adds r1, #40; str r1, [r0, #0x54] (FIFO_WR); b .
const CORE0 = RAM + 0x100, ENTRY = RAM + 0x200, STACK = RAM + 0x1000;
mcu.writeUint16(CORE0, 0xe7fe);
[0x4802, 0x6801, 0x3128, 0x6541, 0xe7fe, 0x0000].forEach((h, i) => mcu.writeUint16(ENTRY + 2 * i, h));
mcu.writeUint32(ENTRY + 12, SIO);
mcu.core.PC = CORE0;

const read = (a) => mcu.readUint32(a) >>> 0;
const drain = () => { const words = []; while (read(FIFO_ST) & 1) words.push(read(FIFO_RD)); return words; };
const send = (words) => words.map((w) => { mcu.writeUint32(FIFO_WR, w); return read(FIFO_RD); });
const run = (n) => { for (let i = 0; i < n; i++) { mcu.core.executeInstruction(); if (core1.running) core1.catchUp(); } };

out.cpuid0 = read(SIO);
out.status_idle = read(FIFO_ST);                  // RDY, nothing to read
out.echo_broken = send([0, 0, 7]);                // echoed; 7 breaks the sequence
out.running_after_broken = core1.running;
out.echo_launch = send([0, 0, 1, 0x10000000, STACK, ENTRY | 1]);
out.running = core1.running;
out.core1_sp = core1.core.SP >>> 0;
out.core1_vtor = core1.core.VTOR >>> 0;
run(50);
out.from_core1 = drain();                          // its CPUID + 40
out.core1_pc_spinning = (core1.core.PC >>> 0) === ENTRY + 8;
out.cycles_in_step = Math.abs(core1.core.cycles - mcu.core.cycles) <= 4;
read(FIFO_RD);                                     // empty: ROE
out.status_roe = read(FIFO_ST);
mcu.writeUint32(FIFO_ST, 0);                       // a write clears the sticky bits
out.status_cleared = read(FIFO_ST);
mcu.writeUint32(PSM_FRCE_OFF + SET, 1 << 16);      // core 1 held in reset
out.running_in_reset = core1.running;
for (let i = 0; i < 9; i++) mcu.writeUint32(FIFO_WR, i);  // 8 fit, the 9th overflows
out.status_full = read(FIFO_ST);
mcu.writeUint32(PSM_FRCE_OFF + CLR, 1 << 16);      // out of reset: drains, sends a 0
out.after_reset = drain();
out.relaunch = send([0, 0, 1, 0x10000000, STACK, ENTRY | 1]);
out.running_again = core1.running;

// One divider per core: each core's division survives the other's in between.
const DIV_SDIVIDEND = SIO + 0x68, DIV_SDIVISOR = SIO + 0x6c, DIV_QUOTIENT = SIO + 0x70, DIV_REMAINDER = SIO + 0x74;
const cycles0 = mcu.core.cycles;
mcu.writeUint32(DIV_SDIVIDEND, 100); mcu.writeUint32(DIV_SDIVISOR, 7);    // core 0: 100 / 7
core1.current = 1;
const cycles1 = core1.core.cycles;
mcu.writeUint32(DIV_SDIVIDEND, -45); mcu.writeUint32(DIV_SDIVISOR, 4);    // core 1: -45 / 4
out.core1_division = [read(DIV_QUOTIENT) | 0, read(DIV_REMAINDER) | 0];
out.core1_divider_cycles = core1.core.cycles - cycles1;
core1.current = 0;
out.core0_division = [read(DIV_QUOTIENT) | 0, read(DIV_REMAINDER) | 0];
out.core0_divider_cycles = mcu.core.cycles - cycles0;
process.stdout.write(JSON.stringify(out) + '\n');
