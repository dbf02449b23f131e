// Rebuilds the encoder corpus fixtures from the committed seed with the installed NASM:
//   npx tsx test/oracle/asm/record.ts
// Writes fixtures/encoder-corpus.jsonl (a header line, then one record per line: text,
// SourceInstruction, NASM's bytes or error), and fixtures/encoder-corpus.asm/.bin (the
// lines NASM accepted as one source, and NASM's output for it, for the front end's test).

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { committedCorpusOptions, committedSeed, generateCorpus } from "./corpus-generator.ts";
import { recordWithNasm } from "./corpus-records.ts";
import { corpusOrigin, nasmVersion } from "./nasm-oracle.ts";

const fixtures = join(import.meta.dirname, "fixtures");
const corpus = generateCorpus(committedSeed, committedCorpusOptions);
const records = recordWithNasm(corpus);
const header = {
  seed: committedSeed,
  nasm: nasmVersion(),
  origin: corpusOrigin,
  options: committedCorpusOptions,
};
writeFileSync(
  join(fixtures, "encoder-corpus.jsonl"),
  `${[header, ...records].map((r) => JSON.stringify(r)).join("\n")}\n`,
);

const accepted = records.filter((r) => r.bytes !== undefined).map((r) => r.text);
writeFileSync(
  join(fixtures, "encoder-corpus.asm"),
  `${["bits 32", `org ${corpusOrigin}`, ...accepted].join("\n")}\n`,
);
execFileSync("nasm", [
  "-f",
  "bin",
  "-w-all",
  "-o",
  join(fixtures, "encoder-corpus.bin"),
  join(fixtures, "encoder-corpus.asm"),
]);
console.log(
  `${records.length} records (${accepted.length} accepted) from seed ${committedSeed}, ${header.nasm}`,
);
