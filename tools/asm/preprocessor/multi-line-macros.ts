// NASM multi-line macros (%macro / %imacro, %rmacro for recursive ones): the definition header (`name 1-3+ .nolist
// defaults`), the table (macros may be overloaded by parameter count), splitting a call's
// arguments (commas, `{...}` groups, a greedy last parameter), and the substitution of %1..%n,
// %0, %00, %{a:b}, %?, %?? and %%local labels into a body line, followed by token pasting.
// Left out: %+1/%-1 condition-code parameters and context-local %$ names.

import type { IncludeSite } from "../diagnostics.ts";
import { type Token, tokenizeLine } from "../lexer.ts";
import { isFloatLiteral } from "../numbers.ts";
import type { MacroExpansionSource } from "./line-sources.ts";
import { removeDefinitions } from "./macro-definitions.ts";
import type { RawLine } from "./source-line.ts";

export interface MultiLineMacro {
  readonly name: string;
  readonly caseInsensitive: boolean;
  readonly minParams: number;
  /** Infinity for `-*`. */
  readonly maxParams: number;
  /** `+`: the last parameter takes the rest of the line, commas included. */
  readonly greedy: boolean;
  /** Defined with %rmacro: may be called from its own expansion. */
  readonly recursive: boolean;
  readonly defaults: readonly (readonly Token[])[];
  readonly body: readonly RawLine[];
  readonly definedAt: IncludeSite;
  /** The body mentions %00, so a label before the call is a parameter, not a line. */
  readonly capturesLabel: boolean;
}

export type MacroHeader = Omit<MultiLineMacro, "body" | "definedAt" | "capturesLabel">;

export interface HeaderError {
  readonly col: number;
  readonly message: string;
}

/** Parses `name min[-max|-*][+] [.nolist] [default, ...]` (the tokens after %macro). */
export function parseMacroHeader(
  tokens: readonly Token[],
  directiveCol: number,
  caseInsensitive: boolean,
  recursive: boolean,
): MacroHeader | HeaderError {
  const nameToken = tokens[0];
  if (nameToken?.kind !== "ident") {
    return { col: nameToken?.col ?? directiveCol, message: "`%macro' expects a macro name" };
  }
  let i = 1;
  const countToken = tokens[i];
  if (countToken?.kind !== "number" || !/^[0-9]+$/.test(countToken.text)) {
    return {
      col: countToken?.col ?? nameToken.col + nameToken.text.length,
      message: "`%macro' expects a parameter count after the macro name",
    };
  }
  const minParams = Number(countToken.text);
  let maxParams = minParams;
  i++;
  if (tokens[i]?.text === "-") {
    const maxToken = tokens[i + 1];
    if (maxToken?.text === "*") {
      maxParams = Number.POSITIVE_INFINITY;
    } else if (maxToken?.kind === "number" && /^[0-9]+$/.test(maxToken.text)) {
      maxParams = Number(maxToken.text);
      if (maxParams < minParams) {
        return { col: maxToken.col, message: "minimum parameter count exceeds maximum" };
      }
    } else {
      return {
        col: maxToken?.col ?? tokens[i]!.col,
        message: "`%macro' expects a maximum parameter count or `*' after `-'",
      };
    }
    i += 2;
  }
  let greedy = false;
  if (tokens[i]?.text === "+") {
    greedy = true;
    i++;
  }
  if (tokens[i]?.kind === "ident" && tokens[i]!.text.toLowerCase() === ".nolist") i++;
  const defaults =
    i < tokens.length ? splitArguments(tokens.slice(i), Number.POSITIVE_INFINITY) : [];
  return {
    name: nameToken.text,
    caseInsensitive,
    recursive,
    minParams,
    maxParams,
    greedy,
    defaults,
  };
}

/** Call arguments split at top-level commas (commas inside `{...}` do not split). */
function splitRaw(tokens: readonly Token[]): { pieces: Token[][]; commas: Token[] } {
  const pieces: Token[][] = [[]];
  const commas: Token[] = [];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === "op" && token.text === "{") depth++;
    else if (token.kind === "op" && token.text === "}") depth--;
    if (token.kind === "op" && token.text === "," && depth === 0) {
      pieces.push([]);
      commas.push(token);
      continue;
    }
    pieces[pieces.length - 1]!.push(token);
  }
  return { pieces, commas };
}

