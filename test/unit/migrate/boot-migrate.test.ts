// `sterna boot --migrate TIME:TARGET:NODE` as a user meets it (the real CLI in a child
// process): the relay guest, exchanging a message with its partner on another node every round,
// moved by pid and by program name while its partner moves too, prints what it prints without
// moving and exits the same; the summary counts the moves; a process holding all the memory a
// process may hold moves too (its pages go in a window), or is denied where there is no room; a
// target that names no live process is one stderr line and a cancelled migration, never the end
// of the run; a node outside the cluster is a usage error (exit 2, one line naming --migrate).

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
