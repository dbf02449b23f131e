// The assembler's passes over the parsed statements, as NASM runs them: every pass assigns
// addresses, evaluates expressions with the symbol values known so far and encodes each
// instruction (short jumps and small immediates first, since unknown forward references are
// optimistically small), until a pass uses only final values: no forward reference saw a value
// that changed and the section layout did not move. That pass's bytes and diagnostics are the
// result. If addresses never settle, a phase error names a symbol that kept moving.

import { DiagnosticSink, type SourceLocation } from "../diagnostics.ts";
import type { Expr } from "../expression/ast.ts";
import {
  type BaseRegisterHint,
  type EvaluationEnvironment,
  evaluate,
  type Value,
} from "../expression/evaluate.ts";
import type { EncodeResult, Operand, SourceInstruction } from "../instruction.ts";
import type { DataItem, ParsedProgram, Statement, StatementBody } from "../parser/statement.ts";
import type { LogicalLine } from "../preprocessor/source-line.ts";
import {
  encodeFloat,
  exceedsBounds,
  paddedStringBytes,
  unitName,
  writeInteger,
} from "./data-encoding.ts";
import { operandValue } from "./operand-values.ts";
import { SectionBuffer } from "./section-buffer.ts";
import {
  declareSection,
  layoutSections,
  type OutputFormat,
  type SectionInfo,
  type SectionLayout,
  sameLayout,
} from "./sections.ts";
import { SymbolTable } from "./symbol-table.ts";

export type Encoder = (instruction: SourceInstruction) => EncodeResult;

export interface AssemblerOptions {
  readonly format: OutputFormat;
  readonly encode: Encoder;
  readonly listing: boolean;
}

export interface ListingLine {
  readonly file: string;
  readonly line: number;
  readonly section: string;
  readonly address: number;
  readonly bytes: Uint8Array;
  /** Reserved (nobits or res*) bytes that take space without contents. */
  readonly reservedBytes: number;
  readonly source: string;
}

export interface AssembledSection extends SectionInfo {
  readonly baseAddress: number;
  readonly sizeBytes: number;
  /** Contents (empty for nobits sections). */
  readonly bytes: Uint8Array;
}

export interface AssembledSymbol {
  readonly name: string;
  readonly value: number;
  /** Index into `sections`, or -1 for an equ constant. */
  readonly section: number;
}

export interface AssembledProgram {
  readonly format: OutputFormat;
  readonly origin: number;
  readonly sections: readonly AssembledSection[];
  readonly layout: SectionLayout;
  readonly symbols: readonly AssembledSymbol[];
  readonly listing: readonly ListingLine[];
}

const passesMax = 100;
const timesMax = 100_000_000;
const nopByte = 0x90;

/** Runs the passes; undefined when the program has errors (already in `sink`). */
export function assembleStatements(
  program: ParsedProgram,
  options: AssemblerOptions,
  sink: DiagnosticSink,
): AssembledProgram | undefined {
  return new Assembler(program, options, sink).run();
}

interface PassResult {
  readonly sink: DiagnosticSink;
  readonly buffers: readonly SectionBuffer[];
  readonly alignBytes: readonly number[];
  readonly listing: ListingLine[];
}

class Assembler {
  private readonly sections: SectionInfo[] = [];
  private readonly sectionIndex = new Map<string, number>();
  private readonly symbols = new SymbolTable();
  /** Statements whose label duplicates an earlier one (not defined again). */
  private readonly duplicateLabels = new Set<Statement>();
  /** Bytes each statement took in the previous pass, by statement index. */
  private readonly previousSizes: Int32Array;
  /** The relocation of a label in each section ({section: 1}), shared by all its labels. */
  private readonly sectionRelocations: ReadonlyMap<number, bigint>[] = [];
  private origin = 0;

  constructor(
    private readonly program: ParsedProgram,
    private readonly options: AssemblerOptions,
    private readonly sink: DiagnosticSink,
  ) {
    this.previousSizes = new Int32Array(program.statements.length);
  }

