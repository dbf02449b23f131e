// The source kernel's side of a migration (docs/migration.md, states Requested, PreCopying,
// Frozen, StateSent): ask the destination, and on its accept (the commit point) move the
// memory by the node's strategy (memory-strategy.ts), tell every peer kernel and the home where
// the process goes and wait for their acks, then send its state with the messages that reached
// it meanwhile. Direct copy freezes it and sends every page; pre-copy sends every page while it
// runs, then rounds of the pages it dirtied since (the PTEs' D bits, cleared as each page is
// read), and freezes only for the last few and the page table; copy-on-reference freezes it and
// sends the page table alone, and once it is installed lends the pages (page-lender.ts). Pages
// go out in a bounded window: a new ImagePages message only while the bytes queued to the
// destination are under imageWindowBytes, more as its acks drain the queue, so the transport's
// per-peer queue never refuses one, whatever the process's size. The process stays here,
// whole, until the destination confirms; a deny, a cancel or a failed destination before the
// commit point leave it running untouched (the source keeps no clock for the reply: the
// destination answers for a silent Starter, destination.ts, and the transport, probing it,
// declares a silent destination failed), a failure during the pre-copy rounds leaves it
// running too (it never stopped), a failure after the freeze resumes it here.

import { Errno } from "../errno.ts";
import type { FrozenFacts } from "../kernel.ts";
import { pageSizeBytes } from "../memory/user-layout.ts";
import { type ForwardRoute, routeNotPassed } from "../net/kernel-messages.ts";
import { locationVersionBack, locationVersionMoved } from "../net/location-table.ts";
import { formatPid, type Pid, pidHomeNode, pidNone } from "../process/pid.ts";
import { type Process, ProcessState, ResumeAction } from "../process/process.ts";
import { captureState } from "./capture.ts";
import type { DeliveryMethod } from "./delivery-method.ts";
import type { MemoryStrategy } from "./memory-strategy.ts";
import {
  MigrationMessageKind,
  type PageTableEntry,
  replyCancelledByDestination,
} from "./migration-messages.ts";
import {
  type CancelStep,
  cancelStepOf,
  type ImageDigestPoint,
  traceImageDigest,
} from "./migration-probe.ts";
import type { MigrationService } from "./migration-service.ts";
import { encodePages, encodeProcessState, type ImagePage } from "./process-image.ts";

/** Pages per ImagePages message (64 KiB of contents, 45 transport fragments). */
export const pagesPerMessage = 16;
/** The most bytes queued to the destination before the next ImagePages waits (16 messages). */
export const imageWindowBytes = 1024 * 1024;
/**
 * Pre-copy freezes the process once a round leaves at most this many dirty pages (32 KiB),
 * once the dirty set stops shrinking from one round to the next, or after precopyRoundsMax
 * rounds while it runs, whichever comes first.
 */
export const precopyDirtyPagesFew = 8;
export const precopyRoundsMax = 8;
/**
 * Messages passed on to the destination once the state has left, kept until it confirms, at
 * most; past it one is passed on without a copy (and reported), so a destination failing then
 * may lose it. Each waiting sender has one send outstanding, so the cap is far from reached.
 */
export const passedOnKeptMax = 1024;

const enum SourcePhase {
  Requested = 0,
  /** Pre-copy: accepted, the pages going out while the process runs. */
  PreCopying = 1,
  /** Accepted while the process waited for another kernel's answer: frozen when it comes. */
  FreezePending = 2,
  Transferring = 3,
  StateSent = 4,
  /**
   * The process ended before it was frozen (asked, accepted and waiting, or in pre-copy's
   * live rounds). The cancel is sent, and the migration stays open until the destination has
   * acked everything sent to it (then cancelled) or is declared failed (then failed, as a
   * timeout or a crash counts: DESIGN.md §5), so a dead destination is never counted
   * cancelled for the process's end having come first.
   */
  Closing = 5,
}

/** A kill (or other request) for the process that came while it was frozen: sent on later. */
interface HeldMessage {
  originNode: number;
  bytes: Uint8Array;
  /** How it had come here (passed on, or not). */
  route: ForwardRoute;
}

