// Where a module the cluster loads at run time lives (a worker thread's entry, the node
// software), and how it is loaded. Run from the TypeScript sources: beside the code that
// names it, loaded with import(). Run from the CLI bundle (tools/build/cli-bundle.ts): the
// bundle holds it and registers it here under the URL `<bundleEntry>.js` beside the bundle,
// so importing that URL takes the bundle's own copy, without a module loader (the bundle is
// a script compiled from a code cache, where import() is not available); a worker thread
// starts from the file of that name, which takes it from the bundle too.

type ModuleLoader = () => Promise<unknown>;

/** Modules the CLI bundle holds, by the URL that names them; empty when run from sources. */
const bundledModules = new Map<string, ModuleLoader>();

/**
 * `sourcePath` relative to `callerUrl` when the caller is a .ts source, else the bundle
 * entry `bundleEntry`.js beside it.
 */
export function runtimeModuleUrl(callerUrl: string, sourcePath: string, bundleEntry: string): URL {
  return new URL(callerUrl.endsWith(".ts") ? sourcePath : `./${bundleEntry}.js`, callerUrl);
}

/** Called by the CLI bundle as it loads: `loaders` by bundle entry name, the bundle's URL. */
export function registerBundledModules(
  bundleUrl: string,
  loaders: Readonly<Record<string, ModuleLoader>>,
): void {
  for (const [bundleEntry, load] of Object.entries(loaders)) {
    bundledModules.set(runtimeModuleUrl(bundleUrl, "", bundleEntry).href, load);
  }
}

/** The module at `url` (from runtimeModuleUrl): the bundle's copy when it holds one. */
export function importRuntimeModule(url: string): Promise<unknown> {
  return bundledModules.get(url)?.() ?? import(url);
}
