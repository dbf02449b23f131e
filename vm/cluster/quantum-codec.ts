// The bytes that cross between the coordinator and a worker thread each quantum, written into
// and read from SharedArrayBuffers (no postMessage per quantum). Inbound: the quantum's end
// and the frame events for the worker's nodes. Outbound: what its nodes produced. Frames and
// console bytes go as raw bytes; the small records (statuses, trace lines, reports, console
// stamps) as one JSON text. A batch larger than the buffer is refused with a clear error.
// Each side keeps one codec per buffer and reuses its reader, writer and decoded records, so
// a quantum in which nothing happened allocates nothing.

import type { FrameEvent, FrameEventKind } from "../fabric/medium.ts";
import type { QuantumOutput, TimedLine } from "./node-host.ts";
import type { NodeProgress } from "./node-software.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class BatchOverflowError extends RangeError {}

const noBytes = new Uint8Array(0);

class ByteWriter {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  rewind(): void {
    this.offset = 0;
  }

  private need(count: number): void {
    if (this.offset + count > this.bytes.length) {
      throw new BatchOverflowError(
        `one quantum's traffic exceeds the ${this.bytes.length}-byte exchange buffer`,
      );
    }
  }

  f64(value: number): void {
    this.need(8);
    this.view.setFloat64(this.offset, value, true);
    this.offset += 8;
  }

  u32(value: number): void {
    this.need(4);
    this.view.setUint32(this.offset, value >>> 0, true);
    this.offset += 4;
  }

  bytesWithLength(value: Uint8Array): void {
    this.u32(value.length);
    this.need(value.length);
    this.bytes.set(value, this.offset);
    this.offset += value.length;
  }

  get length(): number {
    return this.offset;
  }
}

