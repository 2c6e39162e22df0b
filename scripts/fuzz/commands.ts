// Which commands read a capture, and safe command lines for them, found from the registered
// commands themselves (COMMANDS and the options commander knows), never from a fixed list:
// the capture argument; every format a command renders; the alternatives an option lists
// ("amr or 3gp"); boolean switches on and off; a report file or an output directory inside
// the case's own output directory; and --force wherever files are written.
import { Command, type Option } from 'commander';
import { COMMANDS } from '../../src/cli/commands.js';

export interface CommandVariant {
  /** e.g. "extract-amr --out DIR --container 3gp --force". */
  readonly label: string;
  argv(capture: string, outDir: string): string[];
}

export interface CaptureCommand {
  readonly name: string;
  readonly variants: readonly CommandVariant[];
}

export interface SkippedCommand {
  readonly name: string;
  readonly reason: string;
}

export interface CommandSurvey {
  readonly commands: CaptureCommand[];
  readonly skipped: SkippedCommand[];
}

/** Renderer names a --format option may list in its description. */
const KNOWN_FORMATS = ['text', 'json', 'junit', 'sarif', 'markdown', 'md', 'csv', 'tsv', 'table', 'html'];
const CAPTURE_ARGUMENT = /capture|pcap/i;
const DIRECTORY = /\b(dir|directory|folder)\b|-dir$/i;
/** "amr (RFC 4867 storage format) or 3gp", "...: amr or amr-wb": words listed as alternatives. */
const ALTERNATIVES = /(?:^|: )([a-z0-9][a-z0-9-]*(?: \([^)]*\))?(?:, [a-z0-9][a-z0-9-]*(?: \([^)]*\))?)* or [a-z0-9][a-z0-9-]*)/i;
/** Combinations of option values tried per command, at most. */
const MAX_VARIANTS = 256;
/** Switches that are not about the analysis (or are set here on purpose). */
const NOT_A_SWITCH = new Set(['--force', '--help', '--version', '--no-color']);

/** One option's possible settings, each an argv fragment ([] = left out). */
interface Dimension {
  readonly settings: ReadonlyArray<{ readonly label: string; readonly argv: (outDir: string, format: string | undefined) => string[] }>;
}

function longName(o: Option): string {
  return o.long ?? o.short ?? '';
}

/** A value option naming where output goes: a report file or an output directory. */
function outputKind(o: Option): 'file' | 'dir' | undefined {
  if (!o.required && !o.optional) return undefined;
  const name = longName(o);
  const desc = o.description;
  const namedOutput = /^--(output|out|out-dir|output-dir|outdir|dir|directory|report)$/.test(name);
  const describedOutput = /\b(write|writes|written|output)\b/i.test(desc) && /\b(file|files|dir|directory|folder)\b/i.test(desc);
  if (!namedOutput && !describedOutput) return undefined;
  return DIRECTORY.test(name) || DIRECTORY.test(desc) ? 'dir' : 'file';
}

function formatsOf(o: Option): string[] {
  if (o.argChoices !== undefined && o.argChoices.length > 0) return [...o.argChoices];
  const words = new Set(o.description.toLowerCase().split(/[^a-z0-9-]+/));
  const listed = KNOWN_FORMATS.filter((f) => words.has(f));
  if (listed.length > 0) return listed;
  return typeof o.defaultValue === 'string' ? [o.defaultValue] : [];
}

function alternativesOf(o: Option): string[] {
  if (o.argChoices !== undefined && o.argChoices.length > 0) return [...o.argChoices];
  const m = ALTERNATIVES.exec(o.description);
  if (m === null || m[1] === undefined) return [];
  return m[1]
    .replace(/ \([^)]*\)/g, '')
    .split(/, | or /)
    .map((w) => w.trim())
    .filter((w) => w !== '');
}

