namespace ReportJob.NetFlow;

/// <summary>
/// A row of <c>flow_scan_evidence</c>: one source's probe-shaped flows in one hour, with the hosts and ports they touched packed
/// by <see cref="ScanEvidence"/>.
/// </summary>
internal sealed record FlowScanEvidenceRow(DateTime HourStart, string Source, long Flows, DateTime FirstSeen, DateTime LastSeen, byte[] Hosts, byte[] Ports);
