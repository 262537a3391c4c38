namespace ReportJob.NetFlow;

/// <summary>
/// A host that moved at least <see cref="HeavyHitterOptions.MinShare"/> of an hour's bytes or packets, as source
/// (<see cref="Role"/> "source": what it sent) or as destination ("destination": what it received), with its share and
/// the busiest conversations it had in that hour.
/// </summary>
public sealed record HeavyHitterFinding(
    string Host, string Role, DateTime HourUtc, long Bytes, long Packets, double ByteShare, double PacketShare, IReadOnlyList<string> TopPeers)
{
    /// <summary>"to 10.2.0.5 tcp/22, 10.2.0.6 tcp/22": the busiest conversations of the hour (peer and service port).</summary>
    public string Evidence() => TopPeers.Count == 0 ? "" : (Role == FlowRoles.Source ? "to " : "from ") + string.Join(", ", TopPeers);
}
