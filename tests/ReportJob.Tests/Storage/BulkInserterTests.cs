using System.Globalization;
using System.Text;
using Dapper;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Storage;

public sealed class BulkInserterTests
{
    [Fact]
    public void FormatSqliteDateTime_ManyValues_SameAsMicrosoftDataSqlite()
    {
        var random = new Random(20261120);
        var values = new List<DateTime>
        {
            new(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc),
            new(2026, 11, 20, 8, 0, 0, 500, DateTimeKind.Utc),
            new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1),
            new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1_234_560),
            DateTime.MinValue,
            DateTime.MaxValue,
        };
        for (var i = 0; i < 10_000; i++)
        {
            values.Add(new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc));
        }

        Span<byte> buffer = stackalloc byte[32];
        foreach (var v in values)
        {
            var n = BulkInserter.FormatSqliteDateTime(v, buffer);
            Assert.Equal(v.ToString(BulkInserter.SqliteDateTimeFormat, CultureInfo.InvariantCulture), Encoding.UTF8.GetString(buffer[..n]));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(200)]
    public async Task Insert_Sqlite_SameValuesAsDapperParameters(int rows)
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        await c.ExecuteAsync("CREATE TABLE bulk_probe (i INTEGER, l INTEGER, d REAL, b INTEGER, t TEXT, dt TEXT, n TEXT, bl BLOB)");
        var start = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        var columns = new BulkColumn[]
        {
            new("i", BulkType.Int32), new("l", BulkType.Int64), new("d", BulkType.Double), new("b", BulkType.Boolean),
            new("t", BulkType.Text), new("dt", BulkType.DateTime), new("n", BulkType.Text), new("bl", BulkType.Binary),
        };
        // Empty texts and blobs, and runs of one time between others (the insert keeps the last time's text).
        static string Text(int r) => r % 5 == 0 ? "" : "row ü " + r;
        static byte[] Blob(int r) => r % 3 == 0 ? [] : [(byte)r, 0, 255];
        DateTime Time(int r) => r % 4 == 0 ? start.AddTicks(r * 1_234_567L) : start.AddTicks(r / 4 * 4 * 1_234_567L);
        await using (var tx = await c.BeginTransactionAsync())
        {
            await db.Get<BulkInserter>().InsertAsync(c, tx, "bulk_probe", columns, Enumerable.Range(0, rows), (r, v) =>
            {
                v[0] = r;
                v[1] = (long)r << 40;
                v[2] = r / 3.0;
                v[3] = r % 2 == 0;
                v[4] = Text(r);
                v[5] = Time(r);
                v[6] = null;
                v[7] = Blob(r);
            }, default);
            for (var r = 0; r < rows; r++)
            {
                await c.ExecuteAsync("INSERT INTO bulk_probe VALUES (@i, @l, @d, @b, @t, @dt, NULL, @bl)",
                    new { i = -r - 1, l = (long)r << 40, d = r / 3.0, b = r % 2 == 0, t = Text(r), dt = Time(r), bl = Blob(r) }, tx);
            }

            await tx.CommitAsync();
        }

        var bulk = (await c.QueryAsync<string>("SELECT quote(l) || quote(d) || quote(b) || quote(t) || quote(dt) || quote(n) || quote(bl) FROM bulk_probe WHERE i >= 0 ORDER BY i")).ToList();
        var dapper = (await c.QueryAsync<string>("SELECT quote(l) || quote(d) || quote(b) || quote(t) || quote(dt) || quote(n) || quote(bl) FROM bulk_probe WHERE i < 0 ORDER BY i DESC")).ToList();
        Assert.Equal(rows, bulk.Count);
        Assert.Equal(dapper, bulk);
    }

    [Theory]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Insert_Postgres_SameValuesAsDapperParameters(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        await c.ExecuteAsync("CREATE TABLE bulk_probe (i INTEGER, l BIGINT, d DOUBLE PRECISION, b BOOLEAN, t TEXT, dt TIMESTAMPTZ, n TEXT, bl BYTEA)");
        var start = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        var columns = new BulkColumn[]
        {
            new("i", BulkType.Int32), new("l", BulkType.Int64), new("d", BulkType.Double), new("b", BulkType.Boolean),
            new("t", BulkType.Text), new("dt", BulkType.DateTime), new("n", BulkType.Text), new("bl", BulkType.Binary),
        };
        // What COPY's text form must escape (backslash, tab, newline, carriage return), what it must not touch, NULL
        // beside the text "\\N", empty values, non-ASCII, sub-microsecond times and doubles that need all their digits.
        string?[] texts = ["plain", "", "tab\there", "new\nline", "cr\rlf\r\n", "back\\slash", "\\N", "ü € 😀", "a\\tb", " spaces ", null];
        var rows = Enumerable.Range(0, 200).ToList();
        string? Text(int r) => texts[r % texts.Length];
        byte[]? Blob(int r) => r % 4 == 0 ? null : r % 4 == 1 ? [] : [(byte)r, 0, 92, 255];
        DateTime Time(int r) => start.AddTicks(r * 1_234_567L);
        double Double(int r) => r == 7 ? double.NaN : r == 8 ? double.PositiveInfinity : r == 9 ? double.NegativeInfinity : (r / 3.0) - 20;
        await using (var tx = await c.BeginTransactionAsync())
        {
            await db.Get<BulkInserter>().InsertAsync(c, tx, "bulk_probe", columns, rows, (r, v) =>
            {
                v[0] = r;
                v[1] = (long)r << 40;
                v[2] = Double(r);
                v[3] = r % 2 == 0;
                v[4] = Text(r);
                v[5] = Time(r);
                v[6] = null;
                v[7] = Blob(r);
            }, default);
            foreach (var r in rows)
            {
                await c.ExecuteAsync("INSERT INTO bulk_probe VALUES (@i, @l, @d, @b, @t, @dt, NULL, @bl)",
                    new { i = -r - 1, l = (long)r << 40, d = Double(r), b = r % 2 == 0, t = Text(r), dt = Time(r), bl = Blob(r) }, tx);
            }

            await tx.CommitAsync();
        }

        const string Columns = "concat_ws('|', l, d::text, b, coalesce(t, '<null>'), extract(epoch from dt)::text, coalesce(n, '<null>'), coalesce(encode(bl, 'hex'), '<null>'))";
        var bulk = (await c.QueryAsync<string>($"SELECT {Columns} FROM bulk_probe WHERE i >= 0 ORDER BY i")).ToList();
        var dapper = (await c.QueryAsync<string>($"SELECT {Columns} FROM bulk_probe WHERE i < 0 ORDER BY i DESC")).ToList();
        Assert.Equal(rows.Count, bulk.Count);
        Assert.Equal(dapper, bulk);
        Assert.Contains("tab\there", bulk[2]);
    }
}
