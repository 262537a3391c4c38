using Microsoft.Extensions.Logging;

namespace ReportJob.IisLogs;

internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Information, "Imported {LogFile}: {Records} requests, {BadLines} bad lines, {MegaBytes:0.0} MB from offset {StartOffset} in {Seconds:0.00} s ({LinesPerSecond:0} lines/s)")]
    public static partial void Imported(ILogger logger, string logFile, long records, long badLines, double megaBytes, long startOffset, double seconds, double linesPerSecond);

    [LoggerMessage(4002, LogLevel.Information, "Skipped {LogFile}: {Status}")]
    public static partial void Skipped(ILogger logger, string logFile, IisImportStatus status);

    [LoggerMessage(4003, LogLevel.Warning, "Bad line {LogFile}:{Line}: {Reason}")]
    public static partial void BadLine(ILogger logger, string logFile, long line, string reason);

    [LoggerMessage(4004, LogLevel.Information, "Importing {LogFile}: {MegaBytes:0} MB, {Lines} lines so far")]
    public static partial void Progress(ILogger logger, string logFile, double megaBytes, long lines);

    [LoggerMessage(4005, LogLevel.Error, "Could not import {LogFile}; moved to {FailedPath}: {Reason}")]
    public static partial void InboxFileFailed(ILogger logger, string logFile, string failedPath, string reason);

    [LoggerMessage(4007, LogLevel.Warning, "{LogFile}:{Line}: {Reason}")]
    public static partial void ShortFieldsHeader(ILogger logger, string logFile, long line, string reason);

    [LoggerMessage(4006, LogLevel.Information, "IIS inbox {InboxPath}: {Imported} imported, {Skipped} already counted, {Failed} failed, {Waiting} still being written; {Records} requests in {Seconds:0.00} s")]
    public static partial void InboxDone(ILogger logger, string inboxPath, int imported, int skipped, int failed, int waiting, long records, double seconds);
}
