using Dapper;
using Microsoft.Extensions.Options;
using ReportJob.Reports;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

/// <summary>A run a damaged store could hold stops the day's read with an error that names the row and what is wrong, on every provider.</summary>
public sealed class ConnectionRunReadTests
{
    private static IEnumerable<(string Damage, string Problem)> Damages(StorageProvider provider)
    {
        var bytes = provider == StorageProvider.Postgres ? "'\\x0a0203'::bytea" : "X'0A0203'";
        yield return ($"remote_address = {bytes}", "connection_run row 1: remote_address: 3 bytes are no address (4, 16 or 20)");
        yield return ("state = 77", "connection_run row 1: state 77 is not a TCP state");
        yield return ("remote_port = 70000", "connection_run row 1: remote_port: 70000 is not a port");
        yield return ("created_at = -5", "connection_run row 1: created_at: -5 is not a time");
        if (provider == StorageProvider.Sqlite)
        {
            // SQLite keeps whatever type it is given.
            yield return ("remote_port = 'https'", "connection_run row 1: remote_port: 'https', not an integer");
            yield return ("local_address = ''", "connection_run row 1: local_address: '', not bytes");
        }
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Read_DamagedRun_ErrorNamesRowAndProblem(StorageProvider provider)
    {
        foreach (var (damage, expected) in Damages(provider))
        {
            await AssertDamageAsync(provider, $"UPDATE connection_run SET {damage}", expected);
        }

        // The open runs kept with the server, cut short.
        var cut = provider == StorageProvider.Postgres ? "substring(open_runs from 1 for 8)" : "substr(open_runs, 1, 8)";
        await AssertDamageAsync(provider, $"UPDATE snapshot_server SET open_runs = {cut}", "open_runs of server 1, byte 8: ends 2 bytes early");
    }

    private static async Task AssertDamageAsync(StorageProvider provider, string damage, string expected)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var t = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        // 10.2.1.5 ends with the first snapshot: its run is a row; 10.2.1.6's is open, kept with the server.
        await db.Get<SnapshotStore>().SaveAsync(new Snapshot("EX01", "ssh", t,
            [new TcpConnection(System.Net.IPAddress.Parse("10.0.0.10"), 443, System.Net.IPAddress.Parse("10.2.1.5"), 50000, TcpState.Established, t.AddMinutes(-1))], TimeSpan.Zero), default);
        await db.Get<SnapshotStore>().SaveAsync(new Snapshot("EX01", "ssh", t.AddMinutes(5),
            [new TcpConnection(System.Net.IPAddress.Parse("10.0.0.10"), 443, System.Net.IPAddress.Parse("10.2.1.6"), 50001, TcpState.Established)], TimeSpan.Zero), default);
        await using (var c = await db.Get<IDbConnectionFactory>().OpenAsync(default))
        {
            await c.ExecuteAsync(damage);
        }

        var aggregator = new ConnectionDayAggregator(TimeZoneInfo.Utc, db.Get<IOptions<ReportOptions>>().Value);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => db.Get<ConnectionDayReader>().ReadAsync(t.Date, t.Date.AddDays(1), aggregator, default));

        Assert.Equal(expected, error.Message);
    }
}
