namespace ReportJob.Snapshots;

/// <summary>
/// One collection run across the servers: at most one snapshot per server, all taken within <see cref="Window"/> of
/// <see cref="StartUtc"/>, the first of them. The one definition of a round: the connections verbs, the CSV export and
/// the report all group snapshots with <see cref="Assign"/>.
/// </summary>
public sealed record ConnectionRound(DateTime StartUtc, IReadOnlyList<long> SnapshotIds, IReadOnlyList<string> Servers)
{
    /// <summary>Snapshots of different servers taken less than this after the first of a round belong to that round.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The round of each snapshot, numbered from 0, for snapshots in time order: a new round starts with a snapshot taken
    /// <see cref="Window"/> or more after the round's first, or of a server the round has already (it collects once per
    /// round). Server names are compared as they are (ordinal).
    /// </summary>
    public static int[] Assign(IReadOnlyList<(string Server, DateTime TakenAtUtc)> snapshots)
    {
        var rounds = new int[snapshots.Count];
        var servers = new HashSet<string>(StringComparer.Ordinal);
        var round = -1;
        var start = DateTime.MinValue;
        for (var i = 0; i < snapshots.Count; i++)
        {
            var (server, taken) = snapshots[i];
            if (round < 0 || taken - start >= Window || servers.Contains(server))
            {
                round++;
                start = taken;
                servers.Clear();
            }

            servers.Add(server);
            rounds[i] = round;
        }

        return rounds;
    }
}
