// A node's part in process migration (docs/migration.md): the source side of the processes
// leaving, the destination side of those arriving, the scripted orders (--migrate), the
// conversation with the node's Starter (starter-channel.ts), and the counts the boot summary
// prints. kernel/net's NodeNetwork owns one and hands it every
// migration message, its timers, a peer's failure, a process's end and a remote call's
// answer; everything it sends goes through the kernel transport as bytes.

import { kernelCosts } from "../cost-table.ts";
import type { Kernel } from "../kernel.ts";
import type { NodeNetwork } from "../net/node-network.ts";
import { formatPid, type Pid, pidHomeNode, pidNone } from "../process/pid.ts";
import type { Process } from "../process/process.ts";
import { MigrationFormatError } from "./byte-codec.ts";
import { type DeliveryMethod, deliveryMethodDefault } from "./delivery-method.ts";
import { DestinationSide } from "./destination.ts";
import { ForwardingLinks } from "./forwarding-links.ts";
import { type MemoryStrategy, memoryStrategyDefault } from "./memory-strategy.ts";
import {
  decodeMigrationMessage,
  encodeMigrationMessage,
  type LinkUpdate,
  linkUpdateEnded,
  type MigrationMessage,
  MigrationMessageKind,
} from "./migration-messages.ts";
import { PageLender } from "./page-lender.ts";
import { RemotePages } from "./remote-pages.ts";
import { type ScriptedMigration, ScriptedOrders } from "./scripted-orders.ts";
import { type MigrationOutcome, SourceSide } from "./source.ts";
import { StarterChannel } from "./starter-channel.ts";
import { encodeOutcome, StarterOutcomeCode } from "./starter-messages.ts";

/** How one migration ended, with its figures (the trace's migrate-end, the Starters' outcome). */
export interface MigrationEnd {
  requestId: number;
  pid: number;
  fromNode: number;
  toNode: number;
  outcome: MigrationOutcome;
  freezeNs: number;
  totalNs: number;
  bytes: number;
  forwarded: number;
}

const outcomeNames: readonly MigrationOutcome[] = ["committed", "cancelled", "failed"];

export interface MigrationCounters {
  committed: number;
  cancelled: number;
  failed: number;
  bytesSent: number;
  messagesForwarded: number;
  /** recover: sends the source dropped during a transfer, and resends by this node's senders. */
  messagesDropped: number;
  messagesResent: number;
  /** redirect: forwarding links this node was left holding, and those that have ended. */
  linksLeft: number;
  linksEnded: number;
  malformed: number;
}

export function zeroMigrationCounters(): MigrationCounters {
  return {
    committed: 0,
    cancelled: 0,
    failed: 0,
    bytesSent: 0,
    messagesForwarded: 0,
    messagesDropped: 0,
    messagesResent: 0,
    linksLeft: 0,
    linksEnded: 0,
    malformed: 0,
  };
}

export class MigrationService {
  readonly source: SourceSide;
  readonly destination: DestinationSide;
  readonly orders: ScriptedOrders;
  readonly starterChannel: StarterChannel;
  /** Copy-on-reference: pages this node lends to processes that left it. */
  readonly lender: PageLender;
  /** Copy-on-reference: processes here with pages still at the node they left. */
  readonly remotePages: RemotePages;
  /** redirect: links this node holds, and (at the home) who holds links for its processes. */
  readonly links: ForwardingLinks;
  readonly counters: MigrationCounters = zeroMigrationCounters();
  /**
   * How many times each process here that came by migration has moved (one entry per such
   * process, so bounded by the process table): the next move's location notices outrank the
   * last one's (location-table.ts).
   */
  readonly moveCounts = new Map<Pid, number>();

  constructor(
    readonly kernel: Kernel,
    readonly network: NodeNetwork,
    script: readonly ScriptedMigration[] = [],
    /** How the pages of the processes leaving this node travel (memory-strategy.ts). */
    readonly strategy: MemoryStrategy = memoryStrategyDefault,
    /** How messages reach the processes leaving this node (delivery-method.ts). */
    readonly delivery: DeliveryMethod = deliveryMethodDefault,
  ) {
    this.source = new SourceSide(this);
    this.destination = new DestinationSide(this);
    this.orders = new ScriptedOrders(this, script);
    this.starterChannel = new StarterChannel(this);
    this.lender = new PageLender(this);
    this.remotePages = new RemotePages(this);
    this.links = new ForwardingLinks(this);
  }

  /** A migration under way, or an order waiting for answers: the run is not over. */
  get busy(): boolean {
    return (
      this.source.activeCount > 0 ||
      this.destination.activeCount > 0 ||
      this.remotePages.awaiting ||
      this.orders.pendingQueries > 0
    );
  }

  /** Sends a migration message: its size in bytes (what the accounting counts), 0 if refused. */
  send(node: number, message: MigrationMessage): number {
    return this.sendBytes(node, encodeMigrationMessage(message));
  }

