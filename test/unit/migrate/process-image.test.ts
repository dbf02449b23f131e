// A process moves between two kernels as bytes (kernel/migrate): frozen mid-computation, or
// blocked in receive, on node 0, serialised, installed on node 1, it finishes with the output
// and exit status it has without moving. The image is versioned and checked field by field:
// a malformed one (truncated, a byte flipped, a field out of range) is refused with
// MigrationFormatError or an install refusal, never a host exception.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Kernel } from "../../../kernel/kernel.ts";
import { MigrationFormatError } from "../../../kernel/migrate/byte-codec.ts";
import { captureProcess } from "../../../kernel/migrate/capture.ts";
import { installProcess } from "../../../kernel/migrate/install.ts";
import {
  decodeProcessImage,
  encodeProcessImage,
  processImageVersion,
} from "../../../kernel/migrate/process-image.ts";
import { type Process, ProcessState } from "../../../kernel/process/process.ts";
import { Machine } from "../../../vm/machine.ts";
import { SeededRandom } from "../../../vm/random/seeded-random.ts";
import { assembleGuest } from "../node/boot-guests.ts";

const fixture = (name: string) =>
  assembleGuest(readFileSync(join(import.meta.dirname, "fixtures", name), "utf8"), name);
const crunch = fixture("crunch.asm");
const waiter = fixture("waiter.asm");
const greeter = fixture("greeter.asm");

interface TestNode {
  kernel: Kernel;
  output: string[];
  statuses: Map<number, number>;
}

function node(homeNode: number): TestNode {
  const output: string[] = [];
  const statuses = new Map<number, number>();
  const kernel = new Kernel(new Machine({ memoryBytes: 8 * 1024 * 1024 }), {
    homeNode,
    nodeCount: 2,
    onOutput: (_channel, bytes) => output.push(new TextDecoder().decode(bytes)),
    onProcessEnd: (process) => statuses.set(process.pid, process.exitStatus),
  });
  return { kernel, output, statuses };
}

/** Freezes `process` on `from`, carries it as bytes, installs it on `to`; returns the bytes. */
function move(from: Kernel, process: Process, to: Kernel): Uint8Array {
  const facts = from.freezeProcess(process);
  const bytes = encodeProcessImage(captureProcess(from, process, facts));
  from.detachProcess(process);
  from.releaseProcess(process);
  const image = decodeProcessImage(bytes);
  const installed = installProcess(to, image.state, image.pages);
  if (typeof installed === "string") throw new Error(`install refused: ${installed}`);
  return bytes;
}

function alone(image: Uint8Array, name: string) {
  const single = node(0);
  const process = single.kernel.exec(image, [name]);
  single.kernel.run();
  return { output: single.output.join(""), status: single.statuses.get(process.pid) };
}

