using System.CommandLine;
using System.Text.Json;
using ReportJob.Cli;

namespace ReportJob.Tests.Cli;

[Collection(ConsoleCollection.Name)]
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_EmbeddedDefault_WritesReportWorkbookAndMailAndPrintsPaths()
    {
        var dir = Path.Combine(Path.GetTempPath(), "reportjob-demo-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var config = Path.Combine(dir, "demo.json");
            await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
            {
                Storage = new { ConnectionString = "Data Source=" + Path.Combine(dir, "data", "reportjob.db") },
                Reports = new { OutputPath = Path.Combine(dir, "reports"), ResolveDnsNames = false },
                Mail = new { PickupDirectory = Path.Combine(dir, "mail") },
                Status = new { Enabled = false },
            }));
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = await CliApp.CreateRoot().Parse(["demo", "--config", config])
                .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });

            var text = stdout.ToString();
            Assert.True(code == 0, $"exit {code}: {stderr}");
            Assert.Contains("3. NetFlow sample", text, StringComparison.Ordinal);
            Assert.Contains("3,000 flow records", text, StringComparison.Ordinal);
            var paths = text.Split('\n').Where(l => l.Contains(':', StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).Where(p => p.StartsWith(dir, StringComparison.Ordinal)).ToList();
            Assert.Contains(paths, p => p.EndsWith(".html", StringComparison.Ordinal) && File.Exists(p));
            Assert.Contains(paths, p => p.EndsWith(".xlsx", StringComparison.Ordinal) && File.Exists(p));
            Assert.Contains(paths, p => p.EndsWith(".eml", StringComparison.Ordinal) && File.Exists(p));
            var html = await File.ReadAllTextAsync(paths.First(p => p.EndsWith(".html", StringComparison.Ordinal)));
            Assert.DoesNotContain("No NetFlow/IPFIX data for this day", html, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
