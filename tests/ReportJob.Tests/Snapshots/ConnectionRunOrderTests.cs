using System.Globalization;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

/// <summary>
/// Runs do not depend on the order snapshots arrive in, nor on one arriving twice: a store filled in any order holds
/// the same snapshots and runs as one filled in time order once.
/// </summary>
public sealed class ConnectionRunOrderTests
{
    private static readonly DateTime Start = new(2026, 10, 24, 21, 0, 0, DateTimeKind.Utc);

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Save_ShuffledAndTwice_SameStoreAsInOrder(StorageProvider provider)
    {
        // 80 rounds from 21:00 UTC: runs end at the UTC midnight, EX3 fails in rounds 100-102 of longer days only.
        var items = RandomDay.Generate(7, Start, 80);
        await using var ordered = await TestDatabase.CreateAsync(provider);
        await ConnectionDayDifferentialTests.StoreAsync(ordered, items);
        var expected = await StoredRuns.DumpAsync(ordered);

        foreach (var seed in new[] { 11, 12 })
        {
            await using var shuffled = await TestDatabase.CreateAsync(provider);
            var store = shuffled.Get<SnapshotStore>();
            var random = new Random(seed);
            var order = items.OrderBy(_ => random.Next()).ToList();
            foreach (var item in order.Concat(order.Where(_ => random.Next(3) == 0)))
            {
                if (item is SnapshotFailure failure)
                {
                    if (!order.Take(order.IndexOf(item)).Contains(item) || random.Next(2) == 0)
                    {
                        continue;
                    }

                    await store.SaveFailureAsync(failure, default);
                    continue;
                }

                var snapshot = (Snapshot)item;
                await using var c = await shuffled.Get<IDbConnectionFactory>().OpenAsync(default);
                if (!await store.ExistsAsync(c, null, snapshot.Server, snapshot.TakenAtUtc, default))
                {
                    await store.SaveAsync(snapshot, default);
                }
            }

            var actual = await StoredRuns.DumpAsync(shuffled);
            Assert.Equal(expected.Runs, actual.Runs);
            Assert.Equal(expected.Snapshots.Where(s => !s.Contains(" failed ", StringComparison.Ordinal)), actual.Snapshots.Where(s => !s.Contains(" failed ", StringComparison.Ordinal)));
        }
    }

    /// <summary>
    /// The routine's CSV files of a day (one per server and round, UTF-16 as Export-Csv -Encoding unicode writes, no
    /// server column): imported shuffled, then all again, then again with their rows in another order (another file,
    /// the same snapshots), the store equals the one that imported them in order once.
    /// </summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Import_RoutineFilesShuffledAndTwice_SameStoreAsInOrder(StorageProvider provider)
    {
        var items = RandomDay.Generate(5, Start, 60).OfType<Snapshot>().ToList();
        var folder = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var files = items.Select((s, i) => (s.Server, Path: Write(Path.Combine(folder, "in"), s, i, reversed: false))).ToList();
            var again = items.Select((s, i) => (s.Server, Path: Write(Path.Combine(folder, "again"), s, i, reversed: true))).ToList();
            var settings = new Dictionary<string, string?> { ["Snapshots:TimeZone"] = "UTC" };

            await using var ordered = await TestDatabase.CreateAsync(provider, settings);
            await ImportAsync(ordered, files);
            var expected = await StoredRuns.DumpAsync(ordered);
            Assert.Equal(items.Sum(s => s.Connections.Count), await StoredRuns.ConnectionRoundsAsync(ordered));

            await using var shuffled = await TestDatabase.CreateAsync(provider, settings);
            var random = new Random(3);
            var results = new List<CsvImportResult>();
            results.AddRange(await ImportAsync(shuffled, files.OrderBy(_ => random.Next())));
            results.AddRange(await ImportAsync(shuffled, files.OrderBy(_ => random.Next())));
            results.AddRange(await ImportAsync(shuffled, again.OrderBy(_ => random.Next())));

            Assert.Equal(items.Count, results.Count(r => r.Status == CsvImportStatus.Imported && r.Snapshots == 1));
            Assert.Equal(items.Count, results.Count(r => r.Status == CsvImportStatus.Skipped));
            Assert.Equal(items.Count, results.Count(r => r.Status == CsvImportStatus.Imported && r.DuplicateSnapshots == 1));
            var actual = await StoredRuns.DumpAsync(shuffled);
            Assert.Equal(expected.Runs, actual.Runs);
            Assert.Equal(expected.Snapshots, actual.Snapshots.Select(s => s.Replace(" ssh ", " csv ", StringComparison.Ordinal)).ToList());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<List<CsvImportResult>> ImportAsync(TestDatabase db, IEnumerable<(string Server, string Path)> files)
    {
        var importer = db.Get<CsvSnapshotImporter>();
        var results = new List<CsvImportResult>();
        foreach (var (server, path) in files)
        {
            results.Add(await importer.ImportFileAsync(path, new CsvImportTarget(server, TimeZoneInfo.Utc), move: false, default));
        }

        return results;
    }

    /// <summary>A snapshot as the routine writes it (times to the second, in en-US form; no creation time is 1/1/1601).</summary>
    private static string Write(string folder, Snapshot snapshot, int index, bool reversed)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"iisports-{snapshot.Server}-{index:0000}.csv"));
        var lines = new List<string> { "\"datetime\",\"LocalAddress\",\"RemoteAddress\",\"RemotePort\",\"State\",\"CreationTime\"" };
        var rows = snapshot.Connections.Select(c => CsvFields.Line(
        [
            En(snapshot.TakenAtUtc), c.LocalAddress.ToString(), c.RemoteAddress.ToString(), c.RemotePort.ToString(CultureInfo.InvariantCulture),
            c.State.ToString(), c.CreatedAtUtc is { } created ? En(created) : "1/1/1601 12:00:00 AM",
        ]));
        lines.AddRange(reversed ? rows.Reverse() : rows);
        File.WriteAllText(path, string.Join("\r\n", lines) + "\r\n", System.Text.Encoding.Unicode);
        return path;
    }

    private static string En(DateTime utc) => utc.ToString("M/d/yyyy h:mm:ss tt", CultureInfo.InvariantCulture);
}
