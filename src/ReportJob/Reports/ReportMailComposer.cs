using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using ReportJob.Mail;
using ReportJob.Reports.Model;
using ReportJob.Reports.Plots;
using ReportJob.Reports.Templates;

namespace ReportJob.Reports;

/// <summary>
/// Builds the daily e-mail: an HTML body Outlook's Word engine renders (tables, the charts as PNG images attached inline
/// by Content-ID: no SVG, no data: URI), a plain-text alternative, the workbook attached, a link to the report.
/// multipart/mixed [ multipart/alternative [ text/plain, multipart/related [ text/html, image/png … ] ], workbook ].
/// </summary>
internal sealed class ReportMailComposer(RazorRenderer renderer, IOptions<ReportOptions> reportOptions, IOptions<MailOptions> mailOptions, TimeProvider time)
{
    private const string WorkbookType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <param name="pngs">The charts' PNGs when already drawn (by the runner, beside the workbook); drawn here otherwise.</param>
    public async Task<MimeMessage> ComposeAsync(DailyReport report, string reportPath, string? workbookPath, CancellationToken cancellationToken,
        IReadOnlyList<(ReportChart Chart, byte[] Png)>? pngs = null)
    {
        var m = mailOptions.Value;
        var culture = reportOptions.Value.CultureInfo();
        var format = new ReportFormat(culture);
        var link = ReportLink(reportPath);
        var looks = ReportLooks.Load(reportOptions.Value);
        pngs ??= Pngs(ReportCharts.For(report, culture));
        var charts = pngs.Select(p => p.Chart).ToList();
        var body = new BodyBuilder { TextBody = PlainText(report, format, link, looks.Title) };
        foreach (var (chart, png) in pngs)
        {
            body.LinkedResources.Add(chart.Id + ".png", png, new ContentType("image", "png")).ContentId = ContentId(chart.Id);
        }

        if (looks.Logo is not null)
        {
            body.LinkedResources.Add("logo" + Path.GetExtension(reportOptions.Value.LogoFile), looks.Logo, ContentType.Parse(looks.LogoContentType!)).ContentId = ReportLooks.LogoContentId;
        }

        body.HtmlBody = await renderer.RenderAsync<MailBody>(new Dictionary<string, object?>
        {
            [nameof(MailBody.Report)] = report,
            [nameof(MailBody.F)] = format,
            [nameof(MailBody.ReportLink)] = link,
            [nameof(MailBody.Charts)] = charts,
            [nameof(MailBody.Looks)] = looks,
        });
        if (workbookPath is not null && File.Exists(workbookPath))
        {
            body.Attachments.Add(Path.GetFileName(workbookPath), await File.ReadAllBytesAsync(workbookPath, cancellationToken), ContentType.Parse(WorkbookType));
        }

        var from = MailboxAddress.Parse(m.From);
        var message = new MimeMessage
        {
            Subject = string.Format(CultureInfo.InvariantCulture, m.Subject, report.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            // MimeKit would stamp the wall clock: the message is dated by the job's clock.
            Date = time.GetUtcNow(),
            MessageId = $"reportjob.{report.Day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}@{from.Domain}",
            Body = body.ToMessageBody(),
        };
        message.From.Add(from);
        message.To.AddRange(m.To.Select(MailboxAddress.Parse));
        message.Cc.AddRange(m.Cc.Select(MailboxAddress.Parse));
        return message;
    }

    public static IReadOnlyList<(ReportChart Chart, byte[] Png)> Pngs(IEnumerable<ReportChart> charts) => charts.Select(c => (c, c.Png())).ToList();

    /// <summary>The Content-ID (without angle brackets) a chart's PNG carries in the e-mail; the HTML names it as cid:….</summary>
    public static string ContentId(string chartId) => chartId + "@reportjob";

    public string ReportLink(string reportPath)
    {
        var publicUrl = reportOptions.Value.PublicUrl;
        if (string.IsNullOrWhiteSpace(publicUrl))
        {
            return Path.GetFullPath(reportPath);
        }

        var separator = publicUrl.StartsWith(@"\\", StringComparison.Ordinal) ? @"\" : "/";
        return publicUrl.TrimEnd('/', '\\') + separator + Path.GetFileName(reportPath);
    }

    private static string PlainText(DailyReport r, ReportFormat f, string link, string title)
    {
        var sb = new StringBuilder();
        var ci = f.Culture;
        sb.AppendLine(ci, $"{title} — {r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} ({r.TimeZoneId})");
        sb.AppendLine(ci, $"Full report: {link}");
        sb.AppendLine();
        sb.AppendLine(ci, $"Servers {f.N(r.Headline.Servers)} · clients {f.N(r.Headline.Clients)} · peak connections {f.N(r.Headline.PeakConnections)} · average {f.N(r.Headline.AverageConnections)} · sites {f.N(r.Headline.Sites)} · traffic {f.Bytes(r.Headline.Bytes)}");
        sb.AppendLine();
        sb.AppendLine("Alerts:");
        if (r.Headline.Alerts.Count == 0)
        {
            sb.AppendLine("  none");
        }

        foreach (var a in r.Headline.Alerts)
        {
            sb.AppendLine(ci, $"  - {Plain(a)}");
        }

        sb.AppendLine();
        sb.AppendLine("Top clients (peak connections):");
        foreach (var t in r.Connections.TopClients.Take(15))
        {
            sb.AppendLine(ci, $"  {Plain(t.Address),-40} {Plain(t.Site),-20} {f.N(t.PeakConnections),8}");
        }

        sb.AppendLine();
        sb.AppendLine("Sites (clients, avg and max connections per client):");
        foreach (var s in r.Connections.Sites.Take(15))
        {
            sb.AppendLine(ci, $"  {Plain(s.Site),-30} {f.N(s.Clients),8} {f.N(s.AverageConnectionsPerClient),8} {f.N(s.MaxConnectionsPerClient),8}");
        }

        return sb.ToString();
    }

    /// <summary>Untrusted text in the plain part, cleaned and short enough for its columns.</summary>
    private static string Plain(string s) => ReportText.Clean(s, 199);
}
