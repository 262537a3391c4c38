using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace ReportJob.Reports.Plots;

/// <summary>The kinds of chart the report draws, each a <see cref="ReportChart"/> from plain data.</summary>
public static class ChartKinds
{
    public const int Width = 760;

    /// <summary>A value axis: its ticks and how a value reads.</summary>
    public enum Unit
    {
        Count,
        Bytes,

        /// <summary>Shares, 0.25 = 25 %.</summary>
        Percent,
    }

    /// <summary>Columns per category, stacked when there are several series (states per server, histograms).</summary>
    /// <param name="labelEvery">Label every n-th category (0: as many as fit).</param>
    public static ReportChart Columns(string id, string title, IReadOnlyList<string> categories, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series,
        CultureInfo culture, string? xLabel = null, int labelEvery = 0, int height = 300) =>
        new(id, title, Width, height, plot =>
        {
            var totals = categories.Select((_, i) => series.Sum(s => Value(s.Values, i))).ToList();
            var scale = AxisTicks.Count(totals.DefaultIfEmpty(0).Max(), culture);
            var bars = new List<Bar>();
            for (var i = 0; i < categories.Count; i++)
            {
                var bottom = 0.0;
                for (var s = 0; s < series.Count; s++)
                {
                    var v = Value(series[s].Values, i);
                    if (v > 0)
                    {
                        bars.Add(new Bar { Position = i, ValueBase = bottom, Value = bottom + v, FillColor = ChartStyle.SeriesColor(s), LineWidth = 0, Size = 0.8 });
                        bottom += v;
                    }
                }
            }

            plot.Add.Bars(bars);
            plot.Axes.Bottom.TickGenerator = CategoryTicks(categories, Width, labelEvery);
            plot.Axes.Left.TickGenerator = ValueTicks(scale);
            plot.Axes.SetLimits(-0.6, Math.Max(1, categories.Count) - 0.4, 0, scale.Max);
            if (xLabel is not null)
            {
                plot.XLabel(xLabel, ChartStyle.LabelSize);
            }

            Legend(plot, series.Select(s => s.Name).ToList(), filled: true);
        });

    /// <summary>Horizontal bars, the largest first, for ranked lists (top clients, talkers, sites); long labels are shortened.</summary>
    public static ReportChart Bars(string id, string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, Unit unit, CultureInfo culture) =>
        new(id, title, Width, 90 + (Math.Max(1, labels.Count) * 24), plot =>
        {
            var scale = ValueScale(unit, values.DefaultIfEmpty(0).Max(), culture);
            var bars = values.Select((v, i) => new Bar
            {
                Position = labels.Count - 1 - i, Value = v, FillColor = ChartStyle.SeriesColor(0), LineWidth = 0, Size = 0.7, Orientation = Orientation.Horizontal,
            }).ToList();
            plot.Add.Bars(bars);
            var ticks = new NumericManual();
            for (var i = 0; i < labels.Count; i++)
            {
                ticks.AddMajor(labels.Count - 1 - i, Shorten(labels[i], 42));
            }

            plot.Axes.Left.TickGenerator = ticks;
            plot.Axes.Left.MajorTickStyle.Length = 0;
            plot.Axes.Bottom.TickGenerator = ValueTicks(scale);
            plot.Axes.SetLimits(0, scale.Max, -0.6, Math.Max(1, labels.Count) - 0.4);
            plot.Grid.YAxisStyle.IsVisible = false;
        });

    /// <summary>Lines over the day, one per series; a missed point (NaN) breaks its line rather than pretending a value.</summary>
    public static ReportChart Lines(string id, string title, IReadOnlyList<DateTime> times, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series,
        DateTime start, DateTime end, Unit unit, CultureInfo culture, int height = 300) =>
        Lines(id, title, times, series, start, end, AxisTicks.Hours(start, end), unit, culture, height);

    /// <summary>Lines over days, one point per day and series (trends of the daily roll-ups); a day without a value breaks the line.</summary>
    public static ReportChart DayLines(string id, string title, IReadOnlyList<DateOnly> days, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series,
        Unit unit, CultureInfo culture, int height = 300) =>
        Lines(id, title, days.Select(d => d.ToDateTime(TimeOnly.MinValue)).ToList(), series,
            days[0].ToDateTime(TimeOnly.MinValue).AddHours(-12), days[^1].ToDateTime(TimeOnly.MinValue).AddHours(12), AxisTicks.Days(days[0], days[^1]), unit, culture, height);

    private static ReportChart Lines(string id, string title, IReadOnlyList<DateTime> times, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series,
        DateTime start, DateTime end, IReadOnlyList<(DateTime Time, string Label)> xTicks, Unit unit, CultureInfo culture, int height) =>
        new(id, title, Width, height, plot =>
        {
            var max = series.SelectMany(s => s.Values).Where(v => !double.IsNaN(v)).DefaultIfEmpty(0).Max();
            var scale = ValueScale(unit, max, culture);
            for (var s = 0; s < series.Count; s++)
            {
                foreach (var segment in Segments(series[s].Values))
                {
                    var xs = segment.Select(i => times[i].ToOADate()).ToArray();
                    var ys = segment.Select(i => series[s].Values[i]).ToArray();
                    var line = plot.Add.ScatterLine(xs, ys, ChartStyle.SeriesColor(s));
                    line.LineWidth = 2;
                    line.MarkerSize = segment.Count == 1 ? 5 : 0;
                }
            }

            plot.Axes.Bottom.TickGenerator = TimeTicks(xTicks);
            plot.Axes.Left.TickGenerator = ValueTicks(scale);
            plot.Axes.SetLimits(start.ToOADate(), end.ToOADate(), 0, scale.Max);
            Legend(plot, series.Count > 1 ? series.Select(s => s.Name).ToList() : [], filled: false);
        });

