// The message delivery methods of `sterna boot --delivery` (docs/migration.md, "Delivery
// methods"), through the real CLI. The state-relay guest exchanges a message with its partner on
// another node every round while it moves twice (0 -> 2 -> 1) and its partner once (1 -> 3), so
// messages stream to each moving process from another node: with every method, stdout and
// status equal the run without migrations, every message is received once in per-pair order,
// each process runs on one node at a time, and one worker thread or two give the same trace.
// redirect: the nodes a process left hold forwarding links (the home lists them), a send along
// a link is accepted by the next node and its sender's kernel learns the new address (the chain
// collapses), so its next send goes there directly; with the old source crashed after its
// cleanup, a send that needed its link asks the home instead and nothing is lost. recover: the
// source drops the sends that reach it during the transfer, and each is resent once. A node
// that crashes holding a link names it in its crash line.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkOneRunningCopy,
  checkPairOrder,
  readTraceFile,
  type TraceRecord,
} from "../../support/migration-trace.ts";
import { sterna } from "../../support/run-cli.ts";
import {
  checkRelayMoves,
  relayOnEthernet,
  relayThreeMoves,
} from "../../support/state-relay-run.ts";

const scratch = mkdtempSync(join(tmpdir(), "sterna-delivery-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The summary's delivery figures. */
function messageFigures(stderr: string): { forwarded: number; dropped: number; resent: number } {
  const match = /^migration messages: (\d+) forwarded, (\d+) dropped, (\d+) resent;/m.exec(stderr);
  expect(match, stderr).not.toBeNull();
  return { forwarded: Number(match![1]), dropped: Number(match![2]), resent: Number(match![3]) };
}

let stillStdout: Promise<string> | undefined;
function stillRun(): Promise<string> {
  stillStdout ??= sterna([...relayOnEthernet, "--starter", "none"]).then((still) => {
    expect(still.status).toBe(0);
    return still.stdout;
  });
  return stillStdout;
}

/** The relay's three moves with `delivery`: checked against the still run. */
async function movedLikeStill(delivery: string): Promise<{ trace: TraceRecord[]; stderr: string }> {
  const tracePath = join(scratch, `${delivery}.jsonl`);
  const moves = [...relayOnEthernet, ...relayThreeMoves, "--delivery", delivery];
  const [still, moved, movedOneThread] = await Promise.all([
    stillRun(),
    sterna([...moves, "--workers", "2", "--trace", tracePath]),
    sterna([...moves, "--workers", "1"]),
  ]);
  expect(moved.stdout).toBe(still);
  expect(moved.status, moved.stderr).toBe(0);
  const { trace, migrations } = checkRelayMoves(moved, movedOneThread, tracePath);
  for (const migration of migrations) {
    expect(migration.end).toMatchObject({ outcome: "committed", delivery });
  }
  return { trace, stderr: moved.stderr };
}

const at = (trace: TraceRecord[], where: Partial<TraceRecord>) =>
  trace.findIndex((record) => Object.entries(where).every(([key, value]) => record[key] === value));

describe("sterna boot --delivery", () => {
  it("prevent: the link update, as before", async () => {
    const { trace, stderr } = await movedLikeStill("prevent");
    expect(messageFigures(stderr)).toMatchObject({ dropped: 0, resent: 0 });
    expect(trace.some((record) => record.event === "migrate-residual")).toBe(false);
  }, 300_000);

  it("redirect: links left behind, a chain, collapsed by the sender's kernel", async () => {
    const { trace, stderr } = await movedLikeStill("redirect");
    expect(messageFigures(stderr)).toMatchObject({ dropped: 0, resent: 0 });
    // What a link passes on counts for the migration that left it, in its line; the lines
    // add up to the run's figure, links still held at the end included.
    const lines = [
      ...stderr.matchAll(
        /^migration (\S+) n(\d+) -> n\d+ committed: .*, (\d+) messages forwarded,/gm,
      ),
    ];
    expect(lines).toHaveLength(3);
    const forwardedByLine = lines.map((line) => Number(line[3]));
    expect(forwardedByLine.reduce((sum, count) => sum + count, 0)).toBe(
      messageFigures(stderr).forwarded,
    );
    const ends = trace.filter((record) => record.event === "migrate-end");
    const alongLinks = trace.filter(
      (record) => record.event === "forward" && record.id !== undefined,
    );
    expect(alongLinks.length).toBeGreaterThan(0);
    for (const forward of alongLinks) {
      const index = ends.findIndex((end) => end.node === forward.node && end.id === forward.id);
      expect(index, JSON.stringify(forward)).toBeGreaterThanOrEqual(0);
      const own = alongLinks.filter(
        (other) => other.node === forward.node && other.id === forward.id,
      );
      expect(forwardedByLine[index]).toBe(Number(ends[index]!.forwarded) + own.length);
    }
    expect(stderr).toMatch(/forwarding links: 3 left, \d+ ended$/m);
    // Each move leaves its source holding a link: the residual dependency, named per move.
    for (const end of trace.filter((record) => record.event === "migrate-end")) {
      expect(end).toMatchObject({ residual: 1, residualKinds: "link" });
      expect(end.residualNodes).toBe(String(end.node));
    }
    // The second move of 0.1 makes a chain: its home (node 0) lists both nodes holding links.
    expect(at(trace, { event: "links", node: 0, pid: "0.1", nodes: "0,2" })).toBeGreaterThan(0);
    // The partner, moved to node 3, knows only 0.1's home: node 0 passes its send on to node 2,
    // node 2 passes it on to node 1 (held while 0.1 was frozen there, then along its link), node
    // 1 accepts it once node 2 has committed, and node 3 learns the new address...
    const collapse = at(trace, { event: "link-collapse", node: 3, pid: "0.1", was: 0, now: 1 });
    expect(collapse).toBeGreaterThan(0);
    const secondStart = at(trace, { event: "migrate-start", node: 2, pid: "0.1" });
    const forward = trace.findIndex(
      (record, index) =>
        index > secondStart &&
        record.event === "forward" &&
        record.node === 2 &&
        record.pid === "0.1" &&
        record.to === 1,
    );
    expect(forward).toBeGreaterThan(secondStart);
    expect(forward).toBeLessThan(collapse);
    // ... so its next send goes to node 1 directly: delivered there, passed on by nobody.
    const nextSend = trace.findIndex(
      (record, index) =>
        index > collapse && record.event === "send" && record.from === "1.1" && record.to === "0.1",
    );
    expect(nextSend).toBeGreaterThan(collapse);
    const seq = trace[nextSend]!.seq;
    const delivered = trace.findIndex(
      (record) =>
        record.event === "deliver" &&
        record.from === "1.1" &&
        record.to === "0.1" &&
        record.seq === seq,
    );
    expect(trace[delivered]!.node).toBe(1);
    const passedOn = trace
      .slice(nextSend, delivered)
      .filter((record) => record.event === "forward" && record.pid === "0.1");
    expect(passedOn).toEqual([]);
  }, 300_000);

  it("recover: what reaches the source during the transfer is dropped and resent once", async () => {
    const { trace, stderr } = await movedLikeStill("recover");
    const figures = messageFigures(stderr);
    expect(figures.dropped).toBeGreaterThan(0);
    expect(figures.resent).toBe(figures.dropped);
    // Each resend names the migration that dropped it: its source node and request id.
    const key = (record: TraceRecord, node: unknown) =>
      `${record.from}>${record.to}#${record.seq}@${node}:${record.id}`;
    const drops = trace
      .filter((record) => record.event === "drop")
      .map((record) => key(record, record.node));
    const resends = trace
      .filter((record) => record.event === "resend")
      .map((record) => key(record, record.source));
    expect(resends.sort()).toEqual(drops.sort());
    // The summary's line per migration gives its own dropped and resent counts, resends after
    // its end included; together they are the run's totals.
    const lineFigures = [
      ...stderr.matchAll(
        /^migration \S+ n\d+ -> n\d+ committed: .* (\d+) dropped, (\d+) resent$/gm,
      ),
    ].map((match) => [Number(match[1]), Number(match[2])]);
    expect(lineFigures).toHaveLength(3);
    for (const [dropped, resent] of lineFigures) expect(resent).toBe(dropped);
    expect(lineFigures.reduce((sum, [dropped]) => sum + dropped!, 0)).toBe(figures.dropped);
    const ends = trace.filter((record) => record.event === "migrate-end");
    for (const end of ends) {
      const own = drops.filter((drop) => drop.endsWith(`@${end.node}:${end.id}`)).length;
      expect(end.dropped).toBe(own);
    }
    // The destination announces the new address to the home and the peers' nodes.
    expect(trace.filter((record) => record.event === "announce")).toHaveLength(3);
    for (const end of trace.filter((record) => record.event === "migrate-end")) {
      expect(end).toMatchObject({ residual: 0, forwarded: 0 });
    }
  }, 300_000);

  it("redirect: the old source crashed after its cleanup, a send asks the home, nothing lost", async () => {
    // When node 2 has handed 0.1 on to node 1 and the partner's next message is on its way to
    // node 2's link: read from a reference run, so the crash lands between the two.
    // 0.1 leaves node 2 at 560 ms, while the partner's last message to it was accepted before
    // the freeze: its next one goes to node 2 after the cleanup, along the link.
    const reference = join(scratch, "redirect-reference.jsonl");
    const moves = [
      ...relayOnEthernet,
      ...relayThreeMoves.slice(0, 4),
      "--migrate",
      "560ms:0.1:1",
      "--delivery",
      "redirect",
      "--workers",
      "1",
    ];
    // The reference watches its peers as the crash run does (a crash scheduled long after the
    // run's end turns the watch on), so the two agree up to the crash.
    expect((await sterna([...moves, "--crash", "3600s:2", "--trace", reference])).status).toBe(0);
    const trace = readTraceFile(reference);
    const cleanup = trace[at(trace, { event: "migrate-end", node: 2, pid: "0.1" })]!;
    const forward = trace.find(
      (record) => record.event === "forward" && record.node === 2 && record.t > cleanup.t,
    )!;
    expect(forward).toBeDefined();
    const crashNs = cleanup.t + 1;
    expect(crashNs).toBeLessThan(forward.t);
    const crashTrace = join(scratch, "redirect-crash.jsonl");
    const [still, crashed] = await Promise.all([
      stillRun(),
      sterna([...moves, "--crash", `${crashNs}ns:2`, "--trace", crashTrace]),
    ]);
    expect(crashed.stdout).toBe(still);
    expect(crashed.status, crashed.stderr).toBe(0);
    expect(crashed.stderr).toContain("migrations: 3 committed, 0 cancelled, 0 failed\n");
    expect(crashed.stderr).toMatch(
      /process 0\.1 can no longer be reached through node 2 \(it failed\); the request waiting on it goes to node 0, its home/,
    );
    const after = readTraceFile(crashTrace);
    checkOneRunningCopy(after);
    expect(checkPairOrder(after)).toBe(402);
    expect(at(after, { event: "send-via-home", node: 3, pid: "0.1", failed: 2 })).toBeGreaterThan(
      0,
    );
  }, 300_000);

  it("refuses an unknown method with one line and status 2", async () => {
    const outcome = await sterna([...relayOnEthernet, "--delivery", "carrier-pigeon"]);
    expect(outcome.status).toBe(2);
    expect(outcome.stderr.trim().split("\n")).toHaveLength(1);
    expect(outcome.stderr).toContain("--delivery");
  });

  it("redirect: a node crashing with a forwarding link names it at its crash", async () => {
    // 0.1 leaves node 2 for node 3 at 40 ms, node 2 keeps its link and crashes at 60 ms; the run
    // ends at 63 ms, long before the home could detect the holder's failure and report it.
    const relayPath = join(import.meta.dirname, "fixtures", "relay.asm");
    const tracePath = join(scratch, "link-holder-crash.jsonl");
    const crashed = await sterna([
      ...["boot", "--nodes", "4", "--delivery", "redirect", "--run", `${relayPath} 1`],
      ...["--migrate", "20ms:0.1:2", "--migrate", "40ms:0.1:3", "--crash", "60ms:2"],
      ...["--trace", tracePath],
    ]);
    expect(crashed.stderr).toContain(
      "sterna: node 2: crashed (--crash): 0 process(es) lost; forwarding links lost: 0.1 (now on node 3)\n",
    );
    expect(readTraceFile(tracePath).find((record) => record.event === "crash")).toMatchObject({
      node: 2,
      linksLost: 1,
    });
  }, 120_000);
});
