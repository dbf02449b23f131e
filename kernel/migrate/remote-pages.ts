// Copy-on-reference at the destination (docs/migration.md, "Memory strategies"): a process
// installed from its page table alone runs with the pages it has not fetched yet unmapped.
// Its first reference to one (a page fault, or a syscall whose buffer covers it, checked before
// the call runs) blocks it and asks the source for the page and the pages that follow it while
// they are still remote (neighbour prefetch, one PageFetch message at most); when they have
// come they are mapped and it goes on (the faulting instruction again, or the syscall re-run).
// At most inFlightPagesMax pages are asked for at a time; the rest wait here, asked for as
// replies come. The frames the remote pages will take stay held back (frame-allocator.ts) until
// each page is mapped or the process ends, so a process accepted here never runs out of memory
// for its own pages. If the source fails, or no longer holds them, the process ends with status
// 137 and a report naming the source, at once if a fetch is outstanding, else when it next needs
// a page still there: it cannot go on without its memory, and never does so silently.

import { copyCycles } from "../cost-table.ts";
import { Signal } from "../faults/fault-report.ts";
import type { Kernel } from "../kernel.ts";
import { pageAlignDown, pageSizeBytes } from "../memory/user-layout.ts";
import { formatPid, type Pid } from "../process/pid.ts";
import { type Process, ProcessState, ResumeAction } from "../process/process.ts";
import { MigrationFormatError } from "./byte-codec.ts";
import { framesNeededForCount } from "./install.ts";
import {
  MigrationMessageKind,
  type PageReply,
  type PageTableEntry,
  pageFetchPagesMax,
} from "./migration-messages.ts";
import type { MigrationService } from "./migration-service.ts";
import { decodePages } from "./process-image.ts";
import { forEachPageOf, syscallUserRanges } from "./syscall-buffers.ts";

interface Borrowed {
  process: Process;
  sourceNode: number;
  /** The source's request id, which its PageFetch and PagesReleased name. */
  requestId: number;
  /** Pages still at the source: linear address -> writable. */
  remote: Map<number, boolean>;
  /** Pages asked for that have not come yet (inFlightPagesMax at most). */
  asked: Set<number>;
  /** Pages wanted and not asked for yet, in the order they are to be asked for. */
  unasked: Set<number>;
  /** How the process goes on once the pages of `waitingFor` have come, while it waits. */
  waiting: ResumeAction | undefined;
  waitingFor: readonly number[];
  /** Frames held back for the pages still remote (frame-allocator.ts). */
  heldFrames: number;
  /** Why the pages can no longer come (the source failed), once they cannot. */
  lostWhy: string | undefined;
  /** It is to migrate again: every remote page is being fetched, restWindowPages at a time. */
  fetchingRest: boolean;
}

/** Pages asked for and not yet come, at most (8 replies of 16 pages: 512 KiB). */
const inFlightPagesMax = 8 * pageFetchPagesMax;

export class RemotePages {
  private readonly byPid = new Map<Pid, Borrowed>();

  constructor(private readonly service: MigrationService) {}

  /** Whether `pid` runs here with pages still at its previous node. */
  holds(pid: Pid): boolean {
    return this.byPid.has(pid);
  }

  /**
   * Whether a process here waits on pages asked for: the run is not over until they come or
   * their source is declared failed (the fetch was acked, so only a probe can tell).
   */
  get awaiting(): boolean {
    for (const record of this.byPid.values()) if (this.awaits(record)) return true;
    return false;
  }

  /** The sources of the pages asked for and not come yet (probed as a request's node is). */
  *awaitedSources(): IterableIterator<number> {
    for (const record of this.byPid.values()) if (this.awaits(record)) yield record.sourceNode;
  }

  private awaits(record: Borrowed): boolean {
    return record.lostWhy === undefined && (record.asked.size > 0 || record.unasked.size > 0);
  }

