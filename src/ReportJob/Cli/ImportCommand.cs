using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.Snapshots;

namespace ReportJob.Cli;

/// <summary><c>reportjob import [PATH...]</c>: CSV files of the PowerShell routine, or the Csv servers' drop folders.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("path")
        {
            Description = "CSV files, or folders whose *.csv files are imported. None: the drop folders of the Csv servers in Snapshots:Servers.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var server = new Option<string?>("--server")
        {
            Description = "The server every row belongs to when a file has no PSComputerName/ComputerName column (default: by LocalAddress through Snapshots:Servers' Addresses; a file of one local address in a Csv server's drop folder is that server's).",
        };
        var zone = new Option<string?>("--time-zone")
        {
            Description = "The zone the file's local times are in (default: the server's TimeZone, else Snapshots:TimeZone).",
        };
        var format = OutputWriter.CreateOption();
        var command = new Command("import", """
            Import CSV files of connections (Export-Csv of Get-NetTCPConnection). Files and folders given here are read and
            left where they are (a content imported before is skipped, by its SHA-256). Without a path, the drop folders of
            the Csv servers are imported and their files move to done/, or to failed/ with a .reason file.
            """)
        {
            paths, server, zone, format,
        };
        command.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var options = services.GetRequiredService<IOptions<SnapshotsOptions>>().Value;
            var progress = new ImportProgress();
            var given = parse.GetValue(paths) ?? [];
            CsvImportSummary summary;
            if (given.Length == 0)
            {
                if (!options.Servers.Any(s => s.Enabled && s.Source == SnapshotSourceKind.Csv && s.DropFolder is not null))
                {
                    throw new UsageException("No path given and no enabled Csv server with a DropFolder in Snapshots:Servers: give files or folders to import.");
                }

                summary = await services.GetRequiredService<CsvDropFolderImporter>().ImportAsync(progress, token);
            }
            else
            {
                var serverName = parse.GetValue(server);
                var zoneId = parse.GetValue(zone);
                TimeZoneInfo? zoneOverride = null;
                if (zoneId is not null)
                {
                    zoneOverride = SnapshotsOptions.TryFindZone(zoneId, out var z) ? z : throw new UsageException($"--time-zone: '{zoneId}' is not a known time zone (use an IANA id such as Europe/Berlin, or UTC)");
                }

                summary = await services.GetRequiredService<CsvSnapshotImporter>().ImportAsync(given, file =>
                {
                    var entry = serverName is not null
                        ? options.Servers.FirstOrDefault(s => string.Equals(s.Name, serverName, StringComparison.OrdinalIgnoreCase))
                        : options.Servers.FirstOrDefault(s => s.Source == SnapshotSourceKind.Csv && s.DropFolder is not null && SameFolder(s.DropFolder, Path.GetDirectoryName(Path.GetFullPath(file))!));
                    var name = serverName ?? entry?.Name;
                    var tz = zoneOverride ?? (entry is not null ? options.CsvTimeZoneOf(entry) : options.PresentationTimeZone);
                    // --server names every row; a drop folder's server names a file of one local address (unless it splits never).
                    return new CsvImportTarget(name, tz, serverName is null && (entry?.SplitByLocalAddress ?? true));
                }, move: false, progress, token);
            }

            progress.Done();
            var rows = summary.Files.Select(f => new object?[]
            {
                Path.GetFileName(f.File), f.Status.ToString(), f.Snapshots, f.Rows, f.Error ?? (f.DuplicateSnapshots > 0 ? $"{f.DuplicateSnapshots} snapshots already stored" : ""),
            }).ToList();
            OutputWriter.Write(Console.Out, new OutputTable(["File", "Status", "Snapshots", "Rows", "Note"], rows), parse.GetValue(format));
            await Console.Error.WriteLineAsync(FormattableString.Invariant(
                $"{summary.Files.Count} files: {summary.Imported} imported, {summary.Skipped} skipped, {summary.Failed} failed; {summary.Snapshots} snapshots, {summary.Rows} rows in {summary.Elapsed.TotalSeconds:0.00} s ({summary.RowsPerSecond:0} rows/s)"));
            return summary.Failed > 0 ? ExitCodes.RunFailed : ExitCodes.Ok;
        }));
        return command;
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
