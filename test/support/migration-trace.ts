// Test helper: reading a boot trace (docs/trace.md) for the migration invariants of DESIGN.md
// §7: one running copy (3), exactly-once per-pair order of the receives (2), where a process
// ran, and the migrations with their start, commit and end records.

import { readFileSync } from "node:fs";
import { expect } from "vitest";

export interface TraceRecord {
  t: number;
  node: number;
  event: string;
  pid?: string;
  from?: string | number;
  to?: string | number;
  seq?: number;
  id?: number;
  outcome?: string;
  [field: string]: unknown;
}

export function parseTrace(lines: readonly string[]): TraceRecord[] {
  return lines.map((line) => JSON.parse(line) as TraceRecord);
}

/** The trace a `--trace FILE` run wrote. */
export function readTraceFile(path: string): TraceRecord[] {
  return parseTrace(readFileSync(path, "utf8").trimEnd().split("\n"));
}

/** The `trace-hash:` line of a boot's summary (stderr). */
export function traceHashOf(stderr: string): string | undefined {
  return /^trace-hash: (\w+)$/m.exec(stderr)?.[1];
}

/**
 * Invariant 3: each pid's run/stop/exit events in trace order never show it on two nodes; a
 * node's crash stops whatever ran there.
 */
export function checkOneRunningCopy(trace: readonly TraceRecord[]): void {
  const runningOn = new Map<string, number>();
  for (const record of trace) {
    if (record.event === "crash") {
      for (const [pid, node] of [...runningOn]) if (node === record.node) runningOn.delete(pid);
      continue;
    }
    if (record.pid === undefined) continue;
    if (record.event === "run") {
      const other = runningOn.get(record.pid);
      expect(other === undefined || other === record.node, `${record.pid} at ${record.t}`).toBe(
        true,
      );
      runningOn.set(record.pid, record.node);
    } else if (record.event === "stop" || record.event === "exit") {
      runningOn.delete(record.pid);
    }
  }
}

/**
 * Invariant 2: every receive of a pair takes the next pair number, from 0 with no gap or
 * repeat (receives from `ignoredSender` aside); returns how many receives were checked.
 */
export function checkPairOrder(trace: readonly TraceRecord[], ignoredSender?: string): number {
  const nextSeq = new Map<string, number>();
  let received = 0;
  for (const record of trace) {
    if (record.event !== "receive" || record.from === ignoredSender) continue;
    const pair = `${record.from}>${record.pid}`;
    expect(record.seq, pair).toBe(nextSeq.get(pair) ?? 0);
    nextSeq.set(pair, (record.seq ?? 0) + 1);
    received++;
  }
  return received;
}

/** The nodes a pid ran on, in order, each stay once. */
export function runNodes(trace: readonly TraceRecord[], pid: string): number[] {
  const nodes: number[] = [];
  for (const record of trace) {
    if (record.event === "run" && record.pid === pid && nodes.at(-1) !== record.node) {
      nodes.push(record.node);
    }
  }
  return nodes;
}

/** One migration as the trace tells it: keyed by its source node and request id. */
export interface MigrationRecord {
  pid: string;
  fromNode: number;
  toNode: number;
  id: number;
  startNs: number;
  committedAtNs: number | undefined;
  end: TraceRecord | undefined;
}

export function migrationsOf(trace: readonly TraceRecord[]): MigrationRecord[] {
  const byKey = new Map<string, MigrationRecord>();
  for (const record of trace) {
    if (record.id === undefined) continue;
    const key = `${record.node}:${record.id}`;
    if (record.event === "migrate-start") {
      byKey.set(key, {
        pid: record.pid!,
        fromNode: record.node,
        toNode: record.to as number,
        id: record.id,
        startNs: record.t,
        committedAtNs: undefined,
        end: undefined,
      });
    } else if (record.event === "migrate-commit") {
      byKey.get(key)!.committedAtNs = record.t;
    } else if (record.event === "migrate-end") {
      byKey.get(key)!.end = record;
    }
  }
  return [...byKey.values()];
}

/** A `migrate-image` record of the migration probe (kernel/migrate/migration-probe.ts). */
interface ImageDigest {
  index: number;
  t: number;
  node: number;
  at: string;
  pages: string;
  pcb: string;
  /** What the process was doing, as `stop` names it ("running": on the CPU). */
  state: string;
  wakeAtNs: number;
}

