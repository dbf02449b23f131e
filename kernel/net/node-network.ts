// A node's part of the cluster (docs/kernel.md §8, docs/network.md): the kernel transport to
// the other kernels, and the services built on it. Remote send (the sender waits one round
// trip for the receiver's kernel to accept or refuse), remote spawn (the image fetched from
// the node holding the file store), spawn on any node (ask every kernel for its load, take
// the least loaded that answers in time), wait and kill across nodes, and the periodic load
// exchange (MOSIX-style: each period, this node's figures to one peer drawn from the seed).
// kernel.ts only dispatches into this file: the NIC interrupt, the network's timers, and a
// process's end. Every request carries an id; a process blocked on it resumes with the answer.
// Processes move (kernel/migrate, which this file hands every migration message): a message
// for a process that is not here is buffered if it is arriving, else passed on (Forward)
// towards where this node believes it is, its home at worst, which always knows.
// Peers fail (docs/network.md, "Crashes"): when the transport gives up on a node, the requests
// waiting on it are answered (a send or kill goes once more towards its target's home when this
// node only had a hint that the target was there, else -ESRCH), and the remote children living
// there end with status 137 and a report. With `watchPeers`, a node probes the nodes of its
// remote children and of its pending requests, so that a crash is noticed even when nothing else
// is said to them.

import { kernelCosts } from "../cost-table.ts";
import { Errno } from "../errno.ts";
import type { Kernel } from "../kernel.ts";
import type { DeliveryMethod } from "../migrate/delivery-method.ts";
import type { HeldAnswer } from "../migrate/destination.ts";
import type { MemoryStrategy } from "../migrate/memory-strategy.ts";
import {
  encodeMigrationMessage,
  linkUpdateEnded,
  MigrationMessageKind,
  migrationKindFirst,
  migrationKindLast,
} from "../migrate/migration-messages.ts";
import type { MigrationProbe } from "../migrate/migration-probe.ts";
import { MigrationService } from "../migrate/migration-service.ts";
import type { ScriptedMigration } from "../migrate/scripted-orders.ts";
import { formatPid, type Pid, pidEpoch, pidHomeNode, pidNone } from "../process/pid.ts";
import { type Process, ProcessState, ResumeAction } from "../process/process.ts";
import { Reg } from "../process/saved-context.ts";
import { spawnFromImage } from "../syscalls/spawn-call.ts";
import { syscallBlocked } from "../syscalls/syscall-handler.ts";
import { EndWatches } from "./end-watches.ts";
import { broadcastNode, type FramePort } from "./frame-port.ts";
import {
  type Answer,
  decodeKernelMessage,
  encodeKernelMessage,
  type ForwardRoute,
  forwardViaMax,
  type KernelMessage,
  KernelMessageError,
  KernelMessageKind,
  locateNowhere,
  requestIdOf,
  routeNotPassed,
} from "./kernel-messages.ts";
import { LoadTable } from "./load-table.ts";
import { LocationTable, locationVersionEnded, locationVersionMoved } from "./location-table.ts";
import { type RemoteChild, RemoteChildren } from "./remote-children.ts";
import { Transport, type TransportLimits } from "./transport.ts";

/** The node that holds the cluster's file store (the command line's files). */
export const fileStoreNode = 0;
/** How long spawn on any node waits for load answers. */
export const placementWaitNs = 2_000_000;
/** How often a kernel sends its load figures to one peer. */
export const loadExchangePeriodNs = 100_000_000;
/** With watchPeers: how often a node probes the nodes of its remote children and pending requests. */
export const watchPeriodNs = 500_000_000;
/** The status a process lost with a failed node ends with, as if killed (128 + SIGKILL). */
export const lostWithNodeStatus = 137;

export interface NodeNetworkOptions {
  /** A uint32 from the node's stream of the cluster seed (peer choice, placement ties). */
  random: () => number;
  transportLimits?: TransportLimits;
  /** --migrate orders (node 0 carries them out). */
  script?: readonly ScriptedMigration[];
  /** Probe the nodes of remote children every watchPeriodNs (on when crashes may happen). */
  watchPeers?: boolean;
  /** How many times this node restarted: the transport's incarnation. */
  incarnation?: number;
  /** Test-only instrumentation of the migration protocol (kernel/migrate/migration-probe.ts). */
  migrationProbe?: MigrationProbe;
  /** How processes leaving this node move their memory; default direct copy. */
  migrationStrategy?: MemoryStrategy;
  /** How messages reach processes leaving this node; default prevent (the link update). */
  migrationDelivery?: DeliveryMethod;
}

export interface NetworkCounters {
  malformedMessages: number;
  remoteSends: number;
  remoteSpawns: number;
  placements: number;
  loadReportsSent: number;
  probesSent: number;
}

type Continuation = (result: number) => void;

/** A remote send's message, kept while it waits: to learn from its answer, and to resend it. */
interface PendingIpc {
  senderPid: Pid;
  receiverPid: Pid;
  pairSeq: number;
  bytes: Uint8Array;
}

/** A request waiting for its answer from `node`; without onPeerFailed a failure is -EAGAIN. */
interface Waiting {
  node: number;
  then: Continuation;
  onPeerFailed?: () => void;
  ipc?: PendingIpc;
  /**
   * recover: its send was dropped by `node`, the source of migration `migrationId` there;
   * resent when this node hears where the process is (the resend names that migration).
   */
  parked?: { sourceNode: number; migrationId: number };
  /**
   * The node that holds the request now, when `node` passed it on (a PassedOn notice; the
   * highest `passedHops` wins, as notices from different nodes may cross): watched instead of
   * `node`, whose failure no longer matters to it.
   */
  heldAt?: number;
  passedHops?: number;
  /**
   * The node that passed it on to `heldAt`. Should that node fail, its Forward may have died
   * with it (a frame never sent again), so the request is retried as if `heldAt` had failed.
   */
  passedBy?: number;
  /**
   * Its target's home failed: it waits for this node's search (Locate) for where the target
   * is, then goes there (`bytes`), or answers -ESRCH when no live node holds it.
   */
  searching?: { pid: Pid; bytes: Uint8Array };
}

/**
 * A search for a process whose home failed (Locate to every other live node): the nodes still
 * to answer, and the best answer so far (a node holding it beats a node's belief, a newer belief
 * an older one).
 */
interface Search {
  awaiting: Set<number>;
  found: { node: number; version: number; held: boolean } | undefined;
}

/** The node whose failure answers the request: the one holding it now. */
function watchedNode(waiting: Waiting): number {
  return waiting.heldAt ?? waiting.node;
}

/** The request waits on `node` itself now: no earlier PassedOn notice applies to it. */
function waitOn(waiting: Waiting, node: number): void {
  waiting.node = node;
  waiting.heldAt = undefined;
  waiting.passedHops = undefined;
  waiting.passedBy = undefined;
}

/** What to spawn, for whom: the parent (pidNone: the kernel), and whether it is a --run job. */
export interface SpawnOrder {
  parentPid: Pid;
  inJob: boolean;
  path: string;
  argumentText: string;
}

interface Placement {
  queryId: number;
  deadlineNs: number;
  /** Each answer with the spawns this node had sent to that node when it came (placedTotal). */
  answers: { node: number; processCount: number; loadPermille: number; placedBefore: number }[];
  then: (node: number) => void;
}

