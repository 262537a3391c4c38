namespace ReportJob.Snapshots;

/// <summary>
/// A site's clients (distinct remote addresses) and connections per client: the mean and the most one client held in
/// one round. <see cref="Subnet"/> is the mapping's subnet when grouped by subnet, else empty.
/// </summary>
public sealed record SiteLoad(string Subnet, string Site, int Clients, double AverageConnections, int MaxConnections);
