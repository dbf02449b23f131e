// The source kernel's side of a migration (docs/migration.md, states Requested, Frozen,
// StateSent): ask the destination, and on its accept (the commit point) freeze the process,
// send its pages, tell every peer kernel and the home where it goes and wait for their acks,
// then send its state with the messages that reached it meanwhile. The pages go out in a
// bounded window: a new ImagePages message only while the bytes queued to the destination are
// under imageWindowBytes, more as its acks drain the queue, so the transport's per-peer queue
// never refuses one, whatever the process's size. The process stays here,
// whole, until the destination confirms; a deny, a cancel or a silent destination before the
// commit point leave it running untouched, a failure after it resumes it here.

import type { FrozenFacts } from "../kernel.ts";
import { formatPid, type Pid, pidHomeNode } from "../process/pid.ts";
import { type Process, ProcessState } from "../process/process.ts";
import { capturePages, captureState } from "./capture.ts";
import { MigrationMessageKind } from "./migration-messages.ts";
import {
  type CancelStep,
  cancelStepOf,
  type ImageDigestPoint,
  traceImageDigest,
} from "./migration-probe.ts";
import type { MigrationService } from "./migration-service.ts";
import { encodePages, encodeProcessState, type ImagePage } from "./process-image.ts";

/**
 * How long the source waits for the destination's MigrateReply once the destination's
 * transport holds everything sent to it: then the destination is silent and the request
 * failed. While frames to it are still unacknowledged the network, not the destination, is
 * slow (a shared 10 Mbit/s Ethernet carrying another migration's pages keeps a station off
 * the wire for longer than this), so the wait goes on; a destination that never acknowledges
 * is declared failed by the transport (onPeerFailed).
 */
export const migrateReplyTimeoutNs = 100_000_000;
/** Pages per ImagePages message (64 KiB of contents, 45 transport fragments). */
export const pagesPerMessage = 16;
/** The most bytes queued to the destination before the next ImagePages waits (16 messages). */
export const imageWindowBytes = 1024 * 1024;

const enum SourcePhase {
  Requested = 0,
  /** Accepted while the process waited for another kernel's answer: frozen when it comes. */
  FreezePending = 1,
  Transferring = 2,
  StateSent = 3,
}

/** A kill (or other request) for the process that came while it was frozen: sent on later. */
interface HeldMessage {
  originNode: number;
  bytes: Uint8Array;
}

interface Outgoing {
  requestId: number;
  pid: Pid;
  toNode: number;
  process: Process;
  phase: SourcePhase;
  startedAtNs: number;
  replyDeadlineNs: number;
  frozenAtNs: number;
  facts: FrozenFacts | undefined;
  bytesSent: number;
  deliveredAtFreeze: number;
  forwarded: number;
  acksPending: number;
  /** The pages captured at the freeze; those from `nextPage` on are not sent yet. */
  pages: ImagePage[];
  nextPage: number;
  held: HeldMessage[];
  /** Further orders for this process (target nodes), started when this migration ends. */
  queuedOrders: number[];
}

export type MigrationOutcome = "committed" | "cancelled" | "failed";

export class SourceSide {
  private readonly byRequest = new Map<number, Outgoing>();
  private readonly byPid = new Map<Pid, Outgoing>();
  private nextRequestId = 1;

  constructor(private readonly service: MigrationService) {}

  get activeCount(): number {
    return this.byRequest.size;
  }

  isMigrating(pid: Pid): boolean {
    return this.byPid.has(pid);
  }

  /** Processes being sent from here that have left the process table (StateSent). */
  *detached(): IterableIterator<Process> {
    for (const record of this.byRequest.values()) {
      if (record.phase === SourcePhase.StateSent) yield record.process;
    }
  }

  /** Whether `pid` is one of the processes this node sent away and still holds. */
  private holdsDetached(pid: Pid): boolean {
    return this.byPid.get(pid)?.phase === SourcePhase.StateSent;
  }

  /** Tells the destination the request is off, then ends the migration. */
  private callOff(record: Outgoing, outcome: MigrationOutcome, why: string): void {
    this.service.send(record.toNode, {
      kind: MigrationMessageKind.MigrateCancel,
      requestId: record.requestId,
    });
    this.end(record, outcome, why);
  }

  queueOrder(pid: Pid, toNode: number): void {
    this.byPid.get(pid)?.queuedOrders.push(toNode);
  }

