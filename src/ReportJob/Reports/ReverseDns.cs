using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ReportJob.Reports;

/// <summary>Reverse-DNS names for the top clients: cached per process, each lookup bounded by a timeout, failures are just "no name".</summary>
internal sealed class ReverseDns
{
    private readonly ConcurrentDictionary<string, string?> _cache = new(StringComparer.Ordinal);

    public async Task<IReadOnlyDictionary<string, string?>> ResolveAsync(IEnumerable<string> addresses, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var list = addresses.Distinct(StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(list.Where(a => !_cache.ContainsKey(a)), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (address, ct) =>
        {
            _cache[address] = await LookupAsync(address, timeout, ct);
        });
        return list.ToDictionary(a => a, a => _cache.GetValueOrDefault(a), StringComparer.Ordinal);
    }

    private static async Task<string?> LookupAsync(string address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return null;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            var entry = await Dns.GetHostEntryAsync(ip.ToString(), cts.Token);
            return string.IsNullOrEmpty(entry.HostName) || entry.HostName == address ? null : entry.HostName;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ArgumentException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }
}
