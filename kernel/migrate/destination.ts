// The destination kernel's side of a migration (docs/migration.md, states Offered, Receiving,
// Installed). A request that fits (a slot in the process table and frames for its pages,
// beyond those already promised to other arrivals) is reserved for; then the Starter decides,
// if it has called handshake start (the request goes to it, and its migrate_in answers),
// else the built-in acceptor accepts at once. A request that does not fit is denied without
// asking. A Starter that has not answered within starterAnswerTimeoutNs is answered for: the
// request is refused (-ETIMEDOUT, which the source counts failed, "no reply"), so the source
// waits for no clock of its own, only for the reply or its transport's verdict on this node.
// After the accept (the commit point) the pages come in, then the state; meanwhile
// whatever reaches this node for the process is buffered, and delivered once it is installed,
// after the messages that travelled in its mailbox. A failed install answers the source, which
// resumes the process, and what was buffered here is passed back to it. A deny, a cancel (the
// source's timeout included) or the source's failure releases the reservation. Until the source
// has taken MigrateDone (the commit: every frame sent to it acknowledged) the process runs here
// but the answers to the sends and kills it takes wait: a destination that fails meanwhile
// must not have told a sender its message arrived (the process resumes at the source without
// it, and the sender, told nothing, sends it again through the home).

import { Errno } from "../errno.ts";
import { pageSizeBytes } from "../memory/user-layout.ts";
import type { ForwardRoute, KernelMessageKind } from "../net/kernel-messages.ts";
import { locationVersionBack, locationVersionMoved } from "../net/location-table.ts";
import { formatPid, type Pid, pidHomeNode } from "../process/pid.ts";
import { MigrationFormatError } from "./byte-codec.ts";
import { framesNeededForCount, installProcess } from "./install.ts";
import {
  type MigrateRequest,
  MigrationMessageKind,
  type PageTable,
  type PageTableEntry,
  replyCancelledByDestination,
} from "./migration-messages.ts";
import type { MigrationService } from "./migration-service.ts";
import { decodePages, decodeProcessState, type ImagePage, imagePagesMax } from "./process-image.ts";
import { encodeRequest } from "./starter-messages.ts";

/**
 * How long the destination waits for its Starter's migrate_in before it refuses the request
 * itself (-ETIMEDOUT). The clock is here, where the Starter runs, not at the source: a source's
 * clock also counted the reply's time on the wire, and a reply that a lossy, busy Ethernet
 * kept in backoff failed a healthy destination.
 */
export const starterAnswerTimeoutNs = 100_000_000;
/** Messages buffered for one arriving process, at most; past it they are passed back. */
export const arrivalBufferMax = 1024;
/** Answers held for one installed process until its source confirms, at most; past it, sent. */
export const heldAnswersMax = 1024;

/** An answer to a send or kill that reached a process installed here and not yet confirmed. */
export interface HeldAnswer {
  node: number;
  kind: KernelMessageKind.IpcAnswer | KernelMessageKind.KillAnswer;
  requestId: number;
  result: number;
}

/** A process installed here whose source may not have MigrateDone yet. */
interface Unconfirmed {
  sourceNode: number;
  answers: HeldAnswer[];
}

interface BufferedMessage {
  originNode: number;
  bytes: Uint8Array;
  route: ForwardRoute;
}

interface Incoming {
  sourceNode: number;
  requestId: number;
  pid: Pid;
  reservedFrames: number;
  /** Page contents so far by linear address; a pre-copy round replaces an earlier copy. */
  pages: Map<number, ImagePage>;
  /** Pre-copy and copy-on-reference: every page the process holds, once it has come. */
  pageTable: PageTable | undefined;
  /** The id the Starter answers with migrate_in, while it has not; 0 once accepted. */
  starterRequestId: number;
  /** While the Starter has not answered: when this node refuses for it. */
  starterDeadlineNs: number;
  /** Why the pages cannot be installed (a malformed ImagePages), once known. */
  broken: string | undefined;
  buffered: BufferedMessage[];
  /** Its link table at the request: the nodes of these peers may have been told it comes here. */
  links: Pid[];
  /** The Starter (or the built-in acceptor) accepted: the source freezes it from then on. */
  accepted: boolean;
  /** Which move of the process this is, from 1 (location versions). */
  move: number;
}

export class DestinationSide {
  private readonly byKey = new Map<string, Incoming>();
  private readonly byPid = new Map<Pid, Incoming>();
  private reservedFrames = 0;
  /** Requests passed to the Starter and not yet answered, by the id it was given. */
  private readonly awaitingStarter = new Map<number, Incoming>();
  private nextStarterRequestId = 1;
  private readonly unconfirmed = new Map<Pid, Unconfirmed>();

  constructor(private readonly service: MigrationService) {}

