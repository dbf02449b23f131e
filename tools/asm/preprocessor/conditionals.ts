// The %if / %elif / %else / %endif nesting: which branch is live, whether an earlier branch
// already matched, and where each %if was written (for "unterminated %if").

import type { SourceLocation } from "../diagnostics.ts";

interface Frame {
  /** Lines of the current branch are processed. */
  active: boolean;
  /** Some branch of this %if has matched (later %elif/%else branches are dead). */
  matched: boolean;
  /** The enclosing code is live: only then are conditions evaluated. */
  readonly parentActive: boolean;
  sawElse: boolean;
  readonly location: SourceLocation;
  readonly col: number;
}

export class ConditionalStack {
  private readonly frames: Frame[] = [];

  get depth(): number {
    return this.frames.length;
  }

  /** Lines are processed (not inside a false branch). */
  get active(): boolean {
    return this.frames.length === 0 || this.frames[this.frames.length - 1]!.active;
  }

  /** Opens an %if whose condition is `condition()` (only evaluated in live code). */
  open(condition: () => boolean, location: SourceLocation, col: number): void {
    const parentActive = this.active;
    const value = parentActive && condition();
    this.frames.push({
      active: value,
      matched: value,
      parentActive,
      sawElse: false,
      location,
      col,
    });
  }

  /** %elif; returns an error message or undefined (a warning through `warn`). */
  elseIf(condition: () => boolean, warn: (message: string) => void): string | undefined {
    const frame = this.frames[this.frames.length - 1];
    if (!frame) return "`%elif' without `%if'";
    if (frame.sawElse) {
      // NASM goes on, ignoring the branch.
      if (frame.parentActive) warn("`%elif' after `%else', ignoring content [-w+pp-else-elif]");
      frame.active = false;
      return undefined;
    }
    if (!frame.parentActive || frame.matched) {
      frame.active = false;
      return undefined;
    }
    frame.active = condition();
    frame.matched = frame.active;
    return undefined;
  }

  /** %else; returns an error message or undefined (a warning through `warn`). */
  otherwise(warn: (message: string) => void): string | undefined {
    const frame = this.frames[this.frames.length - 1];
    if (!frame) return "`%else' without `%if'";
    if (frame.sawElse) {
      if (frame.parentActive) warn("`%else' after `%else', ignoring content [-w+pp-else-else]");
      frame.active = false;
      return undefined;
    }
    frame.sawElse = true;
    frame.active = frame.parentActive && !frame.matched;
    frame.matched = true;
    return undefined;
  }

  /** %endif; returns an error message or undefined. */
  close(): string | undefined {
    if (this.frames.length === 0) return "`%endif' without `%if'";
    this.frames.pop();
    return undefined;
  }

  /** Drops the frames above `depth` (each an %if left open) and returns them, outermost first. */
  truncate(depth: number): { location: SourceLocation; col: number }[] {
    return this.frames.splice(depth);
  }
}
