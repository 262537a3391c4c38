using DocumentFormat.OpenXml.Packaging;
using ReportJob.Reports;
using ReportJob.Tests.NetFlow;
using ReportJob.Tests.TestSupport;
using Xunit.Abstractions;

namespace ReportJob.Tests.Reports;

/// <summary>
/// The report's section 11 (heavy hitters, DoS targets, mail fan-out) and the workbook's Detections sheet for a day
/// whose flows are softflowd's export of the background with all four attacks; the page opened in Chromium.
/// </summary>
public sealed class DetectionReportTests(ITestOutputHelper output)
{
    [ToolFact("softflowd", "tcpdump", "chromium")]
    public async Task Report_DayWithAttacks_SectionWorkbookAndAlertsShowEachWithEvidence()
    {
        await using var db = await ReportFixture.CreateAsync(extra: DetectionTests.Thresholds);
        var capture = DetectionTests.Export(t => t.Background().SynFlood().PortScan().BulkTransfer().SpamBurst(), db.Directory);
        Assert.Equal(ReportJob.NetFlow.IngestStatus.Ingested, (await db.Get<ReportJob.NetFlow.FlowIngestor>().IngestFileAsync(capture, default)).Status);

        var result = await db.Get<DailyReportRunner>().RunAsync(ReportFixture.Day, mail: false, default);
        var report = await db.Get<DailyReportBuilder>().BuildAsync(ReportFixture.Day, default);

        var d = report.Flows.Detections;
        Assert.Equal([(AttackTraffic.BulkSender, "source"), (AttackTraffic.BulkReceiver, "destination")], d.HeavyHitters.Select(h => (h.Host, h.Role)).Order().ToList());
        // 10:00 UTC is 11:00 in Paris.
        Assert.All(d.HeavyHitters, h => Assert.Equal(new DateTime(2026, 11, 20, 11, 0, 0), h.HourLocal));
        var target = Assert.Single(d.DosTargets);
        Assert.Equal((AttackTraffic.FloodTarget, AttackTraffic.FloodSources), (target.Destination, target.DistinctSources));
        var spammer = Assert.Single(d.MailSenders);
        Assert.Equal((AttackTraffic.Spammer, AttackTraffic.SpamDestinations), (spammer.Source, spammer.DistinctDestinations));
        Assert.Equal(AttackTraffic.Scanner, Assert.Single(report.Flows.Scanners).Source);
        Assert.Contains(report.Headline.Alerts, a => a.StartsWith("1 suspected DoS/DDoS target(s)", StringComparison.Ordinal));
        Assert.Contains(report.Headline.Alerts, a => a.StartsWith("1 source(s) sending mail to many destinations", StringComparison.Ordinal));

        var html = await File.ReadAllTextAsync(result.HtmlPath);
        Assert.Contains("<h2>12. Heavy hitters, DoS targets and mail fan-out</h2>", html, StringComparison.Ordinal);
        Assert.Contains($"<td>{AttackTraffic.FloodTarget}</td>", html, StringComparison.Ordinal);
        Assert.Contains($"to {AttackTraffic.BulkReceiver} tcp/22", html, StringComparison.Ordinal);
        Assert.Contains("<h3>Service ports</h3>", html, StringComparison.Ordinal);

        using (var doc = SpreadsheetDocument.Open(result.WorkbookPath, false))
        {
            var cells = ReportArtifactTests.Cells(doc, "Detections");
            Assert.Equal(["heavy hitter", "heavy hitter", "DoS target", "mail fan-out"], cells.Where(c => c.Reference.StartsWith('A') && c.Reference != "A1").Select(c => c.Text));
            Assert.Contains(cells, c => c.Text == AttackTraffic.FloodTarget);
        }

        // The section alone, with the report's head (its styles), so that the screenshot shows it from the top.
        var head = html[..(html.IndexOf("<body>", StringComparison.Ordinal) + "<body>".Length)];
        var start = html.IndexOf("<section id=\"detections\">", StringComparison.Ordinal);
        var section = html[start..(html.IndexOf("</section>", start, StringComparison.Ordinal) + "</section>".Length)];
        var page = Path.Combine(db.Directory, "detections.html");
        await File.WriteAllTextAsync(page, head + section + "</body></html>");
        var shots = Path.Combine(RepoPaths.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(shots);
        var shot = Path.Combine(shots, "report-detections.png");
        var (code, _, _) = ExternalTools.RunRaw("chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--user-data-dir=" + Path.Combine(db.Directory, "chromium-profile"), "--screenshot=" + shot, "--window-size=1280,900", new Uri(page).AbsoluteUri],
            TimeSpan.FromSeconds(90));
        Assert.Equal(0, code);
        Assert.True(new FileInfo(shot).Length > 20_000, "the screenshot should show a rendered section");
        output.WriteLine("screenshot: " + shot);
    }
}
