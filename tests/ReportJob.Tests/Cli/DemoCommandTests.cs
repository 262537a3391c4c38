using System.CommandLine;
using System.Text.Json;
using AngleSharp.Html.Parser;
using ReportJob.Cli;
using ReportJob.Tests.TestSupport;
using Xunit.Abstractions;

namespace ReportJob.Tests.Cli;

/// <summary><c>reportjob demo</c> once, on a clock pinned to 2026-11-21 06:00 UTC, for the tests below.</summary>
public sealed class DemoRun : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "reportjob-demo-" + Guid.NewGuid().ToString("N")[..8]);

    public int Exit { get; private set; }

    public string Out { get; private set; } = "";

    public string Err { get; private set; } = "";

    public string SampleReport => Path.Combine(Folder, "reports", "sample-day", "report-2026-11-20.html");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        var config = Path.Combine(Folder, "demo.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Storage = new { ConnectionString = "Data Source=" + Path.Combine(Folder, "data", "reportjob.db") },
            Reports = new { OutputPath = Path.Combine(Folder, "reports"), ResolveDnsNames = false },
            Mail = new { PickupDirectory = Path.Combine(Folder, "mail") },
            Status = new { Enabled = false },
        }));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var clock = new FixedTimeProvider(new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero));
        Exit = await CliApp.CreateRoot(clock).Parse(["demo", "--config", config]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        (Out, Err) = (stdout.ToString(), stderr.ToString());
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}

[Collection(ConsoleCollection.Name)]
public sealed class DemoCommandTests(DemoRun demo, ITestOutputHelper output) : IClassFixture<DemoRun>
{
    /// <summary>The report's sections, each of which the sample day must fill.</summary>
    private static readonly string[] Sections = ["headline", "states", "servers", "distribution", "top-clients", "protocols", "age", "ports", "sites", "trend", "traffic", "scanners", "quality"];

    [Fact]
    public async Task Demo_EmbeddedDefault_WritesReportWorkbookAndMailAndPrintsPaths()
    {
        Assert.True(demo.Exit == 0, $"exit {demo.Exit}: {demo.Err}");
        var text = demo.Out;
        Assert.Contains("3. NetFlow sample", text, StringComparison.Ordinal);
        Assert.Contains("3,000 flow records", text, StringComparison.Ordinal);
        var paths = text.Split('\n').Where(l => l.Contains(':', StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).Where(p => p.StartsWith(demo.Folder, StringComparison.Ordinal)).ToList();
        Assert.Contains(paths, p => p.EndsWith("report-2026-11-21.html", StringComparison.Ordinal) && File.Exists(p));
        Assert.Contains(paths, p => p.EndsWith(".xlsx", StringComparison.Ordinal) && File.Exists(p));
        Assert.Contains(paths, p => p.EndsWith(".eml", StringComparison.Ordinal) && File.Exists(p));
        var html = await File.ReadAllTextAsync(paths.First(p => p.EndsWith("report-2026-11-21.html", StringComparison.Ordinal)));
        Assert.DoesNotContain("No NetFlow/IPFIX data for this day", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_SampleDay_ThroughTheRealImportersEverySectionFilled()
    {
        Assert.True(demo.Exit == 0, $"exit {demo.Exit}: {demo.Err}");
        // 96 rounds of four servers, less the two EX-NODE3 missed; the routine's files split by LocalAddress.
        Assert.Contains("5. SAMPLE DAY 2026-11-20", demo.Out, StringComparison.Ordinal);
        Assert.Contains("96 written, 96 imported (0 failed), 382 snapshots", demo.Out, StringComparison.Ordinal);
        // The 13 days before, one file in 12 (every three hours): 8 a day.
        Assert.Contains("the 13 days before, for the trend: 104 routine files (every 3 hours), 104 imported (0 failed)", demo.Out, StringComparison.Ordinal);
        Assert.Contains("IIS log: Imported", demo.Out, StringComparison.Ordinal);
        Assert.Contains("NetFlow v9 capture: Ingested", demo.Out, StringComparison.Ordinal);
        Assert.Contains("report:   " + demo.SampleReport, demo.Out, StringComparison.Ordinal);

        var doc = new HtmlParser().ParseDocument(await File.ReadAllTextAsync(demo.SampleReport));
        AssertEverySectionFilled(doc);
    }

    [ToolFact("chromium")]
    public void Demo_SampleDayOpenedInChromium_EverySectionHasData()
    {
        var profile = Path.Combine(demo.Folder, "chromium-profile");
        var (code, dom, _) = ExternalTools.RunRaw("chromium", [.. HeadlessChromium.Flags(profile), "--dump-dom", new Uri(demo.SampleReport).AbsoluteUri], TimeSpan.FromSeconds(90));
        Assert.Equal(0, code);
        AssertEverySectionFilled(new HtmlParser().ParseDocument(dom));

        output.WriteLine("screenshot: " + HeadlessChromium.Screenshot(profile, demo.SampleReport, "demo-sample-day.png", 1280, 9000, 100_000));
    }

    private static void AssertEverySectionFilled(AngleSharp.Html.Dom.IHtmlDocument doc)
    {
        foreach (var id in Sections)
        {
            var section = doc.QuerySelector($"section#{id}");
            Assert.True(section is not null, $"section {id} is missing");
            Assert.True(section.QuerySelectorAll(".absent").Length == 0, $"section {id} says: {section.QuerySelector(".absent")?.TextContent}");
            Assert.True(section.QuerySelectorAll("td, svg, .figure").Length > 0, $"section {id} shows no table row, chart or figure");
        }

        string Text(string id) => doc.QuerySelector($"section#{id}")!.TextContent;
        Assert.Contains("EX-NODE4", Text("headline"), StringComparison.Ordinal); // drifting out of balance
        Assert.Contains("10.10.10.50", Text("top-clients"), StringComparison.Ordinal); // the EWS application
        Assert.Contains("ExchangeServicesClient", Text("top-clients"), StringComparison.Ordinal); // from the IIS log
        Assert.Contains("08:31", Text("age"), StringComparison.Ordinal); // the burst
        Assert.Contains("2001:db8:1:10::", doc.Body!.TextContent, StringComparison.Ordinal); // IPv6 clients
        Assert.Contains("Hamburg", Text("sites"), StringComparison.Ordinal);
        Assert.Contains("192.168.50.66", Text("scanners"), StringComparison.Ordinal);
        Assert.Contains("94", Text("quality"), StringComparison.Ordinal); // EX-NODE3 missed two of 96 rounds
        Assert.Equal(16, doc.QuerySelectorAll("section#trend td.none").Length); // 14 of the 30 days have snapshots
        Assert.Equal(4, doc.QuerySelectorAll("section#trend svg").Length);
    }
}
