// Turns sterna's trace (JSON lines: t in virtual ns, node, event, fields; docs/trace.md) into
// the Chrome trace-event format that Perfetto's viewer opens: a track (pid) per node, each
// guest process's turns on the CPU as slices on its node's CPU thread (from "run" to "stop"
// or "exit"), messages as flows from the send to the delivery, and every other event as an
// instant. A flow gets both ends or neither: a send's start is held back until its receive
// comes, so a message never received (its receiver ended) and one received without a traced
// send (the kernel's own messages to a Starter) are instants only. Works line by line, so a
// long trace never has to fit in memory at once; what it keeps between lines is bounded
// (nodes 0..2047 as kernel/limits.ts, at most 65,536 slices open at once, at most 65,536
// sends waiting for their receive, the oldest dropped past that), so a hostile trace is an
// error naming its line, not a host out of memory.

import { nodeCountMax } from "../../kernel/limits.ts";

export interface ChromeEvent {
  name: string;
  ph: string;
  ts: number;
  /** Slices: duration in µs. */
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  bp?: string;
  s?: string;
  cat?: string;
  args?: Record<string, unknown>;
}

export class TraceLineError extends Error {}

interface OpenSlice {
  name: string;
  startUs: number;
}

/** The CPU thread of a node's track; instants go on thread 2, so slices stay readable. */
const cpuThread = 1;
const eventsThread = 2;
const nodeMax = nodeCountMax - 1;
/** A slice per running process; a real trace has at most one open per node. */
export const openSlicesMax = 65_536;
/** Sends whose receive has not come yet; past this the oldest loses its flow. */
export const pendingFlowsMax = 65_536;

export class ChromeTraceBuilder {
  private readonly openSlices = new Map<string, OpenSlice>();
  private readonly namedNodes = new Set<number>();
  /** A send's flow start, by flow id, until its receive emits it with the flow's end. */
  private readonly pendingFlows = new Map<string, ChromeEvent>();

  /** The Chrome events one trace line becomes; throws TraceLineError naming the field. */
  convert(line: string, lineNumber: number): ChromeEvent[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new TraceLineError(`line ${lineNumber}: not JSON`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new TraceLineError(`line ${lineNumber}: not a JSON object`);
    }
    const record = parsed as Record<string, unknown>;
    const { t, node, event } = record;
    if (typeof t !== "number" || !Number.isFinite(t)) {
      throw new TraceLineError(`line ${lineNumber}: field "t" must be a number of ns`);
    }
    if (typeof node !== "number" || !Number.isInteger(node) || node < 0 || node > nodeMax) {
      throw new TraceLineError(
        `line ${lineNumber}: field "node" must be an integer from 0 to ${nodeMax}`,
      );
    }
    if (typeof event !== "string") {
      throw new TraceLineError(`line ${lineNumber}: field "event" must be a string`);
    }
    const out: ChromeEvent[] = [];
    const pid = node + 1;
    const ts = t / 1000;
    if (!this.namedNodes.has(node)) {
      this.namedNodes.add(node);
      out.push({
        name: "process_name",
        ph: "M",
        ts: 0,
        pid,
        tid: 0,
        args: { name: `node ${node}` },
      });
      out.push({ name: "thread_name", ph: "M", ts: 0, pid, tid: cpuThread, args: { name: "cpu" } });
      out.push({
        name: "thread_name",
        ph: "M",
        ts: 0,
        pid,
        tid: eventsThread,
        args: { name: "events" },
      });
    }
    const args: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (key !== "t" && key !== "node" && key !== "event") args[key] = value;
    }
    const guest = typeof record.pid === "string" ? record.pid : undefined;
    switch (event) {
      case "run": {
        if (!guest) return out;
        const key = `${node}/${guest}`;
        if (this.openSlices.size >= openSlicesMax && !this.openSlices.has(key)) {
          throw new TraceLineError(
            `line ${lineNumber}: more than ${openSlicesMax} processes running at once`,
          );
        }
        this.openSlices.set(key, { name: `pid ${guest}`, startUs: ts });
        return out;
      }
      case "stop":
      case "exit": {
        const key = `${node}/${guest}`;
        const open = guest ? this.openSlices.get(key) : undefined;
        if (open) {
          this.openSlices.delete(key);
          out.push({
            name: open.name,
            ph: "X",
            ts: open.startUs,
            dur: ts - open.startUs,
            pid,
            tid: cpuThread,
            cat: "cpu",
            args,
          });
        }
        if (event === "exit") out.push(this.instant(event, ts, pid, args));
        return out;
      }
      case "send": {
        out.push(this.instant(event, ts, pid, args));
        const id = flowId(args.from, args.to, args.seq);
        // A re-traced id replaces the older start; the oldest waits the longest, so it goes.
        this.pendingFlows.delete(id);
        if (this.pendingFlows.size >= pendingFlowsMax) {
          this.pendingFlows.delete(this.pendingFlows.keys().next().value!);
        }
        this.pendingFlows.set(id, {
          name: "message",
          ph: "s",
          ts,
          pid,
          tid: eventsThread,
          cat: "ipc",
          id,
        });
        return out;
      }
      case "receive": {
        out.push(this.instant(event, ts, pid, args));
        const id = flowId(args.from, args.pid, args.seq);
        const start = this.pendingFlows.get(id);
        if (start === undefined) return out;
        this.pendingFlows.delete(id);
        out.push(start, {
          name: "message",
          ph: "f",
          bp: "e",
          ts,
          pid,
          tid: eventsThread,
          cat: "ipc",
          id,
        });
        return out;
      }
      default:
        out.push(this.instant(event, ts, pid, args));
        return out;
    }
  }

  private instant(
    name: string,
    ts: number,
    pid: number,
    args: Record<string, unknown>,
  ): ChromeEvent {
    return { name, ph: "i", s: "t", ts, pid, tid: eventsThread, args };
  }
}

/** A message's identity: its sender, receiver and pair sequence number. */
function flowId(from: unknown, to: unknown, seq: unknown): string {
  return `${String(from)}>${String(to)}#${String(seq)}`;
}
