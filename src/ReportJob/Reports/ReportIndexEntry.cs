namespace ReportJob.Reports;

/// <summary>A past report as the index lists it (kept beside the report as a small JSON file).</summary>
public sealed record ReportIndexEntry(DateOnly Day, string HtmlFile, string? WorkbookFile, int Servers, int Clients, long PeakConnections, long Flows, long Bytes, int Alerts);
