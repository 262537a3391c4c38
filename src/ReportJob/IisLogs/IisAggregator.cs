using System.Net;
using System.Net.Sockets;
using System.Text;
using ReportJob.Sites;

namespace ReportJob.IisLogs;

/// <summary>
/// Adds requests up per (UTC day, client address) in memory, with bounded state per client: the top user agents
/// (more are tracked than kept, the rest counted as "other"), users up to a cap and a count beyond it.
/// <see cref="ShouldFlush"/> says when the held state reaches the threshold; <see cref="TakeBatch"/> empties it.
/// Splitting a file into batches is exact for every count, since the store adds them up.
/// </summary>
internal sealed class IisAggregator
{
    private const int MaxUserNameLength = 256;

    private readonly IisLogsOptions _options;
    private readonly int _trackedAgents;
    private readonly Utf8Interner _clients = new(StringComparer.Ordinal);

    // Per client id: whether the address is one of the trusted proxies (all false when none are configured).
    private readonly List<bool> _isProxy = [];
    private readonly Subnet[] _proxies;
    private readonly Utf8Interner _agents = new(StringComparer.Ordinal);

    // Windows account names are case-insensitive: one user whatever the case logged, stored in lower case.
    private readonly Utf8Interner _users = new(StringComparer.Ordinal);

    // Per day, the aggregates indexed by client id: one array read per request, no hashing.
    private readonly Dictionary<int, List<ClientDayAggregate?>> _byDay = [];
    private int _aggregates;
    private int _currentDayNumber = -1;
    private List<ClientDayAggregate?>? _currentDay;

    public IisAggregator(IisLogsOptions options)
    {
        _options = options;
        _proxies = [.. options.TrustedProxies.Select(Subnet.Parse)];
        // Tracking more agents than are kept lets one that starts late in the day still make the top list.
        _trackedAgents = Math.Max(options.TopUserAgents * 4, 32);
    }

    public bool ShouldFlush =>
        _aggregates >= _options.FlushThreshold || _agents.Count >= _options.FlushThreshold
        || _users.Count >= _options.FlushThreshold || _clients.Count >= _options.FlushThreshold;

    /// <summary>Counts the request; returns why it cannot be counted (nothing is changed then), or null.</summary>
    public string? Add(in W3cRecord record)
    {
        var clientId = _options.PreferForwardedFor && !IsEmpty(record.ForwardedFor)
            ? ForwardedClientId(record.ClientIp, record.ForwardedFor)
            : -1;

        if (clientId < 0)
        {
            if (IsEmpty(record.ClientIp))
            {
                return "no client address (c-ip)";
            }

            clientId = ClientId(record.ClientIp);
            if (clientId < 0)
            {
                return "c-ip is not an IP address";
            }
        }

        var dayNumber = record.Day.DayNumber;
        if (dayNumber != _currentDayNumber || _currentDay is null)
        {
            if (!_byDay.TryGetValue(dayNumber, out _currentDay))
            {
                _byDay[dayNumber] = _currentDay = [];
            }

            _currentDayNumber = dayNumber;
        }

        var day = _currentDay;
        while (day.Count <= clientId)
        {
            day.Add(null);
        }

        var aggregate = day[clientId];
        if (aggregate is null)
        {
            day[clientId] = aggregate = new ClientDayAggregate(record.Day, clientId);
            _aggregates++;
        }

        aggregate.Requests++;
        aggregate.Protocols[(int)IisProtocolClassifier.Classify(record.UriStem)]++;
        switch (record.Status)
        {
            case 401: aggregate.Status401++; break;
            case 403: aggregate.Status403++; break;
            case >= 500 and < 600: aggregate.Status5xx++; break;
        }

        if (record.BytesSent >= 0)
        {
            aggregate.BytesSent = Math.Max(aggregate.BytesSent, 0) + record.BytesSent;
        }

        if (record.BytesReceived >= 0)
        {
            aggregate.BytesReceived = Math.Max(aggregate.BytesReceived, 0) + record.BytesReceived;
        }

        if (!record.UserAgent.IsEmpty)
        {
            if (!_agents.TryGet(record.UserAgent, out var agentId))
            {
                agentId = _agents.Add(record.UserAgent, SafeText.FromLog(record.UserAgent, plusIsSpace: !record.UserAgentQuoted, _options.MaxUserAgentLength));
            }

            aggregate.CountAgent(agentId, _trackedAgents);
        }

        if (!IsEmpty(record.UserName))
        {
            if (!_users.TryGet(record.UserName, out var userId))
            {
                // '+' is left alone: in a user name it is more likely a real plus (UPN sub-addressing) than a space.
                userId = _users.Add(record.UserName, SafeText.FromLog(record.UserName, plusIsSpace: false, MaxUserNameLength).ToLowerInvariant());
            }

            aggregate.CountUser(userId, _options.MaxUsersPerClient);
        }

        return null;
    }

