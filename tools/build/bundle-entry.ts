// The entry of the CLI bundle (dist/cli/sterna.cjs, built by cli-bundle.ts): every module the
// CLI runs, each evaluated only when asked for, so loading the bundle runs almost nothing.
// The command line is `main`; the others are the modules a cluster loads by URL, registered
// so that such a URL gives the bundle's own copy (vm/cluster/module-location.ts) and a
// thread never holds two copies of the machine and the kernel.

import { registerBundledModules } from "../../vm/cluster/module-location.ts";

const clusterModules = {
  "node-worker": () => import("../../vm/cluster/node-worker.ts"),
  "node-entry": () => import("../../kernel/boot/node-entry.ts"),
  "null-node-software": () => import("../bench/null-node-software.ts"),
};

registerBundledModules(import.meta.url, clusterModules);

export type ClusterModuleName = keyof typeof clusterModules;

export const runtimeModules = {
  main: () => import("../cli/main.ts"),
  ...clusterModules,
};
