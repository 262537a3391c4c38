namespace ReportJob.Cli;

/// <summary>Bad usage or input the user must correct: exit code 2 with the message, no stack trace.</summary>
public sealed class UsageException(string message) : Exception(message);
