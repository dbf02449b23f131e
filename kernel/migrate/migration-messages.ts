// The migration protocol's kernel-to-kernel messages (docs/migration.md, "Messages"), carried
// by the kernel transport like kernel/net's own, with kinds from 20 up so one kind byte tells
// them apart. Fixed little-endian fields, then at most one variable tail; decoding checks
// every length and names the bad field, and the caller drops and counts a malformed one.

import { pageSizeBytes } from "../memory/user-layout.ts";
import { ByteReader, ByteWriter } from "./byte-codec.ts";
import { imagePagesMax } from "./process-image.ts";

export const enum MigrationMessageKind {
  MigrateRequest = 20,
  MigrateReply = 21,
  ImagePages = 22,
  LinkUpdate = 23,
  LinkUpdateAck = 24,
  ProcessState = 25,
  MigrateDone = 26,
  MigrateCancel = 27,
  MigrateOrder = 28,
  NameQuery = 29,
  NameAnswer = 30,
  MigrateEnded = 31,
  PageTable = 32,
  PageFetch = 33,
  PageReply = 34,
  PagesReleased = 35,
  LinkDropped = 36,
}

/** The first and last kind byte of a migration message. */
export const migrationKindFirst = 20;
export const migrationKindLast = 36;
/** LinkUpdate's node when the process has ended (its home forgets it). */
export const linkUpdateEnded = 0xffff_ffff;
/** Moves a process may have made: its location versions (2 x moves + 1) stay below 2^32 - 1. */
const movesMax = 0x7fff_fffe;
/** Peers one MigrateRequest may list: both pair tables of a process. */
const linksMax = 2048;
const nameBytesMax = 255;
/** Pages one PageFetch may ask for (a PageTable may list a process's whole allowance). */
export const pageFetchPagesMax = 16;

export interface MigrateRequest {
  kind: MigrationMessageKind.MigrateRequest;
  requestId: number;
  pid: number;
  pageCount: number;
  memoryBytes: number;
  cpuNs: number;
  ageNs: number;
  /** How many times the process had moved before this move (location versions). */
  moves: number;
  /** The link table: every peer it sends to or receives from. */
  links: number[];
}

/**
 * MigrateReply's result when the destination's Starter called cancel_migrate for the request
 * (not a deny): Linux's -ECANCELED, which no guest sees (the source counts it cancelled).
 */
export const replyCancelledByDestination = -125;

/** MigrateReply (0 accept, -errno deny) and MigrateDone (0 installed, -errno not). */
export interface MigrateResult {
  kind: MigrationMessageKind.MigrateReply | MigrationMessageKind.MigrateDone;
  requestId: number;
  result: number;
}

/** ImagePages and ProcessState: a section of the process image (process-image.ts). */
export interface ImageSection {
  kind: MigrationMessageKind.ImagePages | MigrationMessageKind.ProcessState;
  requestId: number;
  bytes: Uint8Array;
}

export interface LinkUpdate {
  kind: MigrationMessageKind.LinkUpdate | MigrationMessageKind.LinkUpdateAck;
  requestId: number;
  pid: number;
  /** LinkUpdate: the process's new node, or linkUpdateEnded; the ack echoes it. */
  node: number;
  /** The notice's version (location-table.ts): an older one than a node holds is ignored. */
  version: number;
}

export interface MigrateCancel {
  kind: MigrationMessageKind.MigrateCancel;
  requestId: number;
}

/** A scripted migration (--migrate) on its way to the node holding the process. */
export interface MigrateOrder {
  kind: MigrationMessageKind.MigrateOrder;
  orderId: number;
  pid: number;
  toNode: number;
  hops: number;
}

export interface NameQuery {
  kind: MigrationMessageKind.NameQuery;
  queryId: number;
  name: string;
}

/** The lowest live pid of the name on the answering node, or 0. */
export interface NameAnswer {
  kind: MigrationMessageKind.NameAnswer;
  queryId: number;
  pid: number;
}

/** How a migration ended: the source tells the destination, for its Starter (only when Starters run). */
export interface MigrateEnded {
  kind: MigrationMessageKind.MigrateEnded;
  requestId: number;
  pid: number;
  /** 0 committed, 1 cancelled, 2 failed (StarterOutcomeCode). */
  outcome: number;
  freezeNs: number;
  totalNs: number;
  bytes: number;
  forwarded: number;
}

/** One page the migrating process holds: its linear address and whether it may write it. */
export interface PageTableEntry {
  linear: number;
  writable: boolean;
}

