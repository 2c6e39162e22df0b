// Where a command's report goes: stdout, or a file given with -o (written atomically, never
// replacing an existing file without --force).
import { writeFileAtomic } from '../output/atomic-file.js';
import { writeOut } from './io.js';

export interface ReportTarget {
  output?: string;
  force?: boolean;
}

export function emitReport(text: string, target: ReportTarget): void {
  if (target.output !== undefined && target.output !== '-') {
    writeFileAtomic(target.output, text, target.force === true);
  } else {
    writeOut(text);
  }
}

/** Validate a --format value against the formats a command renders. */
export function chooseFormat<F extends string>(value: string | undefined, allowed: readonly F[], fallback: F): F {
  const v = value ?? fallback;
  if ((allowed as readonly string[]).includes(v)) return v as F;
  throw new FormatError(`unknown format '${v}' (choose ${allowed.join(', ')})`);
}

export class FormatError extends Error {
  override readonly name = 'FormatError';
}
