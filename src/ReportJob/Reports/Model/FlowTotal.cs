namespace ReportJob.Reports.Model;

/// <summary>A key (host, conversation, protocol or port) with its traffic, sampling already applied.</summary>
public sealed record FlowTotal(string Key, string? Site, long Flows, long Packets, long Bytes);