export class NodeNetwork {
  readonly transport: Transport;
  readonly remoteChildren = new RemoteChildren();
  /** Who waits to hear of which process's end (a receive from that process alone). */
  private readonly endWatches = new EndWatches();
  readonly loads = new LoadTable();
  readonly locations: LocationTable;
  readonly migration: MigrationService;
  readonly migrationProbe: MigrationProbe | undefined;
  readonly counters: NetworkCounters = {
    malformedMessages: 0,
    remoteSends: 0,
    remoteSpawns: 0,
    placements: 0,
    loadReportsSent: 0,
    probesSent: 0,
  };
  private nextRequestId = 1;
  private readonly waiting = new Map<number, Waiting>();
  /**
   * Searches under way, by pid: one per process some request or receive here waits on. Bounded
   * by what waits on them: each is a blocked process of this node's table.
   */
  private readonly searches = new Map<Pid, Search>();
  private nextWatchNs: number;
  private readonly placements: Placement[] = [];
  /** Spawns sent to a node and not yet answered: placement counts them as load there. */
  private readonly placedPending = new Map<number, number>();
  /**
   * Spawns this node has ever sent to each node, itself included: placement adds those sent
   * after a node's answer to the count the answer gave, so a burst of spawns placed at once
   * (several `--run PROG@*`) spreads, though every answer was taken before the first spawn.
   */
  private readonly placedTotal = new Map<number, number>();
  private nextLoadReportNs: number;
  /** Spawns waiting for their image from the file store's node, by request id. */
  private readonly fileWaits = new Map<number, SpawnOrder>();
  private fcsDropsSeen = 0;
  private overflowDropsSeen = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly port: FramePort,
    private readonly options: NodeNetworkOptions,
  ) {
    this.transport = new Transport(
      port,
      {
        onMessage: (node, bytes) => this.onMessage(node, bytes),
        onDatagram: (node, bytes) => this.onMessage(node, bytes),
        onPeerFailed: (node) => this.onPeerFailed(node),
      },
      options.transportLimits,
      options.incarnation ?? 0,
    );
    this.locations = new LocationTable(kernel.homeNode);
    this.migrationProbe = options.migrationProbe;
    this.migration = new MigrationService(
      kernel,
      this,
      options.script,
      options.migrationStrategy,
      options.migrationDelivery,
    );
    // Spread the first reports over the period so nodes do not all speak at once.
    this.nextLoadReportNs = kernel.nowNs() + (options.random() % loadExchangePeriodNs);
    this.nextWatchNs = options.watchPeers
      ? kernel.nowNs() + watchPeriodNs
      : Number.POSITIVE_INFINITY;
  }

  get nodeCount(): number {
    return this.kernel.nodeCount;
  }

  /** Whether `pid` was born on another node of this cluster. */
  isRemotePid(pid: Pid): boolean {
    return pidHomeNode(pid) !== this.kernel.homeNode;
  }

  /** Where this node believes `pid` lives: here, a location it has heard of, or its home. */
  nodeOf(pid: Pid): number {
    if (this.kernel.processes.has(pid)) return this.kernel.homeNode;
    return this.locations.get(pid) ?? pidHomeNode(pid);
  }

  /**
   * The node a remote child of a process here lives on, as far as this node knows: the newer
   * of what its moves told the watch (ChildMoved, or a LinkUpdate under redirect and recover)
   * and the location table.
   */
  private childNode(child: RemoteChild): number {
    if (
      child.watchNode !== undefined &&
      child.watchVersion >= this.locations.versionOf(child.pid)
    ) {
      return child.watchNode;
    }
    return this.nodeOf(child.pid);
  }

  /** Where a remote child of a process here lives, as childNode says, and that news's version. */
  remoteChildWhere(child: RemoteChild): { node: number; version: number } {
    const node = this.childNode(child);
    const version =
      child.watchNode === node && child.watchVersion >= 0
        ? child.watchVersion
        : this.locations.versionOf(child.pid);
    return { node, version };
  }

  /**
   * Tells the node of `parentPid` (passed on to wherever the parent lives, as a ChildExit) that
   * its remote child `childPid` now lives on `node` (location version `version`), or sends it
   * to `toNode` when given (a parent on its way there).
   */
  tellChildMoved(
    childPid: Pid,
    parentPid: Pid,
    node: number,
    version: number,
    toNode = this.nodeOf(parentPid),
  ): void {
    if (toNode >= this.nodeCount || this.transport.hasFailed(toNode)) return;
    const bytes = encodeKernelMessage({
      kind: KernelMessageKind.ChildMoved,
      childPid,
      parentPid,
      node,
      version,
    });
    this.sendOrHandle(toNode, bytes);
  }

  /**
   * A receive here waits for a message from `from` alone, which may live on another node (its
   * pid is not live here): that process's home is asked to tell this node when it ends
   * (EndWatch), so that the receive then answers -ESRCH, as when the sender ends on this node
   * (docs/kernel.md §5).
   */
  watchSenderEnd(from: Pid): void {
    if (from === pidNone || this.kernel.processes.live(from) || !this.mayBeElsewhere(from)) return;
    const home = pidHomeNode(from);
    if (home >= this.nodeCount) return;
    // A failed home can tell nothing: the node the process was found on (a search) is asked.
    let asked = home;
    if (this.homeFailed(from)) {
      const at = this.locations.get(from);
      if (at === undefined || this.transport.hasFailed(at)) {
        this.searchFor(from);
        return;
      }
      asked = at;
    }
    if (!this.endWatches.shouldAsk(from, asked)) return;
    const watch = encodeKernelMessage({ kind: KernelMessageKind.EndWatch, pid: from });
    if (!this.sendOrHandle(asked, watch)) this.endWatches.answered(from);
  }

  /** Whether `pid` was born on another node that this node has declared failed. */
  private homeFailed(pid: Pid): boolean {
    const home = pidHomeNode(pid);
    return home !== this.kernel.homeNode && home < this.nodeCount && this.transport.hasFailed(home);
  }

  /**
   * At the home of `pid`: `fromNode` asks to hear when `pid` ends. Told at once when it has (not
   * live here, and not moved elsewhere as far as the home knows, which it always does), else
   * when it ends. A pid of an epoch before this node's restart is not answered: what became of
   * it was lost with the crash (docs/network.md, "A crashed home node").
   */
  private onEndWatch(fromNode: number, pid: Pid, bytes: Uint8Array, route: ForwardRoute): void {
    if (this.isRemotePid(pid)) {
      this.onEndWatchAway(fromNode, pid, bytes, route);
      return;
    }
    if (pidEpoch(pid) !== (this.options.incarnation ?? 0)) return;
    if (!this.kernel.processes.live(pid) && !this.locations.has(pid)) {
      this.tellEnded(fromNode, pid);
      return;
    }
    if (this.endWatches.addWatcher(pid, fromNode)) return;
    this.kernel.traceEvent("end-watch-full", { pid: formatPid(pid), node: fromNode });
  }

  /**
   * Not at the home of `pid`: `fromNode` found it here by a search, its home having failed.
   * Told when it ends here; passed on with the message if it moved on (or is arriving); told
   * at once when it is nowhere this node knows of.
   */
  private onEndWatchAway(fromNode: number, pid: Pid, bytes: Uint8Array, route: ForwardRoute): void {
    if (this.kernel.processes.live(pid)) {
      if (!this.endWatches.addWatcher(pid, fromNode)) {
        this.kernel.traceEvent("end-watch-full", { pid: formatPid(pid), node: fromNode });
      }
      return;
    }
    if (this.migration.destination.bufferIfArriving(pid, fromNode, bytes, route)) return;
    // Along this node's own entry only: the home, which failed, is no way to it.
    const next = this.nextHop(pid, route);
    if (next !== undefined && next.node !== pidHomeNode(pid)) {
      this.forwardTo(next.node, next.version, fromNode, bytes, route);
      return;
    }
    this.tellEnded(fromNode, pid);
  }

  /**
   * `pid`, born elsewhere, left this node for `toNode` (committed): the nodes that found it
   * here by a search (its home failed) and wait to hear of its end are passed on with it.
   */
  passEndWatchers(pid: Pid, toNode: number, version: number): void {
    if (!this.isRemotePid(pid)) return;
    for (const node of this.endWatches.takeWatchers(pid)) {
      const watch = encodeKernelMessage({ kind: KernelMessageKind.EndWatch, pid });
      this.forwardTo(toNode, version, node, watch, routeNotPassed);
    }
  }

  /**
   * `pid` ended: the nodes that asked to hear of it hear it, from its home (it ended there, or
   * where it moved to) or from the node a search found it on (its home failed).
   */
  private tellEndWatchers(pid: Pid): void {
    for (const node of this.endWatches.takeWatchers(pid)) this.tellEnded(node, pid);
  }

  private tellEnded(node: number, pid: Pid): void {
    if (node !== this.kernel.homeNode && this.transport.hasFailed(node)) return;
    this.sendOrHandle(node, encodeKernelMessage({ kind: KernelMessageKind.ProcessEnded, pid }));
  }

  /**
   * The home of `pid` says it has ended: a receive here waiting for it alone, with no message
   * from it queued, answers -ESRCH.
   */
  private onProcessEnded(fromNode: number, pid: Pid): void {
    // From the home; once it failed, from the node a search found the process on.
    if (fromNode !== pidHomeNode(pid) && !this.homeFailed(pid)) return;
    this.endWatches.answered(pid);
    const woken = this.endReceivesFrom(pid);
    this.kernel.traceEvent("sender-ended", { pid: formatPid(pid), woken });
  }

  /** Receives here waiting for `pid` alone, with nothing from it queued. */
  private receivesWaitingFor(pid: Pid): Process[] {
    return [...this.kernel.processes.all()].filter(
      (process) =>
        process.state === ProcessState.BlockedReceive &&
        process.context.regs[Reg.edx]! >>> 0 === pid &&
        !process.mailbox.peek(pid),
    );
  }

  /** `pid` has ended, or is nowhere: the receives waiting for it alone answer -ESRCH; how many. */
  private endReceivesFrom(pid: Pid): number {
    const receivers = this.receivesWaitingFor(pid);
    for (const process of receivers)
      this.kernel.wake(process, ResumeAction.SetResult, -Errno.ESRCH);
    return receivers.length;
  }

  /**
   * Sends a fresh (not passed-on) kernel message to `node`, or handles it at once when that is
   * this node; false when the transport refused it.
   */
  private sendOrHandle(node: number, bytes: Uint8Array): boolean {
    if (node !== this.kernel.homeNode) return this.transport.send(node, bytes, this.kernel.nowNs());
    this.handleMessage(node, bytes, routeNotPassed);
    return true;
  }

  /**
   * A remote child of a process here lives on `node` now (version `version`): watched there;
   * at a node already declared failed it is lost, as if it had lived there all along.
   */
  private onChildMoved(childPid: Pid, node: number, version: number): void {
    if (!this.remoteChildren.follow(childPid, node, version)) return;
    const child = this.remoteChildren.aliveChild(childPid)!;
    if (node !== this.kernel.homeNode && node < this.nodeCount && this.transport.hasFailed(node)) {
      if (this.childNode(child) === node) this.loseChild(child.pid, child.parentPid, node);
    }
  }

  /** Whether a pid born here belongs to a process that migrated away (still in use). */
  isPidAway(pid: Pid): boolean {
    return !this.isRemotePid(pid) && this.locations.has(pid);
  }

  /**
   * Whether a pid that is not live here could name a process on another node: not one born on
   * a node outside the cluster, which no call waits for (a receive from it answers -ESRCH).
   */
  mayBeElsewhere(pid: Pid): boolean {
    return (this.isRemotePid(pid) && pidHomeNode(pid) < this.nodeCount) || this.locations.has(pid);
  }

  /** The NIC interrupt: take arrived frames, send what waits. */
  onNicInterrupt(): void {
    this.port.acknowledgeInterrupt();
    const drops = this.port.receiveDrops();
    if (drops.fcs !== this.fcsDropsSeen || drops.overflow !== this.overflowDropsSeen) {
      this.kernel.traceEvent("nic-drop", {
        fcs: drops.fcs - this.fcsDropsSeen,
        overflow: drops.overflow - this.overflowDropsSeen,
      });
      this.fcsDropsSeen = drops.fcs;
      this.overflowDropsSeen = drops.overflow;
    }
    this.transport.service(this.kernel.nowNs());
    // Acks may have drained a queue a migration waits on.
    this.migration.onTransportProgress();
  }

  nextTimerNs(): number {
    let earliest = Math.min(
      this.transport.nextTimerNs(),
      this.nextLoadReportNs,
      this.migration.nextTimerNs(),
      this.nextWatchNs,
    );
    for (const placement of this.placements) earliest = Math.min(earliest, placement.deadlineNs);
    return earliest;
  }

  fireTimers(): void {
    const nowNs = this.kernel.nowNs();
    this.transport.fireTimers(nowNs);
    this.migration.fireTimers(nowNs);
    if (nowNs >= this.nextLoadReportNs) {
      this.nextLoadReportNs = nowNs + loadExchangePeriodNs;
      this.sendLoadReport();
    }
    if (nowNs >= this.nextWatchNs) {
      this.nextWatchNs = nowNs + watchPeriodNs;
      this.probeWatchedPeers();
    }
    for (let index = 0; index < this.placements.length; ) {
      const placement = this.placements[index]!;
      if (placement.deadlineNs > nowNs) {
        index++;
        continue;
      }
      this.placements.splice(index, 1);
      placement.then(this.choosePlacement(placement));
    }
  }

  /** Unacknowledged frames or pending requests: the cluster is not quiet yet. */
  get busy(): boolean {
    return (
      this.transport.busy ||
      this.waiting.size > 0 ||
      this.placements.length > 0 ||
      this.migration.busy
    );
  }

  // --- requests from syscalls -------------------------------------------------------------

  /** send to a process on another node; blocks the caller until the answer. */
  send(process: Process, receiverPid: Pid, bytes: Uint8Array): number {
    const node = this.nodeOf(receiverPid);
    if (node >= this.nodeCount) return -Errno.ESRCH;
    if (!process.sendSeqs.canAdvance(receiverPid)) return -Errno.EAGAIN;
    const pairSeq = process.sendSeqs.nextSeq(receiverPid);
    const requestId = this.request(node, (result) => {
      if (result === 0 && process.isAlive) process.sendSeqs.advance(receiverPid);
      if (result !== 0) {
        this.kernel.traceEvent("send-refused", {
          from: formatPid(process.pid),
          to: formatPid(receiverPid),
          seq: pairSeq,
          errno: -result,
        });
      }
      this.resume(process, result);
    });
    const bytesSent = encodeKernelMessage({
      kind: KernelMessageKind.IpcSend,
      requestId,
      senderPid: process.pid,
      receiverPid,
      pairSeq,
      bytes,
    });
    const waiting = this.waiting.get(requestId)!;
    waiting.onPeerFailed = () => this.retry(requestId, receiverPid, bytesSent);
    waiting.ipc = { senderPid: process.pid, receiverPid, pairSeq, bytes: bytesSent };
    const sent = this.sendRequest(requestId, node, receiverPid, bytesSent);
    if (!sent) {
      this.waiting.delete(requestId);
      return this.transport.hasFailed(node) ? -Errno.ESRCH : -Errno.EAGAIN;
    }
    this.counters.remoteSends++;
    this.kernel.traceEvent("send", {
      from: formatPid(process.pid),
      to: formatPid(receiverPid),
      seq: pairSeq,
      bytes: bytes.length,
      remote: true,
    });
    this.kernel.machine.chargeCycles(kernelCosts.remoteRequestCycles);
    this.kernel.blockCurrent(ProcessState.BlockedRemote);
    return syscallBlocked;
  }

  /** kill of a process on another node; blocks the caller until the answer. */
  kill(process: Process, targetPid: Pid): number {
    const node = this.nodeOf(targetPid);
    if (node >= this.nodeCount) return -Errno.ESRCH;
    const requestId = this.request(node, (result) => this.resume(process, result));
    const request = encodeKernelMessage({
      kind: KernelMessageKind.KillRequest,
      requestId,
      killerPid: process.pid,
      targetPid,
    });
    this.waiting.get(requestId)!.onPeerFailed = () => this.retry(requestId, targetPid, request);
    // A target frozen here by a migration: the kill follows it, answered when it lands.
    if (node === this.kernel.homeNode) {
      if (this.migration.source.hold(targetPid, node, request)) {
        this.kernel.blockCurrent(ProcessState.BlockedRemote);
        return syscallBlocked;
      }
      this.waiting.delete(requestId);
      return -Errno.ESRCH;
    }
    const sent = this.sendRequest(requestId, node, targetPid, request);
    if (!sent) {
      this.waiting.delete(requestId);
      return -Errno.ESRCH;
    }
    this.kernel.blockCurrent(ProcessState.BlockedRemote);
    return syscallBlocked;
  }

  /**
   * spawn on `node` (a node number, or -1 for any) for `parentPid` (pidNone: the kernel,
   * for --run); `done` gets the child's pid or -errno. The caller blocks meanwhile.
   */
  spawn(order: SpawnOrder, node: number, done: Continuation): void {
    if (node >= 0) {
      this.spawnOn(node, order, done);
      return;
    }
    this.placeOnAnyNode((chosen) => this.spawnOn(chosen, order, done));
  }

  /** Blocks the process on the CPU until `spawn`'s answer, which becomes its eax. */
  spawnForProcess(process: Process, path: string, argumentText: string, node: number): number {
    let answeredAtOnce: number | undefined;
    let blocked = false;
    const order = { parentPid: process.pid, inJob: process.inJob, path, argumentText };
    this.spawn(order, node, (result) => {
      if (blocked) this.resume(process, result);
      else answeredAtOnce = result;
    });
    if (answeredAtOnce !== undefined) return answeredAtOnce;
    blocked = true;
    this.kernel.blockCurrent(ProcessState.BlockedRemote);
    return syscallBlocked;
  }

  /**
   * A process ended here: its parent elsewhere hears of it, its remote children are orphans,
   * and the home of a process that had migrated here forgets where it was.
   */
  onProcessEnd(process: Process): void {
    this.migration.onProcessEnd(process);
    this.remoteChildren.forgetParent(process.pid);
    const nowNs = this.kernel.nowNs();
    if (this.isRemotePid(process.pid)) {
      this.transport.send(
        pidHomeNode(process.pid),
        this.migrationBytes(process.pid, linkUpdateEnded),
        nowNs,
      );
    }
    this.tellEndWatchers(process.pid);
    const parentPid = process.parentPid;
    if (parentPid === pidNone || this.kernel.processes.live(parentPid)) return;
    if (!this.mayBeElsewhere(parentPid)) return;
    this.transport.send(
      this.nodeOf(parentPid),
      encodeKernelMessage({
        kind: KernelMessageKind.ChildExit,
        childPid: process.pid,
        parentPid,
        status: process.exitStatus,
      }),
      nowNs,
    );
  }

  /** A LinkUpdate saying the process has ended, for its home. */
  private migrationBytes(pid: Pid, node: number): Uint8Array {
    return encodeMigrationMessage({
      kind: MigrationMessageKind.LinkUpdate,
      requestId: 0,
      pid,
      node,
      version: locationVersionEnded,
    });
  }

  /**
   * Sends `bytes` (a request from `originNode` that came by `route`) on to `node`, one hop
   * further, going by a location entry of version `version`, and tells the origin that `node`
   * holds it now, so that it watches that node: a request passed on more than once would
   * otherwise be watched only at its first node, and lost if a later one failed.
   */
  forwardTo(
    node: number,
    version: number,
    originNode: number,
    bytes: Uint8Array,
    route: ForwardRoute,
  ): void {
    const nowNs = this.kernel.nowNs();
    const hops = route.hops;
    this.transport.send(
      node,
      encodeKernelMessage({
        kind: KernelMessageKind.Forward,
        originNode,
        route: {
          hops: hops + 1,
          version: Math.max(version, route.version),
          via: [...route.via, this.kernel.homeNode].slice(-forwardViaMax),
        },
        inner: bytes,
      }),
      nowNs,
    );
    // Only where failures are watched for (--crash, --partition): without them nothing fails.
    const requestId = this.options.watchPeers ? requestIdOf(bytes) : undefined;
    if (requestId === undefined) return;
    if (originNode === this.kernel.homeNode) {
      this.onPassedOn(requestId, node, hops + 1, this.kernel.homeNode);
    } else if (originNode < this.nodeCount && !this.transport.hasFailed(originNode)) {
      this.transport.send(
        originNode,
        encodeKernelMessage({ kind: KernelMessageKind.PassedOn, requestId, node, hops: hops + 1 }),
        nowNs,
      );
    }
  }

  /**
   * A request of this node was passed on to `node` by `passer` (`hops` passes from its start):
   * watch that node from now on. One already declared failed answers it as a failure would.
   */
  private onPassedOn(requestId: number, node: number, hops: number, passer: number): void {
    const waiting = this.waiting.get(requestId);
    if (!waiting || waiting.parked || hops <= (waiting.passedHops ?? 0)) return;
    waiting.heldAt = node;
    waiting.passedHops = hops;
    waiting.passedBy = passer;
    if (node === this.kernel.homeNode || !this.transport.hasFailed(node)) return;
    // Sent once more through the home already, and passed on to a failed node: -ESRCH.
    if (waiting.onPeerFailed) waiting.onPeerFailed();
    else this.complete(requestId, -Errno.ESRCH);
  }

  /** For a message about `pid`: when the process is not here, routeElsewhere. */
  private passOnIfAway(
    pid: Pid,
    originNode: number,
    bytes: Uint8Array,
    route: ForwardRoute,
  ): boolean {
    return !this.kernel.processes.live(pid) && this.routeElsewhere(pid, originNode, bytes, route);
  }

  /**
   * For a message about a process that is not here: buffer it if the process is arriving,
   * else pass it on towards it (nextHop). False when there is nowhere to go (the process has
   * ended, its node failed, or the entries went round in a loop).
   */
  private routeElsewhere(
    pid: Pid,
    originNode: number,
    bytes: Uint8Array,
    route: ForwardRoute,
  ): boolean {
    if (this.migration.destination.bufferIfArriving(pid, originNode, bytes, route)) return true;
    const next = this.nextHop(pid, route);
    if (next === undefined) return false;
    this.migration.source.notePassedOn(pid, originNode, bytes, route);
    const linkId = this.migration.links.countForward(pid);
    const fields: Record<string, number | string> = {
      pid: formatPid(pid),
      to: next.node,
      hops: route.hops + 1,
    };
    if (linkId !== undefined) fields.id = linkId;
    this.kernel.traceEvent("forward", fields);
    this.forwardTo(next.node, next.version, originNode, bytes, route);
    return true;
  }

  /**
   * Where to pass on a message for `pid` (not here) that came by `route`: along this node's
   * entry when it is newer than every entry the message went by (or the message is fresh),
   * else to the pid's home, whose entry is the truth. Versions grow along a real chain (each
   * node's entry was set when the process left it, after it came there), however long, so only
   * a loop of stale entries brings a message back to the home with nothing newer there:
   * undefined then, as for a process that has ended, or a next node that failed.
   */
  private nextHop(pid: Pid, route: ForwardRoute): { node: number; version: number } | undefined {
    const own = this.kernel.homeNode;
    const entry = this.locations.get(pid);
    const entryVersion = this.locations.versionOf(pid);
    let next: { node: number; version: number };
    if (entry !== undefined && (route.hops === 0 || entryVersion > route.version)) {
      next = { node: entry, version: entryVersion };
    } else if (pidHomeNode(pid) !== own) {
      next = { node: pidHomeNode(pid), version: route.version };
    } else {
      if (entry !== undefined) {
        this.kernel.traceEvent("forward-loop", {
          pid: formatPid(pid),
          at: entry,
          version: entryVersion,
          hops: route.hops,
        });
      }
      return undefined;
    }
    if (next.node >= this.nodeCount || this.transport.hasFailed(next.node)) return undefined;
    return next;
  }

  /**
   * This node heard where `pid` lives now (a LinkUpdate: an announcement, a source's notice, a
   * move; or linkUpdateEnded): the sends parked for it (recover) go there, in the order they
   * were parked. Each is one message of a pair whose sender is still blocked on it, so no later
   * message of that pair can overtake it; the receiver's pair numbers drop a duplicate.
   */
  onLocationLearned(pid: Pid, node: number): void {
    if (node === linkUpdateEnded && !this.isRemotePid(pid)) this.tellEndWatchers(pid);
    // At a node already declared failed (a migration's destination telling that its source
    // failed before the state came): a remote child is lost, as if it had lived there all along.
    if (node < this.nodeCount && node !== this.kernel.homeNode && this.transport.hasFailed(node)) {
      const child = this.remoteChildren.aliveChild(pid);
      if (child) this.loseChild(child.pid, child.parentPid, node);
    }
    for (const [requestId, waiting] of [...this.waiting]) {
      const ipc = waiting.ipc;
      const parked = waiting.parked;
      if (!parked || ipc?.receiverPid !== pid) continue;
      waiting.parked = undefined;
      if (node === linkUpdateEnded) {
        this.complete(requestId, -Errno.ESRCH);
        continue;
      }
      waitOn(waiting, node);
      this.migration.counters.messagesResent++;
      this.kernel.traceEvent("resend", {
        from: formatPid(ipc.senderPid),
        to: formatPid(pid),
        seq: ipc.pairSeq,
        toNode: node,
        source: parked.sourceNode,
        id: parked.migrationId,
      });
      if (!this.sendOrHandle(node, ipc.bytes)) {
        this.complete(requestId, this.transport.hasFailed(node) ? -Errno.ESRCH : -Errno.EAGAIN);
      }
    }
  }

  // --- internals ------------------------------------------------------------------------

  /**
   * recover: the send `requestId` was dropped by `sourceNode`, the source of migration
   * `migrationId` there: parked, never answered to the guest, until this node hears where the
   * process went (onLocationLearned); it waits on `sourceNode` meanwhile.
   */
  private park(requestId: number, sourceNode: number, migrationId: number): void {
    const waiting = this.waiting.get(requestId);
    if (!waiting) return;
    if (!waiting.ipc) {
      this.complete(requestId, -Errno.EAGAIN);
      return;
    }
    waiting.parked = { sourceNode, migrationId };
    waitOn(waiting, sourceNode);
  }

  private request(node: number, then: Continuation): number {
    const requestId = this.takeRequestId();
    this.waiting.set(requestId, { node, then });
    return requestId;
  }

  /**
   * Answers the request `requestId` with `result` (from `answeredBy`, when an answer came), if
   * it still waits. A send dropped by a source (recover) is parked instead, never answered to
   * the guest; a send accepted by another node than the one it was sent to tells this node
   * where its receiver is now: the next send goes there directly (a link chain collapsed).
   */
  private complete(requestId: number, result: number, answeredBy?: number): void {
    const waiting = this.waiting.get(requestId);
    if (!waiting) return;
    const ipc = waiting.ipc;
    if (
      result === 0 &&
      ipc &&
      answeredBy !== undefined &&
      answeredBy !== waiting.node &&
      answeredBy !== this.kernel.homeNode &&
      this.isRemotePid(ipc.receiverPid)
    ) {
      this.kernel.traceEvent("link-collapse", {
        pid: formatPid(ipc.receiverPid),
        was: waiting.node,
        now: answeredBy,
      });
      this.locations.set(ipc.receiverPid, answeredBy);
    }
    this.waiting.delete(requestId);
    this.fileWaits.delete(requestId);
    waiting.then(result);
  }

  /**
   * The node a send or kill (`bytes`, about `pid`) went to failed before answering. When this
   * node only had a hint that `pid` was there, the request goes once more towards its home,
   * which knows (a migration to the failed node may have resumed the process at its source);
   * a process that lived on the failed node is gone: -ESRCH. Resending is safe: pair numbers
   * make delivery exactly once.
   */
  private retry(requestId: number, pid: Pid, bytes: Uint8Array): void {
    const waiting = this.waiting.get(requestId);
    if (!waiting) return;
    const failedNode = watchedNode(waiting);
    waiting.onPeerFailed = undefined;
    waiting.parked = undefined;
    // Installed here meanwhile (recover: its source dropped the send, then failed before it
    // announced the move): handled here, where it lives.
    if (this.kernel.processes.live(pid)) {
      waitOn(waiting, this.kernel.homeNode);
      this.sendOrHandle(this.kernel.homeNode, bytes);
      return;
    }
    if (!this.isRemotePid(pid)) {
      this.complete(requestId, -Errno.ESRCH);
      return;
    }
    // Its home failed (or is the failed node): the others are asked where it is.
    if (pidHomeNode(pid) === failedNode || this.homeFailed(pid)) {
      if (!this.searchThenSend(requestId, pid, bytes)) this.complete(requestId, -Errno.ESRCH);
      return;
    }
    this.locations.delete(pid);
    const next = this.nodeOf(pid);
    waitOn(waiting, next);
    // A link (or a hint) on the failed node is gone: the home knows where the process is.
    this.kernel.traceEvent("send-via-home", {
      pid: formatPid(pid),
      failed: failedNode,
      home: next,
    });
    this.kernel.report(
      `process ${formatPid(pid)} can no longer be reached through node ${failedNode} (it failed); the request waiting on it goes to node ${next}, its home, which knows where it is`,
    );
    if (next >= this.nodeCount || !this.sendOrHandle(next, bytes)) {
      this.complete(requestId, -Errno.ESRCH);
    }
  }

  /**
   * Sends request `requestId` (`bytes`, about `pid`) to `node`; to a home already declared
   * failed it waits for a search for `pid` instead. False when it could not go out.
   */
  private sendRequest(requestId: number, node: number, pid: Pid, bytes: Uint8Array): boolean {
    return node === pidHomeNode(pid) && this.homeFailed(pid)
      ? this.searchThenSend(requestId, pid, bytes)
      : this.transport.send(node, bytes, this.kernel.nowNs());
  }

  /**
   * The request `requestId` (`bytes`, about `pid`) waits for a search for `pid`, its home
   * having failed; false when there is no other live node to ask (nothing started).
   */
  private searchThenSend(requestId: number, pid: Pid, bytes: Uint8Array): boolean {
    if (!this.searchFor(pid)) return false;
    const waiting = this.waiting.get(requestId)!;
    // Watched nowhere meanwhile: the search itself hears of the failures of the nodes it asked.
    waitOn(waiting, this.kernel.homeNode);
    waiting.searching = { pid, bytes };
    return true;
  }

  /**
   * Asks every other live node where `pid` is (Locate), its home having failed with the table
   * that knew (docs/migration.md, "A crashed home node"). False when there is none to ask.
   * A process that moved from its home lives on a node that answers that it holds it; one
   * arriving or being sent answers from both ends. Each answer is awaited (or its node's
   * failure), so that a move between two answers is not missed: the node it left then believes
   * it at the other.
   */
  private searchFor(pid: Pid): boolean {
    if (this.searches.has(pid)) return true;
    const own = this.kernel.homeNode;
    const home = pidHomeNode(pid);
    const awaiting = new Set<number>();
    const query = encodeKernelMessage({ kind: KernelMessageKind.Locate, pid });
    for (let node = 0; node < this.nodeCount; node++) {
      if (node === own || node === home || this.transport.hasFailed(node)) continue;
      if (this.transport.send(node, query, this.kernel.nowNs())) awaiting.add(node);
    }
    if (awaiting.size === 0) return false;
    this.searches.set(pid, { awaiting, found: undefined });
    this.kernel.traceEvent("locate", { pid: formatPid(pid), nodes: [...awaiting].join(",") });
    return true;
  }

  /** Locate from `fromNode`: whether this node holds `pid`, else where it believes it is. */
  private onLocate(fromNode: number, pid: Pid): void {
    const migration = this.migration;
    const holds =
      this.kernel.processes.live(pid) !== undefined ||
      migration.destination.isArriving(pid) ||
      migration.source.holdsDetached(pid);
    const at = this.locations.get(pid);
    this.transport.send(
      fromNode,
      encodeKernelMessage({
        kind: KernelMessageKind.Located,
        pid,
        node: holds ? this.kernel.homeNode : (at ?? locateNowhere),
        version: holds
          ? locationVersionMoved(migration.moveCounts.get(pid) ?? 0)
          : this.locations.versionOf(pid),
      }),
      this.kernel.nowNs(),
    );
  }

  /** An answer to this node's search for `pid`: the search ends when every node answered. */
  private onLocated(fromNode: number, pid: Pid, node: number, version: number): void {
    const search = this.searches.get(pid);
    if (!search?.awaiting.delete(fromNode)) return;
    const held = node === fromNode;
    const usable =
      node < this.nodeCount && node !== this.kernel.homeNode && !this.transport.hasFailed(node);
    const best = search.found;
    if (
      usable &&
      (!best || (held && !best.held) || (held === best.held && version > best.version))
    ) {
      search.found = { node, version, held };
    }
    if (search.awaiting.size === 0) this.endSearch(pid, search);
  }

  /**
   * The search for `pid` is over: the requests waiting on it go to the node found, and a
   * receive waiting for it asks that node to hear of its end; found nowhere, it has ended or
   * was lost with a failed node: -ESRCH for both, as for a process that lived on a failed node.
   */
  private endSearch(pid: Pid, search: Search): void {
    this.searches.delete(pid);
    const found = search.found;
    this.kernel.traceEvent("located", { pid: formatPid(pid), at: found ? found.node : -1 });
    if (found) {
      // Fresher than any entry here, whatever its version: it was asked for just now.
      this.locations.delete(pid);
      this.locations.learn(pid, found.node, found.version);
      this.kernel.report(
        `process ${formatPid(pid)} found on node ${found.node} after its home, node ${pidHomeNode(pid)}, failed: what waited for it goes there`,
      );
    }
    for (const [requestId, waiting] of [...this.waiting]) {
      if (waiting.searching?.pid !== pid) continue;
      const bytes = waiting.searching.bytes;
      waiting.searching = undefined;
      if (!found) {
        this.complete(requestId, -Errno.ESRCH);
        continue;
      }
      waitOn(waiting, found.node);
      if (!this.sendOrHandle(found.node, bytes)) this.complete(requestId, -Errno.ESRCH);
    }
    if (found) {
      // Found: a receive waiting for it asks that node to hear of its end.
      if (this.receivesWaitingFor(pid).length > 0) {
        this.endWatches.answered(pid);
        this.watchSenderEnd(pid);
      }
      return;
    }
    const woken = this.endReceivesFrom(pid);
    if (woken > 0) this.kernel.traceEvent("sender-ended", { pid: formatPid(pid), woken });
  }

  /** `node` failed: it answers no search; a search it was the last awaited for ends. */
  private searchesWithout(node: number): void {
    for (const [pid, search] of [...this.searches]) {
      if (search.awaiting.delete(node) && search.awaiting.size === 0) this.endSearch(pid, search);
    }
  }

  private takeRequestId(): number {
    const requestId = this.nextRequestId;
    this.nextRequestId = (this.nextRequestId % 0xffff_fffe) + 1;
    return requestId;
  }

  /** Completes the blocked call of `process` with `result`, if it still lives. */
  private resume(process: Process, result: number): void {
    if (process.state === ProcessState.BlockedRemote) {
      this.kernel.wake(process, ResumeAction.SetResult, result);
      this.migration.onResumed(process);
    }
  }

  private spawnOn(node: number, order: SpawnOrder, done: Continuation): void {
    this.placedTotal.set(node, (this.placedTotal.get(node) ?? 0) + 1);
    if (node === this.kernel.homeNode) {
      this.spawnHere(order, done);
      return;
    }
    this.counters.remoteSpawns++;
    this.placedPending.set(node, (this.placedPending.get(node) ?? 0) + 1);
    const requestId = this.request(node, (result) => {
      this.placedPending.set(node, (this.placedPending.get(node) ?? 1) - 1);
      if (result > 0 && order.parentPid !== pidNone) {
        this.remoteChildren.add(result, order.parentPid);
      }
      done(result);
    });
    const sent = this.transport.send(
      node,
      encodeKernelMessage({ kind: KernelMessageKind.SpawnRequest, requestId, ...order }),
      this.kernel.nowNs(),
    );
    if (!sent) this.complete(requestId, -Errno.EAGAIN);
  }

  /** Creates the process on this node, fetching the image first if the store is elsewhere. */
  private spawnHere(order: SpawnOrder, done: Continuation): void {
    const local = this.kernel.files?.find(order.path);
    if (local || this.kernel.homeNode === fileStoreNode) {
      done(local ? this.create(local, order) : -Errno.ENOENT);
      return;
    }
    const requestId = this.request(fileStoreNode, (result) => done(result));
    this.fileWaits.set(requestId, order);
    const sent = this.transport.send(
      fileStoreNode,
      encodeKernelMessage({ kind: KernelMessageKind.FileRequest, requestId, path: order.path }),
      this.kernel.nowNs(),
    );
    if (!sent) {
      this.fileWaits.delete(requestId);
      this.complete(requestId, -Errno.EAGAIN);
    }
  }

  private create(image: Uint8Array, order: SpawnOrder): number {
    return spawnFromImage(
      this.kernel,
      image,
      order.parentPid,
      order.inJob,
      order.path,
      order.argumentText,
    );
  }

  private placeOnAnyNode(then: (node: number) => void): void {
    this.counters.placements++;
    const own = this.kernel.loadSnapshot();
    const queryId = this.takeRequestId();
    this.placements.push({
      queryId,
      deadlineNs: this.kernel.nowNs() + placementWaitNs,
      answers: [
        {
          node: this.kernel.homeNode,
          processCount: this.kernel.liveCount,
          loadPermille: own.loadPermille,
          placedBefore: this.placedTotal.get(this.kernel.homeNode) ?? 0,
        },
      ],
      then,
    });
    this.transport.sendDatagram(
      broadcastNode,
      encodeKernelMessage({ kind: KernelMessageKind.LoadQuery, queryId }),
    );
    this.kernel.traceEvent("load-query", { query: queryId });
  }

  /**
   * Least processes, then least load; ties by seed. A node's processes are those its answer
   * gave plus the spawns sent there since, or those still on their way, whichever is more.
   */
  private choosePlacement(placement: Placement): number {
    let best: (typeof placement.answers)[number] | undefined;
    let bestKey = Number.POSITIVE_INFINITY;
    let ties = 0;
    for (const answer of placement.answers) {
      const sentSince = (this.placedTotal.get(answer.node) ?? 0) - answer.placedBefore;
      const processes =
        answer.processCount + Math.max(sentSince, this.placedPending.get(answer.node) ?? 0);
      const key = processes * 2000 + answer.loadPermille;
      if (key < bestKey) {
        best = answer;
        bestKey = key;
        ties = 1;
      } else if (key === bestKey) {
        ties++;
        // Reservoir choice among equals: each tied node is kept with probability 1/ties.
        if (this.options.random() % ties === 0) best = answer;
      }
    }
    const node = best?.node ?? this.kernel.homeNode;
    this.kernel.traceEvent("placed", {
      query: placement.queryId,
      on: node,
      heard: placement.answers.length,
    });
    return node;
  }

  private sendLoadReport(): void {
    if (this.nodeCount < 2) return;
    const own = this.kernel.homeNode;
    let peer = this.options.random() % (this.nodeCount - 1);
    if (peer >= own) peer++;
    const load = this.kernel.loadSnapshot();
    this.transport.sendDatagram(
      peer,
      encodeKernelMessage({
        kind: KernelMessageKind.LoadReport,
        queryId: 0,
        loadPermille: load.loadPermille,
        runQueueLength: this.kernel.scheduler.readyCount,
        processCount: this.kernel.liveCount,
      }),
    );
    this.counters.loadReportsSent++;
    this.kernel.traceEvent("load-report", { to: peer, load: load.loadPermille });
  }

  /**
   * The transport gave up on `node` (or heard it come back empty after a crash): a migration
   * to or from it ends, the requests waiting on it are answered or sent on, the hints that
   * processes live there are dropped, and the remote children living there are lost.
   */
  private onPeerFailed(node: number): void {
    this.kernel.traceEvent("peer-failed", { peer: node });
    const lostChildren = this.remoteChildren
      .alive()
      .filter((child) => this.childNode(child) === node);
    // A receive waiting for a message from a process that lived there only: -ESRCH, as when
    // the sender ends on this node.
    // One whose home failed may live on: the other nodes are asked (searchFor), and the
    // receive waits for the answer.
    const receivers: Process[] = [];
    const homeLost: Process[] = [];
    for (const process of this.kernel.processes.all()) {
      if (process.state !== ProcessState.BlockedReceive) continue;
      const from = process.context.regs[Reg.edx]! >>> 0;
      if (from === pidNone || this.kernel.processes.live(from)) continue;
      if (pidHomeNode(from) === node && this.isRemotePid(from)) homeLost.push(process);
      else if (this.nodeOf(from) === node) receivers.push(process);
    }
    this.migration.onPeerFailed(node);
    for (const [requestId, waiting] of [...this.waiting]) {
      // Also a request the failed node passed on: its Forward may have died with it.
      if (watchedNode(waiting) !== node && waiting.passedBy !== node) continue;
      if (waiting.onPeerFailed) waiting.onPeerFailed();
      else this.complete(requestId, -Errno.EAGAIN);
    }
    this.searchesWithout(node);
    this.locations.forgetHintsAt(node);
    for (const child of lostChildren) this.loseChild(child.pid, child.parentPid, node);
    for (const receiver of receivers) {
      if (receiver.state === ProcessState.BlockedReceive) {
        this.kernel.wake(receiver, ResumeAction.SetResult, -Errno.ESRCH);
      }
    }
    for (const receiver of homeLost) {
      if (receiver.state !== ProcessState.BlockedReceive) continue;
      const from = receiver.context.regs[Reg.edx]! >>> 0;
      // Its end watch went to the failed home: asked again where the process is found.
      this.endWatches.answered(from);
      if (!this.searchFor(from)) this.kernel.wake(receiver, ResumeAction.SetResult, -Errno.ESRCH);
    }
  }

  /** A remote child of a process here was lost with `node`: its parent sees status 137. */
  private loseChild(childPid: Pid, parentPid: Pid, node: number): void {
    this.kernel.traceEvent("lost", {
      pid: formatPid(childPid),
      parent: formatPid(parentPid),
      failed: node,
    });
    this.kernel.report(
      `process ${formatPid(childPid)} lost with node ${node} (it stopped answering: crashed or cut off); its parent ${formatPid(parentPid)} sees status ${lostWithNodeStatus}`,
    );
    this.onChildExit(childPid, parentPid, lostWithNodeStatus);
  }

  /**
   * Probes each node a remote child lives on, a link holder lives on (at the home), a process
   * on its way here comes from, a migration from here waits on for its reply or install, or a
   * request of this node waits on, unless something is already on its way there.
   */
  private probeWatchedPeers(): void {
    const nodes = new Set<number>();
    for (const child of this.remoteChildren.alive()) nodes.add(this.childNode(child));
    // The home watches the nodes holding forwarding links for its processes (redirect).
    for (const node of this.migration.links.holderNodes()) nodes.add(node);
    // A destination watches the sources of its arrivals: a source that crashes before the state
    // has come took the process with it, which the nodes told of the move must hear.
    for (const node of this.migration.destination.sourceNodes()) nodes.add(node);
    // A source watches the destinations it waits on for an answer (a reply, the install's
    // MigrateDone): it keeps no clock of its own for them.
    for (const node of this.migration.source.awaitedDestinations()) nodes.add(node);
    // A request waits on the node it went to: a send accepted into a buffer there (a migration's
    // destination, a frozen process's source, a forwarding link) or parked after that node
    // dropped it (recover). The frame was acknowledged, so only a probe notices that the node
    // failed before answering; then the request is answered as any whose node failed (retry).
    // The node that passed it on there is watched too: its Forward may die with it.
    for (const waiting of this.waiting.values()) {
      nodes.add(watchedNode(waiting));
      if (waiting.passedBy !== undefined) nodes.add(waiting.passedBy);
    }
    // A receive waits to hear of a sender's end from the node asked (EndWatch): its failure
    // takes that news with it, and the receive then asks elsewhere or answers (onPeerFailed).
    for (const node of this.endWatches.askedNodes()) nodes.add(node);
    nodes.delete(this.kernel.homeNode);
    for (const node of [...nodes].sort((a, b) => a - b)) this.probeNow(node);
  }

  /** With watchPeers: probes `node` now, unless something is on its way there already. */
  probeNow(node: number): void {
    if (!this.options.watchPeers || node === this.kernel.homeNode || node >= this.nodeCount) return;
    if (this.transport.hasFailed(node) || this.transport.queuedBytesTo(node) > 0) return;
    this.transport.send(
      node,
      encodeKernelMessage({ kind: KernelMessageKind.Probe }),
      this.kernel.nowNs(),
    );
    this.counters.probesSent++;
  }

  /** After a restart: one load report to every node, so each hears the new incarnation. */
  announceRestart(): void {
    const load = this.kernel.loadSnapshot();
    this.transport.sendDatagram(
      broadcastNode,
      encodeKernelMessage({
        kind: KernelMessageKind.LoadReport,
        queryId: 0,
        loadPermille: load.loadPermille,
        runQueueLength: this.kernel.scheduler.readyCount,
        processCount: this.kernel.liveCount,
      }),
    );
    this.kernel.traceEvent("rejoin", {});
  }

  private onMessage(sourceNode: number, bytes: Uint8Array): void {
    this.handleMessage(sourceNode, bytes, routeNotPassed);
  }

  /**
   * Handles a kernel message from `sourceNode` (for a passed-on one, the node that sent it
   * first: answers go there), that came by `route` (passed on, or not).
   */
  handleMessage(sourceNode: number, bytes: Uint8Array, route: ForwardRoute): void {
    const kind = bytes[0] ?? 0;
    if (kind >= migrationKindFirst && kind <= migrationKindLast) {
      this.kernel.machine.chargeCycles(kernelCosts.remoteRequestCycles);
      this.migration.onMessage(sourceNode, bytes, route.hops);
      return;
    }
    let message: KernelMessage;
    try {
      message = decodeKernelMessage(bytes);
    } catch (error) {
      if (!(error instanceof KernelMessageError)) throw error;
      this.counters.malformedMessages++;
      this.kernel.traceEvent("malformed", { from: sourceNode, why: error.message });
      return;
    }
    this.kernel.machine.chargeCycles(kernelCosts.remoteRequestCycles);
    switch (message.kind) {
      case KernelMessageKind.Forward:
        if (message.originNode < this.nodeCount) {
          this.handleMessage(message.originNode, message.inner, message.route);
        }
        return;
      case KernelMessageKind.IpcSend:
        if (this.migration.source.dropsFor(message.receiverPid)) {
          const migrationId = this.migration.source.drop(
            message.receiverPid,
            sourceNode,
            message.senderPid,
            message.pairSeq,
          );
          this.answerDropped(sourceNode, message.requestId, migrationId);
          return;
        }
        if (
          this.kernel.processes.live(message.receiverPid)?.state === ProcessState.Frozen &&
          this.migration.source.holdSend(message.receiverPid, sourceNode, bytes, route)
        ) {
          return;
        }
        if (this.passOnIfAway(message.receiverPid, sourceNode, bytes, route)) return;
        this.answerUnlessHeld(
          message.receiverPid,
          {
            node: sourceNode,
            kind: KernelMessageKind.IpcAnswer,
            requestId: message.requestId,
            result: this.deliver(message),
          },
          route,
        );
        return;
      case KernelMessageKind.IpcAnswer:
        this.complete(message.requestId, message.result, sourceNode);
        return;
      case KernelMessageKind.IpcDropped:
        this.park(message.requestId, sourceNode, message.migrationId);
        return;
      case KernelMessageKind.SpawnAnswer:
      case KernelMessageKind.KillAnswer:
        this.complete(message.requestId, message.result);
        return;
      case KernelMessageKind.Probe:
        return;
      case KernelMessageKind.EndWatch:
        this.onEndWatch(sourceNode, message.pid, bytes, route);
        return;
      case KernelMessageKind.Locate:
        this.onLocate(sourceNode, message.pid);
        return;
      case KernelMessageKind.Located:
        this.onLocated(sourceNode, message.pid, message.node, message.version);
        return;
      case KernelMessageKind.ProcessEnded:
        this.onProcessEnded(sourceNode, message.pid);
        return;
      case KernelMessageKind.PassedOn:
        this.onPassedOn(message.requestId, message.node, message.hops, sourceNode);
        return;
      case KernelMessageKind.SpawnRequest:
        this.spawnHere(message, (result) =>
          this.answer(sourceNode, KernelMessageKind.SpawnAnswer, message.requestId, result),
        );
        return;
      case KernelMessageKind.FileRequest: {
        const image = this.kernel.files?.find(message.path);
        this.transport.send(
          sourceNode,
          encodeKernelMessage({
            kind: KernelMessageKind.FileAnswer,
            requestId: message.requestId,
            result: image ? 0 : -Errno.ENOENT,
            image: image ?? new Uint8Array(0),
          }),
          this.kernel.nowNs(),
        );
        return;
      }
      case KernelMessageKind.FileAnswer: {
        const spawn = this.fileWaits.get(message.requestId);
        if (!spawn || !this.waiting.has(message.requestId)) return;
        this.complete(
          message.requestId,
          message.result < 0 ? message.result : this.create(message.image, spawn),
        );
        return;
      }
      case KernelMessageKind.ChildExit:
        if (this.passOnIfAway(message.parentPid, sourceNode, bytes, route)) return;
        this.onChildExit(message.childPid, message.parentPid, message.status);
        return;
      case KernelMessageKind.ChildMoved:
        if (this.passOnIfAway(message.parentPid, sourceNode, bytes, route)) return;
        this.onChildMoved(message.childPid, message.node, message.version);
        return;
      case KernelMessageKind.KillRequest: {
        const target = this.kernel.processes.live(message.targetPid);
        if (target?.state === ProcessState.Frozen) {
          if (this.migration.source.hold(target.pid, sourceNode, bytes, route)) return;
        }
        if (!target && this.routeElsewhere(message.targetPid, sourceNode, bytes, route)) return;
        if (target) this.kernel.killByRequest(target, message.killerPid);
        this.answerUnlessHeld(
          message.targetPid,
          {
            node: sourceNode,
            kind: KernelMessageKind.KillAnswer,
            requestId: message.requestId,
            result: target ? 0 : -Errno.ESRCH,
          },
          target ? route : routeNotPassed,
        );
        return;
      }
      case KernelMessageKind.LoadQuery: {
        const load = this.kernel.loadSnapshot();
        this.transport.sendDatagram(
          sourceNode,
          encodeKernelMessage({
            kind: KernelMessageKind.LoadAnswer,
            queryId: message.queryId,
            loadPermille: load.loadPermille,
            runQueueLength: this.kernel.scheduler.readyCount,
            processCount: this.kernel.liveCount,
          }),
        );
        return;
      }
      case KernelMessageKind.LoadReport:
      case KernelMessageKind.LoadAnswer: {
        this.loads.record({
          node: sourceNode,
          loadPermille: message.loadPermille,
          runQueueLength: message.runQueueLength,
          processCount: message.processCount,
          heardAtNs: this.kernel.nowNs(),
        });
        if (message.kind === KernelMessageKind.LoadAnswer) {
          const placement = this.placements.find((p) => p.queryId === message.queryId);
          placement?.answers.push({
            node: sourceNode,
            processCount: message.processCount,
            loadPermille: message.loadPermille,
            placedBefore: this.placedTotal.get(sourceNode) ?? 0,
          });
        }
        return;
      }
    }
  }

  /** Sends the answer to request `requestId` of `node` (this node: completes it here). */
  answer(node: number, kind: Answer["kind"], requestId: number, result: number): void {
    // A request passed on and back to the node it came from: answered without the wire.
    if (node === this.kernel.homeNode) {
      this.complete(requestId, result, kind === KernelMessageKind.IpcAnswer ? node : undefined);
      return;
    }
    this.transport.send(
      node,
      encodeKernelMessage({ kind, requestId, result }),
      this.kernel.nowNs(),
    );
  }

  /** recover: tells `node` that its send `requestId` was dropped by migration `migrationId` here. */
  private answerDropped(node: number, requestId: number, migrationId: number): void {
    const own = this.kernel.homeNode;
    if (node === own) {
      this.park(requestId, own, migrationId);
      return;
    }
    this.transport.send(
      node,
      encodeKernelMessage({ kind: KernelMessageKind.IpcDropped, requestId, migrationId }),
      this.kernel.nowNs(),
    );
  }

  /**
   * Answers a send or kill for `pid` that came by `route`, unless its arrival here is not
   * confirmed yet; with the answer, the chain it came along is shortened (shortenChain).
   */
  private answerUnlessHeld(pid: Pid, answer: HeldAnswer, route: ForwardRoute): void {
    if (this.migration.destination.holdAnswer(pid, answer)) return;
    this.answer(answer.node, answer.kind, answer.requestId, answer.result);
    this.shortenChain(pid, answer.node, route);
  }

  /**
   * A request for `pid`, a process here, came from `originNode` by `route`: the nodes that
   * passed it on, but the last, which sent it here, hold entries older than this node's (each
   * went by its own, or by the home, towards an older place), so each is told with a notice
   * that `pid` is here, as Charlotte collapses a chain of links behind a message. The origin
   * learns it from the answer (link-collapse), the home knows. Not for a process whose arrival
   * is unconfirmed (answerUnlessHeld): its source may still take it back.
   */
  private shortenChain(pid: Pid, originNode: number, route: ForwardRoute): void {
    if (route.via.length < 2 || !this.kernel.processes.live(pid)) return;
    const own = this.kernel.homeNode;
    const skipped = new Set([own, originNode, pidHomeNode(pid), route.via.at(-1)!]);
    const told = [...new Set(route.via)].filter(
      (node) => !skipped.has(node) && node < this.nodeCount && !this.transport.hasFailed(node),
    );
    if (told.length === 0) return;
    // The version of "it came here by its last move": never newer than the truth (a process
    // back here after a failed attempt is at 2k + 1), so a notice that crosses a later move's
    // entry on the way changes nothing (location-stale).
    const version = locationVersionMoved(this.migration.moveCounts.get(pid) ?? 0);
    for (const node of told) this.migration.notifyLocation(node, pid, own, version);
    this.kernel.traceEvent("chain-shortened", {
      pid: formatPid(pid),
      nodes: told.join(","),
      hops: route.hops,
    });
  }

  /** A message from another node for a process here: the mailbox decides, as for a local send. */
  private deliver(message: {
    senderPid: Pid;
    receiverPid: Pid;
    pairSeq: number;
    bytes: Uint8Array;
  }): number {
    const receiver = this.kernel.processes.live(message.receiverPid);
    if (!receiver) return -Errno.ESRCH;
    const outcome = receiver.mailbox.deliver({
      senderPid: message.senderPid,
      receiverPid: message.receiverPid,
      pairSeq: message.pairSeq,
      bytes: message.bytes,
    });
    if (outcome === "duplicate") return 0;
    if (outcome === "gap") return -Errno.ESRCH;
    if (outcome !== "delivered") return -Errno.EAGAIN;
    this.kernel.traceEvent("deliver", {
      from: formatPid(message.senderPid),
      to: formatPid(message.receiverPid),
      seq: message.pairSeq,
      bytes: message.bytes.length,
    });
    this.kernel.wakeIfReceiving(receiver, message.senderPid);
    return 0;
  }

  private onChildExit(childPid: Pid, parentPid: Pid, status: number): void {
    const parent = this.kernel.processes.live(parentPid);
    if (!parent) return;
    if (!this.remoteChildren.markEnded(childPid, parentPid, status, this.kernel.nextEndedOrder())) {
      return;
    }
    if (parent.state === ProcessState.BlockedWait) {
      const wanted = parent.context.regs[Reg.ebx]!;
      if (wanted === pidNone || wanted === childPid)
        this.kernel.wake(parent, ResumeAction.RerunSyscall);
    }
  }
}
