using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.Reports;
using ReportJob.Snapshots;

namespace ReportJob.Cli;

/// <summary><c>reportjob export-csv --at TIME|--date DAY --out DIR</c>: the files of the old PowerShell routine.</summary>
internal static class ExportCsvCommand
{
    public static Command Create()
    {
        var times = new SnapshotTimeOptions();
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "The folder to write to (created when missing; files of the same name are replaced).",
            Required = true,
        };
        var encoding = new Option<string>("--encoding")
        {
            Description = "unicode (UTF-16 LE with BOM, as the routine's -Encoding unicode wrote) or utf8 (UTF-8 with BOM).",
            DefaultValueFactory = _ => "unicode",
        };
        encoding.AcceptOnlyFromAmong("unicode", "utf8");
        var command = new Command("export-csv", """
            Write the CSV files of the old PowerShell routine for one round (--at) or each round of a day (--date):
            iisports-yyyyMMdd-HHmm.csv, …-groupbyremoteaddress.csv and …-connectionbysite.csv, as the routine's Export-Csv
            wrote them (UTF-16 with BOM, CRLF, every field quoted, dates and numbers in Reports:Culture; cells starting
            with = + - @ prefixed with a single quote).
            """)
        {
            output, encoding,
        };
        times.AddTo(command);
        command.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var zone = times.Zone(parse, services.GetRequiredService<IOptions<SnapshotsOptions>>().Value);
            var (rounds, _, missing) = await times.ResolveAsync(parse, services.GetRequiredService<ConnectionQueries>(), zone, services.GetRequiredService<TimeProvider>(), required: true, token);
            if (missing is not null)
            {
                await Console.Error.WriteLineAsync(missing + ": nothing exported.");
                return ExitCodes.RunFailed;
            }

            var culture = services.GetRequiredService<IOptions<ReportOptions>>().Value.CultureInfo();
            var files = await services.GetRequiredService<CsvExporter>().ExportAsync(
                rounds, parse.GetValue(output)!.FullName, zone, culture, parse.GetValue(encoding) == "utf8" ? CsvExporter.Utf8 : CsvExporter.Unicode, token);
            foreach (var file in files)
            {
                Console.WriteLine(file);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
