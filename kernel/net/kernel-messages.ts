// The messages kernels exchange over the transport (docs/network.md, "Kernel messages"), and
// their byte layout: a kind byte, then fixed little-endian fields, then at most one variable
// tail (a message's bytes, an image, or NUL-separated strings). Decoding checks every length
// and names the field that is wrong; a malformed message is dropped and counted by the caller,
// never thrown past it. Requests carry a request id that the answer echoes, so the asking
// kernel finds the process blocked on it.

export const enum KernelMessageKind {
  IpcSend = 1,
  IpcAnswer = 2,
  SpawnRequest = 3,
  SpawnAnswer = 4,
  FileRequest = 5,
  FileAnswer = 6,
  ChildExit = 7,
  KillRequest = 8,
  KillAnswer = 9,
  LoadReport = 10,
  LoadQuery = 11,
  LoadAnswer = 12,
  /** A message for a process that is not on the receiving node, passed on towards it. */
  Forward = 13,
  /** Nothing but a reliable frame: its ack tells the sender the peer is alive (network.md). */
  Probe = 14,
  /**
   * To the node a request (IpcSend, KillRequest) came from: it was passed on to `node`, which
   * holds it now; that node watches `node` instead of the one it sent the request to.
   */
  PassedOn = 15,
  /**
   * To a parent's node, passed on to wherever the parent lives (as ChildExit): its remote
   * child now lives on `node` (a location notice of version `version`), the node it watches.
   */
  ChildMoved = 16,
  /**
   * recover: the answer to an IpcSend that a migration's source dropped during the transfer
   * (`migrationId`: that migration's request id at the answering node). The sender's kernel keeps
   * the send and resends it when it hears where the process went; a guest never sees it.
   */
  IpcDropped = 17,
  /**
   * To the home of `pid`: a receive on the sending node waits for a message from `pid` alone;
   * tell it when `pid` has ended (ProcessEnded), at once if it already has.
   */
  EndWatch = 18,
  /** From the home of `pid`, to a node that asked (EndWatch): `pid` has ended. */
  ProcessEnded = 19,
  /**
   * To every other live node, from one that declared the home of `pid` failed while it has
   * requests or receives waiting on `pid`: where is it? (The home's table, the truth about
   * where its processes are, was lost with it.) Numbered after the migration messages (20-36).
   */
  Locate = 37,
  /**
   * The answer to Locate: `node` holds `pid` (the answering node itself: the process lives,
   * arrives or is being sent from there), or is where the answering node believes it is (a
   * location entry of version `version`), or locateNowhere.
   */
  Located = 38,
}

/** Located's node when the answering node neither holds the process nor knows where it is. */
export const locateNowhere = 0xffff_ffff;

export interface IpcSend {
  kind: KernelMessageKind.IpcSend;
  requestId: number;
  senderPid: number;
  receiverPid: number;
  pairSeq: number;
  bytes: Uint8Array;
}

/** The answer to a request: a result as a syscall returns it (>= 0, or -errno). */
export interface Answer {
  kind: KernelMessageKind.IpcAnswer | KernelMessageKind.SpawnAnswer | KernelMessageKind.KillAnswer;
  requestId: number;
  result: number;
}

export interface SpawnRequest {
  kind: KernelMessageKind.SpawnRequest;
  requestId: number;
  parentPid: number;
  /** Descends from a --run process (the run lasts while such processes live). */
  inJob: boolean;
  path: string;
  argumentText: string;
}

export interface FileRequest {
  kind: KernelMessageKind.FileRequest;
  requestId: number;
  path: string;
}

export interface FileAnswer {
  kind: KernelMessageKind.FileAnswer;
  requestId: number;
  /** 0, or -ENOENT. */
  result: number;
  image: Uint8Array;
}

export interface ChildExit {
  kind: KernelMessageKind.ChildExit;
  childPid: number;
  parentPid: number;
  status: number;
}

export interface ChildMoved {
  kind: KernelMessageKind.ChildMoved;
  childPid: number;
  parentPid: number;
  node: number;
  version: number;
}

export interface KillRequest {
  kind: KernelMessageKind.KillRequest;
  requestId: number;
  killerPid: number;
  targetPid: number;
}

/** A node's load figures: sent on a period (report), asked for (query), answered. */
export interface LoadFigures {
  kind: KernelMessageKind.LoadReport | KernelMessageKind.LoadAnswer;
  queryId: number;
  loadPermille: number;
  runQueueLength: number;
  processCount: number;
}

