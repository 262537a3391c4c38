using System.Globalization;
using System.Text;
using Dapper;
using ReportJob.NetFlow.Decoding;
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

    /// <summary>
    /// The reader SqlBulkCopy is given (no SQL Server runs here, so the reader is checked on its own): each kind of value
    /// comes out boxed as the column's type, a formatted address as its text, and NULLs as DBNull.
    /// </summary>
    [Fact]
    public void SqlServerRowReader_TypedValues_ComeOutAsTheColumnsTypes()
    {
        var columns = new BulkColumn[]
        {
            new("i", BulkType.Int32), new("l", BulkType.Int64), new("d", BulkType.Double), new("b", BulkType.Boolean), new("t", BulkType.Text),
            new("a", BulkType.Text), new("dt", BulkType.DateTime), new("bl", BulkType.Binary), new("n", BulkType.Int64),
        };
        var time = new DateTime(2026, 11, 22, 13, 0, 0, DateTimeKind.Utc).AddTicks(7);
        var rows = new[] { 1, 2 };
        using var reader = new BulkRowReader<int>(columns, rows, (r, v) =>
        {
            v.Int32(r);
            v.Int64((long)r << 40);
            v.Double(r / 4.0);
            v.Boolean(r == 1);
            v.Text(r == 1 ? "ü" : null);
            v.Text(FlowAddress.Parse(r == 1 ? "192.0.2.1" : "2001:db8::1"));
            v.DateTime(r == 1 ? time : null);
            v.Blob(r == 1 ? [1, 2] : null);
            v.Int64((long?)null);
        });

        Assert.True(reader.Read());
        var first = new object[columns.Length];
        reader.GetValues(first);
        Assert.Equal(new object[] { 1, 1L << 40, 0.25, true, "ü", "192.0.2.1", time, new byte[] { 1, 2 }, DBNull.Value }, first);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)first[6]).Kind);
        Assert.True(reader.Read());
        Assert.Equal(("2001:db8::1", true, true, true), ((string)reader.GetValue(5), reader.IsDBNull(4), reader.IsDBNull(6), reader.IsDBNull(7)));
        Assert.False(reader.Read());
        Assert.Equal(2, reader.RowsRead);
    }

    /// <summary>A row writer that gives too few or too many values is refused with the table's name, before anything is written.</summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Insert_RowWithWrongNumberOfValues_RefusedNamingTheTable(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        await c.ExecuteAsync("CREATE TABLE bulk_width (x INTEGER, y INTEGER)");
        var columns = new BulkColumn[] { new("x", BulkType.Int32), new("y", BulkType.Int32) };
        foreach (var given in new[] { 1, 3 })
        {
            await using var tx = await c.BeginTransactionAsync();
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Get<BulkInserter>().InsertAsync(c, tx, "bulk_width", columns, [1, 2], (in int r, BulkValues v) =>
            {
                for (var i = 0; i < given; i++)
                {
                    v.Int32(r);
                }
            }, default));
            Assert.Equal($"Bulk insert into bulk_width: a row gave {given} values for 2 columns", error.Message);
        }

        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM bulk_width"));
    }

    /// <summary>
    /// The bulk insert against the same rows inserted through Dapper's parameters: batch edges (SQLite's 64-row
    /// statements, PostgreSQL's 64 KB chunks), what COPY's text form must escape (backslash, tab, newline, carriage
    /// return) and must not touch, NULL beside the text "\\N", empty and NULL texts and blobs, non-ASCII, a text longer
    /// than a chunk, runs of one time (SQLite keeps the last time's text), sub-microsecond times, NaN and infinities.
    /// </summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Insert_SameValuesAsDapperParameters(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        var start = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        var columns = new BulkColumn[]
        {
            new("i", BulkType.Int32), new("l", BulkType.Int64), new("d", BulkType.Double), new("b", BulkType.Boolean),
            new("t", BulkType.Text), new("dt", BulkType.DateTime), new("n", BulkType.Text), new("bl", BulkType.Binary), new("a", BulkType.Text),
        };
        string?[] texts = ["plain", "", "tab\there", "new\nline", "cr\rlf\r\n", "back\\slash", "\\N", "ü € 😀", "a\\tb", " spaces ", null, new string('x', 70_000)];
        string? Text(int r) => texts[r % texts.Length];
        byte[]? Blob(int r) => (r % 4) switch { 0 => null, 1 => [], _ => [(byte)r, 0, 92, 255] };
        // Addresses go in as UTF-8 formatted without a string (IUtf8SpanFormattable), texts as strings.
        FlowAddress Address(int r) => r % 3 == 0
            ? FlowAddress.Parse($"2001:db8::{r:x}:0:{r % 7}")
            : FlowAddress.Parse($"{r % 256}.{r * 7 % 256}.0.{255 - (r % 256)}");
        DateTime Time(int r) => r % 4 == 0 ? start.AddTicks(r * 1_234_567L) : start.AddTicks(r / 4 * 4 * 1_234_567L);
        // Microsoft.Data.Sqlite refuses to store NaN (SQLite itself would make it NULL).
        double Double(int r) => (r % 50) switch
        {
            7 when provider == StorageProvider.Postgres => double.NaN,
            8 => double.PositiveInfinity,
            9 => double.NegativeInfinity,
            _ => (r / 3.0) - 20,
        };
        var (types, compared) = provider == StorageProvider.Postgres
            ? ("i INTEGER, l BIGINT, d DOUBLE PRECISION, b BOOLEAN, t TEXT, dt TIMESTAMPTZ, n TEXT, bl BYTEA, a TEXT",
                "concat_ws('|', l, d::text, b, coalesce(t, '<null>'), extract(epoch from dt)::text, coalesce(n, '<null>'), coalesce(encode(bl, 'hex'), '<null>'), a)")
            : ("i INTEGER, l INTEGER, d REAL, b INTEGER, t TEXT, dt TEXT, n TEXT, bl BLOB, a TEXT",
                "quote(l) || quote(d) || quote(b) || quote(t) || quote(dt) || quote(n) || quote(bl) || quote(a)");
        foreach (var count in new[] { 1, 64, 65, 200 })
        {
            var table = $"bulk_probe_{count}";
            await c.ExecuteAsync($"CREATE TABLE {table} ({types})");
            var rows = Enumerable.Range(0, count).ToList();
            await using (var tx = await c.BeginTransactionAsync())
            {
                await db.Get<BulkInserter>().InsertAsync(c, tx, table, columns, rows, (in int r, BulkValues v) =>
                {
                    v.Int32(r);
                    v.Int64((long)r << 40);
                    v.Double(Double(r));
                    v.Boolean(r % 2 == 0);
                    v.Text(Text(r));
                    v.DateTime(Time(r));
                    v.Null();
                    v.Blob(Blob(r));
                    v.Text(Address(r));
                }, default);
                foreach (var r in rows)
                {
                    await c.ExecuteAsync($"INSERT INTO {table} VALUES (@i, @l, @d, @b, @t, @dt, NULL, @bl, @a)",
                        new { i = -r - 1, l = (long)r << 40, d = Double(r), b = r % 2 == 0, t = Text(r), dt = Time(r), bl = Blob(r), a = Address(r).ToString() }, tx);
                }

                await tx.CommitAsync();
            }

            var bulk = (await c.QueryAsync<string>($"SELECT {compared} FROM {table} WHERE i >= 0 ORDER BY i")).ToList();
            var dapper = (await c.QueryAsync<string>($"SELECT {compared} FROM {table} WHERE i < 0 ORDER BY i DESC")).ToList();
            Assert.Equal(count, bulk.Count);
            Assert.Equal(dapper, bulk);
            if (count > 2)
            {
                Assert.Contains("tab\there", bulk[2]);
                Assert.Contains("2001:db8::", bulk[0]);
                Assert.Contains("1.7.0.254", bulk[1]);
            }
        }
    }
}
