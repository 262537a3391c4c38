using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.IisLogs;

namespace ReportJob.Cli;

internal static class IisCommand
{
    public static Command Create() => new("iis", "IIS W3C logs of the Exchange servers: which protocols, user agents and users each client address uses.")
    {
        CreateImport(),
        CreateInbox(),
        CreateTop(),
    };

    private static Command CreateImport()
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Log files (.log, .log.gz) or folders of them. A file counted before is skipped; a log that grew is continued.",
            Arity = ArgumentArity.OneOrMore,
        };
        var import = new Command("import", "Import IIS W3C logs (files stay where they are).") { paths };
        import.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var files = new List<string>();
            foreach (var path in parse.GetValue(paths) ?? [])
            {
                if (Directory.Exists(path))
                {
                    files.AddRange(Directory.EnumerateFiles(path).Where(IisLogInbox.IsLogFile).Order(StringComparer.Ordinal));
                }
                else if (File.Exists(path))
                {
                    files.Add(path);
                }
                else
                {
                    throw new UsageException($"No such file or folder: {path}");
                }
            }

            var importer = services.GetRequiredService<IisLogImporter>();
            var failed = 0;
            foreach (var file in files)
            {
                try
                {
                    Print(await importer.ImportAsync(file, token));
                }
                catch (InvalidDataException ex)
                {
                    failed++;
                    await Console.Error.WriteLineAsync($"{file}: not imported: {ex.Message}");
                }
            }

            return failed == 0 ? ExitCodes.Ok : ExitCodes.RunFailed;
        }));
        return import;
    }

    private static Command CreateInbox()
    {
        var inbox = new Command("inbox", "Import the logs in the drop folder (IisLogs:InboxPath) and move them to done/ or failed/.");
        inbox.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var result = await services.GetRequiredService<IisLogInbox>().ProcessAsync(token);
            foreach (var file in result.Files)
            {
                Print(file);
            }

            foreach (var failed in result.Failed)
            {
                await Console.Error.WriteLineAsync($"{failed.File}: moved to failed/: {failed.Reason}");
            }

            if (result.Waiting > 0)
            {
                Console.WriteLine($"{result.Waiting} file(s) still being written, left for the next run.");
            }

            return result.Failed.Count == 0 ? ExitCodes.Ok : ExitCodes.RunFailed;
        }));
        return inbox;
    }

    private static Command CreateTop()
    {
        var date = new Option<string?>("--date") { Description = "The UTC day, yyyy-MM-dd (default: the latest day with IIS data)." };
        var by = new Option<string>("--by") { Description = "Rows per client address, protocol or site.", DefaultValueFactory = _ => "client" };
        by.AcceptOnlyFromAmong("client", "protocol", "site");
        var format = OutputWriter.CreateOption();
        var top = new Option<int>("--top") { Description = "Clients shown with --by client.", DefaultValueFactory = _ => 25 };
        var command = new Command("top", "Show the IIS data of a day: top clients (protocols, user agents, users, status codes), protocols or sites.")
        {
            date, by, format, top,
        };
        command.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var queries = services.GetRequiredService<IisQueries>();
            var count = parse.GetValue(top);
            if (count < 1)
            {
                throw new UsageException("--top must be at least 1");
            }

            DateOnly day;
            if (parse.GetValue(date) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
                {
                    throw new UsageException($"--date '{text}' is not a day like 2026-11-20");
                }
            }
            else
            {
                var days = await queries.DaysAsync(token);
                if (days.Count == 0)
                {
                    await Console.Error.WriteLineAsync("No IIS data yet: import logs with 'reportjob iis import PATH' or 'reportjob iis inbox'.");
                    return ExitCodes.Ok;
                }

                day = days[0];
            }

            var outputFormat = parse.GetValue(format);
            var rowsBy = parse.GetValue(by);
            await Console.Error.WriteLineAsync($"IIS data of {day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (UTC), by {rowsBy}");
            var table = rowsBy switch
            {
                "protocol" => IisTables.Protocols(await queries.ProtocolsAsync(day, token), outputFormat),
                "site" => IisTables.Sites(await queries.SitesAsync(day, token), outputFormat),
                _ => IisTables.Clients(await queries.TopClientsAsync(day, count, token), outputFormat),
            };
            OutputWriter.Write(Console.Out, table, outputFormat);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Print(IisImportResult r)
    {
        var what = r.Status switch
        {
            IisImportStatus.Imported => string.Create(CultureInfo.InvariantCulture,
                $"{r.Records} requests, {r.BadLines} bad lines, {(r.ContentBytes - r.StartOffset) / 1048576.0:0.0} MB{(r.StartOffset > 0 ? $" (continued from byte {r.StartOffset})" : "")} in {r.Elapsed.TotalSeconds:0.00} s"),
            IisImportStatus.UpToDate => "already counted up to its end",
            IisImportStatus.AlreadyImported => "the same content was imported before",
            _ => "no request lines yet",
        };
        Console.WriteLine($"{r.File}: {what}");
        foreach (var bad in r.BadLineSamples)
        {
            Console.WriteLine("  bad line " + OutputWriter.Neutralise(bad.ToString()));
        }

        if (r.BadLines > r.BadLineSamples.Count)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {r.BadLines - r.BadLineSamples.Count} more bad lines"));
        }
    }
}
