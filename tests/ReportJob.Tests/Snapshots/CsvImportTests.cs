using Dapper;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

public sealed class CsvImportTests
{
    internal static Dictionary<string, string?> DropFolderSettings(string dropFolder) => new()
    {
        ["Snapshots:TimeZone"] = CsvTestData.Zone,
        ["Snapshots:Servers:0:Name"] = "EX01",
        ["Snapshots:Servers:0:Source"] = "Csv",
        ["Snapshots:Servers:0:DropFolder"] = dropFolder,
    };

    /// <summary>Snapshots, the connections they hold (read back through the runs, one per connection and snapshot), ledger entries.</summary>
    internal static async Task<(long Snapshots, long Connections, long Ledger)> CountsAsync(TestDatabase db)
    {
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        return (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM snapshot"),
                await StoredRuns.ConnectionRoundsAsync(db),
                await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ingest_ledger"));
    }

    /// <summary>Imports both fixtures from a drop folder of EX01 (ex02 names its server in PSComputerName).</summary>
    internal static async Task<CsvImportSummary> ImportFixturesAsync(TestDatabase db, string drop)
    {
        CsvTestData.CopyTo(drop, CsvTestData.Ex01, CsvTestData.Ex02);
        foreach (var f in Directory.GetFiles(drop))
        {
            File.SetLastWriteTimeUtc(f, DateTime.UnixEpoch); // older than the settle time
        }

        return await db.Get<CsvDropFolderImporter>().ImportAsync(null, default);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task DropFolder_TwoFixtures_StoredAndMovedToDone(StorageProvider provider)
    {
        var drop = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"), "drop");
        await using var db = await TestDatabase.CreateAsync(provider, DropFolderSettings(drop));

        var summary = await ImportFixturesAsync(db, drop);

        Assert.Equal((2, 0, 0), (summary.Imported, summary.Skipped, summary.Failed));
        Assert.Equal(4, summary.Snapshots);
        Assert.Equal(8 + 5, summary.Rows);
        Assert.Equal((4L, 13L, 2L), await CountsAsync(db));
        Assert.Empty(Directory.GetFiles(drop));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(drop, "done")).Length);

        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        var servers = (await c.QueryAsync<string>("SELECT DISTINCT server FROM snapshot ORDER BY server")).ToList();
        Assert.Equal(["EX01", "EX02"], servers);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_SameFileAgain_SkippedAndStoreUnchanged(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, new Dictionary<string, string?> { ["Snapshots:TimeZone"] = CsvTestData.Zone });
        var importer = db.Get<CsvSnapshotImporter>();
        var target = new CsvImportTarget("EX01", CsvTestData.Berlin);
        var folder = CsvTestData.CopyTo(Path.Combine(db.Directory, "in"), CsvTestData.Ex01);
        var first = await importer.ImportAsync([folder], _ => target, move: true, null, default);
        var before = await CountsAsync(db);

        CsvTestData.CopyTo(folder, CsvTestData.Ex01);
        var second = await importer.ImportAsync([folder], _ => target, move: true, null, default);

        Assert.Equal(CsvImportStatus.Imported, first.Files.Single().Status);
        Assert.Equal(CsvImportStatus.Skipped, second.Files.Single().Status);
        Assert.Equal(before, await CountsAsync(db));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder, "done")).Length); // ex01…csv and ex01….1.csv
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_SameSnapshotsInAnotherFile_NotCountedTwice(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var importer = db.Get<CsvSnapshotImporter>();
        var target = new CsvImportTarget("EX01", CsvTestData.Berlin);
        var folder = CsvTestData.CopyTo(Path.Combine(db.Directory, "in"), CsvTestData.Ex01);
        await importer.ImportAsync([folder], _ => target, move: true, null, default);
        var before = await CountsAsync(db);

        // The same rows with one more appended: a different file (hash), the same snapshot times.
        var text = File.ReadAllText(CsvTestData.Ex01) + "\"11/20/2026 8:10:00 AM\",\"10.0.0.10\",\"10.2.1.9\",\"50300\",\"Established\",\"1/1/1601 1:00:00 AM\"\r\n";
        File.WriteAllText(Path.Combine(folder, "again.csv"), text, System.Text.Encoding.Unicode);
        var result = (await importer.ImportAsync([folder], _ => target, move: true, null, default)).Files.Single();

        Assert.Equal(CsvImportStatus.Imported, result.Status);
        Assert.Equal((0, 2), (result.Snapshots, result.DuplicateSnapshots));
        Assert.Equal((before.Snapshots, before.Connections, before.Ledger + 1), await CountsAsync(db));
    }

    public static TheoryData<string, string, string> GarbageFiles => new()
    {
        { "truncated.csv", "\"datetime\",\"LocalAddress\",\"RemoteAddress\",\"RemotePort\",\"State\"\r\n\"11/20/2026 8:05:00 AM\",\"10.0.0.10\",\"10.2.1.5\",\"50000\",\"Established\"\r\n\"11/20/2026 8:05:00 AM\",\"10.0", "truncated.csv:3:" },
        { "columns.csv", "\"Time\",\"Local\",\"Remote\"\r\n\"x\",\"y\",\"z\"\r\n", "columns.csv:1: missing column(s)" },
        { "baddate.csv", "\"datetime\",\"LocalAddress\",\"RemoteAddress\",\"RemotePort\",\"State\"\r\n\"11/20/2026 8:05:00 AM\",\"10.0.0.10\",\"10.2.1.5\",\"50000\",\"Established\"\r\n\"11/20/2026 8:05:00 AM\",\"10.0.0.10\",\"10.2.1.6\",\"50000\",\"Established\"\r\n\"11/20/2026 25:05:00 AM\",\"10.0.0.10\",\"10.2.1.7\",\"50000\",\"Established\"\r\n", "baddate.csv:4: datetime" },
        { "binary.csv", "\u0001\u0002PK\0\0\0\u0003\u0004garbage\0\0", "binary.csv:" },
        { "empty.csv", "", "empty.csv: the file is empty" },
    };

    [Theory]
    [MemberData(nameof(GarbageFiles))]
    public Task Import_GarbageSqlite_FailedWithReasonAndStoreUnchanged(string name, string content, string expected) => ImportGarbage(StorageProvider.Sqlite, name, content, expected);

    [Theory]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_GarbagePostgres_FailedWithReasonAndStoreUnchanged(StorageProvider provider)
    {
        foreach (var row in GarbageFiles)
        {
            await ImportGarbage(provider, (string)row[0], (string)row[1], (string)row[2]);
        }
    }

    private static async Task ImportGarbage(StorageProvider provider, string name, string content, string expected)
    {
        var drop = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"), "drop");
        await using var db = await TestDatabase.CreateAsync(provider, DropFolderSettings(drop));
        await ImportFixturesAsync(db, drop);
        var before = await CountsAsync(db);

        var path = Path.Combine(drop, name);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch);
        var summary = await db.Get<CsvDropFolderImporter>().ImportAsync(null, default);

        var result = summary.Files.Single();
        Assert.Equal(CsvImportStatus.Failed, result.Status);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(db));
        var failed = Path.Combine(drop, "failed", name);
        Assert.True(File.Exists(failed));
        Assert.Contains(expected, await File.ReadAllTextAsync(failed + ".reason"), StringComparison.Ordinal);
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task DropFolder_Missing_FailedNamingTheFolder(StorageProvider provider)
    {
        var drop = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"), "nowhere");
        await using var db = await TestDatabase.CreateAsync(provider, DropFolderSettings(drop));
        var summary = await db.Get<CsvDropFolderImporter>().ImportAsync(null, default);
        var result = summary.Files.Single();
        Assert.Equal(CsvImportStatus.Failed, result.Status);
        Assert.Contains(drop, result.Error, StringComparison.Ordinal);
        Assert.Equal((0L, 0L, 0L), await CountsAsync(db));
    }

    [Fact]
    public async Task DropFolder_FreshFile_LeftForTheNextRun()
    {
        var drop = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"), "drop");
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite, DropFolderSettings(drop));
        CsvTestData.CopyTo(drop, CsvTestData.Ex01);
        File.SetLastWriteTimeUtc(Path.Combine(drop, Path.GetFileName(CsvTestData.Ex01)), db.Get<TimeProvider>().GetUtcNow().UtcDateTime);
        var summary = await db.Get<CsvDropFolderImporter>().ImportAsync(null, default);
        Assert.Empty(summary.Files);
        Assert.Single(Directory.GetFiles(drop));
    }
}
