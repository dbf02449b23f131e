// One assembler pass over the statements: the current section, offset and `bits`, labels
// defined at their addresses, equ values, data and reservations, `align`, and instructions
// handed to the encoder. It collects its own diagnostics; the pass driver (assembler.ts)
// keeps them only from the pass whose values turned out final.

import { DiagnosticSink, type SourceLocation } from "../diagnostics.ts";
import type { Expr } from "../expression/ast.ts";
import {
  type BaseRegisterHint,
  type EvaluationEnvironment,
  evaluate,
  type Value,
} from "../expression/evaluate.ts";
import type {
  EncodeResult,
  Operand,
  OptimizationLevel,
  SourceInstruction,
} from "../instruction.ts";
import type { DataItem, Statement, StatementBody } from "../parser/statement.ts";
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
import type { OutputFormat, SectionInfo, SectionLayout } from "./sections.ts";
import type { SymbolTable } from "./symbol-table.ts";

export type Encoder = (instruction: SourceInstruction) => EncodeResult;

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

/** A second definition of a label or constant, as this pass computed it. */
export interface Redefinition {
  readonly statement: Statement;
  /** Section index for a label, -1 for a constant. */
  readonly section: number;
  readonly value: bigint;
  readonly known: boolean;
}

export interface PassResult {
  readonly sink: DiagnosticSink;
  readonly buffers: readonly SectionBuffer[];
  readonly alignBytes: readonly number[];
  readonly listing: ListingLine[];
  readonly redefinitions: readonly Redefinition[];
}

/** What a pass needs from the pass driver. */
export interface PassHost {
  readonly format: OutputFormat;
  readonly listingWanted: boolean;
  readonly optimization: OptimizationLevel;
  encode(instruction: SourceInstruction): EncodeResult;
  sectionList(): readonly SectionInfo[];
  indexOfSection(name: string): number;
  symbolTable(): SymbolTable;
  isDuplicateLabel(statement: Statement): boolean;
  previousSize(statementIndex: number): number;
  rememberSize(statementIndex: number, sizeBytes: number): void;
  labelRelocation(section: number): ReadonlyMap<number, bigint>;
}

const timesMax = 100_000_000;
/** Bytes all sections with contents may hold together: the program is built in memory. */
export const outputBytesMax = 64 * 1024 * 1024;
const nopByte = 0x90;

/** The state of one pass: current section, offsets, bits, and its own diagnostics. */
export class Pass {
  private readonly sink = new DiagnosticSink();
  private readonly buffers: SectionBuffer[];
  private readonly alignBytes: number[];
  private readonly listing: ListingLine[] = [];
  private readonly redefinitions: Redefinition[] = [];
  private section = 0;
  /** Start of the absolute space (`absolute`, struc) while in it; its size is in `absolute`. */
  private absoluteBase: number | undefined;
  private readonly absolute = new SectionBuffer(true);
  private bits: 16 | 32;
  private line!: LogicalLine;
  private readonly hint: BaseRegisterHint = { type: "none", base: "" };
  private readonly env: EvaluationEnvironment;
  private statementIndex = 0;
  /** Bytes written to sections with contents in this pass, against outputBytesMax. */
  private outputBytes = 0;
  private outputFull = false;
  /** Start of the current statement (`$`). */
  private hereBytes = 0;

  constructor(
    private readonly assembler: PassHost,
    private readonly layout: SectionLayout,
  ) {
    const sections = assembler.sectionList();
    this.buffers = sections.map((section) => new SectionBuffer(section.nobits));
    this.alignBytes = sections.map((section) => section.alignBytes);
    this.bits = assembler.format === "bin" ? 16 : 32;
    const symbols = assembler.symbolTable();
    this.env = {
      lookup: (name, col) => symbols.lookup(name, this.line.location, col, this.line.order),
      here: () => ({
        value: BigInt(this.sectionBase() + this.hereBytes),
        section: this.relocation(),
      }),
      sectionBase: () => ({ value: BigInt(this.sectionBase()), section: this.relocation() }),
      error: (col, message) => this.error(col, message),
    };
  }