interface Outgoing {
  requestId: number;
  pid: Pid;
  /** Which move of the process this is, from 1: its location notices' versions. */
  move: number;
  toNode: number;
  process: Process;
  phase: SourcePhase;
  startedAtNs: number;
  /** The transport refused the request (the destination's queue full, or it failed): ended at the next timer. */
  requestRefused: boolean;
  frozenAtNs: number;
  facts: FrozenFacts | undefined;
  bytesSent: number;
  deliveredAtFreeze: number;
  forwarded: number;
  /** Peer kernels (and the home) told of the new node whose ack has not come. */
  linkAcksPending: Set<number>;
  /** Every node told of the new node at the freeze: told again if the process resumes here. */
  linkTold: number[];
  strategy: MemoryStrategy;
  delivery: DeliveryMethod;
  /** recover: sends dropped here during the transfer, and the nodes they came from. */
  dropped: number;
  droppedFrom: Set<number>;
  /** The pages of this round; those from `nextPage` on are not sent yet. */
  queue: PageTableEntry[];
  nextPage: number;
  /** Pre-copy: pages whose contents the destination holds (rewritten if dirtied since). */
  sent: Set<number>;
  /** Rounds of page copies: 1 for direct copy, the live rounds and the frozen one for pre-copy. */
  rounds: number;
  /** Pre-copy and copy-on-reference: every page at the freeze, sent once the pages are out. */
  pageTable: PageTableEntry[] | undefined;
  /** Frozen: every page and the page table are out (the probe's "pages" step). */
  pagesOut: boolean;
  held: HeldMessage[];
  /**
   * What was passed on to the destination after the state left (held, or come since), until it
   * confirms: a destination that fails first may have taken them with it, so they are handled
   * here again when the process resumes (pair numbers make a second copy of a send harmless).
   */
  passedOn: HeldMessage[];
  /** Further orders for this process (target nodes), started when this migration ends. */
  queuedOrders: number[];
  /** Local senders its full, frozen mailbox refused: their send runs again when this ends. */
  waitingSenders: Process[];
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

