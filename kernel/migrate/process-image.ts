// A migrating process as bytes (docs/migration.md, "The process as bytes"): the state section
// (identity, family, registers and EFLAGS, brk, the blocked call, mailbox and pair tables,
// children, CPU time, age) and the pages it has touched. Version 1; every field is checked
// on the way in, so a malformed image is refused with one line naming the field, never
// installed half-checked. Capturing from and installing into a kernel is capture.ts's and
// install.ts's business; this file only fixes the layout.

import { countNames, type MailboxCounts, type MailboxState } from "../ipc/mailbox.ts";
import type { PairSequenceTableState } from "../ipc/pair-sequence-table.ts";
import { IpcStateError } from "../ipc/state-fields.ts";
import {
  mailboxMessagesMax,
  messageBytesMax,
  peersPerProcessMax,
  priorityLevelCount,
  processesPerNodeMax,
  processMemoryBytesMax,
} from "../limits.ts";
import { heapEndAddressMax, pageSizeBytes, userSpaceEndAddress } from "../memory/user-layout.ts";
import { isPid, type Pid, pidNone } from "../process/pid.ts";
import { ProcessState, ResumeAction } from "../process/process.ts";
import { ByteReader, ByteWriter, MigrationFormatError } from "./byte-codec.ts";

export const processImageMagic = 0x49505453; // "STPI" little-endian
export const processImageVersion = 1;
/** The most pages an image may carry: a process's whole memory allowance. */
export const imagePagesMax = processMemoryBytesMax / pageSizeBytes;
/** Children (live or ended, on any node) one image may list. */
export const imageChildrenMax = 4 * processesPerNodeMax;
const nameBytesMax = 255;

/** A child of the migrating process: alive (status undefined) or ended, not yet collected. */
export interface ImageChild {
  pid: Pid;
  status: number | undefined;
}

/** Everything of a process but its pages. */
export interface ProcessStateRecord {
  pid: Pid;
  name: string;
  parentPid: Pid;
  priority: number;
  inJob: boolean;
  /** Ready, BlockedReceive, BlockedWait or Sleeping (a running process is frozen as ready). */
  state: ProcessState;
  resumeAction: ResumeAction;
  resumeResult: number;
  /** The pending wake-up's virtual time (sleep end, receive timeout), or -1 for none. */
  wakeAtNs: number;
  regs: Int32Array;
  eip: number;
  eflags: number;
  cpuNs: number;
  bornAtNs: number;
  brkStartAddress: number;
  brkAddress: number;
  imagePageCount: number;
  stackPageCount: number;
  memoryBytesMax: number;
  mailbox: MailboxState;
  sendSeqs: PairSequenceTableState;
  /** Ended children first in the order they ended, then the live ones. */
  children: ImageChild[];
}

export interface ImagePage {
  /** The page's linear address (page aligned). */
  linear: number;
  writable: boolean;
  bytes: Uint8Array;
}

/** A whole process: what the unit tests and a future checkpoint carry in one piece. */
export interface ProcessImage {
  state: ProcessStateRecord;
  pages: ImagePage[];
}

const movableStates = new Set<number>([
  ProcessState.Ready,
  ProcessState.BlockedReceive,
  ProcessState.BlockedWait,
  ProcessState.Sleeping,
]);
/** EFLAGS bits a CPL 3 process can hold: CF PF AF ZF SF OF DF TF IF, bit 1, AC, ID. */
const eflagsUserMask = 0x00240fd7;
const eflagsFixedOne = 0x2;

function writeMailbox(writer: ByteWriter, mailbox: MailboxState): void {
  writer.u32(mailbox.ownerPid).u32(mailbox.messages.length);
  for (const message of mailbox.messages) {
    writer.u32(message.senderPid).u32(message.receiverPid).f64(message.pairSeq);
    writer.block(new Uint8Array(Buffer.from(message.bytesHex, "hex")));
  }
  writeSeqs(writer, mailbox.expectedSeqs);
  for (const name of countNames) writer.f64(mailbox.counts[name]);
}

function writeSeqs(writer: ByteWriter, table: PairSequenceTableState): void {
  writer.u32(table.entries.length);
  for (const [peer, seq] of table.entries) writer.u32(peer).f64(seq);
}

function readPidField(reader: ByteReader, field: string, allowNone = false): Pid {
  const value = reader.u32(field);
  if (allowNone && value === pidNone) return value;
  if (!isPid(value)) reader.fail(field, `${value} is not a PID`);
  return value;
}

