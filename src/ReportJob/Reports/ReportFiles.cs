using System.Globalization;
using System.Text;

namespace ReportJob.Reports;

/// <summary>File names under the output folder, and the atomic write every report file goes through.</summary>
public static class ReportFiles
{
    public static string Html(DateOnly day) => $"report-{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.html";

    public static string Workbook(DateOnly day) => $"report-{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.xlsx";

    public static string IndexEntry(DateOnly day) => $"report-{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.json";

    public static string MailFile(DateOnly day) => $"report-{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.eml";

    /// <summary>The day a report file is of, from its name; null for other files.</summary>
    public static DateOnly? DayOf(string fileName)
    {
        var name = Path.GetFileName(fileName);
        return name.Length >= 17 && name.StartsWith("report-", StringComparison.Ordinal)
            && DateOnly.TryParseExact(name.AsSpan(7, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
    }

    /// <summary>
    /// Writes to a temp file in the same folder and renames it over the target: readers never see half a file.
    /// The stream is readable and seekable because the OpenXML package (a zip) needs both.
    /// </summary>
    public static async Task WriteAtomicAsync(string path, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await write(stream);
                await stream.FlushAsync(cancellationToken);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static Task WriteTextAtomicAsync(string path, string text, CancellationToken cancellationToken) =>
        WriteAtomicAsync(path, s => s.WriteAsync(new UTF8Encoding(false).GetBytes(text), cancellationToken).AsTask(), cancellationToken);
}