  /** MigrateOut: asks `toNode` to take the live process. */
  start(process: Process, toNode: number): void {
    const service = this.service;
    const kernel = service.kernel;
    const nowNs = kernel.nowNs();
    const requestId = this.nextRequestId;
    this.nextRequestId = (this.nextRequestId % 0xffff_fffe) + 1;
    const record: Outgoing = {
      requestId,
      pid: process.pid,
      toNode,
      process,
      phase: SourcePhase.Requested,
      startedAtNs: nowNs,
      replyDeadlineNs: nowNs + migrateReplyTimeoutNs,
      frozenAtNs: 0,
      facts: undefined,
      bytesSent: 0,
      deliveredAtFreeze: 0,
      forwarded: 0,
      acksPending: 0,
      pages: [],
      nextPage: 0,
      held: [],
      queuedOrders: [],
    };
    this.byRequest.set(requestId, record);
    this.byPid.set(process.pid, record);
    kernel.traceEvent("migrate-start", {
      pid: formatPid(process.pid),
      from: kernel.homeNode,
      to: toNode,
      id: requestId,
    });
    this.probeImage(record, "request");
    record.bytesSent += service.send(toNode, {
      kind: MigrationMessageKind.MigrateRequest,
      requestId,
      pid: process.pid,
      pageCount: process.addressSpace.pageCount,
      memoryBytes: process.committedBytes(),
      cpuNs: Math.round((kernel.cpuCyclesOf(process) * 1e9) / kernel.machine.clockHz),
      ageNs: nowNs - process.bornAtNs,
      links: linksOf(process),
    });
    this.probeCancel(record, "request");
  }

  /** CancelMigrate before the commit point; false when there is nothing to cancel. */
  cancel(pid: Pid): boolean {
    const record = this.byPid.get(pid);
    if (!record || record.phase !== SourcePhase.Requested) return false;
    this.callOff(record, "cancelled", "cancelled");
    return true;
  }

