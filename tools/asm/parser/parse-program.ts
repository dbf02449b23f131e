// Turns preprocessed lines into statements, once, before the passes. Decides what the first
// word of a line is (label or instruction, as NASM does: a known mnemonic or directive is an
// instruction, anything else a label, with or without a colon), qualifies local `.labels`
// with the last non-local label, and parses data items, directives and operands; NASM's
// struc/istruc macros become plain statements here. Every error is reported with its column
// and the parser moves on to the next line.

import type { DiagnosticSink } from "../diagnostics.ts";
import type { Expr } from "../expression/ast.ts";
import {
  type ExpressionSyntax,
  ExpressionSyntaxError,
  parseExpression,
  parseStringFunction,
} from "../expression/parse-expression.ts";
import type { Token } from "../lexer.ts";
import type { LogicalLine } from "../preprocessor/source-line.ts";
import { isRegisterName } from "../registers.ts";
import { stringFunction } from "../string-functions.ts";
import { decodeString } from "../strings.ts";
import {
  dataDirectiveUnit,
  isDirective,
  isMnemonic,
  prefixName,
  reserveDirectiveUnit,
  sizeBytesOf,
  startsStatement,
} from "./keywords.ts";
import { nasmInstructionNames } from "./nasm-instruction-names.ts";
import { parseOperands, StatementError } from "./parse-operands.ts";
import type {
  DataItem,
  ParsedProgram,
  SectionAttributes,
  Statement,
  StatementBody,
} from "./statement.ts";
import { endColumn, isFloatToken, isOp, keyword } from "./token-queries.ts";

/** A label name that starts with one dot (not `..`) is local to the last non-local label. */
function isLocalName(name: string): boolean {
  return name.startsWith(".") && !name.startsWith("..");
}

/** Data lists `(...)` nested deeper than this are refused (the parser recurses per level). */
const dataNestingMax = 64;

/** Size words that may stand before a data item or list (`dw byte (1, 2)`). */
const sizeUnits = sizeBytesOf(["byte", "word", "dword", "qword", "tword", "oword"]);

const loopMnemonics = new Set(["loop", "loope", "loopz", "loopne", "loopnz"]);

/** -f bin attributes that place a section (start=, vstart=, follows=...): not implemented. */
const binLayoutAttributes = new Set(["start", "vstart", "follows", "vfollows"]);

export function parseProgram(lines: readonly LogicalLine[], sink: DiagnosticSink): ParsedProgram {
  return new ProgramParser(sink).parse(lines);
}

/** An open `struc` (its name, the section to return to) or `istruc` (name, start label). */
interface OpenStructure {
  readonly name: string;
  readonly returnSection?: string;
  readonly startLabel?: string;
}

class ProgramParser {
  private localBase = "";
  private currentSection = ".text";
  private openStruc: OpenStructure | undefined;
  private openInstance: OpenStructure | undefined;
  private instanceCount = 0;
  private line!: LogicalLine;
  private readonly statements: Statement[] = [];
  private readonly globals = new Map<string, { line: LogicalLine; col: number }>();
  private readonly syntax: ExpressionSyntax = {
    isRegister: isRegisterName,
    qualify: (name) => (isLocalName(name) ? this.localBase + name : name),
    warn: (col, message) => this.sink.warning(this.line.location, col, message, this.line.order),
  };

  constructor(private readonly sink: DiagnosticSink) {}

  parse(lines: readonly LogicalLine[]): ParsedProgram {
    for (const line of lines) {
      this.line = line;
      this.parseLine(line);
    }
    return { statements: this.statements, globals: this.globals };
  }

  private error(col: number, message: string): void {
    this.sink.error(this.line.location, col, message, this.line.order);
  }