/**
 * Splits call arguments at top-level commas; `{a, b}` keeps a comma inside one argument (the
 * braces are dropped). With `limit` arguments the last one takes the rest of the line.
 */
export function splitArguments(tokens: readonly Token[], limit: number): Token[][] {
  if (tokens.length === 0) return [];
  const { pieces, commas } = splitRaw(tokens);
  return joinTail(pieces, commas, limit).map(stripBraces);
}

/** Pieces from index `limit - 1` on joined back into one, commas included. */
function joinTail(pieces: Token[][], commas: readonly Token[], limit: number): Token[][] {
  if (pieces.length <= limit) return pieces;
  const tail = [...pieces[limit - 1]!];
  for (let k = limit; k < pieces.length; k++) tail.push(commas[k - 1]!, ...pieces[k]!);
  return [...pieces.slice(0, limit - 1), tail];
}

export interface MacroCall {
  readonly macro: MultiLineMacro;
  /** Parameters with defaults filled in: %0 is their count. */
  readonly params: (readonly Token[])[];
  /** A trailing empty argument was dropped or replaced (NASM warns). */
  readonly droppedTrailingEmpty: boolean;
}

/**
 * Picks the definition a call matches and its parameters, with NASM 2.16's legacy handling of
 * a trailing empty argument (`m a,`): it is replaced by a default, or dropped. Returns the
 * argument count when no definition matches.
 */
export function matchCall(
  candidates: readonly MultiLineMacro[],
  argTokens: readonly Token[],
): MacroCall | { readonly argumentCount: number } {
  const { pieces, commas } =
    argTokens.length === 0 ? { pieces: [], commas: [] } : splitRaw(argTokens);
  const count = pieces.length;
  const trailingEmpty = count >= 2 && pieces[count - 1]!.length === 0;
  let macro = selectDefinition(candidates, count);
  let args = pieces;
  if (!macro && trailingEmpty) {
    macro = selectDefinition(candidates, count - 1);
    args = pieces.slice(0, -1);
  } else if (macro && trailingEmpty) {
    const fallback = macro.defaults[count - 1 - macro.minParams];
    if (count > macro.minParams && fallback !== undefined) {
      args = [...pieces.slice(0, -1), [...fallback]];
    } else {
      args = pieces.slice(0, -1);
    }
  }
  if (!macro) return { argumentCount: count };
  if (macro.greedy && Number.isFinite(macro.maxParams)) {
    args = joinTail(args, commas, Math.max(macro.maxParams, 1));
  }
  return {
    macro,
    params: completeParameters(macro, args.map(stripBraces)),
    droppedTrailingEmpty: trailingEmpty,
  };
}

function stripBraces(arg: Token[]): Token[] {
  const first = arg[0];
  const last = arg[arg.length - 1];
  if (arg.length >= 2 && first?.text === "{" && last?.text === "}" && first.kind === "op") {
    let depth = 0;
    for (let i = 0; i < arg.length; i++) {
      if (arg[i]!.text === "{") depth++;
      else if (arg[i]!.text === "}") depth--;
      if (depth === 0 && i < arg.length - 1) return arg;
    }
    return arg.slice(1, -1);
  }
  return arg;
}

/** Multi-line macros by name; several definitions may share a name with different counts. */
export class MultiLineMacroTable {
  private readonly exact = new Map<string, MultiLineMacro[]>();
  private readonly folded = new Map<string, MultiLineMacro[]>();

  define(macro: MultiLineMacro): void {
    const table = macro.caseInsensitive ? this.folded : this.exact;
    const key = macro.caseInsensitive ? macro.name.toLowerCase() : macro.name;
    const others = (table.get(key) ?? []).filter(
      (existing) =>
        existing.minParams !== macro.minParams || existing.maxParams !== macro.maxParams,
    );
    table.set(key, [macro, ...others]);
  }