  run(): AssembledProgram | undefined {
    this.declareSections();
    this.sections.forEach((_, index) => {
      this.sectionRelocations.push(new Map([[index, 1n]]));
    });
    this.checkLabels();
    let layout = layoutSections(
      this.sections,
      this.sections.map(() => 0),
      this.sections.map((section) => section.alignBytes),
      this.options.format,
      this.origin,
    );
    for (let pass = 1; pass <= passesMax; pass++) {
      const result = this.runPass(pass, layout);
      const next = layoutSections(
        this.sections,
        result.buffers.map((buffer) => buffer.sizeBytes),
        result.alignBytes,
        this.options.format,
        this.origin,
      );
      const settled = sameLayout(layout, next) && this.symbols.forwardReferencesSettled();
      layout = next;
      if (!settled && pass < passesMax) continue;
      if (!settled) this.reportPhaseError();
      this.reportUnresolved(result.sink);
      this.sink.absorb(result.sink);
      if (this.sink.errorCount > 0) return undefined;
      return this.result(result, layout);
    }
    return undefined;
  }

  private reportPhaseError(): void {
    const name = this.symbols.firstUnsettledName();
    const symbol = name === undefined ? undefined : this.symbols.get(name);
    const location = symbol?.location ?? this.program.statements[0]?.line.location;
    if (!location) return;
    const what = name === undefined ? "section addresses" : `the address of \`${name}'`;
    this.sink.error(
      location,
      symbol?.col ?? 1,
      `phase error: ${what} did not settle after ${passesMax} passes`,
    );
  }

  private reportUnresolved(passSink: DiagnosticSink): void {
    const seen = new Set<string>();
    for (const reference of this.symbols.unresolvedReferences()) {
      const key = `${reference.order}:${reference.col}:${reference.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const defined = this.symbols.get(reference.name) !== undefined;
      const message = defined
        ? `symbol \`${reference.name}' has no value (its definition depends on itself?)`
        : `symbol \`${reference.name}' not defined`;
      passSink.error(reference.location, reference.col, message, reference.order);
    }
  }

  // ---- before the passes

  private addSection(info: SectionInfo): number {
    const index = this.sections.length;
    this.sections.push(info);
    this.sectionIndex.set(info.name, index);
    return index;
  }

  /** Sections in order of first mention, and the origin (`org`). */
  private declareSections(): void {
    this.addSection(declareSection(".text", {}, this.options.format));
    let originStatement: Statement | undefined;
    for (const statement of this.program.statements) {
      const body = statement.body;
      if (body?.kind === "section" && !this.sectionIndex.has(body.name)) {
        this.addSection(declareSection(body.name, body.attributes, this.options.format));
      } else if (body?.kind === "org") {
        const location = statement.line.location;
        if (this.options.format === "elf") {
          this.sink.error(
            location,
            body.col,
            "`org' is only for -f bin (an ELF executable is laid out at 0x08048000)",
            statement.line.order,
          );
        } else if (originStatement) {
          this.sink.error(location, body.col, "program origin redefined", statement.line.order);
        } else {
          originStatement = statement;
          const value = this.constant(body.value, statement.line, "org");
          if (value !== undefined) this.origin = Number(BigInt.asUintN(32, value));
        }
      }
    }
  }

  private constant(expr: Expr, line: LogicalLine, what: string): bigint | undefined {
    const env: EvaluationEnvironment = {
      lookup: (name, col) => {
        this.sink.error(
          line.location,
          col,
          `\`${what}' needs a constant, but \`${name}' is a symbol`,
          line.order,
        );
        return { known: false, value: 0n };
      },
      here: () => undefined,
      sectionBase: () => undefined,
      error: (col, message) => this.sink.error(line.location, col, message, line.order),
    };
    const value = evaluate(expr, env);
    if (!value || value.unknown) return undefined;
    if (value.registers) {
      this.sink.error(line.location, expr.col, `\`${what}' needs a constant`, line.order);
      return undefined;
    }
    return value.constant;
  }

  private checkLabels(): void {
    const first = new Map<string, Statement>();
    for (const statement of this.program.statements) {
      const label = statement.label;
      if (!label) continue;
      const earlier = first.get(label.name);
      if (earlier) {
        const where = earlier.line.location;
        this.sink.error(
          statement.line.location,
          label.col,
          `symbol \`${label.name}' redefined (first defined at ${where.file}:${where.line})`,
          statement.line.order,
        );
        this.duplicateLabels.add(statement);
      } else {
        first.set(label.name, statement);
      }
    }
    for (const [name, declared] of this.program.globals) {
      if (!first.has(name)) {
        this.sink.error(
          declared.line.location,
          declared.col,
          `symbol \`${name}' declared global but not defined`,
          declared.line.order,
        );
      }
    }
  }

