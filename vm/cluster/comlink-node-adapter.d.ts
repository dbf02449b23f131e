// comlink ships its Node adapter as an .mjs without a matching declaration; this is its shape.
declare module "comlink/dist/esm/node-adapter.mjs" {
  import type { Endpoint } from "comlink";
  export default function nodeEndpoint(port: unknown): Endpoint;
}
