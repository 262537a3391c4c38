using System.CommandLine;

namespace ReportJob.Cli;

internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("ReportJob: TCP connection snapshots, NetFlow aggregates and nightly reports.");
        return await root.Parse(args).InvokeAsync();
    }
}
