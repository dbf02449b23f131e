// How a faulting guest access leaves the interpreter: the CPU records the vector and error
// code, then throws this one preallocated object; `Cpu.run` catches it, leaves the state as
// it was before the instruction and returns StopReason.Exception. Faults are rare, so the
// throw costs nothing on the hot path, and no allocation happens per fault.

export class GuestFault extends Error {
  constructor() {
    super("guest fault (internal signal of the CPU; never escapes Cpu.run)");
    this.name = "GuestFault";
  }
}

export const guestFault = new GuestFault();
