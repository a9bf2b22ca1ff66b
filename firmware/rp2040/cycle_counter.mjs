// A peripheral that is not on the RP2040: the emulator's cycle counter, mapped into
// an unused APB slot (0x40068000) so firmware can read exact Cortex-M0+ cycle counts.
// Reading LO latches HI, like the RP2040 TIMER's TIMELR/TIMEHR.
import { BasePeripheral } from 'rp2040js';

export const CYCLE_COUNTER_SLOT = 0x40068; // rp2040js indexes peripherals by address >>> 12
const LO = 0x0;
const HI = 0x4;
const MAGIC = 0x8;

export class CycleCounter extends BasePeripheral {
  constructor(rp2040, name) {
    super(rp2040, name);
    this.latchedHigh = 0;
  }

  readUint32(offset) {
    const cycles = this.rp2040.core.cycles;
    switch (offset) {
      case LO:
        this.latchedHigh = Math.floor(cycles / 2 ** 32);
        return cycles >>> 0;
      case HI:
        return this.latchedHigh;
      case MAGIC:
        return 0x45435943;
      default:
        return 0;
    }
  }

  writeUint32() {}
}
