using Microsoft.Extensions.Options;
using ReportJob.Reports;

namespace ReportJob.Scheduling;

/// <summary>The newest report in <c>Reports:OutputPath</c>: its day, when it was written (UTC) and its link (Reports:PublicUrl or the path).</summary>
internal sealed record LastReport(DateOnly Day, DateTime WrittenUtc, string Link)
{
    /// <summary>Read from the report index the report writer keeps beside the reports; null before the first report.</summary>
    public static LastReport? Read(IOptions<ReportOptions> options, ReportMailComposer composer)
    {
        var dir = Path.GetFullPath(options.Value.OutputPath);
        if (ReportWriter.ReadIndex(dir).FirstOrDefault() is not { } newest)
        {
            return null;
        }

        var html = Path.Combine(dir, newest.HtmlFile);
        return new LastReport(newest.Day, File.GetLastWriteTimeUtc(html), composer.ReportLink(html));
    }
}
