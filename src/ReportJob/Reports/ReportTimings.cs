using System.Diagnostics;
using System.Globalization;

namespace ReportJob.Reports;

/// <summary>
/// Wall-clock time per stage of one report run, in the order the stages first ran (a stage timed twice adds up):
/// the runner logs them as one summary line and the benchmark prints them.
/// </summary>
public sealed class ReportTimings
{
    private readonly List<KeyValuePair<string, TimeSpan>> _stages = [];

    public IReadOnlyList<KeyValuePair<string, TimeSpan>> Stages => _stages;

    public TimeSpan Total => _stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Value);

    public void Add(string stage, TimeSpan elapsed)
    {
        var i = _stages.FindIndex(s => s.Key == stage);
        if (i < 0)
        {
            _stages.Add(new(stage, elapsed));
        }
        else
        {
            _stages[i] = new(stage, _stages[i].Value + elapsed);
        }
    }

    /// <summary>Adds the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>) and returns now's timestamp, to start the next stage.</summary>
    public long AddSince(string stage, long startTimestamp)
    {
        var now = Stopwatch.GetTimestamp();
        Add(stage, Stopwatch.GetElapsedTime(startTimestamp, now));
        return now;
    }

    public override string ToString() =>
        string.Join(", ", _stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value.TotalSeconds:0.00} s")));
}
