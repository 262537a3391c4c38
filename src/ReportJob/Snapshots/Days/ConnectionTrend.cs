namespace ReportJob.Snapshots;

/// <summary>
/// Days of connection roll-ups, for trends over weeks and months: every day of the range in <see cref="Days"/>, the
/// days rolled up in <see cref="PerDay"/>; series aligned with <see cref="Days"/> (NaN on days without a roll-up).
/// </summary>
public sealed record ConnectionTrend(
    IReadOnlyList<DateOnly> Days,
    IReadOnlyList<TrendDay> PerDay,
    IReadOnlyList<TrendSeries> ServerPeaks,
    IReadOnlyList<TrendSeries> ServerAverages,
    IReadOnlyList<TrendSeries> ServerMaxDeviations,
    IReadOnlyList<TrendSeries> ServerRoundsFlagged,
    IReadOnlyList<TrendSeries> TopClientPeaks,
    IReadOnlyList<TrendSeries> SitePeaks)
{
    /// <summary>The series of clients that <see cref="Days"/>' total, peak connections, clients and rounds.</summary>
    public TrendSeries Clients => Series("clients", d => d.Clients);

    public TrendSeries Peaks => Series("peak", d => d.Peak);

    private TrendSeries Series(string name, Func<TrendDay, double> value)
    {
        var byDay = PerDay.ToDictionary(d => d.Day);
        return new TrendSeries(name, Days.Select(d => byDay.TryGetValue(d, out var x) ? value(x) : double.NaN).ToList());
    }
}

/// <summary>One rolled-up day: rounds, snapshots (failed among them), clients, the most connections in one round, the average per round.</summary>
public sealed record TrendDay(DateOnly Day, string TimeZone, int Rounds, int Snapshots, int Failed, int Clients, long Peak, double Average);

/// <summary>Values of one server, client or site per day.</summary>
public sealed record TrendSeries(string Name, IReadOnlyList<double> Values);
