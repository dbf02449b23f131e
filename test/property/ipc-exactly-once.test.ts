// Invariant: on one node, every message sent with `send` is received exactly once, and the
// messages of each sender -> receiver pair are received in the order they were sent, with the
// sender the kernel stamps in edx; spawn, wait and exit report each child's status exactly.
// Random programs: a root spawns 1..3 children (each its own generated guest), hands them
// the roster of PIDs by message, and then every process runs its part of a random global
// schedule of sends; a receiver takes each message either from any sender or with a source
// filter naming the expected sender (one mode per process). Each actor's operations are its
// projection of the global order, so no schedule can deadlock. Receivers log every message to
// stdout; the test checks the log against the schedule. Replay: the seed is printed on failure.

import fc from "fast-check";
import { describe, it } from "vitest";
import { checkProperty } from "../support/seeded-property.ts";
import { assembleGuest, boot, dwords } from "../unit/node/boot-guests.ts";

interface Scenario {
  childCount: number;
  /** The global schedule: message k goes from actor `from` to actor `to` (0 = root). */
  messages: { from: number; to: number }[];
  /** Per actor: receive with a source filter (true) or from anyone. */
  filtered: boolean[];
  childStatuses: number[];
}

const recordRoster = 1;
const recordReceive = 2;
const recordWait = 3;

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .integer({ min: 1, max: 3 })
  .chain((childCount) =>
    fc.record({
      childCount: fc.constant(childCount),
      messages: fc.array(
        fc
          .tuple(fc.nat(childCount), fc.nat(childCount))
          .filter(([from, to]) => from !== to)
          .map(([from, to]) => ({ from, to })),
        { maxLength: 30 },
      ),
      filtered: fc.array(fc.boolean(), { minLength: childCount + 1, maxLength: childCount + 1 }),
      childStatuses: fc.array(fc.integer({ min: 0, max: 120 }), {
        minLength: childCount,
        maxLength: childCount,
      }),
    }),
  );

const common = `%include "sterna.inc"
section .bss
roster: resd 4
outgoing: resd 2
incoming: resd 2
record: resd 5
digits: resb 16
section .text
global _start
fail:
    sys_exit 99
`;

/** The operations of `actor`: its sends and receives in global order. */
function actorOperations(scenario: Scenario, actor: number): string {
  const lines: string[] = [];
  const nextSeq = new Map<string, number>();
  for (const { from, to } of scenario.messages) {
    if (from === actor) {
      const key = `${from}>${to}`;
      const seq = nextSeq.get(key) ?? 0;
      nextSeq.set(key, seq + 1);
      lines.push(
        `    mov dword [outgoing], ${actor}`,
        `    mov dword [outgoing + 4], ${seq}`,
        `    sys_send dword [roster + ${to * 4}], outgoing, 8`,
        "    test eax, eax",
        "    jnz fail",
      );
    } else if (to === actor) {
      const filter = scenario.filtered[actor] ? `dword [roster + ${from * 4}]` : "0";
      lines.push(
        `    sys_receive incoming, 8, ${filter}, 0`,
        "    cmp eax, 8",
        "    jne fail",
        `    mov dword [record], ${recordReceive}`,
        `    mov dword [record + 4], ${actor}`,
        "    mov eax, [incoming]",
        "    mov [record + 8], eax",
        "    mov eax, [incoming + 4]",
        "    mov [record + 12], eax",
        "    mov [record + 16], edx",
        "    sys_write 1, record, 20",
      );
    }
  }
  return lines.join("\n");
}