function readSeqs(reader: ByteReader, field: string): PairSequenceTableState {
  const count = reader.u32(`${field} count`, 0, peersPerProcessMax);
  const entries: [Pid, number][] = [];
  for (let index = 0; index < count; index++) {
    entries.push([
      readPidField(reader, `${field}[${index}].peer`),
      reader.f64(`${field}[${index}].seq`),
    ]);
  }
  return { entries };
}

function readMailbox(reader: ByteReader): MailboxState {
  const ownerPid = readPidField(reader, "mailbox.owner");
  const count = reader.u32("mailbox.messages count", 0, mailboxMessagesMax);
  const messages: MailboxState["messages"] = [];
  for (let index = 0; index < count; index++) {
    const at = `mailbox.messages[${index}]`;
    const senderPid = readPidField(reader, `${at}.sender`);
    const receiverPid = readPidField(reader, `${at}.receiver`);
    const pairSeq = reader.f64(`${at}.seq`);
    const bytes = reader.block(`${at}.bytes`, messageBytesMax);
    messages.push({
      senderPid,
      receiverPid,
      pairSeq,
      bytesHex: Buffer.from(bytes).toString("hex"),
    });
  }
  const expectedSeqs = readSeqs(reader, "mailbox.expected");
  const counts = {} as MailboxCounts;
  for (const name of countNames) counts[name] = reader.f64(`mailbox.counts.${name}`);
  return { ownerPid, messages, expectedSeqs, counts };
}

function writeStateBody(writer: ByteWriter, state: ProcessStateRecord): void {
  writer.u32(state.pid).text(state.name).u32(state.parentPid);
  writer
    .u8(state.priority)
    .u8(state.inJob ? 1 : 0)
    .u8(state.state)
    .u8(state.resumeAction);
  writer.i32(state.resumeResult);
  writer.f64(state.wakeAtNs + 1);
  for (const value of state.regs) writer.i32(value);
  writer.u32(state.eip).u32(state.eflags);
  writer.f64(state.cpuNs).f64(state.bornAtNs);
  writer.u32(state.brkStartAddress).u32(state.brkAddress);
  writer.u32(state.imagePageCount).u32(state.stackPageCount).u32(state.memoryBytesMax);
  writeMailbox(writer, state.mailbox);
  writeSeqs(writer, state.sendSeqs);
  writer.u32(state.children.length);
  for (const child of state.children) writer.u32(child.pid).i32(child.status ?? -1);
}

function readStateBody(reader: ByteReader): ProcessStateRecord {
  const pid = readPidField(reader, "pid");
  const name = reader.text("name", nameBytesMax);
  const parentPid = readPidField(reader, "parent", true);
  const priority = reader.u8("priority", priorityLevelCount - 1);
  const inJob = reader.u8("inJob", 1) === 1;
  const state = reader.u8("state") as ProcessState;
  if (!movableStates.has(state)) reader.fail("state", `${state} is not a state a process moves in`);
  const resumeAction = reader.u8("resumeAction", ResumeAction.SetResult) as ResumeAction;
  const resumeResult = reader.i32("resumeResult");
  const wakeAtNs = reader.f64("wakeAtNs") - 1;
  if (wakeAtNs >= 0 && state !== ProcessState.Sleeping && state !== ProcessState.BlockedReceive) {
    reader.fail("wakeAtNs", `a wake-up for a process in state ${state}`);
  }
  const regs = new Int32Array(8);
  for (let index = 0; index < 8; index++) regs[index] = reader.i32(`regs[${index}]`);
  const eip = reader.u32("eip");
  const eflags = reader.u32("eflags");
  if ((eflags & ~eflagsUserMask) !== 0 || (eflags & eflagsFixedOne) === 0) {
    reader.fail("eflags", `0x${eflags.toString(16)} is not a user-mode EFLAGS value`);
  }
  const cpuNs = reader.f64("cpuNs");
  const bornAtNs = reader.f64("bornAtNs");
  const brkStartAddress = reader.u32("brkStart", pageSizeBytes, heapEndAddressMax);
  if (brkStartAddress % pageSizeBytes !== 0) reader.fail("brkStart", "not page aligned");
  const brkAddress = reader.u32("brk", brkStartAddress, heapEndAddressMax);
  const imagePageCount = reader.u32("imagePageCount", 0, imagePagesMax);
  const stackPageCount = reader.u32("stackPageCount", 0, imagePagesMax);
  const memoryBytesMax = reader.u32("memoryBytesMax", pageSizeBytes, 0xffff_f000);
  const mailbox = readMailbox(reader);
  if (mailbox.ownerPid !== pid) reader.fail("mailbox.owner", `${mailbox.ownerPid} is not ${pid}`);
  const sendSeqs = readSeqs(reader, "sendSeqs");
  const childCount = reader.u32("children count", 0, imageChildrenMax);
  const children: ImageChild[] = [];
  const seen = new Set<Pid>();
  for (let index = 0; index < childCount; index++) {
    const childPid = readPidField(reader, `children[${index}].pid`);
    if (seen.has(childPid) || childPid === pid) reader.fail(`children[${index}].pid`, "repeated");
    seen.add(childPid);
    const status = reader.i32(`children[${index}].status`, -1, 255);
    children.push({ pid: childPid, status: status < 0 ? undefined : status });
  }
  return {
    pid,
    name,
    parentPid,
    priority,
    inJob,
    state,
    resumeAction,
    resumeResult,
    wakeAtNs,
    regs,
    eip,
    eflags,
    cpuNs,
    bornAtNs,
    brkStartAddress,
    brkAddress,
    imagePageCount,
    stackPageCount,
    memoryBytesMax,
    mailbox,
    sendSeqs,
    children,
  };
}

