// Where a command's text goes. `main` sets the sinks (process streams by default; tests pass
// their own), and commands write through these functions instead of touching process.stdout.

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

let current: CliIo = processIo;

export function setCliIo(io: CliIo | undefined): void {
  current = io ?? processIo;
}

/** Report data: stdout, or the caller's sink. */
export function writeOut(text: string): void {
  current.stdout(text);
}

/** Warnings, errors and progress: stderr, or the caller's sink. */
export function writeErr(text: string): void {
  current.stderr(text);
}
