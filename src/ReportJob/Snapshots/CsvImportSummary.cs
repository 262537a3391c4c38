namespace ReportJob.Snapshots;

/// <summary>The outcome of an import run over many files.</summary>
public sealed record CsvImportSummary(IReadOnlyList<CsvImportResult> Files, TimeSpan Elapsed)
{
    public int Imported => Files.Count(f => f.Status == CsvImportStatus.Imported);

    public int Skipped => Files.Count(f => f.Status == CsvImportStatus.Skipped);

    public int Failed => Files.Count(f => f.Status == CsvImportStatus.Failed);

    public int Snapshots => Files.Sum(f => f.Snapshots);

    public long Rows => Files.Sum(f => f.Rows);

    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}
