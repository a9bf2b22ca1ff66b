// Puts a firmware image into the emulated flash: an ELF (its PT_LOAD segments at
// their load addresses) or a raw .bin that starts at 0x10000000.
const FLASH_BASE = 0x10000000;

export function loadFirmware(mcu, image) {
  const isElf = image.length > 52 && image.readUInt32BE(0) === 0x7f454c46;
  if (!isElf) {
    mcu.flash.set(image, 0);
    return;
  }
  const phoff = image.readUInt32LE(28);
  const phentsize = image.readUInt16LE(42);
  const phnum = image.readUInt16LE(44);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    const type = image.readUInt32LE(ph);
    const offset = image.readUInt32LE(ph + 4);
    const paddr = image.readUInt32LE(ph + 12);
    const filesz = image.readUInt32LE(ph + 16);
    if (type !== 1 || filesz === 0) continue;
    if (paddr < FLASH_BASE || paddr + filesz > FLASH_BASE + mcu.flash.length) {
      throw new Error(`ELF segment at 0x${paddr.toString(16)} is outside the flash`);
    }
    mcu.flash.set(image.subarray(offset, offset + filesz), paddr - FLASH_BASE);
  }
}
