using System.Globalization;

namespace ReportJob.NetFlow;

/// <summary>
/// Datagrams the kernel dropped on a UDP socket because its receive buffer was full: the <c>drops</c> column of
/// <c>/proc/net/udp</c> and <c>/proc/net/udp6</c> for the local port (Linux only; -1 elsewhere).
/// </summary>
internal static class KernelUdpDrops
{
    public static long Read(int port)
    {
        long total = -1;
        foreach (var file in new[] { "/proc/net/udp", "/proc/net/udp6" })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var colon = columns.Length > 1 ? columns[1].LastIndexOf(':') : -1;
                if (colon < 0 || !int.TryParse(columns[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var local) || local != port)
                {
                    continue;
                }

                if (long.TryParse(columns[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var drops))
                {
                    total = Math.Max(total, 0) + drops;
                }
            }
        }

        return total;
    }
}
