// The one exception of the capture layer: the input is not a capture at all, or cannot be read.

export class CaptureError extends Error {
  override readonly name = 'CaptureError';

  /** `file` is the path as given ('-' for standard input); the message names it and the reason. */
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file === '-' ? 'standard input' : file}: ${reason}`, options);
  }
}
