// The worker thread's entry: worker threads do not inherit the parent's TypeScript loader,
// so this plain module registers tsx in the worker, then loads the worker proper.
import { register } from "tsx/esm/api";

register();
await import("./node-worker.ts");
