// NASM's preprocessor, run once before the assembler's passes: %include, %define and friends,
// %macro, %rep, %if and its variants, %error/%warning/%fatal, %rotate. It turns the source into
// logical lines of tokens, each remembering its file, line, include chain and (for macro
// expansions) the call site. Labels are invisible here, as in NASM: %if sees only numbers and
// macros. Left out: context stacks (%push/%pop/%$name), %local/%arg, string functions
// (%strlen, %substr), %[...] and %!env.

import type { DiagnosticSink, SourceLocation } from "../diagnostics.ts";
import { evaluate } from "../expression/evaluate.ts";
import { ExpressionSyntaxError, parseExpression } from "../expression/parse-expression.ts";
import { type Token, tokenizeLine, tokensToText } from "../lexer.ts";
import { decodeString } from "../strings.ts";
import { ConditionalStack } from "./conditionals.ts";
import { FileSource, type LineSource, MacroExpansionSource, RepSource } from "./line-sources.ts";
import {
  type MacroHeader,
  type MultiLineMacro,
  MultiLineMacroTable,
  matchCall,
  parseMacroHeader,
  pasteTokens,
  substituteParameters,
} from "./multi-line-macros.ts";
import { expandFunctions, hasFunctionCall } from "./preprocessor-functions.ts";
import { SingleLineMacroTable } from "./single-line-macros.ts";
import type { LogicalLine, RawLine } from "./source-line.ts";
import { StackFrame } from "./stack-frame.ts";
import {
  type MacroParameterRange,
  parameterRangesOverlap,
  standardMacros,
} from "./standard-macros.ts";
import { refusedPackages, standardPackageText } from "./standard-packages.ts";
import { standardMacroTokens } from "./standard-single-line-macros.ts";
import {
  concatenateStrings,
  type DirectiveResult,
  defineString,
  defineTokens,
  stringLength,
  substring,
} from "./string-directives.ts";

export interface PreprocessorOptions {
  /** Returns a file's text, or undefined if it cannot be read. */
  readonly readFile?: (path: string) => string | undefined;
  /** Directories searched (after the name as given) by %include. */
  readonly includePaths: readonly string[];
  /** Published to the source as __OUTPUT_FORMAT__. */
  readonly outputFormat: "bin" | "elf";
  /** Environment variables %ifenv sees (none unless given: the output stays reproducible). */
  readonly environment?: Readonly<Record<string, string>>;
  /** The clock of __?DATE?__, __?TIME?__ and friends. */
  readonly now: Date;
}

const includeDepthMax = 64;
const contextDepthMax = 10_000;
/** Bytes of one source or included file, and of all files included (a %rep may repeat one). */
export const includeFileBytesMax = 16 * 1024 * 1024;
const includedBytesMax = 64 * 1024 * 1024;
const macroDepthMax = 1000;
const repCountMax = 1_000_000;
const outputLinesMax = 5_000_000;
/** Tokens in the whole preprocessed program: the parser builds objects for each of them. */
const outputTokensMax = 4_000_000;

/** Lines still being gathered into a %macro or %rep body. */
interface Collector {
  readonly kind: "macro" | "rep";
  readonly header?: MacroHeader;
  readonly count: number;
  readonly body: RawLine[];
  depth: number;
  readonly location: SourceLocation;
  readonly col: number;
}

const conditionKinds = new Set([
  "",
  "def",
  "idn",
  "idni",
  "num",
  "str",
  "id",
  "empty",
  "macro",
  "ctx",
  "token",
  "env",
  "defalias",
]);

/** "if", "ifn", "ifdef", "elifnidni"... -> the branch kind and test, or undefined. */
function parseConditional(
  name: string,
): { branch: "if" | "elif"; kind: string; negated: boolean } | undefined {
  const branch = name.startsWith("if") ? "if" : name.startsWith("elif") ? "elif" : undefined;
  if (!branch) return undefined;
  const rest = name.slice(branch.length);
  if (conditionKinds.has(rest)) return { branch, kind: rest, negated: false };
  if (rest.startsWith("n") && conditionKinds.has(rest.slice(1))) {
    return { branch, kind: rest.slice(1), negated: true };
  }
  return undefined;
}

/** Rounds of pasting and expanding again after a line's expansion (NASM loops until done). */
const touchingPasteRoundsMax = 16;

/** A name followed, without space, by a name or number: only expansion produces that. */
function hasTouchingWords(tokens: readonly Token[]): boolean {
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (
      !token.spaced &&
      (token.kind === "ident" || token.kind === "number") &&
      tokens[i - 1]!.kind === "ident"
    ) {
      return true;
    }
  }
  return false;
}

/** Joins each name with the names and numbers touching it (NASM's implicit pasting). */
function pasteTouchingWords(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    const previous = out[out.length - 1];
    if (
      previous?.kind === "ident" &&
      !token.spaced &&
      (token.kind === "ident" || token.kind === "number")
    ) {
      out[out.length - 1] = { ...previous, text: previous.text + token.text };
    } else {
      out.push(token);
    }
  }
  return out;
}

const unsupportedDirectives = new Set(["line", "depend", "clear"]);

