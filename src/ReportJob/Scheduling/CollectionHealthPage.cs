using System.Globalization;
using System.Net;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.Reports;
using ReportJob.Snapshots;

namespace ReportJob.Scheduling;

/// <summary>
/// What the Hangfire dashboard does not know, as a page inside it (<c>/collection</c>, "Collection" in its menu):
/// collection health per server from the <c>snapshot</c> table, and the newest report with its link. Every value from the
/// database or the configuration is HTML-encoded.
/// </summary>
internal sealed class CollectionHealthPage : RazorPage
{
    public const string Path = "/collection";

    /// <summary>Hangfire's routes and menu are process-wide statics: the page joins them once, whatever the number of hosts.</summary>
    private static readonly Lazy<bool> Registration = new(() =>
    {
        DashboardRoutes.Routes.AddRazorPage(Path, _ => new CollectionHealthPage());
        NavigationMenu.Items.Add(page => new MenuItem("Collection", page.Url.To(Path))
        {
            Active = page.RequestPath.StartsWith(Path, StringComparison.OrdinalIgnoreCase),
        });
        return true;
    });

    public static void Register() => _ = Registration.Value;

    public override void Execute()
    {
        Layout = new LayoutPage("Collection health");
        var services = Context.GetHttpContext().RequestServices;
        var zone = services.GetRequiredService<IOptions<SchedulingOptions>>().Value.ResolveTimeZone();
        var aborted = Context.GetHttpContext().RequestAborted;
        // Hangfire renders dashboard pages synchronously (its own storage reads are synchronous too).
        var servers = services.GetRequiredService<ConnectionQueries>().CollectionHealthAsync(aborted).GetAwaiter().GetResult();
        var report = LastReport.Read(services.GetRequiredService<IOptions<ReportOptions>>(), services.GetRequiredService<ReportMailComposer>());

        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Collection health</h1>");
        WriteLiteral("<p>Times in ");
        Write(zone.Id);
        WriteLiteral(".</p><h3>Servers</h3><div class=\"table-responsive\"><table class=\"table\" id=\"servers\"><thead><tr>");
        WriteLiteral("<th>Server</th><th>Last good snapshot</th><th>Connections</th><th>Failures since</th><th>Last failure</th><th>Last error</th></tr></thead><tbody>");
        foreach (var s in servers)
        {
            WriteLiteral(s.FailuresSinceOk > 0 ? "<tr class=\"danger\" data-server=\"" : "<tr data-server=\"");
            Write(s.Server);
            WriteLiteral("\"><td>");
            Write(s.Server);
            WriteLiteral("</td><td>");
            Write(Time(s.LastOk, zone));
            WriteLiteral("</td><td>");
            Write(s.LastOkConnections?.ToString(CultureInfo.InvariantCulture));
            WriteLiteral("</td><td>");
            Write(s.FailuresSinceOk.ToString(CultureInfo.InvariantCulture));
            WriteLiteral("</td><td>");
            Write(Time(s.LastFailure, zone));
            WriteLiteral("</td><td>");
            Write(s.LastError);
            WriteLiteral("</td></tr>");
        }

        if (servers.Count == 0)
        {
            WriteLiteral("<tr><td colspan=\"6\">No snapshots yet.</td></tr>");
        }

        WriteLiteral("</tbody></table></div><h3>Last report</h3><p id=\"last-report\">");
        if (report is null)
        {
            WriteLiteral("No report yet.");
        }
        else
        {
            Write(report.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            WriteLiteral(", written ");
            Write(Time(report.WrittenUtc, zone));
            WriteLiteral(": ");
            if (SafeLink(report.Link) is { } link)
            {
                WriteLiteral("<a href=\"" + WebUtility.HtmlEncode(link) + "\">");
                Write(report.Link);
                WriteLiteral("</a>");
            }
            else
            {
                Write(report.Link);
            }
        }

        WriteLiteral("</p></div></div>");
    }

    private static string Time(DateTime? utc, TimeZoneInfo zone) => utc is null
        ? ""
        : TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc.Value, DateTimeKind.Utc), zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Only http(s) and file links are rendered as links; a path or anything else (javascript: …) stays text.</summary>
    private static string? SafeLink(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeFile)
            ? uri.AbsoluteUri
            : null;
}
