using System.Diagnostics;
using System.Globalization;

namespace ReportJob.Bench;

/// <summary>Peak working set of this process, from the OS (VmHWM on Linux), and what it was made of at the peak.</summary>
internal static class PeakMemory
{
    public static long Bytes => Status("VmHWM:") is { } kb ? kb * 1024 : Process.GetCurrentProcess().PeakWorkingSet64;

    /// <summary>Resets the kernel's peak (VmHWM) so that the next reading covers only what follows (Linux ≥ 4.0).</summary>
    public static void Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    public static string Describe() => $"{Bytes / (1024.0 * 1024.0):0.0} MB peak working set";

    /// <summary>
    /// Samples the resident set every 10 ms until disposed and keeps the largest sample with what it held: anonymous
    /// memory (the GC heap, native allocations such as SQLite's page cache), mapped files (the runtime and assemblies),
    /// and the GC heap's own size and committed memory at that moment.
    /// </summary>
    public sealed class Sampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private (long Rss, long Anon, long File, long Heap, long Committed) _peak;

        public Sampler()
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "peak memory sampler" };
            _thread.Start();
        }

        public void Dispose() => Stop();

        /// <summary>Stops sampling; returns what the largest sample held.</summary>
        public string Stop()
        {
            _stop = true;
            _thread.Join();
            return $"at the largest sample: {_peak.Rss >> 10} MB resident = {_peak.Anon >> 10} MB anonymous + {_peak.File >> 10} MB mapped files (+ shared); GC heap {_peak.Heap >> 20} MB, GC committed {_peak.Committed >> 20} MB";
        }

        private void Run()
        {
            while (!_stop)
            {
                if (Status("VmRSS:") is { } rss && rss > _peak.Rss)
                {
                    var info = GC.GetGCMemoryInfo();
                    _peak = (rss, Status("RssAnon:") ?? 0, Status("RssFile:") ?? 0, GC.GetTotalMemory(false), info.TotalCommittedBytes);
                }

                Thread.Sleep(10);
            }
        }
    }

    /// <summary>A kB figure of /proc/self/status, or null where there is none.</summary>
    private static long? Status(string field)
    {
        if (!File.Exists("/proc/self/status"))
        {
            return null;
        }

        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