    /// <summary>Everything held, as rows (user agents cut to the configured top), and empties the aggregator.</summary>
    public IisAggregateBatch TakeBatch()
    {
        var clients = new List<IisClientRow>(_aggregates);
        var protocols = new List<IisDetailRow>();
        var agents = new List<IisDetailRow>();
        var users = new List<IisDetailRow>();
        foreach (var a in _byDay.Values.SelectMany(d => d).OfType<ClientDayAggregate>())
        {
            a.Settle(_trackedAgents, _options.MaxUsersPerClient);
            var client = _clients[a.ClientId];
            var agentsOther = a.AgentsOther;
            if (a.Agents.Count > 0)
            {
                var rank = 0;
                foreach (var (id, count) in a.Agents.OrderByDescending(kv => kv.Value).ThenBy(kv => _agents[kv.Key], StringComparer.Ordinal))
                {
                    if (rank++ < _options.TopUserAgents)
                    {
                        agents.Add(new IisDetailRow(a.Day, client, _agents[id], count));
                    }
                    else
                    {
                        agentsOther += count;
                    }
                }
            }

            for (var p = 0; p < IisProtocolClassifier.Count; p++)
            {
                if (a.Protocols[p] > 0)
                {
                    protocols.Add(new IisDetailRow(a.Day, client, IisProtocolClassifier.StoredName((IisProtocol)p), a.Protocols[p]));
                }
            }

            foreach (var (id, count) in a.Users)
            {
                users.Add(new IisDetailRow(a.Day, client, _users[id], count));
            }

            clients.Add(new IisClientRow(
                a.Day, client, a.Requests, a.Status401, a.Status403, a.Status5xx,
                a.BytesSent >= 0 ? a.BytesSent : null, a.BytesReceived >= 0 ? a.BytesReceived : null,
                agentsOther, a.UsersOverflow));
        }

        _byDay.Clear();
        _aggregates = 0;
        _currentDay = null;
        _currentDayNumber = -1;
        _clients.Clear();
        _isProxy.Clear();
        _agents.Clear();
        _users.Clear();
        return new IisAggregateBatch(clients, protocols, agents, users);
    }

    /// <summary>
    /// The client the X-Forwarded-For value names, or -1 to count <c>c-ip</c>: "client, proxy1, proxy2" (IIS logs the
    /// spaces as '+'), each proxy appending the address it was connected from, so the value is read from the right and
    /// the trusted proxies are skipped. Also -1 when <c>c-ip</c> is not a trusted proxy (when any are configured), and
    /// at an unusable entry ("unknown", a host name).
    /// </summary>
    private int ForwardedClientId(ReadOnlySpan<byte> clientIp, ReadOnlySpan<byte> forwardedFor)
    {
        if (_proxies.Length > 0 && ClientId(clientIp) is var peer && (peer < 0 || !_isProxy[peer]))
        {
            return -1;
        }

        while (true)
        {
            var comma = forwardedFor.LastIndexOf((byte)',');
            var id = ClientId(forwardedFor[(comma + 1)..]);
            if (id < 0 || comma < 0 || !_isProxy[id])
            {
                return id;
            }

            forwardedFor = forwardedFor[..comma];
        }
    }

    /// <summary>The id of the address's canonical text, or -1 when the bytes are not an IP address.</summary>
    private int ClientId(ReadOnlySpan<byte> raw)
    {
        raw = raw.Trim((byte)'+').Trim((byte)' ');
        if (raw.IsEmpty)
        {
            return -1;
        }

        if (_clients.TryGet(raw, out var id))
        {
            return id;
        }

        var canonical = Canonical(raw);
        if (canonical is null)
        {
            return -1;
        }

        id = _clients.Add(raw, canonical);
        if (id == _isProxy.Count)
        {
            var address = IPAddress.Parse(canonical);
            _isProxy.Add(_proxies.Any(p => p.Contains(address)));
        }

        return id;
    }

    /// <summary>
    /// <c>10.0.0.1</c>, <c>10.0.0.1:50123</c>, <c>2001:db8::1</c>, <c>[2001:db8::1]:443</c>, <c>fe80::1%12</c> →
    /// the address as the rest of ReportJob writes it (IPv4-mapped IPv6 as IPv4, no scope).
    /// </summary>
    internal static string? Canonical(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > 64)
        {
            return null;
        }

        Span<char> chars = stackalloc char[raw.Length];
        if (Ascii.ToUtf16(raw, chars, out var written) != System.Buffers.OperationStatus.Done)
        {
            return null;
        }

        ReadOnlySpan<char> text = chars[..written];
        var colon = text.IndexOf(':');
        if (colon >= 0 && text.LastIndexOf(':') == colon && text.Contains('.'))
        {
            text = text[..colon]; // IPv4 with a port
        }
        else if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                return null;
            }

            text = text[1..close];
        }

        // IPAddress also takes "10.1" or "167772161" as IPv4; a log's address always has four parts.
        if ((!text.Contains(':') && text.Count('.') != 3) || !IPAddress.TryParse(text, out var address))
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            address = new IPAddress(address.GetAddressBytes());
        }

        return address.ToString();
    }

    private static bool IsEmpty(ReadOnlySpan<byte> field) => field.IsEmpty || (field.Length == 1 && field[0] == (byte)'-');
}
