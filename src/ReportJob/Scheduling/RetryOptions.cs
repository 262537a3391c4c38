using System.ComponentModel.DataAnnotations;

namespace ReportJob.Scheduling;

/// <summary><c>Scheduling:Retry</c>: how a failed run is retried (Quartz's retry policy, exponential back-off).</summary>
public sealed class RetryOptions
{
    /// <summary>Retries after the first failure; 0 turns retries off.</summary>
    [Range(0, 20)]
    public int Attempts { get; set; } = 3;

    /// <summary>Wait before the first retry; each later wait doubles, up to <see cref="MaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(10);
}
