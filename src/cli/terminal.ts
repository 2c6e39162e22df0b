// Colour and progress go to stderr, only on a TTY, never when CI is set or NO_COLOR asks.
import { Chalk, type ChalkInstance } from 'chalk';

// The progress bar needs no colour: it lives in progress.ts, so that a pass does not load chalk.
export { ProgressBar } from './progress.js';

export interface TerminalOptions {
  color?: boolean;
}

/** Whether stderr may carry colour: NO_COLOR (https://no-color.org), --no-color, CI, non-TTY say no. */
export function colorAllowed(stream: NodeJS.WriteStream, options: TerminalOptions = {}): boolean {
  if (options.color === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.CI) return false;
  return stream.isTTY === true;
}

export function stderrChalk(options: TerminalOptions = {}): ChalkInstance {
  return new Chalk({ level: colorAllowed(process.stderr, options) ? 1 : 0 });
}