/**
 * PageTable (pre-copy and copy-on-reference, before ProcessState): every page the process
 * holds at the freeze. Pages listed whose contents did not come stay at the source, to be
 * fetched on reference, when `restAtSource` (copy-on-reference); otherwise the image is broken.
 */
export interface PageTable {
  kind: MigrationMessageKind.PageTable;
  requestId: number;
  restAtSource: boolean;
  entries: PageTableEntry[];
}

/** Copy-on-reference: the destination asks the source for pages (the source's request id). */
export interface PageFetch {
  kind: MigrationMessageKind.PageFetch;
  requestId: number;
  linears: number[];
}

/** The source's answer: 0 and the pages (a pages section), or -errno when it holds none. */
export interface PageReply {
  kind: MigrationMessageKind.PageReply;
  requestId: number;
  result: number;
  bytes: Uint8Array;
}

/** Copy-on-reference: the process ended (or left) before fetching every page; drop them. */
export interface PagesReleased {
  kind: MigrationMessageKind.PagesReleased;
  requestId: number;
}

/**
 * redirect: a node's bound evicted its forwarding link for `pid`, the one a move of version
 * `version` left there; its home strikes the node from the process's link holders.
 */
export interface LinkDropped {
  kind: MigrationMessageKind.LinkDropped;
  pid: number;
  version: number;
}

export type MigrationMessage =
  | MigrateRequest
  | MigrateResult
  | ImageSection
  | LinkUpdate
  | MigrateCancel
  | MigrateOrder
  | NameQuery
  | NameAnswer
  | MigrateEnded
  | PageTable
  | PageFetch
  | PageReply
  | PagesReleased
  | LinkDropped;

export function encodeMigrationMessage(message: MigrationMessage): Uint8Array {
  const writer = new ByteWriter().u8(message.kind);
  switch (message.kind) {
    case MigrationMessageKind.MigrateRequest:
      writer.u32(message.requestId).u32(message.pid).u32(message.pageCount);
      writer.u32(message.memoryBytes).f64(message.cpuNs).f64(message.ageNs);
      writer.u32(message.moves).u32(message.links.length);
      for (const link of message.links) writer.u32(link);
      break;
    case MigrationMessageKind.MigrateReply:
    case MigrationMessageKind.MigrateDone:
      writer.u32(message.requestId).i32(message.result);
      break;
    case MigrationMessageKind.ImagePages:
    case MigrationMessageKind.ProcessState:
      writer.u32(message.requestId).raw(message.bytes);
      break;
    case MigrationMessageKind.LinkUpdate:
    case MigrationMessageKind.LinkUpdateAck:
      writer.u32(message.requestId).u32(message.pid).u32(message.node).u32(message.version);
      break;
    case MigrationMessageKind.MigrateCancel:
      writer.u32(message.requestId);
      break;
    case MigrationMessageKind.MigrateOrder:
      writer.u32(message.orderId).u32(message.pid).u32(message.toNode).u8(message.hops);
      break;
    case MigrationMessageKind.NameQuery:
      writer.u32(message.queryId).text(message.name);
      break;
    case MigrationMessageKind.NameAnswer:
      writer.u32(message.queryId).u32(message.pid);
      break;
    case MigrationMessageKind.MigrateEnded:
      writer.u32(message.requestId).u32(message.pid).u8(message.outcome);
      writer.f64(message.freezeNs).f64(message.totalNs).f64(message.bytes).u32(message.forwarded);
      break;
    case MigrationMessageKind.PageTable:
      writer
        .u32(message.requestId)
        .u8(message.restAtSource ? 1 : 0)
        .u32(message.entries.length);
      for (const entry of message.entries) writer.u32(entry.linear).u8(entry.writable ? 1 : 0);
      break;
    case MigrationMessageKind.PageFetch:
      writer.u32(message.requestId).u32(message.linears.length);
      for (const linear of message.linears) writer.u32(linear);
      break;
    case MigrationMessageKind.PageReply:
      writer.u32(message.requestId).i32(message.result).raw(message.bytes);
      break;
    case MigrationMessageKind.PagesReleased:
      writer.u32(message.requestId);
      break;
    case MigrationMessageKind.LinkDropped:
      writer.u32(message.pid).u32(message.version);
      break;
  }
  return writer.done();
}

