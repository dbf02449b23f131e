// NASM's string directives, as pure functions from a directive's argument tokens (already
// macro-expanded) to the body of the single-line macro they define: %defstr (the tokens as a
// string), %deftok (a string's text as tokens), %strlen, %substr and %strcat. Each returns
// the new body, or an error message.

import { type Token, tokenizeLine, tokensToText } from "../lexer.ts";
import { decodeString } from "../strings.ts";

export type DirectiveResult = { readonly body: Token[] } | { readonly error: string };

const latin1 = new TextDecoder("latin1");

/** A string token spelling exactly `bytes` (backquoted, with escapes where needed). */
export function stringToken(bytes: Uint8Array, at: Token): Token {
  let text = "`";
  for (const byte of bytes) {
    if (byte === 0x60 || byte === 0x5c) text += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
    else text += `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return { kind: "string", text: `${text}\``, col: at.col, spaced: true };
}

function numberToken(value: number | bigint, at: Token): Token[] {
  const negative = value < 0;
  const digits: Token = {
    kind: "number",
    text: String(negative ? -value : value),
    col: at.col,
    spaced: !negative,
  };
  return negative ? [{ kind: "op", text: "-", col: at.col, spaced: true }, digits] : [digits];
}

/** The bytes of a lone string argument, or undefined. */
function onlyString(tokens: readonly Token[]): Uint8Array | undefined {
  return tokens.length === 1 && tokens[0]!.kind === "string"
    ? decodeString(tokens[0]!.text)
    : undefined;
}

export function defineString(args: readonly Token[], at: Token): DirectiveResult {
  const text = tokensToText(args.map((t, i) => (i === 0 ? { ...t, spaced: false } : t)));
  return { body: [stringToken(new TextEncoder().encode(text), at)] };
}

export function defineTokens(args: readonly Token[]): DirectiveResult {
  const bytes = onlyString(args);
  if (!bytes) return { error: "`%deftok' requires a string as its argument" };
  const { tokens, error } = tokenizeLine(latin1.decode(bytes));
  if (error) return { error: error.message };
  return { body: tokens };
}

export function stringLength(args: readonly Token[], at: Token): DirectiveResult {
  const bytes = onlyString(args);
  if (!bytes) return { error: "`%strlen' requires a string as its argument" };
  return { body: numberToken(bytes.length, at) };
}

export function concatenateStrings(args: readonly Token[], at: Token): DirectiveResult {
  const parts: number[] = [];
  for (const token of args) {
    if (token.kind === "op" && token.text === ",") continue;
    if (token.kind !== "string") return { error: "`%strcat' requires strings as its arguments" };
    for (const byte of decodeString(token.text)) parts.push(byte);
  }
  return { body: [stringToken(Uint8Array.from(parts), at)] };
}

/**
 * `%substr name string start[, length]`: 1-based `start`, `length` 1 by default; a negative
 * length counts from the end (-1 is up to the last character), as in NASM.
 */
export function substring(
  bytes: Uint8Array,
  start: bigint,
  length: bigint | undefined,
  at: Token,
): DirectiveResult {
  const size = BigInt(bytes.length);
  let from = start - 1n;
  let count = length ?? 1n;
  if (count < 0n) count = size - from + count + 1n;
  if (from < 0n) {
    count += from;
    from = 0n;
  }
  if (from > size) from = size;
  if (count < 0n) count = 0n;
  if (from + count > size) count = size - from;
  return { body: [stringToken(bytes.subarray(Number(from), Number(from + count)), at)] };
}
