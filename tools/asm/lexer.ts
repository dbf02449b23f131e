// Splits one line of NASM source into tokens, remembering each token's column and whether
// whitespace preceded it (the preprocessor pastes tokens that touch). The lexer does not know
// keywords: whether `mov` is an instruction or a label is the parser's business. Numbers and
// strings are kept as written; numbers.ts and strings.ts give them their values.

export type TokenKind =
  /** a name: label, mnemonic, register, directive (`$name` escapes a keyword) */
  | "ident"
  | "number"
  /** '...', "..." or `...`, quotes included in `text` */
  | "string"
  /** punctuation and operators: + - * / // % %% << >> <<< >>> ( ) [ ] , : ... */
  | "op"
  /** `$`: the address of the current line */
  | "here"
  /** `$$`: the start of the current section */
  | "base"
  /** `%define`, `%if`...: a preprocessor word */
  | "directive"
  /** macro parameter references: `%1`, `%0`, `%00`, `%{1:2}`, `%?`, `%??`, `%+1`, `%-1` */
  | "param"
  /** `%%name`: a label local to one macro expansion */
  | "local"
  /** `%+`: token pasting in macro bodies */
  | "paste";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 1-based column of the first character. */
  readonly col: number;
  /** True when whitespace (or the line start) comes right before the token. */
  readonly spaced: boolean;
  /** `$name`: an identifier even if it spells a keyword or register. */
  readonly escaped?: boolean;
}

export interface LexError {
  readonly col: number;
  readonly message: string;
}

export interface LexResult {
  readonly tokens: Token[];
  readonly error?: LexError;
}

const operatorsByLength: readonly (readonly string[])[] = [
  ["<<<", ">>>", "<=>"],
  ["<<", ">>", "//", "==", "!=", "<>", "<=", ">=", "&&", "||", "^^"],
  ["+", "-", "*", "/", "|", "^", "&", "~", "!", "(", ")", "[", "]", ",", ":", "=", "<", ">", "?"],
  ["{", "}"],
];

const identStartTable = new Uint8Array(128);
const identPartTable = new Uint8Array(128);
const numberPartTable = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const letter = /[A-Za-z]/.test(ch);
  const digit = /[0-9]/.test(ch);
  identStartTable[c] = letter || "_.?@".includes(ch) ? 1 : 0;
  identPartTable[c] = letter || digit || "_$#@~.?".includes(ch) ? 1 : 0;
  numberPartTable[c] = letter || digit || ch === "_" || ch === "." ? 1 : 0;
}

function isIdentStart(code: number): boolean {
  return code < 128 && identStartTable[code] === 1;
}

function isIdentPart(code: number): boolean {
  return code < 128 && identPartTable[code] === 1;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 11 || code === 12;
}

/** Tokenizes `line` up to its comment. Stops at the first character it cannot read. */
export function tokenizeLine(line: string): LexResult {
  const tokens: Token[] = [];
  let i = 0;
  let spaced = true;
  const n = line.length;
  while (i < n) {
    const code = line.charCodeAt(i);
    if (isSpace(code)) {
      spaced = true;
      i++;
      continue;
    }
    if (code === 59 /* ; */) break;
    const start = i;
    const col = start + 1;
    if (isIdentStart(code)) {
      i++;
      while (i < n && isIdentPart(line.charCodeAt(i))) i++;
      const text = line.slice(start, i);
      // A lone `?` is the conditional operator (or `db ?`), not a name.
      tokens.push({ kind: text === "?" ? "op" : "ident", text, col, spaced });
    } else if (isDigit(code)) {
      i = scanNumber(line, i, false);
      tokens.push({ kind: "number", text: line.slice(start, i), col, spaced });
    } else if (code === 36 /* $ */) {
      const next = line.charCodeAt(i + 1);
      if (next === 36) {
        i += 2;
        tokens.push({ kind: "base", text: "$$", col, spaced });
      } else if (isDigit(next)) {
        i = scanNumber(line, i + 1, true);
        tokens.push({ kind: "number", text: line.slice(start, i), col, spaced });
      } else if (isIdentPart(next)) {
        i++;
        while (i < n && isIdentPart(line.charCodeAt(i))) i++;
        tokens.push({ kind: "ident", text: line.slice(start + 1, i), col, spaced, escaped: true });
      } else {
        i++;
        tokens.push({ kind: "here", text: "$", col, spaced });
      }
    } else if (code === 39 || code === 34 || code === 96 /* ' " ` */) {
      const end = scanString(line, i);
      if (end < 0) {
        return { tokens, error: { col, message: "unterminated string" } };
      }
      i = end;
      tokens.push({ kind: "string", text: line.slice(start, i), col, spaced });
    } else if (code === 37 /* % */) {
      const token = scanPercent(line, i, spaced);
      if ("message" in token) return { tokens, error: token };
      tokens.push(token);
      i += token.text.length;
    } else {
      const op = matchOperator(line, i);
      if (op === undefined) {
        return {
          tokens,
          error: { col, message: `unexpected character \`${line[i]}'` },
        };
      }
      i += op.length;
      tokens.push({ kind: "op", text: op, col, spaced });
    }
    spaced = false;
  }
  return { tokens };
}

