namespace ReportJob.Reports.Workbook;

/// <summary>One worksheet: columns and rows (each row's values in column order; null = empty cell).</summary>
public sealed record SheetSpec(string Name, IReadOnlyList<SheetColumn> Columns, IEnumerable<object?[]> Rows);
