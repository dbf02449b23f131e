// The run loop's contract: stop points depend only on the budget (compiled blocks stop
// exactly where one-at-a-time interpretation does), state round trips, the recent-eips
// ring, and coherence of decoded/compiled code with writes to code pages, by the guest
// itself or by the kernel through PhysicalMemory.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loopPassesPerRunMax } from "../../../vm/cpu/block-compiler.ts";
import { StopReason } from "../../../vm/cpu/stop-reason.ts";
import { PTE_P, PTE_RW, PTE_US } from "../../../vm/mmu/page-table-entry.ts";
import { checkProperty } from "../../support/seeded-property.ts";
import { codeAddress, createGuestMachine, hexBytes } from "./guest-machine.ts";

// A loop mixing memory operands, 8-bit generic instructions, a call with div, taken and
// untaken branches and a rep movsb; ends with int 0x80. The bytes are nasm 2.16's output
// (org 0x400000) for this source:
//   mov esi, 0x600000 / mov edi, 0x600100 / mov ecx, 0
//   outer: inc ecx / mov eax, ecx / imul eax, eax, 7 / add [esi], eax / mov bl, al /
//   add bl, 3 / mov [esi+4], bl / call f / cmp ecx, 50 / jl outer / push ecx /
//   mov ecx, 40 / rep movsb / pop ecx / sub esi, 40 / sub edi, 40 / cmp ecx, 200 /
//   jb outer / int 0x80
//   f: xor edx, edx / mov eax, ecx / mov ebx, 3 / div ebx / test edx, edx / jnz .r /
//   add dword [esi+8], 1 / .r: ret
const mixedLoop =
  "be00006000bf00016000b9000000004189c86bc007010688c380c303885e04e81e00000083f9327ce651b9" +
  "28000000f3a45983ee2883ef2881f9c800000072cfcd8031d289c8bb03000000f7f385d2750483460801c3";

// A block that branches back to itself, running off the mapped data into a #PF:
//   mov ecx, 20000 / mov edi, 0x600000 / l: add eax, ecx / mov [edi], al / inc edi /
//   dec ecx / jnz l / int 0x80
const selfLoop = "b9204e0000bf0000600001c88807474975f8cd80";

// Loops whose blocks begin before their loop head: while loops entered at their condition
// (the block follows the backward branch, then runs on into its own entry, or a forward
// branch falls through into it), and a loop nested in another whose block starts at the
// outer head; the inner loop's stores run off the mapped data into a #PF:
//   mov esi, 0x600000 / mov edi, 300 / xor ebp, ebp / jmp c1 / b1: add dword [esi], 1 /
//   add esi, 4 / c1: cmp esi, 0x600400 / jb b1 / jmp c2 / b2: add ebp, 3 / test ebp, 0x40 /
//   jnz o2 / c2: dec edi / jnz b2 / o2: mov esi, 0x600000 / xor ecx, ecx /
//   outer: mov ebx, 5 / inner: add eax, ebx / mov [esi], al / inc esi / dec ebx / jnz inner /
//   test eax, 1 / jz skip / inc edx / skip: inc ecx / cmp ecx, 5000 / jb outer / int 0x80
const loopsWithHeads =
  "be00006000bf2c01000031edeb0683060183c60481fe0004600072f2eb0b83c503f7c54000000075034f75f2" +
  "be0000600031c9bb0500000001d88806464b75f8a9010000007401424181f98813000072e2cd80";

// Rotates by constants inside a compiled loop, each followed by instructions that read the
// flags it left: CF and OF from the rotate, ZF and SF kept from the test or cmp before it.
// Counts of 1, 3, 5, 31, a multiple of the size (value kept, flags set) and 32 (masked to
// 0: no change at all), on 8-, 16- and 32-bit registers and memory. nasm 2.16, org 0x400000:
//   mov esi, 0x600000 / mov ecx, 3000 / mov eax, 0x81234567 / xor edx, edx / xor ebx, ebx /
//   l: add eax, ecx / test cl, 3 / rol eax, 3 / jc c1 / inc edx / c1: jo c2 / add edx, 3 /
//   c2: jz c3 / add edx, 5 / c3: cmp ecx, 1500 / ror ax, 5 / js c4 / add edx, 7 /
//   c4: adc edx, 0 / rol al, 9 / adc edx, 0 / ror byte [esi], 8 / adc edx, 0 /
//   rol dword [esi+4], 31 / adc edx, 0 / mov [esi], al / ror eax, 32 / adc edx, 0 / seto bl /
//   add edx, ebx / rol bx, 1 / adc edx, ebx / dec ecx / jnz l / mov eax, [esi] / int 0x80
const rotateLoop =
  "be00006000b9b80b0000b86745238131d231db01c8f6c103c1c003720142700383c203740383c20581f9dc05" +
  "000066c1c805780383c20783d200c0c00983d200c00e0883d200c146041f83d2008806c1c82083d2000f90c3" +
  "01da66d1c311da4975b18b06cd80";