  /**
   * Holds the answer to a send or kill for `pid` while its source has not confirmed the move;
   * false when it may go now.
   */
  holdAnswer(pid: Pid, answer: HeldAnswer): boolean {
    const record = this.unconfirmed.get(pid);
    if (!record || record.answers.length >= heldAnswersMax) return false;
    // Everything sent to the source is acknowledged: MigrateDone too.
    if (this.service.network.transport.queuedBytesTo(record.sourceNode) === 0) {
      this.confirm(pid, record);
      return false;
    }
    record.answers.push(answer);
    return true;
  }

  /** Acks came: the answers held for a process whose source has everything sent to it go. */
  onTransportProgress(): void {
    const transport = this.service.network.transport;
    for (const [pid, record] of [...this.unconfirmed]) {
      if (transport.queuedBytesTo(record.sourceNode) === 0) this.confirm(pid, record);
    }
  }

  private confirm(pid: Pid, record: Unconfirmed): void {
    this.unconfirmed.delete(pid);
    for (const answer of record.answers) {
      this.service.network.answer(answer.node, answer.kind, answer.requestId, answer.result);
    }
  }

  get activeCount(): number {
    return this.byKey.size;
  }

  /**
   * The nodes processes are on their way here from, and the copy-on-reference sources whose
   * page replies a process here waits for (watched for a crash: onPeerFailed).
   */
  *sourceNodes(): IterableIterator<number> {
    for (const record of this.byKey.values()) yield record.sourceNode;
    yield* this.service.remotePages.awaitedSources();
  }

  /** Whether `pid` is on its way here (asked for, not yet installed or released). */
  isArriving(pid: Pid): boolean {
    return this.byPid.has(pid);
  }

  /** Buffers a message for a process on its way here; false when none is arriving. */
  bufferIfArriving(pid: Pid, originNode: number, bytes: Uint8Array, route: ForwardRoute): boolean {
    const record = this.byPid.get(pid);
    if (!record || record.buffered.length >= arrivalBufferMax) return false;
    record.buffered.push({ originNode, bytes, route });
    return true;
  }

  onRequest(fromNode: number, message: MigrateRequest): void {
    const kernel = this.service.kernel;
    // Reserve for everything it may hold (its heap up to the break included): the pages it
    // has touched can grow between this request and its freeze.
    const needed = framesNeededForCount(
      Math.max(message.pageCount, Math.ceil(message.memoryBytes / pageSizeBytes)),
    );
    let result = 0;
    if (kernel.processes.has(message.pid) || this.byPid.has(message.pid)) result = -Errno.EBUSY;
    else if (kernel.processes.isFull) result = -Errno.EAGAIN;
    else if (needed > kernel.frames.freeFrameCount - this.reservedFrames) result = -Errno.ENOMEM;
    if (result === 0) {
      // The slot is held from here to the install (or the release), so no spawn takes it.
      kernel.processes.holdSlot();
      const record: Incoming = {
        sourceNode: fromNode,
        requestId: message.requestId,
        pid: message.pid,
        reservedFrames: needed,
        pages: new Map(),
        pageTable: undefined,
        starterRequestId: 0,
        starterDeadlineNs: Number.POSITIVE_INFINITY,
        broken: undefined,
        buffered: [],
        links: message.links,
        accepted: false,
        move: message.moves + 1,
      };
      this.byKey.set(keyOf(fromNode, message.requestId), record);
      this.byPid.set(message.pid, record);
      this.reservedFrames += needed;
      if (this.service.starterChannel.takesRequests) {
        if (this.askStarter(fromNode, record, message)) return;
        this.forget(record);
        result = -Errno.EAGAIN;
      } else record.accepted = true;
    }
    this.service.send(fromNode, {
      kind: MigrationMessageKind.MigrateReply,
      requestId: message.requestId,
      result,
    });
  }

  /** migrate_in(id, accept): the Starter's answer to a request; false when none has that id. */
  answerStarterRequest(starterRequestId: number, accept: boolean): boolean {
    const record = this.awaitingStarter.get(starterRequestId);
    if (!record) return false;
    this.answer(record, accept, "denied");
    return true;
  }

  /**
   * cancel_migrate by this node's Starter for a process on its way here: before its answer
   * (the commit point) the request is refused as a deny is, which the source counts
   * cancelled; "committed" once it has accepted; undefined when none is coming.
   */
  cancelArriving(pid: Pid): "cancelled" | "committed" | undefined {
    const record = this.byPid.get(pid);
    if (!record) return undefined;
    if (record.accepted) return "committed";
    this.answer(record, false, "cancelled", replyCancelledByDestination);
    return "cancelled";
  }