  // ---- one pass

  private runPass(pass: number, layout: SectionLayout): PassResult {
    this.symbols.beginPass(pass);
    const current = new Pass(this, layout);
    const statements = this.program.statements;
    for (let index = 0; index < statements.length; index++) {
      current.statement(statements[index]!, index);
    }
    return current.finish();
  }

  private result(pass: PassResult, layout: SectionLayout): AssembledProgram {
    const sections = this.sections.map((info, index) => ({
      ...info,
      alignBytes: pass.alignBytes[index]!,
      baseAddress: layout.baseAddresses[index]!,
      sizeBytes: pass.buffers[index]!.sizeBytes,
      bytes: pass.buffers[index]!.contents(),
    }));
    const symbols: AssembledSymbol[] = [];
    for (const [name, symbol] of this.symbols.entries()) {
      symbols.push({
        name,
        value: Number(BigInt.asUintN(32, symbol.value)),
        section: symbol.section,
      });
    }
    return {
      format: this.options.format,
      origin: this.origin,
      sections,
      layout,
      symbols,
      listing: pass.listing,
    };
  }

  // ---- what a Pass needs from the assembler

  get format(): OutputFormat {
    return this.options.format;
  }

  get listingWanted(): boolean {
    return this.options.listing;
  }

  encode(instruction: SourceInstruction): EncodeResult {
    return this.options.encode(instruction);
  }

  sectionList(): readonly SectionInfo[] {
    return this.sections;
  }

  indexOfSection(name: string): number {
    return this.sectionIndex.get(name)!;
  }

  symbolTable(): SymbolTable {
    return this.symbols;
  }

  isDuplicateLabel(statement: Statement): boolean {
    return this.duplicateLabels.has(statement);
  }

  previousSize(statementIndex: number): number {
    return this.previousSizes[statementIndex]!;
  }

  rememberSize(statementIndex: number, sizeBytes: number): void {
    this.previousSizes[statementIndex] = sizeBytes;
  }

  labelRelocation(section: number): ReadonlyMap<number, bigint> {
    return this.sectionRelocations[section]!;
  }
}

/** The state of one pass: current section, offsets, bits, and its own diagnostics. */
class Pass {
  private readonly sink = new DiagnosticSink();
  private readonly buffers: SectionBuffer[];
  private readonly alignBytes: number[];
  private readonly listing: ListingLine[] = [];
  private section = 0;
  private bits: 16 | 32;
  private line!: LogicalLine;
  private readonly hint: BaseRegisterHint = { type: "none", base: "" };
  private readonly env: EvaluationEnvironment;
  private statementIndex = 0;
  /** Start of the current statement (`$`). */
  private hereBytes = 0;

  constructor(
    private readonly assembler: Assembler,
    private readonly layout: SectionLayout,
  ) {
    const sections = assembler.sectionList();
    this.buffers = sections.map((section) => new SectionBuffer(section.nobits));
    this.alignBytes = sections.map((section) => section.alignBytes);
    this.bits = assembler.format === "bin" ? 16 : 32;
    const symbols = assembler.symbolTable();
    this.env = {
      lookup: (name, col) => symbols.lookup(name, this.line.location, col, this.line.order),
      here: () => ({ value: BigInt(this.sectionBase() + this.hereBytes), section: this.section }),
      sectionBase: () => ({ value: BigInt(this.sectionBase()), section: this.section }),
      error: (col, message) => this.error(col, message),
    };
  }

  finish(): PassResult {
    return {
      sink: this.sink,
      buffers: this.buffers,
      alignBytes: this.alignBytes,
      listing: this.listing,
    };
  }

  private get location(): SourceLocation {
    return this.line.location;
  }

  private error(col: number, message: string): void {
    this.sink.error(this.location, col, message, this.line.order);
  }

  private warning(col: number, message: string): void {
    this.sink.warning(this.location, col, message, this.line.order);
  }

  private sectionBase(): number {
    return this.layout.baseAddresses[this.section]!;
  }

  private get buffer(): SectionBuffer {
    return this.buffers[this.section]!;
  }

  private evaluate(expr: Expr, hint?: BaseRegisterHint): Value | undefined {
    return evaluate(expr, this.env, hint);
  }