  private parseLine(line: LogicalLine): void {
    const tokens = line.tokens;
    let label: Statement["label"];
    try {
      let i = 0;
      const first = tokens[0]!;
      if (isOp(first, "[") && isOp(tokens[tokens.length - 1], "]")) {
        // NASM's primitive directive form: [bits 32], [section .data].
        const inner = tokens.slice(1, -1);
        const word = keyword(inner[0]);
        if (word !== undefined && isDirective(word)) {
          const body = this.directive(word, inner, 0);
          if (body) this.statements.push({ line, body });
          return;
        }
      }
      if (first.kind === "ident") {
        const word = keyword(first);
        const isKeyword = word !== undefined && startsStatement(word);
        if (isOp(tokens[1], ":")) {
          label = this.defineLabel(first);
          i = 2;
        } else if (!isKeyword) {
          const second = tokens[1];
          const secondWord = keyword(second);
          if (second === undefined) {
            this.sink.warning(
              line.location,
              first.col,
              "label alone on a line without a colon might be in error [-w+label-orphan]",
              line.order,
            );
          } else if (secondWord === undefined || !startsStatement(secondWord)) {
            throw new StatementError(first.col, `unknown instruction \`${first.text}'`);
          }
          label = this.defineLabel(first);
          i = 1;
        }
      } else if (first.kind !== "op" || first.text !== "[") {
        throw new StatementError(
          first.col,
          `label or instruction expected, found \`${first.text}'`,
        );
      }
      const rest = this.statementAfterLabel(tokens, i, label);
      this.statements.push({ line, label, ...rest });
    } catch (error) {
      if (!(error instanceof StatementError || error instanceof ExpressionSyntaxError)) throw error;
      this.error(error.col, error.message);
      // Keep the label so later references to it do not cascade into more errors.
      if (label) this.statements.push({ line, label });
    }
  }

  private defineLabel(token: Token): { name: string; col: number; local: boolean } {
    const name = this.syntax.qualify(token.text);
    return { name, col: token.col, local: isLocalName(token.text) };
  }

  /** Everything after the label: `times`, prefixes, then the instruction or directive. */
  private statementAfterLabel(
    tokens: readonly Token[],
    start: number,
    label: Statement["label"],
  ): { times?: Expr; body?: StatementBody } {
    let i = start;
    if (i >= tokens.length) {
      this.noteLabel(label);
      return {};
    }
    const firstWord = keyword(tokens[i]);
    if (firstWord === "equ") {
      if (!label) throw new StatementError(tokens[i]!.col, "`equ' without a label");
      const value = this.expressionToEnd(tokens, i + 1, tokens[i]!);
      return { body: { kind: "equ", value, col: tokens[i]!.col } };
    }
    this.noteLabel(label);
    let times: Expr | undefined;
    // `times a times b x` repeats x b times: NASM keeps the last count.
    while (keyword(tokens[i]) === "times") {
      const parsed = parseExpression(tokens, i + 1, this.syntax);
      times = parsed.expr;
      i = parsed.next;
      if (i >= tokens.length) {
        throw new StatementError(endColumn(tokens), "instruction expected after `times'");
      }
    }
    return { times, body: this.body(tokens, i) };
  }

  /** A non-local label starts a new scope for `.local` labels (equ does not). */
  private noteLabel(label: Statement["label"]): void {
    if (label && !label.local && !label.name.startsWith("..@")) this.localBase = label.name;
  }

  private body(tokens: readonly Token[], start: number): StatementBody | undefined {
    let i = start;
    const prefixes: string[] = [];
    for (;;) {
      const word = keyword(tokens[i]);
      const prefix = word === undefined ? undefined : prefixName(word);
      if (prefix === undefined || isOp(tokens[i + 1], ":")) break;
      prefixes.push(prefix);
      i++;
    }
    const token = tokens[i];
    if (token === undefined) {
      throw new StatementError(endColumn(tokens), "instruction expected after prefix");
    }
    const word = keyword(token);
    if (word === undefined) {
      throw new StatementError(token.col, `instruction expected, found \`${token.text}'`);
    }
    if (prefixes.length === 0) {
      const dataUnit = dataDirectiveUnit(word);
      if (dataUnit !== undefined) {
        return {
          kind: "data",
          unitBytes: dataUnit,
          items: this.dataItems(tokens, i + 1, token),
          col: token.col,
        };
      }
      const reserveUnit = reserveDirectiveUnit(word);
      if (reserveUnit !== undefined) {
        const count = this.expressionToEnd(tokens, i + 1, token);
        return { kind: "reserve", unitBytes: reserveUnit, count, col: token.col };
      }
      if (isDirective(word)) return this.directive(word, tokens, i);
      if (word === "equ") throw new StatementError(token.col, "`equ' needs a label before it");
    }
    if (!isMnemonic(word)) {
      const why = nasmInstructionNames.has(word)
        ? `instruction \`${token.text}' is not in sterna's i386 instruction set`
        : `unknown instruction \`${token.text}'`;
      throw new StatementError(token.col, why);
    }
    const operands = parseOperands(tokens, i + 1, this.syntax);
    // `loop label, ecx`: NASM's spelling of the counter register, i.e. the address size.
    const counter = operands[1];
    if (loopMnemonics.has(word) && operands.length === 2 && counter?.kind === "reg") {
      const size = counter.name === "cx" ? "a16" : counter.name === "ecx" ? "a32" : undefined;
      if (size === undefined) {
        throw new StatementError(counter.col, "the loop counter must be cx or ecx");
      }
      return {
        kind: "instruction",
        mnemonic: word,
        col: token.col,
        prefixes: [...prefixes, size],
        operands: operands.slice(0, 1),
      };
    }
    return { kind: "instruction", mnemonic: word, col: token.col, prefixes, operands };
  }