// A linked list of 100 nodes walked 99 times: backward branches that are mostly not taken
// (the list's end), backward and forward ones mostly taken; then a read of unmapped memory:
//   mov esi, 0x600000 / mov ecx, 100 / build: lea eax, [esi + 8] / mov [esi], eax /
//   mov [esi + 4], ecx / mov esi, eax / dec ecx / jnz build / mov dword [esi - 8], 0 /
//   xor edi, edi / again: inc edi / cmp edi, 100 / je done / mov eax, 0x600000 / jmp check /
//   next: mov eax, [eax] / test eax, eax / je again / check: mov edx, [eax + 4] / test dl, 7 /
//   jnz skip / add ebx, edx / skip: jmp next / done: mov eax, [0x5ff000] / int 0x80
const listWalk =
  "be00006000b9640000008d46088906894e0489c64975f3c746f80000000031ff4783ff647419b800006000eb06" +
  "8b0085c074ed8b5004f6c207750201d3ebeea100f05f00cd80";

// Reads and writes alternating between data pages, in both of a block's page caches
// (explicit operands, and the stack through push/pop), with 32- and 8-bit accesses, some
// straddling two pages. The read at [edi + 0x10] reaches a read-only page four passes before
// the write at [edi] does, and is the last operand read before it: the block's read cache
// then holds that page, and the write must still fault (#PF at `mov [edi], eax`, cr2
// 0x604000, ecx 2048). nasm 2.16, org 0x400000:
//   mov esi, 0x600000 / mov edi, 0x602000 / xor ecx, ecx / l: mov edx, [esi] /
//   add edx, [edi + 0x10] / push edx / pop eax / mov [edi], eax / mov [esi + 3], al /
//   add [esi + 0x1001], ecx / add esi, 3 / add edi, 4 / inc ecx / jmp l
const pageWalk = "be00006000bf0020600031c98b1603571052588907884603018e0110000083c60383c70441ebe5";
const readOnlyPage = 0x604000;

// A loop that faults in its ninth pass (#PF at 0x604000), and code at `h` (offset 0x14) that
// the test runs next, as a kernel's signal handler would: the looping block's passes are
// charged with the fault, and never again to the block that runs after it. nasm 2.16, org
// 0x400000:
//   mov edi, 0x603fe0 / mov ecx, 100 / l: mov [edi], ecx / add edi, 4 / dec ecx / jnz l /
//   int 0x80 / h: add ebx, ecx / add ebx, edi / xor ebx, 0x55 / int 0x80
const faultThenHandler = "bfe03f6000b964000000890f83c7044975f8cd8001cb01fb83f355cd80";

// A loop first entered in its middle, so `x` has run twice when the head `top` has run once;
// rdtsc (which no block holds) keeps a block from running from `x` round to `top`:
//   mov ecx, 3 / jmp x / top: add esi, 1 / x: add ebx, 1 / dec ecx / rdtsc / jnz top /
//   int 0x80
const enteredInMiddle = "b903000000eb0383c60183c301490f3175f5cd80";

// A loop of 100 passes run 300 times: its blocks leave where it ends (loopRunsLong in
// vm/cpu/cpu.ts), so the code after it is a block of its own:
//   mov esi, 300 / outer: mov ecx, 100 / inner: add eax, ecx / dec ecx / jnz inner /
//   add ebx, 1 / dec esi / jnz outer / int 0x80
const longLoop = "be2c010000b96400000001c84975fb83c3014e75f0cd80";