  /** Removes the definition with exactly this parameter range; false if there was none. */
  undefine(name: string, minParams: number, maxParams: number): boolean {
    return removeDefinitions(
      this.exact,
      this.folded,
      name,
      (m) => m.minParams === minParams && m.maxParams === maxParams,
    );
  }

  /** Every definition under `name` (case-sensitive ones first). */
  lookup(name: string): readonly MultiLineMacro[] {
    const exact = this.exact.get(name) ?? [];
    const folded = this.folded.get(name.toLowerCase()) ?? [];
    if (folded.length === 0) return exact;
    return [...exact, ...folded];
  }

  has(name: string): boolean {
    return this.lookup(name).length > 0;
  }
}

/** The definition that accepts `count` arguments, if any. */
function selectDefinition(
  candidates: readonly MultiLineMacro[],
  count: number,
): MultiLineMacro | undefined {
  return candidates.find(
    (macro) => count >= macro.minParams && (count <= macro.maxParams || macro.greedy),
  );
}

/** The parameters of a call once defaults are filled in (what %0 counts). */
function completeParameters(
  macro: MultiLineMacro,
  args: readonly (readonly Token[])[],
): (readonly Token[])[] {
  const params = [...args];
  for (let i = params.length; i < macro.maxParams; i++) {
    const fallback = macro.defaults[i - macro.minParams];
    if (fallback === undefined) break;
    params.push(fallback);
  }
  return params;
}

const wordKinds = new Set(["ident", "number", "local"]);

function numberToken(value: number, at: Token): Token {
  return { kind: "number", text: String(value), col: at.col, spaced: at.spaced };
}

/** Copies of `tokens` placed at `at` (the first inherits its spacing). */
function placed(tokens: readonly Token[], at: Token): Token[] {
  return tokens.map((token, index) => (index === 0 ? { ...token, spaced: at.spaced } : token));
}

/**
 * Replaces macro parameter references in one body line. Returns undefined when the line has
 * none (the common case: no copy). Message strings for errors go to `report`.
 */
export function substituteParameters(
  tokens: readonly Token[],
  expansion: MacroExpansionSource,
  report: (col: number, message: string) => void,
): Token[] | undefined {
  if (!tokens.some((t) => t.kind === "param" || t.kind === "local" || t.kind === "paste")) {
    return undefined;
  }
  const count = expansion.params.length;
  const param = (n: number): readonly Token[] => {
    if (n < 1 || n > count) return [];
    return expansion.params[(n - 1 + expansion.rotation) % count]!;
  };
  const out: Token[] = [];
  for (const token of tokens) {
    if (token.kind === "local") {
      const name = `..@${expansion.localId}.${token.text.slice(2)}`;
      out.push({ kind: "ident", text: name, col: token.col, spaced: token.spaced });
    } else if (token.kind !== "param") {
      out.push(token);
    } else if (token.text === "%0") {
      out.push(numberToken(count, token));
    } else if (token.text === "%00") {
      out.push(...placed(expansion.label, token));
    } else if (token.text === "%?") {
      out.push({ kind: "ident", text: expansion.invokedAs, col: token.col, spaced: token.spaced });
    } else if (token.text === "%??") {
      out.push({ kind: "ident", text: expansion.macro.name, col: token.col, spaced: token.spaced });
    } else if (token.text[1] === "+" || token.text[1] === "-") {
      const condition = conditionParameter(param(Number(token.text.slice(2))), token.text[1]);
      if (typeof condition === "string") {
        out.push({ kind: "ident", text: condition, col: token.col, spaced: token.spaced });
      } else {
        report(token.col, condition.error.replace("%s", token.text));
      }
    } else if (token.text.startsWith("%{")) {
      const range = parseRange(token.text.slice(2, -1), count);
      if (range === undefined) {
        report(token.col, `invalid macro parameter reference \`${token.text}'`);
        continue;
      }
      const [from, to] = range;
      const step = from <= to ? 1 : -1;
      let first = true;
      for (let n = from; step > 0 ? n <= to : n >= to; n += step) {
        if (!first) out.push({ kind: "op", text: ",", col: token.col, spaced: false });
        out.push(...placed(param(n), first ? token : { ...token, spaced: false }));
        first = false;
      }
    } else {
      out.push(...placed(param(Number(token.text.slice(1))), token));
    }
  }
  return pasteTokens(out);
}

