namespace ReportJob.IisLogs;

/// <summary>
/// One request line, as slices of the line's bytes (nothing decoded but the day, status and byte counts).
/// A field the layout does not log is empty; <c>-</c> (W3C "no value") is left as is.
/// </summary>
internal ref struct W3cRecord
{
    public DateOnly Day;
    public ReadOnlySpan<byte> ClientIp;
    public ReadOnlySpan<byte> UriStem;
    public ReadOnlySpan<byte> UserName;
    public ReadOnlySpan<byte> UserAgent;

    /// <summary>The user agent was written in quotation marks (Advanced Logging): its spaces are real and a <c>+</c> is a plus.</summary>
    public bool UserAgentQuoted;
    public ReadOnlySpan<byte> ForwardedFor;

    /// <summary>sc-status, or 0 when not logged.</summary>
    public int Status;

    /// <summary>sc-bytes, or -1 when not logged.</summary>
    public long BytesSent;

    /// <summary>cs-bytes, or -1 when not logged.</summary>
    public long BytesReceived;
}
