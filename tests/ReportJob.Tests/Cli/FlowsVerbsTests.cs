using ReportJob.NetFlow;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Cli;

[Collection(ConsoleCollection.Name)]
public sealed class FlowsVerbsTests : IDisposable
{
    private readonly CliSandbox _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>A capture that is not one fails naming the file and the offset, once, without a stack trace (a bug's keeps one).</summary>
    [Fact]
    public async Task Ingest_Garbage_FailsNamingFileAndOffsetWithoutStackTrace()
    {
        var garbage = Path.Combine(_cli.Folder, "garbage.pcap");
        await File.WriteAllBytesAsync(garbage, [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 151 % 251))]);

        var result = await _cli.RunAsync("ingest", garbage);

        Assert.Equal(1, result.Exit);
        var all = result.Out + result.Err;
        Assert.Contains($"FAILED    {garbage}: Unknown capture format", all, StringComparison.Ordinal);
        Assert.Contains("(at byte offset 0)", all, StringComparison.Ordinal);
        Assert.Contains("failed and was rolled back", all, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ReportJob.", all, StringComparison.Ordinal);
    }

    /// <summary>The summary's window line names the first and last bucket, and says so when there is none (it printed " ..  UTC").</summary>
    [Fact]
    public async Task Summary_EmptyThenIngested_WindowLineSaysWhatIsStored()
    {
        var empty = await _cli.RunAsync("flows", "summary");
        Assert.True(empty.Exit == 0, empty.Err);
        Assert.Contains("window: no flow data stored; files 0, flow records 0", empty.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(" .. ", empty.Out, StringComparison.Ordinal);

        var capture = Path.Combine(_cli.Folder, "sample.pcap");
        SampleCapture.Write(capture, 1_000);
        var ingest = await _cli.RunAsync("ingest", capture);
        Assert.True(ingest.Exit == 0, ingest.Err);

        var stored = await _cli.RunAsync("flows", "summary");
        Assert.True(stored.Exit == 0, stored.Err);
        Assert.Matches(@"window: \d{4}-\d\d-\d\d \d\d:\d\d \.\. \d{4}-\d\d-\d\d \d\d:\d\d UTC \(bucket starts\); files 1, flow records 1000", stored.Out);

        var before = await _cli.RunAsync("flows", "summary", "--to", "2000-01-01");
        Assert.True(before.Exit == 0, before.Err);
        Assert.Contains("window: no flow data stored between --from and --to", before.Out, StringComparison.Ordinal);
    }
}
