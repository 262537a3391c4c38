using System.Globalization;

namespace ReportJob.Reports;

/// <summary>How figures read in the report's text, in its configured culture.</summary>
public sealed class ReportFormat(CultureInfo culture)
{
    public CultureInfo Culture => culture;

    public string N(long value) => value.ToString("#,0", culture);

    public string N(double value) => double.IsNaN(value) ? "–" : value.ToString(Math.Abs(value) >= 100 ? "#,0" : "#,0.0", culture);

    public string Pct(double fraction) => fraction.ToString("0.0%", culture);

    public string SignedPct(double fraction) => fraction.ToString("+0.0%;-0.0%;0.0%", culture);

    public string Time(DateTime local) => local.ToString("HH:mm", culture);

    public string DateTime(DateTime local) => local.ToString("yyyy-MM-dd HH:mm", culture);

    public string Bytes(long bytes) => Plots.AxisTicks.BytesText(bytes, culture);

    public static string Age(TimeSpan age) => age.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays}d {age.Hours}h {age.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours}h {age.Minutes:00}m");
}
