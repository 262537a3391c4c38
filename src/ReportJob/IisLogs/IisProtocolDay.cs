namespace ReportJob.IisLogs;

/// <summary>One protocol on one UTC day: how many client addresses used it, with how many requests.</summary>
public sealed record IisProtocolDay(DateOnly Day, IisProtocol Protocol, string Name, long Clients, long Requests);
