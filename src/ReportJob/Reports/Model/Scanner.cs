namespace ReportJob.Reports.Model;

/// <summary>A source that touched many ports or hosts with tiny flows, with the evidence.</summary>
public sealed record Scanner(string Source, string Site, int DistinctPorts, int DistinctHosts, long Flows, DateTime FirstSeenLocal, DateTime LastSeenLocal, string Evidence);
