using System.CommandLine;

namespace ReportJob.Cli;

internal static class GlobalOptions
{
    public static readonly Option<FileInfo?> Config = new("--config")
    {
        Description = "An extra settings file layered over appsettings.json (before appsettings.Local.json and REPORTJOB__ variables).",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Debug logging.",
        Recursive = true,
    };
}
