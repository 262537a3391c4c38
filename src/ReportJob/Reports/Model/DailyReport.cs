namespace ReportJob.Reports.Model;

/// <summary>
/// Everything one day's report, workbook and e-mail show. Times are local to <see cref="TimeZoneId"/> unless named Utc.
/// <see cref="Protocols"/> is empty when no IIS log was imported for the day.
/// </summary>
public sealed record DailyReport(
    DateOnly Day,
    string TimeZoneId,
    DateTime GeneratedAtUtc,
    DateTime WindowStartLocal,
    DateTime WindowEndLocal,
    Headline Headline,
    ConnectionSection Connections,
    IReadOnlyList<ProtocolUsage> Protocols,
    FlowSection Flows,
    DataQuality Quality);
