namespace ReportJob.Reports;

/// <summary>The report's CSS (templates/report.css, embedded): inlined so that each report is one self-contained file.</summary>
public static class ReportStyles
{
    private static readonly Lazy<string> Css = new(() =>
    {
        using var stream = typeof(ReportStyles).Assembly.GetManifestResourceStream("templates/report.css")
            ?? throw new InvalidOperationException("templates/report.css is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string Report => Css.Value;
}
