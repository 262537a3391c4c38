using ReportJob.Reports;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Reports;

/// <summary>Reports:Title, LogoFile and StylesheetFile: in the page and the e-mail, the files read at every render.</summary>
public sealed class ReportLooksTests
{
    [Fact]
    public async Task Render_TitleLogoStylesheet_InPageAndMailAndReadAtEachRender()
    {
        var dir = Path.Combine(Path.GetTempPath(), "reportjob-looks-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var logo = Path.Combine(dir, "logo.png");
        var css = Path.Combine(dir, "company.css");
        // A PNG drawn by the charts' own library: a real image, not bytes typed by hand.
        await File.WriteAllBytesAsync(logo, new ReportJob.Reports.Plots.ReportChart("logo", "Contoso", 120, 48, _ => { }).Png());
        await File.WriteAllTextAsync(css, "h1 { color: #5C2D91; } </style><script>x</script>");
        await using var db = await ReportFixture.CreateAsync(extra: new Dictionary<string, string?>
        {
            ["Reports:Title"] = "Contoso Exchange <connections>",
            ["Reports:LogoFile"] = logo,
            ["Reports:StylesheetFile"] = css,
        });
        var result = await db.Get<DailyReportRunner>().RunAsync(ReportFixture.Day, mail: true, default);

        var html = await File.ReadAllTextAsync(result.HtmlPath);
        Assert.Contains("<title>Contoso Exchange &lt;connections&gt; — 2026-11-20</title>", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Contoso Exchange &lt;connections&gt; — Friday 20 November 2026</h1>", html, StringComparison.Ordinal);
        var src = System.Text.RegularExpressions.Regex.Match(html, "<img class=\"logo\" src=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(await File.ReadAllBytesAsync(logo)), System.Net.WebUtility.HtmlDecode(src));
        // After the built-in stylesheet, and unable to close its <style> element.
        Assert.True(html.IndexOf("h1 { color: #5C2D91; }", StringComparison.Ordinal) > html.IndexOf("svg.chart {", StringComparison.Ordinal));
        Assert.Contains("\\3C/style>", html, StringComparison.Ordinal);
        var dom = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.Empty(dom.QuerySelectorAll("script"));
        Assert.Equal(2, dom.QuerySelectorAll("head style").Length);

        var mail = MimeDump.Parse(await File.ReadAllTextAsync(result.MailDelivery!));
        var mailHtml = mail.All().Single(p => p.ContentType.StartsWith("text/html", StringComparison.Ordinal)).Text;
        Assert.Contains("<img src=\"cid:logo@reportjob\"", mailHtml, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(logo), mail.All().Single(p => p.Headers.GetValueOrDefault("Content-Id") == "<logo@reportjob>").Body);
        Assert.Contains("Contoso Exchange &lt;connections&gt; — Friday 20 November 2026", mailHtml, StringComparison.Ordinal);

        // The same process, the files changed: the next render shows the new stylesheet, and a missing logo is a note.
        await File.WriteAllTextAsync(css, "h1 { color: #107C10; }");
        File.Delete(logo);
        var again = await db.Get<ReportWriter>().RenderHtmlAsync(await db.Get<DailyReportBuilder>().BuildAsync(ReportFixture.Day, default));
        Assert.Contains("h1 { color: #107C10; }", again, StringComparison.Ordinal);
        Assert.DoesNotContain("#5C2D91", again, StringComparison.Ordinal);
        Assert.DoesNotContain("<img class=\"logo\"", again, StringComparison.Ordinal);
        Assert.Contains($"Reports:LogoFile &#x27;{logo}&#x27; could not be read", again, StringComparison.Ordinal);
        Directory.Delete(dir, recursive: true);
    }
}
