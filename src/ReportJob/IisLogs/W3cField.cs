namespace ReportJob.IisLogs;

/// <summary>The W3C extended log fields ReportJob reads; every other field of a <c>#Fields</c> layout is skipped.</summary>
internal enum W3cField : byte
{
    Ignored,
    Date,
    Time,
    ClientIp,
    UriStem,
    UserName,
    UserAgent,
    Status,
    BytesSent,
    BytesReceived,
    ForwardedFor,
}