export interface PreprocessedSource {
  readonly lines: LogicalLine[];
  /** A limit (or %fatal) stopped the preprocessor: the lines are incomplete. */
  readonly stopped: boolean;
}

export function preprocess(
  source: string,
  fileName: string,
  options: PreprocessorOptions,
  sink: DiagnosticSink,
): PreprocessedSource {
  const preprocessor = new Preprocessor(options, sink);
  const lines = preprocessor.run(source, fileName);
  return { lines, stopped: preprocessor.stopped };
}

class Preprocessor {
  private readonly singleLine = new SingleLineMacroTable();
  private readonly multiLine = new MultiLineMacroTable();
  private readonly conditionals = new ConditionalStack();
  private readonly stack: LineSource[] = [];
  private readonly output: LogicalLine[] = [];
  private collector: Collector | undefined;
  private nextLocalId = 1;
  /** `bits` in force, for __?BITS?__ (bin starts in 16-bit code, elf in 32-bit). */
  private bits: 16 | 32;
  /** The context stack (%push/%pop), innermost last. */
  private readonly contexts: { name: string; readonly id: number }[] = [];
  private outputTokens = 0;
  private includedBytes = 0;
  stopped = false;
  /** Standard packages already loaded by `%use` (each loads once). */
  private readonly usedPackages = new Set<string>();
  /** %stacksize, %arg and %local's offsets. */
  private readonly stackFrame = new StackFrame();
  private location: SourceLocation = { file: "", line: 0, includedFrom: [] };

  constructor(
    private readonly options: PreprocessorOptions,
    private readonly sink: DiagnosticSink,
  ) {
    this.bits = options.outputFormat === "bin" ? 16 : 32;
  }

  run(source: string, fileName: string): LogicalLine[] {
    const format = this.options.outputFormat === "elf" ? "elf32" : "bin";
    for (const name of ["__OUTPUT_FORMAT__", "__?OUTPUT_FORMAT?__"]) {
      this.defineText(name, format);
    }
    this.defineText("__STERNA_ASM__", "1");
    if (source.length > includeFileBytesMax) {
      this.sink.error(
        { file: fileName, line: 1, includedFrom: [] },
        1,
        `source is larger than ${includeFileBytesMax} bytes`,
      );
      return this.output;
    }
    this.stack.push(new FileSource(fileName, source, [], 0));
    while (this.stack.length > 0 && !this.stopped) {
      const top = this.stack[this.stack.length - 1]!;
      const line = top.next();
      if (line === undefined) {
        this.leave();
        continue;
      }
      this.location = line.location;
      this.processLine(line);
    }
    if (this.collector && !this.stopped) {
      const what = this.collector.kind === "macro" ? "%macro" : "%rep";
      this.error(this.collector.col, `unterminated \`${what}'`, this.collector.location);
    }
    return this.output;
  }

  private defineText(name: string, value: string): void {
    this.singleLine.define({
      name,
      caseInsensitive: false,
      params: null,
      body: [{ kind: "ident", text: value, col: 1, spaced: true }],
    });
  }

  private error(col: number, message: string, location = this.location): void {
    this.sink.error(location, col, message, this.output.length);
  }

  private warning(col: number, message: string, location = this.location): void {
    this.sink.warning(location, col, message, this.output.length);
  }

  /** Pops the finished top source; an %if it left open is an error. */
  private leave(): void {
    const source = this.stack.pop()!;
    for (const frame of this.conditionals.truncate(source.conditionalDepth)) {
      this.error(frame.col, "unterminated `%if'", frame.location);
    }
  }

