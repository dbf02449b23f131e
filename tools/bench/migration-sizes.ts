// The sizes `sterna bench migration --size` accepts, apart from the bench so the CLI can check
// an option without loading it.

/** The moved process rewrites a hot set of 16 pages (programs/migration-hoarder.asm). */
export const hoarderBytesMin = 16 * 4096;
/** A process may hold 16 MiB in all (docs/kernel.md); its image and stack need some of it. */
export const hoarderBytesMax = 15 * 1024 * 1024;
