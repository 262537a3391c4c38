using ReportJob.Sites;
using ReportJob.Snapshots;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

public sealed class CsvExporterTests
{
    private static readonly string[] Files =
    [
        "iisports-20261120-0805.csv",
        "iisports-20261120-0805-groupbyremoteaddress.csv",
        "iisports-20261120-0805-connectionbysite.csv",
    ];

    /// <summary>
    /// The expected files are written by hand (Fixtures/snapshots-csv/export). connectionbysite, round 08:05 Berlin:
    /// 10.2.1.5 has 3 connections on EX01 + 1 on EX02 = 4; 10.2.1.6 1 + 1 = 2 → 10.2.1.0/24 Berlin: 2 clients,
    /// avg (4 + 2) / 2 = 3, max 4. 10.3.4.7 1 + 1 = 2; 10.3.4.8 1 → 10.3.0.0/16 Munich: 2 clients, avg 3 / 2 = 1.5,
    /// max 2. 192.168.9.9 1 → in no mapped subnet: its /24, (unknown), 1 client, avg 1, max 1. The Listen rows and
    /// the LocalPort 444 row are not connections of port 443 and are not counted.
    /// </summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Export_Round0805_ByteForByteAsExpected(StorageProvider provider)
    {
        var drop = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"), "drop");
        await using var db = await TestDatabase.CreateAsync(provider, CsvImportTests.DropFolderSettings(drop));
        await CsvImportTests.ImportFixturesAsync(db, drop);
        await db.Get<SiteStore>().ImportAsync(CsvTestData.Sites, default);
        var round = (await db.Get<ConnectionQueries>().FindRoundAtAsync(new DateTime(2026, 11, 20, 7, 9, 59, DateTimeKind.Utc), default))!;
        var outDir = Path.Combine(db.Directory, "out");

        var written = await db.Get<CsvExporter>().ExportAsync([round], outDir, CsvTestData.Berlin, System.Globalization.CultureInfo.GetCultureInfo("en-US"), CsvExporter.Utf8, default);

        Assert.Equal(Files, written.Select(Path.GetFileName));
        foreach (var f in Files)
        {
            var expected = await File.ReadAllBytesAsync(Path.Combine(CsvTestData.Folder, "export", f));
            var actual = await File.ReadAllBytesAsync(Path.Combine(outDir, f));
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{f} differs:\n{System.Text.Encoding.UTF8.GetString(actual)}");
        }
    }

    [Fact]
    public void BySite_FormulaLikeSiteName_Escaped()
    {
        var sites = new SiteMap([new SiteSubnet(Subnet.Parse("10.9.0.0/16"), "=HYPERLINK(\"x\")")]);
        var t = new DateTime(2026, 11, 20, 7, 5, 0, DateTimeKind.Utc);
        var rows = CsvExporter.BySite([new StoredConnection("EX01", t, "10.0.0.10", 443, "10.9.1.1", 5000, "Established", null, t)], sites, System.Globalization.CultureInfo.InvariantCulture).ToList();
        Assert.Equal("\"10.9.0.0/16\",\"1\",\"'=HYPERLINK(\"\"x\"\")\",\"1\",\"1\"", CsvFields.Line(rows[1]));
    }
}