function rootSource(scenario: Scenario): string {
  const { childCount } = scenario;
  const spawns: string[] = [];
  for (let child = 1; child <= childCount; child++) {
    spawns.push(
      `    sys_spawn path_${child}, NODE_THIS, edi`,
      "    test eax, eax",
      "    js fail",
      `    mov [roster + ${child * 4}], eax`,
    );
  }
  const rosterSends: string[] = [];
  const rosterRecords: string[] = [];
  for (let actor = 0; actor <= childCount; actor++) {
    if (actor > 0) {
      rosterSends.push(
        `    sys_send dword [roster + ${actor * 4}], roster, ${(childCount + 1) * 4}`,
      );
    }
    rosterRecords.push(
      `    mov dword [record], ${recordRoster}`,
      `    mov dword [record + 4], ${actor}`,
      `    mov eax, [roster + ${actor * 4}]`,
      "    mov [record + 8], eax",
      "    sys_write 1, record, 20",
    );
  }
  const waits: string[] = [];
  for (let child = 1; child <= childCount; child++) {
    waits.push(
      "    sys_wait 0",
      `    mov dword [record], ${recordWait}`,
      "    mov [record + 4], eax",
      "    mov [record + 8], edx",
      "    sys_write 1, record, 20",
    );
  }
  const paths = Array.from(
    { length: childCount },
    (_, index) => `path_${index + 1}: db "child-${index + 1}.elf", 0`,
  );
  return `${common}
_start:
    sys_getpid
    mov [roster], eax
    ; the root's PID in decimal, for the children's argument string
    lea edi, [digits + 15]
    mov byte [edi], 0
    mov ecx, 10
.digit:
    xor edx, edx
    div ecx
    add dl, '0'
    dec edi
    mov [edi], dl
    test eax, eax
    jnz .digit
${spawns.join("\n")}
${rosterSends.join("\n")}
${rosterRecords.join("\n")}
${actorOperations(scenario, 0)}
${waits.join("\n")}
    sys_exit 0
section .data
${paths.join("\n")}
`;
}

function childSource(scenario: Scenario, child: number): string {
  return `${common}
_start:
    mov esi, [esp + 8]          ; argv[1]: the root's PID in decimal
    xor eax, eax
.digit:
    movzx ecx, byte [esi]
    test ecx, ecx
    jz .parsed
    imul eax, eax, 10
    sub ecx, '0'
    add eax, ecx
    inc esi
    jmp .digit
.parsed:
    sys_receive roster, 16, eax, 0
    cmp eax, ${(scenario.childCount + 1) * 4}
    jne fail
${actorOperations(scenario, child)}
    sys_exit ${scenario.childStatuses[child - 1]}
`;
}

function check(scenario: Scenario): void {
  const files = [{ path: "root.elf", image: assembleGuest(rootSource(scenario), "root.asm") }];
  for (let child = 1; child <= scenario.childCount; child++) {
    files.push({
      path: `child-${child}.elf`,
      image: assembleGuest(childSource(scenario, child), `child-${child}.asm`),
    });
  }
  const run = boot(files, { runs: ["root.elf"], untilNs: 10_000_000_000 });
  const fail = (why: string) => {
    throw new Error(`${why}\nscenario: ${JSON.stringify(scenario)}`);
  };
  if (run.result.outcome !== "exited") fail(`boot ended with ${run.result.outcome}`);
  const values = dwords(run.stdoutBytes);
  const pidOf = new Map<number, number>();
  const received = new Map<string, number[]>();
  const waited = new Map<number, number>();
  for (let offset = 0; offset + 5 <= values.length; offset += 5) {
    const [kind, a, b, c, d] = values.slice(offset, offset + 5) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (kind === recordRoster) pidOf.set(a, b);
    else if (kind === recordWait) waited.set(b, a);
    else if (kind === recordReceive) {
      if (pidOf.get(b) !== d) fail(`receiver ${a}: edx ${d} is not the PID of sender ${b}`);
      const key = `${b}>${a}`;
      received.set(key, [...(received.get(key) ?? []), c]);
    } else fail(`unknown record kind ${kind}`);
  }
  const sentCounts = new Map<string, number>();
  for (const { from, to } of scenario.messages) {
    const key = `${from}>${to}`;
    sentCounts.set(key, (sentCounts.get(key) ?? 0) + 1);
  }
  for (const [key, count] of sentCounts) {
    const seqs = received.get(key) ?? [];
    const expected = Array.from({ length: count }, (_, seq) => seq);
    if (JSON.stringify(seqs) !== JSON.stringify(expected)) {
      fail(`pair ${key}: received seqs ${JSON.stringify(seqs)}, sent ${count}`);
    }
  }
  for (const key of received.keys()) if (!sentCounts.has(key)) fail(`pair ${key} never sent`);
  for (let child = 1; child <= scenario.childCount; child++) {
    const status = waited.get(pidOf.get(child) ?? -1);
    if (status !== scenario.childStatuses[child - 1]) {
      fail(
        `child ${child}: wait saw status ${status}, it exits ${scenario.childStatuses[child - 1]}`,
      );
    }
  }
  if (run.result.processes[0]?.status !== 0)
    fail(`root ended with ${run.result.processes[0]?.status}`);
}

describe("IPC on one node", () => {
  it("delivers every message exactly once, in per-pair order, with the sender stamped", () => {
    checkProperty(
      fc.property(scenarioArbitrary, (scenario) => check(scenario)),
      "test/property/ipc-exactly-once.test.ts",
      40,
    );
  });
});
