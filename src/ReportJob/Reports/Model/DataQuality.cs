namespace ReportJob.Reports.Model;

public sealed record DataQuality(
    IReadOnlyList<ServerHealth> Servers,
    long ExportPacketsLost,
    long UndecodableRecords,
    IReadOnlyList<string> SamplingNotes,
    IReadOnlyList<string> Notes);