  /**
   * Tells the home of `pid` and the nodes of its peers `links` that it is at `at` (notices,
   * version `version`), but not the nodes in `skip` nor one gone or failed; returns the nodes
   * told, in order. recover's announcement, and a destination telling that a process was lost
   * with its source.
   */
  notifyHomeAndPeers(
    pid: Pid,
    links: readonly Pid[],
    skip: readonly number[],
    at: number,
    version: number,
  ): number[] {
    const network = this.network;
    const nodes = new Set<number>([pidHomeNode(pid)]);
    for (const peer of links) nodes.add(network.nodeOf(peer));
    for (const node of skip) nodes.delete(node);
    const told = [...nodes]
      .sort((a, b) => a - b)
      .filter((node) => node < this.kernel.nodeCount && !network.transport.hasFailed(node));
    for (const node of told) this.notifyLocation(node, pid, at, version);
    return told;
  }

  /**
   * Tells `node` that `pid` is at `at` (or linkUpdateEnded: gone) with a LinkUpdate that wants
   * no ack (request id 0), version `version`: the announcements, notices and link drops of the
   * delivery methods.
   */
  notifyLocation(node: number, pid: Pid, at: number, version: number): number {
    return this.send(node, {
      kind: MigrationMessageKind.LinkUpdate,
      requestId: 0,
      pid,
      node: at,
      version,
    });
  }

  /** Sends a migration message if the transport takes it now: its size in bytes, else 0. */
  sendIfRoom(node: number, message: MigrationMessage): number {
    const bytes = encodeMigrationMessage(message);
    return this.network.transport.hasRoomFor(node, bytes.length) ? this.sendBytes(node, bytes) : 0;
  }

  private sendBytes(node: number, bytes: Uint8Array): number {
    this.kernel.machine.chargeCycles(kernelCosts.remoteRequestCycles);
    return this.network.transport.send(node, bytes, this.kernel.nowNs()) ? bytes.length : 0;
  }

  /** The transport took acks: transfers waiting for room go on. */
  onTransportProgress(): void {
    this.source.onTransportProgress();
    this.destination.onTransportProgress();
    this.lender.onTransportProgress();
    this.remotePages.onTransportProgress();
  }

  nextTimerNs(): number {
    return Math.min(
      this.source.nextTimerNs(),
      this.destination.nextTimerNs(),
      this.orders.nextTimerNs(),
      this.starterChannel.nextTimerNs(),
    );
  }

  fireTimers(nowNs: number): void {
    this.source.fireTimers(nowNs);
    this.destination.fireTimers(nowNs);
    this.orders.fireTimers(nowNs);
    this.starterChannel.fireTimers(nowNs);
  }

  count(outcome: MigrationOutcome, bytes: number, forwarded: number): void {
    this.counters[outcome]++;
    this.counters.bytesSent += bytes;
    this.counters.messagesForwarded += forwarded;
  }

  /**
   * A migration from this node ended (source.ts): the outcome goes to this node's Starter and,
   * when Starters run, to the destination's, through its kernel.
   */
  ended(end: MigrationEnd): void {
    this.tellStarter(end);
    if (this.kernel.starterPid === pidNone) return;
    this.send(end.toNode, {
      kind: MigrationMessageKind.MigrateEnded,
      requestId: end.requestId,
      pid: end.pid,
      outcome: StarterOutcomeCode[end.outcome],
      freezeNs: end.freezeNs,
      totalNs: end.totalNs,
      bytes: end.bytes,
      forwarded: end.forwarded,
    });
  }

  private tellStarter(end: MigrationEnd): void {
    if (!this.starterChannel.registered) return;
    this.starterChannel.deliver(encodeOutcome(end));
  }

  countMalformed(fromNode: number, why: string): void {
    this.counters.malformed++;
    this.kernel.traceEvent("malformed", { from: fromNode, why });
  }

  /** An order that cannot be carried out: reported, counted as cancelled, never fatal. */
  badTarget(target: string, why: string): void {
    this.counters.cancelled++;
    this.kernel.traceEvent("migrate-end", { pid: target, outcome: "cancelled", why });
    this.kernel.report(`--migrate ${target}: ${why}; counted as cancelled`);
  }

  onProcessEnd(process: Process): void {
    this.moveCounts.delete(process.pid);
    this.source.onProcessEnd(process);
    this.remotePages.onProcessEnd(process);
    if (!this.network.isRemotePid(process.pid)) this.links.onProcessEnded(process.pid);
    if (process.pid === this.kernel.starterPid) {
      this.starterChannel.onStarterEnd();
      this.destination.onStarterEnd();
    }
  }

  onResumed(process: Process): void {
    this.source.onResumed(process);
  }

  onPeerFailed(node: number): void {
    this.source.onPeerFailed(node);
    this.destination.onPeerFailed(node);
    this.lender.onPeerFailed(node);
    this.remotePages.onPeerFailed(node);
    this.links.onPeerFailed(node);
    this.orders.onPeerFailed(node);
  }

