using Microsoft.Extensions.Logging;

namespace ReportJob.Cli;

internal static partial class Log
{
    [LoggerMessage(9001, LogLevel.Error, "Run of {Verb} failed")]
    public static partial void RunFailed(ILogger logger, Exception exception, string verb);
}
