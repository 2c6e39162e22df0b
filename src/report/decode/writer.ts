// Writes decode records as they come, so memory stays bounded on big captures: JSON as an
// array with one record per line between "[" and "]", text as one block per message. Output is
// gathered into chunks of about 64 KiB before it reaches the sink.
import type { DecodedRecord } from './record.js';
import { recordText } from './text.js';

export type DecodeFormat = 'text' | 'json';

const CHUNK = 64 * 1024;

export class DecodeWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  private count = 0;

  constructor(
    private readonly format: DecodeFormat,
    private readonly sink: (text: string) => void,
  ) {}

  /** Records written so far. */
  get written(): number {
    return this.count;
  }

  write(record: DecodedRecord): void {
    if (this.format === 'json') this.push(`${this.count === 0 ? '[\n' : ',\n'}${JSON.stringify(record)}`);
    else this.push(recordText(record));
    this.count++;
  }

  /** Closes the JSON array (an empty one when nothing was written) and flushes. */
  end(): void {
    if (this.format === 'json') this.push(this.count === 0 ? '[]\n' : '\n]\n');
    this.flush();
  }

  private push(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.sink(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
  }
}