  /** A migration message from `fromNode` (its kind byte is 20..31); `hops` if passed on. */
  onMessage(fromNode: number, bytes: Uint8Array, hops: number): void {
    let message: MigrationMessage;
    try {
      message = decodeMigrationMessage(bytes);
    } catch (error) {
      if (!(error instanceof MigrationFormatError)) throw error;
      this.network.counters.malformedMessages++;
      this.countMalformed(fromNode, error.message);
      return;
    }
    switch (message.kind) {
      case MigrationMessageKind.MigrateRequest:
        this.destination.onRequest(fromNode, message);
        return;
      case MigrationMessageKind.MigrateReply:
        this.source.onReply(fromNode, message.requestId, message.result);
        return;
      case MigrationMessageKind.ImagePages:
        this.destination.onPages(fromNode, message.requestId, message.bytes);
        return;
      case MigrationMessageKind.ProcessState:
        this.destination.onState(fromNode, message.requestId, message.bytes);
        return;
      case MigrationMessageKind.MigrateDone:
        this.source.onDone(fromNode, message.requestId, message.result);
        return;
      case MigrationMessageKind.MigrateCancel:
        this.destination.onCancel(fromNode, message.requestId);
        return;
      case MigrationMessageKind.LinkUpdate:
        this.onLinkUpdate(fromNode, message);
        return;
      case MigrationMessageKind.LinkDropped:
        this.links.onLinkDropped(message.pid, fromNode, message.version);
        return;
      case MigrationMessageKind.LinkUpdateAck:
        this.source.onLinkUpdateAck(fromNode, message.requestId);
        return;
      case MigrationMessageKind.MigrateOrder:
        this.orders.order(message.pid, message.toNode, Math.max(message.hops, hops));
        return;
      case MigrationMessageKind.NameQuery:
        this.send(fromNode, {
          kind: MigrationMessageKind.NameAnswer,
          queryId: message.queryId,
          pid: this.orders.lowestPidNamed(message.name),
        });
        return;
      case MigrationMessageKind.NameAnswer:
        this.orders.onNameAnswer(fromNode, message.queryId, message.pid);
        return;
      case MigrationMessageKind.PageTable:
        this.destination.onPageTable(fromNode, message);
        return;
      case MigrationMessageKind.PageFetch:
        this.lender.onFetch(fromNode, message.requestId, message.linears);
        return;
      case MigrationMessageKind.PageReply:
        this.remotePages.onReply(fromNode, message);
        return;
      case MigrationMessageKind.PagesReleased:
        this.lender.onReleased(fromNode, message.requestId);
        return;
      case MigrationMessageKind.MigrateEnded:
        this.tellStarter({
          requestId: message.requestId,
          pid: message.pid,
          fromNode,
          toNode: this.kernel.homeNode,
          outcome: outcomeNames[message.outcome]!,
          freezeNs: message.freezeNs,
          totalNs: message.totalNs,
          bytes: message.bytes,
          forwarded: message.forwarded,
        });
        return;
    }
  }

  /**
   * A process now lives on `node` (or has ended, linkUpdateEnded): note it, and ack a move's
   * update (request id 0, an announcement or a notice, wants no ack). The home notes who holds
   * a forwarding link (redirect) and, at an end, tells them to drop it; a node holding one drops
   * it; sends waiting to be resent (recover) go to the new node. A notice older than what this
   * node holds (it crossed a newer one on the way) changes nothing, but is acked.
   */
  private onLinkUpdate(fromNode: number, update: LinkUpdate): void {
    const { requestId, pid, node, version } = update;
    const network = this.network;
    const home = !network.isRemotePid(pid);
    if (node === linkUpdateEnded) {
      network.locations.delete(pid);
      this.links.end(pid, "process exited");
      if (home) this.links.onProcessEnded(pid);
      network.onLocationLearned(pid, node);
      return;
    }
    if (node >= this.kernel.nodeCount) return;
    // The node of a moved child's parent follows it under every method (it watches where its
    // remote children live); redirect and recover route no send by what the source tells it.
    if (this.delivery !== "prevent" && !home) {
      network.remoteChildren.follow(pid, node, version);
      // A move's update here can only be the parent's (the source tells the home and it):
      // acked, and not taken into the location table. A notice (request id 0: a move undone,
      // a source lost) goes on to it.
      if (requestId !== 0) {
        this.send(fromNode, { ...update, kind: MigrationMessageKind.LinkUpdateAck });
        return;
      }
    }
    // A notice from another node that a remote child of a process here lives on `node` (a
    // destination telling that the source it came from failed): this node checks that node now,
    // not at its next watch, so a parent waiting on the child hears of the loss.
    if (requestId === 0 && node !== fromNode && network.remoteChildren.aliveChild(pid)) {
      network.probeNow(node);
    }
    if (network.locations.learn(pid, node, version)) {
      if (home && this.delivery === "redirect" && requestId !== 0) {
        this.links.noteMove(pid, fromNode, node, version);
      }
      network.onLocationLearned(pid, node);
    } else {
      this.kernel.traceEvent("location-stale", {
        pid: formatPid(pid),
        from: fromNode,
        node,
        version,
      });
    }
    if (requestId === 0) return;
    this.send(fromNode, { ...update, kind: MigrationMessageKind.LinkUpdateAck });
  }
}