// 32- and 16-bit loads, stores and a read-modify-write at every alignment inside a compiled
// loop: blocks access aligned ones through memory's word views and hand the others to the
// CPU's accessors (block-memory-code.ts). nasm 2.16, org 0x400000:
//   mov esi, 0x600000 / mov ecx, 250 / l: mov eax, ecx / imul eax, eax, 0x01010101 /
//   mov [esi], eax / mov [esi + 0x40], ax / mov edx, [esi + 1] / add ebx, edx /
//   movzx edx, word [esi + 0x41] / add ebx, edx / add [esi + 0x80], ecx / inc esi / dec ecx /
//   jnz l / int 0x80
const everyAlignment =
  "be00006000b9fa00000089c869c0010101018906668946408b560101d30fb7564101d3018e80000000464975ddcd80";

function snapshot(machine: ReturnType<typeof createGuestMachine>) {
  const cpu = machine.cpu;
  return {
    eip: cpu.eip,
    cycles: cpu.cycles,
    instructions: cpu.instructions,
    regs: Array.from(cpu.regs),
    eflags: cpu.getEflags(),
    memory: Array.from(machine.memory.readBytes(machine.physicalOf(0x600000), 0x180)),
  };
}

/**
 * Runs `code` interpreted and compiled (threshold 1) with the same random budgets, and
 * compares the stop reasons and state after each run, up to the program's trap.
 */
function checkSameStopsAsInterpreted(
  code: string,
  budgetMax: number,
  budgets: number,
  runs: number,
) {
  checkProperty(
    fc.property(
      fc.array(fc.integer({ min: 1, max: budgetMax }), { minLength: 1, maxLength: budgets }),
      (drawn) => {
        const interpreted = createGuestMachine(hexBytes(code), { compileThreshold: 0 });
        const compiled = createGuestMachine(hexBytes(code), { compileThreshold: 1 });
        for (const budget of drawn) {
          const a = interpreted.cpu.run(budget);
          expect(compiled.cpu.run(budget)).toBe(a);
          expect(snapshot(compiled)).toEqual(snapshot(interpreted));
          if (a === StopReason.Trap) break;
        }
      },
    ),
    "test/unit/cpu/run-loop.test.ts",
    runs,
  );
}

