// Test-only instrumentation of the migration protocol, for the properties of DESIGN.md §7
// (test/property/migration-steps.property.test.ts); the CLI never sets it, and without it the
// protocol runs exactly as without this file. It can call a migration off at a chosen step, as
// a Starter's cancel_migrate landing there would (refused from the commit point on), refuse
// the install of chosen processes at their destination (a refusal after the commit point), and
// trace digests of a process image at each step, so a test can show from the trace alone that
// a cancelled or refused migration left the process bit for bit as it was (invariant 4) and
// that the destination installed the image the source froze (invariant 5). JSON-safe: it is
// handed to every node like the rest of the boot options.

import { createHash } from "node:crypto";
import type { FrozenFacts, Kernel } from "../kernel.ts";
import { formatPid, type Pid } from "../process/pid.ts";
import { type Process, processStateNames } from "../process/process.ts";
import { capturePages, readState } from "./capture.ts";
import { encodePages, encodeProcessState } from "./process-image.ts";

/**
 * Where a cancel lands: before the commit point as the request leaves ("request") or as the
 * destination's accept arrives, before the source acts on it ("reply"); after it once the
 * accept has been acted on ("commit"), once every page is out ("pages"), once the state has
 * left ("state").
 */
export type CancelStep = "request" | "reply" | "commit" | "pages" | "state";

export const cancelStepsBeforeCommit: readonly CancelStep[] = ["request", "reply"];
export const cancelStepsAfterCommit: readonly CancelStep[] = ["commit", "pages", "state"];

export interface MigrationProbe {
  /**
   * The step at which each node calls off the migrations it starts: its request id k (1, 2,
   * ...) is cancelled at cancelSteps[k - 1]; past the end, or "none", it is left alone.
   */
  cancelSteps?: readonly (CancelStep | "none")[];
  /** Pids ("NODE.LOCAL") whose install every destination refuses. */
  refuseInstallOf?: readonly string[];
  /** Trace `migrate-image` events: digests of the image at each step. */
  imageDigests?: boolean;
}

/** Where a `migrate-image` digest is taken. */
export type ImageDigestPoint = "request" | "end" | "freeze" | "sent" | "install" | "resume";

export function cancelStepOf(
  probe: MigrationProbe | undefined,
  requestId: number,
): CancelStep | undefined {
  const step = probe?.cancelSteps?.[requestId - 1];
  return step === undefined || step === "none" ? undefined : step;
}

export function refusesInstall(probe: MigrationProbe | undefined, pid: Pid): boolean {
  return probe?.refuseInstallOf?.includes(formatPid(pid)) ?? false;
}

/**
 * Traces digests of `process`'s image: its pages (addresses, rights and bytes) and its PCB
 * (registers, EFLAGS, brk, the blocked call, mailbox, pair tables, children, CPU time, age),
 * with what it is doing (`facts` when frozen; "running": on the CPU, its saved registers
 * stale) and its wake-up's time, so a test can tell when it may change on its own.
 */
export function traceImageDigest(
  kernel: Kernel,
  process: Process,
  at: ImageDigestPoint,
  requestId: number | undefined,
  facts: FrozenFacts | undefined,
): void {
  const known = facts ?? liveFacts(kernel, process);
  const state = readState(kernel, process, known);
  // The order of live children depends on which of them share the node; the digest does not.
  const ended = state.children.filter((child) => child.status !== undefined);
  const live = state.children.filter((child) => child.status === undefined);
  state.children = [...ended, ...live.sort((a, b) => a.pid - b.pid)];
  const fields: Record<string, string | number | boolean> = { pid: formatPid(process.pid) };
  // The destination does not know the source's request id.
  if (requestId !== undefined) fields.id = requestId;
  kernel.traceEvent("migrate-image", {
    ...fields,
    at,
    pages: digestHex(encodePages(capturePages(kernel, process))),
    pcb: digestHex(encodeProcessState(state)),
    state: process === kernel.current ? "running" : (processStateNames[known.state] ?? "?"),
    wakeAtNs: known.wakeAtNs,
  });
}

function liveFacts(kernel: Kernel, process: Process): FrozenFacts {
  const wakeAtNs =
    process.wakeTimerId === 0 ? -1 : (kernel.wakeups.dueNsOf(process.wakeTimerId) ?? -1);
  return { state: process.state, wakeAtNs };
}

function digestHex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 32);
}
