namespace ReportJob.Tests.Cli;

/// <summary>Tests that redirect Console.Out/Error run alone: the console is process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
