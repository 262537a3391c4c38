using System.Text.Json;
using ReportJob.Cli;

namespace ReportJob.Tests.TestSupport;

/// <summary>
/// Runs reportjob verbs in-process against a SQLite file in a temp folder of its own, capturing stdout and stderr.
/// Console redirection is process-wide: tests using it belong to the non-parallel Console collection.
/// The verbs read the time from <see cref="Clock"/>, pinned to the morning after the fixtures' day, so that no test
/// depends on the day it runs.
/// </summary>
internal sealed class CliSandbox : IDisposable
{
    /// <param name="sections">Extra settings sections (e.g. "Snapshots") written into the --config file.</param>
    public CliSandbox(IReadOnlyDictionary<string, object>? sections = null)
    {
        Directory.CreateDirectory(Folder);
        Config = Path.Combine(Folder, "settings.json");
        var settings = new Dictionary<string, object>
        {
            ["Storage"] = new { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(Folder, "cli.db")}" },
            ["Logging"] = new { LogLevel = new { Default = "Warning" } },
        };
        foreach (var (name, section) in sections ?? new Dictionary<string, object>())
        {
            settings[name] = section;
        }

        File.WriteAllText(Config, JsonSerializer.Serialize(settings));
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"));

    public string Config { get; }

    /// <summary>The verbs' clock; a test may move it.</summary>
    public FixedTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 21, 6, 0, 0, TimeSpan.Zero));

    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var exit = await CliApp.RunAsync([.. args, "--config", Config], Clock);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