function writeHeader(writer: ByteWriter, section: number): void {
  writer.u32(processImageMagic).u32(processImageVersion).u8(section);
}

function readHeader(reader: ByteReader, section: number): void {
  const magic = reader.u32("magic");
  if (magic !== processImageMagic) reader.fail("magic", `0x${magic.toString(16)} is not STPI`);
  const version = reader.u32("version");
  if (version !== processImageVersion) {
    reader.fail("version", `${version} is not the supported version ${processImageVersion}`);
  }
  const found = reader.u8("section");
  if (found !== section) reader.fail("section", `${found}, expected ${section}`);
}

const Section = { state: 1, pages: 2, whole: 3 } as const;

export function encodeProcessState(state: ProcessStateRecord): Uint8Array {
  const writer = new ByteWriter();
  writeHeader(writer, Section.state);
  writeStateBody(writer, state);
  return writer.done();
}

/** Decodes and checks a state section; throws MigrationFormatError naming the field. */
export function decodeProcessState(bytes: Uint8Array): ProcessStateRecord {
  const reader = new ByteReader(bytes, "process state");
  readHeader(reader, Section.state);
  const state = readStateBody(reader);
  reader.end();
  return state;
}

function writePages(writer: ByteWriter, pages: readonly ImagePage[]): void {
  writer.u32(pages.length);
  for (const page of pages) {
    writer
      .u32(page.linear)
      .u8(page.writable ? 1 : 0)
      .raw(page.bytes);
  }
}

function readPages(reader: ByteReader): ImagePage[] {
  const count = reader.u32("pages count", 0, imagePagesMax);
  const pages: ImagePage[] = [];
  let last = -1;
  for (let index = 0; index < count; index++) {
    const at = `pages[${index}]`;
    const linear = reader.u32(`${at}.linear`, pageSizeBytes, userSpaceEndAddress - pageSizeBytes);
    if (linear % pageSizeBytes !== 0) reader.fail(`${at}.linear`, "not page aligned");
    if (linear <= last) reader.fail(`${at}.linear`, "pages must come in increasing order");
    last = linear;
    const writable = reader.u8(`${at}.writable`, 1) === 1;
    pages.push({ linear, writable, bytes: reader.raw(pageSizeBytes, `${at}.bytes`) });
  }
  return pages;
}

/** A run of pages, as one ImagePages message carries them. */
export function encodePages(pages: readonly ImagePage[]): Uint8Array {
  const writer = new ByteWriter();
  writeHeader(writer, Section.pages);
  writePages(writer, pages);
  return writer.done();
}

/** A run of pages in increasing order; throws naming the field. */
export function decodePages(bytes: Uint8Array): ImagePage[] {
  const reader = new ByteReader(bytes, "image pages");
  readHeader(reader, Section.pages);
  const pages = readPages(reader);
  reader.end();
  return pages;
}

export function encodeProcessImage(image: ProcessImage): Uint8Array {
  const writer = new ByteWriter();
  writeHeader(writer, Section.whole);
  writeStateBody(writer, image.state);
  writePages(writer, image.pages);
  return writer.done();
}

/** Decodes and checks a whole image; throws MigrationFormatError naming the field. */
export function decodeProcessImage(bytes: Uint8Array): ProcessImage {
  const reader = new ByteReader(bytes, "process image");
  readHeader(reader, Section.whole);
  const state = readStateBody(reader);
  const pages = readPages(reader);
  reader.end();
  return { state, pages };
}

/** Turns an IPC state refusal (mailbox, pair tables) into the image's error. */
export function asFormatError(error: unknown): MigrationFormatError {
  if (error instanceof MigrationFormatError) return error;
  if (error instanceof IpcStateError)
    return new MigrationFormatError(`process state: ${error.message}`);
  throw error;
}
