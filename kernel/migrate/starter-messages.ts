// The fixed layouts of the messages a Starter reads and writes (docs/abi.md, "Starter
// messages"; sterna.inc has the same offsets as struc definitions). From its kernel, sent from
// NODE.0xFFFFF: statistics, the request of step 5, the outcome of a migration. Between
// Starters, as ordinary messages: the offer (step 1) and the answer (step 2). Every field is
// little endian; every message starts with its type as a u32. The kernel encodes the first
// three; the offer and answer are encoded here too so the tests (and any host tool) speak
// them exactly as a guest does.

export const StarterMessageType = {
  statistics: 1,
  request: 2,
  outcome: 3,
  offer: 4,
  answer: 5,
} as const;

/** A process's state as statistics report it. */
export const StarterProcessState = {
  /** Ready or running: it wants the CPU. */
  runnable: 0,
  /** Waiting: receive, wait, sleep, or another kernel's answer. */
  blocked: 1,
  /** A migration of it is under way (requested, or frozen). */
  migrating: 2,
} as const;

/** How a migration ended, as the outcome message says. */
export const StarterOutcomeCode = { committed: 0, cancelled: 1, failed: 2 } as const;

/** Statistics header: then the process entries, then the node entries. */
export const StatisticsOffset = {
  type: 0,
  node: 4,
  timeNs: 8,
  processEntries: 16,
  nodeEntries: 18,
  flags: 20,
  /** The node's load record, as nodeinfo writes it (32 bytes). */
  load: 24,
} as const;
export const statisticsHeaderBytes = 56;
/** Statistics flag: not every process or node fitted in the 4096 bytes. */
export const statisticsTruncatedFlag = 1;

export const ProcessEntryOffset = {
  pid: 0,
  state: 4,
  priority: 5,
  ageUs: 8,
  cpuUs: 16,
  memoryBytes: 24,
  messagesSent: 28,
  messagesReceived: 32,
  messagesQueued: 36,
} as const;
export const processEntryBytes = 40;

/** A node heard of: the same 16 bytes as one entry of `loads` (1012). */
export const NodeEntryOffset = {
  node: 0,
  loadPermille: 4,
  runQueueLength: 8,
  processCount: 10,
  ageUs: 12,
} as const;
export const nodeEntryBytes = 16;

export const RequestOffset = {
  type: 0,
  requestId: 4,
  pid: 8,
  fromNode: 12,
  memoryBytes: 16,
  pageCount: 20,
  ageUs: 24,
  cpuUs: 32,
} as const;
export const requestBytes = 40;

export const OutcomeOffset = {
  type: 0,
  pid: 4,
  fromNode: 8,
  toNode: 12,
  outcome: 16,
  forwarded: 20,
  freezeNs: 24,
  totalNs: 32,
  bytes: 40,
} as const;
export const outcomeBytes = 48;

export const OfferOffset = {
  type: 0,
  pid: 4,
  fromNode: 8,
  memoryBytes: 12,
  ageUs: 16,
  cpuUs: 24,
  runnable: 32,
  loadPermille: 36,
} as const;
export const offerBytes = 40;

export const AnswerOffset = { type: 0, pid: 4, node: 8, accept: 12 } as const;
export const answerBytes = 16;

export interface StarterRequest {
  requestId: number;
  pid: number;
  fromNode: number;
  memoryBytes: number;
  pageCount: number;
  ageNs: number;
  cpuNs: number;
}

export interface StarterOutcome {
  pid: number;
  fromNode: number;
  toNode: number;
  outcome: keyof typeof StarterOutcomeCode;
  forwarded: number;
  freezeNs: number;
  totalNs: number;
  bytes: number;
}

export interface StarterOffer {
  pid: number;
  fromNode: number;
  memoryBytes: number;
  ageUs: number;
  cpuUs: number;
  runnable: number;
  loadPermille: number;
}

export interface StarterAnswer {
  pid: number;
  node: number;
  accept: boolean;
}

const u32Max = 0xffff_ffff;

/** A count clamped into a u32 field. */
export function clampU32(value: number): number {
  return Math.max(0, Math.min(u32Max, Math.floor(value)));
}

/** Writes a non-negative integer as a u64 (exact below 2^53, which virtual times stay under). */
export function setU64(view: DataView, offset: number, value: number): void {
  view.setBigUint64(offset, BigInt(Math.max(0, Math.floor(value))), true);
}

function message(bytes: number, type: number): { bytes: Uint8Array; view: DataView } {
  const buffer = new Uint8Array(bytes);
  const view = new DataView(buffer.buffer);
  view.setUint32(0, type, true);
  return { bytes: buffer, view };
}

export function encodeRequest(request: StarterRequest): Uint8Array {
  const { bytes, view } = message(requestBytes, StarterMessageType.request);
  view.setUint32(RequestOffset.requestId, request.requestId, true);
  view.setUint32(RequestOffset.pid, request.pid, true);
  view.setUint32(RequestOffset.fromNode, request.fromNode, true);
  view.setUint32(RequestOffset.memoryBytes, clampU32(request.memoryBytes), true);
  view.setUint32(RequestOffset.pageCount, clampU32(request.pageCount), true);
  setU64(view, RequestOffset.ageUs, request.ageNs / 1000);
  setU64(view, RequestOffset.cpuUs, request.cpuNs / 1000);
  return bytes;
}

export function encodeOutcome(outcome: StarterOutcome): Uint8Array {
  const { bytes, view } = message(outcomeBytes, StarterMessageType.outcome);
  view.setUint32(OutcomeOffset.pid, outcome.pid, true);
  view.setUint32(OutcomeOffset.fromNode, outcome.fromNode, true);
  view.setUint32(OutcomeOffset.toNode, outcome.toNode, true);
  view.setUint32(OutcomeOffset.outcome, StarterOutcomeCode[outcome.outcome], true);
  view.setUint32(OutcomeOffset.forwarded, clampU32(outcome.forwarded), true);
  setU64(view, OutcomeOffset.freezeNs, outcome.freezeNs);
  setU64(view, OutcomeOffset.totalNs, outcome.totalNs);
  setU64(view, OutcomeOffset.bytes, outcome.bytes);
  return bytes;
}

export function encodeOffer(offer: StarterOffer): Uint8Array {
  const { bytes, view } = message(offerBytes, StarterMessageType.offer);
  view.setUint32(OfferOffset.pid, offer.pid, true);
  view.setUint32(OfferOffset.fromNode, offer.fromNode, true);
  view.setUint32(OfferOffset.memoryBytes, clampU32(offer.memoryBytes), true);
  setU64(view, OfferOffset.ageUs, offer.ageUs);
  setU64(view, OfferOffset.cpuUs, offer.cpuUs);
  view.setUint32(OfferOffset.runnable, clampU32(offer.runnable), true);
  view.setUint32(OfferOffset.loadPermille, clampU32(offer.loadPermille), true);
  return bytes;
}

export function encodeAnswer(answer: StarterAnswer): Uint8Array {
  const { bytes, view } = message(answerBytes, StarterMessageType.answer);
  view.setUint32(AnswerOffset.pid, answer.pid, true);
  view.setUint32(AnswerOffset.node, answer.node, true);
  view.setUint32(AnswerOffset.accept, answer.accept ? 1 : 0, true);
  return bytes;
}

/** The type of a Starter message, or undefined when it is too short to have one. */
export function starterMessageType(bytes: Uint8Array): number | undefined {
  if (bytes.length < 4) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
}