  private innermostMacro(): MacroExpansionSource | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const source = this.stack[i]!;
      if (source.kind === "macro") return source;
    }
    return undefined;
  }

  private processLine(raw: RawLine): void {
    if (this.collector) {
      this.collect(raw);
      return;
    }
    if (raw.lexError) {
      if (this.conditionals.active) this.error(raw.lexError.col, raw.lexError.message);
      return;
    }
    let tokens = this.contextLocalNames(raw.tokens);
    const first = tokens[0];
    const directive = first?.kind === "directive" ? first.text.slice(1).toLowerCase() : "";
    const conditional = directive === "" ? undefined : parseConditional(directive);
    const isBranchDirective = conditional || directive === "else" || directive === "endif";
    if (!isBranchDirective && !this.conditionals.active) return;

    const macro = this.innermostMacro();
    if (macro) {
      const substituted = substituteParameters(tokens, macro, (col, message) =>
        this.error(col, message),
      );
      if (substituted) tokens = substituted;
    }
    if (first?.kind === "directive") {
      const args = tokens.slice(1);
      if (conditional) this.branch(conditional, first, args);
      else if (directive === "else") {
        this.reportIf(
          first,
          this.conditionals.otherwise((message) => this.warning(first.col, message)),
        );
      } else if (directive === "endif") this.reportIf(first, this.conditionals.close());
      else this.directive(directive, first, args);
      return;
    }
    if (tokens.length === 0) return;
    let expanded = this.expand(tokens);
    // `%1` outside any macro call (`%?` and `%??` are single-line macros' names, above).
    const stray = macro ? undefined : expanded.find((token) => token.kind === "param");
    if (stray) {
      this.error(stray.col, `\`${stray.text}': not in a macro call`);
      return;
    }
    // `%+` pastes on any line, not only in macro bodies (`start_ %+ n:` in a %rep).
    if (expanded.some((token) => token.kind === "paste")) expanded = pasteTokens(expanded);
    if (expanded.length === 0) return;
    if (this.invokeMultiLineMacro(expanded)) return;
    this.noteBits(expanded);
    this.emit(expanded, raw.text);
  }

  /**
   * `%$name` (and `%$$name` one context further down) as the identifier `..@ID.name`, ID
   * being the context's: the name is then local to that context, as NASM makes it. Outside
   * any context that is an error, reported only in live code.
   */
  private contextLocalNames(tokens: readonly Token[]): readonly Token[] {
    if (!tokens.some(isContextLocal)) return tokens;
    const braced = tokens.some((token) => token.kind === "param" && isContextLocal(token));
    const named = tokens.flatMap((token): Token[] => {
      if (!isContextLocal(token)) return [token];
      // `%{$name}` is the braced spelling of `%$name`.
      const text = token.kind === "param" ? `%${token.text.slice(2, -1)}` : token.text;
      let dollars = 1;
      while (text[1 + dollars] === "$") dollars++;
      const context = this.contexts[this.contexts.length - dollars];
      if (!context) {
        if (this.conditionals.active) {
          const what =
            this.contexts.length === 0 ? "the context stack is empty" : "no such context";
          this.error(token.col, `\`${token.text}': ${what}`);
        }
        return [token];
      }
      const name = `..@${context.id}.${text.slice(1 + dollars)}`;
      const ident: Token = { kind: "ident", text: name, col: token.col, spaced: token.spaced };
      // The braced form is read, not defined: it stands for the macro's value, so that
      // `%{$name}.field` pastes the value and not the name.
      if (token.kind === "param" && this.singleLine.isDefined(name)) return this.expand([ident]);
      return [ident];
    });
    // `%{$name}.field` is one word once the value is in place, as NASM reads it.
    return braced ? pasteTokens(named) : named;
  }

  /** Follows `bits N`, `[bits N]`, `use16` and `use32` for __?BITS?__. */
  private noteBits(tokens: readonly Token[]): void {
    const bracketed = tokens[0]?.kind === "op" && tokens[0].text === "[";
    const word = tokens[bracketed ? 1 : 0];
    if (word?.kind !== "ident") return;
    const lower = word.text.toLowerCase();
    if (lower === "use16" || lower === "use32") this.bits = lower === "use16" ? 16 : 32;
    const value = tokens[bracketed ? 2 : 1];
    if (lower === "bits" && (value?.text === "16" || value?.text === "32")) {
      this.bits = value.text === "16" ? 16 : 32;
    }
  }

  private emit(tokens: readonly Token[], text: string): void {
    this.outputTokens += tokens.length;
    if (this.output.length >= outputLinesMax || this.outputTokens > outputTokensMax) {
      const limit =
        this.output.length >= outputLinesMax
          ? `${outputLinesMax} lines`
          : `${outputTokensMax} tokens`;
      this.error(tokens[0]?.col ?? 1, `preprocessor output exceeds ${limit}`);
      this.stopped = true;
      return;
    }
    this.output.push({ tokens, location: this.location, text, order: this.output.length });
  }

  private reportIf(token: Token, message: string | undefined): void {
    if (message !== undefined) this.error(token.col, message);
  }

  private expand(tokens: readonly Token[]): Token[] {
    let expanded = this.expandMacros(tokens);
    // NASM pastes a name and the name or number touching it after expansion (`%$a%$n`, with
    // %$n defined as 0, is `%$a0`), and expands again until nothing more is pasted.
    for (let round = 0; round < touchingPasteRoundsMax && hasTouchingWords(expanded); round++) {
      expanded = this.expandMacros(pasteTouchingWords(expanded));
    }
    return expanded;
  }

  private expandMacros(tokens: readonly Token[]): Token[] {
    const expanded = this.singleLine.expand(
      tokens,
      (name, at) => this.builtin(name, at),
      (col, message) => this.error(col, message),
      () => {
        this.stopped = true;
      },
    );
    if (!hasFunctionCall(expanded)) return expanded;
    return expandFunctions(expanded, {
      evaluate: (argument, at, name) => this.evaluateExpanded(argument, at, name),
      error: (col, message) => this.error(col, message),
      warning: (col, message) => this.warning(col, message),
    });
  }

  private builtin(name: string, at: Token): Token[] | undefined {
    if (name === "__LINE__" || name === "__?LINE?__") {
      return [{ kind: "number", text: String(this.location.line), col: at.col, spaced: at.spaced }];
    }
    if (name === "__FILE__" || name === "__?FILE?__") {
      const quoted = `'${this.location.file.replaceAll("'", "")}'`;
      return [{ kind: "string", text: quoted, col: at.col, spaced: at.spaced }];
    }
    if (!name.startsWith("__")) return undefined;
    return standardMacroTokens(name, this.bits, this.options.now, at);
  }

  // ---- %macro and %rep bodies

  private collect(raw: RawLine): void {
    const collector = this.collector!;
    const first = raw.tokens[0];
    const name = first?.kind === "directive" ? first.text.slice(1).toLowerCase() : "";
    const opens = collector.kind === "macro" ? ["macro", "imacro", "rmacro", "irmacro"] : ["rep"];
    const closes = collector.kind === "macro" ? ["endmacro", "endm"] : ["endrep"];
    if (opens.includes(name)) collector.depth++;
    if (closes.includes(name)) {
      collector.depth--;
      if (collector.depth === 0) {
        this.collector = undefined;
        this.finishCollecting(collector);
        return;
      }
    }
    collector.body.push(raw);
  }

  private finishCollecting(collector: Collector): void {
    if (collector.kind === "rep") {
      if (collector.count > 0) {
        this.stack.push(new RepSource(collector.body, collector.count, this.conditionals.depth));
      }
      return;
    }
    const header = collector.header!;
    const capturesLabel = collector.body.some((line) =>
      line.tokens.some((token) => token.kind === "param" && token.text === "%00"),
    );
    this.multiLine.define({
      ...header,
      body: collector.body,
      definedAt: { file: collector.location.file, line: collector.location.line },
      capturesLabel,
    });
  }

  /** Definitions of `name` that may be called here: a plain %macro is not re-entered. */
  private callable(name: string): readonly MultiLineMacro[] {
    const found = this.multiLine.lookup(name);
    if (found.length === 0) return found;
    return found.filter(
      (macro) =>
        macro.recursive ||
        !this.stack.some((source) => source.kind === "macro" && source.macro === macro),
    );
  }

  /** Expands a multi-line macro call on this line, if it is one. */
  private invokeMultiLineMacro(tokens: readonly Token[]): boolean {
    const first = tokens[0]!;
    if (first.kind !== "ident" || first.escaped) return false;
    let nameIndex = 0;
    let candidates = this.callable(first.text);
    let hasColon = false;
    if (candidates.length === 0) {
      // NASM also expands `label: macro args` and `label macro args`.
      hasColon = tokens[1]?.kind === "op" && tokens[1].text === ":";
      nameIndex = hasColon ? 2 : 1;
      const second = tokens[nameIndex];
      if (second?.kind !== "ident" || second.escaped) return false;
      candidates = this.callable(second.text);
      if (candidates.length === 0) return false;
    }
    const nameToken = tokens[nameIndex]!;
    const call = matchCall(candidates, tokens.slice(nameIndex + 1));
    if ("argumentCount" in call) {
      const count = call.argumentCount;
      this.warning(
        nameToken.col,
        `multi-line macro \`${nameToken.text}' exists, but not taking ${count} parameter${count === 1 ? "" : "s"} [-w+pp-macro-params-multi]`,
      );
      return false;
    }
    if (call.droppedTrailingEmpty) {
      this.warning(
        nameToken.col,
        `dropping trailing empty parameter in call to multi-line macro \`${nameToken.text}' [-w+pp-macro-params-legacy]`,
      );
    }
    const macro = call.macro;
    if (this.stack.filter((source) => source.kind === "macro").length >= macroDepthMax) {
      this.error(nameToken.col, `macro \`${nameToken.text}' nests more than ${macroDepthMax} deep`);
      return true;
    }
    const label = nameIndex > 0 ? tokens.slice(0, 1) : [];
    if (label.length > 0 && !macro.capturesLabel) {
      const colon: Token = { kind: "op", text: ":", col: label[0]!.col, spaced: false };
      this.emit(hasColon ? [label[0]!, tokens[1]!] : [label[0]!, colon], "");
    }
    const callLocation: SourceLocation = this.location.macro
      ? this.location
      : { ...this.location, macro: { name: macro.name, definedAt: macro.definedAt } };
    this.stack.push(
      new MacroExpansionSource(
        macro,
        nameToken.text,
        call.params,
        label,
        this.nextLocalId++,
        callLocation,
        nameToken.col,
        this.conditionals.depth,
      ),
    );
    return true;
  }

  // ---- directives

  private branch(
    conditional: { branch: "if" | "elif"; kind: string; negated: boolean },
    token: Token,
    args: Token[],
  ): void {
    const test = (): boolean =>
      this.condition(conditional.kind, token, args) !== conditional.negated;
    if (conditional.branch === "if") this.conditionals.open(test, this.location, token.col);
    else {
      this.reportIf(
        token,
        this.conditionals.elseIf(test, (message) => this.warning(token.col, message)),
      );
    }
  }

  private condition(kind: string, token: Token, args: Token[]): boolean {
    switch (kind) {
      case "": {
        const value = this.evaluate(args, token, "%if");
        return value !== undefined && value !== 0n;
      }
      case "def":
        return this.namesOf(args, token).some((name) => this.singleLine.isDefined(name));
      case "macro":
        return this.macroExists(token, args);
      case "idn":
      case "idni": {
        const expanded = this.expand(args);
        const comma = expanded.findIndex((t) => t.kind === "op" && t.text === ",");
        if (comma < 0) {
          this.error(token.col, `\`${token.text}' expects two comma-separated arguments`);
          return false;
        }
        let left = tokensToText(expanded.slice(0, comma).map(unspaced));
        let right = tokensToText(expanded.slice(comma + 1).map(unspaced));
        if (kind === "idni") {
          left = left.toLowerCase();
          right = right.toLowerCase();
        }
        return left === right;
      }
      case "empty":
        return this.expand(args).length === 0;
      case "token":
        return this.expand(args).length === 1;
      case "defalias":
        return this.namesOf(args, token).some((name) => this.singleLine.isAlias(name));
      case "env":
        return this.environmentName(args) in (this.options.environment ?? {});
      case "ctx": {
        const top = this.contexts[this.contexts.length - 1];
        return (
          top !== undefined && args.some((arg) => arg.kind === "ident" && arg.text === top.name)
        );
      }
      default: {
        const expanded = this.expand(args);
        if (expanded.length !== 1) return false;
        const only = expanded[0]!;
        if (kind === "num") return only.kind === "number";
        if (kind === "str") return only.kind === "string";
        return only.kind === "ident";
      }
    }
  }

  /** `%ifmacro name [min[-max|-*]][+]`: a macro of that name whose parameter range overlaps. */
  private macroExists(token: Token, args: Token[]): boolean {
    const expanded = [...args.slice(0, 1), ...this.expand(args.slice(1))];
    const nameToken = expanded[0];
    if (nameToken?.kind !== "ident") {
      this.error(token.col, `\`${token.text}' expects a macro name`);
      return false;
    }
    let wanted: MacroParameterRange = {
      name: nameToken.text,
      minParams: 0,
      maxParams: Number.POSITIVE_INFINITY,
      greedy: false,
    };
    if (expanded.length > 1) {
      const header = parseMacroHeader(expanded, token.col, false, false);
      if ("message" in header) {
        this.error(header.col, header.message.replace("`%macro'", `\`${token.text}'`));
        return false;
      }
      wanted = header;
    }
    const lower = wanted.name.toLowerCase();
    return (
      this.multiLine.lookup(wanted.name).some((macro) => parameterRangesOverlap(macro, wanted)) ||
      standardMacros(this.options.outputFormat).some(
        (macro) => macro.name === lower && parameterRangesOverlap(macro, wanted),
      )
    );
  }

  /** The variable `%ifenv` asks about: NAME, 'NAME', %!NAME or %!'NAME'. */
  private environmentName(args: readonly Token[]): string {
    let at = 0;
    if (args[0]?.kind === "directive" && args[0].text.startsWith("%!")) {
      if (args[0].text.length > 2) return args[0].text.slice(2);
      at = 1;
    }
    const token = args[at];
    if (token?.kind === "string") return new TextDecoder().decode(decodeString(token.text));
    return token?.text ?? "";
  }

  private namesOf(args: Token[], token: Token): string[] {
    const names = args.filter((t) => t.kind === "ident").map((t) => t.text);
    if (names.length === 0) this.error(token.col, `\`${token.text}' expects a macro name`);
    return names;
  }

  /** A preprocessor expression (%if, %assign, %rep, %rotate): numbers and macros only. */
  private evaluate(args: readonly Token[], token: Token, what: string): bigint | undefined {
    return this.evaluateExpanded(this.expand(args), token, what);
  }

  /** Evaluates tokens already macro-expanded (`%if`, `%assign`, preprocessor functions). */
  private evaluateExpanded(
    tokens: readonly Token[],
    token: Token,
    what: string,
  ): bigint | undefined {
    if (tokens.length === 0) {
      this.error(token.col, `\`${what}' expects an expression`);
      return undefined;
    }
    let failed = false;
    const fail = (col: number, message: string): void => {
      if (!failed) this.error(col, message);
      failed = true;
    };
    try {
      const parsed = parseExpression(tokens, 0, {
        isRegister: () => false,
        qualify: (name) => name,
        warn: (col, message) => this.warning(col, message),
      });
      const extra = tokens[parsed.next];
      if (extra) {
        fail(extra.col, `unexpected \`${extra.text}' after the expression`);
        return undefined;
      }
      const value = evaluate(parsed.expr, {
        lookup: (name, col) => {
          fail(col, `symbol \`${name}' not defined before use`);
          return { known: false, value: 0n };
        },
        here: () => undefined,
        sectionBase: () => undefined,
        error: fail,
      });
      if (!value || failed) return undefined;
      if (value.registers !== null) {
        fail(token.col, `non-constant value given to \`${what}'`);
        return undefined;
      }
      return value.constant;
    } catch (error) {
      if (error instanceof ExpressionSyntaxError) {
        fail(error.col, error.message);
        return undefined;
      }
      throw error;
    }
  }

  private directive(name: string, token: Token, args: Token[]): void {
    switch (name) {
      case "define":
      case "idefine":
      case "xdefine":
      case "ixdefine":
        this.define(token, args, name.startsWith("i"), name.endsWith("xdefine"));
        return;
      case "undef":
      case "iundef":
        for (const arg of args) if (arg.kind === "ident") this.singleLine.undefine(arg.text);
        if (args.length === 0) this.error(token.col, "`%undef' expects a macro name");
        return;
      case "assign":
      case "iassign":
        this.assign(token, args, name === "iassign");
        return;
      case "macro":
      case "imacro":
      case "rmacro":
      case "irmacro":
        this.startMacro(token, args, name.startsWith("i"), name.endsWith("rmacro"));
        return;
      case "endmacro":
      case "endm":
        this.error(token.col, "`%endmacro' without `%macro'");
        return;
      case "rep":
        this.startRep(token, args);
        return;
      case "endrep":
        this.error(token.col, "`%endrep' without `%rep'");
        return;
      case "exitrep":
        this.exitSource("rep", token);
        return;
      case "exitmacro":
        this.exitSource("macro", token);
        return;
      case "include":
        this.include(token, args);
        return;
      case "stacksize": {
        const problem = this.stackFrame.setSize(args, token);
        if (problem) this.error(problem.col, problem.error);
        return;
      }
      case "arg":
      case "local":
        this.declareStackVariables(name, token, args);
        return;
      case "use":
        this.usePackage(token, args);
        return;
      case "error":
      case "fatal":
        this.error(token.col, this.messageText(args));
        if (name === "fatal") this.stopped = true;
        return;
      case "warning":
        this.warning(token.col, this.messageText(args));
        return;
      case "rotate":
        this.rotate(token, args);
        return;
      case "unmacro":
      case "unimacro":
        this.unmacro(token, args);
        return;
      case "pragma":
        return;
      case "push":
        this.pushContext(token, args);
        return;
      case "defalias":
      case "idefalias":
        if (args.length !== 2 || args[0]!.kind !== "ident" || args[1]!.kind !== "ident") {
          this.error(token.col, `\`${token.text}' expects an alias name and a macro name`);
        } else {
          this.singleLine.defineAlias(args[0]!.text, args[1]!.text);
        }
        return;
      case "undefalias":
        for (const arg of args) if (arg.kind === "ident") this.singleLine.removeAlias(arg.text);
        return;
      case "defstr":
      case "idefstr":
      case "deftok":
      case "ideftok":
      case "strlen":
      case "strcat":
      case "substr":
        this.stringDirective(name, token, args);
        return;
      case "pop":
      case "repl":
        this.popOrRenameContext(name, token, args);
        return;
      default:
        if (unsupportedDirectives.has(name)) {
          this.error(token.col, `\`${token.text}' is not supported by this assembler`);
        } else {
          this.error(token.col, `unknown preprocessor directive \`${token.text}'`);
        }
    }
  }

  /** %defstr, %deftok, %strlen, %strcat, %substr: define a macro from (expanded) text. */
  private stringDirective(name: string, token: Token, args: Token[]): void {
    const nameToken = args[0];
    if (nameToken?.kind !== "ident") {
      this.error(nameToken?.col ?? token.col, `\`${token.text}' expects a macro name`);
      return;
    }
    const rest = this.expand(args.slice(1));
    let result: DirectiveResult;
    if (name.endsWith("defstr")) result = defineString(rest, nameToken);
    else if (name.endsWith("deftok")) result = defineTokens(rest);
    else if (name === "strlen") result = stringLength(rest, nameToken);
    else if (name === "strcat") result = concatenateStrings(rest, nameToken);
    else {
      const text = rest[0];
      if (text?.kind !== "string") {
        this.error(text?.col ?? token.col, "`%substr' requires a string as its first argument");
        return;
      }
      // `%substr x 'str' 2,3`; NASM also takes a comma after the string.
      const from = rest[1]?.kind === "op" && rest[1].text === "," ? 2 : 1;
      const comma = rest.findIndex((t, i) => i > from && t.kind === "op" && t.text === ",");
      const startTokens = comma < 0 ? rest.slice(from) : rest.slice(from, comma);
      const start = this.evaluate(startTokens, token, "%substr");
      const length = comma < 0 ? undefined : this.evaluate(rest.slice(comma + 1), token, "%substr");
      if (start === undefined || (comma >= 0 && length === undefined)) return;
      result = substring(decodeString(text.text), start, length, nameToken);
    }
    if ("error" in result) {
      this.error(token.col, result.error);
      return;
    }
    this.singleLine.define({
      name: nameToken.text,
      caseInsensitive: name.startsWith("i"),
      params: null,
      body: result.body,
    });
  }

  private pushContext(token: Token, args: Token[]): void {
    if (args.length > 1 || (args[0] !== undefined && args[0].kind !== "ident")) {
      this.error(args[0]?.col ?? token.col, "`%push' expects one context name or none");
      return;
    }
    if (this.contexts.length >= contextDepthMax) {
      this.error(token.col, `context stack deeper than ${contextDepthMax}`);
      return;
    }
    this.contexts.push({ name: args[0]?.text ?? "", id: this.nextLocalId++ });
  }

  private popOrRenameContext(name: "pop" | "repl", token: Token, args: Token[]): void {
    const top = this.contexts[this.contexts.length - 1];
    if (!top) {
      this.error(token.col, `\`${token.text}': context stack is empty`);
      return;
    }
    const given = args[0]?.kind === "ident" ? args[0].text : undefined;
    if (name === "repl") {
      if (given === undefined) this.error(token.col, "`%repl' expects a context name");
      else top.name = given;
      return;
    }
    if (given !== undefined && given !== top.name) {
      this.warning(
        token.col,
        `context stack top is \`${top.name}', not \`${given}' [-w+pp-ctx-pop]`,
      );
    }
    this.contexts.pop();
  }

  private define(token: Token, args: Token[], caseInsensitive: boolean, expandNow: boolean): void {
    const nameToken = args[0];
    if (nameToken?.kind !== "ident") {
      this.error(nameToken?.col ?? token.col, `\`${token.text}' expects a macro name`);
      return;
    }
    let params: string[] | null = null;
    let greedy = false;
    let bodyStart = 1;
    const open = args[1];
    if (open?.kind === "op" && open.text === "(" && !open.spaced) {
      params = [];
      let i = 2;
      for (;;) {
        const t = args[i];
        if (t?.kind === "op" && t.text === ")" && params.length === 0) break;
        if (t?.kind !== "ident") {
          this.error(t?.col ?? open.col, "parameter name expected in macro definition");
          return;
        }
        params.push(t.text);
        let sep = args[i + 1];
        // `name(a, rest+)`: the last parameter takes the remaining arguments, commas and all.
        if (sep?.kind === "op" && sep.text === "+" && args[i + 2]?.text === ")") {
          greedy = true;
          i++;
          sep = args[i + 1];
        }
        if (sep?.kind === "op" && sep.text === ")") {
          i++;
          break;
        }
        if (sep?.kind !== "op" || sep.text !== ",") {
          this.error(sep?.col ?? t.col, "`,' or `)' expected in macro parameter list");
          return;
        }
        i += 2;
      }
      bodyStart = i + 1;
    }
    let body = args.slice(bodyStart);
    if (expandNow) body = this.expandProtecting(body, params ?? []);
    this.singleLine.define({ name: nameToken.text, caseInsensitive, params, body, greedy });
  }

  /**
   * `%assign %$a%$n v`: a macro name written in touching pieces is expanded and pasted into
   * one name, as NASM does; other argument lists are returned as they are.
   */
  private pastedName(args: Token[]): Token[] {
    let end = 1;
    while (end < args.length && !args[end]!.spaced && args[end - 1]!.kind === "ident") end++;
    if (end === 1) return args;
    return [...pasteTouchingWords(this.expand(args.slice(0, end))), ...args.slice(end)];
  }

  /**
   * %xdefine's body expanded now, its parameter names left alone (NASM: in
   * `%xdefine f(d) g(d)` the `d` is f's parameter even if a macro `d` exists).
   */
  private expandProtecting(body: Token[], params: readonly string[]): Token[] {
    if (params.length === 0) return this.expand(body);
    const placeholder = (index: number) => `\u0001${index}`;
    const hidden = body.map((t) => {
      const index = t.kind === "ident" && !t.escaped ? params.indexOf(t.text) : -1;
      return index < 0 ? t : { ...t, text: placeholder(index) };
    });
    return this.expand(hidden).map((t) => {
      const index =
        t.kind === "ident" && t.text.startsWith("\u0001") ? Number(t.text.slice(1)) : -1;
      return index < 0 ? t : { ...t, text: params[index]! };
    });
  }

  private assign(token: Token, written: Token[], caseInsensitive: boolean): void {
    const args = this.pastedName(written);
    const nameToken = args[0];
    if (nameToken?.kind !== "ident") {
      this.error(nameToken?.col ?? token.col, "`%assign' expects a macro name");
      return;
    }
    const value = this.evaluate(args.slice(1), token, "%assign");
    if (value === undefined) return;
    const at = { col: nameToken.col, spaced: true };
    const body: Token[] =
      value < 0n
        ? [
            { kind: "op", text: "-", ...at },
            { kind: "number", text: String(-value), col: at.col, spaced: false },
          ]
        : [{ kind: "number", text: String(value), ...at }];
    this.singleLine.define({ name: nameToken.text, caseInsensitive, params: null, body });
  }

  private startMacro(
    token: Token,
    args: Token[],
    caseInsensitive: boolean,
    recursive: boolean,
  ): void {
    const header = parseMacroHeader(args, token.col, caseInsensitive, recursive);
    const location = this.location;
    if ("message" in header) {
      this.error(header.col, header.message);
      // Still swallow the body so its lines are not assembled.
      this.collector = { kind: "macro", count: 0, body: [], depth: 1, location, col: token.col };
      return;
    }
    this.collector = {
      kind: "macro",
      header,
      count: 0,
      body: [],
      depth: 1,
      location,
      col: token.col,
    };
  }

  private startRep(token: Token, args: Token[]): void {
    const value = this.evaluate(args, token, "%rep");
    let count = 0;
    if (value !== undefined) {
      if (value > BigInt(repCountMax)) {
        this.error(token.col, `\`%rep' count ${value} exceeds the limit of ${repCountMax}`);
      } else if (value > 0n) {
        count = Number(value);
      }
    }
    this.collector = {
      kind: "rep",
      count,
      body: [],
      depth: 1,
      location: this.location,
      col: token.col,
    };
  }

  private exitSource(kind: "rep" | "macro", token: Token): void {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const source = this.stack[i]!;
      if (source.kind === "file") break;
      if (source.kind !== kind) continue;
      this.stack.length = i + 1;
      this.conditionals.truncate(source.conditionalDepth);
      source.finish();
      return;
    }
    this.error(token.col, `\`${token.text}' outside of a ${kind === "rep" ? "%rep" : "macro"}`);
  }

  private include(token: Token, args: Token[]): void {
    const expanded = this.expand(args);
    const nameToken = expanded[0];
    if (expanded.length !== 1 || nameToken?.kind !== "string") {
      this.error(nameToken?.col ?? token.col, "`%include' expects a file name in quotes");
      return;
    }
    const name = new TextDecoder().decode(decodeString(nameToken.text));
    const fileCount = this.stack.filter((source) => source.kind === "file").length;
    if (fileCount >= includeDepthMax) {
      this.error(token.col, `\`%include' nested more than ${includeDepthMax} deep`);
      return;
    }
    const found = this.findInclude(name);
    if (!found) {
      this.error(nameToken.col, `unable to open include file \`${name}'`);
      return;
    }
    this.includedBytes += found.text.length;
    if (found.text.length > includeFileBytesMax || this.includedBytes > includedBytesMax) {
      const limit =
        found.text.length > includeFileBytesMax
          ? `\`${name}' is larger than ${includeFileBytesMax} bytes`
          : `included files exceed ${includedBytesMax} bytes in all`;
      this.error(nameToken.col, limit);
      this.stopped = true;
      return;
    }
    const includedFrom = [
      { file: this.location.file, line: this.location.line },
      ...this.location.includedFrom,
    ];
    this.stack.push(new FileSource(found.path, found.text, includedFrom, this.conditionals.depth));
  }

  /** `%arg` / `%local`: a macro per name, and `%$localsize` grows by the locals' size. */
  private declareStackVariables(kind: "arg" | "local", token: Token, args: Token[]): void {
    const result = this.stackFrame.declare(kind, args, token, (word) => this.expand([word]));
    if ("error" in result) {
      this.error(result.col, result.error);
      return;
    }
    for (const variable of result.variables) {
      this.singleLine.define({
        name: variable.name,
        caseInsensitive: false,
        params: null,
        body: variable.body,
      });
    }
    if (kind === "local") {
      const { tokens } = tokenizeLine(`%$localsize %$localsize+${result.totalBytes}`);
      this.assign(token, [...this.contextLocalNames(tokens)], false);
    }
  }

  /** `%use fp`: loads a standard package once, like an included file. */
  private usePackage(token: Token, args: Token[]): void {
    const word = args[0];
    const name =
      word?.kind === "string"
        ? new TextDecoder().decode(decodeString(word.text))
        : word?.kind === "ident"
          ? word.text
          : undefined;
    if (args.length !== 1 || name === undefined) {
      this.error(word?.col ?? token.col, "`%use' expects a package name");
      return;
    }
    const text = standardPackageText(name);
    if (text === undefined) {
      const refused = refusedPackages.get(name.toLowerCase());
      this.error(
        word!.col,
        refused
          ? `\`%use ${name}' is not supported: ${refused}`
          : `unknown \`%use' package: \`${name}'`,
      );
      return;
    }
    const lower = name.toLowerCase();
    if (this.usedPackages.has(lower)) return;
    this.usedPackages.add(lower);
    const includedFrom = [
      { file: this.location.file, line: this.location.line },
      ...this.location.includedFrom,
    ];
    this.stack.push(new FileSource(`${lower}.mac`, text, includedFrom, this.conditionals.depth));
  }

  private findInclude(name: string): { path: string; text: string } | undefined {
    const readFile = this.options.readFile;
    if (!readFile) return undefined;
    const candidates = [name];
    if (!name.startsWith("/")) {
      for (const dir of this.options.includePaths) {
        candidates.push(dir.endsWith("/") ? dir + name : `${dir}/${name}`);
      }
    }
    for (const path of candidates) {
      const text = readFile(path);
      if (text !== undefined) return { path, text };
    }
    return undefined;
  }

  private messageText(args: Token[]): string {
    const expanded = this.expand(args);
    if (expanded.length === 1 && expanded[0]!.kind === "string") {
      return new TextDecoder().decode(decodeString(expanded[0]!.text));
    }
    return tokensToText(expanded);
  }

  private rotate(token: Token, args: Token[]): void {
    const macro = this.innermostMacro();
    if (!macro) {
      this.error(token.col, "`%rotate' outside of a macro");
      return;
    }
    const value = this.evaluate(args, token, "%rotate");
    const count = macro.params.length;
    if (value === undefined || count === 0) return;
    const step = Number(((value % BigInt(count)) + BigInt(count)) % BigInt(count));
    macro.rotation = (macro.rotation + step) % count;
  }

  private unmacro(token: Token, args: Token[]): void {
    const header = parseMacroHeader(args, token.col, false, false);
    if ("message" in header) {
      this.error(header.col, header.message);
      return;
    }
    if (!this.multiLine.undefine(header.name, header.minParams, header.maxParams)) {
      this.warning(token.col, `no macro \`${header.name}' with that parameter count to remove`);
    }
  }
}

function isContextLocal(token: Token): boolean {
  return (
    (token.kind === "directive" && token.text.startsWith("%$")) ||
    (token.kind === "param" && token.text.startsWith("%{$"))
  );
}

function unspaced(token: Token, index: number): Token {
  return index === 0 ? { ...token, spaced: false } : token;
}
