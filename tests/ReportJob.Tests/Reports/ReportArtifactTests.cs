using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using ReportJob.Reports;
using ReportJob.Tests.TestSupport;
using Xunit.Abstractions;

namespace ReportJob.Tests.Reports;

/// <summary>The artefacts of the fixture day, checked as files and by real programs: Chromium, LibreOffice, an SMTP server.</summary>
public sealed partial class ReportArtifactTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Workbook_FixtureDay_MatchesGoldenCellDump()
    {
        await using var db = await ReportFixture.CreateAsync();
        var result = await db.Get<DailyReportRunner>().RunAsync(ReportFixture.Day, mail: false, default);
        var dump = DumpWorkbook(result.WorkbookPath);
        Golden.Match("report-2026-11-20.workbook.txt", dump);
    }

    [Fact]
    public async Task Mail_FixtureDay_MatchesGoldenMime()
    {
        await using var db = await ReportFixture.CreateAsync();
        var result = await db.Get<DailyReportRunner>().RunAsync(ReportFixture.Day, mail: true, default);
        var mime = MimeDump.Parse(await File.ReadAllTextAsync(result.MailDelivery!));
        Golden.Match("report-2026-11-20.eml.txt", MimeDump.Dump(mime));

        Assert.StartsWith("multipart/mixed", mime.ContentType, StringComparison.Ordinal);
        var html = mime.All().Single(p => p.ContentType.StartsWith("text/html", StringComparison.Ordinal)).Text;
        Assert.DoesNotContain("<svg", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("display:flex", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(@"\\fileserver\reports\report-2026-11-20.html", html, StringComparison.Ordinal);
        var report = await db.Get<DailyReportBuilder>().BuildAsync(ReportFixture.Day, default);
        AssertInlineCharts(mime, html, ReportJob.Reports.Plots.ReportCharts.For(report, System.Globalization.CultureInfo.GetCultureInfo("en-US")));
        var attachment = mime.All().Single(p => p.ContentType.Contains("spreadsheetml", StringComparison.Ordinal));
        Assert.Equal(await File.ReadAllBytesAsync(result.WorkbookPath), attachment.Body);
    }

    /// <summary>
    /// The HTML names every chart by cid:, each named image is a part of the multipart/related beside the HTML with that
    /// Content-ID, and each PNG decodes to the chart's size.
    /// </summary>
    internal static void AssertInlineCharts(MimeDump.Part mime, string html, IReadOnlyList<ReportJob.Reports.Plots.ReportChart> charts)
    {
        var related = mime.All().Single(p => p.ContentType.StartsWith("multipart/related", StringComparison.Ordinal));
        Assert.StartsWith("text/html", related.Children[0].ContentType, StringComparison.Ordinal);
        var images = related.Children.Skip(1).ToDictionary(p => p.Headers["Content-Id"].Trim('<', '>'), StringComparer.Ordinal);
        var referenced = CidReference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(charts.Select(c => c.Id + "@reportjob").Order(StringComparer.Ordinal), referenced.Order(StringComparer.Ordinal));
        Assert.Equal(referenced.Order(StringComparer.Ordinal), images.Keys.Order(StringComparer.Ordinal));
        foreach (var chart in charts)
        {
            var part = images[chart.Id + "@reportjob"];
            Assert.Equal("image/png", part.ContentType.Split(';')[0]);
            Assert.StartsWith("inline", part.Headers["Content-Disposition"], StringComparison.Ordinal);
            using var bitmap = SkiaSharp.SKBitmap.Decode(part.Body);
            Assert.NotNull(bitmap);
            Assert.Equal((chart.Width, chart.Height), (bitmap.Width, bitmap.Height));
        }
    }

    [Fact]
    public async Task Hostile_FixtureDay_HarmlessEverywhere()
    {
        await using var db = await ReportFixture.CreateAsync();
        var result = await db.Get<DailyReportRunner>().RunAsync(ReportFixture.Day, mail: true, default);
        var html = await File.ReadAllTextAsync(result.HtmlPath);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0007", html, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('A', 600), html, StringComparison.Ordinal);

        using (var doc = SpreadsheetDocument.Open(result.WorkbookPath, false))
        {
            var sites = Cells(doc, "Sites");
            var hostile = sites.Single(c => c.Text == ReportFixture.HostileSite);
            Assert.True(hostile.QuotePrefix, "a cell starting with '=' must be marked as text (quotePrefix)");
            Assert.Null(hostile.Formula);
            Assert.All(Cells(doc, "Data quality"), c => Assert.DoesNotContain("\u0007", c.Text, StringComparison.Ordinal));
        }

        var mail = MimeDump.Parse(await File.ReadAllTextAsync(result.MailDelivery!));
        var mailHtml = mail.All().Single(p => p.ContentType.StartsWith("text/html", StringComparison.Ordinal)).Text;
        Assert.DoesNotContain("<script", mailHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=x", mailHtml, StringComparison.OrdinalIgnoreCase);
        Assert.All(ImgSource().Matches(mailHtml).Select(m => m.Groups[1].Value), src => Assert.StartsWith("cid:", src, StringComparison.Ordinal));
    }

    [ToolFact("chromium")]
    public async Task Html_OpenedInChromium_AllSectionsAndChartsNoErrorsNoRequests()
    {
        await using var db = await ReportFixture.CreateAsync();
        await ReportFixture.IngestFlowsAsync(db);
        await ReportFixture.ImportIisLogAsync(db);
        await ReportFixture.StoreEarlierWeekAsync(db);
        var result = await db.Get<DailyReportRunner>().RunAsync(ReportFixture.Day, mail: false, default);
        var html = await File.ReadAllTextAsync(result.HtmlPath);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        var profile = Path.Combine(db.Directory, "chromium-profile");
        var (code, dom, log) = ExternalTools.RunRaw("chromium", [.. HeadlessChromium.Flags(profile, logging: true), "--dump-dom", new Uri(result.HtmlPath).AbsoluteUri], TimeSpan.FromSeconds(90));
        Assert.Equal(0, code);
        foreach (var id in new[] { "headline", "states", "servers", "distribution", "top-clients", "age", "ports", "sites", "trend", "traffic", "scanners", "detections", "quality" })
        {
            Assert.Contains($"<section id=\"{id}\"", dom, StringComparison.Ordinal);
        }

        foreach (var id in ChartTests.ChartIds)
        {
            Assert.Contains($"id=\"chart-{id}\"", dom, StringComparison.Ordinal);
        }

        Assert.DoesNotMatch(ConsoleError(), log);
        output.WriteLine("screenshot: " + HeadlessChromium.Screenshot(profile, result.HtmlPath, "report-2026-11-20.png", 1280, 9000, 50_000));
    }

    /// <summary>
    /// Every chart of the page, as Chromium draws it: each is put alone on a white strip at a known place, the strip is
    /// screenshot, and the chart's outermost pixels must all be white (text cut by the chart's edge leaves ink there)
    /// while inside it there is text and ink.
    /// </summary>
    [ToolFact("chromium")]
    public async Task Charts_ScreenshotInChromium_NoTextClippedAtTheEdges()
    {
        await using var db = await ReportFixture.CreateAsync();
        await ReportFixture.IngestFlowsAsync(db);
        await ReportFixture.ImportIisLogAsync(db);
        await ReportFixture.StoreEarlierWeekAsync(db);
        var result = await db.Get<DailyReportRunner>().RunAsync(ReportFixture.Day, mail: false, default);
        var charts = ChartElement().Matches(await File.ReadAllTextAsync(result.HtmlPath)).Select(m => (Id: m.Groups["id"].Value, Svg: m.Value,
            Width: int.Parse(m.Groups["w"].Value, CultureInfo.InvariantCulture), Height: int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(ChartTests.ChartIds, charts.Select(c => c.Id));

        const int gap = 20;
        var page = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body{margin:0;background:#fff}svg{display:block;margin-bottom:20px}</style></head><body>");
        foreach (var c in charts)
        {
            page.Append(c.Svg);
        }

        page.Append("</body></html>");
        var file = Path.Combine(db.Directory, "charts.html");
        await File.WriteAllTextAsync(file, page.ToString());
        var width = charts.Max(c => c.Width);
        var height = charts.Sum(c => c.Height + gap);
        var shot = HeadlessChromium.Screenshot(Path.Combine(db.Directory, "chromium-profile"), file, "charts-2026-11-20.png", width, height, 1000);
        using var bitmap = SkiaSharp.SKBitmap.Decode(shot);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
        var top = 0;
        foreach (var c in charts)
        {
            var edge = new List<(int X, int Y)>();
            for (var x = 0; x < c.Width; x++)
            {
                edge.Add((x, top));
                edge.Add((x, top + c.Height - 1));
            }

            for (var y = top; y < top + c.Height; y++)
            {
                edge.Add((0, y));
                edge.Add((c.Width - 1, y));
            }

            var inked = edge.Where(p => Dark(bitmap.GetPixel(p.X, p.Y))).ToList();
            Assert.True(inked.Count == 0, $"chart {c.Id}: {inked.Count} dark pixels on its edge, e.g. at x={inked.FirstOrDefault().X}, y={inked.FirstOrDefault().Y - top}: something is cut off");
            var ink = 0;
            for (var y = top; y < top + c.Height; y++)
            {
                for (var x = 0; x < c.Width; x++)
                {
                    ink += Dark(bitmap.GetPixel(x, y)) ? 1 : 0;
                }
            }

            Assert.True(ink > 1000, $"chart {c.Id} has almost no ink ({ink} dark pixels): labels missing?");
            top += c.Height + gap;
        }

        output.WriteLine("screenshot: " + shot);
    }

    private static bool Dark(SkiaSharp.SKColor c) => c.Red + c.Green + c.Blue < 3 * 160;

    [ToolFact("soffice")]
    public async Task Workbook_OpenedInLibreOffice_CellsEqualTheStore()
    {
        await using var db = await ReportFixture.CreateAsync();
        var result = await db.Get<DailyReportRunner>().RunAsync(ReportFixture.Day, mail: false, default);
        var report = await db.Get<DailyReportBuilder>().BuildAsync(ReportFixture.Day, default);
        var outDir = Path.Combine(db.Directory, "csv");
        Directory.CreateDirectory(outDir);
        ExternalTools.Run("soffice", ["-env:UserInstallation=" + new Uri(Path.Combine(db.Directory, "lo-profile")).AbsoluteUri, "--headless",
            "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", outDir, result.WorkbookPath], TimeSpan.FromMinutes(3));
        var files = Directory.GetFiles(outDir, "*.csv").Select(Path.GetFileName).ToList();
        output.WriteLine(string.Join(", ", files));
        Assert.Equal(10, files.Count);

        var topClients = ReadCsv(Directory.GetFiles(outDir, "*Top clients.csv").Single());
        Assert.Equal(["Client", "DNS name", "Site", "Peak connections", "Average connections", "Servers", "First seen", "Last seen",
            "Bytes in", "Bytes out", "Flows", "Service ports", "Protocols", "User agents", "Users"], topClients[0]);
        Assert.Equal(report.Connections.TopClients.Count, topClients.Count - 1);
        for (var i = 0; i < report.Connections.TopClients.Count; i++)
        {
            var expected = report.Connections.TopClients[i];
            var row = topClients[i + 1];
            Assert.Equal(expected.Address, row[0]);
            Assert.Equal(expected.Site, row[2]);
            Assert.Equal(expected.PeakConnections, long.Parse(row[3], NumberStyles.Any, CultureInfo.InvariantCulture));
            Assert.Equal(Math.Round(expected.AverageConnections, 2), double.Parse(row[4], NumberStyles.Any, CultureInfo.InvariantCulture), 6);
            Assert.Equal(expected.Servers, int.Parse(row[5], CultureInfo.InvariantCulture));
        }

        // The figure computed by hand in DailyReportTests: 10.2.1.50 held 67 connections at once.
        Assert.Equal(["10.2.1.50", "67"], new[] { topClients[1][0], topClients[1][3] });
        var sites = ReadCsv(Directory.GetFiles(outDir, "*Sites.csv").Single());
        Assert.Contains(sites, r => r[0] == ReportFixture.HostileSite && r[1] == "2");
    }

    [ToolFact("/usr/bin/python3")]
    public async Task Mail_RealSmtpServer_ReceivesBothPartsAndTheWorkbook()
    {
        var port = FreePort();
        // aiosmtpd's Mailbox handler creates the Maildir (tmp/, new/, cur/) itself.
        var mailbox = Path.Combine(Path.GetTempPath(), "reportjob-smtp-" + Guid.NewGuid().ToString("N")[..8]);
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", mailbox])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var server = System.Diagnostics.Process.Start(psi)!;
        try
        {
            await WaitForPortAsync(port, server);
            await using var db = await ReportFixture.CreateAsync(extra: new Dictionary<string, string?>
            {
                ["Mail:SmtpHost"] = "127.0.0.1",
                ["Mail:SmtpPort"] = port.ToString(CultureInfo.InvariantCulture),
                ["Mail:Security"] = "None",
                ["Mail:To:1"] = "second@example.com",
                ["Mail:Attempts"] = "2",
                ["Mail:RetryDelay"] = "00:00:01",
            });
            var result = await db.Get<DailyReportRunner>().RunAsync(ReportFixture.Day, mail: true, default);
            Assert.Equal($"smtp://127.0.0.1:{port}", result.MailDelivery);

            var file = await WaitForFileAsync(Path.Combine(mailbox, "new"));
            var mime = MimeDump.Parse(await File.ReadAllTextAsync(file));
            Assert.Equal("ReportJob daily report 2026-11-20", mime.Headers["Subject"]);
            Assert.Contains("exchange-team@example.com", mime.Headers["To"], StringComparison.Ordinal);
            Assert.Contains("second@example.com", mime.Headers["To"], StringComparison.Ordinal);
            Assert.True(mime.Headers.ContainsKey("Message-ID"));
            var parts = mime.All().Where(p => p.Children.Count == 0).ToList();
            Assert.Contains(parts, p => p.ContentType.StartsWith("text/plain", StringComparison.Ordinal) && p.Text.Contains("10.2.1.50", StringComparison.Ordinal));
            Assert.Contains(parts, p => p.ContentType.StartsWith("text/html", StringComparison.Ordinal) && p.Text.Contains("10.2.1.50", StringComparison.Ordinal));
            var attachment = parts.Single(p => p.ContentType.Contains("spreadsheetml", StringComparison.Ordinal));
            Assert.Equal(await File.ReadAllBytesAsync(result.WorkbookPath), attachment.Body);
            using var opened = SpreadsheetDocument.Open(new MemoryStream(attachment.Body), false);
            Assert.Equal(10, opened.WorkbookPart!.Workbook.Sheets!.Count());
            var report = await db.Get<DailyReportBuilder>().BuildAsync(ReportFixture.Day, default);
            var html = parts.Single(p => p.ContentType.StartsWith("text/html", StringComparison.Ordinal)).Text;
            AssertInlineCharts(mime, html, ReportJob.Reports.Plots.ReportCharts.For(report, CultureInfo.GetCultureInfo("en-US")));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            if (Directory.Exists(mailbox))
            {
                Directory.Delete(mailbox, recursive: true);
            }
        }
    }

    internal sealed record CellInfo(string Reference, string Text, bool QuotePrefix, string? Formula);

    internal static List<CellInfo> Cells(SpreadsheetDocument doc, string sheetName)
    {
        var wb = doc.WorkbookPart!;
        var sheet = wb.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
        var part = (WorksheetPart)wb.GetPartById(sheet.Id!);
        var formats = wb.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        return part.Worksheet.Descendants<Cell>().Select(c => new CellInfo(
            c.CellReference!, c.InlineString?.InnerText ?? c.CellValue?.Text ?? "",
            c.StyleIndex is not null && formats[(int)c.StyleIndex.Value].QuotePrefix?.Value == true,
            c.CellFormula?.Text)).ToList();
    }

    private static string DumpWorkbook(string path)
    {
        using var doc = SpreadsheetDocument.Open(path, false);
        var wb = doc.WorkbookPart!;
        var sb = new StringBuilder();
        foreach (var sheet in wb.Workbook.Sheets!.Elements<Sheet>())
        {
            var part = (WorksheetPart)wb.GetPartById(sheet.Id!);
            var pane = part.Worksheet.Descendants<Pane>().FirstOrDefault();
            var filter = part.Worksheet.Descendants<AutoFilter>().FirstOrDefault();
            sb.AppendLine(CultureInfo.InvariantCulture, $"## {sheet.Name} (frozen at {pane?.TopLeftCell}, filter {filter?.Reference})");
            foreach (var cell in part.Worksheet.Descendants<Cell>())
            {
                var type = cell.DataType?.Value == CellValues.InlineString ? "s" : "n";
                var text = cell.InlineString?.InnerText ?? cell.CellValue?.Text ?? "";
                sb.AppendLine(CultureInfo.InvariantCulture, $"{cell.CellReference} {type}{cell.StyleIndex?.Value ?? 0} {text}");
            }
        }

        return sb.ToString();
    }

    private static List<string[]> ReadCsv(string path)
    {
        var rows = new List<string[]>();
        var text = File.ReadAllText(path, Encoding.UTF8);
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (ch == '\n')
            {
                row.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }

    internal static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, System.Diagnostics.Process server)
    {
        for (var i = 0; i < 100; i++)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException("aiosmtpd exited: " + await server.StandardError.ReadToEndAsync());
            }

            try
            {
                using var c = new System.Net.Sockets.TcpClient();
                await c.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"aiosmtpd did not listen on {port}");
    }

    internal static async Task<string> WaitForFileAsync(string dir)
    {
        for (var i = 0; i < 100; i++)
        {
            if (Directory.Exists(dir) && Directory.GetFiles(dir).FirstOrDefault() is { } f)
            {
                return f;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("no message arrived in " + dir);
    }

    [GeneratedRegex("<svg [^>]*id=\"chart-(?<id>[^\"]+)\"[^>]*width=\"(?<w>[0-9]+)\" height=\"(?<h>[0-9]+)\".*?</svg>", RegexOptions.Singleline)]
    private static partial Regex ChartElement();

    [GeneratedRegex("src=\"cid:([^\"]+)\"")]
    private static partial Regex CidReference();

    [GeneratedRegex("<img [^>]*src=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ImgSource();

    [GeneratedRegex("(src|href)=\"(https?:|//)", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex(@"CONSOLE\(\d+\)|Uncaught|Failed to load resource|net::ERR_", RegexOptions.IgnoreCase)]
    private static partial Regex ConsoleError();
}
