// Bad input never crashes the host: any corruption of a real executable (headers, code or
// data) ends in a LoadError, or in a run that finishes with a status: guest faults become
// exceptions and statuses, runaway programs meet the instruction limit, and a small machine
// that runs out of frames kills the process rather than the emulator.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LoadError } from "../../../kernel/loader/load-error.ts";
import { runExecutable } from "../../../kernel/run-executable.ts";
import { checkProperty } from "../../support/seeded-property.ts";
import { fixtureImage } from "./fixtures.ts";

const images = ["sieve", "syscalls", "brk"].map((name) => fixtureImage(name));

describe("runExecutable on corrupted executables", () => {
  it("returns a status or throws a LoadError, whatever the bytes", () => {
    checkProperty(
      fc.property(
        fc.nat(images.length - 1),
        fc.array(fc.tuple(fc.nat(0xffff), fc.nat(255)), { minLength: 1, maxLength: 16 }),
        (which, edits) => {
          const image = images[which]!.slice();
          for (const [offset, value] of edits) image[offset % image.length] = value;
          try {
            const result = runExecutable(image, {
              argv: ["fuzzed"],
              stdin: new Uint8Array(3),
              maxInstructions: 20_000,
              memoryBytes: 2 << 20,
            });
            expect(result.status).toBeGreaterThanOrEqual(0);
            expect(result.status).toBeLessThanOrEqual(255);
            expect(result.instructions).toBeLessThanOrEqual(20_000);
          } catch (error) {
            expect(error).toBeInstanceOf(LoadError);
          }
        },
      ),
      "test/unit/kernel/exec-robustness.test.ts",
      60,
    );
  });
});
