// NASM's predefined single-line macros whose value the preprocessor computes (besides
// __?FILE?__ and __?LINE?__, which follow the current line): the NASM version this assembler
// follows, the `bits` in force, and the assembly date and time. Each has a `__?NAME?__`
// spelling and the older `__NAME__` one. The clock is an input (AssembleOptions.now), so
// tests pin it as NASM's own tests do.

import type { Token } from "../lexer.ts";

/** The NASM release whose behaviour sterna's assembler follows. */
const nasmVersion = { major: 2, minor: 16, subminor: 1, patchLevel: 0 } as const;

function two(value: number): string {
  return String(value).padStart(2, "0");
}

function parts(date: Date, utc: boolean) {
  const year = utc ? date.getUTCFullYear() : date.getFullYear();
  const month = (utc ? date.getUTCMonth() : date.getMonth()) + 1;
  const day = utc ? date.getUTCDate() : date.getDate();
  const hours = utc ? date.getUTCHours() : date.getHours();
  const minutes = utc ? date.getUTCMinutes() : date.getMinutes();
  const seconds = utc ? date.getUTCSeconds() : date.getSeconds();
  return {
    date: `${year}-${two(month)}-${two(day)}`,
    time: `${two(hours)}:${two(minutes)}:${two(seconds)}`,
    dateNum: `${year}${two(month)}${two(day)}`,
    timeNum: `${hours}${two(minutes)}${two(seconds)}`,
  };
}

/** `__?NAME?__` -> `__NAME__`; other names unchanged. */
function plainName(name: string): string {
  return name.startsWith("__?") && name.endsWith("?__") ? `__${name.slice(3, -3)}__` : name;
}

/** The value of a computed standard macro as text and kind, or undefined. */
export function standardMacroValue(
  name: string,
  bits: 16 | 32,
  now: Date,
): { kind: "number" | "string"; text: string } | undefined {
  const { major, minor, subminor, patchLevel } = nasmVersion;
  const number = (value: number | string) => ({ kind: "number" as const, text: String(value) });
  const string = (value: string) => ({ kind: "string" as const, text: `'${value}'` });
  switch (plainName(name)) {
    case "__BITS__":
      return number(bits);
    case "__NASM_MAJOR__":
      return number(major);
    case "__NASM_MINOR__":
      return number(minor);
    case "__NASM_SUBMINOR__":
      return number(subminor);
    case "___NASM_PATCHLEVEL__":
    case "__NASM_PATCHLEVEL__":
      return number(patchLevel);
    case "__NASM_VERSION_ID__": {
      const id = (major << 24) | (minor << 16) | (subminor << 8) | patchLevel;
      return number(`0${id.toString(16).padStart(8, "0")}h`);
    }
    case "__NASM_VER__":
      return string(`${major}.${minor}.${two(subminor)}`);
    case "__DATE__":
      return string(parts(now, false).date);
    case "__TIME__":
      return string(parts(now, false).time);
    case "__DATE_NUM__":
      return number(parts(now, false).dateNum);
    case "__TIME_NUM__":
      return number(parts(now, false).timeNum);
    case "__UTC_DATE__":
      return string(parts(now, true).date);
    case "__UTC_TIME__":
      return string(parts(now, true).time);
    case "__UTC_DATE_NUM__":
      return number(parts(now, true).dateNum);
    case "__UTC_TIME_NUM__":
      return number(parts(now, true).timeNum);
    case "__POSIX_TIME__":
      return number(Math.floor(now.getTime() / 1000));
    default:
      return undefined;
  }
}

export function standardMacroTokens(
  name: string,
  bits: 16 | 32,
  now: Date,
  at: Token,
): Token[] | undefined {
  const value = standardMacroValue(name, bits, now);
  return value && [{ kind: value.kind, text: value.text, col: at.col, spaced: at.spaced }];
}
