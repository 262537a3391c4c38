namespace ReportJob.Reports.Model;

/// <summary>
/// One server's share of the load: its average connections, its share of all servers' connections, the largest
/// deviation from an even split in any round, and how many rounds exceeded the imbalance threshold.
/// </summary>
public sealed record ServerShare(string Server, double AverageConnections, long PeakConnections, double Share, double MaxDeviation, int RoundsFlagged)
{
    public bool Flagged => RoundsFlagged > 0;
}
