// Sections and where they go in memory. A program has .text (always, first) and whatever
// `section` directives name, in the order first named. Attributes default as NASM's output
// formats default them. Layout follows the output:
//   bin: .text at `org`, then the other progbits sections in order, then the nobits ones,
//        each aligned to its alignment (4 unless given), as NASM's bin format lays them out;
//   elf: ld's classic static layout at 0x08048000: the ELF and program headers, then the
//        read-only sections (code first) in one R-X segment; the writable progbits and then
//        the nobits sections in an RW segment starting on the next page.
// Section sizes come from the previous pass, so the layout is recomputed after every pass.

import type { SectionAttributes } from "../parser/statement.ts";

export type OutputFormat = "bin" | "elf";

export interface SectionInfo {
  readonly name: string;
  readonly nobits: boolean;
  readonly exec: boolean;
  readonly write: boolean;
  /** Alignment given by the declaration or the format's default. */
  readonly alignBytes: number;
}

export const elfBaseAddress = 0x08048000;
export const elfHeaderBytes = 52;
export const elfProgramHeaderBytes = 32;
export const pageBytes = 4096;

interface Defaults {
  readonly nobits: boolean;
  readonly exec: boolean;
  readonly write: boolean;
  readonly elfAlignBytes: number;
}

const knownSections: ReadonlyMap<string, Defaults> = new Map([
  [".text", { nobits: false, exec: true, write: false, elfAlignBytes: 16 }],
  [".data", { nobits: false, exec: false, write: true, elfAlignBytes: 4 }],
  [".rodata", { nobits: false, exec: false, write: false, elfAlignBytes: 4 }],
  [".bss", { nobits: true, exec: false, write: true, elfAlignBytes: 4 }],
]);

const otherSection: Defaults = { nobits: false, exec: false, write: false, elfAlignBytes: 1 };

/** The section a `section NAME attrs` directive declares, defaults filled in. */
export function declareSection(
  name: string,
  attributes: SectionAttributes,
  format: OutputFormat,
): SectionInfo {
  const defaults = knownSections.get(name) ?? otherSection;
  const nobits = attributes.nobits ?? defaults.nobits;
  return {
    name,
    nobits,
    exec: attributes.exec ?? defaults.exec,
    write: attributes.write ?? (defaults === otherSection ? nobits : defaults.write),
    alignBytes: attributes.alignBytes ?? (format === "bin" ? 4 : defaults.elfAlignBytes),
  };
}

export interface SectionLayout {
  /** Start address of each section, by section index. */
  readonly baseAddresses: readonly number[];
  /** Number of ELF program headers the layout assumed (0 for bin). */
  readonly programHeaderCount: number;
}

function alignUp(value: number, alignBytes: number): number {
  return Math.ceil(value / alignBytes) * alignBytes;
}

/** Sections in the order they are placed, as indices. */
function placementOrder(sections: readonly SectionInfo[], format: OutputFormat): number[] {
  const indices = sections.map((_, index) => index);
  if (format === "bin") {
    return [
      ...indices.filter((i) => !sections[i]!.nobits),
      ...indices.filter((i) => sections[i]!.nobits),
    ];
  }
  return [
    ...indices.filter((i) => inReadOnlySegment(sections[i]!)),
    ...indices.filter((i) => !inReadOnlySegment(sections[i]!) && !sections[i]!.nobits),
    ...indices.filter((i) => !inReadOnlySegment(sections[i]!) && sections[i]!.nobits),
  ];
}

/** ELF: code and read-only data share the R-X segment with the headers. */
export function inReadOnlySegment(section: SectionInfo): boolean {
  return !section.nobits && (section.exec || !section.write);
}

/**
 * Addresses for every section given their sizes. `alignBytes` may exceed a section's
 * declared alignment when `align` raised it during the pass.
 */
export function layoutSections(
  sections: readonly SectionInfo[],
  sizesBytes: readonly number[],
  alignBytes: readonly number[],
  format: OutputFormat,
  origin: number,
): SectionLayout {
  const baseAddresses = new Array<number>(sections.length).fill(0);
  if (format === "bin") {
    let address = origin;
    for (const index of placementOrder(sections, format)) {
      if (index !== 0) address = alignUp(address, alignBytes[index]!);
      baseAddresses[index] = address;
      address += sizesBytes[index]!;
    }
    return { baseAddresses, programHeaderCount: 0 };
  }
  const hasWritable = sections.some(
    (section, index) => !inReadOnlySegment(section) && sizesBytes[index]! > 0,
  );
  const programHeaderCount = hasWritable ? 2 : 1;
  let address = elfBaseAddress + elfHeaderBytes + programHeaderCount * elfProgramHeaderBytes;
  let inWritable = false;
  for (const index of placementOrder(sections, format)) {
    if (!inWritable && !inReadOnlySegment(sections[index]!)) {
      inWritable = true;
      address = alignUp(address, pageBytes);
    }
    address = alignUp(address, alignBytes[index]!);
    baseAddresses[index] = address;
    address += sizesBytes[index]!;
  }
  return { baseAddresses, programHeaderCount };
}

export function sameLayout(a: SectionLayout, b: SectionLayout): boolean {
  return (
    a.programHeaderCount === b.programHeaderCount &&
    a.baseAddresses.length === b.baseAddresses.length &&
    a.baseAddresses.every((address, index) => address === b.baseAddresses[index])
  );
}