class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  rewind(): void {
    this.offset = 0;
  }

  f64(): number {
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  u32(): number {
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  bytesWithLength(): Uint8Array {
    const length = this.u32();
    if (length === 0) return noBytes;
    const value = this.bytes.slice(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
}

/** The coordinator's side of the inbound buffer: the quantum's end and its events. */
export class InboundWriter {
  private readonly writer: ByteWriter;

  constructor(target: Uint8Array) {
    this.writer = new ByteWriter(target);
  }

  write(untilNs: number, withProgress: boolean, events: readonly FrameEvent[]): void {
    const writer = this.writer;
    writer.rewind();
    writer.f64(untilNs);
    writer.u32(withProgress ? 1 : 0);
    writer.u32(events.length);
    for (const event of events) {
      writer.u32(event.kind);
      writer.u32(event.node);
      writer.f64(event.atNs);
      writer.u32(event.sourceNode);
      writer.u32(event.seq);
      writer.u32(event.delivered ? 1 : 0);
      writer.bytesWithLength(event.bytes);
    }
  }
}

/** The worker's side of the inbound buffer; `events` is reused by the next read. */
export class InboundReader {
  private readonly reader: ByteReader;
  untilNs = 0;
  withProgress = false;
  readonly events: FrameEvent[] = [];

  constructor(source: Uint8Array) {
    this.reader = new ByteReader(source);
  }

  read(): void {
    const reader = this.reader;
    reader.rewind();
    this.untilNs = reader.f64();
    this.withProgress = reader.u32() === 1;
    const count = reader.u32();
    const events = this.events;
    events.length = 0;
    for (let index = 0; index < count; index++) {
      const kind = reader.u32() as FrameEventKind;
      const node = reader.u32();
      const atNs = reader.f64();
      const sourceNode = reader.u32();
      const seq = reader.u32();
      const delivered = reader.u32() === 1;
      events.push({
        kind,
        node,
        atNs,
        sourceNode,
        seq,
        delivered,
        bytes: reader.bytesWithLength(),
      });
    }
  }
}

/** The rare and variable parts of a batch, as JSON; absent when all are empty. */
interface OutboundRecords {
  progress: NodeProgress[];
  traces: TimedLine[];
  reports: TimedLine[];
  /** atNs, pid, channel of each console record, in order. */
  console: [number, number, number][];
}

/** The worker's side of the outbound buffer: what its nodes produced in the quantum. */
export class OutboundWriter {
  private readonly writer: ByteWriter;

  constructor(target: Uint8Array) {
    this.writer = new ByteWriter(target);
  }

  /** Writes the quantum's output; returns the bytes used. */
  write(output: QuantumOutput): number {
    const writer = this.writer;
    writer.rewind();
    writer.u32(output.frames.length);
    for (const frame of output.frames) {
      writer.u32(frame.sourceNode);
      writer.u32(frame.seq);
      writer.f64(frame.handedAtNs);
      writer.bytesWithLength(frame.bytes);
    }
    writer.u32(output.statuses.length);
    for (const status of output.statuses) {
      writer.u32(status.liveJobs);
      writer.u32((status.canProgress ? 1 : 0) | (status.runnable ? 2 : 0));
      writer.f64(status.nextEventNs);
    }
    writer.u32(output.console.length);
    for (const record of output.console) writer.bytesWithLength(record.bytes);
    const quiet =
      output.progress.length === 0 &&
      output.traces.length === 0 &&
      output.reports.length === 0 &&
      output.console.length === 0;
    if (quiet) {
      writer.u32(0);
      return writer.length;
    }
    const records: OutboundRecords = {
      progress: output.progress,
      traces: output.traces,
      reports: output.reports,
      console: output.console.map((record) => [record.atNs, record.pid, record.channel]),
    };
    writer.bytesWithLength(encoder.encode(JSON.stringify(records)));
    return writer.length;
  }
}

/**
 * The coordinator's side of the outbound buffer. `read` returns one output object, reused by
 * the next read (its status records too), so it is valid until then.
 */
export class OutboundReader {
  private readonly reader: ByteReader;
  private readonly output: QuantumOutput = {
    frames: [],
    console: [],
    traces: [],
    reports: [],
    statuses: [],
    progress: [],
  };

  constructor(source: Uint8Array) {
    this.reader = new ByteReader(source);
  }

  read(): QuantumOutput {
    const reader = this.reader;
    const output = this.output;
    reader.rewind();
    const frameCount = reader.u32();
    output.frames.length = 0;
    for (let index = 0; index < frameCount; index++) {
      const sourceNode = reader.u32();
      const seq = reader.u32();
      const handedAtNs = reader.f64();
      output.frames.push({ sourceNode, seq, handedAtNs, bytes: reader.bytesWithLength() });
    }
    const statusCount = reader.u32();
    const statuses = output.statuses;
    for (let index = 0; index < statusCount; index++) {
      const liveJobs = reader.u32();
      const flags = reader.u32();
      const nextEventNs = reader.f64();
      if (statuses.length <= index) {
        statuses.push({ liveJobs: 0, canProgress: false, runnable: false, nextEventNs: 0 });
      }
      const status = statuses[index]!;
      status.liveJobs = liveJobs;
      status.canProgress = (flags & 1) !== 0;
      status.runnable = (flags & 2) !== 0;
      status.nextEventNs = nextEventNs;
    }
    statuses.length = statusCount;
    const consoleCount = reader.u32();
    const consoleBytes: Uint8Array[] = [];
    for (let index = 0; index < consoleCount; index++) consoleBytes.push(reader.bytesWithLength());
    const json = reader.bytesWithLength();
    output.console.length = 0;
    if (json.length === 0) {
      output.traces.length = 0;
      output.reports.length = 0;
      output.progress.length = 0;
      return output;
    }
    const records = JSON.parse(decoder.decode(json)) as OutboundRecords;
    records.console.forEach(([atNs, pid, channel], index) => {
      output.console.push({ atNs, pid, channel, bytes: consoleBytes[index]! });
    });
    output.traces = records.traces;
    output.reports = records.reports;
    output.progress = records.progress;
    return output;
  }
}