/** NASM's condition codes and their inverses (cxz, ecxz and rcxz have none). */
const inverseConditions: ReadonlyMap<string, string | undefined> = new Map([
  ...(
    [
      ["a", "na"],
      ["ae", "nae"],
      ["b", "nb"],
      ["be", "nbe"],
      ["c", "nc"],
      ["e", "ne"],
      ["g", "ng"],
      ["ge", "nge"],
      ["l", "nl"],
      ["le", "nle"],
      ["o", "no"],
      ["p", "np"],
      ["s", "ns"],
      ["z", "nz"],
      ["pe", "po"],
    ] as const
  ).flatMap(([code, inverse]): [string, string][] => [
    [code, inverse],
    [inverse, code],
  ]),
  ["cxz", undefined],
  ["ecxz", undefined],
  ["rcxz", undefined],
]);

/** `%+1` / `%-1`: the parameter as a condition code (lower case), or inverted. */
function conditionParameter(
  value: readonly Token[],
  sign: string,
): string | { readonly error: string } {
  const code = value.length === 1 && value[0]!.kind === "ident" ? value[0]!.text.toLowerCase() : "";
  if (!inverseConditions.has(code)) {
    return { error: "macro parameter `%s' is not a condition code" };
  }
  if (sign === "+") return code;
  return inverseConditions.get(code) ?? { error: `condition code \`${code}' is not invertible` };
}

/** `%{3}`, `%{2:4}`, `%{-1}` (counting from the end): 1-based bounds, or undefined. */
function parseRange(inner: string, count: number): [number, number] | undefined {
  const match = /^\s*(-?[0-9]+)\s*(?::\s*(-?[0-9]+)\s*)?$/.exec(inner);
  if (!match) return undefined;
  const resolve = (text: string): number => {
    const n = Number(text);
    return n < 0 ? count + n + 1 : n;
  };
  const from = resolve(match[1]!);
  const to = match[2] === undefined ? from : resolve(match[2]);
  return [from, to];
}

/**
 * NASM's token pasting: `%+` joins its neighbours, and words that touch (no space between, as
 * in `%1_suffix` or `.%1`) are joined; the joined text is read again into tokens.
 */
export function pasteTokens(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  let pasteNext = false;
  for (const token of tokens) {
    if (token.kind === "paste") {
      pasteNext = true;
      continue;
    }
    const previous = out[out.length - 1];
    const touches =
      previous !== undefined &&
      !token.spaced &&
      ((wordKinds.has(previous.kind) && wordKinds.has(token.kind)) ||
        continuesExponent(previous, token));
    if (previous !== undefined && (pasteNext || touches)) {
      out.pop();
      out.push(...joinTokens(previous, token));
    } else {
      out.push(token);
    }
    pasteNext = false;
  }
  return out;
}

/**
 * A sign touching a number that ends in its exponent letter (`1e` `+`, from `%1e+%2`): NASM
 * reads the expanded line again as text, where `1e+36` is one float.
 */
function continuesExponent(previous: Token, token: Token): boolean {
  return (
    previous.kind === "number" &&
    token.kind === "op" &&
    (token.text === "+" || token.text === "-") &&
    /[ep]$/i.test(previous.text) &&
    isFloatLiteral(`${previous.text}${token.text}`)
  );
}

/** The joined text read again, as NASM does: `xyzzy` and `1e+10` give `xyzzy1e`, `+`, `10`. */
function joinTokens(left: Token, right: Token): Token[] {
  const text = `${left.escaped ? "$" : ""}${left.text}${right.text}`;
  const { tokens, error } = tokenizeLine(text);
  if (error || tokens.length === 0)
    return [{ kind: "ident", text, col: left.col, spaced: left.spaced }];
  return tokens.map((token, index) => ({
    ...token,
    col: left.col + token.col - 1,
    spaced: index === 0 ? left.spaced : token.spaced,
  }));
}
