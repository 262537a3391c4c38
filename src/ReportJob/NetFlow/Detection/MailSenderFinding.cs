namespace ReportJob.NetFlow;

/// <summary>A source (not one of <see cref="MailFanOutOptions.AllowedSources"/>) that opened SMTP flows to at least <see cref="MailFanOutOptions.MinDestinations"/> distinct destinations in the window.</summary>
public sealed record MailSenderFinding(
    string Source, int DistinctDestinations, long Flows, DateTime FirstSeenUtc, DateTime LastSeenUtc, IReadOnlyList<string> TopDestinations)
{
    /// <summary>"to 192.0.2.25 198.51.100.25 …": the busiest destinations, with an ellipsis when there are more.</summary>
    public string Evidence() => TopDestinations.Count == 0 ? "" : "to " + string.Join(' ', TopDestinations) + (DistinctDestinations > TopDestinations.Count ? " …" : "");
}
