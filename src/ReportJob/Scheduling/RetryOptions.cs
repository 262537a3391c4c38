using System.ComponentModel.DataAnnotations;

namespace ReportJob.Scheduling;

/// <summary><c>Scheduling:Retry</c>: how a failed run is retried (Hangfire's automatic retries, with a doubling back-off).</summary>
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

    /// <summary>The wait before each retry, in whole seconds (Hangfire's unit): InitialDelay, doubling, capped at MaxDelay.</summary>
    public int[] DelaysInSeconds()
    {
        var delays = new int[Attempts];
        var delay = InitialDelay.TotalSeconds;
        for (var i = 0; i < Attempts; i++)
        {
            delays[i] = (int)Math.Ceiling(Math.Min(delay, MaxDelay.TotalSeconds));
            delay *= 2;
        }

        return delays;
    }
}
