// The fixed identity `cpuid` reports, so that guest code probing the processor sees the same
// answers on every host and every run (docs/cpu.md lists them). Leaf 0: highest leaf 1 and
// the vendor string "SternaI386VM"; leaf 1: family 4 model 0 stepping 0 and, of the feature
// bits, only what sterna implements: TSC (rdtsc, bit 4) and CMOV (bit 15). Every other leaf,
// extended ones included, reads as zeros (so 0x80000000 reports no extended leaves).

const vendorEbx = 0x72657453; // "Ster"
const vendorEdx = 0x3349616e; // "naI3"
const vendorEcx = 0x4d563638; // "86VM"
const highestLeaf = 1;
const familyModelStepping = 0x400;
const featureTsc = 1 << 4;
const featureCmov = 1 << 15;

/** eax, ebx, ecx, edx for the leaf in eax (ecx, the sub-leaf, selects nothing here). */
export function cpuidLeaf(leaf: number, out: Int32Array): void {
  out.fill(0);
  if (leaf === 0) {
    out[0] = highestLeaf;
    out[1] = vendorEbx;
    out[2] = vendorEcx;
    out[3] = vendorEdx;
  } else if (leaf === 1) {
    out[0] = familyModelStepping;
    out[3] = featureTsc | featureCmov;
  }
}
