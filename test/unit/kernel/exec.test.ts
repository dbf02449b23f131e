// Whole programs through runExecutable. Each fixture was run under qemu-i386 (Linux's
// behaviour; see fixtures/record.sh): sterna must give the same stdout, stderr and status.
// Fault details follow the Intel SDM: the faulting instruction's eip (addresses from the
// nasm sources and ld's layout, text at 0x08049000), CR2, and the #PF error code bits
// P=1 W=2 U=4 I=0x10.

import { describe, expect, it } from "vitest";
import { type ExecResult, runExecutable } from "../../../kernel/run-executable.ts";
import { fixtureImage, latin1, recordedRun, text } from "./fixtures.ts";

const textAddress = 0x08049000;

const results = new Map<string, ExecResult>();

/** Runs a fixture as it was recorded, once per test file: fault tests reuse the run. */
function runRecorded(name: string) {
  const recorded = recordedRun(name);
  let result = results.get(name);
  if (!result) {
    result = runExecutable(fixtureImage(name), {
      argv: recorded.argv,
      stdin: latin1(recorded.stdin),
    });
    results.set(name, result);
  }
  return { recorded, result };
}

describe("runExecutable matches qemu-i386", () => {
  const programs = [
    "hello",
    "args",
    "cat",
    "syscalls",
    "brk",
    "brk-large",
    "bss-large",
    "stack-growth",
    "sieve",
    "stack-overflow",
    "ud2",
    "div-zero",
    "write-text",
    "hlt",
    "null-read",
    "int3",
    "int-81",
    "jump-unmapped",
  ];
  for (const name of programs) {
    it(name, () => {
      const { recorded, result } = runRecorded(name);
      expect({
        stdout: text(result.stdout),
        stderr: text(result.stderr),
        status: result.status,
      }).toEqual({
        stdout: recorded.stdout,
        stderr: recorded.stderr,
        status: recorded.status,
      });
    });
  }
});

describe("fault reports", () => {
  const fault = (name: string) => runRecorded(name).result.fault;

  it("#PF on a write to text: protection violation, write, user", () => {
    expect(fault("write-text")).toEqual({
      name: "#PF",
      vector: 14,
      eip: textAddress,
      errorCode: 7,
      cr2: textAddress,
    });
  });

  it("#PF on a read of address 0: not present, read, user", () => {
    expect(fault("null-read")).toEqual({
      name: "#PF",
      vector: 14,
      eip: textAddress,
      errorCode: 4,
      cr2: 0,
    });
  });

  it("#PF on fetching from an unmapped page: instruction fetch, user, not present", () => {
    expect(fault("jump-unmapped")).toEqual({
      name: "#PF",
      vector: 14,
      eip: 0x100,
      errorCode: 0x14,
      cr2: 0x100,
    });
  });

  it("#PF below the 8 MiB stack, on the push that overflows it", () => {
    const report = fault("stack-overflow");
    expect(report).toMatchObject({ name: "#PF", vector: 14, eip: textAddress, errorCode: 6 });
    expect(report?.cr2).toBe(0xc0000000 - 8 * 1024 * 1024 - 4);
  });

  it("#UD at the ud2 after a one-byte nop; #DE at the div after 9 bytes of setup", () => {
    expect(fault("ud2")).toEqual({ name: "#UD", vector: 6, eip: textAddress + 1, errorCode: 0 });
    expect(fault("div-zero")).toEqual({
      name: "#DE",
      vector: 0,
      eip: textAddress + 9,
      errorCode: 0,
    });
  });

  it("#GP(0) for hlt; #GP with the IDT error code for int 0x81 (0x81 * 8 + 2)", () => {
    expect(fault("hlt")).toEqual({ name: "#GP", vector: 13, eip: textAddress, errorCode: 0 });
    expect(fault("int-81")).toEqual({
      name: "#GP",
      vector: 13,
      eip: textAddress,
      errorCode: 0x40a,
    });
  });

  it("#BP after int3, eip past it as Linux reports", () => {
    expect(fault("int3")).toEqual({ name: "#BP", vector: 3, eip: textAddress + 1, errorCode: 0 });
  });

  it("adds the last eips when asked, ending at the faulting instruction", () => {
    const result = runExecutable(fixtureImage("div-zero"), { argv: ["div-zero"], lastEips: 3 });
    // mov eax, 1 (5 bytes), xor edx, edx (2), xor ecx, ecx (2), div ecx
    expect(result.fault?.lastEips?.slice(-3)).toEqual([
      textAddress + 5,
      textAddress + 7,
      textAddress + 9,
    ]);
  });
});

describe("runExecutable options and counters", () => {
  it("passes output to callbacks as it is written instead of collecting it", () => {
    const out: string[] = [];
    const err: string[] = [];
    const result = runExecutable(fixtureImage("hello"), {
      argv: ["hello"],
      onStdout: (bytes) => out.push(text(bytes)),
      onStderr: (bytes) => err.push(text(bytes)),
    });
    expect(out).toEqual(["hello, world\n"]);
    expect(err).toEqual(["a line on stderr\n"]);
    expect(result.stdout.length + result.stderr.length).toBe(0);
  });

  it("reads stdin from a callback, as much as it offers each time", () => {
    const input = latin1("a callback feeds this in pieces\n");
    let offset = 0;
    const asked: number[] = [];
    const result = runExecutable(fixtureImage("cat"), {
      argv: ["cat"],
      stdin: (maxBytes) => {
        asked.push(maxBytes);
        const piece = input.subarray(offset, offset + 3);
        offset += piece.length;
        return piece;
      },
    });
    expect(text(result.stdout)).toBe("a callback feeds this in pieces\n");
    expect(Math.max(...asked)).toBe(5);
    expect(result.status).toBe(0);
  });

  it("kills a program at the instruction limit with status 137", () => {
    const result = runExecutable(fixtureImage("sieve"), { argv: ["sieve"], maxInstructions: 5000 });
    expect(result.status).toBe(137);
    expect(result.instructionLimitReached).toBe(true);
    expect(result.fault).toBeUndefined();
    expect(result.instructions).toBeGreaterThanOrEqual(4990);
    expect(result.instructions).toBeLessThanOrEqual(5000);
  });

  it("counts virtual time as cycles at 100 MHz, kernel work included, and repeats exactly", () => {
    const first = runExecutable(fixtureImage("sieve"), { argv: ["sieve"] });
    const second = runExecutable(fixtureImage("sieve"), { argv: ["sieve"] });
    expect(first.virtualNs).toBeCloseTo(first.cycles * 10, 3);
    expect(first.cycles).toBeGreaterThan(first.instructions);
    expect([second.instructions, second.cycles]).toEqual([first.instructions, first.cycles]);
  });

  it("runs in a smaller machine, and refuses to start in one too small", () => {
    expect(
      runExecutable(fixtureImage("hello"), { argv: ["hello"], memoryBytes: 1 << 20 }).status,
    ).toBe(7);
    expect(() =>
      runExecutable(fixtureImage("hello"), { argv: ["hello"], memoryBytes: 8 * 4096 }),
    ).toThrow(/out of memory/);
  });

  it("throws the ELF error for a file that is not an executable", () => {
    expect(() => runExecutable(latin1("plain text"), { argv: ["x"] })).toThrow(
      "not an ELF file (bad magic)",
    );
  });
});