export interface LoadQuery {
  kind: KernelMessageKind.LoadQuery;
  queryId: number;
}

/** The nodes a Forward names as having passed it on, at most: the last ones are kept. */
export const forwardViaMax = 16;

/** How a passed-on message has come so far (docs/network.md, "Forwarding"). */
export interface ForwardRoute {
  /** How many times it was passed on. */
  hops: number;
  /**
   * The newest location version (location-table.ts) a pass went by: a node passes it on by its
   * own entry only when that entry is newer, else to the process's home, so a loop of stale
   * entries ends at the home instead of going round.
   */
  version: number;
  /**
   * The nodes that passed it on, oldest first (the last forwardViaMax of them): the node that
   * finds the process tells them where it is, shortening the chain behind it.
   */
  via: readonly number[];
}

/** The route of a message that was not passed on. */
export const routeNotPassed: ForwardRoute = { hops: 0, version: 0, via: [] };

/**
 * A message (IpcSend, KillRequest, ChildExit, a migration order) for a process that moved,
 * passed on by a node that does not hold it; an answer goes to `originNode`, not to the node
 * that passed it on.
 */
export interface Forward {
  kind: KernelMessageKind.Forward;
  originNode: number;
  route: ForwardRoute;
  inner: Uint8Array;
}

export interface Probe {
  kind: KernelMessageKind.Probe;
}

/** A request of the receiving node was passed on to `node`, `hops` passes from its start. */
export interface PassedOn {
  kind: KernelMessageKind.PassedOn;
  requestId: number;
  node: number;
  hops: number;
}

/** recover: the send `requestId` was dropped by the source of migration `migrationId`. */
export interface IpcDropped {
  kind: KernelMessageKind.IpcDropped;
  requestId: number;
  migrationId: number;
}

/** EndWatch or ProcessEnded: about the process `pid`. */
export interface EndNotice {
  kind: KernelMessageKind.EndWatch | KernelMessageKind.ProcessEnded;
  pid: number;
}

/** Locate: where is `pid`? */
export interface LocateQuery {
  kind: KernelMessageKind.Locate;
  pid: number;
}

/** Located: `pid` is at `node` (version `version`), or locateNowhere. */
export interface LocateAnswer {
  kind: KernelMessageKind.Located;
  pid: number;
  node: number;
  version: number;
}

export type KernelMessage =
  | IpcSend
  | LocateQuery
  | LocateAnswer
  | EndNotice
  | IpcDropped
  | Answer
  | SpawnRequest
  | FileRequest
  | FileAnswer
  | ChildExit
  | ChildMoved
  | KillRequest
  | LoadFigures
  | LoadQuery
  | Forward
  | Probe
  | PassedOn;

export class KernelMessageError extends Error {}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

class Writer {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private offset = 1;

  constructor(kind: KernelMessageKind, fixedBytes: number, tail: Uint8Array = new Uint8Array(0)) {
    this.bytes = new Uint8Array(1 + fixedBytes + tail.length);
    this.view = new DataView(this.bytes.buffer);
    this.bytes[0] = kind;
    this.bytes.set(tail, 1 + fixedBytes);
  }

  u32(value: number): this {
    this.view.setUint32(this.offset, value >>> 0, true);
    this.offset += 4;
    return this;
  }

  i32(value: number): this {
    this.view.setInt32(this.offset, value | 0, true);
    this.offset += 4;
    return this;
  }

  done(): Uint8Array {
    return this.bytes;
  }
}

