// How a cluster thread waits for the other side of the quantum exchange: it checks the
// exchange word in a loop for a while, then sleeps on it with Atomics.wait. A futex wake-up
// costs this host (a virtual machine whose idle CPUs halt) about 100 µs, as long as a
// quantum's work, and a sleeping side pays it every quantum (16 busy nodes, W=2, 2 s
// virtual, 10^4 quanta: 1.06 s of wake-up lag with no spinning, 0.12 s spinning). But a
// spinner only helps while the thread it waits for has a core of its own: with more
// runnable threads than cores (more workers than cores, or other programs on the host) it
// takes the core from the very thread it waits for (the demo with W=2 on a host busy with
// other programs: 11.5 s with this budget, over 120 s with 25 ms of spinning). So the budget
// is short when the cluster has more threads than the host has cores, and it adapts: a wait
// that ends while spinning doubles it (up to the start), one that has to sleep halves it.

/**
 * About 2.5 ms of checks: longer than a busy quantum's work (100-200 µs); what outlasts it
 * (a collection, the hypervisor taking the CPU for a 4 ms tick) costs far more than a wake-up.
 */
const ownCoreSpinChecks = 200_000;
/** Enough to catch an answer already on its way; the floor the budget halves down to. */
const sharedCoreSpinChecks = 2_000;

/** The largest budget for `threads` cluster threads on `cores` cores. */
export function spinChecksFor(threads: number, cores: number): number {
  return threads <= cores ? ownCoreSpinChecks : sharedCoreSpinChecks;
}

export class ExchangeWaiter {
  private checks: number;

  constructor(
    private readonly control: Int32Array,
    private readonly maxChecks: number,
  ) {
    this.checks = maxChecks;
  }

  /** Checks the next wait makes before it sleeps. */
  get budgetChecks(): number {
    return this.checks;
  }

  /**
   * Returns once control[index] no longer holds `old`: true, or false when it still held it
   * after sleeping `timeoutMs` in one go.
   */
  waitWhileEquals(index: number, old: number, timeoutMs: number): boolean {
    const checks = this.checks;
    if (spinWhileEquals(this.control, index, old, checks)) {
      this.checks = Math.min(this.maxChecks, checks * 2);
      return true;
    }
    this.checks = Math.max(sharedCoreSpinChecks, checks >> 1);
    return sleepWhileEquals(this.control, index, old, timeoutMs);
  }
}

/**
 * Checks control[index] up to `checks` times; true as soon as it no longer holds `old`. The
 * loop is a function of its own, with nothing after it: V8 optimises a long loop while it
 * runs (on-stack replacement) and reuses that code, so any code after the loop that had not
 * yet run would deoptimise it at every sleep (about 250 times in a 4 s run of 16 busy nodes
 * on two threads), leaving the spin in the interpreter.
 */
function spinWhileEquals(control: Int32Array, index: number, old: number, checks: number): boolean {
  for (let spin = 0; spin < checks; spin++) {
    if (Atomics.load(control, index) !== old) return true;
  }
  return false;
}

/** Sleeps until control[index] no longer holds `old`; false when one sleep of `timeoutMs` ran out. */
function sleepWhileEquals(
  control: Int32Array,
  index: number,
  old: number,
  timeoutMs: number,
): boolean {
  while (Atomics.load(control, index) === old) {
    if (Atomics.wait(control, index, old, timeoutMs) === "timed-out") return false;
  }
  return true;
}