/**
 * The end of a number starting at `i` (after a `$` prefix if `hex`), as NASM's scanner reads
 * it: letters, digits, `_` and `.`, and a sign right after an exponent letter (`1e+5` unless
 * the number is hex by then, `0x1p-3`).
 */
function scanNumber(line: string, i: number, hex: boolean): number {
  while (i < line.length) {
    const code = line.charCodeAt(i);
    if (code >= 128 || numberPartTable[code] !== 1) break;
    i++;
    const lower = code | 0x20;
    const signFollows = line[i] === "+" || line[i] === "-";
    if (lower === 0x65 /* e */ && !hex) {
      if (signFollows) i++;
    } else if (lower === 0x68 /* h */ || lower === 0x78 /* x */) {
      hex = true;
    } else if (lower === 0x70 /* p */ && signFollows) {
      i++;
    }
  }
  return i;
}

/** Index just past the closing quote, or -1 if the string does not end on this line. */
function scanString(line: string, i: number): number {
  const quote = line.charCodeAt(i);
  i++;
  while (i < line.length) {
    const code = line.charCodeAt(i);
    if (quote === 96 && code === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (code === quote) return i + 1;
    i++;
  }
  return -1;
}

function scanPercent(line: string, i: number, spaced: boolean): Token | LexError {
  const col = i + 1;
  const next = line.charCodeAt(i + 1);
  if (next === 37 /* %% */) {
    if (isIdentStart(line.charCodeAt(i + 2))) {
      let j = i + 3;
      while (j < line.length && isIdentPart(line.charCodeAt(j))) j++;
      return { kind: "local", text: line.slice(i, j), col, spaced };
    }
    return { kind: "op", text: "%%", col, spaced };
  }
  if (isDigit(next)) {
    let j = i + 2;
    while (j < line.length && isDigit(line.charCodeAt(j))) j++;
    return { kind: "param", text: line.slice(i, j), col, spaced };
  }
  if (next === 123 /* { */) {
    const close = line.indexOf("}", i + 2);
    if (close < 0) return { col, message: "missing `}' after `%{'" };
    return { kind: "param", text: line.slice(i, close + 1), col, spaced };
  }
  if (next === 63 /* ? */) {
    const text = line.charCodeAt(i + 2) === 63 ? "%??" : "%?";
    return { kind: "param", text, col, spaced };
  }
  if ((next === 43 /* + */ || next === 45) /* - */ && isDigit(line.charCodeAt(i + 2))) {
    // `%+1`, `%-1`: parameter 1 as a condition code, or its inverse.
    let j = i + 3;
    while (j < line.length && isDigit(line.charCodeAt(j))) j++;
    return { kind: "param", text: line.slice(i, j), col, spaced };
  }
  if (next === 43 /* + */) {
    return { kind: "paste", text: "%+", col, spaced };
  }
  if (isIdentStart(next) || next === 36 /* $ */ || next === 33 /* ! */) {
    let j = i + 2;
    while (j < line.length && isIdentPart(line.charCodeAt(j))) j++;
    return { kind: "directive", text: line.slice(i, j), col, spaced };
  }
  return { kind: "op", text: "%", col, spaced };
}

function matchOperator(line: string, i: number): string | undefined {
  for (const group of operatorsByLength) {
    for (const op of group) {
      if (line.startsWith(op, i)) return op;
    }
  }
  return undefined;
}

/** The tokens written back as source text (for messages, %ifidn and listings). */
export function tokensToText(tokens: readonly Token[]): string {
  let text = "";
  tokens.forEach((token, index) => {
    if (index > 0 && token.spaced) text += " ";
    text += token.escaped ? `$${token.text}` : token.text;
  });
  return text;
}