class Reader {
  private readonly view: DataView;
  private offset = 1;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
    fixedBytes: number,
  ) {
    if (bytes.length < 1 + fixedBytes) {
      throw new KernelMessageError(
        `${what}: ${bytes.length} bytes, its fixed fields need ${1 + fixedBytes}`,
      );
    }
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u32(): number {
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  i32(): number {
    const value = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return value;
  }

  tail(): Uint8Array {
    return this.bytes.subarray(this.offset);
  }

  /** Throws unless `byteCount` more bytes follow (a variable part named `field`). */
  need(byteCount: number, field: string): void {
    if (this.bytes.length - this.offset < byteCount) {
      throw new KernelMessageError(`${this.what}: ${field} runs past the end`);
    }
  }

  strings(field: string, count: number): string[] {
    let text: string;
    try {
      text = decoder.decode(this.tail());
    } catch {
      throw new KernelMessageError(`${this.what}: ${field} is not UTF-8`);
    }
    const parts = text.split("\0");
    if (parts.length !== count) {
      throw new KernelMessageError(
        `${this.what}: ${field} has ${parts.length} parts, not ${count}`,
      );
    }
    return parts;
  }
}

export function encodeKernelMessage(message: KernelMessage): Uint8Array {
  switch (message.kind) {
    case KernelMessageKind.IpcSend:
      return new Writer(message.kind, 16, message.bytes)
        .u32(message.requestId)
        .u32(message.senderPid)
        .u32(message.receiverPid)
        .u32(message.pairSeq)
        .done();
    case KernelMessageKind.IpcAnswer:
    case KernelMessageKind.SpawnAnswer:
    case KernelMessageKind.KillAnswer:
      return new Writer(message.kind, 8).u32(message.requestId).i32(message.result).done();
    case KernelMessageKind.SpawnRequest:
      return new Writer(
        message.kind,
        12,
        encoder.encode(`${message.path}\0${message.argumentText}`),
      )
        .u32(message.requestId)
        .u32(message.parentPid)
        .u32(message.inJob ? 1 : 0)
        .done();
    case KernelMessageKind.FileRequest:
      return new Writer(message.kind, 4, encoder.encode(message.path))
        .u32(message.requestId)
        .done();
    case KernelMessageKind.FileAnswer:
      return new Writer(message.kind, 8, message.image)
        .u32(message.requestId)
        .i32(message.result)
        .done();
    case KernelMessageKind.ChildExit:
      return new Writer(message.kind, 12)
        .u32(message.childPid)
        .u32(message.parentPid)
        .i32(message.status)
        .done();
    case KernelMessageKind.IpcDropped:
      return new Writer(message.kind, 8).u32(message.requestId).u32(message.migrationId).done();
    case KernelMessageKind.EndWatch:
    case KernelMessageKind.ProcessEnded:
    case KernelMessageKind.Locate:
      return new Writer(message.kind, 4).u32(message.pid).done();
    case KernelMessageKind.Located:
      return new Writer(message.kind, 12)
        .u32(message.pid)
        .u32(message.node)
        .u32(message.version)
        .done();
    case KernelMessageKind.ChildMoved:
      return new Writer(message.kind, 16)
        .u32(message.childPid)
        .u32(message.parentPid)
        .u32(message.node)
        .u32(message.version)
        .done();
    case KernelMessageKind.KillRequest:
      return new Writer(message.kind, 12)
        .u32(message.requestId)
        .u32(message.killerPid)
        .u32(message.targetPid)
        .done();
    case KernelMessageKind.LoadReport:
    case KernelMessageKind.LoadAnswer:
      return new Writer(message.kind, 16)
        .u32(message.queryId)
        .u32(message.loadPermille)
        .u32(message.runQueueLength)
        .u32(message.processCount)
        .done();
    case KernelMessageKind.LoadQuery:
      return new Writer(message.kind, 4).u32(message.queryId).done();
    case KernelMessageKind.Probe:
      return new Writer(message.kind, 0).done();
    case KernelMessageKind.Forward: {
      const { hops, version, via } = message.route;
      const writer = new Writer(message.kind, 16 + 4 * via.length, message.inner)
        .u32(message.originNode)
        .u32(hops)
        .u32(version)
        .u32(via.length);
      for (const node of via) writer.u32(node);
      return writer.done();
    }
    case KernelMessageKind.PassedOn:
      return new Writer(message.kind, 12)
        .u32(message.requestId)
        .u32(message.node)
        .u32(message.hops)
        .done();
  }
}

/** The request id of an encoded IpcSend or KillRequest (both start with it); else undefined. */
export function requestIdOf(bytes: Uint8Array): number | undefined {
  const kind = bytes[0];
  if (kind !== KernelMessageKind.IpcSend && kind !== KernelMessageKind.KillRequest)
    return undefined;
  if (bytes.length < 5) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1, true);
}

