// One process's pair sequence numbers, one direction: for each peer, the sequence number of
// the next message of that pair. The sending side keeps one table (the number to stamp next),
// the receiving side another (the number it expects next); both travel with the process when
// it migrates. Comparing a stamp with the receiver's expectation is what makes delivery
// provably exactly-once and FIFO per pair: lower is a duplicate, higher is a gap.
// Bounded at peersPerProcessMax peers; an entry goes when the kernel learns the peer has ended.

import { peersPerProcessMax } from "../limits.ts";
import type { Pid } from "../process/pid.ts";
import { IpcStateError, readArray, readInteger, readPid, readRecord } from "./state-fields.ts";

export interface PairSequenceTableState {
  /** [peer PID, next sequence number], in the order the peers were first seen. */
  entries: [Pid, number][];
}

export class PairSequenceTable {
  private readonly nextSeqByPeer = new Map<Pid, number>();

  constructor(readonly peersMax = peersPerProcessMax) {}

  get size(): number {
    return this.nextSeqByPeer.size;
  }

  /** The next sequence number of the pair with `peerPid`: 0 for a peer never seen. */
  nextSeq(peerPid: Pid): number {
    return this.nextSeqByPeer.get(peerPid) ?? 0;
  }

  /** Whether the pair with `peerPid` has an entry (it was seen and not forgotten). */
  has(peerPid: Pid): boolean {
    return this.nextSeqByPeer.has(peerPid);
  }

  /** Whether one more message with `peerPid` fits: false only for a new peer in a full table. */
  canAdvance(peerPid: Pid): boolean {
    return this.nextSeqByPeer.has(peerPid) || this.nextSeqByPeer.size < this.peersMax;
  }

  /** Counts one more message of the pair. The caller checked canAdvance. */
  advance(peerPid: Pid): void {
    if (!this.canAdvance(peerPid)) {
      throw new RangeError(`pair sequence table full (${this.peersMax} peers)`);
    }
    this.nextSeqByPeer.set(peerPid, this.nextSeq(peerPid) + 1);
  }

  /** Drops the pair: the peer has ended, so a later process with its PID starts afresh. */
  forget(peerPid: Pid): void {
    this.nextSeqByPeer.delete(peerPid);
  }

  getState(): PairSequenceTableState {
    return { entries: [...this.nextSeqByPeer] };
  }

  /** Replaces the table with untrusted state; `where` names it in errors. */
  setState(state: PairSequenceTableState, where = "pairSequences"): void {
    const entries = readArray(readRecord(state, where).entries, `${where}.entries`, this.peersMax);
    const restored = new Map<Pid, number>();
    entries.forEach((entry, index) => {
      const at = `${where}.entries[${index}]`;
      const pair = readArray(entry, at, 2);
      const peerPid = readPid(pair[0], `${at}[0]`);
      if (restored.has(peerPid)) throw new IpcStateError(`${at}[0]: peer ${peerPid} repeated`);
      restored.set(peerPid, readInteger(pair[1], `${at}[1]`, 0, Number.MAX_SAFE_INTEGER));
    });
    this.nextSeqByPeer.clear();
    for (const [peerPid, nextSeq] of restored) this.nextSeqByPeer.set(peerPid, nextSeq);
  }
}
