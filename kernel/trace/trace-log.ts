// The node's trace: one JSON line per event, {t (virtual ns), node, event, ...fields}, in the
// order the kernel makes them. A running SHA-256 over the lines gives the trace hash that
// determinism tests compare; the lines themselves go to an optional sink (the --trace file),
// so a long run keeps no trace in memory. Field order is fixed by construction, so equal
// runs give equal bytes.

import { createHash, type Hash } from "node:crypto";

export type TraceFields = Record<string, number | string | boolean>;

export class TraceLog {
  private readonly hash: Hash = createHash("sha256");

  constructor(
    readonly node: number,
    private readonly sink?: (line: string, timeNs: number) => void,
  ) {}

  record(timeNs: number, event: string, fields: TraceFields = {}): void {
    const t = Math.round(timeNs);
    const line = JSON.stringify({ t, node: this.node, event, ...fields });
    this.hash.update(line);
    this.hash.update("\n");
    this.sink?.(line, t);
  }

  /** The SHA-256 of every line so far, each ended by a newline, in hex. */
  digestHex(): string {
    return this.hash.copy().digest("hex");
  }
}
