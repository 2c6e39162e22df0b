// Diameter command codes and application ids, as data. Command names are spelled as Wireshark's
// dictionary spells them (so reports match what engineers see in tshark); the abbreviations
// are the request / answer names the specifications use.

/** [command code, name, request abbreviation, answer abbreviation] */
export type CommandRow = readonly [code: number, name: string, request: string, answer: string];

export const COMMANDS: readonly CommandRow[] = [
  // RFC 6733 §3.1 base protocol
  [257, 'Capabilities-Exchange', 'CER', 'CEA'],
  [258, 'Re-Auth', 'RAR', 'RAA'],
  [271, 'Accounting', 'ACR', 'ACA'],
  [274, 'Abort-Session', 'ASR', 'ASA'],
  [275, 'Session-Termination', 'STR', 'STA'],
  [280, 'Device-Watchdog', 'DWR', 'DWA'],
  [282, 'Disconnect-Peer', 'DPR', 'DPA'],
  // RFC 7155 §3 (NASREQ AA, used by Rx) and RFC 4006 §3 (credit control, used by Gx and Gy/Ro)
  [265, 'AA', 'AAR', 'AAA'],
  [272, 'Credit-Control', 'CCR', 'CCA'],
  // TS 29.229 §6.1 Cx/Dx
  [300, 'User-Authorization', 'UAR', 'UAA'],
  [301, 'Server-Assignment', 'SAR', 'SAA'],
  [302, 'Location-Info', 'LIR', 'LIA'],
  [303, 'Multimedia-Auth', 'MAR', 'MAA'],
  [304, 'Registration-Termination', 'RTR', 'RTA'],
  [305, 'Push-Profile', 'PPR', 'PPA'],
  // TS 29.329 §6.1 Sh
  [306, 'User-Data', 'UDR', 'UDA'],
  [307, 'Profile-Update', 'PUR', 'PUA'],
  [308, 'Subscribe-Notifications', 'SNR', 'SNA'],
  [309, 'Push-Notification', 'PNR', 'PNA'],
  // TS 29.272 §7.2 S6a/S6d
  [316, '3GPP-Update-Location', 'ULR', 'ULA'],
  [317, '3GPP-Cancel-Location', 'CLR', 'CLA'],
  [318, '3GPP-Authentication-Information', 'AIR', 'AIA'],
  [319, '3GPP-Insert-Subscriber-Data', 'IDR', 'IDA'],
  [320, '3GPP-Delete-Subscriber-Data', 'DSR', 'DSA'],
  [321, '3GPP-Purge-UE', 'PUR', 'PUA'],
  [322, '3GPP-Reset', 'RSR', 'RSA'],
  [323, '3GPP-Notify', 'NOR', 'NOA'],
  [324, '3GPP-ME-Identity-Check', 'ECR', 'ECA'],
  // TS 29.219 §5.6 Sy
  [8388635, 'Spending-Limit', 'SLR', 'SLA'],
  [8388636, 'Spending-Status-Notification', 'SNR', 'SNA'],
];

/** [application id, name as Wireshark shows it, interface label] */
export type ApplicationRow = readonly [id: number, name: string, label: string];

export const APPLICATIONS: readonly ApplicationRow[] = [
  // RFC 6733 §2.4
  [0, 'Diameter Common Messages', 'base'],
  [3, 'Diameter Base Accounting', 'base-acct'],
  [1, 'NASREQ Application', 'NASREQ'],
  [4, 'Diameter Credit Control Application', 'Gy/Ro'],
  // TS 29.230 (3GPP-allocated application ids)
  [16777216, '3GPP Cx', 'Cx'],
  [16777217, '3GPP Sh', 'Sh'],
  [16777236, '3GPP Rx', 'Rx'],
  [16777238, '3GPP Gx', 'Gx'],
  [16777251, '3GPP S6a/S6d', 'S6a'],
  [16777252, "3GPP S13/S13'", 'S13'],
  [16777267, '3GPP S9', 'S9'],
  [16777272, '3GPP S6b', 'S6b'],
  [16777302, '3GPP Sy', 'Sy'],
  [16777303, '3GPP Sd', 'Sd'],
  [16777312, '3GPP S6c', 'S6c'],
  [16777291, '3GPP SLh', 'SLh'],
  [16777255, '3GPP SLg', 'SLg'],
  [16777265, '3GPP SWx', 'SWx'],
  [16777264, '3GPP SWm', 'SWm'],
  [16777250, '3GPP STa', 'STa'],
  [4294967295, 'Relay', 'relay'],
];

const commandByCode = new Map<number, CommandRow>(COMMANDS.map((row) => [row[0], row]));
const applicationById = new Map<number, ApplicationRow>(APPLICATIONS.map((row) => [row[0], row]));

export function commandInfo(code: number): CommandRow | undefined {
  return commandByCode.get(code);
}

export function applicationInfo(id: number): ApplicationRow | undefined {
  return applicationById.get(id);
}
