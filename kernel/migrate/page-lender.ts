// Copy-on-reference at the source (docs/migration.md, "Memory strategies"): once a process
// that moved by copy-on-reference is installed elsewhere, its pages stay here, in their frames,
// and are served to the destination's PageFetch requests. This is a residual dependency: the
// process needs this node until every page has left it, or until it ends (PagesReleased) or
// its node fails. The trace shows it from `migrate-residual` to `migrate-residual-end`, with a
// `page-lent` line per fetch served; their totalNs runs from the migration's request to the
// moment those pages left, their bytes count the migration's and the pages served so far.
// Replies go only when the transport has room for them: the pages asked for wait here, in the
// order asked, and go out as acks make room; a page leaves `remaining` only once it is sent.

import { Errno } from "../errno.ts";
import type { AddressSpace } from "../memory/address-space.ts";
import { pageSizeBytes } from "../memory/user-layout.ts";
import { formatPid, type Pid } from "../process/pid.ts";
import {
  MigrationMessageKind,
  type PageTableEntry,
  pageFetchPagesMax,
} from "./migration-messages.ts";
import type { MigrationService } from "./migration-service.ts";
import { encodePages, type ImagePage } from "./process-image.ts";

export interface Loan {
  requestId: number;
  pid: Pid;
  toNode: number;
  /** The moved process's address space, kept whole after its release (kernel.releaseProcess). */
  addressSpace: AddressSpace;
  pages: readonly PageTableEntry[];
  /** When the migration was requested, and the bytes it sent up to its commit. */
  startedAtNs: number;
  bytesSent: number;
}

interface Lent extends Loan {
  /** Pages not yet fetched: linear address -> writable. */
  remaining: Map<number, boolean>;
  /** Pages asked for and not yet sent, in the order asked. */
  unsent: Set<number>;
  servedBytes: number;
  lastServedAtNs: number;
}

export class PageLender {
  private readonly byRequest = new Map<number, Lent>();

  constructor(private readonly service: MigrationService) {}

  get activeCount(): number {
    return this.byRequest.size;
  }

  lend(loan: Loan): void {
    const remaining = new Map<number, boolean>();
    for (const page of loan.pages) remaining.set(page.linear, page.writable);
    this.byRequest.set(loan.requestId, {
      ...loan,
      remaining,
      unsent: new Set(),
      servedBytes: 0,
      lastServedAtNs: this.service.kernel.nowNs(),
    });
    this.service.kernel.traceEvent("migrate-residual", {
      pid: formatPid(loan.pid),
      to: loan.toNode,
      id: loan.requestId,
      pages: remaining.size,
    });
  }

  /**
   * PageFetch: the pages asked for, each once, sent as room allows; -ESRCH when this node lends
   * nothing so, or not one of the pages asked for (it was sent already or never lent).
   */
  onFetch(fromNode: number, requestId: number, linears: readonly number[]): void {
    const record = this.byRequest.get(requestId);
    const lends =
      record !== undefined &&
      record.toNode === fromNode &&
      linears.every(
        (linear) =>
          record.remaining.has(linear) &&
          !record.unsent.has(linear) &&
          record.addressSpace.translate(linear) >= 0,
      );
    if (!lends) {
      this.service.send(fromNode, {
        kind: MigrationMessageKind.PageReply,
        requestId,
        result: -Errno.ESRCH,
        bytes: encodePages([]),
      });
      return;
    }
    for (const linear of linears) record.unsent.add(linear);
    this.drain(record);
  }

  /** The transport took acks: replies that found no room go out now. */
  onTransportProgress(): void {
    for (const record of [...this.byRequest.values()]) {
      if (record.unsent.size > 0) this.drain(record);
    }
  }

  /** Sends the pages asked for, pageFetchPagesMax a reply, while the transport takes them. */
  private drain(record: Lent): void {
    const service = this.service;
    const memory = service.kernel.machine.memory;
    while (record.unsent.size > 0) {
      const pages: ImagePage[] = [];
      for (const linear of record.unsent) {
        if (pages.length === pageFetchPagesMax) break;
        const physical = record.addressSpace.translate(linear);
        const writable = record.remaining.get(linear)!;
        pages.push({ linear, writable, bytes: memory.readBytes(physical, pageSizeBytes) });
      }
      // A reply lists its pages in increasing order (process-image.ts).
      pages.sort((a, b) => a.linear - b.linear);
      const sentBytes = service.sendIfRoom(record.toNode, {
        kind: MigrationMessageKind.PageReply,
        requestId: record.requestId,
        result: 0,
        bytes: encodePages(pages),
      });
      if (sentBytes === 0) return;
      for (const page of pages) {
        record.unsent.delete(page.linear);
        record.remaining.delete(page.linear);
      }
      record.servedBytes += sentBytes;
      record.lastServedAtNs = service.kernel.nowNs();
      service.kernel.traceEvent("page-lent", {
        pid: formatPid(record.pid),
        to: record.toNode,
        id: record.requestId,
        pages: pages.length,
        remaining: record.remaining.size,
        totalNs: record.lastServedAtNs - record.startedAtNs,
        bytes: record.bytesSent + record.servedBytes,
      });
    }
    if (record.remaining.size === 0) this.finish(record, "all pages fetched");
  }

  /** PagesReleased: the process ended (or its node no longer needs the rest). */
  onReleased(fromNode: number, requestId: number): void {
    const record = this.byRequest.get(requestId);
    if (record && record.toNode === fromNode) this.finish(record, "released");
  }

  /** The destination failed: the process is gone with it, and so is the need for its pages. */
  onPeerFailed(node: number): void {
    for (const record of [...this.byRequest.values()]) {
      if (record.toNode === node) this.finish(record, "destination failed");
    }
  }

  private finish(record: Lent, why: string): void {
    this.byRequest.delete(record.requestId);
    record.addressSpace.destroy();
    this.service.kernel.traceEvent("migrate-residual-end", {
      pid: formatPid(record.pid),
      to: record.toNode,
      id: record.requestId,
      why,
      unfetched: record.remaining.size,
      totalNs: record.lastServedAtNs - record.startedAtNs,
      bytes: record.bytesSent + record.servedBytes,
    });
  }
}
