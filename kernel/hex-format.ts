// How the kernel writes addresses and codes in messages: 0x and 8 hex digits, as a debugger does.

export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, "0")}`;
}

export function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}
