using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;

namespace ReportJob.Scheduling;

/// <summary>
/// Hands Hangfire's own log messages (storage errors, server start and stop) to the host's logging. Hangfire keeps its
/// log provider in a static, so in a process that starts several hosts (tests) the last one started receives them; a
/// logger asked of a host already disposed logs nothing instead of throwing inside Hangfire.
/// </summary>
internal sealed class HangfireLogProvider(ILoggerFactory factory) : Hangfire.Logging.ILogProvider
{
    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try
        {
            return new Logger(factory.CreateLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new Logger(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        }
    }

    private sealed class Logger(ILogger logger) : Hangfire.Logging.ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var level = logLevel switch
            {
                HangfireLevel.Trace => LogLevel.Trace,
                HangfireLevel.Debug => LogLevel.Debug,
                HangfireLevel.Info => LogLevel.Information,
                HangfireLevel.Warn => LogLevel.Warning,
                HangfireLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (messageFunc is null)
            {
                return logger.IsEnabled(level);
            }

            if (!logger.IsEnabled(level))
            {
                return false;
            }

            Scheduling.Log.Hangfire(logger, level, exception, messageFunc());
            return true;
        }
    }
}
