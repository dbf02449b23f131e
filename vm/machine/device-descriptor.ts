// A device's self-description, in the style of sys161's LAMEbus records: the kernel
// discovers devices by reading these instead of hard-coding which IRQ or register does what.
// It leaves out bus addresses: sterna's kernel reaches registers by name through the device.

/** One device register: a name the kernel uses and its width. */
export interface DeviceRegister {
  name: string;
  widthBits: 8 | 32;
  access: "read" | "write" | "read-write";
}

/** What a device is: its name, the IRQ line it raises (-1 for none) and its registers. */
export interface DeviceDescriptor {
  name: string;
  irq: number;
  registers: readonly DeviceRegister[];
}
