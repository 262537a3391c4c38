namespace ReportJob.Reports.Model;

/// <summary>A minute in which many connections were created (needs creation times: Windows sources).</summary>
public sealed record BurstMinute(DateTime MinuteLocal, string Server, long Created, string TopClient, long TopClientCreated);
