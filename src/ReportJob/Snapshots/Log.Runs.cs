using Microsoft.Extensions.Logging;

namespace ReportJob.Snapshots;

/// <summary>The Snapshots feature's log messages: runs and daily roll-ups (2300–2349).</summary>
internal static partial class Log
{
    [LoggerMessage(2301, LogLevel.Debug, "Runs of {Server} on {Day:yyyy-MM-dd} (UTC) made again around a snapshot stored out of order: {Before} runs before, {After} after")]
    public static partial void RunsRebuilt(ILogger logger, string server, DateTime day, int before, int after);

    [LoggerMessage(2302, LogLevel.Information, "Converting stored connections into runs: {Server}, {Snapshots} snapshots, {Rows} connection rows → {Runs} runs")]
    public static partial void ServerConverted(ILogger logger, string server, int snapshots, long rows, long runs);

    [LoggerMessage(2303, LogLevel.Information, "Converted {Rows} stored connection rows of {Snapshots} snapshots into {Runs} runs in {Seconds:0.0} s")]
    public static partial void ConversionDone(ILogger logger, long rows, int snapshots, long runs, double seconds);

    [LoggerMessage(2304, LogLevel.Information, "Rolled up {Day} ({Zone}): {Rounds} rounds, {Clients} clients, peak {Peak} connections")]
    public static partial void DayRolledUp(ILogger logger, string day, string zone, int rounds, int clients, long peak);
}
