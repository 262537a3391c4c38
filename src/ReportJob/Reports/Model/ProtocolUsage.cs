namespace ReportJob.Reports.Model;

/// <summary>One Exchange protocol (from IIS logs): how many client addresses used it, with how many requests.</summary>
public sealed record ProtocolUsage(string Protocol, long Clients, long Requests);
