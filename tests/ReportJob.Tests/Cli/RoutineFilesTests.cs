using System.Text;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Cli;

/// <summary>
/// The files of the users' existing PowerShell routine, as its write-up quotes them: its connection file (UTF-16 LE with
/// a BOM, CRLF, the run stamp in <c>datetime</c>, no server column) imports as it is, and <c>export-csv</c> writes its
/// three files back in its form.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class RoutineFilesTests : IDisposable
{
    // The routine's lines as its write-up shows them (iisports-yyyymmdd-hhMM.csv and …-connectionbysite.csv).
    private const string ConnectionFile =
        "\"datetime\",\"LocalAddress\",\"RemoteAddress\",\"RemotePort\",\"State\",\"CreationTime\"\r\n"
        + "\"20170821-1143\",\"127.0.0.1\",\"127.0.0.1\",\"50768\",\"TimeWait\",\"1/1/1601 1:00:00 AM\"\r\n"
        + "\"20170821-1143\",\"10.10.10.16\",\"10.1.17.36\",\"6533\",\"Established\",\"8/21/2017 9:02:30 AM\"\r\n";

    private const string SiteFile =
        "\"SubnetB\",\"Client\",\"Sitename\",\"avgconnection\",\"maxconnection\"\r\n"
        + "\"10.10.10\",\"12\",\"PaderbornServer\",\"135\",\"1810\"\r\n"
        + "\"10.1.1\",\"43\",\"PaderbornClient\",\"5\",\"50\"\r\n"
        + "\"10.2.1\",\"10\",\"Berlin\",\"30\",\"162\"\r\n"
        + "\"127.0.0\",\"1\",\"Loopback\",\"1\",\"1\"\r\n";

    private readonly CliSandbox _cli = new(new Dictionary<string, object>
    {
        ["Snapshots"] = new { TimeZone = "Europe/Berlin", Servers = Array.Empty<object>() },
        ["Reports"] = new { Culture = "en-US" },
    });

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task ImportAndExport_RoutineFileWithoutServerColumn_TheRoutinesThreeFiles()
    {
        var input = Path.Combine(_cli.Folder, "iisports-20170821-1143.csv");
        await File.WriteAllTextAsync(input, ConnectionFile, new UnicodeEncoding(bigEndian: false, byteOrderMark: true));
        var sites = Path.Combine(_cli.Folder, "connectionbysite.csv");
        await File.WriteAllTextAsync(sites, SiteFile, new UnicodeEncoding(bigEndian: false, byteOrderMark: true));

        var import = await _cli.RunAsync("import", input);
        Assert.True(import.Exit == 0, import.Err);
        Assert.Contains("1 imported, 0 skipped, 0 failed; 1 snapshots, 2 rows", import.Err, StringComparison.Ordinal);
        Assert.Equal(0, (await _cli.RunAsync("sites", "import", sites)).Exit);

        var servers = await _cli.RunAsync("connections", "servers", "--date", "2017-08-21", "--format", "csv");
        Assert.Contains("\"10.10.10.16\"", servers.Out, StringComparison.Ordinal); // no server column: LocalAddress is the server

        var outDir = Path.Combine(_cli.Folder, "out");
        var export = await _cli.RunAsync("export-csv", "--date", "2017-08-21", "--out", outDir);
        Assert.True(export.Exit == 0, export.Err);
        foreach (var name in new[] { "iisports-20170821-1143.csv", "iisports-20170821-1143-groupbyremoteaddress.csv", "iisports-20170821-1143-connectionbysite.csv" })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(outDir, name));
            Assert.True(bytes is [0xFF, 0xFE, ..], $"{name}: no UTF-16 LE BOM");
            var text = new UnicodeEncoding(bigEndian: false, byteOrderMark: true).GetString(bytes, 2, bytes.Length - 2);
            Assert.Equal(text.Count(c => c == '\n'), text.Split("\r\n").Length - 1); // every line ends in CRLF
            Golden.Match(Path.Combine("routine", name), text);
        }
    }

    [Fact]
    public async Task Export_Utf8AndGermanCulture_NumbersAndDatesAsGermanExportCsv()
    {
        using (var cli = new CliSandbox(new Dictionary<string, object>
        {
            ["Snapshots"] = new { TimeZone = "Europe/Berlin", Servers = Array.Empty<object>() },
            ["Reports"] = new { Culture = "de-DE" },
        }))
        {
            var input = Path.Combine(cli.Folder, "in.csv");
            await File.WriteAllTextAsync(input, ConnectionFile
                + "\"20170821-1143\",\"10.10.10.16\",\"10.1.17.36\",\"6534\",\"Established\",\"8/21/2017 9:02:31 AM\"\r\n"
                + "\"20170821-1143\",\"10.10.10.16\",\"10.1.17.37\",\"6535\",\"Established\",\"8/21/2017 9:02:32 AM\"\r\n", Encoding.UTF8);
            Assert.Equal(0, (await cli.RunAsync("import", input)).Exit);
            var outDir = Path.Combine(cli.Folder, "out");
            Assert.Equal(0, (await cli.RunAsync("export-csv", "--date", "2017-08-21", "--out", outDir, "--encoding", "utf8")).Exit);

            var bytes = await File.ReadAllBytesAsync(Path.Combine(outDir, "iisports-20170821-1143-connectionbysite.csv"));
            Assert.True(bytes is [0xEF, 0xBB, 0xBF, ..], "no UTF-8 BOM");
            var bySite = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
            Assert.Contains("\"10.1.17\",\"2\",\"(unknown)\",\"1,5\",\"2\"\r\n", bySite, StringComparison.Ordinal);
            var connections = await File.ReadAllTextAsync(Path.Combine(outDir, "iisports-20170821-1143.csv"));
            Assert.Contains("\"21.08.2017 09:02:30\"", connections, StringComparison.Ordinal);
            Assert.Contains("\"01.01.1601 01:00:00\"", connections, StringComparison.Ordinal);
        }
    }
}
