namespace ReportJob.NetFlow;

/// <summary>A row of <c>flow_scan_target</c>: kind 0 = host, 1 = port, 2 = the source's summary (target "*").</summary>
internal sealed record FlowScanTargetRow(DateTime HourStart, string Source, int Kind, string Target, long Flows, DateTime FirstSeen, DateTime LastSeen);
