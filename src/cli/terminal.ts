// Colour and progress go to stderr, only on a TTY, never when CI is set or NO_COLOR asks.
import { Chalk, type ChalkInstance } from 'chalk';

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

/** A one-line progress bar on stderr; a no-op off a TTY or under CI. */
export class ProgressBar {
  private readonly enabled: boolean;
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly label: string, stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = stream.isTTY === true && !process.env.CI;
    this.stream = stream;
  }

  private readonly stream: NodeJS.WriteStream;

  update(done: number, total: number | undefined): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const mb = (done / 1e6).toFixed(0);
    let line: string;
    if (total !== undefined && total > 0) {
      const ratio = Math.min(1, done / total);
      const width = 30;
      const full = Math.round(ratio * width);
      line = `${this.label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(ratio * 100).toFixed(0)}% ${mb} MB`;
    } else {
      line = `${this.label} ${mb} MB`;
    }
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  done(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
