using System.Globalization;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Microsoft.Extensions.Options;
using ReportJob.Mail;
using ReportJob.Reports.Model;
using ReportJob.Reports.Templates;

namespace ReportJob.Reports;

/// <summary>Builds the daily e-mail: an Outlook-safe HTML body, a plain-text alternative, the workbook attached, a link to the report.</summary>
internal sealed class ReportMailComposer(RazorRenderer renderer, IOptions<ReportOptions> reportOptions, IOptions<MailOptions> mailOptions)
{
    public async Task<MailMessage> ComposeAsync(DailyReport report, string reportPath, string? workbookPath, CancellationToken cancellationToken)
    {
        var m = mailOptions.Value;
        var format = new ReportFormat(reportOptions.Value.CultureInfo());
        var link = ReportLink(reportPath);
        var html = await renderer.RenderAsync<MailBody>(new Dictionary<string, object?>
        {
            [nameof(MailBody.Report)] = report,
            [nameof(MailBody.F)] = format,
            [nameof(MailBody.ReportLink)] = link,
        });

        var from = new MailAddress(m.From);
        var message = new MailMessage
        {
            From = from,
            Subject = string.Format(CultureInfo.InvariantCulture, m.Subject, report.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            SubjectEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
        };
        foreach (var to in m.To)
        {
            message.To.Add(to);
        }

        foreach (var cc in m.Cc)
        {
            message.CC.Add(cc);
        }

        // System.Net.Mail adds no Message-ID; some servers and spam filters want one.
        message.Headers.Add("Message-ID", $"<reportjob.{report.Day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}@{from.Host}>");
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(PlainText(report, format, link), Encoding.UTF8, MediaTypeNames.Text.Plain));
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(html, Encoding.UTF8, MediaTypeNames.Text.Html));
        if (workbookPath is not null && File.Exists(workbookPath))
        {
            var bytes = await File.ReadAllBytesAsync(workbookPath, cancellationToken);
            message.Attachments.Add(new Attachment(new MemoryStream(bytes), Path.GetFileName(workbookPath), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        }

        return message;
    }

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

    private static string PlainText(DailyReport r, ReportFormat f, string link)
    {
        var sb = new StringBuilder();
        var ci = f.Culture;
        sb.AppendLine(ci, $"ReportJob daily report {r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} ({r.TimeZoneId})");
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
