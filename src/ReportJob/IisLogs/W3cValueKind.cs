namespace ReportJob.IisLogs;

/// <summary>
/// What a field's value can look like. Used only to place a surplus token (a space IIS did not escape): a reading of
/// the line is possible when every field holds a value of its kind.
/// </summary>
internal enum W3cValueKind : byte
{
    /// <summary>Any value (names, hosts, custom fields).</summary>
    Any,
    Integer,
    Address,
    Date,
    Time,

    /// <summary><c>cs-method</c>: an HTTP method token.</summary>
    Method,

    /// <summary><c>cs-uri-stem</c>: a path.</summary>
    UriStem,

    /// <summary><c>cs-version</c>: <c>HTTP/1.1</c>.</summary>
    Version,

    /// <summary><c>cs(User-Agent)</c>: free text that may hold an unescaped space.</summary>
    UserAgent,

    /// <summary><c>cs-uri-query</c>: free text that may hold an unescaped space.</summary>
    UriQuery,

    /// <summary><c>cs(Referer)</c>: free text that may hold an unescaped space, but always an absolute URI.</summary>
    Referer,

    /// <summary><c>cs(Cookie)</c>: free text that may hold an unescaped space, but always name=value pairs.</summary>
    Cookie,
}
