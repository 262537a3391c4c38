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

        var html = mime.All().Single(p => p.ContentType.StartsWith("text/html", StringComparison.Ordinal)).Text;
        Assert.DoesNotContain("<svg", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("display:flex", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(@"\\fileserver\reports\report-2026-11-20.html", html, StringComparison.Ordinal);
        var attachment = mime.All().Single(p => p.ContentType.Contains("spreadsheetml", StringComparison.Ordinal));
        Assert.Equal(await File.ReadAllBytesAsync(result.WorkbookPath), attachment.Body);
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
        Assert.DoesNotContain("<img", mailHtml, StringComparison.OrdinalIgnoreCase);
    }

    [ToolFact("chromium")]
    public async Task Html_OpenedInChromium_AllSectionsNoErrorsNoRequests()
    {
        await using var db = await ReportFixture.CreateAsync();
        var result = await db.Get<DailyReportRunner>().RunAsync(ReportFixture.Day, mail: false, default);
        var html = await File.ReadAllTextAsync(result.HtmlPath);
        Assert.DoesNotMatch(ExternalReference(), html);

        var profile = Path.Combine(db.Directory, "chromium-profile");
        var (code, dom, log) = ExternalTools.RunRaw("chromium", [.. HeadlessChromium.Flags(profile, logging: true), "--dump-dom", new Uri(result.HtmlPath).AbsoluteUri], TimeSpan.FromSeconds(90));
        Assert.Equal(0, code);
        foreach (var id in new[] { "headline", "states", "servers", "distribution", "top-clients", "age", "ports", "sites", "traffic", "scanners", "quality" })
        {
            Assert.Contains($"<section id=\"{id}\"", dom, StringComparison.Ordinal);
        }

        Assert.DoesNotMatch(ConsoleError(), log);
        output.WriteLine("screenshot: " + HeadlessChromium.Screenshot(profile, result.HtmlPath, "report-2026-11-20.png", 6000, 50_000));
    }

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
        Assert.Equal(9, files.Count);

        var topClients = ReadCsv(Directory.GetFiles(outDir, "*Top clients.csv").Single());
        Assert.Equal(["Client", "DNS name", "Site", "Peak connections", "Average connections", "Servers", "First seen", "Last seen", "Protocols", "User agents", "Users"], topClients[0]);
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
                ["Mail:StartTls"] = "false",
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
            Assert.Equal(9, opened.WorkbookPart!.Workbook.Sheets!.Count());
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

    private static int FreePort()
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

    private static async Task<string> WaitForFileAsync(string dir)
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

    [GeneratedRegex("(src|href)=\"(https?:|//)", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex(@"CONSOLE\(\d+\)|Uncaught|Failed to load resource|net::ERR_", RegexOptions.IgnoreCase)]
    private static partial Regex ConsoleError();
}