describe("compile points", () => {
  it("compiles a block where a path starts, not at a hot instruction inside one", () => {
    const machine = createGuestMachine(hexBytes(enteredInMiddle), { compileThreshold: 2 });
    expect(machine.cpu.run(10_000)).toBe(StopReason.Trap);
    // `x` reached the threshold first, in the middle of the path from `top`: the blocks are
    // at `top` (a branch target) and at jnz (after rdtsc), none at `x`.
    expect(machine.cpu.compiledBlocks).toBe(2);
    const regs = machine.cpu.regs;
    expect([regs[1], regs[3], regs[6]]).toEqual([0, 3, 2]);
  });

  it("counts the block runs it dispatches, none when nothing is compiled", () => {
    const interpreted = createGuestMachine(hexBytes(enteredInMiddle), { compileThreshold: 0 });
    expect(interpreted.cpu.run(10_000)).toBe(StopReason.Trap);
    expect(interpreted.cpu.blockDispatches).toBe(0);
    const compiled = createGuestMachine(hexBytes(listWalk), { compileThreshold: 2 });
    expect(compiled.cpu.run(1_000_000)).toBe(StopReason.Exception);
    const dispatches = compiled.cpu.blockDispatches;
    // At least once per walk of the list (99), and far fewer than instructions.
    expect(dispatches).toBeGreaterThanOrEqual(99);
    expect(dispatches).toBeLessThan(compiled.cpu.instructions / 2);
  });

  it("ends a block at the end of a loop the interpreter saw run long", () => {
    const machine = createGuestMachine(hexBytes(longLoop));
    expect(machine.cpu.run(1_000_000)).toBe(StopReason.Trap);
    // The inner loop; `mov ecx, 100`, a path start until the block after the loop holds it;
    // that block, from `add ebx, 1` round to the inner loop. Going on after the inner loop,
    // its block would hold the outer loop too, the only block.
    expect(machine.cpu.compiledBlocks).toBe(3);
    const regs = machine.cpu.regs;
    expect([regs[0], regs[3], regs[6]]).toEqual([300 * 5050, 300, 0]);
  });
  it("returns from a looping block to the run loop at least every loopPassesPerRunMax passes", () => {
    // mov ecx, passes / l: add eax, ecx / dec ecx / jnz l / int 0x80
    const passes = 5 * loopPassesPerRunMax;
    const code = `b9${passes.toString(16).padStart(8, "0").match(/../g)!.reverse().join("")}01c84975fbcd80`;
    const compiled = createGuestMachine(hexBytes(code), { compileThreshold: 2 });
    const interpreted = createGuestMachine(hexBytes(code), { compileThreshold: 0 });
    expect(compiled.cpu.run(1_000_000)).toBe(StopReason.Trap);
    expect(interpreted.cpu.run(1_000_000)).toBe(StopReason.Trap);
    expect(snapshot(compiled)).toEqual(snapshot(interpreted));
    // One block, from `l`, ran all passes but the first two: a run of it ends after at most
    // loopPassesPerRunMax + 1 of them however large the budget.
    expect(compiled.cpu.compiledBlocks).toBe(1);
    expect(compiled.cpu.blockDispatches).toBeGreaterThanOrEqual(
      Math.ceil((passes - 2) / (loopPassesPerRunMax + 1)),
    );
  });
  it("gives a loop's rare branch a side path: the interpreter's first runs may mislead", () => {
    // mov ecx, 6400 / l: inc edx / test edx, 63 / jnz skip / inc ebx / skip: dec ecx / jnz l /
    // int 0x80: `inc ebx` runs in 1 pass of 64, 3 times in the 200 before the block compiles.
    const code = "b90019000042f7c23f0000007501434975f3cd80";
    const compiled = createGuestMachine(hexBytes(code), { compileThreshold: 200 });
    const interpreted = createGuestMachine(hexBytes(code), { compileThreshold: 0 });
    expect(compiled.cpu.run(1_000_000)).toBe(StopReason.Trap);
    expect(interpreted.cpu.run(1_000_000)).toBe(StopReason.Trap);
    expect(snapshot(compiled)).toEqual(snapshot(interpreted));
    expect(compiled.cpu.regs[3]).toBe(100);
    expect(compiled.cpu.compiledSidePaths).toBeGreaterThanOrEqual(1);
    // Each rare pass leaves at the side path's copy of `jnz l` and comes back: about 100
    // dispatches, where without the side path the rare passes ran interpreted.
    expect(compiled.cpu.blockDispatches).toBeGreaterThanOrEqual(90);
    expect(compiled.cpu.blockDispatches).toBeLessThan(200);
  });
});

