using ReportJob.Snapshots;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

/// <summary>The CSV fixtures: ex01 (en-US, UTF-16 LE BOM, #TYPE line, no server column) and ex02 (de-DE, UTF-8 BOM, PSComputerName, LocalPort).</summary>
internal static class CsvTestData
{
    public const string Zone = "Europe/Berlin";

    public static string Folder => Path.Combine(RepoPaths.Fixtures, "snapshots-csv");

    public static string Ex01 => Path.Combine(Folder, "ex01-en-US-utf16.csv");

    public static string Ex02 => Path.Combine(Folder, "ex02-de-DE-utf8.csv");

    public static string Sites => Path.Combine(Folder, "sites.csv");

    public static TimeZoneInfo Berlin => TimeZoneInfo.FindSystemTimeZoneById(Zone);

    public static CsvReadSettings Settings(string? server = "EX01", SnapshotsOptions? options = null) =>
        CsvReadSettings.From(options ?? new SnapshotsOptions { LocalPorts = [443] }, new CsvImportTarget(server, Berlin));

    /// <summary>Copies fixtures into a folder (files in a drop folder are moved away by the import).</summary>
    public static string CopyTo(string folder, params string[] files)
    {
        Directory.CreateDirectory(folder);
        foreach (var f in files)
        {
            File.Copy(f, Path.Combine(folder, Path.GetFileName(f)), overwrite: true);
        }

        return folder;
    }
}