  private expressionToEnd(tokens: readonly Token[], start: number, after: Token): Expr {
    if (start >= tokens.length) {
      throw new StatementError(endColumn(tokens), `expression expected after \`${after.text}'`);
    }
    const { expr, next } = parseExpression(tokens, start, this.syntax);
    if (next < tokens.length) {
      throw new StatementError(
        tokens[next]!.col,
        `unexpected \`${tokens[next]!.text}' after expression`,
      );
    }
    return expr;
  }

  private dataItems(tokens: readonly Token[], start: number, directive: Token): DataItem[] {
    if (start >= tokens.length) {
      throw new StatementError(
        endColumn(tokens),
        `\`${directive.text}' expects at least one value`,
      );
    }
    const { items, next } = this.dataList(tokens, start, directive, 0);
    if (next < tokens.length) {
      throw new StatementError(tokens[next]!.col, `comma expected, found \`${tokens[next]!.text}'`);
    }
    return items;
  }

  /** Comma-separated data items up to the end of the line or, inside a group, its `)`. */
  private dataList(
    tokens: readonly Token[],
    start: number,
    directive: Token,
    depth: number,
  ): { items: DataItem[]; next: number } {
    const items: DataItem[] = [];
    let i = start;
    for (;;) {
      i = this.dataItem(tokens, i, directive, depth, items);
      const stray = tokens[i];
      if (
        stray !== undefined &&
        !isOp(stray, ",") &&
        !(depth > 0 && isOp(stray, ")")) &&
        items[items.length - 1]?.kind === "expr"
      ) {
        // NASM's data parser skips one token after an expression without a word: `db 1 2`
        // is `db 1` (its own test suite, baddb.asm, records this).
        this.sink.warning(
          this.line.location,
          stray.col,
          `\`${stray.text}' after the value is ignored, as nasm does`,
          this.line.order,
        );
        i++;
      }
      if (i >= tokens.length || (depth > 0 && isOp(tokens[i], ")"))) return { items, next: i };
      if (!isOp(tokens[i], ",")) {
        throw new StatementError(tokens[i]!.col, `comma expected, found \`${tokens[i]!.text}'`);
      }
      i++;
      if (i >= tokens.length)
        throw new StatementError(endColumn(tokens), "value expected after `,'");
    }
  }

  /** `( items )` (NASM's data list) starting at the `(`; returns the index after `)`. */
  private dataGroup(
    tokens: readonly Token[],
    open: number,
    directive: Token,
    depth: number,
  ): { items: DataItem[]; next: number } {
    if (depth >= dataNestingMax) {
      throw new StatementError(
        tokens[open]!.col,
        `data lists nested more than ${dataNestingMax} deep`,
      );
    }
    const { items, next } = this.dataList(tokens, open + 1, directive, depth + 1);
    if (!isOp(tokens[next], ")")) {
      throw new StatementError(tokens[next]?.col ?? endColumn(tokens), "expecting `)'");
    }
    return { items, next: next + 1 };
  }

