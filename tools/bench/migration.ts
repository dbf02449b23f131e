// `sterna bench migration`: what moving a process costs, per memory strategy and per way of
// delivering the messages sent to it while it moves (DESIGN.md §5, docs/migration.md).
// - strategies: one process with BYTES resident, rewriting a hot set of 16 pages every
//   millisecond, moved from node 0 to node 1 at 50 ms by `--migrate`; it reads every page
//   once after it has moved. Per strategy: freeze and total time, bytes sent, copy rounds,
//   and the wire time of those bytes at the fabric's bit rate, the floor of any transfer.
// - delivery: the same process with a partner on node 2 that sends it a message every
//   millisecond, moved by direct copy; per delivery method: messages forwarded (those that
//   reached the source while it was frozen or after its state left, and those passed on along
//   its forwarding link afterwards), dropped and resent, residual dependencies, and the
//   partner's added delay (its end with the migration minus its end without).
// Every figure comes from the run's trace (migrate-end, forward, resend, exit), in virtual
// time: the same on every host.
// Run: npx sterna bench migration [--size 10MiB] [--fabric ethernet] [--json] [--svg FILE]

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type DeliveryMethod, deliveryMethods } from "../../kernel/migrate/delivery-method.ts";
import { type MemoryStrategy, memoryStrategies } from "../../kernel/migrate/memory-strategy.ts";
import { createMedium } from "../../vm/fabric/create-medium.ts";
import {
  ethernetBitNs,
  switchedDefaultBitRateMbps,
  tokenRingDefaultBitRateMbps,
} from "../../vm/fabric/network-costs.ts";
import { repositoryRoot } from "../cli/program-file.ts";
import { bootCluster } from "../cluster/boot-cluster.ts";
import { assembleImage } from "./guest-image.ts";
import { lineChartSvg } from "./line-chart-svg.ts";
import { hoarderBytesMin } from "./migration-sizes.ts";

export interface MigrationBenchOptions {
  sizeBytes: number;
  fabric: string;
  json: boolean;
  /** Draw freeze and total time per strategy over sizes up to sizeBytes into this file. */
  svgPath?: string;
  /** Writes one progress line (stderr in the CLI). */
  progress(line: string): void;
  /** Writes the SVG; returns a problem to report, or undefined. */
  writeSvg?(path: string, text: string): string | undefined;
}

export interface StrategyFigures {
  strategy: string;
  size_bytes: number;
  freeze_ms: number;
  total_ms: number;
  bytes_sent: number;
  rounds: number;
  wire_ms: number;
}

export interface DeliveryFigures {
  delivery: string;
  forwarded: number;
  dropped: number;
  resent: number;
  residual: number;
  partner_delay_ms: number;
}

const hoarderName = "migration-hoarder";
const hoarderPath = join(repositoryRoot, "tools", "bench", "programs", `${hoarderName}.asm`);
const moveAtNs = 50_000_000;
const partnerMessages = 200;
const clockHz = 100e6;
const memoryBytes = 64 * 1024 * 1024;

function hoarderImage(defines: Record<string, number>): Uint8Array {
  const prelude = Object.entries(defines)
    .map(([name, value]) => `%define ${name} ${value}\n`)
    .join("");
  return assembleImage(prelude + readFileSync(hoarderPath, "utf8"), hoarderPath);
}

/** How long `bytes` take on the fabric at its bit rate alone: the floor of any transfer. */
function wireNs(bytes: number, fabric: string): number {
  return ((bytes * 8) / fabricBitsPerSecond(fabric)) * 1e9;
}

/** The fabric's bit rate in bits per second, for the wire-time floor. */
export function fabricBitsPerSecond(fabric: string): number {
  const [name, rate] = fabric.split(":");
  if (name === "ethernet") return 1e9 / ethernetBitNs;
  const defaultMbps =
    name === "switched" ? switchedDefaultBitRateMbps : tokenRingDefaultBitRateMbps;
  return (rate === undefined ? defaultMbps : Number(rate)) * 1e6;
}

