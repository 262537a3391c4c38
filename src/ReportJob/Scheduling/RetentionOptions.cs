using System.ComponentModel.DataAnnotations;

namespace ReportJob.Scheduling;

/// <summary><c>Scheduling:Retention</c>: what the <c>retention</c> job purges.</summary>
public sealed class RetentionOptions
{
    /// <summary>Tables purged by age, e.g. raw snapshots after N days and aggregates after M days.</summary>
    public List<RetentionRule> Tables { get; set; } = [];

    /// <summary>Files purged by age, e.g. old report files.</summary>
    public List<FileRetentionRule> Files { get; set; } = [];

    /// <summary>Rows deleted per statement, so one purge never holds a long lock or a huge transaction.</summary>
    [Range(100, 1_000_000)]
    public int BatchSize { get; set; } = 10_000;
}
