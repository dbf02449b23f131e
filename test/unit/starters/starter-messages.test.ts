// The kernel <-> Starter messages (docs/abi.md, "Starter messages") as a guest sees them:
// sterna.inc's struc offsets are the kernel's; statistics read through them carry this node,
// its processes and the nodes it heard of, from the kernel's sender pid NODE.0xFFFFF; a Starter
// that does not receive keeps only the newest statistics and the kernel never waits for it; a
// request passed to a Starter that denies it is counted cancelled, and one that never answers
// fails at the source's timeout and releases the destination's reservation; both Starters
// hear the outcome. Only a Starter may call 1008-1011, with a Starter running or not.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { starterAnswerTimeoutNs } from "../../../kernel/migrate/destination.ts";
import {
  AnswerOffset,
  answerBytes,
  encodeAnswer,
  encodeOffer,
  NodeEntryOffset,
  nodeEntryBytes,
  OfferOffset,
  OutcomeOffset,
  offerBytes,
  outcomeBytes,
  ProcessEntryOffset,
  processEntryBytes,
  RequestOffset,
  requestBytes,
  StatisticsOffset,
  statisticsHeaderBytes,
} from "../../../kernel/migrate/starter-messages.ts";
import { assemble } from "../../../tools/asm/assemble.ts";
import { bootClusterCase } from "../../support/cluster-boot.ts";

const includeDirectory = join(import.meta.dirname, "..", "..", "..", "userland", "include");
const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");
const migrateFixture = (name: string) =>
  readFileSync(join(import.meta.dirname, "..", "migrate", "fixtures", name), "utf8");

function dwords(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 4 }, (_, index) => view.getUint32(index * 4, true));
}

/** Assembles `dd` of sterna.inc names as a flat binary and reads them back: the guest's view. */
function incValues(names: readonly string[]): number[] {
  const source = `%include "sterna.inc"\n${names.map((name) => `dd ${name}`).join("\n")}\n`;
  const result = assemble(source, {
    fileName: "layout.asm",
    format: "bin",
    includePaths: [includeDirectory],
    readFile: (path) => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
  });
  if (!result.ok || !result.output) throw new Error("layout.asm did not assemble");
  return dwords(result.output);
}

const kernelSender = (node: number) => node * 2 ** 20 + 0xfffff;
const spinner = (rounds: number) => `ROUNDS equ ${rounds}\n${fixture("spinner.asm")}`;
const napper = (napUs: number) => `NAP_US equ ${napUs}\n${fixture("napper.asm")}`;

describe("Starter message layouts", () => {
  it("sterna.inc and the kernel agree on every offset and size", () => {
    const layouts: [string, Record<string, number>, number][] = [
      ["starter_statistics", StatisticsOffset, statisticsHeaderBytes],
      ["starter_process", ProcessEntryOffset, processEntryBytes],
      ["starter_node", NodeEntryOffset, nodeEntryBytes],
      ["starter_request", RequestOffset, requestBytes],
      ["starter_outcome", OutcomeOffset, outcomeBytes],
      ["starter_offer", OfferOffset, offerBytes],
      ["starter_answer", AnswerOffset, answerBytes],
    ];
    const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const renamed: Record<string, string> = {
      runQueueLength: "run_queue",
      processCount: "processes",
      pageCount: "pages",
    };
    const names: string[] = [];
    const expected: number[] = [];
    for (const [struc, offsets, size] of layouts) {
      names.push(`${struc}_size`);
      expected.push(size);
      for (const [field, offset] of Object.entries(offsets)) {
        names.push(`${struc}.${renamed[field] ?? snake(field)}`);
        expected.push(offset);
      }
    }
    expect(incValues(names)).toEqual(expected);
  });

  it("encodes offers and answers as a Starter reads them through sterna.inc", () => {
    const [
      pid,
      fromNode,
      memory,
      ageLow,
      ageHigh,
      cpuLow,
      runnable,
      load,
      answerPid,
      node,
      accept,
    ] = incValues([
      "starter_offer.pid",
      "starter_offer.from_node",
      "starter_offer.memory_bytes",
      "starter_offer.age_us",
      "starter_offer.age_us + 4",
      "starter_offer.cpu_us",
      "starter_offer.runnable",
      "starter_offer.load_permille",
      "starter_answer.pid",
      "starter_answer.node",
      "starter_answer.accept",
    ]);
    const offer = new DataView(
      encodeOffer({
        pid: 0x200005,
        fromNode: 2,
        memoryBytes: 81920,
        ageUs: 2 ** 32 + 7,
        cpuUs: 1234,
        runnable: 3,
        loadPermille: 950,
      }).buffer,
    );
    expect(offer.byteLength).toBe(offerBytes);
    expect(offer.getUint32(0, true)).toBe(4);
    expect(
      [pid, fromNode, memory, ageLow, ageHigh, cpuLow, runnable, load].map((at) =>
        offer.getUint32(at!, true),
      ),
    ).toEqual([0x200005, 2, 81920, 7, 1, 1234, 3, 950]);
    const answer = new DataView(encodeAnswer({ pid: 0x200005, node: 1, accept: true }).buffer);
    expect(answer.byteLength).toBe(answerBytes);
    expect([0, answerPid, node, accept].map((at) => answer.getUint32(at!, true))).toEqual([
      5, 0x200005, 1, 1,
    ]);
  });
});

