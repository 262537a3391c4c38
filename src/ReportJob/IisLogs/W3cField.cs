namespace ReportJob.IisLogs;

/// <summary>The W3C extended log fields ReportJob reads; every other field of a <c>#Fields</c> layout is skipped.</summary>
internal enum W3cField : byte
{
    Ignored,

    /// <summary><c>date</c> or <c>date-utc</c>: the UTC day, as IIS's own W3C logs always write it.</summary>
    Date,
    Time,

    /// <summary><c>date-local</c> (IIS Advanced Logging): the server's local day, converted with <c>IisLogs:LocalTimeZone</c>.</summary>
    LocalDate,

    /// <summary><c>time-local</c> (IIS Advanced Logging): needed with <see cref="LocalDate"/> to know the UTC day.</summary>
    LocalTime,
    ClientIp,
    UriStem,
    UserName,
    UserAgent,
    Status,
    BytesSent,
    BytesReceived,
    ForwardedFor,
}