    /// <summary>Counts at moments of the day as dots (connections created per minute).</summary>
    public static ReportChart Points(string id, string title, IReadOnlyList<DateTime> times, IReadOnlyList<double> values, DateTime start, DateTime end, CultureInfo culture) =>
        new(id, title, Width, 260, plot =>
        {
            var scale = AxisTicks.Count(values.DefaultIfEmpty(0).Max(), culture);
            var from = times.Count > 0 && times[0] < start ? times[0] : start;
            var dots = plot.Add.ScatterPoints(times.Select(t => t.ToOADate()).ToArray(), values.ToArray(), ChartStyle.SeriesColor(0));
            dots.MarkerSize = 6;
            plot.Axes.Bottom.TickGenerator = TimeTicks(AxisTicks.Hours(from, end));
            plot.Axes.Left.TickGenerator = ValueTicks(scale);
            plot.Axes.SetLimits(from.ToOADate(), end.ToOADate(), 0, scale.Max);
        });

    /// <summary>Shares of a whole as a donut, with a legend giving each part's share.</summary>
    public static ReportChart Donut(string id, string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, CultureInfo culture) =>
        new(id, title, 640, 280, plot =>
        {
            var total = values.Sum();
            var slices = values.Select((v, i) => new PieSlice(v, ChartStyle.SeriesColor(i))
            {
                LegendText = labels[i] + " " + (total <= 0 ? 0 : v / total).ToString("0.0%", culture),
            }).ToList();
            var pie = plot.Add.Pie(slices);
            pie.DonutFraction = 0.55;
            pie.LineWidth = 1;
            pie.LineColor = Colors.White;
            plot.Axes.Frameless();
            plot.Axes.Title.IsVisible = true;
            plot.HideGrid();
            plot.Axes.SquareUnits();
            plot.ShowLegend(Edge.Right);
        });

    public static AxisTicks.Scale ValueScale(Unit unit, double max, CultureInfo culture) => unit switch
    {
        Unit.Bytes => AxisTicks.Bytes(max, culture),
        Unit.Percent => AxisTicks.Percent(max, culture),
        _ => AxisTicks.Count(max, culture),
    };

    private static NumericManual ValueTicks(AxisTicks.Scale scale)
    {
        var ticks = new NumericManual();
        foreach (var (value, label) in scale.Ticks)
        {
            ticks.AddMajor(value, label);
        }

        return ticks;
    }

    private static NumericManual TimeTicks(IReadOnlyList<(DateTime Time, string Label)> at)
    {
        var ticks = new NumericManual();
        foreach (var (time, label) in at)
        {
            ticks.AddMajor(time.ToOADate(), label);
        }

        return ticks;
    }

    /// <summary>Category labels under columns; only every n-th when all of them would not fit side by side.</summary>
    private static NumericManual CategoryTicks(IReadOnlyList<string> categories, int width, int labelEvery)
    {
        // DejaVu Sans at 12 px is about 7.5 px per figure.
        var widest = categories.Select(c => c.Length).DefaultIfEmpty(1).Max();
        var fit = Math.Max(1, (width - 100) / ((widest * 7.5) + 12));
        var every = labelEvery > 0 ? labelEvery : Math.Max(1, (int)Math.Ceiling(categories.Count / fit));
        var ticks = new NumericManual();
        for (var i = 0; i < categories.Count; i++)
        {
            if (i % every == 0)
            {
                ticks.AddMajor(i, categories[i]);
            }
            else
            {
                ticks.AddMinor(i);
            }
        }

        return ticks;
    }

    private static void Legend(Plot plot, IReadOnlyList<string> names, bool filled)
    {
        if (names.Count <= 1 && filled)
        {
            return;
        }

        if (names.Count == 0)
        {
            return;
        }

        plot.Legend.ManualItems.Clear();
        for (var i = 0; i < names.Count; i++)
        {
            plot.Legend.ManualItems.Add(filled
                ? new LegendItem { LabelText = names[i], FillColor = ChartStyle.SeriesColor(i) }
                : new LegendItem { LabelText = names[i], LineColor = ChartStyle.SeriesColor(i), LineWidth = 2 });
        }

        plot.ShowLegend(Edge.Bottom);
    }

    private static double Value(IReadOnlyList<double> values, int i) => i < values.Count && !double.IsNaN(values[i]) ? values[i] : 0;

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private static List<List<int>> Segments(IReadOnlyList<double> values)
    {
        var segments = new List<List<int>>();
        List<int>? current = null;
        for (var i = 0; i < values.Count; i++)
        {
            if (double.IsNaN(values[i]))
            {
                current = null;
                continue;
            }

            if (current is null)
            {
                current = [];
                segments.Add(current);
            }

            current.Add(i);
        }

        return segments;
    }
}
