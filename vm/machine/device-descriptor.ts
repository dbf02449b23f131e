// A device's self-description, in the style of sys161's LAMEbus records: the kernel
// discovers devices by reading these instead of hard-coding which IRQ or register does what.
// It leaves out bus addresses: sterna's kernel reaches registers by name through the device.

/** One device register: a name the kernel uses and its width. */
export interface DeviceRegister {
  name: string;
  widthBits: 8 | 32;
  access: "read" | "write" | "read-write";
}

/** One IRQ line of a device that raises several, and what it signals. */
export interface DeviceIrqLine {
  irq: number;
  meaning: string;
}

/** What a device is: its name, the IRQ line it raises (-1 for none) and its registers. */
export interface DeviceDescriptor {
  name: string;
  /** The device's (first) IRQ line. */
  irq: number;
  /** Every line, for a device with more than one (the NIC: receive and transmit-done). */
  irqLines?: readonly DeviceIrqLine[];
  registers: readonly DeviceRegister[];
}
