using System.Globalization;
using Quartz;

namespace ReportJob.Scheduling;

/// <summary>Keys ReportJob puts in a one-off trigger's job data (strings only, so any job store serializer keeps them).</summary>
internal static class JobData
{
    public const string Kind = "reportjob.kind";
    public const string ScheduledFor = "reportjob.scheduledFor";
    public const string Parent = "reportjob.parent";
    public const string RequestId = "reportjob.requestId";

    public static string? GetString(JobDataMap map, string key) =>
        map.TryGetValue(key, out var value) ? value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    public static JobDataMap Manual(string requestId) => new() { [Kind] = TriggerKind.Manual, [RequestId] = requestId };

    public static JobDataMap Continuation(string parent, DateTimeOffset scheduledFor) => new()
    {
        [Kind] = TriggerKind.Continuation,
        [Parent] = parent,
        [ScheduledFor] = scheduledFor.ToString("O", CultureInfo.InvariantCulture),
    };
}
