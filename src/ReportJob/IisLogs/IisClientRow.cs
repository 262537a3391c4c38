namespace ReportJob.IisLogs;

/// <summary>The totals of one client on one day, as merged into <c>iis_client_day</c>.</summary>
internal readonly record struct IisClientRow(
    DateOnly Day,
    string Client,
    long Requests,
    long Status401,
    long Status403,
    long Status5xx,
    long? BytesSent,
    long? BytesReceived,
    long AgentsOther,
    long UsersOther);
