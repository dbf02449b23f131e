// What the fuzzing campaign (`npm run fuzz`) found, each kept as a test of its cause and of
// the input that found it (`npm run fuzz -- --target T --seed S --index I` replays it).

import { describe, expect, it } from "vitest";
import { runExecutable } from "../../../kernel/run-executable.ts";
import { generateInput } from "../../../tools/fuzz/inputs.ts";
import { syscallsTarget } from "../../../tools/fuzz/targets/syscalls.ts";
import { assembleGuest } from "../node/boot-guests.ts";

describe("fuzz findings", () => {
  it("syscall seed 1 #1876: a sleep that ends late in a long run wakes (it hung the host)", () => {
    // At 195.7 s of virtual time the wake-up's cycle had come but, ns -> cycles -> ns not
    // round-tripping, its ns had not: runUntil looped with a budget of 0 cycles for ever.
    const sleeper = assembleGuest(
      '%include "sterna.inc"\nsection .text\nglobal _start\n_start:\n    sys_sleep 0xbaab443\n    sys_exit 5',
    );
    const result = runExecutable(sleeper, { argv: ["sleeper"] });
    expect(result.status).toBe(5);
    expect(result.virtualNs).toBeGreaterThan(195_736_643_000);
    expect(syscallsTarget.run(generateInput(syscallsTarget, 1, 1876))).toEqual({ ok: true });
  });
});
