// NASM string literals: '...' and "..." are taken verbatim; `...` understands C-style escapes
// (\n \t \r \0 \\ \' \" \` \? \a \b \e \f \v, octal \ooo, hex \xHH, \uHHHH and \UHHHHHHHH as
// UTF-8). Source characters outside ASCII are stored as UTF-8, as NASM reads a UTF-8 file.
// Also the value of a string used as a number (a character constant: first byte lowest).

const utf8 = new TextEncoder();

const simpleEscapes: Readonly<Record<string, number>> = {
  "'": 39,
  '"': 34,
  "`": 96,
  "\\": 92,
  "?": 63,
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  e: 27,
};

/** The bytes of a string token (quotes included in `text`). */
export function decodeString(text: string): Uint8Array {
  const body = text.slice(1, -1);
  if (text[0] !== "`") return utf8.encode(body);
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const ch = body[i]!;
    if (ch !== "\\") {
      const code = body.codePointAt(i)!;
      for (const byte of utf8.encode(String.fromCodePoint(code))) bytes.push(byte);
      i += code > 0xffff ? 2 : 1;
      continue;
    }
    const escaped = body[i + 1] ?? "";
    i += 2;
    if (escaped in simpleEscapes) {
      bytes.push(simpleEscapes[escaped]!);
    } else if (/[0-7]/.test(escaped)) {
      let digits = escaped;
      while (digits.length < 3 && /[0-7]/.test(body[i] ?? "")) digits += body[i++];
      bytes.push(Number.parseInt(digits, 8) & 0xff);
    } else if (escaped === "x" || escaped === "X") {
      let digits = "";
      while (digits.length < 2 && /[0-9a-f]/i.test(body[i] ?? "")) digits += body[i++];
      bytes.push(digits === "" ? 0 : Number.parseInt(digits, 16));
    } else if (escaped === "u" || escaped === "U") {
      const width = escaped === "u" ? 4 : 8;
      let digits = "";
      while (digits.length < width && /[0-9a-f]/i.test(body[i] ?? "")) digits += body[i++];
      const codePoint = digits === "" ? 0 : Number.parseInt(digits, 16);
      for (const byte of encodeCodePoint(codePoint)) bytes.push(byte);
    } else {
      for (const byte of utf8.encode(escaped)) bytes.push(byte);
    }
  }
  return Uint8Array.from(bytes);
}

function encodeCodePoint(codePoint: number): number[] {
  if (codePoint > 0x10ffff) return [];
  if (codePoint < 0x80) return [codePoint];
  if (codePoint < 0x800) return [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)];
  if (codePoint < 0x10000) {
    return [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  }
  return [
    0xf0 | (codePoint >> 18),
    0x80 | ((codePoint >> 12) & 0x3f),
    0x80 | ((codePoint >> 6) & 0x3f),
    0x80 | (codePoint & 0x3f),
  ];
}

/** NASM keeps 4 bytes of a character constant outside 64-bit code ('abcdefgh' is 'abcd'). */
const characterConstantBytesMax = 4;

/** A string read as a number: its first bytes, little-endian. `tooLong` if bytes were lost. */
export function characterConstant(bytes: Uint8Array): { value: bigint; tooLong: boolean } {
  let value = 0n;
  const count = Math.min(bytes.length, characterConstantBytesMax);
  for (let i = count - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return { value, tooLong: bytes.length > characterConstantBytesMax };
}
