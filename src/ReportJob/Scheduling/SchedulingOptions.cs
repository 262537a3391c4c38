using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Quartz;

namespace ReportJob.Scheduling;

public sealed partial class SchedulingOptions : IValidatableObject
{
    public const string Section = "Scheduling";

    /// <summary>Time zone the cron expressions are read in and the status page shows times in: an IANA (<c>Europe/Zurich</c>) or Windows (<c>W. Europe Standard Time</c>) id.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The jobs by name: <c>collect-snapshots</c>, <c>ingest-captures</c>, <c>ingest-iis-logs</c>, <c>daily-report</c>, <c>mail-report</c>, <c>retention</c>.</summary>
    public Dictionary<string, JobScheduleOptions> Jobs { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Retries of a failed run.</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>
    /// Share the job store with other job servers (PostgreSQL or SQL Server only): each trigger fires on exactly one
    /// node, and a node that dies mid-job has the job recovered by another.
    /// </summary>
    public bool Clustered { get; set; }

    /// <summary>How often a clustered node records that it is alive.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long past a missed check-in the other nodes wait before recovering a node's jobs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan ClusterCheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How late a firing may be before it counts as missed (and <see cref="JobScheduleOptions.CatchUp"/> applies).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>For jobs with <c>CatchUp</c>: <c>Once</c> runs a missed report once on start; <c>All</c> runs it once per missed day.</summary>
    public CatchUpMode CatchUpMissedReports { get; set; } = CatchUpMode.Once;

    /// <summary>Jobs that may run at the same time (different jobs; one job never runs twice at once).</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>On Ctrl+C / SIGTERM running jobs are cancelled and given this long to stop before the process exits.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What the <c>retention</c> job purges.</summary>
    public RetentionOptions Retention { get; set; } = new();

    /// <summary>The configured zone, resolved (validated at start).</summary>
    public TimeZoneInfo ResolveTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TryResolve(TimeZone))
        {
            yield return new ValidationResult($"Scheduling:TimeZone: '{TimeZone}' is not a known IANA or Windows time zone id", [nameof(TimeZone)]);
        }

        foreach (var (name, job) in Jobs)
        {
            if (!JobName().IsMatch(name))
            {
                yield return new ValidationResult($"Scheduling:Jobs:{name}: a job name is lower-case letters, digits and '-'", [nameof(Jobs)]);
            }

            if (!string.IsNullOrWhiteSpace(job.Cron))
            {
                string? error = null;
                try
                {
                    CronExpression.Parse(job.Cron);
                }
                catch (FormatException ex)
                {
                    error = ex.Message;
                }

                if (error is not null)
                {
                    yield return new ValidationResult($"Scheduling:Jobs:{name}:Cron: '{job.Cron}' is not a valid Quartz cron expression (sec min hour day month weekday): {error}", [nameof(Jobs)]);
                }
            }
        }

        foreach (var r in ValidateRetry(Retry))
        {
            yield return r;
        }

        foreach (var r in Validation(Retention, "Scheduling:Retention"))
        {
            yield return r;
        }

        for (var i = 0; i < Retention.Tables.Count; i++)
        {
            var rule = Retention.Tables[i];
            var key = $"Scheduling:Retention:Tables:{i}";
            if (!Identifier().IsMatch(rule.Table))
            {
                yield return new ValidationResult($"{key}:Table: '{rule.Table}' is not a table name (letters, digits, underscore)", [nameof(Retention)]);
            }

            if (!Identifier().IsMatch(rule.TimeColumn))
            {
                yield return new ValidationResult($"{key}:TimeColumn: '{rule.TimeColumn}' is not a column name (letters, digits, underscore)", [nameof(Retention)]);
            }

            if (rule.Days < 1)
            {
                yield return new ValidationResult($"{key}:Days must be at least 1", [nameof(Retention)]);
            }
        }

        for (var i = 0; i < Retention.Files.Count; i++)
        {
            var rule = Retention.Files[i];
            var key = $"Scheduling:Retention:Files:{i}";
            if (string.IsNullOrWhiteSpace(rule.Folder))
            {
                yield return new ValidationResult($"{key}:Folder is required", [nameof(Retention)]);
            }

            if (string.IsNullOrWhiteSpace(rule.Pattern) || rule.Pattern.Contains('/', StringComparison.Ordinal) || rule.Pattern.Contains('\\', StringComparison.Ordinal))
            {
                yield return new ValidationResult($"{key}:Pattern must be a file name pattern without folders", [nameof(Retention)]);
            }

            if (rule.Days < 1)
            {
                yield return new ValidationResult($"{key}:Days must be at least 1", [nameof(Retention)]);
            }
        }
    }

    private static IEnumerable<ValidationResult> ValidateRetry(RetryOptions retry)
    {
        if (retry.Attempts > 0 && retry.MaxDelay < retry.InitialDelay)
        {
            yield return new ValidationResult("Scheduling:Retry:MaxDelay must not be shorter than Scheduling:Retry:InitialDelay", [nameof(Retry)]);
        }

        foreach (var r in Validation(retry, "Scheduling:Retry"))
        {
            yield return r;
        }
    }

    private static IEnumerable<ValidationResult> Validation(object nested, string prefix)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(nested, new ValidationContext(nested), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult(prefix + ": " + r.ErrorMessage, r.MemberNames));
    }

    private static bool TryResolve(string id)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex JobName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex Identifier();
}
