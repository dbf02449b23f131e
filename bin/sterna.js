#!/usr/bin/env node
// Entry for `npx sterna`: runs the TypeScript CLI through tsx's loader, no build step.
import { register } from "tsx/esm/api";

register();
await import("../tools/cli/main.ts");