  /**
   * One data item at `i`, pushed to `items`; returns the index after it. Besides values and
   * strings, NASM's list forms: `%(a, b)`, `N dup item`, `N dup (a, b)` and a size before an
   * item or list (`dword (?, word ?)`).
   */
  private dataItem(
    tokens: readonly Token[],
    i: number,
    directive: Token,
    depth: number,
    items: DataItem[],
  ): number {
    const token = tokens[i]!;
    const after = tokens[i + 1];
    const endsItem = (t: Token | undefined): boolean =>
      t === undefined || isOp(t, ",") || (depth > 0 && isOp(t, ")"));
    const unitOverride = sizeUnits.get(keyword(token) ?? "");
    if (unitOverride !== undefined && after !== undefined && !endsItem(after)) {
      const inner: DataItem[] = [];
      const next = isOp(after, "(")
        ? this.dataGroup(tokens, i + 1, directive, depth)
        : { items: inner, next: this.dataItem(tokens, i + 1, directive, depth, inner) };
      items.push({ kind: "group", unitBytes: unitOverride, items: next.items, col: token.col });
      return next.next;
    }
    if (isOp(token, "%") && isOp(after, "(") && !after!.spaced) {
      const group = this.dataGroup(tokens, i + 1, directive, depth);
      items.push({ kind: "group", items: group.items, col: token.col });
      return group.next;
    }
    if (token.kind === "string" && endsItem(after)) {
      items.push({ kind: "string", bytes: decodeString(token.text), col: token.col });
      return i + 1;
    }
    const encoding = keyword(token) === undefined ? undefined : stringFunction(token.text);
    if (encoding) {
      const call = parseStringFunction(tokens, i, encoding);
      items.push({ kind: "string", bytes: call.bytes, col: token.col });
      return call.next;
    }
    if (isOp(token, "?") && endsItem(after)) {
      items.push({ kind: "uninitialized", col: token.col });
      return i + 1;
    }
    // A float, with at most one sign, is a whole item: NASM does not fold `1.5 + 1`.
    if (isFloatToken(token)) {
      items.push({ kind: "float", text: token.text, negative: false, col: token.col });
      return i + 1;
    }
    if ((isOp(token, "-") || isOp(token, "+")) && isFloatToken(after)) {
      items.push({ kind: "float", text: after!.text, negative: isOp(token, "-"), col: token.col });
      return i + 2;
    }
    const { expr, next } = parseExpression(tokens, i, this.syntax);
    if (keyword(tokens[next]) !== "dup") {
      items.push({ kind: "expr", expr, col: token.col });
      return next;
    }
    const repeated = tokens[next + 1];
    if (repeated === undefined) {
      throw new StatementError(endColumn(tokens), "value expected after `dup'");
    }
    const inner: DataItem[] = [];
    const group = isOp(repeated, "(")
      ? this.dataGroup(tokens, next + 1, directive, depth)
      : { items: inner, next: this.dataItem(tokens, next + 1, directive, depth, inner) };
    items.push({ kind: "group", times: expr, items: group.items, col: token.col });
    return group.next;
  }