describe("a process carried between kernels as bytes", () => {
  it("frozen mid-computation on node 0 finishes on node 1 with the same output and status", () => {
    const reference = alone(crunch, "crunch");
    expect(reference.output.split("\n")).toHaveLength(13);
    const source = node(0);
    const destination = node(1);
    const process = source.kernel.exec(crunch, ["crunch"]);
    expect(source.kernel.runUntil(3_000_000)).toBe("time-reached");
    const linesBefore = source.output.join("").split("\n").length - 1;
    expect(linesBefore).toBeGreaterThan(0);
    expect(linesBefore).toBeLessThan(12);
    const cpuBefore = source.kernel.cpuCyclesOf(process);
    move(source.kernel, process, destination.kernel);
    expect(source.kernel.liveCount).toBe(0);
    expect(source.kernel.frames.freeFrameCount).toBe(
      new Kernel(new Machine({ memoryBytes: 8 * 1024 * 1024 })).frames.freeFrameCount,
    );
    const moved = destination.kernel.processes.live(process.pid)!;
    expect(moved.cpuCycles).toBe(cpuBefore);
    expect(moved.name).toBe("crunch");
    destination.kernel.run();
    expect(source.output.join("") + destination.output.join("")).toBe(reference.output);
    expect(destination.statuses.get(process.pid)).toBe(reference.status);
  });

  it("blocked in receive on node 0 receives on node 1 what a process there sends it", () => {
    const source = node(0);
    const destination = node(1);
    const process = source.kernel.exec(waiter, ["waiter"]);
    expect(source.kernel.run()).toBe("no-work");
    expect(process.state).toBe(ProcessState.BlockedReceive);
    move(source.kernel, process, destination.kernel);
    const moved = destination.kernel.processes.live(process.pid)!;
    expect(moved.state).toBe(ProcessState.BlockedReceive);
    destination.kernel.exec(greeter, ["greeter"]);
    destination.kernel.run();
    expect(destination.output.join("")).toBe("got: *hello from node 1\nregisters and stack kept\n");
    expect(destination.statuses.get(process.pid)).toBe(42);
  });

  it("keeps the mailbox and pair numbers: a message queued before the move is received after", () => {
    const source = node(0);
    const destination = node(1);
    const process = source.kernel.exec(waiter, ["waiter"]);
    const facts = source.kernel.freezeProcess(process);
    expect(facts.state).toBe(ProcessState.Ready);
    process.mailbox.deliver({
      senderPid: 0x100005,
      receiverPid: process.pid,
      pairSeq: 0,
      bytes: new TextEncoder().encode("!queued\n"),
    });
    const bytes = encodeProcessImage(captureProcess(source.kernel, process, facts));
    const image = decodeProcessImage(bytes);
    expect(encodeProcessImage(image)).toEqual(bytes);
    const installed = installProcess(destination.kernel, image.state, image.pages) as Process;
    expect(installed.mailbox.expectedSeq(0x100005)).toBe(1);
    destination.kernel.run();
    expect(destination.output.join("")).toBe("got: !queued\nregisters and stack kept\n");
    expect(destination.statuses.get(process.pid)).toBe(33);
  });
});

describe("a malformed image", () => {
  function sampleImage(): Uint8Array {
    const source = node(0);
    const process = source.kernel.exec(crunch, ["crunch"]);
    source.kernel.runUntil(1_000_000);
    return encodeProcessImage(
      captureProcess(source.kernel, process, source.kernel.freezeProcess(process)),
    );
  }

  it("is refused with one line naming the field when truncated anywhere", () => {
    const bytes = sampleImage();
    const cuts = [0, 3, 8, 9, 20, 60, 200, 1000, bytes.length - 4097, bytes.length - 1];
    for (const cut of cuts) {
      expect(() => decodeProcessImage(bytes.subarray(0, cut))).toThrow(MigrationFormatError);
    }
    expect(() => decodeProcessImage(Uint8Array.of(...bytes, 0))).toThrow(/trailing/);
  });

  it("names a version it does not know and a field out of range", () => {
    const bytes = sampleImage();
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(4, processImageVersion + 1, true);
    expect(() => decodeProcessImage(newer)).toThrow(/version: 2 is not the supported version 1/);
    const badPriority = bytes.slice();
    // magic 4, version 4, section 1, pid 4, name length 4 + "crunch" 6, parent 4: priority
    badPriority[9 + 4 + 4 + 6 + 4] = 9;
    expect(() => decodeProcessImage(badPriority)).toThrow(/priority: 9 is above 7/);
  });

  it("never escapes as a host exception when bytes are flipped (seeded)", () => {
    const bytes = sampleImage();
    const pageCount = decodeProcessImage(bytes).pages.length;
    const stateBytes = bytes.length - 4 - pageCount * (4 + 1 + 4096);
    const seed = 20261201;
    const random = new SeededRandom(seed);
    let refused = 0;
    for (let trial = 0; trial < 300; trial++) {
      const mutated = bytes.slice();
      // Flip bytes in the state section (before the pages), where every field is checked.
      for (let flips = 1 + (random.nextUint32() % 3); flips > 0; flips--) {
        const at = random.nextUint32() % stateBytes;
        mutated[at] = mutated[at]! ^ (1 + (random.nextUint32() % 255));
      }
      try {
        const image = decodeProcessImage(mutated);
        const target = node(1);
        const installed = installProcess(target.kernel, image.state, image.pages);
        if (typeof installed === "string") refused++;
      } catch (error) {
        if (!(error instanceof MigrationFormatError)) {
          throw new Error(`seed ${seed} trial ${trial}: ${String(error)}`);
        }
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(100);
  });
});