  /** A scalar needed now (times, resb, align): unknown values count as 0 until resolved. */
  private count(expr: Expr, what: string): number | undefined {
    const value = this.evaluate(expr);
    if (!value) return undefined;
    if (value.registers) {
      this.error(expr.col, `\`${what}' needs a number, not a register expression`);
      return undefined;
    }
    if (value.unknown) return 0;
    if (value.constant < 0n) {
      this.error(expr.col, `\`${what}' value ${value.constant} is negative`);
      return undefined;
    }
    if (value.constant > BigInt(timesMax)) {
      this.error(expr.col, `\`${what}' value ${value.constant} is larger than ${timesMax}`);
      return undefined;
    }
    return Number(value.constant);
  }

  statement(statement: Statement, index: number): void {
    this.line = statement.line;
    this.statementIndex = index;
    this.hereBytes = this.buffer.sizeBytes;
    const body = statement.body;
    const symbols = this.assembler.symbolTable();
    if (statement.label && body?.kind !== "equ" && !this.assembler.isDuplicateLabel(statement)) {
      symbols.define(statement.label.name, {
        kind: "label",
        section: this.section,
        value: BigInt(this.sectionBase() + this.buffer.sizeBytes),
        known: true,
        relocations: this.assembler.labelRelocation(this.section),
        location: this.location,
        col: statement.label.col,
      });
    }
    if (!body) return;
    switch (body.kind) {
      case "equ": {
        if (!statement.label || this.assembler.isDuplicateLabel(statement)) return;
        const value = this.evaluate(body.value);
        if (value?.registers) this.error(body.col, "`equ' value cannot contain a register");
        symbols.define(statement.label.name, {
          kind: "equ",
          section: -1,
          value: value?.constant ?? 0n,
          known: value !== undefined && !value.unknown && !value.registers,
          relocations: value?.relocations ?? null,
          location: this.location,
          col: statement.label.col,
        });
        return;
      }
      case "bits":
        this.bits = body.bits;
        return;
      case "org":
        return;
      case "section":
        this.section = this.assembler.indexOfSection(body.name);
        return;
      default:
        this.emitRepeated(statement, body);
    }
  }

  private emitRepeated(statement: Statement, body: StatementBody): void {
    const startBytes = this.buffer.sizeBytes;
    const repetitions = statement.times ? this.count(statement.times, "times") : 1;
    if (repetitions === undefined) {
      this.buffer.fill(0, this.assembler.previousSize(this.statementIndex));
      return;
    }
    // `$` stays the start of the line in every repetition, as in NASM.
    for (let r = 0; r < repetitions; r++) this.emitBody(body);
    const sizeBytes = this.buffer.sizeBytes - startBytes;
    this.assembler.rememberSize(this.statementIndex, sizeBytes);
    if (this.assembler.listingWanted) this.recordListing(statement, startBytes, sizeBytes, body);
  }

  private recordListing(
    statement: Statement,
    startBytes: number,
    sizeBytes: number,
    body: StatementBody,
  ): void {
    const buffer = this.buffer;
    const reserved =
      buffer.nobits || body.kind === "reserve" || (body.kind === "align" && body.reserve);
    const bytes = reserved
      ? new Uint8Array(0)
      : buffer.contents().subarray(startBytes, startBytes + sizeBytes);
    this.listing.push({
      file: this.location.file,
      line: this.location.line,
      section: this.assembler.sectionList()[this.section]!.name,
      address: this.sectionBase() + startBytes,
      bytes: bytes.slice(),
      reservedBytes: reserved ? sizeBytes : 0,
      source: statement.line.text,
    });
  }

  private emitBody(body: StatementBody): void {
    switch (body.kind) {
      case "instruction":
        this.instruction(body);
        return;
      case "data":
        this.data(body.unitBytes, body.items, body.col);
        return;
      case "reserve": {
        const count = this.count(body.count, `res${unitName(body.unitBytes)[0]}`);
        if (count === undefined) return;
        if (!this.buffer.nobits && count > 0) {
          const name = this.assembler.sectionList()[this.section]!.name;
          this.warning(
            body.col,
            `uninitialized space declared in ${name} section: zeroing [-w+zeroing]`,
          );
        }
        this.buffer.fill(0, count * body.unitBytes);
        return;
      }
      case "align":
        this.align(body);
        return;
      default:
        this.error(body.col, "directive not allowed here");
    }
  }