  /** Assembler directives; `start` is the index of the directive word. */
  private directive(
    word: string,
    tokens: readonly Token[],
    start: number,
  ): StatementBody | undefined {
    const token = tokens[start]!;
    const col = token.col;
    const args = tokens.slice(start + 1);
    switch (word) {
      case "bits": {
        const value = args.length === 1 && args[0]!.kind === "number" ? args[0]!.text : "";
        if (value !== "16" && value !== "32") {
          throw new StatementError(
            args[0]?.col ?? col,
            "`bits' must be 16 or 32 (64-bit code is not supported)",
          );
        }
        return { kind: "bits", bits: value === "16" ? 16 : 32, col };
      }
      case "use16":
      case "use32":
        return { kind: "bits", bits: word === "use16" ? 16 : 32, col };
      case "org":
        return { kind: "org", value: this.expressionToEnd(tokens, start + 1, token), col };
      case "section":
      case "segment":
        return this.section(token, args);
      case "global":
      case "static":
        this.declareNames(word, args, col);
        return undefined;
      case "extern":
      case "common":
        throw new StatementError(
          col,
          `\`${word}' is not supported: sterna assembles complete programs (no linking), so every symbol must be defined in the source`,
        );
      case "align":
      case "alignb": {
        const comma = args.findIndex((t) => isOp(t, ","));
        const boundaryTokens = comma < 0 ? args : args.slice(0, comma);
        const boundary = this.expressionToEnd(boundaryTokens, 0, token);
        let fill: StatementBody | undefined;
        if (comma >= 0) {
          const fillTokens = args.slice(comma + 1);
          if (fillTokens.length === 0)
            throw new StatementError(endColumn(tokens), "fill instruction expected after `,'");
          fill = this.body(fillTokens, 0);
        }
        return { kind: "align", boundary, fill, reserve: word === "alignb", col };
      }
      case "absolute":
        return { kind: "absolute", value: this.expressionToEnd(tokens, start + 1, token), col };
      case "struc":
      case "endstruc":
      case "istruc":
      case "at":
      case "iend":
        this.structure(word, token, args);
        return undefined;
      case "cpu":
      case "default":
      case "warning":
        // Warning classes ([warning push], [warning -user]) do not change the output.
        return undefined;
      case "sectalign": {
        if (args.length === 1 && /^(on|off)$/i.test(args[0]!.text)) {
          throw new StatementError(args[0]!.col, "`sectalign on/off' is not supported");
        }
        const boundary = this.expressionToEnd(tokens, start + 1, token);
        return { kind: "align", boundary, reserve: true, sectionOnly: true, col };
      }
      default:
        throw new StatementError(col, `\`${word}' is not supported by this assembler`);
    }
  }

  /**
   * NASM's structure macros, as statements: `struc T` is `absolute 0` + `T:`, its `.fields`
   * reserve space; `endstruc` defines T_size and returns to the section before; `istruc T`
   * marks a start, `at T.field, data` pads with zeros to the field then emits the data, and
   * `iend` pads to T_size.
   */
  private structure(word: string, token: Token, args: readonly Token[]): void {
    const line = this.line;
    const col = token.col;
    const symbol = (name: string): Expr => ({ kind: "symbol", name, col });
    const minus = (left: Expr, right: Expr): Expr => ({
      kind: "binary",
      op: "-",
      left,
      right,
      col,
    });
    const here: Expr = { kind: "here", col };
    const zeros = (count: Expr): void => {
      const zero: Expr = { kind: "number", value: 0n, col };
      const body: StatementBody = {
        kind: "data",
        unitBytes: 1,
        items: [{ kind: "expr", expr: zero, col }],
        col,
      };
      this.statements.push({ line, times: count, body });
    };
    const nameToken = args[0];
    switch (word) {
      case "struc":
      case "istruc": {
        if (nameToken?.kind !== "ident") {
          throw new StatementError(
            nameToken?.col ?? endColumn([token]),
            `\`${word}' expects a structure name`,
          );
        }
        const name = this.syntax.qualify(nameToken.text);
        if (word === "istruc") {
          const startLabel = `..@istruc.${++this.instanceCount}`;
          this.statements.push({ line, label: { name: startLabel, col, local: false } });
          this.openInstance = { name, startLabel };
          return;
        }
        if (this.openStruc) throw new StatementError(col, "`struc' inside another `struc'");
        const value =
          args.length > 2 && isOp(args[1], ",")
            ? this.expressionToEnd(args, 2, args[1]!)
            : ({ kind: "number", value: 0n, col } as Expr);
        this.openStruc = { name, returnSection: this.currentSection };
        this.statements.push({ line, body: { kind: "absolute", value, col } });
        const label = { name, col: nameToken.col, local: false };
        this.statements.push({ line, label });
        this.noteLabel(label);
        return;
      }
      case "endstruc": {
        const open = this.openStruc;
        if (!open) throw new StatementError(col, "`endstruc' without `struc'");
        this.openStruc = undefined;
        this.statements.push({
          line,
          label: { name: `${open.name}_size`, col, local: false },
          body: { kind: "equ", value: minus(here, symbol(open.name)), col },
        });
        this.statements.push({
          line,
          body: { kind: "section", name: open.returnSection!, attributes: {}, col },
        });
        this.currentSection = open.returnSection!;
        return;
      }
      case "at": {
        const open = this.openInstance;
        if (!open) throw new StatementError(col, "`at' outside `istruc'");
        const comma = args.findIndex((t) => isOp(t, ","));
        const fieldTokens = comma < 0 ? args : args.slice(0, comma);
        const only = fieldTokens.length === 1 ? fieldTokens[0]! : undefined;
        // `at .field` names the field of the structure being instanced, as in NASM 2.16.
        const field =
          only?.kind === "ident" && only.text.startsWith(".")
            ? symbol(`${open.name}${only.text}`)
            : this.expressionToEnd(fieldTokens, 0, token);
        const fieldOffset = minus(field, symbol(open.name));
        zeros(minus(fieldOffset, minus(here, symbol(open.startLabel!))));
        if (comma >= 0 && comma + 1 < args.length) {
          const fill = this.body(args.slice(comma + 1), 0);
          if (fill) this.statements.push({ line, body: fill });
        }
        return;
      }
      default: {
        const open = this.openInstance;
        if (!open) throw new StatementError(col, "`iend' without `istruc'");
        this.openInstance = undefined;
        zeros(minus(symbol(`${open.name}_size`), minus(here, symbol(open.startLabel!))));
      }
    }
  }