describe("budget stop points", () => {
  it("compiled and interpreted runs stop at the same instruction for any budgets", () => {
    checkSameStopsAsInterpreted(mixedLoop, 60, 400, 40);
  });

  it("a block looping on itself stops, faults and records eips exactly as interpretation", () => {
    // Budgets with a fraction too: a block works out how many of its loop's passes fit as it
    // starts, Cpu.run takes any budget, and a fraction must round the way `cycles < limit` does.
    checkProperty(
      fc.property(
        fc.array(
          fc
            .tuple(fc.integer({ min: 1, max: 30_000 }), fc.constantFrom(0, 0.25, 0.5, 0.75))
            .map(([whole, fraction]) => whole + fraction),
          { minLength: 1, maxLength: 40 },
        ),
        (budgets) => {
          const interpreted = createGuestMachine(hexBytes(selfLoop), { compileThreshold: 0 });
          const compiled = createGuestMachine(hexBytes(selfLoop), { compileThreshold: 1 });
          for (const budget of budgets) {
            const a = interpreted.cpu.run(budget);
            expect(compiled.cpu.run(budget)).toBe(a);
            expect(snapshot(compiled)).toEqual(snapshot(interpreted));
            expect(compiled.cpu.recentEips(12)).toEqual(interpreted.cpu.recentEips(12));
            if (a === StopReason.Exception) {
              expect(compiled.cpu.eip).toBe(codeAddress + 12);
              expect(compiled.mmu.cr2).toBe(0x604000);
              break;
            }
          }
        },
      ),
      "test/unit/cpu/run-loop.test.ts",
      30,
    );
  });

  it("a block that faults before its first flag record leaves the flags it was entered with", () => {
    // The block at f (entered by an indirect call, after cmp set CF) makes its first flag
    // record with add, after a load that faults once esi runs off the mapped data: the flags
    // at the fault are still cmp's, though the block never loaded them (block-compiler.ts).
    // nasm 2.16, org 0x400000:
    //   mov esi, 0x600000 / mov edi, f / l: cmp esi, 0x6ffff0 / call edi / jmp l /
    //   f: mov eax, [esi] / add esi, 0x100 / ret
    const faultBeforeRecord = "be00006000bf1400400081fef0ff6f00ffd7ebf68b0681c600010000c3";
    for (const budget of [100_000, 7, 23]) {
      const interpreted = createGuestMachine(hexBytes(faultBeforeRecord), { compileThreshold: 0 });
      const compiled = createGuestMachine(hexBytes(faultBeforeRecord), { compileThreshold: 1 });
      let stop = StopReason.Budget;
      while (stop === StopReason.Budget) {
        stop = interpreted.cpu.run(budget);
        expect(compiled.cpu.run(budget)).toBe(stop);
        expect(snapshot(compiled)).toEqual(snapshot(interpreted));
      }
      expect(stop).toBe(StopReason.Exception);
      expect(compiled.mmu.cr2).toBe(0x604000);
      expect(compiled.cpu.getEflags() & 1).toBe(1);
      expect(compiled.cpu.compiledBlocks).toBeGreaterThan(0);
    }
  });

  // Each program ends in a #PF at eip `faultOffset` from the code, for address cr2.
  const programs = [
    {
      name: "loops entered before their head",
      hex: loopsWithHeads,
      faultOffset: 0x3a,
      cr2: 0x604000,
    },
    {
      name: "branches mostly going the other way",
      hex: listWalk,
      faultOffset: 0x3f,
      cr2: 0x5ff000,
    },
  ];
  for (const program of programs) {
    it(`${program.name}: stops, faults and records eips exactly as interpretation`, () => {
      checkProperty(
        fc.property(
          fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 60 }),
          fc.integer({ min: 1, max: 4 }),
          (budgets, compileThreshold) => {
            const interpreted = createGuestMachine(hexBytes(program.hex), {
              compileThreshold: 0,
            });
            const compiled = createGuestMachine(hexBytes(program.hex), { compileThreshold });
            for (const budget of budgets) {
              const a = interpreted.cpu.run(budget);
              expect(compiled.cpu.run(budget)).toBe(a);
              expect(snapshot(compiled)).toEqual(snapshot(interpreted));
              expect(compiled.cpu.recentEips(40)).toEqual(interpreted.cpu.recentEips(40));
              if (a === StopReason.Exception) {
                expect(compiled.cpu.eip).toBe(codeAddress + program.faultOffset);
                expect(compiled.mmu.cr2).toBe(program.cr2);
                break;
              }
            }
          },
        ),
        "test/unit/cpu/run-loop.test.ts",
        30,
      );
    });
  }

  it("page caches: reads and writes across pages and into a read-only one as interpretation", () => {
    const machineWith = (compileThreshold: number) => {
      const machine = createGuestMachine(hexBytes(pageWalk), { compileThreshold });
      machine.map(readOnlyPage, PTE_P | PTE_US);
      return machine;
    };
    const dataOf = (machine: ReturnType<typeof createGuestMachine>) =>
      Array.from(machine.memory.readBytes(machine.physicalOf(0x600000), 0x4000));
    checkProperty(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        (budgets, compileThreshold) => {
          const interpreted = machineWith(0);
          const compiled = machineWith(compileThreshold);
          for (const budget of budgets) {
            const a = interpreted.cpu.run(budget);
            expect(compiled.cpu.run(budget)).toBe(a);
            expect(snapshot(compiled)).toEqual(snapshot(interpreted));
            if (a === StopReason.Exception) {
              expect(compiled.cpu.eip).toBe(codeAddress + 0x13);
              expect(compiled.mmu.cr2).toBe(readOnlyPage);
              expect(dataOf(compiled)).toEqual(dataOf(interpreted));
              break;
            }
          }
        },
      ),
      "test/unit/cpu/run-loop.test.ts",
      20,
    );
    const compiled = machineWith(1);
    expect(compiled.cpu.run(1e7)).toBe(StopReason.Exception);
    expect(compiled.cpu.eip).toBe(codeAddress + 0x13);
    expect(compiled.cpu.regs[1]).toBe(2048);
    expect(compiled.cpu.compiledBlocks).toBeGreaterThan(0);
  });

  it("charges a looping block's passes with its fault, and not to the block after it", () => {
    const interpreted = createGuestMachine(hexBytes(faultThenHandler), { compileThreshold: 0 });
    const compiled = createGuestMachine(hexBytes(faultThenHandler), { compileThreshold: 1 });
    for (const machine of [interpreted, compiled]) {
      expect(machine.cpu.run(1e6)).toBe(StopReason.Exception);
      expect(machine.cpu.eip).toBe(codeAddress + 0xa);
      expect(machine.cpu.regs[1]).toBe(92);
    }
    expect(snapshot(compiled)).toEqual(snapshot(interpreted));
    for (const machine of [interpreted, compiled]) {
      machine.cpu.eip = codeAddress + 0x14;
      expect(machine.cpu.run(1e6)).toBe(StopReason.Trap);
    }
    expect(compiled.cpu.blockDispatches).toBe(2);
    expect(snapshot(compiled)).toEqual(snapshot(interpreted));
  });

  it("rotates by constants leave the same values and flags compiled as interpreted", () => {
    checkSameStopsAsInterpreted(rotateLoop, 5_000, 60, 20);
    const interpreted = createGuestMachine(hexBytes(rotateLoop), { compileThreshold: 0 });
    const compiled = createGuestMachine(hexBytes(rotateLoop), { compileThreshold: 1 });
    expect(interpreted.cpu.run(1e7)).toBe(StopReason.Trap);
    expect(compiled.cpu.run(1e7)).toBe(StopReason.Trap);
    expect(snapshot(compiled)).toEqual(snapshot(interpreted));
  });

  it("16- and 32-bit accesses at every alignment leave the same state compiled as interpreted", () => {
    checkSameStopsAsInterpreted(everyAlignment, 3_000, 40, 20);
    const compiled = createGuestMachine(hexBytes(everyAlignment), { compileThreshold: 1 });
    expect(compiled.cpu.run(1e7)).toBe(StopReason.Trap);
    // The last pass (ecx 1) stored 0x01010101 at 0x6000f9 and its low half at 0x600139.
    expect(compiled.memory.readBytes(compiled.physicalOf(0x6000f9), 4)).toEqual(
      Uint8Array.of(1, 1, 1, 1),
    );
    expect(compiled.cpu.blockDispatches).toBeGreaterThan(0);
  });

  it("stops at the first instruction boundary where the budget is used up", () => {
    const stepper = createGuestMachine(hexBytes(mixedLoop), { compileThreshold: 0 });
    const boundaries = [0];
    for (let i = 0; i < 400; i++) {
      stepper.cpu.run(1);
      boundaries.push(stepper.cpu.cycles);
    }
    for (let budget = 1; budget < 300; budget += 7) {
      const machine = createGuestMachine(hexBytes(mixedLoop), { compileThreshold: 1 });
      machine.cpu.run(budget);
      const expectedCycles = boundaries.find((cycles) => cycles >= budget);
      expect(machine.cpu.cycles, `budget ${budget}`).toBe(expectedCycles);
    }
  });

  it("runs the whole program to the same end in both modes", () => {
    const interpreted = createGuestMachine(hexBytes(mixedLoop), { compileThreshold: 0 });
    const compiled = createGuestMachine(hexBytes(mixedLoop));
    expect(interpreted.cpu.run(1e7)).toBe(StopReason.Trap);
    expect(compiled.cpu.run(1e7)).toBe(StopReason.Trap);
    expect(snapshot(compiled)).toEqual(snapshot(interpreted));
    expect(compiled.cpu.regs[1]).toBe(200);
  });
});

