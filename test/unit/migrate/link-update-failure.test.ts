// A peer kernel that crashes after the source sent it a LinkUpdate and before it acked (the
// relay's partner's node, crashed while the relay is frozen at the source): the source stops
// waiting for that ack once its transport declares the node failed, and the migration commits,
// instead of holding the process frozen for ever. The partner is lost with its node, so the
// relay ends on its destination with its own failure status; nothing hangs.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseTrace } from "../../support/migration-trace.ts";
import { sterna } from "../../support/run-cli.ts";

const relayPath = join(import.meta.dirname, "fixtures", "relay.asm");
const scratch = mkdtempSync(join(tmpdir(), "sterna-link-update-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("a link update whose peer crashes before acking", () => {
  it("commits once the peer is declared failed, never frozen for ever", async () => {
    // On the token ring the relay (0.1, partner 1.1 on node 1) is frozen at 3.377 ms and its
    // LinkUpdate to node 1 leaves at 3.381 ms and reaches it at 3.471 ms; node 1 crashes at
    // 3.40 ms, before acking.
    const run = ["boot", "--nodes", "4", "--run", `${relayPath} 1`];
    const crash = ["--migrate", "3ms:0.1:2", "--crash", "3400us:1", "--until", "20s"];
    const tracePath = join(scratch, "trace.jsonl");
    const [one, two] = await Promise.all([
      sterna([...run, ...crash, "--workers", "1", "--trace", tracePath]),
      sterna([...run, ...crash, "--workers", "2"]),
    ]);
    expect(one.status).toBe(1);
    expect(one.stderr).toContain("migrations: 1 committed, 0 cancelled, 0 failed\n");
    expect(one.stderr).toMatch(/^ {2}0\.1 +2 +1 /m);
    expect(one.stderr).toMatch(/^ {2}1\.1 +1 137 /m);
    expect(two.stderr.match(/trace-hash: \w+/)?.[0]).toBe(one.stderr.match(/trace-hash: \w+/)?.[0]);
    const trace = parseTrace(readFileSync(tracePath, "utf8").trimEnd().split("\n"));
    const frozen = trace.find((record) => record.event === "stop" && record.state === "frozen")!;
    const linkUpdateOut = trace.find(
      (record) => record.event === "frame-out" && record.node === 0 && record.t >= frozen.t,
    )!;
    expect(linkUpdateOut.t).toBeLessThan(3_400_000);
    expect(trace.find((record) => record.event === "migrate-end")).toMatchObject({
      outcome: "committed",
      to: 2,
    });
  }, 120_000);
});
