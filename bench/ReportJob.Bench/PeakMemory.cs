using System.Diagnostics;

namespace ReportJob.Bench;

/// <summary>Peak working set of this process, from the OS (VmHWM on Linux).</summary>
internal static class PeakMemory
{
    public static long Bytes
    {
        get
        {
            if (File.Exists("/proc/self/status"))
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        var kb = long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                        return kb * 1024;
                    }
                }
            }

            using var p = Process.GetCurrentProcess();
            return p.PeakWorkingSet64;
        }
    }

    /// <summary>Resets the peak to the current working set (Linux: "5" to /proc/self/clear_refs), so one phase can be measured alone.</summary>
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
}
