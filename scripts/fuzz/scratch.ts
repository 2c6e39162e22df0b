// A temporary tree for one fuzz run, and an empty working directory the process moves into for
// the run: a file a command writes relative to the working directory shows up there.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Scratch {
  readonly root: string;
  /** The process's working directory while the scratch is in use; must stay empty. */
  readonly cwd: string;
  /** Moves back to the previous working directory and removes the tree. */
  dispose(): void;
}

export function makeScratch(): Scratch {
  const root = mkdtempSync(join(tmpdir(), 'imscap-fuzz-'));
  const cwd = join(root, 'cwd');
  mkdirSync(cwd);
  const previous = process.cwd();
  process.chdir(cwd);
  return {
    root,
    cwd,
    dispose() {
      process.chdir(previous);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
