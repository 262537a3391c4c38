using System.Text.Json;
using ReportJob.Cli;
using ReportJob.Tests.Snapshots;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Cli;

[Collection(ConsoleCollection.Name)]
public sealed class SnapshotVerbsTests : IDisposable
{
    private readonly CliSandbox _cli = new(new Dictionary<string, object>
    {
        ["Snapshots"] = new { TimeZone = CsvTestData.Zone, Servers = Array.Empty<object>() },
    });
    private readonly string _dir;

    public SnapshotVerbsTests()
    {
        _dir = _cli.Folder;
    }

    public void Dispose() => _cli.Dispose();

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => _cli.RunAsync(args);

    private async Task ImportFixturesAsync()
    {
        var input = CsvTestData.CopyTo(Path.Combine(_dir, "in"), CsvTestData.Ex01, CsvTestData.Ex02);
        var (exit, _, err) = await RunAsync("import", input, "--server", "EX01");
        Assert.True(exit == 0, err);
        Assert.Contains("2 imported, 0 skipped, 0 failed; 4 snapshots, 13 rows", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OneBadFile_ExitOneGoodOnesStored()
    {
        var input = CsvTestData.CopyTo(Path.Combine(_dir, "in"), CsvTestData.Ex01);
        await File.WriteAllTextAsync(Path.Combine(input, "bad.csv"), "\"datetime\",\"LocalAddress\"\r\n\"x\",\"y\"\r\n");

        var (exit, output, _) = await RunAsync("import", input, "--server", "EX01", "--format", "csv");

        Assert.Equal(1, exit);
        Assert.Contains("\"bad.csv\",\"Failed\",\"0\",\"0\",\"bad.csv:1: missing column(s)", output, StringComparison.Ordinal);
        Assert.Contains("\"ex01-en-US-utf16.csv\",\"Imported\",\"2\",\"8\"", output, StringComparison.Ordinal);
        Assert.Equal(["bad.csv", "ex01-en-US-utf16.csv"], Directory.GetFileSystemEntries(input).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var again = await RunAsync("import", input, "--server", "EX01");
        Assert.Equal(1, again.Exit);
        Assert.Contains("0 imported, 1 skipped, 1 failed; 0 snapshots, 0 rows", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connections_TopServersStatesSites_FromFixtures()
    {
        await ImportFixturesAsync();
        Assert.Equal(0, (await RunAsync("sites", "import", CsvTestData.Sites)).Exit);

        var top = await RunAsync("connections", "top", "--at", "2026-11-20 08:05", "--limit", "1", "--format", "json");
        Assert.Equal(0, top.Exit);
        var rows = JsonDocument.Parse(top.Out).RootElement;
        Assert.Equal(1, rows.GetArrayLength());
        Assert.Equal("10.2.1.5", rows[0].GetProperty("RemoteAddress").GetString());
        Assert.Equal(4, rows[0].GetProperty("Connections").GetInt32());
        Assert.Equal("Berlin", rows[0].GetProperty("Site").GetString());

        // EX01 over the day: 6 connections at 08:05 and 2 at 08:10 → peak 6, average 4; Established (4 + 2) / 2 = 3.
        var servers = await RunAsync("connections", "servers", "--date", "2026-11-20", "--format", "csv");
        Assert.Equal(0, servers.Exit);
        Assert.Contains("\"EX01\",\"2\",\"6\",\"4\",\"Established=3 CloseWait=0.5 TimeWait=0.5\"", servers.Out, StringComparison.Ordinal);

        var states = await RunAsync("connections", "states", "--format", "csv");
        Assert.Equal("\"State\",\"Connections\",\"Average\",\"Percent\"\n\"Established\",\"3\",\"3\",\"100\"\n", states.Out.Replace("\r", "", StringComparison.Ordinal));

        var sites = await RunAsync("connections", "sites", "--at", "2026-11-20T07:05:00Z", "--format", "csv");
        Assert.Contains("\"Munich\",\"2\",\"1.5\",\"2\"", sites.Out, StringComparison.Ordinal);
    }

    /// <summary>
    /// The fixtures' day rolled up when asked (days of Reports:TimeZone, UTC here): two rounds; EX01 holds 6
    /// connections and EX02 4 at 07:05 UTC, so the day's peak is 10 and EX01's 6.
    /// </summary>
    [Fact]
    public async Task ConnectionsTrend_FixtureDays_RolledUpAndShown()
    {
        await ImportFixturesAsync();

        var days = await RunAsync("connections", "trend", "--days", "2", "--to", "2026-11-20", "--format", "csv");
        var servers = await RunAsync("connections", "trend", "--days", "2", "--to", "2026-11-20", "--by", "server", "--format", "csv");
        var again = await RunAsync("connections", "trend", "--days", "2", "--to", "2026-11-20");

        Assert.Equal(0, days.Exit);
        Assert.Contains("2026-11-19 to 2026-11-20 (UTC): 1 of 2 days have connections; 1 rolled up now", days.Err, StringComparison.Ordinal);
        var lines = days.Out.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("\"Day\",\"Rounds\",\"Failed\",\"Clients\",\"Peak\",\"Average\",\"Servers\",\"MaxDeviation\",\"RoundsFlagged\"", lines[0]);
        Assert.StartsWith("\"2026-11-20\",\"2\",\"0\",", lines[1], StringComparison.Ordinal);
        Assert.Contains(",\"10\",", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"2026-11-20\",\"EX01\",\"6\",", servers.Out, StringComparison.Ordinal);
        Assert.Contains("0 rolled up now", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connections_LatestOlderThanLookBack_SaysWhereTheDataIs()
    {
        await ImportFixturesAsync();
        _cli.Clock.Now = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

        var states = await RunAsync("connections", "states", "--time-zone", "UTC", "--format", "csv");

        Assert.Equal(0, states.Exit);
        Assert.Equal("\"State\",\"Connections\",\"Average\",\"Percent\"\n", states.Out.Replace("\r", "", StringComparison.Ordinal));
        // The fixtures' last round is 08:10 in CsvTestData.Zone, 07:10 UTC.
        Assert.Contains("no snapshot in the 7 days before 2026-12-07 10:00 (UTC); the latest is 2026-11-20 07:10 (use --at or --date)", states.Err, StringComparison.Ordinal);

        var empty = new CliSandbox();
        try
        {
            var none = await empty.RunAsync("connections", "top", "--time-zone", "UTC");
            Assert.Equal(0, none.Exit);
            Assert.Contains("no snapshot at or before 2026-11-21 06:00 (UTC) (collect or import some first)", none.Err, StringComparison.Ordinal);
        }
        finally
        {
            empty.Dispose();
        }
    }

    [Fact]
    public async Task ExportCsv_Date_OneSetPerRound()
    {
        await ImportFixturesAsync();
        var outDir = Path.Combine(_dir, "out");

        var (exit, output, err) = await RunAsync("export-csv", "--date", "2026-11-20", "--out", outDir);

        Assert.True(exit == 0, err);
        Assert.Equal(6, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(
            ["iisports-20261120-0805-connectionbysite.csv", "iisports-20261120-0805-groupbyremoteaddress.csv", "iisports-20261120-0805.csv",
             "iisports-20261120-0810-connectionbysite.csv", "iisports-20261120-0810-groupbyremoteaddress.csv", "iisports-20261120-0810.csv"],
            Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(1, (await RunAsync("export-csv", "--date", "2026-11-21", "--out", outDir)).Exit);
    }

    [Theory]
    [InlineData("connections", "top", "--limit", "0")]
    [InlineData("connections", "top", "--at", "yesterday")]
    [InlineData("connections", "top", "--at", "2026-11-20 08:05", "--date", "2026-11-20")]
    [InlineData("connections", "top", "--date", "20.11.2026")]
    [InlineData("connections", "top", "--time-zone", "Mars/Olympus")]
    [InlineData("connections", "top", "--bogus")]
    [InlineData("connections", "trend", "--days", "0")]
    [InlineData("connections", "trend", "--by", "week")]
    [InlineData("connections", "trend", "--to", "20.11.2026")]
    [InlineData("export-csv", "--out", "x")]
    [InlineData("export-csv", "--date", "2026-11-20")]
    [InlineData("sites", "lookup", "not-an-address")]
    [InlineData("sites", "import", "/no/such/file.csv")]
    [InlineData("import")]
    public async Task BadUsage_ExitTwo(params string[] args)
    {
        var (exit, _, err) = await RunAsync(args);
        Assert.True(exit == 2, $"exit {exit}: {err}");
        Assert.NotEqual("", err.Trim());
    }

    [Fact]
    public async Task SitesLookup_MatchedAndUnknown()
    {
        Assert.Equal(0, (await RunAsync("sites", "import", CsvTestData.Sites)).Exit);
        var (exit, output, _) = await RunAsync("sites", "lookup", "10.2.1.5", "10.2.9.9", "192.168.1.1");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("10.2.1.5     10.2.1.0/24  Berlin", lines[2]);
        Assert.Equal("10.2.9.9     10.2.0.0/16  Germany-Other", lines[3]);
        Assert.Equal("192.168.1.1  (unknown)    (unknown)", lines[4]);
    }
}
