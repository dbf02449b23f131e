// NASM 2.16's preprocessor functions, expanded after a line's single-line macros: %abs, %num,
// %eval, %str, %strcat, %strlen, %substr, %tok, %count, %sel and %cond, each written
// `%name(arguments)` and evaluated innermost first. Left out: the %is...() functions (the
// %if conditions as values); they stay as written and the line is then refused.

import { type Token, tokenizeLine, tokensToText } from "../lexer.ts";
import { decodeString } from "../strings.ts";
import { stringToken, substring } from "./string-directives.ts";

export interface FunctionContext {
  /** The value of an (already expanded) expression, or undefined after reporting an error. */
  evaluate(tokens: readonly Token[], at: Token, what: string): bigint | undefined;
  error(col: number, message: string): void;
  warning(col: number, message: string): void;
}

const functionNames = new Set([
  "%abs",
  "%num",
  "%eval",
  "%str",
  "%strcat",
  "%strlen",
  "%substr",
  "%tok",
  "%count",
  "%sel",
  "%cond",
]);

/** Calls nested deeper than this are refused (each level recurses once). */
const functionNestingMax = 64;

function isCall(tokens: readonly Token[], i: number): boolean {
  const token = tokens[i]!;
  const open = tokens[i + 1];
  return (
    token.kind === "directive" &&
    functionNames.has(token.text.toLowerCase()) &&
    open?.kind === "op" &&
    open.text === "(" &&
    !open.spaced
  );
}

export function hasFunctionCall(tokens: readonly Token[]): boolean {
  for (let i = 0; i < tokens.length; i++) if (isCall(tokens, i)) return true;
  return false;
}

/** The index of the `)` closing the `(` at `open`, or -1. */
function closingParenthesis(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    const token = tokens[j]!;
    if (token.kind !== "op") continue;
    if (token.text === "(") depth++;
    else if (token.text === ")" && --depth === 0) return j;
  }
  return -1;
}

/** Arguments split at commas outside parentheses; `()` has one, empty (NASM: %count() is 1). */
function splitArguments(tokens: readonly Token[]): Token[][] {
  const pieces: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === "op" && token.text === "(") depth++;
    else if (token.kind === "op" && token.text === ")") depth--;
    if (token.kind === "op" && token.text === "," && depth === 0) pieces.push([]);
    else pieces[pieces.length - 1]!.push(token);
  }
  return pieces;
}

/** A call that failed (already reported): the line's functions give nothing more. */
class FunctionFailed extends Error {}

/** `tokens` with every function call replaced by its result; [] after an error. */
export function expandFunctions(tokens: readonly Token[], context: FunctionContext): Token[] {
  try {
    return expandCalls(tokens, context, 0);
  } catch (error) {
    if (error instanceof FunctionFailed) return [];
    throw error;
  }
}

function expandCalls(tokens: readonly Token[], context: FunctionContext, depth: number): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!isCall(tokens, i)) {
      out.push(token);
      continue;
    }
    const close = closingParenthesis(tokens, i + 1);
    if (close < 0) {
      context.error(token.col, `unterminated \`${token.text}' function`);
      throw new FunctionFailed();
    }
    if (depth >= functionNestingMax) {
      context.error(
        token.col,
        `preprocessor functions nested more than ${functionNestingMax} deep`,
      );
      throw new FunctionFailed();
    }
    const inner = expandCalls(tokens.slice(i + 2, close), context, depth + 1);
    const result = callFunction(token, splitArguments(inner), context);
    if (result === undefined) throw new FunctionFailed();
    result.forEach((piece, k) => {
      out.push(k === 0 ? { ...piece, col: token.col, spaced: token.spaced } : piece);
    });
    i = close;
  }
  return out;
}

function numberTokens(value: bigint, at: Token): Token[] {
  const digits = (magnitude: bigint): Token => ({
    kind: "number",
    text: String(magnitude),
    col: at.col,
    spaced: value >= 0n,
  });
  return value < 0n
    ? [{ kind: "op", text: "-", col: at.col, spaced: true }, digits(-value)]
    : [digits(value)];
}

/** A `%str`/`%strcat` argument: a lone string's bytes, or the tokens' text. */
function stringArgument(tokens: readonly Token[]): Uint8Array {
  if (tokens.length === 1 && tokens[0]!.kind === "string") return decodeString(tokens[0]!.text);
  const text = tokensToText(tokens.map((t, k) => (k === 0 ? { ...t, spaced: false } : t)));
  return new TextEncoder().encode(text);
}

const numberDigits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@_";

