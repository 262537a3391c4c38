namespace ReportJob.IisLogs;

/// <summary>
/// The counts of one client on one day, while a file is read. Bounded: user agents and users are capped.
/// A client mostly repeats its last user agent and user, so those are counted in plain fields and only moved into
/// the dictionaries when they change: the common request touches this object alone (memory latency, not hashing,
/// is what the aggregation costs with thousands of interleaved clients).
/// </summary>
internal sealed class ClientDayAggregate(DateOnly day, int clientId)
{
    public DateOnly Day { get; } = day;

    public int ClientId { get; } = clientId;

    public long Requests;
    public long Status401;
    public long Status403;
    public long Status5xx;
    public long BytesSent = -1;
    public long BytesReceived = -1;
    public ProtocolCounts Protocols;

    /// <summary>Requests of agents beyond the tracked ones.</summary>
    public long AgentsOther;

    private int _agent = -1;
    private long _agentPending;
    private int _user = -1;
    private long _userPending;
    private Dictionary<int, long>? _agents;
    private Dictionary<int, long>? _users;
    private HashSet<int>? _usersOverflow;

    /// <summary>Agent id → requests, at most the tracked limit (after <see cref="Settle"/>).</summary>
    public IReadOnlyDictionary<int, long> Agents => (IReadOnlyDictionary<int, long>?)_agents ?? new Dictionary<int, long>();

    /// <summary>User id → requests, at most the cap (after <see cref="Settle"/>).</summary>
    public IReadOnlyDictionary<int, long> Users => (IReadOnlyDictionary<int, long>?)_users ?? new Dictionary<int, long>();

    /// <summary>Distinct users beyond the cap.</summary>
    public int UsersOverflow => _usersOverflow?.Count ?? 0;

    public void CountAgent(int agentId, int tracked)
    {
        if (agentId == _agent)
        {
            _agentPending++;
            return;
        }

        SettleAgent(tracked);
        _agent = agentId;
        _agentPending = 1;
    }

    public void CountUser(int userId, int cap)
    {
        if (userId == _user)
        {
            _userPending++;
            return;
        }

        SettleUser(cap);
        _user = userId;
        _userPending = 1;
    }

    /// <summary>Moves the pending counts into the dictionaries.</summary>
    public void Settle(int trackedAgents, int userCap)
    {
        SettleAgent(trackedAgents);
        SettleUser(userCap);
    }

    private void SettleAgent(int tracked)
    {
        if (_agentPending == 0)
        {
            return;
        }

        var agents = _agents ??= [];
        if (agents.TryGetValue(_agent, out var count))
        {
            agents[_agent] = count + _agentPending;
        }
        else if (agents.Count < tracked)
        {
            agents.Add(_agent, _agentPending);
        }
        else
        {
            AgentsOther += _agentPending;
        }

        _agent = -1;
        _agentPending = 0;
    }

    private void SettleUser(int cap)
    {
        if (_userPending == 0)
        {
            return;
        }

        var users = _users ??= [];
        if (users.TryGetValue(_user, out var count))
        {
            users[_user] = count + _userPending;
        }
        else if (users.Count < cap)
        {
            users.Add(_user, _userPending);
        }
        else
        {
            (_usersOverflow ??= []).Add(_user);
        }

        _user = -1;
        _userPending = 0;
    }
}
