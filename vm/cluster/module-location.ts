// Where a module the cluster loads at run time lives (a worker thread's entry, the node
// software): run from the TypeScript sources, beside the code that names it; run from the
// CLI bundle (tools/build/cli-bundle.ts), as one of the bundle's named entries in dist/cli,
// beside the chunk holding the caller. The bundle's workers then start from plain
// JavaScript, without transpiling the machine and the kernel again in every thread.

/**
 * `sourcePath` relative to `callerUrl` when the caller is a .ts source, else the bundle
 * entry `bundleEntry`.js beside it.
 */
export function runtimeModuleUrl(callerUrl: string, sourcePath: string, bundleEntry: string): URL {
  return new URL(callerUrl.endsWith(".ts") ? sourcePath : `./${bundleEntry}.js`, callerUrl);
}
