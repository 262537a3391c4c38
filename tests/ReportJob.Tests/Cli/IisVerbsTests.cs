using System.Text.Json;
using ReportJob.Cli;
using ReportJob.Tests.IisLogs;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Cli;

[Collection(ConsoleCollection.Name)]
public sealed class IisVerbsTests : IDisposable
{
    private readonly CliSandbox _cli = new();
    private readonly string _dir;

    public IisVerbsTests()
    {
        _dir = _cli.Folder;
    }

    public void Dispose() => _cli.Dispose();

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => _cli.RunAsync(args);

    [Fact]
    public async Task Top_HostileLog_EveryFormatThroughSharedWriter()
    {
        var log = IisLogSamples.Lines(
            "#Fields: date time c-ip cs-uri-stem cs-username cs(User-Agent) sc-status",
            "2026-11-20 00:00:01 198.51.100.66 /owa/ -@evil =HYPERLINK(\"x\")+\u001b[2J<b>\u202Efdp.exe 200",
            "2026-11-20 00:00:02 198.51.100.66 /EWS/Exchange.asmx jdoe Outlook 401");
        var import = await RunAsync("iis", "import", IisLogSamples.Write(_dir, "u_ex261120.log", log));
        Assert.True(import.Exit == 0, import.Err);

        var table = await RunAsync("iis", "top");
        Assert.Equal(0, table.Exit);
        Assert.Contains("IIS data of 2026-11-20 (UTC), by client", table.Err, StringComparison.Ordinal);
        Assert.StartsWith("client", table.Out, StringComparison.Ordinal);
        Assert.Contains("top_user_agent", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', table.Out);
        Assert.DoesNotContain('\u202E', table.Out);

        var csv = await RunAsync("iis", "top", "--date", "2026-11-20", "--format", "csv");
        Assert.Equal(0, csv.Exit);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\") \uFFFD[2J<b>\uFFFDfdp.exe\"", csv.Out, StringComparison.Ordinal);
        Assert.Contains("\"'-@evil (1); jdoe (1)\"", csv.Out, StringComparison.Ordinal);

        var json = await RunAsync("iis", "top", "--by", "protocol", "--format", "json");
        Assert.Equal(0, json.Exit);
        using var protocols = JsonDocument.Parse(json.Out);
        Assert.Equal(["EWS", "OWA"], protocols.RootElement.EnumerateArray().Select(p => p.GetProperty("protocol").GetString()).Order(StringComparer.Ordinal));
        Assert.All(protocols.RootElement.EnumerateArray(), p => Assert.Equal(1, p.GetProperty("requests").GetInt64()));

        var sites = await RunAsync("iis", "top", "--by", "site", "--format", "json");
        Assert.Equal(0, sites.Exit);
        Assert.DoesNotContain('<', sites.Out);
        Assert.Equal(2, JsonDocument.Parse(sites.Out).RootElement[0].GetProperty("requests").GetInt64());

        Assert.Equal(2, (await RunAsync("iis", "top", "--format", "xml")).Exit);
    }

    [Fact]
    public async Task Import_NamedLogWithoutFinalLineEnd_LastLineCountedFileLeftAsItWas()
    {
        // An Advanced Logging log whose last line has no line end, last written an hour before the verbs' clock.
        var path = IisLogSamples.Write(_dir, "advanced_20261120.log", IisLogSamples.AdvancedLogging);
        File.SetLastWriteTimeUtc(path, _cli.Clock.GetUtcNow().UtcDateTime.AddHours(-1));
        var bytes = await File.ReadAllBytesAsync(path);
        var written = File.GetLastWriteTimeUtc(path);

        var import = await RunAsync("iis", "import", path);

        Assert.True(import.Exit == 0, import.Err);
        Assert.Contains($"{path}: 9 requests, 0 bad lines", import.Out, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.Contains("already counted", (await RunAsync("iis", "import", path)).Out, StringComparison.Ordinal);
    }
}
