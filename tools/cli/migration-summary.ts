// The boot summary's line per migration, gathered from the trace as the run goes: who moved
// where, how it ended, its freeze and total time, bytes sent, and the messages it forwarded,
// dropped and had resent (issue 9: "in the trace and in the summary"; issue 10: "each migration
// records messages forwarded, dropped and resent"). Resends happen at the senders' nodes, and a
// redirect's forwarding link passes messages on from the source, both mostly after the
// migration's end there: each `resend` line names the migration (its source node and id), as
// each `forward` line along a link does (the link's node is the source), and is counted into
// that migration's line however late it comes. A copy-on-reference move goes on after its commit while
// the source lends pages: its total time is the time the last page left the source and its
// bytes include the pages served (docs/migration.md), so those figures follow the source's
// `page-lent` and `migrate-residual-end` lines.

/** Lines kept at most (a Starter may move processes all run long); the rest are counted. */
export const summaryMigrationLinesMax = 1024;

export interface EndedMigration {
  /** When it ended, at its source (virtual ns). */
  atNs: number;
  pid: string;
  outcome: string;
  why?: string;
  /** A --migrate by name that never started (the run ended during its name query): its node. */
  unstartedTo?: number;
  /** Absent for a bad --migrate target, which never started. */
  figures?: {
    fromNode: number;
    toNode: number;
    freezeNs: number;
    totalNs: number;
    bytes: number;
    forwarded: number;
    /** recover: sends the source dropped during the transfer, and those resent so far. */
    dropped: number;
    resent: number;
  };
}

type TraceRecord = Record<string, number | string | undefined>;

export class MigrationSummary {
  private readonly ended: EndedMigration[] = [];
  /** Migrations still lending pages, by source node and request id. */
  private readonly lending = new Map<string, EndedMigration>();
  /** Every migration with a line, by source node and request id: its resends are counted in. */
  private readonly byKey = new Map<string, EndedMigration>();
  /** Resends and link forwards seen before their migration's end (bounded as the lines are). */
  private readonly resentEarly = new Map<string, number>();
  private readonly forwardedEarly = new Map<string, number>();
  private leftOut = 0;

  /**
   * Takes the trace lines that matter to the summary (every other line costs a substring
   * test); returns the migration a `migrate-end` line ended.
   */
  onTraceLine(line: string): EndedMigration | undefined {
    if (line.includes('"event":"migrate-end"')) return this.onEnd(JSON.parse(line) as TraceRecord);
    if (line.includes('"event":"migrate-unstarted"')) {
      this.onUnstarted(JSON.parse(line) as TraceRecord);
      return undefined;
    }
    if (line.includes('"event":"resend"')) {
      const resend = JSON.parse(line) as TraceRecord;
      this.countLate(`${resend.source}:${resend.id}`, "resent", this.resentEarly);
    }
    if (line.includes('"event":"forward"') && line.includes('"id":')) {
      const forward = JSON.parse(line) as TraceRecord;
      this.countLate(`${forward.node}:${forward.id}`, "forwarded", this.forwardedEarly);
    }
    if (line.includes('"event":"page-lent"') || line.includes('"event":"migrate-residual-end"')) {
      this.onPagesServed(JSON.parse(line) as TraceRecord);
    }
    return undefined;
  }

  lines(): string[] {
    const lines = this.ended.map(formatMigration);
    if (this.leftOut > 0) lines.push(`... and ${this.leftOut} more migrations`);
    return lines;
  }

  /** A --migrate by name still waiting for its name query at the end: a line, no count. */
  private onUnstarted(order: TraceRecord): void {
    if (!this.roomForLine()) return;
    this.ended.push({
      atNs: Number(order.t),
      pid: String(order.pid),
      outcome: "not started",
      why: String(order.why),
      unstartedTo: Number(order.to),
    });
  }

  /** Whether the summary keeps another line; when it is full, the line is counted as left out. */
  private roomForLine(): boolean {
    if (this.ended.length < summaryMigrationLinesMax) return true;
    this.leftOut++;
    return false;
  }

  private onEnd(end: TraceRecord): EndedMigration {
    const migration: EndedMigration = {
      atNs: Number(end.t),
      pid: String(end.pid),
      outcome: String(end.outcome),
      why: end.why === undefined ? undefined : String(end.why),
    };
    if (end.to !== undefined) {
      migration.figures = {
        fromNode: Number(end.node),
        toNode: Number(end.to),
        freezeNs: Number(end.freezeNs),
        totalNs: Number(end.totalNs),
        bytes: Number(end.bytes),
        forwarded: Number(end.forwarded),
        dropped: Number(end.dropped ?? 0),
        resent: 0,
      };
    }
    if (!this.roomForLine()) return migration;
    const key = `${end.node}:${end.id}`;
    if (migration.figures && end.strategy === "cor" && end.outcome === "committed") {
      this.lending.set(key, migration);
    }
    if (migration.figures) {
      this.byKey.set(key, migration);
      migration.figures.resent = this.resentEarly.get(key) ?? 0;
      this.resentEarly.delete(key);
      migration.figures.forwarded += this.forwardedEarly.get(key) ?? 0;
      this.forwardedEarly.delete(key);
    }
    this.ended.push(migration);
    return migration;
  }

  /**
   * A dropped send resent by its sender's kernel, or a message passed on along a forwarding
   * link: counted for the migration (source node and id in `key`) that dropped it or left the
   * link, or kept in `early` until that migration's line exists.
   */
  private countLate(key: string, figure: "resent" | "forwarded", early: Map<string, number>): void {
    const figures = this.byKey.get(key)?.figures;
    if (figures) {
      figures[figure]++;
      return;
    }
    if (early.has(key) || early.size < summaryMigrationLinesMax) {
      early.set(key, (early.get(key) ?? 0) + 1);
    }
  }

  private onPagesServed(served: TraceRecord): void {
    const key = `${served.node}:${served.id}`;
    const figures = this.lending.get(key)?.figures;
    if (!figures) return;
    figures.totalNs = Math.max(figures.totalNs, Number(served.totalNs));
    figures.bytes = Math.max(figures.bytes, Number(served.bytes));
    if (served.event === "migrate-residual-end") this.lending.delete(key);
  }
}

function formatMigration(migration: EndedMigration): string {
  const why = migration.why === undefined ? "" : ` (${migration.why})`;
  const figures = migration.figures;
  if (migration.unstartedTo !== undefined) {
    return `migration ${migration.pid} -> n${migration.unstartedTo} ${migration.outcome}${why}`;
  }
  if (!figures) return `migration ${migration.pid} ${migration.outcome}${why}`;
  return `migration ${migration.pid} n${figures.fromNode} -> n${figures.toNode} ${migration.outcome}${why}: frozen ${formatMs(figures.freezeNs)}, total ${formatMs(figures.totalNs)}, ${figures.bytes} bytes sent, ${figures.forwarded} messages forwarded, ${figures.dropped} dropped, ${figures.resent} resent`;
}

/** Virtual nanoseconds as the boot summary prints them: milliseconds, 3 decimals. */
export function formatMs(ns: number): string {
  return `${(ns / 1e6).toFixed(3)} ms`;
}
