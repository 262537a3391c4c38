namespace ReportJob.Reports.Model;

/// <summary>Per site: clients, connections per client (by each client's peak), and flow traffic in and out.</summary>
public sealed record SiteSummary(string Site, int Clients, double AverageConnectionsPerClient, long MaxConnectionsPerClient, long BytesIn, long BytesOut);
