namespace ReportJob.Reports.Model;

/// <summary>A connection open for long; Age comes from its creation time, or from when it was first seen.</summary>
public sealed record LongLivedConnection(string Server, string Client, int ClientPort, string State, TimeSpan Age, bool AgeFromCreationTime);
