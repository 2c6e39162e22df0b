// Creates a directory and the missing ones above it, like `mkdir -p`. Node's own recursive
// mkdirSync never returns when mkdir(2) answers ENOENT for a directory whose parent exists
// (a file system such as /proc that refuses new entries that way): here each level is made
// once, from the deepest one that exists down, and any refusal is an error naming the path.
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Makes `path` (absolute) and its missing ancestors; throws the first mkdir(2) or stat(2) error. */
export function makeDirectory(path: string): void {
  const missing: string[] = [];
  let at = path;
  for (;;) {
    try {
      if (!statSync(at).isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${at}'`), { code: 'ENOTDIR' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i] as string);
    } catch (err) {
      // (Made meanwhile by someone else: as good as made here.)
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
