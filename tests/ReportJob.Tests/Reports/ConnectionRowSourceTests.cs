using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using ReportJob.Reports;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Reports;

/// <summary>The SQLite fast path reads what ADO.NET reads, row for row, and bad rows stop both with the snapshot named.</summary>
public sealed class ConnectionRowSourceTests : IDisposable
{
    private static readonly DateTime Taken = new(2026, 11, 20, 8, 5, 7, DateTimeKind.Utc);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "reportjob-rows-" + Guid.NewGuid().ToString("N")[..8]);

    public ConnectionRowSourceTests() => Directory.CreateDirectory(_dir);

    [Theory]
    [InlineData("odd.db")]
    [InlineData(":memory:")] // the statement cannot open a connection of its own: it uses this one
    public async Task Read_OddButValidRows_SqliteAndAdoNetSameRows(string file)
    {
        await using var connection = await OpenAsync(file);
        object?[][] odd =
        [
            ["10.2.1.50", 50000, "Established", null, "2026-11-20 08:00:07"],
            ["2001:db8::12", 443, "TimeWait", "2026-11-20 08:05:00.1234567", "2026-11-20 08:05:07"],
            ["fe80::1%eth0", 1, "SynReceived", "2026-11-20T08:05:00Z", "2026-11-20T08:05:07.5"],
            ["2001:0db8:0000:0000:0000:ff00:0042:8329", 65535, "établie", "2026-11-20T09:05:00+01:00", "2026-11-20 08:05:07.123456789"],
            ["10.2.1.50", 0, "Established", "2026-11-20 08:04:59.9999999", "2026-11-20 08:00:07"],
            ["ünï", "443", "Established", null, "2026-11-20 08:00:07"],
        ];
        await InsertAsync(connection, 1, odd);
        // More rows than one chunk, so that a snapshot spans several reads.
        await InsertAsync(connection, 2, Enumerable.Range(0, 5000).Select(i => new object?[]
        {
            i % 2 == 0 ? $"10.3.{i / 256 % 256}.{i % 256}" : $"2001:db8::{i:x}", 1024 + i, i % 10 == 0 ? "TimeWait" : "Established",
            i % 3 == 0 ? null : Taken.AddSeconds(-i).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture), "2026-11-20 00:00:00",
        }).ToArray());
        SnapshotInfo[] snapshots = [Snapshot(1), Snapshot(2), Snapshot(3)];

        var (fastAggregator, fast) = await ReadAllAsync(connection, snapshots, direct: true);
        var (adoAggregator, ado) = await ReadAllAsync(connection, snapshots, direct: false);

        Assert.Equal(ado, fast);
        Assert.Equal([6, 5000, 0], fast.Select(s => s.Length));
        for (var i = 0; i < odd.Length; i++)
        {
            Assert.Equal(fastAggregator.ClientIndex((string)odd[i][0]!), fast[0][i].Client);
            Assert.Equal(adoAggregator.ClientIndex((string)odd[i][0]!), ado[0][i].Client);
        }

        var rows = fast[0];
        Assert.Equal(rows[0].Client, rows[4].Client);
        Assert.Equal((ConnectionRow.NoCreationTime, new DateTime(2026, 11, 20, 8, 0, 7).Ticks), (rows[0].CreatedAtTicks, rows[0].FirstSeenTicks));
        Assert.Equal(new DateTime(2026, 11, 20, 8, 5, 0).Ticks + 1_234_567, rows[1].CreatedAtTicks);
        Assert.Equal((new DateTime(2026, 11, 20, 8, 5, 0).Ticks, new DateTime(2026, 11, 20, 8, 5, 7, 500).Ticks), (rows[2].CreatedAtTicks, rows[2].FirstSeenTicks));
        Assert.Equal(new DateTime(2026, 11, 20, 8, 5, 0).Ticks, rows[3].CreatedAtTicks);
        Assert.Equal([50000, 443, 1, 65535, 0, 443], rows.Select(r => r.RemotePort));
        Assert.Equal(adoAggregator.StateIndex("établie"), rows[3].State);
    }

    [Fact]
    public async Task Read_FixtureDay_SqliteAndAdoNetSameRows()
    {
        await using var db = await ReportFixture.CreateAsync();
        await using var connection = (SqliteConnection)await db.Get<IDbConnectionFactory>().OpenAsync(default);
        var snapshots = await db.Get<ConnectionDayReader>().SnapshotsAsync(DayWindow.For(ReportFixture.Day, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")), default);

        var (_, fast) = await ReadAllAsync(connection, snapshots.Where(s => s.Ok).ToList(), direct: true);
        var (_, ado) = await ReadAllAsync(connection, snapshots.Where(s => s.Ok).ToList(), direct: false);

        Assert.Equal(ado, fast);
        Assert.Equal(70, fast.Count);
        Assert.Contains(fast.SelectMany(r => r), r => r.HasCreationTime);
        Assert.Contains(fast.SelectMany(r => r), r => !r.HasCreationTime);
    }

    [Theory]
    [InlineData("remote_address", "remote_address is NULL")]
    [InlineData("state", "state is NULL")]
    [InlineData("first_seen", "first_seen is NULL")]
    [InlineData("remote_port", "remote_port is NULL")]
    public async Task Read_NullWhereNoneBelongs_ErrorNamesSnapshotAndRow(string column, string problem)
    {
        object?[] row = ["10.2.1.9", 443, "Established", null, "2026-11-20 08:00:07"];
        row[Array.IndexOf(Columns, column)] = null;
        await AssertBadRowAsync(row, problem);
    }

    [Theory]
    [InlineData("created_at", "yesterday", "created_at 'yesterday' is not a time")]
    [InlineData("first_seen", "2026-02-30 00:00:00", "first_seen '2026-02-30 00:00:00' is not a time")]
    [InlineData("first_seen", "2026-11-20\u001b[31m", "first_seen '2026-11-20 [31m' is not a time")]
    [InlineData("remote_port", "https", "remote_port 'https' is not a number")]
    [InlineData("remote_port", 70000, "remote_port 70000 is not a port")]
    [InlineData("remote_port", -1, "remote_port -1 is not a port")]
    public async Task Read_ValueOfWrongKind_ErrorNamesSnapshotAndRow(string column, object value, string problem)
    {
        object?[] row = ["10.2.1.9", 443, "Established", null, "2026-11-20 08:00:07"];
        row[Array.IndexOf(Columns, column)] = value;
        await AssertBadRowAsync(row, problem);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static readonly string[] Columns = ["remote_address", "remote_port", "state", "created_at", "first_seen"];

    private static SnapshotInfo Snapshot(long id) => new(id, "EX01", Taken, true, null);

    private async Task AssertBadRowAsync(object?[] bad, string problem)
    {
        await using var connection = await OpenAsync("bad.db");
        await InsertAsync(connection, 7, [["10.2.1.8", 443, "Established", null, "2026-11-20 08:00:07"], bad]);
        foreach (var direct in new[] { true, false })
        {
            var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(connection, [Snapshot(7)], direct));
            Assert.Equal("Snapshot 7 of EX01 taken 2026-11-20 08:05:07Z, connection row 2: " + problem, error.Message);
        }
    }

    /// <summary>A bare connection table without types or constraints: it takes the rows a damaged store could hold.</summary>
    private async Task<SqliteConnection> OpenAsync(string name)
    {
        var connection = new SqliteConnection("Data Source=" + (name == ":memory:" ? name : Path.Combine(_dir, name)));
        await connection.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE connection (snapshot_id, remote_address, remote_port, state, created_at, first_seen)");
        return connection;
    }

    private static async Task InsertAsync(DbConnection connection, long snapshot, object?[][] rows)
    {
        await using var tx = await connection.BeginTransactionAsync();
        foreach (var r in rows)
        {
            await connection.ExecuteAsync(
                "INSERT INTO connection VALUES (@snapshot, @a, @p, @s, @c, @f)",
                new { snapshot, a = r[0], p = r[1], s = r[2], c = r[3], f = r[4] }, tx);
        }

        await tx.CommitAsync();
    }

    private static async Task<(ConnectionDayAggregator Aggregator, List<ConnectionRow[]> Rows)> ReadAllAsync(SqliteConnection connection, IReadOnlyList<SnapshotInfo> snapshots, bool direct)
    {
        var aggregator = new ConnectionDayAggregator(TimeZoneInfo.Utc, new ReportOptions());
        Assert.True(SqliteNative.IsAvailable());
        await using IConnectionRowSource source = direct ? new SqliteConnectionRowSource(connection, aggregator) : new DbConnectionRowSource(connection, 30, aggregator);
        var all = new List<ConnectionRow[]>();
        var chunk = new ConnectionRow[ChunkRows];
        foreach (var snapshot in snapshots)
        {
            await source.StartAsync(snapshot, default);
            var rows = new List<ConnectionRow>();
            int n;
            while ((n = source.Read(chunk)) > 0)
            {
                rows.AddRange(chunk.AsSpan(0, n));
            }

            all.Add([.. rows]);
        }

        return (aggregator, all);
    }

    private const int ChunkRows = 4096;
}