  /** A process just installed from a page table: `pages` are still at `sourceNode`. */
  adopt(process: Process, sourceNode: number, requestId: number, pages: PageTableEntry[]): void {
    const remote = new Map<number, boolean>();
    for (const page of pages) remote.set(page.linear, page.writable);
    process.addressSpace.markRemote(remote);
    this.byPid.set(process.pid, {
      process,
      sourceNode,
      requestId,
      remote,
      asked: new Set(),
      unasked: new Set(),
      waiting: undefined,
      waitingFor: [],
      heldFrames: this.service.kernel.frames.hold(framesNeededForCount(remote.size)),
      lostWhy: undefined,
      fetchingRest: false,
    });
  }

  /**
   * A not-present fault at `linear` of the current process: true when the page is remote, the
   * fetch is asked for and the process blocked until it comes.
   */
  onPageFault(process: Process, linear: number): boolean {
    const record = this.byPid.get(process.pid);
    const page = pageAlignDown(linear);
    if (!record?.remote.has(page)) return false;
    if (record.lostWhy !== undefined) {
      this.lose(record, record.lostWhy);
      return true;
    }
    const wanted: number[] = [];
    for (
      let next = page;
      wanted.length < pageFetchPagesMax && record.remote.has(next) && !record.asked.has(next);
      next += pageSizeBytes
    ) {
      wanted.push(next);
    }
    this.ask(record, wanted);
    this.block(record, ResumeAction.None, [page]);
    return true;
  }

  /**
   * Before the current process's syscall runs: true when its buffers cover remote pages, which
   * are asked for (unless they already are), the call to be re-run once they have come.
   */
  holdsSyscall(process: Process, number: number, ebx: number, ecx: number, edx: number): boolean {
    if (this.byPid.size === 0) return false;
    const record = this.byPid.get(process.pid);
    if (!record) return false;
    const covered: number[] = [];
    for (const range of syscallUserRanges(number, ebx, ecx, edx, process.brkAddress)) {
      forEachPageOf(range, (page) => {
        if (record.remote.has(page)) covered.push(page);
      });
    }
    if (covered.length === 0) return false;
    if (record.lostWhy !== undefined) {
      this.lose(record, record.lostWhy);
      return true;
    }
    this.ask(record, covered);
    this.block(record, ResumeAction.RerunSyscall, covered);
    return true;
  }

  /** The process is to migrate again: fetch every page still remote (source.ts waits). */
  fetchRest(process: Process): void {
    const record = this.byPid.get(process.pid);
    if (!record) return;
    record.fetchingRest = true;
    this.topUp(record);
  }

  /** While fetching the rest: enough remote pages wanted to keep the window full. */
  private topUp(record: Borrowed): void {
    const wanted: number[] = [];
    for (const linear of [...record.remote.keys()].sort((a, b) => a - b)) {
      if (record.asked.size + record.unasked.size + wanted.length >= inFlightPagesMax) break;
      if (!record.asked.has(linear) && !record.unasked.has(linear)) wanted.push(linear);
    }
    this.ask(record, wanted);
  }

  /** The transport took acks: fetches that found no room go out now. */
  onTransportProgress(): void {
    for (const record of this.byPid.values()) {
      if (record.unasked.size > 0 && record.lostWhy === undefined) this.pump(record);
    }
  }

