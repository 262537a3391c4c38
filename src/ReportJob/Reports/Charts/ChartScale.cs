namespace ReportJob.Reports.Charts;

/// <summary>A linear axis from 0 (or a minimum) to a "nice" maximum with 1-2-5 ticks, mapping values to pixels.</summary>
public sealed class ChartScale
{
    public ChartScale(double min, double max, double pixelStart, double pixelEnd, int targetTicks = 5)
    {
        if (double.IsNaN(max) || max <= min)
        {
            max = min + 1;
        }

        Step = NiceStep((max - min) / Math.Max(1, targetTicks));
        Min = Math.Floor(min / Step) * Step;
        Max = Math.Ceiling(max / Step) * Step;
        PixelStart = pixelStart;
        PixelEnd = pixelEnd;
    }

    public double Min { get; }

    public double Max { get; }

    public double Step { get; }

    public double PixelStart { get; }

    public double PixelEnd { get; }

    public IEnumerable<double> Ticks()
    {
        var count = (int)Math.Round((Max - Min) / Step);
        for (var i = 0; i <= count; i++)
        {
            yield return Min + (i * Step);
        }
    }

    public double Map(double value) => PixelStart + ((value - Min) / (Max - Min) * (PixelEnd - PixelStart));

    /// <summary>The largest of 1, 2, 5 × 10^k not below the raw step.</summary>
    public static double NiceStep(double raw)
    {
        if (raw <= 0 || double.IsNaN(raw) || double.IsInfinity(raw))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
