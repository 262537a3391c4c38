using ScottPlot;

namespace ReportJob.Reports.Plots;

/// <summary>
/// One chart of the report: <paramref name="Draw"/> adds its data to a plot already styled the report's way; the same
/// chart is rendered as SVG for the page and as PNG for the e-mail. <paramref name="Id"/> is its anchor in both.
/// </summary>
public sealed record ReportChart(string Id, string Title, int Width, int Height, Action<Plot> Draw)
{
    /// <summary>The chart as an inline &lt;svg&gt; element for the HTML page (ids prefixed, scalable, labelled).</summary>
    public string Svg()
    {
        using var plot = Create();
        return SvgMarkup.Inline(plot.GetSvgXml(Width, Height), Id, Title);
    }

    /// <summary>The chart as a PNG of <see cref="Width"/> × <see cref="Height"/> pixels, for the e-mail.</summary>
    public byte[] Png()
    {
        using var plot = Create();
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private Plot Create()
    {
        ChartFonts.Register();
        var plot = new Plot();
        ChartStyle.Apply(plot, Title);
        Draw(plot);
        return plot;
    }
}