/** Decodes one message; throws MigrationFormatError naming the bad field. */
export function decodeMigrationMessage(bytes: Uint8Array): MigrationMessage {
  const reader = new ByteReader(bytes, "migration message");
  const kind = reader.u8("kind");
  let message: MigrationMessage;
  switch (kind) {
    case MigrationMessageKind.MigrateRequest: {
      const requestId = reader.u32("requestId");
      const pid = reader.u32("pid");
      const pageCount = reader.u32("pageCount");
      const memoryBytes = reader.u32("memoryBytes");
      const cpuNs = reader.f64("cpuNs");
      const ageNs = reader.f64("ageNs");
      const moves = reader.u32("moves", 0, movesMax);
      const count = reader.u32("links count", 0, linksMax);
      const links: number[] = [];
      for (let index = 0; index < count; index++) links.push(reader.u32(`links[${index}]`));
      message = { kind, requestId, pid, pageCount, memoryBytes, cpuNs, ageNs, moves, links };
      break;
    }
    case MigrationMessageKind.MigrateReply:
    case MigrationMessageKind.MigrateDone:
      message = {
        kind,
        requestId: reader.u32("requestId"),
        result: reader.i32("result", -4095, 0),
      };
      break;
    case MigrationMessageKind.ImagePages:
    case MigrationMessageKind.ProcessState:
      return {
        kind,
        requestId: reader.u32("requestId"),
        bytes: reader.raw(reader.remaining, "section"),
      };
    case MigrationMessageKind.LinkUpdate:
    case MigrationMessageKind.LinkUpdateAck:
      message = {
        kind,
        requestId: reader.u32("requestId"),
        pid: reader.u32("pid"),
        node: reader.u32("node"),
        version: reader.u32("version"),
      };
      break;
    case MigrationMessageKind.MigrateCancel:
      message = { kind, requestId: reader.u32("requestId") };
      break;
    case MigrationMessageKind.MigrateOrder:
      message = {
        kind,
        orderId: reader.u32("orderId"),
        pid: reader.u32("pid"),
        toNode: reader.u32("toNode"),
        hops: reader.u8("hops"),
      };
      break;
    case MigrationMessageKind.NameQuery:
      message = { kind, queryId: reader.u32("queryId"), name: reader.text("name", nameBytesMax) };
      break;
    case MigrationMessageKind.NameAnswer:
      message = { kind, queryId: reader.u32("queryId"), pid: reader.u32("pid") };
      break;
    case MigrationMessageKind.MigrateEnded:
      message = {
        kind,
        requestId: reader.u32("requestId"),
        pid: reader.u32("pid"),
        outcome: reader.u8("outcome", 2),
        freezeNs: reader.f64("freezeNs"),
        totalNs: reader.f64("totalNs"),
        bytes: reader.f64("bytes"),
        forwarded: reader.u32("forwarded"),
      };
      break;
    case MigrationMessageKind.PageTable: {
      const requestId = reader.u32("requestId");
      const restAtSource = reader.u8("restAtSource", 1) === 1;
      const count = reader.u32("entries count", 0, imagePagesMax);
      const entries: PageTableEntry[] = [];
      let last = -1;
      for (let index = 0; index < count; index++) {
        const linear = reader.u32(`entries[${index}].linear`);
        if (linear % pageSizeBytes !== 0 || linear <= last) {
          reader.fail(`entries[${index}].linear`, "not page aligned and increasing");
        }
        last = linear;
        entries.push({ linear, writable: reader.u8(`entries[${index}].writable`, 1) === 1 });
      }
      message = { kind, requestId, restAtSource, entries };
      break;
    }
    case MigrationMessageKind.PageFetch: {
      const requestId = reader.u32("requestId");
      const count = reader.u32("linears count", 1, pageFetchPagesMax);
      const linears: number[] = [];
      for (let index = 0; index < count; index++) linears.push(reader.u32(`linears[${index}]`));
      message = { kind, requestId, linears };
      break;
    }
    case MigrationMessageKind.PageReply:
      return {
        kind,
        requestId: reader.u32("requestId"),
        result: reader.i32("result", -4095, 0),
        bytes: reader.raw(reader.remaining, "pages"),
      };
    case MigrationMessageKind.PagesReleased:
      message = { kind, requestId: reader.u32("requestId") };
      break;
    case MigrationMessageKind.LinkDropped:
      message = { kind, pid: reader.u32("pid"), version: reader.u32("version") };
      break;
    default:
      return reader.fail("kind", `${kind} is not a migration message kind`);
  }
  reader.end();
  return message;
}
