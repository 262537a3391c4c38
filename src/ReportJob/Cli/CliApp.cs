using System.CommandLine;

namespace ReportJob.Cli;

internal static class CliApp
{
    /// <param name="time">The clock every verb's host uses; the system clock unless a test pins one.</param>
    public static CliRoot CreateRoot(TimeProvider? time = null)
    {
        var root = new CliRoot(time ?? TimeProvider.System, """
            ReportJob: snapshots of the TCP connections on your servers, NetFlow/IPFIX aggregates, and a nightly
            report. Settings come from appsettings.json, --config FILE, appsettings.Local.json and
            REPORTJOB__Section__Key environment variables. Exit codes: 0 ok, 1 run failed, 2 bad usage or configuration.
            """);
        root.Options.Add(GlobalOptions.Config);
        root.Options.Add(GlobalOptions.Verbose);
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(DbCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(ConnectionsCommand.Create());
        root.Subcommands.Add(ExportCsvCommand.Create());
        root.Subcommands.Add(SitesCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(FlowsCommand.Create());
        root.Subcommands.Add(ListenCommand.Create());
        root.Subcommands.Add(ReportCommand.CreateReport());
        root.Subcommands.Add(ReportCommand.CreateMail());
        root.Subcommands.Add(CollectCommand.Create());
        root.Subcommands.Add(IisCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TimeProvider? time = null)
    {
        var parse = CreateRoot(time).Parse(args);
        if (parse.Errors.Count > 0)
        {
            // System.CommandLine exits 1 on a parse error; bad usage is 2 here.
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            await Console.Error.WriteLineAsync("See 'reportjob --help'.");
            return ExitCodes.BadUsage;
        }

        // Ctrl+C / SIGTERM cancel the verb's token; the default 2 s before the process is torn down would cut
        // `run`'s graceful shutdown short, which Scheduling:ShutdownTimeout bounds instead.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(65) });
    }
}
