namespace ReportJob.IisLogs;

/// <summary>A (day, client, name) → requests row: a protocol, a user agent or a user of a client on a day.</summary>
internal readonly record struct IisDetailRow(DateOnly Day, string Client, string Name, long Requests);
