// The assembler's passes over the parsed statements, as NASM runs them: every pass assigns
// addresses, evaluates expressions with the symbol values known so far and encodes each
// instruction (short jumps and small immediates first, since unknown forward references are
// optimistically small), until a pass uses only final values: no forward reference saw a value
// that changed and the section layout did not move. That pass's bytes and diagnostics are the
// result. If addresses never settle, a phase error names a symbol that kept moving.

import type { DiagnosticSink } from "../diagnostics.ts";
import type { Expr } from "../expression/ast.ts";
import { type EvaluationEnvironment, evaluate } from "../expression/evaluate.ts";
import type { EncodeResult, OptimizationLevel, SourceInstruction } from "../instruction.ts";
import type { ParsedProgram, Statement } from "../parser/statement.ts";
import type { LogicalLine } from "../preprocessor/source-line.ts";
import {
  type Encoder,
  type ListingLine,
  Pass,
  type PassHost,
  type PassResult,
  type Redefinition,
} from "./pass.ts";
import {
  declareSection,
  layoutSections,
  type OutputFormat,
  type SectionInfo,
  type SectionLayout,
  sameLayout,
} from "./sections.ts";
import { SymbolTable } from "./symbol-table.ts";

export interface AssemblerOptions {
  readonly format: OutputFormat;
  readonly encode: Encoder;
  readonly listing: boolean;
  readonly optimization: OptimizationLevel;
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

/** Runs the passes; undefined when the program has errors (already in `sink`). */
export function assembleStatements(
  program: ParsedProgram,
  options: AssemblerOptions,
  sink: DiagnosticSink,
): AssembledProgram | undefined {
  return new Assembler(program, options, sink).run();
}

class Assembler implements PassHost {
  private readonly sections: SectionInfo[] = [];
  private readonly sectionIndex = new Map<string, number>();
  private readonly symbols = new SymbolTable();
  /** Statements whose label duplicates an earlier one (not defined again). */
  /** Each later definition of a name, with the first: nasm accepts one that gives the same value. */
  private readonly duplicateLabels = new Map<Statement, Statement>();
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
      this.reportInconsistentRedefinitions(result.redefinitions);
      this.reportUnresolved(result.sink);
      this.sink.absorb(result.sink);
      if (this.sink.errorCount > 0) return undefined;
      return this.result(result, layout);
    }
    return undefined;
  }

  /** A name defined twice is an error only when the final pass gave the two different values. */
  private reportInconsistentRedefinitions(redefinitions: readonly Redefinition[]): void {
    for (const { statement, section, value, known } of redefinitions) {
      const label = statement.label!;
      const symbol = this.symbols.get(label.name);
      if (symbol?.known && known && symbol.section === section && symbol.value === value) continue;
      const where = this.duplicateLabels.get(statement)!.line.location;
      this.sink.error(
        statement.line.location,
        label.col,
        `label \`${label.name}' inconsistently redefined (first defined at ${where.file}:${where.line})`,
        statement.line.order,
      );
    }
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
      } else if (body?.kind === "section" && body.attributes.alignBytes !== undefined) {
        // A later `section x align=N` raises the section's alignment, as in NASM.
        const index = this.sectionIndex.get(body.name)!;
        const section = this.sections[index]!;
        if (body.attributes.alignBytes > section.alignBytes) {
          this.sections[index] = { ...section, alignBytes: body.attributes.alignBytes };
        }
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
        this.duplicateLabels.set(statement, earlier);
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

  get optimization(): OptimizationLevel {
    return this.options.optimization;
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