  /** Migrations of ended processes still open (Closing): the run waits for their outcome. */
  get closingCount(): number {
    let count = 0;
    for (const record of this.byRequest.values()) if (record.phase === SourcePhase.Closing) count++;
    return count;
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
  holdsDetached(pid: Pid): boolean {
    return this.byPid.get(pid)?.phase === SourcePhase.StateSent;
  }

  /**
   * This node crashes: every migration it had not ended fails ("source crashed"), counted and
   * traced now, since nothing here will end it later (DESIGN.md §5: a crash counts as failed,
   * committed means the source's cleanup finished). The destination may still install a state
   * already on the wire; the process then runs there, but the move never finished here.
   * Nothing is sent: the node is going down.
   */
  endAtCrash(): void {
    const service = this.service;
    const kernel = service.kernel;
    const nowNs = kernel.nowNs();
    for (const record of this.byRequest.values()) {
      kernel.traceEvent("migrate-end", {
        ...endFields(record, "failed", nowNs),
        why: "source crashed",
      });
      service.count("failed", record.bytesSent, record.forwarded);
      service.counters.messagesDropped += record.dropped;
    }
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
      move: (service.moveCounts.get(process.pid) ?? 0) + 1,
      toNode,
      process,
      phase: SourcePhase.Requested,
      startedAtNs: nowNs,
      requestRefused: false,
      frozenAtNs: 0,
      facts: undefined,
      bytesSent: 0,
      deliveredAtFreeze: 0,
      forwarded: 0,
      linkAcksPending: new Set(),
      linkTold: [],
      strategy: service.strategy,
      delivery: service.delivery,
      dropped: 0,
      droppedFrom: new Set(),
      queue: [],
      nextPage: 0,
      sent: new Set(),
      rounds: 0,
      pageTable: undefined,
      pagesOut: false,
      held: [],
      passedOn: [],
      queuedOrders: [],
      waitingSenders: [],
    };
    this.byRequest.set(requestId, record);
    this.byPid.set(process.pid, record);
    // Every attempt takes a number, so a retry's notices outrank a failed attempt's.
    service.moveCounts.set(process.pid, record.move);
    kernel.traceEvent("migrate-start", {
      pid: formatPid(process.pid),
      from: kernel.homeNode,
      to: toNode,
      id: requestId,
      strategy: record.strategy,
      delivery: record.delivery,
    });
    this.probeImage(record, "request");
    const requestBytes = service.send(toNode, {
      kind: MigrationMessageKind.MigrateRequest,
      requestId,
      pid: process.pid,
      pageCount: process.addressSpace.pageCount,
      memoryBytes: process.committedBytes(),
      cpuNs: Math.round((kernel.cpuCyclesOf(process) * 1e9) / kernel.machine.clockHz),
      ageNs: nowNs - process.bornAtNs,
      moves: record.move - 1,
      // The parent's pid too: its node hears of the move at the freeze, so the destination
      // must tell it if the source fails before the state comes (tellLostWithSource).
      links:
        process.parentPid === pidNone
          ? linksOf(process)
          : [...new Set([...linksOf(process), process.parentPid])],
    });
    record.bytesSent += requestBytes;
    record.requestRefused = requestBytes === 0;
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
      if (record.phase === SourcePhase.Requested && record.requestRefused) {
        earliest = Math.min(earliest, record.startedAtNs);
      }
    }
    return earliest;
  }

  /** A request the transport refused never reaches the destination: failed, never answered. */
  fireTimers(nowNs: number): void {
    const transport = this.service.network.transport;
    for (const record of [...this.byRequest.values()]) {
      if (
        record.phase === SourcePhase.Requested &&
        record.requestRefused &&
        record.startedAtNs <= nowNs
      ) {
        this.end(
          record,
          "failed",
          transport.hasFailed(record.toNode) ? "destination failed" : "no reply",
        );
      }
    }
  }

  /**
   * The destinations this node waits on for a MigrateReply or a MigrateDone, whose frames may
   * all be acknowledged: probed (NodeNetwork's watch), so that one that fails silently is
   * declared failed by the transport and the migration ends (onPeerFailed).
   */
  *awaitedDestinations(): IterableIterator<number> {
    for (const record of this.byRequest.values()) {
      if (record.phase === SourcePhase.Requested || record.phase === SourcePhase.StateSent) {
        yield record.toNode;
      }
    }
  }

  onReply(fromNode: number, requestId: number, result: number): void {
    const record = this.byRequest.get(requestId);
    if (!record || record.toNode !== fromNode || record.phase !== SourcePhase.Requested) return;
    if (this.probeCancel(record, "reply")) return;
    // The destination's Starter did not answer in time (destination.ts): a timeout, failed.
    if (result === -Errno.ETIMEDOUT) {
      this.end(record, "failed", "no reply");
      return;
    }
    if (result === replyCancelledByDestination) {
      this.end(record, "cancelled", "cancelled by the destination");
      return;
    }
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
    // A process with pages still at its previous node fetches them first, frozen or not.
    if (record.strategy === "precopy" && !this.service.remotePages.holds(record.pid)) {
      this.startPrecopy(record);
    } else {
      this.freezeWhenAble(record);
    }
    this.probeCancel(record, "commit");
  }

  /**
   * Freezes now, or once the answer a process waits for from another kernel has come and, for
   * a process that came here by copy-on-reference, once the pages still at its previous node
   * have come (all of them are fetched first: a process never leaves pages two nodes behind).
   */
  private freezeWhenAble(record: Outgoing): void {
    const remotePages = this.service.remotePages;
    if (record.process.state === ProcessState.BlockedRemote || remotePages.holds(record.pid)) {
      record.phase = SourcePhase.FreezePending;
      remotePages.fetchRest(record.process);
    } else {
      this.transfer(record);
    }
  }

  /** Pre-copy's first round: every page, while the process runs. */
  private startPrecopy(record: Outgoing): void {
    record.phase = SourcePhase.PreCopying;
    this.startRound(record, mappedPages(record.process));
  }

  private startRound(record: Outgoing, pages: PageTableEntry[]): void {
    record.rounds++;
    record.queue = pages;
    record.nextPage = 0;
    this.service.kernel.traceEvent("migrate-round", {
      pid: formatPid(record.pid),
      id: record.requestId,
      round: record.rounds,
      pages: pages.length,
      frozen: record.phase !== SourcePhase.PreCopying,
    });
    this.sendMore(record);
  }

  /**
   * A live round's pages are all out: another round of the pages dirtied since, or the freeze
   * when they are few, no fewer than the round before, or the rounds are used up.
   */
  private endRound(record: Outgoing): void {
    const dirty = dirtyPages(record.process, record.sent);
    if (
      dirty.length <= precopyDirtyPagesFew ||
      dirty.length >= record.queue.length ||
      record.rounds >= precopyRoundsMax
    ) {
      this.freezeWhenAble(record);
      return;
    }
    this.startRound(record, dirty);
  }

  /**
   * A process's remote call was answered, or its last remote page came: a freeze that waited
   * for it happens now.
   */
  onResumed(process: Process): void {
    const record = this.byPid.get(process.pid);
    if (record?.phase === SourcePhase.FreezePending) this.freezeWhenAble(record);
  }

  /** The process ended before it was frozen: the migration is off, once the destination knows. */
  onProcessEnd(process: Process): void {
    const record = this.byPid.get(process.pid);
    if (!record || record.process !== process) return;
    if (
      record.phase !== SourcePhase.Requested &&
      record.phase !== SourcePhase.FreezePending &&
      record.phase !== SourcePhase.PreCopying
    ) {
      return;
    }
    this.service.send(record.toNode, {
      kind: MigrationMessageKind.MigrateCancel,
      requestId: record.requestId,
    });
    record.phase = SourcePhase.Closing;
    this.closeIfAcked(record);
  }

  /** Closing: cancelled once the destination's transport holds everything sent to it. */
  private closeIfAcked(record: Outgoing): void {
    if (this.service.network.transport.queuedBytesTo(record.toNode) > 0) return;
    this.end(record, "cancelled", "the process ended");
  }

  /**
   * A local send that the frozen process's full mailbox refused: the sender blocks until the
   * migration ends, then its send runs again (to the destination, or here if the process
   * resumed), as a remote sender waits for the move. Its earlier messages travel in the
   * mailbox, ahead of it. False when `pid` is not frozen for a move from here.
   */
  waitForMove(sender: Process, pid: Pid): boolean {
    const record = this.byPid.get(pid);
    if (!record || record.phase !== SourcePhase.Transferring) return false;
    record.waitingSenders.push(sender);
    this.service.kernel.blockCurrent(ProcessState.BlockedRemote);
    return true;
  }

  /** Holds a request for a frozen process (a kill) until the migration ends; false if not. */
  hold(pid: Pid, originNode: number, bytes: Uint8Array, route = routeNotPassed): boolean {
    const record = this.byPid.get(pid);
    if (!record || record.phase !== SourcePhase.Transferring) return false;
    record.held.push({ originNode, bytes, route });
    return true;
  }

  onLinkUpdateAck(fromNode: number, requestId: number): void {
    const record = this.byRequest.get(requestId);
    if (!record || record.phase !== SourcePhase.Transferring) return;
    if (!record.linkAcksPending.delete(fromNode)) return;
    this.sendMore(record);
  }

  /** The transport took acks: every transfer sends what its window now allows. */
  onTransportProgress(): void {
    for (const record of [...this.byRequest.values()]) {
      if (record.phase === SourcePhase.Transferring || record.phase === SourcePhase.PreCopying) {
        this.sendMore(record);
      } else if (record.phase === SourcePhase.Closing) this.closeIfAcked(record);
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
    if (record.delivery === "recover") this.announce(record, linksOf(process));
    service.moveCounts.delete(record.pid);
    const lendsPages = record.strategy === "cor" && record.pageTable!.length > 0;
    kernel.releaseProcess(process, lendsPages);
    if (lendsPages) {
      service.lender.lend({
        requestId: record.requestId,
        pid: record.pid,
        toNode: record.toNode,
        addressSpace: process.addressSpace,
        pages: record.pageTable!,
        startedAtNs: record.startedAtNs,
        bytesSent: record.bytesSent,
      });
    }
    if (record.delivery === "redirect") {
      service.links.hold(record.pid, record.toNode, requestId, locationVersionMoved(record.move));
    }
    network.passEndWatchers(record.pid, record.toNode, locationVersionMoved(record.move));
    this.tellFamily(record, process);
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

  /**
   * The move of `process` committed: its parent's node, wherever the parent lives now, hears
   * where it went (ChildMoved, passed on like a ChildExit: the node the freeze told may be one
   * the parent has left), and the destination hears where its live children on other nodes
   * are (this node's knowledge of them, which the state does not carry), so that both watch
   * the right node and a waiting parent sees 137 when it fails.
   */
  private tellFamily(record: Outgoing, process: Process): void {
    const kernel = this.service.kernel;
    const network = this.service.network;
    const parentPid = process.parentPid;
    if (
      parentPid !== pidNone &&
      !kernel.processes.live(parentPid) &&
      network.nodeOf(parentPid) !== record.toNode
    ) {
      network.tellChildMoved(
        process.pid,
        parentPid,
        record.toNode,
        locationVersionMoved(record.move),
      );
    }
    for (const child of kernel.processes.childrenOf(process.pid)) {
      const moves = this.service.moveCounts.get(child.pid);
      // A child born here and never moved is where its pid says: the destination knows.
      if (!child.isAlive || (moves === undefined && pidHomeNode(child.pid) === kernel.homeNode)) {
        continue;
      }
      const version = locationVersionMoved(moves ?? 0);
      network.tellChildMoved(child.pid, process.pid, kernel.homeNode, version, record.toNode);
    }
    for (const child of network.remoteChildren.childrenOf(process.pid)) {
      if (child.status !== undefined) continue;
      const where = network.remoteChildWhere(child);
      if (where.version === 0 && where.node === pidHomeNode(child.pid)) continue;
      network.tellChildMoved(child.pid, process.pid, where.node, where.version, record.toNode);
    }
  }

  /** The destination failed: before the commit point the request fails, after it the process resumes here. */
  onPeerFailed(node: number): void {
    for (const record of [...this.byRequest.values()]) {
      // A peer told of the move that failed before acking needs the news no more.
      if (
        record.toNode !== node &&
        record.phase === SourcePhase.Transferring &&
        record.linkAcksPending.delete(node)
      ) {
        this.sendMore(record);
      }
      if (record.toNode !== node) continue;
      if (
        record.phase === SourcePhase.Requested ||
        record.phase === SourcePhase.FreezePending ||
        record.phase === SourcePhase.PreCopying ||
        record.phase === SourcePhase.Closing
      ) {
        this.end(record, "failed", "destination failed");
      } else {
        this.resumeHere(record, "destination failed");
      }
    }
  }

  /** Whether a send reaching this node for `pid` is dropped (recover, during the transfer). */
  dropsFor(pid: Pid): boolean {
    const record = this.byPid.get(pid);
    return (
      record !== undefined &&
      record.delivery === "recover" &&
      (record.phase === SourcePhase.Transferring || record.phase === SourcePhase.StateSent)
    );
  }

  /**
   * recover: a send for the process, from `originNode`, dropped here; its kernel resends. The
   * migration's request id, which the answer carries (the resend names it).
   */
  drop(pid: Pid, originNode: number, senderPid: Pid, pairSeq: number): number {
    const record = this.byPid.get(pid)!;
    record.dropped++;
    record.droppedFrom.add(originNode);
    this.service.kernel.traceEvent("drop", {
      from: formatPid(senderPid),
      to: formatPid(pid),
      seq: pairSeq,
      origin: originNode,
      id: record.requestId,
    });
    return record.requestId;
  }

  /**
   * redirect: a send for the process while it is frozen here waits, unanswered, and follows it
   * (passed on once the state has left, as a kill is), so its sender waits for the move as it
   * would for the destination's buffer under prevent, rather than filling the frozen mailbox
   * (a full one refuses, -EAGAIN, which a process that never moved would not have seen).
   */
  holdSend(pid: Pid, originNode: number, bytes: Uint8Array, route: ForwardRoute): boolean {
    const record = this.byPid.get(pid);
    if (record?.delivery !== "redirect" || !this.hold(pid, originNode, bytes, route)) return false;
    record.forwarded++;
    return true;
  }

  /**
   * A message for a process whose state has left passed on to its destination: counted, and
   * kept until the destination confirms.
   */
  notePassedOn(pid: Pid, originNode: number, bytes: Uint8Array, route: ForwardRoute): void {
    const record = this.byPid.get(pid);
    if (record?.phase !== SourcePhase.StateSent) return;
    record.forwarded++;
    this.keepPassedOn(record, { originNode, bytes, route });
  }

  private keepPassedOn(record: Outgoing, message: HeldMessage): void {
    if (record.passedOn.length < passedOnKeptMax) {
      record.passedOn.push(message);
      return;
    }
    this.service.kernel.report(
      `migration of ${formatPid(record.pid)}: more than ${passedOnKeptMax} messages passed on to node ${record.toNode} before it confirmed; one more goes without a copy here`,
    );
  }

  /**
   * recover, once the destination has confirmed (the commit): the new address goes to the home
   * and to the nodes of the peers in the link table, whose kernels resend what they parked (the
   * nodes it dropped sends from hear it at the end, tellDroppedSenders). Not earlier: a
   * destination that fails before confirming leaves the process here, and a node told of it
   * would take it for lost with the destination.
   */
  private announce(record: Outgoing, links: readonly Pid[]): void {
    const kernel = this.service.kernel;
    const told = this.service.notifyHomeAndPeers(
      record.pid,
      links,
      [kernel.homeNode, record.toNode, ...record.droppedFrom],
      record.toNode,
      locationVersionMoved(record.move),
    );
    kernel.traceEvent("announce", { pid: formatPid(record.pid), nodes: told.join(",") });
  }

  /**
   * recover: the kernels whose sends were dropped hear where the process is now (its
   * destination, or here when it resumed), and resend; this node's own senders resend at once.
   * The transport is ordered per pair, so this notice reaches each after the drop's answer.
   */
  private tellDroppedSenders(record: Outgoing, node: number): void {
    const service = this.service;
    const version =
      node === record.toNode ? locationVersionMoved(record.move) : locationVersionBack(record.move);
    for (const origin of [...record.droppedFrom].sort((a, b) => a - b)) {
      if (origin === service.kernel.homeNode) {
        service.network.onLocationLearned(record.pid, node);
      } else if (!service.network.transport.hasFailed(origin)) {
        service.notifyLocation(origin, record.pid, node, version);
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
    this.probeImage(record, "freeze");
    const own = kernel.homeNode;
    const home = pidHomeNode(process.pid);
    // prevent tells every peer kernel; redirect and recover tell the home alone, which keeps
    // the location truth every fallback relies on (peers learn later: along a link, or from
    // the destination's announcement).
    const nodes = new Set<number>();
    if (record.delivery === "prevent") {
      for (const peer of linksOf(process)) nodes.add(network.nodeOf(peer));
    }
    // Under every method the parent's node too, though it may never have sent to its child:
    // it watches the node its remote children live on, to give a waiting parent 137 when that
    // node fails. Under prevent it is one more peer; under redirect and recover it notes the
    // move for its watch alone, so the state does not wait for its ack.
    const parentNode =
      process.parentPid === pidNone ? undefined : network.nodeOf(process.parentPid);
    if (parentNode !== undefined && record.delivery === "prevent") nodes.add(parentNode);
    nodes.add(home);
    nodes.delete(own);
    nodes.delete(record.toNode);
    const watcher =
      parentNode === undefined ||
      nodes.has(parentNode) ||
      parentNode === own ||
      parentNode === record.toNode
        ? undefined
        : parentNode;
    network.locations.learn(process.pid, record.toNode, locationVersionMoved(record.move));
    if (home === own && record.delivery === "redirect") {
      service.links.noteMove(process.pid, own, record.toNode, locationVersionMoved(record.move));
    }
    const told = [...nodes, ...(watcher === undefined ? [] : [watcher])].sort((a, b) => a - b);
    for (const node of told) {
      // A node already declared failed will never ack (its processes are gone).
      if (network.transport.hasFailed(node)) continue;
      if (node !== watcher) record.linkAcksPending.add(node);
      record.linkTold.push(node);
      record.bytesSent += service.send(node, {
        kind: MigrationMessageKind.LinkUpdate,
        requestId: record.requestId,
        pid: process.pid,
        node: record.toNode,
        version: locationVersionMoved(record.move),
      });
    }
    const pages = mappedPages(process);
    if (record.strategy === "direct") {
      this.startRound(record, pages);
      return;
    }
    record.pageTable = pages;
    if (record.strategy === "precopy") this.startRound(record, dirtyPages(process, record.sent));
    else this.sendMore(record);
  }

  /**
   * Sends the round's next pages while the destination's queue is under the window. A live
   * pre-copy round then ends (endRound); a frozen transfer sends the page table (pre-copy,
   * copy-on-reference) and, once every peer has acked, the state, when the queue has room.
   */
  private sendMore(record: Outgoing): void {
    const service = this.service;
    const transport = service.network.transport;
    const live = record.phase === SourcePhase.PreCopying;
    while (
      record.nextPage < record.queue.length &&
      transport.queuedBytesTo(record.toNode) < imageWindowBytes &&
      !transport.hasFailed(record.toNode)
    ) {
      const first = record.nextPage;
      record.nextPage = Math.min(record.queue.length, first + pagesPerMessage);
      const pages = this.readPages(record, record.queue.slice(first, record.nextPage), live);
      record.bytesSent += service.send(record.toNode, {
        kind: MigrationMessageKind.ImagePages,
        requestId: record.requestId,
        bytes: encodePages(pages),
      });
    }
    if (record.nextPage < record.queue.length || transport.hasFailed(record.toNode)) return;
    if (live) {
      // The round ends when its pages have reached the destination, not when they were queued:
      // what is dirty then is what the next round (or the freeze) must carry.
      if (transport.queuedBytesTo(record.toNode) === 0) this.endRound(record);
      return;
    }
    if (!record.pagesOut) {
      if (record.pageTable) {
        const tableBytes = service.sendIfRoom(record.toNode, {
          kind: MigrationMessageKind.PageTable,
          requestId: record.requestId,
          restAtSource: record.strategy === "cor",
          entries: record.pageTable,
        });
        if (tableBytes === 0) return;
        record.bytesSent += tableBytes;
      }
      record.pagesOut = true;
      this.probeCancel(record, "pages");
    }
    if (record.linkAcksPending.size > 0) return;
    this.sendState(record);
  }

  /**
   * The contents of `entries` as they are now; while the process runs (a pre-copy round) each
   * page's dirty bit is cleared first, so a write after this read marks it for the next round.
   */
  private readPages(
    record: Outgoing,
    entries: readonly PageTableEntry[],
    live: boolean,
  ): ImagePage[] {
    const kernel = this.service.kernel;
    const addressSpace = record.process.addressSpace;
    const pages: ImagePage[] = [];
    for (const entry of entries) {
      const physical = addressSpace.translate(entry.linear);
      // Unmapped since the round began (the heap shrank): the page table will not list it.
      if (physical < 0) continue;
      if (live) addressSpace.clearDirty(entry.linear);
      pages.push({
        linear: entry.linear,
        writable: entry.writable,
        bytes: kernel.machine.memory.readBytes(physical, pageSizeBytes),
      });
      record.sent.add(entry.linear);
    }
    return pages;
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
    record.queue = [];
    record.sent.clear();
    record.forwarded += process.mailbox.stats.delivered - record.deliveredAtFreeze;
    // Off the table: from now on what comes for it here goes on to the destination.
    kernel.detachProcess(process);
    for (const held of record.held) {
      kernel.traceEvent("forward", {
        pid: formatPid(record.pid),
        to: record.toNode,
        hops: held.route.hops + 1,
      });
      this.service.network.forwardTo(
        record.toNode,
        locationVersionMoved(record.move),
        held.originNode,
        held.bytes,
        held.route,
      );
      this.keepPassedOn(record, held);
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
    if (record.facts && home === kernel.homeNode && record.delivery === "redirect") {
      service.links.noteMove(process.pid, home, home, locationVersionBack(record.move));
    }
    if (record.facts && home !== kernel.homeNode) {
      service.send(home, {
        kind: MigrationMessageKind.LinkUpdate,
        requestId: record.requestId,
        pid: process.pid,
        node: kernel.homeNode,
        version: locationVersionBack(record.move),
      });
    }
    // The peers told at the freeze hear it too (a notice, no ack), before they can take the
    // process for lost with the failed destination they were told of.
    for (const node of record.linkTold) {
      if (node === home || service.network.transport.hasFailed(node)) continue;
      service.notifyLocation(node, process.pid, kernel.homeNode, locationVersionBack(record.move));
    }
    // Its sender's end may have been told here while it was frozen: resumeMoved asks again.
    if (record.facts) kernel.resumeMoved(process, record.facts.state, record.facts.wakeAtNs);
    // In the order they came: what was passed on first, then what waited here.
    for (const message of [...record.passedOn, ...record.held]) {
      service.network.handleMessage(message.originNode, message.bytes, message.route);
    }
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
    const fields = endFields(record, outcome, kernel.nowNs());
    if (outcome === "committed") {
      // The residual dependencies it leaves, all on this node: pages lent, a forwarding link.
      const lends = record.strategy === "cor" && record.pageTable!.length > 0;
      const links = record.delivery === "redirect";
      fields.residual = lends || links ? 1 : 0;
      if (lends || links) {
        fields.residualNodes = String(kernel.homeNode);
        fields.residualKinds = [lends ? "pages" : "", links ? "link" : ""]
          .filter((kind) => kind !== "")
          .join("+");
      }
    }
    if (why !== undefined) fields.why = why;
    kernel.traceEvent("migrate-end", fields);
    service.count(outcome, record.bytesSent, record.forwarded);
    service.counters.messagesDropped += record.dropped;
    this.tellDroppedSenders(record, outcome === "committed" ? record.toNode : kernel.homeNode);
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
    for (const sender of record.waitingSenders) {
      if (sender.state !== ProcessState.BlockedRemote) continue;
      kernel.wake(sender, ResumeAction.RerunSyscall);
      // A move of the sender itself may have waited for its call to end.
      service.onResumed(sender);
    }
    for (const toNode of record.queuedOrders) service.orders.order(record.pid, toNode, 0);
  }
}

/** Every page the process holds, in increasing order, with whether it may write it. */
function mappedPages(process: Process): PageTableEntry[] {
  return pagesWhere(process, () => true);
}

/** The pages written since they were last read for the destination, or never sent at all. */
function dirtyPages(process: Process, sent: ReadonlySet<number>): PageTableEntry[] {
  return pagesWhere(process, (linear, dirty) => dirty || !sent.has(linear));
}

function pagesWhere(
  process: Process,
  wanted: (linear: number, dirty: boolean) => boolean,
): PageTableEntry[] {
  const pages: PageTableEntry[] = [];
  process.addressSpace.forEachMappedPage((linear, _physical, writable, dirty) => {
    if (wanted(linear, dirty)) pages.push({ linear, writable });
  });
  return pages;
}

/** A migrate-end trace event's figures, as far as every way a migration ends has them. */
function endFields(
  record: Outgoing,
  outcome: MigrationOutcome,
  nowNs: number,
): Record<string, number | string> {
  return {
    pid: formatPid(record.pid),
    to: record.toNode,
    id: record.requestId,
    outcome,
    freezeNs: record.facts ? nowNs - record.frozenAtNs : 0,
    totalNs: nowNs - record.startedAtNs,
    bytes: record.bytesSent,
    forwarded: record.forwarded,
    strategy: record.strategy,
    rounds: record.rounds,
    delivery: record.delivery,
    dropped: record.dropped,
  };
}

/** The link table: every peer the process sends to or has received from. */
export function linksOf(process: Process): Pid[] {
  const peers = new Set<Pid>();
  for (const [peer] of process.sendSeqs.getState().entries) peers.add(peer);
  for (const [peer] of process.mailbox.getState().expectedSeqs.entries) peers.add(peer);
  return [...peers].sort((a, b) => a - b);
}
