// NASM single-line macros (%define, %idefine, %xdefine, %assign): the table and the expansion
// of a line. A macro may be overloaded by parameter count (`foo` and `foo(a, b)` coexist).
// Expansion rescans the replacement but never expands a macro inside its own expansion, so
// `%define a a+1` stops after one step, as in NASM. Replacement tokens take the column of the
// name they replaced, so a diagnostic points at what the user wrote.

import type { Token } from "../lexer.ts";
import { removeDefinitions } from "./macro-definitions.ts";
import { pasteTokens, splitArguments } from "./multi-line-macros.ts";

export interface SingleLineMacro {
  readonly name: string;
  readonly caseInsensitive: boolean;
  /** Parameter names, or null for a macro used without parentheses. */
  readonly params: readonly string[] | null;
  readonly body: readonly Token[];
  /** The last parameter takes the remaining arguments (`%define f(a, rest+)`). */
  readonly greedy?: boolean;
}

/** Values computed at each use (`__LINE__`, `__FILE__`). */
export type BuiltinMacros = (name: string, at: Token) => Token[] | undefined;

const expansionDepthMax = 1000;
const aliasChainMax = 64;
/** Tokens one line may grow to by expansion (a chain of doubling %defines reaches 2^40). */
const expandedTokensMax = 1 << 16;

interface ExpansionBudget {
  tokensLeft: number;
  exceeded: boolean;
}

export class SingleLineMacroTable {
  private readonly exact = new Map<string, SingleLineMacro[]>();
  private readonly folded = new Map<string, SingleLineMacro[]>();
  /** %defalias: a name that stands for another macro's name in every use. */
  private readonly aliases = new Map<string, string>();

  defineAlias(name: string, target: string): void {
    this.aliases.set(name, target);
  }

  /** Removes the alias `name`; false if it was not one. */
  removeAlias(name: string): boolean {
    return this.aliases.delete(name);
  }

  isAlias(name: string): boolean {
    return this.aliases.has(name);
  }

  /** The macro name `name` stands for, through a bounded chain of aliases. */
  private resolve(name: string): string {
    let resolved = name;
    for (let step = 0; step < aliasChainMax && this.aliases.size > 0; step++) {
      const target = this.aliases.get(resolved);
      if (target === undefined) break;
      resolved = target;
    }
    return resolved;
  }

  define(definition: SingleLineMacro): void {
    const macro =
      this.aliases.size > 0 ? { ...definition, name: this.resolve(definition.name) } : definition;
    this.undefineArity(macro.name, macro.params === null ? -1 : macro.params.length);
    const table = macro.caseInsensitive ? this.folded : this.exact;
    const key = macro.caseInsensitive ? macro.name.toLowerCase() : macro.name;
    table.set(key, [macro, ...(table.get(key) ?? [])]);
  }

  /** Removes every definition of `name` (all parameter counts). */
  undefine(written: string): void {
    const name = this.resolve(written);
    this.exact.delete(name);
    this.folded.delete(name.toLowerCase());
  }

  isDefined(name: string): boolean {
    return this.lookup(name).length > 0;
  }

  private undefineArity(name: string, arity: number): void {
    removeDefinitions(
      this.exact,
      this.folded,
      name,
      (m) => (m.params === null ? -1 : m.params.length) === arity,
    );
  }

  private lookup(written: string): readonly SingleLineMacro[] {
    const name = this.aliases.size > 0 ? this.resolve(written) : written;
    const exact = this.exact.get(name);
    const folded = this.folded.get(name.toLowerCase());
    if (!folded) return exact ?? [];
    return exact ? [...exact, ...folded] : folded;
  }