  private align(body: Extract<StatementBody, { kind: "align" }>): void {
    const boundary = this.count(body.boundary, body.reserve ? "alignb" : "align");
    if (boundary === undefined || boundary === 0) return;
    // NASM's align also raises the section's alignment (sectalign) to the boundary.
    if ((boundary & (boundary - 1)) === 0 && boundary > this.alignBytes[this.section]!) {
      this.alignBytes[this.section] = boundary;
    }
    const padding = (boundary - (this.buffer.sizeBytes % boundary)) % boundary;
    if (body.reserve) {
      this.buffer.fill(0, padding);
      return;
    }
    if (!body.fill) {
      if (this.buffer.nobits) this.buffer.fill(0, padding);
      else this.buffer.fill(nopByte, padding);
      return;
    }
    for (let r = 0; r < padding; r++) this.emitBody(body.fill);
  }

  private noteNobits(col: number): boolean {
    if (!this.buffer.nobits) return false;
    this.warning(col, "attempt to initialize memory in a nobits section: ignored [-w+other]");
    return true;
  }

  private data(unitBytes: number, items: readonly DataItem[], col: number): void {
    if (unitBytes > 8) {
      this.error(
        col,
        `\`d${unitBytes === 10 ? "t" : unitBytes === 16 ? "o" : unitBytes === 32 ? "y" : "z"}' data is not supported`,
      );
      return;
    }
    const warnedNobits = this.noteNobits(col);
    for (const item of items) {
      switch (item.kind) {
        case "string": {
          const { view, offset } = this.buffer.claim(
            paddedStringBytes(item.bytes.length, unitBytes),
          );
          if (!warnedNobits) view.set(item.bytes, offset);
          break;
        }
        case "uninitialized":
          if (!this.buffer.nobits) {
            const name = this.assembler.sectionList()[this.section]!.name;
            this.warning(
              item.col,
              `uninitialized space declared in ${name} section: zeroing [-w+zeroing]`,
            );
          }
          this.buffer.fill(0, unitBytes);
          break;
        case "float": {
          const bytes = encodeFloat(item.value, unitBytes);
          if (!bytes) {
            this.error(
              item.col,
              `floating-point constants need dd or dq, not ${unitName(unitBytes)} data`,
            );
            this.buffer.fill(0, unitBytes);
          } else {
            this.buffer.write(bytes);
          }
          break;
        }
        case "expr": {
          const value = this.evaluate(item.expr);
          const { view, offset } = this.buffer.claim(unitBytes);
          if (!value) break;
          if (value.registers) {
            this.error(item.col, "registers cannot be used in data");
            break;
          }
          if (value.unknown) break;
          if (exceedsBounds(value.constant, unitBytes)) {
            this.warning(
              item.col,
              `${unitName(unitBytes)} data exceeds bounds [-w+number-overflow]`,
            );
          }
          if (!warnedNobits) writeInteger(view, offset, value.constant, unitBytes);
          break;
        }
      }
    }
  }

  private instruction(body: Extract<StatementBody, { kind: "instruction" }>): void {
    const operands: Operand[] = [];
    const context = { mnemonic: body.mnemonic, operands: body.operands, bits: this.bits };
    for (const syntax of body.operands) {
      const operand = operandValue(syntax, context, this.env, this.hint);
      if (typeof operand === "string") this.error(syntax.col, operand);
      if (operand === undefined || typeof operand === "string") {
        this.buffer.fill(0, this.assembler.previousSize(this.statementIndex));
        return;
      }
      operands.push(operand);
    }
    const instruction: SourceInstruction = {
      mnemonic: body.mnemonic,
      prefixes: [...body.prefixes],
      operands,
      bits: this.bits,
      address: this.sectionBase() + this.buffer.sizeBytes,
    };
    const result = this.assembler.encode(instruction);
    if (!result.ok) {
      const at =
        result.operandIndex === undefined
          ? body.col
          : (body.operands[result.operandIndex]?.col ?? body.col);
      this.error(at, result.message);
      this.buffer.fill(0, this.assembler.previousSize(this.statementIndex));
      return;
    }
    if (this.noteNobits(body.col)) {
      this.buffer.fill(0, result.bytes.length);
      return;
    }
    this.buffer.write(result.bytes);
  }
}
