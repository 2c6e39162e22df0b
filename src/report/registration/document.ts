// What the registration renderers print: the analysis' report and the capture it came from.
import type { RegistrationReport } from '../../analysis/registration/types.js';

export interface RegistrationDocument extends RegistrationReport {
  /** The capture as given on the command line. */
  readonly capture: string;
}