/** Decodes one message; throws KernelMessageError naming the bad field. */
export function decodeKernelMessage(bytes: Uint8Array): KernelMessage {
  const kind = bytes[0];
  switch (kind) {
    case KernelMessageKind.IpcSend: {
      const reader = new Reader(bytes, "ipc-send", 16);
      return {
        kind,
        requestId: reader.u32(),
        senderPid: reader.u32(),
        receiverPid: reader.u32(),
        pairSeq: reader.u32(),
        bytes: reader.tail().slice(),
      };
    }
    case KernelMessageKind.IpcAnswer:
    case KernelMessageKind.SpawnAnswer:
    case KernelMessageKind.KillAnswer: {
      const reader = new Reader(bytes, "answer", 8);
      return { kind, requestId: reader.u32(), result: reader.i32() };
    }
    case KernelMessageKind.SpawnRequest: {
      const reader = new Reader(bytes, "spawn-request", 12);
      const requestId = reader.u32();
      const parentPid = reader.u32();
      const inJob = reader.u32() !== 0;
      const [path, argumentText] = reader.strings("path and arguments", 2);
      return { kind, requestId, parentPid, inJob, path: path!, argumentText: argumentText! };
    }
    case KernelMessageKind.FileRequest: {
      const reader = new Reader(bytes, "file-request", 4);
      const requestId = reader.u32();
      const [path] = reader.strings("path", 1);
      return { kind, requestId, path: path! };
    }
    case KernelMessageKind.FileAnswer: {
      const reader = new Reader(bytes, "file-answer", 8);
      return { kind, requestId: reader.u32(), result: reader.i32(), image: reader.tail().slice() };
    }
    case KernelMessageKind.ChildExit: {
      const reader = new Reader(bytes, "child-exit", 12);
      return { kind, childPid: reader.u32(), parentPid: reader.u32(), status: reader.i32() };
    }
    case KernelMessageKind.IpcDropped: {
      const reader = new Reader(bytes, "ipc-dropped", 8);
      return { kind, requestId: reader.u32(), migrationId: reader.u32() };
    }
    case KernelMessageKind.EndWatch:
    case KernelMessageKind.ProcessEnded: {
      const reader = new Reader(bytes, "end-notice", 4);
      return { kind, pid: reader.u32() };
    }
    case KernelMessageKind.Locate: {
      const reader = new Reader(bytes, "locate", 4);
      return { kind, pid: reader.u32() };
    }
    case KernelMessageKind.Located: {
      const reader = new Reader(bytes, "located", 12);
      return { kind, pid: reader.u32(), node: reader.u32(), version: reader.u32() };
    }
    case KernelMessageKind.ChildMoved: {
      const reader = new Reader(bytes, "child-moved", 16);
      return {
        kind,
        childPid: reader.u32(),
        parentPid: reader.u32(),
        node: reader.u32(),
        version: reader.u32(),
      };
    }
    case KernelMessageKind.KillRequest: {
      const reader = new Reader(bytes, "kill-request", 12);
      return { kind, requestId: reader.u32(), killerPid: reader.u32(), targetPid: reader.u32() };
    }
    case KernelMessageKind.LoadReport:
    case KernelMessageKind.LoadAnswer: {
      const reader = new Reader(bytes, "load-figures", 16);
      return {
        kind,
        queryId: reader.u32(),
        loadPermille: reader.u32(),
        runQueueLength: reader.u32(),
        processCount: reader.u32(),
      };
    }
    case KernelMessageKind.LoadQuery: {
      const reader = new Reader(bytes, "load-query", 4);
      return { kind, queryId: reader.u32() };
    }
    case KernelMessageKind.Probe:
      return { kind };
    case KernelMessageKind.Forward: {
      const reader = new Reader(bytes, "forward", 16);
      const originNode = reader.u32();
      const hops = reader.u32();
      const version = reader.u32();
      const viaCount = reader.u32();
      if (viaCount > forwardViaMax || viaCount > hops) {
        throw new KernelMessageError(
          `forward: ${viaCount} nodes passed it on, more than ${Math.min(forwardViaMax, hops)}`,
        );
      }
      reader.need(4 * viaCount, "the nodes that passed it on");
      const via: number[] = [];
      for (let index = 0; index < viaCount; index++) via.push(reader.u32());
      return { kind, originNode, route: { hops, version, via }, inner: reader.tail().slice() };
    }
    case KernelMessageKind.PassedOn: {
      const reader = new Reader(bytes, "passed-on", 12);
      return { kind, requestId: reader.u32(), node: reader.u32(), hops: reader.u32() };
    }
    default:
      throw new KernelMessageError(`kind: ${kind ?? "missing"} is not a kernel message kind`);
  }
}
