namespace ReportJob.NetFlow.Decoding;

/// <summary>A data set held until its template arrives, with the header values needed to decode it later.</summary>
internal sealed record PendingSet(byte[] Body, uint ExportSeconds, long ExportTicks, uint SysUptime);
