// Where a line of assembly came from, and the errors and warnings attached to it, printed the
// way gcc prints them: `FILE:LINE:COL: error: message`, preceded by "In file included from"
// lines for include chains and followed by a note naming the macro a line was expanded from.
// Columns are 1-based character positions (a tab counts as one column).

/** One step of an include chain: the `%include` line that pulled a file in. */
export interface IncludeSite {
  readonly file: string;
  readonly line: number;
}

/** The macro a line was expanded from; the line's own position is then the call site. */
export interface MacroOrigin {
  readonly name: string;
  readonly definedAt: IncludeSite;
}

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  /** Innermost include first, as gcc lists them. */
  readonly includedFrom: readonly IncludeSite[];
  readonly macro?: MacroOrigin;
}

export type Severity = "error" | "warning";

export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly includedFrom: readonly IncludeSite[];
  readonly macro?: MacroOrigin;
  /** Position of the reporting line in the preprocessed output, to sort stages together. */
  readonly order: number;
}

/** Collects diagnostics from every stage; errors never throw. */
export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];
  private errors = 0;

  get errorCount(): number {
    return this.errors;
  }

  error(location: SourceLocation, column: number, message: string, order = 0): void {
    this.add("error", location, column, message, order);
  }

  warning(location: SourceLocation, column: number, message: string, order = 0): void {
    this.add("warning", location, column, message, order);
  }

  add(
    severity: Severity,
    location: SourceLocation,
    column: number,
    message: string,
    order: number,
  ): void {
    if (severity === "error") this.errors++;
    this.diagnostics.push({
      severity,
      message,
      file: location.file,
      line: location.line,
      column: Math.max(1, column),
      includedFrom: location.includedFrom,
      macro: location.macro,
      order,
    });
  }

  /** Moves every diagnostic of `other` into this sink. */
  absorb(other: DiagnosticSink): void {
    for (const diagnostic of other.diagnostics) {
      if (diagnostic.severity === "error") this.errors++;
      this.diagnostics.push(diagnostic);
    }
  }

  /** Diagnostics in source order (stable for equal positions). */
  sorted(): Diagnostic[] {
    return this.diagnostics
      .map((diagnostic, index) => ({ diagnostic, index }))
      .sort((a, b) => a.diagnostic.order - b.diagnostic.order || a.index - b.index)
      .map(({ diagnostic }) => diagnostic);
  }
}

/**
 * Include sites a diagnostic prints at most: the innermost ones and the outermost, the
 * rest told as a count, so a file that includes itself 64 deep costs 4 lines, not 65.
 */
const includeSitesShownMax = 4;

/** The diagnostic as gcc would print it: include chain, the message line, a macro note. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const lines: string[] = [];
  const sites = diagnostic.includedFrom;
  const elided =
    sites.length > includeSitesShownMax ? sites.length - (includeSitesShownMax - 1) : 0;
  sites.forEach((site, index) => {
    const last = index === sites.length - 1;
    if (elided > 0 && !last && index >= includeSitesShownMax - 2) {
      if (index === includeSitesShownMax - 2) {
        lines.push(`                 from ... (${elided} more include sites),`);
      }
      return;
    }
    const lead = index === 0 ? "In file included from " : "                 from ";
    lines.push(`${lead}${site.file}:${site.line}${last ? ":" : ","}`);
  });
  lines.push(
    `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.severity}: ${diagnostic.message}`,
  );
  if (diagnostic.macro) {
    const { name, definedAt } = diagnostic.macro;
    lines.push(`${definedAt.file}:${definedAt.line}: note: in expansion of macro \`${name}'`);
  }
  return lines.join("\n");
}