interface TraceFigures {
  migrationEnd?: Record<string, unknown>;
  /** Messages for the moved process passed on after its migration ended (along its link). */
  forwardedAfterEnd: number;
  resent: number;
  /** Copy-on-reference: the source's last page-lent line (when the last page left it). */
  lastPageLent?: Record<string, unknown>;
  exitNsByPid: Map<string, number>;
}

async function runOnce(
  fabric: string,
  image: Uint8Array,
  nodeCount: number,
  migrate: boolean,
  untilNs: number,
  strategy: MemoryStrategy = "direct",
  delivery: DeliveryMethod = "prevent",
): Promise<TraceFigures> {
  const figures: TraceFigures = { exitNsByPid: new Map(), forwardedAfterEnd: 0, resent: 0 };
  const result = await bootCluster({
    nodeCount,
    workers: 1,
    seed: 1,
    medium: createMedium(fabric, { nodeCount, seed: 1 }),
    files: [{ path: hoarderName, image }],
    runs: [{ path: hoarderName, node: 0, argumentText: "" }],
    untilNs,
    clockHz,
    memoryBytes,
    migrations: migrate ? [{ atNs: moveAtNs, target: "0.1", toNode: 1 }] : [],
    strategy,
    delivery,
    listener: {
      console: () => {},
      report: () => {},
      trace: (line) => {
        const record = JSON.parse(line) as Record<string, unknown>;
        if (record.event === "migrate-end") figures.migrationEnd = record;
        else if (record.event === "page-lent") figures.lastPageLent = record;
        else if (record.event === "resend") figures.resent++;
        else if (record.event === "forward" && figures.migrationEnd && record.pid === "0.1") {
          figures.forwardedAfterEnd++;
        } else if (record.event === "exit") {
          figures.exitNsByPid.set(String(record.pid), Number(record.t));
        }
      },
    },
  });
  if (result.exitStatus !== 0) {
    const statuses = result.processes.map((process) => process.status).join(", ");
    throw new Error(`the bench's processes did not all exit 0 (${result.outcome}: ${statuses})`);
  }
  return figures;
}

/** Virtual time long enough for any transfer the bench makes: 20x the wire time, 5 s at least. */
function untilNsFor(sizeBytes: number, fabric: string): number {
  const transferNs = wireNs(sizeBytes, fabric);
  return Math.max(5e9, 20 * transferNs + moveAtNs);
}

export async function measureStrategy(
  strategy: MemoryStrategy,
  sizeBytes: number,
  fabric: string,
): Promise<StrategyFigures> {
  const image = hoarderImage({ BYTES: sizeBytes });
  const figures = await runOnce(fabric, image, 2, true, untilNsFor(sizeBytes, fabric), strategy);
  const end = figures.migrationEnd;
  if (end?.outcome !== "committed") {
    throw new Error(`the ${strategy} migration did not commit (${String(end?.outcome)})`);
  }
  // Copy-on-reference goes on after the commit: its total time runs to the moment the last
  // page left the source, and its bytes include the pages fetched (page-lender.ts).
  const last = figures.lastPageLent ?? end;
  const bytes = Number(last.bytes);
  return {
    strategy,
    size_bytes: sizeBytes,
    freeze_ms: Number(end.freezeNs) / 1e6,
    total_ms: Number(last.totalNs) / 1e6,
    bytes_sent: bytes,
    rounds: Number(end.rounds),
    wire_ms: wireNs(bytes, fabric) / 1e6,
  };
}

