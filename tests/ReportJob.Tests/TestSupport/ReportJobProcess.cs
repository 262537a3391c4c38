using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace ReportJob.Tests.TestSupport;

/// <summary>
/// The real <c>reportjob</c> executable (the build's reportjob.dll beside the tests) in a process of its own, with its
/// output kept for the test's message. Settings go in as a --config file written from flat configuration keys.
/// </summary>
internal sealed class ReportJobProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ReportJobProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What it wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ReportJobProcess Start(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "reportjob.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var p = new ReportJobProcess(new Process { StartInfo = psi, EnableRaisingEvents = true });
        p._process.OutputDataReceived += (_, e) => p.Append(e.Data);
        p._process.ErrorDataReceived += (_, e) => p.Append(e.Data);
        p._process.Start();
        p._process.StandardInput.Close();
        p._process.BeginOutputReadLine();
        p._process.BeginErrorReadLine();
        return p;
    }

    /// <summary>Runs to completion: exit code and output.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using var p = Start(workingDirectory, args);
        using var cts = new CancellationTokenSource(timeout);
        await p._process.WaitForExitAsync(cts.Token);
        p._process.WaitForExit();
        return (p._process.ExitCode, p.Output);
    }

    /// <summary>Writes flat keys (<c>Section:Key</c>, <c>Servers:0:Name</c>) as the nested JSON a --config file holds.</summary>
    public static string WriteConfig(string path, IDictionary<string, string?> settings)
    {
        var root = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            var parts = key.Split(':');
            var node = root;
            foreach (var part in parts[..^1])
            {
                if (!node.TryGetValue(part, out var child) || child is not Dictionary<string, object?> next)
                {
                    next = new Dictionary<string, object?>(StringComparer.Ordinal);
                    node[part] = next;
                }

                node = next;
            }

            node[parts[^1]] = value;
        }

        File.WriteAllText(path, JsonSerializer.Serialize(root));
        return path;
    }

    /// <summary>Ends it at once, as a crash or power loss would (no shutdown, no cleanup).</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
