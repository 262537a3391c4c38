using System.Diagnostics;
using System.Globalization;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.NetFlow;

/// <summary>
/// The real-tools pipeline of the differential tests and the benchmark: softflowd reads a traffic pcap and exports
/// NetFlow v5/v9/IPFIX to 127.0.0.1:PORT, where nfcapd receives it while tcpdump captures the same datagrams on lo.
/// Extra receivers (the UDP collector) can listen on the port instead of nfcapd.
/// </summary>
internal static class SoftflowdExport
{
    private static int _nextPort = 20000 + (Environment.ProcessId % 20000);

    /// <summary>A free-looking UDP port (distinct per call within the process; range varies per process).</summary>
    public static int NextPort() => Interlocked.Increment(ref _nextPort);

    /// <summary>Runs softflowd → (tcpdump capture, nfcapd directory). Returns the capture path and the nfcapd folder.</summary>
    public static (string Capture, string NfcapdDirectory) Run(string trafficPcap, int version, string workDirectory, int port, bool withNfcapd = true, string? extraSoftflowdArgs = null)
    {
        var capture = Path.Combine(workDirectory, $"export-v{version}-{port}.pcap");
        var nfcapdDir = Path.Combine(workDirectory, $"nfcapd-{port}");
        Directory.CreateDirectory(nfcapdDir);
        using var tcpdump = Start("tcpdump", ["-i", "lo", "-U", "-n", "-B", "65536", "-w", capture, "udp", "and", "dst", "port", port.ToString(CultureInfo.InvariantCulture)], "listening on");
        using var nfcapd = withNfcapd ? Start("nfcapd", ["-w", nfcapdDir, "-p", port.ToString(CultureInfo.InvariantCulture), "-b", "127.0.0.1", "-B", "33554432"]) : null;
        if (nfcapd is not null)
        {
            WaitForUdpPort(port, TimeSpan.FromSeconds(20));
        }

        var args = new List<string>
        {
            "-r", trafficPcap, "-v", version.ToString(CultureInfo.InvariantCulture), "-n", $"127.0.0.1:{port}", "-d", "-T", "full", "-m", "65536",
            // No -c: softflowd hangs in -r mode when given a control socket (PLATFORM-NOTES).
            "-p", Path.Combine(workDirectory, $"softflowd-{port}.pid"),
        };
        if (extraSoftflowdArgs is not null)
        {
            args.AddRange(extraSoftflowdArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        try
        {
            var softflowd = ExternalTools.RunRaw("softflowd", args, TimeSpan.FromMinutes(10));
            if (softflowd.ExitCode != 0)
            {
                throw new InvalidOperationException($"softflowd exited {softflowd.ExitCode}: {softflowd.StdErr}");
            }

            // Let the last datagrams reach both receivers before they stop.
            Thread.Sleep(1000);
        }
        finally
        {
            // Stopped gracefully: tcpdump flushes its file, nfcapd closes its own.
            Stop(tcpdump);
            if (nfcapd is not null)
            {
                Stop(nfcapd);
            }
        }

        return (capture, nfcapdDir);
    }

    /// <summary>nfdump's totals of a folder of nfcapd files: (flows, packets, bytes, sequence failures).</summary>
    public static (long Flows, long Packets, long Bytes, long SequenceFailures) NfdumpTotals(string nfcapdDirectory)
    {
        var output = ExternalTools.Run("nfdump", ["-R", nfcapdDirectory, "-I"]);
        long Value(string name) => long.Parse(output.Split('\n').First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
        return (Value("Flows"), Value("Packets"), Value("Bytes"), Value("Sequence failures"));
    }

    /// <summary>nfdump's top sources by bytes (<c>-s srcip/bytes -n N</c>): address and bytes, in order.</summary>
    public static List<(string Address, long Bytes)> NfdumpTopSources(string nfcapdDirectory, int n)
    {
        var output = ExternalTools.Run("nfdump", ["-R", nfcapdDirectory, "-s", "srcip/bytes", "-n", n.ToString(CultureInfo.InvariantCulture), "-o", "csv", "-q"]);
        var rows = new List<(string, long)>();
        string[]? header = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cells = line.Split(',');
            if (header is null && cells.Contains("val"))
            {
                header = cells;
                continue;
            }

            if (header is null || cells.Length < header.Length)
            {
                continue;
            }

            var val = Array.IndexOf(header, "val");
            var byt = Array.IndexOf(header, "byt");
            if (long.TryParse(cells[byt], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
            {
                rows.Add((cells[val], bytes));
            }
        }

        return rows;
    }

    /// <summary>Flow records tshark's cflow dissector decodes in a capture.</summary>
    public static long TsharkRecordCount(string capture, int port)
    {
        var output = ExternalTools.Run("tshark", ["-r", capture, "-n", "-d", $"udp.port=={port},cflow", "-T", "fields", "-e", "cflow.srcaddr", "-e", "cflow.srcaddrv6", "-E", "occurrence=a", "-E", "aggregator=,"], TimeSpan.FromMinutes(10));
        return output.Split('\n').SelectMany(l => l.Split(['\t', ','])).Count(t => t.Trim().Length > 0);
    }

    /// <summary>Starts a tool with its output drained (a full pipe would block it); optionally waits for a line on stderr.</summary>
    private static Process Start(string tool, IEnumerable<string> args, string? waitFor = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(ExternalTools.Require(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var found = new TaskCompletionSource();
        var process = new Process { StartInfo = psi };
        process.ErrorDataReceived += (_, e) =>
        {
            if (waitFor is not null && e.Data?.Contains(waitFor, StringComparison.Ordinal) == true)
            {
                found.TrySetResult();
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        if (waitFor is not null && !found.Task.Wait(timeout ?? TimeSpan.FromSeconds(20)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not print '{waitFor}'");
        }

        return process;
    }

    /// <summary>Waits until something listens on the UDP port (nfcapd has bound).</summary>
    public static void WaitForUdpPort(int port, TimeSpan timeout)
    {
        var hex = ":" + port.ToString("X4", CultureInfo.InvariantCulture) + " ";
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (File.ReadLines("/proc/net/udp").Concat(File.ReadLines("/proc/net/udp6")).Any(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1)?.EndsWith(hex.TrimEnd(), StringComparison.Ordinal) == true))
            {
                return;
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"nothing listens on UDP port {port}");
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
            kill.WaitForExit();
        }

        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
    }
}