  /** `global a, b:function, c:data 4`: the names; what follows a colon is ELF type info. */
  private declareNames(word: string, args: readonly Token[], col: number): void {
    let expectName = true;
    for (const arg of args) {
      if (isOp(arg, ",")) {
        expectName = true;
      } else if (expectName) {
        if (arg.kind !== "ident") {
          throw new StatementError(arg.col, `symbol name expected, found \`${arg.text}'`);
        }
        if (word === "global") {
          this.globals.set(this.syntax.qualify(arg.text), { line: this.line, col: arg.col });
        }
        expectName = false;
      }
    }
    if (args.length === 0) throw new StatementError(col, `\`${word}' expects a symbol name`);
  }

  private section(token: Token, args: readonly Token[]): StatementBody {
    const nameToken = args[0];
    if (nameToken === undefined || (nameToken.kind !== "ident" && nameToken.kind !== "string")) {
      throw new StatementError(nameToken?.col ?? token.col, "section name expected");
    }
    let name =
      nameToken.kind === "string"
        ? new TextDecoder().decode(decodeString(nameToken.text))
        : nameToken.text;
    let i = 1;
    // NASM's section name is the whole first word: `__LD,__compact_unwind`, `.text.%1`.
    while (nameToken.kind !== "string" && i < args.length && !args[i]!.spaced) {
      name += args[i]!.text;
      i++;
    }
    const attributes: { -readonly [K in keyof SectionAttributes]: SectionAttributes[K] } = {};
    while (i < args.length) {
      const word = keyword(args[i]);
      const at = args[i]!;
      if (word === "progbits" || word === "nobits") attributes.nobits = word === "nobits";
      else if (word === "exec" || word === "noexec") attributes.exec = word === "exec";
      else if (word === "write" || word === "nowrite") attributes.write = word === "write";
      else if (word === "alloc" || word === "noalloc") {
        // Every section of a flat binary or an executable is loaded.
      } else if (word === "align" && isOp(args[i + 1], "=")) {
        const value = args[i + 2];
        const bytes = value?.kind === "number" ? Number(value.text) : Number.NaN;
        if (!Number.isInteger(bytes) || bytes < 1 || (bytes & (bytes - 1)) !== 0) {
          throw new StatementError(
            value?.col ?? at.col,
            "section alignment must be a power of two",
          );
        }
        attributes.alignBytes = bytes;
        i += 2;
      } else if (word !== undefined && binLayoutAttributes.has(word)) {
        throw new StatementError(at.col, `section attribute \`${at.text}' is not supported`);
      } else {
        // NASM ignores words it does not know (other formats' attributes), with a warning.
        let text = at.text;
        while (i + 1 < args.length && !args[i + 1]!.spaced) text += args[++i]!.text;
        this.sink.warning(
          this.line.location,
          at.col,
          `ignoring unknown section attribute: "${text}" [-w+other]`,
          this.line.order,
        );
      }
      i++;
    }
    this.currentSection = name;
    return { kind: "section", name, attributes, col: token.col };
  }
}