  finish(): PassResult {
    return {
      sink: this.sink,
      buffers: this.buffers,
      alignBytes: this.alignBytes,
      listing: this.listing,
      redefinitions: this.redefinitions,
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
    return this.absoluteBase ?? this.layout.baseAddresses[this.section]!;
  }

  /** The section addresses here are relative to; none in absolute space. */
  private relocation(): number | undefined {
    return this.absoluteBase === undefined ? this.section : undefined;
  }

  private get buffer(): SectionBuffer {
    return this.absoluteBase === undefined ? this.buffers[this.section]! : this.absolute;
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
    const duplicate = statement.label !== undefined && this.assembler.isDuplicateLabel(statement);
    if (statement.label && body?.kind !== "equ" && duplicate) {
      const inSection = this.absoluteBase === undefined;
      this.redefinitions.push({
        statement,
        section: inSection ? this.section : -1,
        value: BigInt(this.sectionBase() + this.buffer.sizeBytes),
        known: true,
      });
    } else if (statement.label && body?.kind !== "equ") {
      const inSection = this.absoluteBase === undefined;
      symbols.define(statement.label.name, {
        kind: inSection ? "label" : "equ",
        section: inSection ? this.section : -1,
        value: BigInt(this.sectionBase() + this.buffer.sizeBytes),
        known: true,
        relocations: inSection ? this.assembler.labelRelocation(this.section) : null,
        location: this.location,
        col: statement.label.col,
      });
    }
    if (!body) return;
    switch (body.kind) {
      case "equ": {
        if (!statement.label) return;
        const value = this.evaluate(body.value);
        if (value?.registers) this.error(body.col, "`equ' value cannot contain a register");
        if (duplicate) {
          this.redefinitions.push({
            statement,
            section: -1,
            value: value?.constant ?? 0n,
            known: value !== undefined && !value.unknown && !value.registers,
          });
          return;
        }
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
        this.absoluteBase = undefined;
        return;
      case "absolute": {
        const value = this.evaluate(body.value);
        if (value?.registers) this.error(body.col, "`absolute' needs an address, not a register");
        this.absoluteBase = Number(BigInt.asUintN(32, value?.constant ?? 0n));
        this.absolute.sizeBytes = 0;
        return;
      }
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
    if (this.outputFull) return;
    // `$` stays the start of the line in every repetition, as in NASM. When the second
    // repetition gives the same bytes as the first (all but relative jumps), the rest are
    // copies: `times 100000000 nop` is not encoded 10^8 times.
    for (let r = 0; r < repetitions; r++) {
      this.emitBody(body);
      if (this.overOutputLimit(body.col, startBytes)) return;
      if (r === 1 && repetitions > 2 && this.repeatsItself(startBytes)) {
        this.repeatLastBytes(startBytes, repetitions - 2);
        break;
      }
    }
    const sizeBytes = this.buffer.sizeBytes - startBytes;
    if (!this.buffer.nobits) this.outputBytes += sizeBytes;
    this.assembler.rememberSize(this.statementIndex, sizeBytes);
    if (this.assembler.listingWanted) this.recordListing(statement, startBytes, sizeBytes, body);
  }

  /** True when what was written since `startBytes` is one block twice. */
  private repeatsItself(startBytes: number): boolean {
    const twiceBytes = this.buffer.sizeBytes - startBytes;
    if (twiceBytes % 2 !== 0) return false;
    const onceBytes = twiceBytes / 2;
    if (this.buffer.nobits) return true;
    const bytes = this.buffer.view();
    for (let i = 0; i < onceBytes; i++) {
      if (bytes[startBytes + i] !== bytes[startBytes + onceBytes + i]) return false;
    }
    return true;
  }

  /** Appends `times` more copies of the block this statement wrote twice since `startBytes`. */
  private repeatLastBytes(startBytes: number, times: number): void {
    const onceBytes = (this.buffer.sizeBytes - startBytes) / 2;
    if (this.overOutputLimit(1, startBytes, onceBytes * times)) return;
    this.buffer.repeat(startBytes, onceBytes, times);
  }

  /** True (after one located error per pass) when this statement would pass outputBytesMax. */
  private overOutputLimit(col: number, startBytes: number, moreBytes = 0): boolean {
    if (this.buffer.nobits) return false;
    const total = this.outputBytes + this.buffer.sizeBytes - startBytes + moreBytes;
    if (total <= outputBytesMax) return false;
    this.error(col, `output exceeds ${outputBytesMax} bytes`);
    this.outputFull = true;
    return true;
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
      section:
        this.absoluteBase === undefined
          ? this.assembler.sectionList()[this.section]!.name
          : "absolute",
      address: this.sectionBase() + startBytes,
      bytes: bytes.slice(),
      reservedBytes: reserved ? sizeBytes : 0,
      source: statement.line.text,
    });
  }

  private emitBody(body: StatementBody): void {
    const reserves = body.kind === "reserve" || (body.kind === "align" && body.reserve);
    if (this.absoluteBase !== undefined && !reserves) {
      this.error(
        body.col,
        "only resb/resw/resd/resq and alignb are allowed in absolute space (struc, absolute)",
      );
      return;
    }
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
    if (boundary === undefined) return;
    if (boundary === 0 || (boundary & (boundary - 1)) !== 0) {
      this.error(body.col, `segment alignment \`${boundary}' is not power of two`);
      return;
    }
    // NASM's align also raises the section's alignment (sectalign) to the boundary.
    if (boundary > this.alignBytes[this.section]!) {
      this.alignBytes[this.section] = boundary;
    }
    if (body.sectionOnly) return;
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
        case "group": {
          const times = item.times === undefined ? 1 : this.count(item.times, "dup");
          for (let r = 0; r < (times ?? 0); r++) {
            if (this.buffer.sizeBytes > outputBytesMax) {
              this.error(item.col, `output exceeds ${outputBytesMax} bytes`);
              this.outputFull = true;
              return;
            }
            this.data(item.unitBytes ?? unitBytes, item.items, item.col);
          }
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
          const result = encodeFloat(item.text, item.negative, unitBytes);
          if (!result.ok) {
            this.error(item.col, result.error);
            this.buffer.fill(0, unitBytes);
            break;
          }
          for (const warning of result.warnings) this.warning(item.col, warning);
          if (warnedNobits) this.buffer.fill(0, unitBytes);
          else this.buffer.write(result.bytes);
          break;
        }
        case "expr": {
          if (unitBytes > 8) {
            // NASM has no integers wider than 64 bits: dt/do/dy/dz take floats and strings.
            this.error(item.col, `integer supplied as ${unitBytes * 8}-bit data`);
            this.buffer.fill(0, unitBytes);
            break;
          }
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
    for (const syntax of body.operands) {
      const operand = operandValue(
        syntax,
        this.env,
        this.hint,
        this.relocation(),
        this.assembler.optimization === "x",
      );
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
      optimization: this.assembler.optimization,
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
