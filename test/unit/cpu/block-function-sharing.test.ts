// Compiled block functions are shared by source within a thread, so the nodes a worker runs
// make (and V8 optimises) one function per distinct block, not one per node; and two
// processors running the same code from one shared function still keep their own state.

import { describe, expect, it } from "vitest";
import { compileBlockFunction } from "../../../vm/cpu/block-compiler.ts";
import { codeAddress, createGuestMachine, hexBytes } from "./guest-machine.ts";

// mov ecx, 1000 / l: add eax, ecx / dec ecx / jnz l / int 0x80
const countdown = "b9e803000001c84975fbcd80";

describe("block functions shared by source", () => {
  it("returns the function already made for the same source, a new one for another", () => {
    const first = compileBlockFunction("return 1;");
    expect(compileBlockFunction("return 1;")).toBe(first);
    expect(compileBlockFunction("return 2;")).not.toBe(first);
  });

  it("two processors running the same block each end with their own registers", () => {
    const one = createGuestMachine(hexBytes(countdown));
    const two = createGuestMachine(hexBytes(countdown));
    two.cpu.r[0] = 7;
    one.cpu.run(1_000_000);
    two.cpu.run(1_000_000);
    expect(one.cpu.r[0]).toBe(500_500);
    expect(two.cpu.r[0]).toBe(500_507);
    expect(one.cpu.eip).toBe(two.cpu.eip);
    expect(one.cpu.eip).toBeGreaterThan(codeAddress);
  });
});