export async function measureDelivery(
  delivery: DeliveryMethod,
  sizeBytes: number,
  fabric: string,
): Promise<DeliveryFigures> {
  const untilNs = untilNsFor(sizeBytes, fabric);
  const moved = await runOnce(
    fabric,
    hoarderImage({ BYTES: sizeBytes, PARTNER_MESSAGES: partnerMessages }),
    3,
    true,
    untilNs,
    "direct",
    delivery,
  );
  const still = await runOnce(
    fabric,
    hoarderImage({ BYTES: sizeBytes, PARTNER_MESSAGES: partnerMessages, EXPECT_MOVE: 0 }),
    3,
    false,
    untilNs,
  );
  const end = moved.migrationEnd;
  if (end?.outcome !== "committed") {
    throw new Error(`the ${delivery} migration did not commit (${String(end?.outcome)})`);
  }
  const partnerEndNs = (figures: TraceFigures) => {
    for (const [pid, atNs] of figures.exitNsByPid) if (pid !== "0.1") return atNs;
    throw new Error("the partner did not exit");
  };
  const movedEndNs = partnerEndNs(moved);
  const stillEndNs = partnerEndNs(still);
  // The senders' kernels count what they resend (trace resend); the source what it dropped and
  // what it passed on until the end; the link what it passed on after.
  return {
    delivery,
    forwarded: Number(end.forwarded) + moved.forwardedAfterEnd,
    dropped: Number(end.dropped),
    resent: moved.resent,
    residual: Number(end.residual),
    partner_delay_ms: (movedEndNs - stillEndNs) / 1e6,
  };
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/** Sizes for the plot: sizeBytes and up to three smaller ones, halving, in whole pages. */
export function plotSizes(sizeBytes: number): number[] {
  const sizes: number[] = [];
  for (
    let size = sizeBytes;
    sizes.length < 4 && size >= hoarderBytesMin;
    size = Math.floor(size / 8192) * 4096
  ) {
    sizes.unshift(size);
  }
  return sizes;
}

export async function runMigrationBench(options: MigrationBenchOptions): Promise<void> {
  const { sizeBytes, fabric } = options;
  const print = (record: object, text: string) =>
    process.stdout.write(`${options.json ? JSON.stringify(record) : text}\n`);
  if (!options.json) {
    print({}, `migration of ${formatBytes(sizeBytes)} resident from node 0 to node 1 on ${fabric}`);
    print({}, "strategy   freeze ms   total ms   bytes sent  rounds   wire ms");
  }
  for (const strategy of memoryStrategies) {
    options.progress(`bench migration: ${strategy}, ${formatBytes(sizeBytes)}...`);
    const figures = await measureStrategy(strategy, sizeBytes, fabric);
    print(
      { bench: "migration", fabric, ...figures },
      `${strategy.padEnd(8)} ${figures.freeze_ms.toFixed(1).padStart(11)} ${figures.total_ms.toFixed(1).padStart(10)} ${String(figures.bytes_sent).padStart(12)} ${String(figures.rounds).padStart(7)} ${figures.wire_ms.toFixed(1).padStart(9)}`,
    );
  }
  if (!options.json) {
    print({}, `with a partner on node 2 sending a message every ms (${partnerMessages} in all)`);
    print({}, "delivery   forwarded  dropped  resent  residual  partner delay ms");
  }
  for (const delivery of deliveryMethods) {
    options.progress(`bench migration: delivery ${delivery}...`);
    const figures = await measureDelivery(delivery, sizeBytes, fabric);
    print(
      { bench: "migration", fabric, size_bytes: sizeBytes, ...figures },
      `${delivery.padEnd(8)} ${String(figures.forwarded).padStart(11)} ${String(figures.dropped).padStart(8)} ${String(figures.resent).padStart(7)} ${String(figures.residual).padStart(9)} ${figures.partner_delay_ms.toFixed(1).padStart(17)}`,
    );
  }
  if (options.svgPath !== undefined) {
    const series: { name: string; points: [number, number][] }[] = [];
    for (const strategy of memoryStrategies) {
      const freeze: [number, number][] = [];
      const total: [number, number][] = [];
      for (const size of plotSizes(sizeBytes)) {
        options.progress(`bench migration: plot, ${strategy}, ${formatBytes(size)}...`);
        const figures = await measureStrategy(strategy, size, fabric);
        freeze.push([size / (1024 * 1024), figures.freeze_ms]);
        total.push([size / (1024 * 1024), figures.total_ms]);
      }
      series.push({ name: `${strategy} freeze`, points: freeze });
      series.push({ name: `${strategy} total`, points: total });
    }
    const svg = lineChartSvg({
      title: `Migration on ${fabric}: freeze and total time`,
      xLabel: "resident MiB",
      yLabel: "ms (virtual)",
      series,
    });
    const problem = options.writeSvg?.(options.svgPath, svg);
    if (problem !== undefined) throw new Error(problem);
  }
}
