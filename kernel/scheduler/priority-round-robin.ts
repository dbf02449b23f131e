// The ready queues of preemptive priority round robin. One FIFO per priority level, 0 the most
// urgent; pickNext takes the head of the most urgent non-empty level, and a process that used
// up its slice rejoins the tail of its level, so equals take turns. The running process and
// the idle process are not in here: pickNext answers pidNone when only idle could run.
//
// Aging, so that no ready process waits forever behind more urgent ones: every pick that
// serves a more urgent level while level L has ready processes counts one starved pick for L;
// after agingPicks of them the head of L moves to the tail of L - 1 and L's count restarts.
// Serving L, or L becoming empty, resets its count. The move lasts until the process runs:
// the kernel makes it ready again at its own priority. Equals keep strict round robin, and
// with N processes ready a process at level L runs within L * N * agingPicks + N picks: at each
// level at most N heads leave before it, one per agingPicks picks at worst. Everything is
// deterministic: FIFO order, no clocks.

import { priorityLevelCount, processesPerNodeMax } from "../limits.ts";
import { type Pid, pidNone } from "../process/pid.ts";
import { PidRing } from "./pid-ring.ts";

export const priorityDefault = 4;
export const agingPicksDefault = 8;

export interface PriorityRoundRobinConfig {
  /** Priority levels (default priorityLevelCount). */
  levelCount?: number;
  /** Starved picks after which a level's head moves up one level (default agingPicksDefault). */
  agingPicks?: number;
  /** Ready processes at most (default processesPerNodeMax). */
  capacity?: number;
}

export class PriorityRoundRobin {
  readonly levelCount: number;
  readonly agingPicks: number;
  readonly capacity: number;
  /** Processes moved up a level by aging, ever (for the trace and statistics). */
  promotions = 0;
  private readonly levels: PidRing[];
  private readonly starvedPicks: Int32Array;
  private readonly levelByPid = new Map<Pid, number>();

  constructor(config: PriorityRoundRobinConfig = {}) {
    this.levelCount = config.levelCount ?? priorityLevelCount;
    this.agingPicks = config.agingPicks ?? agingPicksDefault;
    this.capacity = config.capacity ?? processesPerNodeMax;
    for (const [name, value] of Object.entries({
      levelCount: this.levelCount,
      agingPicks: this.agingPicks,
      capacity: this.capacity,
    })) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`scheduler ${name} must be a positive integer, got ${value}`);
      }
    }
    this.levels = Array.from({ length: this.levelCount }, () => new PidRing(this.capacity));
    this.starvedPicks = new Int32Array(this.levelCount);
  }

  get readyCount(): number {
    return this.levelByPid.size;
  }

  isReady(pid: Pid): boolean {
    return this.levelByPid.has(pid);
  }

  /** The level `pid` waits at now (its priority, or higher after aging); undefined if not ready. */
  levelOf(pid: Pid): number | undefined {
    return this.levelByPid.get(pid);
  }

  /** Appends `pid` to the tail of level `priority`. A PID is queued at most once. */
  makeReady(pid: Pid, priority: number): void {
    if (!Number.isInteger(priority) || priority < 0 || priority >= this.levelCount) {
      throw new RangeError(`priority must be 0..${this.levelCount - 1}, got ${priority}`);
    }
    if (pid === pidNone) throw new RangeError("pid 0 cannot be made ready");
    if (this.levelByPid.has(pid)) throw new RangeError(`pid ${pid} is already ready`);
    if (this.levelByPid.size >= this.capacity) {
      throw new RangeError(`ready queues full (${this.capacity} processes)`);
    }
    this.levels[priority]!.push(pid);
    this.levelByPid.set(pid, priority);
  }

  /** The most urgent level with a ready process, or -1: preempt a running process less urgent. */
  mostUrgentLevel(): number {
    for (let level = 0; level < this.levelCount; level++) {
      if (this.levels[level]!.length > 0) return level;
    }
    return -1;
  }

  /** Removes and returns the process to run next, or pidNone when nothing is ready. */
  pickNext(): Pid {
    const served = this.mostUrgentLevel();
    if (served < 0) return pidNone;
    const pid = this.levels[served]!.shift();
    this.levelByPid.delete(pid);
    this.starvedPicks[served] = 0;
    for (let level = served + 1; level < this.levelCount; level++) {
      if (this.levels[level]!.length === 0) continue;
      this.starvedPicks[level]!++;
      if (this.starvedPicks[level]! >= this.agingPicks) this.promoteHead(level);
    }
    return pid;
  }

  /** Takes `pid` out of the ready queues (it blocked, was killed or migrates); false if absent. */
  remove(pid: Pid): boolean {
    const level = this.levelByPid.get(pid);
    if (level === undefined) return false;
    this.levels[level]!.remove(pid);
    this.levelByPid.delete(pid);
    if (this.levels[level]!.length === 0) this.starvedPicks[level] = 0;
    return true;
  }

  /** The PIDs waiting at `level`, head first (allocates; for tests and traces). */
  queuedAt(level: number): Pid[] {
    return this.levels[level]?.toArray() ?? [];
  }

  private promoteHead(level: number): void {
    const pid = this.levels[level]!.shift();
    this.levels[level - 1]!.push(pid);
    this.levelByPid.set(pid, level - 1);
    this.starvedPicks[level] = 0;
    this.promotions++;
  }
}
