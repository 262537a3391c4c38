using System.Globalization;
using Dapper;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

/// <summary>What a store holds of connections, as text that two stores can be compared by: snapshots and runs, servers by name.</summary>
internal static class StoredRuns
{
    public static async Task<(List<string> Snapshots, List<string> Runs)> DumpAsync(TestDatabase db)
    {
        var factory = db.Get<IDbConnectionFactory>();
        await using var c = await factory.OpenAsync(default);
        var snapshots = (await c.QueryAsync<(string Server, DateTime TakenAt, string Status, int Count)>(
                "SELECT server, taken_at, status, connection_count FROM snapshot"))
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Server} {DbTime.Utc(s.TakenAt):O} {s.Status} {s.Count}"))
            .Order(StringComparer.Ordinal).ToList();
        var store = db.Get<ConnectionRunStore>();
        var servers = await store.ServersAsync(c, null, default);
        var runs = new List<string>();
        await using (var scan = await store.ScanAsync(c, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc), default))
        {
            foreach (var r in scan.Runs())
            {
                runs.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{servers[r.ServerId]} {r.First} {r.Last} {r.Key.Local}:{r.Key.LocalPort}{(r.Key.Copy == 0 ? "" : "/" + r.Key.Copy)} {r.Key.Remote}:{r.Key.RemotePort} {r.State} {r.CreatedTicks} {r.FirstSeenTicks}"));
            }
        }

        runs.Sort(StringComparer.Ordinal);
        return (snapshots, runs);
    }

    /// <summary>The connection-rounds the store gives back: every round of all time, read from the runs.</summary>
    public static async Task<long> ConnectionRoundsAsync(TestDatabase db)
    {
        var queries = db.Get<ConnectionQueries>();
        var rounds = await queries.FindRoundsAsync(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc), default);
        long count = 0;
        await foreach (var (_, connections) in queries.ReadRoundsAsync(rounds, default))
        {
            count += connections.Count;
        }

        return count;
    }
}
