using System.Globalization;

namespace ReportJob.Reports.Plots;

/// <summary>
/// Axis ticks at round values in the unit the labels show: counts step 1-2-5 × 10^k (in thousands or millions when
/// large), bytes step 1-2-5 × 10^k of the binary unit of the largest value (0, 200 MiB, 400 MiB … rather than
/// 488.3 KiB, 976.6 KiB), time of day every few hours as 24-hour clock times.
/// </summary>
public static class AxisTicks
{
    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>A value axis from 0 to <see cref="Max"/> (the last tick) with its labelled ticks.</summary>
    public sealed record Scale(double Max, IReadOnlyList<(double Value, string Label)> Ticks);

    public static Scale Count(double max, CultureInfo culture, int targetTicks = 5)
    {
        var (unit, suffix) = max switch
        {
            >= 1e9 => (1e9, "G"),
            >= 1e6 => (1e6, "M"),
            _ => (1.0, ""),
        };
        return Build(max, unit, targetTicks, wholeSteps: true, v => v.ToString("#,0.##", culture) + suffix);
    }

    public static Scale Bytes(double max, CultureInfo culture, int targetTicks = 5)
    {
        var power = 0;
        while (power < ByteUnits.Length - 1 && max >= Math.Pow(1024, power + 1))
        {
            power++;
        }

        return Build(max, Math.Pow(1024, power), targetTicks, wholeSteps: false, v => v.ToString("#,0.##", culture) + " " + ByteUnits[power]);
    }

    /// <summary>Shares (0.25 = 25%) in percent: 0, 5%, 10% … rather than 0, 0.05, 0.1.</summary>
    public static Scale Percent(double max, CultureInfo culture, int targetTicks = 5) =>
        Build(max, 0.01, targetTicks, wholeSteps: false, v => (v / 100).ToString("#,0.##%", culture));

    /// <summary>Bytes with the binary unit that keeps the figure below 1024: 1.5 MiB.</summary>
    public static string BytesText(double value, CultureInfo culture)
    {
        var i = 0;
        while (Math.Abs(value) >= 1024 && i < ByteUnits.Length - 1)
        {
            value /= 1024;
            i++;
        }

        return value.ToString(i == 0 ? "#,0" : "0.0", culture) + " " + ByteUnits[i];
    }

    /// <summary>
    /// Ticks over [start, end] (local times) at whole hours, every 1, 2, 3 or 6 hours by the span, labelled HH:mm;
    /// the end of a day reads 24:00 rather than a second 00:00.
    /// </summary>
    public static IReadOnlyList<(DateTime Time, string Label)> Hours(DateTime start, DateTime end)
    {
        var hours = (end - start).TotalHours;
        var step = hours <= 6 ? 1 : hours <= 12 ? 2 : hours <= 26 ? 3 : 6;
        var first = new DateTime(start.Year, start.Month, start.Day, start.Hour, 0, 0);
        if (first < start)
        {
            first = first.AddHours(1);
        }

        var ticks = new List<(DateTime, string)>();
        for (var t = first; t <= end; t = t.AddHours(1))
        {
            if ((t.Hour - first.Hour + 24) % step == 0)
            {
                var label = t == end && t.TimeOfDay == TimeSpan.Zero && t > start ? "24:00" : t.ToString("HH:mm", CultureInfo.InvariantCulture);
                ticks.Add((t, label));
            }
        }

        return ticks;
    }

    /// <summary>
    /// Ticks at midnight of the days from <paramref name="first"/> to <paramref name="last"/>, every 1, 2, 5 or 7
    /// days by the span (weekly from Monday), labelled "8 Nov" whatever the report's culture, so a label stays short.
    /// </summary>
    public static IReadOnlyList<(DateTime Time, string Label)> Days(DateOnly first, DateOnly last)
    {
        var span = last.DayNumber - first.DayNumber + 1;
        var step = span <= 10 ? 1 : span <= 20 ? 2 : span <= 35 ? 5 : 7;
        var ticks = new List<(DateTime, string)>();
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            var on = step == 7 ? d.DayOfWeek == DayOfWeek.Monday : (last.DayNumber - d.DayNumber) % step == 0;
            if (on)
            {
                ticks.Add((d.ToDateTime(TimeOnly.MinValue), d.ToString("d MMM", CultureInfo.InvariantCulture)));
            }
        }

        return ticks;
    }

    /// <summary>The smallest of 1, 2, 5 × 10^k not below the raw step.</summary>
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

    private static Scale Build(double max, double unit, int targetTicks, bool wholeSteps, Func<double, string> label)
    {
        if (double.IsNaN(max) || max <= 0)
        {
            return new Scale(unit, [(0, "0"), (unit, label(1))]);
        }

        var inUnit = max / unit;
        var step = NiceStep(inUnit / Math.Max(1, targetTicks));
        // Counts of things read 0, 1, 2 rather than 0, 0.5, 1; fractional steps only for values below 1 (averages).
        if (wholeSteps && inUnit >= 1 && step < 1)
        {
            step = 1;
        }

        // The largest value stays below the last tick, so that a bar never ends on the frame.
        var exact = Math.Abs((inUnit / step) - Math.Round(inUnit / step)) < 1e-9;
        var count = (int)Math.Round(Math.Ceiling((inUnit / step) - 1e-9)) + (exact ? 1 : 0);
        var ticks = Enumerable.Range(0, count + 1).Select(i => Math.Round(i * step, 9)).Select(v => (v * unit, v == 0 ? "0" : label(v))).ToList();
        return new Scale(count * step * unit, ticks);
    }
}
