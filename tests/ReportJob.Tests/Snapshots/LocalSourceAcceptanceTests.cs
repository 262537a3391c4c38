using System.CommandLine;
using System.Text.Json;
using ReportJob.Cli;
using ReportJob.Snapshots;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Snapshots;

public sealed class LocalSourceAcceptanceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"));

    public LocalSourceAcceptanceTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [ToolFact("ss")]
    public async Task CollectCommand_LocalJson_SameConnectionsAsSs()
    {
        using var held = await LoopbackConnections.OpenAsync(clientsPerListener: 6);
        var config = WriteConfig(held.Ports);

        var (exit, stdout, stderr) = await InvokeAsync("collect", "--server", "local", "--format", "json", "--config", config);
        var ssEstablished = SsTable.Read("established", TcpState.Established, held.Ports);
        var ssCloseWait = SsTable.Read("close-wait", TcpState.CloseWait, held.Ports);

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        var server = Assert.Single(json.RootElement.EnumerateArray().ToList());
        Assert.Equal("local", server.GetProperty("server").GetString());
        Assert.Equal("ok", server.GetProperty("status").GetString());
        Assert.EndsWith("Z", server.GetProperty("takenAt").GetString(), StringComparison.Ordinal);
        var ours = server.GetProperty("connections").EnumerateArray()
            .Select(c => (State: c.GetProperty("state").GetString(), Key: $"{c.GetProperty("localAddress").GetString()}:{c.GetProperty("localPort").GetInt32()} {c.GetProperty("remoteAddress").GetString()}:{c.GetProperty("remotePort").GetInt32()} {c.GetProperty("state").GetString()}"))
            .ToList();
        var ourEstablished = ours.Where(c => c.State == "Established").Select(c => c.Key).Order(StringComparer.Ordinal).ToList();
        var ourCloseWait = ours.Where(c => c.State == "CloseWait").Select(c => c.Key).Order(StringComparer.Ordinal).ToList();

        // 6 clients on the IPv4 listener, 3 IPv4 + 3 IPv6 on the dual-mode one; one IPv4 client of each closed.
        Assert.Equal(10, ourEstablished.Count);
        Assert.Equal(2, ourCloseWait.Count);
        Assert.Equal(ssEstablished, ourEstablished);
        Assert.Equal(ssCloseWait, ourCloseWait);
        Assert.Contains(ourEstablished, k => k.StartsWith("::1:", StringComparison.Ordinal));
        Assert.Contains(ourEstablished, k => k.StartsWith($"127.0.0.1:{held.Port6} ", StringComparison.Ordinal)); // v4-mapped, shown as IPv4
    }

    [Fact]
    public async Task CollectCommand_UnknownServer_ExitTwoListsConfiguredNames()
    {
        var config = WriteConfig([443]);

        var (exit, _, stderr) = await InvokeAsync("collect", "--server", "nope", "--config", config);

        Assert.Equal(2, exit);
        Assert.Contains("Unknown server 'nope'", stderr, StringComparison.Ordinal);
        Assert.Contains("Configured (Snapshots:Servers): local", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CollectCommand_BadFormat_ExitNonZero()
    {
        var (exit, _, _) = await InvokeAsync("collect", "--format", "xml", "--config", WriteConfig([443]));

        Assert.NotEqual(0, exit);
    }

    [Fact]
    public async Task CollectCommand_Table_OneLinePerServer()
    {
        var (exit, stdout, stderr) = await InvokeAsync("collect", "--config", WriteConfig([443]));

        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("Server", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^local\s+local\s+ok\s+\d+\s+\d+\.\d\d\s*$", lines[1]);
    }

    internal static async Task<(int Exit, string StdOut, string StdErr)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.CreateRoot().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private string WriteConfig(int[] ports, string extraServers = "")
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, $$"""
            {
              "Storage": { "Provider": "Sqlite", "ConnectionString": "Data Source={{Path.Combine(_dir, "reportjob.db")}}" },
              "Snapshots": {
                "LocalPorts": [ {{string.Join(", ", ports)}} ],
                "IncludeLoopback": true,
                "Servers": [ { "Name": "local", "Source": "Local" }{{extraServers}} ]
              },
              "Logging": { "LogLevel": { "Default": "Warning" } }
            }
            """);
        return path;
    }
}