describe("code coherence", () => {
  // mov ecx, 3 / again: mov byte [patch+1], cl / patch: mov eax, 0x11111111 /
  // add [0x600000], eax / loop again / int 0x80
  const selfModifying = "b903000000880d0c004000b811111111010500006000e2edcd80";

  // The same with dec ecx / jnz again: the block loops on itself.
  const selfModifyingLoop = "b903000000880d0c004000b8111111110105000060004975eccd80";

  it.each([
    ["interpreted", 0, selfModifying],
    ["compiled", 1, selfModifying],
    ["interpreted, jnz", 0, selfModifyingLoop],
    ["compiled, jnz", 1, selfModifyingLoop],
  ])("executes the bytes a store just wrote into its own block (%s)", (_mode, threshold, code) => {
    const machineWith = (compileThreshold: number) => {
      const machine = createGuestMachine(hexBytes(code), { compileThreshold });
      machine.map(codeAddress, PTE_P | PTE_US | PTE_RW, machine.physicalOf(codeAddress));
      return machine;
    };
    const machine = machineWith(threshold);
    expect(machine.cpu.run(1e6)).toBe(StopReason.Trap);
    // A compiled block stops before each such store (codeWriteStop), which then runs
    // interpreted: the instructions started are those of one-at-a-time execution.
    const interpreted = machineWith(0);
    interpreted.cpu.run(1e6);
    expect(machine.cpu.recentEips(40)).toEqual(interpreted.cpu.recentEips(40));
    expect(machine.cpu.cycles).toBe(interpreted.cpu.cycles);
    // 0x11111103 + 0x11111102 + 0x11111101
    expect(machine.peek32(0x600000)).toBe(0x33333306);
    expect(machine.cpu.instructions).toBe(code === selfModifying ? 1 + 3 * 4 + 1 : 1 + 3 * 5 + 1);
  });

  it("sees code the kernel rewrites between runs through PhysicalMemory", () => {
    // again: add eax, 1 / jmp again  (83 C0 01 EB FB)
    const machine = createGuestMachine(hexBytes("83c001ebfb"));
    machine.cpu.run(1000);
    const counted = machine.cpu.regs[0]!;
    expect(counted).toBeGreaterThan(100);
    machine.memory.write8(machine.physicalOf(codeAddress + 2), 0x10); // add eax, 16
    machine.cpu.eip = codeAddress;
    machine.cpu.run(2);
    expect(machine.cpu.regs[0]).toBe(counted + 16);
  });

  it("flushDecodeCache keeps execution correct", () => {
    const machine = createGuestMachine(hexBytes(mixedLoop));
    machine.cpu.run(5000);
    machine.cpu.flushDecodeCache();
    expect(machine.cpu.run(1e7)).toBe(StopReason.Trap);
    expect(machine.cpu.regs[1]).toBe(200);
  });
});

