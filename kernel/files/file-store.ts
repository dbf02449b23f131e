// The cluster's file store as one node sees it: the program images named on the command line
// (--run and --file), found by base name, so `spawn("dir/prog.elf")` and `spawn("prog.elf")`
// name the same image. Read-only; the kernel never writes files. Left out: directories,
// files created at run time, fetching images from other nodes (a later issue).

export class FileStore {
  private readonly imagesByName = new Map<string, Uint8Array>();

  /** Adds a file under its base name; a later file with the same base name replaces it. */
  add(path: string, image: Uint8Array): void {
    this.imagesByName.set(baseName(path), image);
  }

  /** The image whose base name matches that of `path`, or undefined. */
  find(path: string): Uint8Array | undefined {
    return this.imagesByName.get(baseName(path));
  }
}

/** The part after the last "/" (or the whole path). */
export function baseName(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? path : path.slice(slash + 1);
}
