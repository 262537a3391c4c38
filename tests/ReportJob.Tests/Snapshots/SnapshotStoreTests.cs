using System.Net;
using Dapper;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

public sealed class SnapshotStoreTests
{
    private static readonly DateTime T0 = new(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);

    private static TcpConnection Conn(string remote, int port, TcpState state = TcpState.Established) =>
        new(IPAddress.Parse("10.0.0.10"), 443, IPAddress.Parse(remote), port, state);

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    [ProviderData(StorageProvider.SqlServer)]
    public async Task Save_TwoSnapshots_FirstSeenCarriedOver(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = db.Get<SnapshotStore>();
        await store.SaveAsync(new Snapshot("ex01", "local", T0, [Conn("10.2.1.5", 50000), Conn("10.2.1.6", 50001)], TimeSpan.FromMilliseconds(12)), default);
        await store.SaveAsync(new Snapshot("ex01", "local", T0.AddMinutes(5), [Conn("10.2.1.5", 50000), Conn("10.2.1.7", 50002, TcpState.TimeWait)], TimeSpan.FromMilliseconds(9)), default);

        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        var rows = (await c.QueryAsync<(string Remote, string State, DateTime FirstSeen)>(
            "SELECT c.remote_address, c.state, c.first_seen FROM connection c JOIN snapshot s ON s.id = c.snapshot_id WHERE s.taken_at > @t ORDER BY c.remote_address",
            new { t = T0 })).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(("10.2.1.5", "Established", T0), (rows[0].Remote, rows[0].State, DbTime.Utc(rows[0].FirstSeen)));
        Assert.Equal(("10.2.1.7", "TimeWait", T0.AddMinutes(5)), (rows[1].Remote, rows[1].State, DbTime.Utc(rows[1].FirstSeen)));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task SaveFailure_Recorded_WithError(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await db.Get<SnapshotStore>().SaveFailureAsync(new SnapshotFailure("ex02", "ssh", T0, "ssh: connect to host ex02 port 22: Connection refused", TimeSpan.FromSeconds(3)), default);
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        var (status, error) = await c.QuerySingleAsync<(string, string)>("SELECT status, error FROM snapshot WHERE server = 'ex02'");
        Assert.Equal("failed", status);
        Assert.Contains("Connection refused", error, StringComparison.Ordinal);
    }
}