  /**
   * Expands every macro use in `tokens`. `report` receives problems such as runaway
   * recursion; the tokens are then returned as far as they were expanded.
   */
  expand(
    tokens: readonly Token[],
    builtins: BuiltinMacros,
    report: (col: number, message: string) => void,
    /** Called when the line grows past the token limit: the preprocessor stops there. */
    overflow: () => void = () => {},
  ): Token[] {
    if (this.exact.size === 0 && this.folded.size === 0) {
      return this.expandBuiltinsOnly(tokens, builtins);
    }
    const budget = { tokensLeft: expandedTokensMax, exceeded: false };
    const out = this.expandWith(tokens, new Set(), 0, builtins, report, budget);
    if (budget.exceeded) {
      report(
        tokens[0]?.col ?? 1,
        `macro expansion of this line exceeds ${expandedTokensMax} tokens`,
      );
      overflow();
    }
    return out;
  }

  private expandBuiltinsOnly(tokens: readonly Token[], builtins: BuiltinMacros): Token[] {
    let out: Token[] | undefined;
    tokens.forEach((token, index) => {
      const value =
        token.kind === "ident" && !token.escaped ? builtins(token.text, token) : undefined;
      if (value === undefined) {
        out?.push(token);
        return;
      }
      out ??= tokens.slice(0, index);
      out.push(...value);
    });
    return out ?? (tokens as Token[]);
  }

  private expandWith(
    tokens: readonly Token[],
    disabled: Set<SingleLineMacro>,
    depth: number,
    builtins: BuiltinMacros,
    report: (col: number, message: string) => void,
    budget: ExpansionBudget,
  ): Token[] {
    const out: Token[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (budget.exceeded) return out;
      const token = tokens[i]!;
      if (token.kind !== "ident" || token.escaped) {
        out.push(token);
        continue;
      }
      const builtin = builtins(token.text, token);
      if (builtin !== undefined) {
        out.push(...builtin);
        continue;
      }
      const candidates = this.lookup(token.text).filter((m) => !disabled.has(m));
      if (candidates.length === 0) {
        out.push(token);
        continue;
      }
      if (depth >= expansionDepthMax) {
        report(token.col, `single-line macro \`${token.text}' nests too deeply`);
        out.push(...tokens.slice(i));
        return out;
      }
      let macro: SingleLineMacro | undefined;
      let replacement: Token[] | undefined;
      const open = tokens[i + 1];
      if (open?.kind === "op" && open.text === "(") {
        const call = readCallArguments(tokens, i + 1);
        if (call) {
          macro = candidates.find((m) => takesArguments(m, call.args.length));
          if (macro) {
            const args = greedyArguments(macro, call.args).map((arg) =>
              this.expandWith(arg, disabled, depth + 1, builtins, report, budget),
            );
            replacement = substituteBody(macro, args, token);
            i = call.end;
          }
        }
      }
      if (!replacement) {
        macro = candidates.find((m) => m.params === null);
        if (macro) replacement = substituteBody(macro, [], token);
      }
      if (!macro || !replacement) {
        out.push(token);
        continue;
      }
      budget.tokensLeft -= replacement.length;
      if (budget.tokensLeft < 0) {
        budget.exceeded = true;
        return out;
      }
      const inner = new Set(disabled);
      inner.add(macro);
      const expanded = this.expandWith(replacement, inner, depth + 1, builtins, report, budget);
      for (const piece of expanded) out.push(piece);
    }
    return out;
  }
}

function takesArguments(macro: SingleLineMacro, count: number): boolean {
  if (macro.params === null) return false;
  if (macro.greedy) return count >= macro.params.length - 1;
  return macro.params.length === count;
}

/** The arguments with a greedy macro's surplus joined (commas kept) into its last one. */
function greedyArguments(macro: SingleLineMacro, args: Token[][]): Token[][] {
  const count = macro.params!.length;
  if (!macro.greedy) return args;
  if (args.length < count) return [...args, []];
  const rest: Token[] = [...args[count - 1]!];
  for (let k = count; k < args.length; k++) {
    const comma: Token = { kind: "op", text: ",", col: args[k]![0]?.col ?? 1, spaced: false };
    rest.push(comma, ...args[k]!);
  }
  return [...args.slice(0, count - 1), rest];
}

