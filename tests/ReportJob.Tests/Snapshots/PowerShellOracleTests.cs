using System.Globalization;
using System.Text;
using ReportJob.Snapshots;
using ReportJob.Tests.Cli;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

/// <summary>
/// Real PowerShell (7.6.10, the .NET tool) as the oracle for the routine's files: it writes the connection file with
/// the routine's own Export-Csv line over random Get-NetTCPConnection-shaped objects, and computes the routine's figures
/// itself; ReportJob's import and export must give the same. It also runs the command ReportJob sends to Windows servers.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PowerShellOracleTests
{
    private static readonly DateTime NowUtc = new(2026, 11, 20, 7, 5, 0, DateTimeKind.Utc); // 08:05 in Berlin
    private static readonly Dictionary<string, string> Berlin = new() { ["TZ"] = "Europe/Berlin" };

    private static string Script(string name) => Path.Combine(RepoPaths.Fixtures, "PowerShell", name);

    [ToolTheory("pwsh")]
    [InlineData("en-US")]
    [InlineData("de-DE")]
    public async Task RoutineFiles_ImportAndExport_FiguresEqualPowerShells(string culture)
    {
        using var cli = new CliSandbox(new Dictionary<string, object>
        {
            ["Snapshots"] = new
            {
                TimeZone = "Europe/Berlin",
                Servers = new object[] { new { Name = "EX-NODE1", Source = "Csv", Addresses = new[] { "10.10.10.16" } } },
            },
            ["Reports"] = new { Culture = culture },
        });
        var ps = Directory.CreateDirectory(Path.Combine(cli.Folder, "ps")).FullName;
        var json = Path.Combine(cli.Folder, "connections.json");
        var rows = NetTcpConnectionSet.Generate(seed: culture.Length * 7919, NowUtc);
        NetTcpConnectionSet.WriteJson(json, rows);

        ExternalTools.Run("pwsh", ["-NoProfile", "-NonInteractive", "-File", Script("Routine.ps1"), "-Connections", json, "-Culture", culture, "-Out", ps, "-Now", "2026-11-20 08:05:00"],
            TimeSpan.FromMinutes(3), environment: Berlin);
        var file = Path.Combine(ps, "iisports-20261120-0805.csv");
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.True(bytes is [0xFF, 0xFE, ..], "PowerShell's -encoding unicode writes UTF-16 LE with a BOM");
        Assert.Equal(culture == "en-US", Encoding.Unicode.GetString(bytes).Contains('\u202F', StringComparison.Ordinal)); // PowerShell 7 on ICU

        var import = await cli.RunAsync("import", file);
        Assert.True(import.Exit == 0, import.Err);
        var kept = rows.Count(r => r.LocalPort == 443 && r.RemotePort != 0);
        Assert.Contains($"1 imported, 0 skipped, 0 failed; 5 snapshots, {kept} rows", import.Err, StringComparison.Ordinal);
        Assert.Equal(0, (await cli.RunAsync("sites", "import", Path.Combine(ps, "subnet2site.csv"))).Exit);
        var servers = await cli.RunAsync("connections", "servers", "--date", "2026-11-20", "--format", "csv");
        foreach (var server in new[] { "EX-NODE1", "10.10.10.17", "10.10.10.18", "2001:db8:10::19", "127.0.0.1" })
        {
            Assert.Contains($"\"{server}\",\"1\"", servers.Out, StringComparison.Ordinal); // one round, one snapshot per server
        }

        var outDir = Path.Combine(cli.Folder, "out");
        var export = await cli.RunAsync("export-csv", "--date", "2026-11-20", "--out", outDir);
        Assert.True(export.Exit == 0, export.Err);

        var expectedClients = Records(Path.Combine(ps, "expected-groupbyremoteaddress.csv")).ToDictionary(r => r[0], r => r[1]);
        var actualClients = Records(Path.Combine(outDir, "iisports-20261120-0805-groupbyremoteaddress.csv")).ToDictionary(r => r[0], r => r[1]);
        Assert.True(expectedClients.Count > 80, $"{expectedClients.Count} clients");
        Assert.Equal(expectedClients.OrderBy(kv => kv.Key, StringComparer.Ordinal), actualClients.OrderBy(kv => kv.Key, StringComparer.Ordinal));

        // Per subnet: clients, average and maximum connections, each cell the text PowerShell's Export-Csv wrote.
        var expectedSites = Records(Path.Combine(ps, "expected-connectionbysite.csv")).Select(r => string.Join("|", r)).Order(StringComparer.Ordinal).ToList();
        var actualSites = Records(Path.Combine(outDir, "iisports-20261120-0805-connectionbysite.csv")).Select(r => string.Join("|", r)).Order(StringComparer.Ordinal).ToList();
        Assert.Contains(expectedSites, s => s.StartsWith("10.2.1|", StringComparison.Ordinal) && s.Contains("|Berlin|", StringComparison.Ordinal));
        Assert.Contains(expectedSites, s => s.Contains("/64|", StringComparison.Ordinal));
        Assert.Contains(expectedSites, s => s.Split('|')[3].Contains(CultureInfo.GetCultureInfo(culture).NumberFormat.NumberDecimalSeparator, StringComparison.Ordinal));
        Assert.Equal(expectedSites, actualSites);
    }

    [ToolFact("pwsh")]
    public void WindowsTcpScript_RunByPowerShell_RowsRoundTrip()
    {
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var json = Path.Combine(dir, "connections.json");
            var rows = NetTcpConnectionSet.Generate(seed: 11, NowUtc);
            NetTcpConnectionSet.WriteJson(json, rows);
            var command = WindowsTcpScript.Command([443]);
            var encoded = command[(command.LastIndexOf(' ') + 1)..];

            var output = ExternalTools.Run("pwsh", ["-NoProfile", "-NonInteractive", "-File", Script("WindowsTcpScript.ps1"), "-Connections", json, "-EncodedCommand", encoded],
                TimeSpan.FromMinutes(3), environment: Berlin);
            var parsed = new List<TcpConnection>();
            var report = new TcpTableParseReport();
            WindowsTcpOutputParser.Parse(output, parsed, report, "pwsh");

            var expected = rows
                .Where(r => r.LocalPort == 443 && r.State is not ((int)TcpState.Listen or (int)TcpState.Bound))
                .Select(r => new TcpConnection(
                    SnapshotStore.Normalize(System.Net.IPAddress.Parse(r.LocalAddress)), r.LocalPort,
                    SnapshotStore.Normalize(System.Net.IPAddress.Parse(r.RemoteAddress)), r.RemotePort, (TcpState)r.State,
                    r.CreatedUtcTicks == 0 ? null : new DateTime(r.CreatedUtcTicks, DateTimeKind.Utc), r.OwningProcess))
                .ToList();
            Assert.True(expected.Count > 500, $"{expected.Count} rows");
            Assert.True(report.MalformedLines == 0, report.ToString());
            Assert.Equal(expected, parsed);

            // A port with no connection: the cmdlet's "no matching objects" error is expected, the header still comes.
            var none = WindowsTcpScript.Command([8443]);
            var empty = ExternalTools.Run("pwsh", ["-NoProfile", "-NonInteractive", "-File", Script("WindowsTcpScript.ps1"), "-Connections", json, "-EncodedCommand", none[(none.LastIndexOf(' ') + 1)..]],
                TimeSpan.FromMinutes(3), environment: Berlin);
            Assert.Equal(WindowsTcpScript.Header, empty.Trim());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The data rows of an Export-Csv file (UTF-16 with BOM), each as its cells.</summary>
    private static List<string[]> Records(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = CsvSnapshotReader.OpenText(stream);
        var csv = new CsvRecordReader(reader, Path.GetFileName(path));
        csv.Read(); // the header
        var rows = new List<string[]>();
        while (csv.Read() is { } r)
        {
            rows.Add([.. r]);
        }

        return rows;
    }
}
