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
let pipeHandled = false;

export function setCliIo(io: CliIo | undefined): void {
  current = io ?? processIo;
  if (io === undefined && !pipeHandled) {
    pipeHandled = true;
    // `imscap decode x.pcap | head`: the reader went away; that is not an error of ours.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
}

/**
 * Control characters from packet data (a Call-ID with ESC sequences, a BEL in an interface
 * name) must never reach a terminal: everything but TAB and LF becomes a \uXXXX escape, which
 * also keeps JSON valid (JSON.stringify already escapes C0 inside strings; DEL and C1 pass raw).
 */
export function neutraliseControls(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROL_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');

/** Report data: stdout, or the caller's sink. */
export function writeOut(text: string): void {
  current.stdout(neutraliseControls(text));
}

/** Warnings, errors and progress: stderr, or the caller's sink. */
export function writeErr(text: string): void {
  current.stderr(neutraliseControls(text));
}
