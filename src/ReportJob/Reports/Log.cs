using Microsoft.Extensions.Logging;

namespace ReportJob.Reports;

internal static partial class Log
{
    [LoggerMessage(4101, LogLevel.Information, "Report model of {Day} built: {Rows} connection rows from {Snapshots} snapshots in {Seconds:0.00} s")]
    public static partial void ReportBuilt(ILogger logger, string day, long rows, int snapshots, double seconds);

    [LoggerMessage(4102, LogLevel.Information, "Report of {Day} written to {Path} ({Bytes} bytes, {Seconds:0.00} s)")]
    public static partial void ReportWritten(ILogger logger, string day, string path, long bytes, double seconds);

    [LoggerMessage(4103, LogLevel.Information, "Pruned {Count} report files last written more than {Days} days ago from {Path}")]
    public static partial void Pruned(ILogger logger, int count, int days, string path);

    [LoggerMessage(4104, LogLevel.Information, "Report of {Day} done in {Seconds:0.00} s: {Stages}")]
    public static partial void ReportRun(ILogger logger, string day, double seconds, string stages);

    [LoggerMessage(4105, LogLevel.Warning, "{Problem}")]
    public static partial void LooksProblem(ILogger logger, string problem);
}
