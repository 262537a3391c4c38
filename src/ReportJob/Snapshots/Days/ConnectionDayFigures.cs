namespace ReportJob.Snapshots;

/// <summary>
/// What a day's rounds add up to, for its roll-up (<see cref="ConnectionRollups"/>): rounds, the most connections in one
/// round (all servers together) and the connection-rounds (so the average per round is <see cref="Total"/> / <see cref="Rounds"/>);
/// per server, client and site the same, with the rounds they were in.
/// </summary>
public sealed record ConnectionDayFigures(
    int Rounds,
    long Peak,
    long Total,
    IReadOnlyList<ServerDayFigures> Servers,
    IReadOnlyList<ClientDayFigures> Clients,
    IReadOnlyList<SiteDayFigures> Sites);

/// <summary>A server's day: rounds it answered in, its peak and connection-rounds, and its balance against the others.</summary>
public sealed record ServerDayFigures(string Server, int Rounds, long Peak, long Total, double MaxDeviation, int RoundsFlagged);

/// <summary>A client's day: rounds it held connections in, the most it held in one, and its connection-rounds.</summary>
public sealed record ClientDayFigures(string Client, int Rounds, long Peak, long Total);

/// <summary>A site's day: its clients, rounds with connections, the most its clients held together in one, and connection-rounds.</summary>
public sealed record SiteDayFigures(string Site, int Clients, int Rounds, long Peak, long Total);
