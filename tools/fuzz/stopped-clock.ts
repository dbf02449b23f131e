// Wall time that this process spent stopped (SIGSTOP from a job-control shell or a tool that
// quiets niced processes while it measures, a suspended host), told apart from time it ran.
// The campaign and its engine are stopped together, so a watchdog that counted the stopped
// time would report a hang the input never had. A heartbeat every 100 ms sees a stop as a gap
// much longer than its period; the watchdog asks for the time an input really had.

const heartbeatMs = 100;
/** A heartbeat later than this was stopped (an event loop busy for a second is not). */
const gapMsMin = 1000;

export class StoppedClock {
  private stoppedMs = 0;
  private lastBeatMs: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly nowMs: () => number = () => performance.now()) {
    this.lastBeatMs = nowMs();
    this.timer = setInterval(() => this.beat(), heartbeatMs);
    this.timer.unref();
  }

  /** Total stopped time so far; counts a stop that ends just now. */
  stoppedMsSoFar(): number {
    this.beat();
    return this.stoppedMs;
  }

  /** Time since `sinceMs` (from `nowMs`) less what was stopped since `stoppedMsThen`. */
  ranMsSince(sinceMs: number, stoppedMsThen: number): number {
    return this.nowMs() - sinceMs - (this.stoppedMsSoFar() - stoppedMsThen);
  }

  /** Forgets the gap since the last heartbeat: the event loop was blocked (a spawnSync). */
  skipGap(): void {
    this.lastBeatMs = this.nowMs();
  }

  now(): number {
    return this.nowMs();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Also called by hand, so a watchdog that fires before the heartbeat still sees the gap. */
  private beat(): void {
    const now = this.nowMs();
    const gapMs = now - this.lastBeatMs;
    if (gapMs > gapMsMin) this.stoppedMs += gapMs - heartbeatMs;
    this.lastBeatMs = now;
  }
}
