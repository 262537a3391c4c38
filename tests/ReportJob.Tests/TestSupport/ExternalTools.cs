using System.Diagnostics;

namespace ReportJob.Tests.TestSupport;

/// <summary>
/// Real third-party tools and servers the tests use. On a developer machine a missing tool skips the
/// test with a reason; with CI=true the test runs and fails, so a missing install step cannot hide.
/// </summary>
internal static class ExternalTools
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this process holds a Linux capability (12 CAP_NET_ADMIN, 21 CAP_SYS_ADMIN), read from /proc/self/status.</summary>
    public static bool HasCapability(int bit)
    {
        var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal)) : null;
        return line is not null
               && (ulong.Parse(line["CapEff:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) & (1UL << bit)) != 0;
    }

    /// <summary>Full path of an executable on PATH (or an absolute path that exists), or null.</summary>
    public static string? Find(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0)
            {
                continue;
            }

            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        foreach (var dir in new[] { "/usr/sbin", "/sbin", "/usr/bin" })
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The reason to skip when one of the tools is missing (null when all are there, or under CI).</summary>
    public static string? SkipReason(params string[] tools)
    {
        var missing = tools.Where(t => Find(t) is null).ToArray();
        if (missing.Length == 0 || IsCi)
        {
            return null;
        }

        return "needs " + string.Join(", ", missing) + " (install with .ci/run's apt-get line); skipped because CI is not true";
    }

    /// <summary>Path of the tool; throws (fails the test) when it is missing.</summary>
    public static string Require(string name) =>
        Find(name) ?? throw new InvalidOperationException($"Required tool '{name}' is not installed (CI={IsCi}). .ci/run installs it.");

    /// <summary>Runs a tool to completion and returns its standard output; fails on a non-zero exit.</summary>
    public static string Run(string tool, IEnumerable<string> args, TimeSpan? timeout = null, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = RunRaw(tool, args, timeout, workingDirectory, environment);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} exited {result.ExitCode}: {result.StdErr}");
        }

        return result.StdOut;
    }

    public static (int ExitCode, string StdOut, string StdErr) RunRaw(string tool, IEnumerable<string> args, TimeSpan? timeout = null, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Require(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', psi.ArgumentList)} did not finish in time");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
