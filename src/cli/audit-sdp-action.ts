// The work of `imscap audit-sdp` (registered in audit-sdp.ts): one pass through the SDP
// auditor, the report in the chosen format, and the exit code --fail-on asks for.
import { runCapturePass } from './capture-pass.js';
import { artifactUri, parseFailOn, parseRuleSelection, type AuditSdpOptions } from './audit-sdp.js';
import { EXIT_CLEAN, EXIT_FINDINGS } from './exit-codes.js';
import { chooseFormat, emitReport } from './output.js';
import { SdpAuditor } from '../analysis/sdp-audit/auditor.js';
import { reachesThreshold } from '../report/findings.js';
import { renderSdpAuditJson, renderSdpAuditJunit, renderSdpAuditSarif, renderSdpAuditText, type SdpAuditDocument } from '../report/sdp-audit.js';

const FORMATS = ['text', 'json', 'junit', 'sarif'] as const;

/** Runs the audit; resolves to the exit code (`toolVersion` goes into SARIF). */
export async function runAuditSdp(capture: string, opts: AuditSdpOptions, toolVersion: string): Promise<number> {
  const format = chooseFormat(opts.format, FORMATS, 'text');
  const rules = parseRuleSelection(opts.rules);
  const failOn = parseFailOn(opts.failOn);
  const auditor = new SdpAuditor({ rules });
  await runCapturePass(capture, auditor.handlers());
  const doc: SdpAuditDocument = { capture, ...auditor.finish() };
  const text =
    format === 'json'
      ? renderSdpAuditJson(doc)
      : format === 'junit'
        ? renderSdpAuditJunit(doc)
        : format === 'sarif'
          ? renderSdpAuditSarif(doc, toolVersion, artifactUri(capture))
          : renderSdpAuditText(doc);
  emitReport(text, opts);
  return reachesThreshold(doc.findings, failOn) ? EXIT_FINDINGS : EXIT_CLEAN;
}
