// Copy-on-reference at the destination (docs/migration.md, "Memory strategies"): a process
// installed from its page table alone runs with the pages it has not fetched yet unmapped.
// Its first reference to one (a page fault, or a syscall whose buffer covers it, checked before
// the call runs) blocks it and asks the source for the page and the pages that follow it while
// they are still remote (neighbour prefetch, one PageFetch message at most); when they have
// come they are mapped and it goes on (the faulting instruction again, or the syscall re-run).
// If the source fails first, or no longer holds them, the process ends with status 137 and a
// report naming the source: it cannot go on without its memory, and it never does so silently.

import { copyCycles } from "../cost-table.ts";
import { outOfMemoryReason } from "../faults/end-reasons.ts";
import { Signal } from "../faults/fault-report.ts";
import type { Kernel } from "../kernel.ts";
import { formatPid, type Pid } from "../process/pid.ts";
import { type Process, ProcessState, ResumeAction } from "../process/process.ts";
import { MigrationFormatError } from "./byte-codec.ts";
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
  /** Pages asked for that have not come yet. */
  asked: Set<number>;
  /** How the process goes on once `asked` is empty, while it waits. */
  waiting: ResumeAction | undefined;
  /** It is to migrate again: every remote page is being fetched, restWindowPages at a time. */
  fetchingRest: boolean;
}

/** Pages asked for at once while fetching the rest (8 replies of 16 pages: 512 KiB). */
const restWindowPages = 8 * pageFetchPagesMax;

export class RemotePages {
  private readonly byPid = new Map<Pid, Borrowed>();

  constructor(private readonly service: MigrationService) {}

  /** Whether `pid` runs here with pages still at its previous node. */
  holds(pid: Pid): boolean {
    return this.byPid.has(pid);
  }

  /** A process just installed from a page table: `pages` are still at `sourceNode`. */
  adopt(process: Process, sourceNode: number, requestId: number, pages: PageTableEntry[]): void {
    const remote = new Map<number, boolean>();
    for (const page of pages) remote.set(page.linear, page.writable);
    this.byPid.set(process.pid, {
      process,
      sourceNode,
      requestId,
      remote,
      asked: new Set(),
      waiting: undefined,
      fetchingRest: false,
    });
  }

  /**
   * A not-present fault at `linear` of the current process: true when the page is remote, the
   * fetch is asked for and the process blocked until it comes.
   */
  onPageFault(process: Process, linear: number): boolean {
    const record = this.byPid.get(process.pid);
    const page = linear - (linear % 4096);
    if (!record?.remote.has(page)) return false;
    const wanted: number[] = [];
    for (
      let next = page;
      wanted.length < pageFetchPagesMax && record.remote.has(next) && !record.asked.has(next);
      next += 4096
    ) {
      wanted.push(next);
    }
    this.ask(record, wanted);
    this.block(record, ResumeAction.None);
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
    let covers = false;
    const wanted: number[] = [];
    for (const range of syscallUserRanges(number, ebx, ecx, edx, process.brkAddress)) {
      forEachPageOf(range, (page) => {
        if (!record.remote.has(page)) return;
        covers = true;
        if (!record.asked.has(page)) wanted.push(page);
      });
    }
    if (!covers) return false;
    this.ask(record, wanted);
    this.block(record, ResumeAction.RerunSyscall);
    return true;
  }

  /** The process is to migrate again: fetch every page still remote (source.ts waits). */
  fetchRest(process: Process): void {
    const record = this.byPid.get(process.pid);
    if (!record) return;
    record.fetchingRest = true;
    this.topUp(record);
  }

  private topUp(record: Borrowed): void {
    const wanted: number[] = [];
    for (const linear of [...record.remote.keys()].sort((a, b) => a - b)) {
      if (record.asked.size + wanted.length >= restWindowPages) break;
      if (!record.asked.has(linear)) wanted.push(linear);
    }
    this.ask(record, wanted);
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
    for (const page of pages) {
      if (!record.remote.has(page.linear)) continue;
      if (!addressSpace.mapZeroPage(page.linear, true)) {
        const reason = outOfMemoryReason(page.linear, kernel.machine.memoryBytes);
        this.forget(record);
        kernel.killProcess(record.process, Signal.SIGKILL, undefined, reason);
        return;
      }
      addressSpace.writeAsKernel(page.linear, page.bytes);
      kernel.machine.chargeCycles(copyCycles(page.bytes.length));
      if (!page.writable) addressSpace.setWritable(page.linear, false);
      record.remote.delete(page.linear);
      record.asked.delete(page.linear);
    }
    kernel.traceEvent("page-fetched", {
      pid: formatPid(record.process.pid),
      from: fromNode,
      pages: pages.length,
      remote: record.remote.size,
    });
    if (record.fetchingRest) this.topUp(record);
    if (record.asked.size > 0) return;
    if (record.waiting !== undefined) {
      const action = record.waiting;
      record.waiting = undefined;
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

  /** The source failed: every process still needing pages from it ends (137). */
  onPeerFailed(node: number): void {
    for (const record of [...this.byPid.values()]) {
      if (record.sourceNode === node) this.lose(record, `node ${node} failed`);
    }
  }

  private ask(record: Borrowed, pages: readonly number[]): void {
    const sorted = [...pages].sort((a, b) => a - b);
    for (let first = 0; first < sorted.length; first += pageFetchPagesMax) {
      const linears = sorted.slice(first, first + pageFetchPagesMax);
      for (const linear of linears) record.asked.add(linear);
      this.service.send(record.sourceNode, {
        kind: MigrationMessageKind.PageFetch,
        requestId: record.requestId,
        linears,
      });
    }
  }

  private block(record: Borrowed, action: ResumeAction): void {
    record.waiting = action;
    this.service.kernel.blockCurrent(ProcessState.BlockedRemote);
  }

  private forget(record: Borrowed): void {
    this.byPid.delete(record.process.pid);
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