/** The ways an option can be set; undefined for options left alone (filters, keys, paths...). */
function dimensionOf(o: Option, force: boolean): Dimension | undefined {
  const name = longName(o);
  if (name === '--format') {
    const formats = formatsOf(o);
    return formats.length === 0 ? undefined : { settings: formats.map((f) => ({ label: `--format ${f}`, argv: () => [name, f] })) };
  }
  const output = outputKind(o);
  const withForce = force ? ['--force'] : [];
  if (output === 'dir') return { settings: [{ label: `${name} DIR`, argv: (dir) => [name, dir, ...withForce] }] };
  if (output === 'file') {
    return {
      settings: [
        { label: '', argv: () => [] },
        { label: `${name} FILE`, argv: (dir, format) => [name, `${dir}/report.${format ?? 'out'}`, ...withForce] },
      ],
    };
  }
  if (o.isBoolean() && !o.negate && !NOT_A_SWITCH.has(name)) {
    return { settings: [{ label: '', argv: () => [] }, { label: name, argv: () => [name] }] };
  }
  if (o.required && !o.variadic && !Array.isArray(o.defaultValue)) {
    const values = alternativesOf(o);
    if (values.length === 0) return undefined;
    const unset = o.defaultValue === undefined ? [{ label: '', argv: () => [] }] : [];
    return { settings: [...unset, ...values.map((v) => ({ label: `${name} ${v}`, argv: () => [name, v] }))] };
  }
  return undefined;
}

/** Combination `index` of the dimensions (mixed radix), so every combination has a number. */
function combination(name: string, dimensions: readonly Dimension[], index: number): CommandVariant {
  let rest = index;
  const chosen = dimensions.map((d) => {
    const s = d.settings[rest % d.settings.length] as Dimension['settings'][number];
    rest = Math.floor(rest / d.settings.length);
    return s;
  });
  const format = chosen.map((s) => /^--format (.+)$/.exec(s.label)?.[1]).find((f) => f !== undefined);
  return {
    label: [name, ...chosen.map((s) => s.label)].filter((l) => l !== '').join(' '),
    argv: (capture, outDir) => [name, capture, ...chosen.flatMap((s) => s.argv(outDir, format))],
  };
}

function survey(cmd: Command): CaptureCommand | SkippedCommand {
  const name = cmd.name();
  const args = cmd.registeredArguments;
  const captureAt = args.findIndex((a) => CAPTURE_ARGUMENT.test(a.name()));
  if (captureAt < 0) return { name, reason: 'reads no capture' };
  if (captureAt > 0) return { name, reason: 'the capture is not its first argument' };
  const other = args.find((a, i) => i !== captureAt && a.required);
  if (other !== undefined) return { name, reason: `needs the argument <${other.name()}>` };
  const mandatory = cmd.options.find((o) => o.mandatory && o.defaultValue === undefined);
  if (mandatory !== undefined) return { name, reason: `needs the option ${longName(mandatory)}` };
  const force = cmd.options.some((o) => o.long === '--force');
  const dimensions = cmd.options.map((o) => dimensionOf(o, force)).filter((d): d is Dimension => d !== undefined);
  const total = dimensions.reduce((n, d) => n * d.settings.length, 1);
  // Evenly spread over the combinations when there are too many to try them all.
  const step = total <= MAX_VARIANTS ? 1 : total / MAX_VARIANTS;
  const count = Math.min(total, MAX_VARIANTS);
  const variants = Array.from({ length: count }, (_, i) => combination(name, dimensions, Math.floor(i * step)));
  return { name, variants };
}

/** Every registered command, split into those the fuzz pass can run on a capture and the rest. */
export function surveyCommands(): CommandSurvey {
  const program = new Command('imscap');
  for (const register of COMMANDS) register(program, () => undefined);
  const commands: CaptureCommand[] = [];
  const skipped: SkippedCommand[] = [];
  for (const cmd of program.commands) {
    const s = survey(cmd);
    if ('variants' in s) commands.push(s);
    else skipped.push(s);
  }
  return { commands, skipped };
}