describe("state", () => {
  it("round-trips registers, eip, EFLAGS and counters through a plain object", () => {
    const machine = createGuestMachine(hexBytes(mixedLoop));
    machine.cpu.run(777);
    const state = machine.cpu.getState();
    const copy = JSON.parse(JSON.stringify(state));
    const other = createGuestMachine(hexBytes(mixedLoop));
    other.memory.setState(machine.memory.getState());
    other.cpu.setState(copy);
    expect(other.cpu.getState()).toEqual(state);
    expect(other.cpu.run(1e7)).toBe(machine.cpu.run(1e7));
    expect(snapshot(other)).toEqual(snapshot(machine));
  });

  it("reads EFLAGS bit 1 as 1 and keeps IF as set", () => {
    const machine = createGuestMachine([]);
    machine.cpu.setEflags(0);
    expect(machine.cpu.getEflags()).toBe(2);
    machine.cpu.setEflags(0x200 | 0x1);
    expect(machine.cpu.getEflags()).toBe(0x203);
  });

  it("refuses a state with the wrong number of registers", () => {
    const machine = createGuestMachine([]);
    const state = { ...machine.cpu.getState(), regs: [1, 2, 3] };
    expect(() => machine.cpu.setState(state)).toThrow(/regs has 3 entries/);
  });

  it("lists the most recent eips, oldest first, through blocks and interpretation", () => {
    // inc eax / inc eax / inc eax / jmp back to the start (40 40 40 EB FB)
    const machine = createGuestMachine(hexBytes("404040ebfb"), { compileThreshold: 2 });
    machine.cpu.run(100);
    const eips = machine.cpu.recentEips(6);
    const cycle = [0, 1, 2, 3].map((i) => codeAddress + i);
    expect(eips).toHaveLength(6);
    for (let i = 1; i < eips.length; i++) {
      const previous = cycle.indexOf(eips[i - 1]!);
      expect(eips[i]).toBe(cycle[(previous + 1) % 4]);
    }
    expect(eips[5]).toBe(cycle[(cycle.indexOf(machine.cpu.eip) + 3) % 4]);
  });
});
