using Microsoft.Extensions.Logging;

namespace ReportJob.Mail;

internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Information, "Mail '{Subject}' sent through {SmtpHost}:{SmtpPort} (attempt {Attempt})")]
    public static partial void Sent(ILogger logger, string subject, string smtpHost, int smtpPort, int attempt);

    [LoggerMessage(5002, LogLevel.Warning, "Sending through {SmtpHost}:{SmtpPort} failed (attempt {Attempt} of {Attempts}), retrying in {Seconds} s: {Error}")]
    public static partial void SendRetry(ILogger logger, string smtpHost, int smtpPort, int attempt, int attempts, double seconds, string error);
}
