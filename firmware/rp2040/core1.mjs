// The RP2040's second core, which rp2040js 1.4.1 does not model: a second Cortex-M0+ on
// the same bus, SIO's CPUID and inter-core FIFOs (8 words each way), core 1's power
// switch (PSM FRCE_OFF.proc1) and the bootrom's wait for a launch (RP2040 datasheet
// 2.8.2): core 1 echoes each word core 0 sends, and the words 0, 0, 1, vector table,
// stack pointer, entry start it there (a word that breaks the sequence starts it over).
// Out of reset, core 1 drains its FIFO and sends core 0 a 0, as the bootrom does.
// Lockstep: after each instruction of core 0, core 1 runs until it has caught up in
// cycles, so cycle counts read on core 0 are elapsed time for both. Each core has its own
// hardware divider, as on the chip: rp2040js's one holds the state of whichever core
// used it last, the other's is kept here.
const CPUID = 0x000;
const FIFO_ST = 0x050;
const FIFO_WR = 0x054;
const FIFO_RD = 0x058;
const FIFO_DEPTH = 8;
const ST_VLD = 1, ST_RDY = 2, ST_WOF = 4, ST_ROE = 8;
const DIV_FIRST = 0x060, DIV_LAST = 0x078; // the divider's registers, one divider per core
const DIV_STATE = ['divDividend', 'divDivisor', 'divQuotient', 'divRemainder', 'divCSR'];
const PSM_FRCE_OFF = 0x04;
const PROC1 = 1 << 16;
const LAUNCH_HEAD = [0, 0, 1];
const RESET = 'reset', BOOTROM = 'bootrom', RUNNING = 'running', BUSY = 'busy';

export class Core1 {
  // busy: core 1 starts out running code of its own that never reads the FIFO (as a
  // firmware's thread would), until a PSM reset puts it into the bootrom.
  constructor(mcu, { busy = false } = {}) {
    this.mcu = mcu;
    this.core = new mcu.core.constructor(mcu);
    this.state = busy ? BUSY : BOOTROM;
    this.fifos = [[], []]; // fifos[n]: the words waiting for core n
    this.sticky = [0, 0];  // WOF / ROE per core
    this.launch = [];      // the bootrom's words of the sequence so far
    this.current = 0;      // the core whose access SIO serves
    this.divider = { divDividend: 0, divDivisor: 1, divQuotient: 0, divRemainder: 0, divCSR: 0 };
    this.dividerCore = 0;  // whose state rp2040js's divider holds
    this.patchSio(mcu.sio);
    this.patchPsm(mcu.peripherals[0x40010]);
  }

  get running() { return this.state === RUNNING; }

  patchSio(sio) {
    const read = sio.readUint32.bind(sio), write = sio.writeUint32.bind(sio);
    const divide = sio.updateHardwareDivider.bind(sio);
    sio.updateHardwareDivider = (signed) => {
      divide(signed); // adds its 8 cycles to core 0's count: move them when core 1 divided
      if (this.current === 1) { this.mcu.core.cycles -= 8; this.core.cycles += 8; }
    };
    const own = (offset) => {
      if (offset >= DIV_FIRST && offset <= DIV_LAST && this.dividerCore !== this.current) {
        for (const key of DIV_STATE) [sio[key], this.divider[key]] = [this.divider[key], sio[key]];
        this.dividerCore = this.current;
      }
    };
    sio.readUint32 = (offset) => {
      own(offset);
      switch (offset) {
        case CPUID: return this.current;
        case FIFO_ST: return this.status(this.current);
        case FIFO_RD: return this.pop(this.current);
        default: return read(offset);
      }
    };
    sio.writeUint32 = (offset, value) => {
      own(offset);
      switch (offset) {
        case FIFO_ST: this.sticky[this.current] = 0; break; // any write clears WOF and ROE
        case FIFO_WR: this.push(1 - this.current, value >>> 0); break;
        default: write(offset, value);
      }
    };
  }

  patchPsm(psm) {
    const write = psm.writeUint32.bind(psm);
    psm.writeUint32 = (offset, value) => {
      write(offset, value);
      if (offset !== PSM_FRCE_OFF) return;
      if (psm.frceOff & PROC1) {
        this.state = RESET;
      } else if (this.state === RESET) {
        this.state = BOOTROM;
        this.launch = [];
        this.fifos[1] = [];
        this.push(0, 0);
      }
    };
  }

  status(n) {
    const other = this.fifos[1 - n];
    return (this.fifos[n].length ? ST_VLD : 0) | (other.length < FIFO_DEPTH ? ST_RDY : 0) | this.sticky[n];
  }

  pop(n) {
    if (!this.fifos[n].length) {
      this.sticky[n] |= ST_ROE;
      return 0;
    }
    return this.fifos[n].shift();
  }

  push(n, value) {
    if (this.fifos[n].length >= FIFO_DEPTH) {
      this.sticky[1 - n] |= ST_WOF;
      return;
    }
    this.fifos[n].push(value);
    if (n === 1 && this.state === BOOTROM) this.bootrom();
  }

  // The bootrom's side of the launch: echo, check, and start at the sixth word.
  bootrom() {
    while (this.fifos[1].length) {
      const word = this.fifos[1].shift();
      this.push(0, word);
      const at = this.launch.length;
      this.launch = at < LAUNCH_HEAD.length && word !== LAUNCH_HEAD[at] ? [] : [...this.launch, word];
      if (this.launch.length === 6) {
        this.start(...this.launch.slice(3));
        return;
      }
    }
  }

  start(vectorTable, stackPointer, entry) {
    const core = this.core;
    core.VTOR = vectorTable;
    core.reset();
    core.SP = stackPointer;
    core.PC = entry & ~1;
    core.LR = 0xfffffffe; // the entry must not return (a chip would run into the bootrom)
    core.cycles = this.mcu.core.cycles;
    this.state = RUNNING;
  }

  // Runs core 1 up to core 0's cycle count.
  catchUp() {
    const core = this.core, until = this.mcu.core.cycles;
    this.current = 1;
    while (this.state === RUNNING && core.cycles < until && !core.waiting) core.executeInstruction();
    this.current = 0;
  }
}
