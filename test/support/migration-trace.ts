// Test helper: reading a boot trace (docs/trace.md) for the migration invariants of DESIGN.md
// §7: one running copy (3), exactly-once per-pair order of the receives (2), where a process
// ran, and the migrations with their start, commit and end records.

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

/** Invariant 3: each pid's run/stop/exit events in trace order never show it on two nodes. */
export function checkOneRunningCopy(trace: readonly TraceRecord[]): void {
  const runningOn = new Map<string, number>();
  for (const record of trace) {
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