  /**
   * The Starter's answer to a request it holds (or this node's, at its timeout): a refusal
   * releases it, saying `whyRefused`, and answers the source `refusal`.
   */
  private answer(
    record: Incoming,
    accept: boolean,
    whyRefused: string,
    refusal: number = -Errno.EPERM,
  ): void {
    this.awaitingStarter.delete(record.starterRequestId);
    record.starterRequestId = 0;
    record.starterDeadlineNs = Number.POSITIVE_INFINITY;
    record.accepted = accept;
    if (!accept) this.release(record, whyRefused);
    this.service.send(record.sourceNode, {
      kind: MigrationMessageKind.MigrateReply,
      requestId: record.requestId,
      result: accept ? 0 : refusal,
    });
  }

  /** The earliest time a request waits for its Starter's answer until. */
  nextTimerNs(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const record of this.awaitingStarter.values()) {
      earliest = Math.min(earliest, record.starterDeadlineNs);
    }
    return earliest;
  }

  /** Requests the Starter left unanswered too long: refused here (the source: failed, no reply). */
  fireTimers(nowNs: number): void {
    for (const record of [...this.awaitingStarter.values()]) {
      if (record.starterDeadlineNs <= nowNs) {
        this.answer(record, false, "no answer from the Starter", -Errno.ETIMEDOUT);
      }
    }
  }

  /** The Starter ended: the requests it held are denied. */
  onStarterEnd(): void {
    for (const starterRequestId of [...this.awaitingStarter.keys()]) {
      this.answerStarterRequest(starterRequestId, false);
    }
  }

  onPages(fromNode: number, requestId: number, bytes: Uint8Array): void {
    const record = this.byKey.get(keyOf(fromNode, requestId));
    if (!record || record.broken) return;
    try {
      for (const page of decodePages(bytes)) {
        record.pages.set(page.linear, page);
        if (record.pages.size > imagePagesMax) {
          throw new MigrationFormatError(`image pages: more than ${imagePagesMax}`);
        }
      }
    } catch (error) {
      if (!(error instanceof MigrationFormatError)) throw error;
      record.broken = error.message;
      this.service.countMalformed(fromNode, error.message);
    }
  }

  onPageTable(fromNode: number, table: PageTable): void {
    const record = this.byKey.get(keyOf(fromNode, table.requestId));
    if (record) record.pageTable = table;
  }

  /**
   * The pages to install and those left at the source: every page received (direct copy), or
   * the page table's, with the contents received; a page without them stays at the source
   * (copy-on-reference) or breaks the image (pre-copy).
   */
  private pagesToInstall(record: Incoming): {
    pages: ImagePage[];
    remote: PageTableEntry[];
    broken?: string;
  } {
    const table = record.pageTable;
    if (!table)
      return { pages: [...record.pages.values()].sort((a, b) => a.linear - b.linear), remote: [] };
    const pages: ImagePage[] = [];
    const remote: PageTableEntry[] = [];
    for (const entry of table.entries) {
      const page = record.pages.get(entry.linear);
      if (page) pages.push({ ...page, writable: entry.writable });
      else if (table.restAtSource) remote.push(entry);
      else {
        return {
          pages,
          remote,
          broken: `page table: page 0x${entry.linear.toString(16)} listed, its contents never came`,
        };
      }
    }
    return { pages, remote };
  }

  onState(fromNode: number, requestId: number, bytes: Uint8Array): void {
    const record = this.byKey.get(keyOf(fromNode, requestId));
    if (!record) return;
    const service = this.service;
    const kernel = service.kernel;
    this.forget(record);
    let why = record.broken;
    if (why === undefined) {
      try {
        const state = decodeProcessState(bytes);
        if (state.pid !== record.pid) {
          throw new MigrationFormatError(`process state: pid ${state.pid}, ${record.pid} asked`);
        }
        const { pages, remote, broken } = this.pagesToInstall(record);
        if (broken !== undefined) throw new MigrationFormatError(broken);
        const installed = installProcess(kernel, state, pages);
        if (typeof installed === "string") why = installed;
        else if (remote.length > 0) {
          service.remotePages.adopt(installed, record.sourceNode, record.requestId, remote);
        }
      } catch (error) {
        if (!(error instanceof MigrationFormatError)) throw error;
        why = error.message;
        service.countMalformed(fromNode, error.message);
      }
    }
    if (why === undefined) {
      service.network.locations.delete(record.pid);
      service.moveCounts.set(record.pid, record.move);
      this.settleDelivery(record);
      this.unconfirmed.set(record.pid, { sourceNode: record.sourceNode, answers: [] });
    } else {
      service.network.locations.learn(
        record.pid,
        record.sourceNode,
        locationVersionBack(record.move),
      );
      kernel.report(`migration of ${formatPid(record.pid)} refused here: ${why}`);
    }
    service.send(fromNode, {
      kind: MigrationMessageKind.MigrateDone,
      requestId,
      result: why === undefined ? 0 : -Errno.EINVAL,
    });
    this.replay(record);
  }

  /**
   * The process is installed here: a link this node held for it ends; the home (this node)
   * notes the link its source now holds (redirect). (recover's announcement of the new address
   * comes from the source, once it has committed.)
   */
  private settleDelivery(record: Incoming): void {
    const service = this.service;
    service.links.end(record.pid, "process came back");
    if (service.delivery === "redirect" && pidHomeNode(record.pid) === service.kernel.homeNode) {
      service.links.noteMove(
        record.pid,
        record.sourceNode,
        service.kernel.homeNode,
        locationVersionMoved(record.move),
      );
    }
  }

  onCancel(fromNode: number, requestId: number): void {
    const record = this.byKey.get(keyOf(fromNode, requestId));
    if (!record) return;
    this.service.network.locations.learn(
      record.pid,
      record.sourceNode,
      locationVersionBack(record.move),
    );
    this.release(record, "cancelled");
  }

  /**
   * The source failed: its arrivals will never come. One accepted was frozen there (or running,
   * for pre-copy) and is lost with it: the nodes that may have been told it comes here (the home
   * and its peers' nodes) hear that it is at the failed node, so they take it for lost as they
   * take what lived there (a parent waiting on it sees 137), not for alive here.
   */
  onPeerFailed(node: number): void {
    // Installed here: the source can no longer resume it, so it stays, and its answers go.
    for (const [pid, record] of [...this.unconfirmed]) {
      if (record.sourceNode === node) this.confirm(pid, record);
    }
    for (const record of [...this.byKey.values()]) {
      if (record.sourceNode !== node) continue;
      // What was buffered for it goes where it was lost (-ESRCH), not round its home.
      if (record.accepted) {
        this.service.network.locations.learn(record.pid, node, locationVersionBack(record.move));
      }
      this.release(record, "source failed");
      if (record.accepted) this.tellLostWithSource(record);
    }
  }

  private tellLostWithSource(record: Incoming): void {
    const service = this.service;
    const told = service.notifyHomeAndPeers(
      record.pid,
      record.links,
      [service.kernel.homeNode, record.sourceNode],
      record.sourceNode,
      locationVersionBack(record.move),
    );
    service.kernel.report(
      `process ${formatPid(record.pid)} never arrived: node ${record.sourceNode}, its migration's source, failed before the state came here`,
    );
    service.kernel.traceEvent("lost-in-transfer", {
      pid: formatPid(record.pid),
      failed: record.sourceNode,
      nodes: told.join(","),
    });
  }

  /** Frames reserved for arrivals not yet installed (the tests read it). */
  get reservedFrameCount(): number {
    return this.reservedFrames;
  }

  /** Passes the request to the Starter (step 5); false when its mailbox cannot take it. */
  private askStarter(fromNode: number, record: Incoming, message: MigrateRequest): boolean {
    const starterRequestId = this.nextStarterRequestId;
    this.nextStarterRequestId = (this.nextStarterRequestId % 0xffff_fffe) + 1;
    const delivered = this.service.starterChannel.deliver(
      encodeRequest({
        requestId: starterRequestId,
        pid: message.pid,
        fromNode,
        memoryBytes: message.memoryBytes,
        pageCount: message.pageCount,
        ageNs: message.ageNs,
        cpuNs: message.cpuNs,
      }),
    );
    if (!delivered) return false;
    record.starterRequestId = starterRequestId;
    record.starterDeadlineNs = this.service.kernel.nowNs() + starterAnswerTimeoutNs;
    this.awaitingStarter.set(starterRequestId, record);
    this.service.kernel.traceEvent("migrate-ask", {
      pid: formatPid(message.pid),
      from: fromNode,
      id: starterRequestId,
    });
    return true;
  }

  /** Drops an arrival that will not be installed: its reservation, its Starter request. */
  private release(record: Incoming, why: string): void {
    this.forget(record);
    this.service.kernel.traceEvent("migrate-release", {
      pid: formatPid(record.pid),
      from: record.sourceNode,
      why,
    });
    this.replay(record);
  }

  private forget(record: Incoming): void {
    this.byKey.delete(keyOf(record.sourceNode, record.requestId));
    this.byPid.delete(record.pid);
    if (record.starterRequestId !== 0) this.awaitingStarter.delete(record.starterRequestId);
    record.starterRequestId = 0;
    this.reservedFrames -= record.reservedFrames;
    this.service.kernel.processes.releaseSlot();
  }

  /** Handles the buffered messages in arrival order: delivered here, or passed on. */
  private replay(record: Incoming): void {
    for (const message of record.buffered) {
      this.service.network.handleMessage(message.originNode, message.bytes, message.route);
    }
  }
}

function keyOf(node: number, requestId: number): string {
  return `${node}:${requestId}`;
}