  onReply(fromNode: number, reply: PageReply): void {
    const record = [...this.byPid.values()].find(
      (candidate) => candidate.sourceNode === fromNode && candidate.requestId === reply.requestId,
    );
    if (!record) return;
    if (reply.result < 0) {
      this.lose(record, `node ${fromNode} no longer holds them (${reply.result})`);
      return;
    }
    const kernel = this.service.kernel;
    let pages: ReturnType<typeof decodePages>;
    try {
      pages = decodePages(reply.bytes);
    } catch (error) {
      if (!(error instanceof MigrationFormatError)) throw error;
      this.service.countMalformed(fromNode, error.message);
      this.lose(record, `node ${fromNode} sent a malformed page`);
      return;
    }
    const addressSpace = record.process.addressSpace;
    // The frames held for these pages are theirs now: given back, then taken by the mapping
    // (a page table too, at most), and what the pages still remote need held again.
    kernel.frames.release(record.heldFrames);
    for (const page of pages) {
      // A page not asked for, or already here, is never written over what the process holds.
      if (!record.asked.has(page.linear) || addressSpace.isMapped(page.linear)) continue;
      if (!addressSpace.mapZeroPage(page.linear, true)) {
        record.heldFrames = 0;
        this.lose(record, "no frame could take a page here");
        return;
      }
      addressSpace.writeAsKernel(page.linear, page.bytes);
      kernel.machine.chargeCycles(copyCycles(page.bytes.length));
      if (!page.writable) addressSpace.setWritable(page.linear, false);
      record.remote.delete(page.linear);
      record.asked.delete(page.linear);
    }
    record.heldFrames = kernel.frames.hold(framesNeededForCount(record.remote.size));
    kernel.traceEvent("page-fetched", {
      pid: formatPid(record.process.pid),
      from: fromNode,
      pages: pages.length,
      remote: record.remote.size,
    });
    if (record.fetchingRest) this.topUp(record);
    this.pump(record);
    if (
      record.waiting !== undefined &&
      record.waitingFor.every((page) => !record.remote.has(page))
    ) {
      const action = record.waiting;
      record.waiting = undefined;
      record.waitingFor = [];
      kernel.wake(record.process, action);
    }
    if (record.remote.size > 0) return;
    this.forget(record);
    this.service.source.onResumed(record.process);
  }

  /** The process ended here: the source may drop the pages it still lends. */
  onProcessEnd(process: Process): void {
    const record = this.byPid.get(process.pid);
    if (!record || record.process !== process) return;
    this.forget(record);
    this.service.send(record.sourceNode, {
      kind: MigrationMessageKind.PagesReleased,
      requestId: record.requestId,
    });
  }

  /**
   * The source failed: a process waiting for pages from it ends now (137); one that is not
   * ends only when it next needs a page still there, and goes on normally if it never does.
   */
  onPeerFailed(node: number): void {
    for (const record of [...this.byPid.values()]) {
      if (record.sourceNode !== node) continue;
      const why = `node ${node} failed`;
      if (this.awaits(record) || record.waiting !== undefined) {
        this.lose(record, why);
      } else record.lostWhy = why;
    }
  }

  /** Wants `pages` (those not asked for already), then asks for what the window allows. */
  private ask(record: Borrowed, pages: readonly number[]): void {
    for (const linear of [...pages].sort((a, b) => a - b)) {
      if (!record.asked.has(linear)) record.unasked.add(linear);
    }
    this.pump(record);
  }

  /** PageFetch messages while fewer than inFlightPagesMax pages are asked for and room lasts. */
  private pump(record: Borrowed): void {
    while (record.unasked.size > 0 && record.asked.size < inFlightPagesMax) {
      const linears: number[] = [];
      for (const linear of record.unasked) {
        if (linears.length === pageFetchPagesMax) break;
        if (record.asked.size + linears.length === inFlightPagesMax) break;
        linears.push(linear);
      }
      const sentBytes = this.service.sendIfRoom(record.sourceNode, {
        kind: MigrationMessageKind.PageFetch,
        requestId: record.requestId,
        linears,
      });
      if (sentBytes === 0) return;
      for (const linear of linears) {
        record.unasked.delete(linear);
        record.asked.add(linear);
      }
    }
  }

  private block(record: Borrowed, action: ResumeAction, pages: readonly number[]): void {
    record.waiting = action;
    record.waitingFor = pages;
    this.service.kernel.blockCurrent(ProcessState.BlockedRemote);
  }

  private forget(record: Borrowed): void {
    this.byPid.delete(record.process.pid);
    this.service.kernel.frames.release(record.heldFrames);
    record.heldFrames = 0;
    record.process.addressSpace.markRemote(undefined);
  }

  /** The pages cannot come: the process ends as killed (137), with the lost source named. */
  private lose(record: Borrowed, why: string): void {
    this.forget(record);
    const kernel: Kernel = this.service.kernel;
    kernel.killProcess(
      record.process,
      Signal.SIGKILL,
      undefined,
      `lost: ${record.remote.size} of its pages were still at node ${record.sourceNode} (copy-on-reference), and ${why}`,
    );
  }
}
