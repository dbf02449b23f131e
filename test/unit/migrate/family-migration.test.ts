// A parent and its child leave the same node at the same moment, for different nodes: the
// parent's wait still finds the child, whichever of the two moves first. (Found by the
// migration-invariants property, STERNA_SEED=117500445 at 81980a8: when the child's state left
// first, it was neither in the process table nor a remote child when the parent was captured,
// so the parent arrived without it and its wait answered -ECHILD.)

import { describe, expect, it } from "vitest";
import { parsePid } from "../../../kernel/process/pid.ts";
import { bootClusterCase } from "../../support/cluster-boot.ts";

const familySource = `%include "sterna.inc"
section .text
global _start
_start:
    cmp dword [esp], 2
    jae child
    mov eax, [esp + 4]
    sys_spawn eax, NODE_THIS, child_argument
    test eax, eax
    js failed
    sys_wait 0
    cmp eax, 3
    jne failed
    sys_exit 0
child:
    sys_sleep 30000
    sys_exit 3
failed:
    sys_exit 1
section .data
child_argument: db "child", 0
`;

describe("a parent and its child moving at once", () => {
  for (const childFirst of [true, false]) {
    it(`keeps the child in the parent's wait when the ${childFirst ? "child" : "parent"} is ordered first`, async () => {
      const parent = { atNs: 5_000_000, target: "0.1", toNode: 1 };
      const child = { atNs: 5_000_000, target: "0.2", toNode: 2 };
      const run = await bootClusterCase({
        nodes: 3,
        sources: { "family.asm": familySource },
        runs: [{ path: "family.asm", node: 0, argumentText: "" }],
        migrations: childFirst ? [child, parent] : [parent, child],
      });
      expect(run.result.migrations).toEqual({ committed: 2, cancelled: 0, failed: 0 });
      const statuses = new Map(run.result.processes.map((p) => [p.pid, [p.node, p.status]]));
      expect(statuses.get(parsePid("0.1"))).toEqual([1, 0]);
      expect(statuses.get(parsePid("0.2"))).toEqual([2, 3]);
      expect(run.result.exitStatus).toBe(0);
    });
  }
});
