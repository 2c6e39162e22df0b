// The progress bar of a pass: stderr, only on a TTY, never when CI is set. Apart from
// terminal.ts (colour), so that running a command does not load chalk.

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
