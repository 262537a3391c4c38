using System.CommandLine;

namespace ReportJob.Cli;

internal static class CliApp
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("""
            ReportJob: snapshots of the TCP connections on your servers, NetFlow/IPFIX aggregates, and a nightly
            report. Settings come from appsettings.json, --config FILE, appsettings.Local.json and
            REPORTJOB__Section__Key environment variables. Exit codes: 0 ok, 1 run failed, 2 bad usage or configuration.
            """);
        root.Options.Add(GlobalOptions.Config);
        root.Options.Add(GlobalOptions.Verbose);
        root.Subcommands.Add(DbCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(FlowsCommand.Create());
        root.Subcommands.Add(ListenCommand.Create());
        root.Subcommands.Add(ReportCommand.CreateReport());
        root.Subcommands.Add(ReportCommand.CreateMail());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = CreateRoot().Parse(args);
        return await parse.InvokeAsync();
    }
}