  nextTimerNs(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const record of this.byRequest.values()) {
      if (record.phase === SourcePhase.Requested) {
        earliest = Math.min(earliest, record.replyDeadlineNs);
      }
    }
    return earliest;
  }

  fireTimers(nowNs: number): void {
    const transport = this.service.network.transport;
    for (const record of [...this.byRequest.values()]) {
      if (record.phase === SourcePhase.Requested && record.replyDeadlineNs <= nowNs) {
        if (transport.queuedBytesTo(record.toNode) > 0 && !transport.hasFailed(record.toNode)) {
          record.replyDeadlineNs = nowNs + migrateReplyTimeoutNs;
          continue;
        }
        this.callOff(record, "failed", "no reply");
      }
    }
  }

  onReply(fromNode: number, requestId: number, result: number): void {
    const record = this.byRequest.get(requestId);
    if (!record || record.toNode !== fromNode || record.phase !== SourcePhase.Requested) return;
    if (this.probeCancel(record, "reply")) return;
    if (result < 0) {
      this.end(record, "cancelled", `denied (${result})`);
      return;
    }
    if (!record.process.isAlive) {
      this.callOff(record, "cancelled", "the process ended");
      return;
    }
    this.service.kernel.traceEvent("migrate-commit", {
      pid: formatPid(record.pid),
      to: record.toNode,
      id: requestId,
    });
    if (record.process.state === ProcessState.BlockedRemote) {
      record.phase = SourcePhase.FreezePending;
    } else {
      this.transfer(record);
    }
    this.probeCancel(record, "commit");
  }

  /** A process's remote call was answered: a freeze that waited for it happens now. */
  onResumed(process: Process): void {
    const record = this.byPid.get(process.pid);
    if (record?.phase === SourcePhase.FreezePending) this.transfer(record);
  }

  /** The process ended before it was frozen: the migration is off. */
  onProcessEnd(process: Process): void {
    const record = this.byPid.get(process.pid);
    if (!record || record.process !== process) return;
    if (record.phase !== SourcePhase.Requested && record.phase !== SourcePhase.FreezePending) {
      return;
    }
    this.callOff(record, "cancelled", "the process ended");
  }

  /** Holds a request for a frozen process (a kill) until the migration ends; false if not. */
  hold(pid: Pid, originNode: number, bytes: Uint8Array): boolean {
    const record = this.byPid.get(pid);
    if (!record || record.phase !== SourcePhase.Transferring) return false;
    record.held.push({ originNode, bytes });
    return true;
  }

  onLinkUpdateAck(requestId: number): void {
    const record = this.byRequest.get(requestId);
    if (!record || record.phase !== SourcePhase.Transferring || record.acksPending === 0) return;
    record.acksPending--;
    this.sendMore(record);
  }

  /** The transport took acks: every transfer sends what its window now allows. */
  onTransportProgress(): void {
    for (const record of this.byRequest.values()) {
      if (record.phase === SourcePhase.Transferring) this.sendMore(record);
    }
  }

  onDone(fromNode: number, requestId: number, result: number): void {
    const record = this.byRequest.get(requestId);
    if (!record || record.toNode !== fromNode || record.phase !== SourcePhase.StateSent) return;
    if (result < 0) {
      this.resumeHere(record, `not installed (${result})`);
      return;
    }
    const service = this.service;
    const kernel = service.kernel;
    const network = service.network;
    const process = record.process;
    kernel.releaseProcess(process);
    // Its children here stay; their statuses and records went with it.
    for (const child of kernel.processes.childrenOf(process.pid)) {
      if (!child.isAlive) kernel.collectZombie(child);
    }
    for (const child of network.remoteChildren.childrenOf(process.pid)) {
      network.remoteChildren.remove(child.pid);
    }
    // Its parent, here or leaving too (and perhaps resuming here if its own move fails),
    // keeps it as a child on another node.
    if (kernel.processes.live(process.parentPid) || this.holdsDetached(process.parentPid)) {
      network.remoteChildren.add(process.pid, process.parentPid);
    }
    this.end(record, "committed", undefined);
  }

  /** The destination failed: before the commit point the request fails, after it the process resumes here. */
  onPeerFailed(node: number): void {
    for (const record of [...this.byRequest.values()]) {
      if (record.toNode !== node) continue;
      if (record.phase === SourcePhase.Requested || record.phase === SourcePhase.FreezePending) {
        this.end(record, "failed", "destination failed");
      } else {
        this.resumeHere(record, "destination failed");
      }
    }
  }

  private transfer(record: Outgoing): void {
    const service = this.service;
    const kernel = service.kernel;
    const network = service.network;
    const process = record.process;
    record.phase = SourcePhase.Transferring;
    record.facts = kernel.freezeProcess(process);
    record.frozenAtNs = kernel.nowNs();
    record.deliveredAtFreeze = process.mailbox.stats.delivered;
    record.pages = capturePages(kernel, process);
    this.probeImage(record, "freeze");
    const own = kernel.homeNode;
    const nodes = new Set<number>();
    for (const peer of linksOf(process)) nodes.add(network.nodeOf(peer));
    nodes.add(pidHomeNode(process.pid));
    nodes.delete(own);
    nodes.delete(record.toNode);
    network.locations.set(process.pid, record.toNode);
    record.acksPending = nodes.size;
    for (const node of [...nodes].sort((a, b) => a - b)) {
      record.bytesSent += service.send(node, {
        kind: MigrationMessageKind.LinkUpdate,
        requestId: record.requestId,
        pid: process.pid,
        node: record.toNode,
      });
    }
    this.sendMore(record);
  }

  /**
   * Sends the next pages while the destination's queue is under the window; once every page
   * is out and every peer has acked, the state, when the queue has room for it.
   */
  private sendMore(record: Outgoing): void {
    const service = this.service;
    const transport = service.network.transport;
    while (
      record.nextPage < record.pages.length &&
      transport.queuedBytesTo(record.toNode) < imageWindowBytes &&
      !transport.hasFailed(record.toNode)
    ) {
      const first = record.nextPage;
      record.nextPage = Math.min(record.pages.length, first + pagesPerMessage);
      record.bytesSent += service.send(record.toNode, {
        kind: MigrationMessageKind.ImagePages,
        requestId: record.requestId,
        bytes: encodePages(record.pages.slice(first, record.nextPage)),
      });
      if (record.nextPage === record.pages.length) this.probeCancel(record, "pages");
    }
    if (record.nextPage < record.pages.length || record.acksPending > 0) return;
    this.sendState(record);
  }

  /** The state, once the destination's queue has room for it (it is bounded: a 64-message mailbox). */
  private sendState(record: Outgoing): void {
    const kernel = this.service.kernel;
    const process = record.process;
    const stateBytes = this.service.sendIfRoom(record.toNode, {
      kind: MigrationMessageKind.ProcessState,
      requestId: record.requestId,
      bytes: encodeProcessState(captureState(kernel, process, record.facts!)),
    });
    if (stateBytes === 0) return;
    this.probeImage(record, "sent");
    record.bytesSent += stateBytes;
    record.pages = [];
    record.forwarded += process.mailbox.stats.delivered - record.deliveredAtFreeze;
    // Off the table: from now on what comes for it here goes on to the destination.
    kernel.detachProcess(process);
    for (const held of record.held) {
      this.service.network.forwardTo(record.toNode, held.originNode, held.bytes);
    }
    record.held = [];
    record.phase = SourcePhase.StateSent;
    this.probeCancel(record, "state");
  }

  /** After the commit point the destination failed: the process carries on here. */
  private resumeHere(record: Outgoing, why: string): void {
    const service = this.service;
    const kernel = service.kernel;
    const process = record.process;
    if (record.phase === SourcePhase.StateSent) kernel.reattachProcess(process);
    if (record.facts) this.probeImage(record, "resume");
    service.network.locations.delete(process.pid);
    // The home heard of the move at the freeze; it keeps the location truth, so it must hear
    // that the process is back here (peers told too learn it from the home when they need to).
    const home = pidHomeNode(process.pid);
    if (record.facts && home !== kernel.homeNode) {
      service.send(home, {
        kind: MigrationMessageKind.LinkUpdate,
        requestId: record.requestId,
        pid: process.pid,
        node: kernel.homeNode,
      });
    }
    if (record.facts) kernel.resumeMoved(process, record.facts.state, record.facts.wakeAtNs);
    for (const held of record.held) service.network.handleMessage(held.originNode, held.bytes, 0);
    this.end(record, "failed", why);
  }

  /**
   * The migration probe (tests): calls the migration off here when its plan says so, as a
   * Starter's cancel_migrate landing at this step would, and traces whether it was refused
   * (it is from the commit point on). True when the migration ended.
   */
  private probeCancel(record: Outgoing, step: CancelStep): boolean {
    if (cancelStepOf(this.service.network.migrationProbe, record.requestId) !== step) return false;
    const cancelled = this.cancel(record.pid);
    this.service.kernel.traceEvent("migrate-cancel", {
      pid: formatPid(record.pid),
      id: record.requestId,
      step,
      refused: !cancelled,
    });
    return cancelled;
  }

  /** The migration probe (tests): a digest of the process image, in the trace. */
  private probeImage(record: Outgoing, at: ImageDigestPoint): void {
    if (!this.service.network.migrationProbe?.imageDigests) return;
    traceImageDigest(this.service.kernel, record.process, at, record.requestId, record.facts);
  }

  private end(record: Outgoing, outcome: MigrationOutcome, why: string | undefined): void {
    const service = this.service;
    const kernel = service.kernel;
    // Called off before the freeze: the probe shows it as it is now, to match its request.
    if (outcome !== "committed" && !record.facts && record.process.isAlive) {
      this.probeImage(record, "end");
    }
    this.byRequest.delete(record.requestId);
    this.byPid.delete(record.pid);
    const nowNs = kernel.nowNs();
    const fields: Record<string, number | string> = {
      pid: formatPid(record.pid),
      to: record.toNode,
      id: record.requestId,
      outcome,
      freezeNs: record.facts ? nowNs - record.frozenAtNs : 0,
      totalNs: nowNs - record.startedAtNs,
      bytes: record.bytesSent,
      forwarded: record.forwarded,
    };
    if (why !== undefined) fields.why = why;
    kernel.traceEvent("migrate-end", fields);
    service.count(outcome, record.bytesSent, record.forwarded);
    service.ended({
      requestId: record.requestId,
      pid: record.pid,
      fromNode: kernel.homeNode,
      toNode: record.toNode,
      outcome,
      freezeNs: fields.freezeNs as number,
      totalNs: fields.totalNs as number,
      bytes: record.bytesSent,
      forwarded: record.forwarded,
    });
    for (const toNode of record.queuedOrders) service.orders.order(record.pid, toNode, 0);
  }
}

/** The link table: every peer the process sends to or has received from. */
export function linksOf(process: Process): Pid[] {
  const peers = new Set<Pid>();
  for (const [peer] of process.sendSeqs.getState().entries) peers.add(peer);
  for (const [peer] of process.mailbox.getState().expectedSeqs.entries) peers.add(peer);
  return [...peers].sort((a, b) => a - b);
}