describe("kernel messages to the Starter", () => {
  it("sends statistics a guest reads through sterna.inc: header, load, processes, nodes heard", async () => {
    const run = await bootClusterCase({
      nodes: 2,
      sources: { "stats-reader.asm": fixture("stats-reader.asm"), "spinner.asm": spinner(1 << 20) },
      runs: [{ path: "spinner.asm", node: 0, argumentText: "" }],
      starter: "stats-reader.asm",
    });
    const [sender, type, node, timeLow, timeHigh, processes, nodes, flags, loadNode, load] = dwords(
      run.stderrBytes.slice(0, 40),
    );
    expect([sender, type, node, flags, loadNode]).toEqual([kernelSender(0), 1, 0, 0, 0]);
    const timeNs = timeLow! + timeHigh! * 2 ** 32;
    expect(timeNs).toBeGreaterThan(0);
    expect(processes).toBe(2);
    expect(nodes).toBe(1);
    expect(load).toBeLessThanOrEqual(1000);
    // By pid: the Starter itself (0.1, running as it is sent), then the spinner (0.2, runnable).
    const entries = dwords(run.stderrBytes.slice(40, 80));
    expect(entries[0]).toBe(1);
    expect(entries[5]).toBe(2);
    expect(entries[6]).toBe(0);
    expect(entries[7]).toBeGreaterThan(4096);
    expect(entries[8]).toBeGreaterThan(0);
    expect(entries[9]! * 1000).toBeLessThanOrEqual(timeNs);
    const [heardNode, heardAgeUs] = dwords(run.stderrBytes.slice(80, 88));
    expect(heardNode).toBe(1);
    expect(heardAgeUs! * 1000).toBeLessThan(timeNs);
    expect(run.stderrBytes.length).toBe(88);
  }, 60_000);

  it("keeps the newest statistics when the Starter's mailbox is full, never waiting for it", async () => {
    const run = await bootClusterCase({
      nodes: 2,
      sources: {
        "sleepy-starter.asm": fixture("sleepy-starter.asm"),
        "napper.asm": napper(1_200_000),
      },
      runs: [{ path: "napper.asm", node: 1, argumentText: "" }],
      starter: "sleepy-starter.asm",
      untilNs: 2e9,
    });
    const [taken, statistics, firstNs, lastNs] = dwords(run.stderrBytes);
    // 100 statistics were sent in the second (one per 10 ms); the mailbox holds 64.
    expect(taken).toBe(64);
    expect(statistics).toBe(64);
    expect(lastNs!).toBeGreaterThan(990_000_000);
    expect(firstNs!).toBeGreaterThan(lastNs! - 64 * 10_000_000);
    expect(firstNs!).toBeGreaterThan(300_000_000);
  }, 60_000);
});

/** The answering Starter's lines: node 0's [node, pid, from, to, outcome], node 1's with the request. */
function answeringLines(bytes: Uint8Array): Map<number, number[]> {
  const values = dwords(bytes);
  const lines = new Map<number, number[]>();
  let index = 0;
  while (index < values.length) {
    const node = values[index]!;
    const length = node === 0 ? 4 : 7;
    lines.set(node, values.slice(index + 1, index + 1 + length));
    index += 1 + length;
  }
  return lines;
}