/** NASM's stdmac_num: `value` in `base`, `digits` wide (negative or 0: at least that many). */
function formatNumber(value: bigint, digits: bigint, base: bigint): string | undefined {
  let n = BigInt.asUintN(64, value);
  const maxLength = 253n;
  let more: boolean;
  let count: number;
  if (digits < -maxLength || digits > maxLength) return undefined;
  if (digits <= 0n) {
    more = true;
    count = Number(-digits);
  } else {
    more = false;
    count = Number(digits);
  }
  let text = "";
  while (count-- > 0 || (more && n !== 0n)) {
    text = numberDigits[Number(n % base)]! + text;
    n /= base;
  }
  return text;
}

function callFunction(
  token: Token,
  args: Token[][],
  context: FunctionContext,
): Token[] | undefined {
  const name = token.text.toLowerCase();
  const value = (k: number, fallback?: bigint): bigint | undefined => {
    const argument = args[k];
    if ((argument === undefined || argument.length === 0) && fallback !== undefined)
      return fallback;
    return context.evaluate(argument ?? [], token, name);
  };
  const arity = (min: number, max: number): boolean => {
    if (args.length >= min && args.length <= max) return true;
    context.error(
      token.col,
      `\`${token.text}' expects ${min === max ? min : `${min} to ${max}`} arguments`,
    );
    return false;
  };
  switch (name) {
    case "%abs": {
      if (!arity(1, 1)) return undefined;
      const v = value(0);
      if (v === undefined) return undefined;
      return [{ ...token, kind: "number", text: String(v < 0n ? -v : v) }];
    }
    case "%num": {
      if (!arity(1, 3)) return undefined;
      const v = value(0);
      const digits = value(1, -1n);
      const base = value(2, 10n);
      if (v === undefined || digits === undefined || base === undefined) return undefined;
      if (base < 2n || base > 64n) {
        context.error(token.col, `invalid base ${base} given to %num()`);
        return undefined;
      }
      const text = formatNumber(v, digits, base);
      if (text === undefined) {
        context.error(token.col, `digit count ${digits} specified to %num() too large`);
        return undefined;
      }
      return [{ ...token, kind: "string", text: `'${text}'` }];
    }
    case "%eval": {
      const out: Token[] = [];
      for (let k = 0; k < args.length; k++) {
        const v = value(k);
        if (v === undefined) return undefined;
        if (k > 0) out.push({ kind: "op", text: ",", col: token.col, spaced: false });
        out.push(...numberTokens(v, token));
      }
      return out;
    }
    case "%str": {
      const all = args.flatMap((arg, k) =>
        k === 0 ? arg : [{ kind: "op", text: ",", col: token.col, spaced: false } as Token, ...arg],
      );
      const text = tokensToText(all.map((t, k) => (k === 0 ? { ...t, spaced: false } : t)));
      return [stringToken(new TextEncoder().encode(text), token)];
    }
    case "%strcat": {
      const parts = args.map(stringArgument);
      const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
      let offset = 0;
      for (const part of parts) {
        bytes.set(part, offset);
        offset += part.length;
      }
      return [stringToken(bytes, token)];
    }
    case "%strlen":
      if (!arity(1, 1)) return undefined;
      return numberTokens(BigInt(stringArgument(args[0]!).length), token);
    case "%substr": {
      if (!arity(2, 3)) return undefined;
      const start = value(1);
      const count = value(2, -1n);
      if (start === undefined || count === undefined) return undefined;
      const result = substring(stringArgument(args[0]!), start, count, token);
      if ("error" in result) {
        context.error(token.col, result.error);
        return undefined;
      }
      return result.body;
    }
    case "%tok": {
      if (!arity(1, 1)) return undefined;
      const { tokens, error } = tokenizeLine(
        new TextDecoder("latin1").decode(stringArgument(args[0]!)),
      );
      if (error) {
        context.error(token.col, error.message);
        return undefined;
      }
      return tokens.map((t) => ({ ...t, col: token.col }));
    }
    case "%count":
      return numberTokens(BigInt(args.length), token);
    case "%sel": {
      if (args.length < 2) {
        context.error(token.col, "`%sel' expects a selector and at least one argument");
        return undefined;
      }
      const which = value(0);
      if (which === undefined) return undefined;
      if (which < 1n || which >= BigInt(args.length)) {
        context.warning(
          token.col,
          `%sel(${which}) ${which < 1n ? "is not a valid selector" : "exceeds the number of arguments"} [-w+pp-sel-range]`,
        );
        return [];
      }
      return args[Number(which)]!;
    }
    case "%cond": {
      if (!arity(2, 3)) return undefined;
      const test = value(0);
      if (test === undefined) return undefined;
      return test !== 0n ? args[1]! : (args[2] ?? []);
    }
    default:
      return undefined;
  }
}
