using System.CommandLine;

namespace ReportJob.Cli;

/// <summary>The root command, carrying the clock that the verbs' hosts are built with.</summary>
internal sealed class CliRoot(TimeProvider time, string description) : RootCommand(description)
{
    public TimeProvider Time { get; } = time;
}
