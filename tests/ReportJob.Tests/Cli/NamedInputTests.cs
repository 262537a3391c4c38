using System.Security.Cryptography;
using ReportJob.NetFlow;
using ReportJob.Tests.IisLogs;
using ReportJob.Tests.Snapshots;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Cli;

/// <summary>Files a user names on the command line are read, never moved or changed, whether they import or fail.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class NamedInputTests : IDisposable
{
    private readonly CliSandbox _cli = new(new Dictionary<string, object>
    {
        ["Snapshots"] = new { TimeZone = CsvTestData.Zone, Servers = Array.Empty<object>() },
    });

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task ImportIisImportIngest_GoodAndBadNamedFiles_EveryFileStaysAsItWas()
    {
        var input = CsvTestData.CopyTo(Path.Combine(_cli.Folder, "in"), CsvTestData.Ex01);
        var goodCsv = Path.Combine(input, Path.GetFileName(CsvTestData.Ex01));
        var badCsv = Path.Combine(input, "bad.csv");
        await File.WriteAllTextAsync(badCsv, "\"datetime\",\"LocalAddress\"\r\n\"x\",\"y\"\r\n");
        var goodLog = IisLogSamples.Write(input, "u_ex261120.log", IisLogSamples.DayOne);
        var badLog = Path.Combine(input, "u_ex261121.log.gz");
        // A gzip header, then a deflate block of the reserved type 3: the decompressor refuses it.
        await File.WriteAllBytesAsync(badLog, [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 0x07, .. new byte[64]]);
        var goodCapture = Path.Combine(input, "good.pcap");
        SampleCapture.Write(goodCapture, 500);
        var badCapture = Path.Combine(input, "bad.pcap");
        await File.WriteAllBytesAsync(badCapture, [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 151 % 251))]);
        var before = Listing(input);

        // Twice each: the second run meets files the ledger knows (skipped) next to the bad ones again.
        for (var run = 0; run < 2; run++)
        {
            Assert.Equal(1, (await _cli.RunAsync("import", goodCsv, badCsv, "--server", "EX01")).Exit);
            Assert.Equal(1, (await _cli.RunAsync("import", input, "--server", "EX01")).Exit);
            Assert.Equal(1, (await _cli.RunAsync("iis", "import", goodLog, badLog)).Exit);
            Assert.Equal(1, (await _cli.RunAsync("ingest", goodCapture, badCapture)).Exit);
        }

        Assert.Equal(before, Listing(input));
        var flows = await _cli.RunAsync("flows", "summary");
        Assert.Contains("files 1, flow records 500", flows.Out, StringComparison.Ordinal);
    }

    /// <summary>Every file under the folder with its size, write time and SHA-256.</summary>
    private static List<string> Listing(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p)
                ? FormattableString.Invariant($"{Path.GetRelativePath(folder, p)} {new FileInfo(p).Length} {File.GetLastWriteTimeUtc(p):O} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))}")
                : Path.GetRelativePath(folder, p) + "/")
            .ToList();
}