/** The arguments of `name(a, b)` starting at the `(`, and the index of the closing `)`. */
function readCallArguments(
  tokens: readonly Token[],
  openIndex: number,
): { args: Token[][]; end: number } | undefined {
  let depth = 0;
  for (let j = openIndex; j < tokens.length; j++) {
    const text = tokens[j]!.kind === "op" ? tokens[j]!.text : "";
    if (text === "(") depth++;
    else if (text === ")") {
      depth--;
      if (depth === 0) {
        const inner = tokens.slice(openIndex + 1, j);
        return { args: splitTopLevel(inner), end: j };
      }
    }
  }
  return undefined;
}

/** Like splitArguments, but commas inside nested parentheses stay inside the argument. */
function splitTopLevel(tokens: readonly Token[]): Token[][] {
  if (tokens.length === 0) return [];
  const pieces: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === "op" && (token.text === "(" || token.text === "{")) depth++;
    else if (token.kind === "op" && (token.text === ")" || token.text === "}")) depth--;
    if (token.kind === "op" && token.text === "," && depth === 0) {
      pieces.push([]);
      continue;
    }
    pieces[pieces.length - 1]!.push(token);
  }
  return pieces.flatMap((piece) => splitArguments(piece, 1));
}

function substituteBody(macro: SingleLineMacro, args: readonly Token[][], at: Token): Token[] {
  const out: Token[] = [];
  let hasPaste = false;
  const body = macro.body;
  const paramIndex = (token: Token): number =>
    macro.params !== null && token.kind === "ident" && !token.escaped
      ? macro.params.indexOf(token.text)
      : -1;
  /** Whitespace NASM keeps where a `%,` gave no comma: the next token is spaced. */
  let pendingSpace = false;
  for (let k = 0; k < body.length; k++) {
    const bodyToken = body[k]!;
    const index = paramIndex(bodyToken);
    if (bodyToken.kind === "paste") hasPaste = true;
    const first = out.length === 0;
    const spacedHere: boolean = (first ? at.spaced : bodyToken.spaced) || pendingSpace;
    pendingSpace = false;
    if (isConditionalComma(body, k)) {
      if (conditionalCommaStays(body, k + 2, args, paramIndex)) {
        out.push({ ...body[k + 1]!, col: at.col, spaced: spacedHere });
      } else {
        pendingSpace = bodyToken.spaced;
      }
      k++;
    } else if (index >= 0) {
      args[index]!.forEach((argToken, n) => {
        const spaced = n === 0 ? spacedHere : argToken.spaced;
        out.push(macroName({ ...argToken, spaced }, macro, at));
      });
      if (args[index]!.length === 0) pendingSpace = spacedHere;
    } else {
      out.push(macroName({ ...bodyToken, col: at.col, spaced: spacedHere }, macro, at));
    }
  }
  return hasPaste ? pasteTokens(out) : out;
}

/**
 * NASM's `%,`: a comma if the next parameter after it expands to something, or a token comes
 * before that parameter (or before the end when none follows).
 */
function conditionalCommaStays(
  body: readonly Token[],
  from: number,
  args: readonly Token[][],
  paramIndex: (token: Token) => number,
): boolean {
  const next = body[from];
  if (next === undefined) return false;
  const index = paramIndex(next);
  return index < 0 || args[index]!.length > 0;
}

/** `%?` in an expansion is the macro's name as invoked, `%??` as defined (NASM 2.16). */
function macroName(token: Token, macro: SingleLineMacro, at: Token): Token {
  if (token.kind !== "param" || (token.text !== "%?" && token.text !== "%??")) return token;
  const text = token.text === "%?" ? at.text : macro.name;
  return { kind: "ident", text, col: token.col, spaced: token.spaced };
}

function isConditionalComma(tokens: readonly Token[], i: number): boolean {
  const percent = tokens[i]!;
  const comma = tokens[i + 1];
  return (
    percent.kind === "op" &&
    percent.text === "%" &&
    comma?.kind === "op" &&
    comma.text === "," &&
    !comma.spaced
  );
}
