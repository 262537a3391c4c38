using System.Globalization;
using System.Net;
using System.Text;

namespace ReportJob.Scheduling;

/// <summary>The status page as one HTML document. Every value from the database or the configuration is HTML-encoded.</summary>
internal static class StatusPageHtml
{
    public static string Render(StatusSnapshot s, string antiforgeryField, string antiforgeryToken, string? notice)
    {
        var b = new StringBuilder(16 * 1024);
        b.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>ReportJob status</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
            table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
            th{background:#f3f3f3}.ok{color:#17643a}.failed,.abandoned{color:#a31515}.retrying,.running,.cancelled{color:#8a5a00}
            .notice{background:#eef6ff;border:1px solid #9cc3ee;padding:.5em}form{margin:0}
            </style></head><body>
            <h1>ReportJob status</h1>
            """);
        b.Append("<p id=\"scheduler\">Scheduler: <strong>").Append(E(s.SchedulerState)).Append("</strong> on node ").Append(E(s.Node))
            .Append(s.Clustered ? " (clustered)" : "").Append(". Times in ").Append(E(s.Zone.Id)).Append("; now ").Append(E(Time(s.Now, s.Zone))).Append(".</p>\n");
        if (notice is not null)
        {
            b.Append("<p class=\"notice\" id=\"notice\">").Append(E(notice)).Append("</p>\n");
        }

        b.Append("<h2>Jobs</h2>\n<table id=\"jobs\"><tr><th>Job</th><th>Schedule</th><th>Next run</th><th>Last run</th><th>Outcome</th><th></th></tr>\n");
        foreach (var job in s.Jobs)
        {
            b.Append("<tr data-job=\"").Append(E(job.Name)).Append("\"><td>").Append(E(job.Name)).Append("</td><td>")
                .Append(!job.Enabled ? "disabled" : !job.Scheduled ? "not scheduled (no work registered)" : E(string.IsNullOrWhiteSpace(job.Cron) ? "on demand" : job.Cron))
                .Append("</td><td>").Append(E(Time(job.NextFireUtc, s.Zone))).Append("</td><td>").Append(E(Time(job.LastRun?.StartedAt, s.Zone)))
                .Append("</td><td>").Append(Outcome(job.LastRun?.Outcome)).Append("</td><td>");
            if (job.Scheduled)
            {
                b.Append("<form method=\"post\" action=\"/jobs/").Append(E(Uri.EscapeDataString(job.Name))).Append("/run\">")
                    .Append("<input type=\"hidden\" name=\"").Append(E(antiforgeryField)).Append("\" value=\"").Append(E(antiforgeryToken)).Append("\">")
                    .Append("<button type=\"submit\" name=\"run\" value=\"").Append(E(job.Name)).Append("\">Run now</button></form>");
            }

            b.Append("</td></tr>\n");
        }

        b.Append("</table>\n<h2>Last report</h2>\n<p id=\"last-report\">");
        if (s.LastReport is { } report)
        {
            b.Append(E(Time(report.StartedAt, s.Zone))).Append(": ").Append(E(report.Summary ?? ""));
            if (SafeLink(report.Link) is { } link)
            {
                b.Append(" <a href=\"").Append(E(link)).Append("\">open</a>");
            }
        }
        else
        {
            b.Append("No report yet.");
        }

        b.Append("</p>\n<h2>Recent runs</h2>\n<table id=\"runs\"><tr><th>Job</th><th>Why</th><th>Scheduled</th><th>Started</th><th>Duration</th><th>Outcome</th><th>Attempt</th><th>Node</th><th>Summary / error</th></tr>\n");
        foreach (var run in s.Recent)
        {
            b.Append("<tr data-job=\"").Append(E(run.Job)).Append("\"><td>").Append(E(run.Job)).Append("</td><td>").Append(E(run.TriggerKind))
                .Append("</td><td>").Append(E(Time(run.ScheduledAt, s.Zone))).Append("</td><td>").Append(E(Time(run.StartedAt, s.Zone)))
                .Append("</td><td>").Append(E(run.Duration is { } d ? d.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s" : ""))
                .Append("</td><td>").Append(Outcome(run.Outcome)).Append("</td><td>").Append(run.Attempt.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(E(run.Node)).Append("</td><td>").Append(E(run.Error ?? run.Summary ?? "")).Append("</td></tr>\n");
        }

        b.Append("</table>\n<h2>Collection health</h2>\n<table id=\"servers\"><tr><th>Server</th><th>Last good snapshot</th><th>Last failure</th><th>Error</th></tr>\n");
        foreach (var server in s.Servers)
        {
            b.Append("<tr><td>").Append(E(server.Server)).Append("</td><td>").Append(E(Time(server.LastOk, s.Zone))).Append("</td><td>")
                .Append(E(Time(server.LastFailure, s.Zone))).Append("</td><td>").Append(E(server.LastError ?? "")).Append("</td></tr>\n");
        }

        if (s.Servers.Count == 0)
        {
            b.Append("<tr><td colspan=\"4\">No snapshots yet.</td></tr>\n");
        }

        b.Append("</table>\n</body></html>\n");
        return b.ToString();
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private static string Outcome(string? outcome) => outcome is null ? "" : "<span class=\"" + E(outcome) + "\">" + E(outcome) + "</span>";

    private static string Time(DateTime? utc, TimeZoneInfo zone) => utc is null ? "" : Time(new DateTimeOffset(DateTime.SpecifyKind(utc.Value, DateTimeKind.Utc)), zone);

    private static string Time(DateTimeOffset? utc, TimeZoneInfo zone) =>
        utc is null ? "" : TimeZoneInfo.ConvertTime(utc.Value, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Only http(s) and file links are rendered as links; anything else (javascript: …) stays text.</summary>
    private static string? SafeLink(string? link) =>
        link is not null && Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeFile)
            ? uri.AbsoluteUri
            : null;
}
