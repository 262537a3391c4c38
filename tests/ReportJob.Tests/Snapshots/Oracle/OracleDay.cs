using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReportJob.Reports;
using ReportJob.Reports.Model;
using ReportJob.Sites;
using ReportJob.Snapshots;

namespace ReportJob.Tests.Snapshots.Oracle;

/// <summary>
/// What the store held before runs (one row per connection per snapshot, first-seen carried over from the server's
/// previous ok snapshot when it was at most 30 minutes before) and what the report and the connections verbs made of
/// it, computed from the raw snapshots: the expected side of the differential tests.
/// </summary>
internal static class OracleDay
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, WriteIndented = true };

    /// <summary>The rows the old store wrote for each ok snapshot of <paramref name="items"/> (<see cref="Snapshot"/> or <see cref="SnapshotFailure"/>), stored in time order.</summary>
    public static Dictionary<Snapshot, List<StoredConnection>> OldRows(IEnumerable<object> items)
    {
        var result = new Dictionary<Snapshot, List<StoredConnection>>(ReferenceEqualityComparer.Instance);
        foreach (var server in items.OfType<Snapshot>().GroupBy(s => s.Server, StringComparer.Ordinal))
        {
            Snapshot? previous = null;
            Dictionary<(string, int, string, int), DateTime> seen = [];
            foreach (var s in server.OrderBy(s => s.TakenAtUtc))
            {
                var carried = previous is not null && previous.TakenAtUtc >= s.TakenAtUtc - TimeSpan.FromMinutes(30) ? seen : [];
                var now = new Dictionary<(string, int, string, int), DateTime>();
                var rows = new List<StoredConnection>();
                foreach (var c in s.Connections)
                {
                    var key = (c.LocalAddress.ToString(), c.LocalPort, c.RemoteAddress.ToString(), c.RemotePort);
                    var firstSeen = carried.TryGetValue(key, out var f) ? f : s.TakenAtUtc;
                    now.TryAdd(key, firstSeen);
                    rows.Add(new StoredConnection(s.Server, s.TakenAtUtc, key.Item1, c.LocalPort, key.Item3, c.RemotePort, c.State.ToString(), c.CreatedAtUtc, firstSeen));
                }

                result[s] = rows;
                previous = s;
                seen = now;
            }
        }

        return result;
    }

    /// <summary>
    /// The connection section the per-round aggregation (the report before runs) made of the ok snapshots in
    /// [<paramref name="fromUtc"/>, <paramref name="toUtc"/>): snapshots in the order taken (then server), each
    /// snapshot's rows oldest first (creation or first-seen time), then by client, client port, local port and local
    /// address: the store gave rows in the order the source listed them, and this is one such order.
    /// </summary>
    /// <param name="stored">The rows as a store of the old kind holds them; by default those <see cref="OldRows"/> gives.</param>
    public static (ConnectionSection Section, long Rows) Section(IReadOnlyList<object> items, DateTime fromUtc, DateTime toUtc, TimeZoneInfo zone, ReportOptions options, SiteMap sites,
        Dictionary<Snapshot, List<StoredConnection>>? stored = null)
    {
        var rows = stored ?? OldRows(items);
        var aggregator = new PerRoundConnectionAggregator(zone, options);
        var id = 0L;
        foreach (var s in items.OfType<Snapshot>().Where(s => s.TakenAtUtc >= fromUtc && s.TakenAtUtc < toUtc)
                     .OrderBy(s => s.TakenAtUtc).ThenBy(s => s.Server, StringComparer.Ordinal))
        {
            aggregator.BeginSnapshot(new SnapshotInfo(++id, ReportText.Clean(s.Server), s.TakenAtUtc, true, null));
            var ordered = rows[s]
                .OrderBy(r => (r.CreatedAtUtc ?? r.FirstSeenUtc).Ticks).ThenBy(r => r.RemoteAddress, StringComparer.Ordinal)
                .ThenBy(r => r.RemotePort).ThenBy(r => r.LocalPort).ThenBy(r => r.LocalAddress, StringComparer.Ordinal)
                .Select(r => new OracleRow(aggregator.ClientIndex(r.RemoteAddress), aggregator.StateIndex(r.State), r.RemotePort,
                    r.CreatedAtUtc?.Ticks ?? OracleRow.NoCreationTime, r.FirstSeenUtc.Ticks))
                .ToArray();
            aggregator.Add(ordered);
        }

        return (aggregator.Build(sites, _ => null), aggregator.Rows);
    }

    /// <summary>A round's connections as the old store's query gave them: by server, local address and port, remote address and port.</summary>
    public static List<StoredConnection> Round(Dictionary<Snapshot, List<StoredConnection>> rows, IEnumerable<Snapshot> snapshots) =>
        snapshots.SelectMany(s => rows[s])
            .OrderBy(c => c.Server, StringComparer.Ordinal).ThenBy(c => c.LocalAddress, StringComparer.Ordinal).ThenBy(c => c.LocalPort)
            .ThenBy(c => c.RemoteAddress, StringComparer.Ordinal).ThenBy(c => c.RemotePort)
            .ToList();

    /// <summary>A model as JSON (NaN kept), for comparing it whole.</summary>
    public static string ToJson(object model) => JsonSerializer.Serialize(model, model.GetType(), Json);

    /// <summary>The text the old store kept for an address, and what the runs give back.</summary>
    public static string Text(IPAddress address) => address.ToString();
}
