// `sterna boot --migrate TIME:TARGET:NODE` as a user meets it (the real CLI in a child
// process): the relay guest, exchanging a message with its partner on another node every round,
// moved by pid and by program name while its partner moves too, prints what it prints without
// moving and exits the same; the summary counts the moves; a process holding all the memory a
// process may hold moves too (its pages go in a window), or is denied where there is no room; a
// target that names no live process is one stderr line and a cancelled migration, never the end
// of the run; a node outside the cluster is a usage error (exit 2, one line naming --migrate).

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sterna } from "../../support/run-cli.ts";

const relayPath = join(import.meta.dirname, "fixtures", "relay.asm");
const hoarderPath = join(import.meta.dirname, "fixtures", "hoarder.asm");
const relayRun = ["boot", "--nodes", "4", "--run", `${relayPath} 1`];

describe.concurrent("sterna boot --migrate", () => {
  it("moves processes through the kernel protocol without changing output or status", async () => {
    const [still, moved] = await Promise.all([
      sterna([...relayRun, "--workers", "1"]),
      sterna([
        ...relayRun,
        "--workers",
        "2",
        "--fabric",
        "token-ring:80",
        "--migrate",
        "3ms:0.1:2",
        "--migrate",
        "9ms:1.1:3",
        "--migrate",
        "15ms:relay:1",
        "--migrate",
        "1ms:3.7:1",
      ]),
    ]);
    expect(still.stdout.split("\n")).toHaveLength(9);
    expect(moved.stdout).toBe(still.stdout);
    expect(moved.status).toBe(still.status);
    expect(still.stderr).toContain("migrations: 0 committed, 0 cancelled, 0 failed\n");
    expect(moved.stderr).toContain("migrations: 3 committed, 1 cancelled, 0 failed\n");
    expect(moved.stderr).toContain(
      "sterna: node 3: --migrate 3.7: no such live process; counted as cancelled\n",
    );
    expect(moved.stderr).toMatch(/^ {2}0\.1 +1 +7 /m);
    expect(moved.stderr).toMatch(/^ {2}1\.1 +3 +7 /m);
    // Every migration's line in the summary, in the order they ended, with its figures.
    const figures =
      "frozen [\\d.]+ ms, total [\\d.]+ ms, \\d+ bytes sent, \\d+ messages forwarded, 0 dropped, 0 resent";
    const migrationLines = moved.stderr
      .split("\n")
      .filter((line) => /^migration \S+ [nc]/.test(line));
    expect(migrationLines).toHaveLength(4);
    expect(migrationLines[0]).toBe("migration 3.7 cancelled (no such live process)");
    for (const [index, move] of ["0.1 n0 -> n2", "1.1 n1 -> n3", "0.1 n2 -> n1"].entries()) {
      expect(migrationLines[index + 1]).toMatch(
        new RegExp(`^migration ${move} committed: ${figures}$`),
      );
    }
    expect(still.stderr).not.toMatch(/^migration \d/m);
  }, 180_000);

  it("resolves a name while the medium is busy with another move, and refuses odd targets", async () => {
    // node 0 holds the script: its name query waits behind the 2 MiB hoarder's pages on
    // 10 Mbit/s Ethernet, and node 1's answer comes about 0.5 s later (once waited 20 ms, and
    // the move of relay 1.1 was cancelled as "no live process of that name").
    const [busy, odd] = await Promise.all([
      sterna([
        "boot",
        "--nodes",
        "3",
        "--fabric",
        "ethernet",
        "--starter",
        "none",
        "--run",
        `${hoarderPath} 2048`,
        "--run",
        `${relayPath}@1 2`,
        "--migrate",
        "5ms:0.1:2",
        "--migrate",
        "10ms:relay:2",
      ]),
      sterna([
        ...relayRun,
        "--starter",
        "threshold",
        "--migrate",
        "2ms:7.1:1",
        "--migrate",
        "3ms:2.1:1",
      ]),
    ]);
    expect(busy.stderr).toMatch(/^migration 1\.1 n1 -> n2 committed: /m);
    expect(busy.stderr).toContain("migrations: 2 committed, 0 cancelled, 0 failed\n");
    // A pid whose node is outside the cluster, a node's Starter: reported, counted, run goes on.
    expect(odd.stderr).toContain(
      "sterna: node 0: --migrate 7.1: no such live process; counted as cancelled\n",
    );
    expect(odd.stderr).toContain(
      "sterna: node 2: --migrate 2.1: it is node 2's Starter; counted as cancelled\n",
    );
    expect(odd.stderr).toMatch(/^ {2}2\.1 +2 alive .*threshold\.asm$/m);
  }, 180_000);

  it("gives a copy-on-reference move's total time and bytes to the last page lent", async () => {
    const tracePath = join(mkdtempSync(join(tmpdir(), "sterna-cor-")), "cor.jsonl");
    const cor = await sterna([
      "boot",
      "--nodes",
      "3",
      "--fabric",
      "ethernet",
      "--strategy",
      "cor",
      "--run",
      `${relayPath} 1`,
      "--migrate",
      "20ms:0.1:2",
      "--trace",
      tracePath,
    ]);
    const events = readFileSync(tracePath, "utf8")
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, number | string>);
    const end = events.find((event) => event.event === "migrate-end")!;
    const lastLent = events.filter((event) => event.event === "page-lent").at(-1)!;
    expect(Number(lastLent.totalNs)).toBeGreaterThan(Number(end.totalNs));
    expect(cor.stderr).toContain(
      `migration 0.1 n0 -> n2 committed: frozen ${(Number(end.freezeNs) / 1e6).toFixed(3)} ms, total ${(Number(lastLent.totalNs) / 1e6).toFixed(3)} ms, ${lastLent.bytes} bytes sent, `,
    );
  }, 180_000);

  it("moves a process holding its whole 16 MiB allowance; a destination without room denies", async () => {
    // 16368 KiB of heap plus image and stack is every page a process may hold: more than the
    // transport queues to one peer, so the pages must go in a window. The second hoarder keeps
    // 10000 KiB of node 1 busy until about 46 ms: with 24 MiB per node there is no room once it
    // has touched them all (it is still touching them at 30 ms, so the request waits to 40 ms).
    const hoarderRun = (memoryMib: number) => [
      "boot",
      "--starter",
      "none",
      "--nodes",
      "2",
      "--memory",
      String(memoryMib),
      "--run",
      `${hoarderPath} 16368`,
      "--run",
      `${hoarderPath}@1 10000`,
    ];
    const [still, moved, denied] = await Promise.all([
      sterna(hoarderRun(40)),
      sterna([...hoarderRun(40), "--migrate", "60ms:0.1:1"]),
      sterna([...hoarderRun(24), "--migrate", "40ms:0.1:1"]),
    ]);
    expect(still.stdout.split("\n")).toHaveLength(81);
    expect(still.stderr).toMatch(/^ {2}0\.1 +0 +24 /m);
    expect(moved.stdout).toBe(still.stdout);
    expect(moved.status).toBe(still.status);
    expect(moved.stderr).toMatch(/^ {2}0\.1 +1 +24 /m);
    expect(moved.stderr).toContain("migrations: 1 committed, 0 cancelled, 0 failed\n");
    expect(denied.stdout).toBe(still.stdout);
    expect(denied.status).toBe(still.status);
    expect(denied.stderr).toMatch(/^ {2}0\.1 +0 +24 /m);
    expect(denied.stderr).toContain("migrations: 0 committed, 1 cancelled, 0 failed\n");
  }, 180_000);

  it("refuses a node outside the cluster with one line naming --migrate, exit 2", async () => {
    const outcome = await sterna([...relayRun, "--migrate", "1ms:0.1:4"]);
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toBe(
      `sterna: boot: --migrate 1ms:0.1:4: node 4 does not exist (nodes 0..3)\n`,
    );
    const malformed = await sterna([...relayRun, "--migrate", "soon:0.1:1"]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(malformed.stderr).toContain("--migrate soon:0.1:1");
    const noStarter = await sterna([...relayRun, "--starter", "/nonexistent/starter.asm"]);
    expect(noStarter.status).toBe(2);
    expect(noStarter.stderr).toMatch(/^sterna: boot: --starter \/nonexistent\/starter.asm: .+\n$/);
  }, 60_000);
});