/** What checkImagesKept compared: each count is of comparisons made, and all held. */
export interface ImageChecks {
  /** Cancelled, denied or failed before the freeze, and idle meanwhile: request = end. */
  untouched: number;
  /** Failed after the freeze (install refused): the state sent = the process resumed. */
  resumed: number;
  /** Committed: the image installed = the one sent = the pages frozen. */
  installed: number;
}

/**
 * Invariants 4 and 5 from the probe's digests. A migration called off or refused before the
 * freeze leaves the process's image (pages, registers, mailbox, pair tables ...) as it was at
 * the request, checked when the process could not have changed on its own in between; one
 * that failed after the freeze resumes the process exactly as it was sent; a committed one
 * installs at the destination the pages the source froze and the state as it left the source
 * (the freeze's, and what the kernel did for the frozen process meanwhile: messages that
 * reached it, children that ended).
 */
export function checkImagesKept(
  trace: readonly TraceRecord[],
  options: { pagesInstalled?: boolean } = {},
): ImageChecks {
  // Copy-on-reference installs the state and the page table only: its pages come later.
  const pagesInstalled = options.pagesInstalled ?? true;
  const checks: ImageChecks = { untouched: 0, resumed: 0, installed: 0 };
  const bySourceRequest = new Map<string, ImageDigest[]>();
  const installs: (ImageDigest & { pid: string })[] = [];
  trace.forEach((record, index) => {
    if (record.event !== "migrate-image") return;
    const digest = {
      index,
      t: record.t,
      node: record.node,
      at: record.at as string,
      pages: record.pages as string,
      pcb: record.pcb as string,
      state: record.state as string,
      wakeAtNs: record.wakeAtNs as number,
    };
    if (digest.at === "install") {
      installs.push({ ...digest, pid: record.pid! });
      return;
    }
    const key = `${record.node}:${record.id}`;
    bySourceRequest.set(key, [...(bySourceRequest.get(key) ?? []), digest]);
  });
  for (const migration of migrationsOf(trace)) {
    const digests = bySourceRequest.get(`${migration.fromNode}:${migration.id}`) ?? [];
    const at = (point: string) => digests.find((digest) => digest.at === point);
    const label = `${migration.pid} from node ${migration.fromNode}, request ${migration.id}`;
    const request = at("request");
    expect(request, label).toBeDefined();
    const end = at("end");
    if (end && idleBetween(trace, migration.pid, request!, end)) {
      expect([end.pages, end.pcb], `${label}: called off, changed`).toEqual([
        request!.pages,
        request!.pcb,
      ]);
      checks.untouched++;
    }
    const freeze = at("freeze");
    const sent = at("sent");
    const resume = at("resume");
    if (sent && resume) {
      expect([resume.pages, resume.pcb], `${label}: resumed, changed`).toEqual([
        sent.pages,
        sent.pcb,
      ]);
      checks.resumed++;
    }
    if (migration.end?.outcome !== "committed") continue;
    expect(freeze && sent, `${label}: committed without a freeze and a state`).toBeTruthy();
    const install = installs.find(
      (digest) =>
        digest.pid === migration.pid &&
        digest.node === migration.toNode &&
        digest.index > sent!.index,
    );
    expect(install, `${label}: committed, never installed`).toBeDefined();
    expect(sent!.pages, `${label}: pages changed while frozen`).toBe(freeze!.pages);
    expect(
      [pagesInstalled ? install!.pages : sent!.pages, install!.pcb],
      `${label}: installed other than sent`,
    ).toEqual([sent!.pages, sent!.pcb]);
    checks.installed++;
  }
  return checks;
}

/** States in which a process changes only by running, by a message or by its wake-up. */
const quietStates = new Set(["ready", "receive", "sleep"]);

/**
 * Nothing but the migration could have changed the process between two digests: it was off
 * the CPU, not waiting for another kernel or a child (whose answers the trace does not show),
 * was not run, got no message, and its wake-up was not due.
 */
function idleBetween(
  trace: readonly TraceRecord[],
  pid: string,
  from: ImageDigest,
  to: ImageDigest,
): boolean {
  if (!quietStates.has(from.state)) return false;
  if (from.wakeAtNs >= 0 && from.wakeAtNs <= to.t) return false;
  for (let index = from.index + 1; index < to.index; index++) {
    const record = trace[index]!;
    if (record.event === "run" && record.pid === pid) return false;
    if ((record.event === "deliver" || record.event === "send") && record.to === pid) return false;
  }
  return true;
}
