namespace ReportJob.Reports.Model;

public sealed record Headline(
    int Servers,
    int Clients,
    long PeakConnections,
    DateTime? PeakAtLocal,
    double AverageConnections,
    int Sites,
    long Flows,
    long Bytes,
    IReadOnlyList<string> Alerts);