describe("the destination's Starter decides (migrate_in)", () => {
  const answering = (answer: number) => ({
    nodes: 3,
    sources: {
      "answering-starter.asm": `%define ANSWER ${answer}\n${fixture("answering-starter.asm")}`,
      "napper.asm": napper(400_000),
    },
    runs: [{ path: "napper.asm", node: 0, argumentText: "" }],
    starter: "answering-starter.asm",
  });

  it("commits what it accepts; both Starters hear the outcome", async () => {
    const still = await bootClusterCase({ ...answering(1), starter: undefined });
    const run = await bootClusterCase(answering(1));
    expect(run.result.migrations).toEqual({ committed: 1, cancelled: 0, failed: 0 });
    const lines = answeringLines(run.stderrBytes);
    expect(lines.get(0)).toEqual([2, 0, 1, 0]);
    expect(lines.get(1)).toEqual([2, 0, 0, 2, 0, 1, 0]);
    expect(run.stdout).toBe(still.stdout);
  }, 60_000);

  it("counts a deny as cancelled and leaves the process where it was", async () => {
    const run = await bootClusterCase(answering(0));
    expect(run.result.migrations).toEqual({ committed: 0, cancelled: 1, failed: 0 });
    const lines = answeringLines(run.stderrBytes);
    expect(lines.get(0)).toEqual([2, 0, 1, 1]);
    expect(lines.get(1)).toEqual([2, 0, 0, 2, 0, 1, 1]);
    expect(run.result.processes.find((p) => p.pid === 2)).toMatchObject({ node: 0, status: 0 });
    expect(run.trace.some((line) => line.includes('"event":"migrate-release"'))).toBe(true);
  }, 60_000);

  it("lets the destination's Starter cancel before it answers: cancelled, the process stays", async () => {
    const run = await bootClusterCase(answering(3));
    expect(run.result.migrations).toEqual({ committed: 0, cancelled: 1, failed: 0 });
    const lines = answeringLines(run.stderrBytes);
    expect(lines.get(0)).toEqual([2, 0, 1, 1]);
    // cancel_migrate answered 0, and both Starters heard "cancelled".
    expect(lines.get(1)).toEqual([2, 0, 0, 2, 0, 1, 1]);
    expect(run.result.processes.find((p) => p.pid === 2)).toMatchObject({ node: 0, status: 0 });
    const release = run.trace.find((line) => line.includes('"event":"migrate-release"'));
    expect(release).toContain("cancelled");
  }, 60_000);

  it("fails a request its Starter never answers: the destination refuses it at its timeout", async () => {
    const run = await bootClusterCase(answering(2));
    expect(run.result.migrations).toEqual({ committed: 0, cancelled: 0, failed: 1 });
    const lines = answeringLines(run.stderrBytes);
    expect(lines.get(0)).toEqual([2, 0, 1, 2]);
    // The late migrate_in finds no request: the destination released it at its timeout.
    expect(lines.get(1)).toEqual([2, 0, 2 ** 32 - 3, 2, 0, 1, 2]);
    const records = run.trace.map((line) => JSON.parse(line));
    const ask = records.find((record) => record.event === "migrate-ask");
    const release = records.find((record) => record.event === "migrate-release");
    expect(release).toMatchObject({
      node: 1,
      pid: "0.2",
      from: 0,
      why: "no answer from the Starter",
    });
    // The clock runs at the destination, from the request's delivery to its Starter.
    expect(release.t - ask.t).toBeGreaterThanOrEqual(starterAnswerTimeoutNs);
    expect(release.t - ask.t).toBeLessThan(starterAnswerTimeoutNs + 1_000_000);
    const end = records.find((record) => record.event === "migrate-end");
    expect(end).toMatchObject({ node: 0, outcome: "failed", why: "no reply" });
    // The source ends it when the refusal comes, after the release.
    expect(end.t).toBeGreaterThan(release.t);
  }, 60_000);
});

describe("who may call 1008-1011", () => {
  it("answers -EPERM to every process but the Starter, with no Starter running too", async () => {
    const run = await bootClusterCase({
      nodes: 2,
      sources: { "not-starter.asm": migrateFixture("not-starter.asm") },
      runs: [{ path: "not-starter.asm", node: 1, argumentText: "" }],
    });
    expect(run.result.processes).toMatchObject([{ name: "not-starter.asm", status: 0 }]);
  }, 60_000);
});
